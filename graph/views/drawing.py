"""The pyvis network the app embeds: a self-contained HTML page, no streamlit.

Positions are precomputed (igraph Fruchterman-Reingold, seeded) and physics is
off, so 1,000 nodes stay responsive in the browser (ANCHORS: vis.js with
physics on never settles past ~1,000). vis.js is inlined and pyvis's Bootstrap
CDN tags are removed, so nothing is fetched and it works offline.
"""

from __future__ import annotations

import json
import random
import re
import threading
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

__all__ = ["PALETTE", "EDGE_STYLE", "community_color", "layout", "network_html"]

#: Tableau-20 colours for communities (cycled).
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip
EDGE_STYLE = {
    "follows": {"color": "rgba(150,150,150,0.35)", "width": 0.6},
    "relays": {"color": "rgba(225,87,89,0.75)", "width": 1.6},
    "mentions": {"color": "rgba(78,121,167,0.6)", "width": 1.0},
}


def community_color(c: object) -> str:
    """A stable colour per community id (grey when unknown).

    >>> community_color(0), community_color(21), community_color(None)
    ('#4e79a7', '#f28e2b', '#cccccc')
    """
    if c is None or (isinstance(c, float) and np.isnan(c)) or c is pd.NA:
        return "#cccccc"
    return PALETTE[int(c) % len(PALETTE)]  # type: ignore[call-overload]


def _ramp(x: float) -> str:
    """Light yellow -> dark purple for x in [0, 1] (viridis-like, reversed)."""
    stops = [(253, 231, 37), (94, 201, 98), (33, 145, 140), (59, 82, 139), (68, 1, 84)]
    x = min(max(float(x), 0.0), 1.0) * (len(stops) - 1)
    i = min(int(x), len(stops) - 2)
    a, b, t = stops[i], stops[i + 1], x - i
    return "#" + "".join(f"{round(a[k] + (b[k] - a[k]) * t):02x}" for k in range(3))


_RANDOM = threading.Lock()


def layout(pids: list[str], edges: pd.DataFrame, *, seed: int = 0) -> np.ndarray:
    """Node positions (one ``x, y`` row per pid), Fruchterman-Reingold from a seeded
    start, so the same people and edges always land in the same place. Past 300
    nodes the grid variant keeps it under ~0.2 s for 1,000 nodes.

    >>> e = pd.DataFrame({"source": ["a"], "target": ["b"]})
    >>> xy = layout(["a", "b", "c"], e)
    >>> xy.shape, bool((layout(["a", "b", "c"], e) == xy).all())
    ((3, 2), True)
    """
    import igraph as ig

    if not pids:
        return np.zeros((0, 2))
    pos = {p: i for i, p in enumerate(pids)}
    pairs = [
        (pos[s], pos[t])
        for s, t in zip(edges["source"], edges["target"], strict=True)
        if s in pos and t in pos and s != t
    ]
    g = ig.Graph(n=len(pids), edges=pairs)
    start = np.random.default_rng(seed).uniform(-1, 1, size=(len(pids), 2)).tolist()
    with _RANDOM:  # igraph draws from Python's `random`: seed it, then restore (one thread at a time)
        saved = random.getstate()
        random.seed(seed)
        try:
            xy = np.array(g.layout_fruchterman_reingold(seed=start, niter=300, grid=len(pids) > 300).coords)
        finally:
            random.setstate(saved)
    xy = xy - np.median(xy, axis=0)
    r = np.hypot(xy[:, 0], xy[:, 1])
    cap = 1.15 * np.percentile(r, 95) if len(r) > 20 else r.max()
    xy = xy * np.minimum(1.0, cap / np.maximum(r, 1e-9))[:, None]  # pull far-off islands in
    return xy / (np.abs(xy).max() or 1.0) * (120 + 40 * np.sqrt(len(pids)))


def _num(x: object) -> float:
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")
    return v


def _title(row: Mapping[str, object], size_by: str, color_by: str) -> str:
    lines = [f"@{row.get('handle', row['pid'])}"]
    if isinstance(row.get("name"), str) and row["name"]:
        lines.append(str(row["name"]))
    for key in dict.fromkeys(["score", size_by, color_by, "community"]):
        v = _num(row.get(key))
        if not np.isnan(v):
            lines.append(f"{key}: {v:,.4g}")
    return "\n".join(lines)


