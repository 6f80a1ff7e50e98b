"""What platforms hand users (issue #13 items 2, 4, 6, 7): Mastodon's archive and follows CSV,
Bluesky's CAR export and atproto SDK dumps, 2021 twarc2 pages; counts against independent parses."""

import json
import re
import shutil
from pathlib import Path

from loaders.bluesky import read_bluesky
from loaders.extras import replies_of
from loaders.mastodon import read_mastodon
from loaders.mastodon_export import account_of_uri
from loaders.twarc import read_twarc

FIX = Path(__file__).parents[1] / "fixtures"


# -- Mastodon archive ----------------------------------------------------------------------
def qualified(tag: dict) -> str:
    """``@name@host`` of a Mention tag; a local ``@name`` takes its host from ``href``."""
    name = tag["name"].lstrip("@").lower()
    return name if "@" in name else f"{name}@{tag['href'].split('/')[2]}"


def test_mastodon_archive_with_exact_counts():
    folder = FIX / "mastodon_archive_export"
    actor = json.loads((folder / "actor.json").read_text())
    owner = f"{actor['preferredUsername'].lower()}@indieweb.social"
    items = json.loads((folder / "outbox.json").read_text())["orderedItems"]
    creates = [i["object"] for i in items if i["type"] == "Create"]
    boosts = [i["object"] for i in items if i["type"] == "Announce"]
    b = read_mastodon([folder])
    assert len(b.posts) == len(creates) + len(set(boosts) - {c["id"] for c in creates})
    assert len(b.relayed) == len(boosts) and set(b.relayed.kind) == {"boost"}
    expected = replies = 0
    for o in creates:
        names = {qualified(t) for t in o.get("tag", []) if t["type"] == "Mention"}
        parent = re.match(r"https://([^/]+)/users/([^/]+)/", o["inReplyTo"] or "")
        if parent:
            names.add(f"{parent[2].lower()}@{parent[1]}")
            replies += f"{parent[2].lower()}@{parent[1]}" != owner
        expected += len(names - {owner})
    m = b.mentions
    assert int(m.loc[m.source == f"mastodon:{owner}", "count"].sum()) == expected
    assert int(replies_of(b)["count"].sum()) == replies
    assert b.people.set_index("pid").loc[f"mastodon:{owner}", "name"] == actor["name"]
    assert any("15 likes entries" in n for n in b.notes)


def test_mastodon_follows_csv_with_exact_counts(tmp_path):
    src = FIX / "mastodon_csv" / "following_accounts.csv"
    shutil.copy(src, tmp_path / "todb@infosec.exchange.following_accounts.csv")
    rows = [ln.split(",")[0].lower() for ln in src.read_text().splitlines()[1:] if ln.strip()]
    b = read_mastodon([tmp_path])
    assert sorted(b.follows.target) == sorted(f"mastodon:{a}" for a in rows)
    assert set(b.follows.source) == {"mastodon:todb@infosec.exchange"}


def test_mastodon_follows_csv_next_to_an_archive_takes_its_owner(tmp_path):
    shutil.copy(FIX / "mastodon_archive_export" / "actor.json", tmp_path)
    shutil.copy(FIX / "mastodon_csv" / "following_accounts.csv", tmp_path)
    b = read_mastodon([tmp_path])
    assert set(b.follows.source) == {"mastodon:dealingwith@indieweb.social"} and len(b.follows) == 40


def test_account_of_uri_shapes():
    assert account_of_uri("https://hachyderm.io/users/Nova/statuses/1") == "nova@hachyderm.io"
    assert account_of_uri("not a uri") is None


# -- Bluesky CAR ------------------------------------------------------------------------------
def test_bluesky_car_export_with_exact_counts():
    import libipld  # the independent parse: every block, no tree walk

    car = FIX / "bluesky_car" / "bnewbold.robocracy.org.20250310005405.car"
    header, blocks = libipld.decode_car(car.read_bytes())
    did = blocks[header["roots"][0]]["did"]
    recs = [v for v in blocks.values() if isinstance(v, dict) and isinstance(v.get("$type"), str)]
    by = lambda t: [r for r in recs if r["$type"] == t]  # noqa: E731
    posts, reposts, follows = (
        by("app.bsky.feed.post"),
        by("app.bsky.feed.repost"),
        by("app.bsky.graph.follow"),
    )
    quotes = [p for p in posts if "app.bsky.feed.post" in str((p.get("embed") or {}).get("record", {}))]
    mentions = 0
    for p in posts:
        targets = {
            f["did"] for fc in p.get("facets", []) for f in fc["features"] if f["$type"].endswith("#mention")
        }
        parent = (p.get("reply") or {}).get("parent", {}).get("uri", "")
        if parent and parent.split("/")[2] != did:
            targets.add(parent.split("/")[2])
        mentions += len(targets - {did})
    b = read_bluesky([car])
    assert sorted(b.follows.target) == sorted(f"bluesky:{f['subject']}" for f in follows)
    assert set(b.follows.source) == {f"bluesky:{did}"}
    assert (b.posts.author == f"bluesky:{did}").sum() == len(posts)
    assert len(b.relayed) == len(reposts) + len(quotes)
    assert int(b.mentions["count"].sum()) == mentions
    assert b.posts.loc[b.posts.author == f"bluesky:{did}", "created_at"].notna().all()
    profile = by("app.bsky.actor.profile")[0]
    assert b.people.set_index("pid").loc[f"bluesky:{did}", "name"] == profile["displayName"]


