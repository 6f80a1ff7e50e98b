"""Engine errors in plain words: real failing queries on both stores, explained."""

from __future__ import annotations

import pytest

from graph.errors import QueryRefused, StoreError
from graph.views.cypher_errors import dialect_hints, explain_error, missing_params, refusal_text
from graph.views.query_library import dialect_key

TINY = {
    "people.csv": "handle,name,topics\nann,Ann,#latteart\nbob,Bob,#v60\ncy,Cy,#latteart\n",
    "follows.csv": "source,target\nbob,ann\ncy,ann\nann,bob\n",
}


@pytest.fixture
def tiny_store(store, tmp_path):
    from graph.jobs import load_files, rank

    for name, text in TINY.items():
        (tmp_path / name).write_text(text)
    load_files(store, [tmp_path], format="csv")
    rank(store)
    return store


def failing(store, query: str, params: dict | None = None):
    with pytest.raises(StoreError) as info:
        store.cypher(query, params or {})
    dialect = dialect_key(store.dialect)
    return explain_error(str(info.value), query, dialect=dialect, params=params or {}), dialect


# (query, params, what the explanation says on each store; None: that store runs it)
CASES = [
    ("MATCH (p:Person) RETURN p.handle LIMIT $n", {"n": "10"},
     {"ladybug": "LIMIT and SKIP need a whole number", "neo4j": "LIMIT and SKIP need a whole number"}),
    ("MATCH (p:Person) RETURN p.handle LIMIT $n", {"n": 2.5},
     {"ladybug": "LIMIT and SKIP need a whole number", "neo4j": "LIMIT and SKIP need a whole number"}),
    ("MATCH (p:Person) RETURN p.handle LIMIT $n", {},
     {"ladybug": "uses $n but Parameters gives it no value", "neo4j": "uses $n but Parameters gives it no value"}),
    ("MATCH (p:Person) WHERE p.followers > 'abc' RETURN p.handle", {},
     {"ladybug": 'The value "abc" could not be read as a number', "neo4j": None}),
    ("MATCH (p:Person) RETURN p.handle * 2 AS x", {},
     {"ladybug": "combines values of different types", "neo4j": "combines values of different types"}),
    ("MATCH (p:Person) RETURN p.handle ORDER BY p.scor DESC", {},
     {"ladybug": "`p` has no property `scor` (did you mean `score`?)", "neo4j": None}),
    ("MATCH (p:Persn) RETURN p", {},
     {"ladybug": "no label or relationship type `Persn` (did you mean `Person`?)", "neo4j": None}),
    ("MATCH p = shortestPath((a:Person {handle: 'bob'})-[:FOLLOWS*..3]->(b:Person {handle: 'ann'})) RETURN p", {},
     {"ladybug": "LadybugDB can't read Neo4j's syntax", "neo4j": None}),
    ("MATCH ()-[r]->() RETURN type(r) AS t", {}, {"ladybug": "LadybugDB can't read Neo4j's syntax", "neo4j": None}),
    ("MATCH (n:Person) RETURN elementId(n)", {}, {"ladybug": "LadybugDB can't read Neo4j's syntax", "neo4j": None}),
    ("RETURN datetime() AS now", {}, {"ladybug": "LadybugDB can't read Neo4j's syntax", "neo4j": None}),
    ("MATCH (n:Person) RETURN [t IN n.topics | t] AS x", {},
     {"ladybug": "LadybugDB can't read Neo4j's syntax", "neo4j": None}),
    ("MATCH p = (a:Person)-[:FOLLOWS* SHORTEST 1..3]->(b:Person) RETURN p", {},
     {"ladybug": None, "neo4j": "Neo4j can't read LadybugDB's syntax"}),
    ("MATCH (n:Person) RETURN label(n) AS l", {}, {"ladybug": None, "neo4j": "Neo4j can't read LadybugDB's syntax"}),
    ("MATCH (n:Person RETURN n", {}, {"ladybug": "could not read the query at line 1",
                                      "neo4j": "could not read the query at line 1"}),
]  # fmt: skip


@pytest.mark.parametrize(("query", "params", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_engine_errors_in_plain_words(tiny_store, query, params, expected):
    dialect = dialect_key(tiny_store.dialect)
    if expected[dialect] is None:
        tiny_store.cypher(query, params)  # this dialect reads it
        return
    explained, _ = failing(tiny_store, query, params)
    assert expected[dialect] in explained.text, (explained, explained.raw)
    assert explained.raw and explained.text != explained.raw
    assert "oC_SingleQuery" not in explained.text + explained.hint and "exception" not in explained.text


def test_dialect_hints_name_the_other_form():
    hints = dialect_hints("MATCH p=shortestPath((a)-[*]->(b)) RETURN labels(a)[0], type(r), datetime()", "ladybug")
    assert any("SHORTEST 1..6" in h for h in hints) and any("label(n)" in h for h in hints)
    assert any("label(r)" in h for h in hints) and any("current_timestamp()" in h for h in hints)
    assert dialect_hints("MATCH (n) RETURN labels(n)[0]", "neo4j") == []
    assert any("shortestPath" in h for h in dialect_hints("MATCH (a)-[* SHORTEST 1..2]->(b) RETURN a", "neo4j"))


def test_labels_index_runs_silently_on_the_embedded_store_so_it_is_hinted(embedded_store):
    query = "MATCH (n) RETURN labels(n)[0] AS l LIMIT 1"
    embedded_store.cypher(query)  # no error: '' comes back
    assert "use `label(n)`" in dialect_hints(query, "ladybug")[0]


def test_missing_params_and_refusal(store):
    assert missing_params("MATCH (p {handle: $h}) RETURN p LIMIT $n // $x", {"n": 1}) == ["h"]
    with pytest.raises(QueryRefused) as info:
        store.cypher("MATCH (n:Person) SET n.score = 0")
    text = refusal_text(str(info.value))
    assert text.startswith("The console is read-only") and "--allow-write" not in text
