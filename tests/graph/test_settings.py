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


# -- the declared list (issue: one list the CLI, environment, docs and app read) -------------
def test_every_declared_setting_is_a_field_and_documented():
    from dataclasses import fields

    from graph.settings import SETTINGS

    names = {f.name for f in fields(Settings)} - {"sources"}
    assert names == {s.name for s in SETTINGS}
    readme = (ROOT / "README.md").read_text()
    for s in SETTINGS:
        assert f"| `{s.name}` | `{s.env_var}` |" in readme, f"README's settings table lacks {s.name}"


def test_environment_dotenv_and_overrides_in_that_order(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("INFLUENCE_MAX_ROWS=7\nINFLUENCE_CYPHER_TIMEOUT_S=3\nINFLUENCE_LOCK_TIMEOUT_S=4\n")
    s = Settings.from_env({"INFLUENCE_MAX_ROWS": "8", "INFLUENCE_CYPHER_TIMEOUT_S": "5"}, dotenv=env_file,
                          cypher_timeout_s="6")  # fmt: skip
    assert (s.max_rows, s.cypher_timeout_s, s.lock_timeout_s) == (8, 6.0, 4.0)
    assert s.sources["max_rows"] == "INFLUENCE_MAX_ROWS" and s.sources["cypher_timeout_s"] == "option"
    assert s.sources["lock_timeout_s"] == ".env INFLUENCE_LOCK_TIMEOUT_S"
    assert s.limits.max_rows == 8 and s.limits.lock_timeout_s == 4.0


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"INFLUENCE_MAX_ROWS": "lots"}, "INFLUENCE_MAX_ROWS: 'lots' is not a whole number"),
        ({"INFLUENCE_CYPHER_TIMEOUT_S": "-1"}, "must not be negative"),
        ({"INFLUENCE_STORE": "mongo"}, "'mongo' is not one of auto, embedded, neo4j"),
    ],
)
def test_bad_setting_values_name_the_variable(env, message):
    from graph.errors import UsageError

    with pytest.raises(UsageError, match=message):
        Settings.from_env(env, dotenv=None)


def test_cli_settings_command_and_setting_option(tmp_path):
    out = _run(["--setting", "max_rows", "42", "settings"], {"NEO4J_PASSWORD": PASSWORD}, tmp_path)
    assert out.returncode == 0, out.stderr
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("max_rows"))
    assert "42" in line and "option" in line
    assert PASSWORD not in out.stdout + out.stderr and "***" in out.stdout
    bad = _run(["--setting", "max_rowz", "1", "settings"], {}, tmp_path)
    assert bad.returncode == 1 and "unknown setting(s): max_rowz" in bad.stderr


def test_limits_from_settings_reach_the_store(tmp_path):
    s = Settings.from_env({"INFLUENCE_MAX_ROWS": "2", "INFLUENCE_DATA_DIR": str(tmp_path / "g")}, dotenv=None)
    with open_store(s) as store:
        assert store.limits.max_rows == 2
        store.cypher("RETURN 1 AS x")  # opens fine
        assert len(store.cypher("UNWIND range(1, 5) AS i RETURN i").frame) == 2


def test_credentials_in_the_uri_are_never_shown(tmp_path):
    s = Settings.from_env({"NEO4J_URI": f"bolt://neo4j:{PASSWORD}@127.0.0.1:1"}, dotenv=None)
    assert PASSWORD not in s.describe()
    out = _run(["info"], {"NEO4J_URI": f"bolt://neo4j:{PASSWORD}@127.0.0.1:{_free_port()}"}, tmp_path)
    assert out.returncode == 1 and PASSWORD not in out.stdout + out.stderr
