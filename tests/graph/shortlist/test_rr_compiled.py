"""The compiled RR-set walk against the array version (the reference)."""

from __future__ import annotations

import numpy as np
import pytest

from graph.model import EdgeArrays
from graph.shortlist import rr_compiled
from graph.shortlist.cascade import _salt, propagation_graph, rr_sets

pytestmark = pytest.mark.skipif(not rr_compiled.available(), reason="numba is not installed")


def graphs(seed: int, n: int = 200, m: int = 1500):
    rng = np.random.default_rng(seed)
    names = [f"x:{i}" for i in range(n)]
    pairs = [(names[a], names[b]) for a, b in rng.integers(0, n, (m, 2)) if a != b]
    relays = [(names[a], names[b], float(c)) for a, b, c in zip(*rng.integers(0, n, (2, 300)), rng.integers(1, 4, 300))
              if a != b]  # fmt: skip
    f, r = EdgeArrays.from_pairs(pairs, nodes=names), EdgeArrays.from_pairs(relays, nodes=names)
    return {
        "wc+relays": propagation_graph(f, r),
        "p=0.1+relays": propagation_graph(f, r, p=0.1),
        "wc": propagation_graph(f),
        "chained": propagation_graph(f, r, relay_hops="any"),
        "p=1": propagation_graph(f, p=1.0),
    }


def by_set(rr) -> list[tuple[int, ...]]:
    ptr, mem = rr
    return [tuple(sorted(mem[ptr[j] : ptr[j + 1]].tolist())) for j in range(len(ptr) - 1)]


def walk(g, count, seed, *, gaps, threads=None):
    rng = np.random.default_rng(seed)
    roots = np.argsort(rng.random((-(-count // g.n), g.n)), axis=1).ravel()[:count]
    thr, rthr = g.thresholds
    relays = g.relay_reverse if g.relay_m else None
    return rr_compiled.rr_walk(roots, g.n, g.reverse, thr, _salt(seed, 1), relays, rthr, _salt(seed, 3), gaps=gaps,
                               threads=threads)  # fmt: skip


@pytest.mark.parametrize("kind", ["wc+relays", "p=0.1+relays", "wc", "chained", "p=1"])
@pytest.mark.parametrize("seed", [0, 7])
def test_a_coin_per_edge_gives_exactly_the_array_versions_sets(kind, seed):
    g = graphs(seed)[kind]
    ref = rr_sets(g, 800, seed=seed, compiled=False)
    got = walk(g, 800, seed, gaps=False)
    assert np.array_equal(ref[0], got[0])
    assert by_set(ref) == by_set(got)


@pytest.mark.parametrize("kind", ["wc+relays", "p=0.1+relays", "chained"])
def test_geometric_gaps_keep_the_distribution(kind):
    """How often each person is in a set: the gaps against the coins, different seeds.
    Each frequency is a mean over 100k sets; their difference in standard errors is
    about normal, so a wrong chance (say 1/deg off by one) shows at once."""
    g, count = graphs(3)[kind], 100_000
    a = np.bincount(rr_sets(g, count, seed=1, compiled=False)[1], minlength=g.n) / count
    b = np.bincount(rr_sets(g, count, seed=2, compiled=True)[1], minlength=g.n) / count
    z = (a - b) / (np.sqrt(2 * a * (1 - a) / count) + 1e-12)
    assert np.abs(z).max() < 5 and (z**2).mean() < 1.6, (np.abs(z).max(), (z**2).mean())


def test_same_seed_same_sets_another_seed_others():
    g = graphs(1)["wc+relays"]
    one = rr_sets(g, 2000, seed=4, compiled=True)
    assert by_set(one) == by_set(rr_sets(g, 2000, seed=4, compiled=True))
    assert by_set(one) != by_set(rr_sets(g, 2000, seed=5, compiled=True))


def test_certain_edges_reach_everyone_upstream():
    """p = 1: a set is everyone who can reach its root, with or without gaps."""
    g = graphs(2)["p=1"]
    assert by_set(walk(g, 400, 0, gaps=True)) == by_set(walk(g, 400, 0, gaps=False))


@pytest.mark.parametrize("kind", ["wc+relays", "p=0.1+relays", "chained"])
@pytest.mark.parametrize("gaps", [True, False])
def test_threads_walk_stretches_of_the_roots_and_give_the_same_sets(kind, gaps):
    """Set j is world j whatever stretch of the roots a thread walks: 1, 2 or 3 threads
    give the very same arrays."""
    g = graphs(3)[kind]
    one = walk(g, 2500, 3, gaps=gaps, threads=1)
    for threads in (2, 3):
        got = walk(g, 2500, 3, gaps=gaps, threads=threads)
        assert np.array_equal(one[0], got[0]) and np.array_equal(one[1], got[1])
