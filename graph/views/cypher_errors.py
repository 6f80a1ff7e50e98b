"""Cypher errors and dialect slips in plain words (the app's console and the CLI).

The engines answer in their own terms (``Binder exception: Cannot find property
scor for p.``, ``Parser exception: Invalid input <MATCH p=shortestPath>: expected
rule oC_SingleQuery``, ``Type mismatch for parameter 'n'``). :func:`explain_error`
turns the common ones into a sentence and a hint; :func:`dialect_hints` spots
syntax of the *other* dialect before or after a run (``labels(n)[0]`` runs on
LadybugDB and silently gives ``''``); :func:`missing_params` finds ``$names``
without a value (LadybugDB then matches nothing, silently); :func:`refusal_text`
words the read-only guard's refusal for a console that has no ``--allow-write``.

``dialect`` is ``"ladybug"`` (LadybugDB) or ``"neo4j"``, as
:func:`graph.views.query_library.dialect_key` returns it. Known names come from
the model (:data:`graph.stores.cypher.PERSON_PROPS`, ``POST_PROPS``, ``REL_TYPES``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graph.stores.cypher import PERSON_PROPS, POST_PROPS, REL_TYPES
from graph.stores.tokens import strip_literals

__all__ = ["Explained", "explain_error", "dialect_hints", "missing_params", "refusal_text"]

LABELS = ("Person", "Post")
REL_NAMES = (*REL_TYPES.values(), "AUTHORED", "RELAYED")
PROPS = tuple(dict.fromkeys([*PERSON_PROPS, *POST_PROPS]))
_ENGINE = {"ladybug": "LadybugDB", "neo4j": "Neo4j"}


@dataclass(frozen=True)
class Explained:
    """An engine error in plain words: what went wrong, what to write instead, and the
    engine's own message (kept for the curious)."""

    text: str
    hint: str = ""
    raw: str = ""


# -- dialect slips ---------------------------------------------------------------------------
#: (pattern in the query, hint) for Neo4j syntax that LadybugDB lacks or reads differently.
NEO4J_ONLY: tuple[tuple[str, str], ...] = (
    (r"\b(all)?shortestPath\s*\(", "shortest paths in LadybugDB: `MATCH p = (a)-[:FOLLOWS* SHORTEST 1..6]->(b)` "
     "instead of `shortestPath((a)-[:FOLLOWS*..6]->(b))`"),
    (r"\blabels\s*\([^()]*\)\s*\[", "`labels(n)` is a string in LadybugDB, so `labels(n)[0]` gives '': use `label(n)`"),
    (r"\btype\s*\(", "the relationship type in LadybugDB is `label(r)` (Neo4j: `type(r)`)"),
    (r"\belementId\s*\(", "LadybugDB has `id(n)` (an internal offset), not `elementId(n)`; "
     "better use the key: `n.pid` or `n.post_id`"),
    (r"\b(local)?datetime\s*\(\s*\)", "the current time in LadybugDB is `current_timestamp()` (Neo4j: `datetime()`)"),
    (r"\bdate\s*\(\s*\)", "today in LadybugDB is `current_date()` (Neo4j: `date()`)"),
    (r"\btoInteger\s*\(", "LadybugDB converts with `CAST(x AS INT64)` or `to_int64(x)` (Neo4j: `toInteger(x)`)"),
    (r"\btoFloat\s*\(", "LadybugDB converts with `CAST(x AS DOUBLE)` (Neo4j: `toFloat(x)`)"),
    (r"\btoString\s*\(", "LadybugDB converts with `CAST(x AS STRING)` (Neo4j: `toString(x)`)"),
    (r"\[\s*\w+\s+IN\b[^\]]*\|", "list comprehensions are `list_transform(list, x -> expr)` in LadybugDB "
     "(Neo4j: `[x IN list | expr]`)"),
    (r"\[\s*\w+\s+IN\b[^\]|]*\bWHERE\b", "filtering a list is `list_filter(list, x -> condition)` in LadybugDB "
     "(Neo4j: `[x IN list WHERE condition]`)"),
    (r"\bCALL\s+db\.", "LadybugDB has no `db.*` procedures: `CALL show_tables() RETURN *` lists labels and "
     "relationship types, `CALL table_info('Person') RETURN *` a label's properties"),
    (r"\bCALL\s+apoc\.", "APOC procedures exist only in Neo4j with the APOC plugin"),
)  # fmt: skip

