"""The shortlist the team lead exports: the export table, CSV and XLSX.

A shortlist is a table of picks in rank order (:mod:`graph.shortlist.selection`).
:func:`shortlist_frame` turns it into the export table, which :func:`write_csv` and
:func:`write_xlsx` write.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from graph.model import METRICS, split_pid
from graph.shortlist.explain import reasons as explain_reasons
from graph.shortlist.team import member_names, team_summary

__all__ = ["EXPORT_COLUMNS", "OPTIONAL_COLUMNS", "shortlist_frame", "write_csv", "write_xlsx"]

#: The export table's columns, in order.
EXPORT_COLUMNS: tuple[str, ...] = ("rank", "handle", "score", *METRICS, "reason")
#: Columns added after those when the shortlist has them (then ``pct_*``).
OPTIONAL_COLUMNS: tuple[str, ...] = ("owner", "closest_member", "flags", "marginal_gain", "community")


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
