"""Shortlist page: one shared list kept in the graph — build, edit, lock, remove, restore,
stale view, team split and exports; the same list as the CLI and across sessions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import streamlit as st

ROOT = Path(__file__).resolve().parents[2]


def build(at, *, method="topk", top=40, team="ana, ben", capacity=25, maxpc=0):
    at.radio(key="sl_method").set_value(method)
    at.number_input(key="sl_top").set_value(top)
    at.text_input(key="sl_team").input(team)
    at.number_input(key="sl_capacity").set_value(capacity)
    at.number_input(key="sl_maxpc").set_value(maxpc)
    at.button(key="sl_build").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def picks_table(at):
    return next(f.value for f in at.dataframe if "remove" in f.value.columns)


def stored(data_dir):
    """The saved list as another process would read it."""
    from graph.jobs import saved_shortlist
    from graph.stores.embedded import EmbeddedStore

    st.cache_resource.clear()  # the app's store handle
    with EmbeddedStore(data_dir) as store:
        return saved_shortlist(store)


def cli(data_dir, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    st.cache_resource.clear()
    p = subprocess.run([sys.executable, "-m", "graph", "--data-dir", str(data_dir), *args],
                       capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)  # fmt: skip
    assert p.returncode == 0, p.stderr
    return p


def test_prompt_before_build(app, switch):
    at = switch(app, "shortlist")
    assert any("No shortlist yet" in i.value for i in at.info)


def test_topk_with_team_split_is_saved(app, switch, data_dir):
    at = build(switch(app, "shortlist"))
    assert not at.error
    figures = {m.label: m.value for m in at.metric}
    assert figures["People"] == "40" and figures["Owners"] == "2"
    table = picks_table(at)
    assert len(table) == 40 and table["rank"].tolist() == list(range(1, 41))
    assert set(table["owner"]) == {"ana", "ben"} and table["owner"].value_counts().max() <= 25
    assert (table["why"].str.len() > 0).all() and table[["owner", "notes"]].notna().all().all()
    summary = next(f.value for f in at.dataframe if "People" in f.value.columns)
    assert summary["People"].sum() == 40
    labels = {b.label for b in at.get("download_button")}
    assert {"CSV", "XLSX (a sheet per owner)", "GRAPHML (the list's network)", "GEXF (the list's network)"} <= labels
    assert stored(data_dir)["pid"].tolist() == table.index.tolist()


def test_set_method_shows_reach_gains(app, switch):
    at = build(switch(app, "shortlist"), method="set", top=30, team="2", capacity=20)
    table = picks_table(at)
    assert len(table) == 30 and table["gain"].notna().all() and (table["gain"] > 0).all()


def test_added_person_is_kept_and_capacity_error(app, switch, data_dir):
    app.text_input(key="ex_search").input("a").run()
    low = app.selectbox(key="ex_person").options[-1]  # labels: "@handle — Name"; the last match scores lowest
    low = "x:" + low.split(" — ")[0].removeprefix("@")
    app.selectbox(key="ex_person").select(low).run()
    assert app.session_state["selected"] == low
    app.button(key="ex_add").click().run()
    assert not app.exception
    at = build(switch(app, "shortlist"), top=10, team="ana", capacity=10)
    table = picks_table(at)
    assert low in table.index and bool(table.loc[low, "locked"])
    assert table.index[-1] == low  # a hand-added person ranks by what they add, not first
    at = build(at, top=30, team="ana", capacity=10)
    assert any("Could not build the shortlist" in e.value for e in at.error)


def test_edits_persist_for_everyone_and_in_exports(app, switch, data_dir, tmp_path):
    at = build(switch(app, "shortlist"), top=20, team="ana, ben, caro", capacity=10)
    key = f"sl_editor_{at.session_state['editor_round']}"
    table = picks_table(at)
    first, second, third = table.index[:3]
    at.session_state[key] = {"edited_rows": {0: {"owner": "dan", "stage": "engaged"}, 1: {"remove": True},
                                             2: {"locked": True}},
                             "added_rows": [], "deleted_rows": []}  # fmt: skip
    at.button(key="sl_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Saved" in i.value and "removed 1" in i.value for i in at.info)
    after = picks_table(at)
    assert after.loc[first, "owner"] == "dan" and second not in after.index and bool(after.loc[third, "locked"])
    assert after.index.tolist() == [p for p in table.index if p != second]  # taken off, nothing rebuilt
    team = next(f.value for f in at.dataframe if "Owner" in f.value.columns and "People" in f.value.columns)
    assert {"Largest community", "Average score"} <= set(team.columns)  # plain words, not largest_community
    assert not [c for c in team.columns if "_" in c]
    # another process (the CLI) reads the same list and exports it with the edits
    out = tmp_path / "list.csv"
    shown = cli(data_dir, "shortlist", "--show", "--out", str(out)).stdout
    assert "dan" in shown and second.split(":", 1)[1] not in shown
    csv = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)
    assert csv.loc[csv["Handle"] == first.split(":", 1)[1], "Owner"].tolist() == ["dan"]
    assert len(csv) == 19
    xlsx = tmp_path / "list.xlsx"
    cli(data_dir, "shortlist", "--show", "--out", str(xlsx))
    assert "dan" in pd.ExcelFile(xlsx).sheet_names
    # a rebuild keeps the lock and dan's ownership, and keeps the removed person off
    cli(data_dir, "shortlist", "--no-check", "--top", "20", "--method", "topk", "--team", "ana,ben,caro", "--capacity", "10")
    again = stored(data_dir).set_index("pid")
    assert again.loc[first, "owner"] == "dan" and bool(again.loc[third, "locked"]) and second not in again.index
    # a new session sees the same list
    from streamlit.testing.v1 import AppTest

    fresh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    fresh.run()
    fresh.switch_page("app_pages/shortlist.py").run()
    assert picks_table(fresh).index.tolist() == again.index.tolist()


def test_app_and_cli_build_the_same_list(app, switch, data_dir):
    at = build(switch(app, "shortlist"), method="set", top=25, team="ana, ben", capacity=20, maxpc=8)
    from_app = picks_table(at).index.tolist()
    cli(data_dir, "shortlist", "--no-check", "--top", "25", "--method", "set", "--team", "ana,ben", "--capacity", "20",
        "--max-per-community", "8")  # fmt: skip
    assert stored(data_dir)["pid"].tolist() == from_app


def test_restore_and_stale_view(app, switch, data_dir):
    at = build(switch(app, "shortlist"), top=8, team="ana", capacity=10)
    victim = picks_table(at).index[0]
    cli(data_dir, "track", victim, "--remove", "--by", "ana")
    cli(data_dir, "track", picks_table(at).index[1], "--last-contact", "today")
    at = switch(at, "shortlist")
    assert victim not in picks_table(at).index
    stale = next(f.value for f in at.dataframe if "days since" in f.value.columns)
    assert len(stale) == 6  # 7 left, one contacted today
    at.multiselect(key="sl_restore").select(victim).run()
    at.button(key="sl_restore_go").click().run()
    assert victim in picks_table(at).index


def test_the_list_fits_a_laptop_and_shows_no_none(app, switch):
    """Every header fits its column, the controls up to Remove fit the table at 1400 px,
    and empty cells are blank (the browser test measures the same on the page)."""
    import json

    from graph.views.columns import LIST_COLUMNS, TABLE_WIDTH_AT_1400, header_fits, right_edge

    at = build(switch(app, "shortlist"), top=20)
    grid = next(f for f in at.dataframe if "remove" in f.value.columns)
    config = json.loads(grid.proto.columns)
    assert list(picks_table(at).columns) == list(LIST_COLUMNS)
    for key, col in LIST_COLUMNS.items():
        assert config[key]["label"] == col.header and config[key]["width"] == col.width, key
        assert header_fits(col), f"{col.header!r} is cut at {col.width}px"
    assert right_edge(LIST_COLUMNS, "remove") <= TABLE_WIDTH_AT_1400
    assert grid.proto.placeholder == ""  # empty cells are blank, not "None"


def test_methods_are_named_in_plain_words(app, switch):
    at = switch(app, "shortlist")
    words = " ".join(at.radio(key="sl_method").options)
    assert "RIS" not in words and "CELF" not in words and "each pick adds the most people" in words


def test_add_a_person_lists_names(app, switch):
    at = switch(app, "shortlist")
    at.text_input(key="sl_search").input("kofi").run()
    options = at.selectbox(key="sl_match_kofi").options
    assert options and all(o.startswith("@") and " — " in o for o in options)


def test_does_it_work_tab_backtests_the_saved_lists_method(app, switch):
    """Issue #10: the Shortlist page says how the list's method did on the graph's own
    history against the strongest simple baseline, with a chart and the table."""
    at = build(switch(app, "shortlist"), method="topk", top=40, team="ana", capacity=40)
    at.button(key="sl_check").click().run(timeout=600)
    assert not at.exception, [e.value for e in at.exception]
    said = " ".join(m.value for m in at.markdown)
    assert "**topk** reached" in said and "than the best simple way" in said, said
    table = next(f.value for f in at.dataframe if "reached" in f.value.columns)
    assert {"top by relays received", "top by distinct relayers"} <= {n.split(": ")[-1] for n in table["name"]}
    assert (table["reached"] >= 0).all() and len(table) >= 5
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
