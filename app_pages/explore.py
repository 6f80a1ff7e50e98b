"""Explore (strategist): the network of who matters, ego networks, the person panel.

A person is picked by clicking them in the network (a small component sends the
click back), or by the search box (Enter selects the best match); the network rings
them and the panel below says who they are and why they matter.
"""

import streamlit as st

from app_pages import _common as c
from app_pages import _relations as rel
from app_pages._network import assets_url, clickable_network
from graph.views import people as views
from graph.views import person as panel
from graph.views.drawing import layout, network_html

V = c.versions()
st.title("Explore")
st.caption("Who matters in the niche, who relays whom, and who bridges communities.")
if c.need_data(V):
    st.stop()

cols = st.columns(5)
for col, (label, value) in zip(cols, c.overview(c.counts(V)).items(), strict=False):
    col.metric(label, f"{value:,}")
cols[4].metric("Store", c.store().name.split(" ")[0], help=c.settings().describe())

people = c.people(V)
if c.need_ranking(people):
    st.stop()
E = c.edges(V[:2])
labels = c.community_labels(V)
metrics = c.metric_options(people)


def _community(x) -> str:
    return f"{x} {labels[x]}" if x in labels else str(x)


# -- what to draw ------------------------------------------------------------------------
top = st.columns([1.4, 1.2, 2.2, 1.2])
mode = top[0].radio("View", ["Top N", "Ego network"], horizontal=True, key="ex_mode")
metric = top[1].selectbox("Rank and size by", metrics, key="ex_metric")
n = top[2].slider("People drawn", 25, views.MAX_DRAWN, 200, step=25, key="ex_n",
                  help=f"Top N by the metric (ego network: at most N). At most {views.MAX_DRAWN:,}: past ~1,500 "
                  "people the browser view becomes unusable.")  # fmt: skip
color_by = top[3].selectbox("Colour by", ["community", *metrics], key="ex_color")

with st.expander("Filters"):
    f = st.columns([1.3, 1.3, 1.2, 1])
    comm_ids = sorted(int(x) for x in people["community"].dropna().unique()) if "community" in people else []
    comms = f[0].multiselect("Communities", comm_ids, format_func=_community, key="ex_comms")
    topics = f[1].multiselect("Topics", c.hashtags(V), key="ex_topics")
    pct = f[2].slider(
        f"{metric} percentile range",
        0,
        100,
        (0, 100),
        key="ex_pct",
        help="Communities, topics and this range apply to the top N view; edges to both.",
    )
    kinds = f[3].multiselect(
        "Edges", ["follows", "relays", "mentions"], ["follows", "relays"], key="ex_kinds"
    )
    rising = st.checkbox("Rising voices only (relays and mentions received growing fast lately)", key="ex_rising")

# -- the person ------------------------------------------------------------------------------
@st.cache_data(max_entries=2, show_spinner=False)
def person_labels(V) -> dict[str, str]:
    """pid -> "@handle — Name" (what the person box lists)."""
    p = c.people(V)
    names = p["name"] if "name" in p else [None] * len(p)
    return {pid: panel.person_label(h, nm) for pid, h, nm in zip(p["pid"], p["handle"], names, strict=True)}


def _select(pid: str) -> None:
    st.session_state["selected"] = pid
    st.session_state["ex_person"] = pid  # the box follows


def _searched() -> None:
    """Enter in the search box selects the best match (a miss keeps the person shown)."""
    found = views.search_people(c.people(c.versions()), st.session_state["ex_search"], limit=1)
    if len(found):
        _select(found["pid"].iloc[0])


def _clicked() -> None:
    """A click on a person in the network selects them."""
    value = st.session_state.get("ex_net") or {}
    if value.get("pid") in c.handles(c.versions()):
        _select(value["pid"])


def _picked() -> None:
    st.session_state["selected"] = st.session_state["ex_person"]


s = st.columns([1.2, 2, 1])
query = s[0].text_input("Find a person", key="ex_search", placeholder="handle or name, then Enter",
                        on_change=_searched)  # fmt: skip
found = views.search_people(people, query) if query.strip() else people.head(0)
if query.strip() and found.empty:
    s[0].warning(f"Nobody matches {query.strip()!r}.")
options = (found if len(found) else people.head(100))["pid"].tolist()
labels_of = person_labels(V)
if st.session_state["selected"] not in labels_of:
    st.session_state["selected"] = options[0]
pid = st.session_state["selected"]
if pid not in options:
    options = [pid, *options]
if st.session_state.get("ex_person") != pid:
    st.session_state["ex_person"] = pid
s[1].selectbox(
    "Person (or click one in the network)", options, format_func=labels_of.get, key="ex_person", on_change=_picked,
    help=f"{len(found):,} match{'es' if len(found) != 1 else ''} for {query.strip()!r}" if len(found) else None,
)  # fmt: skip
hops = s[2].radio("Ego hops", [1, 2], horizontal=True, key="ex_hops")


@st.cache_data(max_entries=16, show_spinner="Choosing who to draw…")
def select(V, mode, metric, n, comms, topics, pct, kinds, center, hops, rising=False):
    """The people and edges to draw, their positions (independent of colours), notes, and
    how many people an ego network has in all."""
    people, E = c.people(V), c.edges(V[:2])
    notes = []
    n = min(n, views.MAX_DRAWN)
    total = 0
    if mode == "Ego network" and center:
        prio = c.priority(V, metric)
        pids, total = views.ego_network(E, center, hops=hops, limit=n, priority=prio, kinds=kinds)
        shown = people.set_index("pid").reindex(pids).reset_index()
    else:
        lo, hi = (
            people[metric].quantile([pct[0] / 100, pct[1] / 100]).tolist()
            if pct != (0, 100)
            else (None, None)
        )
        pool = views.filter_people(people, communities=comms, topics=topics, metric=metric, lo=lo, hi=hi)
        if rising:
            pool = pool[pool["pid"].isin(rel.rising_pids(V))]
        shown = views.top_people(pool, metric, n)
    every = views.subgraph_edges(E, shown["pid"], kinds=kinds)
    e = views.heaviest(every)
    if len(every) > len(e):
        notes.append(f"Showing the {len(e):,} heaviest of {len(every):,} edges.")
    xy = layout(shown["pid"].astype(str).tolist(), e)
    return shown, e, xy, notes, total


