"""``influence shortlist``: pick the people to nurture and export them with reasons."""

from __future__ import annotations

import time

import click

from graph.cli.base import (
    Ctx,
    footer,
    friendly_errors,
    main,
    say,
    split_list,
    store_options,
    warn_half_loaded,
)


@main.command()
@click.option("--top", default=300, show_default=True, help="How many people to pick.")
@click.option("--out", type=click.Path(), required=True, help="Output file: .csv or .xlsx (one sheet per member).")
@click.option("--method", type=click.Choice(["set", "degree_discount", "topk"]), default="set", show_default=True,
              help="set = greedy marginal coverage (CELF/RIS); topk = best composite score.")
@click.option("--exclude", type=click.Path(exists=True), help="File of handles never to pick.")
@click.option("--include", type=click.Path(exists=True), help="File of handles always to pick.")
@click.option("--team", type=str, default=None, help="Team size M, or names: 'ana,ben,caro'.")
@click.option("--capacity", default=150, show_default=True, help="Relationships per member.")
@click.option("--max-per-community", type=int, default=None, help="Cap picks per community.")
@click.option("--min-relevance", type=float, default=None, help="Minimum niche relevance (0-100 percentile).")
@click.option("--compare/--no-compare", default=True, show_default=True,
              help="Print the simulated spread next to top-N by followers and by PageRank.")
@click.option("--seed", default=0, show_default=True)
@store_options
@click.pass_obj
@friendly_errors
def shortlist(obj: Ctx, top, out, method, exclude, include, team, capacity, max_per_community,  # noqa: ANN001
              min_relevance, compare, seed) -> None:  # fmt: skip
    """Pick the people to nurture and export them with reasons.

    \b
    Examples:
      influence shortlist --top 300 --out shortlist.csv
      influence shortlist --top 300 --team 4 --capacity 150 --out shortlist.xlsx
    """
    from graph.jobs import build_shortlist, scored_people
    from graph.shortlist import export as sl

    t0 = time.perf_counter()
    store = obj.store(create=False)
    warn_half_loaded(store)
    people = scored_people(store)
    members = None
    if team:
        members = int(team) if team.isdigit() else split_list(team)
    result = build_shortlist(
        store, top=top, method=method, exclude=_handles(exclude, people), include=_handles(include, people),
        team=members, capacity=capacity, max_per_community=max_per_community, min_relevance=min_relevance,
        compare=compare, seed=seed,
    )  # fmt: skip
    if str(out).lower().endswith(".xlsx"):
        sl.write_xlsx(result.table, out)
    else:
        sl.write_csv(result.table, out)
    click.echo(f"wrote {len(result):,} people to {out}")
    if result.comparison is not None:
        click.echo("simulated spread (independent cascade, same worlds for every set):")
        for row in result.comparison.itertuples():
            gain = "" if row.set.startswith("set") else f"   ours − this: {row.vs_ours:+,.1f} ± {row.vs_ours_stderr:,.1f}"
            click.echo(f"  {row.set:<24} {row.spread:10,.1f} ± {row.stderr:,.1f}{gain}")
    footer(time.perf_counter() - t0)


def _handles(path, people) -> list[str]:  # noqa: ANN001
    if not path:
        return []
    from graph.shortlist.handles import read_handles

    pids, unknown = read_handles(path, people)[:2]
    if unknown:
        say(f"note: {len(unknown)} handle(s) in {path} are not in the graph: {', '.join(unknown[:5])}")
    return pids
