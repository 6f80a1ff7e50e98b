"""Shortlist (team lead): the team's one shared list, kept in the graph. Build or rebuild it,
edit owners/stages/notes/contacts, lock or remove people, see who went cold, export it.
Every rule lives in graph.jobs.shortlist; this page only wires widgets to it."""

import datetime as dt

import pandas as pd
import streamlit as st

from app_pages import _common as c
from graph.errors import InfluenceError
from graph.jobs import shortlist as jobs
from graph.model import STAGES
from graph.shortlist import saved as saved_lib
from graph.shortlist import tracking
from graph.shortlist.export import export_table, write_table
from graph.shortlist.request import METHODS, ShortlistRequest, parse_team
from graph.shortlist.team import team_summary
from graph.views import people as views
from graph.views.columns import LIST_COLUMNS
from graph.views.person import person_label

V = c.versions()
st.title("Shortlist")
st.caption(
    "One list for the whole team, kept in the graph: everyone (and the CLI) sees the same people, owners, "
    "stages and notes. Locked people stay on it when you rebuild; removed people stay off until restored."
)
people = c.ranked_people_or_stop(V)
names = c.handles(V)
saved = c.saved_list(V)
relevance_known = "pct_relevance" in people and people["pct_relevance"].notna().any()

# -- build -------------------------------------------------------------------------------------
with st.expander("Build or rebuild the list", expanded=saved.empty):
    with st.form("sl_form"):
        f = st.columns([2.2, 1, 1.6, 1, 1.2, 1.2])
        method = f[0].radio("Method", list(METHODS), format_func=METHODS.get, key="sl_method")
        top = f[1].number_input("Size", 1, 5000, min(300, len(people)), step=10, key="sl_top")
        team = f[2].text_input("Team (names or a number)", "ana, ben, caro", key="sl_team")
        capacity = f[3].number_input("People each", 1, 10000, 150, step=10, key="sl_capacity")
        max_pc = f[4].number_input("Max per community (0 = no cap)", 0, 5000, 0, key="sl_maxpc")
        min_rel = f[5].number_input("Min relevance percentile (0 = any)", 0, 100, 0, key="sl_minrel",
                                    disabled=not relevance_known,
                                    help="Needs topics: rank with niche hashtags on the Data page.")  # fmt: skip
        keep_declined = st.checkbox("Also pick people who declined", False, key="sl_keep_declined")
        go = st.form_submit_button("Build shortlist", type="primary", key="sl_build")
    if go:
        bar = st.progress(0.0, text="building…")
        try:
            request = ShortlistRequest(
                top=int(top), method=method, team=parse_team(team), capacity=int(capacity),
                max_per_community=int(max_pc) or None, min_relevance=float(min_rel) or None,
                keep_declined=keep_declined,
            )  # fmt: skip
            with c.write_lock():
                result = jobs.build_shortlist(
                    c.store(), request, progress=lambda d, t, label: bar.progress(d / max(t, 1), text=label)
                )
            c.bump("tracking")
            st.session_state["sl_notes"] = [f"Saved a shortlist of {len(result):,} people.", *result.notes]
            st.rerun()
        except InfluenceError as err:
            bar.empty()
            st.error(f"Could not build the shortlist: {err}")

for note in st.session_state.pop("sl_notes", []):
    st.info(note)

# -- add a person -------------------------------------------------------------------------------
a = st.columns([1.2, 2, 1])
query = a[0].text_input("Add a person", key="sl_search", placeholder="handle or name")
matches = views.search_people(people, query) if query else people.head(0)
found = matches["pid"].tolist()
shown_as = dict(zip(found, map(person_label, matches["handle"], matches.get("name", matches["handle"])), strict=True))
pick = a[1].selectbox("Matches", found, format_func=shown_as.get, key=f"sl_match_{query}",
                      placeholder="nobody matches" if query else "type to search")  # fmt: skip
if a[2].button("Add (locked)", key="sl_add", disabled=not pick):
    with c.write_lock():
        jobs.add_to_shortlist(c.store(), [pick])
    c.bump("tracking")
    st.rerun()

if saved.empty:
    st.info("No shortlist yet: choose the options above and press **Build shortlist**.")
    st.stop()

