"""Splitting the shortlist across the team."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.shortlist.team import member_names, split_team, team_summary


def picks(communities: list[int | None]) -> pd.DataFrame:
    n = len(communities)
    return pd.DataFrame(
        {"pid": [f"x:p{i}" for i in range(n)], "community": communities, "score": np.linspace(100, 1, n)}
    )


def owners_per_community(df: pd.DataFrame) -> pd.Series:
    return df.groupby("community")["owner"].nunique()


def test_communities_stay_whole_and_loads_balance():
    df = split_team(picks([0] * 40 + [1] * 30 + [2] * 20 + [3] * 10), 2, capacity=60)
    assert (owners_per_community(df) == 1).all()
    assert df["owner"].value_counts().to_dict() == {"member 1": 50, "member 2": 50}


def test_row_order_and_columns_are_kept():
    s = picks([1, 0, 1, 0])
    df = split_team(s, ["ana", "ben"], capacity=2)
    assert df["pid"].tolist() == s["pid"].tolist()
    assert list(df.columns) == [*s.columns, "owner"]
    assert "owner" not in s


def test_a_community_larger_than_capacity_is_split_in_as_few_pieces_as_possible():
    df = split_team(picks([0] * 250 + [1] * 50), ["ana", "ben"], capacity=150)
    assert df["owner"].value_counts().max() <= 150
    assert owners_per_community(df).to_dict() == {0: 2, 1: 1}


def test_split_only_when_needed_by_fragmentation():
    # three blocks of 100 on two members of 150: one block must be split, the others stay whole
    df = split_team(picks([0] * 100 + [1] * 100 + [2] * 100), 2, capacity=150)
    split = owners_per_community(df)
    assert sorted(split.tolist()) == [1, 1, 2]
    assert df["owner"].value_counts().tolist() == [150, 150]


def test_not_enough_capacity_is_a_clear_error():
    with pytest.raises(ValueError, match=r"301 picks but the team holds only 2 x 150 = 300"):
        split_team(picks([0] * 301), 2)


def test_pairs_share_an_owner_even_across_communities():
    s = picks([0] * 5 + [1] * 5)
    df = split_team(s, 2, capacity=6, pairs_together=[("x:p0", "x:p9"), ("x:p9", "x:p4")])
    owner = df.set_index("pid")["owner"]
    assert owner["x:p0"] == owner["x:p9"] == owner["x:p4"]
    assert df["owner"].value_counts().max() <= 6


def test_unknown_pair_member_raises():
    with pytest.raises(ValueError, match="x:ghost is not on the shortlist"):
        split_team(picks([0, 1]), 2, pairs_together=[("x:p0", "x:ghost")])


def test_locked_owners_are_kept_and_pull_their_community():
    s = picks([0] * 4 + [1] * 4)
    s["owner"] = ["ben", None, None, None, "ana", "ana", None, None]
    s["locked"] = [True, False, False, False, True, False, False, False]
    df = split_team(s, ["ana", "ben"], capacity=4)
    assert df["owner"].tolist() == ["ben"] * 4 + ["ana"] * 4


def test_without_locked_column_every_existing_owner_is_kept():
    s = picks([0, 0, 0, 0])
    s["owner"] = [None, "ben", "", None]
    df = split_team(s, ["ana", "ben"], capacity=3)
    # ben keeps his pick; the rest of the community fits ana whole
    assert df["owner"].tolist() == ["ana", "ben", "ana", "ana"]


def test_locked_conflicts_and_unknown_owners_raise():
    s = picks([0, 0, 1])
    s["owner"] = ["ana", "ben", None]
    with pytest.raises(ValueError, match="must share an owner"):
        split_team(s, ["ana", "ben"], pairs_together=[("x:p0", "x:p1")])
    s["owner"] = ["zed", None, None]
    with pytest.raises(ValueError, match="'zed' is not on the team"):
        split_team(s, ["ana", "ben"])
    s["owner"] = ["ana", "ana", None]
    with pytest.raises(ValueError, match="locked picks exceed the capacity 1"):
        split_team(s, ["ana", "ben", "cy"], capacity=1)


def test_rows_without_community_fill_in_to_balance():
    df = split_team(picks([0] * 6 + [None] * 4), 2, capacity=6)
    assert df["owner"].value_counts().tolist() == [6, 4]
    assert df.loc[:5, "owner"].nunique() == 1


def test_nullable_community_column():
    s = picks([0, 0, 1, 1])
    s["community"] = pd.array([0, 0, None, 1], dtype="Int64")
    df = split_team(s, 2, capacity=2)
    assert df.loc[:1, "owner"].nunique() == 1 and df["owner"].value_counts().tolist() == [2, 2]


def test_by_none_balances_only():
    df = split_team(picks([0] * 9), 3, capacity=3, by=None)
    assert df["owner"].value_counts().tolist() == [3, 3, 3]


def test_member_names_validation():
    assert member_names(3) == ["member 1", "member 2", "member 3"]
    with pytest.raises(ValueError, match="no members"):
        member_names([])
    with pytest.raises(ValueError, match="repeat"):
        member_names(["a", "a"])


def test_summary_counts_per_member():
    df = split_team(picks([0] * 6 + [1] * 3), ["ana", "ben"], capacity=6)
    df["marginal_gain"] = 1.0
    summ = team_summary(df).set_index("Owner")
    assert summ.loc["ana", "People"] == 6 and summ.loc["ben", "People"] == 3
    assert summ.loc["ana", "Largest community"] == "#0 (6 people)"
    assert summ.loc["ben", "Reach gain"] == 3.0


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 40), min_size=1, max_size=8),
    members=st.integers(1, 5),
    slack=st.integers(0, 20),
    pair_seed=st.integers(0, 1000),
)
def test_any_feasible_split_respects_capacity_and_pairs(sizes, members, slack, pair_seed):
    comm = [c for c, k in enumerate(sizes) for _ in range(k)]
    n = len(comm)
    capacity = max(-(-n // members) + slack, 2)
    rng = np.random.default_rng(pair_seed)
    pairs = [(f"x:p{a}", f"x:p{b}") for a, b in rng.integers(0, n, (min(3, n // 4), 2))]
    try:
        df = split_team(picks(comm), members, capacity, pairs_together=pairs)
    except ValueError as err:  # only a too-big group that must stay together may fail
        assert "must stay together" in str(err)
        return
    assert df["owner"].notna().all()
    assert df["owner"].value_counts().max() <= capacity
    owner = df.set_index("pid")["owner"]
    assert all(owner[a] == owner[b] for a, b in pairs)
    whole = [c for c, k in enumerate(sizes) if k <= capacity]
    if not pairs and slack >= max(sizes):  # plenty of room and no balancing: nothing is split
        whole_df = split_team(picks(comm), members, capacity, tolerance=float("inf"))
        assert (owners_per_community(whole_df)[whole] == 1).all()


def test_loads_are_even_and_communities_split_only_as_needed():
    """Five communities (69, 66, 64, 52, 49) over three members: even loads, at most M-1 extra splits."""
    sizes = [69, 66, 64, 52, 49]
    comm = [c for c, k in enumerate(sizes) for _ in range(k)]
    s = pd.DataFrame({"pid": [f"p{i}" for i in range(len(comm))], "community": comm})
    out = split_team(s, ["ana", "ben", "cy"], capacity=150)
    loads = out["owner"].value_counts()
    assert loads.max() - loads.min() <= 1
    pieces = out.groupby("community")["owner"].nunique().sum()
    assert pieces <= len(sizes) + 2  # each split adds one piece; at most members - 1 splits needed here
    never = split_team(s, ["ana", "ben", "cy"], capacity=150, tolerance=float("inf"))
    assert never.groupby("community")["owner"].nunique().max() == 1  # whole communities when allowed
