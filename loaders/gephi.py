"""GraphML and GEXF, both ways (Gephi, yEd, Cytoscape, NetworkX), via networkx.

**Import** (``--format graphml`` / ``--format gexf``; read whole, not streamed):

* node → person. Key: a ``pid`` attribute, else a node id of the form
  ``x:…``/``bluesky:…``/``mastodon:…``, else platform (``platform`` attribute,
  ``--platform``, default ``x``) + handle (``handle`` attribute, else the
  ``label``, else the node id). Attributes ``name``, ``bio``,
  ``followers_count`` and ``topics`` (``;``-separated) are read; score columns
  are not (``influence rank`` recomputes them).
* edge → its kind from a ``type`` or ``kind`` attribute (or the edge ``label``)
  that says ``follows``, ``relays`` or ``mentions``; without one, ``--kind``
  (default follows). ``count`` (else ``weight``, rounded, at least 1) is the
  relays/mentions count. An undirected graph is read edge by edge as given.

**Export** (:func:`write_graph`): nodes keyed by pid with ``label`` = handle,
``handle``, ``platform``, ``name``, ``bio``, ``followers_count``, ``topics`` and
every score column present; one edge per (pair, kind) with ``type`` (GraphML) or
``kind`` (GEXF, where ``type`` is reserved for direction), ``count``, ``weight``
= count and ``label`` = kind, so Gephi can filter and size by them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from graph.model import EDGE_KINDS, SCORE_COLUMNS, TRACKING_COLUMNS, GraphBatch, LoadError, normalize_handle
from loaders.base import finish_batch, open_binary, split_tags

__all__ = ["read_graph_file", "read_gephi", "write_graph", "KNOWN_PLATFORMS"]

KNOWN_PLATFORMS = ("x", "bluesky", "mastodon")
_NODE_TEXT = ("name", "bio")


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
    reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    try:
        if isinstance(path, (str, Path)):
            with open_binary(path) as f:
                G = reader(f)
        else:
            G = reader(path)
    except LoadError:
        raise
    except Exception as exc:  # networkx/expat raise many types for bad XML
        pos = getattr(exc, "position", None)
        raise LoadError(f"not valid {fmt.upper()}: {exc}", path=shown, line=pos[0] if pos else None) from None
    batch = _to_batch(G, shown, kind, platform or "x")
    if progress:
        progress(G.number_of_nodes() + G.number_of_edges())
    return batch


def _to_batch(G: Any, shown: str, default_kind: str, platform: str) -> GraphBatch:
    if G.number_of_nodes() == 0:
        raise LoadError("the graph has no nodes", path=shown)
    pid_of, rows = {}, []
    for node, data in G.nodes(data=True):
        row = _person(node, data, shown, platform)
        pid_of[node] = row["pid"]
        rows.append(row)
    edges: dict[str, list] = {k: [] for k in EDGE_KINDS}
    for u, v, data in G.edges(data=True):
        k = _edge_kind(u, v, data, shown, default_kind)
        edges[k].append((pid_of[u], pid_of[v], _count(u, v, data, shown)))
    b = GraphBatch(sources=[shown])
    b.people = pd.DataFrame(rows)
    b.follows = pd.DataFrame([e[:2] for e in edges["follows"]], columns=["source", "target"])
    b.relays = pd.DataFrame(edges["relays"], columns=["source", "target", "count"])
    b.mentions = pd.DataFrame(edges["mentions"], columns=["source", "target", "count"])
    if not G.is_directed():
        b.notes.append(f"{shown}: the graph is undirected; each edge was read as source → target")
    return finish_batch(b)


def _person(node: Any, data: dict, shown: str, platform: str) -> dict:
    where = f"node {node!r}"
    pid = data.get("pid")
    if not isinstance(pid, str) or ":" not in pid:
        text = str(node)
        prefix, _, rest = text.partition(":")
        if "handle" not in data and prefix in KNOWN_PLATFORMS and rest:
            pid = f"{prefix}:{normalize_handle(rest)}"
        else:
            plat = str(data.get("platform") or platform).strip().lower()
            plat = {"twitter": "x"}.get(plat, plat)
            label = data.get("label")
            handle = data.get("handle") or (label if label not in (None, "", text) else text)
            handle = normalize_handle(str(handle))
            if not handle or not plat:
                raise LoadError("has an empty handle", path=shown, field=f"{where}.handle")
            pid = f"{plat}:{handle}"
    plat, _, handle = pid.partition(":")
    row: dict = {"pid": pid, "platform": plat, "handle": handle}
    for key in _NODE_TEXT:
        if data.get(key) not in (None, ""):
            row[key] = str(data[key])
    label = data.get("label")
    if "name" not in row and label not in (None, "", str(node)) and normalize_handle(str(label)) != handle:
        row["name"] = str(label)  # Gephi shows the label; with a handle attribute it is the display name
    if data.get("followers_count") not in (None, ""):
        row["followers_count"] = _whole(data["followers_count"], shown, f"{where}.followers_count")
    if data.get("topics"):
        row["topics"] = split_tags(pd.Series([str(data["topics"])])).iloc[0]
    return row


def _edge_kind(u: Any, v: Any, data: dict, shown: str, default: str) -> str:
    for key in ("type", "kind", "label"):
        value = data.get(key)
        if value is None or value == "":
            continue
        text = str(value).strip().lower()
        if text in EDGE_KINDS:
            return text
        if key != "label":
            raise LoadError(f"{value!r} is not one of {', '.join(EDGE_KINDS)}", path=shown,
                            field=f"edge {u!r}->{v!r}.{key}")  # fmt: skip
    return default


def _count(u: Any, v: Any, data: dict, shown: str) -> int:
    for key in ("count", "weight"):
        if data.get(key) not in (None, ""):
            n = _whole(data[key], shown, f"edge {u!r}->{v!r}.{key}", rounding=True)
            return max(1, n)
    return 1


def _whole(value: Any, shown: str, field: str, *, rounding: bool = False) -> int:
    try:
        x = float(value)
    except (TypeError, ValueError):
        x = math.nan
    if not math.isfinite(x) or x < 0 or (not rounding and not x.is_integer()):
        raise LoadError(f"{value!r} is not a whole number >= 0", path=shown, field=field)
    return int(round(x))


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
