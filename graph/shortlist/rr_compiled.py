"""Reverse-reachable sets, compiled (numba): the same sets as the array version, faster.

:func:`graph.shortlist.cascade.rr_sets` walks every RR set level by level with array
operations, a Python loop per level and batch; this walks each set with a compiled
queue. Whether an edge is live in a set is the same hash of (set, edge) in both
(splitmix64, the cascade's ``_mix``), so for the same roots both return exactly the
same members per set (possibly in another order inside a set); a test checks it.
Measured on SNAP ego-Twitter (81k people, 1.77M follows, 100k sets, weighted
cascade): see ``bench/end_to_end.py`` and the commit that added this module.

Import cost: numba (about half a second), paid only when sets are sampled; the
compiled code is cached next to this file (or in numba's user cache).
"""

from __future__ import annotations

import numpy as np

from graph.ranking.compiled import available, cores, njit

__all__ = ["available", "rr_walk"]


def _mix(x):  # noqa: ANN001, ANN202 - compiled: uint64 in, uint64 out
    """splitmix64 finaliser, as ``graph.shortlist.cascade._mix`` (wrapping uint64)."""
    z = x + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _grow(members, need):  # noqa: ANN001, ANN202
    if need <= len(members):
        return members
    out = np.empty(max(need, 2 * len(members)), np.int64)
    out[: len(members)] = members
    return out


def _walk(roots, first, n, indptr, nbr, eid, thr, node_p, m, salt, salt_gap, r_indptr, r_nbr, r_eid, r_thr, rm, salt_r, relays):  # noqa: ANN001, ANN202, E501
    """All sets: follow edges (reverse) from the root as far as they are live, then one
    live relay edge (reverse) out of every member. Returns ``(indptr, members)``. Set
    ``j`` of this call is world ``first + j`` (a thread walks one stretch of the roots).

    Where all in-edges of a node share one chance ``node_p`` (weighted cascade: ``1 / in-degree``),
    the live ones are found by geometric gaps (one draw per live edge, not one per edge);
    ``node_p < 0``: a coin per edge, the array version's."""
    count = len(roots)  # thresholds come in the order of the reverse CSR, ``m``: edges in all
    ptr = np.zeros(count + 1, np.int64)
    members = np.empty(max(16, 4 * count), np.int64)
    mark = np.full(max(n, 1), -1, np.int64)
    shift = np.uint64(11)
    pos = 0
    for j in range(count):
        world = np.uint64(first + j)
        start = pos
        members = _grow(members, pos + 1)
        members[pos] = roots[j]
        mark[roots[j]] = j
        pos += 1
        head = start
        while head < pos:
            u = members[head]
            head += 1
            a, b, p = indptr[u], indptr[u + 1], node_p[u]
            k = a - 1
            while True:
                if p < 0.0:  # a coin per edge
                    k += 1
                    if k >= b:
                        break
                    if (_mix((world * m + np.uint64(eid[k])) ^ salt) >> shift) >= thr[k]:
                        continue
                elif p < 1.0:  # the next live edge: a geometric gap, keyed by (set, position)
                    draw = ((_mix((world * m + np.uint64(k + 1)) ^ salt_gap) >> shift) + 1) * 2.0**-53
                    gap = np.floor(np.log(draw) / np.log1p(-p)) if p > 0.0 else np.inf
                    if k + 1 + gap >= b:
                        break
                    k += 1 + int(gap)
                else:
                    k += 1
                    if k >= b:
                        break
                v = nbr[k]
                if mark[v] != j:
                    mark[v] = j
                    members = _grow(members, pos + 1)
                    members[pos] = v
                    pos += 1
        if relays:
            end = pos
            for i in range(start, end):
                u = members[i]
                for k in range(r_indptr[u], r_indptr[u + 1]):
                    if (_mix((world * rm + np.uint64(r_eid[k])) ^ salt_r) >> shift) < r_thr[k]:
                        v = r_nbr[k]
                        if mark[v] != j:
                            mark[v] = j
                            members = _grow(members, pos + 1)
                            members[pos] = v
                            pos += 1
        ptr[j + 1] = pos
    return ptr, members[:pos].copy()


if njit is not None:
    _mix = njit(cache=True, inline="always")(_mix)
    _grow = njit(cache=True)(_grow)
    _walk = njit(cache=True, nogil=True)(_walk)


