"""End to end: load + rank + shortlist, ours against igraph's and networkit's same suite.

Same input file for everyone (a SNAP edge list, gzip): SNAP ego-Twitter (81k people,
1.77M follows) and a synthetic 1M-node / 10M-edge follow graph written once to a temp
file. Every run is a child process (peak RSS is its own); runs are interleaved
(ours, igraph, networkit, ours, …) so a busy machine hurts all alike. Everyone uses the
cores it would use by default (``--threads all``: networkit's parallel algorithms; our
compiled betweenness on every core, Louvain in a thread beside the other metrics, the
store engine's own threads; igraph is serial);
``--threads 1`` pins each run to one core (CPU affinity; networkit also told to use one
thread), for a like-for-like single-core figure.

* **ours**: ``influence load`` into a fresh embedded store, ``rank`` (every metric:
  PageRank, HITS, k-shell, sampled betweenness, Louvain, …, written back to the store),
  ``shortlist --top 300`` (the set method, saved in the graph). The shortlist has no
  counterpart in the peers' suites: it counts as ours.
* **igraph**: parse the file (pandas), build the graph, PageRank, hub/authority,
  coreness, betweenness from the same sampled sources, multilevel communities.
* **networkit**: parse the file (pandas), build the graph, PageRank, HITS-free suite
  (networkit has no HITS), core decomposition, betweenness from the same number of
  sources, PLM communities.

    python bench/end_to_end.py                 # both sizes, 2 rounds
    python bench/end_to_end.py --skip-big --rounds 3
    python bench/end_to_end.py --skip-ego --rounds 1   # the 10M-edge graph only
    python bench/end_to_end.py --skip-big --threads 1  # one core each
"""

from __future__ import annotations

import argparse
import gzip
import multiprocessing as mp
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATASETS = Path(os.environ.get("INFLUENCE_DATASETS") or ROOT.parent / "shared" / "datasets")
EGO = DATASETS / "ego_twitter" / "twitter_combined_rebuilt.txt.gz"


def rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def write_synthetic(path: Path, n: int = 1_000_000, m: int = 10_000_000) -> Path:
    """The 10M-edge graph of bench/rank.py as a gzip SNAP file (written once)."""
    from bench.rank import synthetic

    f, _, _ = synthetic(n, m, 0)
    with gzip.open(path, "wt", compresslevel=1) as out:
        for lo in range(0, f.m, 1_000_000):
            s, d = f.src[lo : lo + 1_000_000], f.dst[lo : lo + 1_000_000]
            out.write("\n".join(f"{a} {b}" for a, b in zip(s.tolist(), d.tolist(), strict=True)) + "\n")
    return path


def _edges(path: str) -> tuple[np.ndarray, np.ndarray, int]:
    import pandas as pd

    df = pd.read_csv(path, sep=" ", header=None, names=["a", "b"], dtype=np.int64, engine="c")
    codes, uniq = pd.factorize(np.concatenate([df["a"].to_numpy(), df["b"].to_numpy()]))
    m = len(df)
    keep = codes[:m] != codes[m:]
    return codes[:m][keep], codes[m:][keep], len(uniq)


def _sources(n: int, m: int) -> list[int] | None:
    from graph.ranking.centrality import auto_betweenness_k

    k = auto_betweenness_k(n, m)
    return None if k is None else random.Random(0).sample(range(n), k)


