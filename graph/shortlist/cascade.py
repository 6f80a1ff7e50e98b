"""Independent cascade on a propagation graph: who can influence whom, and how likely.

**Propagation graph.** Influence flows from an influencer to their audience: an
edge ``u -> v`` means "u can influence v". ``A follows B`` gives ``B -> A``;
``A relayed B count times`` gives ``B -> A`` too. Parallel evidence is summed into
one weight ``w = follows + relay_weight * count``.

**Probabilities** (``p``):

* ``"wc"`` (default): weighted cascade, ``p(u, v) = w(u, v) / W_in(v)`` where
  ``W_in(v)`` is all weight into ``v`` (Kempe et al.'s ``1 / in-degree``, with
  relays counting more). Parameter-free and scale-aware: a person who follows
  2,000 accounts is hard to move, one who follows 20 is not. A constant ``p`` on a
  dense follower graph is either subcritical (nobody spreads) or supercritical
  (everyone reaches the same giant cascade) depending on the graph, and then the
  choice of set hardly matters.
* a float ``p`` (e.g. ``0.01``): constant IC, ``p(u, v) = 1 - (1 - p) ** w`` (each
  unit of evidence is one independent chance).

**Randomness.** Estimates use *possible worlds*: edge ``e`` is live in world ``r``
iff ``splitmix64(seed, r, e) < p_e``. Two estimates with the same seed see the
same worlds (common random numbers), so comparisons are paired, and the estimated
spread is exactly monotone and submodular in the seed set. Everything is
vectorised over (world, node) frontiers on CSR arrays: no Python loop per edge.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from graph.model import EdgeArrays

__all__ = [
    "PropagationGraph",
    "Worlds",
    "propagation_graph",
    "simulate_spread",
    "world_spreads",
    "rr_sets",
]

_VISITED_CELLS = 1 << 25  # worlds x nodes per batch (32 MB of booleans)
_CHUNK_EDGES = 1 << 17  # edges per vectorised step (cache-sized: 4x faster than 1 << 22)
_U = np.uint64


# -- the propagation graph ----------------------------------------------------
@dataclass(frozen=True)
class PropagationGraph:
    """CSR graph of "u can influence v" edges with a probability per edge.

    ``nodes[i]`` is a pid; edges of ``u`` are ``dst[indptr[u]:indptr[u+1]]``.
    """

    nodes: np.ndarray
    indptr: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    prob: np.ndarray
    model: str = "wc"

    @property
    def n(self) -> int:
        return len(self.nodes)

    @property
    def m(self) -> int:
        return len(self.dst)

    @cached_property
    def index(self) -> pd.Index:
        return pd.Index(self.nodes)

    @cached_property
    def src(self) -> np.ndarray:
        return np.repeat(np.arange(self.n), np.diff(self.indptr))

    @cached_property
    def reverse(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """In-edge CSR: ``(indptr, source node, edge id)`` grouped by target."""
        order = np.argsort(self.dst, kind="stable")
        ptr = np.concatenate([[0], np.cumsum(np.bincount(self.dst, minlength=self.n))])
        return ptr, self.src[order], order

    def with_p(self, p: str | float) -> PropagationGraph:
        """The same edges under another probability model."""
        prob = _probs(self.dst, self.weight, self.n, p)
        return PropagationGraph(self.nodes, self.indptr, self.dst, self.weight, prob, str(p))

    def locate(self, items: Iterable) -> np.ndarray:
        """Node indices of pids (or pass-through of integer indices)."""
        arr = np.asarray(list(items), dtype=object)
        if arr.size and all(isinstance(x, (int, np.integer)) for x in arr):
            return arr.astype(np.int64)
        idx = self.index.get_indexer(arr) if arr.size else np.zeros(0, np.int64)
        if (idx < 0).any():
            raise KeyError(f"not in the graph: {sorted(map(str, arr[idx < 0]))[:10]}")
        return idx.astype(np.int64)


def _probs(dst: np.ndarray, weight: np.ndarray, n: int, p: str | float) -> np.ndarray:
    if p == "wc":
        w_in = np.bincount(dst, weights=weight, minlength=n)
        return weight / np.where(w_in > 0, w_in, 1.0)[dst]
    q = float(p)
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"p must be 'wc' or a probability in [0, 1], got {p!r}")
    return 1.0 - (1.0 - q) ** weight


def _indices(edges: EdgeArrays, names: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    if len(edges.nodes) == len(names) and np.array_equal(edges.nodes, names.to_numpy()):
        return edges.src, edges.dst
    where = names.get_indexer(edges.nodes)
    return where[edges.src], where[edges.dst]


def propagation_graph(
    follows: EdgeArrays,
    relays: EdgeArrays | None = None,
    *,
    p: str | float = "wc",
    relay_weight: float = 1.0,
    nodes: Iterable[str] | None = None,
) -> PropagationGraph:
    """Build "who can influence whom" from follows (reversed) and relays (reversed).

    Parameters
    ----------
    follows : EdgeArrays
        ``A -> B`` means A follows B (so B can influence A).
    relays : EdgeArrays, optional
        ``A -> B`` with weight ``count``: A relayed B's posts ``count`` times.
    p : "wc" or float
        Probability model (see the module docstring).
    relay_weight : float
        Evidence of one relay relative to one follow.
    nodes : iterable of str, optional
        Extra pids to include as nodes (e.g. every scored person).

    Returns
    -------
    PropagationGraph

    Examples
    --------
    >>> f = EdgeArrays.from_pairs([("a", "b"), ("c", "b"), ("c", "a")])
    >>> g = propagation_graph(f)
    >>> [(g.nodes[u], g.nodes[v], float(p)) for u, v, p in zip(g.src, g.dst, g.prob)]
    [('a', 'c', 0.5), ('b', 'a', 1.0), ('b', 'c', 0.5)]
    """
    parts = [follows.nodes] + ([relays.nodes] if relays is not None else [])
    if nodes is not None:
        parts.append(np.asarray(list(nodes), dtype=object))
    names = pd.Index(np.concatenate(parts)).unique() if len(parts) > 1 else pd.Index(follows.nodes)
    fs, fd = _indices(follows, names)
    us, vs, ws = [fd], [fs], [np.ones(len(fs))]
    if relays is not None and relays.m:
        rs, rd = _indices(relays, names)
        us.append(rd)
        vs.append(rs)
        ws.append(relay_weight * relays.weight.astype(float))
    n = len(names)
    u, v, w = (np.concatenate(x) for x in (us, vs, ws))
    keep = u != v
    key, inverse = np.unique(u[keep] * n + v[keep], return_inverse=True)
    weight = np.bincount(inverse, weights=w[keep], minlength=len(key))
    src, dst = np.divmod(key, n)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(src, minlength=n))])
    return PropagationGraph(
        names.to_numpy(dtype=object), indptr, dst, weight, _probs(dst, weight, n, p), str(p)
    )


# -- possible worlds -------------------------------------------------------------
def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser (wrapping uint64 arithmetic)."""
    z = x + _U(0x9E3779B97F4A7C15)
    z = (z ^ (z >> _U(30))) * _U(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> _U(27))) * _U(0x94D049BB133111EB)
    return z ^ (z >> _U(31))


