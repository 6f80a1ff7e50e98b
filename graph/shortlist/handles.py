"""Handle lists a person types or keeps in a file (include / exclude lists), mapped to pids."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from graph.errors import UsageError
from graph.model import normalize_handle

__all__ = ["Handles", "parse_handles", "read_handles"]


class Handles(NamedTuple):
    """People found in a handle list, and what could not be matched (``file:line: ...``)."""

    pids: list[str]
    warnings: list[str]


def _clean(raw: str) -> str:
    """``@Bob``, ``https://x.com/Bob/`` and ``bob`` all become ``bob``."""
    text = raw.strip()
    if "/" in text:
        text = [p for p in text.split("/") if p][-1] if text.strip("/") else ""
    return normalize_handle(text)


def parse_handles(lines: Iterable[str], people: pd.DataFrame, *, source: str = "<list>") -> Handles:
    """Map handle lines to pids (the work behind :func:`read_handles`).

    One handle per line, ``#`` starts a comment, ``@`` optional, case-insensitive;
    a ``platform:handle`` pid or a profile URL also works. A handle on several
    platforms maps to all of them, with a warning.

    >>> people = pd.DataFrame({"pid": ["x:ana", "bluesky:ana", "x:ben"], "handle": ["Ana", "ana", "ben"]})
    >>> parse_handles(["@BEN  # great", "# comment", "cy", "ana"], people)
    Handles(pids=['x:ben', 'x:ana', 'bluesky:ana'], warnings=["<list>:3: unknown handle 'cy'", "<list>:4: 'ana' matches 2 people: x:ana, bluesky:ana"])
    """
    by_handle: dict[str, list[str]] = {}
    for pid, handle in zip(people["pid"], people["handle"], strict=True):
        by_handle.setdefault(normalize_handle(handle), []).append(pid)
    pids_known = set(people["pid"])
    found, warnings = [], []
    for lineno, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        if ":" in text and "/" not in text and text.lower() in pids_known:
            found.append(text.lower())
            continue
        handle = _clean(text)
        hits = by_handle.get(handle, [])
        if not hits:
            warnings.append(f"{source}:{lineno}: unknown handle {handle!r}")
        elif len(hits) > 1:
            warnings.append(f"{source}:{lineno}: {handle!r} matches {len(hits)} people: {', '.join(hits)}")
        found += hits
    return Handles(list(dict.fromkeys(found)), warnings)


def read_handles(path: str | Path, people: pd.DataFrame) -> Handles:
    """Read a handle list (text, or CSV with a ``handle`` column) and map it to pids.

    A CSV (``.csv`` or a first line naming a ``handle`` column) may also have a
    ``platform`` column, which then narrows the match. Unknown handles are
    reported in ``warnings`` with ``file:line``, never dropped silently.

    >>> import tempfile, os
    >>> people = pd.DataFrame({"pid": ["x:ana", "x:ben"], "handle": ["ana", "ben"]})
    >>> with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
    ...     _ = f.write("name,Handle\\nAna,@ana\\nZed,zed\\n")
    >>> read_handles(f.name, people).warnings == [f"{f.name}:3: unknown handle 'zed'"]
    True
    >>> os.unlink(f.name)
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    header = [c.strip().lower() for c in next(csv.reader([first]), [])]
    if path.suffix.lower() != ".csv" and not ("handle" in header and len(header) > 1):
        return parse_handles(text.splitlines(), people, source=str(path))
    table = pd.read_csv(io.StringIO(text), dtype=str, skip_blank_lines=False)
    table.columns = [str(c).strip().lower() for c in table.columns]
    if "handle" not in table:
        raise UsageError(f"{path}:1: no 'handle' column (columns: {list(table.columns)})")
    lines = table["handle"].fillna("").tolist()
    if "platform" in table:
        platform = table["platform"].fillna("").str.strip().str.lower()
        lines = [f"{p}:{normalize_handle(h)}" if p else h for p, h in zip(platform, lines, strict=True)]
    return parse_handles([""] + lines, people, source=str(path))  # line 1 is the header
