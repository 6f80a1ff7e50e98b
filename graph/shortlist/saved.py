"""The team's one shared shortlist, kept in the graph (``graph.model.SHORTLIST_COLUMNS``).

A build writes each pick's rank, method, gain, reason and flags onto the person, and
takes everyone else off the list; tracking (owner, stage, notes, last contact, locked)
is never touched by a build except to give an owner to a pick that has none. Edits
(:func:`edit_rows`) change tracking, lock or unlock, and remove or restore; a removal
keeps the person's rank but hides them (:func:`saved_list`) until restored, so it needs
no rebuild. Everyone — CLI, app, another session — reads the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from graph.errors import UsageError
from graph.model import TRACKING_COLUMNS
from graph.shortlist.tracking import normalize_tracking

__all__ = ["list_rows", "add_rows", "saved_list", "removed_list", "stale", "edit_rows", "STALE_DAYS"]

#: "How long since you contacted them": the default of the stale view, in days.
STALE_DAYS = 30


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _text_or_none(values: Iterable[object]) -> list[str | None]:
    out: list[str | None] = []
    for v in values:
        if isinstance(v, (list, tuple, np.ndarray)):
            v = "; ".join(map(str, v))
        out.append(None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) or v == "" else str(v))
    return out


def list_rows(
    picks: pd.DataFrame, people: pd.DataFrame, *, method: str, forced: Iterable[str] = (), built_at: str | None = None
) -> pd.DataFrame:
    """The rows a build writes: the picks in order, and everyone who was on the list before
    but is not now (their ``sl_*`` fields cleared). Picks without a stored owner get the
    owner the team split gave them (``picks.owner``); stored owners are kept.

    >>> people = pd.DataFrame({"pid": ["a", "b", "c"], "sl_rank": [1.0, 2.0, None],
    ...                        "owner": ["kim", None, None], "locked": [True, None, None]})
    >>> picks = pd.DataFrame({"pid": ["a", "c"], "marginal_gain": [5.0, 2.0], "reason": ["r1", "r2"],
    ...                       "owner": ["kim", "lee"]})
    >>> rows = list_rows(picks, people, method="set", forced=["a"], built_at="T")
    >>> rows[["pid", "sl_rank", "sl_method", "owner"]].values.tolist()
    [['a', 1, 'locked', 'kim'], ['c', 2, 'set', 'lee'], ['b', <NA>, None, None]]
    """
    built_at = built_at or _now()
    forced = set(forced)
    locked = set(people.loc[people.get("locked", pd.Series(False, index=people.index)).astype("boolean")
                            .fillna(False).to_numpy(dtype=bool), "pid"])  # fmt: skip
    stored_owner = people.set_index("pid")["owner"] if "owner" in people else pd.Series(dtype=object)
    pids = picks["pid"].astype(str).tolist()
    how = ["locked" if p in locked else "added" if p in forced else method for p in pids]
    owner = _text_or_none(stored_owner.reindex(pids).tolist()) if len(stored_owner) else [None] * len(pids)
    if "owner" in picks:
        owner = [o or n for o, n in zip(owner, _text_or_none(picks["owner"]), strict=True)]
    rows = pd.DataFrame({
        "pid": pids,
        "sl_rank": pd.array(np.arange(1, len(pids) + 1), dtype="Int64"),
        "sl_method": how,
        "sl_gain": pd.to_numeric(picks.get("marginal_gain", pd.Series(np.nan, index=picks.index)), errors="coerce")
        .to_numpy(dtype=float),
        "sl_reason": _text_or_none(picks.get("reason", pd.Series(None, index=picks.index))),
        "sl_flags": _text_or_none(picks.get("flags", pd.Series(None, index=picks.index))),
        "sl_built_at": built_at,
        "owner": owner,
    })  # fmt: skip
    was_on = people.loc[people.get("sl_rank", pd.Series(np.nan, index=people.index)).notna(), "pid"]
    gone = sorted(set(was_on) - set(pids))
    if gone:
        off = pd.DataFrame({"pid": gone, "sl_rank": pd.array([None] * len(gone), dtype="Int64")})
        for c in ("sl_method", "sl_reason", "sl_flags", "sl_built_at"):
            off[c] = None
        off["sl_gain"] = np.nan
        off["owner"] = _text_or_none(stored_owner.reindex(gone).tolist()) if len(stored_owner) else None
        rows = pd.concat([rows, off], ignore_index=True)
    return rows


def add_rows(people: pd.DataFrame, pids: Iterable[str], *, by: str = "", now: str | None = None) -> pd.DataFrame:
    """Rows that put people on the list by hand: at the end, locked (so a rebuild keeps
    them, where their rank then says what they add), restored if they were removed.
    People already on the list are only locked.

    >>> p = pd.DataFrame({"pid": ["a", "b", "c"], "sl_rank": [1.0, None, None], "removed": [None, True, None],
    ...                   "sl_method": ["set", None, None]})
    >>> add_rows(p, ["a", "b", "c"], by="kim", now="T")[["pid", "sl_rank", "sl_method", "locked", "removed"]].values.tolist()
    [['a', 1, 'set', True, False], ['b', 2, 'added', True, False], ['c', 3, 'added', True, False]]
    """
    pids = list(dict.fromkeys(pids))
    if missing := sorted(set(pids) - set(people["pid"])):
        raise UsageError(f"not in the graph: {', '.join(missing[:10])}")
    current = people.set_index("pid").reindex(pids)
    ranks = current["sl_rank"] if "sl_rank" in current else pd.Series(np.nan, index=current.index)
    on = ranks.notna().to_numpy()
    everyone = people["sl_rank"] if "sl_rank" in people else pd.Series(dtype=float)
    top = int(np.nanmax(everyone.to_numpy(dtype=float))) if everyone.notna().any() else 0
    new_rank = top + np.cumsum(~on)
    rows = pd.DataFrame({"pid": pids, "locked": True, "removed": False, "removed_by": None, "removed_at": None})
    rows["sl_rank"] = pd.array(np.where(on, ranks.fillna(0).to_numpy(), new_rank).astype(int), dtype="Int64")
    stamp = now or _now()
    for col, fresh in (("sl_method", "added"), ("sl_reason", f"added by hand{f' by {by}' if by else ''}"),
                       ("sl_built_at", stamp)):  # fmt: skip
        kept = _text_or_none(current[col]) if col in current else [None] * len(pids)
        rows[col] = [k if o else fresh for k, o in zip(kept, on, strict=True)]
    return rows


def _on_list(people: pd.DataFrame) -> pd.Series:
    if "sl_rank" not in people:
        return pd.Series(False, index=people.index)
    return people["sl_rank"].notna()


def _removed(people: pd.DataFrame) -> pd.Series:
    if "removed" not in people:
        return pd.Series(False, index=people.index)
    return people["removed"].astype("boolean").fillna(False).astype(bool)


def saved_list(people: pd.DataFrame) -> pd.DataFrame:
    """The shared shortlist: people on it and not removed, in rank order, with ``rank``
    renumbered 1..n (removals leave no gaps).

    >>> p = pd.DataFrame({"pid": list("abc"), "sl_rank": [2.0, 1.0, 3.0], "removed": [None, None, True]})
    >>> saved_list(p)[["rank", "pid"]].values.tolist()
    [[1, 'b'], [2, 'a']]
    """
    on = people[_on_list(people) & ~_removed(people)].sort_values("sl_rank", kind="stable")
    out = on.reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


def removed_list(people: pd.DataFrame) -> pd.DataFrame:
    """People the team removed (who, when), most recent first."""
    gone = people[_removed(people)]
    return gone.sort_values("removed_at", ascending=False, na_position="last").reset_index(drop=True)


def stale(saved: pd.DataFrame, days: int = STALE_DAYS, *, today: dt.date | None = None) -> pd.DataFrame:
    """People on the list not contacted in ``days`` days (or never), longest first,
    leaving out those who declined; ``days_since`` is empty for never.

    >>> s = pd.DataFrame({"rank": [1, 2, 3, 4], "pid": list("abcd"),
    ...                   "last_contact": ["2026-01-01", "2026-01-30", None, "2025-12-01"],
    ...                   "stage": [None, None, None, "declined"]})
    >>> stale(s, 10, today=dt.date(2026, 2, 1))[["pid", "days_since"]].values.tolist()
    [['c', <NA>], ['a', 31]]
    """
    if days < 0:
        raise UsageError(f"--stale takes a number of days (0 or more), got {days}")
    today = today or dt.date.today()
    when = pd.to_datetime(saved.get("last_contact", pd.Series(None, index=saved.index)), errors="coerce")
    since = (pd.Timestamp(today) - when).dt.days.astype("Int64")
    out = saved.assign(days_since=since)
    if "stage" in out:
        out = out[~out["stage"].eq("declined").fillna(False)]
    old = out["days_since"].isna() | (out["days_since"] >= days)
    out = out[old.to_numpy(dtype=bool)]
    order = out["days_since"].fillna(np.iinfo(np.int64).max).astype("int64")
    return out.assign(_o=-order).sort_values(["_o", "rank"], kind="stable").drop(columns="_o").reset_index(drop=True)


#: what ``edit_rows`` accepts, besides the tracking columns
_EDIT_FLAGS = ("lock", "remove")


def edit_rows(
    people: pd.DataFrame,
    pids: Iterable[str],
    changes: Mapping[str, object],
    *,
    by: str = "",
    now: str | None = None,
) -> pd.DataFrame:
    """Rows to write for a hand edit of ``pids``: tracking fields in ``changes`` (``owner``,
    ``stage``, ``notes``, ``last_contact``; ``""`` clears one), ``lock`` (True/False) and
    ``remove`` (True removes and unlocks, recording who and when; False restores).

    >>> p = pd.DataFrame({"pid": ["a", "b"], "owner": ["kim", None], "stage": [None, "engaged"],
    ...                   "locked": [True, None], "sl_rank": [1.0, 2.0]})
    >>> r = edit_rows(p, ["a"], {"stage": "engaged", "remove": True}, by="lee", now="T")
    >>> r[["pid", "owner", "stage", "locked", "removed", "removed_by", "removed_at"]].values.tolist()
    [['a', 'kim', 'engaged', False, True, 'lee', 'T']]
    >>> edit_rows(p, ["a"], {"stage": "married"})
    Traceback (most recent call last):
    ...
    graph.errors.UsageError: stage: 'married' is not one of to contact, in conversation, engaged, declined
    """
    unknown = set(changes) - set(TRACKING_COLUMNS) - set(_EDIT_FLAGS)
    if unknown:
        raise UsageError(f"cannot edit {', '.join(sorted(unknown))}")
    pids = list(dict.fromkeys(pids))
    if missing := sorted(set(pids) - set(people["pid"])):
        raise UsageError(f"not in the graph: {', '.join(missing[:10])}")
    current = people.set_index("pid").reindex(pids).reset_index()
    rows = current[["pid"]].copy()
    for c in TRACKING_COLUMNS:
        rows[c] = current[c] if c in current else None
    for c, v in changes.items():
        if c in TRACKING_COLUMNS:
            rows[c] = None if v == "" else v
    if "lock" in changes:
        rows["locked"] = bool(changes["lock"])
    rows = normalize_tracking(rows)
    if "remove" in changes:
        if changes["remove"]:
            rows["removed"], rows["removed_by"], rows["removed_at"] = True, by or None, now or _now()
            rows["locked"] = False
        else:
            rows["removed"], rows["removed_by"], rows["removed_at"] = False, None, None
    return rows

