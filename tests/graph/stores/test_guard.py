"""The read-only guard: a catalogue of write attempts refused by BOTH stores with the
data unchanged, and legitimate reads (some mentioning CREATE in strings) that pass."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from graph.errors import QueryRefused, StoreError
from graph.model import GraphBatch
from graph.stores.base import QueryResult
from graph.stores.guard import check_read_only, decode_unicode_escapes, tokenize
from loaders.base import finish_batch

WRITES = {
    "create": "CREATE (:Person {pid: 'x:evil'})",
    "create lower case": "create (:Person {pid: 'x:evil'})",
    "merge": "MERGE (p:Person {pid: 'x:evil'}) RETURN p",
    "set": "MATCH (p:Person) SET p.name = 'pwned' RETURN count(p)",
    "set +=": "MATCH (p:Person) SET p += {name: 'pwned'}",
    "remove": "MATCH (p:Person) REMOVE p.name RETURN count(p)",
    "delete": "MATCH (p:Person)-[r:FOLLOWS]->() DELETE r",
    "detach delete": "MATCH (p:Person) DETACH DELETE p",
    "foreach": "MATCH (p:Person) WITH collect(p) AS ps FOREACH (x IN ps | SET x.name = 'pwned')",
    "load csv": "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "load csv with headers": "LOAD CSV WITH HEADERS FROM 'https://example.com/x.csv' AS row CREATE (:Person {pid: row.x})",
    "ladybug load from": "LOAD FROM '/etc/passwd' RETURN *",
    "ladybug copy": "COPY Person FROM '/tmp/people.csv'",
    "ladybug copy to": "COPY (MATCH (p:Person) RETURN p.pid) TO '/tmp/out.csv'",
    "call in transactions": "MATCH (p:Person) CALL { WITH p SET p.name = 'x' } IN TRANSACTIONS OF 10 ROWS",
    "call in transactions (read body)": "MATCH (p:Person) CALL { WITH p RETURN p.pid AS x } IN TRANSACTIONS RETURN x",
    "write in subquery": "MATCH (p:Person) CALL (p) { SET p.name = 'x' } RETURN count(*)",
    "procedure db.createLabel": "CALL db.createLabel('Evil')",
    "procedure db.createProperty": "CALL db.createProperty('evil')",
    "procedure dbms.setConfigValue": "CALL dbms.setConfigValue('db.logs.query.enabled', 'off')",
    "procedure dbms.killQueries": "CALL dbms.killQueries(['query-1'])",
    "procedure db.clearQueryCaches": "CALL db.clearQueryCaches()",
    "procedure apoc.create.node": "CALL apoc.create.node(['Evil'], {})",
    "procedure apoc.periodic.iterate": "CALL apoc.periodic.iterate('MATCH (p) RETURN p', 'SET p.x = 1', {})",
    "procedure apoc.cypher.runWrite": "CALL apoc.cypher.runWrite('CREATE (n)', {})",
    "ladybug procedure": "CALL create_fts_index('Person', 'idx', ['bio'])",
    "ladybug setting": "CALL threads=1",
    "create index": "CREATE INDEX evil IF NOT EXISTS FOR (p:Person) ON (p.name)",
    "create constraint": "CREATE CONSTRAINT evil IF NOT EXISTS FOR (p:Person) REQUIRE p.name IS UNIQUE",
    "drop index": "DROP INDEX person_score IF EXISTS",
    "drop constraint": "DROP CONSTRAINT person_pid IF EXISTS",
    "drop table": "DROP TABLE Person",
    "alter table": "ALTER TABLE Person ADD evil STRING",
    "create user": "CREATE USER evil SET PASSWORD 'abcdefgh'",
    "rename user": "RENAME USER neo4j TO evil",
    "stop database": "STOP DATABASE neo4j",
    "terminate transactions": "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "grant": "GRANT ROLE admin TO evil",
    "periodic commit": "USING PERIODIC COMMIT 10 LOAD CSV FROM 'file:///x' AS row RETURN row",
    "profile executes": "PROFILE CREATE (n:Person {pid: 'x:evil'})",
    "explain of a write": "EXPLAIN MATCH (p:Person) SET p.name = 'x'",
    "transaction control": "BEGIN TRANSACTION",
    "checkpoint": "CHECKPOINT",
    "attach": "ATTACH '/tmp/other.lbug' AS other (dbtype lbug)",
    "install": "INSTALL httpfs",
    "export database": "EXPORT DATABASE '/tmp/dump'",
    "import database": "IMPORT DATABASE '/tmp/dump'",
    "two statements": "MATCH (p:Person) RETURN count(p); MATCH (p:Person) DETACH DELETE p",
    "two statements, no space": "RETURN 1;CREATE (:Person {pid: 'x:evil'})",
    "after a line comment": "MATCH (p:Person) RETURN count(p) // harmless\nCREATE (:Person {pid: 'x:evil'})",
    "after a line comment ended by CR": "MATCH (p:Person) // harmless\rSET p.name = 'x' RETURN count(p)",
    "after a block comment": "MATCH (p:Person) /* harmless */ SET p.name = 'x'",
    "block comment, no spaces": "MATCH (p:Person)/**/SET/**/p.name='x'",
    "escaped quote in a string": "RETURN 'it\\'s' AS x ; CREATE (:Person {pid: 'x:evil'})",
    "backslash at the end of a string": "RETURN '\\\\' AS x ; CREATE ()",
    "string trick (quote escape)": "RETURN '\\'' ; CREATE ()",
    "double-quoted string trick": 'RETURN "\\"" AS x; CREATE ()',
    "unicode escape ends a line comment": "MATCH (p:Person) // \\u000a SET p.name = 'x' RETURN count(p)",
    "unicode escape ends a block comment": "MATCH (p:Person) /* \\u002a/ SET p.name = 'x' /* */ RETURN count(p)",
    "unicode escape closes a string": "RETURN 'a\\u0027 AS x; CREATE (:Person {pid: 'z'}) //'",
    "unicode escape opens a string": "RETURN \\u0027 ; CREATE (n) //' AS x",
    "unicode escape with several u": "MATCH (p:Person) // \\uuu000a SET p.name = 'x' RETURN count(p)",
    "unicode escape closes a backtick name": "RETURN 1 AS `a\\u0060 ; CREATE (n) //`",
    "backtick name hides nothing": "MATCH (`p`:`Person`) SET `p`.name = 'x'",
    "write after a backtick name": "RETURN 1 AS `x;y` ; CREATE (n)",
    "semicolon in a string, then a write": "RETURN ';' AS x ; DELETE x",
    "mixed case": "MaTcH (p:Person) DeTaCh DeLeTe p",
    "tab and newline separators": "MATCH\t(p:Person)\nSET\tp.name = 'x'",
}

READS = {
    "simple": "MATCH (p:Person) RETURN p.pid AS pid ORDER BY pid LIMIT 5",
    "create in a string": "MATCH (p:Person) WHERE p.name <> 'CREATE (n)' RETURN count(p) AS n",
    "set and delete in a string": "RETURN 'SET x = 1; DELETE y' AS text",
    "create in a comment": "// CREATE is only mentioned here\nMATCH (p:Person) RETURN count(p) AS n",
    "create in a block comment": "MATCH (p:Person) /* MERGE, SET */ RETURN count(p) AS n",
    "create in a backtick name": "MATCH (p:Person) RETURN count(p) AS `CREATE`",
    "trailing semicolon": "MATCH (p:Person) RETURN count(p) AS n;",
    "edges": "MATCH (a:Person)-[r:FOLLOWS]->(b:Person) RETURN a.pid AS src, b.pid AS dst ORDER BY src, dst",
    "node values": "MATCH (p:Person) RETURN p ORDER BY p.pid LIMIT 2",
    "properties named like keywords": "MATCH (p:Person) RETURN p.pid AS created, p.name AS deleted ORDER BY created",
    "contains with a keyword": "MATCH (p:Person) WHERE p.bio CONTAINS 'merge' RETURN count(p) AS n",
    "unicode escape inside a string": "RETURN 'caf\\u00e9' AS word",
    "parameter": "MATCH (p:Person) WHERE p.pid = $pid RETURN p.name AS name",
}


def _tiny() -> GraphBatch:
    people = pd.DataFrame(
        {
            "pid": ["x:ann", "x:bob", "x:cat"],
            "platform": ["x"] * 3,
            "handle": ["ann", "bob", "cat"],
            "name": ["Ann", "Bob", "Cat"],
            "bio": ["Roaster, will merge blends", "Barista", "Writer"],
        }
    )
    follows = pd.DataFrame({"source": ["x:ann", "x:bob", "x:cat"], "target": ["x:bob", "x:cat", "x:ann"]})
    return finish_batch(GraphBatch(people=people, follows=follows))


def _state(store) -> tuple[dict[str, int], str]:
    people = store.people()[["pid", "platform", "handle", "name", "bio"]].astype(str)
    digest = hashlib.sha256(people.to_csv(index=False).encode()).hexdigest()
    return store.counts(), digest


@pytest.fixture(scope="module")
def emb_guarded(tmp_path_factory):
    from graph.stores.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path_factory.mktemp("guard") / "graph")
    store.load(_tiny())
    yield store
    store.close()


@pytest.fixture(scope="module")
def neo_guarded(neo4j_session_store):
    neo4j_session_store.clear()
    neo4j_session_store.load(_tiny())
    return neo4j_session_store


@pytest.fixture(scope="module", params=["emb", pytest.param("neo", marks=pytest.mark.neo4j)])
def loaded(request):
    """Each store, loaded once for the module (every test must leave it as it was)."""
    return request.getfixturevalue(f"{request.param}_guarded")


@pytest.mark.catalogue(1)
@pytest.mark.parametrize("query", WRITES.values(), ids=WRITES.keys())
def test_write_attempts_are_refused_and_change_nothing(loaded, query):
    before = _state(loaded)
    with pytest.raises(QueryRefused):
        loaded.cypher(query, {"pid": "x:ann"})
    assert _state(loaded) == before


@pytest.mark.parametrize("query", WRITES.values(), ids=WRITES.keys())
def test_lexical_guard_refuses_every_write(query):
    with pytest.raises(QueryRefused):
        check_read_only(query)


@pytest.mark.parametrize("query", READS.values(), ids=READS.keys())
def test_reads_pass_on_both_stores(loaded, query):
    before = _state(loaded)
    result = loaded.cypher(query, {"pid": "x:ann"})
    assert isinstance(result, QueryResult) and isinstance(result.frame, pd.DataFrame) and len(result.columns) >= 1
    assert _state(loaded) == before


def test_reads_return_the_same_rows_on_both_stores(loaded):
    rows = loaded.cypher(READS["edges"]).frame.values.tolist()
    assert rows == [["x:ann", "x:bob"], ["x:bob", "x:cat"], ["x:cat", "x:ann"]]
    assert loaded.cypher(READS["create in a string"]).frame.iloc[0, 0] == 3
    assert loaded.cypher(READS["contains with a keyword"]).frame.iloc[0, 0] == 1
    assert loaded.cypher(READS["unicode escape inside a string"]).frame.iloc[0, 0] == "café"


def test_row_cap_and_writes_when_allowed(loaded):
    assert len(loaded.cypher("MATCH (p:Person) RETURN p.pid AS pid", max_rows=2)) == 2
    loaded.cypher("MATCH (p:Person {pid: 'x:ann'}) SET p.name = 'Annie'", allow_write=True)
    assert loaded.people(["x:ann"])["name"].tolist() == ["Annie"]
    loaded.cypher("MATCH (p:Person {pid: 'x:ann'}) SET p.name = 'Ann'", allow_write=True)


def test_timeout_is_a_store_error(loaded):
    slow = "UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y WITH x, y WHERE (x * y) % 7 = 3 RETURN count(*) AS n"
    with pytest.raises(StoreError, match="time limit"):
        loaded.cypher(slow, timeout_s=0.5)


def test_neo4j_engine_layers_refuse_writes_the_lexical_guard_missed(neo_guarded, monkeypatch):
    """Defence in depth: with the lexical check disabled, EXPLAIN refuses; with EXPLAIN
    disabled too, the READ transaction refuses."""
    import graph.stores.base as mod

    neo4j_store = neo_guarded
    before = _state(neo4j_store)
    monkeypatch.setattr(mod, "check_read_only", lambda query: query)
    for query in (
        "CREATE (:Person {pid: 'x:evil'})",
        "MATCH (p:Person) SET p.name = 'x'",
        "CALL db.createLabel('Evil')",
    ):
        with pytest.raises(QueryRefused, match="Neo4j says"):
            neo4j_store.cypher(query)
    monkeypatch.setattr(neo4j_store, "explain_first", False)
    with pytest.raises(QueryRefused, match="refused a write"):
        neo4j_store.cypher("MATCH (p:Person) SET p.name = 'x'")
    assert _state(neo4j_store) == before


def test_embedded_engine_refuses_writes_the_lexical_guard_missed(emb_guarded, monkeypatch):
    import graph.stores.base as mod

    embedded_store = emb_guarded
    before = _state(embedded_store)
    monkeypatch.setattr(mod, "check_read_only", lambda query: query)
    with pytest.raises(QueryRefused):
        embedded_store.cypher("MATCH (p:Person) SET p.name = 'x'")
    assert _state(embedded_store) == before


def test_unicode_escapes_are_read_as_neo4j_reads_them():
    """Measured on Neo4j 5.26: an escape is decoded before tokenizing unless its backslash
    is escaped (an even run of backslashes); ``\\uu0027`` is not an escape there."""
    assert decode_unicode_escapes(r"// \u000a CREATE") == "// \n CREATE"
    assert decode_unicode_escapes(r"x\\u000a") == r"x\\u000a"
    assert decode_unicode_escapes(r"x\\\u000a") == "x\\\\\n"
    assert decode_unicode_escapes(r"'a\uu0027") == r"'a\uu0027"
    assert [t.text for t in tokenize("RETURN 1 // x\r\nCREATE (n)")] == ["RETURN", "1", "CREATE", "(", "n", ")"]
