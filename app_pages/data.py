"""Data: load files (upload or a path on the server), see what was loaded and the
niche report, and re-rank. Writes are serialised across sessions."""

import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd
import streamlit as st

from app_pages import _common as c
from graph.access import server_path, upload_roots
from graph.errors import StoreError, UsageError
from graph.model import LoadError
from loaders.registry import FORMATS

V = c.versions()
st.title("Data")
st.caption(f"Store: **{c.settings().describe()}**")

cnt = c.counts(V)
st.dataframe(pd.DataFrame([{k: f"{v:,}" for k, v in cnt.items()}]), hide_index=True)
people = c.people(V) if cnt.get("people", 0) else None
if people is not None:
    unranked = int(people["score"].isna().sum()) if "score" in people else len(people)
    if not c.ranked(people):
        st.caption("Ranked: **not yet**: run the ranking below")
    else:
        st.caption("Ranked: yes" + (f" ({unranked:,} people added since: rank again)" if unranked else ""))

# -- load ------------------------------------------------------------------------------------
st.subheader("Load files")
with st.form("data_form"):
    src = st.radio("Source", ["Upload files", "Path on the server"], horizontal=True, key="data_src",
                   help="Server paths: only inside the folders of INFLUENCE_UPLOAD_DIRS (setting upload_dirs).")  # fmt: skip
    uploads = st.file_uploader("Files (CSV tables, SNAP edge lists, exports; .gz too)",
                               accept_multiple_files=True, key="data_files")  # fmt: skip
    path_text = st.text_input("Path(s) on the server, one per line or comma-separated", key="data_path",
                              placeholder="sample_data/")  # fmt: skip
    f = st.columns(4)
    fmt = f[0].selectbox("Format", ["auto", *FORMATS], key="data_fmt",
                         format_func=lambda k: k if k == "auto" else f"{k}: {FORMATS[k].description}")  # fmt: skip
    kind = f[1].selectbox("SNAP edges mean", ["follows", "relays", "mentions"], key="data_kind")
    platform = f[2].text_input("Platform of the handles", "", key="data_platform", placeholder="x")
    topics = f[3].text_input(
        "Keep only the niche (hashtags)", key="data_topics", placeholder="#latteart, #v60"
    )
    go = st.form_submit_button("Load", type="primary", icon=":material/upload:", key="data_load")


def _paths(tmp: Path) -> list[Path]:
    """Uploaded files (saved under ``tmp``), or server paths inside ``upload_dirs`` only."""
    if src == "Upload files":
        out = []
        for up in uploads or []:
            target = tmp / Path(up.name).name
            target.write_bytes(up.getbuffer())
            out.append(target)
        return out
    texts = [p.strip() for p in path_text.replace(",", "\n").splitlines() if p.strip()]
    if texts and not c.signed_in():
        raise UsageError("loading from paths on the server needs the app's login")
    roots = upload_roots(c.settings().upload_dirs)
    return [server_path(t, roots) for t in texts]


if go:
    from graph.jobs import load_files

    tmp = Path(tempfile.mkdtemp(prefix="influence-upload-"))
    try:
        try:
            paths = _paths(tmp)
        except UsageError as exc:
            st.error(f"Refused: {exc}")
            st.stop()
        if not paths:
            st.error("Nothing to load: upload files or give a path.")
            st.stop()
        bar = st.progress(0.0, text="reading…")
        read = {"rows": 0}

        def read_progress(n: int) -> None:
            read["rows"] += n
            bar.progress(0.0, text=f"reading: {read['rows']:,} rows")

        def write_progress(done: int, total: int, label: str) -> None:
            bar.progress(min(done / max(total, 1), 1.0), text=f"writing: {label}")

        t0 = time.perf_counter()
        topic_list = [t.strip() for t in topics.replace(",", " ").split() if t.strip()] or None
        with c.write_lock():
            batch, stats = load_files(
                c.store(), paths, format=fmt, kind=kind, platform=platform.strip() or None, topics=topic_list,
                read_progress=read_progress, write_progress=write_progress,
            )  # fmt: skip
        bar.progress(1.0, text=f"done in {time.perf_counter() - t0:.1f} s")
        c.bump("graph")
        st.session_state["load_report"] = {
            "summary": stats.summary(), "notes": list(batch.notes),
            "sources": [p.name if src == "Upload files" else str(p) for p in paths],
        }  # fmt: skip
        st.rerun()
    except StoreError as exc:  # the store's line says what the graph holds (lock, full disk, server)
        st.error(f"Load failed: {exc}")
    except (LoadError, ValueError, ImportError, OSError) as exc:  # before anything was written
        st.error(f"Load failed, the graph is unchanged: {exc}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

if report := st.session_state["load_report"]:
    st.success(f"Loaded {', '.join(report['sources'])}: {report['summary']}")
    if report["notes"]:
        with st.expander("Niche report and loader notes", expanded=True):
            for note in report["notes"]:
                st.markdown(f"- {note}")

# -- rank -----------------------------------------------------------------------------------------
st.subheader("Rank")
st.caption(
    "Computes followers, PageRank, relay PageRank, relays and mentions received, HITS, k-shell, "
    "betweenness, topic relevance, communities and the composite score, and writes them to the graph."
)
with st.form("rank_form"):
    r = st.columns(3)
    rank_topics = r[0].text_input("Niche hashtags for relevance (default: all)", key="rank_topics")
    bk = r[1].number_input("Betweenness sources (0 = automatic)", 0, 100000, 0, step=64, key="rank_bk")
    seed = r[2].number_input("Seed", 0, 10**6, 0, key="rank_seed")
    rank_go = st.form_submit_button(
        "Rank", type="primary", disabled=not cnt.get("people"), icon=":material/leaderboard:", key="data_rank"
    )

if rank_go:
    from graph.jobs import rank

    bar = st.progress(0.0, text="ranking…")
    try:
        t0 = time.perf_counter()
        with c.write_lock():
            result = rank(
                c.store(), topics=[t.strip() for t in rank_topics.replace(",", " ").split()] or None,
                betweenness_k=int(bk) or None, seed=int(seed),
                progress=lambda d, t, label: bar.progress(min(d / max(t, 1), 1.0), text=f"ranking: {label}"),
            )  # fmt: skip
        c.bump("graph")
        st.session_state["rank_report"] = (len(result), time.perf_counter() - t0, result.timings)
        st.rerun()
    except (StoreError, ValueError, ImportError) as exc:
        st.error(f"Ranking failed: {exc}")

if rep := st.session_state.get("rank_report"):
    n, secs, timings = rep
    st.success(f"Ranked {n:,} people in {secs:.1f} s.")
    if timings:
        st.dataframe(
            pd.DataFrame({"step": list(timings), "seconds": list(timings.values())}), hide_index=True
        )

with st.expander("Settings"):
    from graph.settings import settings_table

    st.caption("Set them in the environment, a `.env` file, or `influence --setting NAME VALUE`.")
    st.dataframe(pd.DataFrame(settings_table(c.settings())), hide_index=True)

with st.expander("Empty the graph"):
    sure = st.checkbox("I understand this deletes every person, post and relationship", key="data_sure")
    if st.button("Delete everything", disabled=not (sure and c.signed_in()), key="data_clear"):
        if not c.signed_in():  # the button is disabled too; a forged click changes nothing
            st.error("Deleting the graph needs the app's login.")
            st.stop()
        try:
            with c.write_lock():
                c.store().clear()
        except StoreError as exc:
            st.error(f"Nothing was deleted: {exc}")
            st.stop()
        c.bump("graph")
        st.session_state["load_report"] = None
        st.rerun()
