"""--format auto: every format is recognised from its content; CSV and SNAP keep working."""

import gzip
import json
from pathlib import Path

import pytest

from graph.model import LoadError
from loaders.registry import FORMATS, detect_format, read_paths

ROOT = Path(__file__).parents[2]
FIX = ROOT / "tests" / "fixtures"


@pytest.mark.parametrize(
    "path,expected",
    [
        ("twarc/search.jsonl", "x-api"),
        ("twarc/followers.jsonl", "x-api"),
        ("twarc/flat.jsonl", "x-api"),
        ("twarc", "x-api"),
        ("x_archive/twitter-2024-05-03-archive", "x-archive"),
        ("x_archive/twitter-2024-05-03-archive/data", "x-archive"),
        ("x_archive/twitter-2024-05-03-archive/data/follower.js", "x-archive"),
        ("bluesky/getFollows.json", "bluesky"),
        ("bluesky/getFollowers.json", "bluesky"),
        ("bluesky/getRepostedBy.json", "bluesky"),
        ("bluesky/listRecords_follow.json", "bluesky"),
        ("bluesky/listRecords_repost.json", "bluesky"),
        ("bluesky/jetstream.jsonl", "bluesky"),
        ("bluesky/getAuthorFeed.json", "bluesky"),
        ("bluesky/getProfiles.json", "bluesky"),
        ("mastodon/account.json", "mastodon"),
        ("mastodon/followers.json", "mastodon"),
        ("mastodon/statuses.json", "mastodon"),
        ("mastodon", "mastodon"),
        ("mastodon_archive/coffee.social.user.lisa.json", "mastodon"),
        ("gephi/coffee.graphml", "graphml"),
        ("gephi/coffee.gexf", "gexf"),
        ("x_archive_deleted_mention", "x-archive"),
        ("x_archive_grailbird", "x-archive"),
        ("x_archive_grailbird/tweets.csv", "x-archive"),
        ("x_archive_grailbird/data/js/tweets/2013_01.js", "x-archive"),
        ("mastodon_archive_export", "mastodon"),
        ("mastodon_archive_export/outbox.json", "mastodon"),
        ("mastodon_archive_export/actor.json", "mastodon"),
        ("mastodon_csv/following_accounts.csv", "mastodon"),
        ("bluesky_car/bnewbold.robocracy.org.20250310005405.car", "bluesky"),
        ("bluesky_atproto_dump/author_feed.json", "bluesky"),
        ("bluesky_atproto_dump/search_posts.json", "bluesky"),
        ("twarc_old/noflat_trimmed.jsonl", "x-api"),
        ("gephi_real/yed_items05.graphml", "graphml"),
        ("gephi_real/twitter_country_gexf13.gexf", "gexf"),
        ("gephi_real/polblogs_top40.gml", "gml"),
        ("gephi_real/karate.net", "pajek"),
        ("gephi_real/gephi_doc_example.gdf", "gdf"),
        ("gephi_real/nodexl_teaching_abcd.xlsx", "nodexl"),
    ],
)
def test_fixture_formats_are_detected(path, expected):
    assert detect_format(FIX / path) == expected


def test_archive_zip_is_detected(tmp_path):
    import zipfile

    z = tmp_path / "twitter-archive.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for f in (FIX / "x_archive" / "twitter-2024-05-03-archive" / "data").iterdir():
            zf.write(f, f"data/{f.name}")
    assert detect_format(z) == "x-archive"


def test_csv_and_snap_keep_working(tmp_path):
    assert detect_format(ROOT / "sample_data") == "csv"
    assert detect_format(ROOT / "sample_data" / "follows.csv") == "csv"
    snap = tmp_path / "edges.txt.gz"
    with gzip.open(snap, "wt") as f:
        f.write("# Directed graph\n1 2\n2 3\n3 1\n")
    assert detect_format(snap) == "snap"


def test_json_with_csv_words_is_not_csv(tmp_path):
    f = tmp_path / "page.jsonl"  # has a comma and the word "handle" on line 1
    f.write_text(
        json.dumps({"subject": {"did": "did:plc:abcdefgh", "handle": "a.bsky.social"}, "follows": []}) + "\n"
    )
    assert detect_format(f) == "bluesky"


def test_pretty_page_longer_than_the_sample_is_still_detected(tmp_path):
    page = json.loads((FIX / "twarc" / "search.jsonl").read_text().splitlines()[0])
    page["data"] = page["data"] * 400  # > 64 KiB before the first value ends
    f = tmp_path / "big.json"
    f.write_text(json.dumps(page, indent=2))
    assert f.stat().st_size > 64 * 1024
    assert detect_format(f) == "x-api"


@pytest.mark.parametrize(
    "content",
    [b"hello world, this is prose.\nnot a graph at all\n", b'{"foo": 1}\n', b"\x89PNG\r\n\x1a\n\x00\x00"],
)
def test_unknown_content_is_refused(tmp_path, content):
    f = tmp_path / "mystery.dat"
    f.write_bytes(content)
    with pytest.raises(LoadError, match="unknown format"):
        detect_format(f)


def test_auto_reads_several_formats_and_says_what_it_detected():
    said = []
    b = read_paths(
        [FIX / "twarc" / "search.jsonl", FIX / "mastodon", FIX / "gephi" / "coffee.gexf"],
        on_detect=lambda p, f: said.append(f),
    )
    assert said == ["x-api", "mastodon", "gexf"]
    assert {"x", "mastodon"} == set(b.people.platform)


def test_every_format_is_registered():
    assert {"csv", "snap", "x-api", "twarc", "x-archive", "bluesky", "mastodon", "graphml", "gexf", "gml",
            "pajek", "gdf", "nodexl"} <= set(FORMATS)  # fmt: skip


def test_every_format_says_what_it_reads_and_drops():
    for f in FORMATS.values():
        if f.name != "twarc":  # an alias of x-api
            assert f.reads and f.drops, f.name


def test_formats_command_prints_reads_and_drops():
    from click.testing import CliRunner

    from graph.cli import main

    out = CliRunner().invoke(main, ["formats"]).output
    assert (
        "nodexl" in out
        and out.count("reads:") == len(FORMATS) - 1
        and out.count("drops:") == len(FORMATS) - 1
    )
