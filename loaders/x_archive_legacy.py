"""``tweets.csv`` of the 2012–2018 X archive: the owner's tweets as a table.

Columns are found by name (their order changed over the years):
``tweet_id``, ``in_reply_to_status_id``, ``in_reply_to_user_id``, ``timestamp``
(``2013-03-25 00:16:47 +0000``), ``text``, ``retweeted_status_id``,
``retweeted_status_user_id`` (``source``, ``expanded_urls`` and
``retweeted_status_timestamp`` are not used).

The table has no entities, so they come from the text: hashtags (``#word``) and
mentions (``@name``). A retweet (``retweeted_status_id`` set) is a relay of that
post, whose author is ``retweeted_status_user_id`` (named by the ``RT @name:``
prefix). A reply's target is ``in_reply_to_user_id``; X put the replied-to name first
in a reply's text, so a reply whose text starts with ``@name`` names that id.
"""

from __future__ import annotations

import csv
import io
import re
from typing import IO, Any

from graph.model import LoadError
from loaders.extras import clean_extra
from loaders.records import Where

__all__ = ["read_tweets_csv", "REQUIRED_COLUMNS"]

REQUIRED_COLUMNS = ("tweet_id", "timestamp", "text")
_MENTION = re.compile(r"(?<![\w@])@(\w{1,15})")
_TAG = re.compile(r"(?<![\w#&])#(\w+)")
_RT = re.compile(r"RT @(\w{1,15}):")
TIME = "%Y-%m-%d %H:%M:%S %z"


def read_tweets_csv(archive: Any, f: IO[bytes], shown: str, progress: Any = None) -> None:
    """Feed every row of a ``tweets.csv`` to an X archive reader (``loaders.x_archive._Archive``)."""
    text = _text(f, shown)
    rows = csv.reader(io.StringIO(text))
    w = Where(shown, 1)
    header = [h.strip() for h in next(rows, [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise w.error(f"missing required column (found: {', '.join(header) or 'none'})", missing[0])
    archive.c.sources.append(shown)
    n = 0
    for row in rows:
        w.line = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise w.error(f"expected {len(header)} columns, found {len(row)} (a quote not closed?)")
        # X's own files leave out an empty last column (expanded_urls) on some rows
        _row(archive, dict(zip(header, row + [""] * (len(header) - len(row)), strict=True)), w)
        n += 1
        if progress and n % 1000 == 0:
            progress(1000)
    if progress and n % 1000:
        progress(n % 1000)


def _text(f: IO[bytes], shown: str) -> str:
    data = f.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LoadError(f"invalid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
                        path=shown, line=line) from None  # fmt: skip


def _row(archive: Any, r: dict[str, str], w: Where) -> None:
    c, owner = archive.c, archive.owner
    tid = w.num_id(r, "tweet_id", "")
    at = w.time(r, "timestamp", "", fmt=TIME)
    text = r.get("text", "")
    names = [m.lower() for m in _MENTION.findall(text)]
    rt_id = w.num_id(r, "retweeted_status_id", "", required=False)
    if rt_id is not None:
        author = w.num_id(r, "retweeted_status_user_id", "", required=False)
        rt = _RT.match(text)
        if author is None and rt is None:
            raise w.error("a retweet without its author (no retweeted_status_user_id, no 'RT @name:')",
                          "retweeted_status_user_id")  # fmt: skip
        if author is not None and rt is not None:
            c.person(author, rt[1].lower())
        author = author or f"@{rt[1].lower()}"  # type: ignore[index]
        c.post(f"x:{rt_id}", author, None, [], None)
        c.relay(owner, f"x:{rt_id}", "retweet", at)
        for name in dict.fromkeys(names[1:] if rt else names):  # the original's own mentions
            c.mention(author, f"@{name}", f"x:{tid}")
        archive.counts["retweets"] += 1
        return
    post_id = f"x:{tid}"
    reply_to = w.num_id(r, "in_reply_to_status_id", "", required=False)
    tags = list(dict.fromkeys("#" + t.lower() for t in _TAG.findall(text)))
    c.post(
        post_id, owner, at, tags, text, extra=clean_extra({"reply_to": f"x:{reply_to}" if reply_to else None})
    )
    archive.counts["tweets"] += 1
    target = w.num_id(r, "in_reply_to_user_id", "", required=False)
    if target is not None and text.lstrip().startswith("@") and names:
        c.person(target, names[0])
    for name in dict.fromkeys(names):
        c.mention(owner, f"@{name}", post_id)
    if target is not None and target != owner:
        c.mention(owner, target, post_id)
        c.reply(owner, target, post_id, at)
