"""Top-k, handle lists, the export table and its CSV/XLSX files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from graph.model import METRICS
from graph.shortlist.export import READABLE, export_table, write_csv, write_table, write_xlsx
from graph.shortlist.handles import parse_handles, read_handles
from graph.shortlist.selection import topk
from graph.shortlist.team import split_team


def scores_table(n: int = 12, seed: int = 0) -> pd.DataFrame:
    """A small merged scores + people table like ranking produces."""
    rng = np.random.default_rng(seed)
    pids = [f"x:user{i}" for i in range(n)]
    df = pd.DataFrame({"pid": pids, "platform": "x", "handle": [f"User{i}" for i in range(n)]})
    df["name"] = [f"User {i}" for i in range(n)]
    for m in METRICS:
        df[m] = rng.random(n)
    df["kshell"] = rng.integers(1, 6, n)
    df["relevance"] = np.where(rng.random(n) < 0.2, np.nan, df["relevance"])
    df["community"] = np.arange(n) % 3
    df["score"] = np.linspace(100, 0, n).round(1)
    for m in METRICS:
        df[f"pct_{m}"] = df[m].rank(pct=True) * 100
    return df


# -- topk -------------------------------------------------------------------------
def test_topk_orders_by_score_and_breaks_ties_by_pid():
    t = pd.DataFrame({"pid": ["b", "a", "c", "d"], "score": [5.0, 5.0, np.nan, 9.0]})
    assert topk(t, 3)["pid"].tolist() == ["d", "a", "b"]
    assert topk(t, 10)["pid"].tolist() == ["d", "a", "b", "c"]


def test_must_includes_merge_by_score_and_exclusions_never_appear():
    t = scores_table()
    out = topk(t, 5, include=["x:user11", "x:user9"], exclude=["x:user0", "x:user11x"])
    assert out["pid"].tolist() == ["x:user1", "x:user2", "x:user3", "x:user9", "x:user11"]
    assert out["score"].is_monotonic_decreasing


def test_more_must_includes_than_n_keeps_them_all():
    t = scores_table()
    out = topk(t, 2, include=["x:user5", "x:user6", "x:user7"])
    assert out["pid"].tolist() == ["x:user5", "x:user6", "x:user7"]


def test_topk_rejects_conflicts_and_unknown_includes():
    t = scores_table()
    with pytest.raises(ValueError, match="both"):
        topk(t, 3, include=["x:user1"], exclude=["x:user1"])
    with pytest.raises(ValueError, match="not in the table"):
        topk(t, 3, include=["x:ghost"])


def test_topk_by_another_metric():
    t = scores_table()
    assert topk(t, 3, by="pagerank")["pid"].tolist() == t.nlargest(3, "pagerank")["pid"].tolist()


# -- handle lists -------------------------------------------------------------------
PEOPLE = pd.DataFrame(
    {
        "pid": ["x:latteartlisa", "x:ben", "bluesky:ben.bsky.social", "bluesky:lisa", "x:lisa"],
        "handle": ["LatteArtLisa", "ben", "ben.bsky.social", "lisa", "Lisa"],
    }
)


def test_text_list_with_comments_at_signs_case_and_urls(tmp_path):
    path = tmp_path / "vip.txt"
    path.write_text(
        "# must-includes for spring\n"
        "@LatteArtLisa   # met at the expo\n"
        "\n"
        "BEN\n"
        "https://bsky.app/profile/ben.bsky.social\n"
        "@nobody\n"
        "bluesky:lisa\n"
    )
    got = read_handles(path, PEOPLE)
    assert got.pids == ["x:latteartlisa", "x:ben", "bluesky:ben.bsky.social", "bluesky:lisa"]
    assert got.warnings == [f"{path}:6: unknown handle 'nobody'"]


def test_handle_on_two_platforms_maps_to_both_with_a_warning():
    got = parse_handles(["lisa"], PEOPLE, source="list.txt")
    assert got.pids == ["bluesky:lisa", "x:lisa"]
    assert got.warnings == ["list.txt:1: 'lisa' matches 2 people: bluesky:lisa, x:lisa"]


def test_csv_with_handle_and_platform_columns(tmp_path):
    path = tmp_path / "exclude.csv"
    path.write_text("Name,Handle,Platform\nLisa,@lisa,x\nBen,ben,\nGhost,ghost,x\n")
    got = read_handles(path, PEOPLE)
    assert got.pids == ["x:lisa", "x:ben"]
    assert len(got.warnings) == 1 and got.warnings[0].startswith(f"{path}:4:")


def test_csv_without_handle_column_names_the_file(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("name,id\nLisa,1\n")
    with pytest.raises(ValueError, match=r"bad.csv:1: no 'handle' column"):
        read_handles(path, PEOPLE)


def test_text_file_with_handle_header_is_read_as_csv(tmp_path):
    path = tmp_path / "list.txt"
    path.write_text("handle,note\n@ben,friend\n")
    assert read_handles(path, PEOPLE).pids == ["x:ben"]


# -- the export table -----------------------------------------------------------------
def saved_table(n: int = 12) -> pd.DataFrame:
    """A saved list like :func:`graph.shortlist.saved.saved_list` gives."""
    t = scores_table(n)
    t.insert(0, "rank", np.arange(1, n + 1))
    t["sl_gain"] = np.linspace(50.123, 5.987, n)
    t["sl_reason"] = [f"reason {i}" for i in range(n)]
    t["sl_flags"] = [None] * n
    t["sl_method"] = "set"
    t["owner"] = [None] * n
    t["stage"] = [None] * n
    t["locked"] = [None] * n
    return t


def test_export_table_is_readable_and_rounded():
    t = saved_table()
    t.loc[1, "sl_flags"] = "relay bursts (40 relays within 1 hour)"
    t.loc[0, ["owner", "stage", "last_contact", "notes", "locked"]] = ["dan", "engaged", "2026-11-01", "met", True]
    out = export_table(t)
    assert list(out.columns) == [h for c, h in READABLE.items() if c in t] + []
    assert out.loc[0, ["Owner", "Stage", "Last contact", "Notes", "Locked"]].tolist() == [
        "dan", "engaged", "2026-11-01", "met", True]
    assert out.loc[1, "Owner"] == "" and out.loc[1, "Locked"] is np.False_ or out.loc[1, "Locked"] is False
    assert out.loc[1, "Flags"].startswith("relay bursts") and out.loc[0, "Flags"] == ""
    assert out["Reach gain"].tolist() == [round(v, 1) for v in t["sl_gain"]]
    assert not any(c in out for c in METRICS if c not in ("followers", "relays_received"))
    wide = export_table(t, all_columns=True)
    assert {*METRICS, *(f"pct_{m}" for m in METRICS)} <= set(wide.columns)


def test_csv_round_trip_has_no_none_text(tmp_path):
    out = export_table(saved_table(4))
    path = write_csv(out, tmp_path / "shortlist.csv")
    back = pd.read_csv(path, keep_default_na=False, encoding="utf-8-sig")
    assert list(back.columns) == list(out.columns)
    assert "None" not in path.read_text(encoding="utf-8-sig") and "nan" not in path.read_text(encoding="utf-8-sig")
    assert back["Handle"].tolist() == out["Handle"].tolist()


def test_xlsx_one_sheet_per_owner_as_stored(tmp_path):
    t = saved_table(30)
    t = split_team(t, ["kim", "lee", "a/b:c"], capacity=12)
    t.loc[3, "owner"] = "dan"  # edited by hand: dan gets a sheet of his own
    path = write_xlsx(t, tmp_path / "shortlist.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["summary", "a_b_c", "dan", "kim", "lee", "metrics"]
    summary = pd.read_excel(path, sheet_name="summary")
    owners = ["a/b:c", "dan", "kim", "lee"]
    assert summary["People"].tolist() == [(t["owner"] == m).sum() for m in owners]
    kim = pd.read_excel(path, sheet_name="kim")
    assert len(kim) == (t["owner"] == "kim").sum() and "Why them" in kim
    assert book["kim"].freeze_panes == "A2"
    assert "pagerank" in pd.read_excel(path, sheet_name="metrics")


def test_xlsx_without_owners_has_an_unassigned_sheet(tmp_path):
    path = write_xlsx(saved_table(5), tmp_path / "s.xlsx")
    assert pd.ExcelFile(path).sheet_names == ["summary", "unassigned", "metrics"]


def test_unknown_suffix_is_an_error(tmp_path):
    from graph.errors import UsageError

    with pytest.raises(UsageError, match="write .csv or .xlsx"):
        write_table(saved_table(3), tmp_path / "s.txt")
