"""Our own accounts (the brand's and each team member's) and how everyone engages with them.

Our accounts are marked on the person in the graph (:data:`graph.model.OUR_COLUMNS`):
``our_role`` is ``"brand"`` or ``"member"`` and ``our_member`` names the team member,
so the whole team shares them. :func:`engagement` says, for each person, whether they
follow us, relay our posts and mention us, how often and when they last did.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from graph.errors import UsageError
from graph.model import OUR_ROLES, EdgeArrays

__all__ = ["our_accounts", "account_rows", "unmark_rows", "engagement", "ENGAGEMENT_COLUMNS"]

ENGAGEMENT_COLUMNS = (
    "follows_us", "followed_by_us", "relays_us", "last_relay_us", "mentions_us", "last_mention_us",
)  # fmt: skip


def our_accounts(people: pd.DataFrame) -> pd.DataFrame:
    """Our accounts: ``pid, handle, our_role, our_member``, the brand first, then by member.

    >>> p = pd.DataFrame({"pid": ["x:ana", "x:b", "x:c"], "handle": ["ana", "b", "c"],
    ...     "our_role": ["member", "brand", None], "our_member": ["ana", None, None]})
    >>> our_accounts(p).values.tolist()
    [['x:b', 'b', 'brand', None], ['x:ana', 'ana', 'member', 'ana']]
    """
    cols = ["pid", "handle", "our_role", "our_member"]
    if "our_role" not in people:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    mine = people[people["our_role"].isin(OUR_ROLES)].copy()
    if "our_member" not in mine:
        mine["our_member"] = None
    mine["our_member"] = mine["our_member"].astype(object).where(mine["our_member"].notna(), None)
    mine["_r"] = mine["our_role"].map({r: i for i, r in enumerate(OUR_ROLES)})
    mine = mine.sort_values(["_r", "our_member", "handle"], na_position="first", kind="stable")
    return mine[cols].reset_index(drop=True)


def account_rows(pids: Iterable[str], *, role: str, member: str | None = None) -> pd.DataFrame:
    """Rows for :meth:`graph.stores.base.Store.write_accounts` that mark ``pids`` as ours.

    A team member's account needs the member's name; the brand's takes none.

    >>> account_rows(["x:ana"], role="member", member=" Ana ").values.tolist()
    [['x:ana', 'member', 'Ana']]
    >>> account_rows(["x:b"], role="owner")
    Traceback (most recent call last):
    graph.errors.UsageError: role 'owner' is not one of brand, member
    """
    if role not in OUR_ROLES:
        raise UsageError(f"role {role!r} is not one of {', '.join(OUR_ROLES)}")
    name = (member or "").strip() or None
    if role == "member" and name is None:
        raise UsageError("a team member's account needs the member's name (--member NAME)")
    if role == "brand":
        name = None
    pids = list(dict.fromkeys(pids))
    return pd.DataFrame({"pid": pids, "our_role": [role] * len(pids), "our_member": [name] * len(pids)},
                        dtype=object)  # fmt: skip


def unmark_rows(pids: Iterable[str]) -> pd.DataFrame:
    """Rows that make ``pids`` ordinary people again (not ours).

    >>> unmark_rows(["x:ana"]).values.tolist()
    [['x:ana', None, None]]
    """
    pids = list(dict.fromkeys(pids))
    return pd.DataFrame({"pid": pids, "our_role": [None] * len(pids), "our_member": [None] * len(pids)},
                        dtype=object)  # fmt: skip


def _count_last(frame: pd.DataFrame, who: str, at: str | None) -> pd.DataFrame:
    g = frame.groupby(who)
    out = pd.DataFrame({"n": g.size()})
    if at is not None:
        out["last"] = g[at].max()
    return out


def engagement(
    ours: Iterable[str],
    follows: EdgeArrays,
    relay_events: pd.DataFrame | None = None,
    mentions: pd.DataFrame | None = None,
    mention_counts: EdgeArrays | None = None,
) -> pd.DataFrame:
    """How each person engages with our accounts; one row per person who does.

    Columns: ``pid``; ``follows_us`` (how many of our accounts they follow),
    ``followed_by_us``; ``relays_us`` and ``last_relay_us`` (relays of our posts);
    ``mentions_us`` and ``last_mention_us``. Mentions are counted in post texts
    (``mentions``: :func:`graph.relations.events.mention_events`), which also give
    the last time; where the ``MENTIONS`` aggregate (``mention_counts``) holds a
    larger count, that count is shown (its mentions have no time). Our own
    accounts are left out.

    Examples
    --------
    >>> f = EdgeArrays.from_pairs([("a", "us"), ("us", "a"), ("b", "us"), ("c", "a")])
    >>> ev = pd.DataFrame({"person": ["a", "a"], "author": ["us", "us"],
    ...     "at": pd.to_datetime(["2025-01-01", "2025-02-01"])})
    >>> m = pd.DataFrame({"source": ["c"], "target": ["us"], "at": pd.to_datetime(["2025-03-01"])})
    >>> engagement(["us"], f, ev, m)[["pid", "follows_us", "followed_by_us", "relays_us", "mentions_us"]]
      pid  follows_us  followed_by_us  relays_us  mentions_us
    0   a           1               1          2            0
    1   b           1               0          0            0
    2   c           0               0          0            1
    """
    ours = set(ours)
    nodes = follows.nodes
    is_ours = np.isin(nodes, list(ours))
    parts = {
        "follows_us": pd.Series(nodes[follows.src[is_ours[follows.dst]]]).value_counts(),
        "followed_by_us": pd.Series(nodes[follows.dst[is_ours[follows.src]]]).value_counts(),
    }
    table = pd.DataFrame(parts)
    if relay_events is not None and len(relay_events):
        r = _count_last(relay_events[relay_events["author"].isin(ours)], "person", "at")
        table = table.join(r.rename(columns={"n": "relays_us", "last": "last_relay_us"}), how="outer")
    if mentions is not None and len(mentions):
        m = _count_last(mentions[mentions["target"].isin(ours)], "source", "at")
        table = table.join(m.rename(columns={"n": "mentions_us", "last": "last_mention_us"}), how="outer")
    if mention_counts is not None and mention_counts.m:
        keep = is_ours[mention_counts.dst]
        agg = pd.Series(mention_counts.weight[keep], index=mention_counts.nodes[mention_counts.src[keep]])
        agg = agg.groupby(level=0).sum().rename("mentions_agg")
        table = table.join(agg, how="outer")
        table["mentions_us"] = np.fmax(table.get("mentions_us", np.nan), table["mentions_agg"])
        table = table.drop(columns="mentions_agg")
    for c in ENGAGEMENT_COLUMNS:
        if c not in table:
            table[c] = pd.NaT if c.startswith("last_") else 0
    for c in ("follows_us", "followed_by_us", "relays_us", "mentions_us"):
        table[c] = table[c].fillna(0).astype("int64")
    table = table[~table.index.isin(ours)]
    table.index.name = "pid"
    return table[list(ENGAGEMENT_COLUMNS)].sort_index().reset_index()
