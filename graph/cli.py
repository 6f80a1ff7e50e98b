"""``influence``: load exports, rank, shortlist, query, and start the app.

Every command says which store it uses on stderr; figures and tables go to
stdout. Errors are one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import functools
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import click

from graph.config import Settings, open_store
from graph.model import LoadError
from graph.store import QueryRefused, StoreError

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = ROOT / "sample_data"
APP = ROOT / "app.py"


def _say(msg: str) -> None:
    click.echo(msg, err=True)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def friendly_errors(fn):
    """Turn known failures into one clear line and exit code 1 (2 for refusals)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except QueryRefused as exc:
            _say(f"refused: {exc}")
            sys.exit(2)
        except (LoadError, StoreError, ValueError, FileNotFoundError) as exc:
            _say(f"error: {exc}")
            sys.exit(1)

    return wrapper


class Ctx:
    def __init__(self, data_dir: str | None, store: str | None) -> None:
        self.settings = Settings.from_env(data_dir=data_dir, store=store)
        self._store = None

    def store(self):
        if self._store is None:
            _say(f"store: {self.settings.describe()}")
            self._store = open_store(self.settings)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--data-dir", envvar="INFLUENCE_DATA_DIR", help="Embedded store folder (default .influence).")
@click.option(
    "--store",
    type=click.Choice(["auto", "embedded", "neo4j"]),
    default=None,
    help="Where the graph lives; auto = Neo4j when NEO4J_URI is set, else embedded.",
)
@click.pass_context
def main(ctx: click.Context, data_dir: str | None, store: str | None) -> None:
    """Influencer network graph explorer.

    \b
    Example:
      influence load sample_data/
      influence rank
      influence shortlist --top 300 --out shortlist.csv
    """
    ctx.obj = Ctx(data_dir, store)
    ctx.call_on_close(ctx.obj.close)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", default="auto", show_default=True, help="auto, or a format name (see `influence formats`).")
@click.option("--kind", type=click.Choice(["follows", "relays", "mentions"]), default="follows", show_default=True,
              help="What SNAP edges mean: A follows B / A relayed B w times / A mentioned B w times.")
@click.option("--platform", default=None, help="Platform of the handles for CSV/SNAP (default x).")
@click.option("--map", "mapping", type=click.Path(exists=True), help='JSON column mapping {"table.column": "your column"}.')
@click.option("--topics", default=None, help='Keep only the niche: "#specialtycoffee,#latteart".')
@click.option("--identities", type=click.Path(exists=True), help="CSV mapping one person's accounts across platforms.")
@click.pass_obj
@friendly_errors
def load(obj: Ctx, paths, fmt, kind, platform, mapping, topics, identities) -> None:
    """Load files into the graph (all-or-nothing).

    \b
    Examples:
      influence load sample_data/
      influence load twitter_combined.txt.gz --format snap --kind follows
    """
    from tqdm import tqdm

    from graph.pipeline import load_files
    from loaders.csv_tables import read_mapping

    t0 = time.perf_counter()
    store = obj.store()
    with tqdm(desc="reading", unit=" rows", unit_scale=True, file=sys.stderr, disable=None) as bar:
        topic_list = [t.strip() for t in topics.split(",") if t.strip()] if topics else None
        write_bar, write_progress = _step_bar("writing", "steps")
        batch, stats = load_files(
            store, list(paths), format=fmt, kind=kind, platform=platform,
            mapping=read_mapping(mapping), topics=topic_list, identities=identities,
            read_progress=bar.update, write_progress=write_progress,
            on_detect=lambda p, f: _say(f"{p}: detected format {f}"),
        )  # fmt: skip
        write_bar.close()
    for note in batch.notes:
        _say(f"note: {note}")
    click.echo(f"loaded: {stats.summary()}")
    click.echo(f"graph now: {_counts_line(store.counts())}")
    click.echo(f"time: {time.perf_counter() - t0:.1f}s, peak memory {_peak_mb():.0f} MB")


def _step_bar(desc: str, unit: str):
    """A progress bar on stderr and the ``progress(done, total, label)`` callback that drives it."""
    from tqdm import tqdm

    bar = tqdm(total=0, desc=desc, unit=f" {unit}", file=sys.stderr, disable=None)

    def progress(done: int, total: int, label: str) -> None:
        bar.total, bar.n = total, done
        bar.set_postfix_str(label)
        bar.refresh()

    return bar, progress


