"""Relationship tracking (a light CRM) kept on each person in the graph.

Columns are :data:`graph.model.TRACKING_COLUMNS`: ``owner`` (team member),
``stage`` (one of :data:`graph.model.STAGES`), ``notes``, ``last_contact``
(ISO date text) and ``locked`` (stays on the shortlist whatever a rebuild
picks). The app edits a table of these and writes only the rows that changed
with :meth:`graph.stores.base.Store.write_tracking`, so the whole team shares them.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from graph.errors import UsageError
from graph.model import STAGES, TRACKING_COLUMNS

__all__ = [
    "normalize_tracking",
    "attach_pids",
    "tracking_table",
    "tracking_changes",
    "assignment_rows",
    "locked_pids",
    "stage_summary",
]


def _text(v: object) -> str | None:
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return None
    s = str(v).strip()
    return s or None


def _date(v: object) -> str | None:
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) or v == "":
        return None
    if isinstance(v, (dt.date, dt.datetime, pd.Timestamp)):
        return pd.Timestamp(v).date().isoformat()
    try:
        return pd.Timestamp(str(v)).date().isoformat()
    except ValueError:
        raise UsageError(f"last_contact: {v!r} is not a date (use YYYY-MM-DD)") from None


def _stage(v: object) -> str | None:
    s = _text(v)
    if s is not None and s not in STAGES:
        raise UsageError(f"stage: {s!r} is not one of {', '.join(STAGES)}")
    return s


def normalize_tracking(df: pd.DataFrame) -> pd.DataFrame:
    """``pid`` plus every tracking column in canonical form: text or None, a known
    stage, an ISO date, a boolean ``locked``; raises ValueError on a bad value.

    >>> t = pd.DataFrame({"pid": ["a"], "owner": [" ana "], "stage": ["engaged"],
    ...                   "last_contact": [pd.Timestamp("2025-03-04 10:00")], "notes": [""]})
    >>> normalize_tracking(t).iloc[0].to_dict()
    {'pid': 'a', 'owner': 'ana', 'stage': 'engaged', 'notes': None, 'last_contact': '2025-03-04', 'locked': False}
    """
    out = pd.DataFrame({"pid": df["pid"].astype(str).to_numpy()})
    col = {c: (df[c].tolist() if c in df else [None] * len(df)) for c in TRACKING_COLUMNS}
    out["owner"] = pd.Series([_text(v) for v in col["owner"]], dtype=object)
    out["stage"] = pd.Series([_stage(v) for v in col["stage"]], dtype=object)
    out["notes"] = pd.Series([_text(v) for v in col["notes"]], dtype=object)
    out["last_contact"] = pd.Series([_date(v) for v in col["last_contact"]], dtype=object)
    out["locked"] = [bool(v) if v is not None and v is not pd.NA and v == v else False for v in col["locked"]]
    return out


def attach_pids(shortlist: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """The shortlist with a ``pid`` column (matched by handle, best score first,
    when the export table has none).

    >>> s = pd.DataFrame({"rank": [1], "handle": ["ana"]})
    >>> attach_pids(s, pd.DataFrame({"pid": ["x:ana"], "handle": ["ana"]})).pid.tolist()
    ['x:ana']
    """
    if "pid" in shortlist:
        return shortlist
    first = people.drop_duplicates("handle").set_index(people.drop_duplicates("handle")["handle"].astype(str))
    out = shortlist.copy()
    out.insert(0, "pid", out["handle"].astype(str).map(first["pid"]))
    return out


def tracking_table(
    pids: list[str], people: pd.DataFrame, *, assigned: pd.Series | None = None
) -> pd.DataFrame:
    """What the editor shows for ``pids``: ``pid, handle`` and the stored tracking;
    an empty stored ``owner`` takes the ``assigned`` member (Series by pid).

    >>> p = pd.DataFrame({"pid": ["a", "b"], "handle": ["ann", "bob"], "owner": [None, "kim"],
    ...                   "stage": [None, "engaged"]})
    >>> tracking_table(["b", "a"], p, assigned=pd.Series({"a": "lee", "b": "lee"}))[["handle", "owner", "stage"]]
      handle owner    stage
    0    bob   kim  engaged
    1    ann   lee     None
    """
    rows = people.set_index("pid").reindex(pids).reset_index()
    out = normalize_tracking(rows)
    out.insert(1, "handle", rows["handle"].to_numpy() if "handle" in rows else out["pid"])
    if assigned is not None:
        fill = out["pid"].map(assigned)
        out["owner"] = [o if o is not None else _text(f) for o, f in zip(out["owner"], fill, strict=True)]
    if "last_contact" in out:
        out["last_contact"] = pd.to_datetime(out["last_contact"]).dt.date
    return out


def tracking_changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``after`` (normalised) whose tracking differs from ``before`` (by pid);
    pids not in ``before`` count as changed.

    >>> b = pd.DataFrame({"pid": ["a", "b"], "stage": [None, "engaged"]})
    >>> a = pd.DataFrame({"pid": ["a", "b"], "stage": ["to contact", "engaged"], "notes": ["hi", None]})
    >>> tracking_changes(b, a)[["pid", "stage", "notes"]].values.tolist()
    [['a', 'to contact', 'hi']]
    """
    new = normalize_tracking(after)
    old = normalize_tracking(before).set_index("pid").reindex(new["pid"])
    changed = np.zeros(len(new), dtype=bool)
    for c in TRACKING_COLUMNS:
        a = new[c].to_numpy(dtype=object)
        b = old[c].to_numpy(dtype=object)
        changed |= np.array(
            [x != y and not (_text(x) is None and _text(y) is None) for x, y in zip(a, b, strict=True)]
        )
    return new[changed].reset_index(drop=True)


