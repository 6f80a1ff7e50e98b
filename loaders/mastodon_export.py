"""Mastodon's "Request your archive" export: ActivityPub JSON (``outbox.json``,
``actor.json``, ``likes.json``, ``bookmarks.json``), and the follows CSV
(Preferences → Import and export → Follows: ``following_accounts.csv``).

==========================================  ================================================
``actor.json`` (``type: Person``)           the owner: ``preferredUsername`` @ the host of
                                            ``id``, ``name``, ``summary`` (HTML stripped);
                                            ``attachment`` profile fields as extras
``outbox.json`` ``Create`` of a ``Note``    post ``mastodon:<object id>`` with ``Hashtag``
                                            tags; ``Mention`` tags → mentions;
                                            ``inReplyTo`` → a reply (to the author its URI
                                            names) and a mention
``outbox.json`` ``Announce``                a boost of ``object`` (a URI): relay of that
                                            post, whose author the URI names
``likes.json``, ``bookmarks.json``          not used (counted in the notes)
``following_accounts.csv``                  owner follows each ``Account address``
``followers*.csv``                          each ``Account address`` follows the owner
==========================================  ================================================

Accounts are ``user@instance`` as everywhere for Mastodon. A URI names its account
when it has Mastodon's shape (``https://host/users/name[/statuses/id]`` or
``https://host/@name/id``); a boost or reply of a post whose URI has another shape
(some servers use opaque ids) is skipped and counted. The owner comes from
``actor.json`` in the same folder, else from the outbox's ``actor``, else (CSV) from a
``user@instance`` in the file name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from graph.model import LoadError
from loaders.extras import clean_extra
from loaders.records import Collected, Where, counted, is_activitypub

__all__ = ["is_activitypub", "account_of_uri", "ActivityPubReader", "read_follows_csv", "is_follows_csv"]

_USERS = re.compile(r"^/users/([A-Za-z0-9_.-]+)(?:/|$)")
_AT = re.compile(r"^/@([A-Za-z0-9_.-]+)(?:/|$)")
_CSV_HEADER = "account address"
_UNUSED = ("likes", "bookmarks")


def account_of_uri(uri: str) -> str | None:
    """``user@host`` named by a Mastodon actor, status or profile URI, else None.

    >>> account_of_uri("https://mastodon.social/users/s0mmer/statuses/109440048909776763")
    's0mmer@mastodon.social'
    >>> account_of_uri("https://indieweb.social/@dealingwith/109305976208011760")
    'dealingwith@indieweb.social'
    >>> account_of_uri("https://misskey.io/notes/9abc") is None
    True
    """
    try:
        u = urlparse(uri)
    except ValueError:
        return None
    if not u.hostname:
        return None
    m = _USERS.match(u.path) or _AT.match(u.path)
    return f"{m[1].lower()}@{u.hostname.lower()}" if m else None


def is_follows_csv(head: bytes) -> bool:
    """The follows/followers CSV of Mastodon's export page."""
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace").strip().lower()
    return first.startswith(_CSV_HEADER)


