"""SNAP edge lists: ``A B`` or ``A B w`` per line, plain or gzip, ``#`` comments.

The user says what the edges are (``kind``):

* ``follows``: A follows B (a weight column, if any, is ignored);
* ``relays``: A relayed B ``w`` times (w defaults to 1);
* ``mentions``: A mentioned B ``w`` times.

Files are streamed in chunks of :data:`loaders.base.CHUNK_ROWS` lines; ids
stay in Arrow-backed string columns, so there is no Python object per edge.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from graph.model import GraphBatch, LoadError
from loaders.base import CHUNK_ROWS, CONTROL_CHARS, finish_batch, open_binary, pids, utf8_error

__all__ = ["read_snap", "parse_snap", "SNAP_KINDS"]

SNAP_KINDS = ("follows", "relays", "mentions")


def read_snap(
    path: str | Path,
    *,
    kind: str = "follows",
    platform: str = "x",
    progress: Callable[[int], None] | None = None,
) -> GraphBatch:
    """Read a SNAP edge list file into a :class:`GraphBatch`."""
    with open_binary(path) as f:
        return parse_snap(f, kind=kind, platform=platform, path=str(path), progress=progress)


def parse_snap(
    source: IO[bytes] | IO[str],
    *,
    kind: str = "follows",
    platform: str = "x",
    path: str = "<input>",
    progress: Callable[[int], None] | None = None,
) -> GraphBatch:
    """Parse SNAP edge-list text.

    >>> import io
    >>> b = parse_snap(io.StringIO("# comment\\n1 2\\n2 3\\n"), kind="follows")
    >>> b.follows.values.tolist()
    [['x:1', 'x:2'], ['x:2', 'x:3']]
    >>> parse_snap(io.StringIO("1 2 5\\n1 3 x\\n"), kind="relays")
    Traceback (most recent call last):
    ...
    graph.errors.LoadError: <input>:2: column 'weight': 'x' is not a number
    """
    if kind not in SNAP_KINDS:
        raise LoadError(f"unknown edge kind {kind!r}; use one of {', '.join(SNAP_KINDS)}", path=path)
    chunks: list[pd.DataFrame] = []
    rows_before = 0
    try:
        reader = pd.read_csv(
            source,
            sep=r"\s+",
            comment="#",
            header=None,
            names=["source", "target", "weight", "extra"],
            index_col=False,
            dtype="string",
            chunksize=CHUNK_ROWS,
            engine="c",
            encoding="utf-8",
        )
        for chunk in reader:
            chunks.append(_check_chunk(chunk, kind, source, path, rows_before))
            rows_before += len(chunk)
            if progress:
                progress(len(chunk))
    except UnicodeDecodeError:
        raise utf8_error(path) from None
    except pd.errors.ParserError as exc:
        raise LoadError(f"not an edge list: {_parser_message(exc)}", path=path, line=_parser_line(exc)) from None
    except pd.errors.EmptyDataError:
        chunks = []
    if not chunks or rows_before == 0:
        raise LoadError("no edges found (empty file or only comments)", path=path)
    edges = pd.concat(chunks, ignore_index=True)
    return _to_batch(edges, kind, platform, path)


def _check_chunk(
    chunk: pd.DataFrame, kind: str, source: object, path: str, rows_before: int
) -> pd.DataFrame:
    extra = chunk["extra"].notna()
    if extra.any():
        raise LoadError(
            "4 values on this line; a SNAP edge list has 'A B' or 'A B w' (is this another format?)",
            path=path,
            line=_file_line(source, path, rows_before + int(extra.to_numpy().argmax())),
            field="columns",
        )
    for col in ("source", "target"):
        bad = chunk[col].str.contains(CONTROL_CHARS, regex=True, na=False)
        if bad.any():
            row = rows_before + int(bad.to_numpy().argmax())
            raise LoadError("holds a control character (NUL or similar)", path=path,
                            line=_file_line(source, path, row), field=col)  # fmt: skip
    missing = chunk["target"].isna()
    if missing.any():
        row = rows_before + int(missing.to_numpy().argmax())
        raise LoadError(
            "only one id on this line (expected 'A B' or 'A B w')",
            path=path,
            line=_file_line(source, path, row),
            field="target",
        )
    if kind == "follows":
        return chunk[["source", "target"]]
    weight = pd.to_numeric(chunk["weight"], errors="coerce")
    bad = chunk["weight"].notna() & (weight.isna() | (weight <= 0))
    if bad.any():
        i = int(bad.to_numpy().argmax())
        value = chunk["weight"].iloc[i]
        problem = "is not a number" if pd.isna(weight.iloc[i]) else "must be positive"
        raise LoadError(
            f"{value!r} {problem}",
            path=path,
            line=_file_line(source, path, rows_before + i),
            field="weight",
        )
    out = chunk[["source", "target"]].copy()
    out["count"] = np.maximum(1, np.rint(weight.fillna(1).to_numpy(dtype=float))).astype(np.int64)
    return out


def _to_batch(edges: pd.DataFrame, kind: str, platform: str, path: str) -> GraphBatch:
    batch = GraphBatch(sources=[path])
    edges = edges.assign(source=pids(platform, edges["source"]), target=pids(platform, edges["target"]))
    setattr(batch, kind, edges)
    return finish_batch(batch)


_LINE = re.compile(r"line (\d+)")


def _parser_line(exc: Exception) -> int | None:
    m = _LINE.search(str(exc))
    return int(m.group(1)) if m else None


def _parser_message(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[-1]
    return text.replace("Error tokenizing data. C error: ", "")


def _file_line(source: object, path: str, data_row: int) -> int | None:
    """Map the n-th data row (0-based; comments and blanks skipped) to its file line."""
    if hasattr(source, "getvalue"):
        value = source.getvalue()
        lines = value.encode() if isinstance(value, str) else value
        return _nth_data_line(lines.splitlines(), data_row)
    if not Path(path).exists():
        return None
    with open_binary(path) as f:
        return _nth_data_line(f, data_row)


def _nth_data_line(lines, data_row: int) -> int | None:
    seen = -1
    for lineno, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text or text.startswith(b"#"):
            continue
        seen += 1
        if seen == data_row:
            return lineno
    return None
