"""Brandes' betweenness, compiled (numba): one BFS per source, sources split across cores.

The same sums as :func:`graph.ranking.centrality._brandes_numpy` and igraph's
``Graph.betweenness(sources=…)`` (raw, unnormalised; directed, unweighted), without
building an igraph graph (about 1 us per edge) or a numpy pass per BFS level. The back
pass walks each node's out-edges and keeps those one level down (the successor form of
Brandes), so no predecessor lists are stored. Sources are dealt round-robin to one
Python thread per core this process may use (``os.sched_getaffinity``); the compiled
loop releases the GIL, so they run side by side. Each thread sums into its own row,
added up at the end, so the result does not depend on the thread count beyond float
rounding. (Plain threads, not numba's ``parallel=True``: its default "workqueue" layer
aborts the process when two threads launch parallel code at once, as two app sessions
could.)

Import cost: numba (about half a second); the compiled code is cached next to this
file (or in numba's user cache). Measured on SNAP ego-Twitter (81k people, 1.77M
follows, 84 sources): 1.1-1.3 s on 2 cores, 2.2-2.7 s on one, against igraph's 2.1 s
plus 1.0 s to build its graph; see also ``bench/end_to_end.py``.
"""

from __future__ import annotations

import numpy as np

from graph.ranking.compiled import available, cores, njit

__all__ = ["available", "brandes", "cores"]


def _one_source(s, indptr, indices, dist, sigma, delta, order, acc):  # noqa: ANN001, ANN202
    """Add the dependencies of source ``s`` to ``acc``; the work arrays come back reset."""
    dist[s] = 0
    sigma[s] = 1.0
    order[0] = s
    head, tail = 0, 1
    while head < tail:  # BFS: order holds the nodes by distance
        v = order[head]
        head += 1
        dv = dist[v] + 1
        for j in range(indptr[v], indptr[v + 1]):
            w = indices[j]
            if dist[w] < 0:
                dist[w] = dv
                order[tail] = w
                tail += 1
            if dist[w] == dv:
                sigma[w] += sigma[v]
    for i in range(tail - 1, -1, -1):  # back pass, farthest first
        v = order[i]
        dv = dist[v] + 1
        d = 0.0
        for j in range(indptr[v], indptr[v + 1]):
            w = indices[j]
            if dist[w] == dv:
                d += sigma[v] / sigma[w] * (1.0 + delta[w])
        delta[v] = d
    for i in range(1, tail):
        acc[order[i]] += delta[order[i]]
    for i in range(tail):
        v = order[i]
        dist[v] = -1
        sigma[v] = 0.0
        delta[v] = 0.0


def _some_sources(indptr, indices, sources, acc):  # noqa: ANN001, ANN202
    """Add the dependencies of every source in ``sources`` to ``acc`` (one thread's share)."""
    n = len(indptr) - 1
    dist = np.full(n, -1, np.int64)
    sigma = np.zeros(n)
    delta = np.zeros(n)
    order = np.empty(n, np.int64)
    for s in sources:
        _one_source(s, indptr, indices, dist, sigma, delta, order, acc)


if njit is not None:
    _one_source = njit(cache=True, nogil=True)(_one_source)
    _some_sources = njit(cache=True, nogil=True)(_some_sources)


def brandes(indptr: np.ndarray, indices: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """Raw betweenness (sum over ``sources`` of their dependencies) on the CSR graph
    ``indptr``/``indices`` (row = tail, column = head; no self-loops or duplicates).

    >>> brandes(np.array([0, 1, 2, 2]), np.array([1, 2]), np.arange(3)).tolist()
    [0.0, 1.0, 0.0]
    """
    indptr, indices = indptr.astype(np.int64), indices.astype(np.int64)
    sources = np.asarray(sources, np.int64)
    threads = max(1, min(cores(), len(sources)))
    acc = np.zeros((threads, len(indptr) - 1))
    if threads == 1:
        _some_sources(indptr, indices, sources, acc[0])
        return acc[0]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=threads) as pool:
        done = [pool.submit(_some_sources, indptr, indices, sources[t::threads], acc[t]) for t in range(threads)]
        for d in done:
            d.result()
    return acc.sum(axis=0)