@st.cache_data(max_entries=32, show_spinner="Drawing the network…")
def draw(V, what, color_by, assets):
    """The network page (vis-network loaded from ``assets``, not inlined); the selected
    person is ringed by the component, not here, so selecting someone else needs no new drawing."""
    shown, e, xy, notes, total = select(V, *what)
    brokers = c.brokers(V) & set(shown["pid"])
    page = network_html(
        shown, e, color_by=color_by, size_by=what[1], brokers=brokers, positions=xy,
        community_names=c.community_labels(V), clickable=True, assets=assets,
    )  # fmt: skip
    return page, len(shown), len(e), notes, total


ego = mode == "Ego network"
what = (
    mode,
    metric,
    n,
    tuple(comms),
    tuple(topics),
    tuple(pct),
    tuple(kinds),
    pid if ego else None,
    hops if ego else 0,
    rising and not ego,
)
page, n_nodes, n_edges, notes, total = draw(V, what, color_by, assets_url())
for note in notes:
    st.info(note)
if ego:
    title = f"ego network of {labels_of[pid]} ({hops} hop{'s' if hops > 1 else ''})"
    if total > n_nodes:
        title += f": showing the {n_nodes:,} most relevant (by {metric}) of {total:,} people"
else:
    title = f"top {n_nodes:,} {'rising voices ' if rising else ''}by {metric}"
st.caption(
    f"{title}: {n_nodes:,} people, {n_edges:,} edges. Click a person to select them; hover for details; "
    "scroll to zoom, drag to pan. The legend (top left) says what colours, shapes and lines mean."
)
clickable_network(page, selected=pid, height=720, key="ex_net", on_click=_clicked)


# -- the person panel --------------------------------------------------------------------------
@st.cache_data(max_entries=2, show_spinner=False)
def no_data(V) -> set[str]:
    return panel.metrics_without_data(c.people(V))


@st.cache_data(max_entries=64, show_spinner=False)
def why(V, pid: str) -> str:
    saved = c.saved_list(V)
    gain = saved.loc[saved["pid"] == pid, "sl_gain"] if "sl_gain" in saved else saved.head(0)
    return panel.why_they_matter(
        c.people(V), pid, relay_events=c.relay_events(V), follows=c.edges(V[:2])["follows"],
        labels=c.community_labels(V), no_data=no_data(V), gain=float(gain.iloc[0]) if len(gain) else None,
    )  # fmt: skip


names = c.handles(V)
row = people.loc[people["pid"] == pid].iloc[0].to_dict()
st.divider()
p1, p2, p3 = st.columns([1.2, 1.3, 1])
with p1:
    st.subheader(f"@{row.get('handle')}")
    if views.present(row.get("name")) and row["name"]:
        st.markdown(f"**{row['name']}**")
    if views.present(row.get("bio")) and row["bio"]:
        st.write(row["bio"])
    if reason := why(V, pid):
        st.markdown(f"**Why they matter:** {reason}")
    facts = [f"platform {row.get('platform')}"]
    if views.present(row.get("followers_count")):
        facts.append(f"{int(row['followers_count']):,} followers declared")
    if views.present(row.get("community")):
        facts.append(f"community {_community(int(row['community']))}")
    st.caption(" · ".join(facts))
    topics_of = row.get("topics")
    if views.present(topics_of) and len(topics_of):
        st.markdown("**Topics** " + " ".join(f"`{t}`" for t in topics_of))
    on_list = set(c.saved_list(V)["pid"])
    flags = panel.person_flags(row, brokers=c.brokers(V), shortlisted=on_list)
    if flags:
        st.markdown(" ".join(f":orange-badge[{f}]" for f in flags))
    b1, b2 = st.columns(2)
    added = pid in on_list
    b1.button("Added ✓" if added else "Add to shortlist", key="ex_add", disabled=added,
              on_click=c.add_to_shortlist, args=(pid,), type="primary")  # fmt: skip
    b2.button(
        "Show ego network", key="ex_ego", on_click=lambda: st.session_state.update(ex_mode="Ego network")
    )
with p2:
    st.markdown("**Scores** (percentile among everyone)")
    scores = panel.score_table(panel.score_rows(row, no_data=no_data(V)))
    st.dataframe(
        scores, hide_index=True, height=38 + 35 * len(scores), placeholder="",
        column_config={
            "metric": st.column_config.TextColumn("metric", width=125),
            "value": st.column_config.TextColumn("value", width=100,
                                                 help="'no relay data': this graph has none to rank people by"),
            "percentile": st.column_config.ProgressColumn("percentile", min_value=0, max_value=100, format="%.0f",
                                                          width=100),
        },
    )  # fmt: skip
with p3:
    st.markdown("**Top relayers** (who relays their posts)")
    relayers = views.top_relayers(E["relays"], pid)
    if relayers.empty:
        st.caption("No relay data in this graph." if "relays_received" in no_data(V) else "Nobody relays them here.")
    else:
        relayers.insert(0, "handle", [names.get(x, x) for x in relayers["pid"]])
        st.dataframe(relayers[["handle", "relays"]], hide_index=True)
rel.card(V, pid, flags)
