"""Merging sources: people unify by platform + handle, and across platforms by a mapping file."""

from pathlib import Path

import pytest

from graph.model import LoadError
from loaders.identity import apply_identities, parse_identities, read_identities
from loaders.registry import read_paths

FIX = Path(__file__).parents[1] / "fixtures"
MAPPING = (
    "x,bluesky,mastodon,name\nLatteArtLisa;1500000002,latteartlisa.bsky.social,@lisa@coffee.social,Lisa\n"
)


def test_parse_mapping_file(tmp_path):
    f = tmp_path / "people.csv"
    f.write_bytes(b"\xef\xbb\xbf" + MAPPING.encode())
    assert read_identities(f) == {
        "x:1500000002": "x:latteartlisa",
        "bluesky:latteartlisa.bsky.social": "x:latteartlisa",
        "mastodon:lisa@coffee.social": "x:latteartlisa",
    }


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "empty mapping file"),
        ("name\nLisa\n", "no platform columns"),
        ("x,Blue Sky\na,b\n", "'Blue Sky' is not a platform name"),
        (
            "x,bluesky\na,b.bsky.social\nc,b.bsky.social\n",
            r"<input>:3: column 'bluesky': bluesky:b.bsky.social is already listed on line 2",
        ),
    ],
)
def test_bad_mapping_files(text, message):
    with pytest.raises(LoadError, match=message):
        parse_identities(text)


def test_apply_merges_people_and_rewrites_edges():
    b = read_paths([FIX / "mastodon", FIX / "bluesky" / "getFollowers.json"])
    out = apply_identities(b, parse_identities(MAPPING))
    pids = set(out.people.pid)
    assert "x:latteartlisa" in pids
    assert not {"mastodon:lisa@coffee.social", "bluesky:latteartlisa.bsky.social"} & pids
    lisa = out.people.set_index("pid").loc["x:latteartlisa"]
    assert lisa["followers_count"] in (2200,) and lisa["name"] == "Lisa ☕"
    assert ("mastodon:bea@coffee.social", "x:latteartlisa") in set(
        zip(out.follows.source, out.follows.target, strict=False)
    )
    assert ("bluesky:bea.coffee", "x:latteartlisa") in set(
        zip(out.follows.source, out.follows.target, strict=False)
    )
    assert set(out.posts.author) >= {"x:latteartlisa"}
    assert any(n.startswith("identities: 2 account(s) merged") for n in out.notes)


def test_several_loads_unify_and_reloads_add_nothing(tmp_path):
    from graph.jobs import load_files
    from graph.stores.embedded import EmbeddedStore

    ids = parse_identities(MAPPING)
    with EmbeddedStore(tmp_path / "db") as store:
        load_files(store, [FIX / "twarc" / "search.jsonl"])
        load_files(store, [FIX / "twarc" / "followers.jsonl", FIX / "twarc" / "flat.jsonl"])
        x_only = store.counts()
        assert x_only["people"] == 6  # the same six X accounts, keyed by username, across three files
        store.load(apply_identities(read_paths([FIX / "mastodon", FIX / "bluesky"]), ids))
        first = store.counts()
        assert first["people"] == 6 + 3 + 4  # lisa is one person on three platforms
        for paths in ([FIX / "twarc" / "search.jsonl"], [FIX / "twarc" / "flat.jsonl"]):
            load_files(store, paths)
        store.load(apply_identities(read_paths([FIX / "mastodon", FIX / "bluesky"]), ids))
        assert store.counts() == first
