"""Which loader reads which files: ``--format`` names and auto-detection.

Each format registers a reader ``read(paths, *, kind, platform, mapping, progress)
-> GraphBatch`` and, optionally, a ``sniff(path, head: bytes) -> bool`` used by
``--format auto`` on the first bytes of a file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from graph.model import GraphBatch, LoadError
from loaders.base import read_head

__all__ = ["FORMATS", "Format", "register", "detect_format", "read_paths"]


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    read: Callable[..., GraphBatch]
    sniff: Callable[[Path, bytes], bool] | None = None


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    FORMATS[fmt.name] = fmt
    return fmt


def detect_format(path: str | Path) -> str:
    """Name of the format of ``path`` (a file or folder), from its content."""
    path = Path(path)
    head = read_head(path)
    for fmt in FORMATS.values():
        if fmt.sniff is not None and fmt.sniff(path, head):
            return fmt.name
    raise LoadError(
        "unknown format: could not recognise the content; pass --format "
        f"({', '.join(FORMATS)})",
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
    for p in map(Path, paths):
        name = detect_format(p) if format == "auto" else format
        if name not in FORMATS:
            raise LoadError(f"unknown format {name!r}; use one of auto, {', '.join(FORMATS)}", path=str(p))
        if on_detect is not None and format == "auto":
            on_detect(str(p), name)
        groups.setdefault(name, []).append(p)
    batches = [
        FORMATS[name].read(files, kind=kind, platform=platform, mapping=mapping, progress=progress)
        for name, files in groups.items()
    ]
    return merge_batches(batches)


# -- the foundation's formats ---------------------------------------------------------
def _read_csv(paths, *, platform=None, mapping=None, progress=None, **_):
    from loaders.csv_tables import read_csv_tables

    return read_csv_tables(paths, platform=platform or "x", mapping=mapping, progress=progress)


def _read_snap(paths, *, kind="follows", platform=None, progress=None, **_):
    from loaders.snap import read_snap

    return merge_batches_lazy([read_snap(p, kind=kind, platform=platform or "x", progress=progress) for p in paths])


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
    return "," in first and any(
        w in first for w in ("handle", "source", "post_id", "person")
    )


def _sniff_snap(path: Path, head: bytes) -> bool:
    lines = [ln for ln in head.split(b"\n")[:50] if ln.strip() and not ln.startswith(b"#")]
    if not lines or lines[0].lstrip(b"\xef\xbb\xbf \t").decode("utf-8", "replace").startswith(_NOT_TABULAR):
        return False
    if b"\x00" in head[:4096]:  # binary (a zip, an image)
        return False
    if len(head) == 64 * 1024:
        lines = lines[:-1]
    return all(2 <= len(ln.split()) <= 3 and b"," not in ln and b"{" not in ln for ln in lines)


register(Format("csv", "generic CSV tables (people/follows/posts/relays/mentions.csv)", _read_csv, _sniff_csv))
register(Format("snap", "SNAP edge list: 'A B' or 'A B w' per line, plain or .gz", _read_snap, _sniff_snap))


# -- platform exports and Gephi formats (see loaders/sniff.py for the detection rules) --
def _read_x_api(paths, *, progress=None, **_):
    from loaders.twarc import read_twarc

    return read_twarc(paths, progress=progress)


def _read_x_archive(paths, *, progress=None, **_):
    from loaders.x_archive import read_x_archive

    return read_x_archive(paths, progress=progress)


def _read_bluesky(paths, *, progress=None, **_):
    from loaders.bluesky import read_bluesky

    return read_bluesky(paths, progress=progress)


def _read_mastodon(paths, *, progress=None, **_):
    from loaders.mastodon import read_mastodon

    return read_mastodon(paths, progress=progress)


def _gephi_reader(fmt: str) -> Callable[..., GraphBatch]:
    def read(paths, *, kind="follows", platform=None, progress=None, **_):
        from loaders.gephi import read_gephi

        return read_gephi(paths, fmt=fmt, kind=kind, platform=platform, progress=progress)

    return read


def _sniffer(platform: str) -> Callable[[Path, bytes], bool]:
    def sniff(path: Path, head: bytes) -> bool:
        from loaders.sniff import sniff_platform

        return sniff_platform(path, head) == platform

    return sniff


def _sniff_archive(path: Path, head: bytes) -> bool:
    from loaders.sniff import is_x_archive

    return is_x_archive(path, head)


def _sniff_xml(fmt: str) -> Callable[[Path, bytes], bool]:
    def sniff(path: Path, head: bytes) -> bool:
        from loaders.sniff import is_gexf, is_graphml

        return (is_graphml if fmt == "graphml" else is_gexf)(path, head)

    return sniff


register(Format("graphml", "GraphML (Gephi, yEd, Cytoscape); edge attribute type = follows/relays/mentions",
                _gephi_reader("graphml"), _sniff_xml("graphml")))  # fmt: skip
register(Format("gexf", "GEXF (Gephi); edge attribute kind = follows/relays/mentions",
                _gephi_reader("gexf"), _sniff_xml("gexf")))  # fmt: skip
register(Format("x-archive", "X account archive: the zip, its folder, or data/*.js (follower, following, tweets)",
                _read_x_archive, _sniff_archive))  # fmt: skip
register(Format("x-api", "X API v2 JSON Lines as written by twarc2 (pages or flattened), follower pages",
                _read_x_api, _sniffer("x-api")))  # fmt: skip
register(Format("twarc", "same as x-api", _read_x_api))
register(Format("bluesky", "Bluesky / AT Protocol JSON: getFollows/getFollowers/getRepostedBy pages, records",
                _read_bluesky, _sniffer("bluesky")))  # fmt: skip
register(Format("mastodon", "Mastodon API JSON: accounts, /followers and /following pages, statuses",
                _read_mastodon, _sniffer("mastodon")))  # fmt: skip
