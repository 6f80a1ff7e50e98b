"""Text graph formats of the Gephi era: GML, Pajek ``.net`` and GDF (GUESS/Gephi).

GML and Pajek are parsed by NetworkX (``parse_gml``, ``parse_pajek``); GDF has no
NetworkX reader, so :func:`parse_gdf` reads it (``nodedef>`` / ``edgedef>`` sections,
comma-separated, values with commas in single quotes). All three then go through
:func:`loaders.graph_batch.graph_to_batch`, so keys, attributes and edge kinds mean
the same as for GraphML. Undirected files (GML ``directed 0``, Pajek ``*Edges``, GDF
``directed`` false) are read edge by edge as listed.

GML nodes are keyed by their ``label`` when they have one (``id`` otherwise); Pajek
vertices by their label; GDF nodes by ``name``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from graph.model import EDGE_KINDS, GraphBatch, LoadError
from loaders.base import open_binary
from loaders.graph_batch import graph_to_batch

__all__ = ["read_text_graph", "parse_gdf", "TEXT_GRAPH_FORMATS"]

TEXT_GRAPH_FORMATS = ("gml", "pajek", "gdf")
_GML_UNDIRECTED = re.compile(r"^(\s*directed\s+)0\b", re.M)
_PAJEK_EDGES = re.compile(r"^\*edges\b", re.M | re.I)
_GDF_COLUMN = re.compile(r"^\s*([^\s]+)(?:\s+([A-Za-z]+))?")


def read_text_graph(
    path: str | Path, *, fmt: str, kind: str = "follows", platform: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> GraphBatch:  # fmt: skip
    """One GML, Pajek or GDF file as a batch."""
    if kind not in EDGE_KINDS:
        raise LoadError(f"unknown edge kind {kind!r}; use one of {', '.join(EDGE_KINDS)}", path=str(path))
    shown = str(path)
    with open_binary(path) as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                        path=shown, line=raw[: exc.start].count(b"\n") + 1) from None  # fmt: skip
    G, undirected = _parse(text, fmt, shown)
    batch = graph_to_batch(G, shown, kind, platform or "x", undirected=undirected)
    if progress:
        progress(G.number_of_nodes() + G.number_of_edges())
    return batch


def _parse(text: str, fmt: str, shown: str) -> tuple[Any, bool]:
    import networkx as nx

    if fmt == "gdf":
        return parse_gdf(text.splitlines(), path=shown)
    try:
        if fmt == "gml":
            text, n = _GML_UNDIRECTED.subn(r"\g<1>1", text, count=1)
            return nx.parse_gml(text, label="id", destringizer=None), bool(n)
        text, n = _PAJEK_EDGES.subn("*Arcs", text)
        return nx.parse_pajek(text), bool(n)
    except LoadError:
        raise
    except Exception as exc:  # networkx raises many types on malformed input
        line = re.search(r"line (\d+)", str(exc))
        what = "GML" if fmt == "gml" else "Pajek"
        raise LoadError(f"not valid {what}: {exc}", path=shown, line=int(line[1]) if line else None) from None


def parse_gdf(lines: Iterable[str], *, path: str = "<input>") -> tuple[Any, bool]:
    """A GDF file as ``(MultiDiGraph, undirected)``; edges as listed.

    >>> G, undirected = parse_gdf(["nodedef>name VARCHAR,label VARCHAR", "s1,Site A", "s2,'B, the site'",
    ...                           "edgedef>node1 VARCHAR,node2 VARCHAR,directed BOOLEAN", "s2,s1,false"])
    >>> list(G.edges()), G.nodes["s2"]["label"], undirected
    ([('s2', 's1')], 'B, the site', True)
    """
    import networkx as nx

    G = nx.MultiDiGraph()
    section, columns, undirected = None, [], False
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        low = line.lstrip().lower()
        if low.startswith(("nodedef>", "edgedef>")):
            section = low[:7]
            columns = _columns(line.split(">", 1)[1], path, lineno)
            first = columns[0][0].lower()
            want = "name" if section == "nodedef" else "node1"
            if first != want or (
                section == "edgedef" and (len(columns) < 2 or columns[1][0].lower() != "node2")
            ):
                raise LoadError(f"{section}> must start with {want}" + (", node2" if section == "edgedef" else ""),
                                path=path, line=lineno, field=columns[0][0])  # fmt: skip
            continue
        if section is None:
            raise LoadError("expected a 'nodedef>' header first", path=path, line=lineno)
        values = _values(line, path, lineno)
        if len(values) > len(columns):
            raise LoadError(f"{len(values)} values for {len(columns)} columns", path=path, line=lineno)
        row = {name: _typed(v, t, path, lineno, name) for (name, t), v in zip(columns, values, strict=False)}
        if section == "nodedef":
            name = str(row.pop(columns[0][0]))
            if not name:
                raise LoadError("is empty", path=path, line=lineno, field=columns[0][0])
            G.add_node(name, **row)
        else:
            a, b = str(row.pop(columns[0][0])), str(row.pop(columns[1][0]))
            if not a or not b:
                raise LoadError("an edge needs node1 and node2", path=path, line=lineno, field="node1")
            directed = row.pop("directed", True)
            undirected |= directed is False
            G.add_edge(a, b, **row)
    if section is None:
        raise LoadError("not a GDF file: no 'nodedef>' header", path=path)
    return G, undirected


def _columns(spec: str, path: str, lineno: int) -> list[tuple[str, str]]:
    cols = []
    for part in spec.split(","):
        m = _GDF_COLUMN.match(part)
        if not m:
            raise LoadError(f"empty column definition in {spec.strip()!r}", path=path, line=lineno)
        cols.append((m[1], (m[2] or "VARCHAR").upper()))
    return cols


def _values(line: str, path: str, lineno: int) -> list[str]:
    out: list[str] = []
    cur: list[str] = []
    quoted, i = False, 0
    while i < len(line):
        ch = line[i]
        if ch == "'" and (quoted or not "".join(cur).strip()):
            if quoted and i + 1 < len(line) and line[i + 1] not in ",\r\n":
                cur.append(ch)  # an inner quote ('A correct 'GDF' file')
            else:
                quoted = not quoted
        elif ch == "," and not quoted:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
        i += 1
    if quoted:
        raise LoadError("a quoted value is not closed (missing ')", path=path, line=lineno)
    out.append("".join(cur).strip())
    return out


def _typed(value: str, kind: str, path: str, lineno: int, name: str) -> Any:
    if value == "":
        return None
    if kind in ("BOOLEAN", "BOOL"):
        if value.lower() not in ("true", "false"):
            raise LoadError(f"{value!r} is not true/false", path=path, line=lineno, field=name)
        return value.lower() == "true"
    if kind in ("INT", "INTEGER", "TINYINT", "SMALLINT", "BIGINT", "DOUBLE", "FLOAT", "DECIMAL", "REAL"):
        try:
            return int(value) if kind.endswith("INT") or kind == "INTEGER" else float(value)
        except ValueError:
            raise LoadError(f"{value!r} is not a {kind}", path=path, line=lineno, field=name) from None
    return value
