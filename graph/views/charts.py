"""Altair charts for the Insight page, built from small pre-aggregated frames.

Each chart has a ``*_frame`` function that aggregates in pandas (so a chart
never embeds one row per person: Altair/Vega would ship them all to the
browser) and a ``*_chart`` function that draws it.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

__all__ = [
    "histogram_frame",
    "histogram_chart",
    "correlation_frame",
    "correlation_chart",
    "community_frame",
    "community_chart",
    "timeline_frame",
    "timeline_chart",
    "scatter_frame",
    "scatter_chart",
    "backtest_frame",
    "backtest_chart",
]


def histogram_frame(values: pd.Series, *, bins: int = 40, log: bool = False) -> pd.DataFrame:
    """Counts per bin: ``start, end, people``; with ``log``, the bins (and their
    edges) are in ``log10(1 + x)``, for heavy-tailed metrics.

    >>> histogram_frame(pd.Series([0, 1, 1, 2, None]), bins=2)
       start  end  people
    0    0.0  1.0       1
    1    1.0  2.0       3
    """
    x = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
    if not len(x):
        return pd.DataFrame({"start": [], "end": [], "people": []})
    t = np.log10(1 + np.clip(x, 0, None)) if log else x
    counts, edges = np.histogram(t, bins=bins)
    return pd.DataFrame({"start": edges[:-1], "end": edges[1:], "people": counts})


def histogram_chart(frame: pd.DataFrame, metric: str, *, log: bool = False) -> alt.Chart:
    """Bars of :func:`histogram_frame` (``log``: its bins are in ``log10(1 + x)``).

    >>> histogram_chart(histogram_frame(pd.Series([1, 2, 3])), "score").to_dict()["mark"]["type"]
    'bar'
    """
    title = f"log10(1 + {metric})" if log else metric
    return (
        alt.Chart(frame, title=f"Distribution of {metric}")
        .mark_bar(color="#4e79a7")
        .encode(
            x=alt.X("start:Q", bin="binned", title=title),
            x2="end:Q",
            y=alt.Y("people:Q", title="people"),
            tooltip=[alt.Tooltip("start:Q", format=",.4g"), alt.Tooltip("end:Q", format=",.4g"), "people:Q"],
        )
        .properties(height=260)
    )


def correlation_frame(matrix: pd.DataFrame) -> pd.DataFrame:
    """A square correlation matrix in long form: ``a, b, rho``.

    >>> m = pd.DataFrame([[1.0, 0.5], [0.5, 1.0]], index=["x", "y"], columns=["x", "y"])
    >>> correlation_frame(m).values.tolist()
    [['x', 'x', 1.0], ['x', 'y', 0.5], ['y', 'x', 0.5], ['y', 'y', 1.0]]
    """
    long = matrix.rename_axis(index="a", columns="b").stack(future_stack=True).rename("rho").reset_index()
    long["a"], long["b"] = long["a"].astype(str), long["b"].astype(str)
    return long


def correlation_chart(frame: pd.DataFrame) -> alt.LayerChart:
    """Heatmap of Spearman rho with the value printed in each cell.

    >>> m = pd.DataFrame([[1.0, 0.5], [0.5, 1.0]], index=["x", "y"], columns=["x", "y"])
    >>> len(correlation_chart(correlation_frame(m)).to_dict()["layer"])
    2
    """
    order = list(dict.fromkeys(frame["a"]))
    base = alt.Chart(frame, title="Spearman rank correlation between metrics").encode(
        x=alt.X("b:N", sort=order, title=None, axis=alt.Axis(labelAngle=-40, labelOverlap=False)),
        y=alt.Y("a:N", sort=order, title=None),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("rho:Q", scale=alt.Scale(scheme="redblue", domain=[-1, 1]), title="rho"),
        tooltip=["a:N", "b:N", alt.Tooltip("rho:Q", format=".3f")],
    )
    text = base.mark_text(fontSize=10).encode(
        text=alt.Text("rho:Q", format=".2f"),
        color=alt.condition("abs(datum.rho) > 0.6", alt.value("white"), alt.value("black")),
    )
    return (cells + text).properties(height=alt.Step(30), width=alt.Step(42))


def community_frame(
    people: pd.DataFrame, labels: dict[int, str] | None = None, *, top: int = 25
) -> pd.DataFrame:
    """People per community, largest first: ``community, label, people`` (the
    rest summed as ``other``).

    >>> community_frame(pd.DataFrame({"community": [1, 1, 0, 2]}), {1: "#v60"}, top=2).values.tolist()
    [['1', '1 #v60', 2], ['0', '0', 1], ['other', 'other (1 communities)', 1]]
    """
    sizes = people["community"].dropna().astype(int).value_counts()
    sizes = sizes.sort_values(ascending=False, kind="stable")
    head, rest = sizes.head(top), sizes.iloc[top:]
    labels = labels or {}
    rows = [
        {"community": str(c), "label": f"{c} {labels[c]}" if c in labels else str(c), "people": int(n)}
        for c, n in head.items()
    ]
    if len(rest):
        rows.append(
            {"community": "other", "label": f"other ({len(rest)} communities)", "people": int(rest.sum())}
        )
    return pd.DataFrame(rows, columns=["community", "label", "people"])


def community_chart(frame: pd.DataFrame) -> alt.Chart:
    """Horizontal bars of :func:`community_frame`, in its order (largest first, ``other`` last).

    >>> community_chart(community_frame(pd.DataFrame({"community": [0]}))).to_dict()["mark"]["type"]
    'bar'
    """
    return (
        alt.Chart(frame, title="Community sizes")
        .mark_bar(color="#59a14f")
        .encode(
            x=alt.X("people:Q", title="people"),
            y=alt.Y("label:N", sort=None, title=None),
            tooltip=["label:N", "people:Q"],
        )
        .properties(height=alt.Step(22))
    )


def timeline_frame(events: pd.DataFrame, *, freq: str = "W") -> pd.DataFrame:
    """Relays per period and kind: ``period, kind, relays`` (events without a time dropped).

    >>> e = pd.DataFrame({"kind": ["retweet", "quote", "retweet"],
    ...                   "at": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-02-10"])})
    >>> timeline_frame(e, freq="MS").values.tolist()
    [[Timestamp('2025-01-01 00:00:00'), 'quote', 1], [Timestamp('2025-01-01 00:00:00'), 'retweet', 1], [Timestamp('2025-02-01 00:00:00'), 'retweet', 1]]
    """
    if events.empty or "at" not in events:
        return pd.DataFrame({"period": [], "kind": [], "relays": []})
    at = pd.to_datetime(events["at"], errors="coerce", utc=True).dt.tz_localize(None)
    ev = pd.DataFrame(
        {"at": at, "kind": events.get("kind", pd.Series("relay", index=events.index)).fillna("relay")}
    )
    ev = ev.dropna(subset=["at"])
    if ev.empty:
        return pd.DataFrame({"period": [], "kind": [], "relays": []})
    out = ev.groupby([pd.Grouper(key="at", freq=freq), "kind"]).size().rename("relays").reset_index()
    return out.rename(columns={"at": "period"}).astype({"kind": str})


def timeline_chart(frame: pd.DataFrame) -> alt.Chart:
    """Stacked area of relays over time by kind.

    >>> timeline_chart(pd.DataFrame({"period": [], "kind": [], "relays": []})).to_dict()["mark"]["type"]
    'area'
    """
    return (
        alt.Chart(frame)
        .mark_area(opacity=0.85)
        .encode(
            x=alt.X("period:T", title=None),
            y=alt.Y("relays:Q", stack=True, title="relays"),
            color=alt.Color("kind:N", title="kind"),
            tooltip=[alt.Tooltip("period:T"), "kind:N", "relays:Q"],
        )
        .properties(height=260)
    )


def scatter_frame(people: pd.DataFrame, x: str, y: str, *, top: int = 3000) -> pd.DataFrame:
    """The ``top`` people by score (else first rows): ``handle, x, y, community``
    plus ``x_plus_1, y_plus_1`` for log axes that keep zeros.

    >>> scatter_frame(pd.DataFrame({"handle": ["a", "b"], "score": [1, 2], "f": [3, 4], "r": [0, 6]}),
    ...               "f", "r", top=1).values.tolist()
    [['b', 4, 6, 5, 7]]
    """
    cols = [c for c in dict.fromkeys(("handle", x, y, "community")) if c in people]
    ranked = people.sort_values("score", ascending=False) if "score" in people else people
    out = ranked[cols].dropna(subset=[x, y]).head(top).reset_index(drop=True)
    out["x_plus_1"] = out[x] + 1
    out["y_plus_1"] = out[y] + 1
    return out


def scatter_chart(frame: pd.DataFrame, x: str, y: str) -> alt.Chart:
    """Log-log scatter of ``1 + value`` (zeros stay visible), coloured by community
    with the network's palette.

    >>> f = scatter_frame(pd.DataFrame({"handle": ["a"], "f": [1], "r": [2]}), "f", "r")
    >>> scatter_chart(f, "f", "r").to_dict()["mark"]["type"]
    'circle'
    """
    from graph.views.drawing import PALETTE

    color = (
        alt.Color("community:N", legend=None, scale=alt.Scale(range=list(PALETTE)))
        if "community" in frame
        else alt.value("#4e79a7")
    )
    return (
        alt.Chart(frame, title=f"{y} against {x} (top {len(frame):,} by score)")
        .mark_circle(size=26, opacity=0.55)
        .encode(
            x=alt.X("x_plus_1:Q", scale=alt.Scale(type="log"), title=f"1 + {x}"),
            y=alt.Y("y_plus_1:Q", scale=alt.Scale(type="log"), title=f"1 + {y}"),
            color=color,
            tooltip=["handle:N", f"{x}:Q", f"{y}:Q"],
        )
        .properties(height=320)
    )


def backtest_frame(table: pd.DataFrame) -> pd.DataFrame:
    """Future reach per method and k, with a ±1 standard-error band around each bar:
    ``method, k, reached, low, high`` (the oracle and random kept: ceiling and floor).

    >>> t = pd.DataFrame({"method": ["set"], "k": [50], "audience": [10.0], "se_audience": [2.0]})
    >>> backtest_frame(t)[["reached", "low", "high"]].values.tolist()
    [[10.0, 8.0, 12.0]]
    """
    from graph.views.backtest import METHOD_NAMES

    se = table["se_audience"].fillna(0.0) if "se_audience" in table else 0.0
    return pd.DataFrame({
        "method": [METHOD_NAMES.get(m, m).split(" (")[0].split(": ")[-1] for m in table["method"]],
        "key": table["method"].to_numpy(),
        "k": table["k"].astype(int).to_numpy(),
        "reached": table["audience"].to_numpy(dtype=float),
        "low": (table["audience"] - se).to_numpy(dtype=float),
        "high": (table["audience"] + se).to_numpy(dtype=float),
    })  # fmt: skip


def backtest_chart(frame: pd.DataFrame) -> alt.Chart:
    """Bars of future reach per method, one panel per shortlist size; ours highlighted."""
    base = alt.Chart(frame).encode(y=alt.Y("method:N", sort="-x", title=None, axis=alt.Axis(labelLimit=240)))
    bars = base.mark_bar().encode(
        x=alt.X("reached:Q", title="distinct people who relayed the picks later"),
        color=alt.condition(alt.datum.key == "set", alt.value("#4e79a7"), alt.value("#bab0ac")),
        tooltip=["method:N", "k:O", alt.Tooltip("reached:Q", format=",.0f")],
    )
    err = base.mark_errorbar().encode(x=alt.X("low:Q", title="distinct people who relayed the picks later"), x2="high:Q")
    return (bars + err).properties(height=220, width=260).facet(
        column=alt.Column("k:O", title="shortlist size k")
    )
