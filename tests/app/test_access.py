"""Issue #12 in the app: item 7 (exposure: the login, destructive actions, server paths
only under ``upload_dirs``) and the app's share of items 4 (a half-loaded graph) and 8
(a wrong Neo4j password, credentials inside ``NEO4J_URI``). Each is one clear line on
the page, never a traceback, and nothing changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-4711"


def _texts(at) -> str:
    """Everything the page shows as text (to check what is never shown)."""
    parts = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "title", "text", "code"):
        parts += [str(getattr(e, "value", "")) for e in at.get(kind)]
    for kind in ("text_input", "text_area"):  # the login's own field shows dots, not its value
        parts += [str(e.value) for e in at.get(kind) if getattr(e, "key", "") != "login_password"]
    return "\n".join(parts)


def _run(monkeypatch, **env: str) -> AppTest:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    return at.run()


def _counts(data_dir) -> dict[str, int]:
    from graph.stores.embedded import EmbeddedStore

    with EmbeddedStore(data_dir) as s:
        return s.counts()


def _sign_in(at, password: str) -> AppTest:
    at.text_input(key="login_password").input(password)
    return at.button(key="login_submit").click().run()


# -- 7. exposure ---------------------------------------------------------------------------------------
@pytest.mark.catalogue(7)
def test_item7_listening_beyond_this_machine_without_a_password_serves_nothing(data_dir, monkeypatch):
    at = _run(monkeypatch, INFLUENCE_APP_ADDRESS="0.0.0.0")
    assert not at.exception
    assert [e.value for e in at.error] == [
        "This app serves nothing: the app would listen on 0.0.0.0, beyond this machine, with no login: "
        "set INFLUENCE_APP_PASSWORD (the password of its login) first."
    ]
    assert not _drawn(at) and not at.dataframe and not at.metric


def _drawn(at) -> bool:
    """Whether a network is on the page (the clickable component, or a plain iframe)."""
    return bool(at.get("component_instance") or at.get("iframe"))


@pytest.mark.catalogue(7)
@pytest.mark.parametrize("address", ["0.0.0.0", "127.0.0.1"])
def test_item7_a_password_means_a_login_first(data_dir, monkeypatch, address):
    at = _run(monkeypatch, INFLUENCE_APP_ADDRESS=address, INFLUENCE_APP_PASSWORD=PASSWORD)
    assert not at.exception and at.title[0].value == "Influence explorer"
    assert not _drawn(at) and not at.dataframe and not at.metric  # no data before the login
    at = _sign_in(at, "not-it")
    assert [e.value for e in at.error] == ["Wrong password."] and not at.metric
    assert PASSWORD not in _texts(at) and "not-it" not in _texts(at)
    at = _sign_in(at, PASSWORD)
    assert not at.exception and at.title[0].value == "Explore" and _drawn(at)
    assert PASSWORD not in _texts(at)


@pytest.mark.catalogue(7)
def test_item7_no_page_answers_before_the_login(data_dir, monkeypatch):
    at = _run(monkeypatch, INFLUENCE_APP_ADDRESS="0.0.0.0", INFLUENCE_APP_PASSWORD=PASSWORD)
    for page in ("data", "cypher", "shortlist", "insight"):
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception and at.title[0].value == "Influence explorer", page
        labels = [b.label for b in at.button]
        assert labels == ["Sign in"], (page, labels)


@pytest.mark.catalogue(7)
def test_item7_delete_everything_needs_the_login(data_dir, monkeypatch, switch):
    before = _counts(data_dir)
    at = _run(monkeypatch, INFLUENCE_APP_ADDRESS="0.0.0.0", INFLUENCE_APP_PASSWORD=PASSWORD)
    at.switch_page("app_pages/data.py").run()
    assert "Delete everything" not in [b.label for b in at.button]
    assert _counts(data_dir) == before
    at = _sign_in(at, PASSWORD)
    at = switch(at, "data")
    at.checkbox(key="data_sure").check().run()
    at.button(key="data_clear").click().run()
    assert not at.exception and _counts(data_dir)["people"] == 0


@pytest.fixture
def outside(tmp_path):
    """Folders for the path tests: ``allowed/`` (upload_dirs) and ``secret/`` beside it."""
    allowed, secret = tmp_path / "allowed", tmp_path / "secret"
    for folder in (allowed, secret):
        folder.mkdir()
    (secret / "follows.csv").write_text("source,target\nzed,yan\n")
    (allowed / "follows.csv").write_text("source,target\nann,bob\n")
    (allowed / "link.csv").symlink_to(secret / "follows.csv")
    (allowed / "linked_dir").mkdir()
    (allowed / "linked_dir" / "x.csv").symlink_to(secret / "follows.csv")
    return allowed, secret


REFUSED_PATHS = {
    "outside": "{secret}/follows.csv",
    "dot-dot": "{allowed}/../secret/follows.csv",
    "relative dot-dot": "../secret/follows.csv",
    "a symlink out": "{allowed}/link.csv",
    "a folder with a symlink out": "{allowed}/linked_dir",
    "/etc/passwd": "/etc/passwd",
}


def _load_path(at, text: str):
    at.radio(key="data_src").set_value("Path on the server")
    at.text_input(key="data_path").input(text)
    return at.button(key="data_load").click().run()


@pytest.mark.catalogue(7)
@pytest.mark.parametrize("path", REFUSED_PATHS.values(), ids=REFUSED_PATHS.keys())
def test_item7_server_paths_only_inside_upload_dirs(data_dir, monkeypatch, switch, outside, path):
    allowed, secret = outside
    before = _counts(data_dir)
    at = switch(_run(monkeypatch, INFLUENCE_UPLOAD_DIRS=str(allowed)), "data")
    at = _load_path(at, path.format(allowed=allowed, secret=secret))
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert error.startswith("Refused: ") and ("outside" in error or "links outside" in error), error
    assert _counts(data_dir) == before


@pytest.mark.catalogue(7)
def test_item7_no_upload_dirs_no_server_paths(data_dir, monkeypatch, switch, outside):
    allowed, _ = outside
    before = _counts(data_dir)
    monkeypatch.delenv("INFLUENCE_UPLOAD_DIRS", raising=False)
    at = _load_path(switch(_run(monkeypatch), "data"), str(allowed / "follows.csv"))
    assert [e.value for e in at.error] == [
        "Refused: loading from paths on the server is off: the app may read only the folders named in "
        "INFLUENCE_UPLOAD_DIRS (setting upload_dirs), and none is set; upload the files instead"
    ]
    assert _counts(data_dir) == before


@pytest.mark.catalogue(7)
def test_item7_a_path_inside_upload_dirs_loads(data_dir, monkeypatch, switch, outside):
    allowed, _ = outside
    before = _counts(data_dir)
    at = switch(_run(monkeypatch, INFLUENCE_UPLOAD_DIRS=str(allowed)), "data")
    at = _load_path(at, "follows.csv")  # relative to the allowed folder
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert _counts(data_dir)["follows"] == before["follows"] + 1


# -- 8. the store cannot open: one line, no password --------------------------------------------------------
@pytest.mark.catalogue(8)
def test_item8_credentials_inside_neo4j_uri_are_never_shown(tmp_path, monkeypatch):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.chdir(tmp_path)
    at = _run(monkeypatch, INFLUENCE_STORE="neo4j", NEO4J_URI=f"bolt://ann:s3cret-uri@127.0.0.1:{port}",
              NEO4J_PASSWORD="s3cret-pw")  # fmt: skip
    assert not at.exception
    assert [e.value for e in at.error] == [
        f"Cannot open the graph: invalid NEO4J_URI 'bolt://127.0.0.1:{port}': Username is not supported in the URI"
    ]
    assert "s3cret" not in _texts(at)


@pytest.mark.catalogue(8, store="neo4j")
def test_item8_a_wrong_neo4j_password_is_one_line(neo4j_settings, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    at = _run(monkeypatch, INFLUENCE_STORE="neo4j", NEO4J_URI=neo4j_settings.neo4j_uri,
              NEO4J_USERNAME=neo4j_settings.neo4j_username, NEO4J_PASSWORD="wrong-4711",
              NEO4J_DATABASE=neo4j_settings.neo4j_database)  # fmt: skip
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert error.startswith(f"Cannot open the graph: Neo4j at {neo4j_settings.neo4j_uri}: authentication failed")
    assert "wrong-4711" not in _texts(at) and neo4j_settings.neo4j_password.reveal() not in _texts(at)
    from graph.stores.neo4j import Neo4jStore

    Neo4jStore.connect(neo4j_settings).close()  # a good login resets the failed-attempt count


# -- 4. a half-loaded graph is said in the sidebar -------------------------------------------------------------
@pytest.mark.catalogue(4, store="neo4j")
def test_item4_the_sidebar_warns_of_a_half_loaded_graph(neo4j_store, neo4j_settings, tmp_path, monkeypatch):
    import pandas as pd

    from graph.model import GraphBatch
    from graph.stores import cypher as q
    from loaders.base import finish_batch

    neo4j_store.load(finish_batch(GraphBatch(follows=pd.DataFrame({"source": ["x:a"], "target": ["x:b"]}))))
    with neo4j_store.driver.session(database=neo4j_store.database) as s:
        s.run(q.NEO_LOAD_START, id="killed", key="k", sources=["big.txt"], rows=10, client="host:1").consume()
    monkeypatch.chdir(tmp_path)
    env = {k: v for k, v in os.environ.items() if k.startswith("NEO4J_")}
    env.update(INFLUENCE_STORE="neo4j", NEO4J_URI=neo4j_settings.neo4j_uri,
               NEO4J_USERNAME=neo4j_settings.neo4j_username, NEO4J_DATABASE=neo4j_settings.neo4j_database,
               NEO4J_PASSWORD=neo4j_settings.neo4j_password.reveal())  # fmt: skip
    at = _run(monkeypatch, **env)
    assert not at.exception
    warnings = [w.value for w in at.warning if "half-loaded" in w.value]
    assert len(warnings) == 1 and "big.txt" in warnings[0]


# -- 1 and 5 on the Cypher page: nothing a user types takes the server down ---------------------------------------
def _query(at, text: str):
    at.text_area(key="cy_query").input(text)
    at.text_area(key="cy_params").input("{}")
    at.button(key="cy_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.catalogue(1, store="embedded")
def test_item1_the_cypher_page_outlives_the_query_that_crashed_the_server(app, switch, monkeypatch):
    import graph.stores.base as base

    at = _query(switch(app, "cypher"), "CALL `read_csv_serial`('/etc/hostname') RETURN *")
    assert [e.value for e in at.error][0].startswith("The console is read-only: procedure read_csv_serial is not on the read-only allow-list")
    guard = base.check_read_only
    monkeypatch.setattr(base, "check_read_only", lambda query: None)  # behind the guard: the engine crashes
    at = _query(at, "CALL `read_csv_serial`('/etc/hostname') RETURN *")
    assert [e.value for e in at.error] == [
        "the database engine crashed on this query (SIGSEGV); nothing was changed and the store "
        "is fine: please report the query"
    ]
    monkeypatch.setattr(base, "check_read_only", guard)  # (undo() would also drop the store's folder)
    at = _query(at, "MATCH (p:Person) RETURN count(p) AS n")
    assert not at.error and at.dataframe[0].value["n"].tolist() == [3000]


@pytest.mark.catalogue(5, store="embedded")
def test_item5_the_cypher_page_stops_a_query_that_needs_gigabytes(app, switch):
    at = _query(switch(app, "cypher"), "RETURN size(range(1, 300000000)) AS n")
    [error] = [e.value for e in at.error]
    assert error.startswith("query stopped: it needs more than the 512 MB") and "query_memory_mb" in error
    at = _query(at, "MATCH (p:Person) RETURN count(p) AS n")
    assert not at.error and at.dataframe[0].value["n"].tolist() == [3000]
