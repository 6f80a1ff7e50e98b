"""A first load into an empty Neo4j with ``neo4j-admin database import full``.

``neo4j-admin`` writes the store files directly, with the server stopped: on ego-Twitter
the import takes 6.7 s against 23 s for ``CREATE`` over Bolt, 17.6 s with the server's
stop and restart (``bench/load.py``, same run). It only fits a
server whose files this machine holds and may stop, which is what ``scripts/neo4j-local
import`` runs; a team's shared server loads over Bolt (:meth:`Neo4jStore.load`).

The same plan as a Bolt load (:func:`graph.stores.upsert.plan_load` against an empty
store) is written as CSV files in ``neo4j-admin``'s header format, so the imported graph
equals the one a Bolt load of the same batch would write (a test holds the two equal).

All or nothing: the database folders (``data/databases/<db>``, ``data/transactions/<db>``)
are moved aside first and put back if the import fails, so a failed import leaves the
server's files as they were. :func:`import_into_empty` first checks that the database
holds nothing (an import replaces it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graph.model import GraphBatch, LoadError
from graph.stores import cypher as q
from graph.stores.base import LoadStats, StoreError

__all__ = ["Imported", "import_into_empty", "check_imported", "server_control", "import_batch", "import_files", "write_csvs", "header", "data_dir"]

#: between the items of a list property (topics, hashtags): the ASCII unit separator,
#: which the loaders never keep in text
ARRAY_DELIMITER = "\x1f"
_TYPES = {"STRING": "string", "INT64": "long", "DOUBLE": "double", "BOOLEAN": "boolean",
          "TIMESTAMP": "localdatetime", "STRING[]": "string[]"}  # fmt: skip
#: relationship property types (the Bolt load writes the same values)
_REL_PROPS: dict[str, dict[str, str]] = {
    "RELAYED": {"kind": "STRING", "at": "TIMESTAMP"},
    "RELAYS": {"count": "INT64", "first_at": "TIMESTAMP", "last_at": "TIMESTAMP"},
    "MENTIONS": {"count": "INT64"},
    "REPLIES": {"count": "INT64", "first_at": "TIMESTAMP", "last_at": "TIMESTAMP"},
}
_ENDS = {"FOLLOWS": ("Person", "Person"), "AUTHORED": ("Person", "Post"), "RELAYED": ("Person", "Post"),
         "RELAYS": ("Person", "Person"), "MENTIONS": ("Person", "Person"), "REPLIES": ("Person", "Person")}  # fmt: skip


def header(table: str, columns: list[str]) -> str:
    """The ``neo4j-admin`` header line of a node label or relationship type.

    >>> header("Person", ["pid", "handle", "followers_count", "topics"])
    'pid:ID(Person),handle:string,followers_count:long,topics:string[]'
    >>> header("RELAYS", ["source", "target", "count", "first_at", "last_at"])
    ':START_ID(Person),:END_ID(Person),count:long,first_at:localdatetime,last_at:localdatetime'
    """
    if table in ("Person", "Post"):
        props = q.PERSON_PROPS if table == "Person" else q.POST_PROPS
        key = columns[0]
        return ",".join([f"{key}:ID({table})", *(f"{c}:{_TYPES[props[c]]}" for c in columns[1:])])
    start, end = _ENDS[table]
    rest = [f"{c}:{_TYPES[_REL_PROPS[table][c]]}" for c in columns[2:]]
    return ",".join([f":START_ID({start})", f":END_ID({end})", *rest])


def _column(col: pd.Series, kind: str) -> Any:
    """One column as Arrow, in the text ``neo4j-admin`` parses (null stays null)."""
    import pyarrow as pa

    if kind == "TIMESTAMP":
        ts = pd.to_datetime(col)
        text = ts.dt.strftime("%Y-%m-%dT%H:%M:%S.%f").where(ts.notna(), None)
        return pa.array(text.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    if kind == "STRING[]":
        items = [
            ARRAY_DELIMITER.join(str(x) for x in v) if isinstance(v, (list, tuple, np.ndarray)) and len(v) else None
            for v in col.to_numpy(dtype=object)
        ]
        return pa.array(items, type=pa.string())
    if kind == "INT64":
        return pa.array(pd.to_numeric(col).astype("Int64").to_numpy(dtype=object, na_value=None), type=pa.int64())
    if kind == "BOOLEAN":
        return pa.array(col.astype(object).where(col.notna(), None).tolist(), type=pa.bool_())
    if kind == "DOUBLE":
        return pa.array(col.astype("float64").to_numpy(), from_pandas=True)
    values = col.astype(object).where(col.notna(), None).to_numpy(dtype=object)
    return pa.array([None if v is None else str(v) for v in values], type=pa.string())


def _kinds(table: str, columns: list[str]) -> list[str]:
    if table in ("Person", "Post"):
        props = q.PERSON_PROPS if table == "Person" else q.POST_PROPS
        return [props[c] for c in columns]
    return ["STRING", "STRING", *(_REL_PROPS[table][c] for c in columns[2:])]


@dataclass
class Imported:
    """What an import wrote: the load's figures, and the list properties that were empty
    lists (``neo4j-admin`` drops an empty array; :func:`check_imported` sets them again),
    as ``{(label, key, property): [keys]}``."""

    stats: LoadStats
    empty_lists: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)


def write_csvs(plan: Any, folder: Path, empty_lists: dict | None = None) -> dict[str, list[tuple[str, Path, Path]]]:
    """Write each step of ``plan`` (all copies: a plan against an empty store) as a header
    file and a data file under ``folder``; returns ``{"nodes"|"relationships": [(label or
    type, header, data), ...]}``. Empty lists are noted in ``empty_lists`` (see
    :class:`Imported`)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    files: dict[str, list[tuple[str, Path, Path]]] = {"nodes": [], "relationships": []}
    for i, step in enumerate(plan.steps):
        if step.kind != "copy":
            raise StoreError(f"neo4j-admin import writes into an empty database only (the plan updates {step.label})")
        if step.frame.empty:
            continue
        cols = list(step.frame.columns)
        kinds = _kinds(step.table, cols)
        for c, k in zip(cols, kinds):
            if k in ("STRING", "STRING[]") and step.frame[c].astype(str).str.contains(ARRAY_DELIMITER, regex=False).any():
                raise LoadError(f"{step.label}: a value holds the control character U+001F", field=c)
        table = pa.table({c: _column(step.frame[c], k) for c, k in zip(cols, kinds)})
        for c, k in zip(cols, kinds):
            if k == "STRING[]" and empty_lists is not None:
                empty = [isinstance(v, (list, tuple, np.ndarray)) and not len(v) for v in step.frame[c]]
                if any(empty):
                    keys = step.frame[cols[0]][np.array(empty)].astype(str).tolist()
                    empty_lists.setdefault((step.table, cols[0], c), []).extend(keys)
        head = folder / f"{i:02d}-{step.table}-header.csv"
        data = folder / f"{i:02d}-{step.table}.csv"
        head.write_text(header(step.table, cols) + "\n", encoding="utf-8")
        options = pacsv.WriteOptions(include_header=False, quoting_style="all_valid")
        pacsv.write_csv(table, str(data), write_options=options)
        group = "nodes" if step.table in ("Person", "Post") else "relationships"
        files[group].append((step.table, head, data))
    return files


