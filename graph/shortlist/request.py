"""What a team lead asks for, and the rules every shortlist obeys (CLI and app alike).

:class:`ShortlistRequest` is the whole question (size, method, team, constraints);
:func:`eligibility` turns it and the people's stored state into who must be on the
list and who may not be:

* **locked** people are always on it (they count toward the size); a lock beats a
  ``declined`` stage, and removing someone unlocks them;
* **removed** people (a team member ticked "remove") stay off until restored;
* people whose stage is ``declined`` stay off (unless ``keep_declined``);
* ``min_relevance`` is a **percentile** (0–100) of niche relevance, for every method;
* hand-added people (``include``) are on it; ``exclude`` keeps people off;
* our own accounts (the brand's and the team's, ``our_role``) are never on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from graph.errors import UsageError

__all__ = ["ShortlistRequest", "Eligibility", "METHODS", "parse_team", "eligibility"]

#: Methods a person can choose, with the words the app shows.
METHODS: dict[str, str] = {
    "set": "Set: each pick adds the most people not reached yet",
    "degree_discount": "Set, fast: degree discount",
    "topk": "Top-k by composite score",
}


def parse_team(team: int | str | Iterable[str] | None) -> tuple[str, ...]:
    """Member names from ``"ana, ben"``, a list, or a team size (``3`` → member 1..3).

    >>> parse_team("ana, ben,,caro"), parse_team(2), parse_team(None)
    (('ana', 'ben', 'caro'), ('member 1', 'member 2'), ())
    >>> parse_team("ana, ana")
    Traceback (most recent call last):
    ...
    graph.errors.UsageError: team: member names repeat: ana
    """
    if team is None or team == "" or team == 0:
        return ()
    if isinstance(team, str):
        text = team.strip()
        if text.isdigit():
            return parse_team(int(text))
        names = [t.strip() for t in text.replace("\n", ",").split(",") if t.strip()]
    elif isinstance(team, int):
        if team < 0:
            raise UsageError(f"team: a team size must be positive, got {team}")
        names = [f"member {i + 1}" for i in range(team)]
    else:
        names = [str(t).strip() for t in team if str(t).strip()]
    repeats = sorted({n for n in names if names.count(n) > 1})
    if repeats:
        raise UsageError(f"team: member names repeat: {', '.join(repeats)}")
    return tuple(names)


@dataclass(frozen=True)
class ShortlistRequest:
    """A shortlist to build. ``include``/``exclude`` are pids (see :mod:`graph.shortlist.handles`).

    >>> ShortlistRequest(top=50, team=parse_team("ana, ben")).validated().capacity
    150
    >>> ShortlistRequest(min_relevance=150).validated()
    Traceback (most recent call last):
    ...
    graph.errors.UsageError: min_relevance is a percentile from 0 to 100, got 150
    """

    top: int = 300
    method: str = "set"
    team: tuple[str, ...] = ()
    capacity: int = 150
    max_per_community: int | None = None
    min_relevance: float | None = None
    include: tuple[str, ...] = field(default=())
    exclude: tuple[str, ...] = field(default=())
    keep_declined: bool = False
    seed: int = 0
    by: str = ""  #: who builds it (recorded on hand edits)

    def validated(self) -> ShortlistRequest:
        if self.method not in METHODS:
            raise UsageError(f"method must be one of {', '.join(METHODS)}, got {self.method!r}")
        if self.top < 1:
            raise UsageError(f"the shortlist size must be at least 1, got {self.top}")
        if self.capacity < 1:
            raise UsageError(f"capacity must be at least 1, got {self.capacity}")
        if self.max_per_community is not None and self.max_per_community < 1:
            raise UsageError(f"max per community must be at least 1, got {self.max_per_community}")
        if self.min_relevance is not None and not 0 <= self.min_relevance <= 100:
            raise UsageError(f"min_relevance is a percentile from 0 to 100, got {self.min_relevance:g}")
        if clash := sorted(set(self.include) & set(self.exclude)):
            raise UsageError(f"both added and excluded: {', '.join(clash)}")
        return self


@dataclass(frozen=True)
class Eligibility:
    """Who must be on the list (in order) and who may not; ``notes`` say why, for people."""

    include: tuple[str, ...]
    exclude: tuple[str, ...]
    notes: tuple[str, ...] = ()


def _flag(people: pd.DataFrame, col: str) -> np.ndarray:
    if col not in people:
        return np.zeros(len(people), dtype=bool)
    return people[col].astype("boolean").fillna(False).to_numpy(dtype=bool)


def eligibility(people: pd.DataFrame, request: ShortlistRequest) -> Eligibility:
    """Apply the rules of the module docstring to ``people`` (pid, locked, removed, stage,
    pct_relevance …).

    >>> p = pd.DataFrame({"pid": list("abcde"), "locked": [True, None, None, None, True],
    ...                   "removed": [None, True, None, None, None],
    ...                   "stage": [None, None, "declined", None, "declined"],
    ...                   "pct_relevance": [10.0, 90, 90, 40, 5]})
    >>> e = eligibility(p, ShortlistRequest(min_relevance=50, include=("d",)))
    >>> e.include, e.exclude
    (('a', 'e', 'd'), ('b', 'c'))
    """
    request = request.validated()
    pids = people["pid"].astype(str).to_numpy()
    known = set(pids)
    if unknown := sorted(set(request.include) - known):
        raise UsageError(f"not in the graph: {', '.join(unknown[:10])}")
    removed = _flag(people, "removed")
    locked = _flag(people, "locked") & ~removed
    declined = (
        people["stage"].eq("declined").fillna(False).to_numpy(dtype=bool)
        if "stage" in people
        else np.zeros(len(people), dtype=bool)
    )
    notes = []
    forced = list(dict.fromkeys([*pids[locked].tolist(), *request.include]))
    off = removed.copy()
    ours = people["our_role"].notna().to_numpy(dtype=bool) if "our_role" in people else np.zeros(len(people), bool)
    if ours.any():
        off |= ours
        notes.append(f"{int(ours.sum()):,} of our own accounts left out")
    if not request.keep_declined:
        off |= declined & ~locked
    off |= np.isin(pids, list(request.exclude))
    if request.min_relevance is not None:
        pct = people["pct_relevance"].to_numpy(float) if "pct_relevance" in people else np.full(len(people), np.nan)
        if np.isnan(pct).all():
            raise UsageError(
                "no relevance scores: rank with the niche's topics first (influence rank --topics '#a,#b'), "
                "or leave out the minimum relevance"
            )
        low = ~(np.nan_to_num(pct, nan=-1.0) >= request.min_relevance)
        notes.append(f"{int((low & ~off).sum()):,} people below the {request.min_relevance:g}th relevance percentile left out")
        off |= low
    forced_set = set(forced) - set(pids[ours])
    forced = [p for p in forced if p in forced_set]
    clash = [p for p in pids[removed] if p in set(request.include)]
    if clash:
        raise UsageError(f"removed from the shortlist (restore them first): {', '.join(clash[:10])}")
    exclude = tuple(p for p in pids[off] if p not in forced_set)
    if removed.any():
        notes.append(f"{int(removed.sum()):,} removed by the team left out (restore to bring them back)")
    if not request.keep_declined and (declined & ~locked & ~removed).any():
        notes.append(f"{int((declined & ~locked & ~removed).sum()):,} who declined left out")
    return Eligibility(tuple(forced), exclude, tuple(notes))
