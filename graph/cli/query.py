"""``influence cypher``: ad-hoc read-only Cypher with a timeout and a row cap."""

from __future__ import annotations

import sys

import click

from graph.cli.base import Ctx, friendly_errors, main, say, store_options


@main.command()
@click.argument("query")
@click.option("--param", "-p", multiple=True, help="Query parameter k=v (numbers are parsed); repeatable.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV instead of a table.")
@click.option("--allow-write", is_flag=True, help="Permit writes (off by default: queries are read-only).")
@click.option("--timeout", type=float, default=None, help="Seconds before the query is stopped (setting cypher_timeout_s).")
@click.option("--max-rows", type=int, default=None, help="Row cap (setting max_rows).")
@store_options
@click.pass_obj
@friendly_errors
def cypher(obj: Ctx, query, param, as_csv, allow_write, timeout, max_rows) -> None:  # noqa: ANN001
    """Run a read-only Cypher query and print the result.

    \b
    Example:
      influence cypher "MATCH (p:Person) RETURN p.handle, p.score ORDER BY p.score DESC LIMIT \\$n" -p n=10
    """
    from graph.errors import QueryRefused, StoreError
    from graph.views.cypher_errors import dialect_hints, explain_error
    from graph.views.cypher_results import display_frame
    from graph.views.query_library import dialect_key

    params = dict(parse_param(p) for p in param)
    store = obj.store(create=False)
    dialect = dialect_key(store.dialect)
    try:
        result = store.cypher(query, params, allow_write=allow_write, timeout_s=timeout, max_rows=max_rows)
    except QueryRefused:
        raise  # the guard's own words (they name --allow-write, which this command has)
    except StoreError as exc:
        why = explain_error(str(exc), query, dialect=dialect, params=params)
        say(f"error: {why.text}" + (f"\nhint: {why.hint}" if why.hint else ""))
        sys.exit(1)
    for hint in dialect_hints(query, dialect):
        say(f"note: {hint}")
    df = display_frame(result.frame)
    if as_csv:
        click.echo(df.to_csv(index=False), nl=False)
    else:
        click.echo(df.to_string(index=False, max_colwidth=60) if len(df) else "(no rows)")
    if result.truncated:
        say(f"note: stopped at the row cap of {result.max_rows:,} rows (--max-rows to change it)")


def parse_param(text: str) -> tuple[str, object]:
    """``k=v`` with numbers parsed.

    >>> parse_param("n=10"), parse_param("tag=#v60")
    (('n', 10), ('tag', '#v60'))
    """
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise click.BadParameter(f"expected k=v, got {text!r}")
    for cast in (int, float):
        try:
            return key, cast(value)
        except ValueError:
            pass
    return key, value
