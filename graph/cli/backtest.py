"""``influence backtest``: pick on the past, count who actually relayed the picks later."""

from __future__ import annotations

import time

import click

from graph.cli.base import Ctx, footer, friendly_errors, main, say, step_bar, store_options
from graph.errors import UsageError


@main.command()
@click.option("--at", "at", default=None, metavar="DATE", help="Cut at this time (ISO date); default: --fraction.")
@click.option("--fraction", type=float, default=0.5, show_default=True,
              help="Cut at this quantile of relay-event times (not the calendar midpoint).")
@click.option("--top", default="50,100,300", show_default=True, help="Shortlist sizes k to compare, comma-separated.")
@click.option("--bootstrap", type=int, default=200, show_default=True,
              help="Resamples of future cascades for the paired standard errors (0: none).")
@click.option("--csv", "csv_out", type=click.Path(), default=None, help="Also write the table as CSV.")
@click.option("--seed", default=0, show_default=True)
@store_options
@click.pass_obj
@friendly_errors
def backtest(obj: Ctx, at, fraction, top, bootstrap, csv_out, seed) -> None:  # noqa: ANN001
    """Check the shortlist methods against what really happened next.

    Splits the graph's timed relays at a time T, lets every method pick from the
    relays before T only, and counts, after T, the distinct people who relayed a
    pick (audience), the same two hops out (audience2) and the share of all relays
    that went to the picks. Simple baselines (greedy coverage of past relayers, top
    by relayers, by relays received, by followers, PageRank, random) and the oracle
    (greedy on the future, the ceiling) are side by side; '-default' is the paired
    difference from the default method with its bootstrap standard error.

    \b
    Examples:
      influence load ../shared/datasets/twitter15_16/twitter15_16_trees.tar.gz
      influence backtest --fraction 0.5 --top 50,100,300 --csv backtest.csv
    """
    from graph.jobs.backtest import backtest as run

    try:
        ks = [int(k) for k in top.split(",") if k.strip()]
    except ValueError:
        raise UsageError(f"--top takes sizes like 50,100,300, not {top!r}") from None
    if not ks or min(ks) < 1:
        raise UsageError(f"--top takes sizes of at least 1, not {top!r}")
    t0 = time.perf_counter()
    store = obj.store(create=False)
    bar, progress = step_bar("backtest", "methods")
    result = run(store, at=at, fraction=fraction, top=ks, bootstrap=bootstrap, seed=seed, progress=progress)
    bar.close()
    click.echo(result.to_text())
    if csv_out:
        result.table.to_csv(csv_out, index=False)
        say(f"wrote {csv_out}")
    footer(time.perf_counter() - t0)
