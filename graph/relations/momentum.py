"""Rising voices: people whose relays and mentions received are growing, found before
they are expensive.

For each person, events received (relays of their posts, mentions of them in post
texts: :func:`graph.relations.events.received_events`) are counted in a *recent*
window ``(now - recent_days, now]`` and in the window *before* it,
``(now - recent_days - before_days, now - recent_days]``. Growth is the recent rate
over the earlier one, with one event added to the earlier count so a person with
none before is not infinitely rising::

    growth = (recent / recent_days) / ((before + 1) / before_days)

``excess`` is how many more events the recent window holds than the earlier rate
predicts (``recent - before / before_days * recent_days``); the table is ordered by it,
so volume and growth both count (a handful of events after none is less telling
than dozens after a few). A rising voice has at least ``min_recent`` events in the recent window, spread over at
least ``min_days`` different days (one post that took off is not momentum), and a
growth of at least ``min_growth``. ``now`` defaults to the latest event in the data (exports
are snapshots: the wall clock would make every old export look silent).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["momentum", "MOMENTUM_COLUMNS"]

MOMENTUM_COLUMNS = (
    "pid", "recent", "before", "recent_days", "recent_per_day", "before_per_day", "growth", "excess", "rising",
)  # fmt: skip


def momentum(
    events: pd.DataFrame,
    *,
    now: pd.Timestamp | str | None = None,
    recent_days: int = 30,
    before_days: int = 90,
    min_recent: int = 5,
    min_days: int = 3,
    min_growth: float = 2.0,
) -> pd.DataFrame:
    """Recent vs earlier events received, per person, fastest growing first.

    Parameters
    ----------
    events : DataFrame
        ``pid, at`` (and ``kind``), one row per event received.
    now : timestamp, optional
        End of the recent window (default: the latest event).
    recent_days, before_days : int
        Window lengths in days.
    min_recent : int
        Minimum volume: fewest events in the recent window to count as rising.
    min_days : int
        Fewest different days those events fall on.
    min_growth : float
        Smallest growth to count as rising.

    Returns
    -------
    DataFrame
        ``pid, recent, before, recent_days`` (days with events in the recent window),
        ``recent_per_day, before_per_day, growth, excess, rising`` for everyone with
        an event in either window, largest ``excess`` first.

    Examples
    --------
    ``a`` got 1 event in the 90 days before and 6 in the last 30; ``b`` got 9 before
    and 3 recently; ``c`` got 2 recently (below the minimum volume).

    >>> at = pd.to_datetime(["2025-02-01"] + ["2025-04-18", "2025-04-20", "2025-04-22"] * 2
    ...                     + ["2025-02-10"] * 9 + ["2025-04-25"] * 3 + ["2025-04-30"] * 2)
    >>> ev = pd.DataFrame({"pid": ["a"] * 7 + ["b"] * 12 + ["c"] * 2, "at": at})
    >>> print(momentum(ev, now="2025-04-30", recent_days=30, before_days=90).to_string())
      pid  recent  before  recent_days  recent_per_day  before_per_day  growth  excess  rising
    0   a       6       1            3          0.2000          0.0111     9.0     5.7    True
    1   c       2       0            1          0.0667          0.0000     6.0     2.0   False
    2   b       3       9            1          0.1000          0.1000     0.9     0.0   False
    """
    if events is None or events.empty:
        return pd.DataFrame(columns=list(MOMENTUM_COLUMNS))
    at = pd.to_datetime(events["at"])
    end = at.max() if now is None else pd.Timestamp(now)
    if end.tzinfo is None and at.dt.tz is not None:
        end = end.tz_localize(at.dt.tz)
    cut = end - pd.Timedelta(days=recent_days)
    start = cut - pd.Timedelta(days=before_days)
    in_recent = (at > cut) & (at <= end)
    recent = events.loc[in_recent, "pid"].value_counts()
    days = pd.DataFrame({"pid": events.loc[in_recent, "pid"], "day": at[in_recent].dt.floor("D")})
    before = events.loc[(at > start) & (at <= cut), "pid"].value_counts()
    t = pd.DataFrame({"recent": recent, "before": before}).fillna(0).astype("int64")
    t["recent_days"] = days.drop_duplicates().groupby("pid").size().reindex(t.index, fill_value=0)
    t["recent_per_day"] = (t["recent"] / recent_days).round(4)
    t["before_per_day"] = (t["before"] / before_days).round(4)
    t["growth"] = ((t["recent"] / recent_days) / ((t["before"] + 1) / before_days)).round(2)
    t["excess"] = (t["recent"] - t["before"] / before_days * recent_days).round(1)
    t["rising"] = (t["recent"] >= min_recent) & (t["recent_days"] >= min_days) & (t["growth"] >= min_growth)
    t.index.name = "pid"
    t = t.reset_index().sort_values(["excess", "growth", "pid"], ascending=[False, False, True], kind="stable")
    return t[list(MOMENTUM_COLUMNS)].reset_index(drop=True)
