"""What every loader shares: opening files, locating bad input, finishing a batch.

"Open the file" is a thin wrapper over "parse the rows": parsers take an
iterable of lines or a file object so tests can pass literal text.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import IO

import pandas as pd

from graph.model import TABLE_DTYPES, GraphBatch, LoadError
from loaders.extras import EXTRA_COLUMNS, replies_of, set_replies

__all__ = [
    "open_text",
    "open_binary",
    "read_head",
    "nested_archive_error",
    "refuse_control_characters",
    "CONTROL_CHARS",
    "find_bad_utf8",
    "finish_batch",
    "pids",
    "parse_int_column",
    "parse_time_column",
    "split_tags",
    "CHUNK_ROWS",
]

#: Rows per chunk when streaming large files.
CHUNK_ROWS = 1_000_000


def read_head(path: str | Path, size: int = 64 * 1024) -> bytes:
    """The first ``size`` bytes of a file (decompressed), or ``b""`` for a folder:
    what format sniffing looks at."""
    path = Path(path)
    if path.is_dir():
        return b""
    with open_binary(path) as f:
        return f.read(size)


_ARCHIVE_SUFFIXES = (".zip", ".tar", ".tgz", ".tar.gz", ".tar.bz2", ".7z", ".rar")


def nested_archive_error(path: str | Path) -> LoadError | None:
    """A clear error for a zip that only wraps other archives (zip in a zip), else None.

    >>> import tempfile, zipfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "outer.zip")
    >>> with zipfile.ZipFile(p, "w") as z:
    ...     z.writestr("inner.zip", b"PK")
    >>> str(nested_archive_error(p)).endswith("holds another archive (inner.zip): extract it and load what is inside")
    True
    """
    import zipfile

    path = Path(path)
    if not path.is_file() or not zipfile.is_zipfile(path):
        return None
    try:
        names = zipfile.ZipFile(path).namelist()
    except (zipfile.BadZipFile, OSError):
        return None
    inner = [n for n in names if n.lower().endswith(_ARCHIVE_SUFFIXES)]
    if not inner:
        return None
    shown = ", ".join(inner[:3]) + (f" and {len(inner) - 3} more" if len(inner) > 3 else "")
    return LoadError(f"holds another archive ({shown}): extract it and load what is inside", path=str(path))


def open_binary(path: str | Path) -> IO[bytes]:
    """Open a plain or gzip-compressed file for reading bytes.

    A gzip file is recognised by its magic number, not its name; a corrupt
    gzip file raises :class:`LoadError` naming the file.
    """
    path = Path(path)
    if not path.exists():
        raise LoadError("no such file", path=str(path))
    if path.is_dir():
        raise LoadError("is a folder, not a file", path=str(path))
    with open(path, "rb") as f:
        magic = f.read(2)
    if magic == b"\x1f\x8b":
        return _CheckedGzip(path)  # type: ignore[return-value]  # a RawIOBase is a binary IO
    return open(path, "rb")


class _CheckedGzip(io.RawIOBase):
    """A streaming gzip reader (multi-member aware) whose errors say which
    file is corrupt; a missing end-of-stream marker counts as truncation."""

    _BLOCK = 1 << 20

    def __init__(self, path: Path) -> None:
        self._path = path
        self._f = open(path, "rb")
        self._z = zlib.decompressobj(wbits=31)
        self._buf = b""
        self._pos = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def _fail(self, why: str) -> LoadError:
        return LoadError(f"corrupt or truncated gzip data ({why})", path=str(self._path))

    def _fill(self) -> None:
        while self._pos >= len(self._buf) and not self._done:
            self._buf, self._pos = b"", 0
            data = self._z.unused_data or self._f.read(self._BLOCK)
            if self._z.eof:  # next member, or the end
                if not data:
                    self._done = True
                    return
                self._z = zlib.decompressobj(wbits=31)
            elif not data:
                raise self._fail("the file ends before the end-of-stream marker")
            try:
                self._buf = self._z.decompress(data, self._BLOCK)
                if self._z.unconsumed_tail:
                    self._buf += self._z.decompress(self._z.unconsumed_tail)
            except zlib.error as exc:
                raise self._fail(str(exc)) from None

    def readinto(self, b) -> int:
        self._fill()
        n = min(len(b), len(self._buf) - self._pos)
        b[:n] = memoryview(self._buf)[self._pos : self._pos + n]
        self._pos += n
        return n

    def close(self) -> None:
        self._f.close()
        super().close()


def find_bad_utf8(path: str | Path) -> tuple[int, int] | None:
    """First (line, column) whose bytes are not valid UTF-8, or None.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "x.txt")
    >>> _ = open(p, "wb").write(b"ok\\nbad \\xff here\\n")
    >>> find_bad_utf8(p)
    (2, 5)
    """
    with io.BufferedReader(open_binary(path)) as f:  # type: ignore[type-var]
        for lineno, raw in enumerate(f, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return lineno, exc.start + 1
    return None


def open_text(path: str | Path) -> IO[str]:
    """Open a (possibly gzip) UTF-8 text file; a leading BOM is dropped.

    Invalid UTF-8 surfaces as :class:`LoadError` with its line (see
    :func:`utf8_error`) when the caller reads it through :func:`read_lines`.
    """
    raw = io.BufferedReader(open_binary(path))  # type: ignore[type-var]
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")


def utf8_error(path: str | Path) -> LoadError:
    """The LoadError for a file that failed to decode, with the bad line."""
    where = find_bad_utf8(path)
    line, col = where if where else (None, None)
    return LoadError(f"invalid UTF-8 (byte at column {col})", path=str(path), line=line)


#: a control character (NUL…) in a key: such a handle could not be typed or told apart
CONTROL_CHARS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"


def refuse_control_characters(values: pd.Series, *, path: str, field: str, first_line: int | None = None) -> None:
    r"""A LoadError at the first value holding a control character (NUL, …): such a
    handle or id would look like another one and could not be typed by anyone.

    >>> refuse_control_characters(pd.Series(["ann", "b\x00b"]), path="f.csv", field="handle", first_line=2)
    Traceback (most recent call last):
    ...
    graph.errors.LoadError: f.csv:3: column 'handle': 'b\x00b' holds a control character (NUL or similar)
    """
    bad = values.astype("str").str.contains(CONTROL_CHARS, regex=True, na=False)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        line = first_line + i if first_line is not None else None
        raise LoadError(f"{values.iloc[i]!r} holds a control character (NUL or similar)", path=path, line=line,
                        field=field)  # fmt: skip


def pids(platform: str | pd.Series, handles: pd.Series) -> pd.Series:
    """Vectorised :func:`graph.model.make_pid` over a column of handles.

    >>> pids("x", pd.Series([" @Bob", "123"])).tolist()
    ['x:bob', 'x:123']
    """
    h = handles.astype("str").str.strip().str.lstrip("@").str.lower()
    if isinstance(platform, str):
        return platform + ":" + h
    return platform.astype("str") + ":" + h


def parse_int_column(
    values: pd.Series, *, path: str, field: str, first_line: int, minimum: int | None = None
) -> pd.Series:
    """Whole numbers (NA allowed), or a LoadError at the first bad row.

    ``first_line`` is the file line of ``values.iloc[0]``.

    >>> parse_int_column(pd.Series(["3", "", "7"]), path="f.csv", field="n", first_line=2).tolist()
    [3, <NA>, 7]
    >>> parse_int_column(pd.Series(["3", "x"]), path="f.csv", field="n", first_line=2)
    Traceback (most recent call last):
    ...
    graph.errors.LoadError: f.csv:3: column 'n': 'x' is not a whole number
    """
    text = values.astype("string").str.strip().replace("", pd.NA)
    num = pd.to_numeric(text, errors="coerce")
    bad = text.notna() & (num.isna() | (num % 1 != 0))
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise LoadError(
            f"{values.iloc[i]!r} is not a whole number", path=path, line=first_line + i, field=field
        )
    out = num.astype("Int64")
    if minimum is not None:
        low = out.notna() & (out < minimum)
        if low.any():
            i = int(low.to_numpy().argmax())
            raise LoadError(
                f"{values.iloc[i]!r} is below {minimum}", path=path, line=first_line + i, field=field
            )
    return out


def parse_time_column(values: pd.Series, *, path: str, field: str, first_line: int) -> pd.Series:
    """ISO 8601 or epoch-seconds timestamps as naive UTC; NA allowed.

    >>> parse_time_column(pd.Series(["2025-03-04T10:15:00Z", ""]), path="f", field="t",
    ...                   first_line=2).tolist()
    [Timestamp('2025-03-04 10:15:00'), NaT]
    """
    text = values.astype("string").str.strip().replace("", pd.NA)
    numeric = pd.to_numeric(text, errors="coerce")
    parsed = pd.to_datetime(text.where(numeric.isna()), errors="coerce", utc=True, format="ISO8601")
    from_epoch = pd.to_datetime(numeric, unit="s", utc=True, errors="coerce")
    out = parsed.fillna(from_epoch)
    bad = text.notna() & out.isna()
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise LoadError(
            f"{values.iloc[i]!r} is not a date/time (use ISO 8601, e.g. 2025-03-04T10:15:00Z)",
            path=path,
            line=first_line + i,
            field=field,
        )
    return out.dt.tz_localize(None).astype("datetime64[us]")


def split_tags(values: pd.Series) -> pd.Series:
    """``"#a;#B c"`` → ``["#a", "#b", "#c"]`` (``;``, ``,`` or space separated).

    >>> split_tags(pd.Series(["#LatteArt;espresso", None])).tolist()
    [['#latteart', '#espresso'], []]
    """

    def one(v: object) -> list[str]:
        if not isinstance(v, str) or not v.strip():
            return []
        parts = v.replace(",", ";").replace(" ", ";").split(";")
        return ["#" + p.strip().lstrip("#").lower() for p in parts if p.strip().lstrip("#")]

    return values.map(one).astype(object)


def typed_table(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """``df`` with the columns and dtypes of ``table`` in ``TABLE_DTYPES`` (missing ones empty).

    >>> t = typed_table(pd.DataFrame({"source": ["x:a"], "target": ["x:b"], "count": [2.0]}), "relays")
    >>> t.columns.tolist(), str(t["count"].dtype), str(t["first_at"].dtype)
    (['source', 'target', 'count', 'first_at', 'last_at'], 'int64', 'datetime64[us]')
    """
    cols = TABLE_DTYPES[table]
    out = pd.DataFrame(index=df.index)
    for c, t in cols.items():
        if c in df:
            out[c] = df[c].astype(t)
        else:
            out[c] = pd.Series(None, index=df.index, dtype=t)
    for c, t in EXTRA_COLUMNS.get(table, {}).items():  # kept only when a loader filled them
        if c in df:
            out[c] = df[c].astype(t)
    return out.reset_index(drop=True)


def finish_batch(batch: GraphBatch, notes: Iterable[str] = ()) -> GraphBatch:
    """Normalise a loader's tables: dtypes, self-loops and duplicates dropped
    (with a note saying how many), people created for every referenced pid.
    """
    batch.notes.extend(notes)
    for t in batch.TABLES:
        setattr(batch, t, typed_table(getattr(batch, t), t))
    set_replies(batch, replies_of(batch))
    for t in ("follows", "relays", "mentions", "replies"):
        df = getattr(batch, t)
        loops = df["source"] == df["target"]
        if loops.any():
            batch.notes.append(f"skipped {int(loops.sum()):,} self-loop(s) in {t}")
            df = df[~loops]
        if t == "follows":
            before = len(df)
            df = df.drop_duplicates(["source", "target"])
            if len(df) < before:
                batch.notes.append(f"skipped {before - len(df):,} duplicate follow row(s)")
        else:
            df = _sum_duplicates(df, t, batch.notes)
        setattr(batch, t, df.reset_index(drop=True))
    before = len(batch.relayed)
    batch.relayed = batch.relayed.drop_duplicates(["person", "post_id"]).reset_index(drop=True)
    if len(batch.relayed) < before:
        batch.notes.append(f"skipped {before - len(batch.relayed):,} duplicate relay row(s)")
    before = len(batch.posts)
    batch.posts = batch.posts.drop_duplicates("post_id", keep="last").reset_index(drop=True)
    if len(batch.posts) < before:
        batch.notes.append(f"merged {before - len(batch.posts):,} duplicate post row(s)")
    batch.people = _people_with_referenced(batch)
    where = ", ".join(map(str, batch.sources)) or "<input>"
    refuse_control_characters(batch.people["pid"], path=where, field="handle")
    refuse_control_characters(batch.posts["post_id"], path=where, field="post_id")
    return batch


def _sum_duplicates(df: pd.DataFrame, table: str, notes: list[str]) -> pd.DataFrame:
    if not df.duplicated(["source", "target"]).any():
        return df
    n = int(df.duplicated(["source", "target"]).sum())
    if table != "replies":  # one row per reply post: summing them is the normal case
        notes.append(f"summed {n:,} repeated {table} pair(s)")
    agg: dict[str, str] = {"count": "sum"}
    if table in ("relays", "replies"):
        agg.update(first_at="min", last_at="max")
    return df.groupby(["source", "target"], as_index=False, sort=False).agg(agg)


def _people_with_referenced(batch: GraphBatch) -> pd.DataFrame:
    people = batch.people.drop_duplicates("pid", keep="last")
    refs = pd.concat(
        [
            batch.follows["source"],
            batch.follows["target"],
            batch.posts["author"],
            batch.relayed["person"],
            batch.relays["source"],
            batch.relays["target"],
            batch.mentions["source"],
            batch.mentions["target"],
            batch.replies["source"],
            batch.replies["target"],
        ],
        ignore_index=True,
    )
    if refs.empty:
        return people.reset_index(drop=True)
    missing = pd.Series(refs.unique(), dtype="str")
    missing = missing[~missing.isin(people["pid"])]
    if missing.empty:
        return people.reset_index(drop=True)
    split = missing.str.split(":", n=1, expand=True)
    extra = pd.DataFrame({"pid": missing.values, "platform": split[0].values, "handle": split[1].values})
    return typed_table(pd.concat([people, extra], ignore_index=True), "people")
