"""Mastodon loader: accounts, /followers and /following pages, statuses with reblog."""

import shutil
from pathlib import Path

import pytest

from graph.model import LoadError
from loaders.mastodon import parse_mastodon, read_mastodon

FIX = Path(__file__).parents[1] / "fixtures" / "mastodon"


@pytest.fixture(scope="module")
def folder():
    return read_mastodon([FIX])


def test_accounts_are_fully_qualified(folder):
    people = folder.people.set_index("pid")
    assert set(people.index) == {
        "mastodon:lisa@coffee.social",
        "mastodon:bea@coffee.social",  # local acct "bea" + host of its url
        "mastodon:rob@roasters.example",
        "mastodon:carl@mastodon.example",
    }
    assert people.loc["mastodon:lisa@coffee.social", "bio"] == "Pouring rosettas since 2015. #latteart"
    assert people.loc["mastodon:bea@coffee.social", "followers_count"] == 640


def test_followers_subject_from_account_json_and_following_from_file_name(folder):
    follows = set(zip(folder.follows.source, folder.follows.target, strict=False))
    assert (
        "mastodon:carl@mastodon.example",
        "mastodon:lisa@coffee.social",
    ) in follows  # followers.json + account.json
    assert (
        "mastodon:lisa@coffee.social",
        "mastodon:rob@roasters.example",
    ) in follows  # lisa@….following.json
    assert len(follows) == 5


def test_reblogs_are_boosts_of_the_original(folder):
    ev = sorted(zip(folder.relayed.person, folder.relayed.kind, strict=False))
    assert ev == [("mastodon:bea@coffee.social", "boost"), ("mastodon:rob@roasters.example", "boost")]
    original = "mastodon:https://coffee.social/users/lisa/statuses/112280000000000001"
    assert set(folder.relayed.post_id) == {original}
    posts = folder.posts.set_index("post_id")
    assert posts.loc[original, "author"] == "mastodon:lisa@coffee.social"
    assert posts.loc[original, "hashtags"] == ["#latteart"]
    assert posts.loc[original, "text"] == "Morning rosetta practice with @bea #LatteArt"
    assert folder.mentions.values.tolist() == [
        ["mastodon:lisa@coffee.social", "mastodon:bea@coffee.social", 1]
    ]


def test_mastodon_archive_wrapper():
    b = read_mastodon([FIX.parent / "mastodon_archive" / "coffee.social.user.lisa.json"])
    assert sorted(zip(b.follows.source, b.follows.target, strict=False)) == [
        ("mastodon:bea@coffee.social", "mastodon:lisa@coffee.social"),
        ("mastodon:carl@mastodon.example", "mastodon:lisa@coffee.social"),
        ("mastodon:lisa@coffee.social", "mastodon:rob@roasters.example"),
    ]
    assert len(b.posts) == 1


def test_followers_page_without_subject_is_an_error(tmp_path):
    shutil.copy(FIX / "followers.json", tmp_path / "followers.json")
    with pytest.raises(LoadError, match=r"followers.json:\d+: whose followers are these\?"):
        read_mastodon([tmp_path / "followers.json"])


def test_local_acct_without_url_is_an_error():
    with pytest.raises(LoadError, match="'ann' has no instance"):
        parse_mastodon('{"id": "1", "username": "ann", "acct": "ann"}')
