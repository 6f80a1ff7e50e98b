"""``influence --help`` without importing click, and the texts the group is made of.

Starting click costs about as much as starting Python, so the entry point
(:func:`graph.cli.run`) prints the group's help itself when that is all that was asked
(``influence --help`` / ``-h``) and hands everything else to click. The texts
here are the group's own (:mod:`graph.cli.base` builds the click group from
them) and :func:`render` lays them out as click does; a test compares the two at
several terminal widths. Imports: the standard library only.
"""

from __future__ import annotations

import os
import sys

__all__ = ["COMMANDS", "GROUP_HELP", "OPTION_HELP", "MAX_WIDTH", "render"]

#: the widest help click lays out (``max_content_width``)
MAX_WIDTH = 100

GROUP_HELP = """Influencer network graph explorer.

Options such as --store, --data-dir and --setting work before or after the
command. Settings also come from the environment and a .env file.

\b
Example:
  influence load sample_data/
  influence rank
  influence shortlist --top 300 --out shortlist.csv
"""

#: the group's options: as click shows them -> help
OPTION_HELP: dict[str, str] = {
    "--data-dir": "Embedded store folder (default .influence; env INFLUENCE_DATA_DIR).",
    "--store": "Where the graph lives; auto = Neo4j when NEO4J_URI is set, else embedded.",
    "--setting": "Any setting by name (see `influence settings`); repeatable.",
    "--debug": "Show the traceback of an internal error.",
}
_OPTION_ROWS = (
    ("--data-dir TEXT", OPTION_HELP["--data-dir"]),
    ("--store [auto|embedded|neo4j]", OPTION_HELP["--store"]),
    ("--setting NAME VALUE", OPTION_HELP["--setting"]),
    ("--debug", OPTION_HELP["--debug"]),
    ("-h, --help", "Show this message and exit."),
)

#: command -> (the module that defines it, the first paragraph of its help): ``influence --help``
#: lists the commands from here without importing them (a test checks them against the commands).
COMMANDS: dict[str, tuple[str, str]] = {
    "accounts": ("graph.cli.relations", "Declare our own accounts: the brand's and each team member's (stored in the graph)."),
    "app": ("graph.cli.serve", "Start the Streamlit app on the current store (on 127.0.0.1 unless --expose)."),
    "backtest": ("graph.cli.backtest", "Check the shortlist methods against what really happened next."),
    "card": ("graph.cli.relations", "One person's card: topics, top mutual contacts, active hours, last contact, warm path and flags."),
    "cypher": ("graph.cli.query", "Run a read-only Cypher query and print the result."),
    "demo": ("graph.cli.serve", "Load sample_data (if the store is empty), rank it, and start the app."),
    "export": ("graph.cli.data", "Export the graph (or a shortlist's subgraph) as GraphML or GEXF for Gephi."),
    "formats": ("graph.cli.data", "List the file formats `load` reads, and what each reads and drops."),
    "info": ("graph.cli.data", "Show which store is used and what it holds."),
    "introductions": ("graph.cli.relations", "Pairs worth introducing: not yet connected, sharing topics or a community, ranked by Adamic-Adar (contacts in common), each with a reason."),
    "listen": ("graph.cli.relations", "Listening: topic trends, questions that mention us, detractors."),
    "load": ("graph.cli.data", "Load files into the graph (all-or-nothing)."),
    "neo4j-import": ("graph.cli.data", "First load into an empty local Neo4j with neo4j-admin (server stopped and restarted)."),
    "rank": ("graph.cli.ranking", "Compute every metric and the composite score; write them to the graph."),
    "rising": ("graph.cli.relations", "Rising voices: relays and mentions received growing fast, before they are expensive."),
    "settings": ("graph.cli.data", "Show every setting: its value, where it came from, its variable and help."),
    "shortlist": ("graph.cli.shortlist", "Build the team's shortlist and save it in the graph (the app shows the same list)."),
    "track": ("graph.cli.shortlist", "Edit relationships on the shared list: owner, stage, notes, last contact, lock, remove."),
    "warm": ("graph.cli.relations", "Who already knows us: follows, relays and mentions of our accounts (counts, last time) and the warm path from our nearest account, with the closest team member."),
}  # fmt: skip


def help_width() -> int:
    """The width click lays help out in: the terminal's (``COLUMNS`` first), at most
    :data:`MAX_WIDTH`, less 2, at least 50."""
    try:
        columns = int(os.environ.get("COLUMNS", 0))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns if sys.__stdout__ else 0
        except (AttributeError, ValueError, OSError):
            columns = 0
    return max(min(columns or 80, MAX_WIDTH) - 2, 50)


def short_help(text: str, limit: int) -> str:
    """A command's line in the list: its first sentence, shortened to ``limit`` as click does.

    >>> short_help("Load files. Then more.", 45)
    'Load files.'
    >>> short_help("Who already knows us: follows, relays and mentions of our accounts", 30)
    'Who already knows us:...'
    """
    words = text.split()
    for i, word in enumerate(words):
        if word.endswith(".") and (i == len(words) - 1 or not words[i + 1][0].islower()):
            words = words[: i + 1]
            break
    line = " ".join(words)
    if len(line) <= limit:
        return line
    import textwrap

    return textwrap.shorten(line, limit, placeholder="...", break_on_hyphens=False)


def _wrap(text: str, width: int, indent: str) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent, replace_whitespace=False)


def _paragraphs(text: str, width: int, indent: str) -> list[str]:
    """click's ``wrap_text(preserve_paragraphs=True)``: paragraphs rewrapped, ``\\b`` ones kept."""
    out: list[str] = []
    for block in text.strip("\n").split("\n\n"):
        lines = block.splitlines()
        if out:
            out.append("")
        if lines[0].strip() == "\b":
            out += [indent + line for line in lines[1:]]
        else:
            out += _wrap(" ".join(line.strip() for line in lines), width, indent)
    return out


def _rows(rows: list[tuple[str, str]], width: int) -> list[str]:
    """click's definition list, indented by 2."""
    first = min(max(len(a) for a, _ in rows), 30) + 2
    out = []
    for term, text in rows:
        wrapped = _wrap(text, max(width - first - 2, 10), "") or [""]
        pad = " " * (first - len(term)) if len(term) <= first - 2 else "\n" + " " * (first + 2)
        out.append(f"  {term}{pad}{wrapped[0]}")
        out += [" " * (first + 2) + line for line in wrapped[1:]]
    return out


def render(prog: str = "influence", width: int | None = None) -> str:
    """The group's ``--help``, as click renders it at ``width`` (default: the terminal's).

    >>> render(width=78).splitlines()[0]
    'Usage: influence [OPTIONS] COMMAND [ARGS]...'
    """
    w = width or help_width()
    names = sorted(COMMANDS)
    limit = w - 6 - max(map(len, names))
    lines = [f"Usage: {prog} [OPTIONS] COMMAND [ARGS]...", "", *_paragraphs(GROUP_HELP, w, "  "), ""]
    lines += ["Options:", *_rows(list(_OPTION_ROWS), w), "", "Commands:"]
    lines += _rows([(n, short_help(COMMANDS[n][1], limit)) for n in names], w)
    return "\n".join(lines) + "\n"

