"""Relationship commands: our accounts, who knows us, introductions, rising voices,
listening and the person card."""

from __future__ import annotations

import json
import sys
import time

import click

from graph.cli.base import Ctx, check_out, footer, friendly_errors, main, say, store_options


def _data(obj: Ctx, out: str | None = None):  # noqa: ANN202
    """The relationship tables; a bad ``--out`` folder fails first, before any reading."""
    from graph.jobs.relations import read_relations

    check_out(out)
    store = obj.store(create=False)
    if store.is_empty():
        from graph.errors import UsageError

        raise UsageError("the graph is empty: load something first (influence load PATH)")
    say("reading people, edges, relays and posts…")
    return read_relations(store)


def _table(frame, out: str | None, columns: list[str] | None = None) -> None:  # noqa: ANN001
    """Print a table (or write it as CSV to ``out``)."""
    import pandas as pd

    shown = frame[[c for c in columns if c in frame]] if columns else frame
    if out:
        shown.to_csv(out, index=False)
        click.echo(f"wrote {len(shown):,} rows to {out}")
        return
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                           "display.max_colwidth", 90):  # fmt: skip
        click.echo(shown.to_string(index=False) if len(shown) else "(none)")


# -- accounts -----------------------------------------------------------------------------
@main.group()
def accounts() -> None:
    """Declare our own accounts: the brand's and each team member's (stored in the graph).

    \b
    Examples:
      influence accounts add @beantherecoffee --brand
      influence accounts add @ana_beanthere --member ana
      influence accounts list
      influence accounts remove @ana_beanthere
    """


@accounts.command("add")
@click.argument("handles", nargs=-1, required=True)
@click.option("--brand", is_flag=True, help="The brand's own account(s).")
@click.option("--member", default=None, metavar="NAME", help="A team member's account(s), with their name.")
@store_options
@click.pass_obj
@friendly_errors
def accounts_add(obj: Ctx, handles, brand, member) -> None:  # noqa: ANN001
    """Mark people in the graph as our accounts.

    \b
    Examples:
      influence accounts add @beantherecoffee --brand
      influence accounts add @ana_beanthere --member ana
    """
    from graph.errors import UsageError
    from graph.jobs.relations import add_accounts

    if brand == bool(member):
        raise UsageError("say whose account it is: --brand, or --member NAME")
    ours = add_accounts(obj.store(create=False), handles, role="brand" if brand else "member", member=member)
    _table(ours, None)


@accounts.command("remove")
@click.argument("handles", nargs=-1, required=True)
@store_options
@click.pass_obj
@friendly_errors
def accounts_remove(obj: Ctx, handles) -> None:  # noqa: ANN001
    """Unmark our accounts (they stay in the graph as ordinary people).

    \b
    Example:
      influence accounts remove @ana_beanthere
    """
    from graph.jobs.relations import remove_accounts

    _table(remove_accounts(obj.store(create=False), handles), None)


@accounts.command("list")
@store_options
@click.pass_obj
@friendly_errors
def accounts_list(obj: Ctx) -> None:
    """List our accounts.

    \b
    Example:
      influence accounts list
    """
    from graph.relations.accounts import our_accounts

    ours = our_accounts(obj.store(create=False).people())
    if ours.empty:
        click.echo("no accounts of ours yet: influence accounts add @brand --brand")
    else:
        _table(ours, None)


# -- who knows us, introductions, rising ------------------------------------------------------
@main.command()
@click.option("--top", default=50, show_default=True, help="How many people.")
@click.option("--out", type=click.Path(), default=None, help="Write a CSV instead of printing.")
@store_options
@click.pass_obj
@friendly_errors
def warm(obj: Ctx, top, out) -> None:  # noqa: ANN001
    """Who already knows us: follows, relays and mentions of our accounts (counts, last
    time) and the warm path from our nearest account, with the closest team member.

    \b
    Example:
      influence warm --top 30
    """
    from graph.jobs.relations import who_knows_us

    t0 = time.perf_counter()
    table = who_knows_us(_data(obj, out), top=top)
    _table(table, out, ["handle", "follows_us", "relays_us", "last_relay_us", "mentions_us", "last_mention_us",
                        "warm_distance", "closest_member", "path"])  # fmt: skip
    footer(time.perf_counter() - t0)


@main.command()
@click.option("--top", default=50, show_default=True, help="How many pairs.")
@click.option("--among", type=click.Choice(["auto", "tracked", "friends", "top"]), default="auto", show_default=True,
              help="Whom to pair: people tracked on the shortlist, our friends (one hop), or the top 300 scores.")
@click.option("--shortlist", "shortlist_file", type=click.Path(exists=True), help="Pair the people of this shortlist file instead.")
@click.option("--out", type=click.Path(), default=None, help="Write a CSV instead of printing.")
@store_options
@click.pass_obj
@friendly_errors
def introductions(obj: Ctx, top, among, shortlist_file, out) -> None:  # noqa: ANN001
    """Pairs worth introducing: not yet connected, sharing topics or a community,
    ranked by Adamic-Adar (contacts in common), each with a reason.

    \b
    Examples:
      influence introductions --top 50
      influence introductions --shortlist shortlist.csv --out intros.csv
    """
    from graph.jobs.relations import introduction_candidates
    from graph.jobs.relations import introductions as find

    t0 = time.perf_counter()
    data = _data(obj, out)
    pids = None
    if shortlist_file:
        from graph.shortlist.handles import read_handles

        pids = read_handles(shortlist_file, data.people).pids
    cands, what = introduction_candidates(data, among, pids)
    say(f"pairing {len(cands):,} people: {what}")
    _table(find(data, cands, top=top), out, ["handle_a", "handle_b", "adamic_adar", "common", "reason"])
    footer(time.perf_counter() - t0)


