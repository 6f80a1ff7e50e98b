"""GraphML / GEXF import and export (Gephi interop)."""

from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from graph.jobs import export_graph
from graph.model import LoadError
from loaders.gephi import read_graph_file, write_graph

FIX = Path(__file__).parents[1] / "fixtures" / "gephi"


def edge_set(b):
    out = {("follows", s, t, 1) for s, t in zip(b.follows.source, b.follows.target, strict=False)}
    for kind in ("relays", "mentions"):
        df = getattr(b, kind)
        out |= {(kind, s, t, int(c)) for s, t, c in zip(df.source, df.target, df["count"], strict=False)}
    return out


def test_graphml_fixture_maps_attributes_and_edge_types():
    b = read_graph_file(FIX / "coffee.graphml", fmt="graphml")
    people = b.people.set_index("pid")
    assert people.loc["x:latteartlisa", "followers_count"] == 8800
    assert people.loc["x:latteartlisa", "topics"] == ["#latteart", "#specialtycoffee"]
    assert "x:roaster_rob" in people.index  # handle from the label
    assert "bluesky:latteartlisa.bsky.social" in people.index  # a pid as node id
    assert edge_set(b) == {
        ("follows", "x:baristabea", "x:latteartlisa", 1),
        ("follows", "x:roaster_rob", "x:latteartlisa", 1),
        ("follows", "bluesky:latteartlisa.bsky.social", "x:latteartlisa", 1),
        ("relays", "x:baristabea", "x:latteartlisa", 4),
        ("mentions", "x:latteartlisa", "x:baristabea", 2),
    }


def test_gexf_fixture_from_gephi():
    b = read_graph_file(FIX / "coffee.gexf", fmt="gexf", kind="mentions")
    people = b.people.set_index("pid")
    assert people.loc["x:latteartlisa", "name"] == "Lisa | Latte Art"  # Gephi label = display name
    assert edge_set(b) == {
        ("follows", "x:baristabea", "x:latteartlisa", 1),
        ("relays", "x:cuppingcarl", "x:latteartlisa", 3),
        ("mentions", "x:cuppingcarl", "x:baristabea", 1),  # no kind attribute: --kind
    }


@pytest.mark.parametrize("suffix", ["graphml", "gexf"])
def test_round_trip(tmp_path, suffix):
    people = pd.DataFrame(
        {
            "pid": ["x:ann", "x:bea", "bluesky:cy.bsky.social"],
            "platform": ["x", "x", "bluesky"],
            "handle": ["ann", "bea", "cy.bsky.social"],
            "name": ["Ann", None, "Cy"],
            "followers_count": pd.array([10, None, 3], dtype="Int64"),
            "topics": [["#latteart"], [], None],
            "score": [0.9, 0.5, float("nan")],
            "community": pd.array([1, 2, None], dtype="Int64"),
        }
    )
    edges = {
        "follows": pd.DataFrame({"source": ["x:bea", "x:ann"], "target": ["x:ann", "x:bea"]}),
        "relays": pd.DataFrame({"source": ["x:bea"], "target": ["x:ann"], "count": [4]}),
        "mentions": pd.DataFrame(
            {"source": ["bluesky:cy.bsky.social", "x:zed"], "target": ["x:ann", "x:ann"], "count": [2, 9]}
        ),
    }
    out = write_graph(tmp_path / f"g.{suffix}", people, edges)
    back = read_graph_file(out, fmt=suffix)
    assert edge_set(back) == {
        ("follows", "x:bea", "x:ann", 1),
        ("follows", "x:ann", "x:bea", 1),
        ("relays", "x:bea", "x:ann", 4),
        ("mentions", "bluesky:cy.bsky.social", "x:ann", 2),
    }  # x:zed is not in people: its edge is left out (subgraph export)
    p = back.people.set_index("pid")
    assert p.loc["x:ann", "name"] == "Ann" and p.loc["x:ann", "followers_count"] == 10
    assert p.loc["x:ann", "topics"] == ["#latteart"]
    G = (nx.read_graphml if suffix == "graphml" else nx.read_gexf)(out)
    assert G.nodes["x:ann"]["score"] == 0.9 and G.nodes["x:ann"]["label"] == "ann"


def test_export_from_the_store(tmp_path):
    from graph.jobs import load_files
    from graph.stores.embedded import EmbeddedStore

    with EmbeddedStore(tmp_path / "db") as store:
        load_files(store, [FIX / "coffee.graphml"])
        out = export_graph(store, tmp_path / "all.gexf")
        sub = export_graph(store, tmp_path / "sub.graphml", pids=["x:latteartlisa", "x:baristabea"])
    assert len(read_graph_file(out, fmt="gexf").people) == 4
    assert edge_set(read_graph_file(sub, fmt="graphml")) == {
        ("follows", "x:baristabea", "x:latteartlisa", 1),
        ("relays", "x:baristabea", "x:latteartlisa", 4),
        ("mentions", "x:latteartlisa", "x:baristabea", 2),
    }


def test_unknown_edge_type_is_an_error(tmp_path):
    G = nx.DiGraph()
    G.add_edge("a", "b", type="friend")
    nx.write_graphml(G, tmp_path / "g.graphml")
    with pytest.raises(LoadError, match=r"g.graphml: column 'edge 'a'->'b'.type': 'friend' is not one of"):
        read_graph_file(tmp_path / "g.graphml", fmt="graphml")


def test_malformed_xml_names_the_line(tmp_path):
    f = tmp_path / "g.graphml"
    f.write_text(
        (FIX / "coffee.graphml").read_text().replace('</node>\n    <node id="n1">', '<node id="n1">', 1)
    )
    with pytest.raises(LoadError, match=r"g.graphml:\d+: not valid GRAPHML"):
        read_graph_file(f, fmt="graphml")