m = st.columns(5)
m[0].metric("People", f"{len(saved):,}")
m[1].metric("Owners", f"{saved['owner'].nunique():,}" if "owner" in saved else "–")
m[2].metric("Communities", f"{saved['community'].nunique():,}" if "community" in saved else "–")
m[3].metric("Locked", f"{int(saved['locked'].astype('boolean').fillna(False).sum()):,}")
removed = saved_lib.removed_list(people)
m[4].metric("Removed", f"{len(removed):,}")

tab_list, tab_stale, tab_team, tab_removed, tab_check, tab_export = st.tabs(
    ["The list", "Not contacted lately", "Team", "Removed", "Does it work?", "Export"]
)

# -- edit + track ----------------------------------------------------------------------------------
with tab_list:
    st.caption(
        "Edit owner, stage, last contact and notes; tick **locked** to keep someone whatever a rebuild picks, "
        "**remove** to take them off; then **Save**. *Reach gain*: people this pick reaches that the ones "
        "above miss."
    )
    shown = tracking.tracking_table(saved["pid"].tolist(), people)
    table = pd.DataFrame({"rank": saved["rank"].to_numpy(), "handle": saved["handle"].to_numpy()})
    for col in ("owner", "stage", "last_contact", "notes", "locked"):
        table[col] = shown[col].to_numpy()
    table[["owner", "notes"]] = table[["owner", "notes"]].fillna("")  # empty cells, not "None"
    table["remove"] = False
    table["gain"] = pd.to_numeric(saved["sl_gain"], errors="coerce").round(1).to_numpy()
    table["why"] = saved["sl_reason"].fillna("").to_numpy()
    table.index = saved["pid"].to_numpy()
    editable = {"remove", "owner", "stage", "last_contact", "notes", "locked"}
    col = LIST_COLUMNS
    edited = st.data_editor(
        table, key=f"sl_editor_{st.session_state['editor_round']}", hide_index=True, height=460, placeholder="",
        disabled=[c_ for c_ in table.columns if c_ not in editable],
        column_config={
            "rank": st.column_config.NumberColumn(col["rank"].header, width=col["rank"].width, pinned=True),
            "handle": st.column_config.TextColumn(col["handle"].header, width=col["handle"].width, pinned=True),
            "owner": st.column_config.TextColumn(col["owner"].header, width=col["owner"].width),
            "stage": st.column_config.SelectboxColumn(col["stage"].header, options=list(STAGES),
                                                      width=col["stage"].width),
            "last_contact": st.column_config.DateColumn(col["last_contact"].header, format="YYYY-MM-DD",
                                                        width=col["last_contact"].width),
            "notes": st.column_config.TextColumn(col["notes"].header, width=col["notes"].width),
            "locked": st.column_config.CheckboxColumn(col["locked"].header, width=col["locked"].width,
                                                      help="Keep them on the list whatever a rebuild picks"),
            "remove": st.column_config.CheckboxColumn(col["remove"].header, width=col["remove"].width,
                                                      help="Take them off the list when you press Save"),
            "gain": st.column_config.NumberColumn(col["gain"].header, format="%.1f", width=col["gain"].width,
                                                  help="People this pick reaches that the ones above miss"),
            "why": st.column_config.TextColumn(col["why"].header, width=col["why"].width),
        },
    )  # fmt: skip
    if st.button("Save", type="primary", key="sl_save"):
        after = edited.drop(columns=["remove"]).assign(pid=edited.index)
        try:
            changes = tracking.tracking_changes(table.assign(pid=table.index), after)  # only what was edited
            removes = edited.index[edited["remove"].astype(bool)].tolist()
            with c.write_lock():
                n = c.store().write_tracking(changes) if len(changes) else 0
                if removes:
                    jobs.track(c.store(), removes, {"remove": True})
        except InfluenceError as err:
            st.error(str(err))
            st.stop()
        c.bump("tracking")
        st.session_state["editor_round"] += 1
        st.session_state["sl_notes"] = [f"Saved {n} relationship(s); removed {len(removes)}."]
        st.rerun()

