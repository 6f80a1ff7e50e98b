"""The pyvis network the app embeds: a self-contained HTML page, no streamlit.

Positions are precomputed (igraph Fruchterman-Reingold, seeded) and physics is
off, so 1,000 nodes stay responsive in the browser (ANCHORS: vis.js with
physics on never settles past ~1,000). pyvis's Bootstrap CDN tags are removed. vis.js
(vis-network 9.1.2, Apache-2.0 / MIT, as installed with pyvis: :func:`vis_assets`) is
either inlined (~0.7 MB per page: it works anywhere, offline) or, given ``assets``, loaded
from a URL the app serves it at, so the browser fetches it once and each drawing carries
only its data.
"""

from __future__ import annotations

import json
import random
import re
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "PALETTE", "EDGE_STYLE", "SELECTED", "UNKNOWN", "community_color", "layout", "legend_entries", "legend_html",
    "network_html", "vis_assets", "VIS_FILES",
]  # fmt: skip

#: Community colours (cycled): Tableau's palettes without reds, pinks and greys, which mean
#: something else here (red: relay edges; grey: no community; the selected person: a black ring).
PALETTE = (
    "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#a0cbe8",
    "#ffbe7d", "#8cd17d", "#d4a6c8", "#86bcb6", "#b6992d", "#499894", "#d7b5a6",
)  # fmt: skip
UNKNOWN = "#cccccc"
#: Edge styles by kind: follows thin grey, relays thick red, mentions dashed blue.
EDGE_STYLE: dict[str, dict] = {
    "follows": {"color": "rgba(150,150,150,0.35)", "width": 0.6},
    "relays": {"color": "rgba(214,39,40,0.8)", "width": 1.6},
    "mentions": {"color": "rgba(31,119,180,0.65)", "width": 1.0, "dashes": True},
    "replies": {"color": "rgba(148,103,189,0.6)", "width": 1.0, "dashes": [2, 4]},
}
#: The selected person: a thick black ring and a bigger label (never a colour a community has).
SELECTED = {"border": "#111111", "width": 6, "label_scale": 1.35}
#: On-screen size of labels, in pixels, when the whole network fits the frame.
LABEL_PX = 13


