"""A Bluesky repository export: the CAR file of ``com.atproto.sync.getRepo`` (the app's
"Export my data"), decoded with ``libipld`` (the DAG-CBOR/CAR codec the ``atproto``
SDK uses).

The file holds the signed commit (``did``, ``data``) and the repository's Merkle
Search Tree; :func:`iter_car_records` walks the tree in key order and yields each
record with its ``collection/rkey`` path, so a record's ``at://`` URI is exact. The
whole file is read into memory (a repository is a few MB; the largest are ~100 MB).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graph.model import LoadError
from loaders.base import open_binary

__all__ = ["iter_car_records", "is_car", "CarRecord"]

CarRecord = tuple[str, str, str, Any]  # did, collection, rkey, record (or None when its block is missing)


def is_car(head: bytes) -> bool:
    """A CARv1 header: a varint length, then a DAG-CBOR map with ``roots`` and ``version``.

    >>> is_car(bytes.fromhex("3aa265726f6f747381d82a5825000171122047a7"))  # a real export's first bytes
    True
    >>> is_car(b'{"roots": 1}')
    False
    """
    return len(head) > 12 and head[0] < 0x80 and head[1] in (0xA2,) and b"roots" in head[:16]


def iter_car_records(path: str | Path) -> Iterator[CarRecord]:
    """Yield ``(did, collection, rkey, record)`` for every record of a repository CAR file."""
    import libipld

    shown = str(path)
    with open_binary(path) as f:
        data = f.read()
    try:
        header, blocks = libipld.decode_car(data)
    except (ValueError, TypeError, KeyError) as exc:
        raise LoadError(f"not a readable CAR file ({exc})", path=shown) from None
    roots = header.get("roots") if isinstance(header, dict) else None
    commit = blocks.get(roots[0]) if isinstance(roots, list) and roots else None
    if not isinstance(commit, dict) or not isinstance(commit.get("did"), str) or "data" not in commit:
        raise LoadError("not a repository export: the CAR's root is not a signed commit (did, data)",
                        path=shown, field="roots[0]")  # fmt: skip
    did = commit["did"]
    for key, cid in _walk(blocks, commit["data"], shown):
        collection, _, rkey = key.partition("/")
        yield did, collection, rkey, blocks.get(cid)


def _walk(blocks: dict, cid: Any, shown: str, depth: int = 0) -> Iterator[tuple[str, Any]]:
    """In-order walk of a Merkle Search Tree node: left subtree, then each entry and its right subtree."""
    if cid is None:
        return
    node = blocks.get(cid)
    if not isinstance(node, dict) or not isinstance(node.get("e"), list) or depth > 64:
        raise LoadError("the repository tree is incomplete or malformed (a tree node is missing)", path=shown)
    yield from _walk(blocks, node.get("l"), shown, depth + 1)
    key = b""
    for i, e in enumerate(node["e"]):
        if not isinstance(e, dict) or not isinstance(e.get("k"), bytes) or not isinstance(e.get("p"), int):
            raise LoadError("malformed repository tree entry", path=shown, field=f"e[{i}]")
        key = key[: e["p"]] + e["k"]
        try:
            text = key.decode("utf-8")
        except UnicodeDecodeError:
            raise LoadError("a record key is not UTF-8", path=shown, field=f"e[{i}].k") from None
        yield text, e.get("v")
        yield from _walk(blocks, e.get("t"), shown, depth + 1)
