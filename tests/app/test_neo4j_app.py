"""The app on a shared Neo4j sees what other processes write (the CLI, a teammate's app)
without a restart: loads (new people and edges) and tracking (owners, stages)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.app.conftest import ROOT

pytestmark = pytest.mark.neo4j

TINY = {
    "people.csv": "handle,name,topics\nann,Ann,#latteart\nbob,Bob,#v60\ncy,Cy,#latteart\n",
    "follows.csv": "source,target\nbob,ann\ncy,ann\nann,bob\ncy,bob\n",
}
MORE = {"people.csv": "handle,name\ndee,Dee\neve,Eve\n", "follows.csv": "source,target\ndee,ann\neve,ann\n"}


def write(folder, files):
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


@pytest.fixture
def neo4j_app(neo4j_store, neo4j_settings, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from graph.jobs import load_files, rank

    load_files(neo4j_store, [write(tmp_path / "tiny", TINY)], format="csv")
    rank(neo4j_store)
    s = neo4j_settings
    for var, value in {"INFLUENCE_STORE": "neo4j", "NEO4J_URI": s.neo4j_uri, "NEO4J_USERNAME": s.neo4j_username,
                       "NEO4J_PASSWORD": s.neo4j_password.reveal(), "NEO4J_DATABASE": s.neo4j_database}.items():  # fmt: skip
        monkeypatch.setenv(var, value)
    monkeypatch.chdir(tmp_path)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def figures(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def rerun_later(at):
    """Rerun once the stamp's few seconds have passed (cleared here, not waited for)."""
    from app_pages import _common

    _common._external.clear()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_app_sees_cli_loads_and_tracking_without_a_restart(neo4j_app, neo4j_settings, tmp_path):
    from graph.jobs import load_files
    from graph.stores.neo4j import Neo4jStore

    at = neo4j_app
    assert figures(at)["People"] == "3"
    with Neo4jStore.connect(neo4j_settings) as cli:  # another process, as `influence load` would be
        load_files(cli, [write(tmp_path / "more", MORE)], format="csv")
    assert figures(rerun_later(at))["People"] == "5"
    selected = at.session_state["selected"]
    with Neo4jStore.connect(neo4j_settings) as cli:  # `influence track … --owner zed --stage engaged`
        cli.write_tracking(pd.DataFrame({"pid": [selected], "owner": ["zed"], "stage": ["engaged"]}))
    assert any("stage: engaged (zed)" in m.value for m in rerun_later(at).markdown)


def test_the_stamp_changes_on_every_kind_of_write(neo4j_store, tmp_path):
    from graph.jobs import load_files

    first = neo4j_store.data_stamp()
    load_files(neo4j_store, [write(tmp_path / "tiny", TINY)], format="csv")
    loaded = neo4j_store.data_stamp()
    assert loaded[0] != first[0] and loaded[1] != first[1]
    neo4j_store.write_tracking(pd.DataFrame({"pid": ["x:ann"], "notes": ["met at the expo"]}))
    tracked = neo4j_store.data_stamp()
    assert tracked[0] == loaded[0] and tracked[1] != loaded[1]  # same edges, a new write
    assert neo4j_store.data_stamp() == tracked  # reading changes nothing
