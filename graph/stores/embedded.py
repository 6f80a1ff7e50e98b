"""The embedded store: LadybugDB (the Kùzu fork) in a folder, no server needed.

* Schema is created up front (:data:`graph.stores.cypher.LB_SCHEMA`).
* Loads are one write transaction of bulk ``COPY ... FROM <DataFrame>``
  statements; anything that fails rolls the whole load back.
* One writer at a time: a file lock (``write.lock``) across processes and a
  thread lock inside one (Streamlit serves sessions on threads).
* If another process holds the database read-write, this one opens it
  read-only and says so; writes then fail with a clear message.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from filelock import FileLock, Timeout

from graph.errors import LoadError, QueryRefused, StoreError
from graph.model import EdgeArrays, GraphBatch
from graph.settings import Limits
from graph.stores import cypher as q
from graph.stores.base import LoadStats, Progress, Store
from graph.stores.sandbox import error_line, run_isolated
from graph.stores.upsert import plan_load

__all__ = ["EmbeddedStore", "default_data_dir"]

DB_FILE = "graph.lbug"


def default_data_dir() -> Path:
    """``$INFLUENCE_DATA_DIR`` or ``.influence`` in the working directory."""
    return Path(os.environ.get("INFLUENCE_DATA_DIR") or ".influence")


class EmbeddedStore(Store):
    """The graph in a LadybugDB database folder.

    >>> import tempfile
    >>> with EmbeddedStore(tempfile.mkdtemp()) as s:
    ...     s.counts()["people"]
    0
    """

    name = "embedded (LadybugDB)"
    dialect = "LadybugDB Cypher (Kùzu dialect)"

    def __init__(self, data_dir: str | Path | None = None, *, limits: Limits = Limits()) -> None:
        self.data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
        self.limits = limits
        self.read_only = False
        self._db: Any = None
        self._thread_lock = threading.RLock()
        self._file_lock: FileLock | None = None

    # -- connection ------------------------------------------------------------
    def _database(self) -> Any:
        if self._db is None:
            import ladybug

            self.data_dir.mkdir(parents=True, exist_ok=True)
            self._db, self.read_only = self._open(ladybug)
            if not self.read_only:
                conn = ladybug.Connection(self._db)
                for stmt in q.LB_SCHEMA:
                    conn.execute(stmt)
                conn.close()
        return self._db

    def _open(self, ladybug: Any) -> tuple[Any, bool]:
        """Read-write, else read-only when another process holds it read-write. While
        that process recovers or checkpoints the database (after a crash, or at its
        close), opening can fail for a moment: retry for up to ``lock_timeout_s``."""
        path = str(self.data_dir / DB_FILE)
        deadline = time.monotonic() + self.limits.lock_timeout_s
        while True:
            try:
                return ladybug.Database(path), False
            except RuntimeError as exc:
                if "lock" not in str(exc).lower() or not (self.data_dir / DB_FILE).exists():
                    raise StoreError(f"cannot open the graph in {self.data_dir}: {_first_line(exc)}") from None
            try:
                return ladybug.Database(path, read_only=True), True
            except RuntimeError as exc:
                if not _transient(exc):
                    raise StoreError(f"cannot open the graph in {self.data_dir}: {_first_line(exc)}") from None
                if time.monotonic() >= deadline:
                    raise StoreError(
                        f"the graph in {self.data_dir} is busy: another process is recovering or checkpointing "
                        f"it (waited {self.limits.lock_timeout_s:g}s); try again in a moment"
                    ) from None
            time.sleep(0.2)

    def _conn(self) -> Any:
        import ladybug

        return ladybug.Connection(self._database())

    def _rows(self, query: str, params: dict | None = None) -> pd.DataFrame:
        conn = self._conn()
        try:
            return conn.execute(query, params or {}).get_as_df()
        finally:
            conn.close()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # -- writing ---------------------------------------------------------------
    def _write_lock(self) -> _WriteLock:
        if self._database() is not None and self.read_only:
            raise StoreError(
                f"the graph in {self.data_dir} is open read-write in another process "
                "(the app or another command); stop it, or write from there"
            )
        if self._file_lock is None:
            self._file_lock = FileLock(str(self.data_dir / "write.lock"), timeout=self.limits.lock_timeout_s)
        return _WriteLock(self._file_lock, self._thread_lock, self.limits.lock_timeout_s)

    @contextmanager
    def writing(self, job: str) -> Iterator[None]:
        """The write lock (``write.lock`` across processes, a thread lock inside one),
        reentrant. Refused at once when another process holds the database read-write."""
        with self._write_lock():
            yield

    def load(self, batch: GraphBatch, *, progress: Progress | None = None) -> LoadStats:
        started = time.perf_counter()
        with self._write_lock():
            before = self.counts()
            existing = _Existing(self) if before["people"] else None
            plan = plan_load(batch, existing)
            conn = self._conn()
            try:
                conn.execute("BEGIN TRANSACTION")
                self._apply(conn, plan, progress)
                conn.execute("COMMIT")
            except Exception as exc:
                _rollback(conn)
                if isinstance(exc, (LoadError, StoreError)):
                    raise
                if _disk_full(exc):
                    raise self._disk_full_error("the load", before, conn) from None
                raise StoreError(
                    f"load failed and was rolled back; the graph is unchanged ({_first_line(exc)})"
                ) from None
            finally:
                conn.close()
        plan.stats.seconds = time.perf_counter() - started
        return plan.stats

    def _apply(self, conn: Any, plan: Any, progress: Progress | None) -> None:
        steps = [s for s in plan.steps if len(s.frame)]
        for i, step in enumerate(steps):
            if progress:
                progress(i, len(steps), step.label)
            if step.kind == "copy":
                text = q.LB_COPY[step.table].format(cols=", ".join(step.frame.columns))
            elif step.kind == "update_people":  # a reload fills gaps, never blanks a field
                sets = ", ".join(f"p.{c} = coalesce({c}, p.{c})" for c in step.frame.columns if c != "pid")
                text = q.LB_UPDATE_PEOPLE.format(sets=sets)
            else:
                text = {"set_relays": q.LB_SET_RELAYS, "set_mentions": q.LB_SET_MENTIONS,
                        "set_replies": q.LB_SET_REPLIES}[step.kind]  # fmt: skip
            conn.execute(text, {"df": _arrow(step.frame)})
        if progress:
            progress(len(steps), len(steps), "committed")

    def _disk_full_error(self, what: str, before: dict[str, int], conn: Any) -> StoreError:
        """One line for a full disk that says what the graph holds now: the engine may
        report "committed, but the checkpoint failed" and yet recover nothing, so the
        database is reopened and counted rather than trusted."""
        conn.close()
        where = f"the disk holding {self.data_dir} is full (no space left on device)"
        try:
            self.close()
            after = self.counts()
        except Exception:
            return StoreError(f"{where}: free some space, then check the graph with `influence info`")
        if after == before:
            return StoreError(f"{where}: {what} was not written and the graph is unchanged; free some space and retry")
        return StoreError(
            f"{where}: the graph now holds {_counts(after)} (before: {_counts(before)}); free some space, then "
            "load the same files again (reloading adds only what is missing)"
        )

    def _update_people(self, frame: pd.DataFrame, *, whole: bool = False) -> int:
        """``whole`` (score columns) and ``frame`` holding every person (what ``rank``
        writes): each column is replaced whole (see :func:`_whole_columns`)."""
        if frame.empty or len(frame.columns) < 2:
            return 0
        frame = _for_update(frame)
        with self._write_lock():
            before = self.counts()
            conn = self._conn()
            try:
                conn.execute("BEGIN TRANSACTION")
                frame, everyone = _in_store_order(conn, frame, always=whole)
                cols = [c for c in frame.columns if c != "pid"]
                writes = _whole_columns(conn, frame) if whole and everyone else [(cols, frame)]
                for names, rows in writes:
                    sets = ", ".join(f"p.{c} = {c}" for c in names)
                    for lo in range(0, len(rows), _UPDATE_ROWS):
                        part = rows.iloc[lo : lo + _UPDATE_ROWS]
                        conn.execute(q.LB_UPDATE_PEOPLE.format(sets=sets), {"df": _arrow(part)})
                conn.execute("COMMIT")
            except Exception as exc:
                _rollback(conn)
                if _disk_full(exc):
                    raise self._disk_full_error("the update", before, conn) from None
                raise StoreError(f"could not write to the graph: {_first_line(exc)}") from None
            finally:
                conn.close()
        return len(frame)

    def clear(self) -> None:
        with self._write_lock():
            conn = self._conn()
            try:
                conn.execute("BEGIN TRANSACTION")
                for stmt in q.LB_CLEAR:
                    conn.execute(stmt)
                conn.execute("COMMIT")
            except Exception:
                _rollback(conn)
                raise
            finally:
                conn.close()

    # -- reading ---------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        conn = self._conn()
        try:
            return {k: int(conn.execute(text).get_all()[0][0]) for k, text in q.LB_COUNTS.items()}
        finally:
            conn.close()

    def edge_arrays(self, kind: str) -> EdgeArrays:
        return self.edge_arrays_for([kind])[kind]

    def edge_arrays_for(self, kinds: list[str]) -> dict[str, EdgeArrays]:
        """Every kind over one read of the people's order (0.7 s at 1M people), in one
        read transaction; the kinds share one ``nodes`` array."""
        for kind in kinds:
            if kind not in q.LB_EDGE_OFFSETS:
                raise ValueError(f"unknown edge kind {kind!r}")
        conn = self._conn()
        try:
            nodes = conn.execute(q.LB_NODE_OFFSETS).get_as_arrow()
            edges = {kind: conn.execute(q.LB_EDGE_OFFSETS[kind]).get_as_arrow() for kind in kinds}
        finally:
            conn.close()
        import pyarrow as pa
        import pyarrow.compute as pc

        offsets = nodes.column("o").to_numpy()
        order = pc.sort_indices(nodes.column("pid")).to_numpy()  # Arrow's sort: 3x numpy's on 1M objects
        names = nodes.column("pid").take(pa.array(order)).to_numpy(zero_copy_only=False)
        index_of = np.empty(int(offsets.max()) + 1 if len(offsets) else 0, dtype=np.int64)
        index_of[offsets[order]] = np.arange(len(order), dtype=np.int64)
        return {
            kind: EdgeArrays(
                nodes=names,
                src=index_of[e.column("s").to_numpy()] if e.num_rows else np.empty(0, np.int64),
                dst=index_of[e.column("d").to_numpy()] if e.num_rows else np.empty(0, np.int64),
                weight=e.column("w").to_numpy().astype(np.float64) if e.num_rows else np.empty(0),
            )
            for kind, e in edges.items()
        }

    def people(self, pids: list[str] | None = None) -> pd.DataFrame:
        query, params = (q.LB_PEOPLE, {}) if pids is None else (q.LB_PEOPLE_IN, {"pids": list(dict.fromkeys(pids))})
        conn = self._conn()
        try:
            table = conn.execute(query, params).get_as_arrow()
            if pids is None:  # in pid order (see q.LB_PEOPLE)
                import pyarrow.compute as pc

                table = table.take(pc.sort_indices(table.column("p.pid")))
            # the schema's order, whatever the table's (a column replaced by rank moves last)
            names = [f"p.{c}" for c in q.PERSON_PROPS if f"p.{c}" in table.column_names]
            table = table.select(names + [c for c in table.column_names if c not in names])
            df = _frame_like_get_as_df(table)
        finally:
            conn.close()
        df.columns = [c.removeprefix("p.") for c in df.columns]
        return df.reset_index(drop=True)

    def posts(self, *, text: bool = False) -> pd.DataFrame:
        return self._rows(q.LB_POSTS_TEXT if text else q.LB_POSTS)

    def relay_events(self) -> pd.DataFrame:
        return self._rows(q.LB_RELAY_EVENTS)

    def edge_pairs(self, kind: str) -> pd.DataFrame:
        """Edges of ``kind`` keyed by pid (with their properties)."""
        return self._rows(q.LB_EDGE_PAIRS[kind])

    def _pid_set(self) -> pd.Series:
        return self._rows(q.LB_ALL_PIDS)["pid"]

    def _post_id_set(self) -> pd.Series:
        return self._rows(q.LB_ALL_POST_IDS)["post_id"]

    def _relayed_keys(self) -> pd.DataFrame:
        return self._rows(q.LB_RELAYED_KEYS)

    def _run(
        self, query: str, params: dict[str, Any], *, read_only: bool, timeout_s: float, max_rows: int
    ) -> tuple[list[str], list[list[Any]], bool]:
        """Read-only queries run in a child process (:mod:`graph.stores.sandbox`): a
        read-only database, a memory cap, a hard time limit, and a crash there is one
        line here. ``--allow-write`` queries run in this process, without those caps."""
        self._database()  # creates the folder and schema on first use
        if read_only:
            memory = self.limits.query_memory_mb
            request = {"engine": "ladybug", "path": str(self.data_dir / DB_FILE), "query": query,
                       "params": params, "max_rows": max_rows}  # fmt: skip
            answer = run_isolated(request, timeout_s=timeout_s, memory_mb=memory)
            if answer[0] == "ok":
                return answer[1], answer[2], answer[3]
            _, kind, message, _code = answer
            if kind == "refused":
                raise QueryRefused(message)
            raise StoreError(error_line(kind, message, timeout_s, memory) or message)
        conn = self._conn()
        conn.set_query_timeout(int(timeout_s * 1000))
        try:
            result = conn.execute(query, params)
            if isinstance(result, list):
                result = result[-1]
            rows = result.get_n(max_rows) if max_rows else result.get_all()
            truncated = bool(max_rows) and result.has_next()
            return result.get_column_names(), rows, truncated
        except RuntimeError as exc:
            msg = str(exc).splitlines()[0]
            if "interrupted" in msg.lower() or "timeout" in msg.lower():
                raise StoreError(f"query stopped after the {timeout_s:g}s time limit") from None
            if "read-only" in msg.lower() or "read only" in msg.lower():
                raise QueryRefused(f"read-only: the database refused a write ({msg})") from None
            raise StoreError(msg) from None
        finally:
            conn.close()


class _Existing:
    """What the store already holds, fetched lazily for de-duplication."""

    def __init__(self, store: EmbeddedStore) -> None:
        self._s = store

    def pids(self) -> pd.Series:
        return self._s._pid_set()

    def post_ids(self) -> pd.Series:
        return self._s._post_id_set()

    def posts(self) -> pd.DataFrame:
        return self._s.posts()[["post_id", "author"]]

    def edges(self, kind: str) -> pd.DataFrame:
        return self._s.edge_pairs(kind)

    def relayed(self) -> pd.DataFrame:
        return self._s._relayed_keys()


class _WriteLock:
    """Thread lock, then the file lock; both reentrant (one FileLock per store counts)."""

    def __init__(self, file_lock: FileLock, thread_lock: threading.RLock, timeout: float) -> None:
        self._file = file_lock
        self._thread = thread_lock
        self._timeout = timeout

    def __enter__(self) -> None:
        if not self._thread.acquire(timeout=self._timeout):
            raise StoreError("another write is in progress in this process; try again")
        try:
            self._file.acquire()
        except Timeout:
            self._thread.release()
            raise StoreError(f"another process is writing to the graph (waited {self._timeout:g}s)") from None

    def __exit__(self, *exc: object) -> None:
        self._file.release()
        self._thread.release()


#: Updates of people (scores, tracking): rows per statement, and the size from which rows
#: are first sorted into the store's own order. Measured with ladybug 0.22 (12 score
#: columns, 2 cores): 1M rows in random order 127 s in one statement, 72 s in 100k-row
#: statements; in store order 34-36 s either way (250k random: 28 s / 24 s).
_UPDATE_ROWS = 100_000
_SORT_ROWS = 10_000


def _in_store_order(conn: Any, frame: pd.DataFrame, *, always: bool = False) -> tuple[pd.DataFrame, bool]:
    """``frame`` sorted by each person's place in the node table (unknown pids last),
    so that an update walks the columns forward, and whether it holds every person once;
    small updates are left as they are (and said not to) unless ``always``."""
    if len(frame) < _SORT_ROWS and not always:
        return frame, False
    import pyarrow.compute as pc

    nodes = conn.execute(q.LB_NODE_OFFSETS).get_as_arrow()
    offsets = nodes.column("o").to_numpy()
    pids = frame["pid"].to_numpy(dtype=object)
    if len(pids) == len(offsets):  # rank's scores come in pid order: no 1M-string lookup (0.8 s)
        by_pid = pc.sort_indices(nodes.column("pid")).to_numpy()
        if np.array_equal(pids, nodes.column("pid").take(by_pid).to_numpy(zero_copy_only=False)):
            return frame.iloc[np.argsort(offsets[by_pid], kind="stable")], True
    place = pd.Series(offsets, index=nodes.column("pid").to_numpy(zero_copy_only=False))
    key = place.reindex(pids).to_numpy(dtype=float)
    order = np.argsort(np.nan_to_num(key, nan=np.inf), kind="stable")
    everyone = len(frame) == len(place) and not np.isnan(key).any() and bool((np.diff(key[order]) > 0).all())
    return frame.iloc[order], everyone


#: per-cell cost of ``SET`` on stored rows (measured with ladybug 0.22, 1M people):
#: ~1.5 us per value and column, 18 s for rank's 12 columns; replacing a column
#: (``DROP`` then ``ADD ... DEFAULT``) costs ~0.02 s whatever the rows
#: a column where more than this share of people differ from the default is set for
#: everyone, with the other such columns (one ``MATCH`` of all people costs ~0.4 s at 1M)
_DENSE = 0.8


def _whole_columns(conn: Any, frame: pd.DataFrame) -> list[tuple[list[str], pd.DataFrame]]:
    """Replace each column of ``frame`` (which holds every person, in store order) whole:
    drop it and add it again with its most common value as the default, in the caller's
    transaction; returns the ``SET`` writes still needed: the people whose value
    differs, column by column, and the columns where nearly everyone differs
    (``_DENSE``), for everyone, together.

    On ego-Twitter four of rank's twelve columns hold one value for everyone (no relays,
    mentions or topics there) and betweenness is zero for half the people: 41% fewer
    values to set.
    """
    dense: list[str] = []
    writes: list[tuple[list[str], pd.DataFrame]] = []
    for c in frame.columns:
        if c == "pid":
            continue
        kind = q.PERSON_PROPS[c]
        values = frame[c]
        counts = values.value_counts(dropna=False)
        mode = counts.index[0]
        if pd.isna(mode):
            default = ""
        elif kind == "INT64":
            default = f" DEFAULT {int(mode)}"
        elif kind == "DOUBLE" and np.isfinite(mode):
            default = f" DEFAULT CAST('{float(mode)!r}' AS DOUBLE)"
        else:  # an odd column: written row by row as before
            dense.append(c)
            continue
        conn.execute(q.LB_DROP_PERSON_COLUMN.format(name=c))
        conn.execute(q.LB_ADD_PERSON_COLUMN.format(name=c, type=kind, default=default))
        na = values.isna().to_numpy()
        differs = ~na if pd.isna(mode) else na | (values != mode).to_numpy()
        if differs.mean() > _DENSE:
            dense.append(c)
        elif differs.any():
            writes.append(([c], frame.loc[differs, ["pid", c]]))
    if dense:
        writes.insert(0, (dense, frame[["pid", *dense]]))
    return writes


def _frame_like_get_as_df(table: Any) -> pd.DataFrame:
    """An Arrow result as ``get_as_df`` gives it (nulls in object columns are NaN, an
    all-null text or list column is object), in about half the time on 81k people x 36
    columns (measured with ladybug 0.22: 0.30 s against 0.47 s; at 1M people, where most
    columns are empty, 0.4 s against 1.0 s for converting them one by one); a test holds
    the two equal."""
    import pyarrow as pa

    n = table.num_rows

    def listed(t: Any) -> bool:
        return pa.types.is_list(t) or pa.types.is_large_list(t)

    empty = {
        name for name, col in zip(table.column_names, table.columns)
        if n and col.null_count == n and (pa.types.is_string(col.type) or listed(col.type))
    }  # fmt: skip
    rest = table.drop_columns(list(empty)) if empty else table
    df = rest.to_pandas()
    cols: dict[str, pd.Series] = {}
    for name in table.column_names:
        if name in empty:
            cols[name] = pd.Series(np.full(n, np.nan, dtype=object), index=df.index, dtype=object)
            continue
        col, ser = rest.column(name), df[name]
        if listed(col.type):  # lists, not numpy arrays
            ser = pd.Series(col.to_pylist(), index=df.index, dtype=object)
        if col.null_count and ser.dtype == object:
            values = ser.to_numpy(copy=True)
            values[pd.isna(values)] = np.nan
            ser = pd.Series(values, index=df.index, dtype=object)
        cols[name] = ser
    return pd.DataFrame(cols, index=df.index) if cols else df


def _for_update(frame: pd.DataFrame) -> pd.DataFrame:
    """Give every column a concrete dtype LadybugDB can scan (no all-NA objects)."""
    out = frame.copy()
    for c in out.columns:
        if out[c].dtype == object and out[c].isna().all():
            out[c] = out[c].astype("str")
    return out


def _arrow(frame: pd.DataFrame) -> Any:
    """Frames go to LadybugDB as single-chunk Arrow tables.

    Its numpy scan rejects nullable ints, and (measured with ladybug 0.22) a
    COPY from an Arrow column with several chunks silently drops rows; so
    chunks are always combined first.
    """
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False).combine_chunks()


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _transient(exc: BaseException) -> bool:
    """Another process is recovering or checkpointing the database right now."""
    low = str(exc).lower()
    return any(t in low for t in ("lock", "checkpoint recovery is pending", "wal", "reading past the end"))


def _disk_full(exc: BaseException) -> bool:
    return "no space left on device" in str(exc).lower()


def _counts(c: dict[str, int]) -> str:
    return ", ".join(f"{v:,} {k}" for k, v in c.items() if v) or "nothing"


def _rollback(conn: Any) -> None:
    try:
        conn.execute("ROLLBACK")
    except Exception:  # the engine already rolled back
        pass
