"""Split a shortlist across the team: each pick gets one owner.

Communities stay together where possible: each community's picks form a block,
blocks are placed largest first on the least-loaded member who can take the whole
block (longest-processing-time bin packing), and a block is split only when no
member has room for all of it, filling the member with the most room first so
the pieces stay large. Pairs that must share an owner and rows whose owner is
locked are honoured before anything else.

With ``prefer`` (each pick's preferred member, e.g. the team member who already
knows them: :mod:`graph.relations.warm_paths`), the member who knows the most of a
block's people wins it among those with equal claim and room, and a loose pick
goes to the member who knows them when they have room; capacity, balance and
communities come first.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

import pandas as pd

from graph.errors import UsageError

__all__ = ["split_team", "team_summary", "member_names"]


def member_names(members: int | Iterable[str]) -> list[str]:
    """Team member names; a number ``k`` gives ``member 1 .. member k``.

    >>> member_names(2), member_names(["ana", "ben"])
    (['member 1', 'member 2'], ['ana', 'ben'])
    """
    names = [f"member {i + 1}" for i in range(members)] if isinstance(members, int) else [str(m) for m in members]
    if not names:
        raise UsageError("the team has no members")
    if len(set(names)) != len(names):
        raise UsageError(f"member names repeat: {names}")
    return [str(n) for n in names]


def _preset(df: pd.DataFrame, names: list[str], keep_owners: bool = False) -> list[str | None]:
    """Owners that stay: a non-empty ``owner`` (only where ``locked`` when that column exists,
    unless ``keep_owners``). With ``keep_owners`` an owner not on the team joins it."""
    if "owner" not in df:
        return [None] * len(df)
    keep = df["owner"].notna() & (df["owner"].astype(str).str.strip() != "")
    if "locked" in df and not keep_owners:
        keep &= df["locked"].astype("boolean").fillna(False).astype(bool)
    owners = [str(o).strip() if k else None for o, k in zip(df["owner"], keep, strict=True)]
    for pid, o in zip(df["pid"], owners, strict=True):
        if o is not None and o not in names:
            if not keep_owners:
                raise UsageError(f"{pid}: owner {o!r} is not on the team {names}")
            names.append(o)
    return owners


def _atoms(pids: list[str], pairs: Iterable[tuple[str, str]]) -> list[list[int]]:
    """Groups of row positions that must share an owner (union-find over pairs)."""
    pos = {p: i for i, p in enumerate(pids)}
    parent = list(range(len(pids)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        for p in (a, b):
            if p not in pos:
                raise UsageError(f"pair ({a}, {b}): {p} is not on the shortlist")
        parent[root(pos[a])] = root(pos[b])
    groups: dict[int, list[int]] = {}
    for i in range(len(pids)):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values())


def split_team(
    shortlist: pd.DataFrame,
    members: int | Iterable[str],
    capacity: int = 150,
    *,
    pairs_together: Iterable[tuple[str, str]] = (),
    by: str | None = "community",
    tolerance: float = 0.1,
    keep_owners: bool = False,
    prefer: str | None = None,
) -> pd.DataFrame:
    """Assign each pick an owner, keeping communities together and loads even.

    Parameters
    ----------
    shortlist : DataFrame
        ``pid`` plus ``by`` (a missing or NaN value means "no block"); an
        existing ``owner`` is kept (only on rows with ``locked`` true when that
        column exists).
    members : int or list of str
        Team size or names.
    capacity : int
        Most picks per member.
    pairs_together : iterable of (pid, pid)
        Pairs that must share an owner.
    by : str or None
        Column whose values form the blocks kept together.
    tolerance : float
        How far above an even share (``len / members``) a member's load may
        go to keep a community whole; a block that would pass that is split.
        ``float("inf")`` never splits below ``capacity``.
    keep_owners : bool
        Keep every stored ``owner``, locked or not (a rebuild never moves someone a
        team member already owns); an owner who is not on the team joins it.
    prefer : str or None
        Column naming each pick's preferred member (missing: none); see the
        module docstring.

    Returns
    -------
    DataFrame
        ``shortlist`` (same rows and order) with an ``owner`` column.

    Raises
    ------
    ValueError
        Total capacity below the shortlist size, a locked member over capacity,
        a pair with two different locked owners, or an unknown owner or pid.

    Examples
    --------
    >>> s = pd.DataFrame({"pid": list("abcde"), "community": [0, 0, 0, 1, 1]})
    >>> split_team(s, ["ana", "ben"], capacity=3)["owner"].tolist()
    ['ana', 'ana', 'ana', 'ben', 'ben']
    >>> s["knows"] = [None, "ben", "ben", "ana", None]
    >>> split_team(s, ["ana", "ben"], capacity=3, prefer="knows")["owner"].tolist()
    ['ben', 'ben', 'ben', 'ana', 'ana']
    """
    names = member_names(members)
    df = shortlist.copy()
    preset = _preset(df, names, keep_owners)
    if len(names) * capacity < len(df):
        raise UsageError(
            f"{len(df)} picks but the team holds only {len(names)} x {capacity} = "
            f"{len(names) * capacity}: add members or raise the capacity"
        )
    blocks = df[by].tolist() if by and by in df else [None] * len(df)
    liked = [_key(v) for v in df[prefer]] if prefer and prefer in df else [None] * len(df)
    owner: list[str | None] = [None] * len(df)
    load = dict.fromkeys(names, 0)
    held: dict[object, Counter] = {}  # block -> rows per member

    def give(atom: list[int], m: str) -> None:
        for i in atom:
            owner[i] = m
            held.setdefault(_key(blocks[i]), Counter())[m] += 1
        load[m] += len(atom)

    pending: dict[object, list[list[int]]] = {}
    for atom in _atoms(df["pid"].tolist(), pairs_together):
        locked = {preset[i] for i in atom} - {None}
        if len(locked) > 1:
            raise UsageError(
                f"{[df['pid'].iloc[i] for i in atom]} must share an owner but are locked to {locked}"
            )
        if locked:
            give(atom, str(locked.pop()))
        else:
            pending.setdefault(_key(blocks[atom[0]]), []).append(atom)
    over = {m: n for m, n in load.items() if n > capacity}
    if over:
        raise UsageError(f"locked picks exceed the capacity {capacity}: {over}")

    def size(b) -> int:
        return sum(map(len, pending[b]))

    even = math.ceil(len(df) / len(names))
    cap = capacity if math.isinf(tolerance) else min(capacity, max(even, math.ceil(even * (1 + tolerance))))

    # real blocks largest first, then the loose rows (one atom each) to even out loads
    order = sorted((b for b in pending if b is not None), key=lambda b: (-size(b), str(b)))
    loose = [[a] for a in sorted(pending.get(None, []), key=len, reverse=True)]
    for atoms in [pending[b] for b in order] + loose:
        k = sum(map(len, atoms))
        block = _key(blocks[atoms[0][0]])
        have = held.setdefault(block, Counter())  # live: give() updates it
        knows = Counter(liked[i] for a in atoms for i in a)
        fits = [m for m in names if load[m] + k <= cap]
        if fits:
            first, second = (knows, have) if block is None else (have, knows)  # loose picks: who knows them
            give([i for a in atoms for i in a], max(fits, key=lambda m: (first[m], second[m], -load[m])))  # noqa: B023
            continue
        for atom in atoms:  # split: fill up to an even share, most room first, same member while it fits
            room = next(
                (ms for limit in (even, cap, capacity) if (ms := [m for m in names if load[m] + len(atom) <= limit])),
                [],
            )
            if not room:
                raise UsageError(f"no member has room for a group of {len(atom)} that must stay together")
            mine = Counter(liked[i] for i in atom)
            give(atom, max(room, key=lambda m: (have[m] > 0, mine[m], capacity - load[m])))
    df["owner"] = owner
    return df


def _key(value) -> object:
    """Block key: NaN and None mean 'no block'."""
    return None if pd.api.types.is_scalar(value) and pd.isna(value) else value


def team_summary(df: pd.DataFrame, members: Iterable[str] | None = None) -> pd.DataFrame:
    """Per member: how many people, across how many communities, the largest one, the
    average score and the reach they add (``sl_gain`` or ``marginal_gain``).

    >>> s = pd.DataFrame({"pid": list("abc"), "community": [0, 0, 1], "score": [90, 80, 70],
    ...     "owner": ["ana", "ana", "ben"]})
    >>> team_summary(s, ["ana", "ben", "cy"])
      Owner  People  Communities Largest community  Average score
    0   ana       2            1     #0 (2 people)           85.0
    1   ben       1            1     #1 (1 person)           70.0
    2    cy       0            0                              NaN
    """
    names = list(members) if members is not None else sorted(df["owner"].dropna().unique(), key=str)
    gain = "sl_gain" if "sl_gain" in df else "marginal_gain" if "marginal_gain" in df else None
    rows = []
    for m in names:
        mine = df[df["owner"] == m]
        row: dict[str, object] = {"Owner": m, "People": len(mine)}
        if "community" in df:
            counts = mine["community"].dropna().value_counts()
            row["Communities"] = len(counts)
            row["Largest community"] = (
                f"#{int(counts.index[0])} ({counts.iloc[0]} {'people' if counts.iloc[0] != 1 else 'person'})"
                if len(counts)
                else ""
            )
        if "score" in df:
            row["Average score"] = round(float(mine["score"].mean()), 1) if len(mine) else float("nan")
        if gain:
            row["Reach gain"] = round(float(pd.to_numeric(mine[gain], errors="coerce").sum()), 1)
        rows.append(row)
    return pd.DataFrame(rows)
