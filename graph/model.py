"""The graph model: people, who follows whom, posts, and who relays what.

Everything that crosses a module boundary is either a frozen record from this
module or a pandas DataFrame whose columns are listed here. Both stores (the
embedded LadybugDB store and Neo4j) hold exactly this schema::

    (:Person)-[:FOLLOWS]->(:Person)                       follower -> followed
    (:Person)-[:AUTHORED]->(:Post)
    (:Person)-[:RELAYED {kind, at}]->(:Post)              retweet/repost/boost/quote
    (:Person)-[:RELAYS {count, first_at, last_at}]->(:Person)   aggregate of RELAYED
    (:Person)-[:MENTIONS {count}]->(:Person)
    (:Person)-[:REPLIES {count, first_at, last_at}]->(:Person)  replied to their posts

A person is identified by ``platform`` + ``handle``; the key ``pid`` is
``"<platform>:<handle>"`` with the handle normalised by :func:`normalize_handle`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from graph.errors import LoadError

__all__ = [
    "RELAY_KINDS",
    "EDGE_KINDS",
    "METRICS",
    "SCORE_COLUMNS",
    "TRACKING_COLUMNS",
    "SHORTLIST_COLUMNS",
    "STAGES",
    "OUR_COLUMNS",
    "OUR_ROLES",
    "PEOPLE_COLUMNS",
    "POST_COLUMNS",
    "Person",
    "Post",
    "GraphBatch",
    "EdgeArrays",
    "LoadError",
    "normalize_handle",
    "make_pid",
    "split_pid",
]

RELAY_KINDS = ("retweet", "repost", "boost", "quote")
EdgeKind = Literal["follows", "relays", "mentions", "replies"]
EDGE_KINDS: tuple[str, ...] = ("follows", "relays", "mentions", "replies")

#: Metric columns written back to ``Person`` by ranking (all DOUBLE except
#: ``kshell`` and ``community``, which are INT64).
METRICS: tuple[str, ...] = (
    "followers",
    "pagerank",
    "relay_pagerank",
    "relays_received",
    "mentions_received",
    "authority",
    "hub",
    "kshell",
    "betweenness",
    "relevance",
)
#: Everything ranking writes: the metrics, the community id, the composite score.
SCORE_COLUMNS: tuple[str, ...] = (*METRICS, "community", "score")
#: Relationship tracking kept on the person so the whole team shares it.
TRACKING_COLUMNS: tuple[str, ...] = ("owner", "stage", "notes", "last_contact", "locked")
#: The team's shared shortlist, kept on each person: rank on the list (null: not on it), the
#: method that picked them, their marginal gain, reason and flags, when the list was built,
#: and a removal (by whom, when) that keeps them off later rebuilds until restored.
SHORTLIST_COLUMNS: tuple[str, ...] = (
    "sl_rank",
    "sl_method",
    "sl_gain",
    "sl_reason",
    "sl_flags",
    "sl_built_at",
    "removed",
    "removed_by",
    "removed_at",
)
STAGES: tuple[str, ...] = ("to contact", "in conversation", "engaged", "declined")
#: Our own accounts, kept on the person: ``our_role`` is ``"brand"`` or ``"member"``
#: (a team member's account) and ``our_member`` the member's name (None for the brand).
OUR_COLUMNS: tuple[str, ...] = ("our_role", "our_member")
OUR_ROLES: tuple[str, ...] = ("brand", "member")

#: Columns of a people table (``GraphBatch.people``); only ``pid``, ``platform``
#: and ``handle`` are required, the rest may be missing/NA.
PEOPLE_COLUMNS: tuple[str, ...] = (
    "pid",
    "platform",
    "handle",
    "name",
    "bio",
    "followers_count",
    "topics",
)
POST_COLUMNS: tuple[str, ...] = ("post_id", "author", "created_at", "hashtags", "text")


def normalize_handle(handle: str) -> str:
    """Canonical handle: trimmed, without a leading ``@``, lower case.

    >>> normalize_handle("  @LatteArtLisa ")
    'latteartlisa'
    """
    return str(handle).strip().lstrip("@").lower()


def make_pid(platform: str, handle: str) -> str:
    """The person key used by every store.

    >>> make_pid("x", "@Barista")
    'x:barista'
    """
    return f"{platform}:{normalize_handle(handle)}"


def split_pid(pid: str) -> tuple[str, str]:
    """Inverse of :func:`make_pid`.

    >>> split_pid("bluesky:alice.bsky.social")
    ('bluesky', 'alice.bsky.social')
    """
    platform, _, handle = pid.partition(":")
    return platform, handle


@dataclass(frozen=True)
class Person:
    """One account on one platform."""

    platform: str
    handle: str
    name: str = ""
    bio: str = ""
    followers_count: int | None = None
    topics: tuple[str, ...] = ()

    @property
    def pid(self) -> str:
        return make_pid(self.platform, self.handle)


@dataclass(frozen=True)
class Post:
    """One post (tweet, skeet, toot); ``post_id`` is ``"<platform>:<native id>"``."""

    post_id: str
    author: str  # pid
    created_at: pd.Timestamp | None = None
    hashtags: tuple[str, ...] = ()
    text: str = ""


def _frame(columns: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})


#: dtypes of each table in a :class:`GraphBatch`. Text is pandas' Arrow-backed ``str``
#: (no Python object per edge); list columns (topics, hashtags) are ``object``.
TABLE_DTYPES: dict[str, dict[str, str]] = {
    "people": {
        "pid": "str",
        "platform": "str",
        "handle": "str",
        "name": "str",
        "bio": "str",
        "followers_count": "Int64",
        "topics": "object",
        "extra": "object",
    },
    "follows": {"source": "str", "target": "str"},
    "posts": {
        "post_id": "str",
        "author": "str",
        "created_at": "datetime64[us]",
        "hashtags": "object",
        "text": "str",
        "reply_to": "str",
        "likes": "Int64",
        "reposts": "Int64",
        "replies": "Int64",
        "quotes": "Int64",
    },
    "relayed": {"person": "str", "post_id": "str", "kind": "str", "at": "datetime64[us]"},
    "relays": {
        "source": "str",
        "target": "str",
        "count": "int64",
        "first_at": "datetime64[us]",
        "last_at": "datetime64[us]",
    },
    "mentions": {"source": "str", "target": "str", "count": "int64"},
    "replies": {
        "source": "str",
        "target": "str",
        "count": "int64",
        "first_at": "datetime64[us]",
        "last_at": "datetime64[us]",
    },
}


@dataclass
class GraphBatch:
    """What one load adds to the graph, as DataFrames keyed by ``pid``.

    Tables and their columns (see ``TABLE_DTYPES``):

    * ``people``: pid, platform, handle, name, bio, followers_count, topics (list of
      ``#tags``). People referenced by an edge but absent here are created with
      just their handle.
    * ``follows``: source, target (pids; source follows target).
    * ``posts``: post_id, author (pid), created_at, hashtags (list), text.
    * ``relayed``: person (pid), post_id, kind (one of ``RELAY_KINDS``), at.
    * ``relays``: source, target, count, first_at, last_at: aggregate "source
      relayed target's posts count times". Aggregates given directly (SNAP
      ``A B w``) *replace* a pair's count on reload; aggregates derived from
      ``relayed`` events are recomputed by the store from its events.
    * ``mentions``: source, target, count (replace on reload).
    * ``replies``: source, target, count, first_at, last_at: "source replied to target's
      posts count times" (replace on reload).

    People may carry ``extra`` (a dict of attributes the model has no column for; stored as
    JSON text) and posts the engagement the platform declared (``likes``, ``reposts``,
    ``replies``, ``quotes``) and ``reply_to`` (the post replied to).

    ``sources`` names the files, ``notes`` collects what a loader skipped or
    detected, for the user.
    """

    people: pd.DataFrame = field(default_factory=lambda: _frame(TABLE_DTYPES["people"]))
    follows: pd.DataFrame = field(default_factory=lambda: _frame(TABLE_DTYPES["follows"]))
    posts: pd.DataFrame = field(default_factory=lambda: _frame(TABLE_DTYPES["posts"]))
    relayed: pd.DataFrame = field(default_factory=lambda: _frame(TABLE_DTYPES["relayed"]))
    relays: pd.DataFrame = field(default_factory=lambda: _frame(TABLE_DTYPES["relays"]))
    mentions: pd.DataFrame = field(default_factory=lambda: _frame(TABLE_DTYPES["mentions"]))
    replies: pd.DataFrame = field(default_factory=lambda: _frame(TABLE_DTYPES["replies"]))
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    TABLES = ("people", "follows", "posts", "relayed", "relays", "mentions", "replies")

    def sizes(self) -> dict[str, int]:
        """Row count per table.

        >>> GraphBatch().sizes()["follows"]
        0
        """
        return {t: len(getattr(self, t)) for t in self.TABLES}

    def __len__(self) -> int:
        return sum(self.sizes().values())


@dataclass(frozen=True)
class EdgeArrays:
    """One edge kind as arrays over a shared node index (what ranking consumes).

    ``nodes[i]`` is the pid of node ``i``; edge ``j`` goes ``src[j] -> dst[j]``
    with ``weight[j]`` (1.0 for follows, the count for relays and mentions).
    Every ``EdgeArrays`` exported from one store snapshot shares ``nodes``.
    """

    nodes: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray

    @property
    def n(self) -> int:
        return len(self.nodes)

    @property
    def m(self) -> int:
        return len(self.src)

    @classmethod
    def from_pairs(
        cls,
        pairs: list[tuple[str, str]] | list[tuple[str, str, float]],
        nodes: list[str] | None = None,
    ) -> EdgeArrays:
        """Build from (source, target[, weight]) tuples; handy in tests.

        >>> e = EdgeArrays.from_pairs([("a", "b"), ("b", "c", 2.0)])
        >>> list(e.nodes), e.src.tolist(), e.dst.tolist(), e.weight.tolist()
        (['a', 'b', 'c'], [0, 1], [1, 2], [1.0, 2.0])
        """
        names = list(nodes) if nodes is not None else []
        seen = {p: i for i, p in enumerate(names)}
        src, dst, w = [], [], []
        for pair in pairs:
            for p in pair[:2]:
                if p not in seen:
                    seen[p] = len(names)
                    names.append(p)
            src.append(seen[pair[0]])
            dst.append(seen[pair[1]])
            w.append(float(pair[2]) if len(pair) > 2 else 1.0)
        return cls(
            nodes=np.array(names, dtype=object),
            src=np.array(src, dtype=np.int64),
            dst=np.array(dst, dtype=np.int64),
            weight=np.array(w, dtype=np.float64),
        )

    def to_networkx(self, *, weight: str = "weight"):
        """A ``networkx.DiGraph`` with every node (isolated ones too); parallel
        edges are summed into one weight.

        >>> G = EdgeArrays.from_pairs([("a", "b"), ("a", "b"), ("b", "c")]).to_networkx()
        >>> sorted(G.edges(data="weight"))
        [('a', 'b', 2.0), ('b', 'c', 1.0)]
        """
        import networkx as nx

        G = nx.DiGraph()
        G.add_nodes_from(self.nodes.tolist())
        names = self.nodes
        for s, d, w in zip(self.src.tolist(), self.dst.tolist(), self.weight.tolist()):
            u, v = names[s], names[d]
            if G.has_edge(u, v):
                G[u][v][weight] += w
            else:
                G.add_edge(u, v, **{weight: w})
        return G
