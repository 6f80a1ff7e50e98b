"""Niche scoping with --topics and its report."""

from pathlib import Path

import pytest

from graph.model import LoadError
from loaders.niche import NicheReport, scope_to_topics
from loaders.registry import read_paths

FIX = Path(__file__).parents[1] / "fixtures"


@pytest.fixture(scope="module")
def batch():
    return read_paths([FIX / "twarc" / "search.jsonl", FIX / "twarc" / "followers.jsonl"])


def test_keeps_people_who_posted_or_relayed_the_topics(batch):
    s = scope_to_topics(batch, "#LatteArt")
    # lisa and rob posted #latteart; bea retweeted it. carl only replied, dan and the fan are off-topic
    assert set(s.people.pid) == {"x:latteartlisa", "x:roaster_rob", "x:baristabea"}
    assert all(
        src in set(s.people.pid) and dst in set(s.people.pid)
        for src, dst in zip(s.follows.source, s.follows.target, strict=False)
    )
    assert set(s.follows.itertuples(index=False)) == {
        ("x:baristabea", "x:latteartlisa"),
        ("x:baristabea", "x:roaster_rob"),
    }
    assert set(s.relayed.person) == {"x:baristabea", "x:roaster_rob"}
    assert set(s.posts.author) <= set(s.people.pid)


def test_report_lines_in_notes(batch):
    s = scope_to_topics(batch, ["specialtycoffee", "#latteart"])
    lines = [n for n in s.notes if n.startswith("niche")]
    assert lines[0] == "niche #specialtycoffee, #latteart: 2 matching post(s)"
    assert "niche people: kept 3, dropped 3" in lines
    assert any(line.startswith("niche follows: kept 2, dropped 2") for line in lines)


def test_no_match_says_what_is_there(batch):
    with pytest.raises(
        LoadError, match=r"no one posted or relayed these hashtags; most used here: #latteart \(2\)"
    ):
        scope_to_topics(batch, "#football")


def test_follow_graph_only_cannot_be_scoped():
    b = read_paths([FIX / "twarc" / "followers.jsonl"])
    with pytest.raises(LoadError, match="no posts with hashtags"):
        scope_to_topics(b, "#latteart")


def test_report_dataclass():
    r = NicheReport(["#a"], kept={"people": 1}, dropped={"people": 4}, matched_posts=2)
    assert r.lines() == ["niche #a: 2 matching post(s)", "niche people: kept 1, dropped 4"]


def test_scoped_load_through_the_pipeline(tmp_path):
    from graph.jobs import load_files
    from graph.stores.embedded import EmbeddedStore

    with EmbeddedStore(tmp_path / "db") as store:
        batch, _ = load_files(store, [FIX / "mastodon"], topics=["#latteart"])
        assert store.counts()["people"] == 3  # lisa posted, bea and rob boosted; carl is off-topic
        assert any(n.startswith("niche people: kept 3, dropped 1") for n in batch.notes)
