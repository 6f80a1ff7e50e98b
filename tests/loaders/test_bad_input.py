"""The bad-input catalogue: each case gets a clear error (file:line:field) or a
documented skip with a printed count, and the store is unchanged after an error."""

import gzip
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from graph.model import LoadError
from loaders.registry import read_paths

FIX = Path(__file__).parents[1] / "fixtures"
PAGE = (FIX / "twarc" / "search.jsonl").read_text(encoding="utf-8").splitlines()[0]
FOLLOWERS = (FIX / "twarc" / "followers.jsonl").read_text(encoding="utf-8").splitlines()[0]


def tweet_page(**changes) -> str:
    page = json.loads(PAGE)
    page["data"][0].update(changes)
    return json.dumps(page)


def write(tmp: Path, name: str, content: str | bytes) -> Path:
    f = tmp / name
    f.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return f


def huge_line(tmp: Path, mb: int = 50) -> Path:
    f = tmp / "huge.jsonl"
    with open(f, "w") as out:  # one JSON object of `mb` MiB on a single line
        out.write('{"data": [{"id": "1", "author_id": "2", "text": "')
        chunk = "x" * (1 << 20)
        for _ in range(mb):
            out.write(chunk)
        out.write('"}]}\n')
    return f


def mastodon_accounts_line(tmp: Path, n: int) -> Path:
    acct = json.loads((FIX / "mastodon" / "followers.json").read_text())[0]
    items = [
        dict(acct, id=str(i), username=f"u{i}", acct=f"u{i}", url=f"https://coffee.social/@u{i}")
        for i in range(n)
    ]
    f = tmp / "lisa@coffee.social.followers.json"
    f.write_text(json.dumps(items))  # minified: one line
    return f


