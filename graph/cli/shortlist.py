"""``influence shortlist`` and ``influence track``: the team's one shared list, from the CLI."""

from __future__ import annotations

import time

import click

from graph.cli.base import Ctx, footer, friendly_errors, main, say, step_bar, store_options, warn_half_loaded
from graph.errors import UsageError

_SHOWN = ("rank", "handle", "owner", "stage", "last_contact", "locked", "sl_gain", "sl_reason")


@main.command()
@click.option("--top", default=300, show_default=True, help="How many people to pick.")
@click.option("--method", type=click.Choice(["set", "degree_discount", "topk"]), default="set", show_default=True,
              help="set = each pick adds the most people not reached yet; topk = best composite score.")
@click.option("--team", type=str, default=None, help="Team names 'ana,ben,caro' or a size M.")
@click.option("--capacity", default=150, show_default=True, help="Relationships per member.")
@click.option("--max-per-community", type=int, default=None, help="Cap picks per community (every method).")
@click.option("--min-relevance", type=float, default=None,
              help="Minimum niche relevance as a percentile, 0-100 (needs `rank --topics`).")
@click.option("--exclude", type=click.Path(exists=True), help="File of handles never to pick.")
@click.option("--include", type=click.Path(exists=True), help="File of handles always to pick.")
@click.option("--keep-declined", is_flag=True, help="Also pick people whose stage is 'declined'.")
@click.option("--seed", default=0, show_default=True)
@click.option("--show", is_flag=True, help="Print the saved list; build nothing.")
@click.option("--stale", type=int, default=None, metavar="DAYS",
              help="Print who on the saved list was not contacted in DAYS days (or never); build nothing.")
@click.option("--out", type=click.Path(), default=None,
              help="Also export the saved list: .csv, .xlsx (a sheet per owner), .graphml or .gexf.")
@click.option("--all-columns", is_flag=True, help="CSV: add every raw metric (XLSX has them on a sheet).")
@click.option("--check/--no-check", default=True, show_default=True,
              help="After building, backtest the method on the graph's own history against the simple baselines.")
@store_options
@click.pass_obj
@friendly_errors
def shortlist(obj: Ctx, top, method, team, capacity, max_per_community, min_relevance, exclude,  # noqa: ANN001
              include, keep_declined, seed, show, stale, out, all_columns, check) -> None:  # fmt: skip
    """Build the team's shortlist and save it in the graph (the app shows the same list).

    Locked people are always kept, removed and declined people left out, owners kept
    across rebuilds. --show and --stale read the saved list without rebuilding.

    \b
    Examples:
      influence shortlist --top 100 --team ana,ben,caro
      influence shortlist --show --out shortlist.xlsx
      influence shortlist --stale 30
    """
    from graph.jobs import build_shortlist, export_shortlist, saved_shortlist, scored_people
    from graph.shortlist.request import ShortlistRequest, parse_team

    t0 = time.perf_counter()
    _check_out(out)
    store = obj.store(create=False)
    warn_half_loaded(store)
    if show or stale is not None:
        table = saved_shortlist(store)
        if stale is not None:
            from graph.shortlist.saved import stale as stale_view

            table = stale_view(table, stale)
            click.echo(f"{len(table):,} people on the list not contacted in {stale} days (or never)")
        _print(table, stale is not None)
    else:
        people = scored_people(store)
        request = ShortlistRequest(
            top=top, method=method, team=parse_team(team), capacity=capacity, max_per_community=max_per_community,
            min_relevance=min_relevance, include=tuple(_handles(include, people)),
            exclude=tuple(_handles(exclude, people)), keep_declined=keep_declined, seed=seed,
        )  # fmt: skip
        bar, progress = step_bar("shortlist", "steps")
        result = build_shortlist(store, request, progress=progress)
        bar.close()
        for note in result.notes:
            say(f"note: {note}")
        click.echo(f"saved a shortlist of {len(result):,} people (method: {result.method})")
        table = result.table
        _print(table.head(10), False)
        if len(table) > 10:
            click.echo(f"… and {len(table) - 10:,} more (influence shortlist --show)")
        if check and len(table):
            _check(store, request.method, len(table))
    if out:
        click.echo(f"wrote {len(saved_shortlist(store)):,} people to {export_shortlist(store, out, all_columns=all_columns)}")
    footer(time.perf_counter() - t0)


