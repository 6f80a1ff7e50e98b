"""The per-person card: what they talk about, who they hang out with, when they are
active, and where they stand with us (last contact, engagement, warm path, flags).

The pieces are pure functions over the store's tables; :func:`card_markdown` turns
an assembled card (a plain dict, see :func:`graph.jobs.relations.person_card`) into
the text the CLI prints and the app exports.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from graph.model import EdgeArrays

__all__ = ["talks_about", "hangs_out_with", "active_hours", "us_line", "card_markdown"]


def talks_about(posts: pd.DataFrame, pid: str, *, topics: object = None, top: int = 8) -> pd.DataFrame:
    """Their most used hashtags: ``tag, posts`` from their posts; without posts, the
    profile ``topics`` (``posts`` 0).

    >>> posts = pd.DataFrame({"author": ["a", "a", "b"], "hashtags": [["#v60", "#wbc"], ["#V60"], ["#x"]]})
    >>> talks_about(posts, "a").values.tolist(), talks_about(posts, "z", topics=["#y"]).values.tolist()
    ([['#v60', 2], ['#wbc', 1]], [['#y', 0]])
    """
    mine = posts.loc[posts["author"] == pid, "hashtags"] if len(posts) else pd.Series(dtype=object)
    tags = mine.explode().dropna().astype(str).str.lower()
    if len(tags):
        counts = tags.value_counts()
        counts = counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable").head(top)
        return pd.DataFrame({"tag": counts.index.tolist(), "posts": counts.to_numpy(dtype="int64")})
    listed = list(topics) if isinstance(topics, list | tuple | np.ndarray) else []
    return pd.DataFrame({"tag": [str(t).lower() for t in listed[:top]], "posts": np.zeros(min(len(listed), top), "int64")})


def hangs_out_with(edges: Mapping[str, EdgeArrays], pid: str, *, top: int = 10) -> pd.DataFrame:
    """Their top mutual contacts: people tied to them *both ways* (each follows, relays
    or mentions the other), by how much they interact.

    Columns ``pid, mutual_follow, relays, mentions, strength``: relays and mentions are
    summed over both directions; ``strength`` = relays + mentions + 1 for a mutual follow.

    >>> e = {"follows": EdgeArrays.from_pairs([("a", "b"), ("b", "a"), ("a", "c"), ("d", "a")]),
    ...      "relays": EdgeArrays.from_pairs([("c", "a", 4.0), ("a", "b", 1.0)], nodes=["a", "b", "c", "d"])}
    >>> hangs_out_with(e, "a")
      pid  mutual_follow  relays  mentions  strength
    0   c          False     4.0       0.0       4.0
    1   b           True     1.0       0.0       2.0
    """
    nodes = next(iter(edges.values())).nodes
    at = np.flatnonzero(nodes == pid)
    cols = ["pid", "mutual_follow", "relays", "mentions", "strength"]
    if not len(at):
        return pd.DataFrame(columns=cols)
    me = int(at[0])
    out_to: dict[int, float] = {}
    in_from: dict[int, float] = {}
    per: dict[str, pd.Series] = {}
    for kind, e in edges.items():
        if not e.m:
            continue
        o, i = e.src == me, e.dst == me
        for k in e.dst[o].tolist():
            out_to[k] = 1.0
        for k in e.src[i].tolist():
            in_from[k] = 1.0
        both = pd.concat([pd.Series(e.weight[o], index=e.dst[o]), pd.Series(e.weight[i], index=e.src[i])])
        per[kind] = both.groupby(level=0).sum()
    mutual = sorted(set(out_to) & set(in_from) - {me})
    if not mutual:
        return pd.DataFrame(columns=cols)
    f = edges.get("follows")
    follow_out = set(f.dst[f.src == me].tolist()) if f is not None and f.m else set()
    follow_in = set(f.src[f.dst == me].tolist()) if f is not None and f.m else set()
    t = pd.DataFrame({"node": mutual})
    t["pid"] = nodes[mutual]
    t["mutual_follow"] = [k in follow_out and k in follow_in for k in mutual]
    for kind in ("relays", "mentions"):
        t[kind] = per[kind].reindex(mutual).fillna(0.0).to_numpy() if kind in per else 0.0
    t["strength"] = t["relays"] + t["mentions"] + t["mutual_follow"].astype(float)
    t = t.sort_values(["strength", "pid"], ascending=[False, True], kind="stable").head(top)
    return t[cols].reset_index(drop=True)


def active_hours(posts: pd.DataFrame, relay_events: pd.DataFrame | None, pid: str) -> pd.DataFrame:
    """When they are active: ``hour`` (0-23, UTC, as the data's times), ``posts``, ``relays`` made.

    >>> posts = pd.DataFrame({"author": ["a", "a"], "created_at": pd.to_datetime(["2025-01-01 09:10", "2025-01-02 09:50"])})
    >>> ev = pd.DataFrame({"person": ["a"], "at": pd.to_datetime(["2025-01-03 21:00"])})
    >>> h = active_hours(posts, ev, "a")
    >>> h.loc[h.posts + h.relays > 0].values.tolist()
    [[9, 2, 0], [21, 0, 1]]
    """
    hours = pd.Index(range(24), name="hour")
    made = pd.to_datetime(posts.loc[posts["author"] == pid, "created_at"]).dt.hour.value_counts()
    out = pd.DataFrame({"posts": made.reindex(hours, fill_value=0)})
    if relay_events is not None and len(relay_events):
        relayed = pd.to_datetime(relay_events.loc[relay_events["person"] == pid, "at"]).dt.hour.value_counts()
        out["relays"] = relayed.reindex(hours, fill_value=0)
    else:
        out["relays"] = 0
    return out.astype("int64").reset_index()


def _when(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "never"
    return str(pd.Timestamp(value).date())


def us_line(us: Mapping[str, object]) -> str:
    """Last contact and how they engage with us, in one line.

    >>> us_line({"last_contact": "2025-03-04", "follows_us": 1, "relays_us": 2, "last_relay_us": "2025-05-01T10:00:00",
    ...          "mentions_us": 0, "last_mention_us": None})
    'Last contact: 2025-03-04 · follows us: 1 · relays us: 2 (last 2025-05-01) · mentions us: 0 (last never)'
    """
    return (
        f"Last contact: {_when(us.get('last_contact'))} · follows us: {us.get('follows_us', 0)} · "
        f"relays us: {us.get('relays_us', 0)} (last {_when(us.get('last_relay_us'))}) · "
        f"mentions us: {us.get('mentions_us', 0)} (last {_when(us.get('last_mention_us'))})"
    )


def card_markdown(card: Mapping[str, object]) -> str:
    """The card as Markdown text (what ``influence card`` prints and the app exports).

    >>> print(card_markdown({"handle": "ann", "name": "Ann", "talks_about": [{"tag": "#v60", "posts": 3}],
    ...     "hangs_out_with": [{"handle": "bob", "strength": 2.0}], "active_hours": [0] * 9 + [2] + [0] * 14,
    ...     "us": {"last_contact": None, "follows_us": 1, "relays_us": 0, "last_relay_us": None,
    ...            "mentions_us": 0, "last_mention_us": None},
    ...     "warm_path": ["beanthere", "bob", "ann"], "closest_member": "ben", "flags": []}))
    # @ann — Ann
    Talks about: #v60 (3)
    Hangs out with: @bob (2)
    Most active (UTC): 09:00 (2)
    Last contact: never · follows us: 1 · relays us: 0 (last never) · mentions us: 0 (last never)
    Warm path: @beanthere → @bob → @ann (closest member: ben)
    Flags: none
    """
    us = card.get("us") or {}
    assert isinstance(us, Mapping)
    talks = ", ".join(f"{t['tag']} ({t['posts']})" for t in card.get("talks_about") or []) or "nothing we know of"  # type: ignore[attr-defined]
    friends = ", ".join(f"@{f['handle']} ({f['strength']:g})" for f in card.get("hangs_out_with") or []) or "nobody both ways"  # type: ignore[attr-defined]
    hours = list(card.get("active_hours") or [])  # type: ignore[call-overload]
    busiest = sorted(range(len(hours)), key=lambda h: (-hours[h], h))[:3]
    active = ", ".join(f"{h:02d}:00 ({hours[h]})" for h in busiest if hours[h]) or "no timed activity"
    path = list(card.get("warm_path") or [])  # type: ignore[call-overload]
    warm = " → ".join(f"@{h}" for h in path) if path else "none within six hops"
    if card.get("closest_member"):
        warm += f" (closest member: {card['closest_member']})"
    flags = "; ".join(str(f) for f in card.get("flags") or []) or "none"  # type: ignore[attr-defined]
    lines = [
        f"# @{card.get('handle')}" + (f" — {card['name']}" if card.get("name") else ""),
        f"Talks about: {talks}",
        f"Hangs out with: {friends}",
        f"Most active (UTC): {active}",
        us_line(us),
        f"Warm path: {warm}",
        f"Flags: {flags}",
    ]
    return "\n".join(lines)
