"""Relationship intelligence on hand-made cases with known answers, and on both stores."""

from __future__ import annotations

import io

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graph.model import EdgeArrays, GraphBatch
from graph.relations.introductions import adamic_adar
from graph.relations.momentum import momentum
from graph.relations.tone import ToneRules, tone
from graph.relations.warm_paths import tie_matrix, warm_paths

NODES = ["ana", "ben", "brand", "p", "q", "r"]


def six_people() -> dict[str, EdgeArrays]:
    """brand follows ana; ana <-> p; p relays q; ben mentions r; r follows q.

    By hand: warm distances from {brand, ana, ben}: ana 0, ben 0, brand 0, p 1 (ana), q 2 (via p or r),
    r 1 (ben). Adamic-Adar(p, r): their only common contact is q (degree 2): 1/log 2.
    """
    return {
        "follows": EdgeArrays.from_pairs([("brand", "ana"), ("ana", "p"), ("p", "ana"), ("r", "q")], nodes=NODES),
        "relays": EdgeArrays.from_pairs([("p", "q", 3.0)], nodes=NODES),
        "mentions": EdgeArrays.from_pairs([("ben", "r", 1.0)], nodes=NODES),
    }


def test_warm_paths_by_hand():
    w = warm_paths(six_people(), {"brand": None, "ana": "ana", "ben": "ben"})
    t = w.table().set_index("pid")
    assert t.loc["p", "warm_distance"] == 1 and t.loc["p", "closest_member"] == "ana"
    assert t.loc["r", "warm_distance"] == 1 and t.loc["r", "closest_member"] == "ben"
    assert t.loc["q", "warm_distance"] == 2 and t.loc["q", "closest_member"] == "ana"  # tie: ana sorts first
    assert w.path("q") in (["ana", "p", "q"], ["ben", "r", "q"])
    assert w.path("q", member="ben") == ["ben", "r", "q"]


def test_warm_paths_match_networkx_on_a_random_graph():
    rng = np.random.default_rng(1)
    pairs = [(f"n{a}", f"n{b}") for a, b in rng.integers(0, 300, (900, 2)) if a != b]
    e = {"follows": EdgeArrays.from_pairs(pairs)}
    ours = {"n0": "ana", "n7": "ben"}
    t = warm_paths(e, ours, max_hops=100).table().set_index("pid")
    G = nx.Graph(pairs)
    expected = nx.multi_source_dijkstra_path_length(G, set(ours))  # reference: networkx 3.6
    got = t["warm_distance"].dropna()
    assert got.to_dict() == {k: float(v) for k, v in expected.items()}


def test_adamic_adar_matches_networkx():
    rng = np.random.default_rng(2)
    G = nx.gnp_random_graph(60, 0.08, seed=3)
    nodes = list(G)
    idx = np.array(sorted(rng.choice(60, 20, replace=False)))
    aa, common = adamic_adar(nx.to_scipy_sparse_array(G, nodelist=nodes, format="csr"), idx)
    pairs = [(nodes[a], nodes[b]) for i, a in enumerate(idx) for b in idx[i + 1 :]]
    for (u, v, ref), (u2, v2) in zip(nx.adamic_adar_index(G, pairs), pairs, strict=True):
        i, j = list(idx).index(u2), list(idx).index(v2)
        assert aa[i, j] == pytest.approx(ref)
        assert common[i, j] == len(list(nx.common_neighbors(G, u, v)))


def test_six_people_adamic_adar_by_hand():
    aa, common = adamic_adar(tie_matrix(six_people()), np.array([3, 5]))  # p, r
    assert common[0, 1] == 1 and aa[0, 1] == pytest.approx(1 / np.log(2))


def test_tone_signs():
    # VADER compound signs (vaderSentiment 3.3.2 lexicon)
    got = tone(["@beantherecoffee my order arrived late and the beans were stale. Disappointed",
                "Loving the new Ethiopia from @beantherecoffee, so juicy and sweet",
                "@beantherecoffee do you ship to Canada?"])  # fmt: skip
    assert got[0] < -0.05 and got[1] > 0.05 and got[2] == 0.0


