"""A graph read from a file (NetworkX multigraph, edges as listed) → a :class:`GraphBatch`.

Shared by every graph-file format (GraphML, GEXF, GML, Pajek, GDF, NodeXL):

* node → person. Key: a ``pid`` attribute, else a node id of the form
  ``x:…``/``bluesky:…``/``mastodon:…``, else platform (``platform`` attribute,
  ``--platform``, default ``x``) + handle (``handle`` attribute, else the ``label``,
  else the node id). A blank label (yEd writes one for an unlabelled shape) falls back
  to the node id, counted in the notes.
* node attributes: ``name`` (also ``full name``, ``display_name``), ``bio`` (also
  ``description``), ``followers_count`` (also ``followers``) and ``topics``
  (``;``-separated) fill the profile; layout and drawing attributes (``x``, ``y``,
  ``size``, ``color``, ``shape``…) and graph metrics (degree, PageRank, betweenness…
  which ``influence rank`` recomputes) are dropped and counted; **every other attribute
  is kept** in ``people.extra`` (``country``, ``party``, NodeXL's ``Followed``…).
* edge → its kind from a ``type``/``kind`` attribute (or the edge ``label``) that says
  ``follows``, ``relays`` or ``mentions``; without one, ``--kind`` (default follows).
  ``count`` (else ``weight``, rounded, at least 1) is the relays/mentions count. Other
  edge attributes are dropped and counted.
* undirected files: each edge is read **as listed**, source → target. The readers
  keep the listed direction (NetworkX would merge ``a–b`` and ``b–a``), so a file that
  lists each edge both ways keeps both; a note says the file was undirected.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import pandas as pd

from graph.model import EDGE_KINDS, SCORE_COLUMNS, GraphBatch, LoadError, normalize_handle
from loaders.base import finish_batch, split_tags
from loaders.extras import clean_extra, extra_count

__all__ = ["graph_to_batch", "KNOWN_PLATFORMS"]

KNOWN_PLATFORMS = ("x", "bluesky", "mastodon")
_ALIASES = {
    "name": ("name", "full name", "full_name", "fullname", "display_name", "displayname", "display name"),
    "bio": ("bio", "description"),
    "followers_count": ("followers_count", "followers", "followers count", "followerscount"),
}
_KEYS = {"pid", "handle", "label", "platform", "topics", "id"}
#: Drawing/layout attributes: not about the person, dropped.
DRAWING = {"x", "y", "z", "size", "r", "g", "b", "a", "color", "colour", "shape", "width", "height", "viz",
           "opacity", "visibility", "visible", "labelvisible", "label text color", "label font size",
           "label fill color", "label position", "image file", "layout order", "locked?", "polar r",
           "polar angle", "style", "tooltip", "dynamic filter", "add your own columns here", "fixed",
           "image", "font", "shape_type", "fill", "border"}  # fmt: skip
#: Graph metrics that ``influence rank`` recomputes: dropped.
METRICS = {m.lower() for m in SCORE_COLUMNS} | {
    "degree", "in-degree", "out-degree", "indegree", "outdegree", "betweenness centrality", "betweenness",
    "closeness centrality", "closeness", "eigenvector centrality", "eigencentrality", "clustering coefficient",
    "clustering", "reciprocated vertex pair ratio", "modularity_class", "weighted degree", "weighted indegree",
    "weighted outdegree", "eccentricity", "harmonic closeness centrality", "reciprocated?",
}  # fmt: skip


def graph_to_batch(
    G: Any, shown: str, default_kind: str, platform: str, *, undirected: bool = False
) -> GraphBatch:
    """People and edges of ``G`` (edges in ``G``'s order, direction as listed)."""
    if G.number_of_nodes() == 0:
        raise LoadError("the graph has no nodes", path=shown)
    dropped: Counter[str] = Counter()
    blank = 0
    pid_of, rows = {}, []
    for node, data in G.nodes(data=True):
        row, was_blank = _person(node, data, shown, platform, dropped)
        blank += was_blank
        pid_of[node] = row["pid"]
        rows.append(row)
    edges: dict[str, list] = {k: [] for k in EDGE_KINDS}
    for u, v, data in G.edges(data=True):
        k = _edge_kind(u, v, data, shown, default_kind)
        edges[k].append((pid_of[u], pid_of[v], _count(u, v, data, shown)))
        dropped.update(
            f"edge {a}"
            for a in data
            if a.lower() not in ("type", "kind", "label", "count", "weight", "id", "key")
        )
    b = GraphBatch(sources=[shown])
    b.people = pd.DataFrame(rows)
    b.follows = pd.DataFrame([e[:2] for e in edges["follows"]], columns=["source", "target"])
    b.relays = pd.DataFrame(edges["relays"], columns=["source", "target", "count"])
    b.mentions = pd.DataFrame(edges["mentions"], columns=["source", "target", "count"])
    b.notes.extend(_notes(shown, b.people, dropped, blank, undirected, G.number_of_edges()))
    return finish_batch(b)


def _notes(
    shown: str, people: pd.DataFrame, dropped: Counter, blank: int, undirected: bool, m: int
) -> list[str]:
    notes = []
    if undirected:
        notes.append(
            f"{shown}: the graph is undirected; each of its {m:,} edges was read as listed, source → target"
        )
    if blank:
        notes.append(f"{shown}: {blank:,} node(s) with a blank label, keyed by their node id")
    kept = extra_count(people)
    if kept:
        notes.append(
            f"{shown}: kept as extra person properties: " + ", ".join(f"{k} ({n:,})" for k, n in kept.items())
        )
    if dropped:
        notes.append(f"{shown}: dropped (drawing, layout, metrics recomputed by rank, edge attributes): "
                     + ", ".join(f"{k} ({n:,})" for k, n in sorted(dropped.items())))  # fmt: skip
    return notes


def _person(node: Any, data: dict, shown: str, platform: str, dropped: Counter) -> tuple[dict, bool]:
    where = f"node {node!r}"
    text = str(node)
    label = data.get("label")
    label = None if label is None or (isinstance(label, str) and not label.strip()) else label
    blank = "label" in data and label is None
    pid = data.get("pid")
    if not isinstance(pid, str) or ":" not in pid:
        prefix, _, rest = text.partition(":")
        if "handle" not in data and prefix in KNOWN_PLATFORMS and rest:
            pid = f"{prefix}:{normalize_handle(rest)}"
        else:
            plat = str(data.get("platform") or platform).strip().lower()
            plat = {"twitter": "x"}.get(plat, plat)
            handle = data.get("handle") or (label if label not in (None, text) else text)
            handle = normalize_handle(str(handle))
            if not handle or not plat:
                raise LoadError(
                    "has an empty handle (and an empty node id)", path=shown, field=f"{where}.handle"
                )
            pid = f"{plat}:{handle}"
    plat, _, handle = pid.partition(":")
    row: dict = {"pid": pid, "platform": plat, "handle": handle}
    fields, extra = _fields(data, dropped)
    for key in ("name", "bio"):
        if fields.get(key) not in (None, ""):
            row[key] = str(fields[key])
    if "name" not in row and label not in (None, text) and normalize_handle(str(label)) != handle:
        row["name"] = str(label)  # Gephi shows the label; with a handle attribute it is the display name
    if fields.get("followers_count") not in (None, ""):
        row["followers_count"] = _whole(fields["followers_count"], shown, f"{where}.followers_count")
    if data.get("topics"):
        row["topics"] = split_tags(pd.Series([str(data["topics"])])).iloc[0]
    row["extra"] = clean_extra(extra)
    return row, blank


def _fields(data: dict, dropped: Counter) -> tuple[dict, dict]:
    """(profile fields by our names, extra attributes); drawing/metric attributes are counted."""
    fields, extra = {}, {}
    for key, value in data.items():
        low = str(key).strip().lower()
        ours = next((k for k, names in _ALIASES.items() if low in names), None)
        if ours is not None and ours not in fields:
            fields[ours] = value
        elif low in _KEYS:
            continue
        elif low in DRAWING or low in METRICS or low.startswith(("viz", "y:", "label ")):
            dropped[str(key)] += 1
        else:
            extra[str(key)] = value.item() if hasattr(value, "item") else value
    return fields, extra


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
