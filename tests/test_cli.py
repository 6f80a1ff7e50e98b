"""The CLI through subprocess, as a user runs it (embedded store in a temp dir)."""

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args, data_dir, check=True, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(env_extra or {})
    proc = subprocess.run(
        [sys.executable, "-m", "graph", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600,
    )  # fmt: skip
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def ranked(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli") / "store"
    run("load", "sample_data", data_dir=d)
    run("rank", data_dir=d)
    return d


def test_every_command_has_help_with_an_example(tmp_path):
    for cmd in ("load", "rank", "shortlist", "cypher", "app", "demo"):
        out = run(cmd, "--help", data_dir=tmp_path).stdout
        assert "Example" in out, cmd


def test_load_reports_store_detection_and_timings(tmp_path):
    p = run("load", "sample_data", data_dir=tmp_path / "s")
    assert "store: embedded store (LadybugDB)" in p.stderr
    assert "detected format csv" in p.stderr
    assert "loaded: added 3,000 people" in p.stdout and "time:" in p.stdout and "peak memory" in p.stdout
    again = run("load", "sample_data", data_dir=tmp_path / "s")
    assert "added nothing new" in again.stdout


def test_rank_then_shortlist_csv(ranked, tmp_path):
    out = tmp_path / "shortlist.csv"
    p = run("shortlist", "--top", "50", "--out", str(out), data_dir=ranked)
    assert "saved a shortlist of 50 people" in p.stdout and "wrote 50 people" in p.stdout
    # the default check: the method backtested on the graph's own history, against the strongest baseline
    assert "backtest on this graph's own history" in p.stdout and "future relayers" in p.stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert len(rows) == 50
    assert list(rows[0])[:3] == ["Rank", "Handle", "Name"]
    for col in ("Owner", "Stage", "Last contact", "Notes", "Locked", "Why them", "Reach gain", "Score"):
        assert col in rows[0]
    assert all(r["Why them"] for r in rows) and all(r["Reach gain"] for r in rows)
    assert [int(r["Rank"]) for r in rows] == list(range(1, 51))
    wide = tmp_path / "wide.csv"
    run("shortlist", "--show", "--all-columns", "--out", str(wide), data_dir=ranked)
    assert {"pagerank", "kshell", "pct_pagerank"} <= set(next(csv.DictReader(wide.open(encoding="utf-8-sig"))))


def test_shortlist_exclusions_and_includes(ranked, tmp_path):
    first = tmp_path / "a.csv"
    run("shortlist", "--no-check", "--top", "10", "--method", "topk", "--out", str(first), data_dir=ranked)
    top = [r["Handle"] for r in csv.DictReader(first.open(encoding="utf-8-sig"))]
    (tmp_path / "excl.txt").write_text(f"# never\n@{top[0]}\n")
    people = run("cypher", "MATCH (p:Person) RETURN p.handle AS h ORDER BY p.score ASC LIMIT 1", "--csv", data_dir=ranked)
    worst = people.stdout.splitlines()[1]
    (tmp_path / "incl.txt").write_text(worst + "\nnobody_here\n")
    out = tmp_path / "b.csv"
    p = run("shortlist", "--no-check", "--top", "10", "--method", "topk", "--exclude", str(tmp_path / "excl.txt"),
            "--include", str(tmp_path / "incl.txt"), "--out", str(out), data_dir=ranked)  # fmt: skip
    handles = [r["Handle"] for r in csv.DictReader(out.open(encoding="utf-8-sig"))]
    assert top[0] not in handles and worst in handles and len(handles) == 10
    assert handles[-1] == worst  # a hand-added person ranks by what they add
    assert "nobody_here" in p.stderr


def test_shortlist_bad_requests_are_one_line(ranked, tmp_path):
    for args, message in [
        (["--out", str(tmp_path / "x.txt")], "export to .csv, .xlsx, .graphml, .gexf, not '.txt'"),
        (["--out", str(tmp_path / "missing" / "x.csv")], "does not exist"),
        (["--min-relevance", "150"], "min_relevance is a percentile from 0 to 100"),
        (["--team", "ana,ana"], "member names repeat: ana"),
        (["--top", "50", "--team", "ana", "--capacity", "10"], "the team holds only 1 x 10"),
    ]:
        p = run("shortlist", *args, data_dir=ranked, check=False)
        assert p.returncode == 1 and message in p.stderr and "Traceback" not in p.stderr, (args, p.stderr)


def test_track_validates_and_changes_only_what_is_given(ranked):
    run("shortlist", "--no-check", "--top", "5", "--method", "topk", data_dir=ranked)
    bad = run("track", "@nobody_at_all", "--stage", "engaged", data_dir=ranked, check=False)
    assert bad.returncode == 1 and "none of these handles is in the graph" in bad.stderr
    handle = run("shortlist", "--show", data_dir=ranked).stdout.splitlines()[1].split()[1]
    p = run("track", handle, "--stage", "married", data_dir=ranked, check=False)
    assert p.returncode == 1 and "stage: 'married' is not one of" in p.stderr
    run("track", handle, "--owner", "zoe", "--notes", "met at the expo", data_dir=ranked)
    run("track", handle, "--stage", "engaged", data_dir=ranked)
    row = run("cypher", f"MATCH (p:Person {{handle: '{handle}'}}) RETURN p.owner, p.stage, p.notes", "--csv",
              data_dir=ranked).stdout.splitlines()[1]  # fmt: skip
    assert row == "zoe,engaged,met at the expo"


def test_min_relevance_and_community_cap_hold_for_every_method(ranked):
    for method in ("set", "degree_discount", "topk"):
        run("shortlist", "--no-check", "--top", "30", "--method", method, "--min-relevance", "60", "--max-per-community", "7",
            data_dir=ranked)  # fmt: skip
        rows = run("cypher", "MATCH (p:Person) WHERE p.sl_rank IS NOT NULL RETURN p.community AS c, p.relevance AS r",
                   "--csv", data_dir=ranked).stdout.splitlines()[1:]  # fmt: skip
        communities = [r.split(",")[0] for r in rows]
        assert len(rows) == 30 and max(communities.count(c) for c in set(communities)) <= 7, method
    floor = run("cypher", "MATCH (p:Person) WHERE p.relevance IS NOT NULL RETURN p.relevance AS r ORDER BY r",
                "--max-rows", "100000", "--csv", data_dir=ranked).stdout.splitlines()[1:]  # fmt: skip
    values = sorted(float(v) for v in floor)
    cut = values[int(len(values) * 0.6) - 1]
    picked = [float(r.split(",")[1]) for r in rows]
    assert min(picked) >= cut * 0.999


def test_nobody_eligible_gives_an_empty_list_and_a_reason(ranked, tmp_path):
    everyone = run("cypher", "MATCH (p:Person) RETURN p.handle", "--csv", "--max-rows", "100000",
                   data_dir=ranked).stdout.splitlines()[1:]  # fmt: skip
    (tmp_path / "all.txt").write_text("\n".join(everyone))
    p = run("shortlist", "--top", "10", "--exclude", str(tmp_path / "all.txt"), data_dir=ranked)
    assert "saved a shortlist of 0 people" in p.stdout and "nobody is eligible" in p.stderr


def test_cypher_table_csv_params_and_refusal(ranked):
    p = run("cypher", "MATCH (p:Person) RETURN p.handle AS h ORDER BY p.score DESC LIMIT $n", "-p", "n=3", "--csv", data_dir=ranked)
    assert p.stdout.splitlines()[0] == "h" and len(p.stdout.splitlines()) == 4
    refused = run("cypher", "MATCH (p:Person) DETACH DELETE p", data_dir=ranked, check=False)
    assert refused.returncode == 2 and "refused" in refused.stderr and "Traceback" not in refused.stderr
    assert "3,000 people" in run("info", data_dir=ranked).stdout


def test_bad_input_is_one_line_and_store_unchanged(ranked, tmp_path):
    bad = tmp_path / "follows.csv"
    bad.write_text("source,target\na,b\n,c\n")
    before = run("info", data_dir=ranked).stdout
    p = run("load", str(bad), data_dir=ranked, check=False)
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert f"{bad}:3: column 'source': is empty" in p.stderr
    assert run("info", data_dir=ranked).stdout == before


def test_rank_on_empty_store_says_what_to_do(tmp_path):
    p = run("rank", data_dir=tmp_path / "empty", check=False)
    assert p.returncode == 1 and "load something first" in p.stderr


def test_python_dash_m_works(tmp_path):
    out = subprocess.run([sys.executable, "-m", "graph", "formats"], capture_output=True, text=True, cwd=ROOT)
    assert "csv" in out.stdout and "snap" in out.stdout


# -- errors: the product's own in one line, anything else an "internal error" ------------
def test_store_options_work_after_the_command(tmp_path):
    d = tmp_path / "after"
    p = subprocess.run([sys.executable, "-m", "graph", "load", "sample_data", "--store", "embedded",
                        "--data-dir", str(d)], capture_output=True, text=True, cwd=ROOT, timeout=600)  # fmt: skip
    assert p.returncode == 0, p.stderr
    assert f"embedded store (LadybugDB) in {d}" in p.stderr and (d / "graph.lbug").exists()


def test_info_on_a_fresh_folder_creates_nothing(tmp_path):
    d = tmp_path / "fresh"
    p = run("info", data_dir=d, check=False)
    assert p.returncode == 1 and "no graph in" in p.stderr and not d.exists()


def test_internal_errors_are_one_line_unless_debug(monkeypatch, tmp_path):
    from click.testing import CliRunner

    import graph.jobs
    from graph.cli import main

    run("load", "sample_data", data_dir=tmp_path / "s")

    def broken(*a, **k):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(graph.jobs, "scored_people", broken)
    args = ["--data-dir", str(tmp_path / "s"), "shortlist", "--out", str(tmp_path / "x.csv")]
    quiet = CliRunner().invoke(main, args)
    assert quiet.exit_code == 70 and "internal error (ZeroDivisionError)" in quiet.output
    assert "Traceback" not in quiet.output
    loud = CliRunner().invoke(main, ["--debug", *args])
    assert loud.exit_code == 70 and "Traceback" in loud.output and "boom" in loud.output


def test_user_errors_are_one_line(tmp_path):
    p = run("shortlist", "--out", str(tmp_path / "x.csv"), data_dir=tmp_path / "empty", check=False)
    assert p.returncode == 1 and p.stderr.strip().splitlines()[-1].startswith("error: ")
    assert "Traceback" not in p.stderr


def test_relationship_commands(ranked, tmp_path):
    for cmd in (("accounts",), ("accounts", "add"), ("warm",), ("introductions",), ("rising",), ("listen",),
                ("listen", "questions"), ("card",)):  # fmt: skip
        assert "Example" in run(*cmd, "--help", data_dir=ranked).stdout, cmd
    bad = run("accounts", "add", "@nobody_here", "--brand", data_dir=ranked, check=False)
    assert bad.returncode == 1 and "error: unknown handle 'nobody_here'" in bad.stderr
    run("accounts", "add", "@beantherecoffee", "--brand", data_dir=ranked)
    for m in ("ana", "ben", "caro"):
        run("accounts", "add", f"@{m}_beanthere", "--member", m, data_dir=ranked)
    listed = run("accounts", "list", data_dir=ranked).stdout
    assert "beantherecoffee" in listed and "caro_beanthere" in listed
    warm = run("warm", "--top", "5", data_dir=ranked).stdout
    assert "closest_member" in warm and "@beantherecoffee →" in warm
    intro = run("introductions", "--top", "5", data_dir=ranked)
    assert "pairing" in intro.stderr and "contacts in common" in intro.stdout
    rising = run("rising", "--top", "12", "--out", str(tmp_path / "rising.csv"), data_dir=ranked).stdout
    assert "wrote 12 rows" in rising
    assert "@beantherecoffee" in run("listen", "questions", data_dir=ranked).stdout
    assert "detractor:" in run("listen", "detractors", data_dir=ranked).stdout
    assert "#specialtycoffee" in run("listen", "trends", data_dir=ranked).stdout
    card = run("card", "@ana_beanthere", data_dir=ranked).stdout
    assert card.startswith("# @ana_beanthere") and "Warm path: @ana_beanthere" in card
    run("accounts", "remove", "@ana_beanthere", data_dir=ranked)
    assert "ana_beanthere" not in run("accounts", "list", data_dir=ranked).stdout


# -- issue #12: exposure and credentials -----------------------------------------------------------
NO_APP_ENV = {"INFLUENCE_APP_PASSWORD": "", "INFLUENCE_APP_ADDRESS": ""}


@pytest.mark.catalogue(7)
@pytest.mark.parametrize(
    "args",
    [["app", "--expose"], ["--setting", "app_address", "0.0.0.0", "app"], ["app", "--setting", "app_address", "10.1.2.3"]],
    ids=["--expose", "app_address before", "app_address after"],
)
def test_item7_the_app_beyond_this_machine_needs_a_password(tmp_path, args):
    p = run(*args, data_dir=tmp_path / "s", check=False, env_extra=NO_APP_ENV)
    assert p.returncode == 1 and "Traceback" not in p.stderr and "app: http" not in p.stderr
    last = p.stderr.strip().splitlines()[-1]
    assert last.startswith("error: the app would listen on ") and "set INFLUENCE_APP_PASSWORD" in last


def _served(monkeypatch, args, env):
    """Run ``influence …`` in-process with the app's start replaced: (command, env, output)."""
    from click.testing import CliRunner

    import graph.cli.serve as serve
    from graph.cli import main

    seen = {}

    def run_app(cmd, env, url):
        seen.update(cmd=cmd, env=env, url=url)
        return 0

    monkeypatch.setattr(serve, "run_app", run_app)
    result = CliRunner().invoke(main, args, env={**NO_APP_ENV, **env})
    assert result.exit_code == 0, result.output
    return seen["cmd"], seen["env"], result.output


def _address(cmd):
    return cmd[cmd.index("--server.address") + 1]


@pytest.mark.catalogue(7)
def test_item7_app_and_demo_listen_on_this_machine(ranked, monkeypatch):
    cmd, _, _ = _served(monkeypatch, ["--data-dir", str(ranked), "app"], {})
    assert _address(cmd) == "127.0.0.1"
    exposed = {"INFLUENCE_APP_ADDRESS": "0.0.0.0", "INFLUENCE_APP_PASSWORD": "pw-4711"}
    cmd, _, _ = _served(monkeypatch, ["--data-dir", str(ranked), "demo"], exposed)  # what `make demo` runs
    assert _address(cmd) == "127.0.0.1"
    assert "$(BIN)/influence demo" in (ROOT / "Makefile").read_text()


def test_demo_loads_the_sample_and_declares_its_own_accounts(tmp_path, monkeypatch):
    """`make demo` on a fresh folder: sample loaded and ranked, the brand and team declared,
    so a shortlist built in the demo leaves them out."""
    from graph.stores.embedded import EmbeddedStore

    store = tmp_path / "demo"
    _, _, output = _served(monkeypatch, ["--data-dir", str(store), "--store", "embedded", "demo"], {})
    assert "declared the sample's own accounts" in output
    with EmbeddedStore(str(store)) as s:
        people = s.people()
    ours = people[people["our_role"].notna()].set_index("handle")
    assert ours["our_role"].to_dict() == {
        "beantherecoffee": "brand", "ana_beanthere": "member", "ben_beanthere": "member", "caro_beanthere": "member",
    }  # fmt: skip
    assert ours.loc["ana_beanthere", "our_member"] == "ana"
    assert people["score"].notna().all()


@pytest.mark.catalogue(7)
def test_item7_expose_with_a_password(ranked, monkeypatch):
    cmd, env, output = _served(monkeypatch, ["--data-dir", str(ranked), "app", "--expose"],
                               {"INFLUENCE_APP_PASSWORD": "pw-4711"})  # fmt: skip
    assert _address(cmd) == "0.0.0.0" and cmd[cmd.index("--client.showErrorDetails") + 1] == "none"
    assert env["INFLUENCE_APP_PASSWORD"] == "pw-4711" and "pw-4711" not in output
    cmd, env, _ = _served(monkeypatch, ["--data-dir", str(ranked), "app", "--expose", "--setting", "app_password",
                                        "pw-opt", "--setting", "upload_dirs", "/srv/exports"], {})  # fmt: skip
    assert env["INFLUENCE_APP_PASSWORD"] == "pw-opt" and env["INFLUENCE_UPLOAD_DIRS"] == "/srv/exports"


@pytest.mark.catalogue(8)
@pytest.mark.parametrize("args", [["info"], ["settings"], ["cypher", "RETURN 1 AS n"], ["rank"]])
def test_item8_credentials_inside_neo4j_uri_are_never_printed(tmp_path, args):
    env = {"NEO4J_URI": "bolt://ann:s3cret-uri@127.0.0.1:1", "NEO4J_PASSWORD": "s3cret-pw", "INFLUENCE_STORE": "neo4j"}
    p = run(*args, data_dir=tmp_path, check=False, env_extra=env)
    assert "s3cret" not in p.stdout + p.stderr and "Traceback" not in p.stderr
    if args != ["settings"]:
        assert p.returncode == 1 and p.stderr.strip().splitlines()[-1].startswith("error: ")


# -- what a new user meets (#15) ------------------------------------------------------------
def test_app_on_a_busy_port_says_so_before_any_url(tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        p = run("app", "--port", str(port), data_dir=tmp_path / "s", check=False)
    assert p.returncode == 1, p.stderr
    assert f"port {port} on 127.0.0.1 is busy" in p.stderr and "use --port" in p.stderr
    assert "http://" not in p.stderr + p.stdout


def test_app_hides_the_deploy_button():
    from graph.cli import serve

    source = Path(serve.__file__).read_text()
    assert '"--client.toolbarMode", "viewer"' in source  # `influence app`, from any folder
    assert 'toolbarMode = "viewer"' in (ROOT / ".streamlit" / "config.toml").read_text()  # `streamlit run app.py`


def test_neo4j_without_a_uri_says_how_to_get_one(tmp_path):
    p = run("info", "--store", "neo4j", data_dir=tmp_path / "s", check=False)
    assert p.returncode == 1
    assert "Neo4j at (no NEO4J_URI set)" in p.stderr and "Neo4j at  (" not in p.stderr
    assert "scripts/neo4j-local start" in p.stderr


def test_outputs_into_a_missing_folder_are_one_clear_line(ranked, tmp_path):
    missing = tmp_path / "no" / "such"
    for args in (("export", str(missing / "g.gexf")), ("shortlist", "--top", "5", "--out", str(missing / "s.csv")),
                 ("rising", "--out", str(missing / "r.csv")), ("card", "@nobody", "--out", str(missing / "c.md"))):  # fmt: skip
        p = run(*args, data_dir=ranked, check=False)
        assert p.returncode == 1, args
        last = p.stderr.strip().splitlines()[-1]
        assert last.startswith("error: ") and f"the folder {missing} does not exist" in last, (args, last)
        assert "Errno" not in p.stderr
    assert not missing.exists()


def test_cypher_prints_nodes_short(ranked):
    out = run("cypher", "MATCH (p:Person)-[r:FOLLOWS]->(q:Person) RETURN p, r, q LIMIT 3", data_dir=ranked).stdout
    lines = out.strip().splitlines()
    assert len(lines) == 4 and "(:Person " in lines[1] and "[:FOLLOWS]" in lines[1]
    assert "_ID" not in out and "_LABEL" not in out and max(map(len, lines)) < 120


def test_make_installs_without_setuptools_warnings():
    """`make demo`: every pip install runs with setuptools' UserWarnings silenced."""
    text = (ROOT / "Makefile").read_text()
    assert "PIP     := PYTHONWARNINGS=ignore::UserWarning" in text
    installs = [line for line in text.splitlines() if "install" in line and "pip" in line.lower()]
    assert installs and all("$(PIP)" in line or line.startswith("PIP") for line in installs), installs


def test_cypher_errors_in_plain_words(ranked):
    p = run("cypher", "MATCH ()-[r]->() RETURN type(r) LIMIT 1", data_dir=ranked, check=False)
    assert p.returncode == 1 and "error: LadybugDB can't read Neo4j's syntax here." in p.stderr
    assert "hint: The relationship type in LadybugDB is `label(r)`" in p.stderr and "Catalog exception" not in p.stderr
    ok = run("cypher", "MATCH (n:Person) RETURN labels(n)[0] AS l LIMIT 1", data_dir=ranked)
    assert "note: `labels(n)` is a string in LadybugDB" in ok.stderr
