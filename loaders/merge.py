"""Combine several batches (several files, formats or platforms) into one load."""

from __future__ import annotations

import pandas as pd

from graph.model import GraphBatch
from loaders.base import finish_batch
from loaders.extras import replies_of, set_replies

__all__ = ["merge_batches"]


def merge_batches(batches: list[GraphBatch]) -> GraphBatch:
    """One batch holding all rows; duplicates are resolved by :func:`finish_batch`.

    >>> a = GraphBatch(follows=pd.DataFrame({"source": ["x:a"], "target": ["x:b"]}))
    >>> b = GraphBatch(follows=pd.DataFrame({"source": ["x:a", "x:b"], "target": ["x:b", "x:c"]}))
    >>> len(merge_batches([a, b]).follows)
    2
    """
    if len(batches) == 1:
        return batches[0]
    out = GraphBatch()
    for t in GraphBatch.TABLES:
        frames = [getattr(b, t) for b in batches if len(getattr(b, t))]
        if frames:
            setattr(out, t, pd.concat(frames, ignore_index=True))
    replies = [replies_of(b) for b in batches if len(replies_of(b))]
    set_replies(out, pd.concat(replies, ignore_index=True) if replies else None)
    for b in batches:
        out.sources.extend(b.sources)
        out.notes.extend(b.notes)
    return finish_batch(out)
