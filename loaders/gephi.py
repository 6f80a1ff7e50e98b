"""GraphML and GEXF, both ways (Gephi, yEd, Cytoscape, NetworkX), via networkx.

**Import** (``--format graphml`` / ``--format gexf``; read whole, not streamed): the
file is parsed by NetworkX and turned into people and edges by
:func:`loaders.graph_batch.graph_to_batch` (keys, attributes kept as extras or
dropped, edge kinds, undirected edges as listed). GEXF 1.3 (Gephi 0.9 and later) is
read like 1.2; yEd's node labels (``y:NodeLabel``) are labels, a blank one keys the
node by its id.

**Export** (:func:`write_graph`): nodes keyed by pid with ``label`` = handle,
``handle``, ``platform``, ``name``, ``bio``, ``followers_count``, ``topics`` and
every score column present; one edge per (pair, kind) with ``type`` (GraphML) or
``kind`` (GEXF, where ``type`` is reserved for direction), ``count``, ``weight``
= count and ``label`` = kind, so Gephi can filter and size by them.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from graph.model import EDGE_KINDS, SCORE_COLUMNS, TRACKING_COLUMNS, GraphBatch, LoadError
from loaders.base import open_binary
from loaders.graph_batch import KNOWN_PLATFORMS, graph_to_batch

__all__ = ["read_graph_file", "read_gephi", "write_graph", "KNOWN_PLATFORMS"]

_UNDIRECTED_GRAPHML = re.compile(rb'(<graph\b[^>]*?\bedgedefault\s*=\s*["\'])undirected(["\'])')
_EDGE_NOT_DIRECTED = re.compile(rb'(<edge\b[^>]*?\bdirected\s*=\s*["\'])false(["\'])')
_UNDIRECTED_GEXF = re.compile(rb'(<graph\b[^>]*?\bdefaultedgetype\s*=\s*["\'])(?:undirected|mutual)(["\'])')
_EDGE_UNDIRECTED = re.compile(rb'(<edge\b[^>]*?\btype\s*=\s*["\'])(?:undirected|mutual)(["\'])')
_GEXF_13 = re.compile(rb"http://(?:www\.)?gexf\.net/1\.3(/viz)?")


def _graphml_as_listed(data: bytes) -> tuple[bytes, bool]:
    """GraphML whose undirected edges read as listed (NetworkX would merge a–b and b–a).

    >>> _graphml_as_listed(b'<graph id="G" edgedefault="undirected"><edge source="a" target="b"/>')
    (b'<graph id="G" edgedefault="directed"><edge source="a" target="b"/>', True)
    """
    data, n = _UNDIRECTED_GRAPHML.subn(rb"\1directed\2", data)
    data, m = _EDGE_NOT_DIRECTED.subn(rb"\1true\2", data)
    return data, bool(n or m)


def _gexf_as_listed(data: bytes) -> tuple[bytes, bool]:
    """GEXF 1.3 (Gephi 0.9+) read with NetworkX's 1.2 reader, undirected edges as listed.

    >>> _gexf_as_listed(b'<gexf xmlns="http://gexf.net/1.3"><graph defaultedgetype="undirected">')
    (b'<gexf xmlns="http://www.gexf.net/1.2draft"><graph defaultedgetype="directed">', True)
    """
    data = _GEXF_13.sub(lambda m: b"http://www.gexf.net/1.2draft" + (m[1] or b""), data)
    data, n = _UNDIRECTED_GEXF.subn(rb"\1directed\2", data)
    data, m = _EDGE_UNDIRECTED.subn(rb"\1directed\2", data)
    return data, bool(n or m)


def _undeclared_nodes(data: bytes) -> str | None:
    """A note when edges name nodes the file never declares (NetworkX, like Gephi's
    "create missing nodes", adds them silently).

    >>> _undeclared_nodes(b'<graph><node id="a"/><edge source="a" target="zz"/><edge source="zz" target="a"/></graph>')
    "2 edge(s) name 1 node(s) the file does not declare (first: 'zz'); they were added as people, as Gephi does"
    """
    import xml.etree.ElementTree as ET

    declared: set[str] = set()
    ends: list[str] = []
    try:
        for _, el in ET.iterparse(io.BytesIO(data)):
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "node" and el.get("id") is not None:
                declared.add(str(el.get("id")))
            elif tag == "edge":
                ends += [str(el.get("source")), str(el.get("target"))]
            el.clear()
    except ET.ParseError:
        return None  # the reader reports bad XML itself
    missing = [e for e in ends if e not in declared]
    if not missing:
        return None
    edges = sum(1 for i in range(0, len(ends), 2) if ends[i] not in declared or ends[i + 1] not in declared)
    return (f"{edges:,} edge(s) name {len(set(missing)):,} node(s) the file does not declare "
            f"(first: {missing[0]!r}); they were added as people, as Gephi does")  # fmt: skip


def read_gephi(
    paths: list[str | Path], *, fmt: str, kind: str = "follows", platform: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> GraphBatch:  # fmt: skip
    """Read GraphML (``fmt="graphml"``) or GEXF files into one batch."""
    batches = [read_graph_file(p, fmt=fmt, kind=kind, platform=platform, progress=progress) for p in paths]
    if len(batches) == 1:
        return batches[0]
    from loaders.merge import merge_batches

    return merge_batches(batches)


def read_graph_file(
    path: str | Path, *, fmt: str, kind: str = "follows", platform: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> GraphBatch:  # fmt: skip
    """One GraphML/GEXF file as a batch.

    >>> import io, networkx as nx
    >>> G = nx.DiGraph(); G.add_edge("ann", "bea", type="relays", count=3)
    >>> buf = io.BytesIO(); nx.write_graphml(G, buf)
    >>> b = read_graph_file(io.BytesIO(buf.getvalue()), fmt="graphml")
    >>> b.relays[["source", "target", "count"]].values.tolist()
    [['x:ann', 'x:bea', 3]]
    """
    import networkx as nx

    if kind not in EDGE_KINDS:
        raise LoadError(f"unknown edge kind {kind!r}; use one of {', '.join(EDGE_KINDS)}", path=str(path))
    shown = str(path) if isinstance(path, (str, Path)) else "<input>"
    if isinstance(path, (str, Path)):
        with open_binary(path) as f:
            data = f.read()
    else:
        data = path.read()
    data, undirected = (_graphml_as_listed if fmt == "graphml" else _gexf_as_listed)(data)
    reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    try:
        G = reader(io.BytesIO(data))
    except LoadError:
        raise
    except Exception as exc:  # networkx/expat raise many types for bad XML
        pos = getattr(exc, "position", None)
        raise LoadError(f"not valid {fmt.upper()}: {exc}", path=shown, line=pos[0] if pos else None) from None
    batch = graph_to_batch(G, shown, kind, platform or "x", undirected=undirected)
    if note := _undeclared_nodes(data):
        batch.notes.append(f"{shown}: {note}")
    if progress:
        progress(G.number_of_nodes() + G.number_of_edges())
    return batch


# -- export -------------------------------------------------------------------------
def write_graph(path: str | Path, people: pd.DataFrame, edges: dict[str, pd.DataFrame]) -> Path:
    """Write people and edge tables as GraphML (``.graphml``) or GEXF (``.gexf``).

    ``people`` has a ``pid`` column (plus any profile/score columns); ``edges``
    maps ``follows``/``relays``/``mentions`` to frames with ``source``,
    ``target`` and (optionally) ``count``. Edges whose ends are not in
    ``people`` are left out, so a shortlist's people give its subgraph.

    >>> import tempfile, os
    >>> people = pd.DataFrame({"pid": ["x:ann", "x:bea"], "handle": ["ann", "bea"], "score": [0.7, 0.2]})
    >>> out = write_graph(os.path.join(tempfile.mkdtemp(), "g.graphml"), people,
    ...                   {"relays": pd.DataFrame({"source": ["x:ann"], "target": ["x:bea"], "count": [3]})})
    >>> read_graph_file(out, fmt="graphml").relays["count"].tolist()
    [3]
    """
    import networkx as nx

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("graphml", "gexf"):
        raise ValueError(f"export to .graphml or .gexf, not {path.suffix or 'no suffix'!r}")
    G = nx.MultiDiGraph()
    for rec in people.to_dict("records"):
        G.add_node(rec["pid"], **_node_attrs(rec))
    n = 0
    for kind, frame in edges.items():
        if kind not in EDGE_KINDS:
            raise ValueError(f"unknown edge kind {kind!r}")
        counts = frame["count"] if "count" in frame else pd.Series(1, index=frame.index)
        for s, t, c in zip(frame["source"].tolist(), frame["target"].tolist(), counts.tolist(), strict=False):
            if s in G and t in G:
                attrs = {
                    "type" if fmt == "graphml" else "kind": kind,
                    "count": int(c),
                    "weight": float(c),
                    "label": kind,
                }
                G.add_edge(s, t, key=f"e{n}", **attrs)
                n += 1
    (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(G, path)
    return path


def _node_attrs(rec: dict) -> dict:
    out: dict[str, Any] = {}
    handle = rec.get("handle")
    if not isinstance(handle, str) or not handle:
        handle = str(rec["pid"]).partition(":")[2]
    out["label"] = out["handle"] = handle
    out["platform"] = (
        rec.get("platform") if isinstance(rec.get("platform"), str) else str(rec["pid"]).partition(":")[0]
    )
    for key, value in rec.items():
        if key in ("pid", "handle", "platform", "label") or key in TRACKING_COLUMNS and key != "stage":
            continue
        if isinstance(value, (list, tuple)):
            if value:
                out[key] = ";".join(map(str, value))
        elif (
            value is None
            or value is pd.NA
            or (isinstance(value, float) and math.isnan(value))
            or value is pd.NaT
        ):
            continue
        elif hasattr(value, "item"):  # numpy scalar
            out[key] = value.item()
        elif isinstance(value, (bool, int, float, str)):
            out[key] = value
        elif isinstance(value, pd.Timestamp):
            out[key] = value.isoformat()
    if "followers_count" in out:
        out["followers_count"] = int(out["followers_count"])
    for key in SCORE_COLUMNS:
        if key in out and isinstance(out[key], bool):
            out[key] = int(out[key])
    return out
