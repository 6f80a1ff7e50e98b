"""Real X archives (issue #13 items 1, 2, 7): counts checked against an independent parse."""

import json
import re
import shutil
from pathlib import Path

import pytest

from loaders.extras import replies_of
from loaders.x_archive import read_x_archive

FIX = Path(__file__).parents[1] / "fixtures"
DELETED = FIX / "x_archive_deleted_mention"
GRAIL = FIX / "x_archive_grailbird"


def ytd(path: Path) -> list:
    """The JSON after the ``… =`` prefix (independent of loaders.jsonio)."""
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index("=") + 1 :].strip().rstrip(";"))


def mention_total(posts, owner: str) -> int:
    """Per post, the distinct accounts it mentions or replies to (not the author): summed."""
    total = 0
    for t in posts:
        names = {m["screen_name"].lower() for m in t.get("entities", {}).get("user_mentions", [])}
        if t.get("in_reply_to_screen_name"):
            names.add(t["in_reply_to_screen_name"].lower())
        total += len(names - {owner})
    return total


def count_from(df, source: str) -> int:
    return int(df.loc[df["source"] == source, "count"].sum())


@pytest.fixture(scope="module")
def deleted():
    return read_x_archive([DELETED])


def test_deleted_account_mentions_load_with_exact_counts(deleted):
    tweets = [t["tweet"] for t in ytd(DELETED / "data" / "tweets.js")]
    owner = ytd(DELETED / "data" / "account.js")[0]["account"]["username"].lower()
    own = [t for t in tweets if not t["full_text"].startswith("RT @")]
    rts = [t for t in tweets if t["full_text"].startswith("RT @")]
    gone = {
        m["screen_name"].lower()
        for t in tweets
        for m in t["entities"]["user_mentions"]
        if m["id_str"] == "-1"
    }
    assert gone  # the fixture has them: the file used to be refused whole
    b = deleted
    assert len(b.posts) == len(own)
    assert count_from(b.mentions, f"x:{owner}") == mention_total(own, owner)
    assert int(b.relays["count"].sum()) == len(rts)
    assert len(b.follows) == len(ytd(DELETED / "data" / "follower.js")) + len(
        ytd(DELETED / "data" / "following.js")
    )
    pids = set(b.people.pid)
    assert {f"x:{n}" for n in gone} <= pids  # kept by @name
    assert any("deleted accounts (X writes id -1)" in n for n in b.notes)
    owner_id = ytd(DELETED / "data" / "account.js")[0]["account"]["accountId"]
    replies = [t for t in own if t.get("in_reply_to_user_id_str") not in (None, owner_id)]
    assert int(replies_of(b)["count"].sum()) == len(replies)


def test_engagement_counts_are_kept(deleted):
    tweets = [
        t["tweet"]
        for t in ytd(DELETED / "data" / "tweets.js")
        if not t["tweet"]["full_text"].startswith("RT @")
    ]
    assert int(deleted.posts["likes"].sum()) == sum(int(t["favorite_count"]) for t in tweets)
    assert int(deleted.posts["reposts"].sum()) == sum(int(t["retweet_count"]) for t in tweets)


def test_mentions_inside_retweeted_text_go_to_the_original_author(deleted):
    tweets = [
        t["tweet"] for t in ytd(DELETED / "data" / "tweets.js") if t["tweet"]["full_text"].startswith("RT @")
    ]
    expected = {}
    for t in tweets:
        author = re.match(r"RT @(\w+):", t["full_text"])[1].lower()
        for m in t["entities"]["user_mentions"]:
            if m["screen_name"].lower() != author:
                pair = (f"x:{author}", f"x:{m['screen_name'].lower()}")
                expected[pair] = expected.get(pair, 0) + 1
    m = deleted.mentions
    got = {(s, t): c for s, t, c in zip(m.source, m.target, m["count"], strict=True) if s != "x:alystyle_"}
    assert got == expected


def test_grailbird_monthly_files_with_exact_counts():
    months = sorted((GRAIL / "data" / "js" / "tweets").glob("*.js"))
    tweets = [t for f in months for t in ytd(f)]
    owner = ytd(GRAIL / "data" / "js" / "user_details.js")["screen_name"].lower()
    own = [t for t in tweets if "retweeted_status" not in t]
    rts = [t for t in tweets if "retweeted_status" in t]
    originals = {t["retweeted_status"]["id_str"]: t["retweeted_status"] for t in rts}
    b = read_x_archive([GRAIL])
    assert len(b.posts) == len(own) + len(originals)
    assert len(b.relayed) == len(rts) and set(b.relayed.kind) == {"retweet"}
    assert count_from(b.mentions, f"x:{owner}") == mention_total(own, owner)
    by_author = sum(
        len(
            {m["screen_name"].lower() for m in o["entities"]["user_mentions"]}
            - {o["user"]["screen_name"].lower()}
        )
        for o in originals.values()
    )
    assert int(b.mentions["count"].sum()) - count_from(b.mentions, f"x:{owner}") == by_author
    assert b.people.set_index("pid").loc[f"x:{owner}", "name"] == "Agustín Córdoba"
    assert any("tweets.csv: skipped" in n for n in b.notes)


def test_tweets_csv_alone_with_exact_counts(tmp_path):
    import csv

    (tmp_path / "data" / "js").mkdir(parents=True)
    shutil.copy(GRAIL / "tweets.csv", tmp_path)
    shutil.copy(GRAIL / "data" / "js" / "user_details.js", tmp_path / "data" / "js")
    rows = list(csv.DictReader((GRAIL / "tweets.csv").open(encoding="utf-8", newline="")))
    owner = "agustincordobaa"
    own = [r for r in rows if not r["retweeted_status_id"]]
    rts = [r for r in rows if r["retweeted_status_id"]]
    b = read_x_archive([tmp_path])
    assert len(b.posts) == len(own) + len({r["retweeted_status_id"] for r in rts})
    assert len(b.relayed) == len(rts)
    expected = 0
    for r in own:
        names = {n.lower() for n in re.findall(r"(?<![\w@])@(\w{1,15})", r["text"])}
        if r["in_reply_to_user_id"] and not r["text"].lstrip().startswith("@"):
            names.add("id:" + r["in_reply_to_user_id"])  # a reply that names nobody first: its id
        expected += len(names - {owner})
    assert count_from(b.mentions, f"x:{owner}") == expected
    assert int(replies_of(b)["count"].sum()) == sum(1 for r in own if r["in_reply_to_user_id"])


def test_a_single_monthly_file_finds_its_owner():
    b = read_x_archive([GRAIL / "data" / "js" / "tweets" / "2013_03.js"])
    assert b.notes[0].startswith("X archive of @agustincordobaa")
