"""A backtest as people read it: plain method names, future reach, the difference from
ours with its error, and a sentence that says whether the list beat the simple ways."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["METHOD_NAMES", "comparison_frame", "verdict"]

#: method key -> what a marketing team calls it
METHOD_NAMES: dict[str, str] = {
    "set": "Set (default): each pick adds people the others miss",
    "degree_discount": "Set, fast (degree discount)",
    "topk": "Top-k by composite score",
    "cover_relayers": "Simple: cover past relayers greedily",
    "distinct_relayers": "Simple: top by distinct relayers",
    "relays_received": "Simple: top by relays received",
    "followers": "Simple: top by followers",
    "relay_pagerank": "Simple: top by relay PageRank",
    "random": "Random past authors",
    "oracle": "Oracle (knows the future: the ceiling)",
}


def comparison_frame(table: pd.DataFrame, k: int, ours: str = "set") -> pd.DataFrame:
    """One row per method at size ``k``: ``method``, ``name``, ``reached`` (distinct future
    relayers), ``vs_ours`` (paired difference, people), ``se`` and ``ratio`` to ours,
    best first.

    >>> t = pd.DataFrame({"method": ["set", "relays_received"], "k": [50, 50], "audience": [120.0, 100.0],
    ...                   "d_audience": [0.0, -20.0], "se_audience": [0.0, 4.0]})
    >>> comparison_frame(t, 50)[["method", "reached", "vs_ours", "ratio"]].values.tolist()
    [['set', 120, 0, 1.0], ['relays_received', 100, -20, 0.833]]
    """
    rows = table[table["k"] == k]
    base = float(rows.loc[rows["method"] == ours, "audience"].iloc[0]) if (rows["method"] == ours).any() else np.nan
    out = pd.DataFrame({
        "method": rows["method"].to_numpy(),
        "name": [METHOD_NAMES.get(m, m) for m in rows["method"]],
        "reached": rows["audience"].round().astype(int).to_numpy(),
        "vs_ours": rows["d_audience"].round().astype(int).to_numpy(),
        "se": rows["se_audience"].round(1).to_numpy() if "se_audience" in rows else np.nan,
        "ratio": (rows["audience"] / base).round(3).to_numpy() if base > 0 else np.nan,
    })  # fmt: skip
    return out.sort_values("reached", ascending=False, kind="stable").reset_index(drop=True)


def verdict(table: pd.DataFrame, k: int, baselines: list[str], ours: str = "set") -> str:
    """One sentence: how ours did against the best simple baseline at ``k``.

    >>> t = pd.DataFrame({"method": ["set", "relays_received"], "k": [50, 50], "audience": [120.0, 100.0],
    ...                   "d_audience": [0.0, -20.0], "se_audience": [0.0, 4.0]})
    >>> verdict(t, 50, ["relays_received"])
    'reached 120 future relayers, 20.0% more than the best simple way (top by relays received: 100; +20 ± 4 people)'
    """
    rows = table[table["k"] == k].set_index("method")
    simple = [b for b in baselines if b in rows.index]
    if ours not in rows.index or not simple:
        return "no simple baseline to compare with"
    best = max(simple, key=lambda b: rows.loc[b, "audience"])
    a, b = float(rows.loc[ours, "audience"]), float(rows.loc[best, "audience"])
    diff = -float(rows.loc[best, "d_audience"])
    se = float(rows.loc[best, "se_audience"]) if "se_audience" in rows and pd.notna(rows.loc[best, "se_audience"]) else None
    how = f"{abs(a / b - 1):.1%} {'more' if a >= b else 'fewer'}" if b > 0 else "more"
    name = METHOD_NAMES.get(best, best).split(": ", 1)[-1]
    err = f" ± {se:.0f}" if se is not None else ""
    return f"reached {a:,.0f} future relayers, {how} than the best simple way ({name}: {b:,.0f}; {diff:+,.0f}{err} people)"
