"""Research cascade formats: Twitter15/16 propagation trees and Topo-LSTM, with exact counts."""

from __future__ import annotations

import re
import tarfile

import pandas as pd
import pytest

from graph.model import LoadError
from loaders.cascades import read_topolstm, read_twitter_trees
from loaders.registry import detect_paths

TREE = (
    "['ROOT', 'ROOT', '0.0']->['10', '1288834974657', '0.0']\n"
    "['10', '1288834974657', '0.0']->['11', '1288834974657', '5.0']\n"
    "['11', '1288834974657', '5.0']->['12', '999', '7.5']\n"  # a relay of a relayer
    "['11', '1288834974657', '5.0']->['13', '999', '2.0']\n"  # timed before its parent: hangs off the source
    "['10', '1288834974657', '0.0']->['10', '1288834974657', '1.0']\n"  # the author relaying himself
    "['10', '1288834974657', '0.0']->['11', '1288834974657', '5.0']\n"  # a repeated line
)


def tree_folder(tmp_path, sets=("twitter15",)):
    for s in sets:
        (tmp_path / s / "tree").mkdir(parents=True)
        (tmp_path / s / "tree" / "1288834974657.txt").write_text(TREE)
    return tmp_path


def test_tree_attribution_cleaning_and_notes(tmp_path):
    b = read_twitter_trees([tree_folder(tmp_path, ("twitter15", "twitter16"))])
    events = b.relayed.merge(b.posts[["post_id", "author"]], on="post_id").sort_values("person")
    assert events[["person", "author", "post_id"]].values.tolist() == [
        ["x:11", "x:10", "x:1288834974657"],
        ["x:12", "x:11", "x:1288834974657/x:11"],  # credited to the relayer it came through
        ["x:13", "x:10", "x:1288834974657"],
    ]
    t0 = pd.Timestamp((1288834974657 >> 22) + 1288834974657, unit="ms")  # the snowflake id's time
    assert events.set_index("person").loc["x:12", "at"] == t0 + pd.Timedelta(minutes=7.5)
    notes = " | ".join(b.notes)
    for said in ("read 1 cascade(s) present in two sets once", "skipped 1 repeated line", "skipped 1 self-loop",
                 "1 relay(s) timed before their parent"):  # fmt: skip
        assert said in notes, notes


def test_a_tar_like_the_shared_one_is_detected_and_read(tmp_path):
    folder = tree_folder(tmp_path / "src")
    tar = tmp_path / "trees.tar.gz"
    with tarfile.open(tar, "w:gz") as t:
        t.add(folder / "twitter15", arcname="twitter15")
    assert list(detect_paths(tar, [])) == ["twitter-trees"]
    assert len(read_twitter_trees([tar]).relayed) == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("['ROOT', 'ROOT', '0.0']->['1', '2', '0.0']\nnonsense\n", r":2: not a propagation-tree line"),
        ("['ROOT', 'ROOT', '0.0']->['1', '2', '0.0']\n['1', '2', 'x']->['3', '2', '1']\n", r":2: column 'parent_delay'"),
        ("['1', '2', '0']->['3', '2', '1']\n", r"has no \['ROOT', …\] line"),
    ],
)
def test_bad_trees_are_refused_with_the_line(tmp_path, text, message):
    f = tmp_path / "5.txt"
    f.write_text(text)
    with pytest.raises(LoadError, match=message):
        read_twitter_trees([f])


def test_topolstm_counts_match_an_independent_parse(dataset):
    folder = dataset("topolstm_twitter")
    b = read_topolstm([folder])
    pairs = {tuple(sorted(line.split())) for line in (folder / "graph.txt").read_text().splitlines() if line.strip()}
    assert len(b.follows) == 2 * len({p for p in pairs if p[0] != p[1]})
    adoptions, cascades = set(), 0
    for name in ("train", "test"):
        for i, line in enumerate((folder / f"{name}.txt").read_text().splitlines(), start=1):
            x = line.split()
            if x:
                cascades += 1
                adoptions |= {(u, f"{name}-{i}") for u in x[1::2]}
    assert len(b.posts) == cascades == 569
    assert len(b.relayed) == len(adoptions)


def test_topolstm_bad_cascade_line(tmp_path):
    (tmp_path / "graph.txt").write_text("1 2\n")
    (tmp_path / "train.txt").write_text("1 2 100 3\n")
    with pytest.raises(LoadError, match=re.escape("train.txt:1: expected 'seed user time user time …'")):
        read_topolstm([tmp_path])


@pytest.mark.slow
def test_twitter15_16_counts_match_an_independent_parse(dataset):
    tar = dataset("twitter15_16/twitter15_16_trees.tar.gz")
    b = read_twitter_trees([tar])
    line = re.compile(r"\['([^']*)', '[^']*', '[^']*'\]->\['([^']*)', '[^']*', '[^']*'\]")
    sids, pairs = set(), set()
    with tarfile.open(tar) as t:
        for m in t:
            if m.isfile() and "/tree/" in m.name and m.name.endswith(".txt"):
                sid = m.name.rsplit("/", 1)[1][:-4]
                if sid in sids:
                    continue
                sids.add(sid)
                for text in t.extractfile(m).read().decode().splitlines():
                    g = line.match(text)
                    if g and g.group(1) != "ROOT" and g.group(1) != g.group(2):
                        pairs.add((sid, g.group(2)))
    assert len(sids) == 2139 and b.posts["post_id"].str.split("/").str[0].nunique() == 2139
    # one relay per (cascade, relayer) at most; the source author relaying himself is not a relay
    per = b.relayed.assign(sid=b.relayed["post_id"].str.split("/").str[0].str[2:], uid=b.relayed["person"].str[2:])
    assert set(zip(per["sid"], per["uid"], strict=True)) <= pairs
