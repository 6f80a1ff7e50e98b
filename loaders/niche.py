"""Niche scoping (``influence load --topics "#specialtycoffee,#latteart"``).

Who is *in the niche*: everyone who authored a post carrying one of the
hashtags, relayed (retweeted, reposted, boosted, quoted) such a post, or lists
one of them in their profile ``topics``. The scoped load keeps those people,
the edges among them (follows, relays, mentions), their posts, and the relay
events between them; everything else in *this load* is dropped (what is
already in the graph is untouched). A :class:`NicheReport` of what was kept and
dropped is appended to ``batch.notes``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from graph.model import GraphBatch, LoadError
from loaders.extras import replies_of, set_replies

__all__ = ["scope_to_topics", "NicheReport", "normalize_topics"]


def normalize_topics(topics: list[str] | str) -> list[str]:
    """``"#SpecialtyCoffee, latteart"`` → ``['#specialtycoffee', '#latteart']``.

    >>> normalize_topics("#SpecialtyCoffee, latteart")
    ['#specialtycoffee', '#latteart']
    """
    items = topics.split(",") if isinstance(topics, str) else topics
    out = ["#" + t.strip().lstrip("#").lower() for t in items if t and t.strip().lstrip("#")]
    return list(dict.fromkeys(out))


@dataclass
class NicheReport:
    """Rows kept and dropped per table by :func:`scope_to_topics`."""

    topics: list[str]
    kept: dict[str, int] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)
    matched_posts: int = 0
    top_tags: list[tuple[str, int]] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as plain text lines.

        >>> NicheReport(["#a"], {"people": 2}, {"people": 1}, 3).lines()[1]
        'niche people: kept 2, dropped 1'
        """
        out = [f"niche {', '.join(self.topics)}: {self.matched_posts:,} matching post(s)"]
        for table in self.kept:
            out.append(f"niche {table}: kept {self.kept[table]:,}, dropped {self.dropped.get(table, 0):,}")
        return out


def scope_to_topics(batch: GraphBatch, topics: list[str] | str) -> GraphBatch:
    """Keep the people on ``topics`` and what lies among them; report in ``notes``.

    >>> from loaders.base import finish_batch
    >>> b = finish_batch(GraphBatch(
    ...     posts=pd.DataFrame({"post_id": ["x:1", "x:2"], "author": ["x:ann", "x:bob"],
    ...                         "hashtags": [["#latteart"], ["#football"]]}),
    ...     follows=pd.DataFrame({"source": ["x:cy", "x:ann"], "target": ["x:ann", "x:bob"]}),
    ...     relayed=pd.DataFrame({"person": ["x:cy"], "post_id": ["x:1"], "kind": ["retweet"]})))
    >>> s = scope_to_topics(b, ["#LatteArt"])
    >>> s.follows.values.tolist()
    [['x:cy', 'x:ann']]
    >>> [line for line in s.notes if "people" in line]
    ['niche people: kept 2, dropped 1']
    """
    tags = normalize_topics(topics)
    if not tags:
        raise LoadError("--topics is empty; give hashtags like '#specialtycoffee,#latteart'")
    wanted = set(tags)
    on_topic = batch.posts["hashtags"].map(lambda h: _hits(h, wanted))
    topical_posts = set(batch.posts.loc[on_topic, "post_id"])
    people = set(batch.posts.loc[on_topic, "author"])
    people |= set(batch.relayed.loc[batch.relayed["post_id"].isin(topical_posts), "person"])
    if "topics" in batch.people:
        people |= set(batch.people.loc[batch.people["topics"].map(lambda h: _hits(h, wanted)), "pid"])
    if not people:
        raise LoadError(_nothing_matched(batch, tags))
    out = GraphBatch(sources=list(batch.sources), notes=list(batch.notes))
    report = NicheReport(tags, matched_posts=len(topical_posts))
    out.people = _keep(batch.people, batch.people["pid"].isin(people), "people", report)
    out.posts = _keep(batch.posts, batch.posts["author"].isin(people), "posts", report)
    kept_posts = set(out.posts["post_id"])
    mask = batch.relayed["person"].isin(people) & batch.relayed["post_id"].isin(kept_posts)
    out.relayed = _keep(batch.relayed, mask, "relayed", report)
    for t in ("follows", "relays", "mentions"):
        df = getattr(batch, t)
        setattr(out, t, _keep(df, df["source"].isin(people) & df["target"].isin(people), t, report))
    replies = replies_of(batch)
    if len(replies):
        set_replies(
            out,
            _keep(
                replies, replies["source"].isin(people) & replies["target"].isin(people), "replies", report
            ),
        )
    out.notes.extend(report.lines())
    return out


def _hits(tags: object, wanted: set[str]) -> bool:
    if not isinstance(tags, (list, tuple)):
        return False
    return any(isinstance(t, str) and t.lower() in wanted for t in tags)


def _keep(df: pd.DataFrame, mask: pd.Series, table: str, report: NicheReport) -> pd.DataFrame:
    report.kept[table] = int(mask.sum())
    report.dropped[table] = int((~mask).sum())
    return df[mask.to_numpy()].reset_index(drop=True)


def _nothing_matched(batch: GraphBatch, tags: list[str]) -> str:
    if batch.posts.empty and (
        "topics" not in batch.people
        or not batch.people["topics"].map(lambda t: isinstance(t, list) and bool(t)).any()
    ):
        return (f"--topics {','.join(tags)}: these files have no posts with hashtags (and no people "
                "topics), so there is nothing to scope by; load them without --topics")  # fmt: skip
    counts: Counter[str] = Counter(t for h in batch.posts["hashtags"] if isinstance(h, list) for t in h)
    common = ", ".join(f"{t} ({n:,})" for t, n in counts.most_common(5)) or "none"
    return f"--topics {','.join(tags)}: no one posted or relayed these hashtags; most used here: {common}"
