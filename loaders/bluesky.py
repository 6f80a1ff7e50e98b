"""Bluesky / AT Protocol JSON (``--format bluesky``): API pages and repo records,
one JSON document per file or one per line (JSON Lines).

==============================================  ==========================================
``app.bsky.graph.getFollows`` page              ``subject`` follows each of ``follows``
``app.bsky.graph.getFollowers`` page            each of ``followers`` follows ``subject``
``app.bsky.feed.getRepostedBy`` page            each of ``repostedBy`` reposted ``uri``
``app.bsky.actor.getProfiles`` / a profile      people (``handle``, ``displayName``,
                                                ``description``, ``followersCount``)
``getAuthorFeed`` / ``searchPosts`` pages       posts (``feed[].post`` / ``posts[]``); a
                                                ``reasonRepost`` is a repost by ``by``
records: ``com.atproto.repo.listRecords`` page  by record type, the author being the repo
(``records[].uri`` + ``value``), single         in the ``at://`` URI (Jetstream: ``did``):
``{uri, value}`` items, Jetstream events        ``app.bsky.graph.follow`` → follows,
                                                ``app.bsky.feed.repost`` → relay (repost),
                                                ``app.bsky.feed.post`` → post (facet tags,
                                                mentions, quote embeds)
==============================================  ==========================================

People are keyed ``bluesky:<handle>`` when any record of the load gives the
account's handle (profile views, Jetstream ``identity`` events), else
``bluesky:<did>``; ``handle.invalid`` counts as no handle. Posts are
``bluesky:<at:// uri>``; a repost's post gets its author from the DID in the
URI, so a repost is never "of an unknown post". Skipped with a count: other
record types (likes, blocks), deletes. A record with no repo (a bare
``{"$type": "app.bsky.graph.follow", ...}`` without ``uri``/``did``) is an error.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from graph.model import GraphBatch
from loaders.atproto_dump import is_sdk_dump, to_lexicon_json
from loaders.base import finish_batch
from loaders.extras import clean_extra
from loaders.jsonio import JSON_SUFFIXES, expand_paths, iter_json, iter_json_file
from loaders.records import Collected, Where, counted, mixed_platform_error

__all__ = ["read_bluesky", "parse_bluesky"]

_AT_URI = re.compile(r"^at://([^/]+)/([^/]+)/([^/]+)$")
_PAGE_KEYS = ("follows", "followers", "repostedBy", "records", "profiles", "feed", "posts")


def read_bluesky(paths: list[str | Path], *, progress: Callable[[int], None] | None = None) -> GraphBatch:
    """Read Bluesky JSON / JSON Lines files, repository CAR exports (or folders of them) into one batch."""
    reader = _Bluesky()
    for f in expand_paths(paths, (*JSON_SUFFIXES, ".car")):
        if f.name.lower().endswith(".car"):
            reader.read_car(f, progress)
        else:
            reader.read(iter_json_file(f), str(f), progress)
    return reader.finish()


def parse_bluesky(
    source: Any, *, path: str = "<input>", progress: Callable[[int], None] | None = None
) -> GraphBatch:
    """Parse Bluesky JSON text, bytes or a file object.

    >>> page = ('{"subject": {"did": "did:plc:aa", "handle": "ann.bsky.social"},'
    ...         ' "follows": [{"did": "did:plc:bb", "handle": "handle.invalid"}]}')
    >>> parse_bluesky(page).follows.values.tolist()
    [['bluesky:ann.bsky.social', 'bluesky:did:plc:bb']]
    """
    reader = _Bluesky()
    reader.read(iter_json(source, path=path), path, progress)
    return reader.finish()


class _Bluesky:
    def __init__(self) -> None:
        self.c = Collected("bluesky")
        self.stub_author: dict[str, str] = {}  # post id -> author ref (from its at:// uri)
        self.skipped: Counter[str] = Counter()
        self.counts: Counter[str] = Counter()
        self.w = Where("<input>")

    def read(
        self, records: Iterable[tuple[int, Any]], path: str, progress: Callable[[int], None] | None
    ) -> None:
        self.w = w = Where(path)
        self.c.sources.append(path)
        sdk = False
        for i, obj in enumerate(counted(records, progress, w)):
            obj = w.obj(obj, "")
            if i == 0:  # a file is written by the atproto SDK (py_type, snake_case keys) or not
                sdk = is_sdk_dump(obj)
            if sdk:
                obj = to_lexicon_json(obj)
                self.counts["sdk"] += 1
            err = mixed_platform_error(w, obj, "bluesky", first=i == 0)
            if err is not None:
                raise err
            self.record(obj)

    def read_car(self, path: Path, progress: Callable[[int], None] | None) -> None:
        """Every record of a repository export (CAR): follows, reposts, posts, the profile."""
        from loaders.bluesky_car import iter_car_records

        self.w = w = Where(str(path))
        self.c.sources.append(str(path))
        n = 0
        for did, collection, rkey, rec in iter_car_records(path):
            n += 1
            if not isinstance(rec, dict):
                self.skipped["records whose block is missing from the CAR"] += 1
                continue
            uri = f"at://{did}/{collection}/{rkey}"
            self.repo_record(rec, did, uri, f"{collection}/{rkey}")
        self.counts["car"] += n
        if progress and n:
            progress(n)
        w.line = None

    def record(self, obj: dict) -> None:
        w = self.w
        if "kind" in obj and "did" in obj and "time_us" in obj:
            return self.jetstream(obj)
        if "value" in obj and "uri" in obj:
            author, collection, _ = self.at_uri(obj, "uri", "")
            return self.repo_record(w.obj(obj["value"], "value"), author, w.text(obj, "uri", ""), "value")  # type: ignore[arg-type]
        if isinstance(obj.get("$type"), str):
            raise w.error(f"a {obj['$type']} record without its repo: the author is unknown; export records "
                          "with their at:// uri (com.atproto.repo.listRecords) or as Jetstream events")  # fmt: skip
        if any(k in obj for k in _PAGE_KEYS) or "subject" in obj and isinstance(obj["subject"], dict):
            return self.page(obj)
        if "did" in obj and "handle" in obj:
            self.profile(obj, "")
            return
        raise w.error("not a Bluesky record: expected an API page (follows, followers, repostedBy, "
                      "records, profiles, feed, posts), a {uri, value} record or a Jetstream event")  # fmt: skip

    def page(self, obj: dict) -> None:
        w = self.w
        subject = self.profile(w.obj(obj["subject"], "subject"), "subject") if "subject" in obj else None
        if ("follows" in obj or "followers" in obj) and subject is None:
            raise w.error(
                "is missing (getFollows/getFollowers pages name the account whose list this is)", "subject"
            )
        for i, p in enumerate(w.items(obj, "follows", "")):
            self.c.follow(subject, self.profile(w.obj(p, f"follows[{i}]"), f"follows[{i}]"))  # type: ignore[arg-type]
        for i, p in enumerate(w.items(obj, "followers", "")):
            self.c.follow(self.profile(w.obj(p, f"followers[{i}]"), f"followers[{i}]"), subject)  # type: ignore[arg-type]
        if "repostedBy" in obj:
            author, _, _ = self.at_uri(obj, "uri", "")
            post_id = "bluesky:" + obj["uri"]
            self.stub_author.setdefault(post_id, author)
            for i, p in enumerate(w.items(obj, "repostedBy", "")):
                self.c.relay(
                    self.profile(w.obj(p, f"repostedBy[{i}]"), f"repostedBy[{i}]"), post_id, "repost", None
                )
        for i, p in enumerate(w.items(obj, "profiles", "")):
            self.profile(w.obj(p, f"profiles[{i}]"), f"profiles[{i}]")
        for i, r in enumerate(w.items(obj, "records", "")):
            name = f"records[{i}]"
            r = w.obj(r, name)
            author, _, _ = self.at_uri(r, "uri", name)
            self.repo_record(w.obj(r.get("value"), f"{name}.value"), author, r["uri"], f"{name}.value")
        for i, p in enumerate(w.items(obj, "posts", "")):
            self.post_view(w.obj(p, f"posts[{i}]"), f"posts[{i}]")
        for i, item in enumerate(w.items(obj, "feed", "")):
            self.feed_item(w.obj(item, f"feed[{i}]"), f"feed[{i}]")

    def feed_item(self, item: dict, name: str) -> None:
        w = self.w
        post_id = self.post_view(w.obj(item.get("post"), f"{name}.post"), f"{name}.post")
        reason = item.get("reason")
        if isinstance(reason, dict) and str(reason.get("$type", "")).endswith("#reasonRepost"):
            by = self.profile(w.obj(reason.get("by"), f"{name}.reason.by"), f"{name}.reason.by")
            self.c.relay(by, post_id, "repost", w.time(reason, "indexedAt", f"{name}.reason"))

    def post_view(self, p: dict, name: str) -> str:
        w = self.w
        author = self.profile(w.obj(p.get("author"), f"{name}.author"), f"{name}.author")
        uri = w.text(p, "uri", name, required=True)
        counts = {
            col: w.count(p, f"{col[:-1]}Count", name) for col in ("likes", "reposts", "replies", "quotes")
        }
        self.post(w.obj(p.get("record"), f"{name}.record"), author, uri, f"{name}.record", counts)
        return f"bluesky:{uri}"

    def jetstream(self, ev: dict) -> None:
        w = self.w
        did = self.did(ev, "did", "")
        if ev["kind"] == "identity":
            ident = w.obj(ev.get("identity"), "identity")
            self.c.person(did, handle=self.handle(w.text(ident, "handle", "identity")))
            return
        if ev["kind"] != "commit":
            return
        commit = w.obj(ev.get("commit"), "commit")
        op = w.text(commit, "operation", "commit")
        if op not in ("create", "update"):
            self.skipped[f"{op or 'unknown'} operations"] += 1
            return
        collection = w.text(commit, "collection", "commit", required=True)
        rkey = w.text(commit, "rkey", "commit", required=True)
        uri = f"at://{did}/{collection}/{rkey}"
        self.repo_record(w.obj(commit.get("record"), "commit.record"), did, uri, "commit.record")

    def repo_record(self, rec: dict, author: str, uri: str, name: str) -> None:
        w = self.w
        kind = w.text(rec, "$type", name, required=True)
        if kind == "app.bsky.graph.follow":
            self.c.follow(author, self.did(rec, "subject", name))
        elif kind == "app.bsky.feed.repost":
            subject = w.obj(rec.get("subject"), f"{name}.subject")
            post_author, _, _ = self.at_uri(subject, "uri", f"{name}.subject")
            post_id = "bluesky:" + subject["uri"]
            self.stub_author.setdefault(post_id, post_author)
            self.c.relay(author, post_id, "repost", w.time(rec, "createdAt", name))
        elif kind == "app.bsky.feed.post":
            self.post(rec, author, uri, name)
        elif kind == "app.bsky.actor.profile" and uri.endswith("/self"):
            self.c.person(author, name=w.text(rec, "displayName", name), bio=w.text(rec, "description", name))
        else:
            self.skipped[f"{kind} records"] += 1

    def post(self, rec: dict, author: str, uri: str, name: str, counts: dict | None = None) -> None:
        w = self.w
        at = w.time(rec, "createdAt", name)
        if at is None:
            self.counts["no createdAt"] += 1
        tags, mentioned = [], []
        for i, facet in enumerate(w.items(rec, "facets", name)):
            for j, feat in enumerate(
                w.items(w.obj(facet, f"{name}.facets[{i}]"), "features", f"{name}.facets[{i}]")
            ):
                where = f"{name}.facets[{i}].features[{j}]"
                feat = w.obj(feat, where)
                t = str(feat.get("$type", ""))
                if t.endswith("#tag") and w.text(feat, "tag", where):
                    tags.append("#" + feat["tag"].lstrip("#").lower())
                elif t.endswith("#mention"):
                    mentioned.append(self.did(feat, "did", where))
        tags += [
            "#" + str(t).lstrip("#").lower() for t in w.items(rec, "tags", name) if isinstance(t, str) and t
        ]
        reply = rec.get("reply")
        parent_uri = None
        if isinstance(reply, dict) and isinstance(reply.get("parent"), dict):
            parent, _, _ = self.at_uri(reply["parent"], "uri", f"{name}.reply.parent")
            parent_uri = reply["parent"]["uri"]
        extra = clean_extra({**(counts or {}), "reply_to": f"bluesky:{parent_uri}" if parent_uri else None})
        self.c.post(f"bluesky:{uri}", author, at, list(dict.fromkeys(tags)), w.text(rec, "text", name), extra)
        for m in dict.fromkeys(mentioned):
            self.c.mention(author, m, uri)
        if parent_uri is not None and parent != author:
            self.c.mention(author, parent, uri)  # once per post, with an @mention of the same account
            self.c.reply(author, parent, uri, at)
        quoted = self.quoted_uri(rec.get("embed"))
        if quoted:
            post_author, _, _ = self.at_uri({"uri": quoted}, "uri", f"{name}.embed")
            self.stub_author.setdefault(f"bluesky:{quoted}", post_author)
            self.c.relay(author, f"bluesky:{quoted}", "quote", at)

    @staticmethod
    def quoted_uri(embed: Any) -> str | None:
        if not isinstance(embed, dict):
            return None
        inner = embed.get("record")
        if isinstance(inner, dict) and isinstance(inner.get("record"), dict):  # recordWithMedia
            inner = inner["record"]
        uri = inner.get("uri") if isinstance(inner, dict) else None
        return uri if isinstance(uri, str) and "/app.bsky.feed.post/" in uri else None

    # -- people and ids -----------------------------------------------------------
    def profile(self, p: dict, name: str) -> str:
        w = self.w
        did = self.did(p, "did", name)
        followers = w.count(p, "followersCount", name)
        self.c.person(did, self.handle(w.text(p, "handle", name)), w.text(p, "displayName", name),
                      w.text(p, "description", name), followers)  # fmt: skip
        return did

    @staticmethod
    def handle(h: str | None) -> str | None:
        return None if h is None or h == "handle.invalid" else h.lower()

    def did(self, d: dict, key: str, name: str) -> str:
        v = self.w.text(d, key, name, required=True)
        if not v.startswith("did:") or len(v) < 8:
            raise self.w.error(
                f"{v!r} is not a DID (did:plc:… or did:web:…)", f"{name}.{key}" if name else key
            )
        return v

    def at_uri(self, d: dict, key: str, name: str) -> tuple[str, str, str]:
        v = self.w.text(d, key, name, required=True)
        m = _AT_URI.match(v)
        if m is None:
            raise self.w.error(f"{v!r} is not an at:// record URI", f"{name}.{key}" if name else key)
        return m[1], m[2], m[3]

    # -- the batch ----------------------------------------------------------------
    def finish(self) -> GraphBatch:
        c = self.c
        known = set(c.posts[0])
        for post_id, author in self.stub_author.items():
            if post_id not in known:
                c.post(post_id, author, None, [], None)
        if self.skipped:
            what = ", ".join(f"{v:,} {k}" for k, v in self.skipped.most_common())
            c.notes.append(f"skipped records this graph does not use: {what}")
        if self.counts["sdk"]:
            c.notes.append(f"read {self.counts['sdk']:,} record(s) written by the atproto Python SDK "
                           "(model_dump: py_type, snake_case keys) as API JSON")  # fmt: skip
        if self.counts["car"]:
            c.notes.append(f"read {self.counts['car']:,} record(s) from repository export(s) (CAR)")
        if self.counts["no createdAt"]:
            c.notes.append(f"{self.counts['no createdAt']:,} post(s) without createdAt (no time)")
        people = c.people

        def handle_of(ref: str) -> str:
            row = people.get(ref)
            return row[0] if row and row[0] else ref.lower() if not ref.startswith("did:") else ref

        return finish_batch(c.to_batch(handle_of))
