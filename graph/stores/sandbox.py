"""Ad-hoc read-only queries, each in a child process, on both stores.

An ad-hoc query can build one value larger than the machine: LadybugDB cannot cap the
memory of one query (its buffer pool bounds cached pages and hash tables, not the
values a query builds: ``RETURN size(range(1, 300000000))`` took 4.3 GB with a 512 MB
pool), and on Neo4j ``RETURN range(1, 30000000)`` streams one 30-million-element row
that the driver decodes into 3.9 GB of Python objects after three minutes. A query may
also outrun its time limit inside one function call, and a crash in the embedded
engine (a segfault) takes the whole process — the app, for every user — with it.

So :func:`run_isolated` runs each read-only query in a fresh child process that:

* caps its address space (``RLIMIT_AS``) at what it holds after opening the database
  or driver plus ``query_memory_mb`` (for LadybugDB half of it is the buffer pool):
  an allocation beyond it fails (``std::bad_alloc``, ``MemoryError``);
* cannot write to any file (``RLIMIT_FSIZE`` 0) and leaves no core dump;
* LadybugDB: opens the database **read-only** (a second process may, and sees every
  committed write, measured with ladybug 0.22) and runs the query inside
  ``BEGIN TRANSACTION READ ONLY`` with the engine's timeout;
* Neo4j: asks ``EXPLAIN`` for the query type (refused unless ``r``), then runs it in
  a READ transaction with the server-side timeout;
* is killed if it outlives the time limit by :data:`GRACE_S` (a killed Neo4j client
  drops its connection, and the server ends the transaction).

Whatever happens in the child, the parent gets rows or one clear line. The child
imports the standard library and the engine's client only (LadybugDB ~0.25 s to
start, Neo4j ~0.5 s). Run as a script, it reads a pickled request on stdin and writes
a pickled answer on stdout; credentials travel on stdin, never in argv or the
environment.
"""

from __future__ import annotations

import os
import pickle
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["run_isolated", "error_line", "neo4j_plain", "GRACE_S"]

#: seconds a child may outlive its query's time limit before it is killed
GRACE_S = 5.0
#: seconds a child retries opening while another process checkpoints or recovers
OPEN_RETRY_S = 10.0
#: messages of a database another process is checkpointing or recovering right now
_TRANSIENT = ("lock", "checkpoint recovery is pending", "wal", "reading past the end")
_MIB = 1 << 20
_ROOT = Path(__file__).resolve().parents[2]


