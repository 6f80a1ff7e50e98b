"""The X (Twitter) account archive (``--format x-archive``): the zip X sends you, its
unzipped folder, or single files from it — both the current layout and the
2012–2018 one (see :mod:`loaders.x_archive_files`).

=====================================  ================================================
``data/account.js``                    the owner: ``username``, ``accountId``,
(2012–2018: ``data/js/user_details.js``)  ``accountDisplayName`` (``screen_name``, ``id``,
                                       ``full_name``, ``bio``); required whenever
                                       followers, following or tweets are read
``data/profile.js``                    the owner's bio (``description.bio``); location
                                       and website are kept as extra properties
``data/follower.js`` / ``following.js``  follows (``accountId`` only)
``data/tweets.js`` (``tweet.js``,       posts (``entities.hashtags``, ``favorite_count``
``tweets-partN.js``); 2012–2018:       and ``retweet_count`` as engagement); mentions
``data/js/tweets/YYYY_MM.js``          (``entities.user_mentions``), replies (as a
                                       mention *and* a reply row), retweets
``tweets.csv`` (2012–2018, when the    the same, from its columns and text
monthly files are absent)              (:mod:`loaders.x_archive_legacy`)
=====================================  ================================================

Keys: the owner is ``x:<username>``. Followers and followings carry only a numeric
``accountId``: they are keyed ``x:<accountId>`` unless the archive itself names that
id (a mention or reply in the tweets), then ``x:<username>``. A mention of a deleted
account (X writes its id as ``-1``) is kept by its ``@name`` and counted in the notes.

Retweets: the current layout holds no original (only the ``RT @name:`` text), so a
retweet becomes a relay *aggregate* owner → @name (count, first/last time); the
mentions inside the retweeted text are the original author's mentions (author →
@name). The 2012–2018 monthly files carry the original (``retweeted_status``): a
retweet there is a relay of that post, which is read with its author, tags and
mentions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from graph.model import GraphBatch
from loaders.base import finish_batch
from loaders.extras import clean_extra
from loaders.jsonio import iter_json
from loaders.records import Collected, Where, counted, mixed_platform_error
from loaders.x_archive_files import Member, archive_members

__all__ = ["read_x_archive", "archive_members", "ARCHIVE_TIME"]

#: ``created_at`` in archive tweets: ``Sat Feb 18 12:33:11 +0000 2023``; the 2012–2018
#: monthly files also use ``2009-05-01 00:00:00 +0000``.
ARCHIVE_TIME = "%a %b %d %H:%M:%S %z %Y"
LEGACY_TIME = "%Y-%m-%d %H:%M:%S %z"
_RT = re.compile(r"RT @(\w{1,15}):")
DELETED_ID = "-1"


def read_x_archive(paths: list[str | Path], *, progress: Callable[[int], None] | None = None) -> GraphBatch:
    """Read X archives (zip, folder, or single archive files) into one batch."""
    batches = [_read_one(archive_members(p), progress) for p in map(Path, paths)]
    if len(batches) == 1:
        return batches[0]
    from loaders.merge import merge_batches

    return merge_batches(batches)


def _read_one(members: list[Member], progress: Callable[[int], None] | None) -> GraphBatch:
    reader = _Archive()
    for role, shown, opener in members:
        if role == "tweets_csv_skipped":
            reader.c.notes.append(f"{shown}: skipped (data/js/tweets/ holds the same tweets, with entities)")
            continue
        with opener() as f:
            if role == "tweets_csv":
                from loaders.x_archive_legacy import read_tweets_csv

                reader.need_owner(Where(shown))
                read_tweets_csv(reader, f, shown, progress)
            else:
                reader.read(role, iter_json(f, path=shown), shown, progress)
    return reader.finish()


class _Archive:
    def __init__(self) -> None:
        self.c = Collected("x")
        self.owner: str | None = None
        self.owner_name = ""
        self.counts = {"follower": 0, "following": 0, "tweets": 0, "retweets": 0, "deleted": 0}

    def need_owner(self, w: Where) -> None:
        if self.owner is None:
            raise w.error("the archive owner is unknown: data/account.js is missing (data/js/user_details.js in "
                          "2012-2018 archives); load the whole archive (zip or folder) or put it next to this file")  # fmt: skip

    def read(self, role: str, records: Iterator[tuple[int, Any]], shown: str, progress: Any) -> None:
        w = Where(shown)
        self.c.sources.append(shown)
        if role not in ("account", "profile", "user_details"):
            self.need_owner(w)
        handler = {"tweets": self.tweet, "tweet": self.tweet, "grailbird": self.tweet}.get(role)
        for i, item in enumerate(counted(records, progress, w)):
            item = w.obj(item, "")
            err = mixed_platform_error(w, item, "x-archive", first=i == 0)
            if err is not None:
                raise err
            (handler or getattr(self, role))(item, w)

    # -- the owner and the follow lists ---------------------------------------------------
    def account(self, item: dict, w: Where) -> None:
        a = w.obj(item.get("account"), "account")
        uid = w.num_id(a, "accountId", "account")
        username = w.text(a, "username", "account", required=True).lower()
        self.owner, self.owner_name = uid, username
        self.c.person(uid, username, w.text(a, "accountDisplayName", "account"),
                      extra=clean_extra({"created_at": w.text(a, "createdAt", "account")}))  # fmt: skip

    def user_details(self, d: dict, w: Where) -> None:
        uid = w.num_id(d, "id", "")
        username = w.text(d, "screen_name", "", required=True).lower()
        self.owner, self.owner_name = uid, username
        extra = clean_extra(
            {"location": w.text(d, "location", ""), "created_at": w.text(d, "created_at", "")}
        )
        self.c.person(uid, username, w.text(d, "full_name", ""), w.text(d, "bio", ""), extra=extra)

    def profile(self, item: dict, w: Where) -> None:
        p = w.obj(item.get("profile"), "profile")
        desc = w.obj(p.get("description") or {}, "profile.description")
        if self.owner is not None:
            extra = clean_extra({k: w.text(desc, k, "profile.description") for k in ("location", "website")})
            self.c.person(self.owner, bio=w.text(desc, "bio", "profile.description"), extra=extra)

    def follower(self, item: dict, w: Where) -> None:
        uid = w.num_id(w.obj(item.get("follower"), "follower"), "accountId", "follower")
        self.c.follow(uid, self.owner)  # type: ignore[arg-type]
        self.counts["follower"] += 1

    def following(self, item: dict, w: Where) -> None:
        uid = w.num_id(w.obj(item.get("following"), "following"), "accountId", "following")
        self.c.follow(self.owner, uid)  # type: ignore[arg-type]
        self.counts["following"] += 1

    # -- tweets -------------------------------------------------------------------------
    def tweet(self, item: dict, w: Where) -> None:
        name = "tweet" if "tweet" in item else ""
        t = w.obj(item["tweet"], "tweet") if name else item
        tid = w.num_id(t, "id_str", name, required=False) or w.num_id(t, "id", name)
        at = self.time(t, name, w)
        text = w.text(t, "full_text", name) or w.text(t, "text", name) or ""
        refs = self.mention_refs(t, name, w)
        original = t.get("retweeted_status")
        if isinstance(original, dict):  # 2012-2018: the original is in the file
            self.retweet_of(w.obj(original, f"{name}.retweeted_status"), f"{name}.retweeted_status", at, w)
            return
        rt = _RT.match(text)
        if rt:
            self.rt_aggregate(rt[1].lower(), refs, tid, at)
            return
        self.own_post(t, name, tid, at, text, refs, w)

    def own_post(
        self, t: dict, name: str, tid: str, at: datetime | None, text: str, refs: dict, w: Where
    ) -> None:
        post_id = f"x:{tid}"
        reply_to = w.num_id(t, "in_reply_to_status_id_str", name, required=False)
        self.c.post(post_id, self.owner, at, self.tags(t, name, w), text, extra=clean_extra({  # type: ignore[arg-type]
            "reply_to": f"x:{reply_to}" if reply_to else None,
            "likes": w.count(t, "favorite_count", name), "reposts": w.count(t, "retweet_count", name)}))  # fmt: skip
        self.counts["tweets"] += 1
        for ref in dict.fromkeys(refs.values()):
            self.c.mention(self.owner, ref, post_id)  # type: ignore[arg-type]
        target = self.reply_target(t, name, refs, w)
        if target is not None and target != self.owner:
            self.c.mention(self.owner, target, post_id)  # type: ignore[arg-type]
            self.c.reply(self.owner, target, post_id, at)  # type: ignore[arg-type]

    def rt_aggregate(self, screen: str, refs: dict, tid: str, at: datetime | None) -> None:
        author = refs.get(screen, f"@{screen}")
        self.c.relays[0].append(self.owner)
        self.c.relays[1].append(author)
        self.c.relays[2].append(at)
        self.counts["retweets"] += 1
        for s, ref in refs.items():  # the original author's own mentions, inside the retweeted text
            if s != screen and ref != author:
                self.c.mention(author, ref, f"x:{tid}")

    def retweet_of(self, o: dict, name: str, at: datetime | None, w: Where) -> None:
        oid = w.num_id(o, "id_str", name, required=False) or w.num_id(o, "id", name)
        user = w.obj(o.get("user"), f"{name}.user")
        author = w.num_id(user, "id_str", f"{name}.user", required=False) or w.num_id(
            user, "id", f"{name}.user"
        )
        self.c.person(author, (w.text(user, "screen_name", f"{name}.user") or "").lower() or None,
                      w.text(user, "name", f"{name}.user"))  # fmt: skip
        refs = self.mention_refs(o, name, w)
        post_id = f"x:{oid}"
        text = w.text(o, "full_text", name) or w.text(o, "text", name)
        self.c.post(post_id, author, self.time(o, name, w), self.tags(o, name, w), text)
        for ref in dict.fromkeys(refs.values()):
            if ref != author:
                self.c.mention(author, ref, post_id)
        self.c.relay(self.owner, post_id, "retweet", at)  # type: ignore[arg-type]
        self.counts["retweets"] += 1

    # -- helpers ------------------------------------------------------------------------
    def time(self, t: dict, name: str, w: Where) -> datetime | None:
        v = t.get("created_at")
        fmt = LEGACY_TIME if isinstance(v, str) and v[:4].isdigit() else ARCHIVE_TIME
        return w.time(t, "created_at", name, fmt=fmt)

    def mention_refs(self, t: dict, name: str, w: Where) -> dict[str, str]:
        """screen name -> reference (id, or ``@name`` for deleted/unknown accounts)."""
        ent = w.obj(t.get("entities") or {}, f"{name}.entities")
        refs = {}
        for j, m in enumerate(w.items(ent, "user_mentions", f"{name}.entities")):
            where = f"{name}.entities.user_mentions[{j}]"
            m = w.obj(m, where)
            screen = w.text(m, "screen_name", where, required=True).lower()
            uid = self.account_id(m, ("id_str", "id"), where, w)
            if uid is not None:
                self.c.person(uid, screen, w.text(m, "name", where))
            refs[screen] = uid or f"@{screen}"
        return refs

    def account_id(self, d: dict, keys: tuple[str, ...], where: str, w: Where) -> str | None:
        """A numeric account id, or None when missing or ``-1`` (a deleted account, counted)."""
        for key in keys:
            v = d.get(key)
            if str(v) == DELETED_ID:
                self.counts["deleted"] += 1
                return None
            uid = w.num_id(d, key, where, required=False)
            if uid is not None:
                return uid
        return None

    def reply_target(self, t: dict, name: str, refs: dict, w: Where) -> str | None:
        screen = (w.text(t, "in_reply_to_screen_name", name) or "").lower()
        uid = self.account_id(t, ("in_reply_to_user_id_str", "in_reply_to_user_id"), name, w)
        if uid is not None and screen:
            self.c.person(uid, screen)
        return uid or refs.get(screen) or (f"@{screen}" if screen else None)

    def tags(self, t: dict, name: str, w: Where) -> list[str]:
        ent = w.obj(t.get("entities") or {}, f"{name}.entities")
        tags = []
        for j, h in enumerate(w.items(ent, "hashtags", f"{name}.entities")):
            tag = w.text(w.obj(h, f"{name}.entities.hashtags[{j}]"), "text", f"{name}.entities.hashtags[{j}]")
            if tag:
                tags.append("#" + tag.lower())
        return tags

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
                f"{n['tweets']:,} tweets, {n['retweets']:,} retweets"
            )
        if n["deleted"]:
            c.notes.append(f"{n['deleted']:,} mention(s)/replies of deleted accounts (X writes id -1) kept by "
                           "their @name")  # fmt: skip
        by_id = sum(1 for r in set(c.follows[0]) | set(c.follows[1]) if handle_of(r) == r)
        if by_id:
            c.notes.append(f"{by_id:,} accounts are known only by their numeric id (keyed x:<id>)")
        return finish_batch(c.to_batch(handle_of))
