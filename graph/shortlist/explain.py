"""Plain-words reasons for each pick, community names, and bad-apple flags.

Nothing here removes anyone: :func:`flags` only annotates, the team decides.

Flag thresholds (:class:`FlagRules`, all overridable):

* **follows many, followed by few**: follows at least ``min_following`` (200)
  accounts and at least ``follow_ratio`` (10) times as many as follow them back,
  both counted in the graph (follow-for-follow and bot pattern).
* **relays only, never posts**: made at least ``min_relays`` (20) relays and
  authored no post we know of (posts table, else the authors of relayed posts).
* **relay bursts**: at least ``burst_relays`` (30) relays within any
  ``burst_window`` (1 hour): automated amplification.
* **followers declared >> graph followers**: declares at least ``min_declared``
  (1,000) followers and its declared/graph ratio is at least ``declared_ratio``
  (20) times the median ratio. A crawl sees only part of everyone's audience, so
  the median ratio is the baseline; far above it means an audience outside the
  niche, or bought.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from graph.model import METRICS, EdgeArrays

__all__ = ["METRIC_LABELS", "FlagRules", "tags_of", "name_communities", "reasons", "flags", "annotate"]

#: How a metric is named in a sentence.
METRIC_LABELS: dict[str, str] = {
    "followers": "followers",
    "pagerank": "PageRank",
    "relay_pagerank": "relay PageRank",
    "relays_received": "relays received",
    "mentions_received": "mentions received",
    "authority": "authority (HITS)",
    "hub": "hub score (HITS)",
    "kshell": "k-shell",
    "betweenness": "betweenness",
    "relevance": "relevance",
}


def tags_of(value) -> list[str]:
    """Normalised ``#tags`` from a list, array or ``"#a #b, c"`` string.

    >>> tags_of(["LatteArt", "#V60"]), tags_of("#coffee, beans"), tags_of(None)
    (['#latteart', '#v60'], ['#coffee', '#beans'], [])
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value)
    return ["#" + str(t).strip().lstrip("#").lower() for t in items if str(t).strip().lstrip("#")]


def _person_tags(table: pd.DataFrame, tags: pd.DataFrame | None) -> pd.DataFrame:
    """(pid, tag) pairs, one per person and tag."""
    if tags is None:
        tags = table
    if "topics" in tags:
        pid, col = tags["pid"], tags["topics"]
    else:
        pid, col = tags["author"], tags["hashtags"]
    has = col.notna().to_numpy(dtype=bool)  # most people of a large graph have no topics: skip them at once
    tags_lists = [tags_of(v) for v in col.to_numpy(dtype=object)[has]]
    pairs = pd.DataFrame({"pid": pid.to_numpy()[has], "tag": tags_lists}).explode("tag")
    return pairs.dropna().drop_duplicates()


def name_communities(
    table: pd.DataFrame, tags: pd.DataFrame | None = None, *, min_people: int = 2
) -> dict[int, str]:
    """A label per community from its most distinctive hashtag.

    Distinctiveness of tag ``t`` in community ``c`` is ``share * log(lift)``
    (share of ``c``'s people using ``t``; lift = that share over the share among
    everyone), counting tags used by at least ``min_people`` people of ``c``.
    Where no tag is distinctive (lift <= 1, e.g. a single community) the most
    used one wins. Labels are unique (larger communities choose first); a
    community with no usable tag is ``"community 3"``.

    Parameters
    ----------
    table : DataFrame
        ``pid`` and ``community`` (and ``topics`` when ``tags`` is None).
    tags : DataFrame, optional
        People (``pid``, ``topics``) or posts (``author``, ``hashtags``).

    Examples
    --------
    >>> t = pd.DataFrame({"pid": list("abcde"), "community": [0, 0, 0, 1, 1],
    ...     "topics": [["#coffee", "#latteart"], ["#latteart"], ["#coffee"], ["#coffee", "#v60"], ["#v60"]]})
    >>> name_communities(t)
    {0: '#latteart', 1: '#v60'}
    """
    comm = table.set_index("pid")["community"].dropna()
    pairs = _person_tags(table, tags)
    pairs = pairs.assign(community=pairs["pid"].map(comm)).dropna(subset=["community"])
    size = comm.value_counts()
    used = pairs.groupby(["community", "tag"]).size().rename("n").reset_index()
    used = used[used["n"] >= min_people].copy()
    best: pd.Series | dict = {}
    if len(used):
        share = used["n"].to_numpy(float) / used["community"].map(size).to_numpy(float)
        lift = share / (used["tag"].map(pairs.groupby("tag").size()).to_numpy(float) / len(comm))
        used["distinct"] = lift > 1 + 1e-9
        used["rank"] = np.where(used["distinct"], share * np.log(lift), share)
        used = used.sort_values(["distinct", "rank", "tag"], ascending=[False, False, True])
        best = used.groupby("community", sort=False)["tag"].agg(list)
    labels: dict[int, str] = {}
    taken: set[str] = set()
    for c in sorted(size.index, key=lambda c: (-size[c], c)):
        free = [t for t in best.get(c, []) if t not in taken]
        labels[int(c)] = free[0] if free else f"community {int(c)}"
        taken.update(free[:1])
    return dict(sorted(labels.items()))