def run_isolated(request: dict[str, Any], *, timeout_s: float, memory_mb: int) -> tuple[Any, ...]:
    """Run ``request`` (``engine``: ladybug or neo4j, see :func:`_child`) in a child
    process: ``("ok", columns, rows, truncated)`` or ``("error", kind, message, code)``
    with kind timeout | memory | refused | unreachable | engine. A child that dies or
    outlives the limit raises ``StoreError`` (one line) here."""
    from graph.errors import StoreError

    request = {**request, "timeout_s": timeout_s, "memory": memory_mb * _MIB}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "INFLUENCE_"))}
    env["MALLOC_ARENA_MAX"] = "2"  # each glibc arena reserves 64 MB of address space
    try:
        proc = subprocess.run(
            [sys.executable, "-s", "-P", __file__], input=pickle.dumps(request), capture_output=True,
            timeout=timeout_s + GRACE_S + (OPEN_RETRY_S if request["engine"] == "ladybug" else 0),
            env=env, cwd=_ROOT,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise StoreError(f"query stopped after the {timeout_s:g}s time limit") from None
    try:
        answer = pickle.loads(proc.stdout) if proc.stdout else None
    except Exception:
        answer = None
    if isinstance(answer, tuple) and answer and answer[0] in ("ok", "error"):
        return answer
    raise StoreError(_died(proc.returncode, memory_mb))


def error_line(kind: str, message: str, timeout_s: float, memory_mb: int) -> str | None:
    """The line for a child's timeout or memory error (None for other kinds)."""
    if kind == "timeout":
        return f"query stopped after the {timeout_s:g}s time limit"
    if kind == "memory":
        return (
            f"query stopped: it needs more than the {memory_mb:,} MB a query may use "
            "(setting query_memory_mb); nothing was changed"
        )
    return None


def _died(returncode: int, memory_mb: int) -> str:
    if returncode < 0:
        name = signal.Signals(-returncode).name if -returncode in signal.valid_signals() else str(-returncode)
        if name in ("SIGABRT", "SIGKILL"):
            return (
                f"the database engine stopped on this query ({name}), most likely over the {memory_mb:,} MB a "
                "query may use (setting query_memory_mb); nothing was changed"
            )
        return (
            f"the database engine crashed on this query ({name}); nothing was changed and the store "
            "is fine: please report the query"
        )
    return f"the query process ended unexpectedly (exit {returncode}); nothing was changed"


# -- the child ---------------------------------------------------------------------------
def _classify(exc: BaseException) -> tuple[str, str, str]:
    """(kind, first line, Neo4j code) of an exception in the child."""
    if isinstance(exc, MemoryError):
        return "memory", "out of memory", ""
    code = str(getattr(exc, "code", None) or "")
    msg = ((getattr(exc, "message", None) or str(exc)).strip().splitlines() or [type(exc).__name__])[0]
    low = msg.lower()
    if "TransactionTimedOut" in code or "Terminated" in code or "interrupted" in low or "timeout" in low:
        return "timeout", msg, code
    if "bad_alloc" in low or "buffer manager exception" in low or "out of memory" in low:
        return "memory", msg, code
    if code == "Neo.ClientError.Statement.AccessMode" or "read-only" in low or "read only" in low:
        return "refused", f"read-only: the database refused a write ({msg})", code
    if type(exc).__name__ in ("ServiceUnavailable", "SessionExpired") or isinstance(exc, OSError):
        return "unreachable", msg, code
    return "engine", msg, code


def _cap_memory(extra: int) -> None:
    """Address space: what the process holds now plus ``extra`` bytes."""
    if not os.path.exists("/proc/self/status"):  # not Linux: no cap
        return
    with open("/proc/self/status") as f:
        vm = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
    limit = vm + max(128 * _MIB, extra)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _open_ladybug(ladybug: Any, path: str, memory: int) -> Any:
    size = sum(p.stat().st_size for p in Path(path).parent.glob(Path(path).name + "*") if p.is_file())
    max_db = 1 << 30
    while max_db < 2 * size:
        max_db <<= 1
    deadline = time.monotonic() + OPEN_RETRY_S
    while True:
        try:
            return ladybug.Database(
                path, read_only=True, buffer_pool_size=max(64 * _MIB, memory // 2), max_db_size=max_db
            )
        except RuntimeError as exc:
            if not any(t in str(exc).lower() for t in _TRANSIENT) or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _run_ladybug(r: dict[str, Any]) -> tuple[Any, ...]:
    import ladybug

    conn = ladybug.Connection(_open_ladybug(ladybug, r["path"], r["memory"]))
    conn.set_query_timeout(int(r["timeout_s"] * 1000))
    _cap_memory(r["memory"] // 2)
    conn.execute("BEGIN TRANSACTION READ ONLY")
    result = conn.execute(r["query"], r["params"])
    if isinstance(result, list):
        result = result[-1]
    rows = result.get_n(r["max_rows"]) if r["max_rows"] else result.get_all()
    return "ok", result.get_column_names(), rows, bool(r["max_rows"]) and result.has_next()


def _run_neo4j(r: dict[str, Any]) -> tuple[Any, ...]:
    import itertools

    import neo4j

    driver = neo4j.GraphDatabase.driver(
        r["uri"], auth=(r["user"], r["password"]), connection_timeout=10,
        notifications_min_severity="OFF", user_agent="influence-explorer",
    )  # fmt: skip
    max_rows = r["max_rows"]
    fetch = min(max_rows + 1, 10_000) if max_rows else 1000
    with driver.session(database=r["database"], default_access_mode=neo4j.READ_ACCESS, fetch_size=fetch) as s:
        if r["explain"]:
            kind = str(s.run(r["explain"], r["params"]).consume().query_type)
            if kind != "r":
                what = {"w": "writes", "rw": "reads and writes", "s": "changes the schema or the server"}
                return "error", "refused", (
                    f"read-only: Neo4j says this query {what.get(kind, kind)} (use --allow-write to permit writes)"
                ), ""
        _cap_memory(r["memory"])
        tx = s.begin_transaction(timeout=r["timeout_s"])
        result = tx.run(r["query"], r["params"])
        keys = list(result.keys())
        rows = [[neo4j_plain(v) for v in rec.values()] for rec in itertools.islice(result, max_rows or None)]
        return "ok", keys, rows, bool(max_rows) and result.peek() is not None


def neo4j_plain(value: Any) -> Any:
    """Driver values as plain Python. Nodes, relationships and paths become dicts with
    the keys LadybugDB uses (``_ID``, ``_LABEL``, ``_SRC``/``_DST``, ``_NODES``/``_RELS``),
    so :mod:`graph.views.cypher_results` draws both stores' results alike; ids are element ids.
    """
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        labels = sorted(value.labels)
        return {"_ID": value.element_id, "_LABEL": labels[0] if labels else "", "_labels": labels,
                **{k: neo4j_plain(v) for k, v in value.items()}}  # fmt: skip
    if isinstance(value, Relationship):
        return {"_ID": value.element_id, "_LABEL": value.type,
                "_SRC": value.start_node.element_id if value.start_node else None,
                "_DST": value.end_node.element_id if value.end_node else None,
                **{k: neo4j_plain(v) for k, v in value.items()}}  # fmt: skip
    if isinstance(value, Path):
        return {"_NODES": [neo4j_plain(n) for n in value.nodes],
                "_RELS": [neo4j_plain(r) for r in value.relationships]}  # fmt: skip
    if isinstance(value, list):
        return [neo4j_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: neo4j_plain(v) for k, v in value.items()}
    if hasattr(value, "to_native"):
        return value.to_native()
    return value


def _child() -> None:
    request = pickle.loads(sys.stdin.buffer.read())
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    out = sys.stdout.buffer
    try:
        run = _run_ladybug if request["engine"] == "ladybug" else _run_neo4j
        payload = pickle.dumps(run(request), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as exc:  # noqa: BLE001 - everything becomes one line for the parent
        payload = pickle.dumps(("error", *_classify(exc)))
    out.write(payload)
    out.flush()
    os._exit(0)  # skip teardown: nothing to write back


if __name__ == "__main__":
    _child()
