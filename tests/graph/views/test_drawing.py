"""The network page: vis-network inlined (self-contained) or loaded from the app (each
drawing then carries only its data)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from graph.views.drawing import VIS_FILES, network_html, vis_assets

PEOPLE = pd.DataFrame({"pid": [f"x:{i}" for i in range(30)], "handle": [f"h{i}" for i in range(30)],
                       "score": [float(i) for i in range(30)], "community": [i % 3 for i in range(30)]})  # fmt: skip
EDGES = pd.DataFrame({"source": [f"x:{i}" for i in range(29)], "target": [f"x:{i + 1}" for i in range(29)],
                      "kind": ["follows", "relays"] * 14 + ["follows"], "weight": [1.0] * 29})  # fmt: skip


def _chunks() -> list[str]:
    """A stretch from the middle of each vis-network file (what an inlined page contains)."""
    texts = [(vis_assets() / name).read_text(encoding="utf-8") for name in VIS_FILES]
    return [t[len(t) // 2 : len(t) // 2 + 300] for t in texts]


def _data(page: str) -> tuple:
    """The drawing's data: node and edge records, and the options."""
    return tuple(
        re.search(rf"{name} = new vis.DataSet\((.*?)\);", page, re.S).group(1) for name in ("nodes", "edges")
    )


def test_served_page_loads_vis_from_the_app_and_carries_only_data():
    inline = network_html(PEOPLE, EDGES, clickable=True)
    served = network_html(PEOPLE, EDGES, clickable=True, assets="../app_pages._network.vis_network/")
    assert all(chunk in inline for chunk in _chunks())
    assert not any(chunk in served for chunk in _chunks())  # no vis-network source in the drawing
    assert len(inline) - len(served) > 600_000 and len(served) < 100_000
    assert _data(served) == _data(inline)  # the same drawing
    assert served.count('<script src="../app_pages._network.vis_network/vis-network.min.js"></script>') == 1
    assert (
        served.count('<link rel="stylesheet" href="../app_pages._network.vis_network/vis-network.css" />')
        == 1
    )
    fetched = re.findall(r'(?:src|href)="([^"]+)"', re.sub(r"<!--.*?-->", "", served, flags=re.S))
    assert len(fetched) == 2 and all(url.startswith("../app_pages._network.vis_network/") for url in fetched)
    assert "http" not in " ".join(fetched) and "cdnjs" not in served and "bootstrap" not in served


@pytest.mark.parametrize("assets", [None, "../vis/"])
def test_both_pages_keep_the_click_and_ring_script(assets):
    page = network_html(PEOPLE, EDGES, highlight=["x:3"], assets=assets)
    assert 'influenceSelect(["x:3"])' in page and "influence:click" in page and 'id="legend"' in page


def test_follows_take_the_default_edge_style_and_others_their_own():
    """A follow carries no style of its own (the page's edge options hold it: thousands of
    follows per drawing would otherwise repeat it); relays keep colour, width and title."""
    import json

    from graph.views.drawing import EDGE_STYLE

    page = network_html(PEOPLE, EDGES, assets="../vis/")
    edges = json.loads(_data(page)[1])
    follows = [e for e in edges if "title" not in e]
    relays = [e for e in edges if "title" in e]
    assert len(follows) == 15 and len(relays) == 14
    assert all(set(e) == {"from", "to"} for e in follows)
    assert all(e["color"] == EDGE_STYLE["relays"]["color"] and e["title"] == "relays ×1" for e in relays)
    options = json.loads(re.search(r"options = (\{.*?\});\n", page, re.S).group(1))
    assert options["edges"]["color"] == EDGE_STYLE["follows"]["color"] and options["edges"]["width"] >= 0.6
