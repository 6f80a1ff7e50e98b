"""A folder of mixed exports (issue #13 item 5) loads like its files one by one."""

import shutil
from pathlib import Path

from loaders.merge import merge_batches
from loaders.registry import read_paths

FIX = Path(__file__).parents[1] / "fixtures"
FILES = [
    FIX / "twarc" / "search.jsonl",
    FIX / "bluesky" / "jetstream.jsonl",
    FIX / "bluesky_car" / "bnewbold.robocracy.org.20250310005405.car",
    FIX / "mastodon" / "statuses.json",
    FIX / "gephi_real" / "karate.net",
]


def rows(b):
    return {
        t: sorted(map(tuple, getattr(b, t).astype(str).values.tolist()))
        for t in ("follows", "relayed", "mentions", "relays")
    }


def test_mixed_folder_equals_files_one_by_one(tmp_path):
    for f in FILES:
        shutil.copy(f, tmp_path)
    (tmp_path / "notes.txt").write_text("what I downloaded, and when\n")
    said = []
    together = read_paths([tmp_path], on_detect=lambda p, f: said.append(f))
    one_by_one = merge_batches([read_paths([f]) for f in FILES])
    assert set(said[0].split(" + ")) == {"x-api", "bluesky", "mastodon", "pajek"}
    assert rows(together) == rows(one_by_one)
    assert sorted(together.people.pid) == sorted(one_by_one.people.pid)
    assert any("skipped 1 file(s) of unknown format: notes.txt" in n for n in together.notes)


def test_x_archive_folder_is_still_read_whole(tmp_path):
    said = []
    read_paths([FIX / "x_archive_grailbird"], on_detect=lambda p, f: said.append(f))
    assert said == ["x-archive"]


def test_replies_and_extras_survive_merging_identities_and_scoping(tmp_path):
    from loaders.extras import replies_of
    from loaders.identity import apply_identities
    from loaders.niche import scope_to_topics

    single = read_paths([FIX / "x_archive_deleted_mention"])
    merged = read_paths([FIX / "x_archive_deleted_mention", FIX / "gephi_real" / "karate.net"])
    assert replies_of(merged).equals(replies_of(single)) and len(replies_of(single)) > 0
    assert "likes" in merged.posts and "extra" in merged.people
    owner = "x:alystyle_"
    renamed = apply_identities(single, {owner: "x:alys"})
    assert set(replies_of(renamed).source) == {"x:alys"}
    tags = [t for ts in single.posts.hashtags for t in ts]
    if tags:
        scoped = scope_to_topics(single, [tags[0]])
        kept = set(scoped.people.pid)
        assert set(replies_of(scoped).source) | set(replies_of(scoped).target) <= kept


def test_extras_and_replies_load_into_the_embedded_store(tmp_path):
    """The stores read only the columns they know: a batch with extras loads as before."""
    from graph.jobs import load_files
    from graph.stores.embedded import EmbeddedStore

    paths = [FIX / "x_archive_deleted_mention", FIX / "gephi_real" / "twitter_country.gexf",
             FIX / "bluesky_atproto_dump" / "author_feed.json"]  # fmt: skip
    with EmbeddedStore(tmp_path / "db") as store:
        batch, _ = load_files(store, paths)
        counts = store.counts()
        again, _ = load_files(store, paths)
        assert store.counts() == counts  # a reload adds nothing
    assert counts["people"] == len(batch.people)
    assert counts["follows"] == len(batch.follows)
    assert counts["posts"] == len(batch.posts)
