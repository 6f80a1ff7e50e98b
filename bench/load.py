"""Benchmark loading SNAP ego-Twitter's 1.77M follows into Neo4j (over Bolt) and into
the embedded store (LadybugDB), in the same run.

Each load runs in its own child process, so "peak RSS" is that load's alone (it
includes reading the file: ~0.3 GB). For Neo4j the server JVM's resident memory is
read from /proc (the process that listens on the Bolt port) when it is local.
Relationships/s = follows / the whole load (people created, follows written, commit).

Neo4j comes from NEO4J_URI/NEO4J_USERNAME/NEO4J_PASSWORD; without NEO4J_URI the
local server is started with scripts/neo4j-local (and stopped afterwards). The
database is emptied first: it must hold nothing else.

    python bench/load.py                        # both stores, the store's batch size (5,000)
    python bench/load.py --batch-sizes 5000,20000,50000   # a sweep (the database is emptied each time)
    python bench/load.py --skip-neo4j

With the local server (no NEO4J_URI), the same file is then loaded a third way:
``scripts/neo4j-local import`` (neo4j-admin, into the emptied database), timed whole.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EGO = ROOT.parent / "shared" / "datasets" / "ego_twitter" / "twitter_combined_rebuilt.txt.gz"
LOCAL = ROOT / "scripts" / "neo4j-local"
TARGETS = {"neo4j": 50_000, "embedded": 500_000}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def read_batch(path: Path, edges: int | None):
    from loaders.base import finish_batch
    from loaders.snap import read_snap

    batch = read_snap(path, kind="follows")
    if edges:
        batch.follows = batch.follows.iloc[:edges]
        batch.people = batch.people.iloc[:0]
        batch = finish_batch(batch)
    return batch


def _child(kind: str, path: str, edges: int | None, batch_size: int, env: dict, out) -> None:
    os.environ.update(env)
    t0 = time.perf_counter()
    batch = read_batch(Path(path), edges)
    read_s, rss_read = time.perf_counter() - t0, peak_rss_mb()
    if kind == "neo4j":
        from graph.settings import Settings
        from graph.stores.neo4j import Neo4jStore

        store = Neo4jStore.connect(Settings.from_env(dotenv=None))
        store.batch_size = batch_size
    else:
        from graph.stores.embedded import EmbeddedStore

        store = EmbeddedStore(Path(tempfile.mkdtemp(prefix="bench-load-")) / "graph")
    t0 = time.perf_counter()
    stats = store.load(batch)
    load_s = time.perf_counter() - t0
    counts = store.counts()
    reload_s = None
    if edges is None:  # reloading the same file adds nothing: time the check too
        t1 = time.perf_counter()
        again = store.load(batch)
        reload_s = time.perf_counter() - t1
        assert not any(again.added.values()), again.summary()
    t1 = time.perf_counter()
    arrays = store.edge_arrays("follows")
    export_s = time.perf_counter() - t1
    store.close()
    out.send(dict(people=len(batch.people), follows=len(batch.follows), read_s=read_s, load_s=load_s,
                  reload_s=reload_s, export_s=export_s, exported=arrays.m, counts=counts,
                  added=stats.added, rss_read=rss_read, rss_peak=peak_rss_mb()))  # fmt: skip


def run_child(kind: str, path: Path, edges: int | None, batch_size: int, env: dict) -> dict:
    ctx = mp.get_context("spawn")
    recv, send = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_child, args=(kind, str(path), edges, batch_size, env, send))
    p.start()
    result = recv.recv()
    p.join()
    return result


# -- the Neo4j server ---------------------------------------------------------------
def neo4j_env() -> tuple[dict, bool]:
    """NEO4J_* settings, starting the local server when none is configured."""
    env = {k: v for k, v in os.environ.items() if k.startswith("NEO4J_")}
    if env.get("NEO4J_URI"):
        return env, False
    running = subprocess.run([str(LOCAL), "status"], capture_output=True).returncode == 0
    out = subprocess.run([str(LOCAL), "env" if running else "start"], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"no Neo4j: {out.stderr.strip().splitlines()[-1:]}")
    import shlex

    for line in out.stdout.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        env[name] = shlex.split(value)[0]
    return env, not running


def server_pid(port: int) -> int | None:
    """The local process listening on ``port`` (from /proc/net/tcp*), if readable."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for ln in lines:
            f = ln.split()
            if f[3] == "0A" and int(f[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f[9])
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if os.readlink(fd).removeprefix("socket:[").rstrip("]") in inodes:
                    return int(proc.name)
        except OSError:
            continue
    return None


def jvm_memory(pid: int | None) -> str:
    if pid is None:
        return "server RSS: n/a (not a local process)"
    status = dict(
        ln.split(":", 1) for ln in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in ln
    )
    mb = lambda k: int(status[k].split()[0]) / 1024  # noqa: E731
    return f"server JVM RSS {mb('VmRSS'):,.0f} MB (peak since start {mb('VmHWM'):,.0f} MB)"


def empty_neo4j(env: dict) -> None:
    os.environ.update(env)
    from graph.settings import Settings
    from graph.stores.neo4j import Neo4jStore

    with Neo4jStore.connect(Settings.from_env(dotenv=None)) as store:
        if store.counts()["people"]:
            t0 = time.perf_counter()
            store.clear()
            print(f"  (emptied the database first in {time.perf_counter() - t0:.0f}s)")


def report(kind: str, r: dict, batch_size: int | None, full: bool = True) -> None:
    rate = r["follows"] / r["load_s"]
    size = f", batch {batch_size:,}" if batch_size else ""
    ok = ("meets" if rate >= TARGETS[kind] else "BELOW") if full else "a prefix: not comparable with"
    print(f"{kind:9s} {r['follows']:,} follows + {r['people']:,} people in {r['load_s']:.1f}s = "
          f"{rate:,.0f} relationships/s{size} ({ok} the {TARGETS[kind]:,}/s target); "
          f"peak RSS {r['rss_peak']:,.0f} MB (after reading {r['rss_read']:,.0f} MB)")  # fmt: skip
    extra = f"reload (adds nothing) {r['reload_s']:.1f}s, " if r["reload_s"] is not None else ""
    print(f"{'':9s} {extra}edge_arrays export {r['export_s']:.1f}s; counts {r['counts']['people']:,} people, "
          f"{r['counts']['follows']:,} follows")  # fmt: skip


def admin_import(env: dict, path: Path) -> None:
    """``scripts/neo4j-local import``: the first load into an empty local server with
    neo4j-admin, timed whole (reading the file, the server's stop and restart, and the
    check after it), in the same run as the Bolt load above."""
    empty_neo4j(env)
    t0 = time.perf_counter()
    out = subprocess.run([str(LOCAL), "import", str(path), "--format", "snap"], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"neo4j-admin import failed: {out.stderr.strip().splitlines()[-1:]}")
    loaded = next(ln for ln in out.stdout.splitlines() if ln.startswith("loaded:"))
    follows = int(loaded.split(" follows")[0].rsplit(" ", 1)[1].replace(",", ""))
    inner = float(loaded.rsplit(" in ", 1)[1].rstrip("s"))
    print(f"{'neo4j-admin':9s} {follows:,} follows in {wall:.1f}s whole (server stop, import, restart, "
          f"constraints) = {follows / wall:,.0f} relationships/s; the import itself {inner:.1f}s")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--path", type=Path, default=EGO)
    ap.add_argument("--edges", type=int, default=None, help="load only the first N follows")
    ap.add_argument("--batch-sizes", default="5000", help="Neo4j rows per UNWIND, comma separated")
    ap.add_argument("--skip-neo4j", action="store_true")
    ap.add_argument("--skip-embedded", action="store_true")
    ap.add_argument("--skip-import", action="store_true", help="no neo4j-admin import (local server only)")
    args = ap.parse_args()
    load = os.getloadavg()
    print(f"ego-Twitter load benchmark on {os.cpu_count()} cores; load average {load[0]:.1f} "
          f"(other work on the machine slows both stores)")  # fmt: skip
    if not args.skip_embedded:
        report("embedded", run_child("embedded", args.path, args.edges, 0, {}), None, args.edges is None)
    if args.skip_neo4j:
        return
    local = not os.environ.get("NEO4J_URI")
    env, started = neo4j_env()
    try:
        pid = server_pid(int(env["NEO4J_URI"].rsplit(":", 1)[1]))
        for size in [int(s) for s in args.batch_sizes.split(",")]:
            empty_neo4j(env)
            report("neo4j", run_child("neo4j", args.path, args.edges, size, env), size, args.edges is None)
            print(f"{'':9s} {jvm_memory(pid)}")
        if not args.skip_import and not args.edges and local:
            admin_import(env, args.path)
    finally:
        if started:
            subprocess.run([str(LOCAL), "stop"], capture_output=True)
    print(f"load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
