"""Both stores, same data, same answers: sample_data/ plus a tiny literal batch that
updates it, loaded once per store; then reloads and failed loads that must change
nothing, and the same edge arrays, ranking and shortlist from either store."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from graph.errors import StoreError
from graph.model import SCORE_COLUMNS, GraphBatch, LoadError
from loaders.base import finish_batch
from loaders.registry import read_paths

PROFILE = ["pid", "platform", "handle", "name", "bio", "followers_count", "topics"]


@pytest.fixture(scope="module")
def sample() -> GraphBatch:
    return read_paths(["sample_data"])


def _a_b(sample: GraphBatch) -> tuple[str, str]:
    """A person (a) and someone with posts (b)."""
    b = sample.posts["author"].iloc[0]
    return next(p for p in sample.people["pid"] if p != b), b


def _update(sample: GraphBatch) -> GraphBatch:
    """A second, tiny load: new people and follows, a changed profile, new relays of
    known posts (aggregates add up) and a mention count that replaces the old one."""
    a, b = _a_b(sample)
    post = sample.posts.loc[sample.posts["author"] == b, "post_id"].iloc[0]
    m = sample.mentions.iloc[0]
    known = sample.people.set_index("pid")
    # people it refers to without a profile row get one from finish_batch, with no
    # followers_count: they must keep theirs (test_neo4j_store covers blank rows too)
    pids = list(dict.fromkeys([a, m["source"]]))
    counts = [123456 if p == a else int(known.loc[p, "followers_count"]) + 1000 for p in pids]
    people = pd.DataFrame(
        {"pid": pids, "platform": "x", "handle": [p[2:] for p in pids], "followers_count": counts}
    )
    return finish_batch(
        GraphBatch(
            people=people,
            follows=pd.DataFrame({"source": ["x:newcomer", a, "x:other"], "target": [a, "x:newcomer", b]}),
            relayed=pd.DataFrame(
                {
                    "person": ["x:newcomer", "x:other"],
                    "post_id": [post, post],
                    "kind": ["retweet", "quote"],
                    "at": pd.to_datetime(["2031-01-01", "2031-01-02"]),
                }
            ),
            mentions=pd.DataFrame(
                {"source": [m["source"]], "target": [m["target"]], "count": [int(m["count"]) + 40]}
            ),
        )  # fmt: skip
    )


def _load_both(store, sample: GraphBatch) -> None:
    store.load(sample)
    store.load(_update(sample))


@pytest.fixture(scope="module")
def emb_loaded(sample, tmp_path_factory):
    from graph.stores.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path_factory.mktemp("parity") / "graph")
    _load_both(store, sample)
    yield store
    store.close()


@pytest.fixture(scope="module")
def neo_loaded(sample, neo4j_session_store):
    neo4j_session_store.clear()
    _load_both(neo4j_session_store, sample)
    return neo4j_session_store


@pytest.fixture(scope="module", params=["emb", pytest.param("neo", marks=pytest.mark.neo4j)])
def loaded(request):
    return request.getfixturevalue(f"{request.param}_loaded")


def _pairs(store, kind: str) -> list[tuple[str, str, float]]:
    e = store.edge_arrays(kind)
    return sorted(zip(e.nodes[e.src].tolist(), e.nodes[e.dst].tolist(), e.weight.tolist()))


def _state(store) -> tuple:
    people = store.people()[PROFILE].astype(str).to_csv(index=False)
    return (
        store.counts(),
        people,
        _pairs(store, "follows"),
        _pairs(store, "relays"),
        _pairs(store, "mentions"),
    )


# -- each store against the input -----------------------------------------------------
def test_follows_and_people_are_the_input(loaded, sample):
    update = _update(sample)
    pids = sorted(set(sample.people["pid"]) | set(update.people["pid"]))
    follows = pd.concat([sample.follows, update.follows]).drop_duplicates()
    e = loaded.edge_arrays("follows")
    assert e.nodes.tolist() == pids  # every person, in pid order
    assert _pairs(loaded, "follows") == sorted((s, t, 1.0) for s, t in follows.itertuples(index=False))
    assert loaded.counts()["people"] == len(pids)


def test_several_kinds_at_once_are_each_kind_alone(loaded):
    """edge_arrays_for shares one read of the people's order (embedded) or loops (Neo4j):
    the arrays are those of edge_arrays, kind by kind, over one shared node order (the
    edges in any order: Neo4j returns them in no fixed order)."""
    kinds = ["follows", "relays", "mentions", "replies"]
    together = loaded.edge_arrays_for(kinds)
    assert list(together) == kinds

    def edges(e) -> list[tuple[int, int, float]]:
        return sorted(zip(e.src.tolist(), e.dst.tolist(), e.weight.tolist()))

    for kind in kinds:
        alone = loaded.edge_arrays(kind)
        got = together[kind]
        assert got.nodes.tolist() == alone.nodes.tolist() == together["follows"].nodes.tolist()
        assert edges(got) == edges(alone)
    assert together["relays"].m > 0 and together["mentions"].m > 0
    with pytest.raises(ValueError):
        loaded.edge_arrays_for(["follows", "likes"])


def test_second_load_updated_profiles_and_aggregates(loaded, sample):
    a, b = _a_b(sample)
    people = loaded.people([a, "x:newcomer"]).set_index("pid")
    assert people.loc[a, "followers_count"] == 123456
    assert people.loc[a, "name"] == sample.people.set_index("pid").loc[a, "name"]  # not blanked
    assert people.loc["x:newcomer", "handle"] == "newcomer"
    m = sample.mentions.iloc[0]
    mentions = loaded.edge_pairs("mentions").set_index(["source", "target"])
    assert mentions.loc[(m["source"], m["target"]), "count"] == int(m["count"]) + 40
    relays = loaded.edge_pairs("relays").set_index(["source", "target"])
    assert relays.loc[("x:newcomer", b), "count"] == 1
    assert relays.loc[("x:other", b), "last_at"] == pd.Timestamp("2031-01-02")


def test_reload_adds_nothing(loaded, sample):
    before = _state(loaded)
    for batch in (sample, _update(sample)):
        stats = loaded.load(batch)
        assert not any(stats.added.values()), stats.summary()
    assert _state(loaded) == before  # relays derived from events: re-sent events add nothing


def test_relays_to_unknown_posts_change_nothing(loaded):
    before = _state(loaded)
    bad = finish_batch(GraphBatch(
        follows=pd.DataFrame({"source": ["x:bad1"], "target": ["x:bad2"]}),
        relayed=pd.DataFrame({"person": ["x:bad1"], "post_id": ["x:no-such-post"], "kind": ["retweet"], "at": [pd.NaT]}),
    ))  # fmt: skip
    with pytest.raises(LoadError, match="refer to posts"):
        loaded.load(bad)
    assert _state(loaded) == before


def test_a_broken_row_in_a_later_batch_rolls_everything_back(loaded, monkeypatch):
    """500 new people and follows, then a duplicate pid at the end: the store's own
    uniqueness check fails after earlier batches were written (Neo4j: 50 rows per
    UNWIND), and the whole load is undone."""
    before = _state(loaded)
    monkeypatch.setattr(loaded, "batch_size", 50, raising=False)
    pids = [f"x:bulk{i:04d}" for i in range(500)]
    batch = finish_batch(GraphBatch(follows=pd.DataFrame({"source": pids[:-1], "target": pids[1:]})))
    batch.people = pd.concat([batch.people, batch.people.iloc[[3]]], ignore_index=True)  # duplicate key last
    with pytest.raises(StoreError, match="rolled back"):
        loaded.load(batch)
    assert _state(loaded) == before


def test_an_edge_to_a_missing_person_rolls_back(loaded):
    before = _state(loaded)
    batch = finish_batch(GraphBatch(follows=pd.DataFrame({"source": ["x:p1"], "target": ["x:p2"]})))
    batch.follows.loc[0, "target"] = "x:not-a-person"  # fails after the Person copy
    with pytest.raises((StoreError, LoadError)):
        loaded.load(batch)
    assert _state(loaded) == before


# -- the two stores against each other ---------------------------------------------------


@pytest.mark.neo4j
def test_same_counts_edges_and_tables(emb_loaded, neo_loaded):
    assert emb_loaded.counts() == neo_loaded.counts()
    for kind in ("follows", "relays", "mentions"):
        a, b = emb_loaded.edge_arrays(kind), neo_loaded.edge_arrays(kind)
        assert a.nodes.tolist() == b.nodes.tolist()
        assert _pairs(emb_loaded, kind) == _pairs(neo_loaded, kind), kind
        key = ["source", "target"]
        pa = emb_loaded.edge_pairs(kind).sort_values(key).reset_index(drop=True)
        pb = neo_loaded.edge_pairs(kind).sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(pa, pb, check_dtype=False)
    pa, pb = emb_loaded.people()[PROFILE], neo_loaded.people()[PROFILE]
    pd.testing.assert_frame_equal(pa.astype(str), pb.astype(str))
    posts_a = emb_loaded.posts().sort_values("post_id").reset_index(drop=True)
    posts_b = neo_loaded.posts().sort_values("post_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(posts_a.astype(str), posts_b.astype(str))
    key = ["person", "post_id"]
    ev_a = emb_loaded.relay_events().sort_values(key).reset_index(drop=True)
    ev_b = neo_loaded.relay_events().sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(ev_a, ev_b, check_dtype=False)


@pytest.fixture(scope="module")
def ranked(emb_loaded, neo_loaded):
    from graph import jobs

    return jobs, jobs.rank(emb_loaded).scores, jobs.rank(neo_loaded).scores


@pytest.mark.neo4j
def test_same_ranking(ranked, emb_loaded, neo_loaded):
    _, a, b = ranked
    a = a.set_index("pid").sort_index()
    b = b.set_index("pid").sort_index()
    assert a.index.tolist() == b.index.tolist()
    for col in [c for c in SCORE_COLUMNS if c in a]:
        np.testing.assert_allclose(
            a[col].to_numpy(float), b[col].to_numpy(float), rtol=1e-9, atol=1e-12, err_msg=col
        )
    stored_a = emb_loaded.people().set_index("pid")
    stored_b = neo_loaded.people().set_index("pid")
    for col in ("score", "pagerank", "kshell", "community"):
        np.testing.assert_allclose(
            stored_a[col].to_numpy(float), stored_b[col].to_numpy(float), rtol=1e-9, err_msg=col
        )
    top = (
        "MATCH (p:Person) WHERE p.score IS NOT NULL RETURN p.pid AS pid ORDER BY p.score DESC, p.pid LIMIT 20"
    )
    assert emb_loaded.cypher(top).frame["pid"].tolist() == neo_loaded.cypher(top).frame["pid"].tolist()


@pytest.mark.neo4j
def test_same_shortlist(ranked, emb_loaded, neo_loaded):
    pipeline = ranked[0]
    from graph.shortlist.request import ShortlistRequest

    request = ShortlistRequest(top=50, method="topk", team=("ana", "ben"), capacity=30)
    a = pipeline.build_shortlist(emb_loaded, request)
    b = pipeline.build_shortlist(neo_loaded, request)
    assert len(a) == 50 and a.method == b.method == "topk"
    cols = ["rank", "pid", "owner", "sl_rank", "sl_method", "sl_reason", "sl_gain"]
    pd.testing.assert_frame_equal(a.table[cols], b.table[cols], check_dtype=False)
    assert pipeline.saved_shortlist(neo_loaded)["pid"].tolist() == a.table["pid"].tolist()


def test_row_cap_marks_truncation_on_both_stores(store):
    store.load(GraphBatch(people=pd.DataFrame({"pid": ["x:a", "x:b", "x:c"], "platform": "x",
                                               "handle": ["a", "b", "c"]})))  # fmt: skip
    capped = store.cypher("MATCH (p:Person) RETURN p.pid AS pid ORDER BY pid", max_rows=2)
    assert capped.frame["pid"].tolist() == ["x:a", "x:b"] and capped.truncated and capped.max_rows == 2
    exact = store.cypher("MATCH (p:Person) RETURN p.pid AS pid", max_rows=3)
    assert len(exact) == 3 and not exact.truncated


def test_built_table_is_what_everyone_reads_back(store, sample):
    """A build returns the saved list without reading every person again: the table it
    returns must be exactly what a fresh read gives, on a first build and on a rebuild
    with locks, removals, owners and people falling off the list."""
    from graph import jobs
    from graph.shortlist.request import ShortlistRequest

    store.load(sample)
    jobs.rank(store)
    first = jobs.build_shortlist(
        store, ShortlistRequest(top=12, method="topk", team=("ana", "ben"), capacity=8)
    )
    pd.testing.assert_frame_equal(first.table, jobs.saved_shortlist(store))
    pids = first.table["pid"].tolist()
    jobs.track(
        store, [pids[5]], {"lock": True, "stage": "engaged", "owner": "kim", "last_contact": "2026-11-30"}
    )
    jobs.track(store, [pids[1]], {"remove": True}, by="ana")
    again = jobs.build_shortlist(store, ShortlistRequest(top=6, method="topk"))
    pd.testing.assert_frame_equal(again.table, jobs.saved_shortlist(store))
    assert pids[5] in again.table["pid"].tolist() and pids[1] not in again.table["pid"].tolist()