class ActivityPubReader:
    """Reads archive documents into a :class:`Collected` of the Mastodon loader."""

    def __init__(self, c: Collected, plain: Callable[[str], str]) -> None:
        self.c, self.plain = c, plain
        self.owner: str | None = None
        self.skipped: Counter[str] = Counter()

    def read(self, records: Iterable[tuple[int, Any]], path: str, progress: Any, owner: str | None) -> None:
        w = Where(path)
        self.c.sources.append(path)
        self.owner = self.owner or owner
        for obj in counted(records, progress, w):
            obj = w.obj(obj, "")
            if obj.get("type") in ("Person", "Service"):
                self.actor(obj, w)
            elif Path(path).name.lower().removesuffix(".gz").removesuffix(".json") in _UNUSED:
                self.skipped[f"{Path(path).stem} entries"] += len(w.items(obj, "orderedItems", ""))
            else:
                self.outbox(obj, w)

    def actor(self, a: dict, w: Where) -> str:
        aid = w.text(a, "id", "", required=True)
        user = w.text(a, "preferredUsername", "", required=True)
        host = urlparse(aid).hostname
        if not host:
            raise w.error(f"{aid!r} is not an actor URL (https://host/users/name)", "id")
        acct = f"{user.lower()}@{host.lower()}"
        fields = {}
        for i, f in enumerate(w.items(a, "attachment", "")):
            f = w.obj(f, f"attachment[{i}]")
            if f.get("type") == "PropertyValue" and w.text(f, "name", f"attachment[{i}]"):
                fields[str(f["name"])] = self.plain(w.text(f, "value", f"attachment[{i}]") or "")
        summary = w.text(a, "summary", "")
        self.c.person(acct, acct, w.text(a, "name", ""), self.plain(summary) if summary else None,
                      extra=clean_extra(fields))  # fmt: skip
        self.owner = acct
        return acct

    def outbox(self, box: dict, w: Where) -> None:
        for i, act in enumerate(w.items(box, "orderedItems", "")):
            name = f"orderedItems[{i}]"
            act = w.obj(act, name)
            kind = w.text(act, "type", name, required=True)
            actor = self.actor_of(act, name, w)
            if kind == "Create":
                self.note(w.obj(act.get("object"), f"{name}.object"), actor, f"{name}.object", w)
            elif kind == "Announce":
                self.boost(act, actor, name, w)
            else:
                self.skipped[f"{kind} activities"] += 1

    def actor_of(self, act: dict, name: str, w: Where) -> str:
        uri = w.text(act, "actor", name, required=True)
        acct = account_of_uri(uri) or self.owner
        if acct is None:
            raise w.error(f"{uri!r} names no account and there is no actor.json", f"{name}.actor")
        self.owner = self.owner or acct
        return acct

    def note(self, o: dict, author: str, name: str, w: Where) -> None:
        post_id = "mastodon:" + w.text(o, "id", name, required=True)
        at = w.time(o, "published", name)
        tags, mentioned = [], []
        for i, t in enumerate(w.items(o, "tag", name)):
            t = w.obj(t, f"{name}.tag[{i}]")
            if t.get("type") == "Hashtag" and w.text(t, "name", f"{name}.tag[{i}]"):
                tags.append("#" + t["name"].lstrip("#").lower())
            elif t.get("type") == "Mention":
                acct = self.mention_acct(t, f"{name}.tag[{i}]", w)
                mentioned.append(acct)
        reply = w.text(o, "inReplyTo", name)
        content = w.text(o, "content", name)
        self.c.post(post_id, author, at, list(dict.fromkeys(tags)), self.plain(content) if content else None,
                    clean_extra({"reply_to": f"mastodon:{reply}" if reply else None}))  # fmt: skip
        for acct in dict.fromkeys(mentioned):
            self.c.mention(author, acct, post_id)
        target = account_of_uri(reply) if reply else None
        if reply and target is None:
            self.skipped["replies to posts whose URI names no account"] += 1
        elif target is not None and target != author:
            self.c.mention(author, target, post_id)
            self.c.reply(author, target, post_id, at)

    def mention_acct(self, t: dict, name: str, w: Where) -> str:
        text = (w.text(t, "name", name) or "").lstrip("@").lower()
        href = w.text(t, "href", name)
        if "@" in text:
            return text
        acct = account_of_uri(href) if href else None
        if acct is None:
            raise w.error(f"a mention that names no account (name {t.get('name')!r}, href {href!r})", name)
        return acct

    def boost(self, act: dict, actor: str, name: str, w: Where) -> None:
        obj = act.get("object")
        uri = obj.get("id") if isinstance(obj, dict) else obj
        if not isinstance(uri, str) or not uri:
            raise w.error("expected the boosted post's URI", f"{name}.object")
        author = account_of_uri(uri)
        if author is None:
            self.skipped["boosts of posts whose URI names no account"] += 1
            return
        self.c.post(f"mastodon:{uri}", author, None, [], None)
        self.c.relay(actor, f"mastodon:{uri}", "boost", w.time(act, "published", name))


def read_follows_csv(c: Collected, text: str, path: str, owner: str | None, role: str) -> int:
    """Follows from Mastodon's CSV export; returns the number of rows read."""
    import csv
    import io

    rows = csv.reader(io.StringIO(text))
    w = Where(path, 1)
    header = [h.strip().lower() for h in next(rows, [])]
    if not header or header[0] != _CSV_HEADER:
        raise w.error(
            "expected Mastodon's follows export (first column 'Account address')", "Account address"
        )
    if owner is None:
        raise w.error(f"whose {role} are these? Name the file <user@instance>.{role}.csv or put the archive's "
                      "actor.json next to it")  # fmt: skip
    c.sources.append(path)
    n = 0
    for row in rows:
        w.line = rows.line_num
        if not row or not row[0].strip():
            continue
        acct = row[0].strip().lstrip("@").lower()
        if acct.count("@") != 1 or not all(acct.split("@")):
            raise w.error(f"{row[0]!r} is not an account address (user@instance)", "Account address")
        c.person(acct, acct)
        c.follow(owner, acct) if role == "following" else c.follow(acct, owner)
        n += 1
    return n


def csv_text(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(f"invalid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
                        path=path, line=data[: exc.start].count(b"\n") + 1) from None  # fmt: skip
