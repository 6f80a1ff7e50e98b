"""graph.ranking.reference: the NetworkX reference metrics, checked against golden values.

Golden values say where they came from: worked by hand (small graphs), or
published in the NetworkX docs/tests, or computed once with networkx 3.6.1.
"""

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graph.ranking import reference as R


@pytest.fixture
def G():
    # a->b twice (weight 2), e follows itself, f is isolated.
    g = nx.DiGraph()
    g.add_nodes_from("abcdef")
    g.add_weighted_edges_from(
        [
            ("a", "b", 2.0),
            ("c", "b", 1.0),
            ("b", "a", 1.0),
            ("d", "b", 1.0),
            ("d", "c", 1.0),
            ("e", "e", 1.0),
            ("b", "c", 1.0),
        ]
    )
    return g


def test_followers_is_in_degree(G):
    assert R.followers(G) == {"a": 1, "b": 3, "c": 2, "d": 0, "e": 1, "f": 0}


def test_follow_pagerank_golden(G):
    # expected: nx.pagerank(G, alpha=0.85, tol=1e-12 / 6, max_iter=500), networkx 3.6.1
    expected = {"a": 0.18464, "b": 0.365914, "c": 0.197018, "d": 0.029126, "e": 0.194175, "f": 0.029126}
    pr = R.follow_pagerank(G)
    assert pr == pytest.approx(expected, abs=1e-5)
    assert sum(pr.values()) == pytest.approx(1.0)
    # by hand: d and f have no followers, so (1 - alpha) / N plus the dangling share
    assert pr["d"] == pytest.approx(pr["f"], abs=1e-15)


def test_strict_stopping_rule_differs_from_networkx_default():
    # networkx stops when the L1 change < N * tol: on a long chain with N * 1e-6 that
    # is coarse; the strict rule (L1 < 1e-6) lands within 1e-6 of the fixed point.
    G = nx.gnp_random_graph(3000, 0.002, seed=3, directed=True)
    exact = nx.pagerank(G, tol=1e-15, max_iter=1000)
    strict = R.follow_pagerank(G)
    loose = nx.pagerank(G)
    err = lambda pr: sum(abs(pr[v] - exact[v]) for v in G)  # noqa: E731
    assert err(strict) < 1e-5
    assert err(strict) < err(loose)


def test_pagerank_hand_computed_cycle():
    # by hand: a -> b -> c -> a is symmetric, every node 1/3
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")])
    assert R.follow_pagerank(G) == pytest.approx(dict.fromkeys("abc", 1 / 3))


def test_relay_pagerank_uses_counts():
    # by hand (doctest of relay_pagerank): a relayed b 3x and c 1x
    G = nx.DiGraph()
    G.add_edge("a", "b", count=3)
    G.add_edge("a", "c", count=1)
    pr = R.relay_pagerank(G)
    assert pr["a"] == pytest.approx(0.33333 / 1.28333, abs=1e-5)
    assert pr["b"] > pr["c"] > pr["a"]
    unweighted = R.relay_pagerank(G, weight=None)
    assert unweighted["b"] == pytest.approx(unweighted["c"])


def test_received_counts():
    G = nx.DiGraph()
    G.add_edge("a", "b", count=3)
    G.add_edge("c", "b", count=2)
    assert R.relays_received(G) == {"a": 0.0, "b": 5.0, "c": 0.0}
    assert R.mentions_received(G) == R.relays_received(G)


def test_hits_golden(G):
    # expected: nx.hits(G), networkx 3.6.1 (weights used), round-off zeroed
    hub, auth = R.hits(G)
    assert auth == pytest.approx(
        {"a": 0.036329, "b": 0.77307, "c": 0.190601, "d": 0.0, "e": 0.0, "f": 0.0}, abs=1e-6
    )
    assert hub == pytest.approx(
        {"a": 0.440519, "b": 0.064656, "c": 0.22026, "d": 0.274565, "e": 0.0, "f": 0.0}, abs=1e-6
    )
    assert auth["d"] == 0.0 and hub["f"] == 0.0  # exact zeros, so they tie


def test_hits_without_edges():
    G = nx.DiGraph()
    G.add_nodes_from("ab")
    assert R.hits(G) == ({"a": 0.0, "b": 0.0}, {"a": 0.0, "b": 0.0})


