"""Relationship jobs the CLI and the app share: our accounts, who knows us, warm paths,
introductions, rising voices, listening, detractors and the person card.

:func:`read_relations` reads what they need from a store once (people with scores,
every edge kind, relay events, posts with their texts, and mention events found in
those texts); the other functions are pure over that :class:`RelationsData`, so the
app caches it and every panel reuses it. Writing our accounts goes through
:meth:`graph.stores.base.Store.write_accounts`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from graph.errors import UsageError
from graph.model import EDGE_KINDS, EdgeArrays
from graph.relations import accounts as acc
from graph.relations import card as cards
from graph.relations import introductions as intro
from graph.relations import listening, momentum, tone
from graph.relations.events import mention_events, received_events
from graph.relations.warm_paths import WarmPaths, tie_matrix, warm_paths
from graph.stores.base import Store

__all__ = [
    "RelationsData", "read_relations", "add_accounts", "remove_accounts", "find_people", "who_knows_us",
    "introduction_candidates", "introductions", "rising_voices", "trends", "questions", "detractors",
    "person_card", "detractor_flags",
]  # fmt: skip


@dataclass
class RelationsData:
    """What the relationship features read from a store, with derived tables computed on first use."""

    people: pd.DataFrame
    edges: dict[str, EdgeArrays]
    relay_events: pd.DataFrame
    posts: pd.DataFrame
    mentions: pd.DataFrame = field(default_factory=pd.DataFrame)

    @cached_property
    def ours(self) -> pd.DataFrame:
        return acc.our_accounts(self.people)

    @property
    def our_pids(self) -> list[str]:
        return self.ours["pid"].tolist()

    @cached_property
    def handles(self) -> pd.Series:
        return pd.Series(self.people["handle"].astype(str).to_numpy(), index=self.people["pid"].to_numpy())

    @cached_property
    def ties(self) -> Any:
        return tie_matrix(self.edges)

    @cached_property
    def warm(self) -> WarmPaths:
        return warm_paths(self.ties, dict(zip(self.ours["pid"], self.ours["our_member"], strict=True)),
                          nodes=self.edges["follows"].nodes)  # fmt: skip

    @cached_property
    def engagement(self) -> pd.DataFrame:
        return acc.engagement(self.our_pids, self.edges["follows"], self.relay_events, self.mentions,
                              self.edges.get("mentions"))  # fmt: skip

    @cached_property
    def tones(self) -> pd.DataFrame:
        return tone.person_tone(self.posts, self.mentions, self.our_pids)

    @cached_property
    def flags(self) -> pd.Series:
        """Bot-like flags per pid (:func:`graph.shortlist.explain.flags`)."""
        from graph.shortlist.explain import flags

        found = flags(self.people, self.edges["follows"], self.edges["relays"], self.relay_events, posts=self.posts)
        return pd.Series(found.to_numpy(), index=self.people["pid"].to_numpy())

    @cached_property
    def momentum(self) -> pd.DataFrame:
        return momentum.momentum(received_events(self.relay_events, self.mentions))

    def handle(self, pid: str) -> str:
        return str(self.handles.get(pid, pid))


def read_relations(store: Store, people: pd.DataFrame | None = None) -> RelationsData:
    """Read everything the relationship features need from ``store`` (``people``: the
    :func:`graph.jobs.scored_people` table when the caller has it)."""
    from graph.jobs import scored_people

    people = scored_people(store) if people is None else people
    edges = store.edge_arrays_for(list(EDGE_KINDS))
    posts = store.posts(text=True)
    return RelationsData(people, edges, store.relay_events(), posts, mention_events(posts, people["pid"]))


# -- our accounts ------------------------------------------------------------------------
def find_people(people: pd.DataFrame, handles: Iterable[str]) -> list[str]:
    """Pids of the given handles (``@`` optional, or ``platform:handle``); a handle not in
    the graph, or on several platforms, is a :class:`UsageError`."""
    from graph.shortlist.handles import parse_handles

    found = parse_handles(list(handles), people, source="argument")
    if found.warnings:
        raise UsageError("; ".join(re.sub(r"^argument:\d+: ", "", w) for w in found.warnings)
                         + " (load their data first, or give platform:handle)")  # fmt: skip
    return found.pids


def add_accounts(store: Store, handles: Iterable[str], *, role: str, member: str | None = None) -> pd.DataFrame:
    """Mark ``handles`` as our accounts (``role`` brand or member); returns our accounts after."""
    rows = acc.account_rows(find_people(store.people(), handles), role=role, member=member)
    store.write_accounts(rows)
    return acc.our_accounts(store.people())


def remove_accounts(store: Store, handles: Iterable[str]) -> pd.DataFrame:
    """Unmark ``handles`` (they stay in the graph as ordinary people); returns our accounts after."""
    people = store.people()
    pids = find_people(people, handles)
    mine = set(acc.our_accounts(people)["pid"])
    strangers = [p for p in pids if p not in mine]
    if strangers:
        raise UsageError(f"not one of our accounts: {', '.join(strangers)} (see `influence accounts list`)")
    store.write_accounts(acc.unmark_rows(pids))
    return acc.our_accounts(store.people())


# -- who knows us -------------------------------------------------------------------------
def who_knows_us(data: RelationsData, *, top: int | None = 50) -> pd.DataFrame:
    """People by closeness to us: engagement counts and times, warm distance, nearest
    account of ours, closest member and the path (handles); engaged people first."""
    if data.ours.empty:
        raise UsageError("no accounts of ours yet: influence accounts add @brand --brand")
    warm = data.warm.table()
    t = warm.merge(data.engagement, on="pid", how="left")
    t = t[~t["pid"].isin(data.our_pids)]
    for c in ("follows_us", "followed_by_us", "relays_us", "mentions_us"):
        t[c] = t[c].fillna(0).astype("int64")
    t["engaged"] = t[["follows_us", "relays_us", "mentions_us"]].sum(axis=1)
    score = data.people.set_index("pid")["score"] if "score" in data.people else pd.Series(dtype=float)
    t["score"] = t["pid"].map(score)
    t = t.sort_values(["engaged", "warm_distance", "score"], ascending=[False, True, False], na_position="last",
                      kind="stable").head(top)  # fmt: skip
    t.insert(1, "handle", t["pid"].map(data.handle))
    t["warm_from"] = t["warm_from"].map(lambda p: data.handle(p) if isinstance(p, str) else None)
    t["path"] = [" → ".join("@" + data.handle(p) for p in data.warm.path(pid)) for pid in t["pid"]]
    return t.drop(columns=["engaged"]).reset_index(drop=True)


# -- introductions --------------------------------------------------------------------------
def introduction_candidates(data: RelationsData, among: str = "auto", pids: Iterable[str] | None = None) -> tuple[list[str], str]:
    """Whom to pair up, and a phrase saying which set: ``pids`` when given; ``tracked``
    (people with an owner or stage in the graph), ``friends`` (one hop from our
    accounts) or ``top`` (the 300 best scores); ``auto`` takes the first that has
    at least two people."""
    if pids is not None:
        return list(pids), "the given shortlist"
    p = data.people
    sets = {
        "tracked": (p.loc[p.get("owner", pd.Series(index=p.index)).notna() | p.get("stage", pd.Series(index=p.index)).notna(), "pid"].tolist(),
                    "people tracked on the shortlist"),
        "friends": (data.warm.table().query("warm_distance == 1")["pid"].tolist() if data.our_pids else [],
                    "our friends (one hop from our accounts)"),
        "top": (p.sort_values("score", ascending=False).head(300)["pid"].tolist() if "score" in p else p["pid"].head(300).tolist(),
                "the 300 best scores"),
    }  # fmt: skip
    if among != "auto":
        if among not in sets:
            raise UsageError(f"--among {among!r}: use auto, tracked, friends or top")
        return sets[among]
    return next((s for s in sets.values() if len(s[0]) >= 2), sets["top"])


def _talked(data: RelationsData) -> pd.DataFrame:
    """People with ``topics`` = profile topics plus the hashtags they posted."""
    posted = data.posts[["author", "hashtags"]].explode("hashtags").dropna()
    by = posted.assign(tag=posted["hashtags"].astype(str).str.lower()).groupby("author")["tag"].agg(set)
    p = data.people[["pid", "handle", *(c for c in ("community", "topics") if c in data.people)]].copy()
    own = p["topics"] if "topics" in p else pd.Series([None] * len(p), index=p.index)
    p["topics"] = [sorted({str(t).lower() for t in (o if isinstance(o, list | tuple | np.ndarray) else [])}
                          | by.get(pid, set())) for pid, o in zip(p["pid"], own, strict=True)]  # fmt: skip
    return p


def introductions(data: RelationsData, candidates: Iterable[str], *, top: int = 50, min_common: int = 1) -> pd.DataFrame:
    """The best introductions among ``candidates`` (see :mod:`graph.relations.introductions`);
    people with bot-like flags and our own accounts are left out."""
    from graph.shortlist.explain import name_communities

    flagged = set(data.flags[data.flags.map(len) > 0].index) | set(data.our_pids)
    candidates = [p for p in candidates if p not in flagged]
    talked = _talked(data)
    labels = name_communities(talked.dropna(subset=["community"])) if "community" in talked and talked["community"].notna().any() else {}
    return intro.introductions(data.ties, data.edges["follows"].nodes, candidates, talked, top=top,
                               min_common=min_common, labels=labels)  # fmt: skip


# -- rising voices, listening, detractors ------------------------------------------------------
def rising_voices(data: RelationsData, *, only_rising: bool = True, top: int | None = 50, **windows: Any) -> pd.DataFrame:
    """Momentum of relays and mentions received (:func:`graph.relations.momentum.momentum`),
    with handle, score and followers percentile; ``windows``: its keyword arguments."""
    t = momentum.momentum(received_events(data.relay_events, data.mentions), **windows) if windows else data.momentum
    if only_rising:
        t = t[t["rising"]]
    cols = [c for c in ("score", "pct_followers") if c in data.people]
    t = t.merge(data.people[["pid", *cols]], on="pid", how="left")
    t.insert(1, "handle", t["pid"].map(data.handle))
    return t.head(top).reset_index(drop=True) if top else t


def trends(data: RelationsData, *, freq: str = "MS", top: int = 8) -> pd.DataFrame:
    return listening.topic_trends(data.posts, freq=freq, top=top)


def questions(data: RelationsData, *, all_posts: bool = False) -> pd.DataFrame:
    """Posts that mention our accounts and ask something (``all_posts``: every post about us)."""
    if data.ours.empty:
        raise UsageError("no accounts of ours yet: influence accounts add @brand --brand")
    about = listening.posts_about_us(data.posts, data.mentions, data.our_pids)
    if not all_posts:
        about = about[about["question"]]
    about = about.assign(handle=about["author"].map(data.handle), tone=tone.tone(about["text"]).round(3))
    return about[["created_at", "handle", "text", "tone", "question", "post_id", "author"]].reset_index(drop=True)


def detractors(data: RelationsData, rules: tone.ToneRules = tone.ToneRules()) -> pd.DataFrame:
    if data.ours.empty:
        raise UsageError("no accounts of ours yet: influence accounts add @brand --brand")
    return tone.detractors(data.tones, data.people, rules=rules)


def detractor_flags(data: RelationsData) -> dict[str, str]:
    """pid -> detractor flag text (empty without accounts of ours)."""
    if data.ours.empty:
        return {}
    d = tone.detractors(data.tones, data.people)
    return dict(zip(d["pid"], d["flag"], strict=True))


# -- the card -------------------------------------------------------------------------------------
def person_card(data: RelationsData, pid: str, *, flags: Iterable[str] = ()) -> dict[str, Any]:
    """Everything the card shows about ``pid``, as plain values (JSON-serialisable).

    ``flags`` are extra labels from the caller (broker, bot-like flags...); the
    detractor and rising-voice flags are added here."""
    rows = data.people[data.people["pid"] == pid]
    if rows.empty:
        raise UsageError(f"{pid} is not in the graph")
    row = rows.iloc[0]
    topics = row.get("topics")
    friends = cards.hangs_out_with(data.edges, pid)
    friends.insert(1, "handle", friends["pid"].map(data.handle))
    hours = cards.active_hours(data.posts, data.relay_events, pid)
    eng = data.engagement.set_index("pid")
    us = {c: _plain(eng.at[pid, c]) if pid in eng.index else (0 if not c.startswith("last_") else None)
          for c in acc.ENGAGEMENT_COLUMNS}  # fmt: skip
    us["last_contact"] = _plain(row.get("last_contact"))
    warm = data.warm.table().set_index("pid")
    extra = list(flags)
    if (flag := detractor_flags(data).get(pid)) is not None:
        extra.append(flag)
    m = data.momentum.set_index("pid")
    if pid in m.index and bool(m.at[pid, "rising"]):
        extra.append(f"rising voice: {int(m.at[pid, 'recent'])} relays/mentions in the last 30 days, "
                     f"{m.at[pid, 'growth']:g}x the rate before")  # fmt: skip
    tones = data.tones.set_index("pid")
    return {
        "pid": pid, "handle": data.handle(pid), "name": _plain(row.get("name")),
        "our_role": _plain(row.get("our_role")), "owner": _plain(row.get("owner")), "stage": _plain(row.get("stage")),
        "talks_about": cards.talks_about(data.posts, pid, topics=topics).to_dict("records"),
        "hangs_out_with": [{k: _plain(v) for k, v in r.items()} for r in friends.to_dict("records")],
        "active_hours": (hours["posts"] + hours["relays"]).astype(int).tolist(),
        "us": us,
        "tone_about_us": _plain(tones.at[pid, "us_tone"]) if pid in tones.index else None,
        "warm_distance": _plain(warm.at[pid, "warm_distance"]) if pid in warm.index else None,
        "warm_path": [data.handle(p) for p in data.warm.path(pid)],
        "closest_member": _plain(warm.at[pid, "closest_member"]) if pid in warm.index else None,
        "flags": extra,
    }  # fmt: skip


def _plain(v: Any) -> Any:
    """A JSON-friendly scalar: None for missing, ISO text for times, Python numbers."""
    if v is None or (not isinstance(v, str | list | tuple | np.ndarray) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp | np.datetime64):
        return pd.Timestamp(v).isoformat()
    if isinstance(v, np.integer | np.bool_ | np.floating):
        return v.item()
    return v
