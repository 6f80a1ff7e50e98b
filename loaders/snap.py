"""SNAP edge lists: ``A B`` or ``A B w`` per line, plain or gzip, ``#`` comments.

The user says what the edges are (``kind``):

* ``follows``: A follows B (a weight column, if any, is ignored);
* ``relays``: A relayed B ``w`` times (w defaults to 1);
* ``mentions``: A mentioned B ``w`` times.

Files are streamed in chunks of :data:`loaders.base.CHUNK_ROWS` lines; ids
stay in Arrow-backed string columns, so there is no Python object per edge.

A well-formed file (one delimiter, comments only at the top, no quotes, valid
weights) takes a fast path: Arrow's CSV reader, ids normalised once per distinct
id and edges deduplicated on integer codes. Anything it does not expect sends the
file down the careful path, which reads it again and reports the file, line and
field of the problem; both paths give the same batch (a test holds them to it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from graph.model import GraphBatch, LoadError
from loaders.base import CHUNK_ROWS, CONTROL_CHARS, finish_batch, open_binary, pids, typed_table, utf8_error

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
    if kind in SNAP_KINDS and (fast := _read_fast(Path(path), kind, platform, progress)) is not None:
        return fast
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


# -- the fast path --------------------------------------------------------------------
_HEAD_BYTES = 1 << 16
_ODD_ID = r'^$|^#|["\x00-\x08\x0b\x0c\x0e-\x1f\x7f]'  # the careful path decides what these mean


def _read_fast(
    path: Path, kind: str, platform: str, progress: Callable[[int], None] | None
) -> GraphBatch | None:
    """The batch :func:`parse_snap` would give, read with Arrow; None whenever the file
    holds anything the careful path has to look at (comments after the data, mixed
    delimiters or column counts, quotes, control characters, bad weights, bad gzip)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    try:
        head, skip = _head(path)
        first = next((ln for ln in head.splitlines()[skip:] if ln.strip()), None)
        if first is None:
            return None
        delimiter = "\t" if b"\t" in first else " "
        ncols = len(first.rstrip(b"\r").split(delimiter.encode()))
        if ncols not in (2, 3):
            return None
        names = ["source", "target", "weight"][:ncols]
        reader = pcsv.open_csv(
            _arrow_stream(path),
            read_options=pcsv.ReadOptions(column_names=names, skip_rows=skip, block_size=16 << 20),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, quote_char=False, escape_char=False),
            convert_options=pcsv.ConvertOptions(column_types={c: pa.string() for c in names}),
        )
        parts: dict[str, list] = {c: [] for c in names}
        for rb in reader:
            for c in names:
                parts[c].append(rb.column(c))
            if progress and rb.num_rows:
                progress(rb.num_rows)
    except (pa.ArrowException, OSError, ValueError, LoadError):
        return None
    m = sum(len(a) for a in parts["source"])
    if m == 0:
        return None
    tokens = first.rstrip(b"\r").decode("utf-8", "replace").split(delimiter)
    got = [next(a for a in parts[c] if len(a))[0].as_py() for c in names]
    if got != tokens:  # the comment lines skipped were not the ones counted
        return None
    ids = pa.chunked_array(parts["source"] + parts["target"], type=pa.string())
    numbered = _integer_ids(ids, platform)
    if numbered is None:
        encoded = ids.combine_chunks().dictionary_encode()
        raw = encoded.dictionary
        if pc.any(pc.match_substring_regex(raw, _ODD_ID)).as_py():
            return None
    count = None
    if kind != "follows" and ncols == 3:
        try:
            weight = pc.cast(pa.chunked_array(parts["weight"], type=pa.string()), pa.float64()).to_numpy()
        except pa.ArrowInvalid:
            return None
        if not np.isfinite(weight).all() or (weight <= 0).any():
            return None
        count = np.maximum(1, np.rint(weight)).astype(np.int64)
    elif kind != "follows":
        count = np.ones(m, dtype=np.int64)
    if numbered is not None:
        codes, uniq = numbered
    else:  # one pid per distinct raw id ("@Bob" and "bob" are the same person), then integer codes
        pid_codes, uniq = pd.factorize(pids(platform, pd.Series(raw.to_pylist(), dtype="str")).to_numpy())
        codes = pid_codes[encoded.indices.to_numpy(zero_copy_only=False)]
    return _fast_batch(codes[:m], codes[m:], count, np.asarray(uniq, dtype=object), kind, str(path))


