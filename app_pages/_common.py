"""What every page shares: the store, data versions, cached tables, the write lock.

The store is one per process (``st.cache_resource``): the embedded store
allows a single read-write process, and this app is it. Tables computed from
the store are cached across sessions and keyed by a *data version* that this
process bumps after each write (load, rank, tracking), so a rerun never
re-reads or recomputes anything. A shared Neo4j is also written by others (the
CLI, a teammate's app): its ``data_stamp`` (counts and the last write) is read at
most every few seconds and is part of the version, so their changes show up
without a restart. Writes from every session go through one
process-wide lock (and the store's own write lock): they are serialised.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

import numpy as np
import pandas as pd
import streamlit as st

from graph import access
from graph.errors import InfluenceError
from graph.model import METRICS, EdgeArrays
from graph.settings import Settings
from graph.stores.base import Store
from graph.stores.connect import open_store

SESSION_DEFAULTS: dict[str, object] = {
    "sl_params": None,  # last submitted shortlist parameters
    "selected": None,  # the person the panel shows
    "load_report": None,  # notes of the last load (niche report)
    "editor_round": 0,  # bumps to reset data editors after a save
    "signed_in": False,  # passed the login (or no login is needed: local, no password)
}


def init_session() -> None:
    """Session keys, set once."""
    for key, value in SESSION_DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = value.copy() if isinstance(value, list) else value


# -- the store ---------------------------------------------------------------------------
def settings() -> Settings:
    return Settings.from_env()


def _key(s: Settings) -> str:
    """The store's identity (cache key); the URI is hashed, never kept in clear."""
    import hashlib

    uri = hashlib.sha256(s.neo4j_uri.encode()).hexdigest()[:16] if s.neo4j_uri else ""
    return f"{s.kind}|{s.data_dir}|{uri}|{s.neo4j_database}|{s.neo4j_username}"


# -- who may use the app ---------------------------------------------------------------------
_LOGIN_LOCK = threading.Lock()  # one password check at a time, process-wide


def server_address(s: Settings) -> str | None:
    """The address this server listens on; None means every interface (Streamlit's
    default when no address is set). AppTest has no socket: the setting applies."""
    from streamlit import config  # AppTest patches config.get_option, not st.get_option

    address = config.get_option("server.address")
    if address:
        return str(address)
    return s.app_address if config.get_option("global.appTest") else None


def gate() -> None:
    """Stop the page unless this session may use the app: an app that listens beyond
    this machine needs a password (else it serves nothing); with a password set, every
    session signs in first. Without one, on 127.0.0.1, the local user is trusted."""
    try:
        s = settings()
    except InfluenceError as exc:
        st.error(f"Settings: {exc}")
        st.stop()
    refusal = access.exposure_refusal(server_address(s), s.app_password)
    if refusal:
        st.error(f"This app serves nothing: {refusal}.")
        st.stop()
    if not s.app_password:
        st.session_state["signed_in"] = True
        return
    if st.session_state["signed_in"]:
        return
    st.title("Influence explorer")
    with st.form("login_form"):
        given = st.text_input("Password", type="password", key="login_password")
        submitted = st.form_submit_button("Sign in", type="primary", key="login_submit")
    if submitted:
        with _LOGIN_LOCK:
            ok = access.password_matches(given, s.app_password)
            if not ok:
                time.sleep(1.0)  # slows guessing, for every session at once
        if ok:
            st.session_state["signed_in"] = True
            st.rerun()
        st.error("Wrong password.")
    st.stop()


def signed_in() -> bool:
    """Whether this session may change or delete data (and load server paths)."""
    return bool(st.session_state.get("signed_in"))


def sign_out_button() -> None:
    if settings().app_password and signed_in() and st.button("Sign out", key="sign_out"):
        st.session_state["signed_in"] = False
        st.rerun()


def store_or_stop() -> Store:
    """The store, or one error line (a wrong Neo4j password, a server down) and stop."""
    try:
        return store()
    except InfluenceError as exc:
        st.error(f"Cannot open the graph: {exc}")
        st.stop()


