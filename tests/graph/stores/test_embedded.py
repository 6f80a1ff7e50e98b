"""Embedded store: round trip in a temp dir, idempotent reloads, all-or-nothing, locking."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from graph.errors import StoreError
from graph.model import GraphBatch, LoadError
from graph.stores.embedded import EmbeddedStore
from loaders.base import finish_batch
from loaders.csv_tables import read_csv_tables
from loaders.snap import parse_snap


@pytest.fixture
def store(tmp_path):
    s = EmbeddedStore(tmp_path / "db")
    yield s
    s.close()


def tiny(tmp_path):
    (tmp_path / "people.csv").write_text("handle,name,followers_count,topics\nana,Ana,10,#latteart\nben,Ben,,\n")
    (tmp_path / "follows.csv").write_text("source,target\nana,ben\nben,cleo\ncleo,ana\n")
    (tmp_path / "posts.csv").write_text("post_id,author,created_at,hashtags\n1,ana,2025-01-01T00:00:00Z,#latteart\n2,ben,2025-01-02T00:00:00Z,#v60\n")
    (tmp_path / "relays.csv").write_text("person,post_id,kind,created_at\nben,1,retweet,2025-01-03T00:00:00Z\ncleo,1,quote,2025-01-04T00:00:00Z\ncleo,2,retweet,2025-01-05T00:00:00Z\n")
    (tmp_path / "mentions.csv").write_text("source,target,count\nana,ben,3\n")
    return read_csv_tables([tmp_path])


def test_round_trip(store, tmp_path):
    stats = store.load(tiny(tmp_path))
    assert stats.added["people"] == 3 and stats.added["follows"] == 3
    assert store.counts() == {"people": 3, "posts": 2, "follows": 3, "authored": 2, "relayed": 3, "relays": 3, "mentions": 1, "replies": 0}
    relays = store.edge_pairs("relays").sort_values(["source", "target"]).reset_index(drop=True)
    assert relays[["source", "target", "count"]].values.tolist() == [
        ["x:ben", "x:ana", 1], ["x:cleo", "x:ana", 1], ["x:cleo", "x:ben", 1],
    ]
    people = store.people().set_index("pid")
    assert people.loc["x:ana", "name"] == "Ana" and people.loc["x:ana", "topics"] == ["#latteart"]
    assert pd.isna(people.loc["x:cleo", "name"])
    e = store.edge_arrays("follows")
    assert list(e.nodes) == ["x:ana", "x:ben", "x:cleo"]
    assert sorted(zip(e.src.tolist(), e.dst.tolist())) == [(0, 1), (1, 2), (2, 0)]


def test_reload_adds_nothing_and_new_events_add_to_aggregates(store, tmp_path):
    store.load(tiny(tmp_path))
    before = store.counts()
    stats = store.load(tiny(tmp_path))
    assert store.counts() == before and not any(stats.added.values())
    more = tmp_path / "more"
    more.mkdir()
    (more / "posts.csv").write_text("post_id,author,created_at\n3,ana,2025-02-01T00:00:00Z\n")
    (more / "relays.csv").write_text("person,post_id,kind,created_at\nben,3,retweet,2025-02-02T00:00:00Z\n")
    store.load(read_csv_tables([more]))
    r = store.edge_pairs("relays").set_index(["source", "target"])
    assert r.loc[("x:ben", "x:ana"), "count"] == 2
    assert r.loc[("x:ben", "x:ana"), "last_at"] == pd.Timestamp("2025-02-02")


def test_failed_load_leaves_store_unchanged(store, tmp_path):
    store.load(tiny(tmp_path))
    before = (store.counts(), store.people().to_json())
    bad = finish_batch(GraphBatch(
        follows=pd.DataFrame({"source": ["x:new1"], "target": ["x:new2"]}),
        relayed=pd.DataFrame({"person": ["x:new1"], "post_id": ["x:999"], "kind": ["retweet"], "at": [pd.NaT]}),
    ))  # fmt: skip
    with pytest.raises(LoadError, match="refer to posts"):
        store.load(bad)
    assert (store.counts(), store.people().to_json()) == before


def test_engine_error_midway_rolls_back(store, tmp_path):
    """A failure inside the write transaction (after people were copied) undoes everything."""
    store.load(tiny(tmp_path))
    before = store.counts()
    batch = finish_batch(GraphBatch(follows=pd.DataFrame({"source": ["x:p1"], "target": ["x:p2"]})))
    batch.follows.loc[0, "target"] = "x:not-a-person"  # breaks the FOLLOWS copy after the Person copy
    with pytest.raises(StoreError, match="rolled back"):
        store.load(batch)
    assert store.counts() == before


def test_multi_chunk_arrow_columns_are_not_truncated(store):
    """Regression: ladybug 0.22 silently dropped rows from multi-chunk Arrow columns."""
    text = "".join(f"{i} {i + 1}\n" for i in range(3000))
    parts = [parse_snap(__import__("io").StringIO(text[i::1]), kind="follows") for i in (0,)]
    batch = parts[0]
    batch.people = pd.concat([batch.people.iloc[:1000], batch.people.iloc[1000:]])  # two chunks
    store.load(batch)
    assert store.counts()["people"] == 3001 and store.counts()["follows"] == 3000


def test_scores_and_tracking_write_back(store, tmp_path):
    store.load(tiny(tmp_path))
    store.write_scores(pd.DataFrame({"pid": ["x:ana", "x:ben"], "pagerank": [0.6, 0.4], "kshell": [2, 1], "community": [0, 1]}))
    store.write_tracking(pd.DataFrame({"pid": ["x:ana"], "owner": ["lee"], "stage": ["engaged"], "locked": [True]}))
    p = store.people().set_index("pid")
    assert p.loc["x:ana", "pagerank"] == 0.6 and p.loc["x:ben", "kshell"] == 1
    assert p.loc["x:ana", "owner"] == "lee" and p.loc["x:ana", "stage"] == "engaged" and bool(p.loc["x:ana", "locked"])
    top = store.cypher("MATCH (p:Person) WHERE p.pagerank IS NOT NULL RETURN p.handle AS h ORDER BY p.pagerank DESC").frame
    assert top["h"].tolist() == ["ana", "ben"]


def test_a_large_write_back_is_sorted_into_store_order_and_split(store, monkeypatch):
    """Issue #14: updates from 10k rows are sorted by each person's place in the node table
    and sent 100k rows a statement (here 3 and 2, on a tiny graph); every row lands once."""
    import graph.stores.embedded as embedded

    monkeypatch.setattr(embedded, "_SORT_ROWS", 3)
    monkeypatch.setattr(embedded, "_UPDATE_ROWS", 2)
    store.load(parse_snap(__import__("io").StringIO("".join(f"{i} {i + 1}\n" for i in range(9))), kind="follows"))
    pids = [f"x:{i}" for i in (7, 2, 9, 0, 5, 1, 8, 3, 6, 4)] + ["x:nobody"]
    rank = {p: i for i, p in enumerate(pids)}
    n = store.write_scores(pd.DataFrame({"pid": pids, "pagerank": [rank[p] / 10 for p in pids],
                                         "kshell": [rank[p] for p in pids]}))  # fmt: skip
    assert n == len(pids)  # rows given (the unknown one matches nobody)
    p = store.people().set_index("pid")
    assert all(p.loc[q, "pagerank"] == rank[q] / 10 and p.loc[q, "kshell"] == rank[q] for q in pids[:-1])


def _scores(pids: list[str], seed: int) -> pd.DataFrame:
    """Every shape rank writes: distinct values, one value for all, all missing, a
    common int, a common zero with gaps, a missing majority."""
    rng = np.random.default_rng(seed)
    n = len(pids)
    often = lambda common, other: np.where(rng.random(n) < 0.7, common, other)  # noqa: E731
    return pd.DataFrame({
        "pid": pids,
        "pagerank": rng.random(n),
        "relays_received": np.full(n, 0.0),
        "relevance": np.full(n, np.nan),
        "kshell": often(1, rng.integers(2, 9, n)).astype(np.int64),
        "betweenness": np.where(rng.random(n) < 0.1, np.nan, often(0.0, rng.random(n))),
        "hub": np.where(rng.random(n) < 0.8, np.nan, rng.random(n)),
        "community": rng.integers(0, 3, n).astype(np.int64),
        "score": often(1.2299215310063217e-05, rng.random(n) * 100),
    })  # fmt: skip


def test_rank_replaces_whole_score_columns(embedded_store):
    """Issue #14: scores for everyone replace each column whole (dropped, added again with
    its most common value as the default, then only the others set); what is read back
    is exactly what was written, twice over, and other columns are left alone. Scores
    for part of the graph go row by row and leave the rest as they were."""
    store = embedded_store
    store.load(parse_snap(__import__("io").StringIO("".join(f"{i} {i + 1}\n" for i in range(2999))), kind="follows"))
    pids = sorted(store.people()["pid"])
    store.write_tracking(pd.DataFrame({"pid": pids[:5], "owner": ["lee"] * 5}))
    cols = [c for c in _scores(pids, 0).columns if c != "pid"]
    for seed in (0, 1):
        want = _scores(pids, seed)  # in pid order (rank's), then in any order
        want = want.sample(frac=1.0, random_state=seed) if seed else want
        assert store.write_scores(want) == len(pids)
        got = store.people().set_index("pid").loc[pids, cols]
        pd.testing.assert_frame_equal(got, want.set_index("pid").loc[pids, cols], check_dtype=False)
        assert got["relevance"].isna().all() and (got["relays_received"] == 0).all()
    assert store.people().set_index("pid").loc[pids[:5], "owner"].eq("lee").all()
    part = _scores(pids[:100], 7)
    store.write_scores(part)
    got = store.people().set_index("pid")
    pd.testing.assert_frame_equal(got.loc[pids[:100], cols], part.set_index("pid")[cols], check_dtype=False)
    pd.testing.assert_frame_equal(
        got.loc[pids[100:], cols], _scores(pids, 1).set_index("pid").loc[pids[100:], cols], check_dtype=False
    )
    assert store.cypher("MATCH (p:Person) WHERE p.kshell = 1 RETURN count(*) AS n").frame["n"][0] > 0


def test_a_failed_score_write_leaves_every_column_as_it_was(embedded_store, monkeypatch):
    """The columns are dropped and added inside the write's transaction: a failure after
    that (here the second SET) rolls the schema back too."""
    import graph.stores.embedded as embedded

    store = embedded_store
    store.load(parse_snap(__import__("io").StringIO("".join(f"{i} {i + 1}\n" for i in range(999))), kind="follows"))
    pids = sorted(store.people()["pid"])
    store.write_scores(_scores(pids, 0))
    before = store.people()
    calls = {"n": 0}
    real = embedded._arrow

    def failing(frame):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk on fire")
        return real(frame)

    monkeypatch.setattr(embedded, "_arrow", failing)
    with pytest.raises(StoreError, match="disk on fire"):
        store.write_scores(_scores(pids, 1))
    monkeypatch.setattr(embedded, "_arrow", real)
    pd.testing.assert_frame_equal(store.people(), before)


def test_cypher_limits(store, tmp_path):
    store.load(tiny(tmp_path))
    assert len(store.cypher("MATCH (p:Person) RETURN p.pid", max_rows=2)) == 2
    assert store.cypher("MATCH (p:Person {handle: $h}) RETURN p.name AS n", {"h": "ana"}).frame["n"].tolist() == ["Ana"]
    with pytest.raises(StoreError):
        store.cypher("MATCH (p:Nope) RETURN p")


def test_query_timeout(store):
    n = 400
    pairs = "".join(f"{i} {j}\n" for i in range(n) for j in np.random.default_rng(0).choice(n, 20) if i != j)
    store.load(parse_snap(__import__("io").StringIO(pairs)))
    with pytest.raises(StoreError, match="time limit"):
        store.cypher("MATCH (a:Person)-[:FOLLOWS*1..9]->(b:Person) RETURN count(*)", timeout_s=0.5)


def test_second_process_opens_read_only_and_cannot_write(store, tmp_path):
    store.load(tiny(tmp_path))
    code = (
        "import sys; from graph.stores.embedded import EmbeddedStore\n"
        f"s = EmbeddedStore({str(tmp_path / 'db')!r})\n"
        "print(s.counts()['people'], s.read_only)\n"
        "try:\n    s.write_scores(__import__('pandas').DataFrame({'pid': ['x:ana'], 'score': [1.0]}))\n"
        "except Exception as e:\n    print(type(e).__name__, e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
    assert out.splitlines()[0] == "3 True"
    assert "StoreError" in out and "another process" in out


def test_people_read_through_arrow_equals_get_as_df(tmp_path):
    """people() converts the engine's Arrow result itself (faster than get_as_df): the
    frame must be the one get_as_df gives, before and after ranking, tracking and a list."""
    from graph import jobs
    from graph.shortlist.request import ShortlistRequest
    from graph.stores import cypher as q

    store = EmbeddedStore(tmp_path / "g")
    jobs.load_files(store, ["sample_data"])

    def same() -> None:
        conn = store._conn()
        try:
            for query, params in (
                (q.LB_PEOPLE, {}),
                (q.LB_PEOPLE_IN, {"pids": ["x:nobody", *store._pid_set()[:40]]}),
            ):
                want = conn.execute(query, params).get_as_df()
                want.columns = [c.removeprefix("p.") for c in want.columns]
                want = want.sort_values("pid", kind="stable")  # people() is in pid order
                got = store.people(None if query == q.LB_PEOPLE else params["pids"])
                # the schema's column order, even after rank replaced its columns (they move last)
                assert list(got.columns) == list(q.PERSON_PROPS)
                pd.testing.assert_frame_equal(got, want[list(got.columns)].reset_index(drop=True))
                assert [type(t) for t in got["topics"].dropna()] == [type(t) for t in want["topics"].dropna()]
        finally:
            conn.close()

    same()
    jobs.rank(store)
    jobs.build_shortlist(store, ShortlistRequest(top=20, team=("ana", "ben")))
    first = store.people()["pid"].iloc[0]
    jobs.track(
        store, [first], {"lock": True, "stage": "engaged", "owner": "kim", "last_contact": "2026-11-30"}
    )
    same()
    some = store._pid_set()[:3].tolist()
    twice = store.people([some[2], "x:nobody", *some, some[0]])
    assert twice["pid"].tolist() == sorted(some)  # each person once, in pid order; unknown pids left out
    store.close()
