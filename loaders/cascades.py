"""Research cascade datasets: retweet trees with times, and adoption cascades on a follow graph.

Both give timed relay events, which is what :mod:`graph.shortlist.backtest` needs to check
a shortlist against real future behaviour.

**Twitter15/16 propagation trees** (Ma, Gao & Wong, ACL 2017; ``--format twitter-trees``):
one file per source tweet, one line per relay,
``['parent_uid', 'parent_tweet_id', 'parent_delay']->['child_uid', 'child_tweet_id', 'child_delay']``;
a ``['ROOT', 'ROOT', '0.0']->[author, sid, 0.0]`` line names the source's author. Delays are
minutes after the source, whose time is its snowflake id's ``(id >> 22) + 1288834974657`` ms.
Read from the ``.tar.gz``, a folder holding ``tree/`` folders, or tree files.

* A relay of the source is a relay of the source post ``x:<sid>`` by its author. A relay
  of a relayer (the dataset authors' reconstructed parent) is a relay of that relayer's
  share, a post ``x:<sid>/x:<parent uid>`` authored by the parent at the parent's time:
  the relayer who fed a sub-cascade gets the credit (in the backtest, picking on this
  attribution reached 3-9 % more future relayers than crediting every relay to the
  source's author). :func:`graph.shortlist.backtest.cascade_of` maps both back to the
  cascade ``x:<sid>``.
* Cleaning, each counted in the notes: a cascade present in two sets (Twitter15 and 16
  share 169) is read once; repeated lines once; self-loops and a source author relaying
  their own tweet are skipped; a child timed before its parent hangs off the source.

**Topo-LSTM Twitter** (Wang et al., ICDM 2017; ``--format topolstm``): a folder with
``graph.txt`` (undirected follower pairs: follows both ways) and ``train.txt`` /
``test.txt``, one cascade per line, ``seed u1 t1 u2 t2 …``: the seed's post (the cascade,
``x:topolstm-<file>-<line>``) adopted by ``u1`` at ``t1`` … Times are read as seconds
from the epoch (the unit is undocumented; only their order matters).
"""

from __future__ import annotations

import re
import tarfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from graph.model import GraphBatch, LoadError
from loaders.base import finish_batch, open_binary

__all__ = [
    "read_twitter_trees",
    "parse_tree_lines",
    "read_topolstm",
    "is_twitter_trees",
    "is_topolstm",
    "TREE_LINE",
]

TREE_LINE = re.compile(r"\['([^']*)',\s*'([^']*)',\s*'([^']*)'\]->\['([^']*)',\s*'([^']*)',\s*'([^']*)'\]")
TWITTER_EPOCH_MS = 1288834974657
_TREE_COLUMNS = ["sid", "p_uid", "p_tid", "p_delay", "c_uid", "c_tid", "c_delay"]


# -- Twitter15/16 ------------------------------------------------------------------------
def is_twitter_trees(path: Path, head: bytes) -> bool:
    """A tree file, a folder with ``tree/`` files, or a tar of them (by the first bytes)."""
    if path.is_dir():
        return any(path.glob("tree/*.txt")) or any(path.glob("*/tree/*.txt"))
    return b"->['" in head[:65536] and TREE_LINE.search(head[:65536].decode("utf-8", "replace")) is not None


def _tree_files(path: Path) -> Iterator[tuple[str, str, Callable[[], bytes]]]:
    """``(shown, sid, read)`` per tree file, sets in name order (twitter15 before 16)."""
    if path.is_dir():
        files = sorted(path.glob("**/tree/*.txt")) or sorted(path.glob("*.txt"))
        for f in files:
            yield str(f), f.stem, f.read_bytes
    elif tarfile.is_tarfile(path):
        found = []
        try:  # one pass in stream order: seeking back in a .tar.gz decompresses from the start each time
            with tarfile.open(path, "r|*") as tar:
                for m in tar:
                    if m.isfile() and m.name.endswith(".txt") and "/tree/" in f"/{m.name}":
                        data = tar.extractfile(m).read()  # type: ignore[union-attr]
                        found.append((f"{path}:{m.name}", Path(m.name).stem, data))
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise LoadError(f"not a readable tar archive ({exc})", path=str(path)) from None
        if not found:
            raise LoadError("no tree/*.txt files in this archive", path=str(path))
        for shown, sid, data in sorted(found):
            yield shown, sid, _const(data)
    else:
        with open_binary(path) as fh:
            yield str(path), path.stem, _const(fh.read())