def half_loaded_warning() -> None:
    """One line when the graph holds a load that stopped midway (Neo4j)."""
    from graph.jobs import half_loaded

    try:
        line = half_loaded(store())
    except InfluenceError:
        return
    if line:
        st.warning(line[:1].upper() + line[1:], icon=":material/warning:")


def _release(store: Store) -> None:
    store.close()


@st.cache_resource(show_spinner="Opening the graph…", max_entries=2, on_release=_release)
def _open(key: str) -> Store:
    return open_store(settings())


def store() -> Store:
    return _open(_key(settings()))


@st.cache_resource
def _state() -> dict:
    return {"graph": 0, "tracking": 0, "lock": threading.Lock()}


@st.cache_data(ttl=5, show_spinner=False)
def _external(key: str) -> tuple | None:
    """What other processes changed: ``(structure, writes)`` or None (see ``Store.data_stamp``)."""
    return store().data_stamp()


def versions() -> tuple:
    """(store key, graph version, tracking version): the cache key of every table. Each
    version is this process's counter and, on a shared store, what others changed."""
    s, key = _state(), _key(settings())
    structure, writes = _external(key) or (None, None)
    return (key, (s["graph"], structure), (s["tracking"], writes))


def graph_version() -> tuple:
    """The part of :func:`versions` that ranking and edges depend on."""
    return versions()[:2]


def bump(what: str = "graph") -> None:
    """Mark the data changed (``graph``: load/rank; ``tracking``: owners, stages…)."""
    _state()[what] += 1
    _external.clear()  # our own write changed the stamp too: read it now, not in a few seconds


@contextmanager
def write_lock(timeout: float = 60.0):
    """Serialise writes across sessions; say so when another one is running."""
    lock = _state()["lock"]
    if not lock.acquire(timeout=timeout):
        st.error("Another session is writing to the graph (load, rank or tracking); try again in a moment.")
        st.stop()
    try:
        yield
    finally:
        lock.release()


# -- cached tables -------------------------------------------------------------------------
@st.cache_data(max_entries=4, show_spinner=False)
def counts(version: tuple) -> dict[str, int]:
    return store().counts()


@st.cache_resource(max_entries=2, show_spinner="Reading people and scores…")
def people(version: tuple) -> pd.DataFrame:
    """Everyone with scores, percentiles and tracking, best first. Read-only: copy before changing."""
    from graph.jobs import scored_people

    p = scored_people(store())
    if "score" in p and "pct_score" not in p and p["score"].notna().any():
        p["pct_score"] = p["score"].rank(pct=True) * 100
    return p


@st.cache_resource(max_entries=2, show_spinner="Reading the graph…")
def edges(version: tuple) -> dict[str, EdgeArrays]:
    """Every edge kind as arrays over one node index."""
    s = store()
    return {k: s.edge_arrays(k) for k in ("follows", "relays", "mentions")}


@st.cache_resource(max_entries=2, show_spinner=False)
def priority(version: tuple, metric: str) -> np.ndarray:
    """``metric`` aligned with the edge arrays' nodes (for ego networks)."""
    p = people(version)
    nodes = edges(version[:2])["follows"].nodes
    return pd.Series(p[metric].to_numpy(dtype=float), index=p["pid"]).reindex(nodes).to_numpy()


@st.cache_data(max_entries=2, show_spinner=False)
def brokers(version: tuple) -> set[str]:
    from graph.views.people import broker_pids

    return broker_pids(people(version), edges(version[:2])["follows"])


@st.cache_data(max_entries=2, show_spinner=False)
def community_labels(version: tuple) -> dict[int, str]:
    p = people(version)
    if "community" not in p or p["community"].isna().all() or "topics" not in p:
        return {}
    try:
        from graph.shortlist.explain import name_communities

        labels = name_communities(p.dropna(subset=["community"]))
    except Exception:  # labels are a nicety; never break a page for them
        return {}
    return {c: text for c, text in labels.items() if text != f"community {c}"}  # only real names


