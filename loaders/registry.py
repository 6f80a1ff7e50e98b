"""Which loader reads which files: ``--format`` names and auto-detection.

Each format registers a reader ``read(paths, *, kind, platform, mapping, progress)
-> GraphBatch`` and, optionally, a ``sniff(path, head: bytes) -> bool`` used by
``--format auto`` on the first bytes of a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from graph.model import GraphBatch, LoadError
from loaders.base import open_binary

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


def _head(path: Path, size: int = 64 * 1024) -> bytes:
    if path.is_dir():
        return b""
    with open_binary(path) as f:
        return f.read(size)


def detect_format(path: str | Path) -> str:
    """Name of the format of ``path`` (a file or folder), from its content."""
    path = Path(path)
    head = _head(path)
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


def _sniff_csv(path: Path, head: bytes) -> bool:
    if path.is_dir():
        return any(path.glob("*.csv"))
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace").lower()
    return "," in first and any(
        w in first for w in ("handle", "source", "post_id", "person")
    )


def _sniff_snap(path: Path, head: bytes) -> bool:
    lines = [ln for ln in head.split(b"\n")[:50] if ln.strip() and not ln.startswith(b"#")]
    if not lines:
        return False
    if len(head) == 64 * 1024:
        lines = lines[:-1]
    return all(2 <= len(ln.split()) <= 3 and b"," not in ln and b"{" not in ln for ln in lines)


register(Format("csv", "generic CSV tables (people/follows/posts/relays/mentions.csv)", _read_csv, _sniff_csv))
register(Format("snap", "SNAP edge list: 'A B' or 'A B w' per line, plain or .gz", _read_snap, _sniff_snap))
