"""The read-only guard for ad-hoc Cypher, shared by both stores.

Defence in depth, cheapest first:

1. :func:`check_read_only` splits the query into tokens *as the databases will*
   (:func:`graph.stores.tokens.tokenize`, one linear pass: ``//`` and ``/* */`` comments, strings with
   backslash escapes, backtick names with doubled backticks, ``$parameters``) and
   decides on the tokens: one statement only; it must start like a read (``MATCH``,
   ``OPTIONAL``, ``WITH``, ``UNWIND``, ``RETURN``, ``CALL``, ``SHOW``, after
   ``EXPLAIN``/``PROFILE``/``CYPHER`` options); no write, schema, admin,
   transaction or file keyword (:data:`REFUSED`) where a keyword can stand;
   ``CALL`` only of procedures on :data:`READ_PROCEDURES` — backticked or not — and
   never ``CALL name=value`` (a LadybugDB setting); ``SHOW`` only of indexes,
   constraints, procedures and functions. Names stay names: ``count(*) AS load``,
   ``$begin``, ``p.create`` and ``{set: 1}`` pass.
2. Neo4j decodes ``\\uXXXX`` escapes *before* it splits the text into tokens
   (``// \\u000a CREATE`` ends the comment there, ``'\\u0027`` closes the string),
   unless the backslash is itself escaped; LadybugDB does not. So the query must
   pass as written, as Neo4j decodes it (:func:`decode_unicode_escapes`) and, to be
   safe, with every ``\\u+XXXX`` decoded.
3. The store then asks the engine: Neo4j's ``EXPLAIN`` query type must be ``r`` and
   the query runs in a READ transaction; LadybugDB runs it in a child process on a
   read-only database, inside ``BEGIN TRANSACTION READ ONLY``, under a memory cap.
"""

from __future__ import annotations

import re

from graph.errors import QueryRefused
from graph.stores.tokens import Token, decode_unicode_escapes, params_in, tokenize

__all__ = [
    "Token",
    "tokenize",
    "check_read_only",
    "decode_unicode_escapes",
    "leading_mode",
    "params_in",
    "REFUSED",
    "READ_PROCEDURES",
]

#: Keywords that write data or schema, administer the server, control transactions,
#: change settings or touch files, in either dialect (refused where a keyword can stand).
REFUSED: dict[str, str] = {
    **dict.fromkeys(
        ("CREATE", "MERGE", "SET", "DELETE", "DETACH", "NODETACH", "REMOVE", "FOREACH", "INSERT", "UPDATE"),
        "writes to the graph",
    ),
    **dict.fromkeys(("DROP", "ALTER", "RENAME", "COMMENT", "TRUNCATE", "ANALYZE"), "changes the schema"),
    **dict.fromkeys(
        ("LOAD", "COPY", "EXPORT", "IMPORT", "ATTACH", "INSTALL", "UNINSTALL", "FORCE", "USE"),
        "reads or writes files or other databases",
    ),
    **dict.fromkeys(("BEGIN", "COMMIT", "ROLLBACK", "CHECKPOINT", "TRANSACTIONS", "PERIODIC"),
                    "controls transactions"),  # fmt: skip
    **dict.fromkeys(
        ("GRANT", "DENY", "REVOKE", "TERMINATE", "SUSPEND", "ENABLE", "DISABLE", "DEALLOCATE", "REALLOCATE",
         "DRYRUN"),
        "administers the server",
    ),  # fmt: skip
}
#: ``START``/``STOP`` are common names (``AS start``): refused only before these words.
_ADMIN_PAIRS = {"START": {"DATABASE", "DATABASES", "SERVER", "SERVERS"},
                "STOP": {"DATABASE", "DATABASES", "SERVER", "SERVERS"}}  # fmt: skip
#: How a read-only statement may begin (after ``EXPLAIN``/``PROFILE``/``CYPHER`` options).
_READ_STARTS = frozenset({"MATCH", "OPTIONAL", "WITH", "UNWIND", "RETURN", "CALL", "SHOW"})
_PREFIXES = frozenset({"EXPLAIN", "PROFILE"})
#: What ``SHOW`` may list, and the words that may stand between ``SHOW`` and it.
_SHOW_OK = frozenset({"INDEX", "INDEXES", "CONSTRAINT", "CONSTRAINTS", "PROCEDURE", "PROCEDURES",
                      "FUNCTION", "FUNCTIONS"})  # fmt: skip
