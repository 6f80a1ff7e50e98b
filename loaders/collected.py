"""The accumulator the JSON platform loaders fill: plain column lists keyed by each
platform's *native* account reference (an X user id or ``@name``, a Bluesky DID, a
Mastodon ``user@instance``). The loader turns references into handles once every
file of the load has been read, so a username seen in one file keys the ids of
another — and a mention and a reply that name the same account differently (id
vs ``@name``) are the same person, counted once per post.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

from graph.model import TABLE_DTYPES, GraphBatch, normalize_handle
from loaders.extras import ENGAGEMENT, set_replies

__all__ = ["Collected"]


@dataclass
class Collected:
    """Rows of one load, keyed by native account references (see module doc)."""

    platform: str
    people: dict[str, list] = field(default_factory=dict)  # ref -> [handle, name, bio, followers, extra]
    follows: tuple[list, list] = field(default_factory=lambda: ([], []))
    posts: tuple[list, ...] = field(default_factory=lambda: ([], [], [], [], []))
    post_extra: list[dict | None] = field(default_factory=list)  # per post: reply_to + engagement
    relayed: tuple[list, ...] = field(default_factory=lambda: ([], [], [], []))
    relays: tuple[list, ...] = field(default_factory=lambda: ([], [], []))  # given aggregates: src, dst, at
    mentions: tuple[list, list, list] = field(default_factory=lambda: ([], [], []))  # src, dst, post
    replies: tuple[list, ...] = field(default_factory=lambda: ([], [], [], []))  # src, dst, post, at
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def person(self, ref: str, handle: str | None = None, name: str | None = None,
               bio: str | None = None, followers: int | None = None,
               extra: dict[str, Any] | None = None) -> None:  # fmt: skip
        """Add or complete a person; later non-empty fields win (extras are merged)."""
        row = self.people.get(ref)
        if row is None:
            self.people[ref] = [handle, name, bio, followers, dict(extra) if extra else None]
            return
        for i, v in enumerate((handle, name, bio, followers)):
            if v is not None:
                row[i] = v
        if extra:
            row[4] = {**(row[4] or {}), **extra}

    def follow(self, source: str, target: str) -> None:
        self.follows[0].append(source)
        self.follows[1].append(target)

    def post(self, post_id: str, author: str, at: datetime | None, tags: list[str], text: str | None,
             extra: dict[str, Any] | None = None) -> None:  # fmt: skip
        """A post; ``extra`` may hold ``reply_to`` and the engagement counts."""
        for col, v in zip(self.posts, (post_id, author, at, tags, text), strict=False):
            col.append(v)
        self.post_extra.append(extra or None)

    def relay(self, person: str, post_id: str, kind: str, at: datetime | None) -> None:
        for col, v in zip(self.relayed, (person, post_id, kind, at), strict=False):
            col.append(v)

    def mention(self, source: str, target: str, post_id: str | None = None) -> None:
        """A mention; within one post each target counts once (after references are resolved)."""
        self.mentions[0].append(source)
        self.mentions[1].append(target)
        self.mentions[2].append(post_id)

    def reply(self, source: str, target: str, post_id: str, at: datetime | None) -> None:
        """``source`` replied (in ``post_id``) to a post of ``target``."""
        for col, v in zip(self.replies, (source, target, post_id, at), strict=False):
            col.append(v)

    def to_batch(self, handle_of: Callable[[str], str]) -> GraphBatch:
        """Tables with every native reference replaced by its pid (not yet finished)."""
        refs = set(self.people) | set(self.follows[0]) | set(self.follows[1]) | set(self.posts[1])
        refs |= set(self.relayed[0]) | set(self.relays[0]) | set(self.relays[1])
        refs |= set(self.mentions[0]) | set(self.mentions[1]) | set(self.replies[0]) | set(self.replies[1])
        handles = {r: normalize_handle(handle_of(r)) for r in refs}
        pid = {r: f"{self.platform}:{h}" for r, h in handles.items()}
        b = GraphBatch(people=self._people(pid, handles), sources=list(self.sources), notes=list(self.notes))
        b.follows = _frame(
            TABLE_DTYPES["follows"], [_mapped(self.follows[0], pid), _mapped(self.follows[1], pid)]
        )
        b.posts = self._posts(pid)
        r = self.relayed
        b.relayed = _frame(TABLE_DTYPES["relayed"], [_mapped(r[0], pid), r[1], r[2], r[3]])
        g = self.relays
        b.relays = _frame(
            TABLE_DTYPES["relays"], [_mapped(g[0], pid), _mapped(g[1], pid), [1] * len(g[0]), g[2], g[2]]
        )
        b.mentions = _once_per_post(self.mentions, pid)
        return set_replies(b, self._replies(pid))

    def _people(self, pid: dict[str, str], handles: dict[str, str]) -> pd.DataFrame:
        people = pd.DataFrame(
            [(pid[r], self.platform, handles[r], v[1], v[2], v[3], v[4]) for r, v in self.people.items()],
            columns=["pid", "platform", "handle", "name", "bio", "followers_count", "extra"],
        )
        if people["pid"].duplicated().any():  # one account seen by id and by name: merge the rows
            people = people.groupby("pid", as_index=False, sort=False).last()
        if people["extra"].isna().all():
            people = people.drop(columns="extra")
        return people

    def _posts(self, pid: dict[str, str]) -> pd.DataFrame:
        p = self.posts
        df = _frame(TABLE_DTYPES["posts"], [p[0], _mapped(p[1], pid), p[2], p[3], p[4]])
        if any(self.post_extra):
            extra = [e or {} for e in self.post_extra]
            df["reply_to"] = pd.Series([e.get("reply_to") for e in extra], dtype="str")
            for col in ENGAGEMENT:
                df[col] = pd.array([e.get(col) for e in extra], dtype="Int64")
        return df

    def _replies(self, pid: dict[str, str]) -> pd.DataFrame:
        src, dst, post, at = self.replies
        df = pd.DataFrame({"source": _mapped(src, pid), "target": _mapped(dst, pid), "post": post,
                           "at": pd.to_datetime(pd.Series(at, dtype=object))})  # fmt: skip
        df = df.drop_duplicates("post")  # a reply post seen twice (overlapping pages) counts once
        return pd.DataFrame({"source": df["source"], "target": df["target"], "count": 1,
                             "first_at": df["at"], "last_at": df["at"]})  # fmt: skip


def _once_per_post(mentions: tuple[list, list, list], pid: dict[str, str]) -> pd.DataFrame:
    """Mention rows, each (post, target) once: a reply that also @-mentions its target,
    or a post seen on two overlapping pages, counts one mention."""
    df = pd.DataFrame({"source": _mapped(mentions[0], pid), "target": _mapped(mentions[1], pid),
                       "post": pd.Series(mentions[2], dtype=object)})  # fmt: skip
    keyed = df["post"].notna()
    df = pd.concat([df[keyed].drop_duplicates(["post", "target"]), df[~keyed]], ignore_index=True)
    return _frame(TABLE_DTYPES["mentions"], [df["source"].tolist(), df["target"].tolist(), [1] * len(df)])


def _mapped(refs: list[str], pid: dict[str, str]) -> list[str]:
    return [pid[r] for r in refs]


def _frame(dtypes: dict[str, str], columns: list[list]) -> pd.DataFrame:
    data = {}
    for (name, dtype), values in zip(dtypes.items(), columns, strict=False):
        if dtype.startswith("datetime"):
            data[name] = pd.Series(pd.to_datetime(pd.Series(values, dtype=object)), dtype=dtype)
        elif dtype == "object":
            data[name] = pd.Series(values, dtype=object)
        else:
            data[name] = pd.Series(values, dtype=dtype)
    return pd.DataFrame(data)
