"""Fuzzing the JSON and XML loaders: any input either loads or raises LoadError."""

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.model import GraphBatch, LoadError
from loaders.bluesky import parse_bluesky
from loaders.gephi import read_graph_file
from loaders.jsonio import iter_json
from loaders.mastodon import parse_mastodon
from loaders.twarc import parse_twarc
from loaders.x_archive import _read_one

pytestmark = pytest.mark.filterwarnings("ignore:No key type:UserWarning")  # networkx on fuzzed GraphML

FIX = Path(__file__).parents[1] / "fixtures"
ACCOUNT = (FIX / "x_archive" / "twitter-2024-05-03-archive" / "data" / "account.js").read_bytes()
SAMPLES = [
    (FIX / "twarc" / "search.jsonl").read_bytes(),
    (FIX / "twarc" / "flat.jsonl").read_bytes(),
    (FIX / "bluesky" / "jetstream.jsonl").read_bytes(),
    (FIX / "bluesky" / "getFollowers.json").read_bytes(),
    (FIX / "mastodon" / "statuses.json").read_bytes()[:4000],
    (FIX / "x_archive" / "twitter-2024-05-03-archive" / "data" / "tweets.js").read_bytes(),
    (FIX / "gephi" / "coffee.graphml").read_bytes(),
]

KEYS = [
    "data",
    "includes",
    "users",
    "tweets",
    "meta",
    "errors",
    "__twarc",
    "url",
    "id",
    "text",
    "author_id",
    "username",
    "name",
    "description",
    "public_metrics",
    "followers_count",
    "referenced_tweets",
    "type",
    "entities",
    "mentions",
    "hashtags",
    "tag",
    "in_reply_to_user_id",
    "created_at",
    "author",
    "subject",
    "follows",
    "followers",
    "repostedBy",
    "records",
    "value",
    "uri",
    "did",
    "handle",
    "$type",
    "createdAt",
    "kind",
    "commit",
    "operation",
    "collection",
    "rkey",
    "record",
    "identity",
    "time_us",
    "facets",
    "features",
    "embed",
    "feed",
    "post",
    "reason",
    "by",
    "profiles",
    "posts",
    "reply",
    "parent",
    "acct",
    "account",
    "reblog",
    "content",
    "tags",
    "statuses",
    "following",
    "note",
    "display_name",
    "follower",
    "accountId",
    "tweet",
    "full_text",
    "id_str",
    "user_mentions",
    "screen_name",
    "text",
]
STRINGS = st.sampled_from(
    [
        "1",
        "123",
        "abc",
        "",
        "retweeted",
        "quoted",
        "replied_to",
        "did:plc:abcdefghijkl",
        "handle.invalid",
        "at://did:plc:abcdefghijkl/app.bsky.feed.post/3kabc",
        "at://x",
        "app.bsky.graph.follow",
        "app.bsky.feed.repost",
        "app.bsky.feed.post",
        "app.bsky.richtext.facet#tag",
        "create",
        "delete",
        "commit",
        "identity",
        "https://a.social/@bob",
        "bob",
        "bob@a.social",
        "2024-01-01T00:00:00Z",
        "Sat Feb 18 12:33:11 +0000 2023",
        "https://api.twitter.com/2/users/12/followers",
        "RT @bob: hi",
        "app.bsky.feed.defs#reasonRepost",
        "#latteart",
    ]
) | st.text(max_size=8)
SCALARS = st.none() | st.booleans() | st.integers(-5, 10**20) | st.floats(allow_nan=True) | STRINGS
JSON = st.recursive(
    SCALARS,
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.sampled_from(KEYS), kids, max_size=5),
    max_leaves=25,
)
RECORDS = st.lists(st.dictionaries(st.sampled_from(KEYS), JSON, max_size=6), min_size=1, max_size=4)


def mutated(sample: bytes, data) -> bytes:
    """Cut, flip or splice bytes of a real fixture."""
    out = bytearray(sample)
    for _ in range(data.draw(st.integers(1, 4))):
        if not out:
            break
        i = data.draw(st.integers(0, len(out) - 1))
        op = data.draw(st.sampled_from(["cut", "flip", "insert", "delete"]))
        if op == "cut":
            del out[i:]
        elif op == "flip":
            out[i] = data.draw(st.integers(0, 255))
        elif op == "insert":
            out[i:i] = data.draw(
                st.sampled_from([b"{", b"}", b"[", b"]", b",", b'"', b"\n", b"\xff", b"null", b"<"])
            )
        else:
            del out[i : i + data.draw(st.integers(1, 50))]
    return bytes(out)