#: The same for LadybugDB syntax that Neo4j does not read.
EMBEDDED_ONLY: tuple[tuple[str, str], ...] = (
    (r"\*\s*SHORTEST\b", "shortest paths in Neo4j: `MATCH p = shortestPath((a)-[:FOLLOWS*..6]->(b))` "
     "(LadybugDB: `-[:FOLLOWS* SHORTEST 1..6]->`)"),
    (r"\blabel\s*\(", "Neo4j has `labels(n)[0]` for a node and `type(r)` for a relationship (LadybugDB: `label(x)`)"),
    (r"\bCAST\s*\(", "Neo4j converts with `toInteger(x)`, `toFloat(x)`, `toString(x)` (LadybugDB: `CAST(x AS …)`)"),
    (r"\bto_int64\s*\(", "Neo4j converts with `toInteger(x)` (LadybugDB: `to_int64(x)`)"),
    (r"\blist_(transform|filter)\s*\(", "Neo4j writes `[x IN list | expr]` and `[x IN list WHERE condition]` "
     "(LadybugDB: `list_transform`, `list_filter`)"),
    (r"\bcurrent_timestamp\s*\(", "the current time in Neo4j is `datetime()` (LadybugDB: `current_timestamp()`)"),
    (r"\bcurrent_date\s*\(", "today in Neo4j is `date()` (LadybugDB: `current_date()`)"),
    (r"\b(show_tables|table_info)\s*\(", "Neo4j lists labels with `CALL db.labels()` and properties with "
     "`CALL db.schema.nodeTypeProperties()`"),
)  # fmt: skip


def dialect_hints(query: str, dialect: str) -> list[str]:
    """Hints for syntax of the other dialect in ``query`` (strings and comments ignored).

    >>> dialect_hints("MATCH (n) RETURN labels(n)[0], 'type(x)'", "ladybug")
    ["`labels(n)` is a string in LadybugDB, so `labels(n)[0]` gives '': use `label(n)`"]
    >>> dialect_hints("MATCH p = (a)-[:FOLLOWS* SHORTEST 1..3]->(b) RETURN p", "neo4j")[0][:32]
    'Shortest paths in Neo4j: `MATCH '
    >>> dialect_hints("MATCH (n:Person) RETURN n.handle", "ladybug")
    []
    """
    text = strip_literals(query)
    rules = NEO4J_ONLY if dialect == "ladybug" else EMBEDDED_ONLY
    return [hint[0].upper() + hint[1:] for pattern, hint in rules if re.search(pattern, text, flags=re.I)]


def missing_params(query: str, params: Mapping[str, object]) -> list[str]:
    """``$names`` the query uses that have no value in ``params``.

    >>> missing_params("MATCH (p {handle: $h}) RETURN p LIMIT $n", {"n": 3})
    ['h']
    """
    from graph.views.query_library import used_params

    return [p for p in used_params(query) if p not in params]


def refusal_text(message: str) -> str:
    """The read-only guard's refusal for the app's console, which has no ``--allow-write``.

    >>> refusal_text("read-only: SET writes to the graph (use --allow-write to permit writes)")
    'The console is read-only: SET writes to the graph.'
    """
    text = re.sub(r"\s*\(use --allow-write to permit writes\)", "", message).strip()
    text = re.sub(r"^read-only:\s*", "", text)
    return f"The console is read-only: {text.rstrip('.')}."


# -- errors ----------------------------------------------------------------------------------
def _close(word: str, known: Iterable[str]) -> str:
    """' (did you mean `score`?)' when a known name is close."""
    best = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    if not best:
        best = [k for k in known if k.lower() == word.lower()]
    return f" (did you mean `{best[0]}`?)" if best else ""


def _strip_prefix(message: str) -> str:
    msg = re.sub(r"^(Neo4j:\s*)", "", message.strip())
    return re.sub(r"^(Binder|Parser|Runtime|Conversion|Catalog|Interrupt|Copy|Buffer manager) exception:\s*",
                  "", msg)  # fmt: skip


def _where(message: str) -> str:
    """' at line 1, column 9' from either engine's position."""
    m = re.search(r"line:? (\d+), (?:column (\d+)|offset: (\d+))", message)
    if not m:
        return ""
    col = int(m.group(2)) if m.group(2) else int(m.group(3)) + 1
    return f" at line {m.group(1)}, column {col}"