def _pin(threads: str) -> None:
    """One core for this child process (``--threads 1``): every thread it starts shares it."""
    if threads == "1":
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def child_ours(path: str, threads: str = "all") -> dict:
    _pin(threads)
    from graph.jobs import build_shortlist, load_files, rank
    from graph.shortlist.request import ShortlistRequest
    from graph.stores.embedded import EmbeddedStore

    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp, EmbeddedStore(Path(tmp) / "g") as store:
        t0 = time.perf_counter()
        load_files(store, [path], format="snap", kind="follows")
        out["load"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        result = rank(store)
        out["rank"] = time.perf_counter() - t0
        out["rank_steps"] = result.timings
        t0 = time.perf_counter()
        build_shortlist(store, ShortlistRequest(top=300))
        out["shortlist"] = time.perf_counter() - t0
    out["rss_gb"] = rss_gb()
    return out


def child_igraph(path: str, threads: str = "all") -> dict:
    _pin(threads)
    import igraph as ig

    out: dict = {}
    t0 = time.perf_counter()
    src, dst, n = _edges(path)
    g = ig.Graph(n=n, edges=np.column_stack([src, dst]), directed=True)
    g.simplify(multiple=True, loops=True)
    out["load"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    g.pagerank(directed=True)
    g.hub_score()
    g.authority_score()
    g.coreness(mode="all")
    g.betweenness(directed=True, sources=_sources(n, g.ecount()))
    g.as_undirected(mode="collapse").community_multilevel()
    out["rank"] = time.perf_counter() - t0
    out["rss_gb"] = rss_gb()
    return out


def child_networkit(path: str, threads: str = "all") -> dict:
    _pin(threads)
    import networkit as nk

    if threads == "1":
        nk.setNumberOfThreads(1)
    out: dict = {}
    t0 = time.perf_counter()
    src, dst, n = _edges(path)
    G = nk.GraphFromCoo((np.ones(len(src)), (src.astype(np.uint64), dst.astype(np.uint64))), n=n,
                        directed=True)  # fmt: skip
    G.removeMultiEdges()
    G.removeSelfLoops()
    out["load"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    pr = nk.centrality.PageRank(G, tol=1e-6)
    pr.norm = nk.centrality.Norm.L1_NORM
    pr.run()
    U = nk.graphtools.toUndirected(G)
    U.removeMultiEdges()
    nk.centrality.CoreDecomposition(U).run()
    sources = _sources(n, G.numberOfEdges())
    nk.centrality.EstimateBetweenness(G, len(sources) if sources else n, False, False).run()
    nk.community.PLM(U, refine=False).run()
    out["rank"] = time.perf_counter() - t0
    out["rss_gb"] = rss_gb()
    return out


def run_child(fn, path: str, threads: str) -> dict:
    with mp.get_context("spawn").Pool(1) as pool:
        return pool.apply(fn, (path, threads))


def bench(name: str, path: Path, rounds: int, threads: str = "all") -> None:
    runs: dict[str, list[dict]] = {"ours": [], "igraph": [], "networkit": []}
    for r in range(rounds):
        for label, fn in (("ours", child_ours), ("igraph", child_igraph), ("networkit", child_networkit)):
            res = run_child(fn, str(path), threads)
            res["total"] = res["load"] + res["rank"] + res.get("shortlist", 0.0)
            runs[label].append(res)
            print(f"  round {r + 1} {label:<10} total {res['total']:7.1f} s  peak {res['rss_gb']:.2f} GB", flush=True)

    def med(label: str, key: str) -> float:
        return statistics.median(x.get(key, 0.0) for x in runs[label])

    cores = "one core each" if threads == "1" else f"default threads ({os.cpu_count()} cores)"
    print(f"\n## {name} ({path.name}), median of {rounds} interleaved rounds, {cores}, "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"{'':<12}{'load':>9}{'rank':>9}{'shortlist':>11}{'total':>9}{'peak GB':>9}")
    for label in runs:
        print(f"{label:<12}{med(label, 'load'):>8.1f}s{med(label, 'rank'):>8.1f}s{med(label, 'shortlist'):>10.1f}s"
              f"{med(label, 'total'):>8.1f}s{max(x['rss_gb'] for x in runs[label]):>9.2f}")  # fmt: skip
    fastest = min(("igraph", "networkit"), key=lambda k: med(k, "total"))
    ratio = med("ours", "total") / med(fastest, "total")
    print(f"ours / fastest peer ({fastest}): {ratio:.2f}x end to end (target <= 1.5x; the shortlist counts as ours)")
    steps = runs["ours"][-1]["rank_steps"]
    print("ours, rank steps (last round): " + ", ".join(f"{k} {v:.2f}s" for k, v in steps.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--skip-big", action="store_true", help="ego-Twitter only")
    ap.add_argument("--skip-ego", action="store_true", help="the 10M-edge graph only")
    ap.add_argument("--threads", choices=("all", "1"), default="all", help="cores for networkit and ours")
    args = ap.parse_args()
    if not EGO.exists():
        sys.exit(f"{EGO} not found: set INFLUENCE_DATASETS")
    if not args.skip_ego:
        bench("SNAP ego-Twitter, 81k people / 1.77M follows", EGO, args.rounds, args.threads)
    if not args.skip_big:
        with tempfile.TemporaryDirectory() as tmp:
            print("\nwriting the 10M-edge synthetic file …", flush=True)
            path = write_synthetic(Path(tmp) / "synthetic_10M.txt.gz")
            bench("synthetic, 1M people / 10M follows", path, args.rounds, args.threads)


if __name__ == "__main__":
    main()
