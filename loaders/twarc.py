"""X / Twitter API v2 JSON Lines as written by twarc2 (``--format twarc``).

Two shapes, line by line (mixing them in one file is fine):

* **API response pages** (``twarc2 search|timeline|...``): ``{"data": [...],
  "includes": {"users": [...], "tweets": [...]}, "meta": {...}, "errors": [...],
  "__twarc": {...}}``. ``twarc2 followers|following`` pages hold users in ``data``;
  whose followers they are is read from ``__twarc.url`` (``/2/users/<id>/followers``).
* **Flattened tweets** (``twarc2 flatten``): one tweet per line with ``author``,
  ``in_reply_to_user``, ``entities.mentions`` and ``referenced_tweets`` expanded;
  flattened users (one per line, with ``__twarc``) are read too.

What becomes what:

==========================================  =============================================
tweet (``data``)                            post ``x:<id>`` by ``author_id``, with
                                            ``entities.hashtags``
``referenced_tweets`` ``retweeted``         relay (kind ``retweet``) of the original; the
                                            retweet itself is not a post
``referenced_tweets`` ``quoted``            relay (kind ``quote``); the quote is a post too
``entities.mentions`` / ``in_reply_to_user_id``  mention (a reply that also @-mentions its
                                            target counts once, even when the mention has
                                            no id); the reply is also a ``replies`` row
``public_metrics`` (tweets)                 engagement columns of posts (likes, reposts,
                                            replies, quotes)
``includes.tweets``                         posts (the originals that relays point at),
                                            with their authors' mentions
users (``includes.users``, ``data``)        people: ``username``, ``name``,
                                            ``description``, ``public_metrics.followers_count``
follower/following page                     follows
==========================================  =============================================

People are keyed ``x:<username>`` (lower case). An account seen only by its
numeric id (e.g. a follower page without usernames elsewhere) is keyed
``x:<id>``. Skipped, with a count in the notes: ``errors`` objects (deleted or
protected tweets) and retweets/quotes of a tweet that is in no page of the load
and whose author cannot be recovered (a retweet's ``RT @name:`` prefix recovers it).
Ids must be numeric; anything else is a :class:`~graph.model.LoadError` naming
``file:line`` and the field.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from graph.model import GraphBatch
from loaders.base import finish_batch
from loaders.jsonio import iter_json, read_files
from loaders.records import Collected, Where, counted, mixed_platform_error

__all__ = ["read_twarc", "parse_twarc"]

_RT = re.compile(r"RT @(\w{1,15}):")
#: User fields kept as extra person properties, and the tweet metrics kept as engagement.
_USER_EXTRA = ("location", "url", "verified", "verified_type", "created_at", "protected")
_USER_COUNTS = ("following_count", "tweet_count", "listed_count")
_ENGAGEMENT = {
    "likes": "like_count",
    "reposts": "retweet_count",
    "replies": "reply_count",
    "quotes": "quote_count",
}
_FOLLOW_URL = re.compile(r"/2/users/(\d+)/(followers|following)\b")


def read_twarc(paths: list[str | Path], *, progress: Callable[[int], None] | None = None) -> GraphBatch:
    """Read twarc2 files (or folders of ``.jsonl``) into one batch."""
    return read_files(_Twarc(), paths, progress)


def parse_twarc(
    source: Any, *, path: str = "<input>", progress: Callable[[int], None] | None = None
) -> GraphBatch:
    """Parse twarc2 JSON Lines (text, bytes or a file object).

    >>> page = ('{"data": [{"id": "20", "author_id": "1", "text": "RT @bea: #LatteArt",'
    ...         ' "referenced_tweets": [{"type": "retweeted", "id": "10"}]}],'
    ...         ' "includes": {"users": [{"id": "1", "username": "Ann"}, {"id": "2", "username": "bea"}],'
    ...         ' "tweets": [{"id": "10", "author_id": "2", "text": "#LatteArt"}]}}')
    >>> b = parse_twarc(page)
    >>> b.relayed[["person", "post_id", "kind"]].values.tolist()
    [['x:ann', 'x:10', 'retweet']]
    >>> b.posts[["post_id", "author"]].values.tolist()
    [['x:10', 'x:bea']]
    """
    reader = _Twarc()
    reader.read(iter_json(source, path=path), path, progress)
    return reader.finish()


class _Twarc:
    def __init__(self) -> None:
        self.c = Collected("x")
        self.rt_author: dict[str, str] = {}  # original post id -> author ref, from "RT @name:"
        self.api_errors: Counter[str] = Counter()
        self.seen_users: dict[str, dict] = {}  # user id -> the last user object read
        self.w = Where("<input>")

    def read(
        self, records: Iterable[tuple[int, Any]], path: str, progress: Callable[[int], None] | None
    ) -> None:
        self.w = w = Where(path)
        self.c.sources.append(path)
        for i, obj in enumerate(counted(records, progress, w)):
            obj = w.obj(obj, "")
            err = mixed_platform_error(w, obj, "x", first=i == 0)
            if err is not None:
                raise err
            if {"data", "includes", "errors", "meta"} & obj.keys():
                self.page(obj)
            elif "text" in obj or "author_id" in obj:
                self.flat_tweet(obj)
            elif "username" in obj:
                self.user(obj, "")
                self.follow_from_url(obj, obj)
            else:
                raise w.error("not an X API v2 record: expected a response page (data/includes/meta) "
                              "or a flattened tweet or user")  # fmt: skip

    # -- records ------------------------------------------------------------------
    def page(self, obj: dict) -> None:
        w = self.w
        includes = w.obj(obj.get("includes") or {}, "includes")
        for i, u in enumerate(w.items(includes, "users", "includes")):
            self.user(w.obj(u, f"includes.users[{i}]"), f"includes.users[{i}]")
        for i, t in enumerate(w.items(includes, "tweets", "includes")):
            self.context_tweet(w.obj(t, f"includes.tweets[{i}]"), f"includes.tweets[{i}]")
        data = obj.get("data")
        items = [data] if isinstance(data, dict) else w.items(obj, "data", "")
        for i, item in enumerate(items):
            name = f"data[{i}]" if isinstance(data, list) else "data"
            item = w.obj(item, name)
            if "text" in item or "author_id" in item:
                self.tweet(item, name)
            elif "username" in item:
                self.user(item, name)
                self.follow_from_url(obj, item)
            else:
                raise w.error("neither a tweet (no 'text') nor a user (no 'username')", name)
        for i, e in enumerate(w.items(obj, "errors", "")):
            e = w.obj(e, f"errors[{i}]")
            self.api_errors[str(e.get("title") or e.get("detail") or "error")] += 1

    def flat_tweet(self, t: dict) -> None:
        w = self.w
        for key in ("author", "in_reply_to_user"):
            if isinstance(t.get(key), dict):
                self.user(t[key], key)
        for i, r in enumerate(w.items(t, "referenced_tweets", "")):
            r = w.obj(r, f"referenced_tweets[{i}]")
            if "text" in r or "author_id" in r:
                self.context_tweet(r, f"referenced_tweets[{i}]")
                if isinstance(r.get("author"), dict):
                    self.user(r["author"], f"referenced_tweets[{i}].author")
        self.tweet(t, "")

    def user(self, u: dict, name: str) -> None:
        if not u:  # twarc2 flatten writes {} for an expansion the API did not return
            return
        w = self.w
        uid = w.num_id(u, "id", name)
        if self.seen_users.get(uid) == u:  # the same user object on another page: already read
            return
        self.seen_users[uid] = u
        username = w.text(u, "username", name, required=True)
        metrics = w.obj(u.get("public_metrics") or {}, f"{name}.public_metrics")
        followers = w.count(metrics, "followers_count", f"{name}.public_metrics")
        extra = {k: v for k in _USER_EXTRA if isinstance(v := u.get(k), (str, bool, int)) and v != ""}
        for k in _USER_COUNTS:
            v = metrics.get(k)
            v = v if type(v) is int and v >= 0 else w.count(metrics, k, f"{name}.public_metrics")
            if v is not None:
                extra[k] = v
        self.c.person(
            uid,
            username.lower(),
            w.text(u, "name", name),
            w.text(u, "description", name),
            followers,
            extra or None,
        )

    def follow_from_url(self, page: dict, user: dict) -> None:
        meta = page.get("__twarc")
        url = meta.get("url") if isinstance(meta, dict) else None
        m = _FOLLOW_URL.search(url) if isinstance(url, str) else None
        if m is None:
            return
        uid = str(user["id"])
        self.c.follow(uid, m[1]) if m[2] == "followers" else self.c.follow(m[1], uid)

    def context_tweet(self, t: dict, name: str) -> None:
        w = self.w
        tid = w.num_id(t, "id", name)
        author = w.num_id(t, "author_id", name, required=False)
        if author is None:
            return
        self.c.post(
            f"x:{tid}",
            author,
            w.time(t, "created_at", name),
            self.tags(t, name),
            w.text(t, "text", name),
            self.post_extra(t, name),
        )
        if any(r.get("type") == "retweeted" for r in t.get("referenced_tweets") or [] if isinstance(r, dict)):
            return  # an included retweet: its mentions are its original's
        for j, m in enumerate(w.items(self.entities(t, name), "mentions", f"{name}.entities")):
            ref = self.mention_ref(
                w.obj(m, f"{name}.entities.mentions[{j}]"), f"{name}.entities.mentions[{j}]"
            )
            if ref is not None:  # the original author's mentions (a retweeted or quoted post)
                self.c.mention(author, ref, f"x:{tid}")

    def tweet(self, t: dict, name: str) -> None:
        w = self.w
        tid = w.num_id(t, "id", name)
        author = w.num_id(t, "author_id", name, required=False)
        if author is None and isinstance(t.get("author"), dict) and t["author"].get("id") is not None:
            author = w.num_id(t["author"], "id", f"{name}.author")
        if author is None:
            raise w.error(
                "is missing (collect with the author_id expansion, as twarc2 does)", f"{name}.author_id"
            )
        at, text = w.time(t, "created_at", name), w.text(t, "text", name) or ""
        refs = []
        for j, r in enumerate(w.items(t, "referenced_tweets", name)):
            where = f"{name}.referenced_tweets[{j}]"
            r = w.obj(r, where)
            refs.append((w.text(r, "type", where, required=True), w.num_id(r, "id", where)))
        retweeted = [rid for kind, rid in refs if kind == "retweeted"]
        if retweeted:
            self.c.relay(author, f"x:{retweeted[0]}", "retweet", at)
            self.remember_rt_author(f"x:{retweeted[0]}", text, t, name)
            return
        self.c.post(f"x:{tid}", author, at, self.tags(t, name), text, self.post_extra(t, name))
        for kind, rid in refs:
            if kind == "quoted":
                self.c.relay(author, f"x:{rid}", "quote", at)
        for j, m in enumerate(w.items(self.entities(t, name), "mentions", f"{name}.entities")):
            ref = self.mention_ref(
                w.obj(m, f"{name}.entities.mentions[{j}]"), f"{name}.entities.mentions[{j}]"
            )
            if ref is not None:
                self.c.mention(author, ref, f"x:{tid}")
        reply_to = w.num_id(t, "in_reply_to_user_id", name, required=False)
        if reply_to is not None and reply_to != author:
            self.c.mention(author, reply_to, f"x:{tid}")  # counted once with an @mention of the same account
            self.c.reply(author, reply_to, f"x:{tid}", at)

    # -- helpers ------------------------------------------------------------------
    def post_extra(self, t: dict, name: str) -> dict | None:
        w = self.w
        metrics = w.obj(t.get("public_metrics") or {}, f"{name}.public_metrics")
        extra: dict[str, object] = {}
        for col, key in _ENGAGEMENT.items():
            v = metrics.get(key)
            v = v if type(v) is int and v >= 0 else w.count(metrics, key, f"{name}.public_metrics")
            if v is not None:
                extra[col] = v
        for r in t.get("referenced_tweets") or ():
            if isinstance(r, dict) and r.get("type") == "replied_to" and r.get("id"):
                extra["reply_to"] = f"x:{r['id']}"
                break
        return extra or None

    def entities(self, t: dict, name: str) -> dict:
        return self.w.obj(t.get("entities") or {}, f"{name}.entities")

    def tags(self, t: dict, name: str) -> list[str]:
        out = []
        for j, h in enumerate(self.w.items(self.entities(t, name), "hashtags", f"{name}.entities")):
            tag = self.w.text(
                self.w.obj(h, f"{name}.entities.hashtags[{j}]"), "tag", f"{name}.entities.hashtags[{j}]"
            )
            if tag:
                out.append("#" + tag.lower())
        return out

    def mention_ref(self, m: dict, name: str) -> str | None:
        uid = self.w.num_id(m, "id", name, required=False)
        username = self.w.text(m, "username", name)
        if uid is not None and username:
            self.c.person(uid, username.lower())
        return uid or (f"@{username.lower()}" if username else None)

    def remember_rt_author(self, post_id: str, text: str, t: dict, name: str) -> None:
        m = _RT.match(text)
        if m is None:
            return
        ref = f"@{m[1].lower()}"
        for j, mention in enumerate(self.w.items(self.entities(t, name), "mentions", f"{name}.entities")):
            if isinstance(mention, dict) and str(mention.get("username", "")).lower() == m[1].lower():
                ref = self.mention_ref(mention, f"{name}.entities.mentions[{j}]") or ref
                break
        self.rt_author.setdefault(post_id, ref)

    # -- the batch ----------------------------------------------------------------
    def finish(self) -> GraphBatch:
        c = self.c
        self.attach_relays()
        if self.api_errors:
            top = ", ".join(f"{k} ×{v:,}" for k, v in self.api_errors.most_common(3))
            c.notes.append(
                f"skipped {sum(self.api_errors.values()):,} API error object(s) in the pages ({top})"
            )
        people = c.people

        def handle_of(ref: str) -> str:
            if ref.startswith("@"):
                return ref[1:]
            row = people.get(ref)
            return row[0] if row and row[0] else ref

        return finish_batch(c.to_batch(handle_of))

    def attach_relays(self) -> None:
        """Give each relayed post an author, or skip the relay (with a note)."""
        c = self.c
        known = set(c.posts[0])
        for post_id in dict.fromkeys(c.relayed[1]):
            if post_id not in known and post_id in self.rt_author:
                c.post(post_id, self.rt_author[post_id], None, [], None)
                known.add(post_id)
        keep = [i for i, p in enumerate(c.relayed[1]) if p in known]
        skipped = len(c.relayed[1]) - len(keep)
        if skipped:
            for col in c.relayed:
                col[:] = [col[i] for i in keep]
            c.notes.append(
                f"skipped {skipped:,} retweet(s)/quote(s) of tweets missing from the files "
                "(deleted or withheld, author unknown)"
            )
