"""The store interface both backends implement (embedded LadybugDB and Neo4j).

A store holds the schema of :mod:`graph.model`. Loads are all-or-nothing:
after any error the store is exactly as it was before the load. Ad-hoc Cypher
goes through :meth:`Store.cypher`, which is read-only unless the caller passes
``allow_write=True``.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from graph.errors import QueryRefused, StoreError
from graph.model import (
    OUR_COLUMNS,
    SCORE_COLUMNS,
    SHORTLIST_COLUMNS,
    TRACKING_COLUMNS,
    EdgeArrays,
    GraphBatch,
)
from graph.settings import Limits
from graph.stores.guard import check_read_only

__all__ = ["Store", "LoadStats", "QueryResult", "QueryRefused", "StoreError", "Progress", "Limits"]

#: ``progress(done, total, label)`` — called by long operations.
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class QueryResult:
    """What an ad-hoc query returned: the rows, and whether the row cap cut them.

    >>> r = QueryResult(pd.DataFrame({"n": [1, 2]}), truncated=True, max_rows=2)
    >>> len(r), r.columns, r.truncated
    (2, ['n'], True)
    """

    frame: pd.DataFrame
    truncated: bool = False
    max_rows: int | None = None
    seconds: float = 0.0

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    def __len__(self) -> int:
        return len(self.frame)


@dataclass
class LoadStats:
    """What a load added (new rows per table) and how long it took."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> str:
        parts = [f"{v:,} {k}" for k, v in self.added.items() if v]
        upd = [f"{v:,} {k}" for k, v in self.updated.items() if v]
        text = "added " + (", ".join(parts) if parts else "nothing new")
        if upd:
            text += "; updated " + ", ".join(upd)
        return f"{text} in {self.seconds:.1f}s"