# name -> (make files, format, expected error regex)
ERRORS = {
    # issue 12, item 6: wrong data that used to load without a word
    "SNAP file with 4 columns": (
        lambda t: [write(t, "four.txt", "1 2 3 4\n5 6 7 8\n")],
        "snap",
        r"four.txt:1: column 'columns': 4 values on this line",
    ),
    "NUL byte in a CSV handle": (
        lambda t: [write(t, "people.csv", b"handle,name\nann,Ann\nb\x00b,Bob\n")],
        "csv",
        r"people.csv:3: column 'handle': 'b\\x00b' holds a control character",
    ),
    "NUL byte in a SNAP id": (
        lambda t: [write(t, "e.txt", b"1 2\n3\x00 4\n")],
        "snap",
        r"e.txt:2: column 'source': holds a control character",
    ),
    "NUL byte in a JSON handle": (
        lambda t: [write(t, "t.jsonl", PAGE.replace('"username": "', '"username": "x\\u0000', 1))],
        "auto",
        r"t.jsonl: column 'handle': .* holds a control character",
    ),
    "repeated CSV header": (
        lambda t: [write(t, "follows.csv", "source,target,source\na,b,c\n")],
        "auto",
        r"follows.csv:1: column 'source': appears more than once in the header",
    ),
    "zip inside a zip": (
        lambda t: [_nested_zip(t)],
        "auto",
        r"outer.zip: holds another archive \(inner.zip\): extract it",
    ),
    "truncated JSON line": (
        lambda t: [write(t, "t.jsonl", PAGE + "\n" + PAGE[: len(PAGE) // 2] + "\n")],
        "auto",
        r"t.jsonl:2: invalid JSON: the value is cut short \(truncated\?\)",
    ),
    "invalid UTF-8": (
        lambda t: [write(t, "u.jsonl", (PAGE + "\n").encode() * 2 + b'{"data": "caf\xe9"}\n')],
        "auto",
        r"u.jsonl:3: invalid UTF-8 \(byte 0xe9\)",
    ),
    "missing CSV column": (
        lambda t: [write(t, "follows.csv", "source,dst\na,b\n")],
        "auto",
        r"follows.csv:1: column 'target': missing required column",
    ),
    "missing required field": (
        lambda t: [write(t, "m.jsonl", tweet_page(author_id=None))],
        "x-api",
        r"m.jsonl:1: column 'data\[0\].author_id': is missing",
    ),
    "non-numeric id": (
        lambda t: [write(t, "n.jsonl", tweet_page(id="17800000000000001O1"))],
        "auto",
        r"n.jsonl:1: column 'data\[0\].id': '17800000000000001O1' is not a numeric id",
    ),
    "bad timestamp": (
        lambda t: [write(t, "d.jsonl", tweet_page(created_at="yesterday"))],
        "auto",
        r"d.jsonl:1: column 'data\[0\].created_at': 'yesterday' is not a date/time",
    ),
    "wrong JSON type": (
        lambda t: [write(t, "w.jsonl", json.dumps({"data": "oops", "meta": {}}))],
        "x-api",
        r"w.jsonl:1: column 'data': expected a list, found text",
    ),
    "negative count": (
        lambda t: [write(t, "c.jsonl", PAGE.replace('"followers_count": 8800', '"followers_count": -5'))],
        "auto",
        r"c.jsonl:1: column 'includes.users\[0\].public_metrics.followers_count': -5 is not",
    ),
    "empty file (explicit format)": (lambda t: [write(t, "e.jsonl", "")], "x-api", r"e.jsonl: empty file"),
    "empty file (auto)": (lambda t: [write(t, "e.jsonl", "\n\n")], "auto", r"e.jsonl: unknown format"),
    "corrupt gzip": (
        lambda t: [write(t, "g.jsonl.gz", gzip.compress((PAGE + "\n").encode())[:-30] + b"\x00" * 10)],
        "x-api",
        r"g.jsonl.gz: corrupt or truncated gzip data",
    ),
    "unknown format": (
        lambda t: [write(t, "notes.txt", "Dear team,\nplease find attached the list.\n")],
        "auto",
        r"notes.txt: unknown format",
    ),
    "unknown --format name": (
        lambda t: [FIX / "twarc" / "search.jsonl"],
        "tiktok",
        r"unknown format 'tiktok'",
    ),
    "single line over the 64 MiB limit": (
        lambda t: [huge_line(t, 70)],
        "auto",
        r"huge.jsonl:1: one JSON value is larger than 64 MiB",
    ),
    "mixed platforms in one file": (
        lambda t: [
            write(
                t,
                "mix.jsonl",
                PAGE + "\n" + (FIX / "bluesky" / "jetstream.jsonl").read_text().splitlines()[1] + "\n",
            )
        ],
        "auto",
        r"mix.jsonl:2: this record looks like Bluesky data, but the file is read as X .*mixed platforms",
    ),
    "relay of an unknown post (CSV)": (
        lambda t: [write(t, "relays.csv", "person,post_id,kind\nann,999,retweet\n")],
        "auto",
        r"1 relay\(s\) refer to posts that are neither in this load nor in the graph",
    ),
    "array never closed": (
        lambda t: [
            write(
                t,
                "lisa@coffee.social.followers.json",
                (FIX / "mastodon" / "followers.json").read_text().rstrip().rstrip("]"),
            )
        ],
        "auto",
        r"followers.json:\d+: invalid JSON: the array is never closed",
    ),
    "trailing garbage": (
        lambda t: [write(t, "g.jsonl", PAGE + "}\n")],
        "auto",
        r"g.jsonl:1: invalid JSON: Expecting value",
    ),
    "archive without account.js": (
        lambda t: [shutil.copy(FIX / "x_archive" / "twitter-2024-05-03-archive" / "data" / "follower.js", t)],
        "auto",
        r"follower.js: the archive owner is unknown",
    ),
    "zip that is not an X archive": (
        lambda t: [_zip(t, {"readme.txt": "hi"})],
        "x-archive",
        r"no X archive files found",
    ),
    "Bluesky record without its repo": (
        lambda t: [
            write(
                t,
                "r.json",
                '{"$type": "app.bsky.feed.repost", "subject": {"uri": "at://did:plc:aaaaaaaa/app.bsky.feed.post/3k", "cid": "b"}, "createdAt": "2024-01-01T00:00:00Z"}',
            )
        ],
        "bluesky",
        r"r.json:1: a app.bsky.feed.repost record without its repo",
    ),
    "Mastodon followers page of nobody": (
        lambda t: [shutil.copy(FIX / "mastodon" / "followers.json", t)],
        "auto",
        r"followers.json:\d+: whose followers are these",
    ),
    "malformed GraphML": (
        lambda t: [write(t, "g.graphml", (FIX / "gephi" / "coffee.graphml").read_text()[:-40])],
        "auto",
        r"g.graphml:\d+: not valid GRAPHML",
    ),
    "non-numeric GraphML count": (
        lambda t: [
            write(
                t,
                "g.graphml",
                (FIX / "gephi" / "coffee.graphml")
                .read_text()
                .replace('<data key="count">4</data>', '<data key="count">four</data>'),
            )
        ],
        "auto",
        r"g.graphml: not valid GRAPHML",
    ),
}

CAR = (FIX / "bluesky_car" / "bnewbold.robocracy.org.20250310005405.car").read_bytes()
OUTBOX = (FIX / "mastodon_archive_export" / "outbox.json").read_text()
TWEETS_CSV = (FIX / "x_archive_grailbird" / "tweets.csv").read_text()
USER_DETAILS = (FIX / "x_archive_grailbird" / "data" / "js" / "user_details.js").read_text()
GDF = (FIX / "gephi_real" / "gephi_doc_example.gdf").read_text()


def old_archive(t: Path, csv_text: str) -> list[Path]:
    (t / "data" / "js").mkdir(parents=True)
    (t / "data" / "js" / "user_details.js").write_text(USER_DETAILS)
    (t / "tweets.csv").write_text(csv_text)
    return [t]


def outbox_with(change) -> str:
    box = json.loads(OUTBOX)
    change(box["orderedItems"])
    return json.dumps(box)


def _first(items, kind):
    return next(i for i in items if i["type"] == kind)


ERRORS.update(
    {
        "truncated Bluesky CAR": (
            lambda t: [write(t, "repo.car", CAR[: len(CAR) // 2])],
            "auto",
            r"repo.car: not a readable CAR file",
        ),
        "CAR that is not a repository": (
            lambda t: [write(t, "x.car", bytes.fromhex("3aa265726f6f747381d82a58250001711220") + CAR[18:60])],
            "bluesky",
            r"x.car: not a readable CAR file|x.car: column 'roots\[0\]': not a repository export",
        ),
        "Mastodon boost without its post": (
            lambda t: [
                write(t, "outbox.json", outbox_with(lambda items: _first(items, "Announce").pop("object")))
            ],
            "auto",
            r"outbox.json:1: column 'orderedItems\[\d+\].object': expected the boosted post's URI",
        ),
        "Mastodon mention naming nobody": (
            lambda t: [
                write(
                    t,
                    "outbox.json",
                    outbox_with(
                        lambda items: next(
                            tag
                            for i in items
                            if i["type"] == "Create"
                            for tag in i["object"]["tag"]
                            if tag["type"] == "Mention"
                        ).update(name="@x", href="https://misskey.io/notes/1")
                    ),
                )
            ],
            "mastodon",
            r"outbox.json:1: column 'orderedItems\[\d+\].object.tag\[\d+\]': a mention that names no account",
        ),
        "Mastodon follows CSV of nobody": (
            lambda t: [shutil.copy(FIX / "mastodon_csv" / "following_accounts.csv", t)],
            "auto",
            r"following_accounts.csv:1: whose following are these",
        ),
        "Mastodon follows CSV with a bad address": (
            lambda t: [
                write(
                    t,
                    "ann@a.social.following_accounts.csv",
                    "Account address,Show boosts\nok@a.social,true\nnot-an-address,true\n",
                )
            ],
            "auto",
            r"following_accounts.csv:3: column 'Account address': 'not-an-address' is not an account address",
        ),
        "tweets.csv with a bad timestamp": (
            lambda t: old_archive(t, TWEETS_CSV.replace("2013-03-25 00:16:47 +0000", "yesterday", 1)),
            "auto",
            r"tweets.csv:2: column 'timestamp': 'yesterday' is not a date/time",
        ),
        "tweets.csv without its text column": (
            lambda t: old_archive(t, TWEETS_CSV.replace('"text"', '"body"', 1)),
            "x-archive",
            r"tweets.csv:1: column 'text': missing required column",
        ),
        "2012-2018 monthly file with a bad id": (
            lambda t: [
                _monthly(t, lambda text: text.replace('"274183827952373760"', '"27418382795237376O"'))
            ],
            "x-archive",
            r"2012_11.js:\d+: column 'id_str': '27418382795237376O' is not a numeric id",
        ),
        "GDF with a bad boolean": (
            lambda t: [write(t, "g.gdf", GDF.replace("s2,s3,true", "s2,s3,maybe"))],
            "auto",
            r"g.gdf:7: column 'directed': 'maybe' is not true/false",
        ),
        "GDF quote not closed": (
            lambda t: [write(t, "g.gdf", GDF.replace("'219,116,251'\ns3", "'219,116,251\ns3", 1))],
            "gdf",
            r"g.gdf:3: a quoted value is not closed",
        ),
        "malformed GML": (
            lambda t: [write(t, "g.gml", (FIX / "gephi_real" / "polblogs_top40.gml").read_text()[:3000])],
            "auto",
            r"g.gml:(\d+:)? not valid GML",
        ),
        "malformed Pajek": (
            lambda t: [
                write(
                    t,
                    "k.net",
                    (FIX / "gephi_real" / "karate.net").read_text().replace("*Vertices 34", "*Vertices 340"),
                )
            ],
            "auto",
            r"k.net: not valid Pajek",
        ),
        "NodeXL relationship we do not know": (
            lambda t: [_nodexl(t, "Likes")],
            "auto",
            r"w.xlsx:3: column 'Relationship': 'Likes' is not a relationship",
        ),
        "corrupt NodeXL workbook": (
            lambda t: [
                write(t, "w.xlsx", (FIX / "gephi_real" / "nodexl_teaching_abcd.xlsx").read_bytes()[:5000])
            ],
            "nodexl",
            r"w.xlsx: not a readable Excel workbook",
        ),
    }
)


def _monthly(t: Path, change) -> Path:
    js = t / "data" / "js"
    (js / "tweets").mkdir(parents=True)
    (js / "user_details.js").write_text(USER_DETAILS)
    month = js / "tweets" / "2012_11.js"
    month.write_text(
        change((FIX / "x_archive_grailbird" / "data" / "js" / "tweets" / "2012_11.js").read_text())
    )
    return month


def _nodexl(t: Path, *relationships: str) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Edges"
    ws.append([None, None, "Visual Properties"])
    ws.append(["Vertex 1", "Vertex 2", "Relationship"])
    for rel in relationships:
        ws.append(["ann", "bea", rel])
    wb.save(t / "w.xlsx")
    return t / "w.xlsx"


# name -> (make files, expected note regex, check)
SKIPS = {
    "BOM": (
        lambda t: [write(t, "b.jsonl", b"\xef\xbb\xbf" + (PAGE + "\n").encode())],
        None,
        lambda b: len(b.posts) == 3 and not b.notes[:-1],
    ),
    "self-loop": (
        lambda t: [write(t, "s.jsonl", FOLLOWERS.replace('"id": "1500000001"', '"id": "1500000002"', 2))],
        r"skipped 1 self-loop\(s\) in follows",
        lambda b: (
            ("x:latteartlisa", "x:latteartlisa")
            not in set(zip(b.follows.source, b.follows.target, strict=False))
        ),
    ),
    "duplicate rows": (
        lambda t: [write(t, "d.jsonl", (PAGE + "\n") * 3)],
        r"duplicate",
        lambda b: len(b.relayed) == 2 and b.mentions["count"].max() == 1,
    ),
    "relay of an unknown post (X)": (
        lambda t: [FIX / "twarc" / "search.jsonl"],
        r"skipped 1 retweet\(s\)/quote\(s\) of tweets missing",
        lambda b: "x:1780000000000000098" not in set(b.relayed.post_id),
    ),
    "API error objects": (
        lambda t: [FIX / "twarc" / "search.jsonl"],
        r"skipped 2 API error object\(s\)",
        lambda b: True,
    ),
    "Bluesky handle.invalid": (
        lambda t: [FIX / "bluesky" / "getFollowers.json"],
        None,
        lambda b: any(p.startswith("bluesky:did:plc:") for p in b.people.pid),
    ),
    "Bluesky likes and deletes": (
        lambda t: [FIX / "bluesky" / "jetstream.jsonl"],
        r"skipped records this graph does not use",
        lambda b: True,
    ),
    "50 MB single line": (lambda t: [huge_line(t)], None, lambda b: len(b.posts["text"].iloc[0]) == 50 << 20),
    "X mention of a deleted account (id -1)": (
        lambda t: [FIX / "x_archive_deleted_mention"],
        r"mention\(s\)/replies of deleted accounts \(X writes id -1\) kept by their @name",
        lambda b: "x:atoilet234" in set(b.people.pid),
    ),
    "Mastodon likes and bookmarks": (
        lambda t: [FIX / "mastodon_archive_export"],
        r"skipped \(archive\): 15 likes entries",
        lambda b: True,
    ),
    "yEd blank labels": (
        lambda t: [FIX / "gephi_real" / "yed_items05.graphml"],
        r"4 node\(s\) with a blank label, keyed by their node id",
        lambda b: "x:n12" in set(b.people.pid),
    ),
    "tweets.csv beside the monthly files": (
        lambda t: [FIX / "x_archive_grailbird"],
        r"tweets.csv: skipped \(data/js/tweets/ holds the same tweets",
        lambda b: len(b.posts) > 0,
    ),
    "NodeXL 'Tweet' self-rows": (
        lambda t: [_nodexl(t, "Tweet", "Mentions")],
        r"skipped 1 'Tweet' row",
        lambda b: b.follows.empty and len(b.mentions) == 1,
    ),
    "GEXF edge to a node it never declares": (
        lambda t: [write(t, "g.gexf", '<?xml version="1.0" encoding="UTF-8"?><gexf xmlns="http://www.gexf.net/1.2draft" '
                         'version="1.2"><graph defaultedgetype="directed"><nodes><node id="a" label="a"/></nodes>'
                         '<edges><edge id="0" source="a" target="zz"/></edges></graph></gexf>')],
        r"1 edge\(s\) name 1 node\(s\) the file does not declare \(first: 'zz'\)",
        lambda b: "x:zz" in set(b.people.pid),
    ),
    "single-line 5 MB array": (
        lambda t: [mastodon_accounts_line(t, 20_000)],
        None,
        lambda b: len(b.follows) == 20_000,
    ),
}


def _nested_zip(tmp: Path) -> Path:
    follower = (FIX / "x_archive" / "twitter-2024-05-03-archive" / "data" / "follower.js").read_text()
    inner = _zip(tmp, {"data/follower.js": follower})
    outer = tmp / "outer.zip"
    with zipfile.ZipFile(outer, "w") as zf:
        zf.write(inner, "inner.zip")
    return outer


def _zip(tmp: Path, files: dict[str, str]) -> Path:
    z = tmp / "archive.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return z


@pytest.fixture(scope="module")
def loaded_store(tmp_path_factory):
    from graph.jobs import load_files
    from graph.stores.embedded import EmbeddedStore

    s = EmbeddedStore(tmp_path_factory.mktemp("db"))
    load_files(s, [FIX / "twarc" / "search.jsonl", FIX / "twarc" / "followers.jsonl"])
    yield s
    s.close()


def test_catalogue_has_at_least_15_cases():
    assert len(ERRORS) + len(SKIPS) >= 15


@pytest.mark.parametrize("case", list(ERRORS))
def test_bad_input_is_refused_and_the_store_is_unchanged(case, tmp_path, loaded_store):
    from graph.jobs import load_files

    make, fmt, message = ERRORS[case]
    store = loaded_store
    before = store.counts()
    with pytest.raises(LoadError, match=message):
        load_files(store, make(tmp_path), format=fmt)
    assert store.counts() == before


@pytest.mark.parametrize("case", list(SKIPS))
def test_documented_skips_are_counted(case, tmp_path):
    make, note, check = SKIPS[case]
    b = read_paths(make(tmp_path))
    if note:
        assert any(__import__("re").search(note, n) for n in b.notes), b.notes
    assert check(b)


@pytest.mark.slow
def test_50_mb_single_line_array_loads(tmp_path):
    f = mastodon_accounts_line(tmp_path, 120_000)
    assert f.stat().st_size > 50 * 1024 * 1024
    assert len(read_paths([f]).follows) == 120_000
