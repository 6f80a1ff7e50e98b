"""The read-only guard for ad-hoc Cypher, shared by both stores.

Defence in depth, cheapest first:

1. :func:`check_read_only` reads the query *as the database will* — comments
   and string literals removed, backtick identifiers neutralised — and refuses
   a second statement, any write or schema clause, file access (``LOAD``,
   ``COPY``), ``CALL { } IN TRANSACTIONS`` and procedures outside an allow-list.
   Neo4j decodes ``\\uXXXX`` escapes *before* it splits the text into tokens
   (``// \\u000a CREATE`` ends the comment there, ``'\\u0027`` closes the string) and
   ends a ``//`` comment at a bare carriage return; LadybugDB does neither. So a
   query must pass both as written and with its escapes decoded.
2. The store then asks the engine: Neo4j's ``EXPLAIN`` query type must be
   ``r``; LadybugDB runs the query inside ``BEGIN TRANSACTION READ ONLY``,
   where the engine itself rejects every write.
3. Neo4j runs it in a READ transaction with a timeout and a row cap.
"""

from __future__ import annotations

import re

from graph.errors import QueryRefused

__all__ = ["check_read_only", "strip_literals", "decode_unicode_escapes", "WRITE_WORDS"]

#: Clauses that write data or schema, or touch files, in either dialect.
WRITE_WORDS = (
    "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "ALTER",
    "COPY", "LOAD", "INSTALL", "ATTACH", "EXPORT", "IMPORT", "BEGIN", "COMMIT",
    "ROLLBACK", "CHECKPOINT", "FOREACH", "GRANT", "DENY", "REVOKE", "TERMINATE",
    # Neo4j administration commands (``RENAME USER`` passes EXPLAIN as query type ``s``)
    "RENAME", "SUSPEND", "ENABLE", "DISABLE", "DEALLOCATE", "REALLOCATE", "DRYRUN", "UNINSTALL",
)  # fmt: skip
#: Administration commands whose first word is also a common alias (``AS start``).
_ADMIN = re.compile(r"\b(START|STOP)\s+(DATABASES?|SERVERS?)\b", re.I)
#: JavaCC-style unicode escapes (``\\uXXXX``, any number of ``u``) as Neo4j decodes them.
_UNICODE_ESCAPE = re.compile(r"\\u+([0-9A-Fa-f]{4})")

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

_TOKEN = re.compile(
    r"""
    (?P<line_comment>//[^\n\r]*)
  | (?P<block_comment>/\*.*?(\*/|\Z))
  | (?P<string>'(?:[^'\\]|\\.)*('|\Z)|"(?:[^"\\]|\\.)*("|\Z))
  | (?P<ident>`(?:[^`]|``)*(`|\Z))
    """,
    re.S | re.X,
)


def strip_literals(query: str) -> str:
    """The query with comments removed and strings/backtick names blanked.

    >>> strip_literals("MATCH (n) /* CREATE */ RETURN 'SET x' AS `DELETE` // MERGE")
    'MATCH (n)   RETURN ? AS ?  '
    """

    def repl(m: re.Match[str]) -> str:
        return " " if m.lastgroup in ("line_comment", "block_comment") else "?"

    return _TOKEN.sub(repl, query)


def decode_unicode_escapes(query: str) -> str:
    """The query with ``\\uXXXX`` escapes decoded, as Neo4j's parser reads it.

    >>> decode_unicode_escapes(r"RETURN 1 // \\u000a CREATE (n)")
    'RETURN 1 // \\n CREATE (n)'
    """
    return _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), query)


def check_read_only(query: str) -> str:
    """Return the stripped query, or raise :class:`QueryRefused` saying why.

    The query must pass as written and with unicode escapes decoded.

    >>> check_read_only("MATCH (p:Person) RETURN p.handle LIMIT 5")
    'MATCH (p:Person) RETURN p.handle LIMIT 5'
    >>> check_read_only("MATCH (p) RETURN p; MATCH (q) DETACH DELETE q")
    Traceback (most recent call last):
    ...
    graph.errors.QueryRefused: only one statement at a time (found ';' followed by more)
    >>> check_read_only("MATCH (p) /* harmless */ SET p.x = 1")
    Traceback (most recent call last):
    ...
    graph.errors.QueryRefused: read-only: SET writes to the graph (use --allow-write to permit writes)
    >>> check_read_only(r"MATCH (p) // \\u000a SET p.x = 1")
    Traceback (most recent call last):
    ...
    graph.errors.QueryRefused: read-only: SET writes to the graph (use --allow-write to permit writes)
    """
    if not query or not query.strip():
        raise QueryRefused("empty query")
    decoded = decode_unicode_escapes(query)
    if decoded != query:
        _check(decoded)
    return _check(query)


def _check(query: str) -> str:
    text = strip_literals(query)
    head, sep, tail = text.partition(";")
    if sep and tail.strip(" \t\r\n;"):
        raise QueryRefused("only one statement at a time (found ';' followed by more)")
    words = re.findall(r"[A-Za-z_][A-Za-z_0-9.$]*", head)
    upper = [w.upper() for w in words]
    for w in upper:
        if w in WRITE_WORDS:
            what = "reads files" if w in ("LOAD", "COPY", "IMPORT", "ATTACH", "INSTALL") else "writes to the graph"
            raise QueryRefused(f"read-only: {w} {what} (use --allow-write to permit writes)")
    if _ADMIN.search(head):
        raise QueryRefused("read-only: administration commands are refused")
    if re.search(r"\bIN\s+(\d+\s+)?(CONCURRENT\s+)?TRANSACTIONS\b", head, re.I):
        raise QueryRefused("read-only: CALL { } IN TRANSACTIONS is refused")
    for m in re.finditer(r"\bCALL\s+([A-Za-z_][A-Za-z_0-9.]*)", head, re.I):
        name = m.group(1).lower()
        if name not in READ_PROCEDURES:
            raise QueryRefused(
                f"read-only: procedure {m.group(1)} is not on the read-only allow-list "
                f"({', '.join(sorted(READ_PROCEDURES))})"
            )
    return head.strip()