_NUMBER_PARAM = '{"n": 10} (a number), not {"n": "10"} (text)'

#: Neo4j function -> LadybugDB form, for "function X does not exist".
_LB_FUNCTIONS = {
    "TYPE": "label(r)", "LABELS": "label(n)", "ELEMENTID": "id(n) (better: n.pid)",
    "DATETIME": "current_timestamp()", "LOCALDATETIME": "current_timestamp()", "DATE": "current_date()",
    "TOINTEGER": "CAST(x AS INT64)", "TOFLOAT": "CAST(x AS DOUBLE)", "TOSTRING": "CAST(x AS STRING)",
    "TOLOWER": "lower(x)", "TOUPPER": "upper(x)", "KEYS": "CALL table_info('Person') RETURN *",
}  # fmt: skip
_NEO_FUNCTIONS = {
    "label": "labels(n)[0] or type(r)", "current_timestamp": "datetime()", "current_date": "date()",
    "to_int64": "toInteger(x)", "list_transform": "[x IN list | expr]", "list_filter": "[x IN list WHERE cond]",
    "upper": "toUpper(x)", "lower": "toLower(x)",
}  # fmt: skip


def _rules(msg: str, query: str, dialect: str, params: Mapping[str, object]) -> Explained | None:
    engine = _ENGINE.get(dialect, "The database")
    if m := re.search(r"Cannot evaluate \$\w* as a valid (limit|skip) number|Parameter (\w+) not found|"
                      r"Expected parameter\(s\): ([\w, ]+)", msg):  # fmt: skip
        missing = missing_params(query, params) or [x for x in (m.group(2), m.group(3)) if x]
        names = ", ".join(f"${x}" for x in missing) or "a parameter"
        return Explained(f"The query uses {names} but Parameters gives it no value.",
                         f"Add it to Parameters (JSON), e.g. {{\"{missing[0] if missing else 'n'}\": 10}}, "
                         "or press Fill parameters.")  # fmt: skip
    if re.search(r"skip/limit must be a non-negative integer|(LIMIT|SKIP): Invalid input\. '[^']*' is not a valid "
                 r"value", msg) or re.search(r"Type mismatch for parameter '\w+': expected Integer", msg):  # fmt: skip
        return Explained("LIMIT and SKIP need a whole number of 0 or more.",
                         f"Give the parameter as a number without quotes: {_NUMBER_PARAM}.")  # fmt: skip
    if m := re.search(r'Cast failed\. Could not convert "([^"]*)" to (\w+)', msg):
        value, to = m.groups()
        kind = "a number" if re.match(r"(U?INT\d*|DOUBLE|FLOAT|DECIMAL|SERIAL)", to) else to.lower()
        return Explained(f"The value \"{value}\" could not be read as {kind} ({to}): the query compares or "
                         "combines values of different types.",
                         "Compare numbers with numbers and text with text. Parameters keep their JSON type: "
                         f"{_NUMBER_PARAM}; a handle is text: {{\"handle\": \"ana\"}}.")  # fmt: skip
    if re.search(r"Type mismatch: expected \w+ but was \w+|Cannot \w+ `\w+` and `\w+`|did not receive correct "
                 r"arguments|Cannot match a built-in function for given function", msg):  # fmt: skip
        return Explained("The query combines values of different types (e.g. text and a number).",
                         "Convert one side first: toInteger(x), toFloat(x) or toString(x) in Neo4j; "
                         "CAST(x AS INT64), CAST(x AS DOUBLE), CAST(x AS STRING) in LadybugDB.")  # fmt: skip
    if m := re.search(r"Cannot find property (\w+) for (\w+)", msg):
        prop, var = m.groups()
        return Explained(f"`{var}` has no property `{prop}`{_close(prop, PROPS)}.",
                         "People have " + ", ".join(f"`{p}`" for p in ("handle", "name", "followers", "pagerank",
                         "score", "community", "topics")) + "…; posts have `post_id`, `created_at`, `hashtags`, "
                         "`text`. Names are case-sensitive.")  # fmt: skip
    if m := re.search(r"Table (\w+) does not exist", msg):
        name = m.group(1)
        return Explained(f"There is no label or relationship type `{name}`{_close(name, (*LABELS, *REL_NAMES))}.",
                         f"Labels: {', '.join(LABELS)}; relationships: {', '.join(REL_NAMES)} "
                         "(case-sensitive).")  # fmt: skip
    if m := re.search(r"function (\w+) does not exist", msg):
        name = m.group(1).upper()
        form = _LB_FUNCTIONS.get(name)
        hint = f"In LadybugDB write `{form}`." if form else "See the examples for this store's dialect."
        return Explained(f"{engine} has no function `{name.lower()}`.", hint)
    if m := re.search(r"Unknown function '(\w+)'", msg):
        name = m.group(1)
        form = _NEO_FUNCTIONS.get(name.lower())
        hint = f"In Neo4j write `{form}`." if form else "See the examples for this store's dialect."
        return Explained(f"Neo4j has no function `{name}`.", hint)
    if "List extract takes 1-based position" in msg:
        return Explained("LadybugDB counts list positions from 1.", "Write `n.topics[1]` for the first item "
                         "(Neo4j counts from 0).")  # fmt: skip
    if re.search(r"Variable (\w+) is not in scope", msg) and re.search(r"\[\s*\w+\s+IN\b", strip_literals(query)):
        return Explained("LadybugDB does not read list comprehensions `[x IN list | …]`.",
                         "Write `list_transform(list, x -> expr)` or `list_filter(list, x -> condition)`.")
    if m := re.search(r"Variable (\w+) is not in scope|Variable `(\w+)` not defined", msg):
        name = m.group(1) or m.group(2)
        return Explained(f"`{name}` is used before it is defined.",
                         "Name it in MATCH (or WITH) before using it in WHERE or RETURN.")
    if re.search(r"[Dd]ivi(de|sion) by zero|/ by zero", msg):
        return Explained("The query divides by zero.", "Guard it: CASE WHEN d = 0 THEN null ELSE x / d END.")
    if m := re.search(r"Invalid input <(.*?)>: expected rule|Invalid input '([^']*)'", msg, flags=re.S):
        near = (m.group(1) or m.group(2) or "").strip()
        return Explained(f"{engine} could not read the query{_where(msg)}" + (f", near `{near[-40:]}`." if near
                         else "."), "Check brackets, quotes and keywords; the examples show this store's "
                         "dialect.")  # fmt: skip
    return None


