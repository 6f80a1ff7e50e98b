"""Tone of what people post about us and the niche, and the detractors it reveals.

Sentiment is VADER (Hutto & Gilbert, ICWSM 2014: a lexicon and rules tuned on social
media text), from the ``vaderSentiment`` package, which ships its lexicon: nothing is
downloaded at run time. Each post gets VADER's *compound* score in [-1, 1]; below
``negative`` (-0.05, VADER's own threshold) a post is negative, above +0.05 positive.
``@handles`` are removed before scoring (a handle's words are not an opinion).

A **detractor** is an influential person (``pct_score`` at least ``min_pct_score``)
with at least ``min_posts`` posts that mention one of our accounts, most of them
(more than ``negative_share``) negative, and a negative mean tone. Like the bot-like flags, it is shown, never used to
drop anyone: the playbook keeps irate detractors close.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from graph.relations.events import HANDLE_RE

__all__ = ["ToneRules", "tone", "person_tone", "detractors", "TONE_COLUMNS"]

TONE_COLUMNS = ("pid", "us_posts", "us_negative", "us_positive", "us_tone", "niche_posts", "niche_negative", "niche_tone")


@dataclass(frozen=True)
class ToneRules:
    """Thresholds of :func:`detractors` and of a negative post (see the module docstring)."""

    negative: float = -0.05
    positive: float = 0.05
    min_posts: int = 2
    negative_share: float = 0.5
    min_pct_score: float = 50.0


@lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def tone(texts: Iterable[object]) -> np.ndarray:
    """VADER compound score of each text (0.0 for a missing one).

    >>> np.sign(tone(["Loved the new Ethiopia, so juicy!", "Stale beans and awful service.", None])).tolist()
    [1.0, -1.0, 0.0]
    """
    vader = _analyzer()
    out = []
    for t in texts:
        text = HANDLE_RE.sub("", t) if isinstance(t, str) else ""
        out.append(vader.polarity_scores(text)["compound"] if text.strip() else 0.0)
    return np.asarray(out, dtype=float)


def person_tone(
    posts: pd.DataFrame,
    mentions: pd.DataFrame,
    ours: Iterable[str],
    *,
    topics: Iterable[str] | None = None,
    rules: ToneRules = ToneRules(),
) -> pd.DataFrame:
    """Tone per author of their posts that mention us, and of their posts on the niche.

    Parameters
    ----------
    posts : DataFrame
        ``post_id, author, hashtags, text``.
    mentions : DataFrame
        Mention events from post texts (``source, target, post_id``).
    ours : iterable of str
        Our accounts' pids.
    topics : iterable of str, optional
        The niche's hashtags (default: a post with any hashtag is on the niche).

    Returns
    -------
    DataFrame
        ``pid, us_posts, us_negative, us_positive, us_tone`` (mean compound) and
        ``niche_posts, niche_negative, niche_tone``; one row per author with either.

    Examples
    --------
    >>> posts = pd.DataFrame({"post_id": ["1", "2", "3"], "author": ["a", "a", "b"],
    ...     "hashtags": [[], ["#v60"], ["#v60"]],
    ...     "text": ["@us my order came late, awful", "@us thanks, lovely beans", "great brew #v60"]})
    >>> m = pd.DataFrame({"source": ["a", "a"], "target": ["us", "us"], "post_id": ["1", "2"]})
    >>> person_tone(posts, m, ["us"])[["pid", "us_posts", "us_negative", "niche_posts"]].values.tolist()
    [['a', 2, 1, 1], ['b', 0, 0, 1]]
    """
    ours = set(ours)
    about_us = set(mentions.loc[mentions["target"].isin(ours), "post_id"]) if len(mentions) else set()
    wanted = {t.lower() for t in topics} if topics else None
    tags = posts["hashtags"] if "hashtags" in posts else pd.Series([[]] * len(posts), index=posts.index)
    on_niche = np.array([
        bool(len(ts)) and (wanted is None or any(str(t).lower() in wanted for t in ts))
        if isinstance(ts, list | tuple | np.ndarray) else False
        for ts in tags
    ], dtype=bool)  # fmt: skip
    on_us = posts["post_id"].isin(about_us).to_numpy()
    keep = on_us | on_niche
    sub = posts[keep]
    score = tone(sub["text"])
    frame = pd.DataFrame({
        "pid": sub["author"].to_numpy(), "us": on_us[keep], "niche": on_niche[keep], "score": score,
        "neg": score <= rules.negative, "pos": score >= rules.positive,
    })  # fmt: skip
    us, niche = frame[frame["us"]].groupby("pid"), frame[frame["niche"]].groupby("pid")
    out = pd.DataFrame({
        "us_posts": us.size(), "us_negative": us["neg"].sum(), "us_positive": us["pos"].sum(),
        "us_tone": us["score"].mean().round(3), "niche_posts": niche.size(),
        "niche_negative": niche["neg"].sum(), "niche_tone": niche["score"].mean().round(3),
    })  # fmt: skip
    for c in ("us_posts", "us_negative", "us_positive", "niche_posts", "niche_negative"):
        out[c] = out[c].fillna(0).astype("int64")
    out.index.name = "pid"
    return out.reset_index()[list(TONE_COLUMNS)]


def detractors(tones: pd.DataFrame, people: pd.DataFrame, *, rules: ToneRules = ToneRules()) -> pd.DataFrame:
    """Influential people whose posts about us are mostly negative, most influential first.

    ``people`` needs ``pid``, ``handle`` and ``pct_score`` (or ``score``). Returns
    ``pid, handle, score, pct_score, us_posts, us_negative, us_tone, flag``.

    >>> tones = pd.DataFrame({"pid": ["a", "b", "c"], "us_posts": [3, 3, 1], "us_negative": [2, 1, 1],
    ...                       "us_tone": [-0.4, 0.1, -0.6]})
    >>> people = pd.DataFrame({"pid": ["a", "b", "c"], "handle": ["a", "b", "c"], "pct_score": [80.0, 90.0, 99.0]})
    >>> detractors(tones, people)[["pid", "flag"]].values.tolist()
    [['a', 'detractor: 2 of 3 posts about us negative (mean tone -0.40)']]
    """
    cols = ["pid", "handle", "score", "pct_score", "us_posts", "us_negative", "us_tone", "flag"]
    t = tones.merge(people, on="pid", how="left")
    if "pct_score" not in t:
        t["pct_score"] = t["score"].rank(pct=True) * 100 if "score" in t else np.nan
    if "score" not in t:
        t["score"] = np.nan
    share = t["us_negative"] / t["us_posts"].where(t["us_posts"] > 0)
    bad = (t["us_posts"] >= rules.min_posts) & (share > rules.negative_share) & (t["us_tone"] < 0)
    bad &= t["pct_score"].fillna(0) >= rules.min_pct_score
    out = t[bad].copy()
    out["flag"] = [
        f"detractor: {n} of {k} posts about us negative (mean tone {m:.2f})"
        for n, k, m in zip(out["us_negative"], out["us_posts"], out["us_tone"], strict=True)
    ]
    out = out.sort_values(["pct_score", "us_negative"], ascending=False, kind="stable")
    return out.reindex(columns=cols).reset_index(drop=True)
