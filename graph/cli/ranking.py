"""``influence rank``: every metric and the composite score, written to the graph."""

from __future__ import annotations

import time

import click

from graph.cli.base import (
    Ctx,
    footer,
    friendly_errors,
    main,
    split_list,
    step_bar,
    store_options,
    warn_half_loaded,
)
from graph.errors import UsageError


@main.command()
@click.option("--betweenness-k", type=int, default=None, help="Sources sampled for betweenness (default: exact on small graphs).")
@click.option("--topics", default=None, help="Niche hashtags for relevance (default: all hashtags).")
@click.option("--seed", default=0, show_default=True, help="Random seed (communities, sampling).")
@store_options
@click.pass_obj
@friendly_errors
def rank(obj: Ctx, betweenness_k, topics, seed) -> None:  # noqa: ANN001
    """Compute every metric and the composite score; write them to the graph.

    \b
    Example:
      influence rank --betweenness-k 256
    """
    from graph.jobs import rank as do_rank

    t0 = time.perf_counter()
    store = obj.store(create=False)
    if store.is_empty():
        raise UsageError("the graph is empty: load something first (influence load PATH)")
    warn_half_loaded(store)
    bar, progress = step_bar("ranking", "metrics")
    result = do_rank(store, topics=split_list(topics), betweenness_k=betweenness_k, seed=seed, progress=progress)
    bar.close()
    click.echo(f"ranked {len(result):,} people")
    for name, secs in result.timings.items():
        click.echo(f"  {name:<18} {secs:6.2f}s")
    k = result.betweenness_k
    click.echo(f"  betweenness: {'exact (all sources)' if k is None else f'sampled, k = {k} sources'}")
    top = result.scores.sort_values("score", ascending=False).head(10)
    click.echo("top 10 by composite score: " + ", ".join(top["pid"].astype(str)))
    footer(time.perf_counter() - t0)
