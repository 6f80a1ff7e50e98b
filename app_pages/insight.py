"""Insight: score distributions, how the metrics agree, community sizes, and relay
activity over time (Altair charts built in graph.views.charts)."""

import streamlit as st

from app_pages import _common as c
from graph.views import charts

V = c.versions()
st.title("Insight")
st.caption(
    "How the metrics are distributed and how far they agree: followers alone say little about who is relayed."
)
people = c.ranked_people_or_stop(V)
metrics = c.metric_options(people)


@st.cache_data(max_entries=4, show_spinner="Correlating metrics…")
def correlation(V, top_fraction):
    from graph.ranking.correlation import metric_correlation, top_rows

    people = c.people(V)
    return metric_correlation(people, top_fraction=top_fraction), len(top_rows(people, top_fraction))


@st.cache_data(max_entries=4, show_spinner=False)
def timeline(V, freq: str):
    return charts.timeline_frame(c.relay_events(V), freq=freq)


left, right = st.columns(2)
with left:
    h = st.columns([2, 1])
    metric = h[0].selectbox("Metric", metrics, key="in_metric")
    log = h[1].checkbox("Log scale", metric not in ("score",), key="in_log")
    st.altair_chart(charts.histogram_chart(charts.histogram_frame(people[metric], log=log), metric, log=log))
    st.altair_chart(charts.community_chart(charts.community_frame(people, c.community_labels(V))))
with right:
    no_follows = "followers" not in people or people["followers"].nunique(dropna=True) <= 1
    top10 = st.toggle("Only the top 10% by followers", key="in_top10", disabled=no_follows,
                      help="No follow data in this graph" if no_follows else None)  # fmt: skip
    matrix, used = correlation(V, 0.1 if top10 else None)
    st.altair_chart(charts.correlation_chart(charts.correlation_frame(matrix)))
    st.caption(
        f"Spearman rank correlation over {used:,} people. Cha et al. (2010), "
        "all Twitter users: followers vs retweets 0.55, vs mentions 0.64; among the top 10%: 0.12 and 0.29. "
        "Followers alone say little about who gets relayed."
    )
    s = st.columns(2)
    x = s[0].selectbox(
        "x", metrics, index=metrics.index("followers") if "followers" in metrics else 0, key="in_x"
    )
    y = s[1].selectbox("y", metrics, index=metrics.index("relays_received") if "relays_received" in metrics else 0,
                       key="in_y")  # fmt: skip
    st.altair_chart(charts.scatter_chart(charts.scatter_frame(people, x, y), x, y))

st.subheader("Relay activity over time")
freq = st.radio("Per", ["D", "W", "MS"], index=1, horizontal=True, key="in_freq",
                format_func={"D": "day", "W": "week", "MS": "month"}.get)  # fmt: skip
frame = timeline(V, freq)
if frame.empty:
    st.info("This data has no timestamped relays (e.g. a follow graph only).")
else:
    st.altair_chart(charts.timeline_chart(frame))

# -- does the shortlist work? --------------------------------------------------------------------
st.subheader("Does the shortlist work? (backtest)")
st.caption(
    "Pick on the relays before a cut, then count who really relayed the picks after it. Every method of the "
    "product next to the simple ways a team could pick (top by relays, by followers, …), the oracle that knows "
    "the future as the ceiling; bars show ± one standard error (paired bootstrap over cascades)."
)
with st.form("in_bt_form"):
    b = st.columns([2, 2, 1])
    fraction = b[0].slider("Cut at this share of the relays", 0.1, 0.9, 0.5, 0.1, key="in_bt_fraction")
    sizes = b[1].multiselect("Shortlist sizes", [25, 50, 100, 200, 300, 500], [50, 100, 300], key="in_bt_sizes")
    resamples = b[2].number_input("Resamples", 0, 1000, 100, step=50, key="in_bt_boot")
    run_bt = st.form_submit_button("Run the backtest", icon=":material/query_stats:", key="in_bt_run")
if run_bt:
    from graph.errors import InfluenceError
    from graph.jobs.backtest import backtest

    bar = st.progress(0.0, text="backtest…")
    try:
        result = backtest(c.store(), fraction=fraction, top=sizes or [50], bootstrap=int(resamples),
                          progress=lambda d, t, label: bar.progress(d / max(t, 1), text=f"picking: {label}"))  # fmt: skip
        st.session_state["in_bt"] = (V, result)
        bar.empty()
    except InfluenceError as err:
        bar.empty()
        st.error(f"Cannot backtest this graph: {err}")
if (saved_bt := st.session_state.get("in_bt")) and saved_bt[0] == V:
    result = saved_bt[1]
    i = result.info
    st.caption(f"Cut at {str(i['T'])[:16]}: {i['n_past']:,} relays before, {i['n_future']:,} after, "
               f"in {i['n_units']:,} cascades.")  # fmt: skip
    c.show_backtest(result)
