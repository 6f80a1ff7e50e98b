"""Influence explorer: the Streamlit app (wiring only; the logic lives in ``graph/``).

Run with ``influence app`` (or ``streamlit run app.py``); the store comes from
the environment (``INFLUENCE_DATA_DIR``, ``INFLUENCE_STORE``, ``NEO4J_*``).

Pages, one per job:

* Explore (strategist): the network of the top N, ego networks, the person panel.
* Shortlist (team lead): build, edit, assign, track, export.
* Relationships: our accounts, who already knows us (warm paths), introductions, rising voices.
* Listening: topic trends, questions that mention us, detractors.
* Cypher (analyst): read-only queries with a library of examples.
* Data: load files, see the niche report, re-rank.
* Insight: distributions, metric correlations, communities, relays over time.
"""

import streamlit as st

from app_pages import _common as c
from app_pages._common import (
    counts,
    gate,
    half_loaded_warning,
    init_session,
    overview,
    sign_out_button,
    store_caption,
    store_or_stop,
    versions,
)

st.set_page_config(page_title="Influence explorer", page_icon=":material/hub:", layout="wide")
init_session()
gate()  # a login when the app listens beyond this machine (or has a password)
store_or_stop()  # one line, not a traceback, for a wrong password or a server down

nav = st.navigation(
    [
        st.Page("app_pages/explore.py", title="Explore", icon=":material/hub:", default=True),
        st.Page("app_pages/shortlist.py", title="Shortlist", icon=":material/checklist:"),
        st.Page("app_pages/relations.py", title="Relationships", icon=":material/handshake:"),
        st.Page("app_pages/listening.py", title="Listening", icon=":material/hearing:"),
        st.Page("app_pages/cypher.py", title="Cypher", icon=":material/terminal:"),
        st.Page("app_pages/data.py", title="Data", icon=":material/upload:"),
        st.Page("app_pages/insight.py", title="Insight", icon=":material/insights:"),
    ]
)

with st.sidebar:
    st.caption(f"**Store:** {store_caption()}")
    st.caption(" · ".join(f"{v:,} {k.lower()}" for k, v in overview(counts(versions())).items()))
    if ranked := c.saved_list(versions()).shape[0]:
        st.caption(f"Shortlist: {ranked:,} people")
    half_loaded_warning()
    sign_out_button()

nav.run()