def data_dir(home: Path) -> Path:
    """The server's data folder, as its ``conf/neo4j.conf`` names it (default ``home/data``)."""
    conf = Path(os.environ.get("NEO4J_CONF") or home / "conf") / "neo4j.conf"
    if conf.exists():
        for line in conf.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "server.directories.data" and value.strip():
                path = Path(value.strip())
                return path if path.is_absolute() else home / path
    return home / "data"


def _java() -> str:
    for j in (os.environ.get("JAVA_HOME", "") + "/bin/java", shutil.which("java") or ""):
        if j and os.access(j, os.X_OK):
            return j
    raise StoreError("neo4j-admin import needs Java 17 or 21 (set JAVA_HOME)")


def import_files(
    files: dict[str, list[tuple[str, Path, Path]]], *, home: Path, database: str = "neo4j",
    report: Path, log: Callable[[str], None] | None = None,
) -> None:  # fmt: skip
    """Run ``neo4j-admin database import full`` (Neo4j's ``AdminTool`` from ``home/lib``)
    over ``files`` into ``database``, which must not exist; raise :class:`StoreError` with
    the tool's own last lines when it fails."""
    args = [
        _java(), "-XX:+UseParallelGC", "-cp", str(home / "lib" / "*"), f"-Dbasedir={home}",
        "org.neo4j.cli.AdminTool", "database", "import", "full", database,
        f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}", "--multiline-fields=true",
        f"--report-file={report}", "--bad-tolerance=0", "--skip-bad-relationships=false",
        "--high-parallel-io=on", "--verbose=false",
    ]  # fmt: skip
    for group, entries in files.items():
        args += [f"--{group}={name}={head},{data}" for name, head, data in entries]
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": os.environ.get("NEO4J_CONF") or str(home / "conf")}
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    tail: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        line = line.rstrip()
        tail = (tail + [line])[-20:]
        if log is not None and line:
            log(line)
    if proc.wait() != 0:
        why = next((t for t in reversed(tail) if t.strip() and not t.startswith("\tat ")), "no output")
        raise StoreError(f"neo4j-admin database import failed: {why.strip()}")


