"""Jobs on the team's shortlist: build it, read it, edit it, export it.

There is one shared list, kept in the graph (:mod:`graph.shortlist.saved`). The CLI and
the app call these same functions with the same :class:`ShortlistRequest`, so they
always agree: locked people are kept, removed and declined people left out, relevance
is a percentile, every method honours every constraint, and a rebuild keeps tracking
and never moves an owned person to someone else.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from graph.errors import UsageError
from graph.jobs.ranking import scored_people
from graph.model import SHORTLIST_COLUMNS, TRACKING_COLUMNS
from graph.shortlist import explain, saved
from graph.shortlist.cascade import posting_chance, propagation_graph
from graph.shortlist.request import ShortlistRequest, eligibility
from graph.shortlist.selection import set_shortlist
from graph.stores.base import Progress, Store

__all__ = [
    "ShortlistResult",
    "build_shortlist",
    "saved_shortlist",
    "track",
    "add_to_shortlist",
    "export_shortlist",
    "EXPORT_SUFFIXES",
]

#: File types a shortlist exports to.
EXPORT_SUFFIXES = (".csv", ".xlsx", ".graphml", ".gexf")


@dataclass(frozen=True)
class ShortlistResult:
    """A built shortlist: the saved list in rank order (:func:`saved_shortlist`), the
    request, how it compares with simple alternatives (None unless asked), and notes
    for people (who was left out and why, whose owner fell off the list)."""

    table: pd.DataFrame
    request: ShortlistRequest
    comparison: pd.DataFrame | None = None
    notes: tuple[str, ...] = field(default=())
    seconds: float = 0.0

    @property
    def method(self) -> str:
        return self.request.method

    def __len__(self) -> int:
        return len(self.table)


def _ranked(store: Store) -> pd.DataFrame:
    people = scored_people(store)
    if "score" not in people or people["score"].isna().all():
        raise UsageError("nobody is ranked yet: run `influence rank` (or Rank on the Data page) first")
    return people


def build_shortlist(
    store: Store, request: ShortlistRequest, *, progress: Progress | None = None
) -> ShortlistResult:
    """Pick the list, split it across the team, and save it in the graph for everyone.

    Nobody eligible gives an empty list and a note saying why, not an error.
    """
    started = time.perf_counter()
    say = progress or (lambda done, total, label: None)
    request = request.validated()
    with store.writing("shortlist"):  # the lock first: a second writer is told now, not after the work
        people = _ranked(store)
        rules = eligibility(people, request)
        notes = list(rules.notes)
        say(0, 4, "reading the graph")
        edges = store.edge_arrays_for(["follows", "relays"])
        follows, relays = edges["follows"], edges["relays"]
        events = store.relay_events()
        activity = posting_chance(events) if len(events) else None  # who still posts something relayable
        graph = propagation_graph(follows, relays, nodes=people["pid"], active=activity)
        say(1, 4, "picking")
        picks = set_shortlist(
            follows, relays, people, request.top, method=request.method, include=rules.include,
            exclude=rules.exclude, max_per_community=request.max_per_community, seed=request.seed, graph=graph,
        )  # fmt: skip
        if picks.empty:
            notes.append("nobody is eligible: every ranked person is excluded, removed, declined or below the "
                         "minimum relevance")  # fmt: skip
        else:
            say(2, 4, "explaining")
            picks = explain.annotate(picks, people, events, follows, relays=relays, posts=store.posts())
            if "our_role" in people and people["our_role"].notna().any():  # closest member, detractor flags
                from graph.relations.notes import annotate_relations

                edges = {"follows": follows, "relays": relays, "mentions": store.edge_arrays("mentions")}
                picks = annotate_relations(picks, people, edges, store.posts(text=True))
            if request.team:
                from graph.shortlist.team import split_team

                prefer = "closest_member" if "closest_member" in picks else None
                picks = split_team(picks, list(request.team), request.capacity, keep_owners=True, prefer=prefer)
        say(3, 4, "saving")
        notes += _owned_and_dropped(people, picks)
        rows = saved.list_rows(picks, people, method=request.method, forced=rules.include)
        store.write_shortlist(rows)
        table = _read_back(store, people, rows["pid"])
    say(4, 4, "saved")
    return ShortlistResult(table, request, None, tuple(notes), time.perf_counter() - started)


def _read_back(store: Store, people: pd.DataFrame, written: pd.Series) -> pd.DataFrame:
    """The saved list as :func:`saved_shortlist` would read it after a build, reading back
    only the people just written: a build changes nothing else (scores and percentiles are
    as read before it), and everyone on the list now was written by it."""
    if written.empty:
        return saved.saved_list(people.iloc[:0])
    fresh = store.people(written.tolist())
    cols = [c for c in (*SHORTLIST_COLUMNS, *TRACKING_COLUMNS) if c in fresh]
    mine = people["pid"].isin(written).to_numpy()
    before = people[mine].drop(columns=[c for c in cols if c in people])
    after = before.merge(fresh[["pid", *cols]], on="pid", how="left", validate="one_to_one")
    for c in cols:
        if c in people and after[c].dtype != people[c].dtype:  # the others' part of that column only
            after[c] = _typed_as_whole(after[c], people[c][~mine])
    order = [c for c in people.columns if c in after] + [c for c in after.columns if c not in people]
    return saved.saved_list(after[order])


def _owned_and_dropped(people: pd.DataFrame, picks: pd.DataFrame) -> list[str]:
    """A note naming people with an owner who were on the list and are not any more."""
    before = saved.saved_list(people)
    if "owner" not in before:
        return []
    gone = before[before["owner"].notna() & ~before["pid"].isin(picks["pid"] if len(picks) else [])]
    if gone.empty:
        return []
    who = ", ".join(f"@{h} ({o})" for h, o in zip(gone["handle"], gone["owner"], strict=True))
    return [f"{len(gone)} people with an owner are no longer on the list (their tracking is kept; lock them to "
            f"keep them on it): {who}"]  # fmt: skip


def _typed_as_whole(new: pd.Series, rest: pd.Series) -> pd.Series:
    """``new`` typed as a read of the whole column (``new`` and ``rest``) would type it:
    text if any value is text, float where whole numbers meet nulls, else objects with NaN.

    >>> _typed_as_whole(pd.Series([1, 2]), pd.Series([float("nan")])).dtype
    dtype('float64')
    >>> _typed_as_whole(pd.Series(["kim"], dtype="str"), pd.Series([float("nan")], dtype=object)).dtype
    <StringDtype(na_value=nan)>
    """
    kinds = {new.dtype.kind, rest.dtype.kind}
    if any(isinstance(d, pd.StringDtype) for d in (new.dtype, rest.dtype)) and (
        new.notna().any() or rest.notna().any()
    ):
        return new.astype("str")
    if kinds <= {"i", "u", "f"}:
        return new.astype("float64")
    values = new.to_numpy(dtype=object, copy=True)
    values[pd.isna(values)] = np.nan
    return pd.Series(values, index=new.index, dtype=object)


def saved_shortlist(store: Store) -> pd.DataFrame:
    """The shared list as everyone sees it: people on it, not removed, in rank order."""
    return saved.saved_list(scored_people(store))


def track(store: Store, pids: Iterable[str], changes: Mapping[str, object], *, by: str = "") -> int:
    """Apply a hand edit (owner, stage, notes, last contact, lock, remove/restore) to ``pids``;
    returns how many people were written."""
    rows = saved.edit_rows(scored_people(store), pids, changes, by=by)
    return store.write_shortlist(rows) if len(rows) else 0


def add_to_shortlist(store: Store, pids: Iterable[str], *, by: str = "") -> int:
    """Put people on the shared list by hand (locked, at the end; see
    :func:`graph.shortlist.saved.add_rows`); returns how many were written."""
    rows = saved.add_rows(scored_people(store), pids, by=by)
    return store.write_shortlist(rows) if len(rows) else 0


def export_shortlist(store: Store, path: str | Path, *, all_columns: bool = False) -> Path:
    """Write the saved list to ``path``: CSV, XLSX (a sheet per owner, raw metrics on their
    own sheet), or GraphML/GEXF (the list's subgraph with its tracking)."""
    from graph.shortlist.export import write_table

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise UsageError(f"{path}: export to {', '.join(EXPORT_SUFFIXES)}, not {suffix or 'a name without one'!r}")
    if not path.parent.exists():
        raise UsageError(f"{path}: the folder {path.parent} does not exist")
    table = saved_shortlist(store)
    if suffix in (".graphml", ".gexf"):
        from graph.jobs.data import export_graph

        return export_graph(store, path, pids=table["pid"].tolist(), people=table)
    return write_table(table, path, all_columns=all_columns)