# -- reasons ----------------------------------------------------------------------
def _percentiles(table: pd.DataFrame, min_rows: int = 100) -> pd.DataFrame:
    """``pct_<metric>`` columns where any are given (ranking computed them over
    everyone), else percentile ranks within ``table`` if it has ``min_rows``."""
    given = {m: table[f"pct_{m}"] for m in METRICS if f"pct_{m}" in table}
    if not given and len(table) >= min_rows:
        given = {m: table[m].rank(pct=True) * 100 for m in METRICS if m in table}
    return pd.DataFrame({m: pd.to_numeric(v, errors="coerce") for m, v in given.items()}, index=table.index)


def _audience(
    relay_events: pd.DataFrame | None, follows: EdgeArrays | None, only: set | None = None
) -> pd.DataFrame:
    """(pid, member) pairs: who relays or follows each person (``only`` these pids: the
    edges are cut to them first, by index, before any string is built).

    >>> f = EdgeArrays.from_pairs([("b", "a"), ("c", "a"), ("a", "b")])
    >>> _audience(None, f, only={"a"}).values.tolist()
    [['a', 'b'], ['a', 'c']]
    """
    parts = []
    if relay_events is not None and len(relay_events):
        ev = relay_events if only is None else relay_events[relay_events["author"].isin(only)]
        parts.append(pd.DataFrame({"pid": ev["author"], "member": ev["person"]}))
    if follows is not None and follows.m:
        src, dst = follows.src, follows.dst
        if only is not None:
            keep = np.isin(dst, np.flatnonzero(pd.Index(follows.nodes).isin(list(only))))
            src, dst = src[keep], dst[keep]
        parts.append(pd.DataFrame({"pid": follows.nodes[dst], "member": follows.nodes[src]}))
    if not parts:
        return pd.DataFrame({"pid": [], "member": []})
    return pd.concat(parts, ignore_index=True).drop_duplicates()


def _bridges(table: pd.DataFrame, audience: pd.DataFrame, share: float, min_people: int) -> pd.Series:
    """How many communities each person's audience spans (each a ``share`` of it)."""
    aud = audience.assign(community=audience["member"].map(table.set_index("pid")["community"]))
    aud = aud.dropna(subset=["community"])
    per = aud.groupby(["pid", "community"]).size().rename("n").reset_index()
    per["share"] = per["n"] / per.groupby("pid")["n"].transform("sum")
    per = per[(per["share"] >= share) & (per["n"] >= min_people)]
    return per.groupby("pid").size()


def _plural(n: float, word: str) -> str:
    return f"{int(n):,} {word}" + ("" if int(n) == 1 else "s")


