"""How the two databases split Cypher text into tokens: one linear pass.

:func:`tokenize` reads ``//`` and ``/* */`` comments, strings with backslash escapes,
backtick names with doubled backticks, ``$parameters`` and numbers (hex, exponent)
the way Neo4j 5 and LadybugDB do, with no backtracking: each step either consumes
a character class or jumps to the next delimiter. :func:`decode_unicode_escapes` is
Neo4j's reading of ``\\uXXXX`` escapes before it tokenizes (measured on 5.26: an odd
run of backslashes starts an escape, exactly four hex digits follow one ``u``).
:mod:`graph.stores.guard` decides on these tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.errors import QueryRefused

__all__ = ["Token", "tokenize", "decode_unicode_escapes", "params_in", "strip_literals"]


@dataclass(frozen=True, slots=True)
class Token:
    """One token: ``kind`` is word, name (backtick-quoted), string, number, param or
    punct; ``text`` is its value (a name unquoted, a parameter without ``$``);
    ``start``/``end`` are offsets in the text that was read; ``glued``: it follows
    the previous token with no space between."""

    kind: str
    text: str
    start: int
    end: int
    glued: bool = False

    def is_punct(self, chars: str) -> bool:
        return self.kind == "punct" and self.text in chars

    @property
    def keyword(self) -> str:
        """The upper-cased word if this could be a keyword (ASCII word), else ''."""
        return self.text.upper() if self.kind == "word" and self.text.isascii() else ""


_WORD = re.compile(r"[^\W\d]\w*")
_DIGITS = re.compile(r"\d+")
_HEX = re.compile(r"0[xX][0-9A-Fa-f]+|0[oO][0-7]+")
_EXPONENT = re.compile(r"[eE][+-]?\d+")
_LINE_END = re.compile(r"[\r\n]")
_STRING_STOP = {"'": re.compile(r"[\\']"), '"': re.compile(r'[\\"]')}


def tokenize(text: str, *, strict: bool = True) -> list[Token]:
    """Split ``text`` into tokens in one linear pass; comments and spaces are dropped.

    ``strict``: an unterminated string, name or comment, or a ``//`` comment ended by
    a bare carriage return (Neo4j ends it there, LadybugDB does not), raises
    :class:`QueryRefused`; otherwise it runs to the end of the text.

    >>> [(t.kind, t.text) for t in tokenize("MATCH (p) /* SET */ RETURN 'a\\\\'b' AS `x``y`, $n")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('word', 'MATCH'), ('punct', '('), ('word', 'p'), ('punct', ')'), ('word', 'RETURN'),
     ('string', "a\\\\'b"), ('word', 'AS'), ('name', 'x`y'), ('punct', ','), ('param', 'n')]
    """
    tokens: list[Token] = []
    i, n, glued = 0, len(text), False
    while i < n:
        c = text[i]
        if c.isspace():
            i, glued = i + 1, False
            continue
        if text.startswith("//", i):
            m = _LINE_END.search(text, i + 2)
            end = m.start() if m else n
            if strict and m and text[end] == "\r" and not text.startswith("\r\n", end) and end + 1 < n:
                raise QueryRefused(
                    "a // comment ends at a bare carriage return, which the two databases read differently; "
                    "end it with a newline"
                )
            i, glued = end, False
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                _unterminated(strict, "comment")
                break
            i, glued = end + 2, False
            continue
        start = i
        if c in "'\"":
            kind, i = "string", _string_end(text, i, strict)
            value = text[start + 1 : i - 1]
        elif c == "`":
            kind, i = "name", _name_end(text, i, strict)
            value = text[start + 1 : i - 1].replace("``", "`")
        elif c == "$":
            kind, i, value = _param(text, i, strict)
        elif c.isdigit():
            m = _HEX.match(text, i) or _DIGITS.match(text, i)
            assert m is not None
            i = m.end()
            if text.startswith(".", i) and i + 1 < n and text[i + 1].isdigit():
                i = _DIGITS.match(text, i + 1).end()  # type: ignore[union-attr]
            e = _EXPONENT.match(text, i)
            kind, i = "number", e.end() if e else i
            value = text[start:i]
        elif m := _WORD.match(text, i):
            kind, i, value = "word", m.end(), m.group()
        else:
            kind, i, value = "punct", i + 1, c
        tokens.append(Token(kind, value, start, i, glued))
        glued = True
    return tokens


def _unterminated(strict: bool, what: str) -> None:
    if strict:
        raise QueryRefused(f"unterminated {what}: the query cannot be read")


def _string_end(text: str, i: int, strict: bool) -> int:
    stop = _STRING_STOP[text[i]]
    j = i + 1
    while (m := stop.search(text, j)) is not None:
        if m.group() == "\\":
            j = m.end() + 1  # a backslash escapes the next character
            continue
        return m.end()
    _unterminated(strict, "string")
    return len(text)


def _name_end(text: str, i: int, strict: bool) -> int:
    j = i + 1
    while (k := text.find("`", j)) >= 0:
        if text.startswith("``", k):
            j = k + 2
            continue
        return k + 1
    _unterminated(strict, "`name`")
    return len(text)


def _param(text: str, i: int, strict: bool) -> tuple[str, int, str]:
    if text.startswith("`", i + 1):
        end = _name_end(text, i + 1, strict)
        return "param", end, text[i + 2 : end - 1].replace("``", "`")
    m = _WORD.match(text, i + 1) or _DIGITS.match(text, i + 1)
    if m is None:
        return "punct", i + 1, "$"
    return "param", m.end(), m.group()


# -- unicode escapes ------------------------------------------------------------------
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})")


def decode_unicode_escapes(text: str) -> str:
    """The text as Neo4j reads it: ``\\uXXXX`` decoded before tokenizing, unless the
    backslash is escaped by another one (an odd run of backslashes starts an escape).

    >>> decode_unicode_escapes(r"RETURN 1 // \\u000a CREATE (n)")
    'RETURN 1 // \\n CREATE (n)'
    >>> decode_unicode_escapes(r"'\\\\u0027' \\\\\\u0027")
    "'\\\\\\\\u0027' \\\\\\\\'"
    """
    out: list[str] = []
    i = 0
    while (j := text.find("\\", i)) >= 0:
        k = j
        while k < len(text) and text[k] == "\\":
            k += 1
        m = _ESCAPE.match(text, k - 1)
        if m and (k - j) % 2 == 1:
            out.append(text[i : k - 1])
            out.append(chr(int(m.group(1), 16)))
            i = m.end()
        else:
            out.append(text[i:k])
            i = k
    out.append(text[i:])
    return "".join(out)


def params_in(query: str) -> list[str]:
    """``$names`` a query uses, in order of first use (comments and strings ignored).

    >>> params_in("MATCH (p {handle: $handle}) WHERE p.x > $min // $not_this\\nRETURN '$nor' LIMIT $n")
    ['handle', 'min', 'n']
    """
    return list(dict.fromkeys(t.text for t in tokenize(query, strict=False) if t.kind == "param"))


def strip_literals(query: str) -> str:
    """The query as words and punctuation only: comments dropped, each string and
    backtick name replaced by ``?`` (for spotting syntax, never for the guard).

    >>> strip_literals("MATCH (n) /* CREATE */ RETURN 'SET x' AS `DELETE` // MERGE")
    'MATCH ( n ) RETURN ? AS ?'
    """
    out = []
    for t in tokenize(query, strict=False):
        out.append("?" if t.kind in ("string", "name") else ("$" + t.text if t.kind == "param" else t.text))
    return " ".join(out)
