"""Bulk reads and writes of the Neo4j store, inside transactions it opens.

Reads collect per node (or chunk of nodes), so one Bolt record carries many values,
and map internal ids to keys with pandas. Writes follow a :class:`graph.stores.upsert.Plan`:
``UNWIND`` batches of parallel lists, nodes found by internal id.

A load is one transaction while it has at most ``tx_rows`` rows. A larger one would
not fit the server's transaction memory (measured: ~440 bytes of transaction state per
new relationship and about twice that while committing, so 1.77M follows exceed the
1.4 GiB pool of a 2 GB heap). It then commits people, posts, authorship, follows and
mentions in parts of ``tx_rows`` rows (all of them rows that a reload recognises), and
relay events, relay aggregates and profile updates with the last part. An
``InfluenceLoad`` node marks the load while it runs. If it fails, the parts already
committed are deleted again (by the ids they returned); if the loader is killed, the
marker stays, the store says so, and loading the same files again completes it.
"""

from __future__ import annotations

import os
import socket
import uuid
from typing import Any

import numpy as np
import pandas as pd

from graph.model import LoadError
from graph.stores import cypher as q
from graph.stores.base import Progress

__all__ = [
    "Writer",
    "node_ids",
    "post_ids",
    "edge_ids",
    "edge_pairs",
    "relayed_frame",
    "chunked_rows",
    "typed",
    "records",
]

#: copy steps that may be committed in parts (a reload recognises every row of them)
STAGED = ("Person", "Post", "AUTHORED", "FOLLOWS", "MENTIONS", "REPLIES")


# -- reads ---------------------------------------------------------------------------
def node_ids(tx: Any, label: str) -> pd.Series:
    """Internal id per key (``pid`` / ``post_id``)."""
    return _node_ids(tx, label)[0]


def post_ids(tx: Any) -> tuple[pd.Series, pd.Series]:
    """Internal id per ``post_id``, and the author pid per internal id."""
    return _node_ids(tx, "Post")


def _node_ids(tx: Any, label: str) -> tuple[pd.Series, pd.Series]:
    ids: list[int] = []
    keys: list[str] = []
    authors: list[str] = []
    for rec in tx.run(q.NEO_NODE_IDS[label]):
        ids.extend(rec["ids"])
        keys.extend(rec["keys"])
        if label == "Post":
            authors.extend(rec["authors"])
    out = pd.Series(np.array(ids, dtype=np.int64), index=pd.Index(keys, dtype="str"), name="id")
    if label != "Post":
        return out, pd.Series([], dtype="str")
    return out, pd.Series(authors, index=out.to_numpy(), dtype="str")


def edge_ids(tx: Any, kind: str) -> dict[str, np.ndarray]:
    """Edges of ``kind`` as internal ids (``s``, ``d``) plus aligned property arrays."""
    cols: dict[str, list[Any]] = {}
    for rec in tx.run(q.NEO_EDGE_IDS[kind]):
        for key in rec.keys():
            cols.setdefault(key, []).extend(rec[key])
    out = {"s": np.array(cols.pop("s", []), dtype=np.int64), "d": np.array(cols.pop("d", []), dtype=np.int64)}
    out.update({k: np.array(v, dtype=object) for k, v in cols.items()})
    if "count" in out:
        out["count"] = out["count"].astype(np.int64)
    return out


def edge_pairs(tx: Any, kind: str, people: pd.Series) -> pd.DataFrame:
    """Edges of ``kind`` keyed by pid, with their properties (the embedded store's columns)."""
    edges = edge_ids(tx, kind)
    pid_of = pd.Series(people.index, index=people.to_numpy())
    df = pd.DataFrame(
        {"source": pid_of.reindex(edges["s"]).to_numpy(), "target": pid_of.reindex(edges["d"]).to_numpy()}
    ).astype("str")
    none = np.array([], dtype=object)
    if kind in ("relays", "mentions", "replies"):
        df["count"] = edges.get("count", np.array([], dtype=np.int64))
    if kind in ("relays", "replies"):
        df["first_at"] = timestamps(edges.get("first_at", none))
        df["last_at"] = timestamps(edges.get("last_at", none))
    return df


