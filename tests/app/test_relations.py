"""Relationships and Listening pages, the Explore person card and the rising-voices filter."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = [("beantherecoffee", "brand", None), ("ana_beanthere", "member", "ana"), ("ben_beanthere", "member", "ben"),
        ("caro_beanthere", "member", "caro")]  # fmt: skip


@pytest.fixture
def at(data_dir):
    """The app on a store where our accounts are declared."""
    from streamlit.testing.v1 import AppTest

    from graph.jobs.relations import add_accounts
    from graph.stores.embedded import EmbeddedStore

    with EmbeddedStore(data_dir) as store:
        for handle, role, member in OURS:
            add_accounts(store, [handle], role=role, member=member)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    app.run()
    assert not app.exception, app.exception
    return app


def frame_with(at, column):
    return next(f.value for f in at.dataframe if column in f.value.columns)


def test_relationships_page_without_accounts_then_add_and_remove(app, switch):
    switch(app, "relations")
    assert app.title[0].value == "Relationships"
    assert any("No accounts of ours yet" in i.value for i in app.info)
    app.text_input(key="rl_handle").input("@beantherecoffee").run()
    app.button(key="rl_add").click().run()
    assert not app.exception
    ours = frame_with(app, "our_role")
    assert ours["handle"].tolist() == ["@beantherecoffee"] and ours["our_role"].tolist() == ["brand"]
    app.text_input(key="rl_handle").input("nobody_here").run()
    app.button(key="rl_add").click().run()
    assert any("unknown handle 'nobody_here'" in e.value for e in app.error)
    app.multiselect(key="rl_remove").select("x:beantherecoffee").run()
    app.button(key="rl_remove_btn").click().run()
    assert any("No accounts of ours yet" in i.value for i in app.info)


def test_relationships_tables(at, switch):
    switch(at, "relations")
    knows = frame_with(at, "closest_member")
    assert len(knows) == 500 and set(knows["closest_member"].dropna()) == {"ana", "ben", "caro"}
    assert knows["path"].iloc[0].startswith("@")
    intro = frame_with(at, "handle_a")
    assert len(intro) == 50 and intro["reason"].str.contains("in common").all()
    rising = frame_with(at, "excess")
    assert len(rising) >= 10 and rising["excess"].is_monotonic_decreasing


def test_listening_page(at, switch):
    switch(at, "listening")
    assert at.title[0].value == "Listening"
    figures = {m.label: int(m.value.replace(",", "")) for m in at.metric}
    assert figures["Posts about us"] >= 200 and figures["Questions"] >= 40 and figures["Detractors"] >= 3
    posts = frame_with(at, "text")
    assert len(posts) == figures["Questions"] and posts["text"].str.contains("@beantherecoffee").all()
    bad = frame_with(at, "us_negative")
    assert (bad["us_tone"] < 0).all()
    at.toggle(key="li_questions").set_value(False).run()
    assert len(frame_with(at, "text")) == figures["Posts about us"]


def test_explore_card_and_rising_filter(at):
    assert any(m.value == "**Person card**" for m in at.markdown)
    assert any(b.label == "Card (Markdown)" for b in at.get("download_button"))
    at.checkbox(key="ex_rising").check().run()
    assert not at.exception
    html = json.loads(at.get("component_instance")[0].proto.json_args)["html"]
    n = len(re.findall(r'"id": "([^"]+)"', html))
    assert 10 <= n < 200
    assert any("rising voices" in c.value for c in at.caption)
