"""Commands about the data itself: load, info, formats, export, settings."""

from __future__ import annotations

import sys
import time
from typing import Any

import click

from graph.cli.base import (
    Ctx,
    check_out,
    counts_line,
    footer,
    friendly_errors,
    main,
    say,
    split_list,
    step_bar,
    store_options,
    warn_half_loaded,
)


def source_options(fn: Any) -> Any:
    """The options that say how to read the files (``load`` and ``neo4j-import``)."""
    for option in reversed((
        click.argument("paths", nargs=-1, required=True, type=click.Path()),
        click.option("--format", "fmt", default="auto", show_default=True, help="auto, or a format name (see `influence formats`)."),
        click.option("--kind", type=click.Choice(["follows", "relays", "mentions"]), default="follows", show_default=True,
                     help="What SNAP edges mean: A follows B / A relayed B w times / A mentioned B w times."),
        click.option("--platform", default=None, help="Platform of the handles for CSV/SNAP (default x)."),
        click.option("--map", "mapping", type=click.Path(exists=True), help='JSON column mapping {"table.column": "your column"}.'),
        click.option("--topics", default=None, help='Keep only the niche: "#specialtycoffee,#latteart".'),
        click.option("--identities", type=click.Path(exists=True), help="CSV mapping one person's accounts across platforms."),
    )):  # fmt: skip
        fn = option(fn)
    return fn


@main.command()
@source_options
@store_options
@click.pass_obj
@friendly_errors
def load(obj: Ctx, paths, fmt, kind, platform, mapping, topics, identities) -> None:  # noqa: ANN001
    """Load files into the graph (all-or-nothing).

    \b
    Examples:
      influence load sample_data/
      influence load twitter_combined.txt.gz --format snap --kind follows
    """
    from tqdm import tqdm

    from graph.jobs import load_files
    from loaders.csv_tables import read_mapping

    t0 = time.perf_counter()
    store = obj.store()
    with tqdm(desc="reading", unit=" rows", unit_scale=True, file=sys.stderr, disable=None) as bar:
        write_bar, write_progress = step_bar("writing", "steps")
        batch, stats = load_files(
            store, list(paths), format=fmt, kind=kind, platform=platform,
            mapping=read_mapping(mapping), topics=split_list(topics), identities=identities,
            read_progress=bar.update, write_progress=write_progress,
            on_detect=lambda p, f: say(f"{p}: detected format {f}"),
        )  # fmt: skip
        write_bar.close()
    for note in batch.notes:
        say(f"note: {note}")
    click.echo(f"loaded: {stats.summary()}")
    click.echo(f"graph now: {counts_line(store.counts())}")
    footer(time.perf_counter() - t0)


@main.command("neo4j-import")
@source_options
@click.option("--neo4j-home", required=True, type=click.Path(exists=True, file_okay=False),
              help="The local server's NEO4J_HOME (its lib/ and conf/).")
@click.option("--server", "server", required=True, type=click.Path(exists=True, dir_okay=False),
              help="A script that stops and starts that server (`SCRIPT stop`, `SCRIPT start`).")
@store_options
@click.pass_obj
@friendly_errors
def neo4j_import(obj: Ctx, paths, fmt, kind, platform, mapping, topics, identities, neo4j_home, server) -> None:  # noqa: ANN001
    """First load into an empty local Neo4j with neo4j-admin (server stopped and restarted).

    For a big first load into a server this machine runs and may stop: the import
    itself is about 3x faster than `load` over Bolt, but stopping and restarting the
    server adds ~10 s. `scripts/neo4j-local import FILES` runs it. All-or-nothing: a
    failed import puts the database back as it was.

    \b
    Example:
      scripts/neo4j-local import twitter_combined.txt.gz --format snap
    """
    import os

    from tqdm import tqdm

    from graph.jobs.data import read_batch
    from graph.stores.neo4j_import import check_imported, import_into_empty, server_control
    from loaders.csv_tables import read_mapping

    t0 = time.perf_counter()
    if obj.settings.kind != "neo4j":  # before opening anything: no embedded store is created
        raise click.UsageError("neo4j-import needs --store neo4j (NEO4J_URI of the local server)")
    store = obj.store()
    with tqdm(desc="reading", unit=" rows", unit_scale=True, file=sys.stderr, disable=None) as bar:
        batch = read_batch(
            list(paths), format=fmt, kind=kind, platform=platform, mapping=read_mapping(mapping),
            topics=split_list(topics), identities=identities, read_progress=bar.update,
            on_detect=lambda p, f: say(f"{p}: detected format {f}"),
        )  # fmt: skip
    done, env = import_into_empty(batch, store, home=neo4j_home, control=server_control(server), log=say)
    os.environ.update(env)
    obj.reopen()
    store = obj.store()  # the restarted server: constraints and indexes are made now
    check_imported(store, done)
    for note in batch.notes:
        say(f"note: {note}")
    click.echo(f"loaded: {done.stats.summary()}")
    click.echo(f"graph now: {counts_line(store.counts())}")
    footer(time.perf_counter() - t0)


@main.command()
@store_options
@click.pass_obj
@friendly_errors
def info(obj: Ctx) -> None:
    """Show which store is used and what it holds.

    \b
    Example:
      influence info
    """
    store = obj.store(create=False)
    warn_half_loaded(store)
    click.echo(counts_line(store.counts()))


@main.command()
def formats() -> None:
    """List the file formats `load` reads, and what each reads and drops.

    \b
    Example:
      influence formats
    """
    from loaders.registry import FORMATS

    for f in FORMATS.values():
        click.echo(f"{f.name:<10} {f.description}")
        for label, text in (("reads", f.reads), ("drops", f.drops)):
            if text:
                click.echo(f"{'':<10}   {label}: {text}")


@main.command()
@click.argument("out", type=click.Path())
@click.option("--shortlist", "shortlist_csv", type=click.Path(exists=True),
              help="Export only the people in this shortlist CSV (and the edges among them).")
@store_options
@click.pass_obj
@friendly_errors
def export(obj: Ctx, out, shortlist_csv) -> None:  # noqa: ANN001
    """Export the graph (or a shortlist's subgraph) as GraphML or GEXF for Gephi.

    \b
    Examples:
      influence export coffee.gexf
      influence export picks.graphml --shortlist shortlist.csv
    """
    from graph.jobs import export_graph, scored_people
    from graph.shortlist.handles import read_handles

    check_out(out, "OUT")
    store = obj.store(create=False)
    pids = None
    if shortlist_csv:
        pids, unknown = read_handles(shortlist_csv, scored_people(store))[:2]
        for w in unknown[:5]:
            say(f"note: {w}")
    path = export_graph(store, out, pids=pids)
    click.echo(f"wrote {path}")


@main.command("settings")
@store_options
@click.pass_obj
@friendly_errors
def settings_cmd(obj: Ctx) -> None:
    """Show every setting: its value, where it came from, its variable and help.

    Set one with an environment variable, a line in .env, or --setting NAME VALUE.

    \b
    Example:
      influence --setting max_rows 50 settings
    """
    from graph.settings import settings_table

    rows = settings_table(obj.settings)
    width = max(len(r["setting"]) for r in rows)
    for r in rows:
        click.echo(f"{r['setting']:<{width}}  {r['value'] or '(empty)':<24} {r['source']:<22} {r['help']}")