def _reach(row: dict, times: pd.Series, people: pd.Series, labels: dict[int, str]) -> str:
    """'relayed 412 times by 180 people in the #latteart community'."""
    pid, received = row["pid"], row.get("relays_received")
    if times.get(pid, 0):
        who = "person" if people[pid] == 1 else "people"
        text = f"relayed {_plural(times[pid], 'time')} by {people[pid]:,} {who}"
    elif received is not None and pd.notna(received) and received > 0:
        text = f"relayed {_plural(received, 'time')}"
    elif pd.notna(row.get("followers")):
        text = _plural(row["followers"], "follower")
    else:
        return ""
    c = row.get("community")
    if c is not None and pd.notna(c):
        name = labels.get(int(c), f"community {int(c)}")
        text += f" in the {name} community" if name.startswith("#") else f" in {name}"
    return text


def reasons(
    table: pd.DataFrame,
    relay_events: pd.DataFrame | None = None,
    *,
    follows: EdgeArrays | None = None,
    labels: dict[int, str] | None = None,
    only: Iterable[str] | None = None,
    top_pct: int = 10,
    bridge_share: float = 0.1,
    min_bridge_people: int = 2,
) -> pd.Series:
    """One plain-words reason per row.

    Combines, where known: how often and by how many people the person is
    relayed (``relay_events``: person, author; else ``relays_received``; else
    followers) and their community's name; how many communities their relayers
    and followers come from (each at least ``bridge_share`` of them and
    ``min_bridge_people`` people); their best metric if in the top ``top_pct``
    percent (``pct_<metric>`` columns, else ranks within ``table`` when it has at
    least 100 rows); and ``marginal_gain`` when the row comes from a set
    shortlist. Pass the whole scores table for full context and ``only`` the
    pids you need reasons for (e.g. the shortlist).

    Returns
    -------
    Series of str, aligned with ``table`` (the ``only`` rows of it).

    Examples
    --------
    >>> t = pd.DataFrame({"pid": ["a", "b"], "community": [0, 1], "followers": [10, 2],
    ...     "pct_pagerank": [97.2, 40.0]})
    >>> ev = pd.DataFrame({"person": ["b", "b", "c"], "author": ["a", "a", "a"]})
    >>> reasons(t, ev, labels={0: "#latteart"}).tolist()
    ['relayed 3 times by 2 people in the #latteart community; top 3% by PageRank', '2 followers in community 1']
    """
    labels = labels or {}
    keep = np.ones(len(table), bool) if only is None else table["pid"].isin(set(only)).to_numpy()
    rows = table[keep]
    times = people = pd.Series(dtype=float)
    if relay_events is not None and len(relay_events):
        times = relay_events.groupby("author").size()
        people = relay_events.groupby("author")["person"].nunique()
    bridges = pd.Series(dtype=float)
    if "community" in table:
        audience = _audience(relay_events, follows, only=set(rows["pid"]))
        bridges = _bridges(table, audience, bridge_share, min_bridge_people)
    pct = _percentiles(table)[keep]
    values = pct.to_numpy(dtype=float).reshape(len(rows), -1)
    has = (~np.isnan(values)).any(axis=1)
    best = np.argmax(np.nan_to_num(values, nan=-1.0), axis=1) if values.shape[1] else has.astype(int)
    out = []
    for i, row in enumerate(rows.to_dict("records")):
        parts = [_reach(row, times, people, labels)]
        if bridges.get(row["pid"], 0) >= 2:
            parts.append(f"bridges {bridges[row['pid']]} communities")
        if has[i]:
            top = max(1, math.ceil(100 - values[i, best[i]] - 1e-9))
            if top <= top_pct:
                parts.append(f"top {top}% by {METRIC_LABELS[pct.columns[best[i]]]}")
        gain = row.get("marginal_gain")
        if gain is not None and pd.notna(gain) and gain >= 0.5:
            parts.append(f"reaches ~{gain:,.0f} people the earlier picks miss")
        text = "; ".join(p for p in parts if p)
        out.append(text or (f"score {row['score']:.0f}/100" if pd.notna(row.get("score")) else ""))
    return pd.Series(out, index=rows.index, name="reason", dtype=object)


# -- flags ------------------------------------------------------------------------
@dataclass(frozen=True)
class FlagRules:
    """Thresholds of :func:`flags` (see the module docstring)."""

    min_following: int = 200
    follow_ratio: float = 10.0
    min_relays: int = 20
    burst_relays: int = 30
    burst_window: pd.Timedelta = pd.Timedelta(hours=1)
    min_declared: int = 1000
    declared_ratio: float = 20.0


