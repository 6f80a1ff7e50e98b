"""Data page (load by path with progress, niche report, re-rank) and Insight page (charts)."""

from __future__ import annotations

import pytest

TINY = {
    "people.csv": "handle,name,topics\nann,Ann,#latteart\nbob,Bob,#v60\ncy,Cy,#latteart\ndee,Dee,#v60\n",
    "follows.csv": "source,target\nbob,ann\ncy,ann\ndee,ann\nann,bob\ncy,dee\n",
    "posts.csv": "post_id,author,created_at,hashtags,text\n1,ann,2025-01-01T10:00:00Z,#latteart,hearts\n"
    "2,bob,2025-01-02T10:00:00Z,#v60,bloom\n3,ann,2025-02-01T10:00:00Z,#latteart,tulip\n",
    "relays.csv": "person,post_id,kind,created_at\nbob,1,retweet,2025-01-01T11:00:00Z\n"
    "cy,1,retweet,2025-01-01T12:00:00Z\ndee,3,quote,2025-02-01T12:00:00Z\nann,2,retweet,2025-01-02T11:00:00Z\n",
}


@pytest.fixture
def tiny(tmp_path):
    folder = tmp_path / "tiny"
    folder.mkdir()
    for name, text in TINY.items():
        (folder / name).write_text(text)
    return folder


def _empty_app(tmp_path, monkeypatch):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("INFLUENCE_DATA_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("INFLUENCE_STORE", "embedded")
    monkeypatch.setenv("INFLUENCE_UPLOAD_DIRS", str(tmp_path))  # server paths only under it
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.chdir(tmp_path)
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=120)
    return at.run()


def test_empty_graph_points_to_data(tmp_path, monkeypatch):
    at = _empty_app(tmp_path, monkeypatch)
    assert not at.exception
    assert any("The graph is empty" in i.value for i in at.info)


def test_load_by_path_then_rank(tmp_path, monkeypatch, tiny, switch):
    at = switch(_empty_app(tmp_path, monkeypatch), "data")
    at.radio(key="data_src").set_value("Path on the server")
    at.text_input(key="data_path").input(str(tiny))
    at.button(key="data_load").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("Loaded" in s.value and "4 people" in s.value for s in at.success)
    counts = at.dataframe[0].value
    assert counts["people"].iloc[0] == "4" and counts["follows"].iloc[0] == "5"
    assert "not yet" in at.caption[1].value
    at.button(key="data_rank").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any(s.value.startswith("Ranked 4 people") for s in at.success)
    at = switch(at, "explore")
    assert at.get("component_instance"), "network drawn after ranking"


def test_niche_report_and_missing_path(tmp_path, monkeypatch, tiny, switch):
    at = switch(_empty_app(tmp_path, monkeypatch), "data")
    at.radio(key="data_src").set_value("Path on the server")
    at.text_input(key="data_path").input(str(tmp_path / "nowhere"))
    at.button(key="data_load").click().run()
    assert any("not found on the server" in e.value for e in at.error)
    at.text_input(key="data_path").input(str(tiny))
    at.text_input(key="data_topics").input("#latteart")
    at.button(key="data_load").click().run()
    assert not at.exception
    notes = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert notes, "the niche report is shown"


def test_insight_charts(app, switch):
    at = switch(app, "insight")
    charts = at.get("vega_lite_chart")
    assert len(charts) == 5  # distribution, communities, correlation, scatter, timeline
    at.selectbox(key="in_metric").select("followers").run()
    at.radio(key="in_freq").set_value("MS").run()
    assert not at.exception
    assert any("Spearman rank correlation over 3,000 people" in c.value for c in at.caption)
    at.toggle(key="in_top10").set_value(True).run()
    assert not at.exception
    assert any("Spearman rank correlation over 300 people" in c.value for c in at.caption)


def test_insight_backtest_panel(app, switch):
    at = switch(app, "insight")
    at.multiselect(key="in_bt_sizes").set_value([50])
    at.number_input(key="in_bt_boot").set_value(20)
    at.button(key="in_bt_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    said = " ".join(m.value for m in at.markdown)
    assert "k = 50" in said and "future relayers" in said and "best simple way" in said
    table = next(f.value for f in at.dataframe if "reached" in f.value.columns)
    names = " ".join(table["name"])
    assert len(table) >= 8 and "Set (default)" in names and "Oracle" in names and "relays received" in names
    assert len(at.get("vega_lite_chart")) >= 6  # the five charts and the backtest's


def _ranked_app(tmp_path, monkeypatch, files: dict[str, str]):
    """The app on a small graph of ``files``, loaded and ranked."""
    from graph.jobs import load_files, rank
    from graph.stores.embedded import EmbeddedStore

    folder = tmp_path / "files"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    with EmbeddedStore(tmp_path / "empty") as store:
        load_files(store, [folder], format="csv")
        rank(store)
    return _empty_app(tmp_path, monkeypatch)


def test_follows_only_data_says_no_relay_data(tmp_path, monkeypatch, switch):
    """A follows-only crawl (like SNAP ego-Twitter): relay metrics are 'no relay data', not a 50th percentile."""
    at = _ranked_app(tmp_path, monkeypatch, {k: TINY[k] for k in ("people.csv", "follows.csv")})
    assert not at.exception, [e.value for e in at.exception]
    scores = next(f.value for f in at.dataframe if "percentile" in f.value.columns)
    relay = scores[scores["metric"].isin(["relays_received", "relay_pagerank"])]
    assert len(relay) == 2 and (relay["value"] == "no relay data").all() and relay["percentile"].isna().all()
    assert scores.loc[scores["metric"] == "followers", "percentile"].notna().all()
    assert "Nobody relays" not in " ".join(c.value for c in at.caption)
    assert any(c.value == "No relay data in this graph." for c in at.caption)
    assert not any("relayed" in m.value for m in at.markdown if m.value.startswith("**Why they matter:**"))
    at = switch(at, "insight")
    assert not at.toggle(key="in_top10").disabled


def test_insight_top10_needs_follow_data(tmp_path, monkeypatch, switch):
    files = {"people.csv": TINY["people.csv"], "posts.csv": TINY["posts.csv"], "relays.csv": TINY["relays.csv"]}
    at = switch(_ranked_app(tmp_path, monkeypatch, files), "insight")
    toggle = at.toggle(key="in_top10")
    assert toggle.disabled and toggle.help == "No follow data in this graph"
