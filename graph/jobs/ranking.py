"""Jobs on ranking: compute every metric and read people back with their scores."""

from __future__ import annotations

import time

import pandas as pd

from graph.model import METRICS, split_pid
from graph.ranking.fast import RankResult
from graph.stores.base import Progress, Store

__all__ = ["rank", "RankResult", "scored_people", "topic_shares_for"]


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
        edges = store.edge_arrays_for(["follows", "relays", "mentions"])
        follows, relays, mentions = edges["follows"], edges["relays"], edges["mentions"]
        shares = topic_shares_for(store, topics)
        export_s = time.perf_counter() - t0
        result = rank_all(
            follows, relays, mentions, topic_shares=shares, betweenness_k=betweenness_k, seed=seed,
            progress=progress,
        )  # fmt: skip
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
