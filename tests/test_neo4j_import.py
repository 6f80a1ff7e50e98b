"""First load into an empty Neo4j with ``neo4j-admin database import`` (#14).

A second local server of its own (``NEO4J_LOCAL_DIR`` in a temp folder: the import
stops and restarts it, which the session's shared server must not suffer). What it
imports must equal what a Bolt load of the same batch writes (on the session's
server); a failed import must leave the database as it was; a database that holds
anything is refused.
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from graph.errors import StoreError
from graph.model import GraphBatch
from loaders.base import finish_batch
from loaders.registry import read_paths

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "neo4j-local"
FIXTURES = ROOT / "tests" / "fixtures"
REAL = [ROOT / "sample_data", FIXTURES / "twarc", FIXTURES / "mastodon", FIXTURES / "bluesky"]


class Server:
    """``scripts/neo4j-local`` on a folder of its own."""

    def __init__(self, base: Path) -> None:
        self.env = {
            **os.environ, "NEO4J_LOCAL_DIR": str(base), "NEO4J_LOCAL_HEAP_MAX": "768m",
            "NEO4J_LOCAL_PAGECACHE": "128m", "NEO4J_LOCAL_CDS": "0",
        }  # fmt: skip
        for name in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
            self.env.pop(name, None)
        self.exports: dict[str, str] = {}

    def __call__(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run([str(SCRIPT), *args], env=self.env, capture_output=True, text=True, timeout=900)
        if check and proc.returncode != 0:
            raise AssertionError(f"neo4j-local {args[0]} failed:\n{proc.stderr[-3000:]}")
        if args[0] in ("start", "env"):
            from tests.conftest import _exports

            self.exports = _exports(proc.stdout)
        return proc

    def store(self):
        from graph.settings import Settings
        from graph.stores.neo4j import Neo4jStore

        self("env")
        return Neo4jStore.connect(Settings.from_env(self.exports, dotenv=None, store="neo4j"))

    def home(self) -> Path:
        return next(p for p in Path(self.env["NEO4J_LOCAL_DIR"]).glob("neo4j-community-*") if p.is_dir() and "partial" not in p.name)


@pytest.fixture(scope="module")
def server(tmp_path_factory, neo4j_settings):  # neo4j_settings: Java and Maven are there (or CI fails)
    s = Server(tmp_path_factory.mktemp("neo4j-import"))
    s("start")
    yield s
    s("reset", check=False)


def frames(store) -> dict[str, pd.DataFrame]:
    out = {
        "people": store.people().sort_values("pid"),
        "posts": store.posts(text=True).sort_values("post_id"),
        "relayed": store.relay_events().sort_values(["person", "post_id"]),
    }
    for kind in ("follows", "relays", "mentions", "replies"):
        out[kind] = store.edge_pairs(kind).sort_values(["source", "target"])
    return {k: v.reset_index(drop=True) for k, v in out.items()}


def assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert a.keys() == b.keys()
    for k in a:
        pd.testing.assert_frame_equal(a[k], b[k], check_like=True, obj=k)


def tricky_batch() -> GraphBatch:
    """Text that CSV and the import tool could get wrong: quotes, commas, new lines,
    backslashes, semicolons (neo4j-admin's default list separator), empty strings and
    empty lists, other scripts, microsecond times; and every relationship type."""
    odd = ['say "hi", then\nleave', "back\\slash; semi", "", "日本語 ☕ émoji 🎉", " spaced ", "a\r\nb"]
    people = pd.DataFrame({
        "pid": [f"x:p{i}" for i in range(6)],
        "name": odd,
        "bio": [None, "", "x,y", '""', "line1\nline2", "ok"],
        "followers_count": [0, 5, None, 7, 2**40, 1],
        "topics": [["#a;b", "#c,d"], [], None, ["#coffee"], ['#"q"'], ["#x"]],
    })  # fmt: skip
    at = [datetime(2024, 1, 2, 3, 4, 5, 123456), datetime(2024, 2, 3, 4, 5, 6), datetime(2025, 12, 31, 23, 59, 59, 999999)]
    posts = pd.DataFrame({
        "post_id": ["x:1", "x:2", "x:3"], "author": ["x:p0", "x:p1", "x:p2"], "created_at": at,
        "text": odd[:3], "hashtags": [["#a;b"], [], None], "likes": [1, None, 3],
    })  # fmt: skip
    relayed = pd.DataFrame({
        "person": ["x:p3", "x:p4", "x:p5"], "post_id": ["x:1", "x:1", "x:2"], "kind": ["retweet", "quote", "retweet"], "at": at,
    })  # fmt: skip
    follows = pd.DataFrame({"source": ["x:p0", "x:p1", "x:p5"], "target": ["x:p1", "x:p0", "x:p0"]})
    mentions = pd.DataFrame({"source": ["x:p0"], "target": ["x:p2"], "count": [4]})
    replies = pd.DataFrame({"source": ["x:p2"], "target": ["x:p0"], "count": [2], "first_at": at[:1], "last_at": at[2:]})
    return finish_batch(
        GraphBatch(people=people, posts=posts, relayed=relayed, follows=follows, mentions=mentions, replies=replies)
    )


def empty(store) -> None:
    store.clear()
    assert not any(store.counts().values())


def test_script_import_equals_a_bolt_load(server, neo4j_store):
    """`scripts/neo4j-local import` on real exports (X API v2, Mastodon, Bluesky, the
    sample CSVs) gives the very graph `influence load` gives over Bolt."""
    with server.store() as s:
        empty(s)
    proc = server("import", *map(str, REAL))
    assert "loaded: added 3,0" in proc.stdout, proc.stdout
    with server.store() as s:
        imported = frames(s)
        assert s.data_stamp()[1] is not None  # the app learns the graph changed
        assert s.cypher("SHOW CONSTRAINTS YIELD name RETURN name").frame["name"].str.contains("person_pid").any()
    neo4j_store.load(read_paths([str(p) for p in REAL]))
    loaded = frames(neo4j_store)
    assert len(loaded["people"]) > 3000 and len(loaded["replies"]) >= 1
    assert_same(imported, loaded)


def test_import_of_odd_text_equals_a_bolt_load(server, neo4j_store, monkeypatch):
    from graph.stores.neo4j_import import check_imported, import_into_empty, server_control

    batch = tricky_batch()
    s = server.store()
    empty(s)
    for name, value in server.env.items():  # the script's own server, as the fixture started it
        if name.startswith("NEO4J_LOCAL_"):
            monkeypatch.setenv(name, value)
    done, env = import_into_empty(batch, s, home=server.home(), control=server_control(SCRIPT))
    assert env["NEO4J_URI"].startswith("bolt://")
    assert done.empty_lists  # there were some: set again after the restart
    with server.store() as s2:
        check_imported(s2, done)
        imported = frames(s2)
    neo4j_store.load(tricky_batch())
    loaded = frames(neo4j_store)
    assert imported["people"].loc[0, "name"] == 'say "hi", then\nleave'
    assert_same(imported, loaded)


def test_failed_import_leaves_the_database_as_it_was(server, monkeypatch):
    """The import is made to fail (a relationship to a node that is not there): the
    database the server had before comes back whole."""
    from graph.stores import neo4j_import as imp

    with server.store() as s:
        empty(s)
        s.load(read_paths([str(FIXTURES / "twarc")]))
        before = frames(s)
    real = imp.write_csvs

    def broken(plan, folder, empty_lists=None):
        files = real(plan, folder, empty_lists)
        name, head, data = files["relationships"][0]
        with open(data, "a", encoding="utf-8") as f:
            f.write('"x:nobody","x:ghost"\n')
        return files

    monkeypatch.setattr(imp, "write_csvs", broken)
    server("stop")
    with pytest.raises(StoreError, match="neo4j-admin database import failed"):
        imp.import_batch(read_paths([str(ROOT / "sample_data")]), home=server.home())
    server("start")
    with server.store() as s:
        assert_same(frames(s), before)


def test_a_graph_that_holds_anything_is_refused(server):
    with server.store() as s:
        empty(s)
        s.load(read_paths([str(FIXTURES / "mastodon")]))
        before = s.counts()
    proc = server("import", str(ROOT / "sample_data"), check=False)
    assert proc.returncode != 0
    assert "is not empty" in proc.stderr and "influence load --store neo4j" in proc.stderr
    assert server("status", check=False).returncode == 0  # never stopped
    with server.store() as s:
        assert s.counts() == before


def test_import_needs_the_neo4j_store(tmp_path):
    from click.testing import CliRunner

    from graph.cli.base import main

    out = CliRunner().invoke(
        main, ["--data-dir", str(tmp_path), "--store", "embedded", "neo4j-import", str(ROOT / "sample_data"),
               "--neo4j-home", str(tmp_path), "--server", str(SCRIPT)],
    )  # fmt: skip
    assert out.exit_code != 0 and "needs --store neo4j" in out.output
    assert not any(tmp_path.iterdir())  # refused before any store was opened or created
