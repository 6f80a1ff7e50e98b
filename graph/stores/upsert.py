"""Turn a :class:`GraphBatch` into the writes that add only what is new.

Pure pandas, store-agnostic: a store hands over what it already holds
(lazily, through an ``existing`` object) and gets back ordered steps —
bulk copies of new rows and updates of existing ones. Reloading the same
batch therefore plans no new rows.

Rules: people and posts are unique by key (a reload fills in missing profile
fields, never blanks them); follows and relay events are unique pairs; relay
aggregates derived from events add the new events' counts; aggregates given
directly (``relays``/``mentions`` tables) replace the pair's count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from graph.model import GraphBatch, LoadError
from graph.stores.base import LoadStats

__all__ = ["plan_load", "Plan", "Step", "Existing"]


class Existing(Protocol):
    def pids(self) -> pd.Series: ...
    def post_ids(self) -> pd.Series: ...
    def posts(self) -> pd.DataFrame: ...
    def edges(self, kind: str) -> pd.DataFrame: ...
    def relayed(self) -> pd.DataFrame: ...


@dataclass
class Step:
    kind: str  # copy | update_people | set_relays | set_mentions
    table: str  # Person, Post, FOLLOWS, AUTHORED, RELAYED, RELAYS, MENTIONS
    frame: pd.DataFrame
    label: str


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)
    stats: LoadStats = field(default_factory=LoadStats)

    def add(self, kind: str, table: str, frame: pd.DataFrame, label: str) -> None:
        self.steps.append(Step(kind, table, frame.reset_index(drop=True), label))
        key = table.lower() if table not in ("Person", "Post") else {"Person": "people", "Post": "posts"}[table]
        bucket = self.stats.added if kind == "copy" else self.stats.updated
        bucket[key] = bucket.get(key, 0) + len(frame)


PROFILE = ("platform", "handle", "name", "bio", "followers_count", "topics", "extra")
#: post columns copied when a load has them
POST_DETAILS = ("created_at", "hashtags", "text", "reply_to", "likes", "reposts", "replies", "quotes")


def _extra_json(values: pd.Series) -> pd.Series:
    """``extra`` dicts as JSON text (None when empty): the stores keep them as a string.

    >>> _extra_json(pd.Series([{"country": "FR"}, None, {}])).tolist()
    ['{"country": "FR"}', None, None]
    """
    import json

    text = [json.dumps(d, sort_keys=True, default=str) if isinstance(d, dict) and d else None for d in values]
    return pd.Series(text, index=values.index, dtype=object)


def plan_load(batch: GraphBatch, existing: Existing | None) -> Plan:
    """Plan the writes for ``batch`` given what the store holds (None = empty).

    >>> from loaders.base import finish_batch
    >>> b = finish_batch(GraphBatch(follows=pd.DataFrame({"source": ["x:a"], "target": ["x:b"]})))
    >>> [(s.table, len(s.frame)) for s in plan_load(b, None).steps if len(s.frame)]
    [('Person', 2), ('FOLLOWS', 1)]
    """
    plan = Plan()
    people = batch.people
    if "extra" in people:
        people = people.assign(extra=_extra_json(people["extra"]))
    _people(plan, people, existing)
    authors = _posts(plan, batch, existing)
    _follows(plan, batch.follows, existing)
    derived = _relayed(plan, batch, authors, existing)
    _aggregates(plan, "relays", derived, batch.relays, existing)
    _aggregates(plan, "mentions", None, batch.mentions, existing)
    _aggregates(plan, "replies", None, batch.replies, existing)
    return plan


def _people(plan: Plan, people: pd.DataFrame, existing: Existing | None) -> None:
    known = existing.pids() if existing is not None else pd.Series([], dtype="str")
    is_new = ~people["pid"].isin(known)
    new = people[is_new]
    cols = ["pid", *[c for c in PROFILE if c in new and new[c].notna().any()]]
    plan.add("copy", "Person", new[cols], "people")
    old = people[~is_new].copy()
    if old.empty:
        return
    old["topics"] = old["topics"].map(lambda t: t if isinstance(t, list) and t else None)
    cols = ["pid", *[c for c in ("name", "bio", "followers_count", "topics", "extra") if c in old and old[c].notna().any()]]
    if len(cols) > 1:
        plan.add("update_people", "Person", old[cols], "people (updates)")


def _posts(plan: Plan, batch: GraphBatch, existing: Existing | None) -> pd.Series:
    """Copy new posts and their AUTHORED edges; return post_id -> author for all known posts."""
    posts = batch.posts
    old = existing.posts() if existing is not None else pd.DataFrame({"post_id": [], "author": []})
    new = posts[~posts["post_id"].isin(old["post_id"])]
    cols = ["post_id", "author", *[c for c in POST_DETAILS if c in new and new[c].notna().any()]]
    plan.add("copy", "Post", new[cols], "posts")
    plan.add("copy", "AUTHORED", new[["author", "post_id"]], "authorship")
    both = pd.concat([old[["post_id", "author"]], posts[["post_id", "author"]]], ignore_index=True)
    return both.drop_duplicates("post_id", keep="last").set_index("post_id")["author"]


def _follows(plan: Plan, follows: pd.DataFrame, existing: Existing | None) -> None:
    if existing is not None and len(follows):
        follows = _anti_join(follows, existing.edges("follows"), ["source", "target"])
    plan.add("copy", "FOLLOWS", follows[["source", "target"]], "follows")


def _relayed(plan: Plan, batch: GraphBatch, authors: pd.Series, existing: Existing | None) -> pd.DataFrame:
    events = batch.relayed
    unknown = ~events["post_id"].isin(authors.index)
    if unknown.any():
        first = events.loc[unknown, "post_id"].iloc[0]
        raise LoadError(
            f"{int(unknown.sum()):,} relay(s) refer to posts that are neither in this load nor in "
            f"the graph (first: post_id {first!r}); load the posts too",
            path=", ".join(batch.sources) or None,
            field="post_id",
        )
    if existing is not None and len(events):
        events = _anti_join(events, existing.relayed(), ["person", "post_id"])
    plan.add("copy", "RELAYED", events[["person", "post_id", "kind", "at"]], "relay events")
    events = events.assign(author=events["post_id"].map(authors))
    events = events[events["person"] != events["author"]]
    if events.empty:
        return pd.DataFrame(columns=["source", "target", "count", "first_at", "last_at"])
    agg = events.groupby(["person", "author"], as_index=False).agg(
        count=("post_id", "size"), first_at=("at", "min"), last_at=("at", "max")
    )
    return agg.rename(columns={"person": "source", "author": "target"})


def _aggregates(
    plan: Plan, kind: str, derived: pd.DataFrame | None, given: pd.DataFrame, existing: Existing | None
) -> None:
    table = kind.upper()
    timed = kind in ("relays", "replies")
    cols = ["source", "target", "count"] + (["first_at", "last_at"] if timed else [])
    frames = [f[cols] for f in (derived, given) if f is not None and len(f)]
    if not frames:
        return
    rows = pd.concat(frames, ignore_index=True)
    if derived is not None and len(derived) and len(given):
        rows = _combine(rows, kind)
    if existing is None:
        plan.add("copy", table, rows, kind)
        return
    old = existing.edges(kind)
    merged = rows.merge(old, on=["source", "target"], how="left", suffixes=("", "_old"), indicator=True)
    fresh = merged["_merge"] == "left_only"
    plan.add("copy", table, merged.loc[fresh, cols], kind)
    upd = merged[~fresh].copy()
    if upd.empty:
        return
    if timed:
        from_events = upd.set_index(["source", "target"]).index.isin(
            derived.set_index(["source", "target"]).index if derived is not None and len(derived) else []
        )
        upd.loc[from_events, "count"] = upd.loc[from_events, "count"] + upd.loc[from_events, "count_old"]
        upd["first_at"] = upd[["first_at", "first_at_old"]].min(axis=1)
        upd["last_at"] = upd[["last_at", "last_at_old"]].max(axis=1)
    plan.add(f"set_{kind}", table, upd[cols], f"{kind} (updates)")


def _combine(rows: pd.DataFrame, kind: str) -> pd.DataFrame:
    agg: dict[str, str] = {"count": "sum"}
    if kind in ("relays", "replies"):
        agg.update(first_at="min", last_at="max")
    return rows.groupby(["source", "target"], as_index=False).agg(agg)


def _anti_join(rows: pd.DataFrame, old: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    if old.empty:
        return rows
    m = rows.merge(old[keys].drop_duplicates(), on=keys, how="left", indicator=True)
    return rows[(m["_merge"] == "left_only").to_numpy()]
