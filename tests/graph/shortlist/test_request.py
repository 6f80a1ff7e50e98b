"""The rules every shortlist obeys, in one place (CLI and app call the same function)."""

from __future__ import annotations

import pandas as pd
import pytest

from graph.errors import UsageError
from graph.shortlist.request import ShortlistRequest, eligibility, parse_team


def people() -> pd.DataFrame:
    return pd.DataFrame({
        "pid": ["x:lock", "x:gone", "x:no", "x:lockno", "x:brand", "x:low", "x:plain"],
        "locked": [True, True, None, True, None, None, None],
        "removed": [None, True, None, None, None, None, None],
        "stage": [None, None, "declined", "declined", None, None, "engaged"],
        "our_role": [None, None, None, None, "brand", None, None],
        "pct_relevance": [90.0, 90, 90, 90, 90, 10, 80],
    })  # fmt: skip


def test_locked_kept_removed_declined_and_ours_left_out():
    e = eligibility(people(), ShortlistRequest())
    assert e.include == ("x:lock", "x:lockno")  # a removed person is unlocked; a lock beats "declined"
    assert set(e.exclude) == {"x:gone", "x:no", "x:brand"}
    assert any("removed" in n for n in e.notes) and any("declined" in n for n in e.notes)
    assert any("our own accounts" in n for n in e.notes)


def test_keep_declined_and_min_relevance_as_a_percentile():
    e = eligibility(people(), ShortlistRequest(keep_declined=True, min_relevance=50))
    assert "x:no" not in e.exclude and "x:low" in e.exclude and "x:plain" not in e.exclude


def test_no_relevance_scores_is_a_clear_error():
    p = people().assign(pct_relevance=float("nan"))
    with pytest.raises(UsageError, match="no relevance scores: rank with the niche's topics first"):
        eligibility(p, ShortlistRequest(min_relevance=10))


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (ShortlistRequest(include=("x:nobody",)), "not in the graph: x:nobody"),
        (ShortlistRequest(include=("x:gone",)), "removed from the shortlist \\(restore them first\\): x:gone"),
        (ShortlistRequest(method="magic"), "method must be one of"),
        (ShortlistRequest(top=0), "size must be at least 1"),
        (ShortlistRequest(include=("x:plain",), exclude=("x:plain",)), "both added and excluded"),
    ],
)
def test_bad_requests(request_, message):
    with pytest.raises(UsageError, match=message):
        eligibility(people(), request_)


def test_team_parsing():
    assert parse_team(" ana ,ben ") == ("ana", "ben") and parse_team("3")[2] == "member 3"
