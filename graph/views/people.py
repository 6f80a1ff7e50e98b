"""What the app draws, as pure functions over the store's tables (no streamlit here).

* choosing people: :func:`filter_people`, :func:`top_people`, :func:`search_people`;
* edges among them: :func:`subgraph_edges`, the ego network :func:`ego_network`,
  who relays someone :func:`top_relayers`, brokers :func:`broker_pids`;
* the person panel: :func:`score_rows`, :func:`person_flags` (from :mod:`graph.views.person`);
* the pyvis network: :func:`network_html` (from :mod:`graph.views.drawing`).

``people`` is the table of :func:`graph.jobs.scored_people` (``pid``, ``handle``,
profile, metric columns, ``pct_<metric>``, ``community``, ``score``, tracking);
``edges`` maps an edge kind to the store's :class:`~graph.model.EdgeArrays` (all
kinds of one snapshot share ``nodes``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from graph.model import EdgeArrays
from graph.views.drawing import network_html
from graph.views.person import person_flags, score_rows

__all__ = [
    "MAX_DRAWN",
    "MAX_EDGES",
    "present",
    "filter_people",
    "top_people",
    "search_people",
    "subgraph_edges",
    "heaviest",
    "ego_network",
    "top_relayers",
    "broker_pids",
    "score_rows",
    "person_flags",
    "network_html",
    "subgraph_tables",
    "file_bytes",
]

#: Hard cap on drawn nodes: vis.js gets unusable past ~1,500 (see ANCHORS).
MAX_DRAWN = 1000
#: Hard cap on drawn edges (the heaviest are kept).
MAX_EDGES = 6000


def present(v: object) -> bool:
    """False for None, NaN and pd.NA (what a missing cell holds).

    >>> present(None), present(float("nan")), present(pd.NA), present(0), present(["#a"])
    (False, False, False, True, True)
    """
    if v is None or v is pd.NA:
        return False
    return not (isinstance(v, float) and np.isnan(v))


# -- choosing people ----------------------------------------------------------------
def _has_topic(topics: object, wanted: set[str]) -> bool:
    if topics is None or isinstance(topics, float):
        return False
    return any(str(t).lower() in wanted for t in topics)  # type: ignore[attr-defined]


def filter_people(
    people: pd.DataFrame,
    *,
    communities: Iterable[int] | None = None,
    topics: Iterable[str] | None = None,
    metric: str | None = None,
    lo: float | None = None,
    hi: float | None = None,
) -> pd.DataFrame:
    """Rows in any of ``communities``, with any of ``topics``, and ``lo <= metric <= hi``.

    Empty or ``None`` filters keep everyone.

    >>> p = pd.DataFrame({"pid": ["a", "b", "c"], "community": [0, 1, 1],
    ...                   "topics": [["#x"], ["#y"], None], "score": [3.0, 2.0, 1.0]})
    >>> filter_people(p, communities=[1]).pid.tolist()
    ['b', 'c']
    >>> filter_people(p, topics=["#X", "#y"], metric="score", lo=2.5).pid.tolist()
    ['a']
    """
    keep = pd.Series(True, index=people.index)
    if communities:
        keep &= people["community"].isin(list(communities))
    if topics and "topics" in people:
        wanted = {t.lower() for t in topics}
        keep &= people["topics"].map(lambda ts: _has_topic(ts, wanted)).astype(bool)
    if metric and metric in people:
        if lo is not None:
            keep &= people[metric] >= lo
        if hi is not None:
            keep &= people[metric] <= hi
    return people[keep]


def top_people(people: pd.DataFrame, metric: str, n: int) -> pd.DataFrame:
    """The ``n`` best rows by ``metric`` (missing values last, ties by pid).

    >>> p = pd.DataFrame({"pid": ["a", "b", "c"], "score": [1.0, None, 3.0]})
    >>> top_people(p, "score", 2).pid.tolist()
    ['c', 'a']
    """
    n = max(int(n), 0)
    values = pd.to_numeric(people[metric], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    known = int(np.count_nonzero(~np.isnan(values)))
    if 0 < n < known and n < len(people) // 4:  # only the rows that can make the top n get sorted
        kth = np.partition(values[~np.isnan(values)], known - n)[known - n]  # the n-th largest value
        people = people[values >= kth]  # ties at the n-th value stay: the pid order decides among them
    ranked = people.sort_values([metric, "pid"], ascending=[False, True], na_position="last")
    return ranked.head(n)


def search_people(people: pd.DataFrame, text: str, *, limit: int = 50) -> pd.DataFrame:
    """People whose handle or name contains ``text`` (case-insensitive), best match first:
    the exact handle, then handles starting with it, then names with a word starting with
    it, then any other match; best score first within each.

    >>> p = pd.DataFrame({"pid": ["x:ab", "x:cd", "x:zab"], "handle": ["ab", "cd", "zab"],
    ...                   "name": ["Ann", "Abe", "Zed"], "score": [1.0, 2.0, 3.0]})
    >>> search_people(p, "@AB").pid.tolist(), search_people(p, "a").pid.tolist()
    (['x:ab', 'x:cd', 'x:zab'], ['x:ab', 'x:cd', 'x:zab'])
    """
    text = text.strip().lstrip("@").lower()
    if not text:
        return people.head(0)
    handle = people["handle"].astype(str).str.lower()
    name = people["name"].fillna("").astype(str).str.lower() if "name" in people else pd.Series("", people.index)
    rank = np.select(
        [handle == text, handle.str.startswith(text), name.str.contains(rf"(?:^|\W){re.escape(text)}", regex=True),
         handle.str.contains(text, regex=False) | name.str.contains(text, regex=False)],
        [0, 1, 2, 3], default=4,
    )  # fmt: skip
    found = people.assign(_match=rank)[rank < 4]
    keys, ascending = ["_match"], [True]
    if "score" in found:
        keys, ascending = ["_match", "score"], [True, False]
    found = found.sort_values(keys, ascending=ascending, na_position="last", kind="stable")
    return found.drop(columns="_match").head(limit)


# -- edges ----------------------------------------------------------------------------
def _index(edges: Mapping[str, EdgeArrays], pids: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    nodes = next(iter(edges.values())).nodes
    idx = pd.Index(nodes).get_indexer(list(pids))
    return nodes, idx[idx >= 0]


def subgraph_edges(
    edges: Mapping[str, EdgeArrays],
    pids: Iterable[str],
    *,
    kinds: Iterable[str] = ("follows", "relays"),
) -> pd.DataFrame:
    """Edges among ``pids`` as ``source, target, kind, weight`` (see :func:`heaviest`
    to cap what is drawn): kind by kind, then by source and target in ``nodes``' order
    (a store's is by pid). Stores scan in parallel, so they return edges in an order
    that changes from one read to the next; the drawing, its layout and cut must not.

    >>> e = {"follows": EdgeArrays.from_pairs([("b", "a"), ("a", "b"), ("b", "c"), ("c", "a")])}
    >>> subgraph_edges(e, ["a", "b"], kinds=["follows"])
      source target     kind  weight
    0      b      a  follows     1.0
    1      a      b  follows     1.0
    """
    nodes, idx = _index(edges, pids)
    inside = np.zeros(len(nodes), dtype=bool)
    inside[idx] = True
    parts = []
    for kind in kinds:
        e = edges.get(kind)
        if e is None or not e.m:
            continue
        keep = np.flatnonzero(inside[e.src] & inside[e.dst])
        keep = keep[np.lexsort((e.dst[keep], e.src[keep]))]
        parts.append(
            pd.DataFrame(
                {
                    "source": nodes[e.src[keep]],
                    "target": nodes[e.dst[keep]],
                    "kind": kind,
                    "weight": e.weight[keep],
                }
            )
        )
    if not parts:
        return pd.DataFrame({"source": [], "target": [], "kind": [], "weight": []})
    return pd.concat(parts, ignore_index=True)


def heaviest(edges: pd.DataFrame, max_edges: int = MAX_EDGES) -> pd.DataFrame:
    """At most ``max_edges`` edges, the heaviest (all of them when there are fewer); among
    equal weights the first in ``edges``' order, so :func:`subgraph_edges`' order decides.

    >>> e = pd.DataFrame({"source": ["a", "b", "c"], "target": ["b", "c", "a"], "weight": [1.0, 3.0, 2.0]})
    >>> heaviest(e, 2)["weight"].tolist()
    [3.0, 2.0]
    """
    if len(edges) <= max_edges:
        return edges
    return edges.sort_values("weight", ascending=False, kind="stable").head(max_edges).reset_index(drop=True)


def ego_network(
    edges: Mapping[str, EdgeArrays],
    center: str,
    *,
    hops: int = 1,
    limit: int = 300,
    priority: np.ndarray | None = None,
    kinds: Iterable[str] = ("follows", "relays", "mentions"),
) -> tuple[list[str], int]:
    """The center, then its neighbours (any edge kind, either direction) hop by hop,
    best ``priority`` (aligned with ``nodes``) first, at most ``limit`` people; and how
    many people the network has in all (so a cut one can say "200 of 3,216").

    Each hop is one boolean pass over the edge arrays (no adjacency to build):
    tens of milliseconds on ego-Twitter's 1.8M edges.

    >>> e = {"follows": EdgeArrays.from_pairs([("a", "b"), ("b", "c"), ("c", "d")])}
    >>> ego_network(e, "b"), ego_network(e, "b", hops=2, limit=2)
    ((['b', 'a', 'c'], 3), (['b', 'a'], 4))
    """
    nodes = next(iter(edges.values())).nodes
    found = np.flatnonzero(nodes == center)
    if not len(found):
        return [], 0
    seen = np.zeros(len(nodes), dtype=bool)
    seen[found[0]] = True
    order, frontier = [int(found[0])], seen.copy()
    used = [e for k, e in edges.items() if k in set(kinds) and e.m]
    for _ in range(hops):
        reached = np.zeros(len(nodes), dtype=bool)
        for e in used:
            reached[e.dst[frontier[e.src]]] = True
            reached[e.src[frontier[e.dst]]] = True
        frontier = reached & ~seen
        seen |= frontier
        if len(order) >= limit:
            continue  # only counting now
        nbrs = np.flatnonzero(frontier)
        if priority is not None and len(nbrs):
            nbrs = nbrs[np.lexsort((nbrs, -np.nan_to_num(priority[nbrs], nan=-np.inf)))]
        order.extend(nbrs.tolist())
    return [str(nodes[i]) for i in order[:limit]], int(seen.sum())


def top_relayers(relays: EdgeArrays, pid: str, *, top: int = 10) -> pd.DataFrame:
    """Who relays ``pid`` most: ``pid, relays`` (count of relayed posts).

    >>> r = EdgeArrays.from_pairs([("a", "c", 2.0), ("b", "c", 5.0), ("c", "a", 1.0)])
    >>> top_relayers(r, "c")
      pid  relays
    0   b     5.0
    1   a     2.0
    """
    at = np.flatnonzero(relays.nodes == pid)
    if not len(at) or not relays.m:
        return pd.DataFrame({"pid": pd.Series(dtype=str), "relays": pd.Series(dtype=float)})
    keep = relays.dst == at[0]
    out = pd.DataFrame({"pid": relays.nodes[relays.src[keep]], "relays": relays.weight[keep]})
    out = out.groupby("pid", as_index=False)["relays"].sum()
    return out.sort_values(["relays", "pid"], ascending=[False, True]).head(top).reset_index(drop=True)


def broker_pids(
    people: pd.DataFrame,
    follows: EdgeArrays,
    *,
    min_followers: int = 5,
    min_share: float = 0.2,
    top_pct: float = 90.0,
) -> set[str]:
    """Brokers: followed from at least two communities (each ``>= min_share`` of
    their followers, at least ``min_followers`` in all) and in the top
    ``100 - top_pct`` % by betweenness when that metric is known.

    >>> f = EdgeArrays.from_pairs([(s, "hub") for s in "abcdef"] + [("a", "b")])
    >>> p = pd.DataFrame({"pid": list("abcdef") + ["hub"], "community": [0, 0, 0, 1, 1, 1, 0]})
    >>> sorted(broker_pids(p, f))
    ['hub']
    """
    if not follows.m or "community" not in people:
        return set()
    comm = pd.Series(people["community"].to_numpy(), index=people["pid"]).reindex(follows.nodes)
    pairs = pd.DataFrame({"dst": follows.dst, "c": comm.to_numpy()[follows.src]}).dropna()
    counts = pairs.groupby(["dst", "c"]).size()
    total = counts.groupby(level=0).transform("sum")
    strong = counts[(counts / total >= min_share) & (total >= min_followers)]
    n_strong = strong.groupby(level=0).size()
    out = set(follows.nodes[n_strong[n_strong >= 2].index.to_numpy()].tolist())
    if "pct_betweenness" in people and people["pct_betweenness"].notna().any():
        high = set(people.loc[people["pct_betweenness"] >= top_pct, "pid"])
        out &= high
    return out


# -- exports ---------------------------------------------------------------------------
def subgraph_tables(
    people: pd.DataFrame,
    edges: Mapping[str, EdgeArrays],
    pids: Iterable[str],
    *,
    kinds: Iterable[str] = ("follows", "relays", "mentions"),
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """The people ``pids`` and, per edge kind, the edges among them
    (``source, target, count``): what a GraphML/GEXF export of a shortlist holds
    (:func:`loaders.gephi.write_graph`).

    >>> e = {"follows": EdgeArrays.from_pairs([("a", "b"), ("b", "c")])}
    >>> p = pd.DataFrame({"pid": ["a", "b", "c"], "handle": ["a", "b", "c"]})
    >>> nodes, tables = subgraph_tables(p, e, ["a", "b"], kinds=["follows"])
    >>> nodes.pid.tolist(), tables["follows"].values.tolist()
    (['a', 'b'], [['a', 'b', 1]])
    """
    pids = list(pids)
    nodes = people.set_index("pid").reindex(pids).reset_index()
    kinds = list(kinds)
    both = subgraph_edges(edges, pids, kinds=kinds)
    both["count"] = both["weight"].round().astype("int64")
    tables = {
        k: both.loc[both["kind"] == k, ["source", "target", "count"]].reset_index(drop=True) for k in kinds
    }
    return nodes, tables


def file_bytes(write, suffix: str, *args, **kwargs) -> bytes:
    """Run ``write(path, *args, **kwargs)`` on a temporary file and return its bytes
    (for writers that only take a path).

    >>> file_bytes(lambda path, text: open(path, "w").write(text), ".txt", "hi")
    b'hi'
    """
    import os
    import tempfile

    fd, path = tempfile.mkstemp(suffix=suffix)
    os.close(fd)
    try:
        write(path, *args, **kwargs)
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)
