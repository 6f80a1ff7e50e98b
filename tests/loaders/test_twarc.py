"""X API v2 / twarc2 loader, on fixtures in the documented twarc2 output shapes."""

from pathlib import Path

import pytest

from graph.model import LoadError
from loaders.twarc import parse_twarc, read_twarc

FIX = Path(__file__).parents[1] / "fixtures" / "twarc"


def pairs(df, a="source", b="target"):
    return sorted(zip(df[a], df[b], strict=False))


@pytest.fixture(scope="module")
def search():
    return read_twarc([FIX / "search.jsonl"])


def test_people_keyed_by_username_with_public_metrics(search):
    people = search.people.set_index("pid")
    assert "x:latteartlisa" in people.index  # username "LatteArtLisa", lower-cased
    assert people.loc["x:latteartlisa", "followers_count"] == 8800
    assert people.loc["x:latteartlisa", "name"] == "Lisa | Latte Art"
    assert people.loc["x:baristabea", "bio"].startswith("Barista")


def test_retweet_and_quote_are_relays_of_the_original(search):
    ev = search.relayed.set_index(["person", "post_id"])["kind"].to_dict()
    assert ev[("x:baristabea", "x:1780000000000000101")] == "retweet"
    assert ev[("x:roaster_rob", "x:1780000000000000101")] == "quote"
    posts = search.posts.set_index("post_id")
    assert "x:1780000000000000102" not in posts.index  # a retweet is not a post
    assert "x:1780000000000000103" in posts.index  # a quote is
    assert posts.loc["x:1780000000000000101", "hashtags"] == ["#latteart", "#specialtycoffee"]


def test_retweet_of_author_only_in_includes_has_its_post(search):
    posts = search.posts.set_index("post_id")
    # the original (by footballfan99) is only in includes.tweets / includes.users
    assert posts.loc["x:1780000000000000090", "author"] == "x:footballfan99"
    assert ("x:cuppingcarl", "x:1780000000000000090") in set(
        zip(search.relayed.person, search.relayed.post_id, strict=False)
    )


def test_deleted_original_recovered_from_rt_prefix_or_skipped(search):
    posts = search.posts.set_index("post_id")
    # "RT @cuppingcarl: ..." of a tweet listed under errors: author recovered from the text
    assert posts.loc["x:1780000000000000099", "author"] == "x:cuppingcarl"
    # a quote of a withheld tweet has no author anywhere: skipped, and counted
    assert "x:1780000000000000098" not in set(search.relayed.post_id)
    assert any("skipped 1 retweet(s)/quote(s)" in n for n in search.notes)
    assert any("2 API error object(s)" in n for n in search.notes)


def test_mentions_and_replies_count_once(search):
    m = search.mentions.set_index(["source", "target"])["count"].to_dict()
    assert m[("x:latteartlisa", "x:baristabea")] == 1
    assert m[("x:cuppingcarl", "x:latteartlisa")] == 1  # reply + its @mention: once
    assert ("x:baristabea", "x:latteartlisa") not in m  # a retweet's mentions are not mentions


def test_follower_and_following_pages():
    b = read_twarc([FIX / "followers.jsonl"])
    assert pairs(b.follows) == [
        ("x:baristabea", "x:latteartlisa"),  # from /users/<lisa>/followers and /users/<bea>/following
        ("x:baristabea", "x:roaster_rob"),
        ("x:cuppingcarl", "x:latteartlisa"),
        ("x:decaf_dan", "x:latteartlisa"),
    ]


def test_flattened_form_gives_the_same_graph_as_pages(search):
    flat = read_twarc([FIX / "flat.jsonl"])
    assert set(zip(flat.relayed.person, flat.relayed.post_id, flat.relayed.kind, strict=False)) <= set(
        zip(search.relayed.person, search.relayed.post_id, search.relayed.kind, strict=False)
    )
    assert len(flat.relayed) == 2
    assert set(flat.posts.post_id) == {
        "x:1780000000000000101",
        "x:1780000000000000103",
        "x:1780000000000000104",
    }
    # the quoted/retweeted original (by lisa) mentions bea: the original author's mention, in both forms
    assert (
        pairs(flat.mentions)
        == pairs(search.mentions)
        == [
            ("x:cuppingcarl", "x:latteartlisa"),
            ("x:latteartlisa", "x:baristabea"),
        ]
    )


def test_progress_counts_records():
    seen = []
    read_twarc([FIX / "search.jsonl"], progress=seen.append)
    assert sum(seen) == 2  # two pages


def test_mention_without_id_is_keyed_by_username():
    line = '{"id": "5", "author_id": "1", "text": "hi @Zed", "entities": {"mentions": [{"start": 3, "end": 7, "username": "Zed"}]}}'
    assert pairs(parse_twarc(line).mentions) == [("x:1", "x:zed")]


def test_numeric_ids_are_required():
    with pytest.raises(
        LoadError, match=r"<input>:2: column 'data\[0\].author_id': 'abc' is not a numeric id"
    ):
        parse_twarc('{"data": []}\n{"data": [{"id": "1", "text": "x", "author_id": "abc"}]}\n')
