"""Gephi-era graph files (issue #13 items 3, 7, 8): counts against independent parses
(ElementTree, plain text, openpyxl) — not against NetworkX, which the loaders use."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl

from loaders.registry import read_paths

FIX = Path(__file__).parents[1] / "fixtures" / "gephi_real"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


def pairs(df):
    return list(zip(df.source, df.target, strict=True))


def test_undirected_graphml_listing_each_edge_both_ways_loses_nothing():
    root = ET.parse(FIX / "polblogs_top40_undirected.graphml").getroot()
    label = {
        n.get("id"): n.find(f"{GRAPHML}data[@key='label']").text.lower() for n in root.iter(f"{GRAPHML}node")
    }
    listed = [
        (f"x:{label[e.get('source')]}", f"x:{label[e.get('target')]}") for e in root.iter(f"{GRAPHML}edge")
    ]
    both_ways = {(a, b) for a, b in listed if (b, a) in set(listed)}
    assert both_ways  # the case that used to lose the reverse direction
    b = read_paths([FIX / "polblogs_top40_undirected.graphml"])
    assert sorted(pairs(b.follows)) == sorted(set(listed))
    assert any("undirected" in n and "as listed" in n for n in b.notes)


def test_gml_with_exact_counts_and_party_kept():
    text = (FIX / "polblogs_top40.gml").read_text()
    nodes = re.findall(r'node \[\s+id (\d+)\s+label "([^"]+)"\s+value (\d+)', text)
    edges = re.findall(r"edge \[\s+source (\d+)\s+target (\d+)", text)
    label = {i: f"x:{name.lower()}" for i, name, _ in nodes}
    b = read_paths([FIX / "polblogs_top40.gml"])
    assert sorted(pairs(b.follows)) == sorted({(label[s], label[t]) for s, t in edges if s != t})
    extra = b.people.set_index("pid")["extra"]
    assert {label[i]: int(v) for i, _, v in nodes} == {p: e["value"] for p, e in extra.items()}


def test_pajek_with_exact_counts():
    lines = (FIX / "karate.net").read_text().splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.lower().startswith("*edges"))
    listed = [tuple(ln.split()[:2]) for ln in lines[start + 1 :] if ln.strip()]
    b = read_paths([FIX / "karate.net"])
    assert sorted(pairs(b.follows)) == sorted((f"x:{a}", f"x:{b_}") for a, b_ in listed)
    assert len(b.people) == int(lines[0].split()[1])


def test_gdf_with_exact_counts_and_attributes():
    text = (FIX / "gephi_doc_example.gdf").read_text().splitlines()
    edge_at = next(i for i, ln in enumerate(text) if ln.startswith("edgedef>"))
    edges = [tuple(ln.split(",")[:2]) for ln in text[edge_at + 1 :]]
    nodes = {ln.split(",")[0]: ln.split(",")[1:3] for ln in text[1:edge_at]}
    b = read_paths([FIX / "gephi_doc_example.gdf"])
    labels = {k: f"x:{v[0].lower()}" for k, v in nodes.items()}
    assert sorted(pairs(b.follows)) == sorted((labels[a], labels[c]) for a, c in edges)
    assert {p: e["class"] for p, e in b.people.set_index("pid")["extra"].items()} == {
        labels[k]: v[1] for k, v in nodes.items()
    }


def test_nodexl_workbook_with_exact_counts():
    wb = openpyxl.load_workbook(FIX / "nodexl_teaching_abcd.xlsx", read_only=True, data_only=True)
    rows = list(wb["Edges"].iter_rows(values_only=True))[2:]
    listed = {(f"x:{a.lower()}", f"x:{c.lower()}") for a, c, *_ in rows if a and c}
    vertices = {r[0] for r in list(wb["Vertices"].iter_rows(values_only=True))[2:] if r[0]}
    wb.close()
    b = read_paths([FIX / "nodexl_teaching_abcd.xlsx"])
    assert sorted(pairs(b.follows)) == sorted((a, c) for a, c in listed if a != c)
    assert {f"x:{v.lower()}" for v in vertices} <= set(b.people.pid)
    assert any("PageRank" in n for n in b.notes)  # metrics are dropped, and said so


def test_gexf_13_from_gephi_09_reads_like_12():
    new = read_paths([FIX / "twitter_country_gexf13.gexf"])
    old = read_paths([FIX / "twitter_country.gexf"])
    assert sorted(pairs(new.follows)) == sorted(pairs(old.follows))
    root = ET.parse(FIX / "twitter_country_gexf13.gexf").getroot()
    ns = "{http://www.gexf.net/1.3}"
    listed = {
        (e.get("source"), e.get("target"))
        for e in root.iter(f"{ns}edge")
        if e.get("source") != e.get("target")
    }
    assert sorted(pairs(new.follows)) == sorted((f"x:{a}", f"x:{c}") for a, c in listed)
    country = {
        n.get("id"): n.find(f"{ns}attvalues/{ns}attvalue").get("value") for n in root.iter(f"{ns}node")
    }
    assert {p: e["country"] for p, e in new.people.set_index("pid")["extra"].items()} == {
        f"x:{k}": v for k, v in country.items()
    }


def test_yed_blank_labels_are_keyed_by_node_id():
    root = ET.parse(FIX / "yed_items05.graphml").getroot()
    y = "{http://www.yworks.com/xml/graphml}"
    blank = [
        n.get("id")
        for n in root.iter(f"{GRAPHML}node")
        if not (n.find(f".//{y}NodeLabel").text or "").strip()
    ]
    assert blank
    b = read_paths([FIX / "yed_items05.graphml"])
    assert {f"x:{i}" for i in blank} <= set(b.people.pid)
    assert len(b.people) == len(list(root.iter(f"{GRAPHML}node")))
    assert len(b.follows) == len(list(root.iter(f"{GRAPHML}edge")))
