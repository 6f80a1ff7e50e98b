"""Streaming JSON for the platform loaders: JSON Lines, one document, or an X archive ``.js``.

:func:`iter_json` reads a file chunk by chunk and yields ``(line, value)`` for
each top-level JSON value; a top-level array is opened and its *elements* are
yielded one by one (an empty array yields nothing; a file with no JSON at all
is an error) (a Mastodon ``/followers`` page, an X archive file), so a
huge minified array streams in bounded memory. The ``window.YTD.<name>.partN =``
prefix of X archive files (and the older ``Grailbird.data.tweets_YYYY_MM =`` /
``var user_details =``) is skipped. A leading UTF-8 BOM is dropped.

Limits: one JSON value (one JSONL line, one array element, one page or
one ``mastodon-archive`` file) may be at most :data:`MAX_RECORD_BYTES` (64 MiB);
a larger one is refused with a :class:`~graph.model.LoadError` instead of being
buffered whole. A 50 MB single line therefore loads (and a minified array of
any size streams element by element); a 70 MB single object does not.
"""

from __future__ import annotations

import codecs
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from graph.model import LoadError
from loaders.base import open_binary

__all__ = ["iter_json", "iter_json_file", "MAX_RECORD_BYTES", "JSON_SUFFIXES", "expand_paths", "read_files"]

#: Largest single JSON value accepted (characters), see the module docstring.
MAX_RECORD_BYTES = 64 * 1024 * 1024
READ_CHUNK = 1 << 20
#: File names a folder is searched for (plain or ``.gz``).
JSON_SUFFIXES = (".json", ".jsonl", ".ndjson", ".js")

_WS = re.compile(r"[ \t\n\r]*")
# X archive prefixes: ``window.YTD.<name>.partN =`` (2019-), ``Grailbird.data.tweets_YYYY_MM =`` and
# ``var user_details =`` (2012-2018)
_YTD = re.compile(
    r"[ \t\n\r]*(?:window\.YTD\.[A-Za-z0-9_]+\.part\d+|Grailbird\.data\.[A-Za-z0-9_]+|var [A-Za-z_]+)[ \t]*=[ \t\n\r]*"
)
_DECODER = json.JSONDecoder()
_NEAR_END = 16
_LITERALS = ("true", "false", "null")  # an error this close to the end of the buffer may just need more data


def iter_json_file(path: str | Path, *, max_record: int = MAX_RECORD_BYTES) -> Iterator[tuple[int, Any]]:
    """:func:`iter_json` over a (possibly gzip) file."""
    with open_binary(path) as f:
        yield from iter_json(f, path=str(path), max_record=max_record)


def iter_json(
    source: IO[bytes] | IO[str] | bytes | str, *, path: str = "<input>", max_record: int = MAX_RECORD_BYTES
) -> Iterator[tuple[int, Any]]:
    """Yield ``(line, value)`` for each JSON value; top-level arrays are opened.

    >>> list(iter_json('{"a": 1}\\n{"a": 2}\\n'))
    [(1, {'a': 1}), (2, {'a': 2})]
    >>> list(iter_json('window.YTD.follower.part0 = [\\n {"x": 1},\\n {"x": 2}\\n]'))
    [(2, {'x': 1}), (3, {'x': 2})]
    >>> list(iter_json('{"a": 1}\\n{"a": 2'))
    Traceback (most recent call last):
    ...
    graph.errors.LoadError: <input>:2: invalid JSON: the value is cut short (truncated?): Expecting ',' delimiter
    """
    if isinstance(source, (bytes, str)):
        source = io.BytesIO(source) if isinstance(source, bytes) else io.StringIO(source)
    yield from _Stream(source, path, max_record).values()


