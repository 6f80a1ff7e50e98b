"""The jobs people do, as library calls the CLI and the app share.

load files → rank → shortlist (→ split across the team) → export. Each function
takes a store and returns a typed result (:class:`RankResult`,
:class:`ShortlistResult`, …); none of them prints or imports streamlit. This module
and :mod:`graph.cli` are the only places that import :mod:`loaders`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from graph.errors import UsageError
from graph.model import EDGE_KINDS, METRICS, GraphBatch, split_pid
from graph.ranking.fast import RankResult
from graph.stores.base import LoadStats, Progress, Store

__all__ = [
    "load_files",
    "rank",
    "RankResult",
    "scored_people",
    "build_shortlist",
    "ShortlistResult",
    "topic_shares_for",
    "export_graph",
    "half_loaded",
]


@dataclass(frozen=True)
class ShortlistResult:
    """A shortlist: the export table in rank order, the method that picked it, and how
    it compares with simple alternatives (``comparison``, or None when not asked)."""

    table: pd.DataFrame
    method: str
    comparison: pd.DataFrame | None = None
    seconds: float = 0.0

    def __len__(self) -> int:
        return len(self.table)


def load_files(
    store: Store,
    paths: list[str | Path],
    *,
    format: str = "auto",
    kind: str = "follows",
    platform: str | None = None,
    mapping: dict[str, str] | None = None,
    topics: list[str] | None = None,
    identities: str | Path | None = None,
    read_progress: Callable[[int], None] | None = None,
    write_progress: Progress | None = None,
    on_detect: Callable[[str, str], None] | None = None,
) -> tuple[GraphBatch, LoadStats]:
    """Read files (any registered format) and load them in one all-or-nothing write.

    With ``topics``, the batch is first scoped to the niche (see
    :mod:`loaders.niche`); its report lands in ``batch.notes``. ``identities``
    is a mapping CSV that unifies one person's accounts across platforms
    (:mod:`loaders.identity`).
    """
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
    stats = store.load(batch, progress=write_progress)
    return batch, stats


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


def topic_shares_for(store: Store, topics: list[str] | None = None) -> pd.DataFrame | None:
    """Each person's share of posting/relaying per hashtag, or None without posts."""
    posts = store.posts()
    if posts.empty:
        return None
    from graph.ranking.fast import topic_shares

    return topic_shares(posts, store.relay_events(), topics)


def rank(
    store: Store,
    *,
    topics: list[str] | None = None,
    betweenness_k: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> RankResult:
    """Compute every metric, write the scores back; the scores, step timings and
    parameters come back as a :class:`RankResult`."""
    from graph.ranking.fast import rank_all

    t0 = time.perf_counter()
    with store.writing("rank"):  # the lock first: a second writer is told now, not after the work
        follows = store.edge_arrays("follows")
        relays = store.edge_arrays("relays")
        mentions = store.edge_arrays("mentions")
        shares = topic_shares_for(store, topics)
        result = rank_all(
            follows, relays, mentions, topic_shares=shares, betweenness_k=betweenness_k, seed=seed,
            progress=progress,
        )  # fmt: skip
        export_s = time.perf_counter() - t0 - sum(result.timings.values())
        t1 = time.perf_counter()
        store.write_scores(result.scores)
    timings = {"read graph": round(export_s, 4), **result.timings, "write scores": round(time.perf_counter() - t1, 4)}
    return RankResult(result.scores, timings, result.params, time.perf_counter() - t0)


def scored_people(store: Store, pids: list[str] | None = None) -> pd.DataFrame:
    """People with profile, scores, percentiles (recomputed from the stored
    scores) and tracking, best score first."""
    people = store.people(pids)
    if "handle" in people and people["handle"].isna().any():
        fill = people["pid"].map(lambda p: split_pid(p)[1])
        people["handle"] = people["handle"].fillna(fill)
    from graph.ranking.reference import percentiles

    for m in METRICS:
        if m in people and people[m].notna().any():
            people[f"pct_{m}"] = percentiles(people[m])
    if "score" in people:
        people = people.sort_values("score", ascending=False, na_position="last", kind="stable")
    return people.reset_index(drop=True)


def build_shortlist(
    store: Store,
    *,
    top: int = 300,
    method: str = "set",
    exclude: list[str] = (),  # type: ignore[assignment]
    include: list[str] = (),  # type: ignore[assignment]
    team: int | list[str] | None = None,
    capacity: int = 150,
    max_per_community: int | None = None,
    min_relevance: float | None = None,
    compare: bool = True,
    rounds: int = 100,
    seed: int = 0,
) -> ShortlistResult:
    """The shortlist export table (``rank, handle, score, <metrics>, reason`` …).

    ``method``: ``set`` (greedy marginal coverage under independent cascade),
    ``degree_discount`` (fast set method) or ``topk`` (best composite score).
    ``exclude``/``include`` are pids. With ``compare``, ``comparison`` holds the
    simulated spread of this set next to top-N by followers and by
    PageRank (same simulation, same seeds).
    """
    started = time.perf_counter()
    from graph.shortlist import explain
    from graph.shortlist import export as shortlist
    from graph.shortlist.selection import compare_spread, propagation_graph, set_shortlist, topk

    table = scored_people(store)
    if "score" not in table or table["score"].isna().all():
        raise UsageError("no scores yet: run `influence rank` first")
    follows, relays = store.edge_arrays("follows"), store.edge_arrays("relays")
    graph = propagation_graph(follows, relays, nodes=table["pid"])
    if method == "topk":
        picks = topk(table, top, exclude=exclude, include=include)
    else:
        picks = set_shortlist(
            follows, relays, table, top, method=method, exclude=exclude, include=include,
            max_per_community=max_per_community, min_relevance=min_relevance, seed=seed, graph=graph,
        )  # fmt: skip
    picks = explain.annotate(picks, table, store.relay_events(), follows, relays=relays, posts=store.posts())
    if team:
        from graph.shortlist.team import split_team

        picks = split_team(picks, team, capacity)
    out = shortlist.shortlist_frame(picks)
    spread = compare_spread(graph, table, picks["pid"], rounds=rounds, seed=seed) if compare else None
    return ShortlistResult(out, method, spread, time.perf_counter() - started)


def export_graph(store: Store, path: str | Path, *, pids: list[str] | None = None) -> Path:
    """Write the store's graph (or the subgraph among ``pids``) as GraphML or GEXF,
    with :func:`loaders.gephi.write_graph`."""
    from loaders.gephi import write_graph

    people = store.people(pids)
    edges = {}
    for kind in EDGE_KINDS:
        arr = store.edge_arrays(kind)
        edges[kind] = pd.DataFrame({
            "source": arr.nodes[arr.src] if arr.m else [], "target": arr.nodes[arr.dst] if arr.m else [],
            "count": arr.weight.astype("int64") if arr.m else [],
        })  # fmt: skip
    return write_graph(path, people, edges)
