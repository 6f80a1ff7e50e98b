"""k-shell and betweenness on sparse matrices, equal to NetworkX's results.

* k-shell: numpy peeling, exact against ``nx.core_number`` (in+out degree,
  self-loops removed).
* Betweenness: NetworkX's own source sample (``random.Random(seed).sample``)
  and rescaling; igraph with a source list up to 1M edges, a numpy Brandes
  (one scipy BFS per source) above that.
"""

from __future__ import annotations

import random

import numpy as np
import scipy.sparse as sp

from graph.model import EdgeArrays
from graph.ranking.adjacency import _simple, adjacency

__all__ = ["kshell", "betweenness", "auto_betweenness_k", "auto_backend", "EXACT_BETWEENNESS_MAX_N"]

#: Betweenness is exact up to this many nodes, sampled above (see auto_betweenness_k).
EXACT_BETWEENNESS_MAX_N = 5000
#: Sampled betweenness aims at about this many edge visits (k sources x m edges).
BETWEENNESS_EDGE_BUDGET = 1.5e8
#: Above this many edges, betweenness skips igraph (whose graph build costs ~1 us/edge).
IGRAPH_BETWEENNESS_MAX_M = 1_000_000


def kshell(e: EdgeArrays | sp.csr_array) -> np.ndarray:
    """Core number with in+out degree, self-loops removed, as :func:`networkx.core_number`.

    Batagelj-Zaversnik peeling, vectorised: every round removes all nodes of
    degree <= k at once and takes their edges off their neighbours' degrees.
    (numpy, not networkit: networkit's CoreDecomposition on a graph built with
    ``GraphFromCsr(directed=True)`` reads past its in-edge arrays and crashes or
    returns wrong cores; building an igraph graph costs ~1 us/edge.)

    >>> kshell(EdgeArrays.from_pairs([("a", "b"), ("b", "a"), ("b", "c"), ("c", "c")])).tolist()
    [2, 2, 1]
    """
    S = _simple(adjacency(e) if isinstance(e, EdgeArrays) else e)
    ST = S.T.tocsr()
    deg = np.diff(S.indptr) + np.diff(ST.indptr)  # a mutual follow counts twice
    core = np.zeros(len(deg), dtype=np.int64)
    alive = np.ones(len(deg), dtype=bool)
    k, left, cand = 0, len(deg), np.arange(len(deg))
    while left:
        peel = cand[alive[cand] & (deg[cand] <= k)]
        if len(peel) == 0:  # nothing left at this k: next k is the smallest degree
            cand = np.flatnonzero(alive)
            k = max(k, int(deg[cand].min()))
            continue
        core[peel], alive[peel] = k, False
        left -= len(peel)
        nbrs = np.concatenate([_row_entries(S, peel), _row_entries(ST, peel)])
        nbrs.sort()  # neighbours once each, with how many peeled edges they lose
        first = np.concatenate(([True], nbrs[1:] != nbrs[:-1])) if len(nbrs) else np.zeros(0, bool)
        cand = nbrs[first]
        deg[cand] -= np.diff(np.append(np.flatnonzero(first), len(nbrs)))
    return core


def _row_entries(M: sp.csr_array, rows: np.ndarray) -> np.ndarray:
    """Column indices of the given CSR rows, concatenated."""
    starts = M.indptr[rows]
    counts = M.indptr[rows + 1] - starts
    offsets = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
    return M.indices[offsets]


