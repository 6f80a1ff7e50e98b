"""How much do the influence metrics agree? Spearman rank correlations.

Cha et al. (ICWSM 2010) found followers, retweets and mentions only loosely
related (Spearman .55-.64 over all users, as low as .12 among the top 10%):
the matrix here shows the same for the user's own graph, overall and among
the top people by one metric.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from graph.errors import UsageError
from graph.model import METRICS

__all__ = ["metric_correlation", "correlation_long", "top_rows"]


def top_rows(table: pd.DataFrame, top_fraction: float | None = None, by: str = "followers") -> pd.DataFrame:
    """Exactly the top ``top_fraction`` of rows by ``by`` (ties at the cut broken by
    ``pid``, then row order); all rows without a fraction. A column with no spread
    (e.g. no follow data: everyone has 0 followers) has no top: UsageError.

    >>> len(top_rows(pd.DataFrame({"followers": [1, 2, 2, 2, 3, 4, 5, 6, 7, 8]}), 0.5))
    5
    >>> top_rows(pd.DataFrame({"followers": [0, 0, 0]}), 0.1)
    Traceback (most recent call last):
    ...
    graph.errors.UsageError: no followers data to take a top 10% by (everyone has the same value)
    """
    if top_fraction is None:
        return table
    if not 0 < top_fraction <= 1:
        raise ValueError(f"top_fraction must be in (0, 1], got {top_fraction}")
    if by not in table or table[by].nunique(dropna=True) <= 1:
        raise UsageError(f"no {by} data to take a top {top_fraction:.0%} by (everyone has the same value)")
    keep = max(1, int(round(len(table) * top_fraction)))
    keys = [by, "pid"] if "pid" in table else [by]
    return table.sort_values(keys, ascending=[False] + [True] * (len(keys) - 1), kind="stable").head(keep)


def metric_correlation(
    table: pd.DataFrame,
    metrics: Iterable[str] = METRICS,
    *,
    top_fraction: float | None = None,
    by: str = "followers",
) -> pd.DataFrame:
    """Spearman rank correlation between metric columns.

    Parameters
    ----------
    table : DataFrame
        One row per person (e.g. :func:`graph.ranking.fast.rank_all`).
    metrics : iterable of str
        Columns to correlate; those absent, entirely NaN or constant (over the
        rows used) are left out: they carry no ranking.
    top_fraction : float, optional
        Keep only the top ``top_fraction`` of rows by ``by`` (e.g. 0.1 for the
        top 10%), as in Cha et al. (see :func:`top_rows`).
    by : str
        Column that defines the top rows.

    Returns
    -------
    DataFrame
        Square, symmetric, metrics x metrics, over the rows :func:`top_rows` keeps.

    >>> t = pd.DataFrame({"followers": [1, 2, 3, 4], "pagerank": [4, 3, 2, 1],
    ...                   "kshell": [1, 1, 1, 1], "relevance": [float("nan")] * 4})
    >>> metric_correlation(t).values.tolist()
    [[1.0, -1.0], [-1.0, 1.0]]
    """
    rows = top_rows(table, top_fraction, by)
    cols = [m for m in metrics if m in rows and rows[m].nunique(dropna=True) > 1]
    return rows[cols].astype("float64").corr(method="spearman")


def correlation_long(corr: pd.DataFrame) -> pd.DataFrame:
    """Long form of a correlation matrix, for a heatmap: ``metric_x, metric_y, rho``.

    >>> c = pd.DataFrame([[1.0, 0.5], [0.5, 1.0]], index=["a", "b"], columns=["a", "b"])
    >>> correlation_long(c).values.tolist()
    [['a', 'a', 1.0], ['a', 'b', 0.5], ['b', 'a', 0.5], ['b', 'b', 1.0]]
    """
    long = corr.rename_axis(index="metric_x", columns="metric_y").stack(future_stack=True)
    return long.rename("rho").reset_index()
