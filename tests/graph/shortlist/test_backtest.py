"""The backtest and the set method on hand-made cases whose answer is known:
(i) a hub that relays a small author once keeps its own audience (the author does not
inherit it), (ii) a set never picks two people with the same relayers; and the
backtest's own rules (a strict split, pickers that only see the past, paired errors)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from graph.shortlist import backtest as engine
from graph.shortlist import baselines


class bt:  # the two modules under one name, as the tests read best
    PRODUCT_METHODS = baselines.PRODUCT_METHODS
    BASELINES = baselines.BASELINES
    cover_relayers = staticmethod(baselines.cover_relayers)
    distinct_relayers = staticmethod(baselines.distinct_relayers)
    followers = staticmethod(baselines.followers)
    run_backtest = staticmethod(engine.run_backtest)
    split_events = staticmethod(engine.split_events)
    score_picks = staticmethod(engine.score_picks)

T0 = pd.Timestamp("2024-01-01", tz="UTC")


def events(rows):
    """rows: (person, author, post_id, day)."""
    df = pd.DataFrame(rows, columns=["person", "author", "post_id", "day"])
    df["at"] = T0 + pd.to_timedelta(df.pop("day"), unit="D")
    df["kind"] = "retweet"
    return df


def hub_and_author(days=(0, 10)):
    """A hub relayed a small author once; 30 people relay the hub, 3 the author."""
    lo, hi = days
    rows = [("hub", "author", "a0", lo)]
    rows += [(f"h{i}", "hub", f"hub{i % 3}", lo + i % (hi - lo)) for i in range(30)]
    rows += [(f"a{i}", "author", "a0", lo + i) for i in range(3)]
    return events(rows)


def test_old_chained_model_handed_the_hub_audience_to_the_author():
    """The contrast: with relays chained like follows (the old default), the author
    that the hub relayed once inherits the hub's audience and is picked."""
    from graph.shortlist.cascade import propagation_graph
    from graph.shortlist.selection import ris_greedy

    past = hub_and_author()
    pairs = past.groupby(["person", "author"]).size().reset_index(name="w")
    from graph.model import EdgeArrays

    relays = EdgeArrays.from_pairs(list(pairs.itertuples(index=False, name=None)))
    none = EdgeArrays.from_pairs([], nodes=list(relays.nodes))
    old = ris_greedy(propagation_graph(none, relays, relay_hops="any"), 1, samples=5000)
    assert old["pid"].tolist() == ["author"]


def test_hub_case_in_a_backtest():
    """Future: the hub is relayed by 25 people, the author by 2: the fix reaches 25."""
    fut = events([(f"f{i}", "hub", "hub9", 20) for i in range(25)] + [("g0", "author", "a1", 21), ("g1", "author", "a1", 21)])
    ev = pd.concat([hub_and_author(), fut], ignore_index=True)
    r = bt.run_backtest(ev, at=T0 + pd.Timedelta(days=15), top=(1,), methods={"set": bt.PRODUCT_METHODS["set"],
                        "distinct_relayers": bt.BASELINES["distinct_relayers"]}, bootstrap=20)  # fmt: skip
    row = r.table.set_index("method").loc["set"]
    assert r.picks["set", 1] == ["hub"] and row["audience"] == 25 and row["x_audience"] == 1.0


# -- (ii) a set does not pick two people with the same relayers --------------------------
def same_audience():
    rows = [(f"p{i}", a, f"{a}{i % 4}", i % 10) for a in ("twin1", "twin2") for i in range(20)]
    rows += [(f"q{i}", "other", f"o{i % 4}", i % 10) for i in range(15)]
    rows += [(f"r{i}", "small", f"s{i % 4}", i % 10) for i in range(5)]
    return events(rows)


@pytest.mark.parametrize("name", ["set", "cover_relayers"])
def test_set_does_not_pick_two_people_with_the_same_relayers(name):
    picker = {**bt.PRODUCT_METHODS, **bt.BASELINES}[name]
    picks = picker(same_audience(), None, 2, 0)
    assert len(picks) == 2 and "other" in picks and len({"twin1", "twin2"} & set(picks)) == 1


def test_topk_by_distinct_relayers_does_pick_both_twins():  # the contrast the set avoids
    assert sorted(bt.distinct_relayers(same_audience(), 2)) == ["twin1", "twin2"]


# -- the backtest library ---------------------------------------------------------
def test_split_is_strict_and_pickers_see_only_the_past():
    ev = same_audience()
    seen = {}

    def spy(past, follows, k, seed):
        seen["max_at"], seen["people"] = past["at"].max(), set(past["person"]) | set(past["author"])
        return ["other"]

    T = T0 + pd.Timedelta(days=5)
    r = bt.run_backtest(ev, at=T, top=(1,), methods={"spy": spy}, default="spy", bootstrap=0, oracle=False)
    assert seen["max_at"] < T and r.info["n_past"] == int((ev["at"] < T).sum())
    future_only = set(ev.loc[ev["at"] >= T, "person"]) - set(ev.loc[ev["at"] < T, "person"])
    assert future_only and not (future_only & seen["people"])
    past, future, T2 = bt.split_events(ev, fraction=0.5)
    assert past["at"].max() < T2 <= future["at"].min() and len(past) + len(future) == len(ev)


def test_scores_exclude_the_picks_and_count_two_hops():
    fut = events([("b", "a", 1, 0), ("c", "a", 1, 0), ("a", "b", 2, 0), ("d", "b", 3, 0), ("e", "d", 4, 0)])
    assert bt.score_picks(fut, ["a"]) == {"audience": 2.0, "audience2": 3.0, "share": 0.4}
    assert bt.score_picks(fut, ["a", "b"])["audience"] == 2.0  # c and d; a and b are picks


def test_paired_bootstrap_and_followers_skip():
    rng = np.random.default_rng(0)
    rows = [(f"u{rng.integers(300)}", f"au{rng.integers(30)}", f"p{j}", int(rng.integers(0, 100))) for j in range(3000)]
    ev = events(rows)
    ev["post_id"] = ev["author"] + ":" + ev["post_id"].str[1:].astype(int).mod(40).astype(str)
    r = bt.run_backtest(ev, top=(5, 10), methods={"cover_relayers": bt.cover_relayers, "followers": bt.followers,
                        "distinct_relayers": bt.BASELINES["distinct_relayers"]}, default="cover_relayers", bootstrap=50)  # fmt: skip
    t = r.table.set_index(["method", "k"])
    assert (t.loc["cover_relayers", "se_audience"] == 0).all()
    assert (t.loc["distinct_relayers", "se_audience"] > 0).all()
    assert "followers" not in t.index.get_level_values(0) and any("followers" in n for n in r.notes)
    assert set(r.info["best"][5]) == {"audience", "audience2", "share"}
    assert "k = 10" in r.to_text()


def test_followers_baseline_skips_all_tied_scores():
    from graph.model import EdgeArrays

    ring = EdgeArrays.from_pairs([("a", "b"), ("b", "c"), ("c", "a")])
    assert bt.followers(None, ring, 2) is None
    assert bt.followers(None, EdgeArrays.from_pairs([("a", "b"), ("c", "b")]), 1) == ["b"]