def relayed_frame(
    edges: dict[str, np.ndarray], people: pd.Series, posts: pd.Series, authors: pd.Series
) -> pd.DataFrame:
    """RELAYED events (person, post_id, author, kind, at) from :func:`edge_ids` output;
    ``authors`` is the author pid per internal post id (:func:`post_ids`)."""
    pid_of = pd.Series(people.index, index=people.to_numpy())
    post_of = pd.Series(posts.index, index=posts.to_numpy())
    return pd.DataFrame(
        {
            "person": pd.array(pid_of.reindex(edges["s"]).to_numpy(), dtype="str"),
            "post_id": pd.array(post_of.reindex(edges["d"]).to_numpy(), dtype="str"),
            "author": pd.array(authors.reindex(edges["d"]).to_numpy(), dtype="str"),
            "kind": pd.array(edges.get("kind", np.array([], dtype=object)), dtype="str"),
            "at": timestamps(edges.get("at", np.array([], dtype=object))),
        }
    )


def chunked_rows(tx: Any, text: str, **params: Any) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for rec in tx.run(text, params):
        rows.extend(rec["rows"])
    return rows


def timestamps(values: Any) -> pd.Series:
    """ISO strings (``toString`` of a LOCAL DATETIME) as ``datetime64[us]``; '' is missing.

    >>> timestamps(["2025-01-02T03:04:05.5", ""]).tolist()
    [Timestamp('2025-01-02 03:04:05.500000'), NaT]
    """
    s = pd.Series(values, dtype=object).replace("", None)
    return pd.to_datetime(s, format="ISO8601").astype("datetime64[us]")


def typed(df: pd.DataFrame, props: dict[str, str]) -> pd.DataFrame:
    """Dtypes like the embedded store's: str, int64 (float64 with gaps), float64, datetime64."""
    for c in df.columns:
        t = props.get(c)
        if t == "STRING":
            df[c] = df[c].astype("str")
        elif t == "INT64":
            df[c] = pd.to_numeric(df[c])
        elif t == "DOUBLE":
            df[c] = df[c].astype(np.float64)
        elif t == "TIMESTAMP":
            df[c] = timestamps(df[c].to_numpy(dtype=object))
    return df