class _Stream:
    """A growing text buffer over ``source`` with the line number of ``pos``."""

    def __init__(self, source: IO[Any], path: str, max_record: int) -> None:
        self.src, self.path, self.max = source, path, max_record
        self.decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.buf, self.pos, self.line, self.eof = "", 0, 1, False
        self.bol = 0  # index in buf where the line of ``pos`` begins (negative once trimmed)

    def fill(self, want: int = READ_CHUNK) -> None:
        """Append at least ``want`` more characters (or reach the end)."""
        if self.pos > READ_CHUNK:
            self.buf, self.bol, self.pos = self.buf[self.pos :], self.bol - self.pos, 0
        raw = self.src.read(max(want, READ_CHUNK))
        if isinstance(raw, str):
            text = raw
        else:
            try:
                text = self.decoder.decode(raw, final=not raw)
            except UnicodeDecodeError as exc:
                bad = bytes(exc.object)  # the undecoded bytes: leftovers of the last chunk + this one
                line = self.line + self.buf.count("\n", self.pos) + bad[: exc.start].count(b"\n")
                raise LoadError(
                    f"invalid UTF-8 (byte 0x{bad[exc.start]:02x}); save the file as UTF-8",
                    path=self.path, line=line,
                ) from None  # fmt: skip
        if not raw:
            self.eof = True
        self.buf += text

    def advance(self, to: int) -> None:
        n = self.buf.count("\n", self.pos, to)
        if n:
            self.line += n
            self.bol = self.buf.rfind("\n", self.pos, to) + 1
        self.pos = to

    def more(self) -> bool:
        """Skip whitespace; True if a character follows."""
        while True:
            self.advance(_WS.match(self.buf, self.pos).end())  # type: ignore[union-attr]
            if self.pos < len(self.buf):
                return True
            if self.eof:
                return False
            self.fill()

    def values(self) -> Iterator[tuple[int, Any]]:
        self.fill()
        if self.buf.startswith("\ufeff"):
            self.buf = self.buf[1:]
        m = _YTD.match(self.buf)
        archive = m is not None
        if m:
            self.advance(m.end())
        if not self.more():
            raise LoadError("empty file (no JSON records)", path=self.path)
        while self.more():
            if self.buf[self.pos] == "[":
                self.advance(self.pos + 1)
                yield from self.elements()
            elif archive and self.buf[self.pos] == ";":
                self.advance(self.pos + 1)
            else:
                yield self.value()

    def elements(self) -> Iterator[tuple[int, Any]]:
        first = True
        while True:
            if not self.more():
                raise LoadError("invalid JSON: the array is never closed (missing ']'; truncated?)",
                                path=self.path, line=self.line)  # fmt: skip
            c = self.buf[self.pos]
            if c == "]" and first:
                self.advance(self.pos + 1)
                return
            if not first:
                if c == "]":
                    self.advance(self.pos + 1)
                    return
                if c != ",":
                    raise LoadError(f"invalid JSON: expected ',' or ']' between array items, found {c!r}",
                                    path=self.path, line=self.line)  # fmt: skip
                self.advance(self.pos + 1)
                if not self.more() or self.buf[self.pos] == "]":
                    raise LoadError("invalid JSON: missing item after ','", path=self.path, line=self.line)
            yield self.value()
            first = False

    def value(self) -> tuple[int, Any]:
        start = self.line
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if not self.eof and (
                    exc.msg.startswith("Unterminated string") or exc.pos >= len(self.buf) - _NEAR_END
                ):
                    self._grow(start)
                    continue
                raise self._error(exc, start) from None
            if end == len(self.buf) and not self.eof:  # a number or value may go on in the next chunk
                self._grow(start)
                continue
            if end - self.pos > self.max:
                self._grow(start)  # raises: the value is over the limit
            self.advance(end)
            return start, value

    def _grow(self, start: int) -> None:
        pending = len(self.buf) - self.pos
        if pending > self.max:
            raise LoadError(
                f"one JSON value is larger than {self.max // (1024 * 1024)} MiB (the limit for one line or "
                "record); split the file into smaller records",
                path=self.path, line=start,
            )  # fmt: skip
        self.fill(want=min(pending, self.max + 1 - pending))  # double, but not far past the limit

    def _error(self, exc: json.JSONDecodeError, start: int) -> LoadError:
        err_line = start + self.buf.count("\n", self.pos, exc.pos)
        eol = self.buf.find("\n", self.pos)
        first_line = self.buf[self.pos : eol if eol >= 0 else len(self.buf)].strip()
        rest = self.buf[exc.pos :].strip()
        cut = not rest or exc.msg.startswith("Unterminated") or any(w.startswith(rest) for w in _LITERALS)
        if (cut or err_line > start) and first_line not in ("{", "["):
            return LoadError(
                f"invalid JSON: the value is cut short (truncated?): {exc.msg}", path=self.path, line=start
            )
        nl = self.buf.rfind("\n", self.pos, exc.pos)
        col = exc.pos - (nl + 1 if nl >= 0 else self.bol) + 1
        found = f", found {self.buf[exc.pos]!r}" if exc.pos < len(self.buf) else ""
        msg = exc.msg.replace("Invalid control character at", "control character inside a string")
        return LoadError(f"invalid JSON: {msg} (column {col}{found})", path=self.path, line=err_line)


def expand_paths(paths: list[str | Path], suffixes: tuple[str, ...] = JSON_SUFFIXES) -> list[Path]:
    """Files to read: each file as given, each folder's matching files (sorted, not recursive)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and _has_suffix(f, suffixes))
            if not found:
                raise LoadError(f"no {'/'.join(suffixes)} files in this folder", path=str(p))
            out.extend(found)
        else:
            out.append(p)
    return out


def _has_suffix(f: Path, suffixes: tuple[str, ...]) -> bool:
    name = f.name.lower().removesuffix(".gz")
    return name.endswith(suffixes)


def read_files(reader: Any, paths: list[str | Path], progress: Any = None) -> Any:
    """Feed every JSON file under ``paths`` to a record reader; return its batch.

    ``reader`` has ``read(records, path, progress)`` and ``finish()``
    (the platform loaders' readers).
    """
    for f in expand_paths(paths):
        reader.read(iter_json_file(f), str(f), progress)
    return reader.finish()
