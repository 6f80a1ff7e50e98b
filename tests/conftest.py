"""Shared fixtures: both stores, for real.

* ``embedded_store``: an :class:`EmbeddedStore` in a temporary folder.
* ``neo4j_store``: a :class:`Neo4jStore` on a real server, emptied (``clear()``)
  before each test. With ``NEO4J_URI`` set, that server is used; otherwise the
  session starts one with ``scripts/neo4j-local start`` (and stops it at the end).
  (a server that was already running is used and left running). If none can be had,
  the tests FAIL when ``CI`` is set and SKIP otherwise, saying why.
  Tests that use it get the ``neo4j`` marker automatically.
* ``store``: each test once per store (``embedded`` and ``neo4j``).
* ``dataset``: ``dataset("ego_twitter/…")`` is the path of a shared real dataset under
  ``$INFLUENCE_DATASETS`` (default ``../shared/datasets``); a missing one FAILS when
  ``CI`` is set and skips otherwise, saying where it looked.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NEO4J_LOCAL = ROOT / "scripts" / "neo4j-local"
#: The shared real datasets: ``$INFLUENCE_DATASETS``, else ``../shared/datasets`` beside the checkout.
DATASETS = Path(os.environ.get("INFLUENCE_DATASETS") or ROOT.parent / "shared" / "datasets")
OUR_LABELS = {"Person", "Post", "InfluenceLoad", "InfluenceLock", "InfluenceLockKeeper", "InfluenceStamp"}


# -- the hardening catalogue (issue #12): tried / held per store ---------------------------
_STORE_PARAMS = {"embedded": "embedded", "emb": "embedded", "neo4j": "neo4j", "neo": "neo4j"}


def _catalogue_store(item: pytest.Item, mark: pytest.Mark) -> str:
    params = getattr(getattr(item, "callspec", None), "params", {})
    for value in params.values():
        if isinstance(value, str) and value in _STORE_PARAMS:
            return _STORE_PARAMS[value]
    return str(mark.kwargs.get("store", "app/cli"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    mark = item.get_closest_marker("catalogue")
    if mark is None or report.skipped or not (report.when == "call" or report.failed):
        return
    key = (_catalogue_store(item, mark), int(mark.args[0]))
    item.config.stash.setdefault(_CATALOGUE, {}).setdefault(key, []).append(report.passed)


_CATALOGUE = pytest.StashKey[dict]()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ANN001
    results = config.stash.get(_CATALOGUE, {})
    if not results:
        return
    terminalreporter.section("hardening catalogue (issue #12): tried / held")
    for store in sorted({s for s, _ in results}):
        items = sorted((i, r) for (s, i), r in results.items() if s == store)
        tried = sum(len(r) for _, r in items)
        held = sum(sum(r) for _, r in items)
        detail = ", ".join(f"#{i} {sum(r)}/{len(r)}" for i, r in items)
        terminalreporter.write_line(f"{store:<9} {held}/{tried} held ({detail})")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if {"neo4j_store", "neo4j_settings", "neo4j_session_store"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.neo4j)


def _exports(text: str) -> dict[str, str]:
    """``export NAME=value`` lines (values as bash ``printf %q`` quotes them).

    >>> _exports("export NEO4J_URI=bolt://127.0.0.1:7687\\nexport NEO4J_PASSWORD=a\\\\$b\\n")
    {'NEO4J_URI': 'bolt://127.0.0.1:7687', 'NEO4J_PASSWORD': 'a$b'}
    """
    out = {}
    for line in text.splitlines():
        if line.startswith("export ") and "=" in line:
            name, _, value = line[len("export ") :].partition("=")
            out[name] = shlex.split(value)[0] if value else ""
    return out


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"Neo4j is required in CI but unavailable: {reason}", pytrace=False)
    pytest.skip(f"no Neo4j ({reason}); set NEO4J_URI or install Java 17/21 + Maven for scripts/neo4j-local")


def _local(command: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(NEO4J_LOCAL), command], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def _start_local() -> tuple[dict[str, str] | None, bool, str]:
    """Export lines of the local server, whether this call started it, or why not."""
    try:
        running = _local("status", timeout=60).returncode == 0
        proc = _local("env" if running else "start")
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, False, f"scripts/neo4j-local failed: {exc}"
    if proc.returncode != 0:
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        return None, False, f"scripts/neo4j-local start failed: {lines[-1] if lines else proc.returncode}"
    return _exports(proc.stdout), not running, ""


@pytest.fixture(scope="session")
def neo4j_settings():
    """Settings of a reachable Neo4j that holds nothing but this app's graph."""
    from graph.errors import StoreError
    from graph.settings import Settings
    from graph.stores.neo4j import Neo4jStore

    env = {k: v for k, v in os.environ.items() if k.startswith("NEO4J_")}
    started = False
    if not env.get("NEO4J_URI"):
        exported, started, reason = _start_local()
        if exported is None:
            _unavailable(reason)
        env.update(exported)
    settings = Settings.from_env(env, dotenv=None, store="neo4j")
    try:
        with Neo4jStore.connect(settings) as store:
            labels = set(store.cypher("CALL db.labels()").frame["label"])
    except StoreError as exc:
        if started:
            _local("stop")
        _unavailable(str(exc))
    if labels - OUR_LABELS:
        pytest.fail(
            f"the Neo4j database at {settings.neo4j_uri} holds other data ({', '.join(sorted(labels - OUR_LABELS))}); "
            "the tests empty the database: point NEO4J_URI at a scratch server",
            pytrace=False,
        )
    yield settings
    if started:
        _local("stop")


@pytest.fixture(scope="session")
def neo4j_session_store(neo4j_settings):
    """One connected store for the whole session (not emptied: use ``neo4j_store``)."""
    from graph.stores.neo4j import Neo4jStore

    store = Neo4jStore.connect(neo4j_settings)
    yield store
    store.close()


@pytest.fixture
def neo4j_store(neo4j_session_store):
    """The Neo4j store, emptied before the test."""
    neo4j_session_store.clear()
    return neo4j_session_store


@pytest.fixture
def embedded_store(tmp_path):
    from graph.stores.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path / "graph")
    yield store
    store.close()


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request):
    """Each test once per store."""
    return request.getfixturevalue(f"{request.param}_store")


@pytest.fixture(scope="session")
def dataset():
    """``dataset(relative_path)`` -> the path of a shared dataset (see the module docstring)."""

    def find(relative: str) -> Path:
        path = DATASETS / relative
        if not path.exists():
            msg = f"dataset {relative} not found under {DATASETS} (set INFLUENCE_DATASETS to the datasets folder)"
            if os.environ.get("CI"):
                pytest.fail(msg, pytrace=False)
            pytest.skip(msg)
        return path

    return find
