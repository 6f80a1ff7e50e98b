"""Shortlist (team lead): build it as a set or top-k, edit it, split it across the
team, track each relationship in the graph (shared by everyone), export it."""

import pandas as pd
import streamlit as st

from app_pages import _common as c
from graph.errors import StoreError
from graph.model import STAGES
from graph.shortlist import export as sl_lib
from graph.shortlist import tracking
from graph.views import people as views

V = c.versions()
st.title("Shortlist")
st.caption(
    "Pick the people to nurture as a *set* (each pick adds the most new reach) or the top-k by score, "
    "split them across the team, and track every relationship. Tracking is stored in the graph, "
    "so the whole team sees the same owners, stages and notes."
)
people = c.ranked_people_or_stop(V)
names = c.handles(V)
METHODS = {
    "set": "Set: greedy marginal reach (RIS/CELF)",
    "degree_discount": "Set, fast: degree discount",
    "topk": "Top-k by composite score",
}

# -- build ---------------------------------------------------------------------------------
with st.form("sl_form"):
    f = st.columns([2, 1, 1.6, 1, 1.2])
    method = f[0].radio("Method", list(METHODS), format_func=METHODS.get, key="sl_method")
    top = f[1].number_input("Size", 1, 5000, min(300, len(people)), step=10, key="sl_top")
    team = f[2].text_input("Team (names or a number)", "ana, ben, caro", key="sl_team")
    capacity = f[3].number_input("Capacity each", 1, 10000, 150, step=10, key="sl_capacity")
    max_pc = f[4].number_input("Max per community (0 = none)", 0, 5000, 0, key="sl_maxpc")
    skip_declined = st.checkbox("Leave out people whose stage is 'declined'", True, key="sl_skip_declined")
    if st.form_submit_button("Build shortlist", type="primary", key="sl_build"):
        st.session_state["sl_params"] = {
            "method": method, "top": int(top), "team": team.strip(), "capacity": int(capacity),
            "max_per_community": int(max_pc) or None, "skip_declined": skip_declined,
        }  # fmt: skip

a = st.columns([1.2, 2, 1, 2.5])
query = a[0].text_input("Add a person", key="sl_search", placeholder="handle or name")
found = views.search_people(people, query)["pid"].tolist() if query else []
pick = a[1].selectbox("Matches", found, format_func=lambda p: f"@{names.get(p, p)}", key=f"sl_match_{query}")
a[2].button("Add", key="sl_add", disabled=not pick, on_click=c.add_to_shortlist, args=(pick,))
inc, exc = st.session_state["sl_include"], st.session_state["sl_exclude"]
if inc or exc:
    a[3].caption(
        f"Added by hand: {', '.join('@' + names.get(p, p) for p in inc) or 'none'}. "
        f"Removed: {', '.join('@' + names.get(p, p) for p in exc) or 'none'}."
    )
    if a[3].button("Clear hand edits", key="sl_clear"):
        st.session_state["sl_include"], st.session_state["sl_exclude"] = [], []
        st.rerun()

params = st.session_state["sl_params"]
if params is None:
    st.info("Choose the options and press **Build shortlist**.")
    st.stop()


def _team(text: str):
    if not text:
        return None
    return int(text) if text.isdigit() else [t.strip() for t in text.split(",") if t.strip()]


@st.cache_data(max_entries=8, show_spinner="Picking the shortlist…")
def build(G, method, top, include, exclude, team, capacity, max_per_community):
    from graph.jobs import build_shortlist

    return build_shortlist(
        c.store(), top=top, method=method, include=list(include), exclude=list(exclude), team=team,
        capacity=capacity, max_per_community=max_per_community, compare=False,
    ).table  # fmt: skip


locked = tracking.locked_pids(people)
include = tuple(dict.fromkeys([*inc, *locked]))
declined = (
    people.loc[people["stage"].eq("declined"), "pid"].tolist()
    if params["skip_declined"] and "stage" in people
    else []
)
exclude = tuple(p for p in dict.fromkeys([*exc, *declined]) if p not in set(include))
team_spec = _team(params["team"])
try:
    sl = build(V[:2], params["method"], params["top"], include, exclude, team_spec, params["capacity"],
               params["max_per_community"])  # fmt: skip
except (ValueError, StoreError, ImportError) as exc_:
    st.error(f"Could not build the shortlist: {exc_}")
    st.stop()
sl = tracking.attach_pids(sl, people)

m = st.columns(4)
m[0].metric("Picks", f"{len(sl):,}")
if "marginal_gain" in sl and sl["marginal_gain"].notna().any():
    m[1].metric(
        "Expected reach", f"{sl['marginal_gain'].sum():,.0f}", help="Sum of marginal gains (people reached)."
    )
m[2].metric("Communities", f"{sl['community'].nunique():,}" if "community" in sl else "–")
m[3].metric("Locked", f"{len(set(locked) & set(sl['pid'])):,}")

if "owner" in sl:
    from graph.shortlist.team import member_names, team_summary

    with st.expander("Team split", expanded=True):
        members = member_names(team_spec) if team_spec else None
        st.dataframe(team_summary(sl, members), hide_index=True)

