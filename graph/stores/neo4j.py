"""The Neo4j store: the same graph and features as the embedded store, over Bolt.

* ``Neo4jStore(driver, database)`` does no I/O; :meth:`Neo4jStore.connect` builds the
  driver from :class:`graph.settings.Settings`, checks it and creates the schema once
  (constraints and indexes ``IF NOT EXISTS``, :data:`graph.stores.cypher.NEO_SCHEMA`).
* A load is ONE explicit transaction: the store reads what it already holds inside
  it, plans only-new rows with :func:`graph.stores.upsert.plan_load`, writes them in
  ``UNWIND`` batches of :attr:`Neo4jStore.batch_size` rows, then commits. Any error
  rolls it back; a client killed mid-load drops the connection and the server rolls
  the open transaction back, so the graph is as it was before that load. A load of
  more than :attr:`Neo4jStore.tx_rows` rows would not fit the server's transaction
  memory: it commits in parts, is undone on error, and if killed is resumable and
  says so (:mod:`graph.stores.neo4j_bulk`, :meth:`Neo4jStore.unfinished_loads`).
* Bulk reads collect per node so one Bolt record carries many values, and edges come
  back as internal ids mapped to pids with numpy (see :data:`graph.stores.cypher.NEO_EDGE_IDS`).
* Ad-hoc Cypher: the lexical guard, then ``EXPLAIN`` (refused unless the query type is
  ``r``), then a READ transaction with a timeout and a row cap.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

from graph.errors import LoadError, QueryRefused, StoreError
from graph.model import EdgeArrays, GraphBatch
from graph.settings import Limits
from graph.stores import cypher as q
from graph.stores import neo4j_bulk as bulk
from graph.stores.base import LoadStats, Progress, Store
from graph.stores.guard import leading_mode
from graph.stores.neo4j_lock import WriteLock
from graph.stores.sandbox import error_line, neo4j_plain, run_isolated
from graph.stores.upsert import plan_load

__all__ = ["Neo4jStore"]



class Neo4jStore(Store):
    """The graph in a Neo4j 5 database.

    >>> from neo4j import GraphDatabase
    >>> s = Neo4jStore(GraphDatabase.driver("bolt://127.0.0.1:1", auth=("neo4j", "x")))
    >>> s.name, s.database
    ('Neo4j', 'neo4j')
    >>> s.close()
    """

    name = "Neo4j"
    dialect = "Neo4j Cypher 5"
    #: ask EXPLAIN for the query type before a read-only query (tests turn it off to
    #: show that the READ transaction alone still refuses writes)
    explain_first: bool = True
    #: rows per ``UNWIND`` statement. Measured on ego-Twitter's 1.77M follows (2 cores,
    #: bench/load.py): 5k rows 60-72k relationships/s, 20k 49-61k, 50k 59k; the server's
    #: commit dominates, and smaller statements hold less memory on both sides.
    batch_size: int = 5_000
    #: rows per transaction; larger loads commit in parts. Measured with the 2 GB heap
    #: of scripts/neo4j-local: 1.77M new relationships in one transaction exceed its
    #: 1.4 GiB transaction memory pool while committing; 500k stay well below.
    tx_rows: int = 500_000
    #: rows per statement when setting properties on people (scores, tracking), sent
    #: as one list per column: few statements, little per-row overhead
    update_rows: int = 50_000

    def __init__(
        self,
        driver: Any,
        database: str = "neo4j",
        *,
        limits: Limits = Limits(),
        uri: str = "",
        user: str = "",
    ) -> None:
        self.driver = driver
        self.database = database
        self.limits = limits
        self.uri = uri or "the server"
        self.user = user
        self._schema_ready = False
        self._lock = threading.RLock()
        self._write_lock = WriteLock(driver, database, timeout_s=limits.lock_timeout_s)
        self._depth = 0
        #: how a query child process logs in (set by :meth:`connect`); None: queries run here
        self._child_login: dict[str, Any] | None = None

    # -- connection ------------------------------------------------------------
    @classmethod
    def connect(cls, settings: Any) -> Neo4jStore:
        """Driver from settings, connectivity checked, schema created.

        Failures become one-line :class:`StoreError` messages without the password.
        """
        from neo4j import GraphDatabase

        from graph.settings import redact_uri

        uri, user = settings.neo4j_uri, settings.neo4j_username
        shown = redact_uri(uri)
        try:
            driver = GraphDatabase.driver(
                uri,
                auth=(user, settings.neo4j_password.reveal()),
                connection_timeout=10,
                notifications_min_severity="OFF",
                user_agent="influence-explorer",
            )
        except Exception as exc:
            why = (str(exc).splitlines() or [type(exc).__name__])[0].replace(uri, shown)
            raise StoreError(f"invalid NEO4J_URI {shown!r}: {why}") from None
        store = cls(driver, settings.neo4j_database, limits=settings.limits, uri=shown, user=user)
        store._child_login = {"uri": uri, "user": user, "password": settings.neo4j_password}
        try:
            driver.verify_connectivity()
            store.ensure_schema()
        except BaseException as exc:
            driver.close()
            if isinstance(exc, Exception):
                raise store._error(exc) from None
            raise
        return store

    def ensure_schema(self) -> None:
        """Create constraints and indexes once (idempotent); skipped for users who may not."""
        if self._schema_ready:
            return
        from neo4j.exceptions import Forbidden

        with self._session() as s:
            for stmt in q.NEO_SCHEMA:
                try:
                    s.run(stmt).consume()
                except Forbidden:
                    break
        self._schema_ready = True

    def close(self) -> None:
        self.driver.close()

    def _session(self, *, read: bool = False, fetch_size: int = -1) -> Any:
        import neo4j

        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        return self.driver.session(database=self.database, default_access_mode=mode, fetch_size=fetch_size)

    def _read(self, work: Callable[[Any], Any]) -> Any:
        try:
            with self._session(read=True) as s:
                return s.execute_read(work)
        except Exception as exc:
            raise self._error(exc) from None

    def _error(self, exc: Exception) -> Exception:
        """One clear line for a driver failure (never the password)."""
        from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired

        code = getattr(exc, "code", None) or ""
        if isinstance(exc, AuthError) or code.startswith("Neo.ClientError.Security.Authentication"):
            why = " (too many failed attempts: wait a few seconds)" if "RateLimit" in code else ""
            return StoreError(f"Neo4j at {self.uri}: authentication failed for user {self.user or '?'}{why}")
        if isinstance(exc, (ServiceUnavailable, SessionExpired, OSError)):
            return StoreError(f"cannot reach Neo4j at {self.uri}")
        if code == "Neo.ClientError.Database.DatabaseNotFound":
            return StoreError(f"Neo4j at {self.uri}: database {self.database!r} does not exist")
        if isinstance(exc, (Neo4jError, DriverError)):
            msg = (getattr(exc, "message", None) or str(exc)).strip().splitlines()
            return StoreError(f"Neo4j: {msg[0] if msg else type(exc).__name__}")
        return exc

    # -- writing ---------------------------------------------------------------
    def load(self, batch: GraphBatch, *, progress: Progress | None = None) -> LoadStats:
        started = time.perf_counter()
        with self.writing("load"):
            try:
                with self._session() as session:
                    writer = bulk.Writer(session, self.batch_size, self.tx_rows, progress)
                    try:
                        key = _batch_key(batch)
                        resumed = self._resuming(writer.unfinished(), batch, key)
                        plan = plan_load(batch, writer.existing())
                        writer.apply(plan, key, [str(s) for s in batch.sources], resumed)
                        for kind, n in writer.repaired.items():
                            batch.notes.append(f"repaired: removed {n:,} duplicate {kind} (left by loads that ran at once)")
                    except BaseException as exc:
                        from neo4j.exceptions import IncompleteCommit

                        # after a commit with no answer the state is unknown: undo nothing
                        undone = writer.abort(undo=not isinstance(exc, IncompleteCommit))
                        if not isinstance(exc, Exception) or isinstance(exc, LoadError) and undone:
                            raise
                        raise self._load_error(exc, writer, undone) from None
            except (LoadError, StoreError):
                raise
            except Exception as exc:
                raise self._load_error(exc, None, True) from None
        self._touch()
        plan.stats.seconds = time.perf_counter() - started
        return plan.stats

    def unfinished_loads(self) -> list[dict[str, Any]]:
        """Loads committed in parts that never finished (the loader was killed): id,
        sources, rows, rows_committed, client, started_at. Loading the same files again
        completes them."""
        return self._read(lambda tx: [r.data() for r in tx.run(q.NEO_LOADS)])

    @contextmanager
    def writing(self, job: str) -> Iterator[None]:
        """The cross-process write lock (:mod:`graph.stores.neo4j_lock`), reentrant;
        threads of this process queue on a thread lock first."""
        if not self._lock.acquire(timeout=self.limits.lock_timeout_s):
            raise StoreError(
                f"another write is in progress in this process; waited {self.limits.lock_timeout_s:g}s"
            )
        try:
            if not self._write_lock.held:
                self._ensure_schema_or_raise()
                try:
                    self._write_lock.acquire(job)
                except StoreError:
                    raise
                except Exception as exc:
                    raise self._error(exc) from None
                self._depth = 0
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._write_lock.release()
        finally:
            self._lock.release()

    @staticmethod
    def _resuming(unfinished: list[dict[str, Any]], batch: GraphBatch, key: str) -> list[str]:
        """Say so in ``batch.notes``; return the ids this load completes (the same input)."""
        done = []
        for u in unfinished:
            what = ", ".join(u.get("sources") or []) or "unnamed input"
            if u.get("key") == key:
                done.append(u["id"])
                batch.notes.append(
                    f"completing an interrupted load of {what} (started {u['started_at']}, "
                    f"{u['rows_committed']:,} of {u['rows']:,} rows were committed)"
                )
            else:
                batch.notes.append(
                    f"an earlier load of {what} (started {u['started_at']} by {u['client']}) was interrupted "
                    f"after {u['rows_committed']:,} of {u['rows']:,} rows; load those files again to complete it"
                )
        return done

    def _ensure_schema_or_raise(self) -> None:
        try:
            self.ensure_schema()
        except Exception as exc:
            raise self._error(exc) from None

    def _load_error(self, exc: Exception, writer: Any, undone: bool) -> StoreError:
        from neo4j.exceptions import IncompleteCommit

        code = getattr(exc, "code", None) or ""
        if isinstance(exc, LoadError):
            err: Exception = exc
        elif "MemoryPoolOutOfMemoryError" in code:
            err = StoreError(
                "it is too large for one transaction on this server (dbms.memory.transaction.total.max); "
                "lower Neo4jStore.tx_rows or raise server.memory.heap.max_size"
            )
        else:
            err = self._error(exc)
        if isinstance(exc, IncompleteCommit):
            return StoreError(
                "the connection to Neo4j dropped during a commit: the load may or may not have been "
                "applied; run the same load again (reloading adds only what is missing)"
            )
        if not undone:
            return StoreError(
                f"load failed after committing {writer.committed:,} of its rows in parts, which could not be "
                f"removed again ({err}): the graph holds part of this load; load the same files again to "
                "complete it (reloading adds only what is missing)"
            )
        parts = (
            f" (its {writer.committed:,} rows committed in parts were deleted again)"
            if writer and writer.parts
            else ""
        )
        return StoreError(f"load failed and was rolled back{parts}; the graph is unchanged ({err})")

    def _update_people(self, frame: pd.DataFrame, *, whole: bool = False) -> int:
        if frame.empty or len(frame.columns) < 2:
            return 0
        cols = [c for c in frame.columns if c != "pid"]
        text = q.NEO_UPDATE_PEOPLE_COLUMNS.format(sets=", ".join(f"p.{c} = ${c}[i]" for c in cols))
        columns = {c: bulk.values(frame[c]) for c in ["pid", *cols]}

        def work(tx: Any) -> int:
            n = bulk.update_columns(tx, text, columns, self.update_rows)
            tx.run(q.NEO_TOUCH).consume()  # in the same transaction: readers see both or neither
            return n

        with self.writing("update"):
            try:
                with self._session() as s:
                    return s.execute_write(work)
            except Exception as exc:
                raise StoreError(f"could not write to the graph: {self._error(exc)}") from None

    def run_write(self, text: str, **params: Any) -> None:
        """One write query from :mod:`graph.stores.cypher`, in its own transaction."""
        try:
            with self._session() as s:
                s.execute_write(lambda tx: tx.run(text, params).consume())
        except Exception as exc:
            raise StoreError(f"could not write to the graph: {self._error(exc)}") from None

    def clear(self) -> None:
        with self.writing("clear"):
            try:
                with self._session() as s:
                    for stmt in q.NEO_CLEAR:
                        s.run(stmt).consume()
            except Exception as exc:
                raise self._error(exc) from None
        self._touch()

    def _touch(self) -> None:
        """Record that the graph changed (see :meth:`data_stamp`). After a load or a clear
        that already committed, a failure here must not report the write as failed: at
        worst another app notices the change through the counts only."""
        try:
            with self._session() as s:
                s.run(q.NEO_TOUCH).consume()
        except Exception:  # noqa: BLE001, S110 - best effort, see above
            pass

    # -- reading ---------------------------------------------------------------
    def data_stamp(self) -> tuple:
        """``(counts, last write)``: the node and relationship counts (Neo4j's count
        store, no scan), which change when edges do, and the time and number of the last
        write by any process, which change on every write; one short read transaction."""

        def work(tx: Any) -> tuple:
            counts = tuple(int(tx.run(text).single()[0]) for text in q.NEO_COUNTS.values())
            last = tx.run(q.NEO_STAMP).single()
            return counts, (tuple(last) if last else None)

        return self._read(work)

    def counts(self) -> dict[str, int]:
        return self._read(lambda tx: {k: int(tx.run(text).single()[0]) for k, text in q.NEO_COUNTS.items()})

    def edge_arrays(self, kind: str) -> EdgeArrays:
        if kind not in q.REL_TYPES:
            raise ValueError(f"unknown edge kind {kind!r}")
        nodes, edges = self._read(lambda tx: (bulk.node_ids(tx, "Person"), bulk.edge_ids(tx, kind)))
        names = nodes.index.to_numpy(dtype=object)
        order = np.argsort(names, kind="stable")
        index_of = pd.Series(np.arange(len(order), dtype=np.int64), index=nodes.to_numpy()[order])
        src = index_of.reindex(edges["s"]).to_numpy()
        dst = index_of.reindex(edges["d"]).to_numpy()
        ok = ~(np.isnan(src) | np.isnan(dst)) if len(src) else np.zeros(0, bool)
        weight = edges["count"].astype(np.float64) if "count" in edges else np.ones(len(src))
        return EdgeArrays(
            nodes=names[order],
            src=src[ok].astype(np.int64),
            dst=dst[ok].astype(np.int64),
            weight=np.asarray(weight, dtype=np.float64)[ok],
        )

    def people(self, pids: list[str] | None = None) -> pd.DataFrame:
        if pids is None:
            rows = self._read(lambda tx: bulk.chunked_rows(tx, q.NEO_PEOPLE))
        else:
            rows = self._read(lambda tx: bulk.chunked_rows(tx, q.NEO_PEOPLE_IN, pids=list(pids)))
        df = bulk.typed(pd.DataFrame(rows, columns=list(q.PERSON_PROPS)), q.PERSON_PROPS)
        return df.sort_values("pid", kind="stable").reset_index(drop=True)

    def posts(self, *, text: bool = False) -> pd.DataFrame:
        rows = self._read(lambda tx: bulk.chunked_rows(tx, q.NEO_POSTS_TEXT if text else q.NEO_POSTS))
        cols = ["post_id", "author", "created_at", "hashtags", *(["text"] if text else [])]
        df = bulk.typed(pd.DataFrame(rows, columns=cols), q.POST_PROPS)
        return df.sort_values("post_id", kind="stable").reset_index(drop=True)

    def relay_events(self) -> pd.DataFrame:
        def work(tx: Any) -> pd.DataFrame:
            people, (posts, authors) = bulk.node_ids(tx, "Person"), bulk.post_ids(tx)
            edges = bulk.edge_ids(tx, "relayed")
            return bulk.relayed_frame(edges, people, posts, authors)

        return self._read(work)

    def edge_pairs(self, kind: str) -> pd.DataFrame:
        """Edges of ``kind`` keyed by pid (with their properties)."""
        return self._read(lambda tx: bulk.edge_pairs(tx, kind, bulk.node_ids(tx, "Person")))

    def _pid_set(self) -> pd.Series:
        return pd.Series(self._read(lambda tx: bulk.node_ids(tx, "Person")).index, name="pid")

    def _post_id_set(self) -> pd.Series:
        return pd.Series(self._read(lambda tx: bulk.node_ids(tx, "Post")).index, name="post_id")

    def _relayed_keys(self) -> pd.DataFrame:
        return self.relay_events()[["person", "post_id"]]

    # -- ad-hoc Cypher -----------------------------------------------------------
    def _run(
        self, query: str, params: dict[str, Any], *, read_only: bool, timeout_s: float, max_rows: int
    ) -> tuple[list[str], list[list[Any]], bool]:
        """Read-only queries run in a child process (:mod:`graph.stores.sandbox`): EXPLAIN
        first, a READ transaction, a memory cap and a hard time limit, so one huge value
        cannot take this process (the app) down. A store built without credentials
        (``Neo4jStore(driver)``), and ``--allow-write``, run here."""
        if read_only and self._child_login is not None:
            return self._run_isolated(query, params, timeout_s, max_rows)
        try:
            fetch = min(max_rows + 1, 10_000) if max_rows else 1000
            with self._session(read=read_only, fetch_size=fetch) as s:
                if read_only and self.explain_first:
                    kind = s.run(_explain(query), params).consume().query_type
                    if kind != "r":
                        raise QueryRefused(_not_read(kind))
                tx = s.begin_transaction(timeout=timeout_s)
                try:
                    result = tx.run(query, params)
                    keys = list(result.keys())
                    rows = [[neo4j_plain(v) for v in rec.values()]
                            for rec in itertools.islice(result, max_rows or None)]  # fmt: skip
                    truncated = bool(max_rows) and result.peek() is not None
                    if not read_only:
                        tx.commit()
                finally:
                    tx.close()  # a read transaction is rolled back, never committed
        except QueryRefused:
            raise
        except Exception as exc:
            raise self._query_error(exc, timeout_s) from None
        return keys, rows, truncated

    def _run_isolated(
        self, query: str, params: dict[str, Any], timeout_s: float, max_rows: int
    ) -> tuple[list[str], list[list[Any]], bool]:
        memory = self.limits.query_memory_mb
        login = dict(self._child_login or {})
        login["password"] = login["password"].reveal()  # a Secret until it goes down the pipe
        request = {"engine": "neo4j", **login, "database": self.database, "query": query,
                   "params": params, "max_rows": max_rows,
                   "explain": _explain(query) if self.explain_first else None}  # fmt: skip
        answer = run_isolated(request, timeout_s=timeout_s, memory_mb=memory)
        if answer[0] == "ok":
            return answer[1], answer[2], answer[3]
        _, kind, message, code = answer
        if kind == "refused":
            raise QueryRefused(message)
        if kind == "unreachable":
            raise StoreError(f"cannot reach Neo4j at {self.uri}")
        if code.startswith("Neo.ClientError.Security"):
            raise StoreError(f"Neo4j at {self.uri}: authentication failed for user {self.user or '?'}")
        if "MemoryPoolOutOfMemoryError" in code:
            raise StoreError("query stopped: it needs more memory than the Neo4j server allows one transaction")
        raise StoreError(error_line(kind, message, timeout_s, memory) or f"Neo4j: {message}")

    def _query_error(self, exc: Exception, timeout_s: float) -> Exception:
        code = getattr(exc, "code", None) or ""
        if "TransactionTimedOut" in code or "Terminated" in code:
            return StoreError(f"query stopped after the {timeout_s:g}s time limit")
        if code == "Neo.ClientError.Statement.AccessMode":
            return QueryRefused(
                "read-only: the database refused a write (use --allow-write to permit writes)"
            )
        return self._error(exc)


def _explain(query: str) -> str:
    """``EXPLAIN`` + the query without its own leading EXPLAIN/PROFILE (found by the
    guard's tokenizer in one linear pass)."""
    mode = leading_mode(query)
    return "EXPLAIN " + (query[: mode[0]] + query[mode[1] :] if mode else query)


def _not_read(kind: str) -> str:
    what = {"w": "writes", "rw": "reads and writes", "s": "changes the schema or the server"}.get(kind, kind)
    return f"read-only: Neo4j says this query {what} (use --allow-write to permit writes)"


def _batch_key(batch: GraphBatch) -> str:
    """What identifies "the same load" again: its files and table sizes.

    >>> _batch_key(GraphBatch(sources=["f.txt"]))
    'f.txt|people=0,follows=0,posts=0,relayed=0,relays=0,mentions=0,replies=0'
    """
    sizes = ",".join(f"{k}={v}" for k, v in batch.sizes().items())
    return f"{'; '.join(str(s) for s in batch.sources)}|{sizes}"
