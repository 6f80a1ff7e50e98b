"""Timed events derived from the store's tables.

The graph keeps mentions only as aggregates (``(:Person)-[:MENTIONS {count}]->(:Person)``,
no times), so every feature that needs *when* someone was mentioned reads the
``@handle``s in post texts instead: each one is a mention event at the post's time,
by the post's author, of the person with that handle on the author's platform.
Relay events come timed from the store (``RELAYED {kind, at}``).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from graph.model import split_pid

__all__ = ["HANDLE_RE", "handles_in", "mention_events", "received_events"]

#: ``@handle`` not preceded by a word character (so e-mail addresses don't count);
#: dots and dashes inside (Bluesky ``alice.bsky.social``), and ``@user@instance`` (Mastodon).
HANDLE_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9_](?:[\w.\-]*\w)?(?:@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)?)")


def handles_in(text: object) -> list[str]:
    """The ``@handle``s in a text, lower-cased, in order, without repeats.

    >>> handles_in("Thanks @BeanThere_Coffee and @ana.bsky.social! mail me: a@b.com @ann@coffee.social.")
    ['beanthere_coffee', 'ana.bsky.social', 'ann@coffee.social']
    >>> handles_in(None)
    []
    """
    if not isinstance(text, str) or "@" not in text:
        return []
    return list(dict.fromkeys(h.lower() for h in HANDLE_RE.findall(text)))


def mention_events(posts: pd.DataFrame, known: pd.Series | list[str] | None = None) -> pd.DataFrame:
    """One row per (post, ``@handle`` in its text): ``source, target, at, post_id``.

    ``target`` is the pid ``<author's platform>:<handle>``; with ``known`` (pids),
    handles of people not in the graph are dropped. Self-mentions are dropped.

    Parameters
    ----------
    posts : DataFrame
        ``post_id, author, created_at, text`` (``Store.posts(text=True)``).
    known : Series or list of str, optional
        The pids in the graph.

    Examples
    --------
    >>> posts = pd.DataFrame({"post_id": ["x:1", "x:2"], "author": ["x:ana", "x:ben"],
    ...     "created_at": pd.to_datetime(["2025-01-02", "2025-01-03"]),
    ...     "text": ["hi @Ben and @nobody", "@ben @ana, thanks"]})
    >>> mention_events(posts, ["x:ana", "x:ben"])[["source", "target", "post_id"]].values.tolist()
    [['x:ana', 'x:ben', 'x:1'], ['x:ben', 'x:ana', 'x:2']]
    """
    cols = {"source": "str", "target": "str", "at": "datetime64[us]", "post_id": "str"}
    empty = pd.DataFrame({c: pd.Series(dtype=t) for c, t in cols.items()})
    if posts is None or posts.empty or "text" not in posts:
        return empty
    has = posts["text"].fillna("").astype(str).str.contains("@", regex=False).to_numpy()
    sub = posts[has]
    found = sub["text"].map(handles_in)
    rows = pd.DataFrame({
        "source": sub["author"].to_numpy(), "handle": found.to_numpy(),
        "at": pd.to_datetime(sub["created_at"]).to_numpy(), "post_id": sub["post_id"].to_numpy(),
    }).explode("handle").dropna(subset=["handle"])  # fmt: skip
    if rows.empty:
        return empty
    platform = rows["source"].map(lambda p: split_pid(str(p))[0])
    rows["target"] = platform + ":" + rows["handle"].astype(str)
    rows = rows[rows["target"] != rows["source"]]
    if known is not None:
        rows = rows[rows["target"].isin(set(known))]
    out = rows[["source", "target", "at", "post_id"]].reset_index(drop=True)
    return out.astype(cols)


def received_events(relay_events: pd.DataFrame | None, mentions: pd.DataFrame | None) -> pd.DataFrame:
    """What each person *receives*, timed: ``pid, at, kind`` (``relay`` of one of their
    posts, or ``mention`` of them in a post's text), oldest first.

    >>> relays = pd.DataFrame({"person": ["b"], "author": ["a"], "at": pd.to_datetime(["2025-01-05"])})
    >>> mentions = pd.DataFrame({"source": ["c"], "target": ["a"], "at": pd.to_datetime(["2025-01-01"])})
    >>> received_events(relays, mentions).values.tolist()
    [['a', Timestamp('2025-01-01 00:00:00'), 'mention'], ['a', Timestamp('2025-01-05 00:00:00'), 'relay']]
    """
    parts = []
    if relay_events is not None and len(relay_events):
        parts.append(pd.DataFrame({"pid": relay_events["author"].to_numpy(), "at": relay_events["at"].to_numpy(),
                                   "kind": "relay"}))  # fmt: skip
    if mentions is not None and len(mentions):
        parts.append(pd.DataFrame({"pid": mentions["target"].to_numpy(), "at": mentions["at"].to_numpy(),
                                   "kind": "mention"}))  # fmt: skip
    if not parts:
        return pd.DataFrame({"pid": pd.Series(dtype="str"), "at": pd.Series(dtype="datetime64[us]"),
                             "kind": pd.Series(dtype="str")})  # fmt: skip
    out = pd.concat(parts, ignore_index=True).dropna(subset=["pid", "at"])
    out["at"] = pd.to_datetime(out["at"]).astype("datetime64[us]")
    order = np.lexsort((out["kind"].to_numpy(), out["at"].to_numpy()))
    return out.iloc[order].reset_index(drop=True)