class Store(ABC):
    """Where the graph lives. Implementations: ``EmbeddedStore``, ``Neo4jStore``."""

    #: short name shown to users ("embedded (LadybugDB)", "Neo4j")
    name: str = "store"
    #: Cypher dialect shown next to the query box ("LadybugDB Cypher", "Neo4j Cypher 5")
    dialect: str = "Cypher"
    limits: Limits = Limits()

    # -- writing ------------------------------------------------------------
    @abstractmethod
    def load(self, batch: GraphBatch, *, progress: Progress | None = None) -> LoadStats:
        """Add a batch; all-or-nothing; reloading the same batch adds nothing."""

    def write_scores(self, scores: pd.DataFrame) -> int:
        """Set score columns (``graph.model.SCORE_COLUMNS``) on people.

        ``scores`` has a ``pid`` column plus any subset of score columns.
        Returns the number of people updated.
        """
        cols = [c for c in scores.columns if c in SCORE_COLUMNS]
        return self._update_people(scores[["pid", *cols]], whole=True)

    def write_tracking(self, rows: pd.DataFrame) -> int:
        """Set relationship tracking (``graph.model.TRACKING_COLUMNS``) by ``pid``."""
        cols = [c for c in rows.columns if c in TRACKING_COLUMNS]
        return self._update_people(rows[["pid", *cols]])

    def write_shortlist(self, rows: pd.DataFrame) -> int:
        """Set shortlist membership (``graph.model.SHORTLIST_COLUMNS``) and tracking by ``pid``
        in one write; a null ``sl_rank`` takes a person off the list."""
        cols = [c for c in rows.columns if c in SHORTLIST_COLUMNS or c in TRACKING_COLUMNS]
        return self._update_people(rows[["pid", *cols]])

    def write_accounts(self, rows: pd.DataFrame) -> int:
        """Mark our own accounts (``graph.model.OUR_COLUMNS``) by ``pid``; None unmarks."""
        cols = [c for c in rows.columns if c in OUR_COLUMNS]
        return self._update_people(rows[["pid", *cols]])

    @abstractmethod
    def _update_people(self, frame: pd.DataFrame, *, whole: bool = False) -> int:
        """Set the given columns (already allow-listed) on the people in ``frame.pid``;
        ``whole``: they are whole score columns, which a store may replace as a whole
        when ``frame`` holds everyone (the embedded store does)."""

    @abstractmethod
    def clear(self) -> None:
        """Delete every node and relationship (keeps the schema)."""

    @contextmanager
    def writing(self, job: str) -> Iterator[None]:
        """Hold the store's write lock for ``job`` (load, rank, tracking, clear), across
        processes; reentrant. Taken *before* long work (``rank`` computes for a minute),
        so a second writer is told at once — or after ``lock_timeout_s`` of waiting —
        rather than after its work. Raises :class:`StoreError` (one line)."""
        yield

    def unfinished_loads(self) -> list[dict[str, Any]]:
        """Loads committed in parts that never finished (their loader was killed): id,
        sources, rows, rows_committed, client, started_at. Empty for stores whose loads
        are one transaction."""
        return []

    # -- reading ------------------------------------------------------------
    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Node and relationship counts: people, posts, follows, authored,
        relayed, relays, mentions."""

    @abstractmethod
    def edge_arrays(self, kind: str) -> EdgeArrays:
        """All edges of ``kind`` (follows | relays | mentions) as arrays over
        every person, in ``pid`` order (so all kinds share one ``nodes``)."""

    def edge_arrays_for(self, kinds: list[str]) -> dict[str, EdgeArrays]:
        """:meth:`edge_arrays` of several kinds; a store may share the work between them
        (the embedded store reads the people's order once)."""
        return {kind: self.edge_arrays(kind) for kind in kinds}

    @abstractmethod
    def edge_pairs(self, kind: str) -> pd.DataFrame:
        """Edges of ``kind`` (follows | relays | mentions) keyed by pid: ``source, target``
        plus ``count`` (relays, mentions) and ``first_at, last_at`` (relays)."""

    @abstractmethod
    def people(self, pids: list[str] | None = None) -> pd.DataFrame:
        """People with profile, score and tracking columns, one row per person,
        ordered by ``pid``. ``pids`` restricts the result."""

    @abstractmethod
    def posts(self, *, text: bool = False) -> pd.DataFrame:
        """Posts: post_id, author, created_at, hashtags (and ``text`` when asked)."""

    @abstractmethod
    def relay_events(self) -> pd.DataFrame:
        """RELAYED events: person, post_id, author, kind, at."""

    # -- ad-hoc Cypher -----------------------------------------------------------
    def cypher(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        *,
        allow_write: bool = False,
        timeout_s: float | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        """Run ad-hoc Cypher under the store's limits.

        Read-only unless ``allow_write``: the lexical guard
        (:func:`graph.stores.guard.check_read_only`) first, then the engine's own
        check in :meth:`_run`. Raises :class:`QueryRefused` for a refused query and
        :class:`StoreError` on a timeout or an engine error. At most ``max_rows``
        rows come back; ``QueryResult.truncated`` says whether more existed.
        """
        timeout_s = self.limits.cypher_timeout_s if timeout_s is None else timeout_s
        max_rows = self.limits.max_rows if max_rows is None else max_rows
        if not allow_write:
            check_read_only(query)
        started = time.perf_counter()
        columns, rows, truncated = self._run(
            query, dict(params or {}), read_only=not allow_write, timeout_s=timeout_s, max_rows=max_rows
        )
        frame = pd.DataFrame(rows, columns=columns)
        return QueryResult(frame, truncated, max_rows or None, time.perf_counter() - started)

    @abstractmethod
    def _run(
        self, query: str, params: dict[str, Any], *, read_only: bool, timeout_s: float, max_rows: int
    ) -> tuple[list[str], list[list[Any]], bool]:
        """Run one query (already through the guard when ``read_only``): column names,
        at most ``max_rows`` rows (0: all) and whether more rows existed."""

    def close(self) -> None:  # pragma: no cover - trivial default
        """Release files, locks and connections."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def is_empty(self) -> bool:
        return self.counts().get("people", 0) == 0

    def data_stamp(self) -> tuple[object, object] | None:
        """Cheap values that change when any process writes, so a long-running reader
        (the app) can tell its cached tables are stale: ``(structure, writes)``, the
        first changing only when nodes or edges are added or removed. ``None``: no other
        process can write while this one has the store open (the embedded store holds it
        read-write), so there is nothing to watch."""
        return None
