"""Shortlist page: build (top-k and set), team split, hand edits, tracking stored in the graph."""

from __future__ import annotations


def build(at, *, method="topk", top=40, team="ana, ben", capacity=25):
    at.radio(key="sl_method").set_value(method)
    at.number_input(key="sl_top").set_value(top)
    at.text_input(key="sl_team").input(team)
    at.number_input(key="sl_capacity").set_value(capacity)
    at.button(key="sl_build").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def picks_table(at):
    return next(f.value for f in at.dataframe if "remove" in f.value.columns)


def test_prompt_before_build(app, switch):
    at = switch(app, "shortlist")
    assert any("Build shortlist" in i.value for i in at.info)


def test_topk_with_team_split(app, switch):
    at = build(switch(app, "shortlist"))
    assert not at.error
    figures = {m.label: m.value for m in at.metric}
    assert figures["Picks"] == "40"
    table = picks_table(at)
    assert len(table) == 40 and table["rank"].tolist() == list(range(1, 41))
    assert set(table["owner"]) == {"ana", "ben"}
    assert table["owner"].value_counts().max() <= 25
    summary = next(f.value for f in at.dataframe if "picks" in f.value.columns)
    assert summary["picks"].sum() == 40
    labels = {b.label for b in at.get("download_button")}
    assert {"CSV", "XLSX (sheet per member)", "GRAPHML (subgraph)", "GEXF (subgraph)"} <= labels


def test_set_method_shows_marginal_gains(app, switch):
    at = build(switch(app, "shortlist"), method="set", top=30, team="2", capacity=20)
    table = picks_table(at)
    assert len(table) == 30
    assert table["marginal_gain"].notna().all() and (table["marginal_gain"] > 0).all()
    assert table["reason"].str.len().gt(0).all()
    assert "Expected reach" in {m.label for m in at.metric}


def test_added_person_is_picked_and_capacity_error(app, switch):
    people_by_score = app.session_state["selected"]  # best score; add someone far down instead
    app.text_input(key="ex_search").input("a").run()
    options = app.selectbox(key="ex_person_a").options  # labels: "@handle"
    low = "x:" + options[-1].removeprefix("@")
    assert low != people_by_score
    app.selectbox(key="ex_person_a").select(low).run()
    app.button(key="ex_add").click().run()
    at = build(switch(app, "shortlist"), top=10, team="ana", capacity=10)
    assert low in picks_table(at).index
    at = build(at, top=30, team="ana", capacity=10)
    assert any("Could not build the shortlist" in e.value for e in at.error)


def test_record_owners_is_stored_in_the_graph(app, switch):
    at = build(switch(app, "shortlist"), top=12, team="ana, ben", capacity=6)
    at.button(key="sl_assign").click().run()
    assert not at.exception
    assert any("Saved 12 relationship(s)" in s.value for s in at.success)
    table = picks_table(at)
    assert (table["stage"] == "to contact").all()
    at = switch(at, "cypher")
    at.text_area(key="cy_query").input(
        "MATCH (p:Person) WHERE p.stage = 'to contact' RETURN p.owner AS owner, count(*) AS n ORDER BY owner"
    )
    at.text_area(key="cy_params").input("{}")
    at.button(key="cy_run").click().run()
    result = at.dataframe[0].value
    assert result.set_index("owner")["n"].to_dict() == {"ana": 6, "ben": 6}
