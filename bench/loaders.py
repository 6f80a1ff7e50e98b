"""Loader throughput: >= 100,000 records per format, generated in each format's own layout.

For every format this writes a synthetic export (twarc2 pages, an X archive,
Bluesky pages and Jetstream events, Mastodon follower pages and statuses,
GraphML/GEXF, CSV, SNAP) to a temporary folder, reads it in a fresh process
with ``loaders.registry.read_paths`` (auto-detection included) and prints
records/s and the process's peak memory. Next to it, the *peer*: the bare
parse of the same files with no validation or mapping (``json.loads`` per line
or per file, ``networkx.read_*``, ``pandas.read_csv``), i.e. the floor.

    python bench/loaders.py                 # all formats, 100,000 records each
    python bench/loaders.py --records 20000 --formats x-api,bluesky
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TAGS = ["latteart", "specialtycoffee", "espresso", "pourover", "matchday", "coffee", "barista"]
ISO = "2024-04-15T{h:02d}:{m:02d}:00.000Z"


def _users(n: int) -> list[dict]:
    return [{"id": str(1_500_000_000 + i), "username": f"user_{i}", "name": f"User {i}",
             "description": "coffee person", "created_at": "2015-06-01T09:00:00.000Z",
             "public_metrics": {"followers_count": i % 5000, "following_count": 10, "tweet_count": 5, "listed_count": 0}}
            for i in range(n)]  # fmt: skip


# -- generators: each writes files under `d` and returns (paths, records) -----------------
def gen_x_api(d: Path, n: int, rng: random.Random) -> tuple[list[Path], int]:
    users = _users(max(100, n // 20))
    f = d / "search.jsonl"
    with open(f, "w") as out:
        for page in range(n // 100):
            data, inc_tweets = [], []
            for j in range(100):
                tid = str(1_780_000_000_000_000_000 + page * 100 + j)
                a, b = rng.sample(range(len(users)), 2)
                tag = rng.choice(TAGS)
                t = {"id": tid, "author_id": users[a]["id"], "created_at": ISO.format(h=j % 24, m=j % 60),
                     "text": f"@{users[b]['username']} look #{tag}", "edit_history_tweet_ids": [tid], "lang": "en",
                     "entities": {"hashtags": [{"start": 0, "end": 5, "tag": tag}],
                                  "mentions": [{"start": 0, "end": 5, "username": users[b]["username"], "id": users[b]["id"]}]},
                     "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 1, "quote_count": 0}}  # fmt: skip
                if j % 3 == 0:  # a retweet of a tweet that only the includes hold
                    orig = {"id": tid + "1", "author_id": users[b]["id"], "text": f"#{tag}", "created_at": ISO.format(h=1, m=1),
                            "entities": {"hashtags": [{"start": 0, "end": 5, "tag": tag}]}}  # fmt: skip
                    inc_tweets.append(orig)
                    t["referenced_tweets"] = [{"type": "retweeted", "id": orig["id"]}]
                    t["text"] = f"RT @{users[b]['username']}: #{tag}"
                data.append(t)
            ids = {t["author_id"] for t in data} | {t["author_id"] for t in inc_tweets}
            inc_users = [u for u in users if u["id"] in ids]
            out.write(json.dumps({"data": data, "includes": {"users": inc_users, "tweets": inc_tweets},
                                  "meta": {"result_count": 100}, "__twarc": {"url": "https://api.twitter.com/2/tweets/search/all"}}) + "\n")  # fmt: skip
    return [f], (n // 100) * 100


def _ytd(name: str, items: list) -> str:
    return f"window.YTD.{name}.part0 = " + json.dumps(items, indent=2, separators=(",", " : "))


def gen_x_archive(d: Path, n: int, rng: random.Random) -> tuple[list[Path], int]:
    data = d / "archive" / "data"
    data.mkdir(parents=True)
    (data / "account.js").write_text(
        _ytd(
            "account", [{"account": {"username": "owner", "accountId": "42", "accountDisplayName": "Owner"}}]
        )
    )
    n_fol, n_fing = n * 6 // 10, n * 2 // 10
    n_tw = n - n_fol - n_fing
    (data / "follower.js").write_text(
        _ytd(
            "follower",
            [
                {
                    "follower": {
                        "accountId": str(10**9 + i),
                        "userLink": f"https://twitter.com/intent/user?user_id={10**9 + i}",
                    }
                }
                for i in range(n_fol)
            ],
        )
    )
    (data / "following.js").write_text(
        _ytd(
            "following",
            [
                {
                    "following": {
                        "accountId": str(10**9 + i),
                        "userLink": f"https://twitter.com/intent/user?user_id={10**9 + i}",
                    }
                }
                for i in range(n_fing)
            ],
        )
    )
    tweets = []
    for i in range(n_tw):
        tag, m = rng.choice(TAGS), rng.randrange(n_fol)
        text = f"RT @user_{m}: #{tag}" if i % 4 == 0 else f"@user_{m} #{tag}"
        tweets.append({"tweet": {"id_str": str(10**18 + i), "id": str(10**18 + i), "created_at": "Mon Apr 15 07:00:00 +0000 2024",
                                 "full_text": text, "retweeted": False, "favorite_count": "0", "retweet_count": "0", "lang": "en",
                                 "entities": {"hashtags": [{"text": tag, "indices": ["0", "5"]}], "symbols": [], "urls": [],
                                              "user_mentions": [{"name": "U", "screen_name": f"user_{m}", "indices": ["0", "5"], "id_str": str(10**9 + m), "id": str(10**9 + m)}]}}})  # fmt: skip
    (data / "tweets.js").write_text(_ytd("tweets", tweets))
    return [d / "archive"], n


def _profile(i: int) -> dict:
    return {"did": f"did:plc:{i:024d}".replace("0", "a").replace("1", "b").replace("8", "c").replace("9", "d"),
            "handle": f"user{i}.bsky.social", "displayName": f"User {i}", "indexedAt": "2024-04-01T10:00:00.000Z",
            "createdAt": "2023-09-01T10:00:00.000Z", "viewer": {"muted": False}, "labels": []}  # fmt: skip


def gen_bluesky(d: Path, n: int, rng: random.Random) -> tuple[list[Path], int]:
    people = [_profile(i) for i in range(max(100, n // 20))]
    half = n // 2
    f1 = d / "follows.jsonl"
    with open(f1, "w") as out:
        for page in range(half // 100):
            out.write(json.dumps({"subject": people[page % len(people)], "cursor": "x",
                                  "follows": [people[rng.randrange(len(people))] for _ in range(100)]}) + "\n")  # fmt: skip
    f2 = d / "jetstream.jsonl"
    with open(f2, "w") as out:
        for i in range(n - half):
            a, b = rng.sample(people, 2)
            if i % 2:
                rec = {"$type": "app.bsky.feed.repost", "createdAt": "2024-04-15T08:00:00.000Z",
                       "subject": {"uri": f"at://{b['did']}/app.bsky.feed.post/3k{i:011d}", "cid": "bafy"}}  # fmt: skip
                coll = "app.bsky.feed.repost"
            else:
                rec = {"$type": "app.bsky.feed.post", "text": "#latteart", "createdAt": "2024-04-15T07:00:00.000Z",
                       "facets": [{"index": {"byteStart": 0, "byteEnd": 9}, "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "latteart"}]}]}  # fmt: skip
                coll = "app.bsky.feed.post"
            out.write(json.dumps({"did": a["did"], "time_us": 1713166200000000 + i, "kind": "commit",
                                  "commit": {"rev": "r", "operation": "create", "collection": coll, "rkey": f"3k{i:011d}", "record": rec, "cid": "bafy"}}) + "\n")  # fmt: skip
    return [f1, f2], (half // 100) * 100 + n - half


def _account(i: int) -> dict:
    host = "coffee.social" if i % 2 else "other.example"
    return {"id": str(10**17 + i), "username": f"u{i}", "acct": f"u{i}" if i % 2 else f"u{i}@{host}",
            "display_name": f"U {i}", "locked": False, "bot": False, "created_at": "2022-11-07T00:00:00.000Z",
            "note": "<p>coffee &amp; more</p>", "url": f"https://{host}/@u{i}", "followers_count": i % 999,
            "following_count": 1, "statuses_count": 1, "last_status_at": "2024-04-15", "emojis": [], "fields": []}  # fmt: skip


def gen_mastodon(d: Path, n: int, rng: random.Random) -> tuple[list[Path], int]:
    n_acc = n * 8 // 10
    f1 = d / "ann@coffee.social.followers.json"
    f1.write_text(json.dumps([_account(i) for i in range(n_acc)], indent=2))
    statuses = []
    for i in range(n - n_acc):
        a, tag = _account(rng.randrange(n_acc)), rng.choice(TAGS)
        s = {"id": str(10**17 + i), "created_at": "2024-04-15T07:30:00.000Z", "uri": f"https://coffee.social/users/x/statuses/{i}",
             "url": None, "content": f"<p>#{tag}</p>", "reblog": None, "account": a, "mentions": [], "visibility": "public",
             "tags": [{"name": tag, "url": "https://coffee.social/tags/" + tag}], "emojis": [], "media_attachments": []}  # fmt: skip
        if i % 2:
            s = dict(
                s,
                uri=s["uri"] + "/activity",
                content="",
                account=_account(rng.randrange(n_acc)),
                reblog=dict(s, id="9" + s["id"]),
            )
        statuses.append(s)
    f2 = d / "statuses.json"
    f2.write_text(json.dumps(statuses))
    return [f1, f2], n


def _graph(n_edges: int, rng: random.Random):
    import networkx as nx

    G = nx.MultiDiGraph()
    n_nodes = max(100, n_edges // 5)
    for i in range(n_nodes):
        G.add_node(f"n{i}", label=f"User {i}", handle=f"user_{i}", platform="x", followers_count=i % 777)
    for e in range(n_edges):
        a, b = rng.sample(range(n_nodes), 2)
        kind = ("follows", "relays", "mentions")[e % 3]
        G.add_edge(f"n{a}", f"n{b}", key=f"e{e}", type=kind, count=1 + e % 4)
    return G, n_nodes + n_edges


def gen_graphml(d: Path, n: int, rng: random.Random) -> tuple[list[Path], int]:
    import networkx as nx

    G, records = _graph(n * 5 // 6, rng)
    nx.write_graphml(G, d / "g.graphml")
    return [d / "g.graphml"], records


def gen_gexf(d: Path, n: int, rng: random.Random) -> tuple[list[Path], int]:
    import networkx as nx

    G, records = _graph(n * 5 // 6, rng)
    for _, _, data in G.edges(data=True):
        data["kind"] = data.pop("type")
    nx.write_gexf(G, d / "g.gexf")
    return [d / "g.gexf"], records


def gen_csv(d: Path, n: int, rng: random.Random) -> tuple[list[Path], int]:
    f = d / "follows.csv"
    with open(f, "w") as out:
        out.write("source,target\n")
        for _ in range(n):
            out.write(f"user_{rng.randrange(n // 10)},user_{rng.randrange(n // 10)}\n")
    return [f], n


def gen_snap(d: Path, n: int, rng: random.Random) -> tuple[list[Path], int]:
    f = d / "edges.txt"
    with open(f, "w") as out:
        out.write("# Directed graph\n")
        for _ in range(n):
            out.write(f"{rng.randrange(n // 10)} {rng.randrange(n // 10)}\n")
    return [f], n


GENERATORS = {"x-api": gen_x_api, "x-archive": gen_x_archive, "bluesky": gen_bluesky, "mastodon": gen_mastodon,
              "graphml": gen_graphml, "gexf": gen_gexf, "csv": gen_csv, "snap": gen_snap}  # fmt: skip


# -- the measured run (a fresh process per format, so peak memory is its own) -----------
def _peer(fmt: str, paths: list[Path]) -> None:
    import networkx as nx
    import pandas as pd

    from loaders.jsonio import iter_json_file

    for p in paths:
        if fmt in ("graphml", "gexf"):
            (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(p)
        elif fmt in ("csv", "snap"):
            pd.read_csv(
                p, sep="," if fmt == "csv" else r"\s+", comment="#" if fmt == "snap" else None, dtype="str"
            )
        elif p.is_dir():
            for f in sorted((p / "data").glob("*.js")):
                json.loads(f.read_text().split("=", 1)[1])
        elif p.suffix == ".jsonl":
            with open(p) as fh:
                for line in fh:
                    json.loads(line)
        else:
            json.loads(p.read_text()) if fmt != "x-archive" else list(iter_json_file(p))


def _child(fmt: str, which: str, paths: list[str]) -> None:
    import networkx  # noqa: F401  (imports are not part of the timing)
    import pandas  # noqa: F401

    from loaders import bluesky, gephi, jsonio, mastodon, twarc, x_archive  # noqa: F401
    from loaders.registry import detect_format, read_paths

    files = [Path(p) for p in paths]
    base = _peak_mb()
    t0 = time.perf_counter()
    if which == "ours":
        detected = detect_format(files[0])
        batch = read_paths(files)
        extra = {"detected": detected, "rows": len(batch)}
    else:
        _peer(fmt, files)
        extra = {}
    seconds = time.perf_counter() - t0
    peak = _peak_mb()
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "over_base_mb": peak - base, **extra}))


def _peak_mb() -> float:
    """Peak RSS of this process image: VmHWM (ru_maxrss survives exec, so it would include the parent's)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run(fmt: str, which: str, paths: list[Path]) -> dict:
    cmd = [sys.executable, __file__, "--child", fmt, which, *map(str, paths)]
    out = subprocess.run(
        cmd, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    if out.returncode:
        raise SystemExit(f"{fmt} ({which}) failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=100_000, help="records per format (default 100,000)")
    ap.add_argument("--formats", default=",".join(GENERATORS), help="comma-separated formats")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return _child(args.child[0], args.child[1], args.child[2:])
    rng = random.Random(7)
    print(
        f"loaders: {args.records:,} records per format; peak = peak RSS of a fresh process (MB), +MB = above its imports"
    )
    print(f"{'format':<10} {'records':>9} {'MB on disk':>10} {'ours rec/s':>11} {'peak MB':>8} {'+MB':>6}"
          f" {'peer rec/s':>11} {'peer':<22} detected")  # fmt: skip
    peers = {"graphml": "networkx.read_graphml", "gexf": "networkx.read_gexf", "csv": "pandas.read_csv",
             "snap": "pandas.read_csv", "x-archive": "json.loads (whole)", "mastodon": "json.loads (whole)"}  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats.split(","):
            d = Path(tmp) / fmt
            d.mkdir()
            paths, records = GENERATORS[fmt](d, args.records, rng)
            size = sum(f.stat().st_size for p in paths for f in ([p] if p.is_file() else p.rglob("*"))) / 1e6
            ours, peer = _run(fmt, "ours", paths), _run(fmt, "peer", paths)
            print(f"{fmt:<10} {records:>9,} {size:>10.1f} {records / ours['seconds']:>11,.0f} {ours['peak_mb']:>8.0f}"
                  f" {ours['over_base_mb']:>6.0f} {records / peer['seconds']:>11,.0f} {peers.get(fmt, 'json.loads per line'):<22}"
                  f" {ours['detected']}")  # fmt: skip


if __name__ == "__main__":
    main()
