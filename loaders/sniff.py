"""Recognising the platform formats from content, for ``--format auto``.

Rules (first match wins), applied to the first 64 KiB of a file:

* ``<graphml`` / ``<gexf`` within the first 4 KiB → ``graphml`` / ``gexf``;
* ``window.YTD.`` at the start, a zip holding ``data/*.js`` archive files, or a
  folder holding (``data/``) ``account.js``, ``follower.js``, ``following.js``
  or ``tweets.js`` → ``x-archive``;
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
from loaders.jsonio import JSON_SUFFIXES, iter_json
from loaders.records import guess_platform

__all__ = ["sniff_platform", "is_graphml", "is_gexf", "is_x_archive"]

_ARCHIVE_FILES = ("account.js", "follower.js", "following.js", "tweets.js", "tweet.js")
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
        return any((folder / n).is_file() for n in _ARCHIVE_FILES)
    if head.startswith(b"PK") and zipfile.is_zipfile(path):
        try:
            names = zipfile.ZipFile(path).namelist()
        except (zipfile.BadZipFile, OSError):
            return False
        return any(n.rsplit("/", 1)[-1] in _ARCHIVE_FILES for n in names)
    return _text(head).startswith("window.YTD.")


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