def _counts_line(c: dict[str, int]) -> str:
    return ", ".join(f"{v:,} {k}" for k, v in c.items())


@main.command()
@click.option("--betweenness-k", type=int, default=None, help="Sources sampled for betweenness (default: exact on small graphs).")
@click.option("--topics", default=None, help="Niche hashtags for relevance (default: all hashtags).")
@click.option("--seed", default=0, show_default=True, help="Random seed (communities, sampling).")
@click.pass_obj
@friendly_errors
def rank(obj: Ctx, betweenness_k, topics, seed) -> None:
    """Compute every metric and the composite score; write them to the graph.

    \b
    Example:
      influence rank --betweenness-k 256
    """

    from graph.pipeline import rank as do_rank

    t0 = time.perf_counter()
    store = obj.store()
    if store.is_empty():
        raise StoreError("the graph is empty: load something first (influence load PATH)")
    bar, progress = _step_bar("ranking", "metrics")
    topic_list = [t.strip() for t in topics.split(",")] if topics else None
    scores = do_rank(store, topics=topic_list, betweenness_k=betweenness_k, seed=seed, progress=progress)
    bar.close()
    click.echo(f"ranked {len(scores):,} people")
    for name, secs in scores.attrs.get("timings_s", {}).items():
        click.echo(f"  {name:<18} {secs:6.2f}s")
    if "betweenness_k" in scores.attrs:
        k = scores.attrs["betweenness_k"]
        click.echo(f"  betweenness: {'exact (all sources)' if k is None else f'sampled, k = {k} sources'}")
    top = scores.sort_values("score", ascending=False).head(10)
    click.echo("top 10 by composite score: " + ", ".join(top["pid"].astype(str)))
    click.echo(f"time: {time.perf_counter() - t0:.1f}s, peak memory {_peak_mb():.0f} MB")


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
@click.pass_obj
@friendly_errors
def shortlist(obj: Ctx, top, out, method, exclude, include, team, capacity, max_per_community, min_relevance,
              compare, seed) -> None:
    """Pick the people to nurture and export them with reasons.

    \b
    Examples:
      influence shortlist --top 300 --out shortlist.csv
      influence shortlist --top 300 --team 4 --capacity 150 --out shortlist.xlsx
    """
    from graph import shortlist as sl
    from graph.pipeline import build_shortlist, scored_people

    t0 = time.perf_counter()
    store = obj.store()
    people = scored_people(store)
    excl = _handles(exclude, people)
    incl = _handles(include, people)
    members = None
    if team:
        members = int(team) if team.isdigit() else [t.strip() for t in team.split(",") if t.strip()]
    df = build_shortlist(
        store, top=top, method=method, exclude=excl, include=incl, team=members,
        capacity=capacity, max_per_community=max_per_community, min_relevance=min_relevance,
        compare=compare, seed=seed,
    )  # fmt: skip
    if str(out).lower().endswith(".xlsx"):
        sl.write_xlsx(df, out)
    else:
        sl.write_csv(df, out)
    click.echo(f"wrote {len(df):,} people to {out}")
    if "spread" in df.attrs:
        sp = df.attrs["spread"]
        click.echo("simulated spread (independent cascade, same worlds for every set):")
        for row in sp.itertuples():
            gain = "" if row.set.startswith("set") else f"   ours − this: {row.vs_ours:+,.1f} ± {row.vs_ours_stderr:,.1f}"
            click.echo(f"  {row.set:<24} {row.spread:10,.1f} ± {row.stderr:,.1f}{gain}")
    click.echo(f"time: {time.perf_counter() - t0:.1f}s, peak memory {_peak_mb():.0f} MB")


def _handles(path, people) -> list[str]:
    if not path:
        return []
    from graph.shortlist import read_handles

    pids, unknown = read_handles(path, people)[:2]
    if unknown:
        _say(f"note: {len(unknown)} handle(s) in {path} are not in the graph: {', '.join(unknown[:5])}")
    return pids