@st.cache_data(max_entries=2, show_spinner=False)
def hashtags(version: tuple, top: int = 300) -> list[str]:
    """The most used topics, most used first."""
    p = people(version)
    if "topics" not in p:
        return []
    tags = p["topics"].dropna().explode().dropna().astype(str).str.lower()
    return tags.value_counts().head(top).index.tolist()


@st.cache_data(max_entries=2, show_spinner=False)
def relay_events(version: tuple) -> pd.DataFrame:
    return store().relay_events()


def overview(cnt: dict[str, int]) -> dict[str, int]:
    """The four overview figures; relays are relay events, else aggregate relay edges."""
    relays = cnt.get("relayed", 0) or cnt.get("relays", 0)
    return {"People": cnt.get("people", 0), "Follows": cnt.get("follows", 0), "Relays": relays,
            "Posts": cnt.get("posts", 0)}  # fmt: skip


def ranked(p: pd.DataFrame) -> bool:
    return "score" in p and p["score"].notna().any()


def metric_options(p: pd.DataFrame) -> list[str]:
    """Score and the metrics that tell people apart (some values, not all equal)."""
    return [m for m in ("score", *METRICS) if m in p and p[m].nunique(dropna=True) > 1]


@st.cache_resource(max_entries=2, show_spinner=False)
def handles(version: tuple) -> dict[str, str]:
    """pid -> handle."""
    p = people(version)
    return dict(zip(p["pid"], p["handle"].astype(str), strict=True))


@st.cache_resource(max_entries=2, show_spinner=False)
def saved_list(version: tuple) -> pd.DataFrame:
    """The team's shared shortlist (from the graph), in rank order. Read-only."""
    from graph.shortlist.saved import saved_list as saved

    return saved(people(version))


def add_to_shortlist(pid: str) -> None:
    """Put a person on the shared list by hand (locked), for everyone."""
    from graph.jobs import add_to_shortlist as add

    with write_lock():
        add(store(), [pid])
    bump("tracking")


def store_caption() -> str:
    s = store()
    return f"{settings().describe()} · {s.dialect}"


def need_data(version: tuple) -> bool:
    """Stop the page with a pointer to the Data page when the graph is empty."""
    if counts(version).get("people", 0) == 0:
        st.info("The graph is empty: load files on the **Data** page.")
        st.page_link("app_pages/data.py", label="Go to Data", icon=":material/upload:")
        return True
    return False


def ranked_people_or_stop(version: tuple) -> pd.DataFrame:
    """The ranked people table, or stop the page with a pointer to the Data page."""
    if need_data(version):
        st.stop()
    p = people(version)
    if need_ranking(p):
        st.stop()
    return p


def need_ranking(p: pd.DataFrame) -> bool:
    if not ranked(p):
        st.warning("Nobody is ranked yet: run the ranking on the **Data** page.")
        st.page_link("app_pages/data.py", label="Go to Data", icon=":material/upload:")
        return True
    return False


def show_backtest(result, ours: str = "set", *, label: str = "default") -> None:  # noqa: ANN001
    """The backtest as both pages show it: the chart, then per shortlist size one sentence
    against the best simple way and the table (``ours`` is the method compared)."""
    from graph.shortlist.baselines import BASELINES
    from graph.views import charts
    from graph.views.backtest import comparison_frame, verdict

    st.altair_chart(charts.backtest_chart(charts.backtest_frame(result.table)))
    for k in sorted(result.table["k"].unique()):
        st.markdown(f"**k = {k}**: **{ours}** {verdict(result.table, k, list(BASELINES), ours)}.")
        st.dataframe(comparison_frame(result.table, k, ours).drop(columns=["method"]), hide_index=True,
                     column_config={"name": "method", "reached": "future relayers", "vs_ours": f"vs {label}",
                                    "se": "± (se)", "ratio": f"÷ {label}"})  # fmt: skip
    for note in result.notes:
        st.caption(note)
