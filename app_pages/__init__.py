"""The app's pages, run by ``st.navigation`` in ``app.py``.

Not called ``pages/``: Streamlit treats a ``pages/`` folder next to the main script as a
version-1 multipage app until ``st.navigation`` has run once in the process, so a deep
link (``/shortlist``) on a fresh server would run the page without ``app.py``.
"""
