"""Mastodon API JSON (``--format mastodon``): accounts, ``/followers`` and
``/following`` pages, and statuses, one document per file or JSON Lines.

==================================================  ===================================
Account (``/api/v1/accounts/:id``, a JSON array      people: ``acct``, ``display_name``,
of them from ``/followers`` or ``/following``)       ``note`` (HTML stripped),
                                                     ``followers_count``
Status (``/api/v1/accounts/:id/statuses``,           post (``tags``, ``mentions``);
timelines)                                           with ``reblog``: a relay (kind
                                                     ``boost``) of the reblogged status
``{"account": {...}, "statuses": [...],              all of the above, ``account`` being
"followers": [...], "following": [...]}``            the owner of the lists (the layout
                                                     written by ``mastodon-archive``)
==================================================  ===================================

Whose followers a ``/followers`` page lists is not in the page, so it comes
from (first match wins) the wrapper's ``account``, an ``acct`` in the file name
(``ann@example.social.followers.json``, ``following_ann@example.social.json``),
or an ``account.json`` (the Account) in the same folder; without one of them the
page is an error. The file name says which list it is (``followers`` /
``following``).

People are keyed by the fully qualified ``acct`` (``user@instance``, lower
case): a local ``acct`` (no ``@``) takes the instance from the account's
``url``. Posts are ``mastodon:<status uri>`` (the ActivityPub id, the same on
every instance; numeric status ids are per instance). A reblog carries its
original, so a boost is never "of an unknown post".
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from graph.model import GraphBatch, LoadError
from loaders.base import finish_batch, open_binary
from loaders.extras import clean_extra
from loaders.jsonio import JSON_SUFFIXES, expand_paths, iter_json, iter_json_file
from loaders.mastodon_export import ActivityPubReader, csv_text, is_activitypub, read_follows_csv
from loaders.records import Collected, Where, counted, mixed_platform_error

__all__ = ["read_mastodon", "parse_mastodon", "qualified_acct"]

_ACCT_IN_NAME = re.compile(r"@?([a-z0-9_]+@[a-z0-9.-]+\.[a-z]{2,})", re.I)
_ARCHIVE_NAME = re.compile(r"^(.+)\.user\.([a-z0-9_]+)\.json$", re.I)  # mastodon-archive
_ROLE_WORD = re.compile(r"(?:^|[._-])follow(?:ers|ing)(?:_accounts)?(?=$|[._-])[._-]?")
_TAGS = re.compile(r"<[^>]+>")
_BREAKS = re.compile(r"<br\s*/?>|</p>", re.I)
_LISTS = ("statuses", "followers", "following", "favourites")


def qualified_acct(acct: str, url: str | None) -> str | None:
    """``user@instance`` for an account's ``acct`` and profile ``url``.

    >>> qualified_acct("Ann", "https://example.social/@Ann")
    'ann@example.social'
    >>> qualified_acct("bob@other.example", None)
    'bob@other.example'
    """
    acct = acct.strip().lstrip("@").lower()
    if "@" in acct:
        return acct
    host = urlparse(url).hostname if url else None
    return f"{acct}@{host}" if host else None


def read_mastodon(paths: list[str | Path], *, progress: Callable[[int], None] | None = None) -> GraphBatch:
    """Read Mastodon JSON files, archive exports and follows CSVs (or folders of them) into one batch."""
    reader = _Mastodon()
    files = expand_paths(paths, (*JSON_SUFFIXES, ".csv"))
    for f in sorted(files, key=lambda f: f.name.lower() != "actor.json"):  # the archive's owner first
        role = _role(f.name)
        if f.name.lower().removesuffix(".gz").endswith(".csv"):
            owner = _subject_from_name(f) or reader.ap.owner or _owner_from_actor(f, reader)
            with open_binary(f) as fh:
                n = read_follows_csv(
                    reader.c, csv_text(fh.read(), str(f)), str(f), owner, role or "following"
                )
            if progress and n:
                progress(n)
            continue
        records = iter_json_file(f)
        first = next(records, None)
        records = itertools.chain([first] if first else [], records)
        if first is not None and is_activitypub(first[1]):
            reader.ap.read(records, str(f), progress, _subject_from_name(f))
            continue
        subject = _subject_from_name(f) or (_subject_from_folder(f, reader) if role else None)
        reader.read(records, str(f), progress, role=role, subject=subject)
    return reader.finish()


def _owner_from_actor(f: Path, reader: _Mastodon) -> str | None:
    actor = f.parent / "actor.json"
    if not actor.is_file():
        return None
    for line, obj in iter_json_file(actor):
        return reader.ap.actor(Where(str(actor), line).obj(obj, ""), Where(str(actor), line))
    return None


def parse_mastodon(
    source: Any, *, path: str = "<input>", role: str | None = None, subject: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> GraphBatch:  # fmt: skip
    """Parse Mastodon JSON text; ``role`` is ``followers``/``following`` for those pages.

    >>> accounts = '[{"id": "7", "username": "bea", "acct": "bea", "url": "https://example.social/@bea"}]'
    >>> parse_mastodon(accounts, role="followers", subject="ann@example.social").follows.values.tolist()
    [['mastodon:bea@example.social', 'mastodon:ann@example.social']]
    """
    reader = _Mastodon()
    reader.read(iter_json(source, path=path), path, progress, role=role, subject=subject)
    return reader.finish()


def _role(name: str) -> str | None:
    low = name.lower()
    return "followers" if "follower" in low else "following" if "following" in low else None


def _subject_from_name(f: Path) -> str | None:
    m = _ARCHIVE_NAME.match(f.name)
    if m:
        return f"{m[2]}@{m[1]}".lower()
    stem = (
        f.name.lower().removesuffix(".gz").removesuffix(".json").removesuffix(".jsonl").removesuffix(".csv")
    )
    m = _ACCT_IN_NAME.search(_ROLE_WORD.sub("", stem))
    return m[1] if m else None


def _subject_from_folder(f: Path, reader: _Mastodon) -> str | None:
    account = f.parent / "account.json"
    if not account.is_file() or account == f:
        return None
    w = Where(str(account))
    for line, obj in iter_json_file(account):
        w.line = line
        return reader.account(w.obj(obj, ""), "", w)
    return None


class _Mastodon:
    def __init__(self) -> None:
        self.c = Collected("mastodon")
        self.ap = ActivityPubReader(self.c, _plain)
        self.ids: dict[str, str] = {}  # instance-local account id -> acct (to resolve in_reply_to_account_id)
        self.pending: list[tuple[str, str, str, Any]] = []  # replies waiting for that: author, id, post, at

    def read(self, records: Iterable[tuple[int, Any]], path: str, progress: Any, *,
             role: str | None, subject: str | None) -> None:  # fmt: skip
        w = Where(path)
        self.c.sources.append(path)
        for i, obj in enumerate(counted(records, progress, w)):
            obj = w.obj(obj, "")
            err = mixed_platform_error(w, obj, "mastodon", first=i == 0)
            if err is not None:
                raise err
            if (
                isinstance(obj.get("account"), dict)
                and "content" not in obj
                and any(k in obj for k in _LISTS)
            ):
                self.wrapper(obj, w)
            elif "content" in obj and "account" in obj:
                self.status(obj, "", w)
            elif "acct" in obj:
                acct = self.account(obj, "", w)
                if role is not None:
                    if subject is None:
                        raise w.error(
                            f"whose {role} are these? Name the file <user@instance>.{role}.json or put the "
                            "account's account.json (the Account from /api/v1/accounts/:id) next to it"
                        )
                    self.c.follow(acct, subject) if role == "followers" else self.c.follow(subject, acct)
            else:
                raise w.error("not a Mastodon API entity: expected an Account (acct) or a Status (content)")

    def wrapper(self, obj: dict, w: Where) -> None:
        owner = self.account(obj["account"], "account", w)
        for i, a in enumerate(w.items(obj, "followers", "")):
            self.c.follow(self.account(w.obj(a, f"followers[{i}]"), f"followers[{i}]", w), owner)
        for i, a in enumerate(w.items(obj, "following", "")):
            self.c.follow(owner, self.account(w.obj(a, f"following[{i}]"), f"following[{i}]", w))
        for i, s in enumerate(w.items(obj, "statuses", "")):
            self.status(w.obj(s, f"statuses[{i}]"), f"statuses[{i}]", w)

    def account(self, a: dict, name: str, w: Where) -> str:
        acct = qualified_acct(w.text(a, "acct", name, required=True), w.text(a, "url", name))
        if acct is None:
            raise w.error(
                f"{a['acct']!r} has no instance and the account has no url to take it from", f"{name}.acct"
            )
        note = w.text(a, "note", name)
        bio = _plain(note) if note else None
        name_ = w.text(a, "display_name", name)
        extra = clean_extra({"bot": a.get("bot") if isinstance(a.get("bot"), bool) else None,
                             "created_at": w.text(a, "created_at", name),
                             "following_count": w.count(a, "following_count", name),
                             "statuses_count": w.count(a, "statuses_count", name)})  # fmt: skip
        self.c.person(acct, acct, name_, bio or None, w.count(a, "followers_count", name), extra)
        if isinstance(a.get("id"), str) and a["id"]:
            self.ids.setdefault(a["id"], acct)
        return acct

    def status(self, s: dict, name: str, w: Where) -> str:
        author = self.account(w.obj(s.get("account"), _n(name, "account")), _n(name, "account"), w)
        at = w.time(s, "created_at", name)
        reblog = s.get("reblog")
        if reblog is not None:
            original = self.status(w.obj(reblog, _n(name, "reblog")), _n(name, "reblog"), w)
            self.c.relay(author, original, "boost", at)
            return original
        uri = w.text(s, "uri", name) or w.text(s, "url", name, required=True)
        tags = []
        for i, t in enumerate(w.items(s, "tags", name)):
            tag = w.text(w.obj(t, _n(name, f"tags[{i}]")), "name", _n(name, f"tags[{i}]"))
            if tag:
                tags.append("#" + tag.lstrip("#").lower())
        post_id = f"mastodon:{uri}"
        text = w.text(s, "content", name)
        extra = clean_extra({"likes": w.count(s, "favourites_count", name), "reposts": w.count(s, "reblogs_count", name),
                             "replies": w.count(s, "replies_count", name)})  # fmt: skip
        self.c.post(post_id, author, at, list(dict.fromkeys(tags)), _plain(text) if text else None, extra)
        target_id = w.text(s, "in_reply_to_account_id", name)
        if target_id:
            self.pending.append((author, target_id, post_id, at))
        for i, m in enumerate(w.items(s, "mentions", name)):
            where = _n(name, f"mentions[{i}]")
            m = w.obj(m, where)
            acct = qualified_acct(w.text(m, "acct", where, required=True), w.text(m, "url", where))
            if acct is None:
                raise LoadError(
                    f"{m['acct']!r} has no instance and no url",
                    path=w.path,
                    line=w.line,
                    field=f"{where}.acct",
                )
            self.c.mention(author, acct, post_id)
        return post_id

    def finish(self) -> GraphBatch:
        unknown = 0
        for author, target_id, post_id, at in self.pending:
            target = self.ids.get(target_id)
            if target is None:
                unknown += 1
            elif target != author:
                self.c.mention(author, target, post_id)
                self.c.reply(author, target, post_id, at)
        if unknown:
            self.c.notes.append(f"{unknown:,} reply row(s) skipped: in_reply_to_account_id names an account "
                                "absent from the files (still a mention when the status mentions it)")  # fmt: skip
        if self.ap.skipped:
            what = ", ".join(f"{v:,} {k}" for k, v in self.ap.skipped.most_common())
            self.c.notes.append(f"skipped (archive): {what}")
        return finish_batch(self.c.to_batch(lambda ref: ref))


def _plain(html_text: str) -> str:
    """Status/bio HTML as plain text.

    >>> _plain('<p>Hi <a href="x">@<span>bea</span></a> &amp; co</p><p>Bye</p>')
    'Hi @bea & co Bye'
    """
    text = _BREAKS.sub(" ", html_text)
    return " ".join(html.unescape(_TAGS.sub("", text)).split())


def _n(name: str, key: str) -> str:
    return f"{name}.{key}" if name else key