def archive(data: bytes) -> GraphBatch:
    members = [
        ("account", "account.js", lambda: io.BytesIO(ACCOUNT)),
        ("tweets", "tweets.js", lambda: io.BytesIO(data)),
    ]
    return _read_one(members, None)


PARSERS = {
    "x-api": lambda d: parse_twarc(d),
    "bluesky": lambda d: parse_bluesky(d),
    "mastodon": lambda d: parse_mastodon(d, role="followers", subject="ann@a.social"),
    "x-archive": archive,
    "graphml": lambda d: read_graph_file(io.BytesIO(d), fmt="graphml"),
    "gexf": lambda d: read_graph_file(io.BytesIO(d), fmt="gexf"),
}


def loads_or_load_error(name: str, data: bytes) -> None:
    try:
        result = PARSERS[name](data)
    except LoadError:
        return
    assert isinstance(result, GraphBatch)


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(name=st.sampled_from(sorted(PARSERS)), data=st.binary(max_size=400))
def test_random_bytes(name, data):
    loads_or_load_error(name, data)


@FUZZ
@given(
    name=st.sampled_from(["x-api", "bluesky", "mastodon", "x-archive"]),
    records=RECORDS,
    as_array=st.booleans(),
)
def test_structured_json_records(name, records, as_array):
    text = json.dumps(records) if as_array else "\n".join(json.dumps(r) for r in records)
    loads_or_load_error(name, text.encode())


TEMPLATES = {
    "x-api": [json.loads(x) for x in SAMPLES[0].decode().splitlines() + SAMPLES[1].decode().splitlines()],
    "bluesky": [json.loads(x) for x in SAMPLES[2].decode().splitlines()] + [json.loads(SAMPLES[3])],
    "mastodon": json.loads((FIX / "mastodon" / "statuses.json").read_text()),
    "x-archive": json.loads(SAMPLES[5].decode().split("=", 1)[1]),
}


def _paths(obj, prefix=()):
    yield prefix
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else ()
    for k, v in items:
        yield from _paths(v, (*prefix, k))


def perturbed(obj, data):
    """A real record with a few subtrees replaced, deleted or wrapped: deep but wrong."""
    obj = json.loads(json.dumps(obj))
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [p for p in _paths(obj) if p]
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        parent = obj
        for k in path[:-1]:
            parent = parent[k]
        op = data.draw(st.sampled_from(["replace", "delete", "wrap"]))
        if op == "delete":
            del parent[path[-1]]
        elif op == "wrap":
            parent[path[-1]] = [parent[path[-1]]]
        else:
            parent[path[-1]] = data.draw(JSON)
    return obj


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(TEMPLATES)), data=st.data())
def test_perturbed_records(name, data):
    template = data.draw(st.sampled_from(TEMPLATES[name]))
    records = [perturbed(template, data) for _ in range(data.draw(st.integers(1, 2)))]
    loads_or_load_error(name, "\n".join(json.dumps(r) for r in records).encode())


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_fixtures(data):
    sample = data.draw(st.sampled_from(SAMPLES))
    blob = mutated(sample, data)
    for name in ("x-api", "bluesky", "mastodon", "x-archive", "graphml"):
        loads_or_load_error(name, blob)


@FUZZ
@given(text=st.text(max_size=300))
def test_stream_parser_yields_or_raises_load_error(text):
    try:
        for _line, _value in iter_json(text):
            pass
    except LoadError:
        pass


def _parse_all(text: str | bytes, **kw):
    try:
        return json.dumps(list(iter_json(text, **kw)))  # as text: NaN == NaN
    except LoadError:
        return "error"


@settings(max_examples=150, deadline=None)
@given(records=st.lists(JSON, min_size=1, max_size=5), chunk=st.integers(1, 40), sep=st.sampled_from(["\n", " ", "\n\n"]),
       cut=st.integers(0, 400), as_array=st.booleans())  # fmt: skip
def test_chunked_reading_matches_whole_reading(records, chunk, sep, cut, as_array):
    """Reading in tiny chunks (values split across reads) yields exactly what one read yields."""
    import loaders.jsonio as jsonio

    dump = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731  (multi-byte UTF-8 split across reads)
    text = dump(records) if as_array else sep.join(dump(r) for r in records)
    text = text[: len(text) - cut % (len(text) + 1)] if cut % 3 == 0 else text  # sometimes truncated
    whole = _parse_all(text.encode("utf-8", "surrogatepass"))
    saved, jsonio.READ_CHUNK = jsonio.READ_CHUNK, chunk
    try:
        assert _parse_all(text.encode("utf-8", "surrogatepass")) == whole
    finally:
        jsonio.READ_CHUNK = saved


