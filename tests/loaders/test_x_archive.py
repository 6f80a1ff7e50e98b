"""X account archive loader: folder, zip and single data/*.js files."""

import shutil
import zipfile
from pathlib import Path

import pytest

from graph.model import LoadError
from loaders.x_archive import read_x_archive

ARCHIVE = Path(__file__).parents[1] / "fixtures" / "x_archive" / "twitter-2024-05-03-archive"


def as_zip(tmp_path: Path) -> Path:
    out = tmp_path / "twitter-2024-05-03-archive.zip"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in (ARCHIVE / "data").iterdir():
            zf.write(f, f"data/{f.name}")
        zf.writestr("assets/images/favicon.ico", b"\x00\x01")
    return out


@pytest.fixture(scope="module")
def folder():
    return read_x_archive([ARCHIVE])


def test_owner_and_follows(folder):
    people = folder.people.set_index("pid")
    assert people.loc["x:baristabea", "name"] == "Bea the Barista"
    assert people.loc["x:baristabea", "bio"].startswith("Barista & trainer")
    follows = set(zip(folder.follows.source, folder.follows.target, strict=False))
    # follower ids named by the archive's own tweets (mentions/replies) get their username
    assert ("x:latteartlisa", "x:baristabea") in follows
    assert ("x:cuppingcarl", "x:baristabea") in follows
    assert ("x:baristabea", "x:roaster_rob") in follows
    # an id the archive never names stays an id
    assert ("x:1600000077", "x:baristabea") in follows
    assert any("known only by their numeric id" in n for n in folder.notes)


def test_tweets_posts_mentions_and_retweets(folder):
    posts = folder.posts.set_index("post_id")
    assert posts.loc["x:1780000000000000201", "hashtags"] == ["#specialtycoffee", "#latteart"]
    assert str(posts.loc["x:1780000000000000201", "created_at"]) == "2024-04-15 07:00:00"
    assert "x:1780000000000000202" not in posts.index  # the retweet
    relays = folder.relays.set_index(["source", "target"])["count"].to_dict()
    assert relays == {("x:baristabea", "x:latteartlisa"): 1}
    mentions = set(zip(folder.mentions.source, folder.mentions.target, strict=False))
    assert mentions == {
        ("x:baristabea", "x:cuppingcarl"),
        ("x:baristabea", "x:roaster_rob"),
        ("x:latteartlisa", "x:baristabea"),  # inside the retweeted text: the original author's mention
    }


def test_zip_equals_folder(tmp_path, folder):
    z = read_x_archive([as_zip(tmp_path)])
    assert z.sizes() == folder.sizes()
    assert set(z.follows.itertuples(index=False)) == set(folder.follows.itertuples(index=False))
    assert z.sources[0].endswith(".zip:data/account.js")


def test_single_file_finds_account_js_next_to_it():
    b = read_x_archive([ARCHIVE / "data" / "follower.js"])
    assert len(b.follows) == 3 and set(b.follows.target) == {"x:baristabea"}


def test_follower_js_without_account_js_is_an_error(tmp_path):
    shutil.copy(ARCHIVE / "data" / "follower.js", tmp_path / "follower.js")
    with pytest.raises(LoadError, match="archive owner is unknown: data/account.js is missing"):
        read_x_archive([tmp_path / "follower.js"])


def test_corrupt_zip_member_is_a_load_error(tmp_path):
    z = as_zip(tmp_path)
    info = zipfile.ZipFile(z).getinfo("data/tweets.js")
    data = bytearray(z.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)  # compressed bytes
    mid = start + info.compress_size // 2
    data[mid : mid + 8] = bytes(b ^ 0xFF for b in data[mid : mid + 8])
    bad = tmp_path / "bad.zip"
    bad.write_bytes(bytes(data))
    with pytest.raises(LoadError, match=r"bad.zip:data/tweets.js.*corrupt zip member"):
        read_x_archive([bad])
