"""Listening: what the niche talks about over time, and who asks us what.

From the posts' hashtags and texts: hashtag counts per period
(:func:`topic_trends`), which topics are gaining (:func:`topic_summary`), and the
posts that mention one of our accounts (:func:`posts_about_us`) — the questions
among them first (:func:`questions`: a ``?``, or a sentence that opens with a
question word).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

__all__ = ["is_question", "topic_trends", "topic_summary", "posts_about_us", "questions"]

_QUESTION_WORDS = re.compile(
    r"(?:^|[.!\n]\s*)(?:@\w+\s+)*(how|why|when|where|who|which|does|do|did|is|are|can|could|should|"
    r"would|will|anyone)\b",
    re.I,
)


def is_question(text: object) -> bool:
    """Does the text ask something? A ``?``, or a sentence opening with a question word
    (not "what", which opens exclamations as often: "What a waste").

    >>> is_question("@beanthere do you ship to Canada"), is_question("What a waste."), is_question("Why so slow?")
    (True, False, True)
    """
    if not isinstance(text, str):
        return False
    return "?" in text or bool(_QUESTION_WORDS.search(text))


def _tags(posts: pd.DataFrame) -> pd.DataFrame:
    """(created_at, tag) pairs, one per post and hashtag (lower case)."""
    pairs = posts[["created_at", "hashtags"]].explode("hashtags").dropna()
    pairs = pairs.assign(tag=pairs["hashtags"].astype(str).str.lower()).drop(columns="hashtags")
    pairs["created_at"] = pd.to_datetime(pairs["created_at"])
    return pairs


def topic_trends(posts: pd.DataFrame, *, freq: str = "MS", top: int = 8, tags: Iterable[str] | None = None) -> pd.DataFrame:
    """Posts per period for the ``top`` hashtags overall (or the given ``tags``):
    ``period, tag, posts`` (zero-filled), oldest first.

    ``freq`` is a pandas period start: ``D``, ``W`` (weeks ending Sunday), ``MS`` (months).

    >>> posts = pd.DataFrame({"created_at": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-02-03"]),
    ...                       "hashtags": [["#v60"], ["#v60", "#wbc"], ["#wbc"]]})
    >>> topic_trends(posts, top=2).values.tolist()
    [[Timestamp('2025-01-01 00:00:00'), '#v60', 2], [Timestamp('2025-01-01 00:00:00'), '#wbc', 1], [Timestamp('2025-02-01 00:00:00'), '#v60', 0], [Timestamp('2025-02-01 00:00:00'), '#wbc', 1]]
    """
    pairs = _tags(posts)
    if pairs.empty:
        return pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]"), "tag": [], "posts": []})
    chosen = [t.lower() for t in tags] if tags else pairs["tag"].value_counts().head(top).index.tolist()
    pairs = pairs[pairs["tag"].isin(chosen)]
    counts = pairs.groupby([pd.Grouper(key="created_at", freq=freq), "tag"]).size()
    table = counts.unstack("tag", fill_value=0).reindex(columns=chosen, fill_value=0)
    long = table.stack().rename("posts").reset_index()
    long.columns = ["period", "tag", "posts"]
    return long.astype({"posts": "int64"})


def topic_summary(
    posts: pd.DataFrame, *, now: pd.Timestamp | str | None = None, recent_days: int = 90, top: int = 20
) -> pd.DataFrame:
    """The ``top`` hashtags by posts: ``tag, posts, recent, recent_share, before_share, change``.

    ``recent`` counts the last ``recent_days`` up to ``now`` (default: the latest post);
    the shares are of all hashtag uses in that window and before it; ``change`` is
    the recent share over the earlier one (> 1: the niche talks about it more).

    >>> posts = pd.DataFrame({"created_at": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-06-03", "2025-06-04"]),
    ...                       "hashtags": [["#v60"], ["#v60"], ["#wbc"], ["#v60"]]})
    >>> topic_summary(posts, recent_days=30)[["tag", "posts", "recent", "change"]].values.tolist()
    [['#v60', 3, 1, 0.5], ['#wbc', 1, 1, inf]]
    """
    pairs = _tags(posts)
    cols = ["tag", "posts", "recent", "recent_share", "before_share", "change"]
    if pairs.empty:
        return pd.DataFrame(columns=cols)
    end = pairs["created_at"].max() if now is None else pd.Timestamp(now)
    recent_mask = pairs["created_at"] > end - pd.Timedelta(days=recent_days)
    total = pairs["tag"].value_counts()
    recent = pairs.loc[recent_mask, "tag"].value_counts()
    before = pairs.loc[~recent_mask, "tag"].value_counts()
    t = pd.DataFrame({"posts": total, "recent": recent}).fillna(0).astype("int64")
    t["recent_share"] = (t["recent"] / max(int(recent_mask.sum()), 1)).round(4)
    t["before_share"] = (before.reindex(t.index, fill_value=0) / max(int((~recent_mask).sum()), 1)).round(4)
    t["change"] = (t["recent_share"] / t["before_share"]).round(2)
    t.index.name = "tag"
    t = t.reset_index().sort_values(["posts", "tag"], ascending=[False, True], kind="stable").head(top)
    return t[cols].reset_index(drop=True)


def posts_about_us(posts: pd.DataFrame, mentions: pd.DataFrame, ours: Iterable[str]) -> pd.DataFrame:
    """Posts whose text mentions one of our accounts, newest first, with ``question``.

    >>> posts = pd.DataFrame({"post_id": ["1", "2", "3"], "author": ["a", "b", "c"],
    ...     "created_at": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03"]),
    ...     "text": ["@us do you ship to Oslo?", "@us great beans", "no mention"]})
    >>> m = pd.DataFrame({"source": ["a", "b"], "target": ["us", "us"], "post_id": ["1", "2"]})
    >>> posts_about_us(posts, m, ["us"])[["post_id", "question"]].values.tolist()
    [['2', False], ['1', True]]
    """
    ids = set(mentions.loc[mentions["target"].isin(set(ours)), "post_id"]) if len(mentions) else set()
    out = posts[posts["post_id"].isin(ids)].copy()
    out["question"] = out["text"].map(is_question).astype(bool)
    return out.sort_values("created_at", ascending=False, kind="stable").reset_index(drop=True)


def questions(posts: pd.DataFrame, mentions: pd.DataFrame, ours: Iterable[str]) -> pd.DataFrame:
    """The posts about us that ask something, newest first (see :func:`is_question`).

    >>> posts = pd.DataFrame({"post_id": ["1"], "author": ["a"], "created_at": pd.to_datetime(["2025-01-01"]),
    ...                       "text": ["@us any decaf?"]})
    >>> questions(posts, pd.DataFrame({"target": ["us"], "post_id": ["1"]}), ["us"]).post_id.tolist()
    ['1']
    """
    about = posts_about_us(posts, mentions, ours)
    return about[about["question"]].drop(columns="question").reset_index(drop=True)
