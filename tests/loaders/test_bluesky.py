"""Bluesky loader: AT Protocol API pages, repo records and Jetstream events."""

import json
from pathlib import Path

import pytest

from graph.model import LoadError
from loaders.bluesky import parse_bluesky, read_bluesky

FIX = Path(__file__).parents[1] / "fixtures" / "bluesky"


def did_of(name: str) -> str:
    page = json.loads((FIX / "getFollowers.json").read_text())
    people = [page["subject"], *page["followers"]]
    return next(p["did"] for p in people if p["handle"].startswith(name))


def pairs(df):
    return sorted(zip(df.source, df.target, strict=False))


def test_get_follows_and_get_followers():
    b = read_bluesky([FIX / "getFollows.json", FIX / "getFollowers.json"])
    gone = did_of("handle.invalid")
    assert pairs(b.follows) == sorted(
        [
            ("bluesky:bea.coffee", "bluesky:latteartlisa.bsky.social"),
            ("bluesky:bea.coffee", "bluesky:roasterrob.bsky.social"),
            ("bluesky:cuppingcarl.bsky.social", "bluesky:latteartlisa.bsky.social"),
            (f"bluesky:{gone}", "bluesky:latteartlisa.bsky.social"),  # handle.invalid: keyed by DID
        ]
    )
    people = b.people.set_index("pid")
    assert people.loc["bluesky:bea.coffee", "name"] == "Bea the Barista"


def test_get_reposted_by_relays_a_post_by_the_uri_author():
    b = read_bluesky([FIX / "getRepostedBy.json"])
    post = b.posts.iloc[0]
    assert post.post_id.startswith("bluesky:at://did:plc:") and "/app.bsky.feed.post/" in post.post_id
    assert post.author.startswith("bluesky:did:plc:")  # only the DID is known in this file
    assert sorted(b.relayed.person) == ["bluesky:bea.coffee", "bluesky:cuppingcarl.bsky.social"]
    assert set(b.relayed.kind) == {"repost"}


def test_did_to_handle_map_from_the_same_load():
    b = read_bluesky([FIX / "getRepostedBy.json", FIX / "getProfiles.json"])
    assert set(b.posts.author) == {"bluesky:latteartlisa.bsky.social"}
    assert b.people.set_index("pid").loc["bluesky:latteartlisa.bsky.social", "followers_count"] == 2400


def test_list_records_follow_and_repost():
    b = read_bluesky([FIX / "listRecords_follow.json", FIX / "listRecords_repost.json"])
    rob = (
        "bluesky:"
        + json.loads((FIX / "listRecords_follow.json").read_text())["records"][0]["uri"].split("/")[2]
    )
    assert set(b.follows.source) == {rob} and len(b.follows) == 2
    assert b.relayed.iloc[0].person == rob and str(b.relayed["at"].iloc[0]) == "2024-04-15 09:00:00"


def test_jetstream_events():
    b = read_bluesky([FIX / "jetstream.jsonl"])
    post = b.posts.set_index("post_id").iloc[0]
    assert post.author == "bluesky:latteartlisa.bsky.social"  # identity event gave the handle
    assert post.hashtags == ["#latteart"]
    assert len(b.mentions) == 1 and len(b.relayed) == 1 and len(b.follows) == 1
    assert any("1 app.bsky.feed.like records" in n and "1 delete operations" in n for n in b.notes)


def test_author_feed_with_repost_reason():
    b = read_bluesky([FIX / "getAuthorFeed.json"])
    assert list(b.relayed.person) == ["bluesky:roasterrob.bsky.social"]
    assert list(b.posts.author) == ["bluesky:latteartlisa.bsky.social"]


def test_folder_loads_every_file_once():
    b = read_bluesky([FIX])
    assert len(b.posts) == 1  # the same post from four files
    assert b.mentions["count"].tolist() == [1]


def test_record_without_repo_is_an_error():
    with pytest.raises(LoadError, match="app.bsky.graph.follow record without its repo"):
        parse_bluesky(
            '{"$type": "app.bsky.graph.follow", "subject": "did:plc:abcdefghijklmnop", "createdAt": "2024-01-01T00:00:00Z"}'
        )


def test_bad_did_names_the_field():
    with pytest.raises(LoadError, match=r"<input>:1: column 'follows\[0\].did': 'alice' is not a DID"):
        parse_bluesky(
            '{"subject": {"did": "did:plc:aaaaaaaa", "handle": "a.b"}, "follows": [{"did": "alice", "handle": "x.y"}]}'
        )
