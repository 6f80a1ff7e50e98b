"""One person, several accounts: a mapping file that unifies people across platforms.

Loads already unify people by platform + handle (the pid ``x:ann``), so
reloading or loading a second X file never duplicates anyone. Across
platforms, a CSV says who is who, one person per row, one column per platform
(a cell may list several handles separated by ``;``, e.g. an X username and
the numeric id an X archive keys them by)::

    x,bluesky,mastodon,name
    latteartlisa;1234567,lisa.bsky.social,lisa@coffee.social,Lisa
    beanbob,,bob@coffee.social,

The first handle of the first filled column is the person everyone in the row
becomes (``x:latteartlisa`` above); columns named ``name``, ``person``,
``label``, ``notes`` or ``email`` are ignored, ``twitter`` means ``x``. Apply
the same file to every load (the merged person's pid is stable, so reloads
stay duplicate-free).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import IO

import pandas as pd

from graph.model import GraphBatch, LoadError, make_pid
from loaders.base import finish_batch, open_text
from loaders.extras import replies_of, set_replies

__all__ = ["read_identities", "parse_identities", "apply_identities"]

_IGNORED = {"name", "person", "label", "notes", "note", "email"}
_ALIASES = {"twitter": "x"}
_PLATFORM = re.compile(r"^[a-z][a-z0-9_-]*$")


def read_identities(path: str | Path) -> dict[str, str]:
    """The alias → canonical pid map of a mapping CSV (see the module doc)."""
    try:
        with open_text(path) as f:
            return parse_identities(f, path=str(path))
    except UnicodeDecodeError:
        from loaders.base import utf8_error

        raise utf8_error(path) from None


def parse_identities(source: IO[str] | str, *, path: str = "<input>") -> dict[str, str]:
    """Parse mapping CSV text.

    >>> parse_identities("x,bluesky\\nLisa,lisa.bsky.social\\n")
    {'bluesky:lisa.bsky.social': 'x:lisa'}
    """
    f = io.StringIO(source) if isinstance(source, str) else source
    rows = csv.reader(f)
    header = next(rows, None)
    if not header:
        raise LoadError("empty mapping file (expected a header like x,bluesky,mastodon)", path=path)
    columns: list[str | None] = []
    for col in header:
        name = _ALIASES.get(col.strip().lower(), col.strip().lower())
        if name in _IGNORED:
            columns.append(None)
        elif not _PLATFORM.match(name):
            raise LoadError(f"{col!r} is not a platform name (x, bluesky, mastodon, …)", path=path, line=1)
        else:
            columns.append(name)
    if not any(columns):
        raise LoadError("no platform columns (expected a header like x,bluesky,mastodon)", path=path, line=1)
    alias: dict[str, str] = {}
    row_of: dict[str, int] = {}
    for lineno, row in enumerate(rows, start=2):
        pids = [(col, make_pid(col, h)) for col, cell in zip(columns, row, strict=False) if col
                for h in re.split(r"[;|]", cell) if h.strip().lstrip("@")]  # fmt: skip
        for col, pid in pids:
            if pid in row_of and row_of[pid] != lineno:
                raise LoadError(
                    f"{pid} is already listed on line {row_of[pid]}", path=path, line=lineno, field=col
                )
            row_of[pid] = lineno
        if pids:
            canonical = pids[0][1]
            alias.update({pid: canonical for _, pid in pids if pid != canonical})
    return alias


def apply_identities(batch: GraphBatch, identities: dict[str, str]) -> GraphBatch:
    """Rewrite every alias pid of ``batch`` to its person's canonical pid.

    >>> from loaders.base import finish_batch
    >>> b = GraphBatch(follows=pd.DataFrame({"source": ["bluesky:lisa.bsky.social", "x:bob"],
    ...                                       "target": ["x:bob", "x:lisa"]}))
    >>> out = apply_identities(finish_batch(b), {"bluesky:lisa.bsky.social": "x:lisa"})
    >>> out.follows.values.tolist()
    [['x:lisa', 'x:bob'], ['x:bob', 'x:lisa']]
    """
    if not identities:
        return batch
    people = batch.people.copy()
    hit = people["pid"].isin(identities.keys())
    merged = int(hit.sum())
    people["pid"] = _remap(people["pid"], identities)
    split = people.loc[hit, "pid"].str.split(":", n=1, expand=True)
    if merged:
        people.loc[hit, "platform"], people.loc[hit, "handle"] = split[0].to_numpy(), split[1].to_numpy()
        people = people.assign(
            _o=hit.astype(int)
        )  # the person's own row first, then their aliases.sort_values("_o", kind="stable").drop(columns="_o")
        people = people.groupby("pid", as_index=False, sort=False).first()
    out = GraphBatch(people=people, sources=list(batch.sources), notes=list(batch.notes))
    for t, cols in (("follows", ("source", "target")), ("posts", ("author",)), ("relayed", ("person",)),
                    ("relays", ("source", "target")), ("mentions", ("source", "target"))):  # fmt: skip
        df = getattr(batch, t).copy()
        for c in cols:
            df[c] = _remap(df[c], identities)
        setattr(out, t, df)
    replies = replies_of(batch).copy()
    for c in ("source", "target"):
        replies[c] = _remap(replies[c], identities)
    set_replies(out, replies)
    if merged:
        out.notes.append(f"identities: {merged:,} account(s) merged into the people they belong to")
    return finish_batch(out)


def _remap(s: pd.Series, identities: dict[str, str]) -> pd.Series:
    mapped = s.map(identities)
    return s.where(mapped.isna(), mapped).astype(s.dtype)