def _per_pid(values: pd.Series, pids: pd.Series) -> np.ndarray:
    return values.reindex(pids.to_numpy()).fillna(0).to_numpy(dtype=float)


def _declared_baseline(table: pd.DataFrame, follows: EdgeArrays, nodes: pd.Index) -> float:
    """Median of declared / graph followers over everyone with a declared count and a
    follower in the graph (NaN when nobody has both).

    >>> f = EdgeArrays.from_pairs([("a", "b"), ("c", "b"), ("a", "c")])
    >>> t = pd.DataFrame({"pid": ["a", "b", "c"], "followers_count": [9, 10, None]})
    >>> _declared_baseline(t, f, pd.Index(f.nodes))
    5.0
    """
    declared = pd.to_numeric(table["followers_count"], errors="coerce")
    has = declared.notna().to_numpy()
    if not has.any():
        return float("nan")
    followers = _per_pid(pd.Series(np.bincount(follows.dst, minlength=follows.n), index=nodes), table["pid"][has])
    known = followers >= 1
    return float(np.median(declared.to_numpy(dtype=float)[has][known] / followers[known])) if known.any() else float("nan")


def _duration(window: pd.Timedelta) -> str:
    """``1 hour``, ``3 hours``, ``30 min``."""
    minutes = int(window / pd.Timedelta(minutes=1))
    return _plural(minutes // 60, "hour") if minutes % 60 == 0 else f"{minutes} min"


def _max_burst(events: pd.DataFrame, window: pd.Timedelta) -> pd.Series:
    """Most relays each person made within any ``window`` (vectorised)."""
    ev = events.dropna(subset=["person", "at"])
    if ev.empty:
        return pd.Series(dtype=float)
    codes, people = pd.factorize(ev["person"])
    ts = pd.to_datetime(ev["at"], utc=True)
    sec = ((ts - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(1, "s")).to_numpy(dtype=np.int64)
    sec = sec - sec.min()
    w = int(window / pd.Timedelta(1, "s"))
    key = np.sort(codes.astype(np.int64) * (int(sec.max()) + w + 1) + sec)
    within = np.searchsorted(key, key + w, side="left") - np.arange(len(key))
    best = np.zeros(len(people), dtype=np.int64)
    np.maximum.at(best, np.sort(codes), within)
    return pd.Series(best, index=people)


def flags(
    table: pd.DataFrame,
    follows: EdgeArrays,
    relays: EdgeArrays | None = None,
    relay_events: pd.DataFrame | None = None,
    *,
    posts: pd.DataFrame | None = None,
    rules: FlagRules = FlagRules(),
    only: pd.Series | None = None,
) -> pd.Series:
    """Bad-apple flags per person (a list, often empty); nobody is removed.

    Parameters
    ----------
    table : DataFrame
        ``pid`` and, for the declared-followers check, ``followers_count``.
    follows, relays : EdgeArrays
        Graph following/followers counts and relays made (when no events).
    relay_events : DataFrame, optional
        ``person, author, at``: bursts, relays made, and who has posts.
    posts : DataFrame, optional
        ``author``: who posts (better evidence than relayed authors).
    rules : FlagRules
        Thresholds.
    only : Series of pids, optional
        Judge only these people (the declared-followers baseline still uses
        everyone); the result has their rows of ``table``. At 1M people, judging a
        shortlist's 300 instead of everyone saves ~2 s.

    Examples
    --------
    >>> f = EdgeArrays.from_pairs([("bot", f"u{i}") for i in range(600)] + [("u1", "bot")])
    >>> t = pd.DataFrame({"pid": ["bot", "u1"], "followers_count": [5, 50]})
    >>> flags(t, f).tolist()
    [['follows many, followed by few (600 following / 1 follower)'], []]
    >>> flags(t, f, only=pd.Series(["u1"])).to_dict()
    {1: []}
    """
    everyone = table
    if only is not None:
        table = table[table["pid"].isin(only)]
    pid = table["pid"]
    out: list[list[str]] = [[] for _ in range(len(table))]

    def add(mask, text) -> None:
        for i in np.flatnonzero(np.asarray(mask, dtype=bool)):
            out[i].append(text(i))

    nodes = pd.Index(follows.nodes)
    following = _per_pid(pd.Series(np.bincount(follows.src, minlength=follows.n), index=nodes), pid)
    followers = _per_pid(pd.Series(np.bincount(follows.dst, minlength=follows.n), index=nodes), pid)
    add(
        (following >= rules.min_following) & (following >= rules.follow_ratio * np.maximum(followers, 1)),
        lambda i: (
            "follows many, followed by few "
            f"({int(following[i]):,} following / {_plural(float(followers[i]), 'follower')})"
        ),
    )
    made = authors = None
    if relay_events is not None:
        made = relay_events.groupby("person").size()
        authors = set(relay_events["author"]) if "author" in relay_events else None
    elif relays is not None:
        made = pd.Series(relays.weight, index=relays.nodes[relays.src]).groupby(level=0).sum()
    if posts is not None:
        authors = set(posts["author"])
    if made is not None and authors is not None:
        n_made = _per_pid(made, pid)
        add(
            (n_made >= rules.min_relays) & ~pid.isin(authors).to_numpy(),
            lambda i: f"relays only, never posts ({int(n_made[i]):,} relays)",
        )
    if relay_events is not None and "at" in relay_events:
        burst = _per_pid(_max_burst(relay_events, rules.burst_window), pid)
        add(
            burst >= rules.burst_relays,
            lambda i: f"relay bursts ({int(burst[i]):,} relays within {_duration(rules.burst_window)})",
        )
    if "followers_count" in table:
        declared = pd.to_numeric(table["followers_count"], errors="coerce").to_numpy(dtype=float)
        ratio = declared / np.maximum(followers, 1)
        base = _declared_baseline(everyone, follows, nodes)
        add(
            (declared >= rules.min_declared) & (ratio >= rules.declared_ratio * base),
            lambda i: (
                "followers declared >> graph followers "
                f"({int(declared[i]):,} declared / {int(followers[i]):,} in the graph)"
            ),
        )
    return pd.Series(out, index=table.index, name="flags", dtype=object)


def annotate(
    picks: pd.DataFrame,
    table: pd.DataFrame,
    relay_events: pd.DataFrame | None = None,
    follows: EdgeArrays | None = None,
    *,
    relays: EdgeArrays | None = None,
    posts: pd.DataFrame | None = None,
    rules: FlagRules = FlagRules(),
) -> pd.DataFrame:
    """``picks`` plus ``reason`` and ``flags``, judged against the whole ``table``.

    Communities are named from ``table["topics"]`` (else from ``posts``);
    percentiles, audiences and the declared-followers baseline use everyone.

    >>> t = pd.DataFrame({"pid": ["a", "b"], "community": [0, 0], "followers": [1, 0],
    ...     "topics": [["#v60"], ["#v60"]]})
    >>> f = EdgeArrays.from_pairs([("b", "a")])
    >>> annotate(t.head(1), t, follows=f)[["pid", "reason", "flags"]].values.tolist()
    [['a', '1 follower in the #v60 community', []]]
    """
    out = picks.copy()
    full = table.drop(columns=["marginal_gain"], errors="ignore")
    if "marginal_gain" in picks:
        full = full.merge(picks[["pid", "marginal_gain"]], on="pid", how="left")
    labels = {}
    if "community" in full and ("topics" in full or posts is not None):
        labels = name_communities(full, None if "topics" in full else posts)
    why = reasons(full, relay_events, follows=follows, labels=labels, only=out["pid"])
    out["reason"] = out["pid"].map(dict(zip(full["pid"][why.index], why, strict=True))).fillna("")
    if follows is not None:
        judged = table["pid"][table["pid"].isin(out["pid"])]  # the rows flags() judges, in its order
        found = flags(table, follows, relays, relay_events, posts=posts, rules=rules, only=out["pid"])
        by_pid = dict(zip(judged, found, strict=True))
        out["flags"] = [by_pid.get(p, []) for p in out["pid"]]
    return out
