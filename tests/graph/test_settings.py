"""Settings and the password: never in repr/str/errors/--help; connection failures are
one line on stderr, a non-zero exit and no traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from graph.errors import StoreError
from graph.settings import Secret, Settings
from graph.stores.connect import open_store

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "s3cret-Pa55word-do-not-print"


def _influence() -> list[str]:
    script = Path(sys.executable).with_name("influence")
    return [str(script)] if script.exists() else [sys.executable, "-m", "graph"]


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "INFLUENCE_"))}
    return subprocess.run(
        [*_influence(), *args], env={**base, **env}, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_password_never_in_repr_or_str():
    s = Settings.from_env({"NEO4J_URI": "bolt://db:7687", "NEO4J_PASSWORD": PASSWORD}, dotenv=None)
    for text in (repr(s), str(s), s.describe(), repr(s.neo4j_password), str(s.neo4j_password), f"{s}"):
        assert PASSWORD not in text
    assert s.neo4j_password.reveal() == PASSWORD and isinstance(s.neo4j_password, Secret)


def test_password_from_dotenv_is_a_secret(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(f"NEO4J_URI=bolt://db:7687\nNEO4J_PASSWORD={PASSWORD}\n")
    s = Settings.from_env({}, dotenv=env_file)
    assert s.kind == "neo4j" and PASSWORD not in repr(s) and s.neo4j_password.reveal() == PASSWORD


@pytest.mark.parametrize("args", [["--help"], ["cypher", "--help"], ["info", "--help"], ["load", "--help"]])
def test_password_never_in_help(args, tmp_path):
    out = _run(args, {"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": PASSWORD}, tmp_path)
    assert out.returncode == 0, out.stderr
    assert PASSWORD not in out.stdout + out.stderr
    assert "Usage:" in out.stdout


def _assert_one_line_error(out: subprocess.CompletedProcess, expected: str) -> None:
    assert out.returncode != 0
    assert "Traceback" not in out.stderr and "Traceback" not in out.stdout
    assert PASSWORD not in out.stdout + out.stderr
    errors = [ln for ln in out.stderr.splitlines() if ln.startswith("error:")]
    assert errors == [f"error: {expected}"], out.stderr
    others = [ln for ln in out.stderr.splitlines() if ln.strip() and not ln.startswith(("error:", "store:"))]
    assert not others, out.stderr


def test_unreachable_port_is_one_line(tmp_path):
    uri = f"bolt://127.0.0.1:{_free_port()}"
    out = _run(["--store", "neo4j", "info"], {"NEO4J_URI": uri, "NEO4J_PASSWORD": PASSWORD}, tmp_path)
    _assert_one_line_error(out, f"cannot reach Neo4j at {uri}")


def test_open_store_error_has_no_password():
    settings = Settings(
        store="neo4j", neo4j_uri=f"bolt://127.0.0.1:{_free_port()}", neo4j_password=Secret(PASSWORD)
    )
    with pytest.raises(StoreError) as err:
        open_store(settings)
    assert PASSWORD not in str(err.value) and "cannot reach Neo4j" in str(err.value)


def test_neo4j_store_without_uri_says_what_to_set(tmp_path):
    out = _run(["--store", "neo4j", "info"], {}, tmp_path)
    assert out.returncode != 0 and "Traceback" not in out.stderr and "NEO4J_URI" in out.stderr


def test_wrong_password_is_one_line(neo4j_settings, tmp_path):
    env = {"NEO4J_URI": neo4j_settings.neo4j_uri, "NEO4J_USERNAME": neo4j_settings.neo4j_username,
           "NEO4J_PASSWORD": PASSWORD, "NEO4J_DATABASE": neo4j_settings.neo4j_database}  # fmt: skip
    out = _run(["--store", "neo4j", "info"], env, tmp_path)
    _assert_one_line_error(out, f"Neo4j at {neo4j_settings.neo4j_uri}: authentication failed for user neo4j")
    assert neo4j_settings.neo4j_password.reveal() not in out.stdout + out.stderr
    from graph.stores.neo4j import Neo4jStore

    Neo4jStore.connect(neo4j_settings).close()  # a good login resets the server's failed-attempt count


def test_right_password_works_from_the_cli(neo4j_settings, neo4j_store, tmp_path):
    env = {"NEO4J_URI": neo4j_settings.neo4j_uri, "NEO4J_USERNAME": neo4j_settings.neo4j_username,
           "NEO4J_PASSWORD": neo4j_settings.neo4j_password.reveal(), "NEO4J_DATABASE": neo4j_settings.neo4j_database}  # fmt: skip
    out = _run(["--store", "neo4j", "info"], env, tmp_path)
    assert out.returncode == 0, out.stderr
    assert neo4j_settings.neo4j_password.reveal() not in out.stdout + out.stderr
    refused = _run(["--store", "neo4j", "cypher", "MATCH (p:Person) DETACH DELETE p"], env, tmp_path)
    assert refused.returncode == 2 and refused.stderr.strip().splitlines()[-1].startswith(
        "refused: read-only"
    )
