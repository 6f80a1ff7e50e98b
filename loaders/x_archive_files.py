"""Which files of an X archive (zip, folder or single files) the loader reads, in order.

Two layouts exist:

* **2019 onwards** — ``data/*.js``: ``account.js``, ``profile.js``, ``follower.js``,
  ``following.js``, ``tweets.js`` (also ``tweet.js``, ``tweets-part1.js``);
* **2012–2018** ("Grailbird") — ``data/js/user_details.js`` (the owner),
  ``data/js/tweets/YYYY_MM.js`` (one file per month) and, at the top, ``tweets.csv``
  (the same tweets as a table, fewer fields). When both the monthly files and
  ``tweets.csv`` are present the monthly files are read and ``tweets.csv`` is skipped
  (with a note): they hold the same tweets, with entities.

Roles are ordered owner first (``account``/``user_details``), so every other file
knows whose archive it is.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO

from graph.model import LoadError
from loaders.base import nested_archive_error, open_binary

__all__ = ["Member", "archive_members", "member_role", "ARCHIVE_FILE_NAMES"]

Member = tuple[str, str, Callable[[], IO[bytes]]]  # role, display path, opener

_ROLE = re.compile(r"^(account|profile|follower|following|tweets?)(-part\d+)?\.js$")
_MONTH = re.compile(r"^\d{4}_\d{2}\.js$")
_ORDER = {"account": 0, "user_details": 0, "profile": 1, "tweet": 2, "tweets": 2, "grailbird": 2,
          "tweets_csv": 2, "tweets_csv_skipped": 2, "follower": 3, "following": 3}  # fmt: skip
#: File names that mark a folder or zip as an X archive (for detection).
ARCHIVE_FILE_NAMES = ("account.js", "follower.js", "following.js", "tweets.js", "tweet.js",
                      "user_details.js")  # fmt: skip


def member_role(name: str) -> str | None:
    """The role of an archive file from its path inside the archive.

    >>> member_role("data/tweets-part1.js"), member_role("data/js/tweets/2013_01.js")
    ('tweets', 'grailbird')
    >>> member_role("tweets.csv"), member_role("data/js/user_details.js"), member_role("data/like.js")
    ('tweets_csv', 'user_details', None)
    """
    parts = name.replace("\\", "/").lower().split("/")
    base = parts[-1]
    if base == "tweets.csv":
        return "tweets_csv"
    if base == "user_details.js":
        return "user_details"
    if _MONTH.match(base) and len(parts) >= 2 and parts[-2] == "tweets":
        return "grailbird"
    m = _ROLE.match(base)
    return m[1] if m else None


def archive_members(path: Path) -> list[Member]:
    """The archive files under ``path`` that this loader reads, owner first."""
    if path.is_file() and zipfile.is_zipfile(path):
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise LoadError(f"not a readable zip archive ({exc})", path=str(path)) from None
        found = [(n, f"{path}:{n}", _zip_opener(zf, n, path)) for n in zf.namelist()]
    elif path.is_dir():
        found = [(str(f), str(f), _file_opener(f)) for f in _archive_files(path)]
    else:
        if not path.exists():
            raise LoadError("no such file", path=str(path))
        found = [(str(f), str(f), _file_opener(f)) for f in dict.fromkeys([*_owner_files(path), path])]
    members = [(role, shown, opener) for name, shown, opener in found if (role := member_role(name))]
    if not members and (nested := nested_archive_error(path)):
        raise nested
    if not members:
        raise LoadError("no X archive files found (expected data/account.js, follower.js, following.js, "
                        "tweets.js, or the older tweets.csv / data/js/tweets/)", path=str(path))  # fmt: skip
    if any(r == "grailbird" for r, _, _ in members):  # the same tweets twice: keep the richer files
        members = [("tweets_csv_skipped", m[1], m[2]) if m[0] == "tweets_csv" else m for m in members]
    return sorted(members, key=lambda m: _ORDER[m[0]])


def _archive_files(path: Path) -> list[Path]:
    roots = [path, path / "data", path / "data" / "js", path / "data" / "js" / "tweets", path / "js",
             path / "js" / "tweets", path / "tweets"]  # fmt: skip
    return [f for r in roots if r.is_dir() for f in sorted(r.iterdir()) if f.is_file()]


def _owner_files(path: Path) -> list[Path]:
    """The owner's files next to a single archive file (``account.js``, ``user_details.js``)."""
    candidates = [path.parent / "account.js", path.parent / "profile.js", path.parent / "user_details.js",
                  path.parent.parent / "user_details.js", path.parent / "data" / "js" / "user_details.js"]  # fmt: skip
    return [f for f in candidates if f.is_file() and f != path]


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

    def readable(self) -> bool:
        return True

    def __enter__(self) -> _CheckedMember:
        return self

    def __exit__(self, *exc: object) -> None:
        self.f.close()