def community_color(c: object) -> str:
    """A stable colour per community id (grey when unknown).

    >>> community_color(0), community_color(16), community_color(None)
    ('#4e79a7', '#f28e2b', '#cccccc')
    """
    if c is None or (isinstance(c, float) and np.isnan(c)) or c is pd.NA:
        return UNKNOWN
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
    start, so the same people and edges always land in the same place, in whatever
    order the edges come (a store returns them in a different order from one read to
    the next). Past 300 nodes the grid variant keeps it under ~0.2 s for 1,000 nodes.

    >>> e = pd.DataFrame({"source": ["a", "c"], "target": ["b", "a"]})
    >>> xy = layout(["a", "b", "c"], e)
    >>> xy.shape, bool((layout(["a", "b", "c"], e[::-1]) == xy).all())
    ((3, 2), True)
    """
    import igraph as ig

    if not pids:
        return np.zeros((0, 2))
    index = pd.Index(pids)
    if index.is_unique:  # vectorised: iterating arrow-backed string columns costs ~5 µs an item
        s, t = index.get_indexer(edges["source"]), index.get_indexer(edges["target"])
        keep = (s >= 0) & (t >= 0) & (s != t)
        pairs = list(zip(s[keep].tolist(), t[keep].tolist(), strict=True))
    else:
        pos = {p: i for i, p in enumerate(pids)}
        pairs = [
            (pos[s], pos[t])
            for s, t in zip(edges["source"].tolist(), edges["target"].tolist(), strict=True)
            if s in pos and t in pos and s != t
        ]
    pairs.sort()  # the edges' order changes igraph's arithmetic, hence the picture
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


def _title(row: Mapping[str, object], size_by: str, color_by: str, names: Mapping[int, str] | None = None) -> str:
    lines = [f"@{row.get('handle', row['pid'])}"]
    if isinstance(row.get("name"), str) and row["name"]:
        lines.append(str(row["name"]))
    for key in dict.fromkeys(["score", size_by, color_by]):
        v = _num(row.get(key))
        if not np.isnan(v) and key != "community":
            lines.append(f"{key}: {v:,.4g}")
    c = _num(row.get("community"))
    if not np.isnan(c):
        lines.append(f"community: {(names or {}).get(int(c), int(c))}")
    return "\n".join(lines)


def _labelled(size: np.ndarray, xy: np.ndarray, texts: list[str], font: float, radius: np.ndarray) -> np.ndarray:
    """Which nodes carry a label: the biggest first, skipping any whose label would cover
    one already placed (labels sit under their node, about 0.6 ``font`` per character),
    at most 40 and at least the 15 biggest's worth of tries; everyone keeps a hover title.

    >>> xy = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 500.0]])
    >>> _labelled(np.array([3.0, 2.0, 1.0]), xy, ["aaaa", "bbbb", "cccc"], 20.0, np.zeros(3)).tolist()
    [True, False, True]
    """
    out = np.zeros(len(size), bool)
    if not len(size):
        return out
    want = min(len(size), max(15, min(40, len(size) // 8)))
    boxes: list[tuple[float, float, float, float]] = []
    for i in np.argsort(-size, kind="stable"):
        half = 0.3 * font * max(len(texts[i]), 1)
        top = xy[i, 1] + radius[i]
        box = (xy[i, 0] - half, xy[i, 0] + half, top, top + 1.2 * font)
        if any(b[0] < box[1] and box[0] < b[1] and b[2] < box[3] and box[2] < b[3] for b in boxes):
            continue
        boxes.append(box)
        out[i] = True
        if len(boxes) == want:
            break
    return out


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
    community_names: Mapping[int, str] | None = None,
    legend: bool = True,
    clickable: bool = False,
    assets: str | None = None,
) -> str:
    """A pyvis page: positions precomputed (igraph Fruchterman-Reingold, seeded), physics
    off so it stays responsive; vis.js inlined (self-contained, works offline) or, with
    ``assets`` (a URL folder, ending in ``/``, that serves :data:`VIS_FILES`), loaded from there.

    Node size is ``size_by`` (percentile within the drawn set), colour is the
    community or the ``color_by`` metric's percentile; ``highlight`` pids get a
    black ring (:data:`SELECTED`) and ``brokers`` a diamond. The biggest nodes carry a
    label sized to stay readable when the whole network fits the frame; every node has a
    hover title. ``positions`` (from :func:`layout` on the same people, in order) saves
    recomputing the layout when only colours change. ``legend`` adds a key in the corner
    (:func:`legend_html`). The page defines ``influenceSelect(pids)`` (ring other people
    without redrawing) and posts ``{type: "influence:click", pid}`` to its parent when a
    node is clicked (the app's clickable network listens; ``clickable`` says so in the legend).

    >>> p = pd.DataFrame({"pid": ["x:a", "x:b"], "handle": ["a", "b"], "score": [1.0, 2.0], "community": [0, 1]})
    >>> e = pd.DataFrame({"source": ["x:a"], "target": ["x:b"], "kind": ["relays"], "weight": [3.0]})
    >>> page = network_html(p, e, highlight=["x:b"])
    >>> '"physics": {"enabled": false' in page, "bootstrap" in page, page.count('"id": "x:')
    (True, False, 2)
    >>> 'influenceSelect(["x:b"])' in page, 'id="legend"' in page
    (True, True)
    >>> small = network_html(p, e, assets="../vis/")
    >>> '<script src="../vis/vis-network.min.js"></script>' in small, "cdnjs" in small, len(small) < len(page) // 4
    (True, False, True)
    """
    people = people.drop_duplicates("pid").reset_index(drop=True)
    pids = people["pid"].astype(str).tolist()
    highlight = list(highlight)
    xy = layout(pids, edges, seed=seed) if positions is None else np.asarray(positions)
    # world units per screen pixel once vis.js fits the layout into the frame's height
    k = (2 * float(np.abs(xy).max()) + 80) / height if len(xy) else 1.0
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
    br = set(brokers)
    font_px = round(LABEL_PX * k, 1)
    font = {"size": font_px, "strokeWidth": round(4 * k, 1), "strokeColor": "#ffffff"}
    handles = [str(h) if isinstance(h, str) and h else p for h, p in zip(people.get("handle", pids), pids, strict=True)]
    radius = (3 + 12 * size**2) * k
    labelled = _labelled(size, xy, handles, font_px, radius)
    net = _network(
        height=f"{height}px", width="100%", directed=True, cdn_resources="remote" if assets else "in_line",
        bgcolor="#ffffff",
    )
    for i, row in enumerate(people.to_dict("records")):
        pid = pids[i]
        handle = handles[i]
        node = {
            "id": pid, "label": handle if labelled[i] else " ", "handle": handle,
            "title": _title(row, size_by, color_by, community_names),
            "x": float(xy[i, 0]), "y": float(xy[i, 1]), "size": round(float(radius[i]), 2),
            "color": {"background": colors[i], "border": "#444444"}, "borderWidth": 1,
            "shape": "diamond" if pid in br else "dot", "font": font,
        }  # fmt: skip
        net.nodes.append(node)
        net.node_ids.append(pid)
        net.node_map[pid] = node
    # a follow is drawn with the page's default edge style (set once in the options, not on
    # each edge: on ego-Twitter's top 200 that is 5,400 edges and 660 kB -> 230 kB per drawing)
    plain = EDGE_STYLE["follows"]
    scale = max(1.0, k * 0.6)
    columns = (edges[c].tolist() for c in ("source", "target", "kind", "weight"))
    for s, t, kind, w in zip(*columns, strict=True):
        if kind == "follows" or kind not in EDGE_STYLE:
            net.edges.append({"from": s, "to": t})
            continue
        style = EDGE_STYLE[kind]
        width = style["width"] * (1 + np.log1p(max(float(w), 1.0) - 1))
        edge = {"from": s, "to": t, "color": style["color"], "width": round(width * scale, 2),
                "title": f"{kind} ×{w:g}"}  # fmt: skip
        if style.get("dashes"):
            edge["dashes"] = style["dashes"]
        net.edges.append(edge)
    edge_defaults = dict(_OPTIONS["edges"], color=plain["color"], width=round(plain["width"] * scale, 2))  # type: ignore[call-overload]
    options = {**_OPTIONS, "edges": edge_defaults}
    net.set_options(json.dumps(options))
    key = legend_html(legend_entries(people, edges, color_by=color_by, size_by=size_by, brokers=br,
                                     names=community_names, clickable=clickable,
                                     selected=bool(highlight))) if legend else ""  # fmt: skip
    script = _SELECT_JS.replace("__SELECTED__", json.dumps({**SELECTED, "font": font})).replace(
        "__INITIAL__", json.dumps([p for p in dict.fromkeys(highlight) if p in net.node_map])
    )
    page = _offline(net.generate_html())
    if assets:
        page = _served(page, assets)
    return page.replace("</body>", f"{key}<script>{script}</script>\n</body>", 1)


# -- the legend ------------------------------------------------------------------------------
def legend_entries(
    people: pd.DataFrame,
    edges: pd.DataFrame,
    *,
    color_by: str = "community",
    size_by: str = "score",
    brokers: Iterable[str] = (),
    names: Mapping[int, str] | None = None,
    clickable: bool = False,
    selected: bool = False,
    top: int = 8,
) -> list[tuple[str, str, str]]:
    """What the drawing's marks mean, as ``(kind, style, text)`` rows: ``dot`` (a colour),
    ``ramp``, ``ring``, ``diamond``, ``edge`` (a colour, ``dash:`` first when dashed) and
    ``note``. Communities: the ``top`` largest among those drawn, with their names; the
    ring when people can be selected (``clickable``) or one is (``selected``).

    >>> p = pd.DataFrame({"pid": list("abc"), "community": [0, 0, 3], "score": [1, 2, 3]})
    >>> e = pd.DataFrame({"source": ["a"], "target": ["b"], "kind": ["relays"], "weight": [1.0]})
    >>> [t for _, _, t in legend_entries(p, e, names={0: "#latteart"})]
    ['#latteart · 2 people', 'community 3 · 1 person', 'relays (thicker: more)', 'size: score']
    >>> [t for _, _, t in legend_entries(p, e, clickable=True)][2:3]
    ['black ring: the selected person']
    """
    rows: list[tuple[str, str, str]] = []
    if color_by == "community" and "community" in people:
        counts = people["community"].value_counts()
        names = names or {}
        for c, n in counts.head(top).items():
            label = names.get(int(c), f"community {int(c)}")
            rows.append(("dot", community_color(c), f"{label} · {n:,} {'person' if n == 1 else 'people'}"))
        if len(counts) > top:
            rows.append(("note", "", f"+ {len(counts) - top:,} smaller communities ({int(counts.iloc[top:].sum()):,} people)"))
        if people["community"].isna().any():
            rows.append(("dot", UNKNOWN, "no community"))
    elif color_by in people:
        rows.append(("ramp", "", f"colour: {color_by} (low → high)"))
    if clickable or selected:
        rows.append(("ring", str(SELECTED["border"]), "black ring: the selected person"))
    if set(brokers) & set(people["pid"]):
        rows.append(("diamond", "#666666", "broker between communities"))
    kinds = set(edges["kind"]) if len(edges) else set()
    words = {"follows": "follows", "relays": "relays (thicker: more)", "mentions": "mentions", "replies": "replies"}
    for kind in ("follows", "relays", "mentions", "replies"):
        if kind in kinds:
            style = EDGE_STYLE[kind]
            rows.append(("edge", ("dash:" if style.get("dashes") else "") + str(style["color"]), words[kind]))
    rows.append(("note", "", f"size: {size_by}"))
    if clickable:
        rows.append(("note", "", "click a person to select them"))
    return rows


def legend_html(rows: list[tuple[str, str, str]]) -> str:
    """The legend as a small folding box in the drawing's top-left corner.

    >>> "community 1" in legend_html([("dot", "#4e79a7", "community 1")])
    True
    """
    from html import escape

    ramp = ", ".join(_ramp(x) for x in np.linspace(0, 1, 5))
    marks = {
        "dot": '<span style="display:inline-block;width:11px;height:11px;border-radius:50%;background:{s};'
        'border:1px solid #444"></span>',
        "ring": '<span style="display:inline-block;width:9px;height:9px;border-radius:50%;background:#fff;'
        'border:3px solid {s}"></span>',
        "diamond": '<span style="display:inline-block;width:9px;height:9px;background:{s};transform:rotate(45deg);'
        'margin:0 1px"></span>',
        "ramp": f'<span style="display:inline-block;width:36px;height:10px;background:linear-gradient(90deg,{ramp})">'
        "</span>",
    }  # fmt: skip
    items = []
    for kind, style, text in rows:
        if kind == "edge":
            dashed = style.startswith("dash:")
            color = style.removeprefix("dash:")
            mark = f'<span style="display:inline-block;width:22px;border-top:3px {"dashed" if dashed else "solid"} {color};vertical-align:middle"></span>'  # fmt: skip
        elif kind == "note":
            mark = ""
        else:
            mark = marks[kind].format(s=style)
        items.append(f'<div class="lg">{mark} {escape(text)}</div>' if mark else f'<div class="lg note">{escape(text)}</div>')
    return (
        '<details id="legend" open style="position:absolute;top:8px;left:8px;z-index:5;max-width:270px;'
        "max-height:55%;overflow:auto;background:rgba(255,255,255,0.93);border:1px solid #ddd;border-radius:6px;"
        'padding:4px 8px;font:12px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;color:#222">'
        '<summary style="cursor:pointer;font-weight:600">Legend</summary>'
        "<style>#legend .lg span{margin-right:5px}#legend .note{color:#666}</style>"
        + "".join(items)
        + "</details>"
    )  # fmt: skip


#: Runs after pyvis's drawGraph(): ring the selected people without redrawing, report clicks.
_SELECT_JS = """
(function () {
  var STYLE = __SELECTED__, ringed = {};
  window.influenceSelect = function (pids) {
    pids = (pids || []).filter(function (p) { return nodes.get(p); });
    var updates = [], keep = {};
    pids.forEach(function (p) { keep[p] = true; });
    Object.keys(ringed).forEach(function (p) {
      if (!keep[p]) { updates.push(ringed[p]); delete ringed[p]; }
    });
    pids.forEach(function (p) {
      if (ringed[p]) return;
      var n = nodes.get(p);
      ringed[p] = {id: p, color: n.color, borderWidth: n.borderWidth, label: n.label, font: n.font};
      var font = Object.assign({}, STYLE.font, {size: STYLE.font.size * STYLE.label_scale, color: "#000000"});
      updates.push({id: p, color: {background: n.color.background, border: STYLE.border,
                    highlight: {background: n.color.background, border: STYLE.border}},
                    borderWidth: STYLE.width, label: n.handle, font: font});
    });
    if (updates.length) nodes.update(updates);
    network.selectNodes(pids, false);  // vis draws selected nodes last: the ring stays on top
    window.influenceSelected = pids;
  };
  network.on("click", function (params) {
    if (params.nodes.length) {
      influenceSelect([params.nodes[0]]);  // at once; the app confirms
      window.parent.postMessage({type: "influence:click", pid: params.nodes[0]}, "*");
    }
  });
  var frame = document.getElementById("mynetwork");
  network.on("hoverNode", function () { frame.style.cursor = "pointer"; });
  network.on("blurNode", function () { frame.style.cursor = "default"; });
  // the legend covers the top-left corner: slide the drawing right into the free width
  network.once("afterDrawing", function () {
    var legend = document.getElementById("legend"), pos = network.getPositions();
    var xs = Object.keys(pos).map(function (p) { return pos[p].x; });
    if (!legend || !legend.open || !xs.length) { return; }
    var room = legend.getBoundingClientRect().right + 12;
    var left = network.canvasToDOM({x: Math.min.apply(null, xs), y: 0}).x;
    var right = network.canvasToDOM({x: Math.max.apply(null, xs), y: 0}).x;
    var shift = Math.min(room - left, frame.clientWidth - 40 - right);
    if (shift > 0) { network.moveTo({position: network.getViewPosition(), offset: {x: shift, y: 0}}); }
  });
  influenceSelect(__INITIAL__);
})();
"""


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
    "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True, "navigationButtons": False,
                    "selectConnectedEdges": False},
    "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.35}}, "chosen": False},
    "nodes": {"chosen": False},  # the selected person's only mark is the black ring
}


#: The vis-network files a page with ``assets`` loads (from :func:`vis_assets`).
VIS_FILES = ("vis-network.min.js", "vis-network.css")


def vis_assets() -> Path:
    """The folder of pyvis's own copy of vis-network (the files :data:`VIS_FILES`), which
    an app serves as static files instead of inlining them in every drawing.

    >>> all((vis_assets() / f).is_file() for f in VIS_FILES)
    True
    """
    import pyvis

    return Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"


def _served(page: str, assets: str) -> str:
    """Point pyvis's remote (cdnjs) vis-network tags at ``assets`` instead."""
    css = f'<link rel="stylesheet" href="{assets}{VIS_FILES[1]}" />'
    js = f'<script src="{assets}{VIS_FILES[0]}"></script>'
    page, n_css = re.subn(r"<link[^>]*cdnjs[^>]*vis-network[^>]*/>", lambda _: css, page, count=1, flags=re.S)
    page, n_js = re.subn(r"<script[^>]*cdnjs[^>]*vis-network[^>]*>\s*</script>", lambda _: js, page, count=1, flags=re.S)
    if (n_css, n_js) != (1, 1) or "cdnjs" in page:
        raise RuntimeError("pyvis's page template changed: cannot point it at the served vis-network files")
    return page


def _offline(page: str) -> str:
    """Drop pyvis's Bootstrap CDN tags and empty headings (nothing is fetched)."""
    page = re.sub(r"<link[^>]*bootstrap[^>]*/>", "", page, flags=re.S)
    page = re.sub(r"<script[^>]*bootstrap[^>]*>\s*</script>", "", page, flags=re.S)
    page = re.sub(r"<center>\s*<h1>\s*</h1>\s*</center>", "", page)
    return page
