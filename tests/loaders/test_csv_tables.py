"""Generic CSV loader: each table, the column mapping, and every bad-input case."""

import json

import pandas as pd
import pytest

from graph.model import LoadError
from loaders.csv_tables import read_csv_tables, read_mapping


def write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return p


def test_all_tables(tmp_path):
    write(tmp_path, "people.csv", "handle,name,bio,followers_count,topics\n@Ana,Ana,barista,120,#LatteArt;#espresso\nben,Ben,,,\n")
    write(tmp_path, "follows.csv", "source,target\nana,ben\nben,cleo\n")
    write(tmp_path, "posts.csv", "post_id,author,created_at,hashtags,text\n10,ana,2025-03-04T10:15:00Z,#latteart,hi\n")
    write(tmp_path, "relays.csv", "person,post_id,kind,created_at\nben,10,retweet,2025-03-05T00:00:00Z\ncleo,10,,1741132800\n")
    write(tmp_path, "mentions.csv", "source,target,count\nben,ana,2\n")
    b = read_csv_tables([tmp_path])
    assert b.sizes() == {"people": 3, "follows": 2, "posts": 1, "relayed": 2, "relays": 0, "mentions": 1, "replies": 0}
    ana = b.people.set_index("pid").loc["x:ana"]
    assert ana["handle"] == "ana" and ana["followers_count"] == 120 and ana["topics"] == ["#latteart", "#espresso"]
    assert b.posts.iloc[0]["post_id"] == "x:10" and b.posts.iloc[0]["hashtags"] == ["#latteart"]
    assert b.relayed["kind"].tolist() == ["retweet", "retweet"]
    assert b.relayed["at"].iloc[1] == pd.Timestamp("2025-03-05")


def test_bom_and_platform_column(tmp_path):
    p = write(tmp_path, "people.csv", "\ufeffhandle,platform\nalice.bsky.social,bluesky\nbob,\n")
    b = read_csv_tables([p])
    assert sorted(b.people["pid"]) == ["bluesky:alice.bsky.social", "x:bob"]


def test_aggregate_relays_form(tmp_path):
    p = write(tmp_path, "relays.csv", "source,target,count\na,b,4\n")
    b = read_csv_tables([p])
    assert b.relays[["source", "target", "count"]].values.tolist() == [["x:a", "x:b", 4]]


def test_column_mapping(tmp_path):
    p = write(tmp_path, "edges.csv", "follower_id,followee_id\n1,2\n")
    m = write(tmp_path, "map.json", json.dumps({"follows.source": "follower_id", "follows.target": "followee_id"}))
    with pytest.raises(LoadError, match="cannot tell which table"):
        read_csv_tables([p])
    p2 = write(tmp_path, "follows.csv", "follower_id,followee_id\n1,2\n")
    b = read_csv_tables([p2], mapping=read_mapping(m))
    assert b.follows.values.tolist() == [["x:1", "x:2"]]


@pytest.mark.parametrize(
    "name, text, line, field, words",
    [
        ("follows.csv", "source\na\n", 1, "target", "missing required column"),
        ("follows.csv", "source,target\na,b\n,c\n", 3, "source", "is empty"),
        ("people.csv", "handle,followers_count\na,10\nb,lots\n", 3, "followers_count", "not a whole number"),
        ("people.csv", "handle,followers_count\na,-3\n", 2, "followers_count", "below 0"),
        ("mentions.csv", "source,target,count\na,b,1.5\n", 2, "count", "not a whole number"),
        ("mentions.csv", "source,target,count\na,b,0\n", 2, "count", "below 1"),
        ("posts.csv", "post_id,author,created_at\n1,a,yesterday\n", 2, "created_at", "not a date/time"),
        ("relays.csv", "person,post_id,kind\na,1,like\n", 2, "kind", "not one of"),
    ],
)
def test_bad_values_name_file_line_field(tmp_path, name, text, line, field, words):
    p = write(tmp_path, name, text)
    with pytest.raises(LoadError) as err:
        read_csv_tables([p])
    assert (err.value.path, err.value.line, err.value.field) == (str(p), line, field)
    assert words in str(err.value)


def test_empty_file_and_header_only(tmp_path):
    with pytest.raises(LoadError, match="empty file"):
        read_csv_tables([write(tmp_path, "follows.csv", "")])
    b = read_csv_tables([write(tmp_path, "follows.csv", "source,target\n")])
    assert len(b.follows) == 0


def test_invalid_utf8(tmp_path):
    p = write(tmp_path, "people.csv", b"handle,name\na,ok\nb,\xff\xfebad\n")
    with pytest.raises(LoadError, match="invalid UTF-8") as err:
        read_csv_tables([p])
    assert err.value.line == 3


def test_no_csv_in_folder(tmp_path):
    with pytest.raises(LoadError, match="no .csv files"):
        read_csv_tables([tmp_path])


def test_self_loops_and_duplicates_skipped_with_notes(tmp_path):
    p = write(tmp_path, "follows.csv", "source,target\na,a\na,b\nA,b\n")
    b = read_csv_tables([p])
    assert b.follows.values.tolist() == [["x:a", "x:b"]]
    assert len(b.notes) == 2


def test_sample_data_loads():
    b = read_csv_tables(["sample_data"])
    assert b.sizes()["people"] >= 2000 and b.sizes()["follows"] > 10000 and b.sizes()["relayed"] > 1000
