"""Which loader reads which files: ``--format`` names and auto-detection.

Each format registers a reader ``read(paths, *, kind, platform, mapping, progress)
-> GraphBatch`` and, optionally, a ``sniff(path, head: bytes) -> bool`` used by
``--format auto`` on the first bytes of a file.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from graph.model import GraphBatch, LoadError
from loaders.base import nested_archive_error, read_head

__all__ = ["FORMATS", "Format", "register", "detect_format", "read_paths"]


@dataclass(frozen=True)
class Format:
    """A ``--format``: its reader, its detector, and what it reads and drops (``influence formats``)."""

    name: str
    description: str
    read: Callable[..., GraphBatch]
    sniff: Callable[[Path, bytes], bool] | None = None
    reads: str = ""
    drops: str = ""
    #: Detection order (lower first): specific signatures before loose ones (CSV, SNAP).
    priority: int = 50


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    FORMATS[fmt.name] = fmt
    return fmt


def detect_format(path: str | Path) -> str:
    """Name of the format of ``path`` (a file or folder), from its content."""
    path = Path(path)
    head = read_head(path)
    for fmt in sorted(FORMATS.values(), key=lambda f: f.priority):
        if fmt.sniff is not None and fmt.sniff(path, head):
            return fmt.name
    if nested := nested_archive_error(path):
        raise nested
    raise LoadError(
        f"unknown format: could not recognise the content; pass --format ({', '.join(FORMATS)})",
        path=str(path),
    )


def read_paths(
    paths: list[str | Path],
    *,
    format: str = "auto",
    kind: str = "follows",
    platform: str | None = None,
    mapping: dict[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
    on_detect: Callable[[str, str], None] | None = None,
) -> GraphBatch:
    """Read files of one or several formats into one batch."""
    from loaders.merge import merge_batches

    groups: dict[str, list[Path]] = {}
    notes: list[str] = []
    for p in map(Path, paths):
        if format != "auto":
            if format not in FORMATS:
                raise LoadError(
                    f"unknown format {format!r}; use one of auto, {', '.join(FORMATS)}", path=str(p)
                )
            found = {format: [p]}
        else:
            found = detect_paths(p, notes)
            if on_detect is not None:
                on_detect(str(p), " + ".join(found))
        for name, files in found.items():
            groups.setdefault(name, []).extend(files)
    batches = [
        FORMATS[name].read(files, kind=kind, platform=platform, mapping=mapping, progress=progress)
        for name, files in groups.items()
    ]
    batch = merge_batches(batches)
    batch.notes.extend(notes)
    return batch


#: Folder contents that are read as a whole (one format for the folder).
_WHOLE_FOLDER = ("x-archive", "topolstm", "twitter-trees")


def detect_paths(path: Path, notes: list[str]) -> dict[str, list[Path]]:
    """``{format: [files]}`` for a file, or for each file of a folder (a folder of mixed
    exports — X, Bluesky, Mastodon, CSV — is split by file). An X archive folder is read
    whole; files of unknown content in a folder are skipped with a note."""
    if not path.is_dir():
        return {detect_format(path): [path]}
    for name in _WHOLE_FOLDER:
        sniff = FORMATS[name].sniff
        if sniff is not None and sniff(path, b""):
            return {name: [path]}
    found: dict[str, list[Path]] = {}
    skipped = []
    for f in sorted(path.iterdir()):
        if (
            not f.is_file()
            or f.name.startswith(".")
            or f.name.upper() in ("PROVENANCE.MD", "README.MD", "README.TXT")
        ):
            continue
        try:
            found.setdefault(detect_format(f), []).append(f)
        except LoadError:
            skipped.append(f.name)
    if not found:
        raise LoadError("no file in this folder is in a format `load` reads (see `influence formats`)",
                        path=str(path))  # fmt: skip
    if skipped:
        notes.append(f"{path}: skipped {len(skipped):,} file(s) of unknown format: {', '.join(skipped[:5])}"
                     + (" …" if len(skipped) > 5 else ""))  # fmt: skip
    return found


# -- the foundation's formats ---------------------------------------------------------
def _read_csv(paths, *, platform=None, mapping=None, progress=None, **_):
    from loaders.csv_tables import read_csv_tables

    return read_csv_tables(paths, platform=platform or "x", mapping=mapping, progress=progress)


def _read_snap(paths, *, kind="follows", platform=None, progress=None, **_):
    from loaders.snap import read_snap

    return merge_batches_lazy(
        [read_snap(p, kind=kind, platform=platform or "x", progress=progress) for p in paths]
    )


def merge_batches_lazy(batches: list[GraphBatch]) -> GraphBatch:
    from loaders.merge import merge_batches

    return merge_batches(batches)


_NOT_TABULAR = ("{", "[", "<", "window.")


def _sniff_csv(path: Path, head: bytes) -> bool:
    if path.is_dir():
        return any(path.glob("*.csv"))
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace").lower()
    if first.lstrip().startswith(_NOT_TABULAR) or b"\x00" in head[:4096]:  # JSON, XML, X archive, binary
        return False
    if "tweet_id" in first or first.startswith(("account address", "nodedef>")):  # X / Mastodon exports, GDF
        return False
    return "," in first and any(w in first for w in ("handle", "source", "post_id", "person"))


def _sniff_snap(path: Path, head: bytes) -> bool:
    lines = [ln for ln in head.split(b"\n")[:50] if ln.strip() and not ln.startswith(b"#")]
    if not lines or lines[0].lstrip(b"\xef\xbb\xbf \t").decode("utf-8", "replace").startswith(_NOT_TABULAR):
        return False
    if b"\x00" in head[:4096]:  # binary (a zip, an image)
        return False
    if len(head) == 64 * 1024:
        lines = lines[:-1]
    return all(2 <= len(ln.split()) <= 3 and b"," not in ln and b"{" not in ln for ln in lines)


# -- platform exports and graph files (see loaders/sniff.py for the detection rules) -------
def _platform_reader(module: str, func: str) -> Callable[..., GraphBatch]:
    def read(paths, *, progress=None, **_):
        return getattr(importlib.import_module(module), func)(paths, progress=progress)

    return read


def _graph_reader(fmt: str) -> Callable[..., GraphBatch]:
    def read(paths, *, kind="follows", platform=None, progress=None, **_):
        if fmt in ("graphml", "gexf"):
            from loaders.gephi import read_graph_file as one
        elif fmt == "nodexl":
            from loaders.nodexl import read_nodexl

            one = lambda p, fmt, **kw: read_nodexl(p, **kw)  # noqa: E731
        else:
            from loaders.graph_text import read_text_graph as one
        return merge_batches_lazy(
            [one(p, fmt=fmt, kind=kind, platform=platform, progress=progress) for p in paths]
        )

    return read


def _sniff(name: str) -> Callable[[Path, bytes], bool]:
    def sniff(path: Path, head: bytes) -> bool:
        from loaders import sniff as rules

        return rules.SNIFFERS[name](path, head)

    return sniff


_G = "node attributes other than the profile's are kept as extra person properties"
_GD = "drawing/layout attributes and graph metrics (recomputed by rank), edge attributes other than kind/count (counted)"
register(Format("csv", "generic CSV tables (people/follows/posts/relays/mentions.csv)", _read_csv, _sniff_csv,
                reads="people (handle, name, bio, followers_count, topics), follows, posts, relay events or "
                      "counts, mention counts", drops="columns it does not know", priority=90))  # fmt: skip
register(Format("snap", "SNAP edge list: 'A B' or 'A B w' per line, plain or .gz", _read_snap, _sniff_snap,
                reads="one edge kind (--kind follows/relays/mentions), weights as counts",
                drops="comments; weights of follows", priority=95))  # fmt: skip
register(Format("graphml", "GraphML (Gephi, yEd, Cytoscape); edge attribute type = follows/relays/mentions",
                _graph_reader("graphml"), _sniff("graphml"),
                reads=f"nodes, labels (yEd too; blank labels keyed by node id), edges as listed (undirected "
                      f"too), type/kind, count/weight; {_G}", drops=_GD, priority=10))  # fmt: skip
register(Format("gexf", "GEXF 1.1-1.3 (Gephi); edge attribute kind = follows/relays/mentions",
                _graph_reader("gexf"), _sniff("gexf"),
                reads=f"nodes, labels, attvalues, edges as listed (undirected too), kind, weight; {_G}",
                drops=_GD + "; dynamics (spells)", priority=10))  # fmt: skip
register(Format("gml", "GML (NetworkX, igraph, Gephi, Pajek exports)", _graph_reader("gml"), _sniff("gml"),
                reads=f"nodes (label), edges as listed (directed 0 too), type/kind, weight; {_G}",
                drops=_GD, priority=30))  # fmt: skip
register(Format("pajek", "Pajek .net (*Vertices, *Arcs, *Edges)", _graph_reader("pajek"), _sniff("pajek"),
                reads="vertex labels, arcs and edges as listed, weights as counts (with --kind)",
                drops="coordinates and shapes, *Matrix sections, partitions (.clu) and vectors (.vec)",
                priority=30))  # fmt: skip
register(Format("gdf", "GDF (GUESS, Gephi, netvizz, DMI-TCAT)", _graph_reader("gdf"), _sniff("gdf"),
                reads=f"nodedef (name, label, typed columns), edgedef (node1, node2, type/kind, weight); {_G}",
                drops=_GD, priority=30))  # fmt: skip
register(Format("nodexl", "NodeXL workbook (.xlsx: Edges and Vertices sheets)", _graph_reader("nodexl"),
                _sniff("nodexl"),
                reads="Edges (Vertex 1, Vertex 2, Relationship: Followed/Mentions/Replies to/Retweet, Edge "
                      f"Weight), Vertices (Name, Description, Followers…); {_G}",
                drops="'Tweet' self-rows (counted), NodeXL's visual and layout columns, graph metrics, the "
                      "Groups and Overall Metrics sheets", priority=20))  # fmt: skip
register(Format("x-archive", "X account archive: the zip, its folder, or its files; current and 2012-2018 layouts",
                _platform_reader("loaders.x_archive", "read_x_archive"), _sniff("x-archive"),
                reads="owner (account.js / user_details.js, profile), followers, following, tweets (tweets.js, "
                      "data/js/tweets/YYYY_MM.js, tweets.csv): hashtags, mentions (deleted accounts by @name), "
                      "replies, retweets, likes/retweet counts", drops="likes, DMs, lists, blocks, media, ads, "
                      "devices (files not read); tweets.csv when data/js/tweets/ is present (same tweets)",
                priority=5))  # fmt: skip
register(Format("x-api", "X API v2 JSON Lines as written by twarc2 (pages or flattened), follower pages",
                _platform_reader("loaders.twarc", "read_twarc"), _sniff("x-api"),
                reads="tweets, includes (users, originals with their mentions), mentions (once per post, with "
                      "or without ids), replies, retweets, quotes, public_metrics, follower/following pages, "
                      "user location/url/verified/created_at as extras",
                drops="API error objects (counted), retweets of tweets absent and unnamed (counted), media, "
                      "places, polls, context annotations", priority=40))  # fmt: skip
register(Format("twarc", "same as x-api", _platform_reader("loaders.twarc", "read_twarc"), priority=99))
register(Format("bluesky", "Bluesky: API pages, repo records, Jetstream, repository exports (.car), atproto SDK dumps",
                _platform_reader("loaders.bluesky", "read_bluesky"), _sniff("bluesky"),
                reads="follows, reposts, posts (tags, mentions, quotes, replies), profiles, like/repost/reply/"
                      "quote counts; the same from a CAR export and from atproto model_dump() JSON",
                drops="likes, blocks, lists, other collections, deletes (counted); handles are unknown in a "
                      "CAR alone (keyed by DID)", priority=15))  # fmt: skip
register(Format("mastodon", "Mastodon: API JSON, the archive export (outbox/actor), follows CSV export",
                _platform_reader("loaders.mastodon", "read_mastodon"), _sniff("mastodon"),
                reads="accounts, followers/following pages, statuses (tags, mentions, boosts, replies, "
                      "counts); archive outbox (Create, Announce, Mention/Hashtag tags, inReplyTo), actor; "
                      "following_accounts.csv", drops="likes.json and bookmarks.json (counted), media, "
                      "boosts/replies of posts whose URI names no account (counted)", priority=45))  # fmt: skip


def _cascade_sniff(name: str) -> Callable[[Path, bytes], bool]:
    def sniff(path: Path, head: bytes) -> bool:
        from loaders import cascades

        return cascades.is_twitter_trees(path, head) if name == "twitter-trees" else cascades.is_topolstm(path, head)

    return sniff


register(Format("twitter-trees", "research: Twitter15/16 retweet propagation trees (tar.gz, tree/ folders or files)",
                _platform_reader("loaders.cascades", "read_twitter_trees"), _cascade_sniff("twitter-trees"),
                reads="source tweets (author, snowflake time), timed relays; a relay of a relayer as a relay of "
                      "their share", drops="tweet ids of replies, repeated lines, self-loops, a cascade's second "
                      "copy (all counted); rumour labels (label.txt)", priority=8))  # fmt: skip
register(Format("topolstm", "research: Topo-LSTM Twitter (graph.txt + train.txt/test.txt cascades)",
                _platform_reader("loaders.cascades", "read_topolstm"), _cascade_sniff("topolstm"),
                reads="follower pairs (both ways), cascades as posts of their seed, timed adoptions",
                drops="repeated adoptions (counted)", priority=8))  # fmt: skip
