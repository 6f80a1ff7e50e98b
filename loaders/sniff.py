"""Recognising the platform formats from content, for ``--format auto``.

Rules (first match wins), applied to the first 64 KiB of a file:

* ``<graphml`` / ``<gexf`` within the first 4 KiB → ``graphml`` / ``gexf``; ``graph [`` (after
  ``Creator``/``Version`` lines) → ``gml``; ``*Vertices``/``*Arcs``/``*Edges`` → ``pajek``;
  ``nodedef>`` → ``gdf``; an ``.xlsx`` with an ``Edges`` sheet → ``nodexl``;
* a CAR header (``roots``, ``version``) → ``bluesky``; a CSV whose header starts with
  ``Account address`` → ``mastodon``; ActivityStreams JSON (``@context``) → ``mastodon``;
* ``window.YTD.`` / ``Grailbird.data.`` / ``var user_details`` at the start, a
  ``tweets.csv`` header, a zip holding archive files, or a folder holding (``data/``)
  ``account.js``, ``follower.js``, ``following.js``, ``tweets.js`` or (``data/js/``)
  ``user_details.js`` → ``x-archive``;
* JSON: the first record (a JSONL line, a document, or the first element of an
  array) is classified by its field names (:func:`loaders.records.guess_platform`):
  ``data``/``includes``/``author_id``/``__twarc`` → ``x-api``; ``$type``
  ``app.bsky…``, ``did``, ``at://`` URIs, ``follows``/``repostedBy`` pages →
  ``bluesky``; ``acct`` or ``reblog`` → ``mastodon``. When the first record is
  longer than the sample, the field names found in the sample decide.

A folder is judged by its first JSON file.
"""

from __future__ import annotations

import re
import zipfile
from functools import lru_cache
from pathlib import Path

from graph.model import LoadError
from loaders.bluesky_car import is_car
from loaders.jsonio import JSON_SUFFIXES, iter_json
from loaders.mastodon_export import is_follows_csv
from loaders.nodexl import is_nodexl
from loaders.records import guess_platform

__all__ = ["sniff_platform", "is_graphml", "is_gexf", "is_x_archive", "SNIFFERS"]

_ARCHIVE_FILES = ("account.js", "follower.js", "following.js", "tweets.js", "tweet.js")
_GML = re.compile(rb"^\s*(?:(?:#|Creator|Version|comment)[^\n]*\n\s*)*graph\s*\[", re.I)
_PAJEK = re.compile(rb"^\s*(?:%[^\n]*\n\s*)*\*(?:vertices|network|arcs|edges)\b", re.I)
_KEYS = (
    ("mastodon", re.compile(r'"(acct|reblog)"\s*:')),
    ("x", re.compile(r'"(author_id|__twarc|edit_history_tweet_ids|referenced_tweets)"\s*:')),
    ("bluesky", re.compile(r'"\$type"\s*:\s*"app\.bsky|"did"\s*:\s*"did:|"at://')),
)


def is_graphml(path: Path, head: bytes) -> bool:
    return not path.is_dir() and b"<graphml" in head[:4096]


def is_gexf(path: Path, head: bytes) -> bool:
    return not path.is_dir() and b"<gexf" in head[:4096]


def is_x_archive(path: Path, head: bytes) -> bool:
    if path.is_dir():
        folder = path / "data" if (path / "data").is_dir() else path
        if any((folder / n).is_file() for n in _ARCHIVE_FILES):
            return True
        js = folder / "js" if (folder / "js").is_dir() else folder
        return (js / "user_details.js").is_file() or (js / "tweets").is_dir() and (js.name == "js")
    if head.startswith(b"PK") and zipfile.is_zipfile(path):
        try:
            names = zipfile.ZipFile(path).namelist()
        except (zipfile.BadZipFile, OSError):
            return False
        from loaders.x_archive_files import member_role

        return any(member_role(n) in ("account", "user_details", "follower", "following", "tweets", "tweet")
                   for n in names)  # fmt: skip
    text = _text(head)
    return text.startswith(("window.YTD.", "Grailbird.data.", "var user_details")) or is_tweets_csv(head)


def is_tweets_csv(head: bytes) -> bool:
    """The ``tweets.csv`` of a 2012-2018 X archive (by its header)."""
    first = _text(head).split("\n", 1)[0].lower()
    return first.startswith('"tweet_id"') or first.startswith("tweet_id,") and "retweeted_status_id" in first


def is_gml(path: Path, head: bytes) -> bool:
    return not path.is_dir() and b"<" not in head[:1] and _GML.match(head.lstrip(b"\xef\xbb\xbf")) is not None


def is_pajek(path: Path, head: bytes) -> bool:
    return not path.is_dir() and _PAJEK.match(head.lstrip(b"\xef\xbb\xbf")) is not None


def is_gdf(path: Path, head: bytes) -> bool:
    return not path.is_dir() and head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(b"nodedef>")


def _platform(name: str):  # noqa: ANN202
    def sniff(path: Path, head: bytes) -> bool:
        if name == "bluesky" and not path.is_dir() and is_car(head):
            return True
        if name == "mastodon" and not path.is_dir() and is_follows_csv(head):
            return True
        return sniff_platform(path, head) == name

    return sniff


def sniff_platform(path: Path, head: bytes) -> str | None:
    """``x-api``, ``bluesky``, ``mastodon`` or None, for JSON content."""
    if path.is_dir():
        files = sorted(
            f
            for f in path.iterdir()
            if f.is_file() and f.name.lower().removesuffix(".gz").endswith(JSON_SUFFIXES)
        )
        if not files:
            return None
        from loaders.base import read_head

        return sniff_platform(files[0], read_head(files[0]))
    return _sniff_text(_text(head))


@lru_cache(maxsize=32)
def _sniff_text(text: str) -> str | None:
    if not text.startswith(("{", "[")):
        return None
    try:
        first = next(iter_json(text), None)
    except LoadError:
        first = None
    if first is not None:
        guess = guess_platform(first[1])
        if guess is not None:
            return "x-api" if guess == "x" else guess if guess != "x-archive" else None
    for platform, pattern in _KEYS:
        if pattern.search(text):
            return "x-api" if platform == "x" else platform
    return None


def _text(head: bytes) -> str:
    return head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")


#: Format name -> detector (``loaders.registry`` orders them by priority).
SNIFFERS = {
    "graphml": is_graphml,
    "gexf": is_gexf,
    "gml": is_gml,
    "pajek": is_pajek,
    "gdf": is_gdf,
    "nodexl": is_nodexl,
    "x-archive": is_x_archive,
    "x-api": _platform("x-api"),
    "bluesky": _platform("bluesky"),
    "mastodon": _platform("mastodon"),
}