def rr_walk(roots: np.ndarray, n: int, reverse: tuple, thr: np.ndarray, salt: np.uint64,
            relay_reverse: tuple | None, relay_thr: np.ndarray | None, relay_salt: np.uint64,
            *, gaps: bool = True, threads: int | None = None) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """RR sets from ``roots`` (set ``j`` is world ``j``): ``reverse`` is the in-edge CSR
    ``(indptr, source, edge id)`` with live thresholds ``thr`` per edge id; the relay
    edges likewise (``None``: no relay edges). Returns ``(indptr, members)``.

    ``gaps=False``: a coin per edge, exactly the array version's sets. ``gaps=True``
    (default): where a node's in-edges share one chance, geometric gaps between its
    live edges: the same distribution (every edge live independently with its
    chance), other draws, and work in proportion to the live edges, not all edges.

    The roots are walked in ``threads`` stretches side by side (default: one per core
    this process may use, for 20,000 sets or more); set ``j`` is world ``j`` whatever the
    stretch, so the sets are the same for any thread count (a test checks it).

    >>> rev = (np.array([0, 0, 1]), np.array([0]), np.array([0]))  # 0 -> 1, always live
    >>> ptr, mem = rr_walk(np.array([1, 0]), 2, rev, np.array([2**53], np.uint64), np.uint64(7),
    ...                    None, None, np.uint64(0))
    >>> ptr.tolist(), mem.tolist()
    ([0, 2, 3], [1, 0, 0])
    """
    empty_i, empty_u = np.zeros(1, np.int64), np.zeros(1, np.uint64)
    indptr, nbr, eid = (np.ascontiguousarray(a, np.int64) for a in reverse)
    r_indptr, r_nbr, r_eid = (
        (np.ascontiguousarray(a, np.int64) for a in relay_reverse) if relay_reverse is not None
        else (empty_i, empty_i, empty_i)
    )  # fmt: skip
    r_thr = relay_thr if relay_reverse is not None and relay_thr is not None else empty_u
    thr_k = np.ascontiguousarray(np.asarray(thr, np.uint64)[eid])
    node_p = _shared_chance(indptr, thr_k, n) if gaps else np.full(max(n, 1), -1.0)
    roots = np.ascontiguousarray(roots, np.int64)
    rest = (int(n), indptr, nbr, eid, thr_k, node_p, np.uint64(len(thr)), np.uint64(salt), _gap_salt(np.uint64(salt)),
            r_indptr, r_nbr, r_eid, np.ascontiguousarray(r_thr[r_eid], np.uint64), np.uint64(len(r_thr)),
            np.uint64(relay_salt), relay_reverse is not None)  # fmt: skip
    if threads is None:
        threads = cores() if len(roots) >= _PARALLEL_SETS else 1
    threads = max(1, min(threads, len(roots)))
    if threads == 1:
        return _walk(roots, 0, *rest)
    from concurrent.futures import ThreadPoolExecutor

    bounds = np.linspace(0, len(roots), threads + 1).astype(np.int64)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(_walk, roots[a:b], int(a), *rest) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
        parts: list[tuple[np.ndarray, np.ndarray]] = [f.result() for f in futures]
    sizes = np.array([len(mem) for _, mem in parts], np.int64)
    offsets = np.cumsum(sizes) - sizes
    ptr = np.concatenate([np.zeros(1, np.int64)] + [p[1:] + off for (p, _), off in zip(parts, offsets, strict=True)])
    return ptr.astype(np.int64), np.concatenate([mem for _, mem in parts])


#: Sets from which the walk is split across cores (below, a thread costs more than it saves).
_PARALLEL_SETS = 20_000


def _shared_chance(indptr: np.ndarray, thr: np.ndarray, n: int) -> np.ndarray:
    """Per node, the chance its in-edges share (``thr / 2**53``), or -1 where they differ.

    >>> _shared_chance(np.array([0, 2, 4, 4]), np.array([2**52, 2**52, 1, 2], np.uint64), 3).tolist()
    [0.5, -1.0, 0.0]
    """
    out = np.zeros(max(n, 1))
    has = np.flatnonzero(np.diff(indptr) > 0)
    if len(has) and len(thr):
        lo, hi = np.minimum.reduceat(thr, indptr[has]), np.maximum.reduceat(thr, indptr[has])
        out[has] = np.where(lo == hi, lo.astype(np.float64) * 2.0**-53, -1.0)
    return out


def _gap_salt(salt: np.uint64) -> np.uint64:
    """The gaps' own stream, derived from the coins' salt (splitmix64 of ``salt ^ 5``)."""
    with np.errstate(over="ignore"):
        z = np.uint64(salt) ^ np.uint64(5)
        return np.uint64(_mix.py_func(z) if hasattr(_mix, "py_func") else _mix(z))
