"""Replies, engagement counts and extra person attributes reach both stores and survive reloads."""

from __future__ import annotations

import json

import pandas as pd

from graph.model import GraphBatch
from loaders.base import finish_batch


def _batch(count: int = 2) -> GraphBatch:
    t0, t1 = pd.Timestamp("2025-01-01 10:00"), pd.Timestamp("2025-01-03 09:00")
    people = pd.DataFrame({"pid": ["x:ann", "x:bob"], "platform": "x", "handle": ["ann", "bob"],
                           "extra": [{"country": "FR", "party": "green"}, None]})  # fmt: skip
    posts = pd.DataFrame({"post_id": ["x:1", "x:2"], "author": ["x:ann", "x:bob"], "created_at": [t0, t1],
                          "reply_to": [None, "x:1"], "likes": pd.array([5, None], dtype="Int64"),
                          "reposts": pd.array([1, 0], dtype="Int64")})  # fmt: skip
    replies = pd.DataFrame({"source": ["x:bob"], "target": ["x:ann"], "count": [count], "first_at": [t0],
                            "last_at": [t1]})  # fmt: skip
    return finish_batch(GraphBatch(people=people, posts=posts, replies=replies))


def test_replies_engagement_and_extra_on_both_stores(store):
    stats = store.load(_batch())
    assert stats.added["replies"] == 1 and store.counts()["replies"] == 1
    pairs = store.edge_pairs("replies")
    assert pairs[["source", "target", "count"]].values.tolist() == [["x:bob", "x:ann", 2]]
    assert pd.Timestamp(pairs.loc[0, "last_at"]) == pd.Timestamp("2025-01-03 09:00")
    arrays = store.edge_arrays("replies")
    assert arrays.weight.tolist() == [2.0] and arrays.nodes[arrays.src[0]] == "x:bob"
    ann = store.people().set_index("pid").loc["x:ann"]
    assert json.loads(ann["extra"]) == {"country": "FR", "party": "green"}
    rows = store.cypher("MATCH (p:Post) RETURN p.post_id AS id, p.likes AS likes, p.reply_to AS r ORDER BY id").frame
    assert rows["likes"].tolist()[0] == 5 and rows["r"].tolist()[1] == "x:1"


def test_reloading_replies_replaces_the_count(store):
    store.load(_batch(2))
    assert not any(store.load(_batch(2)).added.values())
    store.load(_batch(3))
    assert store.edge_pairs("replies")["count"].tolist() == [3] and store.counts()["replies"] == 1


def test_a_load_into_a_graph_without_those_edges_yet(store):
    """A second load brings the first mentions and replies to a graph that has other edges
    (regression: Neo4j read a missing ``count`` column of an edge kind with no edges)."""
    store.load(finish_batch(GraphBatch(follows=pd.DataFrame({"source": ["x:ann"], "target": ["x:bob"]}))))
    more = _batch()
    more.mentions = pd.DataFrame({"source": ["x:ann"], "target": ["x:bob"], "count": [1]})
    stats = store.load(finish_batch(more))
    assert stats.added["mentions"] == 1 and stats.added["replies"] == 1
