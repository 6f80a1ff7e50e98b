"""Ad-hoc read-only queries of the embedded store, each in a child process.

LadybugDB cannot cap the memory of one query (its buffer pool bounds cached pages and
hash tables, not the values a query builds: ``RETURN size(range(1, 300000000))``
took 4.3 GB with a 512 MB pool), a query may outrun its time limit inside one
function call, and a crash in the engine (a segfault) takes the whole process with
it. So :func:`run_isolated` runs each read-only query in a fresh child process that:

* opens the database **read-only** (a second process may; it sees every committed
  write, measured with ladybug 0.22), with a bounded buffer pool;
* caps its address space (``RLIMIT_AS``) at what it holds after opening plus the
  rest of ``query_memory_mb``: an allocation beyond it fails (``std::bad_alloc``);
* cannot write to any file (``RLIMIT_FSIZE`` 0), leaves no core dump;
* runs the query inside ``BEGIN TRANSACTION READ ONLY`` with the engine's timeout,
  and is killed if it outlives that by :data:`GRACE_S`.

Whatever happens in the child, the parent gets rows or one clear line. The child
imports nothing but the standard library and ``ladybug`` (about 0.25 s to start).
Run as a script: ``python sandbox.py`` reads a pickled request on stdin and writes a
pickled answer on stdout.
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

__all__ = ["run_isolated", "GRACE_S"]

#: seconds a child may outlive its query's time limit before it is killed
GRACE_S = 5.0
#: seconds a child retries opening while another process checkpoints or recovers
OPEN_RETRY_S = 10.0
#: messages of a database another process is checkpointing or recovering right now
_TRANSIENT = ("lock", "checkpoint recovery is pending", "wal", "reading past the end")
_MIB = 1 << 20


def run_isolated(
    db_path: Path, query: str, params: dict[str, Any], *, timeout_s: float, max_rows: int, memory_mb: int
) -> tuple[list[str], list[list[Any]], bool]:
    """Run ``query`` read-only in a child process: column names, at most ``max_rows``
    rows (0: all) and whether more existed. Raises ``QueryRefused`` for a write the
    engine refused and ``StoreError`` (one line) for anything else."""
    from graph.errors import QueryRefused, StoreError

    request = {"path": str(db_path), "query": query, "params": params, "timeout_ms": int(timeout_s * 1000),
               "max_rows": max_rows, "memory": memory_mb * _MIB}  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "INFLUENCE_"))}
    env["MALLOC_ARENA_MAX"] = "2"  # each glibc arena reserves 64 MB of address space
    try:
        proc = subprocess.run(
            [sys.executable, "-s", "-P", __file__], input=pickle.dumps(request), capture_output=True,
            timeout=timeout_s + GRACE_S + OPEN_RETRY_S, env=env, cwd=db_path.parent,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise StoreError(f"query stopped after the {timeout_s:g}s time limit") from None
    try:
        answer = pickle.loads(proc.stdout) if proc.stdout else None
    except Exception:
        answer = None
    if isinstance(answer, tuple) and answer[0] == "ok":
        return answer[1], answer[2], answer[3]
    if isinstance(answer, tuple) and answer[0] == "error":
        kind, message = answer[1], answer[2]
        if kind == "refused":
            raise QueryRefused(message)
        raise StoreError(_explain(kind, message, timeout_s, memory_mb))
    raise StoreError(_died(proc.returncode, memory_mb))


def _explain(kind: str, message: str, timeout_s: float, memory_mb: int) -> str:
    if kind == "timeout":
        return f"query stopped after the {timeout_s:g}s time limit"
    if kind == "memory":
        return (
            f"query stopped: it needs more than the {memory_mb:,} MB a query may use "
            "(setting query_memory_mb); nothing was changed"
        )
    return message


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
def _classify(exc: BaseException) -> tuple[str, str]:
    if isinstance(exc, MemoryError):
        return "memory", "out of memory"
    msg = (str(exc).splitlines() or [type(exc).__name__])[0]
    low = msg.lower()
    if "interrupted" in low or "timeout" in low:
        return "timeout", msg
    if "bad_alloc" in low or "buffer manager exception" in low or "out of memory" in low:
        return "memory", msg
    if "read-only" in low or "read only" in low:
        return "refused", f"read-only: the database refused a write ({msg})"
    return "engine", msg


def _open(ladybug: Any, path: str, memory: int) -> Any:
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


def _cap_memory(memory: int) -> None:
    """Address space: what the process holds now plus the other half of ``memory``."""
    with open("/proc/self/status") as f:
        vm = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
    limit = vm + max(128 * _MIB, memory // 2)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _child() -> None:
    request = pickle.loads(sys.stdin.buffer.read())
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    out = sys.stdout.buffer
    try:
        import ladybug

        db = _open(ladybug, request["path"], request["memory"])
        conn = ladybug.Connection(db)
        conn.set_query_timeout(request["timeout_ms"])
        if os.path.exists("/proc/self/status"):
            _cap_memory(request["memory"])
        conn.execute("BEGIN TRANSACTION READ ONLY")
        result = conn.execute(request["query"], request["params"])
        if isinstance(result, list):
            result = result[-1]
        max_rows = request["max_rows"]
        rows = result.get_n(max_rows) if max_rows else result.get_all()
        truncated = bool(max_rows) and result.has_next()
        answer: tuple = ("ok", result.get_column_names(), rows, truncated)
        payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as exc:  # noqa: BLE001 - everything becomes one line for the parent
        payload = pickle.dumps(("error", *_classify(exc)))
    out.write(payload)
    out.flush()
    os._exit(0)  # skip the engine's teardown: nothing to write back


if __name__ == "__main__":
    _child()
