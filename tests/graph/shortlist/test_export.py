"""Top-k, handle lists, the export table and its CSV/XLSX files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from graph.model import METRICS
from graph.shortlist.export import EXPORT_COLUMNS, shortlist_frame, write_csv, write_xlsx
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
def test_export_columns_exactly_then_optional_ones():
    t = scores_table()
    picks = topk(t, 6)
    picks["marginal_gain"] = np.linspace(50, 5, 6)
    picks = split_team(picks, ["kim", "lee"], capacity=4)
    flags = pd.Series([["relay bursts (40 relays within 1 hour)"]], index=["x:user1"])
    out = shortlist_frame(picks, flags=flags.reindex(picks["pid"], fill_value=[]))
    base = list(EXPORT_COLUMNS)
    assert list(out.columns[: len(base)]) == base
    assert list(out.columns[len(base) : len(base) + 4]) == ["owner", "flags", "marginal_gain", "community"]
    assert list(out.columns[len(base) + 4 :]) == [f"pct_{m}" for m in METRICS]
    assert out["rank"].tolist() == list(range(1, 7))
    assert out["handle"].tolist() == [f"User{i}" for i in range(6)]
    assert out.loc[1, "flags"].startswith("relay bursts") and out.loc[0, "flags"] == ""
    assert (out["reason"].str.len() > 0).all()


def test_export_minimal_table_fills_missing_metrics():
    picks = pd.DataFrame({"pid": ["x:ana", "x:ben"], "score": [90.0, 80.0]})
    out = shortlist_frame(picks, reasons=pd.Series({"x:ben": "b", "x:ana": "a"}), pct=False)
    assert list(out.columns) == list(EXPORT_COLUMNS)
    assert out["handle"].tolist() == ["ana", "ben"] and out["reason"].tolist() == ["a", "b"]
    assert out["relevance"].isna().all()


def test_csv_round_trip(tmp_path):
    out = shortlist_frame(topk(scores_table(), 4))
    out["flags"] = [["a", "b"], [], ["c"], []]
    path = write_csv(out, tmp_path / "shortlist.csv")
    back = pd.read_csv(path, keep_default_na=False)
    assert list(back.columns) == list(out.columns)
    assert back["flags"].tolist() == ["a; b", "", "c", ""]
    assert back["handle"].tolist() == out["handle"].tolist()


def test_xlsx_one_sheet_per_member_plus_summary(tmp_path):
    picks = split_team(topk(scores_table(30), 20), ["kim", "lee", "a/b:c"], capacity=8)
    out = shortlist_frame(picks)
    path = write_xlsx(out, tmp_path / "shortlist.xlsx", team=["kim", "lee", "a/b:c", "max"])
    book = load_workbook(path)
    assert book.sheetnames == ["summary", "kim", "lee", "a_b_c", "max"]
    summary = pd.read_excel(path, sheet_name="summary")
    assert summary["picks"].tolist() == [(out["owner"] == m).sum() for m in ["kim", "lee", "a/b:c", "max"]]
    kim = pd.read_excel(path, sheet_name="kim")
    assert list(kim.columns) == list(out.columns) and len(kim) == (out["owner"] == "kim").sum()
    assert book["kim"].freeze_panes == "A2"


def test_xlsx_without_owner_writes_one_shortlist_sheet(tmp_path):
    path = write_xlsx(shortlist_frame(topk(scores_table(), 5)), tmp_path / "s.xlsx")
    assert pd.ExcelFile(path).sheet_names == ["summary", "shortlist"]
