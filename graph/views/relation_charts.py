"""Altair charts of the relationship features: topic trends over time and a person's
active hours (small pre-aggregated frames, like :mod:`graph.views.charts`)."""

from __future__ import annotations

import altair as alt
import pandas as pd

__all__ = ["trend_chart", "hours_chart"]


def trend_chart(frame: pd.DataFrame) -> alt.Chart:
    """Lines of posts per period per hashtag (:func:`graph.relations.listening.topic_trends`).

    >>> f = pd.DataFrame({"period": pd.to_datetime(["2025-01-01", "2025-02-01"]), "tag": ["#v60"] * 2, "posts": [3, 5]})
    >>> trend_chart(f).to_dict()["mark"]["type"]
    'line'
    """
    return (
        alt.Chart(frame, title="What the niche talks about (posts per period, top hashtags)")
        .mark_line(point=True)
        .encode(
            x=alt.X("period:T", title=None),
            y=alt.Y("posts:Q", title="posts"),
            color=alt.Color("tag:N", title="hashtag"),
            tooltip=[alt.Tooltip("period:T", format="%Y-%m-%d"), "tag:N", "posts:Q"],
        )
        .properties(height=320)
    )


def hours_chart(hours: list[int] | pd.Series) -> alt.Chart:
    """Bars of activity (posts + relays made) per hour of the day, UTC.

    Counts are whole numbers, so the axis has whole ticks (never "0.000000"):

    >>> spec = hours_chart([0] * 9 + [2] + [0] * 14).to_dict()
    >>> spec["mark"]["type"], spec["encoding"]["y"]["axis"]["format"]
    ('bar', 'd')
    """
    frame = pd.DataFrame({"hour": range(24), "actions": list(hours)})
    return (
        alt.Chart(frame, title="Active hours (UTC): posts and relays")
        .mark_bar(color="#4e79a7")
        .encode(x=alt.X("hour:O", title="hour of day"), y=alt.Y("actions:Q", title="posts + relays", axis=alt.Axis(format="d", tickMinStep=1)),
                tooltip=["hour:O", "actions:Q"])  # fmt: skip
        .properties(height=180)
    )