# -- atproto SDK dumps -----------------------------------------------------------------------
def test_atproto_author_feed_dump_keeps_quotes_mentions_and_times():
    path = FIX / "bluesky_atproto_dump" / "author_feed.json"
    feed = json.loads(path.read_text())["feed"]
    posts = {i["post"]["uri"]: i["post"] for i in feed}
    reposts = [i for i in feed if (i.get("reason") or {}).get("py_type", "").endswith("#reasonRepost")]
    quotes = [
        p
        for p in posts.values()
        if (p["record"].get("embed") or {}).get("py_type", "").startswith("app.bsky.embed.record")
    ]
    b = read_bluesky([path])
    own = b.posts[b.posts.post_id.isin([f"bluesky:{u}" for u in posts])]
    assert len(own) == len(posts)
    assert own.created_at.notna().sum() == sum(1 for p in posts.values() if p["record"].get("created_at"))
    assert (b.relayed.kind == "repost").sum() == len(reposts)
    assert (b.relayed.kind == "quote").sum() == len(quotes) > 0
    assert int(own.likes.sum()) == sum(p["like_count"] for p in posts.values())
    replies = [p for p in posts.values() if p["record"].get("reply")
               and p["record"]["reply"]["parent"]["uri"].split("/")[2] != p["author"]["did"]]  # fmt: skip
    assert int(replies_of(b)["count"].sum()) == len(replies)
    assert any("atproto Python SDK" in n for n in b.notes)


def test_atproto_search_dump_keeps_mention_facets():
    path = FIX / "bluesky_atproto_dump" / "search_posts.json"
    posts = json.loads(path.read_text())["posts"]
    expected = 0
    for p in posts:
        targets = {f["did"] for fc in p["record"].get("facets") or [] for f in fc["features"]
                   if f["py_type"].endswith("#mention")}  # fmt: skip
        parent = (p["record"].get("reply") or {}).get("parent", {}).get("uri")
        if parent:
            targets.add(parent.split("/")[2])
        expected += len(targets - {p["author"]["did"]})
    b = read_bluesky([path])
    assert expected > 0 and int(b.mentions["count"].sum()) == expected
    assert b.posts.created_at.notna().all()


# -- 2021 twarc2 pages (mentions without ids) --------------------------------------------
def test_old_twarc_reply_that_mentions_its_target_counts_once():
    path = FIX / "twarc_old" / "noflat_trimmed.jsonl"
    page = json.loads(path.read_text())
    users = {u["id"]: u["username"].lower() for u in page["includes"]["users"]}
    tweets = {t["id"]: t for t in page["includes"]["tweets"] + page["data"]}
    expected: dict = {}
    for t in tweets.values():
        if any(r["type"] == "retweeted" for r in t.get("referenced_tweets", [])) or "author_id" not in t:
            continue
        names = {m["username"].lower() for m in t.get("entities", {}).get("mentions", [])}
        if t.get("in_reply_to_user_id"):
            names.add(users.get(t["in_reply_to_user_id"], t["in_reply_to_user_id"]))
        author = users.get(t["author_id"], t["author_id"])
        for name in names - {author}:
            expected[(f"x:{author}", f"x:{name}")] = expected.get((f"x:{author}", f"x:{name}"), 0) + 1
    both = [t for t in page["data"] if t.get("in_reply_to_user_id") and t.get("entities", {}).get("mentions")]
    assert both and all("id" not in m for t in both for m in t["entities"]["mentions"])
    b = read_twarc([path])
    assert dict(zip(zip(b.mentions.source, b.mentions.target), b.mentions["count"])) == expected
    assert int(replies_of(b)["count"].sum()) == sum(
        1
        for t in page["data"]
        if t.get("in_reply_to_user_id")
        and t["in_reply_to_user_id"] != t["author_id"]
        and not any(r["type"] == "retweeted" for r in t.get("referenced_tweets", []))
    )
    data = [
        t
        for t in page["data"]
        if "public_metrics" in t and not any(r["type"] == "retweeted" for r in t.get("referenced_tweets", []))
    ]
    own = b.posts.set_index("post_id")
    assert all(own.loc[f"x:{t['id']}", "likes"] == t["public_metrics"]["like_count"] for t in data)
