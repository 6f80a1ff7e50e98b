"""Ranking on edge arrays: the fast path of :mod:`graph.ranking.reference`.

Same metrics, same NetworkX semantics, computed on :class:`~graph.model.EdgeArrays`
(numpy; never one Python object per edge) with compiled backends:

* PageRank, relay and topic PageRank: scipy CSR power iteration, NetworkX's own
  formula (dangling rank spread like the teleport, parallel edges summed) with
  the strict stopping rule of :mod:`graph.ranking.reference` (L1 change < ``tol``).
* HITS: the top singular vector as :func:`networkx.hits` (scipy ``svds``) finds
  it, via ARPACK ``eigsh`` on ``A^T A`` from a fixed start vector (runs repeat).
* k-shell: vectorised numpy peeling on the CSR arrays (in+out degree as nx).
  networkit's CoreDecomposition is unsafe on CSR-built directed graphs (see
  :func:`kshell`) and an igraph graph costs ~1 us/edge to build from Python.
* Betweenness: NetworkX's own source sample (``random.Random(seed).sample(nodes,
  k)``) and rescaling, so the result equals :func:`networkx.betweenness_centrality`
  (networkit's estimators sample differently). Up to 1M edges igraph's Brandes
  (C, takes a source list); above, building an igraph graph from Python costs
  ~1 us per edge (10-18 s at 10M), so a numpy Brandes runs instead: one scipy BFS
  per source and vectorised sums over the shortest-path edges, level by level
  (faster per source than igraph at 10M edges, no graph to build).
* Louvain: networkit PLM (C++), one thread so a run repeats, built from a CSR
  in about a second per 10M edges. At 1M nodes / 10M edges it takes 14-40 s
  where igraph's multilevel takes 67-458 s and NetworkX far longer. It runs in
  a worker thread (networkit releases the GIL) beside the other metrics.
  Partitions are not identical to NetworkX's Louvain (different node order);
  tests compare modularity. Without networkit, igraph's multilevel runs.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from graph.model import METRICS, EdgeArrays
from graph.ranking.adjacency import _simple, adjacency
from graph.ranking.centrality import (
    EXACT_BETWEENNESS_MAX_N,
    auto_backend,
    auto_betweenness_k,
    betweenness,
    kshell,
)
from graph.ranking.reference import (
    PAGERANK_MAX_ITER,
    PAGERANK_TOL,
    composite_score,
    percentile_table,
)

__all__ = [
    "EXACT_BETWEENNESS_MAX_N",
    "adjacency",
    "pagerank",
    "hits",
    "kshell",
    "betweenness",
    "auto_betweenness_k",
    "communities",
    "topic_teleport",
    "topic_shares",
    "rank_all",
    "RankResult",
]

Progress = Callable[[int, int, str], None]


def _transition(A: sp.csr_array) -> tuple[sp.csr_array, np.ndarray]:
    """``P^T`` (row v: who passes rank to v, scaled by 1/out-weight) and the dangling nodes."""
    n = A.shape[0]
    out = np.asarray(A.sum(axis=1)).ravel()
    inv = np.divide(1.0, out, out=np.zeros(n), where=out != 0)
    AT = A.T.tocsr()
    PT = sp.csr_array((AT.data * inv[AT.indices], AT.indices, AT.indptr), shape=(n, n))
    return PT, np.flatnonzero(out == 0)


def pagerank(
    A: sp.csr_array,
    *,
    alpha: float = 0.85,
    tol: float = PAGERANK_TOL,
    personalization: np.ndarray | None = None,
    max_iter: int = PAGERANK_MAX_ITER,
    transition: tuple[sp.csr_array, np.ndarray] | None = None,
) -> np.ndarray:
    """PageRank by power iteration; stops when the L1 change is below ``tol``.

    NetworkX's update: ``x = alpha * (x P + dangling(x) p) + (1 - alpha) p``
    where ``p`` is the (normalised) personalization or uniform.
    ``transition`` (from ``_transition(A)``) saves rebuilding ``P^T``.

    >>> A = adjacency(EdgeArrays.from_pairs([("a", "b"), ("c", "b"), ("b", "a")]))
    >>> pagerank(A).round(4).tolist()
    [0.4635, 0.4865, 0.05]
    """
    import networkx as nx

    n = A.shape[0]
    if n == 0:
        return np.zeros(0)
    PT, dangling = _transition(A) if transition is None else transition
    p = np.full(n, 1.0 / n) if personalization is None else personalization / personalization.sum()
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        xlast = x
        x = PT @ xlast
        x += xlast[dangling].sum() * p
        x *= alpha
        x += (1 - alpha) * p
        if np.abs(x - xlast).sum() < tol:
            return x
    raise nx.PowerIterationFailedConvergence(max_iter)


def hits(A: sp.csr_array, *, max_iter: int = 100, tol: float = 1e-8) -> tuple[np.ndarray, np.ndarray]:
    """HITS (hub, authority) from the top singular vectors, like :func:`networkx.hits`.

    Raises ``networkx.PowerIterationFailedConvergence`` when ARPACK does not converge.

    >>> A = adjacency(EdgeArrays.from_pairs([("a", "b"), ("c", "b"), ("a", "c")]))
    >>> [v.round(3).tolist() for v in hits(A)]
    [[0.618, 0.0, 0.382], [0.0, 0.618, 0.382]]
    """
    import networkx as nx
    from scipy.sparse.linalg import ArpackNoConvergence, LinearOperator, eigsh

    n = A.shape[0]
    if A.nnz == 0 or not A.data.any():
        return np.zeros(n), np.zeros(n)
    if n <= 16:
        a = np.linalg.svd(A.toarray())[2][0]
    else:  # top eigenvector of A^T A, as svds finds it, with a transposed copy and few
        AT = A.T.tocsr()  # Lanczos vectors: ~5x faster than svds(A) at 1.8M edges
        gram = LinearOperator((n, n), matvec=lambda x: AT @ (A @ x), dtype=np.float64)
        v0 = np.full(n, 1.0 / np.sqrt(n))
        try:
            a = eigsh(gram, k=1, v0=v0, ncv=min(n - 1, 8), tol=tol, maxiter=max_iter * 100)[1]
        except ArpackNoConvergence as exc:
            raise nx.PowerIterationFailedConvergence(max_iter) from exc
        a = a.ravel()
    h = A @ a
    return _denoise(h / h.sum()), _denoise(a / a.sum())


def _denoise(x: np.ndarray, rel: float = 1e-12) -> np.ndarray:
    """As graph.ranking.reference: SVD round-off below ``rel`` x max becomes exactly 0."""
    return np.where(np.abs(x) <= rel * np.abs(x).max(initial=0.0), 0.0, x)


def communities(e: EdgeArrays | sp.csr_array, *, seed: int = 0, resolution: float = 1.0) -> np.ndarray:
    """Louvain (networkit PLM, one thread, seeded) on the undirected simple graph.

    Without networkit installed, igraph's ``community_multilevel`` (seeded) runs
    instead: same objective, but ~5-30x slower on large graphs.

    >>> e = EdgeArrays.from_pairs([("a", "b"), ("b", "c"), ("c", "a"), ("d", "e")])
    >>> communities(e).tolist()
    [0, 0, 0, 1, 1]
    """
    S = _simple(adjacency(e) if isinstance(e, EdgeArrays) else e)
    U = sp.triu(S + S.T, format="csr")  # each undirected edge once (no diagonal left)
    U.data[:] = 1.0
    if U.nnz == 0:
        return _label_by_size(np.arange(S.shape[0]))
    try:
        import networkit as nk
    except ImportError:
        return _label_by_size(_louvain_igraph(U, seed=seed, resolution=resolution))
    threads = nk.getMaxNumberOfThreads()
    try:
        nk.setNumberOfThreads(1)
        nk.engineering.setSeed(seed, False)
        G = nk.GraphFromCsr(U, directed=False)  # keep a named reference while PLM runs
        plm = nk.community.PLM(G, refine=False, gamma=resolution)
        plm.run()
        membership = np.asarray(plm.getPartition().getVector(), dtype=np.int64)
    finally:
        nk.setNumberOfThreads(threads)
    return _label_by_size(membership)


def _louvain_igraph(U: sp.csr_array, *, seed: int, resolution: float) -> np.ndarray:
    import igraph as ig

    rows = np.repeat(np.arange(U.shape[0]), np.diff(U.indptr))
    g = ig.Graph(n=U.shape[0], edges=list(zip(rows.tolist(), U.indices.tolist(), strict=True)))
    ig.set_random_number_generator(random.Random(seed))
    try:
        return np.asarray(g.community_multilevel(resolution=resolution).membership, dtype=np.int64)
    finally:
        ig.set_random_number_generator(random)


def _label_by_size(membership: np.ndarray) -> np.ndarray:
    """Relabel so 0 is the largest community; ties by first member."""
    membership = np.asarray(membership, dtype=np.int64)
    sizes = np.bincount(membership)
    first = np.full(len(sizes), len(membership))
    np.minimum.at(first, membership, np.arange(len(membership)))
    used = np.flatnonzero(sizes)
    order = used[np.lexsort((first[used], -sizes[used]))]
    rank = np.zeros(len(sizes), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[membership]


def topic_teleport(shares: pd.DataFrame, nodes: np.ndarray, topics=None) -> np.ndarray:
    """Per-node teleport weight: each person's summed share over ``topics``.

    >>> s = pd.DataFrame({"pid": ["b", "b"], "topic": ["#x", "#y"], "share": [0.5, 0.25]})
    >>> topic_teleport(s, np.array(["a", "b"], dtype=object)).tolist()
    [0.0, 0.75]
    """
    rows = shares if topics is None else shares[shares["topic"].isin(list(topics))]
    per = rows.groupby("pid", sort=False)["share"].sum()
    return pd.Series(nodes).map(per).fillna(0.0).to_numpy(dtype=np.float64)


def _norm_tag(tags: pd.Series) -> pd.Series:
    return "#" + tags.astype(str).str.strip().str.lstrip("#").str.lower()


def topic_shares(
    posts: pd.DataFrame,
    relay_events: pd.DataFrame | None = None,
    topics: list[str] | None = None,
) -> pd.DataFrame:
    """Each person's share of activity on each hashtag (TwitterRank's DT matrix).

    Activity is authoring a post or relaying one; a post counts once per
    activity whatever its number of tags. ``share = activities on the tag /
    all activities`` of that person. Tags are lower-cased with a leading ``#``.

    Parameters
    ----------
    posts : DataFrame[post_id, author, hashtags]
        ``hashtags`` is a list of tags per post.
    relay_events : DataFrame[person, post_id, ...], optional
        Relays; a relayed post's tags come from ``posts``.
    topics : list of str, optional
        Keep these tags only (default all).

    Returns
    -------
    DataFrame[pid, topic, share]

    >>> posts = pd.DataFrame({"post_id": ["p1", "p2"], "author": ["a", "a"],
    ...                       "hashtags": [["#Coffee"], []]})
    >>> relays = pd.DataFrame({"person": ["b"], "post_id": ["p1"]})
    >>> topic_shares(posts, relays).values.tolist()
    [['a', '#coffee', 0.5], ['b', '#coffee', 1.0]]
    >>> len(topic_shares(posts.assign(hashtags=[[], []])))  # no tags anywhere
    0
    """
    tags = posts[["post_id", "hashtags"]]
    acts = [posts[["author", "post_id"]].rename(columns={"author": "pid"})]
    if relay_events is not None and len(relay_events):
        acts.append(relay_events[["person", "post_id"]].rename(columns={"person": "pid"}))
    act = pd.concat(acts, ignore_index=True).reset_index(names="act")
    total = act.groupby("pid")["act"].count()
    tagged = act.merge(tags, on="post_id", how="left").explode("hashtags").dropna(subset=["hashtags"])
    tagged = tagged.assign(topic=_norm_tag(tagged["hashtags"])).drop_duplicates(["act", "topic"])
    if topics is not None:
        tagged = tagged[tagged["topic"].isin(set(_norm_tag(pd.Series(list(topics), dtype=object))))]
    if tagged.empty:  # no post has a tag (e.g. research cascades): no topic shares
        return pd.DataFrame({"pid": pd.Series(dtype="str"), "topic": pd.Series(dtype="str"),
                             "share": pd.Series(dtype=float)})  # fmt: skip
    counts = tagged.groupby(["pid", "topic"]).size().rename("n").reset_index()
    counts["share"] = counts["n"] / counts["pid"].map(total).astype(float)
    return counts[["pid", "topic", "share"]].sort_values(["pid", "topic"], ignore_index=True)


@dataclass(frozen=True)
class RankResult:
    """What ranking computed: one row of scores per person, the time each step took
    and the parameters used (betweenness sample size, seeds, tolerances)."""

    scores: pd.DataFrame
    timings: dict[str, float] = field(default_factory=dict)
    params: dict[str, object] = field(default_factory=dict)
    seconds: float = 0.0  #: wall time of the whole job (export, compute, write-back)

    @property
    def betweenness_k(self) -> int | None:
        """Sources sampled for betweenness; ``None`` means exact (all sources)."""
        k = self.params.get("betweenness_k")
        return None if k is None else int(k)  # type: ignore[call-overload]

    def __len__(self) -> int:
        return len(self.scores)


def rank_all(
    follows: EdgeArrays,
    relays: EdgeArrays,
    mentions: EdgeArrays,
    *,
    topic_shares: pd.DataFrame | None = None,
    betweenness_k: int | None = None,
    seed: int = 0,
    alpha: float = 0.85,
    tol: float = PAGERANK_TOL,
    parallel: bool = True,
    progress: Progress | None = None,
) -> RankResult:
    """Every metric, the community and the composite score for every person.

    Parameters
    ----------
    follows, relays, mentions : EdgeArrays
        Over the same ``nodes``; relays and mentions weighted by count.
    topic_shares : DataFrame[pid, topic, share], optional
        Activity shares on the niche's tags (:func:`topic_shares`); gives
        ``relevance`` (topic PageRank on the follow graph). Without it
        ``relevance`` is NaN and left out of the score.
    betweenness_k : int, optional
        Betweenness sources. ``None``: exact up to
        :data:`EXACT_BETWEENNESS_MAX_N` nodes, else :func:`auto_betweenness_k`;
        ``0``: skip (NaN).
    seed : int
        Seed of the betweenness sample and of Louvain.
    parallel : bool
        Run Louvain in a worker thread beside the other metrics (networkit
        releases the GIL); its timing then overlaps the others'.
    progress : callable(done, total, label), optional
        Called after each metric.

    Returns
    -------
    RankResult
        ``scores``: ``pid``, :data:`graph.model.METRICS`, ``community``, ``score``
        and ``pct_<metric>``; ``timings`` (seconds per step) and ``params``.

    >>> f = EdgeArrays.from_pairs([("a", "b"), ("c", "b"), ("b", "a")])
    >>> empty = EdgeArrays(f.nodes, f.src[:0], f.dst[:0], f.weight[:0])
    >>> result = rank_all(f, empty, empty)
    >>> result.scores[["pid", "followers", "kshell", "community"]].values.tolist()
    [['a', 1.0, 2, 0], ['b', 2.0, 2, 0], ['c', 0.0, 1, 0]]
    >>> result.betweenness_k is None  # exact on a small graph
    True
    """
    n = follows.n
    for other in (relays, mentions):
        if other.n != n or (
            other.nodes is not follows.nodes and not np.array_equal(other.nodes, follows.nodes)
        ):
            raise ValueError("follows, relays and mentions must share the same nodes")
    k = auto_betweenness_k(n, follows.m) if betweenness_k is None else betweenness_k
    k = None if k is not None and k >= n else k
    timings: dict[str, float] = {}
    cols: dict[str, np.ndarray] = {}
    steps = 10

    def step(label: str, t0: float) -> None:
        timings[label] = round(time.perf_counter() - t0, 4)
        if progress is not None:
            progress(len(timings), steps, label)

    t0 = time.perf_counter()
    A = adjacency(follows)
    S = _simple(A)
    step("adjacency", t0)
    transition: list = []  # P^T of the follow graph, built by the pagerank step

    def louvain_job() -> tuple[np.ndarray, float]:
        t0 = time.perf_counter()
        return communities(S, seed=seed), time.perf_counter() - t0

    def received(e: EdgeArrays) -> np.ndarray:
        return np.bincount(e.dst, weights=e.weight, minlength=n).astype(np.float64)

    def relevance() -> np.ndarray:
        tele = np.zeros(n) if topic_shares is None else topic_teleport(topic_shares, follows.nodes)
        if tele.sum() <= 0:
            return np.full(n, np.nan)
        return pagerank(A, alpha=alpha, tol=tol, personalization=tele, transition=transition[0])

    def follow_pagerank() -> np.ndarray:
        transition.append(_transition(A))
        return pagerank(A, alpha=alpha, tol=tol, transition=transition[0])

    def between() -> np.ndarray:
        return np.full(n, np.nan) if k == 0 else betweenness(S, k=k, seed=seed)

    work: list[tuple[str, Callable[[], dict]]] = [
        ("followers", lambda: {"followers": np.bincount(A.indices, minlength=n).astype(np.float64)}),
        ("pagerank", lambda: {"pagerank": follow_pagerank()}),
        ("relay_pagerank", lambda: {"relay_pagerank": pagerank(adjacency(relays), alpha=alpha, tol=tol)}),
        ("received", lambda: {"relays_received": received(relays), "mentions_received": received(mentions)}),
        ("hits", lambda: dict(zip(("hub", "authority"), hits(A), strict=True))),
        ("relevance", lambda: {"relevance": relevance()}),
        ("kshell", lambda: {"kshell": kshell(S)}),
        ("betweenness", lambda: {"betweenness": between()}),
    ]
    pool = ThreadPoolExecutor(max_workers=1)
    louvain = pool.submit(louvain_job) if parallel else None
    try:
        for label, compute in work:
            t0 = time.perf_counter()
            cols.update(compute())
            step(label, t0)
        membership, took = louvain.result() if louvain is not None else louvain_job()
    finally:
        pool.shutdown(wait=True)
    timings["louvain"] = round(took, 4)
    if progress is not None:
        progress(steps, steps, "louvain")
    return _table(
        follows.nodes,
        cols,
        membership,
        timings,
        dict(
            betweenness_k=k,
            betweenness_exact=k is None,
            seed=seed,
            alpha=alpha,
            pagerank_tol=tol,
            pagerank_rule="L1 change < tol (absolute)",
            betweenness_backend=auto_backend(S.nnz),
            louvain="networkit PLM, 1 thread, undirected unweighted follow graph",
            parallel=parallel,
        ),
    )


def _table(nodes, cols, membership, timings, params) -> RankResult:
    df = pd.DataFrame({"pid": nodes})
    for m in METRICS:
        df[m] = cols[m].astype(np.int64 if m == "kshell" else np.float64)
    df["community"] = membership
    df["score"] = composite_score(df)
    df = pd.concat([df, percentile_table(df, METRICS)], axis=1)
    return RankResult(df, timings, params)
