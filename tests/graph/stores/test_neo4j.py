"""Neo4j store on a real server: connection errors, schema, batching, a client killed
mid-load, scores as properties, query results as drawable dicts."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from graph.errors import StoreError
from graph.model import GraphBatch
from graph.settings import Secret, Settings
from graph.stores.neo4j import Neo4jStore
from loaders.base import finish_batch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tiny() -> GraphBatch:
    people = pd.DataFrame({"pid": ["x:ann", "x:bob", "x:cat", "x:dan"], "platform": "x",
                           "handle": ["ann", "bob", "cat", "dan"], "name": ["Ann", "Bob", "Cat", None],
                           "followers_count": pd.array([10, 20, None, 5], dtype="Int64"),
                           "topics": [["#v60"], ["#latteart", "#v60"], None, []]})  # fmt: skip
    posts = pd.DataFrame({"post_id": ["x:1", "x:2"], "author": ["x:ann", "x:bob"],
                          "created_at": pd.to_datetime(["2025-01-01T10:00:00", "2025-01-02T11:30:00.250"], format="ISO8601"),
                          "hashtags": [["#v60"], []], "text": ["hello", "world"]})  # fmt: skip
    relayed = pd.DataFrame({"person": ["x:bob", "x:cat"], "post_id": ["x:1", "x:1"], "kind": ["retweet", "quote"],
                            "at": pd.to_datetime(["2025-01-03", "2025-01-04"])})  # fmt: skip
    follows = pd.DataFrame({"source": ["x:ann", "x:bob", "x:cat"], "target": ["x:bob", "x:cat", "x:ann"]})
    mentions = pd.DataFrame({"source": ["x:ann"], "target": ["x:cat"], "count": [3]})
    return finish_batch(
        GraphBatch(people=people, posts=posts, relayed=relayed, follows=follows, mentions=mentions)
    )


def test_init_does_no_io():
    from neo4j import GraphDatabase

    store = Neo4jStore(GraphDatabase.driver(f"bolt://127.0.0.1:{_free_port()}", auth=("neo4j", "x")), "db")
    assert (store.database, store.name, store.dialect) == ("db", "Neo4j", "Neo4j Cypher 5")
    store.close()


def test_unreachable_server_is_one_clear_line():
    settings = Settings(
        store="neo4j", neo4j_uri=f"bolt://127.0.0.1:{_free_port()}", neo4j_password=Secret("pw-9f3k")
    )
    with pytest.raises(StoreError) as err:
        Neo4jStore.connect(settings)
    assert str(err.value) == f"cannot reach Neo4j at {settings.neo4j_uri}"
    assert err.value.__cause__ is None and err.value.__suppress_context__


def test_bad_uri_is_a_store_error():
    with pytest.raises(StoreError, match="invalid NEO4J_URI"):
        Neo4jStore.connect(Settings(store="neo4j", neo4j_uri="http://nowhere:7474"))


def test_wrong_password_is_one_clear_line(neo4j_settings):
    wrong = replace(neo4j_settings, neo4j_password=Secret("not-the-password-4711"))
    with pytest.raises(StoreError) as err:
        Neo4jStore.connect(wrong)
    assert str(err.value) == f"Neo4j at {neo4j_settings.neo4j_uri}: authentication failed for user neo4j"
    assert "4711" not in str(err.value) and neo4j_settings.neo4j_password.reveal() not in str(err.value)
    Neo4jStore.connect(neo4j_settings).close()  # a good login resets the server's failed-attempt count


def test_schema_is_created_once_and_kept_by_clear(neo4j_store):
    neo4j_store.ensure_schema()
    neo4j_store._schema_ready = False
    neo4j_store.ensure_schema()  # idempotent
    neo4j_store.clear()
    constraints = neo4j_store.cypher("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type RETURN *").frame
    found = {(c["labelsOrTypes"][0], c["properties"][0], c["type"]) for _, c in constraints.iterrows()}
    assert {("Person", "pid", "UNIQUENESS"), ("Post", "post_id", "UNIQUENESS")} <= found
    indexes = neo4j_store.cypher("SHOW INDEXES YIELD name RETURN name").frame["name"].tolist()
    assert {"person_score", "person_handle"} <= set(indexes)


def test_round_trip_keeps_types(neo4j_store):
    stats = neo4j_store.load(_tiny())
    assert stats.added == {"people": 4, "posts": 2, "authored": 2, "follows": 3, "relayed": 2, "relays": 2,
                           "mentions": 1}  # fmt: skip
    people = neo4j_store.people().set_index("pid")
    assert people.loc["x:ann", "topics"] == ["#v60"] and people.loc["x:dan", "topics"] == []
    assert people.loc["x:bob", "followers_count"] == 20 and pd.isna(people.loc["x:cat", "followers_count"])
    assert pd.isna(people.loc["x:dan", "name"])
    posts = neo4j_store.posts()
    assert posts["created_at"].tolist() == [
        pd.Timestamp("2025-01-01 10:00"),
        pd.Timestamp("2025-01-02 11:30:00.250"),
    ]
    assert str(posts["created_at"].dtype) == "datetime64[us]"
    events = neo4j_store.relay_events().sort_values("person")
    assert events[["person", "post_id", "author", "kind"]].values.tolist() == [
        ["x:bob", "x:1", "x:ann", "retweet"], ["x:cat", "x:1", "x:ann", "quote"]]  # fmt: skip
    kinds = neo4j_store.cypher("MATCH (p:Post) RETURN valueType(p.created_at) AS t LIMIT 1").frame["t"].tolist()
    assert kinds == ["LOCAL DATETIME NOT NULL"]


def test_edge_arrays_cover_every_person_in_pid_order(neo4j_store):
    neo4j_store.load(_tiny())
    e = neo4j_store.edge_arrays("follows")
    assert e.nodes.tolist() == ["x:ann", "x:bob", "x:cat", "x:dan"]  # dan has no edges
    assert sorted(zip(e.src.tolist(), e.dst.tolist())) == [(0, 1), (1, 2), (2, 0)]
    m = neo4j_store.edge_arrays("mentions")
    assert m.nodes.tolist() == e.nodes.tolist() and (m.src.tolist(), m.dst.tolist(), m.weight.tolist()) == (
        [0],
        [2],
        [3.0],
    )
    with pytest.raises(ValueError):
        neo4j_store.edge_arrays("likes")


def test_small_batches_give_the_same_graph(neo4j_store, monkeypatch):
    rng = np.random.default_rng(1)
    pairs = pd.DataFrame(rng.integers(0, 300, size=(2000, 2)), columns=["source", "target"]).astype(str)
    pairs = "x:" + pairs
    batch = finish_batch(GraphBatch(follows=pairs))
    monkeypatch.setattr(neo4j_store, "batch_size", 37)
    neo4j_store.load(batch)
    got = neo4j_store.edge_pairs("follows").sort_values(["source", "target"]).values.tolist()
    assert got == batch.follows.sort_values(["source", "target"]).values.tolist()
    assert not any(neo4j_store.load(batch).added.values())


def test_scores_are_properties_an_analyst_can_sort_by(neo4j_store):
    neo4j_store.load(_tiny())
    n = neo4j_store.write_scores(pd.DataFrame({"pid": ["x:ann", "x:bob", "x:nobody"], "pagerank": [0.6, np.nan, 0.1],
                                               "kshell": [2.0, 1.0, 1.0], "community": [0, 1, 1]}))  # fmt: skip
    assert n == 2
    neo4j_store.write_tracking(
        pd.DataFrame({"pid": ["x:ann"], "owner": ["lee"], "stage": ["engaged"], "locked": [True]})
    )
    top = neo4j_store.cypher("MATCH (p:Person) WHERE p.pagerank IS NOT NULL RETURN p.handle AS h, "
                             "valueType(p.kshell) AS t ORDER BY p.pagerank DESC").frame  # fmt: skip
    assert top.values.tolist() == [["ann", "INTEGER NOT NULL"]]
    p = neo4j_store.people().set_index("pid")
    assert (
        p.loc["x:ann", "owner"] == "lee" and bool(p.loc["x:ann", "locked"]) and p.loc["x:bob", "kshell"] == 1
    )


def test_a_write_back_in_several_statements_sets_every_row_once(neo4j_store, monkeypatch):
    """Scores go as one list per column, ``update_rows`` rows a statement (issue #14)."""
    neo4j_store.load(_tiny())
    monkeypatch.setattr(neo4j_store, "update_rows", 2)
    pids = ["x:dan", "x:nobody", "x:ann", "x:cat", "x:bob"]
    n = neo4j_store.write_scores(pd.DataFrame({"pid": pids, "pagerank": [0.4, 0.9, 0.1, np.nan, 0.3],
                                               "followers": [1, 2, 3, 4, 5]}))  # fmt: skip
    assert n == 4
    p = neo4j_store.people().set_index("pid")
    assert p.loc[["x:dan", "x:ann", "x:bob"], "pagerank"].tolist() == [0.4, 0.1, 0.3]
    assert pd.isna(p.loc["x:cat", "pagerank"]) and p.loc[["x:dan", "x:cat"], "followers"].tolist() == [1, 4]


def test_query_results_are_drawable_dicts(neo4j_store):
    from graph.views.cypher_results import display_frame, result_graph

    neo4j_store.load(_tiny())
    df = neo4j_store.cypher(
        "MATCH path = (a:Person {pid: 'x:ann'})-[r:FOLLOWS]->(b:Person) RETURN a, r, b, path"
    ).frame
    a, r, path = df.loc[0, "a"], df.loc[0, "r"], df.loc[0, "path"]
    assert a["_LABEL"] == "Person" and a["_labels"] == ["Person"] and a["pid"] == "x:ann"
    assert r["_LABEL"] == "FOLLOWS" and r["_SRC"] == a["_ID"] and r["_DST"] == df.loc[0, "b"]["_ID"]
    assert [n["pid"] for n in path["_NODES"]] == ["x:ann", "x:bob"] and len(path["_RELS"]) == 1
    nodes, edges = result_graph(df)
    assert sorted(nodes["handle"]) == ["ann", "bob"] and edges["kind"].tolist() == ["follows"]
    assert display_frame(df).loc[0, "a"] == "(:Person ann)"
    when = neo4j_store.cypher("MATCH (p:Post {post_id: 'x:1'}) RETURN p.created_at AS t").frame.loc[0, "t"]
    assert when == pd.Timestamp("2025-01-01 10:00").to_pydatetime()


def test_row_cap_marks_truncation(neo4j_store):
    neo4j_store.load(_tiny())
    result = neo4j_store.cypher("MATCH (p:Person) RETURN p.pid AS pid ORDER BY pid", max_rows=2)
    assert result.frame["pid"].tolist() == ["x:ann", "x:bob"] and result.truncated and result.max_rows == 2
    assert not neo4j_store.cypher("MATCH (p:Person) RETURN p.pid AS pid", max_rows=10).truncated
    with pytest.raises(StoreError, match="Neo4j: "):
        neo4j_store.cypher("MATCH (p:Person) RETURN q")


def test_explain_and_profile_prefixes_are_allowed_for_reads(neo4j_store):
    assert neo4j_store.cypher("EXPLAIN MATCH (p:Person) RETURN p").frame.empty
    assert neo4j_store.cypher("/* plan */ PROFILE MATCH (p:Person) RETURN count(p) AS n").frame["n"].tolist() == [0]


def test_load_too_large_for_the_server_is_reported_and_rolled_back(neo4j_store, monkeypatch):
    """The server's transaction memory limit surfaces as a clear StoreError."""
    from neo4j.exceptions import TransientError

    import graph.stores.neo4j_bulk as mod

    neo4j_store.load(_tiny())
    before = neo4j_store.counts()

    def boom(self, *a, **k):
        err = TransientError._hydrate_neo4j(code="Neo.TransientError.General.MemoryPoolOutOfMemoryError",
                                            message="The allocation of an extra 2.0 MiB would use more than the limit")  # fmt: skip
        raise err

    monkeypatch.setattr(mod.Writer, "_create_grouped", boom)
    batch = finish_batch(GraphBatch(follows=pd.DataFrame({"source": ["x:n1"], "target": ["x:n2"]})))
    with pytest.raises(StoreError, match="too large for one transaction"):
        neo4j_store.load(batch)
    assert neo4j_store.counts() == before


def test_reload_never_blanks_profile_fields(store):
    """upsert.py: "a reload fills in missing profile fields, never blanks them" (both stores)."""
    people = pd.DataFrame({"pid": ["x:ann", "x:bob"], "platform": ["x", "x"], "handle": ["ann", "bob"],
                           "name": ["Ann", "Bob"], "bio": ["Roaster", None]})  # fmt: skip
    store.load(finish_batch(GraphBatch(people=people)))
    people["name"] = ["Ann B.", None]
    people["bio"] = [None, "Barista"]
    stats = store.load(finish_batch(GraphBatch(people=people)))
    assert not any(stats.added.values())
    got = store.people().set_index("pid")[["name", "bio"]]
    assert got.values.tolist() == [["Ann B.", "Roaster"], ["Bob", "Barista"]]


def _synthetic(edges: int = 300_000, people: int = 20_000) -> GraphBatch:
    """Random follows among ``people`` (plus x:ann -> x:k1, so an existing person is locked)."""
    rng = np.random.default_rng(7)
    pairs = pd.DataFrame(rng.integers(0, people, size=(edges, 2)), columns=["source", "target"])
    pairs = pd.concat([pd.DataFrame({"source": ["ann"], "target": ["k1"]}), "k" + pairs.astype(str)])
    batch = finish_batch(GraphBatch(follows="x:" + pairs))
    batch.sources = ["synthetic-follows.txt"]
    return batch


KILLED_LOADER = textwrap.dedent(
    """
    import sys
    from graph.settings import Settings
    from graph.stores.neo4j import Neo4jStore
    from tests.graph.stores.test_neo4j import _synthetic

    store = Neo4jStore.connect(Settings.from_env(dotenv=None))
    store.batch_size, store.tx_rows, wait_for = 5000, int(sys.argv[1]), int(sys.argv[2])

    def progress(done, total, label):
        if label.startswith("follows"):
            written = int(label.split()[1].split("/")[0].replace(",", ""))
            if written >= wait_for:
                print("WRITING", label, flush=True)

    store.load(_synthetic(), progress=progress)
    print("COMMITTED", flush=True)
    """
)


def _kill_loader_midway(settings: Settings, tx_rows: int, wait_for: int) -> None:
    env = {**os.environ, "NEO4J_URI": settings.neo4j_uri, "NEO4J_USERNAME": settings.neo4j_username,
           "NEO4J_PASSWORD": settings.neo4j_password.reveal(), "NEO4J_DATABASE": settings.neo4j_database}  # fmt: skip
    args = [sys.executable, "-c", KILLED_LOADER, str(tx_rows), str(wait_for)]
    child = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()  # blocks until enough follows went out
        assert line.startswith("WRITING"), line
        time.sleep(0.3)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL


def _load_until_unlocked(store: Neo4jStore, batch: GraphBatch, seconds: float = 60):
    """The server notices the dropped connection, rolls back and releases the locks."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return store.load(batch)
        except StoreError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def test_a_loader_killed_midway_leaves_the_graph_as_it_was(neo4j_store, neo4j_settings):
    """One transaction (the load is below tx_rows): SIGKILL = rollback by the server."""
    neo4j_store.load(_tiny())
    before = (neo4j_store.counts(), neo4j_store.people().astype(str).to_csv())
    _kill_loader_midway(neo4j_settings, tx_rows=1_000_000, wait_for=5000)
    assert (neo4j_store.counts(), neo4j_store.people().astype(str).to_csv()) == before
    assert neo4j_store.unfinished_loads() == []
    # a new load touching the person the killed transaction had locked goes through
    more = finish_batch(GraphBatch(follows=pd.DataFrame({"source": ["x:dan"], "target": ["x:ann"]})))
    _load_until_unlocked(neo4j_store, more)
    assert neo4j_store.counts()["follows"] == before[0]["follows"] + 1
    assert neo4j_store.counts()["people"] == before[0]["people"]


def test_a_load_in_parts_killed_midway_is_resumable_and_says_so(neo4j_store, neo4j_settings):
    """Above tx_rows the load commits in parts: killed after some parts, the graph holds
    them, the store says so, and loading the same input again completes it."""
    neo4j_store.load(_tiny())
    base = neo4j_store.counts()
    _kill_loader_midway(neo4j_settings, tx_rows=40_000, wait_for=100_000)
    [unfinished] = neo4j_store.unfinished_loads()
    assert unfinished["sources"] == ["synthetic-follows.txt"] and unfinished["rows_committed"] >= 40_000
    partial = neo4j_store.counts()
    assert partial["people"] > base["people"] and partial["follows"] > base["follows"]
    batch = _synthetic()
    stats = _load_until_unlocked(neo4j_store, batch)
    assert any(n.startswith("completing an interrupted load of synthetic-follows.txt") for n in batch.notes)
    assert neo4j_store.unfinished_loads() == []
    done = neo4j_store.counts()
    assert done["people"] == base["people"] + len(batch.people) - 1  # x:ann existed
    assert done["follows"] == base["follows"] + len(batch.follows)
    assert 0 < stats.added["follows"] < len(batch.follows)  # only what was missing


def test_a_load_in_parts_gives_the_same_graph_and_leaves_no_marker(neo4j_store, monkeypatch):
    monkeypatch.setattr(neo4j_store, "batch_size", 300)
    monkeypatch.setattr(neo4j_store, "tx_rows", 1000)
    batch = _synthetic(edges=5000, people=800)
    stats = neo4j_store.load(batch)
    assert stats.added["follows"] == len(batch.follows) and neo4j_store.unfinished_loads() == []
    got = neo4j_store.edge_pairs("follows").sort_values(["source", "target"]).values.tolist()
    assert got == batch.follows.sort_values(["source", "target"]).values.tolist()
    assert not any(neo4j_store.load(batch).added.values())


def test_a_load_in_parts_that_fails_is_undone(neo4j_store, monkeypatch):
    """Parts already committed are deleted again; the graph is as before."""
    neo4j_store.load(_tiny())
    before = (neo4j_store.counts(), neo4j_store.people().astype(str).to_csv())
    monkeypatch.setattr(neo4j_store, "batch_size", 300)
    monkeypatch.setattr(neo4j_store, "tx_rows", 1000)
    batch = _synthetic(edges=5000, people=800)
    batch.mentions = pd.DataFrame({"source": ["x:k1"], "target": ["x:k2"], "count": [1]})
    batch.relayed = pd.DataFrame(  # relay events go with the last part; this one breaks it
        {"person": ["x:k1"], "post_id": ["x:1"], "kind": [{"not": "a property value"}], "at": [pd.NaT]}
    )
    with pytest.raises(StoreError, match=r"rolled back \(its [\d,]+ rows committed in parts were deleted"):
        neo4j_store.load(batch)
    assert (neo4j_store.counts(), neo4j_store.people().astype(str).to_csv()) == before
    assert neo4j_store.unfinished_loads() == []