@main.command()
@click.option("--top", default=30, show_default=True, help="How many people.")
@click.option("--recent-days", default=30, show_default=True, help="The recent window (days, ending at the last event).")
@click.option("--before-days", default=90, show_default=True, help="The window before it (days).")
@click.option("--min-volume", default=5, show_default=True, help="Fewest relays+mentions received in the recent window.")
@click.option("--min-growth", default=2.0, show_default=True, help="Smallest growth of the daily rate.")
@click.option("--out", type=click.Path(), default=None, help="Write a CSV instead of printing.")
@store_options
@click.pass_obj
@friendly_errors
def rising(obj: Ctx, top, recent_days, before_days, min_volume, min_growth, out) -> None:  # noqa: ANN001
    """Rising voices: relays and mentions received growing fast, before they are expensive.

    \b
    Example:
      influence rising --recent-days 30 --before-days 90 --min-volume 5
    """
    from graph.jobs.relations import rising_voices

    t0 = time.perf_counter()
    table = rising_voices(_data(obj, out), top=top, recent_days=recent_days, before_days=before_days,
                          min_recent=min_volume, min_growth=min_growth)  # fmt: skip
    _table(table, out, ["handle", "recent", "before", "growth", "excess", "pct_followers", "score"])
    footer(time.perf_counter() - t0)


# -- listening ------------------------------------------------------------------------------------
@main.group()
def listen() -> None:
    """Listening: topic trends, questions that mention us, detractors.

    \b
    Examples:
      influence listen trends --freq MS
      influence listen questions
      influence listen detractors
    """


@listen.command("trends")
@click.option("--freq", type=click.Choice(["W", "MS"]), default="MS", show_default=True, help="Per week or month.")
@click.option("--top", default=8, show_default=True, help="How many hashtags.")
@click.option("--out", type=click.Path(), default=None, help="Write the per-period counts as CSV.")
@store_options
@click.pass_obj
@friendly_errors
def listen_trends(obj: Ctx, freq, top, out) -> None:  # noqa: ANN001
    """What the niche talks about: the top hashtags, gaining or losing lately.

    \b
    Example:
      influence listen trends --top 10
    """
    from graph.jobs.relations import trends
    from graph.relations.listening import topic_summary

    data = _data(obj, out)
    if out:
        _table(trends(data, freq=freq, top=top), out)
        return
    _table(topic_summary(data.posts, top=top), None)


@listen.command("questions")
@click.option("--all", "all_posts", is_flag=True, help="Every post that mentions us, not only questions.")
@click.option("--top", default=30, show_default=True, help="How many posts (newest first).")
@click.option("--out", type=click.Path(), default=None, help="Write a CSV instead of printing.")
@store_options
@click.pass_obj
@friendly_errors
def listen_questions(obj: Ctx, all_posts, top, out) -> None:  # noqa: ANN001
    """Who mentions our accounts and what they ask, newest first, with each post's tone.

    \b
    Example:
      influence listen questions --top 20
    """
    from graph.jobs.relations import questions

    _table(questions(_data(obj, out), all_posts=all_posts).head(top), out, ["created_at", "handle", "tone", "text"])


@listen.command("detractors")
@click.option("--out", type=click.Path(), default=None, help="Write a CSV instead of printing.")
@store_options
@click.pass_obj
@friendly_errors
def listen_detractors(obj: Ctx, out) -> None:  # noqa: ANN001
    """Influential people whose posts about us are mostly negative (VADER tone).

    \b
    Example:
      influence listen detractors
    """
    from graph.jobs.relations import detractors

    _table(detractors(_data(obj, out)), out, ["handle", "pct_score", "us_posts", "us_negative", "us_tone", "flag"])


# -- the card ---------------------------------------------------------------------------------------
@main.command()
@click.argument("handle")
@click.option("--json", "as_json", is_flag=True, help="Print the card as JSON.")
@click.option("--out", type=click.Path(), default=None, help="Write the card to a file (.json or .md).")
@store_options
@click.pass_obj
@friendly_errors
def card(obj: Ctx, handle, as_json, out) -> None:  # noqa: ANN001
    """One person's card: topics, top mutual contacts, active hours, last contact,
    warm path and flags.

    \b
    Examples:
      influence card @ana_beanthere
      influence card @hanathornbrook --out hana.md
    """
    from graph.jobs.relations import find_people, person_card
    from graph.relations.card import card_markdown

    data = _data(obj, out)
    pid = find_people(data.people, [handle])[0]
    bad = data.flags.get(pid)
    the_card = person_card(data, pid, flags=list(bad) if bad is not None else [])
    as_json = as_json or (out or "").lower().endswith(".json")
    text = json.dumps(the_card, indent=2, ensure_ascii=False) if as_json else card_markdown(the_card)
    if out:
        with open(out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
        click.echo(f"wrote {out}")
    else:
        sys.stdout.write(text + "\n")