def auto_betweenness_k(n: int, m: int) -> int | None:
    """Default number of betweenness sources: ``None`` (exact) for small graphs.

    >>> auto_betweenness_k(4000, 10**5), auto_betweenness_k(81306, 1768149)
    (None, 84)
    """
    if n <= EXACT_BETWEENNESS_MAX_N:
        return None
    return int(min(256, max(16, BETWEENNESS_EDGE_BUDGET // max(m, 1))))


def auto_backend(m: int) -> str:
    """The betweenness backend "auto" picks for ``m`` edges.

    >>> auto_backend(10) in ("compiled", "igraph")
    True
    """
    from graph.ranking import brandes_compiled

    if brandes_compiled.available():
        return "compiled"
    return "igraph" if m <= IGRAPH_BETWEENNESS_MAX_M else "numpy"


def betweenness(
    e: EdgeArrays | sp.csr_array, *, k: int | None = None, seed: int = 0, backend: str = "auto"
) -> np.ndarray:
    """Normalised directed betweenness, equal to ``nx.betweenness_centrality(G, k, seed=seed)``.

    Sources are NetworkX's sample, ``random.Random(seed).sample(nodes, k)``;
    ``backend`` "compiled" (numba Brandes on the CSR arrays, sources split across
    cores: :mod:`graph.ranking.brandes_compiled`), "igraph" (C Brandes, but building
    the graph costs ~1 us/edge) or "numpy" (BFS in scipy, Brandes' sums level by level
    in numpy; no graph to build): "auto" takes the compiled one where numba is
    installed, else igraph up to :data:`IGRAPH_BETWEENNESS_MAX_M` edges, else numpy.

    >>> betweenness(EdgeArrays.from_pairs([("a", "b"), ("b", "c")])).tolist()
    [0.0, 0.5, 0.0]
    """
    A = _simple(adjacency(e) if isinstance(e, EdgeArrays) else e)
    n = A.shape[0]
    k = None if k is not None and k >= n else k
    sources = list(range(n)) if k is None else random.Random(seed).sample(range(n), k)
    if backend == "auto":
        backend = auto_backend(A.nnz)
    if backend == "compiled":
        from graph.ranking.brandes_compiled import brandes

        raw = brandes(A.indptr, A.indices, np.asarray(sources, dtype=np.int64))
    elif backend == "igraph":
        raw = _brandes_igraph(A, None if k is None else sources)
    else:
        raw = _brandes_numpy(A, sources)
    N = n - 1  # endpoints excluded: as networkx._rescale
    if N < 2:
        return raw
    if k is None:
        return raw / (N * (N - 1))
    scale = np.full(n, 1.0 / (k * (N - 1)))
    scale[sources] = 1.0 / ((k - 1) * (N - 1)) if k > 1 else np.nan
    return raw * scale


def _brandes_igraph(A: sp.csr_array, sources: list[int] | None, chunk: int = 2_000_000):
    import igraph as ig

    src = np.repeat(np.arange(A.shape[0], dtype=np.int64), np.diff(A.indptr))
    g = ig.Graph(n=A.shape[0], directed=True)
    for i in range(0, len(src), chunk):  # bounded memory: ~100 B per edge in a chunk
        g.add_edges(list(zip(src[i : i + chunk].tolist(), A.indices[i : i + chunk].tolist(), strict=True)))
    return np.asarray(g.betweenness(directed=True, sources=sources), dtype=np.float64)


def _brandes_numpy(A: sp.csr_array, sources: list[int]) -> np.ndarray:
    """Brandes' accumulation; per source one scipy BFS, then numpy passes over the
    edges that lie on shortest paths, one BFS level at a time."""
    from scipy.sparse.csgraph import breadth_first_order

    n = A.shape[0]
    tail = np.repeat(np.arange(n, dtype=np.int32), np.diff(A.indptr))
    head = A.indices
    total = np.zeros(n)
    for s in sources:
        order, pred = breadth_first_order(A, s, directed=True, return_predecessors=True)
        dist = _bfs_levels(order, pred, n)
        dt = dist[tail]
        on = np.flatnonzero((dt >= 0) & (dist[head] == dt + 1))
        on = on[np.argsort(dt[on], kind="stable")]
        bounds = np.searchsorted(dt[on], np.arange(dist.max() + 1))
        u, v = tail[on], head[on]
        sigma = np.zeros(n)
        sigma[s] = 1.0
        for a, b in zip(bounds[:-1], bounds[1:], strict=True):
            sigma += np.bincount(v[a:b], weights=sigma[u[a:b]], minlength=n)
        delta = np.zeros(n)
        for a, b in zip(bounds[-2::-1], bounds[:0:-1], strict=True):
            w = sigma[u[a:b]] / sigma[v[a:b]] * (1.0 + delta[v[a:b]])
            delta += np.bincount(u[a:b], weights=w, minlength=n)
        delta[s] = 0.0
        total += delta
    return total


def _bfs_levels(order: np.ndarray, pred: np.ndarray, n: int) -> np.ndarray:
    """BFS distance from the BFS order (levels are contiguous in it); -1 = unreached."""
    dist = np.full(n, -1, dtype=np.int32)
    dist[order[0]] = 0
    rest, level, pos = pred[order[1:]], 0, 0
    while pos < len(rest):
        reached = dist[rest[pos:]] == level  # parents in the current level
        count = len(reached) if reached.all() else int(np.argmin(reached))
        level += 1
        dist[order[1 + pos : 1 + pos + count]] = level
        pos += count
    return dist
