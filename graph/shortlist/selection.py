"""Choose the shortlist as a *set*: influence maximisation under independent cascade.

Kempe, Kleinberg & Tardos (KDD 2003): in the independent cascade (IC) model a newly
active person gets one chance to activate each contact with probability ``p``;
expected spread is monotone submodular, so greedy picking is within ``1 - 1/e`` of
the best set. The model, its probabilities (weighted cascade by default) and the
simulation live in :mod:`graph.shortlist.cascade`.

**Algorithms.** :func:`ris_greedy` (the default, ``method="set"``) covers random
reverse-reachable sets greedily (Borgs et al. 2014; Tang et al. 2014): one sampling
pass, then each pick costs only the sets it newly covers, so 300 picks on 80k
people take seconds, where Monte-Carlo CELF would need a simulation per evaluated
candidate. :func:`celf` is Monte-Carlo lazy greedy (Leskovec et al. 2007), exact on
its sampled worlds: for small graphs and as the reference. :func:`degree_discount`
(Chen, Wang & Yang 2009) is the millisecond heuristic.

**Seed activity.** With ``graph.active`` (the chance each person posts in the
horizon, :func:`graph.shortlist.cascade.posting_chance`), :func:`ris_greedy` maximises
``sum_j 1 - prod_{u in S and R_j} (1 - active[u])``: the expected number of RR
sets covered by the picks *that post*. Each RR set is weighed exactly (no coin
flips), by lazy greedy (CELF) over the sets; with ``active = None`` it is plain
max coverage as before. Still monotone submodular: no two picks with the same
audience.

**Why the default changed** (backtest: pick on relays before ``T``, count the
distinct people who relayed the picks after ``T``; see :mod:`graph.shortlist.cascade`). With
relay evidence chained like follows under weighted cascade, a small author relayed
once by a hub inherited the hub's whole relay audience with ``p = 1`` and the hub
was never picked: the set reached 5-35 % fewer future relayers than top-k by
distinct past relayers on Twitter15/16 (all 18 cells). With relays one hop from
the seed and fitted seed activity it reaches +4 to +28 % more at k = 50 and
+2 to +7 % at k = 100 there, ties at k = 300, +1 to +21 % on Topo-LSTM, and -6.5 to
+3.6 % of the best baseline on the fictitious sample network.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from graph.errors import UsageError
from graph.model import EdgeArrays
from graph.shortlist.cascade import (
    PropagationGraph,
    Worlds,
    propagation_graph,
    rr_sets,
    simulate_spread,
    stable_order,
    world_spreads,
)

__all__ = [
    "Constraints",
    "ris_greedy",
    "celf",
    "degree_discount",
    "coverage_gains",
    "set_shortlist",
    "topk",
    "compare_spread",
    "BASELINES",
    # re-exported from graph.shortlist.cascade
    "PropagationGraph",
    "propagation_graph",
    "simulate_spread",
    "world_spreads",
    "rr_sets",
]


# -- constraints -----------------------------------------------------------------
@dataclass(frozen=True)
class Constraints:
    """What a pick must respect; people are pids.

    ``include`` are picked first (their gain still recorded) and count toward
    ``max_per_community`` without ever being dropped; ``exclude`` are never picked.
    ``min_relevance`` drops people whose relevance is below it or unknown (NaN).
    People without a community (``community`` missing) are not capped.
    """

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_per_community: int | None = None
    community: Mapping[str, int] | None = None
    min_relevance: float | None = None
    relevance: Mapping[str, float] | None = None

    @classmethod
    def from_scores(cls, scores: pd.DataFrame, **kw) -> Constraints:
        """Take ``community`` and ``relevance`` from a scores table, each only when a rule
        needs it (a cap per community, a minimum relevance): at 1M people each costs ~1 s.

        >>> s = pd.DataFrame({"pid": ["a"], "community": [0]})
        >>> Constraints.from_scores(s, max_per_community=2).community, Constraints.from_scores(s).community
        ({'a': 0}, None)
        """

        def col(c, needed):  # lists first: iterating Arrow-backed columns value by value is slow
            if not needed or c not in scores:
                return None
            return dict(zip(scores["pid"].tolist(), scores[c].tolist(), strict=True))

        kw = {k: tuple(v) if k in ("include", "exclude") else v for k, v in kw.items()}
        return cls(
            community=col("community", kw.get("max_per_community") is not None),
            relevance=col("relevance", kw.get("min_relevance") is not None),
            **kw,
        )


class _Rules:
    """Eligibility during greedy picking: allowed people minus full communities, and the
    forced ones (must-includes). With a ``size``, forced people compete like everyone else
    and are only pushed in at the end when the room left is theirs, so a pick's rank says
    what it adds (a hand-added person who adds little lands near the end, not first);
    without one, forced people come first."""

    def __init__(self, graph: PropagationGraph, c: Constraints | None, candidates=None, size: int | None = None):
        c = c or Constraints()
        self.size = size
        n = graph.n
        self.allowed = np.ones(n, bool) if candidates is None else np.zeros(n, bool)
        self.prio = np.zeros(n)  # in [0, 0.5): earlier candidates win ties
        if candidates is not None:
            cand = graph.locate(candidates)
            self.allowed[cand] = True
            self.prio[cand[::-1]] = np.linspace(0.0, 0.5, len(cand), endpoint=False)
        if c.min_relevance is not None:
            rel = pd.Series(c.relevance or {}, dtype=float).reindex(graph.nodes).to_numpy()
            self.allowed &= np.nan_to_num(rel, nan=-np.inf) >= c.min_relevance
        excluded = graph.locate(c.exclude)
        self.forced = list(dict.fromkeys(graph.locate(c.include).tolist()))
        if set(self.forced) & set(excluded.tolist()):
            raise UsageError("a person is both must-include and excluded")
        self.allowed[excluded] = False
        self.allowed[self.forced] = False
        self.cap: int | None = c.max_per_community
        if self.cap is None:  # communities only matter under a cap (aligning them costs ~1 s at 1M)
            self.comm = np.full(n, -1, dtype=np.int64)
        else:
            comm = pd.Series(c.community or {}, dtype=float).reindex(graph.nodes).to_numpy()
            self.comm = np.nan_to_num(comm, nan=-1).astype(np.int64)
        self.load: dict[int, int] = {}
        self.picked: list[int] = []
        self._taken: set[int] = set()
        self._close_full()

    def pending(self) -> list[int]:
        return [f for f in self.forced if f not in self._taken]

    def mask(self) -> np.ndarray | None:
        left = self.pending()
        if left and (self.size is None or len(self.picked) + len(left) >= self.size):
            m = np.zeros(len(self.allowed), bool)
            m[left] = True
            return m
        if left:
            m = self.allowed.copy()
            m[left] = True
            return m
        return self.allowed if self.allowed.any() else None

    def done(self, k: int) -> bool:
        return len(self.picked) >= k and not self.pending()

    def take(self, v: int) -> None:
        self.picked.append(v)
        self._taken.add(v)
        self.allowed[v] = False
        c = self.comm[v]
        if c >= 0 and self.cap is not None:
            self.load[c] = self.load.get(c, 0) + 1
            self._close_full(c)

    def _close_full(self, only: int | None = None) -> None:
        """No more free picks in a community whose cap is reached, counting the room its
        pending must-includes still need (``only``: just that community)."""
        if self.cap is None:
            return
        held = {c: k for c, k in self.load.items() if only is None or c == only}
        for f in self.pending():
            c = int(self.comm[f])
            if c >= 0 and (only is None or c == only):
                held[c] = held.get(c, 0) + 1
        for c, k in held.items():
            if k >= self.cap:
                self.allowed[self.comm == c] = False


def _frame(graph: PropagationGraph, picks: list[int], values: list[float], col: str) -> pd.DataFrame:
    idx = np.asarray(picks, dtype=np.int64)
    return pd.DataFrame({"pid": graph.nodes[idx], "node": idx, col: np.asarray(values, float)})


# -- algorithms ------------------------------------------------------------------
def _cover(rr, n: int):
    ptr, mem = rr
    theta = len(ptr) - 1
    set_of = np.repeat(np.arange(theta), np.diff(ptr))
    order = stable_order(mem)
    node_ptr = np.concatenate([[0], np.cumsum(np.bincount(mem, minlength=n))])
    return node_ptr, set_of[order], np.bincount(mem, minlength=n).astype(np.int64)


def _take_sets(node_ptr, node_sets, covered, v) -> np.ndarray:
    """Cover the not-yet-covered RR sets that contain ``v``; returns them."""
    new = node_sets[node_ptr[v] : node_ptr[v + 1]]
    new = new[~covered[new]]
    covered[new] = True
    return new


def _members(rr, sets: np.ndarray) -> np.ndarray:
    ptr, mem = rr
    size = ptr[sets + 1] - ptr[sets]
    return mem[np.repeat(ptr[sets] - (np.cumsum(size) - size), size) + np.arange(int(size.sum()))]


def ris_greedy(
    graph: PropagationGraph,
    n: int,
    *,
    candidates: Iterable | None = None,
    samples: int | None = None,
    seed: int = 0,
    constraints: Constraints | None = None,
    rr: tuple[np.ndarray, np.ndarray] | None = None,
    min_covered: int = 20_000,
) -> pd.DataFrame:
    """Greedy maximum coverage of reverse-reachable sets (RIS influence maximisation).

    ``samples=None`` starts with ``max(100,000, n)`` RR sets (every person a root
    at least once) and grows them (up to
    1,000,000) until the chosen set covers ``min_covered`` of them, which keeps
    its spread estimate within about 1% (weak cascades, e.g. constant ``p=0.01``,
    need several times more sets than the weighted cascade); with nobody eligible it
    samples nothing, and picks that cover no set at all are not worth more samples. Returns the picks
    in order with ``marginal_gain`` = expected extra people reached
    (``graph.n * newly covered sets / samples``).

    >>> f = EdgeArrays.from_pairs([("a", "hub"), ("b", "hub"), ("c", "d")])
    >>> ris_greedy(propagation_graph(f, p=1.0), 2, samples=2000)[["pid", "marginal_gain"]]
       pid  marginal_gain
    0  hub            3.0
    1    d            2.0
    """
    theta = samples or max(100_000, min(graph.n, 1_000_000))
    if _Rules(graph, constraints, candidates, size=n).mask() is None:
        return _frame(graph, [], [], "marginal_gain")  # nobody eligible: no sampling at all
    while True:
        sets = rr if rr is not None else rr_sets(graph, theta, seed=seed)
        picks, covered = _ris(graph, n, sets, _Rules(graph, constraints, candidates, size=n))
        if rr is not None or samples or covered >= min_covered or covered == 0 or theta >= 1_000_000:
            return picks
        theta = min(1_000_000, theta * min(8, math.ceil(1.1 * min_covered / max(covered, 1))))


def _ris(graph: PropagationGraph, n: int, rr, rules: _Rules) -> tuple[pd.DataFrame, int]:
    if graph.active is not None:
        return _ris_weighted(graph, n, rr, rules)
    theta = len(rr[0]) - 1
    node_ptr, node_sets, counts = _cover(rr, graph.n)
    covered, gains = np.zeros(theta, bool), []
    while not rules.done(n) and (mask := rules.mask()) is not None:
        v = int(np.argmax(np.where(mask, counts + rules.prio, -1)))
        gains.append(counts[v] * graph.n / max(theta, 1))
        new = _take_sets(node_ptr, node_sets, covered, v)
        counts -= np.bincount(_members(rr, new), minlength=graph.n)
        rules.take(v)
    return _frame(graph, rules.picked, gains, "marginal_gain"), int(covered.sum())


def _ris_weighted(graph: PropagationGraph, n: int, rr, rules: _Rules) -> tuple[pd.DataFrame, int]:
    """Greedy expected coverage when seed ``u`` posts with chance ``graph.active[u]``.

    Lazy: a gain only falls as picks are added (submodular), so a stale gain is an
    upper bound and only the top of a heap is re-evaluated (one pass over its sets).
    """
    theta = len(rr[0]) - 1
    node_ptr, node_sets, counts = _cover(rr, graph.n)
    assert graph.active is not None  # the weighted greedy runs only with seed activity
    a, resid = graph.active, np.ones(theta)

    def gain(v: int) -> float:
        return float(a[v] * resid[node_sets[node_ptr[v] : node_ptr[v + 1]]].sum())

    heap: list | None = None
    gains = []
    while not rules.done(n) and rules.mask() is not None:
        if left := rules.pending():
            v = max(left, key=lambda u: (gain(u), -u))
        else:
            if heap is None:
                cand = np.flatnonzero(rules.allowed)
                bound = (a[cand] * counts[cand]).tolist()
                heap = [(-b, -rules.prio[u], u, -1) for b, u in zip(bound, cand.tolist(), strict=True)]
                heapq.heapify(heap)
            v = -1
            while heap:
                _, pr, u, at = heapq.heappop(heap)
                if not rules.allowed[u]:
                    continue
                if at == len(rules.picked):
                    v = u
                    break
                heapq.heappush(heap, (-gain(u), pr, u, len(rules.picked)))
            if v < 0:
                break
        gains.append(gain(v) * graph.n / max(theta, 1))
        resid[node_sets[node_ptr[v] : node_ptr[v + 1]]] *= 1.0 - a[v]
        rules.take(v)
    return _frame(graph, rules.picked, gains, "marginal_gain"), int(round(theta - resid.sum()))


def coverage_gains(graph: PropagationGraph, order: Iterable, rr) -> np.ndarray:
    """Marginal gains (RR estimate) of picks taken in a given order.

    >>> g = propagation_graph(EdgeArrays.from_pairs([("a", "b")]), p=1.0)
    >>> coverage_gains(g, ["b", "a"], rr_sets(g, 100)).tolist()
    [2.0, 0.0]
    """
    node_ptr, node_sets, _ = _cover(rr, graph.n)
    covered, theta = np.zeros(len(rr[0]) - 1, bool), max(len(rr[0]) - 1, 1)
    if graph.active is not None:
        resid, out = np.ones(len(rr[0]) - 1), []
        for v in graph.locate(order):
            sets = node_sets[node_ptr[v] : node_ptr[v + 1]]
            out.append(graph.active[v] * resid[sets].sum())
            resid[sets] *= 1.0 - graph.active[v]
        return np.asarray(out, float) * graph.n / theta
    out = [len(_take_sets(node_ptr, node_sets, covered, v)) for v in graph.locate(order)]
    return np.asarray(out, float) * graph.n / theta


def celf(
    graph: PropagationGraph,
    n: int,
    *,
    candidates: Iterable | None = None,
    rounds: int = 200,
    seed: int = 0,
    constraints: Constraints | None = None,
) -> pd.DataFrame:
    """Monte-Carlo lazy greedy (CELF); exact greedy on the sampled worlds.

    Every candidate's gain is an upper bound after the first pick (submodularity),
    so only the top of a heap is re-evaluated. Cost grows with ``rounds x n``:
    meant for small graphs and as the reference for :func:`ris_greedy`.

    >>> f = EdgeArrays.from_pairs([("a", "hub"), ("b", "hub"), ("c", "d")])
    >>> celf(propagation_graph(f, p=1.0), 2)[["pid", "marginal_gain"]]
       pid  marginal_gain
    0  hub            3.0
    1    d            2.0
    """
    gain = Worlds(graph, rounds, seed).gain
    rules, gains = _Rules(graph, constraints, candidates), []
    while (left := rules.pending()) and not rules.done(n):  # must-includes: plain greedy
        best = max(left, key=lambda v: (gain(v), -v))
        gains.append(gain(best, keep=True) / rounds)
        rules.take(best)
    heap = [(-gain(v), v, len(rules.picked)) for v in np.flatnonzero(rules.allowed).tolist()]
    heapq.heapify(heap)
    while heap and not rules.done(n):
        _, v, at = heapq.heappop(heap)
        if not rules.allowed[v]:  # its community filled up
            continue
        if at == len(rules.picked):  # gain is fresh: it is the best
            gains.append(gain(v, keep=True) / rounds)
            rules.take(v)
        else:
            heapq.heappush(heap, (-gain(v), v, len(rules.picked)))
    return _frame(graph, rules.picked, gains, "marginal_gain")


def degree_discount(
    graph: PropagationGraph,
    n: int,
    *,
    p: float | None = None,
    candidates: Iterable | None = None,
    constraints: Constraints | None = None,
) -> pd.DataFrame:
    """DegreeDiscountIC (Chen, Wang & Yang 2009), directed.

    ``d_v`` is how many people ``v`` can influence; ``t_v`` how many picks can
    influence ``v``; ``dd_v = d_v - 2 t_v - (d_v - t_v) t_v p``. ``p`` defaults to
    the graph's mean edge probability. Returns picks with their ``dd`` at pick time.

    >>> f = EdgeArrays.from_pairs([("a", "hub"), ("b", "hub"), ("hub", "b"), ("c", "d")])
    >>> degree_discount(propagation_graph(f), 2, p=0.1)[["pid", "dd"]]
       pid   dd
    0  hub  2.0
    1    d  1.0
    """
    probs = np.concatenate([graph.prob, graph.relay_prob if graph.relay_m else np.zeros(0)])
    p = float(probs.mean()) if p is None and graph.m else float(p or 0.0)
    d = np.diff(graph.indptr).astype(float)
    if graph.relay_m:  # relay edges are out-edges too (first hop: exactly a seed's)
        pairs = np.unique(
            np.concatenate([graph.src * graph.n + graph.dst, graph.relay_src * graph.n + graph.relay_dst])
        )
        d = np.bincount(pairs // graph.n, minlength=graph.n).astype(float)
    t, dd = np.zeros(graph.n), d.copy()
    rules, vals = _Rules(graph, constraints, candidates, size=n), []
    while not rules.done(n) and (mask := rules.mask()) is not None:
        v = int(np.argmax(np.where(mask, dd + 1e-9 * rules.prio, -np.inf)))
        vals.append(dd[v])
        rules.take(v)
        nb = graph.dst[graph.indptr[v] : graph.indptr[v + 1]]
        if graph.relay_m and graph.relay_dst is not None and graph.relay_indptr is not None:
            nb = np.union1d(nb, graph.relay_dst[graph.relay_indptr[v] : graph.relay_indptr[v + 1]])
        t[nb] += 1
        dd[nb] = d[nb] - 2 * t[nb] - (d[nb] - t[nb]) * t[nb] * p
    return _frame(graph, rules.picked, vals, "dd")


def topk(
    table: pd.DataFrame,
    n: int = 300,
    *,
    by: str = "score",
    exclude: Iterable[str] = (),
    include: Iterable[str] = (),
) -> pd.DataFrame:
    """The ``n`` best rows by ``by``, with must-includes in and exclusions out.

    Must-includes are merged into the ranking by ``by`` (the list stays sorted,
    so a rank always means the same thing); they displace the lowest others. If
    there are more must-includes than ``n``, all of them are returned. Ties break
    by ``pid``; a missing ``by`` value ranks last.

    Parameters
    ----------
    table : DataFrame
        One row per person with ``pid`` and ``by``.
    n : int
        Shortlist size.
    by : str
        Column to rank by, highest first.
    exclude, include : iterable of pid
        Never in / always in. A pid in both, or an unknown must-include, raises.

    Returns
    -------
    DataFrame
        Rows of ``table`` in rank order (fresh index).

    Examples
    --------
    >>> t = pd.DataFrame({"pid": list("abcd"), "score": [9, 7, 5, 1]})
    >>> topk(t, 2, exclude=["a"], include=["d"])["pid"].tolist()
    ['b', 'd']
    """
    include, exclude = list(dict.fromkeys(include)), set(exclude)
    if clash := sorted(set(include) & exclude):
        raise UsageError(f"both must-include and excluded: {clash}")
    if unknown := sorted(set(include) - set(table["pid"])):
        raise UsageError(f"must-includes not in the table: {unknown}")
    ranked = table[~table["pid"].isin(exclude)].sort_values(
        [by, "pid"], ascending=[False, True], na_position="last"
    )
    forced = ranked["pid"].isin(include).to_numpy()
    room = max(n - int(forced.sum()), 0)
    keep = forced | ((np.cumsum(~forced) <= room) & ~forced)
    return ranked[keep].reset_index(drop=True)



# -- the shortlist -----------------------------------------------------------------
#: What :func:`compare_spread` measures our set against: label -> score column.
BASELINES: dict[str, str] = {"top-N by followers": "followers", "top-N by PageRank": "pagerank"}


def set_shortlist(
    follows: EdgeArrays,
    relays: EdgeArrays | None,
    scores: pd.DataFrame,
    n: int = 300,
    *,
    method: str = "set",
    p: str | float = "wc",
    relay_weight: float = 1.0,
    pool: int | None = 5000,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    max_per_community: int | None = None,
    min_relevance: float | None = None,
    samples: int | None = None,
    rounds: int = 200,
    seed: int = 0,
    graph: PropagationGraph | None = None,
    relay_hops: str = "first",
    activity: Mapping[str, float] | pd.Series | None = None,
) -> pd.DataFrame:
    """The shortlist rows of ``scores`` in pick order, with ``marginal_gain``.

    Parameters
    ----------
    method : {"set", "celf", "degree_discount", "topk"}
        ``set``: RR-set greedy (default); ``celf``: Monte-Carlo lazy greedy;
        ``degree_discount``: heuristic; ``topk``: by ``score`` with the same rules.
    p, relay_weight
        Cascade model (see :mod:`graph.shortlist.cascade`); default weighted cascade.
    pool : int or None
        Candidates are the top ``pool`` by ``score`` (plus must-includes); everyone
        still counts as reachable audience.
    include, exclude, max_per_community, min_relevance
        See :class:`Constraints`. Must-includes come first.
    samples : int or None
        RR sets (None: automatic, see :func:`ris_greedy`).
    rounds, seed
        Monte-Carlo worlds for ``celf``; the seed of every random draw.
    graph : PropagationGraph, optional
        Reuse a graph already built from ``follows`` and ``relays``.
    relay_hops, activity
        Relay edges only out of a seed (default) or chained (``"any"``: the old
        model); seed activity, pid -> chance of posting
        (:func:`graph.shortlist.cascade.posting_chance` of the relay events). See
        :mod:`graph.shortlist.cascade`. Ignored when ``graph`` is given.

    Returns
    -------
    DataFrame
        ``scores`` rows plus ``marginal_gain`` (expected extra people reached,
        RR-set estimate for every method) and ``pick`` (1-based).

    Examples
    --------
    >>> f = EdgeArrays.from_pairs([("a", "hub"), ("b", "hub"), ("c", "d")])
    >>> s = pd.DataFrame({"pid": ["a", "hub", "b", "c", "d"], "score": [5, 9, 1, 8, 2]})
    >>> set_shortlist(f, None, s, 2, p=1.0, samples=2000)[["pick", "pid", "marginal_gain"]]
       pick  pid  marginal_gain
    0     1  hub            3.0
    1     2    d            2.0
    """
    if method not in ("set", "celf", "degree_discount", "topk"):
        raise UsageError(f"method must be set, celf, degree_discount or topk, got {method!r}")
    g = graph or propagation_graph(
        follows,
        relays,
        p=p,
        relay_weight=relay_weight,
        nodes=scores["pid"],
        relay_hops=relay_hops,
        active=activity,
    )
    rules = Constraints.from_scores(
        scores,
        include=include,
        exclude=exclude,
        max_per_community=max_per_community,
        min_relevance=min_relevance,
    )
    ranked = _best_first(scores, pool if method != "topk" else None)
    cand = ranked["pid"].head(pool) if pool else ranked["pid"]
    rr = rr_sets(g, samples or 100_000, seed=seed) if method != "set" else None
    if method == "set":
        picks = ris_greedy(g, n, candidates=cand, constraints=rules, samples=samples, seed=seed)
    elif method == "celf":
        picks = celf(g, n, candidates=cand, constraints=rules, rounds=rounds, seed=seed)
    elif method == "degree_discount":
        picks = degree_discount(g, n, candidates=cand, constraints=rules)
    else:
        prio = pd.Series(np.arange(len(ranked), 0, -1), index=ranked["pid"]).reindex(g.nodes)
        picks = _by_priority(g, n, prio.fillna(0).to_numpy(), _Rules(g, rules, cand, size=n))
    out = scores.iloc[pd.Index(scores["pid"].to_numpy(dtype=object)).get_indexer(picks["pid"])].reset_index(drop=True)
    out["marginal_gain"] = (
        coverage_gains(g, picks["node"], rr) if method != "set" else picks["marginal_gain"].to_numpy()
    )
    out.insert(0, "pick", np.arange(1, len(out) + 1))
    return out


def _best_first(scores: pd.DataFrame, top: int | None) -> pd.DataFrame:
    """``scores`` by ``score`` (best first, ties by pid); with ``top``, only rows that can
    be among the first ``top`` (a partition first: sorting 1M wide rows costs ~1 s).

    >>> s = pd.DataFrame({"pid": list("jihgfedcba"), "score": [1, 2, 3, 4, 5, 6, 7, 8, 9, 9.0]})
    >>> _best_first(s, 2)["pid"].tolist(), _best_first(s, None)["pid"].tolist()[:4]
    (['a', 'b'], ['a', 'b', 'c', 'd'])
    """
    if "score" not in scores:
        return scores
    if top is not None and len(scores) > 4 * top:
        values = scores["score"].to_numpy(dtype=float)
        filled = np.nan_to_num(values, nan=-np.inf)
        bar = np.partition(filled, len(filled) - top)[len(filled) - top]
        scores = scores[filled >= bar]  # ties with the bar kept: the sort below decides
    return scores.sort_values(["score", "pid"], ascending=[False, True])


def _by_priority(g: PropagationGraph, n: int, prio: np.ndarray, rules: _Rules) -> pd.DataFrame:
    while not rules.done(n) and (mask := rules.mask()) is not None:
        rules.take(int(np.argmax(np.where(mask, prio, -np.inf))))
    return _frame(g, rules.picked, [np.nan] * len(rules.picked), "marginal_gain")


def compare_spread(
    graph: PropagationGraph,
    scores: pd.DataFrame,
    picks: Iterable[str],
    *,
    baselines: Mapping[str, str] | None = None,
    rounds: int = 200,
    seed: int = 0,
) -> pd.DataFrame:
    """Simulated spread of our set vs top-N baselines on the same possible worlds.

    ``baselines`` maps a label to the score column ranked (default
    :data:`BASELINES`: followers and PageRank). Returns one row per set:
    ``set, size, spread, stderr, vs_ours`` (mean paired
    difference ours - that set, in people), ``vs_ours_stderr`` and ``overlap``
    (people shared with our set).

    >>> g = propagation_graph(EdgeArrays.from_pairs([("a", "hub"), ("b", "hub"), ("c", "d")]), p=1.0)
    >>> s = pd.DataFrame({"pid": ["a", "hub", "b", "c", "d"], "followers": [0, 2, 0, 0, 1]})
    >>> compare_spread(g, s, ["hub", "d"], baselines={"top-N by followers": "followers"}, rounds=5)[["set", "spread"]]
                      set  spread
    0          set (ours)     5.0
    1  top-N by followers     5.0
    """
    ours = list(picks)
    sets = {"set (ours)": ours}
    for label, col in (baselines or BASELINES).items():
        top = scores.sort_values([col, "pid"], ascending=[False, True]).head(len(ours))
        sets[label] = top["pid"].tolist()
    base = world_spreads(graph, ours, rounds=rounds, seed=seed)  # simulated once, its row reuses it
    rows = []
    for label, members in sets.items():
        s = base if members is ours else world_spreads(graph, members, rounds=rounds, seed=seed)
        diff = base - s
        rows.append(
            {
                "set": label,
                "size": len(members),
                "spread": s.mean(),
                "stderr": s.std(ddof=1) / np.sqrt(rounds) if rounds > 1 else np.nan,
                "vs_ours": diff.mean(),
                "vs_ours_stderr": diff.std(ddof=1) / np.sqrt(rounds) if rounds > 1 else np.nan,
                "overlap": len(set(members) & set(ours)),
            }
        )
    return pd.DataFrame(rows)