def test_rising_voice_with_known_windows():
    end = pd.Timestamp("2025-06-30")
    at = [end - pd.Timedelta(days=d) for d in (1, 2, 5, 9, 12, 20, 70)] + [end - pd.Timedelta(days=d) for d in range(35, 115, 8)]
    ev = pd.DataFrame({"pid": ["riser"] * 7 + ["steady"] * 10, "at": at})
    t = momentum(ev, recent_days=30, before_days=90).set_index("pid")
    assert (t.loc["riser", "recent"], t.loc["riser", "before"]) == (6, 1)
    assert t.loc["riser", "growth"] == pytest.approx((6 / 30) / (2 / 90))
    assert t.loc["riser", "rising"] and not t.loc["steady", "rising"]


# -- both stores ---------------------------------------------------------------------------------
PEOPLE = "handle,name,topics\nbrand,Brand,#v60\nana,Ana,#v60\np,P,#v60\nq,Q,#v60\nr,R,#v60\ns,S,#wbc\n"
FOLLOWS = "source,target\nbrand,ana\nana,p\np,ana\np,brand\nr,q\nq,brand\ns,brand\n"
POSTS = (
    "post_id,author,created_at,hashtags,text\n"
    "1,brand,2025-01-01T10:00:00Z,#v60,new beans\n"
    "2,p,2025-02-01T09:00:00Z,#v60,@brand my order was late and stale. Awful\n"
    "3,p,2025-03-01T09:30:00Z,#v60,@Brand terrible service again? Disappointed\n"
    "4,q,2025-03-02T21:00:00Z,#v60,@brand do you ship to Oslo?\n"
)
RELAYS = "person,post_id,kind,created_at\nq,1,retweet,2025-01-02T08:00:00Z\nq,2,retweet,2025-02-02T08:00:00Z\n"


def tiny_batch() -> GraphBatch:
    from loaders.base import finish_batch
    from loaders.csv_tables import parse_table

    b = GraphBatch()
    for name, text in (("people", PEOPLE), ("follows", FOLLOWS), ("posts", POSTS), ("relays", RELAYS)):
        table, df = parse_table(io.StringIO(text), path=f"{name}.csv")
        setattr(b, table, df)
    return finish_batch(b)


def test_relationship_jobs_on_both_stores(store):
    from graph.jobs.relations import (
        add_accounts,
        detractors,
        person_card,
        questions,
        read_relations,
        remove_accounts,
        who_knows_us,
    )  # fmt: skip

    store.load(tiny_batch())
    add_accounts(store, ["@brand"], role="brand")
    ours = add_accounts(store, ["ana"], role="member", member="ana")
    assert ours[["handle", "our_role", "our_member"]].values.tolist() == [["brand", "brand", None], ["ana", "member", "ana"]]
    data = read_relations(store)
    knows = who_knows_us(data, top=None).set_index("handle")
    assert knows.loc["p", "mentions_us"] == 2 and str(knows.loc["p", "last_mention_us"]).startswith("2025-03-01")
    assert knows.loc["q", "relays_us"] == 1 and knows.loc["q", "follows_us"] == 1
    assert knows.loc["r", "warm_distance"] == 2 and knows.loc["r", "path"] == "@brand → @q → @r"
    assert knows.loc["p", "closest_member"] == "ana"
    assert questions(data)["handle"].tolist() == ["q", "p"]  # newest first; p's second post asks too
    card = person_card(data, "x:p")
    assert card["us"]["mentions_us"] == 2 and card["warm_path"] == ["brand", "p"]
    assert card["active_hours"][9] == 2
    d = detractors(data, ToneRules(min_pct_score=0))  # p: 2 of 2 posts about us negative
    assert d["pid"].tolist() == ["x:p"] and d["us_negative"].tolist() == [2]
    remove_accounts(store, ["ana"])
    assert read_relations(store).ours["handle"].tolist() == ["brand"]