with tab_stale:
    days = st.number_input("Not contacted in (days)", 0, 3650, saved_lib.STALE_DAYS, key="sl_stale_days")
    cold = saved_lib.stale(saved, int(days), today=dt.date.today())
    st.caption(f"{len(cold):,} people on the list not contacted in {int(days)} days, or never (declined left out).")
    view = cold[[c_ for c_ in ("rank", "handle", "owner", "stage", "last_contact", "days_since") if c_ in cold]]
    st.dataframe(view.rename(columns={"last_contact": "last contact", "days_since": "days since"}),
                 hide_index=True, height=360, placeholder="")  # fmt: skip

with tab_team:
    owners = sorted({o for o in saved["owner"].dropna() if str(o).strip()}, key=str.lower) if "owner" in saved else []
    if owners:
        st.dataframe(team_summary(saved, owners), hide_index=True, placeholder="")
    else:
        st.caption("Nobody owns anyone yet: give the team names when you build, or set owners in the list.")
    st.dataframe(tracking.stage_summary(saved), width="content")

with tab_removed:
    if removed.empty:
        st.caption("Nobody has been removed.")
    else:
        view = removed[["pid", "handle", "removed_by", "removed_at"]].set_index("pid")
        st.dataframe(view.rename(columns={"removed_by": "removed by", "removed_at": "when"}), hide_index=True)
        back = st.multiselect("Restore", view.index.tolist(), format_func=lambda p: f"@{names.get(p, p)}",
                              key="sl_restore")  # fmt: skip
        if st.button("Restore", key="sl_restore_go", disabled=not back):
            with c.write_lock():
                jobs.track(c.store(), back, {"remove": False})
            c.bump("tracking")
            st.rerun()

with tab_check:
    method = str(saved["sl_method"].dropna().iloc[0]) if saved["sl_method"].notna().any() else "set"
    k = len(saved)
    st.caption(
        f"Would this way of picking ({method}, {k:,} people) have found the people whose messages travel? "
        "Pick on the relays before a cut, count who really relayed the picks after it, and compare with the "
        "simple ways a team could pick (top by relays received, by distinct relayers, …)."
    )
    if st.button("Check against the simple ways", key="sl_check", icon=":material/query_stats:"):
        from graph.jobs.backtest import shortlist_check

        bar = st.progress(0.0, text="checking…")
        result = shortlist_check(c.store(), method, k, progress=lambda d, t, label: bar.progress(
            d / max(t, 1), text=f"picking: {label}"))  # fmt: skip
        bar.empty()
        st.session_state["sl_check_result"] = (V, method, k, result)
    if (done := st.session_state.get("sl_check_result")) and done[:3] == (V, method, k):
        result = done[3]
        if result is None:
            st.info("This graph has no timed relays (a follows-only graph), so the picks cannot be checked "
                    "against what happened next.")  # fmt: skip
        else:
            st.caption(f"Picked on the relays before {str(result.info['T'])[:10]}, counted after it.")
            c.show_backtest(result, method, label="this list")

with tab_export:
    st.caption("Made from the saved list above, with your edits: owners, stages, notes, last contact, locks.")
    all_cols = st.checkbox("CSV: add every raw metric", False, key="sl_all_columns")
    x = st.columns(4)
    x[0].download_button("CSV", lambda: views.file_bytes(lambda p: write_table(saved, p, all_columns=all_cols), ".csv"),
                         file_name="shortlist.csv", mime="text/csv", key="sl_csv", on_click="ignore",
                         icon=":material/download:")  # fmt: skip
    x[1].download_button(
        "XLSX (a sheet per owner)", lambda: views.file_bytes(lambda p: write_table(saved, p), ".xlsx"),
        file_name="shortlist.xlsx", key="sl_xlsx", on_click="ignore", icon=":material/download:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )  # fmt: skip
    for i, ext in enumerate(("graphml", "gexf")):
        x[2 + i].download_button(
            f"{ext.upper()} (the list's network)",
            lambda e=ext: views.file_bytes(lambda p: jobs.export_shortlist(c.store(), p), f".{e}"),
            file_name=f"shortlist.{ext}", mime="application/xml", key=f"sl_{ext}", on_click="ignore",
            icon=":material/download:",
        )  # fmt: skip
    st.dataframe(export_table(saved).head(20), hide_index=True, placeholder="")
