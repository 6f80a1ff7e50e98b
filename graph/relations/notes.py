"""What the shortlist learns from our accounts: each pick's closest team member (the
team split prefers them) and the detractor flag next to the bot-like flags."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from graph.model import EdgeArrays
from graph.relations.accounts import our_accounts
from graph.relations.events import mention_events
from graph.relations.tone import detractors, person_tone
from graph.relations.warm_paths import warm_paths

__all__ = ["annotate_relations"]


def annotate_relations(
    picks: pd.DataFrame,
    table: pd.DataFrame,
    edges: Mapping[str, EdgeArrays],
    posts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``picks`` plus ``closest_member`` (None where no member is within reach) and, with
    ``posts`` (texts), the detractor flag appended to ``flags``; ``table`` is everyone
    (``pid``, ``our_role``, ``our_member``, ``pct_score``...). Unchanged without accounts of ours.

    >>> f = EdgeArrays.from_pairs([("ana", "p"), ("q", "ben")])
    >>> t = pd.DataFrame({"pid": ["ana", "ben", "p", "q"], "handle": ["ana", "ben", "p", "q"],
    ...                   "our_role": ["member", "member", None, None], "our_member": ["ana", "ben", None, None]})
    >>> annotate_relations(t.iloc[2:], t, {"follows": f})[["pid", "closest_member"]].values.tolist()
    [['p', 'ana'], ['q', 'ben']]
    """
    ours = our_accounts(table)
    if ours.empty:
        return picks
    out = picks.copy()
    warm = warm_paths(edges, dict(zip(ours["pid"], ours["our_member"], strict=True))).table()
    out["closest_member"] = out["pid"].map(pd.Series(warm["closest_member"].to_numpy(), index=warm["pid"]))
    out["closest_member"] = out["closest_member"].astype(object).where(out["closest_member"].notna(), None)
    if posts is not None and len(posts) and "flags" in out:
        mentions = mention_events(posts, table["pid"])
        bad = detractors(person_tone(posts, mentions, ours["pid"]), table)
        flag = dict(zip(bad["pid"], bad["flag"], strict=True))
        out["flags"] = [[*f, flag[p]] if p in flag else f for p, f in zip(out["pid"], out["flags"], strict=True)]
    return out