# -- writes ----------------------------------------------------------------------------
def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain values, ``None`` for missing (integer properties as ints).

    >>> records(pd.DataFrame({"pid": ["x:a"], "kshell": [2.0], "name": [float("nan")]}))
    [{'pid': 'x:a', 'kshell': 2, 'name': None}]
    """
    return [dict(zip(frame.columns, r)) for r in zip(*(values(frame[c]) for c in frame.columns))]


def values(col: pd.Series) -> list[Any]:
    """A column as a list the driver can send: None for NA, ints for integer properties."""
    name = str(col.name)
    out = col.astype(object).where(col.notna(), None).tolist()
    if q.PERSON_PROPS.get(name) == "INT64" or name == "count":
        return [None if v is None else int(v) for v in out]
    if q.PERSON_PROPS.get(name) == "BOOLEAN":
        return [None if v is None else bool(v) for v in out]
    return [list(v) if isinstance(v, (np.ndarray, tuple)) else v for v in out]


def update_columns(tx: Any, text: str, columns: dict[str, list[Any]], size: int) -> int:
    """Run ``text`` (one list parameter per column) over ``size`` rows at a time."""
    rows = len(next(iter(columns.values()), []))
    n = 0
    for i in range(0, rows, size):
        n += int(tx.run(text, {c: v[i : i + size] for c, v in columns.items()}).single()["n"])
    return n


def update_in_batches(tx: Any, text: str, rows: list[dict[str, Any]], size: int) -> int:
    n = 0
    for i in range(0, len(rows), size):
        n += int(tx.run(text, rows=rows[i : i + size]).single()["n"])
    return n


class Writer:
    """Writes one load plan: one transaction, or parts of ``tx_rows`` rows (see module doc)."""

    def __init__(self, session: Any, batch_size: int, tx_rows: int, progress: Progress | None) -> None:
        self.session, self.batch_size, self.tx_rows, self.progress = session, batch_size, tx_rows, progress
        self.tx = session.begin_transaction()
        posts, self.post_author = post_ids(self.tx)
        self.ids = {"Person": node_ids(self.tx, "Person"), "Post": posts}
        self.new_nodes: list[list[int]] = []
        self.new_rels: list[list[int]] = []
        self.in_tx = self.committed = self.parts = 0
        self.marker: str | None = None
        self._step, self._steps = 0, 0
        #: edge kinds that hold the same relationship twice (seen while planning) -> removed
        self.repaired: dict[str, int] = {}

    def existing(self) -> Existing | None:
        return Existing(self) if len(self.ids["Person"]) else None

    def unfinished(self) -> list[dict[str, Any]]:
        """Loads that committed parts and never finished (a killed loader)."""
        return [r.data() for r in self.tx.run(q.NEO_LOADS)]

    def apply(self, plan: Any, key: str, sources: list[str], resumed: list[str]) -> None:
        """Write the plan and commit; ``resumed``: markers of interrupted loads this one completes."""
        steps = [s for s in plan.steps if len(s.frame)]
        first = [s for s in steps if s.kind == "copy" and s.table in STAGED]
        last = [s for s in steps if not (s.kind == "copy" and s.table in STAGED)]
        self.total, self.key, self.sources = sum(len(s.frame) for s in steps), key, sources
        self._steps = len(steps)
        for i, step in enumerate(first + last):
            self._step = i
            self._write(step, staged=i < len(first))
        if self.progress:
            self.progress(len(steps), len(steps), "committing")
        ends = resumed + ([self.marker] if self.marker else [])
        if ends:
            self.tx.run(q.NEO_LOAD_END, ids=ends).consume()
        for kind in list(self.repaired):  # duplicates from before the write lock: keep one of each
            self.repaired[kind] = int(self.tx.run(q.NEO_DEDUPE[kind]).single()["n"])
        self.tx.commit()

    def _write(self, step: Any, *, staged: bool) -> None:
        if step.kind == "copy" and step.table in q.NEO_CREATE_NODES:
            self._create_nodes(step.table, step.frame, step.label)
        elif step.kind == "copy" and step.table in q.NEO_CREATE_GROUPED:
            self._create_grouped(step.table, step.frame, step.label)
        elif step.kind == "copy":
            self._write_flat(q.NEO_CREATE_FLAT[step.table], step.table, step.frame, step.label, staged)
        elif step.kind == "update_people":
            sets = ", ".join(f"p.{c} = coalesce(row.{c}, p.{c})" for c in step.frame.columns if c != "pid")
            update_in_batches(
                self.tx, q.NEO_UPDATE_PEOPLE.format(sets=sets), records(step.frame), self.batch_size
            )
        else:
            self._write_flat(q.NEO_SET_EDGES[step.kind], step.table, step.frame, step.label, False)

    def _done(self, rows: int, staged: bool, label: str, done: int, total: int) -> None:
        """After each batch: count it, commit a full part, report progress."""
        self.in_tx += rows
        if staged and self.in_tx >= self.tx_rows:
            if self.marker is None:
                self.marker = uuid.uuid4().hex
                client = f"{socket.gethostname()}:{os.getpid()}"
                marker = {"id": self.marker, "key": self.key, "sources": self.sources, "rows": self.total}
                self.tx.run(q.NEO_LOAD_START, client=client, **marker).consume()
            self.committed += self.in_tx
            self.tx.run(q.NEO_LOAD_PROGRESS, id=self.marker, done=self.committed).consume()
            self.tx.commit()
            self.tx, self.in_tx, self.parts = self.session.begin_transaction(), 0, self.parts + 1
        if self.progress:
            self.progress(self._step, self._steps, f"{label} {done:,}/{total:,}")

    def _create_nodes(self, label: str, frame: pd.DataFrame, what: str) -> None:
        rows = [{k: v for k, v in r.items() if v is not None} for r in records(frame)]
        ids: list[int] = []
        keys: list[str] = []
        for i in range(0, len(rows), self.batch_size):
            rec = self.tx.run(q.NEO_CREATE_NODES[label], rows=rows[i : i + self.batch_size]).single()
            ids.extend(rec["ids"])
            keys.extend(rec["keys"])
            self.new_nodes.append(rec["ids"])
            self._done(len(rec["ids"]), True, what, i + len(rec["ids"]), len(rows))
        new = pd.Series(np.array(ids, dtype=np.int64), index=pd.Index(keys, dtype="str"), name="id")
        self.ids[label] = pd.concat([self.ids[label], new])
        if label == "Post":
            mine = pd.Series(frame["author"].to_numpy(), index=new.reindex(frame["post_id"]).to_numpy())
            self.post_author = pd.concat([self.post_author, mine])

    def _endpoints(self, table: str, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        src_col, dst_col = frame.columns[:2]
        dst_label = "Post" if table in ("AUTHORED", "RELAYED") else "Person"
        src = self.ids["Person"].reindex(frame[src_col]).to_numpy()
        dst = self.ids[dst_label].reindex(frame[dst_col]).to_numpy()
        for col, arr in ((src_col, src), (dst_col, dst)):
            if np.isnan(arr).any():
                first = frame[col].to_numpy()[np.isnan(arr)][0]
                raise LoadError(f"{table}: {col} {first!r} is not in the graph", field=col)
        return src.astype(np.int64), dst.astype(np.int64)

    def _create_grouped(self, table: str, frame: pd.DataFrame, what: str) -> None:
        src, dst = self._endpoints(table, frame)
        order = np.argsort(src, kind="stable")
        src, dst = src[order], dst[order]
        for i in range(0, len(src), self.batch_size):
            s, d = src[i : i + self.batch_size], dst[i : i + self.batch_size]
            heads, starts = np.unique(s, return_index=True)
            groups = [g.tolist() for g in np.split(d, starts[1:])]
            self.new_rels.append(
                self.tx.run(q.NEO_CREATE_GROUPED[table], s=heads.tolist(), d=groups).single()["ids"]
            )
            self._done(len(s), True, what, i + len(s), len(src))

    def _write_flat(self, text: str, table: str, frame: pd.DataFrame, what: str, staged: bool) -> None:
        src, dst = self._endpoints(table, frame)
        props = {c: values(frame[c]) for c in frame.columns[2:]}
        for i in range(0, len(src), self.batch_size):
            j = slice(i, i + self.batch_size)
            result = self.tx.run(
                text, s=src[j].tolist(), d=dst[j].tolist(), **{k: v[j] for k, v in props.items()}
            )
            rec = result.single()
            if rec is not None and "ids" in rec.keys():
                self.new_rels.append(rec["ids"])
            self._done(len(src[j]), staged, what, i + len(src[j]), len(src))

    def abort(self, *, undo: bool = True) -> bool:
        """Roll back; delete the parts already committed. True when the graph is as before."""
        try:
            self.tx.close()
        except Exception:  # the server already rolled it back
            pass
        if not self.parts:
            return True
        if not undo:
            return False
        try:
            rels = [i for part in self.new_rels for i in part]
            nodes = [i for part in self.new_nodes for i in part]
            for text, ids, size in ((q.NEO_UNDO_RELS, rels, 20_000), (q.NEO_UNDO_NODES, nodes, 5_000)):
                for k in range(0, len(ids), size):
                    self._run_alone(text, ids=ids[k : k + size])
            self._run_alone(q.NEO_LOAD_END, ids=[self.marker])
            return True
        except Exception:
            return False

    def _run_alone(self, text: str, **params: Any) -> None:
        self.session.execute_write(lambda tx: tx.run(text, params).consume())


class Existing:
    """What the graph holds, read inside the load's first transaction (for ``plan_load``)."""

    def __init__(self, writer: Writer) -> None:
        self._w = writer

    def pids(self) -> pd.Series:
        return pd.Series(self._w.ids["Person"].index)

    def post_ids(self) -> pd.Series:
        return pd.Series(self._w.ids["Post"].index)

    def posts(self) -> pd.DataFrame:
        posts = self._w.ids["Post"]
        authors = self._w.post_author.reindex(posts.to_numpy()).to_numpy()
        return pd.DataFrame({"post_id": posts.index, "author": pd.array(authors, dtype="str")})

    def edges(self, kind: str) -> pd.DataFrame:
        frame = edge_pairs(self._w.tx, kind, self._w.ids["Person"])
        if frame.duplicated(["source", "target"]).any():
            self._w.repaired[kind] = 0
        return frame

    def relayed(self) -> pd.DataFrame:
        edges = edge_ids(self._w.tx, "relayed")
        frame = relayed_frame(edges, self._w.ids["Person"], self._w.ids["Post"], self._w.post_author)
        if frame.duplicated(["person", "post_id"]).any():
            self._w.repaired["relayed"] = 0
        return frame[["person", "post_id"]]