@main.command()
@click.argument("query")
@click.option("--param", "-p", multiple=True, help="Query parameter k=v (numbers are parsed); repeatable.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV instead of a table.")
@click.option("--allow-write", is_flag=True, help="Permit writes (off by default: queries are read-only).")
@click.option("--timeout", type=float, default=None, help="Seconds before the query is stopped (default 10).")
@click.option("--max-rows", type=int, default=None, help="Row cap (default 1000).")
@click.pass_obj
@friendly_errors
def cypher(obj: Ctx, query, param, as_csv, allow_write, timeout, max_rows) -> None:
    """Run a read-only Cypher query and print the result.

    \b
    Example:
      influence cypher "MATCH (p:Person) RETURN p.handle, p.score ORDER BY p.score DESC LIMIT \\$n" -p n=10
    """
    params = dict(_parse_param(p) for p in param)
    df = obj.store().cypher(query, params, allow_write=allow_write, timeout_s=timeout, max_rows=max_rows)
    if as_csv:
        click.echo(df.to_csv(index=False), nl=False)
    else:
        click.echo(df.to_string(index=False) if len(df) else "(no rows)")


def _parse_param(text: str) -> tuple[str, object]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise click.BadParameter(f"expected k=v, got {text!r}")
    for cast in (int, float):
        try:
            return key, cast(value)
        except ValueError:
            pass
    return key, value


@main.command()
@click.pass_obj
@friendly_errors
def info(obj: Ctx) -> None:
    """Show which store is used and what it holds."""
    click.echo(_counts_line(obj.store().counts()))


@main.command()
@click.option("--port", default=8501, show_default=True)
@click.option("--headless/--browser", default=True, show_default=True, help="Open a browser tab or not.")
@click.pass_obj
def app(obj: Ctx, port: int, headless: bool) -> None:
    """Start the Streamlit app on the current store.

    \b
    Example:
      influence app --port 8501
    """
    _say(f"store: {obj.settings.describe()}")
    env = dict(os.environ)
    env["INFLUENCE_DATA_DIR"] = str(obj.settings.data_dir)
    if obj.settings.store != "auto":
        env["INFLUENCE_STORE"] = obj.settings.store
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port),
        "--server.headless", str(headless).lower(), "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    _say(f"app: http://localhost:{port}")
    sys.exit(subprocess.call(cmd, env=env))


@main.command()
@click.option("--port", default=8501, show_default=True)
@click.pass_context
@friendly_errors
def demo(ctx: click.Context, port: int) -> None:
    """Load sample_data (if the store is empty), rank it, and start the app.

    \b
    Example:
      influence demo
    """
    obj: Ctx = ctx.obj
    store = obj.store()
    if store.is_empty():
        _say(f"loading {SAMPLE_DATA} …")
        ctx.invoke(load, paths=(str(SAMPLE_DATA),), fmt="csv", kind="follows", platform=None, mapping=None,
                   topics=None, identities=None)
        ctx.invoke(rank, betweenness_k=None, topics=None, seed=0)
    obj.close()
    ctx.invoke(app, port=port, headless=True)


@main.command()
@click.argument("out", type=click.Path())
@click.option("--shortlist", "shortlist_csv", type=click.Path(exists=True),
              help="Export only the people in this shortlist CSV (and the edges among them).")
@click.pass_obj
@friendly_errors
def export(obj: Ctx, out, shortlist_csv) -> None:
    """Export the graph (or a shortlist's subgraph) as GraphML or GEXF for Gephi.

    \b
    Examples:
      influence export coffee.gexf
      influence export picks.graphml --shortlist shortlist.csv
    """
    from graph.pipeline import scored_people
    from graph.shortlist import read_handles
    from loaders.gephi import export_graph

    store = obj.store()
    pids = None
    if shortlist_csv:
        pids, unknown = read_handles(shortlist_csv, scored_people(store))[:2]
        for w in unknown[:5]:
            _say(f"note: {w}")
    path = export_graph(store, out, pids=pids)
    click.echo(f"wrote {path}")


@main.command()
def formats() -> None:
    """List the file formats `load` reads, and what each reads and drops."""
    from loaders.registry import FORMATS

    for f in FORMATS.values():
        click.echo(f"{f.name:<10} {f.description}")
        for label, text in (("reads", f.reads), ("drops", f.drops)):
            if text:
                click.echo(f"{'':<10}   {label}: {text}")


if __name__ == "__main__":  # pragma: no cover
    main()
