"""The shortlist the team lead exports: top-k, handle lists, the export table, CSV/XLSX.

A shortlist is a table of picks in rank order. :func:`topk` ranks by a score
column; :func:`graph.shortlist.selection.set_shortlist` picks a set by marginal reach.
:func:`shortlist_frame` turns either into the export table, which
:func:`write_csv` and :func:`write_xlsx` write.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from graph.shortlist.explain import reasons as explain_reasons
from graph.model import METRICS, normalize_handle, split_pid
from graph.shortlist.team import member_names, team_summary

__all__ = [
    "EXPORT_COLUMNS",
    "OPTIONAL_COLUMNS",
    "Handles",
    "topk",
    "parse_handles",
    "read_handles",
    "shortlist_frame",
    "write_csv",
    "write_xlsx",
]

#: The export table's columns, in order.
EXPORT_COLUMNS: tuple[str, ...] = ("rank", "handle", "score", *METRICS, "reason")
#: Columns added after those when the shortlist has them (then ``pct_*``).
OPTIONAL_COLUMNS: tuple[str, ...] = ("owner", "flags", "marginal_gain", "community")


def topk(
    table: pd.DataFrame,
    n: int = 300,
    *,
    by: str = "score",
    exclude: Iterable[str] = (),
    include: Iterable[str] = (),
) -> pd.DataFrame:
    """The ``n`` best rows by ``by``, with must-includes in and exclusions out.

    Must-includes are merged into the ranking by ``by`` (the list stays sorted,
    so a rank always means the same thing); they displace the lowest others. If
    there are more must-includes than ``n``, all of them are returned. Ties break
    by ``pid``; a missing ``by`` value ranks last.

    Parameters
    ----------
    table : DataFrame
        One row per person with ``pid`` and ``by``.
    n : int
        Shortlist size.
    by : str
        Column to rank by, highest first.
    exclude, include : iterable of pid
        Never in / always in. A pid in both, or an unknown must-include, raises.

    Returns
    -------
    DataFrame
        Rows of ``table`` in rank order (fresh index).

    Examples
    --------
    >>> t = pd.DataFrame({"pid": list("abcd"), "score": [9, 7, 5, 1]})
    >>> topk(t, 2, exclude=["a"], include=["d"])["pid"].tolist()
    ['b', 'd']
    """
    include, exclude = list(dict.fromkeys(include)), set(exclude)
    if clash := sorted(set(include) & exclude):
        raise ValueError(f"both must-include and excluded: {clash}")
    if unknown := sorted(set(include) - set(table["pid"])):
        raise ValueError(f"must-includes not in the table: {unknown}")
    ranked = table[~table["pid"].isin(exclude)].sort_values(
        [by, "pid"], ascending=[False, True], na_position="last"
    )
    forced = ranked["pid"].isin(include).to_numpy()
    room = max(n - int(forced.sum()), 0)
    keep = forced | ((np.cumsum(~forced) <= room) & ~forced)
    return ranked[keep].reset_index(drop=True)


# -- handle lists -----------------------------------------------------------------
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
        raise ValueError(f"{path}:1: no 'handle' column (columns: {list(table.columns)})")
    lines = table["handle"].fillna("").tolist()
    if "platform" in table:
        platform = table["platform"].fillna("").str.strip().str.lower()
        lines = [f"{p}:{normalize_handle(h)}" if p else h for p, h in zip(platform, lines, strict=True)]
    return parse_handles([""] + lines, people, source=str(path))  # line 1 is the header


# -- the export table ---------------------------------------------------------------
def _as_text(value) -> str:
    if isinstance(value, (list, tuple, np.ndarray)):
        return "; ".join(map(str, value))
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def shortlist_frame(
    picks: pd.DataFrame,
    *,
    reasons: pd.Series | None = None,
    flags: pd.Series | None = None,
    pct: bool = True,
) -> pd.DataFrame:
    """The export table: ``rank, handle, score, <METRICS>, reason`` then extras.

    Extras, when ``picks`` has them: ``owner, flags, marginal_gain, community``
    and (with ``pct``) the ``pct_<metric>`` columns. Rank is the row order.

    Parameters
    ----------
    picks : DataFrame
        The shortlist in rank order: ``pid`` and ``handle`` (else taken from the pid).
    reasons : Series, optional
        Reason per pid (index) or per row. Best: :func:`graph.shortlist.explain.reasons`
        on the whole scores table, ``.set_axis(scores["pid"])``. Default:
        ``picks["reason"]``, else reasons computed on ``picks`` alone.
    flags : Series, optional
        Flag lists per pid (index) or per row; default ``picks["flags"]``.

    Examples
    --------
    >>> p = pd.DataFrame({"pid": ["x:ana"], "score": [88.0], "followers": [1200], "reason": ["relayed"]})
    >>> f = shortlist_frame(p)
    >>> list(f.columns[:4]), f.loc[0, "handle"], list(f.columns[-1:])
    (['rank', 'handle', 'score', 'followers'], 'ana', ['reason'])
    """
    out = pd.DataFrame(index=picks.index)
    out["rank"] = np.arange(1, len(picks) + 1)
    out["handle"] = picks["handle"] if "handle" in picks else [split_pid(p)[1] for p in picks["pid"]]
    for col in ("score", *METRICS):
        out[col] = picks[col] if col in picks else np.nan

    def by_pid(values: pd.Series) -> pd.Series:
        if picks["pid"].isin(values.index).all():  # indexed by pid
            return values.reindex(picks["pid"]).set_axis(picks.index)
        return values.reindex(picks.index)

    if reasons is not None:
        out["reason"] = by_pid(reasons)
    else:
        out["reason"] = picks["reason"] if "reason" in picks else explain_reasons(picks)
    out["reason"] = out["reason"].fillna("")
    flag_col = by_pid(flags) if flags is not None else picks.get("flags")
    for col in OPTIONAL_COLUMNS:
        if col == "flags" and flag_col is not None:
            out["flags"] = [_as_text(v) for v in flag_col]
        elif col in picks and col != "flags":
            out[col] = picks[col]
    if pct:
        for m in METRICS:
            if f"pct_{m}" in picks:
                out[f"pct_{m}"] = picks[f"pct_{m}"]
    return out.reset_index(drop=True)


def _flatten(df: pd.DataFrame) -> pd.DataFrame:
    """Lists (flags, topics) become ``"a; b"`` text."""
    flat = df.copy()
    for col in flat.columns:
        if flat[col].map(lambda v: isinstance(v, (list, tuple, np.ndarray))).any():
            flat[col] = flat[col].map(_as_text)
    return flat


def write_csv(df: pd.DataFrame, path: str | Path, *, encoding: str = "utf-8") -> Path:
    """Write the export table as CSV (lists joined with ``"; "``).

    Use ``encoding="utf-8-sig"`` for files double-clicked into Excel.

    >>> import tempfile, os
    >>> p = write_csv(pd.DataFrame({"rank": [1], "flags": [["a", "b"]]}), tempfile.mktemp(suffix=".csv"))
    >>> p.read_text().splitlines()
    ['rank,flags', '1,a; b']
    >>> os.unlink(p)
    """
    path = Path(path)
    flat = _flatten(df)
    flat.to_csv(path, index=False, encoding=encoding)
    return path


def _sheet_name(name: str, used: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of ``[]:*?/\\``, unique."""
    base = re.sub(r"[\[\]:*?/\\]", "_", str(name)).strip("'") or "sheet"
    base, k, out = base[:31], 2, base[:31]
    while out.lower() in used:
        suffix = f" ({k})"
        out, k = base[: 31 - len(suffix)] + suffix, k + 1
    used.add(out.lower())
    return out


