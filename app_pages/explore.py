"""Explore (strategist): the network of who matters, ego networks, the person panel.

pyvis sends no click events back to Python, so a person is picked with the
search box; the network highlights them and the panel below describes them.
"""

import streamlit as st

from app_pages import _common as c
from app_pages import _relations as rel
from graph.views import people as views
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
n = top[2].slider("People drawn", 25, 2000, 200, step=25, key="ex_n", help="Top N by the metric (ego: most).")
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
s = st.columns([1.2, 2, 1])
query = s[0].text_input("Find a person", key="ex_search", placeholder="handle or name")
found = views.search_people(people, query) if query else people.head(100)
options = found["pid"].tolist()
names = c.handles(V)
if st.session_state["selected"] in names and st.session_state["selected"] not in options:
    options = [st.session_state["selected"], *options]


def _label(pid: str) -> str:
    return f"@{names.get(pid, pid)}"


if not options:
    s[1].warning(f"Nobody matches {query!r}.")
    pid = st.session_state["selected"]
else:
    default = options.index(st.session_state["selected"]) if st.session_state["selected"] in options else 0
    pid = s[1].selectbox("Person (the graph can't be clicked: pick here)", options, index=default,
                         format_func=_label, key=f"ex_person_{query}")  # fmt: skip
    st.session_state["selected"] = pid
hops = s[2].radio("Ego hops", [1, 2], horizontal=True, key="ex_hops")


@st.cache_data(max_entries=16, show_spinner="Choosing who to draw…")
def select(V, mode, metric, n, comms, topics, pct, kinds, center, hops, rising=False):
    """The people and edges to draw, and their positions (independent of colours)."""
    people, E = c.people(V), c.edges(V[:2])
    notes = []
    if n > views.MAX_DRAWN:
        notes.append(
            f"Drawing {views.MAX_DRAWN:,}, not {n:,}: past ~1,500 nodes the browser view becomes unusable."
        )
        n = views.MAX_DRAWN
    if mode == "Ego network" and center:
        prio = c.priority(V, metric)
        pids = views.ego_pids(E, center, hops=hops, limit=n, priority=prio, kinds=kinds)
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
    return shown, e, xy, notes


@st.cache_data(max_entries=32, show_spinner="Drawing the network…")
def draw(V, what, color_by, highlight):
    shown, e, xy, notes = select(V, *what)
    brokers = c.brokers(V) & set(shown["pid"])
    page = network_html(
        shown, e, color_by=color_by, size_by=what[1], highlight=highlight, brokers=brokers, positions=xy
    )
    return page, len(shown), len(e), notes


highlight = (pid,) if pid else ()
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
page, n_nodes, n_edges, notes = draw(V, what, color_by, highlight)
for note in notes:
    st.info(note)
title = (
    f"ego network of {_label(pid)} ({hops} hop{'s' if hops > 1 else ''})"
    if mode == "Ego network"
    else f"top {n_nodes:,} {'rising voices ' if rising else ''}by {metric}"
)
st.caption(
    f"{title}: {n_nodes:,} people, {n_edges:,} edges. Size = {metric} · colour = {color_by} · "
    "◆ broker between communities · red border = selected or added to the shortlist · "
    "grey edges follow, red edges relay. Hover a node for details; scroll to zoom, drag to pan."
)
c.show_html(page, 720)

# -- the person panel --------------------------------------------------------------------------
if pid is None:
    st.stop()
row = people.loc[people["pid"] == pid].iloc[0].to_dict()
st.divider()
p1, p2, p3 = st.columns([1.2, 1.3, 1])
with p1:
    st.subheader(f"@{row.get('handle')}")
    if views.present(row.get("name")) and row["name"]:
        st.markdown(f"**{row['name']}**")
    if views.present(row.get("bio")) and row["bio"]:
        st.write(row["bio"])
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
    flags = views.person_flags(row, brokers=c.brokers(V), shortlisted=on_list)
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
    scores = views.score_rows(row)
    st.dataframe(
        scores, hide_index=True, height=38 + 35 * len(scores),
        column_config={"percentile": st.column_config.ProgressColumn("percentile", min_value=0, max_value=100,
                                                                      format="%.0f")},
    )  # fmt: skip
with p3:
    st.markdown("**Top relayers** (who relays their posts)")
    relayers = views.top_relayers(E["relays"], pid)
    if relayers.empty:
        st.caption("Nobody relays them in this data.")
    else:
        relayers.insert(0, "handle", [names.get(x, x) for x in relayers["pid"]])
        st.dataframe(relayers[["handle", "relays"]], hide_index=True)
rel.card(V, pid, flags)