def _integer_ids(ids: Any, platform: str) -> tuple[np.ndarray, np.ndarray] | None:
    """Codes (in order of first mention) and pids when every id is a whole number written
    the one way Python writes it ("7", not "07", "+7" or " 7"), as SNAP's ids are: then
    factorising the numbers is the same as factorising the text, and 2x faster than
    Arrow's dictionary encoding of 20M strings (1.9 s against 3.4 s); else None.

    >>> import pyarrow as pa
    >>> codes, uniq = _integer_ids(pa.chunked_array([["12", "7", "12"]]), "x")
    >>> codes.tolist(), uniq.tolist()
    ([0, 1, 0], ['x:12', 'x:7'])
    >>> [_integer_ids(pa.chunked_array([[t, "7"]]), "x") for t in ("07", "+7", "a", "")]
    [None, None, None, None]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        numbers = pc.cast(ids, pa.int64()).to_numpy()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    codes, uniq = pd.factorize(numbers)
    text = uniq.astype(str)
    # the same length as the number written plainly: no sign, zeros or spaces were added
    if not np.array_equal(pc.utf8_length(ids.combine_chunks()).to_numpy(), np.char.str_len(text)[codes]):
        return None
    return codes, np.char.add(f"{platform}:", text).astype(object)


def _fast_batch(
    src: np.ndarray, dst: np.ndarray, count: np.ndarray | None, uniq: np.ndarray, kind: str, path: str
) -> GraphBatch:
    """Loops dropped, duplicates dropped (follows) or summed (relays, mentions), people
    listed in order of first mention: what :func:`finish_batch` does, on integer codes."""
    import pyarrow as pa

    batch = GraphBatch(sources=[path])
    loops = src == dst
    if loops.any():
        batch.notes.append(f"skipped {int(loops.sum()):,} self-loop(s) in {kind}")
        src, dst = src[~loops], dst[~loops]
        count = None if count is None else count[~loops]
    key = pd.Series(src.astype(np.int64) * len(uniq) + dst)
    dup = key.duplicated().to_numpy()
    if dup.any():
        n = int(dup.sum())
        if count is None:
            batch.notes.append(f"skipped {n:,} duplicate follow row(s)")
            src, dst = src[~dup], dst[~dup]
        else:
            batch.notes.append(f"summed {n:,} repeated {kind} pair(s)")
            summed = pd.Series(count).groupby(key.to_numpy(), sort=False).sum()
            first = ~dup
            src, dst, count = src[first], dst[first], summed.loc[key[first]].to_numpy()
    table = pa.array(uniq, type=pa.string())

    def column(codes: np.ndarray) -> pd.Series:
        return pd.Series(pd.array(table.take(pa.array(codes)), dtype="str"))

    edges = pd.DataFrame({"source": column(src), "target": column(dst)})
    if count is not None:
        edges["count"] = count.astype(np.int64)
    setattr(batch, kind, typed_table(edges, kind))
    import pyarrow.compute as pc

    # codes number the ids in order of first mention (sources, then targets): unless rows
    # were dropped, that order is 0, 1, 2, ... (pd.unique of 20M codes costs 0.5 s)
    dropped = bool(loops.any()) or bool(dup.any())
    seen = pd.unique(np.concatenate([src, dst])) if dropped else np.arange(len(uniq))
    pid = table.take(pa.array(seen))
    parts = pc.split_pattern(pid, ":", max_splits=1)  # as str.split(":", n=1), 15x faster on 1M
    people = pd.DataFrame({
        "pid": pid.to_numpy(zero_copy_only=False),
        "platform": pc.list_element(parts, 0).to_numpy(zero_copy_only=False),
        "handle": pc.list_element(parts, 1).to_numpy(zero_copy_only=False),
    })  # fmt: skip
    batch.people = typed_table(people, "people")
    return batch


def _head(path: Path) -> tuple[bytes, int]:
    """The file's first bytes (decompressed) and how many lines at its top are comments."""
    with open_binary(path) as f:
        head = f.read(_HEAD_BYTES)
    skip = 0
    for line in head.splitlines():
        if line.strip().startswith(b"#") or not line.strip():
            skip += 1
        else:
            break
    return head, skip


def _arrow_stream(path: Path):
    import pyarrow as pa

    with open(path, "rb") as f:
        gz = f.read(2) == b"\x1f\x8b"
    return pa.input_stream(str(path), compression="gzip" if gz else None)


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