def write_xlsx(df: pd.DataFrame, path: str | Path, *, team: int | Iterable[str] | None = None) -> Path:
    """Write one sheet per team member plus a ``summary`` sheet (openpyxl).

    ``team`` names the members (default: the ``owner`` values); without an
    ``owner`` column everything goes on one ``shortlist`` sheet. Headers are
    frozen and columns sized to their content.

    >>> import tempfile, os
    >>> t = pd.DataFrame({"rank": [1, 2], "handle": ["ana", "ben"], "owner": ["kim", "lee"]})
    >>> p = write_xlsx(t, tempfile.mktemp(suffix=".xlsx"), team=["kim", "lee", "max"])
    >>> pd.ExcelFile(p).sheet_names
    ['summary', 'kim', 'lee', 'max']
    >>> os.unlink(p)
    """
    path = Path(path)
    flat = _flatten(df)
    has_owner = "owner" in flat
    if team is not None:
        names = member_names(team)
    else:
        names = sorted(flat["owner"].dropna().unique(), key=str) if has_owner else []
    sheets: dict[str, pd.DataFrame] = {}
    used: set[str] = {"summary"}
    if has_owner and names:
        summary = team_summary(flat, names)
        for m in names:
            sheets[_sheet_name(m, used)] = flat[flat["owner"] == m]
        unassigned = flat[~flat["owner"].isin(names)]
        if len(unassigned):
            sheets[_sheet_name("unassigned", used)] = unassigned
    else:
        summary = pd.DataFrame({"picks": [len(flat)]})
        sheets[_sheet_name("shortlist", used)] = flat
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for name, table in {"summary": summary, **sheets}.items():
            table.to_excel(xw, sheet_name=name, index=False)
            ws = xw.sheets[name]
            ws.freeze_panes = "A2"
            for i, col in enumerate(table.columns, start=1):
                width = max([len(str(col))] + [len(str(v)) for v in table[col].head(200)])
                ws.column_dimensions[ws.cell(1, i).column_letter].width = min(max(width + 2, 6), 60)
    return path
