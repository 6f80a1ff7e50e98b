"""The clickable network: pyvis draws, and a click on a person selects them.

pyvis renders vis.js inside an iframe with no way back to Python (ANCHORS #2). This
tiny Streamlit component (``network_component/index.html``, plain JavaScript, no
build step, nothing fetched) shows the same self-contained page, rings the selected
person without redrawing, and returns ``{"pid": ..., "n": clicks}`` when a node is
clicked; the count makes a second click on the same person count too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit.components.v1 as components

FOLDER = Path(__file__).parent / "network_component"


def clickable_network(
    page: str, *, selected: str | None, height: int, key: str, on_click: Callable[[], None] | None = None
) -> dict | None:
    """Show ``page`` (from :func:`graph.views.drawing.network_html`); ``on_click`` runs
    when a node is clicked, with ``st.session_state[key]`` = ``{"pid", "n"}``."""
    # declared on each call: a declaration registers only inside a script run
    component = components.declare_component("network", path=str(FOLDER))
    return component(html=page, selected=selected, height=height, key=key, on_change=on_click, default=None)