_SHOW_MODIFIERS = frozenset({"ALL", "RANGE", "FULLTEXT", "TEXT", "POINT", "VECTOR", "LOOKUP", "BTREE", "UNIQUE",
                             "UNIQUENESS", "EXIST", "EXISTS", "EXISTENCE", "NODE", "REL", "RELATIONSHIP", "KEY",
                             "PROPERTY", "TYPE", "BUILT", "IN", "USER", "DEFINED"})  # fmt: skip

#: Procedures an analyst may CALL (lower case, exact names).
READ_PROCEDURES = frozenset(
    {
        # LadybugDB
        "show_tables", "table_info", "show_connection", "db_version", "show_functions",
        "current_setting", "show_indexes", "show_warnings",
        # Neo4j
        "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
        "db.schema.nodetypeproperties", "db.schema.reltypeproperties", "db.indexes",
        "db.constraints", "db.info", "dbms.components",
    }
)  # fmt: skip

_KEYWORDS = frozenset({*REFUSED, *_ADMIN_PAIRS, "CALL", "SHOW"})
#: every ``\\u+XXXX``, backslash escaped or not: a third, more suspicious reading
_ANY_ESCAPE = re.compile(r"\\u+([0-9A-Fa-f]{4})")
_HINT = " (use --allow-write to permit writes)"


def _readings(query: str) -> list[str]:
    """As written (LadybugDB), as Neo4j decodes it, and with every escape decoded."""
    readings = [query]
    if "\\" in query:
        for decoded in (decode_unicode_escapes(query),
                        _ANY_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), query)):  # fmt: skip
            if decoded not in readings:
                readings.append(decoded)
    return readings


# -- the decision -------------------------------------------------------------------------
def check_read_only(query: str) -> None:
    """Return if ``query`` is a single read-only statement, else raise
    :class:`QueryRefused` saying why. Every reading (:func:`_readings`) must pass.

    >>> check_read_only("MATCH (p:Person) RETURN count(*) AS load, $begin AS b")
    >>> check_read_only("MATCH (p) RETURN p; MATCH (q) DETACH DELETE q")
    Traceback (most recent call last):
    ...
    graph.errors.QueryRefused: only one statement at a time (found ';' followed by more)
    >>> check_read_only("MATCH (p) /* harmless */ SET p.x = 1")
    Traceback (most recent call last):
    ...
    graph.errors.QueryRefused: read-only: SET writes to the graph (use --allow-write to permit writes)
    >>> check_read_only("CALL `read_csv_serial`('/etc/hostname') RETURN *")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.errors.QueryRefused: read-only: procedure read_csv_serial is not on the read-only allow-list (...)
    """
    if not query or not query.strip():
        raise QueryRefused("empty query")
    for text in _readings(query):
        _check_tokens(tokenize(text))


def _check_tokens(tokens: list[Token]) -> None:
    semi = next((i for i, t in enumerate(tokens) if t.is_punct(";")), len(tokens))
    if any(not t.is_punct(";") for t in tokens[semi + 1 :]):
        raise QueryRefused("only one statement at a time (found ';' followed by more)")
    tokens = tokens[:semi]
    if not tokens:
        raise QueryRefused("empty query")
    _check_start(tokens)
    for i, t in enumerate(tokens):
        if t.kind == "word" and t.glued and i and tokens[i - 1].kind == "number":
            word = t.text.upper()
            if any(word.endswith(k) for k in _KEYWORDS):
                raise QueryRefused(f"read-only: {tokens[i - 1].text}{t.text}: put a space between a number and a word")
        word = t.keyword
        if not word or word not in _KEYWORDS or _is_name(tokens, i):
            continue
        if word in REFUSED:
            what = REFUSED[word]
            hint = _HINT if what == "writes to the graph" else f" (a name? quote it: `{t.text}`)"
            raise QueryRefused(f"read-only: {word} {what}{hint}")
        following = tokens[i + 1].keyword if i + 1 < len(tokens) else ""
        if word in _ADMIN_PAIRS and following in _ADMIN_PAIRS[word]:
            raise QueryRefused(f"read-only: {word} {following} administers the server")
        if word == "CALL":
            _check_call(tokens, i + 1)
        if word == "SHOW":
            _check_show(tokens, i + 1)


