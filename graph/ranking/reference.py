"""Influence metrics on NetworkX graphs: the reference implementations.

Every function here is a thin, documented wrapper over NetworkX, so NetworkX
semantics *are* the definition of each metric; :mod:`graph.ranking.fast` computes
the same numbers on edge arrays with compiled backends and is tested against
these functions.

Graphs: the follow graph has an edge ``A -> B`` when A follows B (attribute
``weight``, parallel follows summed); the relay graph has ``A -> B`` when A
relayed B's posts (attribute ``count``); the mention graph likewise. Score flows
along edges, towards the followed, relayed and mentioned.

PageRank stopping rule: NetworkX stops when the L1 change between iterations
is below ``N * tol``, which at a million nodes stops after two iterations. We use
a strict rule instead: stop when the L1 change is below ``tol`` (absolute),
i.e. we call NetworkX with ``tol / N``. Default ``tol = 1e-6``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx
import numpy as np
import pandas as pd

__all__ = [
    "PAGERANK_TOL",
    "PAGERANK_MAX_ITER",
    "DEFAULT_WEIGHTS",
    "followers",
    "follow_pagerank",
    "relay_pagerank",
    "relays_received",
    "mentions_received",
    "hits",
    "kshell",
    "betweenness",
    "communities",
    "label_communities",
    "topic_pagerank",
    "percentiles",
    "percentile_table",
    "composite_score",
]

#: Strict PageRank tolerance: absolute L1 change between two iterations.
PAGERANK_TOL = 1e-6
#: Enough for ``tol = 1e-12`` at ``alpha = 0.85`` (0.85**200 < 1e-14).
PAGERANK_MAX_ITER = 200

#: Composite-score weights (renormalised over the metrics a person has).
#: ``hub`` is shown but not scored (curators are not influencers). ``relevance``
#: only counts when topic shares were given (otherwise it is NaN everywhere).
DEFAULT_WEIGHTS: dict[str, float] = {
    "relay_pagerank": 0.25,
    "pagerank": 0.20,
    "relays_received": 0.15,
    "followers": 0.10,
    "mentions_received": 0.10,
    "authority": 0.10,
    "kshell": 0.05,
    "betweenness": 0.05,
    "relevance": 0.25,
}


def _strict_pagerank(G, *, alpha, tol, weight, personalization=None, max_iter=PAGERANK_MAX_ITER):
    if len(G) == 0:
        return {}
    return nx.pagerank(
        G,
        alpha=alpha,
        personalization=personalization,
        max_iter=max_iter,
        tol=tol / len(G),  # NetworkX compares the L1 change with N * tol
        weight=weight,
    )


def followers(G: nx.DiGraph) -> dict:
    """Number of followers: the in-degree of the follow graph.

    Parameters
    ----------
    G : nx.DiGraph
        Follow graph, ``A -> B`` when A follows B.

    Returns
    -------
    dict
        node -> number of distinct followers (a self-follow counts once).

    >>> G = nx.DiGraph([("a", "b"), ("c", "b"), ("b", "a")])
    >>> followers(G)
    {'a': 1, 'b': 2, 'c': 0}
    """
    return dict(G.in_degree())


def follow_pagerank(
    G: nx.DiGraph, *, alpha: float = 0.85, tol: float = PAGERANK_TOL, weight: str = "weight"
) -> dict:
    """PageRank of the follow graph, with a strict stopping rule.

    Parameters
    ----------
    G : nx.DiGraph
        Follow graph; rank flows from follower to followed.
    alpha : float
        Damping factor.
    tol : float
        Stop when the L1 change between iterations is below ``tol`` (absolute,
        not NetworkX's ``N * tol``).
    weight : str
        Edge attribute used as weight (missing means 1).

    Returns
    -------
    dict
        node -> PageRank, summing to 1. Dangling nodes spread their rank
        uniformly, as in :func:`networkx.pagerank`.

    >>> G = nx.DiGraph([("a", "b"), ("c", "b"), ("b", "a")])
    >>> {k: round(v, 4) for k, v in follow_pagerank(G).items()}
    {'a': 0.4635, 'b': 0.4865, 'c': 0.05}
    """
    return _strict_pagerank(G, alpha=alpha, tol=tol, weight=weight)


def relay_pagerank(
    G: nx.DiGraph, *, weight: str = "count", alpha: float = 0.85, tol: float = PAGERANK_TOL
) -> dict:
    """PageRank of the relay graph (``A -> B``: A relayed B, ``count`` times).

    Rank flows to the people who are relayed, in proportion to how often;
    being relayed by someone who is much relayed counts more.

    Parameters
    ----------
    G : nx.DiGraph
        Relay graph.
    weight : str
        Edge attribute holding the relay count.
    alpha, tol : float
        As in :func:`follow_pagerank`.

    Returns
    -------
    dict
        node -> relay PageRank, summing to 1.

    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", count=3); G.add_edge("a", "c", count=1)
    >>> {k: round(v, 4) for k, v in relay_pagerank(G).items()}
    {'a': 0.2597, 'b': 0.4253, 'c': 0.3149}
    """
    return _strict_pagerank(G, alpha=alpha, tol=tol, weight=weight)


def relays_received(G: nx.DiGraph, *, weight: str = "count") -> dict:
    """How many times each person was relayed (weighted in-degree).

    Parameters
    ----------
    G : nx.DiGraph
        Relay graph, ``A -> B`` when A relayed B, attribute ``weight`` = count.
    weight : str
        Edge attribute holding the count.

    Returns
    -------
    dict
        node -> total relays received (float).

    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", count=3); G.add_edge("c", "b", count=1)
    >>> relays_received(G)
    {'a': 0.0, 'b': 4.0, 'c': 0.0}
    """
    return {v: float(d) for v, d in G.in_degree(weight=weight)}


def mentions_received(G: nx.DiGraph, *, weight: str = "count") -> dict:
    """How many times each person was mentioned (weighted in-degree).

    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", count=2); G.add_edge("b", "c", count=1)
    >>> mentions_received(G)
    {'a': 0.0, 'b': 2.0, 'c': 1.0}
    """
    return relays_received(G, weight=weight)


def hits(G: nx.DiGraph, *, max_iter: int = 100, tol: float = 1e-8) -> tuple[dict, dict]:
    """HITS hubs and authorities of the follow graph (:func:`networkx.hits`).

    Authorities are followed by good hubs (sources); hubs follow good
    authorities (curators). Edge attribute ``weight`` is used when present.

    Returns
    -------
    (hub, authority) : tuple of dict
        Each sums to 1. A graph without edges gives 0 everywhere. Values
        below 1e-12 of the largest are SVD round-off and set to exactly 0.

    >>> G = nx.DiGraph([("a", "b"), ("c", "b"), ("a", "c")])
    >>> hub, auth = hits(G)
    >>> {k: round(v, 3) for k, v in auth.items()}
    {'a': 0.0, 'b': 0.618, 'c': 0.382}
    """
    if G.number_of_edges() == 0:
        zeros = dict.fromkeys(G, 0.0)
        return zeros, dict(zeros)
    hub, auth = nx.hits(G, max_iter=max_iter, tol=tol)
    return _denoise(hub), _denoise(auth)


def _denoise(scores: dict, rel: float = 1e-12) -> dict:
    """Exact zeros for values below ``rel`` x the largest (SVD round-off, e.g. -1e-17
    for a node nobody follows), so that such nodes tie."""
    top = max((abs(v) for v in scores.values()), default=0.0)
    return {k: (0.0 if abs(v) <= rel * top else v) for k, v in scores.items()}


def kshell(G: nx.DiGraph) -> dict:
    """k-shell index (core number), self-loops removed.

    As in :func:`networkx.core_number` on a directed graph, a node's degree is
    its in-degree plus out-degree, so a mutual follow counts twice.

    >>> G = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c"), ("c", "c")])
    >>> kshell(G)
    {'a': 2, 'b': 2, 'c': 1}
    """
    H = nx.DiGraph(G)
    H.remove_edges_from(list(nx.selfloop_edges(H)))
    return nx.core_number(H)


def betweenness(G: nx.DiGraph, *, k: int | None = None, seed: int = 0) -> dict:
    """Normalised betweenness centrality, sampled from ``k`` sources when given.

    Exactly :func:`networkx.betweenness_centrality` (unweighted, directed,
    ``normalized=True``); ``k >= len(G)`` means exact.

    >>> G = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> betweenness(G)
    {'a': 0.0, 'b': 0.5, 'c': 0.0}
    """
    if k is not None and k >= len(G):
        k = None
    return nx.betweenness_centrality(G, k=k, seed=seed, normalized=True)


def label_communities(parts: Iterable[Iterable], order: Iterable) -> dict:
    """Community ids ordered by size, largest first (0); ties by first member.

    >>> label_communities([{"c"}, {"a", "b"}], order=["a", "b", "c"])
    {'a': 0, 'b': 0, 'c': 1}
    """
    position = {v: i for i, v in enumerate(order)}
    groups = [list(p) for p in parts]
    groups.sort(key=lambda p: (-len(p), min(position[v] for v in p)))
    labels = {v: cid for cid, part in enumerate(groups) for v in part}
    return {v: labels[v] for v in position}


def communities(G: nx.DiGraph, *, seed: int = 0, resolution: float = 1.0) -> dict:
    """Louvain communities of the undirected, unweighted follow graph.

    :func:`networkx.community.louvain_communities` on the graph with direction,
    weights and self-loops dropped; ids ordered by community size (0 = largest).

    >>> G = nx.DiGraph([("a", "b"), ("b", "a"), ("c", "c")])
    >>> communities(G)
    {'a': 0, 'b': 0, 'c': 1}
    """
    U = nx.Graph()
    U.add_nodes_from(G)
    U.add_edges_from((u, v) for u, v in G.edges() if u != v)
    parts = nx.community.louvain_communities(U, weight=None, resolution=resolution, seed=seed)
    return label_communities(parts, order=G)


def _teleport(shares, topics) -> dict:
    if isinstance(shares, pd.DataFrame):
        rows = shares if topics is None else shares[shares["topic"].isin(list(topics))]
        return rows.groupby("pid", sort=False)["share"].sum().to_dict()
    return dict(shares)


def topic_pagerank(
    G: nx.DiGraph,
    shares: pd.DataFrame | Mapping,
    *,
    topics: Iterable[str] | None = None,
    alpha: float = 0.85,
    tol: float = PAGERANK_TOL,
    weight: str = "weight",
) -> dict:
    """Topic-sensitive PageRank (TwitterRank-style) on the follow graph.

    The random surfer teleports to each person in proportion to their share of
    activity on the niche's topics (summed over ``topics``), and dangling nodes
    teleport the same way (NetworkX's rule with a personalization). People who
    are followed by topical people therefore score high even if they rarely
    use the tags themselves. Weng et al. (WSDM 2010) also bias the walk by
    topical similarity; we keep only the teleport, like NetworkX's
    ``pagerank(personalization=...)``.

    Parameters
    ----------
    G : nx.DiGraph
        Follow graph.
    shares : DataFrame[pid, topic, share] or mapping node -> weight
        Output of :func:`graph.ranking.fast.topic_shares`, or the teleport weights.
    topics : iterable of str, optional
        Topics to keep (default: all in ``shares``).

    Returns
    -------
    dict
        node -> score summing to 1; NaN everywhere when nobody has a share.

    >>> G = nx.DiGraph([("a", "b"), ("c", "b"), ("b", "c")])
    >>> {k: round(v, 3) for k, v in topic_pagerank(G, {"a": 1.0}).items()}
    {'a': 0.15, 'b': 0.459, 'c': 0.391}
    """
    p = {v: float(w) for v, w in _teleport(shares, topics).items() if v in G and w > 0}
    if not p:
        return dict.fromkeys(G, float("nan"))
    return _strict_pagerank(G, alpha=alpha, tol=tol, weight=weight, personalization=p)


def _snap(s: pd.Series, digits: int = 12) -> pd.Series:
    """Round to ``digits`` significant digits: floating-point noise is not a rank."""
    x = s.to_numpy(dtype=np.float64, copy=True)
    ok = np.isfinite(x) & (x != 0)
    mag = 10.0 ** (digits - 1 - np.floor(np.log10(np.abs(x[ok]))))
    x[ok] = np.round(x[ok] * mag) / mag
    return pd.Series(x, index=s.index)


def percentiles(values: Mapping | pd.Series | np.ndarray | list) -> pd.Series:
    """Percentile rank, 0 (lowest) to 100 (highest); ties share their mean rank.

    ``100 * (rank - 1) / (n - 1)`` with average ranks; NaN stays NaN; a single
    value is 100. Values equal to 12 significant digits tie (two implementations
    of a metric differ only by round-off, and should rank alike).

    >>> percentiles({"a": 1.0, "b": 5.0, "c": 5.0}).tolist()
    [0.0, 75.0, 75.0]
    """
    s = pd.Series(values, dtype="float64") if isinstance(values, Mapping) else pd.Series(values)
    ranks = _snap(s.astype("float64")).rank(method="average")
    n = int(s.notna().sum())
    if n <= 1:
        return ranks.where(ranks.isna(), 100.0)
    return (ranks - 1.0) * (100.0 / (n - 1))


def percentile_table(table: pd.DataFrame, metrics: Iterable[str] | None = None) -> pd.DataFrame:
    """``pct_<metric>`` columns for each metric column present in ``table``.

    >>> percentile_table(pd.DataFrame({"followers": [1, 2, 3]}))["pct_followers"].tolist()
    [0.0, 50.0, 100.0]
    """
    metrics = [m for m in (metrics or DEFAULT_WEIGHTS.keys() | {"hub"}) if m in table]
    order = [m for m in table.columns if m in metrics]
    return pd.DataFrame({f"pct_{m}": percentiles(table[m]) for m in order}, index=table.index)


def composite_score(table: pd.DataFrame, weights: Mapping[str, float] | None = None) -> pd.Series:
    """Composite influence score, 0-100: weighted mean of metric percentiles.

    Each metric column named in ``weights`` (default :data:`DEFAULT_WEIGHTS`) is
    turned into percentiles; a person's score is the weighted mean over the
    metrics they have (NaN metrics are left out and the weights renormalised).

    >>> t = pd.DataFrame({"followers": [1, 2, 3], "pagerank": [0.5, 0.3, 0.2]})
    >>> composite_score(t).round(1).tolist()
    [66.7, 50.0, 33.3]
    """
    weights = dict(DEFAULT_WEIGHTS if weights is None else weights)
    cols = [m for m, w in weights.items() if m in table and w > 0]
    if not cols:
        return pd.Series(np.nan, index=table.index, name="score")
    pct = pd.DataFrame({m: percentiles(table[m]) for m in cols}, index=table.index)
    w = pd.Series({m: float(weights[m]) for m in cols})
    have = pct.notna()
    total = have.mul(w, axis=1).sum(axis=1)
    score = pct.fillna(0.0).mul(w, axis=1).sum(axis=1) / total.where(total > 0)
    return score.rename("score")
