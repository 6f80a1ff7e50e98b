"""Fuzzing the read-only guard with random token sequences (Hypothesis).

Keywords (refused and read ones, any case), names, backtick names with doubled and
missing backticks, strings with escapes and missing quotes, comments of every kind
(unterminated, ended by a bare CR), ``\\uXXXX`` escapes that Neo4j decodes before
reading (a newline, a quote, a backtick, ``*/``, ``;``), semicolons, parameters and
numbers glued to words:

* the guard never raises anything but :class:`QueryRefused`, in bounded time (a
  generous per-example deadline, not a timing assertion);
* whatever it lets through changes nothing on either store, and fails, if at all,
  with one line (:class:`StoreError`).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import QueryRefused, StoreError
from graph.model import GraphBatch
from graph.stores.guard import REFUSED, check_read_only, tokenize
from loaders.base import finish_batch

KEYWORDS = sorted(REFUSED) + [
    "MATCH", "OPTIONAL", "RETURN", "WITH", "UNWIND", "CALL", "SHOW", "AS", "WHERE", "EXPLAIN", "PROFILE",
    "CYPHER", "START", "STOP", "DATABASE", "SETTINGS", "USERS", "IN", "YIELD", "LIMIT", "count", "p", "n",
    "show_tables", "read_csv_serial", "spill_to_disk", "db", "labels", "createLabel", "Person", "pid",
]  # fmt: skip
words = st.sampled_from(KEYWORDS).flatmap(lambda w: st.sampled_from([w, w.lower(), w.title()]))
names = st.text(alphabet="ab`C;\\", max_size=6).map(lambda t: "`" + t.replace("`", "``") + "`") | st.sampled_from(
    ["`", "`SET`", "`read_csv_serial`", "`db.createLabel`", "`spill_to_disk`"]
)
strings = st.builds(
    lambda q, body: q + body + q, st.sampled_from(["'", '"']), st.text(alphabet="aS;\\'\"u0027`", max_size=8)
) | st.sampled_from(["'", '"', "'\\'", "'\\\\'"])
comments = st.sampled_from(
    ["/**/", "/* SET */", "// x\n", "// SET\r", "// x\r\n", "/*", "//", "/* \\u002a/ ", "*/", "// \\u000a"]
)
escapes = st.sampled_from(
    ["\\u000a", "\\u000d", "\\u0027", "\\u0022", "\\u0060", "\\u002a", "\\u002f", "\\u003b", "\\\\u000a",
     "\\uu000a", "\\u0053ET", "\\u0043REATE", "\\"]
)  # fmt: skip
punct = st.sampled_from(list("();:.,{}[]=$|*-<>+") + [" ", "\n", "\t", "\r", ";", "\u2028"])
params = st.sampled_from(["$begin", "$`x`", "$1", "$", "$set", "$`"])
numbers = st.sampled_from(["1", "0x1", "0x1F", "1e5", "1.5", "007"])
token = st.one_of(words, words, names, strings, comments, escapes, punct, params, numbers)
spaced = st.lists(token, max_size=30).map(" ".join)
glued = st.lists(token, max_size=30).map("".join)
queries = spaced | glued


@settings(max_examples=3000, deadline=timedelta(seconds=5), suppress_health_check=[HealthCheck.too_slow])
@given(queries)
def test_the_guard_only_ever_refuses(query):
    try:
        check_read_only(query)
    except QueryRefused as exc:
        assert str(exc) and "\n" not in str(exc)
    tokenize(query, strict=False)  # the lenient reading never fails either


READ_STARTS = ["MATCH (p:Person) ", "MATCH (p:Person) RETURN ", "RETURN ", "WITH 1 AS x ", "UNWIND [1] AS x ",
               "CALL ", "OPTIONAL MATCH (p) ", "EXPLAIN MATCH (p) ", "SHOW "]  # fmt: skip
#: clauses that parse, so that more of what passes the guard also reaches the engine's own checks
FRAGMENTS = ["RETURN count(p) AS n", "RETURN p.pid AS load", "WHERE p.pid = $begin", "LIMIT 1",
             "RETURN 1 AS begin", "RETURN 'SET' AS s", "WITH p", "RETURN p", "show_tables() RETURN *",
             "db.labels()", "INDEXES", "CONSTRAINTS", "ORDER BY n", "RETURN $set AS x"]  # fmt: skip
fragment = st.sampled_from(FRAGMENTS)
mixed = st.lists(st.one_of(fragment, fragment, fragment, comments, punct, token), max_size=6).map(" ".join)
read_like = st.builds(lambda head, tail: head + tail, st.sampled_from(READ_STARTS), mixed | spaced)


def _tiny() -> GraphBatch:
    people = pd.DataFrame({"pid": ["x:ann", "x:bob"], "platform": ["x", "x"], "handle": ["ann", "bob"],
                           "name": ["Ann", "Bob"]})  # fmt: skip
    follows = pd.DataFrame({"source": ["x:ann"], "target": ["x:bob"]})
    return finish_batch(GraphBatch(people=people, follows=follows))


def _state(store) -> tuple[dict[str, int], str]:
    people = store.people()[["pid", "handle", "name"]].astype(str)
    return store.counts(), hashlib.sha256(people.to_csv(index=False).encode()).hexdigest()


@pytest.fixture(scope="module")
def emb_fuzz(tmp_path_factory):
    from graph.stores.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path_factory.mktemp("fuzz") / "graph")
    store.load(_tiny())
    yield store
    store.close()


@pytest.fixture(scope="module")
def neo_fuzz(neo4j_session_store):
    neo4j_session_store.clear()
    neo4j_session_store.load(_tiny())
    return neo4j_session_store


@pytest.fixture(scope="module", params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def fuzzed(request):
    return request.getfixturevalue({"embedded": "emb_fuzz", "neo4j": "neo_fuzz"}[request.param])


@pytest.mark.timeout(1800)
def test_what_the_guard_lets_through_never_changes_a_store(fuzzed):
    _never_changes(fuzzed, 100)


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_what_the_guard_lets_through_never_changes_a_store_at_length(fuzzed):
    _never_changes(fuzzed, 1000)


def _never_changes(fuzzed, examples: int) -> None:
    """Queries the lexical guard lets through are run against a real store: none changes it."""
    before = _state(fuzzed)
    ran: list[str] = []

    @settings(max_examples=examples, deadline=timedelta(seconds=60), database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])  # fmt: skip
    @given(st.integers(0, 3).flatmap(lambda i: queries if i == 0 else read_like))
    def run(query):
        try:
            check_read_only(query)
        except QueryRefused:
            return
        ran.append(query)
        try:
            fuzzed.cypher(query, {"begin": 1, "set": 2, "x": 3, "1": 4}, timeout_s=5)
        except StoreError as exc:  # QueryRefused included: the engine's own layers
            assert str(exc) and "\n" not in str(exc), exc
        assert _state(fuzzed) == before, query

    run()
    assert _state(fuzzed) == before
    assert ran, "some queries reached the engine"
    print(f"{len(ran)} of the generated queries reached the engine")
