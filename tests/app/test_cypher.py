"""Cypher page and the example library: read-only runs, refusals, networks from results."""

from __future__ import annotations

import json
import re

import pytest

from graph.views import query_library as ql


def run(at, query: str | None = None, params: str | None = None):
    if query is not None:
        at.text_area(key="cy_query").input(query)
    if params is not None:
        at.text_area(key="cy_params").input(params)
    at.button(key="cy_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_store_and_dialect_shown_and_default_example_runs(app, switch):
    at = switch(app, "cypher")
    assert "LadybugDB Cypher" in at.caption[0].value and "embedded store" in at.caption[0].value
    assert at.text_area(key="cy_params").value == '{"n": 25}'
    at = run(at)
    result = at.dataframe[0].value
    assert len(result) == 25 and list(result.columns[:3]) == ["handle", "name", "score"]
    assert result["score"].is_monotonic_decreasing
    assert [b.label for b in at.get("download_button")] == ["Download CSV"]


def test_writes_are_refused(app, switch):
    at = run(switch(app, "cypher"), "MATCH (p:Person) SET p.score = 0 RETURN p", "{}")
    assert [e.value for e in at.error] == ["The console is read-only: SET writes to the graph."]
    assert "--allow-write" not in " ".join(m.value for m in [*at.error, *at.info, *at.caption])
    assert not at.dataframe


def test_bad_parameters_are_reported(app, switch):
    at = run(switch(app, "cypher"), None, "{n: 3")
    assert any("parameters" in e.value for e in at.error)


def test_engine_errors_are_translated_with_a_dialect_hint(app, switch):
    at = run(switch(app, "cypher"), "MATCH p = shortestPath((a:Person)-[:FOLLOWS*..3]->(b:Person)) RETURN p", "{}")
    assert [e.value for e in at.error] == ["LadybugDB can't read Neo4j's syntax here (line 1, column 11)."]
    assert "SHORTEST 1..6" in at.info[0].value
    assert "oC_SingleQuery" in at.expander[-1].children[0].value  # the engine's words, folded away
    at = run(at, "MATCH (p:Person) RETURN p.handle LIMIT $n", '{"n": "10"}')
    assert at.error[0].value == "LIMIT and SKIP need a whole number of 0 or more." and '{"n": 10}' in at.info[0].value
    at = run(at, "MATCH (p:Person) WHERE p.handle = $handle RETURN p.handle", "{}")
    assert at.error[0].value == "The query uses $handle but Parameters gives it no value."


def test_neo4j_syntax_that_runs_gets_a_hint(app, switch):
    at = run(switch(app, "cypher"), "MATCH (n:Person) RETURN labels(n)[0] AS l LIMIT 3", "{}")
    assert not at.error and len(at.dataframe[0].value) == 3
    assert any("use `label(n)`" in i.value for i in at.info)


def test_graph_example_draws_a_network(app, switch):
    at = switch(app, "cypher")
    at.selectbox(key="cy_example").select("Who relays a person (network)").run()
    assert "$handle" in at.text_area(key="cy_query").value
    at = run(at)
    table = at.dataframe[0].value
    assert len(table) > 0 and table["a"].str.startswith("(:Person ").all()
    page = json.loads(at.get("component_instance")[0].proto.json_args)["html"]
    assert "new vis.Network(" in page and re.search(r'<script src="\.\./[^"]+/vis-network\.min\.js"></script>', page)
    assert len(page) < 200_000  # vis-network itself is served once by the app, not inlined here


@pytest.fixture
def sample_store(data_dir):
    from graph.stores.embedded import EmbeddedStore

    with EmbeddedStore(data_dir) as s:
        yield s


def run_example(store, example, people):
    defaults = ql.default_params(people, ["#latteart"])
    query = example.text(ql.dialect_key(store.dialect))
    return store.cypher(query, {k: defaults[k] for k in ql.used_params(query)}).frame


@pytest.mark.parametrize("example", ql.EXAMPLES, ids=lambda e: e.title)
def test_every_example_runs_on_the_embedded_store(sample_store, example):
    from graph.jobs import scored_people

    result = run_example(sample_store, example, scored_people(sample_store))
    assert list(result.columns), example.title
    if example.title != "Team pipeline: relationships by owner and stage":  # nobody tracked yet
        assert len(result) > 0, example.title


TINY = {
    "people.csv": "handle,name,topics\nann,Ann,#latteart\nbob,Bob,#v60\ncy,Cy,#latteart\n",
    "follows.csv": "source,target\nbob,ann\ncy,ann\nann,bob\ncy,bob\n",
    "posts.csv": "post_id,author,created_at,hashtags,text\n1,ann,2025-01-01T10:00:00Z,#latteart,hearts\n",
    "relays.csv": "person,post_id,kind,created_at\nbob,1,retweet,2025-01-01T11:00:00Z\n"
    "cy,1,retweet,2025-01-02T11:00:00Z\n",
}


@pytest.fixture(scope="module")
def neo4j_with_data(neo4j_session_store, tmp_path_factory):
    """The shared Neo4j test server (tests/conftest.py), emptied, with a tiny ranked graph."""
    from graph.jobs import load_files, rank

    folder = tmp_path_factory.mktemp("tiny")
    for name, text in TINY.items():
        (folder / name).write_text(text)
    store = neo4j_session_store
    store.clear()
    load_files(store, [folder], format="csv")
    rank(store)
    yield store
    store.clear()


@pytest.mark.neo4j
@pytest.mark.parametrize("example", ql.EXAMPLES, ids=lambda e: e.title)
def test_every_example_runs_on_neo4j(neo4j_with_data, example):
    """The Neo4j variant of each example is valid, read-only Cypher that finds the data."""
    from graph.jobs import scored_people

    assert ql.dialect_key(neo4j_with_data.dialect) == "neo4j"
    result = run_example(neo4j_with_data, example, scored_people(neo4j_with_data))
    assert list(result.columns), example.title
    if example.title not in (
        "Team pipeline: relationships by owner and stage",
        "Many followers, rarely relayed",
    ):
        assert len(result) > 0, example.title
