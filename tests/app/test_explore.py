"""Explore page: overview figures, the network of the top N, the cap, filters, search, ego network,
the legend, the person panel."""

from __future__ import annotations

import json
import re

import pandas as pd


def network_args(at) -> dict:
    """The clickable network's arguments: ``html`` (the pyvis page), ``selected``, ``height``."""
    frames = at.get("component_instance")
    assert frames, "no network drawn"
    return json.loads(frames[0].proto.json_args)


def network_html(at) -> str:
    return network_args(at)["html"]


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
    assert "vis.Network" in html and "cdn.jsdelivr" not in html and "cdnjs" not in html  # nothing from outside
    assert "top 200 by score: 200 people" in caption_text(app)


def test_each_drawing_carries_its_data_not_vis_js(app):
    """Issue #14: vis-network is served by the app (once per browser tab), not inlined in each drawing."""
    from graph.views.drawing import VIS_FILES, vis_assets

    html = network_html(app)
    for name in VIS_FILES:
        source = (vis_assets() / name).read_text(encoding="utf-8")
        assert source[len(source) // 2 :][:300] not in html, name
        assert f'"../app_pages._network.vis_network/{name}"' in html  # next to the component's own page
    assert len(html.encode()) < 600_000  # 200 people; with vis-network inlined it was over 1 MB
    app.slider(key="ex_n").set_value(1000).run()
    assert len(drawn_ids(network_html(app))) == 1000 and len(network_html(app).encode()) < 2_000_000


def test_slider_goes_as_far_as_what_is_drawn(app):
    slider = app.slider(key="ex_n")
    assert slider.max == 1000 and "At most 1,000" in slider.help
    slider.set_value(1000).run()
    assert not app.exception and not any("Drawing" in i.value for i in app.info)
    assert len(drawn_ids(network_html(app))) == 1000
    assert "top 1,000 by score: 1,000 people" in caption_text(app)


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


def test_search_enter_selects_the_best_match(app):
    first = app.session_state["selected"]
    app.text_input(key="ex_search").input("kofi").run()  # Enter
    assert not app.exception
    box = app.selectbox(key="ex_person")
    best = box.options[0]
    assert best.startswith("@") and " — " in best and "kofi" in best.lower()  # "@handle — Name"
    assert box.value == app.session_state["selected"] != first  # the best match is first and selected
    assert app.subheader[0].value == best.split(" — ")[0]
    assert network_args(app)["selected"] == app.session_state["selected"]  # ringed in the network
    handle_only = app.session_state["selected"].split(":", 1)[1]
    app.text_input(key="ex_search").input(handle_only).run()
    assert app.session_state["selected"] == f"x:{handle_only}"  # an exact handle wins


def test_search_miss_says_nobody_matches(app):
    before = app.session_state["selected"]
    app.text_input(key="ex_search").input("zzzqqq").run()
    assert not app.exception
    assert [w.value for w in app.warning] == ["Nobody matches 'zzzqqq'."]
    assert app.session_state["selected"] == before and app.selectbox(key="ex_person").value is not None


def test_search_ego_network_and_add_to_shortlist(app, data_dir):
    top_pid = app.session_state["selected"]
    handle = top_pid.split(":", 1)[1]
    app.text_input(key="ex_search").input(handle[:5]).run()
    assert app.session_state["selected"] == top_pid
    assert app.subheader[0].value == f"@{handle}"
    app.radio(key="ex_mode").set_value("Ego network").run()
    assert not app.exception
    assert f"ego network of @{handle}" in caption_text(app) and "(1 hop)" in caption_text(app)
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


def test_a_cut_ego_network_says_so(app):
    app.radio(key="ex_mode").set_value("Ego network").run()
    app.radio(key="ex_hops").set_value(2).run()
    app.slider(key="ex_n").set_value(50).run()
    assert not app.exception
    text = caption_text(app)
    m = re.search(r"showing the 50 most relevant \(by score\) of ([\d,]+) people", text)
    assert m and int(m.group(1).replace(",", "")) > 50, text
    assert len(drawn_ids(network_html(app))) == 50


def test_legend_and_colours(app):
    html = network_html(app)
    assert 'id="legend"' in html and "black ring: the selected person" in html
    assert "relays (thicker: more)" in html and "click a person to select them" in html
    assert re.search(r"#\w+ · [\d,]+ people", html)  # communities by name, with their size
    assert "#e15759" not in html and "#d62728" not in html  # no community is red (red = relays)
    app.selectbox(key="ex_color").select("pagerank").run()
    assert "colour: pagerank (low → high)" in network_html(app)


def test_person_panel(app):
    assert any(m.value.startswith("**Why they matter:** relayed ") for m in app.markdown)
    frames = app.dataframe
    scores = next(f.value for f in frames if "percentile" in f.value.columns)
    assert {"score", "followers", "pagerank", "relays_received"} <= set(scores["metric"])
    assert scores["percentile"].between(0, 100).all() and "no " not in " ".join(scores["value"])  # all have data
    relayers = next(f.value for f in frames if "relays" in f.value.columns and "handle" in f.value.columns)
    assert isinstance(relayers, pd.DataFrame) and len(relayers) > 0
    assert relayers["relays"].is_monotonic_decreasing