# -- issue #13 formats: the same treatment ------------------------------------------------
import tempfile  # noqa: E402

from loaders.graph_text import read_text_graph  # noqa: E402
from loaders.mastodon import read_mastodon  # noqa: E402
from loaders.nodexl import read_nodexl  # noqa: E402
from loaders.x_archive import read_x_archive  # noqa: E402

USER_DETAILS = (FIX / "x_archive_grailbird" / "data" / "js" / "user_details.js").read_bytes()


def _in_tmp(name: str, data: bytes, with_owner: bool = False) -> Path:
    d = Path(tempfile.mkdtemp(prefix="fuzz-"))
    if with_owner:
        (d / "data" / "js" / "tweets").mkdir(parents=True)
        (d / "data" / "js" / "user_details.js").write_bytes(USER_DETAILS)
    f = d / name
    f.parent.mkdir(parents=True, exist_ok=True)
    f.write_bytes(data)
    return f


FILE_PARSERS = {
    "car": lambda d: read_bluesky_files([_in_tmp("repo.car", d)]),
    "gml": lambda d: read_text_graph(_in_tmp("g.gml", d), fmt="gml"),
    "pajek": lambda d: read_text_graph(_in_tmp("g.net", d), fmt="pajek"),
    "gdf": lambda d: read_text_graph(_in_tmp("g.gdf", d), fmt="gdf"),
    "nodexl": lambda d: read_nodexl(_in_tmp("w.xlsx", d)),
    "mastodon-archive": lambda d: read_mastodon([_in_tmp("outbox.json", d)]),
    "mastodon-csv": lambda d: read_mastodon([_in_tmp("ann@a.social.following_accounts.csv", d)]),
    "tweets-csv": lambda d: read_x_archive([_in_tmp("tweets.csv", d, with_owner=True).parent]),
    "grailbird": lambda d: read_x_archive(
        [_in_tmp("data/js/tweets/2013_01.js", d, with_owner=True).parents[3]]
    ),
}
NEW_SAMPLES = {
    "car": (FIX / "bluesky_car" / "bnewbold.robocracy.org.20250310005405.car").read_bytes(),
    "gml": (FIX / "gephi_real" / "polblogs_top40.gml").read_bytes()[:6000],
    "pajek": (FIX / "gephi_real" / "karate.net").read_bytes(),
    "gdf": (FIX / "gephi_real" / "gephi_doc_example.gdf").read_bytes(),
    "nodexl": (FIX / "gephi_real" / "nodexl_teaching_abcd.xlsx").read_bytes(),
    "mastodon-archive": (FIX / "mastodon_archive_export" / "outbox.json").read_bytes()[:8000],
    "mastodon-csv": (FIX / "mastodon_csv" / "following_accounts.csv").read_bytes(),
    "tweets-csv": (FIX / "x_archive_grailbird" / "tweets.csv").read_bytes(),
    "grailbird": (FIX / "x_archive_grailbird" / "data" / "js" / "tweets" / "2013_01.js").read_bytes(),
}


def read_bluesky_files(paths):
    from loaders.bluesky import read_bluesky

    return read_bluesky(paths)


def file_loads_or_load_error(name: str, data: bytes) -> None:
    try:
        result = FILE_PARSERS[name](data)
    except LoadError:
        return
    assert isinstance(result, GraphBatch)


@FUZZ
@given(name=st.sampled_from(sorted(FILE_PARSERS)), data=st.binary(max_size=400))
def test_new_formats_random_bytes(name, data):
    file_loads_or_load_error(name, data)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(NEW_SAMPLES)), data=st.data())
def test_new_formats_mutated_fixtures(name, data):
    file_loads_or_load_error(name, mutated(NEW_SAMPLES[name], data))


SDK_DUMPS = [
    json.loads((FIX / "bluesky_atproto_dump" / n).read_text())
    for n in ("author_feed.json", "search_posts.json")
]
OUTBOX_ITEMS = json.loads((FIX / "mastodon_archive_export" / "outbox.json").read_text())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_perturbed_sdk_dumps_and_outboxes(data):
    dump = perturbed(data.draw(st.sampled_from(SDK_DUMPS)), data)
    loads_or_load_error("bluesky", json.dumps(dump).encode())
    box = perturbed(OUTBOX_ITEMS, data)
    file_loads_or_load_error("mastodon-archive", json.dumps(box).encode())
