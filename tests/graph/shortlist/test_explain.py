"""Reasons, community names and bad-apple flags."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from graph.model import EdgeArrays
from graph.shortlist.explain import FlagRules, annotate, flags, name_communities, reasons, tags_of


# -- community names ----------------------------------------------------------------
def test_distinctive_tag_beats_the_common_one():
    # everyone uses #coffee; #latteart and #v60 each belong to one community
    t = pd.DataFrame(
        {
            "pid": list("abcdefg"),
            "community": [0, 0, 0, 0, 1, 1, 2],
            "topics": [
                ["#coffee", "#latteart"],
                ["#Coffee", "LatteArt"],
                ["#coffee", "#latteart"],
                ["#coffee"],
                ["#coffee", "#v60"],
                ["#coffee", "#v60", "#latteart"],
                ["#coffee"],
            ],
        }
    )
    assert name_communities(t) == {0: "#latteart", 1: "#v60", 2: "community 2"}


def test_names_from_posts_and_unique_labels():
    table = pd.DataFrame({"pid": list("abcd"), "community": [0, 0, 1, 1]})
    posts = pd.DataFrame(
        {
            "author": list("abcdcd"),
            "hashtags": [["espresso"], ["espresso"], ["espresso"], ["espresso"], ["v60"], ["v60"]],
        }
    )
    # both communities use #espresso equally; community 1 has #v60 too
    assert name_communities(table, posts) == {0: "#espresso", 1: "#v60"}


def test_single_community_uses_the_most_common_tag_and_min_people():
    t = pd.DataFrame({"pid": list("abc"), "community": 0, "topics": [["#a", "#b"], ["#b"], ["#c"]]})
    assert name_communities(t) == {0: "#b"}
    assert name_communities(t, min_people=3) == {0: "community 0"}


def test_tags_of_handles_strings_arrays_and_missing():
    assert tags_of(np.array(["#A", "b"])) == ["#a", "#b"]
    assert tags_of("x y,#z") == ["#x", "#y", "#z"]
    assert tags_of(float("nan")) == [] and tags_of(["#", " "]) == []


# -- reasons ----------------------------------------------------------------------
def relay_events() -> pd.DataFrame:
    # star is relayed by 3 people of community 0 and 2 of community 1; mid by 1 person twice
    rows = [(f"r{i}", "star") for i in range(5)] + [("r0", "star"), ("r1", "mid"), ("r1", "mid")]
    return pd.DataFrame(rows, columns=["person", "author"])


def people() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "pid": ["star", "mid", "quiet", "r0", "r1", "r2", "r3", "r4"],
            "community": [0, 0, 2, 0, 0, 0, 1, 1],
            "followers": [50, 3, 1, 0, 0, 0, 0, 0],
            "relays_received": [6, 2, 0, 0, 0, 0, 0, 0],
            "pct_pagerank": [99.5, 92.0, 50.0, 10, 10, 10, 10, 10],
            "pct_followers": [97.0, 60.0, 40.0, 10, 10, 10, 10, 10],
            "score": [95.0, 60.0, 42.4, 1, 1, 1, 1, 1],
        }
    )


def test_reason_counts_relays_people_bridges_and_top_metric():
    out = reasons(people(), relay_events(), labels={0: "#latteart"})
    assert out[0] == (
        "relayed 6 times by 5 people in the #latteart community; bridges 2 communities; top 1% by PageRank"
    )
    assert out[1] == "relayed 2 times by 1 person in the #latteart community; top 8% by PageRank"
    assert out[2] == "1 follower in community 2"


def test_reason_without_events_uses_relays_received_and_marginal_gain():
    t = people().assign(marginal_gain=[340.4, 0.2, np.nan, 0, 0, 0, 0, 0])
    out = reasons(t, top_pct=5)
    assert (
        out[0]
        == "relayed 6 times in community 0; top 1% by PageRank; reaches ~340 people the earlier picks miss"
    )
    assert out[1] == "relayed 2 times in community 0"


def test_reason_falls_back_to_score_and_follows_give_bridges():
    t = pd.DataFrame({"pid": ["a", "b", "c", "d"], "community": [0, 1, 2, np.nan], "score": [70.4, 1, 1, 1]})
    f = EdgeArrays.from_pairs([("b", "a"), ("c", "a"), ("d", "a")])
    out = reasons(t, follows=f, min_bridge_people=1)
    assert out[0] == "bridges 2 communities"
    t2 = pd.DataFrame({"pid": ["a"], "score": [70.4]})
    assert reasons(t2).tolist() == ["score 70/100"]


def test_percentiles_from_metrics_only_on_big_tables():
    big = pd.DataFrame({"pid": [f"p{i}" for i in range(200)], "betweenness": np.arange(200.0)})
    out = reasons(big)
    assert out.iloc[-1] == "top 1% by betweenness" and out.iloc[100] == ""
    assert reasons(big.head(5)).tolist() == [""] * 5


# -- flags ------------------------------------------------------------------------
def test_follows_many_followed_by_few():
    f = EdgeArrays.from_pairs([("bot", f"u{i}") for i in range(600)] + [("u1", "bot"), ("u2", "bot")])
    t = pd.DataFrame({"pid": ["bot", "u1", "ghost"]})
    out = flags(t, f)
    assert out.tolist() == [["follows many, followed by few (600 following / 2 followers)"], [], []]
    assert flags(t, f, rules=FlagRules(min_following=700)).tolist() == [[], [], []]


def test_relays_only_and_bursts_from_events():
    at = pd.Timestamp("2024-05-01 10:00")
    rows = [("amp", "star", at + pd.Timedelta(seconds=60 * i)) for i in range(40)]  # 40 in 40 minutes
    rows += [("slow", "star", at + pd.Timedelta(hours=2 * i)) for i in range(25)]  # 25, spread out
    rows += [("star", "amp2", at)]
    ev = pd.DataFrame(rows, columns=["person", "author", "at"])
    t = pd.DataFrame({"pid": ["amp", "slow", "star"]})
    f = EdgeArrays.from_pairs([("amp", "star")])
    out = flags(t, f, relay_events=ev)
    assert out[0] == ["relays only, never posts (40 relays)", "relay bursts (40 relays within 1 hour)"]
    assert out[1] == ["relays only, never posts (25 relays)"]
    assert out[2] == []
    posts = pd.DataFrame({"author": ["slow"]})
    assert flags(t, f, relay_events=ev, posts=posts)[1] == []


def test_burst_window_is_sliding_and_per_person():
    at = pd.Timestamp("2024-05-01 10:00", tz="UTC")
    # 20 just before 11:00 and 20 just after: 40 inside one hour although no clock hour has 30
    times = [at + pd.Timedelta(minutes=40 + i) for i in range(20)]
    times += [at + pd.Timedelta(minutes=61 + i) for i in range(20)]
    ev = pd.DataFrame({"person": "a", "author": "x", "at": times})
    ev = pd.concat([ev, ev.assign(person="b", at=ev["at"] + pd.Timedelta(days=1)).head(10)])
    out = flags(pd.DataFrame({"pid": ["a", "b"]}), EdgeArrays.from_pairs([("a", "b")]), relay_events=ev)
    assert "relay bursts (40 relays within 1 hour)" in out[0]
    assert not any(s.startswith("relay bursts") for s in out[1])


def test_relays_only_from_relay_arrays_needs_posting_evidence():
    r = EdgeArrays.from_pairs([("amp", "star", 30.0)])
    t = pd.DataFrame({"pid": ["amp", "star"]})
    f = EdgeArrays.from_pairs([("amp", "star")])
    assert flags(t, f, relays=r).tolist() == [[], []]  # nobody's posts known: no judgement
    out = flags(t, f, relays=r, posts=pd.DataFrame({"author": ["star"]}))
    assert out.tolist() == [["relays only, never posts (30 relays)"], []]


def test_declared_followers_far_above_the_graph_baseline():
    n = 30
    pairs = [(f"f{j}", f"p{i}") for i in range(n) for j in range(10)]  # everyone has 10 graph followers
    f = EdgeArrays.from_pairs(pairs)
    declared = [1000] * n  # typical ratio 100
    declared[0], declared[1] = 50_000, 500  # ratio 5,000 (flag); p1 is small anyway
    t = pd.DataFrame(
        {"pid": [f"p{i}" for i in range(n)], "followers_count": pd.array(declared, dtype="Int64")}
    )
    out = flags(t, f)
    assert out[0] == ["followers declared >> graph followers (50,000 declared / 10 in the graph)"]
    assert all(v == [] for v in out[1:])


@pytest.mark.parametrize("missing", [None, "followers_count"])
def test_flags_never_drop_rows(missing):
    t = pd.DataFrame({"pid": ["a", "b"], "followers_count": [np.nan, 5]}).drop(columns=missing or [])
    out = flags(t, EdgeArrays.from_pairs([("a", "b")]))
    assert len(out) == 2 and out.index.equals(t.index)


# -- annotate ---------------------------------------------------------------------
def test_annotate_judges_picks_against_everyone():
    n = 200
    table = pd.DataFrame(
        {
            "pid": [f"p{i}" for i in range(n)],
            "community": [i % 2 for i in range(n)],
            "followers": np.arange(n, 0, -1),
            "topics": [["#latteart"] if i % 2 == 0 else ["#v60"] for i in range(n)],
        }
    )
    f = EdgeArrays.from_pairs([("bot", f"p{i}") for i in range(n)] + [("p1", "p0"), ("p2", "p0")])
    table = pd.concat([table, pd.DataFrame({"pid": ["bot"], "community": [1], "followers": [0]})])
    picks = table[table["pid"].isin(["p0", "bot"])].assign(marginal_gain=[120.0, 1.0])
    out = annotate(picks, table, follows=f)
    assert out["reason"].tolist()[0] == (
        "200 followers in the #latteart community; top 1% by followers; reaches ~120 people the earlier picks miss"
    )
    assert out["flags"].tolist() == [[], ["follows many, followed by few (200 following / 0 followers)"]]
    assert out["pid"].tolist() == ["p0", "bot"] and "marginal_gain" in out