def _salt(seed: int, stream: int) -> np.uint64:
    return _mix(np.array([seed * 1_000_003 + stream], dtype=np.uint64))[0]


def _thresholds(prob: np.ndarray) -> np.ndarray:
    return np.floor(np.clip(prob, 0.0, 1.0) * 2.0**53).astype(np.uint64)


def _bfs(csr, thr, n, worlds, nodes, visited, salt, world0):
    """Everything newly reachable over live edges, as (world, node) arrays."""
    indptr, nbr, eid = csr
    m = _U(len(thr))
    found: list[np.ndarray] = []
    while len(nodes):
        lo = indptr[nodes]
        deg = indptr[nodes + 1] - lo
        ends = np.cumsum(deg)
        cuts = np.searchsorted(ends, np.arange(_CHUNK_EDGES, ends[-1], _CHUNK_EDGES), "right")
        step: list[np.ndarray] = []
        for a, b in zip(np.r_[0, cuts], np.r_[cuts, len(nodes)], strict=True):
            d = deg[a:b]
            tot = int(d.sum())
            if tot == 0:
                continue
            pos = np.repeat(lo[a:b] - (np.cumsum(d) - d), d) + np.arange(tot)
            w = np.repeat(worlds[a:b], d)
            e = pos if eid is None else eid[pos]
            h = _mix(((w + world0).astype(np.uint64) * m + e.astype(np.uint64)) ^ salt)
            live = (h >> _U(11)) < thr[e]
            cell = w[live] * n + nbr[pos[live]]
            cell = np.unique(cell[~visited[cell]])
            visited[cell] = True
            step.append(cell)
        cells = np.concatenate(step) if step else np.zeros(0, np.int64)
        found.append(cells)
        worlds, nodes = np.divmod(cells, n)
    cells = np.concatenate(found) if found else np.zeros(0, np.int64)
    return np.divmod(cells, n)


