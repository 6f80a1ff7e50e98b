"""Benchmark graph.ranking.fast.rank_all against peers measured in the same run.

Graphs: SNAP ego-Twitter (McAuley & Leskovec 2012; 81k nodes, 1.77M follows; the
follow graph doubles as the relay graph so relay PageRank does real work) and a
synthetic 1M-node / 10M-edge follow graph (power-law out/in degrees, planted
communities, 30% of edges across; plus 2M relay and 1M mention edges).

Each run is its own child process, so peak RSS is rank_all's (plus the edge
arrays): once sequential (per-algorithm times), once with Louvain in a worker
thread (the default); the peers run in a third child. The machine is shared:
the load average is printed, CPU seconds beside wall seconds.

    python bench/rank.py              # both graphs
    python bench/rank.py --skip-big   # ego-Twitter only
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.model import EdgeArrays  # noqa: E402

EGO = ROOT.parent / "shared" / "datasets" / "ego_twitter" / "twitter_combined_rebuilt.txt.gz"


def rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6  # kB on Linux


def load_ego(path: Path = EGO) -> tuple[EdgeArrays, EdgeArrays, EdgeArrays]:
    import pandas as pd

    df = pd.read_csv(path, sep=" ", header=None, names=["a", "b"], dtype=np.int64)
    codes, uniques = pd.factorize(np.concatenate([df["a"].to_numpy(), df["b"].to_numpy()]))
    m = len(df)
    nodes = np.asarray(uniques.astype(str), dtype=object)
    f = EdgeArrays(nodes, codes[:m].astype(np.int64), codes[m:].astype(np.int64), np.ones(m))
    empty = EdgeArrays(nodes, f.src[:0], f.dst[:0], f.weight[:0])
    return f, f, empty


def _powerlaw_edges(rng, n, m, comm, starts, *, mu=0.3, gamma=2.1, kmax=5000):
    def weights():
        w = rng.pareto(gamma - 1, n) + 1.0
        return np.minimum(w, w.sum() / m * kmax)  # cap the hubs' expected degree

    cout = np.cumsum(weights())
    src = np.minimum(np.searchsorted(cout, rng.random(m) * cout[-1]), n - 1)
    cin = np.cumsum(weights())
    c = comm[src]
    lo = np.where(starts[c] > 0, cin[np.maximum(starts[c] - 1, 0)], 0.0)
    hi = cin[starts[c + 1] - 1]
    across = rng.random(m) < mu
    lo[across], hi[across] = 0.0, cin[-1]
    dst = np.searchsorted(cin, lo + rng.random(m) * (hi - lo), side="right")
    return src, np.minimum(dst, n - 1)


def synthetic(n: int, m: int, seed: int = 0) -> tuple[EdgeArrays, EdgeArrays, EdgeArrays]:
    """Power-law out/in degrees, planted communities (sizes 100..50k), m distinct
    edges without self-loops; node ids shuffled so communities are not contiguous."""
    rng = np.random.default_rng(seed)
    sizes = np.minimum((rng.pareto(1.2, n // 50) + 1) * 100, 50_000).astype(np.int64)
    sizes = sizes[np.cumsum(sizes) <= n]
    sizes = np.append(sizes, n - sizes.sum())
    sizes = sizes[sizes > 0]
    comm = np.repeat(np.arange(len(sizes)), sizes)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    src, dst = _powerlaw_edges(rng, n, int(m * 1.4), comm, starts)
    key = src * n + dst
    key = key[src != dst]
    key.sort()
    key = key[np.concatenate([[True], key[1:] != key[:-1]])]
    key = rng.permutation(key)[:m]
    perm = rng.permutation(n)
    nodes = np.array([f"s:{i}" for i in range(n)], dtype=object)
    f = EdgeArrays(nodes, perm[key // n], perm[key % n], np.ones(len(key)))

    def counts(k):
        s, d = _powerlaw_edges(rng, n, k, comm, starts)
        return EdgeArrays(nodes, perm[s], perm[d], rng.geometric(0.5, k).astype(np.float64))

    return f, counts(m // 5), counts(m // 10)


def load(spec: dict):
    if spec["kind"] == "ego":
        return load_ego()
    return synthetic(spec["n"], spec["m"], spec["seed"])


def child_rank(spec: dict) -> dict:
    from graph.ranking.fast import rank_all

    t0 = time.perf_counter()
    f, r, m = load(spec)
    out = {"load_s": time.perf_counter() - t0, "n": f.n, "m": f.m, "rss_loaded_gb": rss_gb()}
    t0, c0 = time.perf_counter(), time.process_time()
    result = rank_all(f, r, m, seed=0, parallel=spec["parallel"])
    df = result.scores
    out["total_s"] = time.perf_counter() - t0
    out["cpu_s"] = time.process_time() - c0
    out["rss_peak_gb"] = rss_gb()
    out["timings"] = result.timings
    out["betweenness_k"] = result.betweenness_k
    out["communities"] = int(df["community"].max()) + 1
    return out


def _scipy_pagerank(A, alpha=0.85, tol=1e-6) -> float:
    """Plain strict power iteration, the textbook way (peer for our PageRank)."""
    t0 = time.perf_counter()  # setup included, as in ours
    n = A.shape[0]
    out = np.asarray(A.sum(axis=1)).ravel()
    P = (A.T.tocsr()).multiply(np.divide(1.0, out, out=np.zeros(n), where=out > 0)).tocsr()
    dangling = out == 0
    x = np.full(n, 1.0 / n)
    for _ in range(1000):
        xl = x
        x = alpha * (P @ xl) + (alpha * xl[dangling].sum() + 1 - alpha) / n
        if np.abs(x - xl).sum() < tol:
            break
    return time.perf_counter() - t0


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def child_peers(spec: dict) -> dict:
    """Direct calls: scipy, igraph, networkit (and plain NetworkX PageRank if asked)."""
    import igraph as ig
    import networkit as nk
    import scipy.sparse as sp

    from graph.ranking.fast import _simple, adjacency, auto_betweenness_k

    f, _, _ = load(spec)
    A = adjacency(f)
    res = {"pagerank_scipy": _scipy_pagerank(A)}
    t0 = time.perf_counter()
    S = _simple(A)
    src = np.repeat(np.arange(f.n), np.diff(S.indptr))
    g = ig.Graph(n=f.n, edges=list(zip(src.tolist(), S.indices.tolist(), strict=True)), directed=True)
    res["igraph_build"] = time.perf_counter() - t0
    res["pagerank_igraph"] = _timed(lambda: g.pagerank(directed=True))
    res["hits_igraph"] = _timed(lambda: (g.hub_score(), g.authority_score()))
    res["kshell_igraph"] = _timed(lambda: g.coreness(mode="all"))
    k = auto_betweenness_k(f.n, f.m)
    sources = None if k is None else random.Random(0).sample(range(f.n), k)
    res["betweenness_igraph"] = _timed(lambda: g.betweenness(directed=True, sources=sources))

    def plm():
        U = sp.triu(S + S.T, format="csr")
        U.data[:] = 1.0
        nk.setNumberOfThreads(1)
        G = nk.GraphFromCsr(U, directed=False)
        nk.community.PLM(G, refine=False).run()

    res["louvain_networkit"] = _timed(plm)
    if spec.get("igraph_louvain"):
        u = g.as_undirected(mode="collapse")
        res["louvain_igraph"] = _timed(u.community_multilevel)
    if spec.get("nx"):
        import networkx as nx

        G = nx.DiGraph()
        res["nx_build"] = _timed(
            lambda: (
                G.add_nodes_from(range(f.n)),
                G.add_edges_from(zip(f.src.tolist(), f.dst.tolist(), strict=True)),
            )
        )
        res["pagerank_networkx"] = _timed(lambda: nx.pagerank(G, tol=1e-6 / f.n, max_iter=200))
    return res


def run_child(fn, spec):
    with mp.get_context("spawn").Pool(1) as pool:
        return pool.apply(fn, (spec,))


def report(name: str, seq: dict, par: dict, peers: dict, *, suite_target: float, rss_target: float):
    t = seq["timings"]
    bk = f"betweenness k={seq['betweenness_k']}"
    build = peers["igraph_build"]
    rows = [  # (algorithm, ours, peer name, peer seconds, allowed ratio)
        ("pagerank", t["pagerank"], "scipy power iteration", peers["pagerank_scipy"], 3),
        ("pagerank", t["pagerank"], "igraph PRPACK", peers["pagerank_igraph"], 2),
        ("hits", t["hits"], "igraph hub+authority", peers["hits_igraph"], 2),
        ("kshell", t["kshell"], "igraph coreness", peers["kshell_igraph"], 2),
        ("kshell", t["kshell"], "igraph build+coreness", peers["kshell_igraph"] + build, 2),
        (bk, t["betweenness"], "igraph, same sources", peers["betweenness_igraph"], 2),
        (bk, t["betweenness"], "igraph build+same", peers["betweenness_igraph"] + build, 2),
        ("louvain", t["louvain"], "networkit PLM", peers["louvain_networkit"], 2),
    ]
    if "louvain_igraph" in peers:
        rows.append(("louvain", t["louvain"], "igraph multilevel", peers["louvain_igraph"], None))
    if "pagerank_networkx" in peers:
        rows.append(("pagerank", t["pagerank"], "networkx, strict tol", peers["pagerank_networkx"], None))
        rows.append(("build graph", t["adjacency"], "networkx DiGraph", peers["nx_build"], None))
    rows.append(("(no graph object)", 0.0, "igraph Graph build", peers["igraph_build"], None))
    print(
        f"\n## {name}: {seq['n']:,} nodes, {seq['m']:,} follow edges "
        f"(load {seq['load_s']:.1f} s, {seq['communities']:,} communities)"
    )
    print("ours: sequential run; igraph peers exclude their graph build (last row).")
    print(f"{'algorithm':22} {'ours s':>7}  {'peer':22} {'peer s':>7} {'ratio':>6}  target")
    for algo, mine, peer, theirs, limit in rows:
        ratio = mine / theirs if theirs > 0 else float("inf")
        verdict = "" if limit is None else f"<= {limit}x {'OK' if ratio <= limit else 'MISS'}"
        print(f"{algo:22} {mine:7.2f}  {peer:22} {theirs:7.2f} {ratio:6.2f}  {verdict}")
    shown = {"pagerank", "hits", "kshell", "betweenness", "louvain"}
    print("other steps (s): " + ", ".join(f"{k} {v:.2f}" for k, v in t.items() if k not in shown))
    for label, run in (("sequential", seq), ("Louvain in a thread", par)):
        ok = run["total_s"] <= suite_target and run["rss_peak_gb"] <= rss_target
        print(
            f"full suite, {label}: {run['total_s']:.1f} s wall, {run['cpu_s']:.1f} s CPU, "
            f"peak RSS {run['rss_peak_gb']:.2f} GB (arrays alone {run['rss_loaded_gb']:.2f}); "
            f"target <= {suite_target:.0f} s and <= {rss_target:.0f} GB: {'OK' if ok else 'MISS'}"
        )


def bench(name: str, spec: dict, **targets) -> None:
    seq = run_child(child_rank, {**spec, "parallel": False})
    par = run_child(child_rank, {**spec, "parallel": True})
    report(name, seq, par, run_child(child_peers, spec), **targets)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--skip-big", action="store_true", help="skip the 1M/10M synthetic graph")
    ap.add_argument("--no-nx", action="store_true", help="skip plain NetworkX PageRank on ego")
    ap.add_argument(
        "--igraph-louvain", action="store_true", help="also time igraph multilevel on the big graph (slow)"
    )
    ap.add_argument("-n", type=int, default=1_000_000, help="synthetic nodes")
    ap.add_argument("-m", type=int, default=10_000_000, help="synthetic follow edges")
    args = ap.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores before the run")
    ego = {"kind": "ego", "nx": not args.no_nx, "igraph_louvain": True}
    bench("ego-Twitter", ego, suite_target=15, rss_target=4)
    if not args.skip_big:
        big = {
            "kind": "synthetic",
            "n": args.n,
            "m": args.m,
            "seed": 0,
            "igraph_louvain": args.igraph_louvain,
        }
        bench("synthetic", big, suite_target=60, rss_target=4)
    print(f"load average {os.getloadavg()[0]:.1f} after the run")


if __name__ == "__main__":
    main()
