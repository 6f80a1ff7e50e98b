"""The X (Twitter) account archive (``--format x-archive``): the zip X sends you, its
unzipped folder, or single files from its ``data/`` folder.

Files read (each a ``window.YTD.<name>.part0 = [ ... ]`` JavaScript file):

=====================  =====================================================
``data/account.js``    the owner: ``username``, ``accountId``, ``accountDisplayName``
                       (required whenever followers, following or tweets are read)
``data/profile.js``    the owner's bio (``description.bio``)
``data/follower.js``   ``{"follower": {"accountId", "userLink"}}``: follows owner
``data/following.js``  ``{"following": {"accountId", "userLink"}}``: owner follows
``data/tweets.js``     ``{"tweet": {...}}`` (also ``tweet.js``, ``tweets-part1.js``):
                       posts with ``entities.hashtags``; ``entities.user_mentions``
                       and replies become mentions
=====================  =====================================================

Keys: the owner is ``x:<username>``. Followers and followings carry only a
numeric ``accountId``: they are keyed ``x:<accountId>`` unless the archive itself
names that id (a mention or reply in ``tweets.js``), then ``x:<username>``.
The archive holds no original of a retweet (only its ``RT @name:`` text): a
retweet becomes a relay *aggregate* owner → @name (count, first/last time)
rather than a relay of a post.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from graph.model import GraphBatch, LoadError
from loaders.base import finish_batch, open_binary
from loaders.jsonio import iter_json
from loaders.records import Collected, Where, counted, mixed_platform_error

__all__ = ["read_x_archive", "archive_members", "ARCHIVE_TIME"]

#: ``created_at`` in archive tweets: ``Sat Feb 18 12:33:11 +0000 2023``.
ARCHIVE_TIME = "%a %b %d %H:%M:%S %z %Y"
_ROLE = re.compile(r"^(account|profile|follower|following|tweets?)(-part\d+)?\.js$")
_RT = re.compile(r"RT @(\w{1,15}):")
_ORDER = {"account": 0, "profile": 1, "tweet": 2, "tweets": 2, "follower": 3, "following": 3}

Member = tuple[str, str, Callable[[], IO[bytes]]]  # role, display path, opener


def read_x_archive(paths: list[str | Path], *, progress: Callable[[int], None] | None = None) -> GraphBatch:
    """Read X archives (zip, folder, or ``data/*.js`` files) into one batch."""
    batches = [_read_one(archive_members(p), progress) for p in map(Path, paths)]
    if len(batches) == 1:
        return batches[0]
    from loaders.merge import merge_batches

    return merge_batches(batches)


def archive_members(path: Path) -> list[Member]:
    """The archive files under ``path`` that this loader reads, owner first."""
    if path.is_file() and zipfile.is_zipfile(path):
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise LoadError(f"not a readable zip archive ({exc})", path=str(path)) from None
        found = [(n, f"{path}:{n}", _zip_opener(zf, n, path)) for n in zf.namelist()]
    elif path.is_dir():
        folder = path / "data" if (path / "data").is_dir() else path
        found = [(f.name, str(f), _file_opener(f)) for f in sorted(folder.iterdir()) if f.is_file()]
    else:
        if not path.exists():
            raise LoadError("no such file", path=str(path))
        siblings = [path.parent / n for n in ("account.js", "profile.js") if (path.parent / n).is_file()]
        found = [(f.name, str(f), _file_opener(f)) for f in dict.fromkeys([*siblings, path])]
    members = []
    for name, shown, opener in found:
        m = _ROLE.match(name.rsplit("/", 1)[-1].lower())
        if m:
            members.append((m[1], shown, opener))
    if not members:
        raise LoadError("no X archive files found (expected data/account.js, follower.js, "
                        "following.js or tweets.js)", path=str(path))  # fmt: skip
    return sorted(members, key=lambda m: _ORDER[m[0]])


def _file_opener(f: Path) -> Callable[[], IO[bytes]]:
    return lambda: open_binary(f)


def _zip_opener(zf: zipfile.ZipFile, name: str, path: Path) -> Callable[[], IO[bytes]]:
    return lambda: _CheckedMember(zf.open(name), f"{path}:{name}")  # type: ignore[return-value]


class _CheckedMember:
    """A zip member whose read errors (bad CRC, corrupt data) become LoadError."""

    def __init__(self, f: IO[bytes], shown: str) -> None:
        self.f, self.shown = f, shown

    def read(self, n: int = -1) -> bytes:
        try:
            return self.f.read(n)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise LoadError(f"corrupt zip member ({exc})", path=self.shown) from None

    def __enter__(self) -> _CheckedMember:
        return self

    def __exit__(self, *exc: object) -> None:
        self.f.close()


def _read_one(members: list[Member], progress: Callable[[int], None] | None) -> GraphBatch:
    reader = _Archive()
    for role, shown, opener in members:
        with opener() as f:
            reader.read(role, iter_json(f, path=shown), shown, progress)
    return reader.finish()


class _Archive:
    def __init__(self) -> None:
        self.c = Collected("x")
        self.owner: str | None = None
        self.owner_name = ""
        self.counts = {"follower": 0, "following": 0, "tweets": 0, "retweets": 0}

    def read(self, role: str, records: Iterator[tuple[int, Any]], shown: str, progress: Any) -> None:
        w = Where(shown)
        self.c.sources.append(shown)
        if role not in ("account", "profile") and self.owner is None:
            raise w.error("the archive owner is unknown: data/account.js is missing; load the whole "
                          "archive (zip or folder) or put account.js next to this file")  # fmt: skip
        for i, item in enumerate(counted(records, progress, w)):
            item = w.obj(item, "")
            err = mixed_platform_error(w, item, "x-archive", first=i == 0)
            if err is not None:
                raise err
            getattr(self, role.rstrip("s") if role.startswith("tweet") else role)(item, w)

    def account(self, item: dict, w: Where) -> None:
        a = w.obj(item.get("account"), "account")
        uid = w.num_id(a, "accountId", "account")
        username = w.text(a, "username", "account", required=True)
        self.owner, self.owner_name = uid, username.lower()  # type: ignore[union-attr]
        self.c.person(uid, username.lower(), w.text(a, "accountDisplayName", "account"))  # type: ignore[arg-type,union-attr]

    def profile(self, item: dict, w: Where) -> None:
        p = w.obj(item.get("profile"), "profile")
        desc = w.obj(p.get("description") or {}, "profile.description")
        if self.owner is not None:
            self.c.person(self.owner, bio=w.text(desc, "bio", "profile.description"))

    def follower(self, item: dict, w: Where) -> None:
        uid = w.num_id(w.obj(item.get("follower"), "follower"), "accountId", "follower")
        self.c.follow(uid, self.owner)  # type: ignore[arg-type]
        self.counts["follower"] += 1

    def following(self, item: dict, w: Where) -> None:
        uid = w.num_id(w.obj(item.get("following"), "following"), "accountId", "following")
        self.c.follow(self.owner, uid)  # type: ignore[arg-type]
        self.counts["following"] += 1

    def tweet(self, item: dict, w: Where) -> None:
        name = "tweet" if "tweet" in item else ""
        t = w.obj(item["tweet"], "tweet") if name else item
        tid = w.num_id(t, "id_str", name, required=False) or w.num_id(t, "id", name)
        at = w.time(t, "created_at", name, fmt=ARCHIVE_TIME)
        text = w.text(t, "full_text", name) or w.text(t, "text", name) or ""
        ent = w.obj(t.get("entities") or {}, f"{name}.entities")
        refs = {}
        for j, m in enumerate(w.items(ent, "user_mentions", f"{name}.entities")):
            where = f"{name}.entities.user_mentions[{j}]"
            m = w.obj(m, where)
            screen = w.text(m, "screen_name", where, required=True).lower()  # type: ignore[union-attr]
            uid = w.num_id(m, "id_str", where, required=False) or w.num_id(m, "id", where, required=False)
            if uid is not None:
                self.c.person(uid, screen, w.text(m, "name", where))
            refs[screen] = uid or f"@{screen}"
        rt = _RT.match(text)
        if rt:
            screen = rt[1].lower()
            self.c.relays[0].append(self.owner)
            self.c.relays[1].append(refs.get(screen, f"@{screen}"))
            self.c.relays[2].append(at)
            self.counts["retweets"] += 1
            return
        tags = []
        for j, h in enumerate(w.items(ent, "hashtags", f"{name}.entities")):
            tag = w.text(w.obj(h, f"{name}.entities.hashtags[{j}]"), "text", f"{name}.entities.hashtags[{j}]")
            if tag:
                tags.append("#" + tag.lower())
        self.c.post(f"x:{tid}", self.owner, at, tags, text)  # type: ignore[arg-type]
        self.counts["tweets"] += 1
        for ref in dict.fromkeys(refs.values()):
            self.c.mention(self.owner, ref, f"x:{tid}")  # type: ignore[arg-type]
        reply = w.num_id(t, "in_reply_to_user_id_str", name, required=False)
        screen = w.text(t, "in_reply_to_screen_name", name)
        if reply is not None and screen:
            self.c.person(reply, screen.lower())
        if reply is not None and reply not in refs.values() and reply != self.owner:
            self.c.mention(self.owner, reply, f"x:{tid}")  # type: ignore[arg-type]

    def finish(self) -> GraphBatch:
        c, people = self.c, self.c.people

        def handle_of(ref: str) -> str:
            if ref.startswith("@"):
                return ref[1:]
            row = people.get(ref)
            return row[0] if row and row[0] else ref

        n = self.counts
        if self.owner is not None:
            c.notes.append(
                f"X archive of @{self.owner_name}: {n['follower']:,} followers, {n['following']:,} following, "
                f"{n['tweets']:,} tweets, {n['retweets']:,} retweets (read as relay counts)"
            )
        by_id = sum(1 for r in set(c.follows[0]) | set(c.follows[1]) if handle_of(r) == r)
        if by_id:
            c.notes.append(f"{by_id:,} accounts are known only by their numeric id (keyed x:<id>)")
        return finish_batch(c.to_batch(handle_of))