def _check(store, method: str, k: int) -> None:  # noqa: ANN001
    """Backtest this list's method at this size on the graph's own history (honestly:
    against the strongest simple baseline, never against all-tied scores)."""
    from graph.jobs.backtest import shortlist_check
    from graph.shortlist.baselines import BASELINES
    from graph.views.backtest import verdict

    bar, progress = step_bar("checking", "methods")
    result = shortlist_check(store, method, k, progress=progress)
    bar.close()
    if result is None:
        say("note: no timed relays in this graph, so the picks cannot be checked against what happened next "
            "(a follows-only graph); influence backtest needs relays with times")  # fmt: skip
        return
    i = result.info
    click.echo(f"backtest on this graph's own history (picked on relays before {str(i['T'])[:10]}, counted who "
               f"relayed the picks after): {method} at k = {k} {verdict(result.table, k, list(BASELINES), method)}")
    for note in result.notes:
        say(f"note: {note}")


def _check_out(out: str | None) -> None:
    """A bad --out fails before any work (unknown type, missing folder)."""
    if not out:
        return
    from pathlib import Path

    from graph.jobs import EXPORT_SUFFIXES

    path = Path(out)
    if path.suffix.lower() not in EXPORT_SUFFIXES:
        raise UsageError(f"--out {out}: export to {', '.join(EXPORT_SUFFIXES)}, not {path.suffix or 'a name without one'!r}")
    if not path.parent.exists():
        raise UsageError(f"--out {out}: the folder {path.parent} does not exist")


def _print(table, stale: bool) -> None:  # noqa: ANN001
    if table.empty:
        click.echo("(nobody)")
        return
    cols = [c for c in (*_SHOWN, "days_since") if c in table and (stale or c != "days_since")]
    view = table[cols].rename(columns={"sl_gain": "gain", "sl_reason": "why", "last_contact": "last contact",
                                       "days_since": "days since"})  # fmt: skip
    if "gain" in view:
        view["gain"] = view["gain"].round(1)
    if "locked" in view:
        view["locked"] = view["locked"].map(lambda v: "yes" if v is True or v == 1 else "")
    view = view.astype(object).where(view.notna(), "")
    click.echo(view.to_string(index=False, max_colwidth=60))


def _handles(path, people) -> list[str]:  # noqa: ANN001
    if not path:
        return []
    from graph.shortlist.handles import read_handles

    pids, unknown = read_handles(path, people)[:2]
    if unknown:
        say(f"note: {len(unknown)} handle(s) in {path} are not in the graph: {', '.join(unknown[:5])}")
    return pids


@main.command()
@click.argument("handles", nargs=-1, required=True)
@click.option("--owner", default=None, help="Team member who owns the relationship ('' clears it).")
@click.option("--stage", default=None, help="to contact | in conversation | engaged | declined ('' clears it).")
@click.option("--notes", default=None, help="Notes ('' clears them).")
@click.option("--last-contact", default=None, metavar="DATE", help="YYYY-MM-DD, or 'today' ('' clears it).")
@click.option("--lock/--unlock", default=None, help="Keep on the list whatever a rebuild picks / stop keeping.")
@click.option("--remove/--restore", default=None, help="Take off the list (kept off rebuilds) / bring back.")
@click.option("--by", default="", help="Who makes the change (recorded with a removal).")
@store_options
@click.pass_obj
@friendly_errors
def track(obj: Ctx, handles, owner, stage, notes, last_contact, lock, remove, by) -> None:  # noqa: ANN001
    """Edit relationships on the shared list: owner, stage, notes, last contact, lock, remove.

    \b
    Examples:
      influence track @latteartlisa --owner dan --stage "in conversation" --last-contact today
      influence track @spambot --remove --by ana
    """
    import datetime as dt

    from graph.jobs import scored_people
    from graph.jobs import track as do_track
    from graph.shortlist.handles import parse_handles

    changes: dict[str, object] = {}
    for key, value in (("owner", owner), ("stage", stage), ("notes", notes), ("last_contact", last_contact)):
        if value is not None:
            changes[key] = dt.date.today().isoformat() if key == "last_contact" and value == "today" else value
    if lock is not None:
        changes["lock"] = lock
    if remove is not None:
        changes["remove"] = remove
    if not changes:
        raise UsageError("nothing to change: give --owner, --stage, --notes, --last-contact, --lock or --remove")
    store = obj.store(create=False)
    found = parse_handles(handles, scored_people(store), source="arguments")
    for warning in found.warnings:
        say(f"note: {warning}")
    if not found.pids:
        raise UsageError("none of these handles is in the graph")
    n = do_track(store, found.pids, changes, by=by)
    click.echo(f"updated {n:,} {'person' if n == 1 else 'people'}: {', '.join(sorted(changes))}")
