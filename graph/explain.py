"""Plain-words reasons for each pick, community names, and bad-apple flags.

Nothing here removes anyone: :func:`flags` only annotates, the team decides.

Flag thresholds (:class:`FlagRules`, all overridable):

* **follows many, followed by few**: follows at least ``min_following`` (500)
  accounts and at least ``follow_ratio`` (10) times as many as follow them back
  in the graph (follow-for-follow and bot pattern).
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

__all__ = ["METRIC_LABELS", "FlagRules", "tags_of", "name_communities", "reasons", "flags"]

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
    pairs = pd.DataFrame({"pid": pid.to_numpy(), "tag": [tags_of(v) for v in col]}).explode("tag")
    return pairs.dropna().drop_duplicates()


def name_communities(
    table: pd.DataFrame, tags: pd.DataFrame | None = None, *, min_people: int = 2
) -> dict[int, str]:
    """A label per community from its most distinctive hashtag.

    Distinctiveness of tag ``t`` in community ``c`` is ``share * log(lift)``
    (share of ``c``'s people using ``t``; lift = that share over the share among
    everyone), counting tags used by at least ``min_people`` people of ``c``.
    With a single community the most used tag wins. Labels are unique (larger
    communities choose first); a community with no usable tag is ``"community 3"``.

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
    comm = table.set_index("pid")["community"]
    pairs = _person_tags(table, tags)
    pairs["community"] = pairs["pid"].map(comm)
    pairs = pairs.dropna(subset=["community"])
    size = comm.value_counts()
    used = pairs.groupby(["community", "tag"]).size().rename("n").reset_index()
    used = used[used["n"] >= min_people]
    share = used["n"] / used["community"].map(size)
    overall = used["tag"].map(pairs.groupby("tag").size()) / len(comm)
    single = comm.nunique() == 1
    used["score"] = share if single else share * np.log(share / overall)
    used = used[used["score"] > 0].sort_values(["score", "tag"], ascending=[False, True])
    best = used.groupby("community")["tag"].agg(list)
    labels: dict[int, str] = {}
    taken: set[str] = set()
    for c in sorted(size.index, key=lambda c: (-size[c], c)):
        free = [t for t in best.get(c, []) if t not in taken]
        labels[int(c)] = free[0] if free else f"community {int(c)}"
        taken.update(free[:1])
    return dict(sorted(labels.items()))