# -- edit + track -------------------------------------------------------------------------------
st.subheader("Picks and relationships")
st.caption(
    "Edit owner, stage, last contact and notes, tick **locked** to keep someone whatever a rebuild picks, "
    "tick **remove** to drop them; then **Save**. Marginal gain = expected extra people reached by this pick."
)
stored = tracking.tracking_table(sl["pid"].tolist(), people)
assigned = sl.set_index("pid")["owner"] if "owner" in sl else None
shown = tracking.tracking_table(sl["pid"].tolist(), people, assigned=assigned)
table = pd.DataFrame({"rank": sl["rank"].to_numpy(), "handle": sl["handle"].to_numpy()})
for col in ("marginal_gain", "reason"):
    if col in sl:
        table[col] = sl[col].to_numpy()
for col in ("owner", "stage", "last_contact", "notes", "locked"):
    table[col] = shown[col].to_numpy()
table[["owner", "notes"]] = table[["owner", "notes"]].fillna("")  # empty cells, not "None"
table["remove"] = False
for col in ("score", "community", "flags"):
    if col in sl:
        table[col] = sl[col].to_numpy()
table.index = sl["pid"].to_numpy()
editable = {"remove", "owner", "stage", "last_contact", "notes", "locked"}
edited = st.data_editor(
    table, key=f"sl_editor_{st.session_state['editor_round']}", hide_index=True, height=420,
    disabled=[col for col in table.columns if col not in editable],
    column_config={
        "rank": st.column_config.NumberColumn("#", width=45, pinned=True),
        "handle": st.column_config.TextColumn("handle", width=125, pinned=True),
        "marginal_gain": st.column_config.NumberColumn("gain", format="%.1f", width=60,
                                                       help="Expected extra people reached by this pick"),
        "reason": st.column_config.TextColumn("reason", width=260),
        "owner": st.column_config.TextColumn("owner", width=75),
        "stage": st.column_config.SelectboxColumn("stage", options=list(STAGES), width=115),
        "last_contact": st.column_config.DateColumn("last contact", format="YYYY-MM-DD", width=105),
        "notes": st.column_config.TextColumn("notes", width=120),
        "locked": st.column_config.CheckboxColumn("locked", width=60),
        "remove": st.column_config.CheckboxColumn("remove", width=65),
        "score": st.column_config.NumberColumn("score", format="%.1f"),
    },
)  # fmt: skip


def _save(rows: pd.DataFrame, removes: list[str]) -> None:
    with c.write_lock():
        written = c.store().write_tracking(rows) if len(rows) else 0
    if written:
        c.bump("tracking")
    if removes:
        st.session_state["sl_exclude"] = list(dict.fromkeys([*st.session_state["sl_exclude"], *removes]))
        st.session_state["sl_include"] = [p for p in st.session_state["sl_include"] if p not in set(removes)]
    st.session_state["editor_round"] += 1
    st.session_state["sl_saved"] = f"Saved {written} relationship(s); removed {len(removes)}."


b = st.columns([1, 2, 3])
if b[0].button("Save", type="primary", key="sl_save"):
    after = edited.drop(columns=["remove"]).assign(pid=edited.index)
    try:
        changes = tracking.tracking_changes(table.assign(pid=table.index), after)  # only what was edited
    except ValueError as err:
        st.error(str(err))
        st.stop()
    _save(changes, edited.index[edited["remove"].astype(bool)].tolist())
    st.rerun()
if b[1].button("Record owners (stage 'to contact')", key="sl_assign", disabled="owner" not in sl):
    rows = tracking.assignment_rows(sl, people)
    _save(tracking.tracking_changes(stored, rows), [])
    st.rerun()
if msg := st.session_state.pop("sl_saved", None):
    b[2].success(msg)

# -- export ---------------------------------------------------------------------------------------
st.subheader("Export")
export = sl.drop(columns=["pid"])
x = st.columns(4)
x[0].download_button("CSV", lambda: views.file_bytes(lambda p: sl_lib.write_csv(export, p), ".csv"),
                     file_name="shortlist.csv", mime="text/csv", key="sl_csv", on_click="ignore", icon=":material/download:")  # fmt: skip
x[1].download_button(
    "XLSX (sheet per member)", lambda: views.file_bytes(lambda p: sl_lib.write_xlsx(export, p, team=team_spec), ".xlsx"),
    file_name="shortlist.xlsx", key="sl_xlsx", on_click="ignore", icon=":material/download:",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)  # fmt: skip
try:
    from loaders.gephi import write_graph
except ImportError:
    write_graph = None
if write_graph is None:
    x[2].caption("GraphML/GEXF export needs loaders.gephi.")
else:
    nodes, tables = views.subgraph_tables(people, c.edges(V[:2]), sl["pid"].tolist())
    if "owner" in sl:
        nodes["owner"] = sl["owner"].to_numpy()
    for i, ext in enumerate(("graphml", "gexf")):
        x[2 + i].download_button(
            f"{ext.upper()} (subgraph)", lambda e=ext: views.file_bytes(write_graph, f".{e}", nodes, tables),
            file_name=f"shortlist.{ext}", mime="application/xml", key=f"sl_{ext}", on_click="ignore",
            icon=":material/download:",
        )  # fmt: skip
