"""Warm paths: the shortest chain of people from one of our accounts to anyone.

Two people have a *tie* when either follows, relays or mentions the other (any
direction): each link of a warm path is someone who can plausibly introduce the
next. Distances come from one breadth-first search per account of ours over a
scipy CSR matrix (``scipy.sparse.csgraph.shortest_path``, unweighted), so the cost
is a few BFS over the whole graph, not one NetworkX search per person (ego-Twitter,
81k people and 1.77M follows: see the README for the measured time).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse import csgraph

from graph.model import EdgeArrays

__all__ = ["tie_matrix", "WarmPaths", "warm_paths"]

#: farther than this is "no warm path" (six degrees)
MAX_HOPS = 6


def tie_matrix(edges: Mapping[str, EdgeArrays], kinds: Iterable[str] = ("follows", "relays", "mentions")) -> sparse.csr_matrix:
    """Symmetric 0/1 CSR matrix over the shared ``nodes``: 1 where a tie exists.

    >>> e = {"follows": EdgeArrays.from_pairs([("a", "b"), ("b", "a"), ("b", "c")])}
    >>> tie_matrix(e).toarray().tolist()
    [[0, 1, 0], [1, 0, 1], [0, 1, 0]]
    """
    used = [edges[k] for k in kinds if k in edges]
    n = next(iter(edges.values())).n
    src = np.concatenate([e.src for e in used] + [e.dst for e in used]) if used else np.empty(0, np.int64)
    dst = np.concatenate([e.dst for e in used] + [e.src for e in used]) if used else np.empty(0, np.int64)
    keep = src != dst
    m = sparse.csr_matrix((np.ones(int(keep.sum()), np.int8), (src[keep], dst[keep])), shape=(n, n))
    m.sum_duplicates()
    m.data[:] = 1
    return m


@dataclass(frozen=True)
class WarmPaths:
    """Distances and BFS trees from each of our accounts (row ``i`` is ``accounts[i]``).

    ``dist[i, j]`` is the number of hops from account ``i`` to node ``j`` (inf: none
    within :data:`MAX_HOPS`); ``pred`` are the BFS predecessors (-9999: none).
    """

    nodes: np.ndarray
    accounts: list[str]
    members: list[str | None]
    dist: np.ndarray
    pred: np.ndarray

    def table(self) -> pd.DataFrame:
        """Per person: ``pid, warm_distance, warm_from`` (nearest account of ours),
        ``closest_member`` and ``member_distance`` (nearest team member, by name;
        ties go to the member whose name sorts first). NaN/None where unreachable."""
        n = len(self.nodes)
        out = pd.DataFrame({"pid": self.nodes})
        if not self.accounts:
            return out.assign(warm_distance=np.nan, warm_from=_objects([None] * n),
                              closest_member=_objects([None] * n), member_distance=np.nan)  # fmt: skip
        best = np.argmin(self.dist, axis=0)
        d = self.dist[best, np.arange(n)]
        out["warm_distance"] = np.where(np.isinf(d), np.nan, d)
        out["warm_from"] = _objects(np.where(np.isinf(d), None, np.array(self.accounts, dtype=object)[best]))
        names = sorted({m for m in self.members if m})
        if not names:
            return out.assign(closest_member=_objects([None] * n), member_distance=np.nan)
        per = np.vstack([self.dist[[i for i, m in enumerate(self.members) if m == name]].min(axis=0) for name in names])
        k = np.argmin(per, axis=0)  # first name wins ties
        md = per[k, np.arange(n)]
        out["closest_member"] = _objects(np.where(np.isinf(md), None, np.array(names, dtype=object)[k]))
        out["member_distance"] = np.where(np.isinf(md), np.nan, md)
        return out

    def path(self, pid: str, *, member: str | None = None) -> list[str]:
        """The warm path to ``pid`` as pids, from our nearest account (or ``member``'s)
        to ``pid``; ``[]`` when there is none.

        >>> e = {"follows": EdgeArrays.from_pairs([("us", "a"), ("a", "b"), ("c", "b")])}
        >>> w = warm_paths(e, {"us": "ana"})
        >>> w.path("b"), w.path("us"), w.path("zz")
        (['us', 'a', 'b'], ['us'], [])
        """
        found = np.flatnonzero(self.nodes == pid)
        rows = [i for i, m in enumerate(self.members) if member is None or m == member]
        if not len(found) or not rows:
            return []
        j = int(found[0])
        i = min(rows, key=lambda r: (self.dist[r, j], r))
        if np.isinf(self.dist[i, j]):
            return []
        chain: list[int] = [j]
        while self.pred[i, chain[-1]] >= 0:
            chain.append(int(self.pred[i, chain[-1]]))
        return [str(self.nodes[x]) for x in reversed(chain)]


def _objects(values) -> pd.Series:
    """Text with None for missing (not pandas' inferred ``str`` with NaN)."""
    return pd.Series(values, dtype=object)


def warm_paths(
    edges: Mapping[str, EdgeArrays] | sparse.csr_matrix,
    ours: Mapping[str, str | None],
    *,
    nodes: np.ndarray | None = None,
    max_hops: int = MAX_HOPS,
) -> WarmPaths:
    """BFS from each of our accounts over the tie graph (:func:`tie_matrix`).

    Parameters
    ----------
    edges : mapping of kind -> EdgeArrays, or a tie matrix
        The graph (all kinds share ``nodes``); with a ready matrix, pass ``nodes``.
    ours : mapping pid -> member name (None for the brand's accounts)
        Our accounts; those not in the graph are ignored.
    max_hops : int
        Paths longer than this count as none.

    Examples
    --------
    A 6-person graph: ``brand`` follows ``ana`` (a member), ``ana`` and ``p`` follow
    each other, ``p`` relays ``q``, ``ben`` (a member) mentions ``r``, ``s`` is alone.

    >>> e = {"follows": EdgeArrays.from_pairs([("brand", "ana"), ("ana", "p"), ("p", "ana")],
    ...                                        nodes=["ana", "ben", "brand", "p", "q", "r", "s"]),
    ...      "relays": EdgeArrays.from_pairs([("p", "q", 3.0)], nodes=["ana", "ben", "brand", "p", "q", "r", "s"]),
    ...      "mentions": EdgeArrays.from_pairs([("ben", "r", 1.0)], nodes=["ana", "ben", "brand", "p", "q", "r", "s"])}
    >>> t = warm_paths(e, {"brand": None, "ana": "ana", "ben": "ben"}).table().set_index("pid")
    >>> t.loc[["q", "r", "s"]].values.tolist()
    [[2.0, 'ana', 'ana', 2.0], [1.0, 'ben', 'ben', 1.0], [nan, None, None, nan]]
    """
    if isinstance(edges, sparse.spmatrix | sparse.sparray):
        ties = sparse.csr_matrix(edges)
        names = np.asarray(nodes, dtype=object)
    else:
        ties = tie_matrix(edges)
        names = next(iter(edges.values())).nodes
    index = pd.Index(names)
    accounts = [p for p in ours if index.get_indexer([p])[0] >= 0]
    if not accounts:
        empty = np.empty((0, len(names)))
        return WarmPaths(names, [], [], empty, empty.astype(np.int32))
    dist, pred = csgraph.shortest_path(
        ties, method="D", directed=False, unweighted=True, return_predecessors=True,
        indices=index.get_indexer(accounts),
    )  # fmt: skip
    dist = np.atleast_2d(dist)
    pred = np.atleast_2d(pred)
    far = dist > max_hops
    dist[far] = np.inf
    pred[far] = -9999
    return WarmPaths(names, accounts, [ours[p] for p in accounts], dist, pred)
