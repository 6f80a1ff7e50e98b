"""Jobs on the data: load files (through :mod:`loaders`) and export the graph."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from graph.model import EDGE_KINDS, GraphBatch
from graph.stores.base import LoadStats, Progress, Store

__all__ = ["load_files", "read_batch", "export_graph", "half_loaded"]


def load_files(
    store: Store,
    paths: list[str | Path],
    *,
    write_progress: Progress | None = None,
    **options: Any,
) -> tuple[GraphBatch, LoadStats]:
    """Read files (any registered format, ``options`` as :func:`read_batch`) and load them
    in one all-or-nothing write.

    With ``topics``, the batch is first scoped to the niche (see
    :mod:`loaders.niche`); its report lands in ``batch.notes``. ``identities``
    is a mapping CSV that unifies one person's accounts across platforms
    (:mod:`loaders.identity`).
    """
    batch = read_batch(paths, **options)
    stats = store.load(batch, progress=write_progress)
    return batch, stats


def read_batch(
    paths: list[str | Path],
    *,
    format: str = "auto",
    kind: str = "follows",
    platform: str | None = None,
    mapping: dict[str, str] | None = None,
    topics: list[str] | None = None,
    identities: str | Path | None = None,
    read_progress: Callable[[int], None] | None = None,
    on_detect: Callable[[str, str], None] | None = None,
) -> GraphBatch:
    """What :func:`load_files` would load, read but not written (same arguments)."""
    from loaders.registry import read_paths

    batch = read_paths(
        list(paths), format=format, kind=kind, platform=platform, mapping=mapping,
        progress=read_progress, on_detect=on_detect,
    )  # fmt: skip
    if identities:
        from loaders.identity import apply_identities, read_identities

        batch = apply_identities(batch, read_identities(identities))
    if topics:
        from loaders.niche import scope_to_topics

        batch = scope_to_topics(batch, topics)
    return batch


def export_graph(
    store: Store, path: str | Path, *, pids: list[str] | None = None, people: pd.DataFrame | None = None
) -> Path:
    """Write the store's graph (or the subgraph among ``pids``) as GraphML or GEXF,
    with :func:`loaders.gephi.write_graph`; ``people`` gives the node rows (default: the
    stored people)."""
    from loaders.gephi import write_graph

    if people is None:
        people = store.people(pids)
    edges = {}
    for kind, arr in store.edge_arrays_for(list(EDGE_KINDS)).items():
        edges[kind] = pd.DataFrame({
            "source": arr.nodes[arr.src] if arr.m else [], "target": arr.nodes[arr.dst] if arr.m else [],
            "count": arr.weight.astype("int64") if arr.m else [],
        })  # fmt: skip
    return write_graph(path, people, edges)


def half_loaded(store: Store) -> str | None:
    """One line when the graph holds a load that stopped midway (a Neo4j load too large
    for one transaction whose loader was killed), else None. Ranking or reading such a
    graph uses part of the data: the CLI and the app show this line first."""
    loads = store.unfinished_loads()
    if not loads:
        return None
    u = loads[0]
    what = ", ".join(u.get("sources") or []) or "unnamed input"
    more = f" (and {len(loads) - 1} more unfinished load(s))" if len(loads) > 1 else ""
    return (
        f"the graph is half-loaded: a load of {what} (started {str(u.get('started_at'))[:19]} by {u.get('client')}) "
        f"stopped after {u.get('rows_committed') or 0:,} of {u.get('rows') or 0:,} rows{more}; "
        "load the same files again to complete it"
    )
