"""Explore page: overview figures, the network of the top N, the cap, filters, ego network, person panel."""

from __future__ import annotations

import re

import pandas as pd


def network_html(at) -> str:
    frames = at.get("iframe")
    assert frames, "no network drawn"
    return frames[0].proto.srcdoc


def drawn_ids(html: str) -> list[str]:
    return re.findall(r'"id": "([^"]+)"', html)


def caption_text(at) -> str:
    return "\n".join(c.value for c in at.caption)


def test_overview_and_top_200(app):
    assert app.title[0].value == "Explore"
    figures = {m.label: m.value for m in app.metric}
    assert figures["People"] == "3,000"
    assert figures["Follows"].replace(",", "").isdigit() and int(figures["Follows"].replace(",", "")) > 50_000
    assert figures["Store"] == "embedded"
    html = network_html(app)
    assert len(drawn_ids(html)) == 200
    assert '"physics": {"enabled": false' in html  # positions precomputed, physics off
    assert "vis.Network" in html and "cdn.jsdelivr" not in html  # vis.js inlined, works offline
    assert "top 200 by score: 200 people" in caption_text(app)


def test_hard_cap_with_message(app):
    app.slider(key="ex_n").set_value(2000).run()
    assert not app.exception
    assert any("Drawing 1,000, not 2,000" in i.value for i in app.info)
    assert len(drawn_ids(network_html(app))) == 1000


def test_filter_by_community_and_metric(app):
    comm = app.multiselect(key="ex_comms").options[0]
    app.multiselect(key="ex_comms").select(comm).run()
    app.selectbox(key="ex_metric").select("pagerank").run()
    assert not app.exception
    ids = drawn_ids(network_html(app))
    assert 0 < len(ids) <= 200
    app.slider(key="ex_pct").set_value((90, 100)).run()
    narrower = drawn_ids(network_html(app))
    assert 0 < len(narrower) < len(ids)


def test_search_ego_network_and_add_to_shortlist(app, data_dir):
    top_pid = app.session_state["selected"]
    handle = top_pid.split(":", 1)[1]
    app.text_input(key="ex_search").input(handle[:5]).run()
    box = app.selectbox(key=f"ex_person_{handle[:5]}")
    assert f"@{handle}" in box.options
    assert app.subheader[0].value == f"@{handle}"
    app.radio(key="ex_mode").set_value("Ego network").run()
    assert not app.exception
    assert f"ego network of @{handle} (1 hop)" in caption_text(app)
    ego = drawn_ids(network_html(app))
    assert ego[0] == top_pid and 1 < len(ego) <= 200
    app.radio(key="ex_hops").set_value(2).run()
    assert len(drawn_ids(network_html(app))) >= len(ego)
    app.button(key="ex_add").click().run()
    assert not app.exception
    assert app.button(key="ex_add").label == "Added ✓"
    import streamlit as st

    from graph.jobs import saved_shortlist
    from graph.stores.embedded import EmbeddedStore

    st.cache_resource.clear()  # close the app's store handle; this process opens it again
    with EmbeddedStore(data_dir) as store:
        on = saved_shortlist(store)
    assert on["pid"].tolist() == [top_pid] and bool(on["locked"].iloc[0])


def test_person_panel(app):
    frames = app.dataframe
    scores = next(f.value for f in frames if "percentile" in f.value.columns)
    assert {"score", "followers", "pagerank"} <= set(scores["metric"])
    assert scores["percentile"].between(0, 100).all()
    relayers = next(f.value for f in frames if "relays" in f.value.columns and "handle" in f.value.columns)
    assert isinstance(relayers, pd.DataFrame) and len(relayers) > 0
    assert relayers["relays"].is_monotonic_decreasing