def test_kshell_in_plus_out_degree_without_self_loops(G):
    # by hand: a, b, c, d all keep in+out degree >= 2; e's only edge is a self-loop
    assert R.kshell(G) == {"a": 2, "b": 2, "c": 2, "d": 2, "e": 0, "f": 0}
    assert G.has_edge("e", "e")  # the input is not modified


def test_kshell_karate_club_published():
    # Zachary's karate club: max core number 4, core sizes published in many texts;
    # as a directed graph with both directions every degree doubles.
    K = nx.karate_club_graph()
    D = K.to_directed()
    assert max(R.kshell(D).values()) == 8
    assert R.kshell(D) == {v: 2 * c for v, c in nx.core_number(K).items()}


def test_betweenness_exact_and_sampled(G):
    # by hand: b lies on a->c, c->a, d->a; normalised by (N-1)(N-2) = 20
    assert R.betweenness(G)["b"] == pytest.approx(3 / 20)
    assert R.betweenness(G, k=100) == R.betweenness(G)  # k >= N means exact
    sampled = R.betweenness(G, k=3, seed=0)
    assert sampled == nx.betweenness_centrality(G, k=3, seed=0)


def test_communities_two_triangles():
    # by hand: two triangles joined by one edge split into the two triangles
    G = nx.DiGraph(
        [("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("e", "f"), ("f", "d"), ("c", "d"), ("g", "g")]
    )
    G.add_edge("h", "i")
    labels = R.communities(G, seed=0)
    assert labels["a"] == labels["b"] == labels["c"] == 0  # first of the two largest
    assert labels["d"] == labels["e"] == labels["f"] == 1
    assert labels["h"] == labels["i"] == 2
    assert labels["g"] == 3


def test_label_communities_orders_by_size():
    labels = R.label_communities([{"x"}, {"y", "z"}, {"w", "v", "u"}], order="uvwxyz")
    assert labels == {"u": 0, "v": 0, "w": 0, "x": 2, "y": 1, "z": 1}


def test_topic_pagerank(G):
    # by hand: teleport to d and e; e's self-loop keeps its mass: e = .15 * .5 / .15 = .5
    pr = R.topic_pagerank(G, {"d": 1.0, "e": 1.0}, tol=1e-12)
    assert pr["e"] == pytest.approx(0.5)
    assert pr["d"] == pytest.approx(0.075)
    assert pr["f"] == 0.0
    shares = pd.DataFrame({"pid": ["d", "e", "a"], "topic": ["#x", "#x", "#y"], "share": [0.5, 0.5, 1.0]})
    assert R.topic_pagerank(G, shares, topics=["#x"], tol=1e-12) == pytest.approx(pr)
    assert all(math.isnan(v) for v in R.topic_pagerank(G, {}).values())


def test_percentiles_ties_nan_and_noise():
    assert R.percentiles([3.0, 1.0, 2.0]).tolist() == [100.0, 0.0, 50.0]
    assert R.percentiles([1.0, 1.0, 1.0]).tolist() == [50.0, 50.0, 50.0]
    p = R.percentiles([1.0, np.nan, 2.0])
    assert p[0] == 0.0 and math.isnan(p[1]) and p[2] == 100.0
    assert R.percentiles([7.0]).tolist() == [100.0]
    # round-off (1 ulp) ties
    assert R.percentiles([0.1 + 0.2, 0.3, 0.0]).tolist() == [75.0, 75.0, 0.0]


def test_composite_score_weights_and_missing_metrics():
    t = pd.DataFrame({"followers": [1.0, 2.0, 3.0], "pagerank": [3.0, 2.0, 1.0], "relevance": [np.nan] * 3})
    # by hand: (0.1 * pct_followers + 0.2 * pct_pagerank) / 0.3; relevance all NaN is ignored
    assert R.composite_score(t).round(4).tolist() == [66.6667, 50.0, 33.3333]
    equal = R.composite_score(t, weights={"followers": 1, "pagerank": 1})
    assert equal.tolist() == [50.0, 50.0, 50.0]
    t["relevance"] = [np.nan, 0.0, 1.0]
    # row 0 has no relevance: its score keeps the other metrics' weights
    s = R.composite_score(t, weights={"followers": 1, "relevance": 1})
    assert s.tolist() == [0.0, 25.0, 100.0]
    assert set(R.DEFAULT_WEIGHTS) >= {"relay_pagerank", "pagerank", "betweenness"}
