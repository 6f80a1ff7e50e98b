"""The person panel on Explore, as pure functions: how a person is named in a list,
why they matter (in the shortlist's plain words), their scores and flags.

A metric with no data in this graph (a follows-only crawl has no relays, so every
relay count is 0 and every relay percentile a meaningless 50) is shown as
"no relay data", never as a percentile (:func:`metrics_without_data`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from graph.model import METRICS, EdgeArrays

__all__ = [
    "NO_DATA",
    "person_label",
    "metrics_without_data",
    "score_rows",
    "score_table",
    "person_flags",
    "why_they_matter",
]

#: What a metric without data in this graph is missing, in words.
NO_DATA: dict[str, str] = {
    "relays_received": "no relay data",
    "relay_pagerank": "no relay data",
    "mentions_received": "no mention data",
    "relevance": "no topic data",
}


def _blank(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))


def person_label(handle: object, name: object = None) -> str:
    """``@handle — Name`` (the name only when it says more than the handle).

    >>> person_label("ana_b", "Ana Bell"), person_label("ana", "ana"), person_label("bob", None)
    ('@ana_b — Ana Bell', '@ana', '@bob')
    """
    text = f"@{handle}"
    if isinstance(name, str) and name.strip() and name.strip().lower() != str(handle).lower():
        text += f" — {name.strip()}"
    return text


def metrics_without_data(people: pd.DataFrame, metrics: Iterable[str] = ("score", *METRICS)) -> set[str]:
    """Metrics that tell nobody apart here: missing, all empty, or one value for everyone.

    >>> p = pd.DataFrame({"followers": [3, 1, 2], "relays_received": [0, 0, 0], "kshell": [None, None, None]})
    >>> sorted(metrics_without_data(p, ["followers", "relays_received", "kshell", "hub"]))
    ['hub', 'kshell', 'relays_received']
    """
    return {m for m in metrics if m not in people or people[m].nunique(dropna=True) <= 1}


def score_rows(
    person: Mapping[str, object],
    metrics: Iterable[str] = ("score", *METRICS),
    *,
    no_data: Iterable[str] = (),
) -> pd.DataFrame:
    """One row per metric: ``metric, value, percentile, note``; a metric in ``no_data``
    gets no value or percentile but a note ("no relay data"); unknown values are skipped.

    >>> t = score_rows({"score": 0.5, "pct_score": 90.0, "followers": None, "relays_received": 0,
    ...                 "pct_relays_received": 50.0}, ["score", "followers", "relays_received"],
    ...                no_data={"relays_received"})
    >>> t[["metric", "percentile", "note"]].values.tolist()
    [['score', 90.0, ''], ['relays_received', nan, 'no relay data']]
    """
    rows: list[dict[str, object]] = []
    gone = set(no_data)
    for m in metrics:
        if m in gone:
            rows.append({"metric": m, "value": None, "percentile": None, "note": NO_DATA.get(m, "no data here")})
            continue
        v = person.get(m)
        if _blank(v):
            continue
        p = person.get(f"pct_{m}")
        pct = None if _blank(p) else float(p)  # type: ignore[arg-type]
        rows.append({"metric": m, "value": float(v), "percentile": pct, "note": ""})  # type: ignore[arg-type]
    out = pd.DataFrame(rows, columns=["metric", "value", "percentile", "note"])
    return out.astype({"value": float, "percentile": float})


def score_table(rows: pd.DataFrame) -> pd.DataFrame:
    """:func:`score_rows` for a narrow panel: ``metric, value, percentile`` where the value
    is text (thousands separated, four significant digits) or the note when there is no data.

    >>> r = pd.DataFrame({"metric": ["followers", "relays_received"], "value": [3216.0, None],
    ...                   "percentile": [100.0, None], "note": ["", "no relay data"]})
    >>> score_table(r).values.tolist()
    [['followers', '3,216', 100.0], ['relays_received', 'no relay data', nan]]
    """
    text = [
        note if note else (f"{v:,.0f}" if float(v).is_integer() and abs(v) >= 1 else f"{v:,.4g}")
        for v, note in zip(rows["value"], rows["note"], strict=True)
    ]
    return pd.DataFrame({"metric": rows["metric"], "value": text, "percentile": rows["percentile"]})


def person_flags(
    person: Mapping[str, object], *, brokers: Iterable[str] = (), shortlisted: Iterable[str] = ()
) -> list[str]:
    """Short labels worth a glance: broker, shortlisted, locked, stage/owner,
    many followers but rarely relayed (Cha et al.).

    >>> person_flags({"pid": "a", "pct_followers": 95.0, "pct_relays_received": 30.0, "stage": "engaged",
    ...               "owner": "ana"}, brokers={"a"})
    ['broker between communities', 'stage: engaged (ana)', 'many followers, rarely relayed']
    """
    pid = person.get("pid")
    flags = []
    if pid in set(brokers):
        flags.append("broker between communities")
    if pid in set(shortlisted):
        flags.append("on the shortlist")
    if person.get("locked") is True:
        flags.append("locked on the shortlist")
    stage = person.get("stage")
    if isinstance(stage, str) and stage:
        owner = person.get("owner")
        flags.append(f"stage: {stage}" + (f" ({owner})" if isinstance(owner, str) and owner else ""))
    pf, pr = person.get("pct_followers"), person.get("pct_relays_received")
    if isinstance(pf, float) and isinstance(pr, float) and pf >= 90 and pr < 50:
        flags.append("many followers, rarely relayed")
    if isinstance(pf, float) and isinstance(pr, float) and pr >= 90 and pf < 50:
        flags.append("relayed far beyond their follower count")
    return flags


def _followers_of(follows: EdgeArrays, pid: str) -> EdgeArrays:
    """Only the follows into ``pid`` (same nodes): all :func:`reasons` needs for one person."""
    at = np.flatnonzero(follows.nodes == pid)
    keep = follows.dst == at[0] if len(at) else np.zeros(follows.m, bool)
    return EdgeArrays(nodes=follows.nodes, src=follows.src[keep], dst=follows.dst[keep], weight=follows.weight[keep])


def why_they_matter(
    people: pd.DataFrame,
    pid: str,
    *,
    relay_events: pd.DataFrame | None = None,
    follows: EdgeArrays | None = None,
    labels: dict[int, str] | None = None,
    no_data: Iterable[str] = (),
    gain: float | None = None,
) -> str:
    """The shortlist's plain-words reason (:func:`graph.shortlist.explain.reasons`) for one person,
    read from only their own relays and followers (milliseconds on 1.8M follows). Metrics in
    ``no_data`` are never the reason; ``gain`` is their reach gain on the shortlist, if any.

    >>> p = pd.DataFrame({"pid": ["a", "b", "c"], "community": [0, 0, 1], "followers": [2, 0, 0],
    ...                   "pct_pagerank": [99.0, 20.0, 20.0]})
    >>> f = EdgeArrays.from_pairs([("b", "a"), ("c", "a")])
    >>> why_they_matter(p, "a", follows=f, labels={0: "#latteart"})
    '2 followers in the #latteart community; top 1% by PageRank'
    """
    from graph.shortlist.explain import reasons

    table = people.drop(columns=[f"pct_{m}" for m in no_data if f"pct_{m}" in people])
    if gain is not None:
        table = table.assign(marginal_gain=np.where(table["pid"] == pid, gain, np.nan))
    events = None
    if relay_events is not None and len(relay_events):
        events = relay_events[relay_events["author"] == pid]
    mine = _followers_of(follows, pid) if follows is not None else None
    out = reasons(table, events, follows=mine, labels=labels, only=[pid])
    return str(out.iloc[0]) if len(out) else ""
