"""Integration on real data: SNAP ego-Twitter (McAuley & Leskovec 2012), 1.77M follows.

Runs in CI (it is the foundation's "done when"): load, rank, shortlist 300 via the CLI.
"""

import csv
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ego_twitter_load_rank_shortlist(tmp_path, dataset):
    EGO = dataset("ego_twitter/twitter_combined_rebuilt.txt.gz")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}

    def influence(*args):
        p = subprocess.run([sys.executable, "-m", "graph", "--data-dir", str(tmp_path / "ego"), *args],
                           capture_output=True, text=True, env=env, cwd=ROOT, timeout=900)  # fmt: skip
        assert p.returncode == 0, p.stderr
        return p.stdout

    out = influence("load", str(EGO), "--format", "snap", "--kind", "follows")
    assert "81,306 people" in out and "1,768,135 follows" in out  # 1,768,149 minus 14 self-loops
    out = influence("rank")
    assert "ranked 81,306 people" in out
    shortlist = tmp_path / "shortlist.csv"
    influence("shortlist", "--top", "300", "--out", str(shortlist))
    rows = list(csv.DictReader(shortlist.open(encoding="utf-8-sig")))
    assert len(rows) == 300 and len({r["Handle"] for r in rows}) == 300
    assert all(r["Why them"] for r in rows)