def explain_error(message: str, query: str = "", *, dialect: str = "ladybug",
                  params: Mapping[str, object] | None = None) -> Explained:  # fmt: skip
    """An engine error in plain words, with a hint; syntax of the other dialect wins.

    >>> e = explain_error("Binder exception: Cannot find property scor for p.", "RETURN p.scor")
    >>> e.text
    '`p` has no property `scor` (did you mean `score`?).'
    >>> explain_error("Neo4j: LIMIT: Invalid input. '2.5' is not a valid value. Must be a non-negative integer.",
    ...               dialect="neo4j").text
    'LIMIT and SKIP need a whole number of 0 or more.'
    >>> q = "MATCH p=shortestPath((a)-[:FOLLOWS*]->(b)) RETURN p"
    >>> e = explain_error("Parser exception: Invalid input <MATCH p=shortestPath>: expected rule oC_SingleQuery "
    ...                   "(line: 1, offset: 8)", q)
    >>> e.text, e.hint[:40]
    ("LadybugDB can't read Neo4j's syntax here (line 1, column 9).", 'Shortest paths in LadybugDB: `MATCH p = ')
    """
    params = params or {}
    slips = dialect_hints(query, dialect)
    ruled = _rules(message, query, dialect, params)
    syntax = re.search(r"Parser exception|Invalid input|not in scope|function \w+ does not exist|Unknown function",
                       message)  # fmt: skip
    if slips and (ruled is None or syntax):
        other = "Neo4j's" if dialect == "ladybug" else "LadybugDB's"
        where = _where(message).replace(" at ", "", 1)
        return Explained(f"{_ENGINE.get(dialect, 'The database')} can't read {other} syntax here"
                         + (f" ({where})." if where else "."), " · ".join(slips), message)  # fmt: skip
    if ruled is not None:
        return Explained(ruled.text, ruled.hint, message)
    return Explained(_strip_prefix(message), "", message)
