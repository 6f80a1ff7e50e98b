"""JSON written by the ``atproto`` Python SDK (``model_dump()`` / ``model_dump_json()``).

The SDK's pydantic models dump their *Python* field names: ``created_at`` for the
lexicon's ``createdAt``, ``py_type`` for ``$type``, ``like_count`` for
``likeCount``… Read as API JSON such a file loses every timestamp, quote and
mention facet without a word. :func:`to_lexicon_json` turns a dump back into the
API's JSON (keys only; values are untouched), so the Bluesky loader reads it exactly
like ``getAuthorFeed``/``searchPosts`` output.
"""

from __future__ import annotations

from typing import Any

__all__ = ["is_sdk_dump", "to_lexicon_json"]

_SPECIAL = {"py_type": "$type"}


def is_sdk_dump(obj: Any, depth: int = 6) -> bool:
    """True when a record carries the SDK's ``py_type`` key (searched a few levels deep).

    >>> is_sdk_dump({"feed": [{"post": {"py_type": "app.bsky.feed.defs#postView"}}]})
    True
    >>> is_sdk_dump({"feed": [{"post": {"$type": "app.bsky.feed.defs#postView"}}]})
    False
    """
    if depth < 0:
        return False
    if isinstance(obj, dict):
        return "py_type" in obj or any(is_sdk_dump(v, depth - 1) for v in obj.values())
    if isinstance(obj, list):
        return any(is_sdk_dump(v, depth - 1) for v in obj[:3])
    return False


def to_lexicon_json(obj: Any) -> Any:
    """Keys in the lexicon's spelling: ``py_type`` → ``$type``, ``snake_case`` → ``camelCase``.

    >>> to_lexicon_json({"py_type": "app.bsky.feed.post", "created_at": "2024-11-11T00:27:36Z",
    ...                  "reply": {"parent": {"uri": "at://x"}}, "like_count": 3})
    {'$type': 'app.bsky.feed.post', 'createdAt': '2024-11-11T00:27:36Z', 'reply': {'parent': {'uri': 'at://x'}}, 'likeCount': 3}
    """
    if isinstance(obj, dict):
        return {_key(k): to_lexicon_json(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [to_lexicon_json(v) for v in obj]
    return obj


def _key(k: str) -> str:
    if k in _SPECIAL:
        return _SPECIAL[k]
    if "_" not in k or k.startswith("_"):
        return k
    head, *rest = k.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)
