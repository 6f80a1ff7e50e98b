"""NodeXL workbooks (``.xlsx``): the ``Edges`` and ``Vertices`` sheets.

NodeXL writes each sheet as a table under a row of group captions ("Visual
Properties", "Labels", "Graph Metrics"…); the header row is the one whose first cell
is ``Vertex 1`` (Edges) or ``Vertex`` (Vertices). Read:

* **Edges**: ``Vertex 1`` → ``Vertex 2``; the edge kind from ``Relationship`` (NodeXL's
  Twitter importers write ``Followed``/``Follows``, ``Mentions``, ``Replies to``,
  ``Retweet``; ``Tweet`` is a self-edge and skipped) — else ``--kind``; ``Edge Weight``
  is the count. The workbook's ``Misc`` sheet says whether the graph is directed.
* **Vertices**: every column becomes a node attribute, then
  :func:`loaders.graph_batch.graph_to_batch` keeps profile fields (``Name``,
  ``Description``, ``Followers``…), drops NodeXL's drawing columns and graph metrics
  (which ``influence rank`` recomputes) with a count, and keeps the rest as extras.

Cells are read as last computed by Excel (``data_only``); a formula never computed
(no cached value) reads as empty.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.model import EDGE_KINDS, GraphBatch, LoadError
from loaders.graph_batch import graph_to_batch

__all__ = ["read_nodexl", "is_nodexl", "RELATIONSHIPS"]

#: NodeXL relationship words → our edge kinds (None: not an edge between people).
RELATIONSHIPS = {"followed": "follows", "follows": "follows", "follower": "follows", "friend": "follows",
                 "mentions": "mentions", "mentioned": "mentions", "replies to": "mentions",
                 "mentions in retweet": "mentions", "retweet": "relays", "retweeted": "relays",
                 "quote": "relays", "quoted": "relays", "tweet": None}  # fmt: skip


def is_nodexl(path: Path, head: bytes) -> bool:
    """An ``.xlsx`` with NodeXL's ``Edges`` sheet (checked by opening the zip's workbook part)."""
    if path.is_dir() or not head.startswith(b"PK") or path.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            book = zf.read("xl/workbook.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        return False
    return b'name="Edges"' in book


def read_nodexl(
    path: str | Path, *, kind: str = "follows", platform: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> GraphBatch:  # fmt: skip
    """One NodeXL workbook as a batch."""
    import networkx as nx
    import openpyxl

    shown = str(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            G, skipped, directed = _read_book(wb, nx.MultiDiGraph(), kind, shown)
        finally:
            wb.close()
    except LoadError:
        raise
    except Exception as exc:  # openpyxl parses sheets lazily: zip, XML and cell errors surface while reading
        raise LoadError(f"not a readable Excel workbook ({type(exc).__name__}: {exc})", path=shown) from None
    batch = graph_to_batch(G, shown, kind, platform or "x", undirected=directed == "undirected")
    if skipped:
        batch.notes.append(
            f"{shown}: skipped {skipped:,} 'Tweet' row(s) (a post, not an edge between people)"
        )
    if progress:
        progress(G.number_of_nodes() + G.number_of_edges())
    return batch


def _read_book(wb: Any, G: Any, kind: str, shown: str) -> tuple[Any, int, str | None]:
    if "Edges" not in wb.sheetnames:
        raise LoadError(f"no 'Edges' sheet (found: {', '.join(wb.sheetnames)}); is this a NodeXL workbook?",
                        path=shown)  # fmt: skip
    for name, attrs in _table(wb["Vertices"], "Vertex", shown) if "Vertices" in wb.sheetnames else []:
        G.add_node(str(name), **attrs)
    skipped = 0
    for line, a, b, attrs in _edges(wb["Edges"], shown):
        rel = attrs.pop("Relationship", None)
        ekind = _kind(rel, kind, shown, line)
        if ekind is None:
            skipped += 1
            continue
        weight = attrs.pop("Edge Weight", None)
        G.add_edge(a, b, type=ekind, **({"count": weight} if weight not in (None, "") else {}))
    return G, skipped, _directedness(wb)


def _rows(ws: Any, first: str, shown: str) -> tuple[int, list[str], Any]:
    rows = ws.iter_rows(values_only=True)
    for i, row in enumerate(rows, start=1):
        if row and isinstance(row[0], str) and row[0].strip() == first:
            return i, [str(c).strip() if c is not None else "" for c in row], rows
        if i > 5:
            break
    raise LoadError(f"no header row starting with {first!r} in the first 5 rows", path=shown,
                    field=f"sheet {ws.title!r}")  # fmt: skip


def _table(ws: Any, first: str, shown: str) -> list[tuple[Any, dict]]:
    header_line, header, rows = _rows(ws, first, shown)
    out = []
    for row in rows:
        if not row or row[0] in (None, ""):
            continue
        attrs = {h: v for h, v in zip(header[1:], row[1:], strict=False) if h and v not in (None, "")}
        out.append((row[0], attrs))
    return out


def _edges(ws: Any, shown: str) -> list[tuple[int, str, str, dict]]:
    header_line, header, rows = _rows(ws, "Vertex 1", shown)
    if len(header) < 2 or header[1] != "Vertex 2":
        raise LoadError(
            "the second column must be 'Vertex 2'", path=shown, line=header_line, field="Vertex 2"
        )
    out = []
    for i, row in enumerate(rows, start=header_line + 1):
        if not row or all(v in (None, "") for v in row[:2]):
            continue
        if row[0] in (None, "") or len(row) < 2 or row[1] in (None, ""):
            raise LoadError("an edge needs both Vertex 1 and Vertex 2", path=shown, line=i,
                            field="Vertex 1" if row[0] in (None, "") else "Vertex 2")  # fmt: skip
        attrs = {
            h: v for h, v in zip(header[2:], row[2:], strict=False) if h in ("Relationship", "Edge Weight")
        }
        out.append((i, str(row[0]), str(row[1]), attrs))
    return out


def _kind(rel: Any, default: str, shown: str, line: int) -> str | None:
    if rel in (None, ""):
        return default
    text = str(rel).strip().lower()
    if text in EDGE_KINDS:
        return text
    if text in RELATIONSHIPS:
        return RELATIONSHIPS[text]
    raise LoadError(f"{rel!r} is not a relationship this graph knows ({', '.join(sorted(RELATIONSHIPS))})",
                    path=shown, line=line, field="Relationship")  # fmt: skip


def _directedness(wb: Any) -> str | None:
    for sheet in ("Misc", "Overall Metrics"):
        if sheet not in wb.sheetnames:
            continue
        for row in wb[sheet].iter_rows(values_only=True, max_row=30):
            cells = [str(c).strip().lower() for c in row if c is not None]
            for a, b in zip(cells, cells[1:], strict=False):
                if a in ("graph directedness", "graph type") and b in ("directed", "undirected"):
                    return b
    return None
