"""``influence --help`` starts cheaply: no click for the group's help, no heavy library
for any help, and the quick help says exactly what click would (issue #14, item 4).

Not timed: what is checked is what gets imported and what gets printed."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pandas", "numpy", "networkx", "pyarrow", "scipy", "ladybug", "neo4j", "tqdm")


def _modules_after(code: str, *argv: str) -> tuple[set[str], str]:
    """Run ``code`` in a fresh interpreter with ``sys.argv[1:] = argv``; the modules it
    imported and what it printed."""
    probe = f"import sys, json\nsys.argv[1:] = {list(argv)!r}\ntry:\n"
    probe += "".join(f"    {line}\n" for line in code.splitlines())
    probe += "except SystemExit:\n    pass\nprint('\\x00' + json.dumps(sorted(sys.modules)))\n"
    env = {**os.environ, "COLUMNS": "80"}
    p = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    printed, _, mods = p.stdout.rpartition("\x00")
    return set(json.loads(mods)), printed


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_the_entry_point_prints_the_group_help_without_click(flag):
    mods, printed = _modules_after("from graph.cli import run\nrun()", flag)
    assert printed.startswith("Usage: ") and "Commands:" in printed and "shortlist" in printed
    assert "click" not in mods
    assert not {m for m in mods if m.split(".")[0] in HEAVY}
    assert not {m for m in mods if m.startswith("graph.cli.") and m != "graph.cli.quick_help"}


def test_the_click_group_imports_no_command_module_and_no_heavy_library():
    mods, printed = _modules_after("from graph.cli import main\nmain()", "--help")
    assert "Commands:" in printed
    assert not {m for m in mods if m.split(".")[0] in HEAVY}
    commands = {m for m in mods if m.startswith("graph.cli.")} - {"graph.cli.base", "graph.cli.quick_help"}
    assert not commands


def test_a_command_is_imported_when_it_runs():
    mods, printed = _modules_after("from graph.cli import main\nmain()", "formats")
    assert "snap" in printed and "graph.cli.data" in mods and "graph.cli.serve" not in mods


@pytest.mark.parametrize("columns", [50, 60, 78, 98, 140])
def test_the_quick_help_is_what_click_prints(columns):
    from click.testing import CliRunner

    from graph.cli import main
    from graph.cli.quick_help import render

    clicks = CliRunner().invoke(main, ["--help"], prog_name="influence", terminal_width=columns)
    assert clicks.exit_code == 0
    assert render("influence", columns) == clicks.output


def test_the_command_table_matches_the_commands():
    from graph.cli.base import main
    from graph.cli.quick_help import COMMANDS

    for module in {m for m, _ in COMMANDS.values()}:
        importlib.import_module(module)
    assert set(main.commands) == set(COMMANDS)
    for name, cmd in main.commands.items():
        module, first = COMMANDS[name]
        assert cmd.callback.__module__ == module, name
        assert " ".join((cmd.help or "").split("\n\n")[0].split()) == first, name


def test_the_installed_command_starts_through_the_quick_entry_point():
    text = (ROOT / "pyproject.toml").read_text()
    assert 'influence = "graph.cli:run"' in text
