"""Turning ad-hoc Cypher results into a readable table and, when nodes or
relationships come back, a network.

LadybugDB returns nodes as dicts with ``_ID`` (``{offset, table}``) and
``_LABEL``, relationships as dicts with ``_SRC``/``_DST``/``_LABEL``, and paths as
``{_NODES, _RELS}``. The Neo4j driver returns ``Node``/``Relationship``/``Path``
objects (``element_id``, ``labels``, ``type``, ``start_node``...); both are
recognised here without importing either driver.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["display_frame", "result_graph", "csv_bytes"]


def _lb_id(v: Any) -> str:
    return f"{v.get('table')}:{v.get('offset')}" if isinstance(v, dict) else str(v)


def _is_lb_node(v: Any) -> bool:
    return isinstance(v, dict) and "_LABEL" in v and "_ID" in v and "_SRC" not in v


def _is_lb_rel(v: Any) -> bool:
    return isinstance(v, dict) and "_SRC" in v and "_DST" in v


def _is_neo_node(v: Any) -> bool:
    return hasattr(v, "element_id") and hasattr(v, "labels")


def _is_neo_rel(v: Any) -> bool:
    return hasattr(v, "element_id") and hasattr(v, "start_node") and hasattr(v, "type")


def _node(v: Any) -> dict[str, Any]:
    if _is_lb_node(v):
        props = {k: x for k, x in v.items() if not k.startswith("_")}
        return {"id": _lb_id(v["_ID"]), "label": v["_LABEL"], **props}
    props = dict(v.items()) if hasattr(v, "items") else {}
    return {"id": str(v.element_id), "label": next(iter(v.labels), ""), **props}


def _rel(v: Any) -> dict[str, Any]:
    if _is_lb_rel(v):
        props = {k: x for k, x in v.items() if not k.startswith("_")}
        src, dst, kind = _lb_id(v["_SRC"]), _lb_id(v["_DST"]), v.get("_LABEL", "")
    else:
        props = dict(v.items()) if hasattr(v, "items") else {}
        src, dst, kind = str(v.start_node.element_id), str(v.end_node.element_id), v.type
    return {"source": src, "target": dst, "type": kind, "props": props}


def _walk(v: Any, nodes: dict[str, dict], rels: list[dict]) -> None:
    if _is_lb_rel(v) or _is_neo_rel(v):
        rels.append(_rel(v))
        if _is_neo_rel(v):
            for end in (v.start_node, v.end_node):
                if end is not None and getattr(end, "labels", None):
                    nodes.setdefault(str(end.element_id), _node(end))
    elif _is_lb_node(v) or _is_neo_node(v):
        n = _node(v)
        nodes.setdefault(n["id"], n)
    elif isinstance(v, dict) and "_NODES" in v:
        for x in [*v["_NODES"], *v.get("_RELS", [])]:
            _walk(x, nodes, rels)
    elif hasattr(v, "nodes") and hasattr(v, "relationships"):
        for x in [*v.nodes, *v.relationships]:
            _walk(x, nodes, rels)
    elif isinstance(v, (list, tuple)):
        for x in v:
            _walk(x, nodes, rels)


def result_graph(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """Nodes (``pid, handle, label`` + properties) and edges (``source, target, kind,
    weight``) found in a result, or None when it holds no nodes.

    Node keys are the store's internal ids; ``pid`` is set to that id so the table
    can be drawn by :func:`graph.views.network_html`.

    >>> a = {"_ID": {"offset": 0, "table": 0}, "_LABEL": "Person", "handle": "ann", "score": 1.0}
    >>> b = {"_ID": {"offset": 1, "table": 0}, "_LABEL": "Person", "handle": "bob"}
    >>> r = {"_SRC": {"offset": 0, "table": 0}, "_DST": {"offset": 1, "table": 0}, "_LABEL": "RELAYS", "count": 3}
    >>> nodes, edges = result_graph(pd.DataFrame({"a": [a], "r": [r], "b": [b]}))
    >>> nodes[["pid", "handle"]].values.tolist(), edges.values.tolist()
    ([['0:0', 'ann'], ['0:1', 'bob']], [['0:0', '0:1', 'relays', 3.0]])
    >>> result_graph(pd.DataFrame({"x": [1]})) is None
    True
    """
    nodes: dict[str, dict] = {}
    rels: list[dict] = []
    for col in df.columns:
        for v in df[col].tolist():
            _walk(v, nodes, rels)
    if not nodes:
        return None
    people = pd.DataFrame(list(nodes.values()))
    people["pid"] = people["id"]
    label = people.get("handle", pd.Series(dtype=object))
    for alt in ("post_id", "name", "label"):
        if alt in people:
            label = label.fillna(people[alt]) if len(label) else people[alt]
    people["handle"] = label.fillna(people["id"]) if len(label) else people["id"]
    known = set(people["pid"])
    edges = pd.DataFrame(
        [
            {"source": r["source"], "target": r["target"], "kind": str(r["type"]).lower(),
             "weight": float(r["props"].get("count") or 1)}
            for r in rels if r["source"] in known and r["target"] in known
        ],
        columns=["source", "target", "kind", "weight"],
    )  # fmt: skip
    return people, edges.drop_duplicates().reset_index(drop=True)


def _cell(v: Any) -> Any:
    if _is_lb_rel(v) or _is_neo_rel(v):
        r = _rel(v)
        count = r["props"].get("count")
        return f"[:{r['type']} {{count: {count}}}]" if count is not None else f"[:{r['type']}]"
    if _is_lb_node(v) or _is_neo_node(v):
        n = _node(v)
        key = n.get("handle") or n.get("post_id") or n.get("pid") or n["id"]
        return f"(:{n['label']} {key})"
    if isinstance(v, dict) and "_NODES" in v:
        return " → ".join(_cell(x) for x in v["_NODES"])
    if hasattr(v, "nodes") and hasattr(v, "relationships"):
        return " → ".join(_cell(x) for x in v.nodes)
    if isinstance(v, (list, tuple)):
        return ", ".join(str(_cell(x)) for x in v)
    return v


def display_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The result with nodes, relationships, paths and lists as short text
    (what a table and a CSV can hold).

    >>> a = {"_ID": {"offset": 0, "table": 0}, "_LABEL": "Person", "handle": "ann"}
    >>> display_frame(pd.DataFrame({"a": [a], "tags": [["#x", "#y"]], "n": [1]})).values.tolist()
    [['(:Person ann)', '#x, #y', 1]]
    """
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(_cell)
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The displayed result as UTF-8 CSV.

    >>> csv_bytes(pd.DataFrame({"a": [1]}))
    b'a\\n1\\n'
    """
    return display_frame(df).to_csv(index=False).encode("utf-8")
