"""Who each method would pick from the past alone: the simple baselines and the product's methods.

A *picker* is ``f(past_events, follows, k, seed) -> list[pid] | None``: it sees only
relay events before the backtest's cut (``person, post_id, author, at``) and the
timeless follow graph, and returns ``k`` people (``None``: "cannot rank here", e.g.
followers without any follow data, so it is left out rather than compared as a
meaningless all-tied ranking). :class:`PastGraph` builds the past's graph and the
product's scores once per past, for every picker.

Simple baselines (the ones a team could do in a spreadsheet): greedy coverage of each
author's distinct past relayers, top-k by distinct relayers, by relays received, by
followers (where follows exist), by PageRank on the past relay graph, and random.
The product's methods are :func:`graph.shortlist.selection.set_shortlist` on the past,
fitted exactly as :func:`graph.jobs.shortlist.build_shortlist` fits them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from graph.model import EdgeArrays

__all__ = [
    "Picker",
    "PastGraph",
    "greedy_coverage",
    "BASELINES",
    "PRODUCT_METHODS",
    "product_picker",
    "random_authors",
    "default_methods",
]

Picker = Callable[[pd.DataFrame, EdgeArrays | None, int, int], list | None]


# -- the past, as a graph (built once per past, shared by every picker) ----------------
class PastGraph:
    """Everything a picker may see, built from past events (and follows) only (one past
    at a time is kept in memory, shared by every picker and every k).

    ``nodes``: people in past relays (relayers and authors) plus the follow
    graph's people; ``relays``: ``EdgeArrays`` ``person -> author`` weighted by
    count, as the product's store exports them; ``follows`` over the same nodes.
    ``scores`` (the product's :func:`graph.ranking.fast.rank_all`) is computed on first use.
    """

    _memo: dict = {}

    def __init__(self, past: pd.DataFrame, follows: EdgeArrays | None):
        self.past, self.follows_in = past, follows
        parts = [past["person"].to_numpy(), past["author"].to_numpy()]
        if follows is not None:
            parts.append(follows.nodes)
        names = pd.Index(pd.unique(np.concatenate(parts).astype(object)))
        self.nodes = names.to_numpy(dtype=object)
        self.index = names
        pa = past.groupby(["person", "author"], sort=False).size()
        s = names.get_indexer(pa.index.get_level_values(0))
        d = names.get_indexer(pa.index.get_level_values(1))
        self.relays = EdgeArrays(self.nodes, s.astype(np.int64), d.astype(np.int64), pa.to_numpy(float))
        if follows is not None and follows.m:
            fi = names.get_indexer(follows.nodes)
            self.follows = EdgeArrays(self.nodes, fi[follows.src], fi[follows.dst], follows.weight.astype(float))
        else:
            self.follows = EdgeArrays(self.nodes, np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
        self._scores = None

    @classmethod
    def of(cls, past: pd.DataFrame, follows: EdgeArrays | None) -> PastGraph:
        key = (id(past), id(follows))
        hit = cls._memo.get(key)
        if hit is None or hit.past is not past or hit.follows_in is not follows:
            cls._memo.clear()  # one past at a time: keep memory flat
            hit = cls._memo[key] = cls(past, follows)
        return hit

    @property
    def scores(self) -> pd.DataFrame:
        if self._scores is None:
            from graph.ranking.fast import rank_all

            empty = EdgeArrays(self.nodes, np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
            self._scores = rank_all(self.follows, self.relays, empty, parallel=False).scores
        return self._scores

    def cached(self, key, build):
        """Memo for pickers that share work across k (e.g. one graph, many k)."""
        store = self.__dict__.setdefault("_extra", {})
        if key not in store:
            store[key] = build()
        return store[key]


# -- simple baselines --------------------------------------------------------------
def greedy_coverage(sets: pd.DataFrame, k: int, *, who: str = "author", member: str = "person") -> list:
    """Greedy max coverage: pick ``k`` values of ``who`` whose ``member`` sets cover most.

    Exact greedy (lazy evaluation is unnecessary: gains are updated by sparse
    decrements). Ties go to the lower pid.

    >>> df = pd.DataFrame({"author": list("aabbc"), "person": list("xyxyz")})
    >>> greedy_coverage(df, 2)
    ['a', 'c']
    """
    pairs = sets[[who, member]].drop_duplicates()
    if pairs.empty:
        return []
    wi, wn = pd.factorize(pairs[who], sort=True)
    mi, _ = pd.factorize(pairs[member])
    order = np.argsort(wi, kind="stable")
    w_ptr = np.concatenate([[0], np.cumsum(np.bincount(wi, minlength=len(wn)))])
    w_mem = mi[order]
    morder = np.argsort(mi, kind="stable")
    m_ptr = np.concatenate([[0], np.cumsum(np.bincount(mi, minlength=mi.max() + 1))])
    m_who = wi[morder]
    gain = np.bincount(wi, minlength=len(wn)).astype(np.int64)
    covered = np.zeros(mi.max() + 1, bool)
    out = []
    for _ in range(min(k, len(wn))):
        v = int(np.argmax(gain))
        if gain[v] <= 0:
            break
        out.append(v)
        new = w_mem[w_ptr[v] : w_ptr[v + 1]]
        new = new[~covered[new]]
        covered[new] = True
        size = m_ptr[new + 1] - m_ptr[new]
        idx = np.repeat(m_ptr[new] - (np.cumsum(size) - size), size) + np.arange(int(size.sum()))
        gain -= np.bincount(m_who[idx], minlength=len(wn))
        gain[v] = -1
    picks = list(wn[out])
    if len(picks) < k:  # nothing left to cover: fill by distinct relayers
        rest = distinct_relayers(sets.rename(columns={who: "author", member: "person"}), k + len(picks))
        picks += [p for p in rest if p not in set(picks)][: k - len(picks)]
    return picks


def _top(values: pd.Series, k: int) -> list:
    v = values[values > 0]
    return v.sort_index().sort_values(ascending=False, kind="stable").head(k).index.tolist()


def cover_relayers(past, follows, k, seed=0):
    """Greedy coverage of each author's distinct past relayers."""
    return greedy_coverage(past, k)


def distinct_relayers(past, k, *_):
    """Top-k authors by distinct past relayers."""
    return _top(past.groupby("author")["person"].nunique(), k)


def _distinct_relayers(past, follows, k, seed=0):
    return distinct_relayers(past, k)


def relays_received(past, follows, k, seed=0):
    """Top-k authors by past relay events received."""
    return _top(past.groupby("author").size(), k)


def followers(past, follows, k, seed=0):
    """Top-k by in-graph followers; ``None`` (skipped) without a usable follow graph."""
    if follows is None or not follows.m:
        return None
    cnt = pd.Series(np.bincount(follows.dst, minlength=follows.n), index=follows.nodes)
    if cnt.nunique() <= 1:
        return None
    return _top(cnt, k)


def relay_pagerank(past, follows, k, seed=0):
    """Top-k by PageRank on the past relay graph (relayer -> author, weighted by count)."""
    from graph.ranking.fast import adjacency, pagerank

    pg = PastGraph.of(past, follows)
    pr = pg.cached("relay_pagerank", lambda: pagerank(adjacency(pg.relays)))
    return _top(pd.Series(pr, index=pg.nodes), k)


def random_authors(past, follows, k, seed=0):
    """Uniform random past authors (the floor)."""
    authors = np.sort(past["author"].unique())
    rng = np.random.default_rng(seed)
    return rng.choice(authors, size=min(k, len(authors)), replace=False).tolist()


#: name -> picker; "best baseline" is the best of these at each k and metric.
BASELINES: dict[str, Picker] = {
    "cover_relayers": cover_relayers,
    "distinct_relayers": _distinct_relayers,
    "relays_received": relays_received,
    "followers": followers,
    "relay_pagerank": relay_pagerank,
}


# -- the product's methods ---------------------------------------------------------
def _activity(pg: PastGraph):
    """The product's seed activity, fitted on the past events (as the shortlist job does)."""
    from graph.shortlist.cascade import posting_chance

    return pg.cached("activity", lambda: posting_chance(pg.past) if len(pg.past) else None)


def product_picker(method: str) -> Picker:
    """``set_shortlist(method=...)`` on the past graph, with the product's scores
    (``rank_all`` on the past) and seed activity (:func:`graph.shortlist.cascade.posting_chance`)."""

    def pick(past, follows, k, seed=0):
        from graph.shortlist.cascade import propagation_graph
        from graph.shortlist.selection import set_shortlist, topk

        pg = PastGraph.of(past, follows)
        table = pg.scores
        if method == "topk":
            return topk(table, k)["pid"].tolist()
        g = pg.cached("graph", lambda: propagation_graph(pg.follows, pg.relays, nodes=table["pid"], active=_activity(pg)))
        return set_shortlist(pg.follows, pg.relays, table, k, method=method, seed=seed, graph=g)["pid"].tolist()

    pick.__doc__ = f"The product's set_shortlist(method={method!r}) on the past graph."
    return pick


PRODUCT_METHODS: dict[str, Picker] = {
    "set": product_picker("set"),
    "degree_discount": product_picker("degree_discount"),
    "topk": product_picker("topk"),
}


def default_methods() -> dict[str, Picker]:
    return {**PRODUCT_METHODS, **BASELINES, "random": random_authors}