def assignment_rows(shortlist: pd.DataFrame, people: pd.DataFrame, *, stage: str = STAGES[0]) -> pd.DataFrame:
    """Tracking rows that record a shortlist's owners: ``owner`` from the
    shortlist, ``stage`` set to ``stage`` where none is stored yet, the rest kept.

    >>> s = pd.DataFrame({"pid": ["a", "b"], "owner": ["kim", "lee"]})
    >>> p = pd.DataFrame({"pid": ["a", "b"], "stage": [None, "engaged"], "notes": ["met", None]})
    >>> assignment_rows(s, p)[["pid", "owner", "stage", "notes"]].values.tolist()
    [['a', 'kim', 'to contact', 'met'], ['b', 'lee', 'engaged', None]]
    """
    stored = normalize_tracking(people.set_index("pid").reindex(shortlist["pid"]).reset_index())
    if "owner" in shortlist:
        stored["owner"] = [_text(o) or s for o, s in zip(shortlist["owner"], stored["owner"], strict=True)]
    stored["stage"] = [s or stage for s in stored["stage"]]
    return stored


def locked_pids(people: pd.DataFrame) -> list[str]:
    """Pids whose ``locked`` flag is set, in table order.

    >>> locked_pids(pd.DataFrame({"pid": ["a", "b", "c"], "locked": [True, None, False]}))
    ['a']
    """
    if "locked" not in people:
        return []
    return people.loc[people["locked"].fillna(False).astype(bool), "pid"].tolist()


def stage_summary(people: pd.DataFrame) -> pd.DataFrame:
    """Tracked people per owner and stage (stages as columns, in pipeline order).

    >>> p = pd.DataFrame({"pid": list("abc"), "owner": ["kim", "kim", None],
    ...                   "stage": ["engaged", "to contact", "engaged"]})
    >>> stage_summary(p).to_dict("index")
    {'(nobody)': {'to contact': 0, 'engaged': 1}, 'kim': {'to contact': 1, 'engaged': 1}}
    """
    if "stage" not in people:
        return pd.DataFrame()
    tracked = people[people["stage"].notna()]
    owner = (
        tracked["owner"].fillna("(nobody)")
        if "owner" in tracked
        else pd.Series("(nobody)", index=tracked.index)
    )
    table = pd.crosstab(owner.rename("owner"), tracked["stage"])
    cols = [s for s in STAGES if s in table.columns]
    table = table[cols]
    table.columns.name = None
    table.index.name = None
    return table