def network_html(
    people: pd.DataFrame,
    edges: pd.DataFrame,
    *,
    color_by: str = "community",
    size_by: str = "score",
    highlight: Iterable[str] = (),
    brokers: Iterable[str] = (),
    height: int = 700,
    seed: int = 0,
    positions: np.ndarray | None = None,
) -> str:
    """A self-contained pyvis page: positions precomputed (igraph Fruchterman-Reingold,
    seeded), physics off so it stays responsive, vis.js inlined (works offline).

    Node size is ``size_by`` (percentile within the drawn set), colour is the
    community or the ``color_by`` metric's percentile; ``highlight`` pids get a
    thick red border and ``brokers`` a diamond shape. Only the biggest tenth (at
    least 25) and the highlighted carry a label; every node has a hover title. ``positions`` (from
    :func:`layout` on the same people, in order) saves recomputing the layout when
    only colours or highlights change. pyvis sends no click events back to
    Python: the app picks people with a search box instead.

    >>> p = pd.DataFrame({"pid": ["x:a", "x:b"], "handle": ["a", "b"], "score": [1.0, 2.0], "community": [0, 1]})
    >>> e = pd.DataFrame({"source": ["x:a"], "target": ["x:b"], "kind": ["relays"], "weight": [3.0]})
    >>> page = network_html(p, e, highlight=["x:b"])
    >>> '"physics": {"enabled": false' in page, "bootstrap" in page, page.count('"id": "x:')
    (True, False, 2)
    """
    people = people.drop_duplicates("pid").reset_index(drop=True)
    pids = people["pid"].astype(str).tolist()
    xy = layout(pids, edges, seed=seed) if positions is None else np.asarray(positions)
    size = (
        people[size_by].rank(pct=True).fillna(0).to_numpy()
        if size_by in people
        else np.full(len(people), 0.5)
    )
    if color_by != "community" and color_by in people:
        shade = people[color_by].rank(pct=True).fillna(0).to_numpy()
        colors = [_ramp(s) for s in shade]
    else:
        colors = [community_color(c) for c in people.get("community", pd.Series([None] * len(people)))]
    hi, br = set(highlight), set(brokers)
    labelled = (
        size >= np.sort(size)[::-1][min(len(size), max(25, len(size) // 10)) - 1] if len(size) else size
    )
    net = _network(
        height=f"{height}px", width="100%", directed=True, cdn_resources="in_line", bgcolor="#ffffff"
    )
    for i, row in enumerate(people.to_dict("records")):
        pid = pids[i]
        node = {
            "id": pid, "label": str(row.get("handle") or pid) if labelled[i] or pid in hi else " ",
            "title": _title(row, size_by, color_by),
            "x": float(xy[i, 0]), "y": float(xy[i, 1]), "size": 4 + 18 * float(size[i]) ** 2,
            "color": {"background": colors[i], "border": "#d62728" if pid in hi else "#444444"},
            "borderWidth": 5 if pid in hi else 1, "shape": "diamond" if pid in br else "dot",
            "font": {"size": 22 if pid in hi else 15},
        }  # fmt: skip
        net.nodes.append(node)
        net.node_ids.append(pid)
        net.node_map[pid] = node
    for s, t, kind, w in zip(edges["source"], edges["target"], edges["kind"], edges["weight"], strict=True):
        style = EDGE_STYLE.get(kind, EDGE_STYLE["follows"])
        width = (
            style["width"] * (1 + np.log1p(max(float(w), 1.0) - 1)) if kind != "follows" else style["width"]
        )
        net.edges.append(
            {"from": s, "to": t, "color": style["color"], "width": width, "title": f"{kind} ×{w:g}"}
        )
    net.set_options(json.dumps(_OPTIONS))
    return _offline(net.generate_html())


_ENV: list = []


def _network(**kwargs):
    """A pyvis Network sharing one Jinja environment, so its template (with vis.js
    inlined) is compiled once per process instead of on every drawing."""
    from pyvis.network import Network

    net = Network(**kwargs)
    if not _ENV:
        _ENV.append(net.templateEnv)
    net.templateEnv = _ENV[0]
    return net


_OPTIONS = {
    "physics": {"enabled": False, "stabilization": {"enabled": False}},
    "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True, "navigationButtons": False},
    "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.35}}},
    "nodes": {"borderWidthSelected": 4},
}


def _offline(page: str) -> str:
    """Drop pyvis's Bootstrap CDN tags and empty headings (nothing is fetched)."""
    page = re.sub(r"<link[^>]*bootstrap[^>]*/>", "", page, flags=re.S)
    page = re.sub(r"<script[^>]*bootstrap[^>]*>\s*</script>", "", page, flags=re.S)
    page = re.sub(r"<center>\s*<h1>\s*</h1>\s*</center>", "", page)
    return page
