"""SNAP edge-list loader: good input and each bad-input case it handles."""

import gzip
import io

import pandas as pd
import pytest

from graph.model import LoadError
from loaders.snap import parse_snap, read_snap


def test_follows_with_comments_blank_lines_and_tabs(tmp_path):
    p = tmp_path / "edges.txt"
    p.write_text("# Directed graph\n# FromNodeId\tToNodeId\n1\t2\n\n2 3\n3   1\n")
    b = read_snap(p, kind="follows")
    assert b.follows.values.tolist() == [["x:1", "x:2"], ["x:2", "x:3"], ["x:3", "x:1"]]
    assert sorted(b.people["pid"]) == ["x:1", "x:2", "x:3"]


def test_gzip_is_recognised_by_content_not_name(tmp_path):
    p = tmp_path / "edges.bin"
    p.write_bytes(gzip.compress(b"1 2\n2 3\n"))
    assert len(read_snap(p).follows) == 2


def test_relays_weights_become_counts_and_default_to_one():
    b = parse_snap(io.StringIO("1 2 3\n1 3\n"), kind="relays")
    assert b.relays[["source", "target", "count"]].values.tolist() == [["x:1", "x:2", 3], ["x:1", "x:3", 1]]


def test_repeated_pairs_are_summed_for_weighted_kinds():
    b = parse_snap(io.StringIO("1 2 3\n1 2 2\n"), kind="mentions")
    assert b.mentions["count"].tolist() == [5]
    assert any("summed" in n for n in b.notes)


def test_self_loops_and_duplicates_are_skipped_with_a_count():
    b = parse_snap(io.StringIO("1 1\n1 2\n1 2\n"), kind="follows")
    assert b.follows.values.tolist() == [["x:1", "x:2"]]
    assert "skipped 1 self-loop(s) in follows" in b.notes
    assert "skipped 1 duplicate follow row(s)" in b.notes


def test_platform_prefix():
    assert parse_snap(io.StringIO("a b\n"), platform="bluesky").follows.iloc[0].tolist() == [
        "bluesky:a",
        "bluesky:b",
    ]


@pytest.mark.parametrize(
    "text, line, field, words",
    [
        ("1 2\n# c\n3\n", 3, "target", "only one id"),
        ("1 2 1\n1 3 abc\n", 2, "weight", "not a number"),
        ("1 2 1\n1 3 -4\n", 2, "weight", "must be positive"),
        ("1 2\n1 2 3 4\n", 2, "columns", "4 values on this line"),
        ("1 2\n1 2 3 4 5\n", 2, None, "not an edge list"),
    ],
)
def test_bad_rows_name_line_and_field(tmp_path, text, line, field, words):
    p = tmp_path / "bad.txt"
    p.write_text(text)
    with pytest.raises(LoadError) as err:
        read_snap(p, kind="relays")
    e = err.value
    assert e.path == str(p) and e.line == line and e.field == field
    assert words in str(e) and str(e).startswith(f"{p}:{line}:")


def test_empty_and_comment_only_files(tmp_path):
    for text in ("", "# only a comment\n"):
        p = tmp_path / "e.txt"
        p.write_text(text)
        with pytest.raises(LoadError, match="no edges found"):
            read_snap(p)


def test_corrupt_gzip_names_the_file(tmp_path):
    p = tmp_path / "edges.txt.gz"
    data = gzip.compress("".join(f"{i} {i * 7919 % 1000}\n" for i in range(5000)).encode())
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(LoadError, match="corrupt or truncated gzip") as err:
        read_snap(p)
    assert str(p) in str(err.value)


def test_invalid_utf8_names_the_line(tmp_path):
    p = tmp_path / "edges.txt"
    p.write_bytes(b"1 2\n2 \xff\xfe3\n")
    with pytest.raises(LoadError, match="invalid UTF-8") as err:
        read_snap(p)
    assert err.value.line == 2


def test_unknown_kind():
    with pytest.raises(LoadError, match="unknown edge kind"):
        parse_snap(io.StringIO("1 2\n"), kind="likes")


def test_missing_file(tmp_path):
    with pytest.raises(LoadError, match="no such file"):
        read_snap(tmp_path / "nope.txt")


@pytest.mark.parametrize(
    "text",
    [
        "# Directed graph\n# FromNodeId\tToNodeId\n1\t2\n2\t3\n3\t3\n1\t2\n",
        "\n# c\n\n1 2\n2 3\n\n\n3 4\n",
        "@Bob alice\nbob Alice\nBOB ALICE\nalice bob\n",
        "1 2\r\n2 3\r\n",
        "1 2 3\n1 2 2\n2 1 0.2\n2 3 7\n",
        "1\t2\t3\n1\t2\t2\n2\t1\t5\n",
        "007 7\n7 007\n+7 7\n-1 1\n",  # numbers written differently are different ids
        "10 20\n20 10\n30 10\n-4 10\n9223372036854775807 10\n",  # plain numbers: the integer path
        "10 20\n20 x\n",  # a name among numbers
        "@Bob alice\nalice BOB\ncarol @bob\n",  # names merged, nothing dropped
    ],
)
@pytest.mark.parametrize("kind", ["follows", "relays", "mentions"])
def test_fast_path_gives_the_careful_paths_batch(tmp_path, text, kind):
    from loaders import snap

    p = tmp_path / "edges.txt"
    p.write_text(text)
    fast = snap._read_fast(p, kind, "x", None)
    assert fast is not None, "a well-formed file takes the fast path"
    with open(p, "rb") as f:
        careful = parse_snap(f, kind=kind, path=str(p))
    for table in fast.TABLES:
        pd.testing.assert_frame_equal(getattr(fast, table), getattr(careful, table))
    assert fast.notes == careful.notes


@pytest.mark.parametrize(
    "text",
    ["a b\n# mid\nc d\n", "1  2\n", " 1 2\n", '"a" b\n', "1 2 # note\n", "1 2\n1 2 3\n", "1 2\x01 3\n"],
)
def test_fast_path_leaves_odd_files_to_the_careful_path(tmp_path, text):
    from loaders import snap

    p = tmp_path / "edges.txt"
    p.write_text(text)
    assert snap._read_fast(p, "relays", "x", None) is None
