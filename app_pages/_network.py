"""The clickable network: pyvis draws, and a click on a person selects them.

pyvis renders vis.js inside an iframe with no way back to Python (ANCHORS #2). This
tiny Streamlit component (``network_component/index.html``, plain JavaScript, no
build step, nothing fetched from outside the app) shows the pyvis page in a child
frame, rings the selected person without redrawing, and returns ``{"pid": ..., "n": clicks}``
when a node is clicked; the count makes a second click on the same person count too.

vis-network itself is not in the page: a second component, never shown, serves pyvis's
installed copy of it (:func:`graph.views.drawing.vis_assets`) as static files, which the
page loads by a relative URL (a ``srcdoc`` frame resolves URLs against the component's
own), so the browser fetches it once and each drawing carries only its data.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit.components.v1 as components

from graph.views.drawing import vis_assets

FOLDER = Path(__file__).parent / "network_component"


def assets_url() -> str:
    """Where the network page finds vis-network (:data:`graph.views.drawing.VIS_FILES`),
    relative to the component's page; declares the serving component (call it in a script run)."""
    served = components.declare_component("vis_network", path=str(vis_assets()))
    return f"../{served.name}/"


def clickable_network(
    page: str, *, selected: str | None, height: int, key: str, on_click: Callable[[], None] | None = None
) -> dict | None:
    """Show ``page`` (from :func:`graph.views.drawing.network_html` with ``assets=assets_url()``);
    ``on_click`` runs when a node is clicked, with ``st.session_state[key]`` = ``{"pid", "n"}``."""
    # declared on each call: a declaration registers only inside a script run
    assets_url()  # the page's vis-network files, served
    component = components.declare_component("network", path=str(FOLDER))
    return component(html=page, selected=selected, height=height, key=key, on_change=on_click, default=None)