def _const(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def parse_tree_lines(lines: Iterable[str], sid: str, *, shown: str = "<input>") -> list[tuple[str, ...]]:
    """The relay lines of one tree file as ``(sid, p_uid, p_tid, p_delay, c_uid, c_tid, c_delay)``.

    >>> parse_tree_lines(["['ROOT', 'ROOT', '0.0']->['7', '1', '0.0']", "['7', '1', '0.0']->['9', '1', '5.5']"], "1")
    [('1', 'ROOT', 'ROOT', '0.0', '7', '1', '0.0'), ('1', '7', '1', '0.0', '9', '1', '5.5')]
    """
    rows = []
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        m = TREE_LINE.match(line.strip())
        if m is None:
            raise LoadError("not a propagation-tree line ['uid', 'tweet', 'delay']->[…]", path=shown, line=lineno)
        for field, value in (("parent_delay", m.group(3)), ("child_delay", m.group(6))):
            try:
                float(value)
            except ValueError:
                raise LoadError(f"{value!r} is not a number of minutes", path=shown, line=lineno, field=field) from None
        rows.append((sid, *m.groups()))
    return rows


def read_twitter_trees(paths: list[str | Path], *, progress: Callable[[int], None] | None = None, **_: object) -> GraphBatch:
    """Every tree under ``paths`` as posts and timed relay events (see the module doc)."""
    rows: list[tuple[str, ...]] = []
    seen: set[str] = set()
    repeated = 0
    for p in map(Path, paths):
        for shown, sid, read in _tree_files(p):
            if sid in seen:
                repeated += 1
                continue
            seen.add(sid)
            try:
                text = read().decode("utf-8")
            except UnicodeDecodeError:
                raise LoadError("not UTF-8 text", path=shown) from None
            found = parse_tree_lines(text.splitlines(), sid, shown=shown)
            rows += found
            if progress:
                progress(len(found))
    if not rows:
        raise LoadError("no propagation trees found", path=", ".join(map(str, paths)))
    batch = _trees_batch(pd.DataFrame(rows, columns=_TREE_COLUMNS), [str(p) for p in paths])
    if repeated:
        batch.notes.insert(0, f"read {repeated:,} cascade(s) present in two sets once")
    return batch


def _snowflake_time(ids: pd.Series) -> pd.Series:
    ms = (ids.astype(np.int64).to_numpy() >> 22) + TWITTER_EPOCH_MS
    return pd.Series(pd.to_datetime(ms, unit="ms"), index=ids.index)


def _trees_batch(raw: pd.DataFrame, sources: list[str]) -> GraphBatch:
    root = raw[raw["p_uid"] == "ROOT"].drop_duplicates("sid")
    author = root.set_index("sid")["c_uid"]
    orphans = sorted(set(raw["sid"]) - set(author.index))
    if orphans:
        raise LoadError(f"tree {orphans[0]} has no ['ROOT', …] line naming the source's author", path=sources[0])
    ev = raw[raw["p_uid"] != "ROOT"]
    n_lines = len(ev)
    ev = ev.drop_duplicates().copy()
    repeated = n_lines - len(ev)
    ev["source"] = ev["sid"].map(author)
    ev["p_delay"], ev["c_delay"] = ev["p_delay"].astype(float), ev["c_delay"].astype(float)
    loops = (ev["p_uid"] == ev["c_uid"]) | (ev["c_uid"] == ev["source"])
    ev = ev[~loops].copy()
    late = ev["c_delay"] < ev["p_delay"]
    ev.loc[late, "p_uid"], ev.loc[late, "p_delay"] = ev.loc[late, "source"], 0.0
    t0 = _snowflake_time(ev["sid"])
    first_hop = ev["p_uid"] == ev["source"]
    post = np.where(first_hop, "x:" + ev["sid"], "x:" + ev["sid"] + "/x:" + ev["p_uid"])
    relayed = pd.DataFrame({"person": "x:" + ev["c_uid"], "post_id": post, "kind": "retweet",
                            "at": t0 + pd.to_timedelta(ev["c_delay"], unit="min")})  # fmt: skip
    sources_posts = pd.DataFrame({"post_id": "x:" + root["sid"], "author": "x:" + root["c_uid"],
                                  "created_at": _snowflake_time(root["sid"])})  # fmt: skip
    shares = pd.DataFrame({"post_id": post, "author": "x:" + ev["p_uid"],
                           "created_at": t0 + pd.to_timedelta(ev["p_delay"], unit="min")})[~first_hop.to_numpy()]  # fmt: skip
    shares = shares.sort_values("created_at").drop_duplicates("post_id")
    notes = [f"{len(root):,} cascades, {len(relayed):,} timed relays ({first_hop.mean():.0%} of the source itself; "
             f"the others credited to the relayer they came through)"]  # fmt: skip
    for n, what in ((repeated, "repeated line(s)"), (int(loops.sum()), "self-loop(s) or source authors relaying themselves"),
                    (int(late.sum()), "relay(s) timed before their parent, hung off the source instead")):  # fmt: skip
        if n:
            notes.append(f"skipped {n:,} {what}" if "hung" not in what else f"{n:,} {what}")
    batch = GraphBatch(posts=pd.concat([sources_posts, shares], ignore_index=True), relayed=relayed, sources=sources)
    return finish_batch(batch, notes)


# -- Topo-LSTM ------------------------------------------------------------------------------
def is_topolstm(path: Path, head: bytes) -> bool:
    """A folder with ``graph.txt`` and ``train.txt`` or ``test.txt``."""
    return path.is_dir() and (path / "graph.txt").is_file() and any((path / n).is_file() for n in ("train.txt", "test.txt"))


def read_topolstm(paths: list[str | Path], *, progress: Callable[[int], None] | None = None, **_: object) -> GraphBatch:
    """The Topo-LSTM folder(s) as follows (both ways), posts and timed adoptions."""
    follows, posts, relayed = [], [], []
    for folder in map(Path, paths):
        if not is_topolstm(folder, b""):
            raise LoadError("expected a folder with graph.txt and train.txt/test.txt", path=str(folder))
        follows.append(_pairs(folder / "graph.txt"))
        for name in ("train", "test"):
            f = folder / f"{name}.txt"
            if f.is_file():
                p, r = _cascades(f, name)
                posts.append(p)
                relayed.append(r)
                if progress:
                    progress(len(r))
    pairs = pd.concat(follows, ignore_index=True)
    both = pd.DataFrame({"source": pd.concat([pairs["a"], pairs["b"]]), "target": pd.concat([pairs["b"], pairs["a"]])})
    batch = GraphBatch(follows=both, posts=pd.concat(posts, ignore_index=True),
                       relayed=pd.concat(relayed, ignore_index=True), sources=[str(p) for p in paths])  # fmt: skip
    note = f"{len(batch.posts):,} cascades, {len(batch.relayed):,} timed adoptions, {len(pairs):,} follower lines (read both ways)"
    return finish_batch(batch, [note])


def _pairs(path: Path) -> pd.DataFrame:
    rows = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        x = line.split()
        if not x:
            continue
        if len(x) != 2 or not all(v.isdigit() for v in x):
            raise LoadError("expected two user ids 'a b'", path=str(path), line=lineno)
        rows.append(("x:" + x[0], "x:" + x[1]))
    return pd.DataFrame(rows, columns=["a", "b"])


def _cascades(path: Path, name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    posts, events = [], []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        x = line.split()
        if not x:
            continue
        if len(x) % 2 == 0:
            raise LoadError("expected 'seed user time user time …' (an odd number of values)", path=str(path), line=lineno)
        post = f"x:topolstm-{name}-{lineno}"
        try:
            times = [float(t) for t in x[2::2]]
        except ValueError:
            raise LoadError("a time is not a number", path=str(path), line=lineno, field="time") from None
        posts.append((post, "x:" + x[0], min(times) if times else np.nan))
        events += [("x:" + u, post, t) for u, t in zip(x[1::2], times, strict=True)]
    p = pd.DataFrame(posts, columns=["post_id", "author", "t"])
    p["created_at"] = pd.to_datetime(p.pop("t"), unit="s")
    e = pd.DataFrame(events, columns=["person", "post_id", "t"])
    e["kind"], e["at"] = "retweet", pd.to_datetime(e.pop("t"), unit="s")
    return p, e