def import_batch(
    batch: GraphBatch, *, home: str | Path, database: str = "neo4j", log: Callable[[str], None] | None = None,
) -> Imported:  # fmt: skip
    """Import ``batch`` into ``database`` of the stopped server at ``home``, replacing
    that database (:func:`import_into_empty` checks first that it is empty). All or
    nothing: the database's folders are moved aside and put back if anything fails."""
    from graph.stores.upsert import plan_load

    started = time.perf_counter()
    home = Path(home)
    data = data_dir(home)
    plan = plan_load(batch, None)
    folders = [data / "databases" / database, data / "transactions" / database]
    with tempfile.TemporaryDirectory(prefix="neo4j-import-", dir=data) as tmp:
        work = Path(tmp)
        done = Imported(plan.stats)
        files = write_csvs(plan, work, done.empty_lists)
        aside = work / "previous"
        moved: list[tuple[Path, Path]] = []
        try:
            for i, folder in enumerate(folders):
                if folder.exists():
                    target = aside / str(i)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    folder.rename(target)
                    moved.append((target, folder))
            import_files(files, home=home, database=database, report=work / "import.report", log=log)
        except BaseException:
            for folder in folders:  # whatever the failed import left
                shutil.rmtree(folder, ignore_errors=True)
            for target, folder in moved:
                target.rename(folder)
            raise
    plan.stats.seconds = time.perf_counter() - started
    return done


def import_into_empty(
    batch: GraphBatch, store: Any, *, home: str | Path, control: Callable[[str], dict[str, str]],
    log: Callable[[str], None] | None = None,
) -> tuple[Imported, dict[str, str]]:  # fmt: skip
    """Check that ``store`` (a :class:`~graph.stores.neo4j.Neo4jStore` on the server at
    ``home``) is empty, stop the server (``control("stop")``), import ``batch``, and start
    it again (``control("start")``, also when the import failed); returns the load's
    figures and what ``control("start")`` returned (the server's connection settings)."""
    counts = store.counts()
    if any(counts.values()):
        held = ", ".join(f"{n:,} {k}" for k, n in counts.items() if n)
        raise StoreError(
            f"Neo4j database {store.database!r} is not empty ({held}): neo4j-admin import only makes a first "
            "load; add to it with `influence load --store neo4j`"
        )
    database = store.database
    store.close()
    control("stop")
    try:
        done = import_batch(batch, home=home, database=database, log=log)
    except BaseException:
        try:
            control("start")  # the server as it was; its own errors go to stderr
        except Exception:  # noqa: BLE001, S110 - the import's error says more
            pass
        raise
    return done, control("start")


def check_imported(store: Any, done: Imported) -> None:
    """After the restart: the server holds what was imported (else :class:`StoreError`),
    empty lists are set again, and other readers (the app) learn that the graph changed."""
    counts = store.counts()
    added = done.stats.added
    off = [f"{k}: {n:,} imported, {counts.get(k, 0):,} found" for k, n in added.items() if counts.get(k, 0) != n]
    if off:
        raise StoreError("after neo4j-admin import the server does not hold what was imported (" + "; ".join(off) + ")")
    for (label, key, prop), keys in done.empty_lists.items():
        props = q.PERSON_PROPS if label == "Person" else q.POST_PROPS
        if props.get(prop) != "STRING[]" or props.get(key) != "STRING":  # names from the allow-list only
            raise StoreError(f"unexpected list property {label}.{prop}")
        text = q.NEO_SET_EMPTY_LIST.format(label=label, key=key, prop=prop)
        for i in range(0, len(keys), 10_000):
            store.run_write(text, keys=keys[i : i + 10_000])
    store.run_write(q.NEO_TOUCH)  # readers (the app) learn that the graph changed


def server_control(script: str | Path) -> Callable[[str], dict[str, str]]:
    """``control(action)`` runs ``script action`` (its messages go to stderr) and returns
    the ``export NAME=value`` lines it prints, as a dict (empty for ``stop``).

    >>> control = server_control(shutil.which("echo"))  # echo prints its argument back
    >>> control("export NEO4J_URI=bolt://127.0.0.1:7687")
    {'NEO4J_URI': 'bolt://127.0.0.1:7687'}
    """
    import shlex

    def control(action: str) -> dict[str, str]:
        done = subprocess.run([str(script), action], stdout=subprocess.PIPE, text=True)
        if done.returncode != 0:
            raise StoreError(f"{Path(script).name} {action} failed (exit {done.returncode}; see above)")
        env: dict[str, str] = {}
        for line in done.stdout.splitlines():
            words = shlex.split(line)
            if len(words) == 2 and words[0] == "export" and "=" in words[1]:
                name, _, value = words[1].partition("=")
                env[name] = value
        return env

    return control
