"""Fixtures for the app tests: a store loaded from sample_data and ranked, once per session.

Each test gets its own copy of that store (a fresh folder), so a test that writes
(load, tracking) never affects another. ``INFLUENCE_TEST_STORE`` may name an
already ranked store folder to copy instead (quicker local runs).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # app.py imports `app_pages._common`
    sys.path.insert(0, str(ROOT))


def build_ranked_store(target: Path) -> Path:
    """Load sample_data into an embedded store at ``target`` and rank it."""
    from graph.jobs import load_files, rank
    from graph.stores.embedded import EmbeddedStore

    with EmbeddedStore(target) as store:
        load_files(store, [ROOT / "sample_data"], format="csv")
        rank(store, seed=0)
    return target


@pytest.fixture(scope="session")
def ranked_template(tmp_path_factory) -> Path:
    given = os.environ.get("INFLUENCE_TEST_STORE")
    if given:
        return Path(given)
    return build_ranked_store(tmp_path_factory.mktemp("ranked") / "store")


@pytest.fixture
def data_dir(ranked_template, tmp_path, monkeypatch) -> Path:
    """A private copy of the ranked store, set as INFLUENCE_DATA_DIR."""
    target = tmp_path / "store"
    shutil.copytree(ranked_template, target, ignore=shutil.ignore_patterns("write.lock"))
    monkeypatch.setenv("INFLUENCE_DATA_DIR", str(target))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("INFLUENCE_STORE", "embedded")
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    return target


@pytest.fixture
def app(data_dir):
    """The app on the Explore page, run once."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    yield at
    release()


def release() -> None:
    """Close the stores the app opened (each holds a large memory map) and forget cached tables."""
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture(autouse=True)
def _released():
    yield
    release()


def open_page(at, page: str):
    """Open ``app_pages/<page>.py`` and run it; fail on any exception."""
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def switch():
    return open_page