def _is_name(tokens: list[Token], i: int) -> bool:
    """Whether the word at ``i`` stands where only a name can: a label or type
    (``:load``), a property (``p.set``), an alias (``AS load``), a map key or a
    variable with a label (``{set: 1}``, ``[create:FOLLOWS]``)."""
    prev = tokens[i - 1] if i else None
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    if prev is not None and prev.is_punct(":"):
        return True
    if prev is not None and prev.is_punct(".") and i >= 2:
        before = tokens[i - 2]
        if before.kind in ("word", "name", "param") or before.is_punct(")]}"):
            return True
    if prev is not None and prev.keyword == "AS" and not (i >= 2 and tokens[i - 2].is_punct(".:")):
        return True
    return after is not None and after.is_punct(":")


def _check_start(tokens: list[Token]) -> None:
    """The statement must begin like a read, after EXPLAIN/PROFILE and CYPHER options."""
    i = _skip_prefix(tokens)
    first = tokens[i].keyword if i < len(tokens) else ""
    if first not in _READ_STARTS:
        shown = tokens[i].text if i < len(tokens) else "nothing"
        if first in REFUSED:
            what = REFUSED[first]
            raise QueryRefused(f"read-only: {first} {what}{_HINT if what == 'writes to the graph' else ''}")
        raise QueryRefused(
            f"read-only: a query must start with MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN, CALL or SHOW "
            f"(found {shown!r})"
        )


def _skip_prefix(tokens: list[Token]) -> int:
    """Index of the first token after ``EXPLAIN``/``PROFILE`` and ``CYPHER 5 runtime=x`` options."""
    i = 0
    while i < len(tokens):
        word = tokens[i].keyword
        if word in _PREFIXES:
            i += 1
        elif word == "CYPHER":
            i += 1
            while i < len(tokens) and (
                tokens[i].kind == "number"
                or (i + 1 < len(tokens) and tokens[i + 1].is_punct("="))
                or tokens[i].is_punct("=")
                or (tokens[i - 1].is_punct("=") and tokens[i].kind in ("word", "name", "string", "number"))
            ):
                i += 1
        else:
            break
    return i


def leading_mode(query: str) -> tuple[int, int] | None:
    """Where a leading ``EXPLAIN`` or ``PROFILE`` sits in ``query`` as written (start,
    end), reading it as Neo4j does; None if there is none.

    >>> q = "/**/ // plan\\n PROFILE MATCH (n) RETURN n"
    >>> s, e = leading_mode(q); q[:s] + q[e:]
    '/**/ // plan\\n  MATCH (n) RETURN n'
    >>> leading_mode("CYPHER 5 EXPLAIN RETURN 1") is not None, leading_mode("RETURN 1")
    (True, None)
    """
    try:
        tokens = tokenize(query)
    except QueryRefused:
        return None
    end = _skip_prefix(tokens)
    for t in tokens[:end]:
        if t.keyword in _PREFIXES:
            return t.start, t.end
    return None


def _qualified_name(tokens: list[Token], i: int) -> tuple[str, int]:
    """``db.labels`` or ``\\`db\\`.\\`labels\\``` from ``i``: the dotted name and the index after it."""
    parts: list[str] = []
    while i < len(tokens) and tokens[i].kind in ("word", "name"):
        parts.append(tokens[i].text)
        i += 1
        if i < len(tokens) and tokens[i].is_punct(".") and i + 1 < len(tokens):
            i += 1
        else:
            break
    return ".".join(parts), i


def _check_call(tokens: list[Token], i: int) -> None:
    if i < len(tokens) and tokens[i].is_punct("{("):
        return  # a subquery: its tokens are checked like the rest
    name, j = _qualified_name(tokens, i)
    if not name:
        raise QueryRefused("read-only: CALL must name a procedure from the read-only allow-list")
    if j < len(tokens) and tokens[j].is_punct("="):
        raise QueryRefused(f"read-only: CALL {name}=… changes a database setting")
    if name.lower() not in READ_PROCEDURES:
        raise QueryRefused(
            f"read-only: procedure {name} is not on the read-only allow-list ({', '.join(sorted(READ_PROCEDURES))})"
        )


def _check_show(tokens: list[Token], i: int) -> None:
    words = []
    while i < len(tokens) and tokens[i].keyword and tokens[i].keyword in _SHOW_MODIFIERS:
        words.append(tokens[i].keyword)
        i += 1
    target = tokens[i].keyword if i < len(tokens) else ""
    if target not in _SHOW_OK:
        shown = " ".join([*words, tokens[i].text if i < len(tokens) else ""]).strip()
        raise QueryRefused(f"read-only: SHOW {shown} is refused (only indexes, constraints, procedures, functions)")
