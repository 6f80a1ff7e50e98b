"""What loaders read beyond people, follows, posts, relays and mentions.

The model (:mod:`graph.model`) and both stores keep all of it:

* ``people.extra`` (object): a dict of the node/profile attributes this model has no
  column for (``{"country": "France", "party": "D"}``, X ``location``, NodeXL
  ``Followed``…), ``None`` when there are none;
* ``posts``: ``reply_to`` (str, the post_id replied to), ``likes``, ``reposts``,
  ``replies``, ``quotes`` (Int64, the engagement counts the platform declared);
* ``batch.replies``: a side table ``source, target, count, first_at, last_at``:
  ``source`` replied to a post of ``target`` ``count`` times (one row per reply post
  in a loader's output, summed per pair by :func:`loaders.base.finish_batch`).

Replies are *also* still counted as mentions (a reply addresses its target), as
before; ``replies`` only makes the relationship visible on its own.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from graph.model import GraphBatch

__all__ = [
    "EXTRA_COLUMNS",
    "REPLY_DTYPES",
    "ENGAGEMENT",
    "replies_of",
    "set_replies",
    "extra_count",
    "clean_extra",
]

#: Extra columns kept per table (name -> dtype), see the module docstring.
EXTRA_COLUMNS: dict[str, dict[str, str]] = {
    "people": {"extra": "object"},
    "posts": {"reply_to": "str", "likes": "Int64", "reposts": "Int64", "replies": "Int64", "quotes": "Int64"},
}
#: The engagement columns of ``posts``.
ENGAGEMENT = ("likes", "reposts", "replies", "quotes")
REPLY_DTYPES: dict[str, str] = {
    "source": "str",
    "target": "str",
    "count": "int64",
    "first_at": "datetime64[us]",
    "last_at": "datetime64[us]",
}


def _empty_replies() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in REPLY_DTYPES.items()})


def replies_of(batch: GraphBatch) -> pd.DataFrame:
    """The batch's reply table (empty when the loader found no replies).

    >>> replies_of(GraphBatch()).columns.tolist()
    ['source', 'target', 'count', 'first_at', 'last_at']
    """
    df = getattr(batch, "replies", None)
    return df if isinstance(df, pd.DataFrame) else _empty_replies()


def set_replies(batch: GraphBatch, df: pd.DataFrame | None) -> GraphBatch:
    """Attach a reply table (typed; missing columns filled) to ``batch``."""
    df = _empty_replies() if df is None else df
    out = pd.DataFrame(index=df.index)
    for c, t in REPLY_DTYPES.items():
        out[c] = (
            df[c].astype(t) if c in df else pd.Series(1 if c == "count" else None, index=df.index).astype(t)
        )
    batch.replies = out.reset_index(drop=True)
    return batch


def extra_count(people: pd.DataFrame) -> dict[str, int]:
    """How many people carry each extra attribute.

    >>> extra_count(pd.DataFrame({"extra": [{"country": "FR"}, None, {"country": "IN", "party": "x"}]}))
    {'country': 2, 'party': 1}
    """
    counts: dict[str, int] = {}
    if "extra" not in people:
        return counts
    for d in people["extra"]:
        if isinstance(d, dict):
            for k in d:
                counts[k] = counts.get(k, 0) + 1
    return dict(sorted(counts.items()))


def clean_extra(values: dict[str, Any]) -> dict[str, Any] | None:
    """Drop empty values; None when nothing is left.

    >>> clean_extra({"a": "", "b": None, "c": 0, "d": "x"})
    {'c': 0, 'd': 'x'}
    """
    out = {k: v for k, v in values.items() if v is not None and v != "" and not _is_nan(v)}
    return out or None


def _is_nan(v: Any) -> bool:
    return isinstance(v, float) and v != v
