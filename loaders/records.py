"""What the JSON platform loaders share: typed field access that names the bad
spot (``file:line: column 'data[2].author_id'``), an accumulator of rows, and a
guess of which platform a JSON record comes from.

The accumulator (:class:`loaders.collected.Collected`, re-exported here) keeps
plain column lists keyed by each platform's *native* account reference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, overload

from graph.model import LoadError
from loaders.collected import Collected

__all__ = [
    "Where",
    "Collected",
    "guess_platform",
    "counted",
    "mixed_platform_error",
    "PLATFORM_NAMES",
    "PROGRESS_EVERY",
]

#: How platforms are named in messages.
PLATFORM_NAMES = {
    "x": "X (API v2 / twarc2)",
    "x-archive": "X archive",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
}
#: Records between two progress callbacks.
PROGRESS_EVERY = 1000


@dataclass
class Where:
    """The place being read: file and line (of the record)."""

    path: str
    line: int | None = None

    def error(self, message: str, field: str | None = None) -> LoadError:
        return LoadError(message, path=self.path, line=self.line, field=field)

    def obj(self, value: Any, name: str) -> dict:
        """``value`` as a JSON object (dict) or a LoadError."""
        if not isinstance(value, dict):
            raise self.error(f"expected a JSON object, found {_kind(value)}", name)
        return value

    def items(self, d: dict, key: str, name: str) -> list:
        """``d[key]`` as a list ([] when missing or null)."""
        v = d.get(key)
        if v is None:
            return []
        if not isinstance(v, list):
            raise self.error(f"expected a list, found {_kind(v)}", f"{name}.{key}" if name else key)
        return v

    @overload
    def text(self, d: dict, key: str, name: str, *, required: Literal[True]) -> str: ...
    @overload
    def text(self, d: dict, key: str, name: str, *, required: bool = False) -> str | None: ...
    def text(self, d: dict, key: str, name: str, *, required: bool = False) -> str | None:
        """``d[key]`` as a string (None when missing, unless required)."""
        v = d.get(key)
        if v is None or v == "":
            if required:
                raise self.error("is missing", _join(name, key))
            return None
        if not isinstance(v, str):
            raise self.error(f"expected text, found {_kind(v)}", _join(name, key))
        return v

    @overload
    def num_id(self, d: dict, key: str, name: str, *, required: Literal[True] = True) -> str: ...
    @overload
    def num_id(self, d: dict, key: str, name: str, *, required: bool) -> str | None: ...
    def num_id(self, d: dict, key: str, name: str, *, required: bool = True) -> str | None:
        """A numeric id (X ids: digits, as a string or a JSON number)."""
        v = d.get(key)
        if v is None or v == "":
            if required:
                raise self.error("is missing", _join(name, key))
            return None
        s = str(v) if isinstance(v, int) and not isinstance(v, bool) else v
        if not isinstance(s, str) or not s.isascii() or not s.isdigit():
            raise self.error(f"{_short(v)} is not a numeric id", _join(name, key))
        return s

    def count(self, d: dict, key: str, name: str) -> int | None:
        """A count (>= 0) given as a JSON number or a digit string."""
        v = d.get(key)
        if v is None or v == "":
            return None
        if isinstance(v, bool) or not isinstance(v, (int, str, float)):
            raise self.error(f"expected a whole number, found {_kind(v)}", _join(name, key))
        try:
            n = int(v) if not isinstance(v, float) or v.is_integer() else -1
        except ValueError:
            n = -1
        if n < 0:
            raise self.error(f"{_short(v)} is not a whole number >= 0", _join(name, key))
        return n

    def time(self, d: dict, key: str, name: str, fmt: str | None = None) -> datetime | None:
        """A timestamp as naive UTC; ISO 8601 unless ``fmt`` (strptime) is given."""
        v = d.get(key)
        if v is None or v == "":
            return None
        if isinstance(v, str):
            try:
                t = datetime.strptime(v, fmt) if fmt else datetime.fromisoformat(v)
            except ValueError:
                t = None
            if t is not None and 1 <= t.year <= 9999:
                return t.astimezone(UTC).replace(tzinfo=None) if t.tzinfo else t
        expect = f"like {fmt!r}" if fmt else "ISO 8601, e.g. 2025-03-04T10:15:00.000Z"
        raise self.error(f"{_short(v)} is not a date/time ({expect})", _join(name, key))


def _short(v: Any, limit: int = 60) -> str:
    text = repr(v)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _join(name: str, key: str) -> str:
    return f"{name}.{key}" if name else key


def _kind(v: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(v), "a number"
    )


def is_activitypub(obj: object) -> bool:
    """An ActivityStreams document of the archive (an actor or an outbox/likes collection).

    >>> is_activitypub({"@context": "https://www.w3.org/ns/activitystreams", "type": "OrderedCollection"})
    True
    """
    if not isinstance(obj, dict) or obj.get("type") not in ("Person", "Service", "OrderedCollection"):
        return False
    ctx = obj.get("@context")
    ctx = ctx if isinstance(ctx, list) else [ctx]
    return any(isinstance(c, str) and "activitystreams" in c for c in ctx)


def guess_platform(obj: Any) -> str | None:
    """Which platform a JSON record comes from, by its field names (None if unsure).

    >>> guess_platform({"data": [{"id": "1", "text": "hi", "author_id": "2"}]})
    'x'
    >>> guess_platform({"$type": "app.bsky.graph.follow", "subject": "did:plc:abc"})
    'bluesky'
    >>> guess_platform({"id": "1", "acct": "ann@example.social", "username": "ann"})
    'mastodon'
    """
    if isinstance(obj, list):
        return guess_platform(obj[0]) if obj else None
    if not isinstance(obj, dict):
        return None
    keys = obj.keys()
    if "@context" in keys:
        if is_activitypub(obj):
            return "mastodon"
    if {"follower", "following", "tweet", "account", "profile"} & keys and _archive_item(obj):
        return "x-archive"
    if _is_bluesky(obj):
        return "bluesky"
    if (
        "acct" in keys
        or "reblog" in keys
        or (isinstance(obj.get("account"), dict) and "acct" in obj["account"])
    ):
        return "mastodon"
    if {"__twarc", "includes", "author_id", "edit_history_tweet_ids", "referenced_tweets"} & keys:
        return "x"
    if "data" in keys and ("meta" in keys or "errors" in keys or isinstance(obj.get("data"), (list, dict))):
        return "x" if _looks_x(obj["data"]) else None
    if "username" in keys and "id" in keys and "public_metrics" in keys:
        return "x"
    return None


def _archive_item(obj: dict) -> bool:
    inner = next(iter(obj.values()), None) if len(obj) == 1 else None
    return isinstance(inner, dict) and bool(
        {"accountId", "id_str", "full_text", "userLink", "username", "description"} & inner.keys()
    )


def _is_bluesky(obj: dict) -> bool:
    t = obj.get("$type", obj.get("py_type"))  # py_type: an atproto SDK model dump
    if isinstance(t, str) and t.startswith("app.bsky"):
        return True
    if isinstance(obj.get("did"), str) and obj["did"].startswith("did:"):
        return True
    for key in ("uri", "subject"):
        v = obj.get(key)
        if isinstance(v, str) and v.startswith(("at://", "did:")):
            return True
        if isinstance(v, dict) and isinstance(v.get("did") or v.get("uri"), str):
            return str(v.get("did") or v.get("uri")).startswith(("did:", "at://"))
    if {"repostedBy", "follows", "followers", "records", "feed", "posts", "profiles"} & obj.keys():
        inner = next((obj[k] for k in ("repostedBy", "follows", "followers", "records", "feed", "posts",
                                        "profiles") if k in obj), None)  # fmt: skip
        return isinstance(inner, list) and bool(inner) and _is_bluesky_item(inner[0])
    return False


def _is_bluesky_item(item: Any) -> bool:
    if not isinstance(item, dict):
        return False
    return _is_bluesky(item) or isinstance(item.get("post"), dict) and _is_bluesky(item["post"])


def _looks_x(data: Any) -> bool:
    item = data[0] if isinstance(data, list) and data else data
    return isinstance(item, dict) and ("text" in item or "username" in item) and "id" in item


def counted(records: Any, progress: Callable[[int], None] | None, where: Where) -> Any:
    """Pass ``(line, value)`` records through, setting ``where.line`` and reporting
    progress every :data:`PROGRESS_EVERY` records."""
    n = 0
    for line, value in records:
        where.line = line
        yield value
        n += 1
        if n == PROGRESS_EVERY:
            if progress:
                progress(n)
            n = 0
    if progress and n:
        progress(n)
    where.line = None


def mixed_platform_error(where: Where, obj: Any, reading_as: str, *, first: bool = False) -> LoadError | None:
    """The error for a record of another platform in this platform's file, if it is one.

    >>> mixed_platform_error(Where("f.jsonl", 1), {"acct": "a@b.c"}, "bluesky", first=True).reason
    'this file looks like Mastodon data, not Bluesky: use --format mastodon (or auto)'
    """
    other = guess_platform(obj)
    if other is None or other == reading_as:
        return None
    if first:
        fmt = "x-api" if other == "x" else other
        return where.error(
            f"this file looks like {PLATFORM_NAMES[other]} data, not {PLATFORM_NAMES[reading_as]}: "
            f"use --format {fmt} (or auto)"
        )
    return where.error(
        f"this record looks like {PLATFORM_NAMES[other]} data, but the file is read as "
        f"{PLATFORM_NAMES[reading_as]}; keep each platform in its own file (mixed platforms in one file)"
    )