def world_spreads(
    graph: PropagationGraph, seeds: Iterable, *, p=None, rounds: int = 200, seed: int = 0
) -> np.ndarray:
    """People reached by ``seeds`` in each of ``rounds`` possible worlds (seeds count).

    >>> g = propagation_graph(EdgeArrays.from_pairs([("a", "b")]))
    >>> world_spreads(g, ["b"], rounds=3).tolist()
    [2, 2, 2]
    """
    g = graph if p is None else graph.with_p(p)
    s = np.unique(g.locate(seeds))
    out = np.full(rounds, len(s), dtype=np.int64)
    if not len(s) or not g.m:
        return out
    batch, thr = max(1, _VISITED_CELLS // g.n), _thresholds(g.prob)
    for lo in range(0, rounds, batch):
        b = min(batch, rounds - lo)
        visited = np.zeros(b * g.n, dtype=bool)
        w, v = np.repeat(np.arange(b), len(s)), np.tile(s, b)
        visited[w * g.n + v] = True
        fw, _ = _bfs((g.indptr, g.dst, None), thr, g.n, w, v, visited, _salt(seed, 0), lo)
        out[lo : lo + b] += np.bincount(fw, minlength=b)
    return out


def simulate_spread(
    graph: PropagationGraph, seeds: Iterable, *, p=None, rounds: int = 200, seed: int = 0
) -> float:
    """Monte-Carlo expected spread of ``seeds`` under IC (vectorised over worlds).

    Parameters
    ----------
    graph : PropagationGraph
    seeds : iterable of pid or node index
    p : None, "wc" or float
        Override the graph's probability model.
    rounds : int
        Number of possible worlds averaged.
    seed : int
        Same seed, same worlds: results are deterministic and paired.

    Returns
    -------
    float
        Mean number of people active at the end (seeds included).

    Examples
    --------
    >>> g = propagation_graph(EdgeArrays.from_pairs([("a", "b"), ("c", "b")]), p=1.0)
    >>> simulate_spread(g, ["b"])
    3.0
    """
    return float(world_spreads(graph, seeds, p=p, rounds=rounds, seed=seed).mean())


def rr_sets(graph: PropagationGraph, count: int, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Random reverse-reachable sets: who would have reached a random person.

    Returns ``(indptr, members)``: set ``j`` is ``members[indptr[j]:indptr[j+1]]``.
    ``n * P(S covers a random RR set)`` is the expected spread of ``S``.

    >>> g = propagation_graph(EdgeArrays.from_pairs([("a", "b")]), p=1.0)
    >>> ptr, mem = rr_sets(g, 4, seed=1)
    >>> int(ptr[-1]) >= 4
    True
    """
    rev = graph.reverse
    n, thr = graph.n, _thresholds(graph.prob)
    roots = np.random.default_rng(seed).integers(0, n, count)
    batch = max(1, _VISITED_CELLS // n)
    sets, members = [], []
    visited = np.zeros(min(batch, count) * n, dtype=bool)
    for lo in range(0, count, batch):
        b = min(batch, count - lo)
        w, v = np.arange(b), roots[lo : lo + b]
        visited[w * n + v] = True
        fw, fv = _bfs(rev, thr, n, w, v, visited, _salt(seed, 1), lo)
        visited[w * n + v] = False
        visited[fw * n + fv] = False
        sets += [w + lo, fw + lo]
        members += [v, fv]
    s, mem = np.concatenate(sets), np.concatenate(members)
    order = np.argsort(s, kind="stable")
    ptr = np.concatenate([[0], np.cumsum(np.bincount(s, minlength=count))])
    return ptr, mem[order]


class Worlds:
    """Who is reached so far in each of ``rounds`` possible worlds (for greedy).

    :meth:`gain` is the exact marginal gain, summed over worlds, of adding one
    person to the people already added; with ``keep=True`` the person is added.

    >>> g = propagation_graph(EdgeArrays.from_pairs([("a", "b"), ("c", "b")]), p=1.0)
    >>> w = Worlds(g, rounds=4)
    >>> w.gain(1), w.gain(1, keep=True), w.gain(0)
    (12, 12, 0)
    """

    def __init__(self, graph: PropagationGraph, rounds: int = 200, seed: int = 0) -> None:
        self.graph, self.rounds = graph, rounds
        self._thr, self._salt = _thresholds(graph.prob), _salt(seed, 0)
        self._visited = np.zeros(rounds * graph.n, dtype=bool)
        self._worlds = np.arange(rounds)

    def gain(self, v: int, *, keep: bool = False) -> int:
        g, n, vis = self.graph, self.graph.n, self._visited
        w = self._worlds[~vis[self._worlds * n + v]]
        vis[w * n + v] = True
        fw, fv = _bfs((g.indptr, g.dst, None), self._thr, n, w, np.full(len(w), v), vis, self._salt, 0)
        if not keep:
            vis[fw * n + fv] = False
            vis[w * n + v] = False
        return len(w) + len(fw)
