"""The shortlist as a team lead hands it out: readable columns, rounded numbers, CSV and XLSX.

:func:`export_table` turns the saved list (:func:`graph.shortlist.saved.saved_list`)
into the table people read — who, their owner and stage, when we last spoke, why they
are on the list and what they add — with the raw metrics only on request
(``all_columns``) or on their own XLSX sheet. :func:`write_table` writes it.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from graph.errors import UsageError
from graph.model import METRICS, split_pid
from graph.shortlist.team import team_summary

__all__ = ["READABLE", "export_table", "metrics_table", "write_table", "write_csv", "write_xlsx"]

#: saved-list column -> the header people read, in export order
READABLE: dict[str, str] = {
    "rank": "Rank",
    "handle": "Handle",
    "name": "Name",
    "platform": "Platform",
    "owner": "Owner",
    "stage": "Stage",
    "last_contact": "Last contact",
    "notes": "Notes",
    "locked": "Locked",
    "sl_reason": "Why them",
    "sl_gain": "Reach gain",
    "score": "Score",
    "followers": "Followers",
    "relays_received": "Relays received",
    "community": "Community",
    "sl_flags": "Flags",
    "sl_method": "Picked by",
}
_ROUND = {"sl_gain": 1, "score": 1}
_WHOLE = ("followers", "relays_received", "community", "rank")


def _text(value: object) -> str:
    if isinstance(value, (list, tuple, np.ndarray)):
        return "; ".join(map(str, value))
    return "" if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) else str(value)


def export_table(saved: pd.DataFrame, *, all_columns: bool = False) -> pd.DataFrame:
    """The readable table: the :data:`READABLE` columns the list has, numbers rounded,
    empty cells empty (never "None"); ``all_columns`` adds every raw metric.

    >>> s = pd.DataFrame({"rank": [1], "pid": ["x:ana"], "owner": ["dan"], "sl_gain": [12.345],
    ...                   "score": [88.888], "locked": [None], "stage": [None], "pagerank": [0.00123456789]})
    >>> export_table(s).iloc[0].to_dict()
    {'Rank': 1, 'Handle': 'ana', 'Owner': 'dan', 'Stage': '', 'Locked': False, 'Reach gain': 12.3, 'Score': 88.9}
    >>> export_table(s, all_columns=True).columns[-1]
    'pagerank'
    """
    s = saved.copy()
    if "handle" not in s:
        s["handle"] = [split_pid(p)[1] for p in s["pid"]]
    out = pd.DataFrame(index=s.index)
    for col, header in READABLE.items():
        if col not in s:
            continue
        values = s[col]
        if col in _ROUND:
            values = pd.to_numeric(values, errors="coerce").round(_ROUND[col])
        elif col in _WHOLE:
            values = pd.to_numeric(values, errors="coerce").round().astype("Int64")
        elif col == "locked":
            values = values.astype("boolean").fillna(False).astype(bool)
        else:
            values = values.map(_text)
        out[header] = values
    if all_columns:
        out = pd.concat([out, metrics_table(s).drop(columns=["Handle"])], axis=1)
    return out.reset_index(drop=True)


def metrics_table(saved: pd.DataFrame) -> pd.DataFrame:
    """Handle plus every raw metric and its percentile (6 significant digits)."""
    handle = saved["handle"] if "handle" in saved else saved["pid"].map(lambda p: split_pid(p)[1])
    cols = [c for m in METRICS for c in (m, f"pct_{m}") if c in saved]
    raw = saved[cols].apply(lambda c: c.map(lambda v: float(f"{v:.6g}") if pd.notna(v) else np.nan))
    return pd.concat([handle.rename("Handle"), raw], axis=1)


def write_table(saved: pd.DataFrame, path: str | Path, *, all_columns: bool = False) -> Path:
    """Write the saved list as ``.csv`` or ``.xlsx`` (a sheet per owner, then the metrics)."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return write_csv(export_table(saved, all_columns=all_columns), path)
    if path.suffix.lower() == ".xlsx":
        return write_xlsx(saved, path)
    raise UsageError(f"{path}: write .csv or .xlsx, not {path.suffix or 'a name without one'!r}")


def write_csv(table: pd.DataFrame, path: str | Path, *, encoding: str = "utf-8-sig") -> Path:
    """Write a table as CSV (UTF-8 with a BOM, so a double-click opens it right in Excel).

    >>> import tempfile, os
    >>> p = write_csv(pd.DataFrame({"Rank": [1], "Flags": ["a; b"]}), tempfile.mktemp(suffix=".csv"))
    >>> p.read_text(encoding="utf-8-sig").splitlines()
    ['Rank,Flags', '1,a; b']
    >>> os.unlink(p)
    """
    path = Path(path)
    table.to_csv(path, index=False, encoding=encoding)
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


def write_xlsx(saved: pd.DataFrame, path: str | Path) -> Path:
    """One sheet per owner (as stored, so edited owners have their own sheet), an
    ``unassigned`` sheet, a ``summary`` sheet first and the raw ``metrics`` last.

    >>> import tempfile, os
    >>> t = pd.DataFrame({"rank": [1, 2, 3], "pid": ["x:a", "x:b", "x:c"], "owner": ["kim", "dan", None]})
    >>> p = write_xlsx(t, tempfile.mktemp(suffix=".xlsx"))
    >>> pd.ExcelFile(p).sheet_names
    ['summary', 'dan', 'kim', 'unassigned', 'metrics']
    >>> os.unlink(p)
    """
    path = Path(path)
    table = export_table(saved)
    owners = saved["owner"].map(_text) if "owner" in saved else pd.Series("", index=saved.index)
    names = sorted({o for o in owners if o}, key=str.lower)
    used: set[str] = {"summary", "metrics"}
    sheets: dict[str, pd.DataFrame] = {}
    for name in names:
        sheets[_sheet_name(name, used)] = table[(owners == name).to_numpy()]
    if (owners == "").any():
        sheets[_sheet_name("unassigned", used)] = table[(owners == "").to_numpy()]
    summary = team_summary(saved.assign(owner=owners.replace("", None)), names) if names else pd.DataFrame(
        {"picks": [len(saved)]}
    )
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for name, frame in {"summary": summary, **sheets, "metrics": metrics_table(saved)}.items():
            frame.to_excel(xw, sheet_name=name, index=False)
            ws = xw.sheets[name]
            ws.freeze_panes = "A2"
            for i, col in enumerate(frame.columns, start=1):
                width = max([len(str(col))] + [len(str(v)) for v in frame[col].head(200)])
                ws.column_dimensions[ws.cell(1, i).column_letter].width = min(max(width + 2, 6), 60)
    return path
