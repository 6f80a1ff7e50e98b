"""Generic CSV: ``people.csv``, ``follows.csv``, ``posts.csv``, ``relays.csv``, ``mentions.csv``.

Columns (header row required; extra columns are ignored; handles may carry ``@``):

==============  =====================================================  ==========
file            columns (required in bold)                             one row is
==============  =====================================================  ==========
people.csv      **handle**, name, bio, followers_count, topics,        a person
                platform
follows.csv     **source**, **target**                                 source follows target
posts.csv       **post_id**, **author**, created_at, hashtags, text    a post
relays.csv      **person**, **post_id**, kind, created_at              person relayed a post
                — or **source**, **target**, count (aggregate form)    source relayed target count times
mentions.csv    **source**, **target**, count                          source mentioned target
==============  =====================================================  ==========

``topics`` and ``hashtags`` are ``;``-separated (``#latteart;#espresso``);
times are ISO 8601 (``2025-03-04T10:15:00Z``) or epoch seconds; ``kind`` is
retweet, repost, boost or quote (default retweet). A ``platform`` column (or
the ``platform`` argument, default ``x``) says whose handles these are.

A column mapping renames your columns first, e.g. ``{"follows.source":
"follower_id", "follows.target": "followee_id"}`` ("table.column": "your name").
Which table a file holds comes from its name (``follows*.csv``) or, failing
that, from its header.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pandas as pd

from graph.model import RELAY_KINDS, GraphBatch, LoadError
from loaders.base import (
    CHUNK_ROWS,
    finish_batch,
    open_binary,
    parse_int_column,
    parse_time_column,
    pids,
    refuse_control_characters,
    split_tags,
    utf8_error,
)

__all__ = ["read_csv_tables", "parse_table", "detect_table", "read_mapping", "TABLE_NAMES"]

TABLE_NAMES = ("people", "follows", "posts", "relays", "mentions")
REQUIRED = {
    "people": ("handle",),
    "follows": ("source", "target"),
    "posts": ("post_id", "author"),
    "relays": ("person", "post_id"),
    "mentions": ("source", "target"),
}


def read_mapping(path: str | Path | None) -> dict[str, str]:
    """Read a column mapping (JSON object ``{"table.column": "your column"}``)."""
    if path is None:
        return {}
    try:
        mapping = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LoadError(f"cannot read column mapping: {exc}", path=str(path)) from None
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise LoadError('column mapping must be a JSON object of "table.column": "name"', path=str(path))
    return mapping


def detect_table(path: str | Path, header: list[str] | None = None) -> str | None:
    """Which table a CSV holds, from its file name, else its header.

    >>> detect_table("data/follows_2024.csv")
    'follows'
    >>> detect_table("edges.csv", ["source", "target"])
    'follows'
    """
    stem = Path(path).name.lower()
    for name in TABLE_NAMES:
        if stem.startswith(name):
            return name
    cols = set(header or [])
    if {"person", "post_id"} <= cols:
        return "relays"
    if {"post_id", "author"} <= cols:
        return "posts"
    if "handle" in cols:
        return "people"
    if {"source", "target"} <= cols:
        return "mentions" if "count" in cols else "follows"
    return None


def read_csv_tables(
    paths: list[str | Path],
    *,
    platform: str = "x",
    mapping: dict[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> GraphBatch:
    """Read CSV files (or folders of them) into one batch."""
    files: list[Path] = []
    for p in map(Path, paths):
        files.extend(sorted(p.glob("*.csv")) + sorted(p.glob("*.csv.gz")) if p.is_dir() else [p])
    if not files:
        raise LoadError("no .csv files found", path=", ".join(map(str, paths)))
    batch = GraphBatch(sources=[str(f) for f in files])
    parts: dict[str, list[pd.DataFrame]] = {t: [] for t in ("people", "follows", "posts", "relayed", "relays", "mentions")}
    for f in files:
        with open_binary(f) as fh:
            table, df = parse_table(fh, path=str(f), platform=platform, mapping=mapping or {}, progress=progress)
        parts[table].append(df)
    for name, frames in parts.items():
        if frames:
            setattr(batch, name, pd.concat(frames, ignore_index=True))
    return finish_batch(batch)


def parse_table(
    source: IO[bytes] | IO[str],
    *,
    path: str = "<input>",
    table: str | None = None,
    platform: str = "x",
    mapping: dict[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[str, pd.DataFrame]:
    """Parse one CSV; returns (batch table name, rows in batch columns).

    >>> import io
    >>> name, df = parse_table(io.StringIO("source,target\\n@A,b\\n"), path="follows.csv")
    >>> name, df.values.tolist()
    ('follows', [['x:a', 'x:b']])
    """
    frames = []
    try:
        reader = pd.read_csv(
            source, dtype="str", keep_default_na=False, chunksize=CHUNK_ROWS,
            encoding="utf-8-sig", skipinitialspace=True,
        )  # fmt: skip
        first_line = 2
        for chunk in reader:
            chunk.columns = [str(c).strip() for c in chunk.columns]
            if first_line == 2:
                _refuse_repeated_columns(list(chunk.columns), path)
            table = table or detect_table(path, list(chunk.columns))
            if table is None:
                raise LoadError(
                    "cannot tell which table this is; name the file people/follows/posts/relays/"
                    "mentions.csv or use those tables' column names",
                    path=path,
                    line=1,
                )
            frames.append(_convert(chunk, table, path, first_line, platform, mapping or {}))
            first_line += len(chunk)
            if progress:
                progress(len(chunk))
    except UnicodeDecodeError:
        raise utf8_error(path) from None
    except pd.errors.EmptyDataError:
        raise LoadError("empty file (no header row)", path=path) from None
    except pd.errors.ParserError as exc:
        raise LoadError(f"malformed CSV: {str(exc).strip().splitlines()[-1]}", path=path) from None
    if table is None:
        raise LoadError("header only, no rows", path=path)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if table == "relays" and "person" in out:
        return "relayed", out
    return table, out


def _refuse_repeated_columns(columns: list[str], path: str) -> None:
    """pandas renames a repeated header ``source,target,source`` to ``source.1``: refuse it.

    >>> _refuse_repeated_columns(["source", "target", "source.1"], "f.csv")
    Traceback (most recent call last):
    ...
    graph.errors.LoadError: f.csv:1: column 'source': appears more than once in the header
    """
    for c in columns:
        base, dot, n = c.rpartition(".")
        if dot and n.isdigit() and base in columns:
            raise LoadError("appears more than once in the header", path=path, line=1, field=base)


def _rename(chunk: pd.DataFrame, table: str, mapping: dict[str, str]) -> pd.DataFrame:
    renames = {v: k.split(".", 1)[1] for k, v in mapping.items() if k.startswith(table + ".")}
    return chunk.rename(columns=renames)


def _convert(
    chunk: pd.DataFrame, table: str, path: str, first_line: int, platform: str, mapping: dict[str, str]
) -> pd.DataFrame:
    chunk = _rename(chunk, table, mapping)
    required = REQUIRED[table]
    if table == "relays" and "person" not in chunk and {"source", "target"} <= set(chunk.columns):
        required = ("source", "target")
    for col in required:
        if col not in chunk:
            raise LoadError(
                f"missing required column (found: {', '.join(chunk.columns) or 'none'})",
                path=path, line=1, field=col,
            )  # fmt: skip
        empty = chunk[col].str.strip() == ""
        if empty.any():
            raise LoadError("is empty", path=path, line=first_line + int(empty.to_numpy().argmax()), field=col)
        refuse_control_characters(chunk[col], path=path, field=col, first_line=first_line)
    plat = chunk["platform"].where(chunk["platform"].str.strip() != "", platform) if "platform" in chunk else platform
    where: dict[str, Any] = {"path": path, "first_line": first_line}
    if table == "people":
        return pd.DataFrame({
            "pid": pids(plat, chunk["handle"]),
            "platform": plat if isinstance(plat, pd.Series) else pd.Series(platform, index=chunk.index),
            "handle": chunk["handle"].str.strip().str.lstrip("@").str.lower(),
            "name": chunk.get("name"),
            "bio": chunk.get("bio"),
            "followers_count": parse_int_column(chunk["followers_count"], field="followers_count", minimum=0, **where)
            if "followers_count" in chunk else None,
            "topics": split_tags(chunk["topics"]) if "topics" in chunk else [[] for _ in range(len(chunk))],
        })  # fmt: skip
    if table == "follows":
        return pd.DataFrame({"source": pids(plat, chunk["source"]), "target": pids(plat, chunk["target"])})
    if table == "posts":
        return pd.DataFrame({
            "post_id": _post_ids(plat, chunk["post_id"]),
            "author": pids(plat, chunk["author"]),
            "created_at": _times(chunk, "created_at", where),
            "hashtags": split_tags(chunk["hashtags"]) if "hashtags" in chunk else [[] for _ in range(len(chunk))],
            "text": chunk.get("text"),
        })  # fmt: skip
    counts = (
        parse_int_column(chunk["count"], field="count", minimum=1, **where).fillna(1)
        if "count" in chunk
        else pd.Series(1, index=chunk.index)
    )
    if table == "relays" and "person" in chunk:
        kind = chunk["kind"].str.strip().str.lower().replace("", "retweet") if "kind" in chunk else pd.Series("retweet", index=chunk.index)
        bad = ~kind.isin(RELAY_KINDS)
        if bad.any():
            i = int(bad.to_numpy().argmax())
            raise LoadError(
                f"{kind.iloc[i]!r} is not one of {', '.join(RELAY_KINDS)}",
                path=path, line=first_line + i, field="kind",
            )  # fmt: skip
        return pd.DataFrame({
            "person": pids(plat, chunk["person"]),
            "post_id": _post_ids(plat, chunk["post_id"]),
            "kind": kind,
            "at": _times(chunk, "created_at", where),
        })  # fmt: skip
    out = pd.DataFrame({"source": pids(plat, chunk["source"]), "target": pids(plat, chunk["target"]), "count": counts})
    if table == "relays":
        out["first_at"] = _times(chunk, "first_at", where)
        out["last_at"] = _times(chunk, "last_at", where)
    return out


def _post_ids(platform: str | pd.Series, ids: pd.Series) -> pd.Series:
    return platform + ":" + ids.str.strip() if isinstance(platform, str) else platform + ":" + ids.str.strip()


def _times(chunk: pd.DataFrame, col: str, where: dict) -> pd.Series:
    if col not in chunk:
        return pd.Series(pd.NaT, index=chunk.index, dtype="datetime64[us]")
    return parse_time_column(chunk[col], field=col, **where)
