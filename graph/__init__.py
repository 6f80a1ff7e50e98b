"""Influence explorer: the graph of people, who follows and relays whom, and who matters.

The public API, by room (import from here or from the room itself):

* the model: :class:`Person`, :class:`Post`, :class:`GraphBatch`, :class:`EdgeArrays`
  (:mod:`graph.model`) and the errors (:mod:`graph.errors`);
* settings: :class:`Settings`, :data:`SETTINGS` (:mod:`graph.settings`);
* stores: :class:`Store`, :class:`QueryResult`, :func:`open_store`,
  :class:`EmbeddedStore`, :class:`Neo4jStore` (:mod:`graph.stores`);
* jobs: :func:`load_files`, :func:`rank`, :func:`scored_people`,
  :func:`build_shortlist`, :func:`export_graph` and their results
  (:mod:`graph.jobs`).

Rooms: ``stores`` (interface, guard, embedded, Neo4j, Cypher text), ``ranking``
(NetworkX reference, array fast paths), ``shortlist`` (cascade, selection, team,
reasons, tracking, export), ``views`` (tables, drawings and charts the app shows),
``jobs`` and ``cli`` (the only modules that read files through :mod:`loaders`).
Names are imported on first use, so ``import graph`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

#: public name -> the module that defines it
_EXPORTS: dict[str, str] = {
    **dict.fromkeys(["Person", "Post", "GraphBatch", "EdgeArrays", "METRICS", "STAGES", "make_pid"], "graph.model"),
    **dict.fromkeys(["InfluenceError", "LoadError", "StoreError", "QueryRefused", "UsageError"], "graph.errors"),
    **dict.fromkeys(["Settings", "SETTINGS", "Limits", "Secret"], "graph.settings"),
    **dict.fromkeys(["Store", "QueryResult", "LoadStats"], "graph.stores.base"),
    "open_store": "graph.stores.connect",
    "EmbeddedStore": "graph.stores.embedded",
    "Neo4jStore": "graph.stores.neo4j",
    **dict.fromkeys(
        ["load_files", "rank", "scored_people", "build_shortlist", "export_graph", "RankResult", "ShortlistResult"],
        "graph.jobs",
    ),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'graph' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
