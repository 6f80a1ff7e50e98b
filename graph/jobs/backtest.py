"""Does the shortlist work? Pick on the store's past relays, count who relays the picks later.

:func:`backtest` runs :func:`graph.shortlist.backtest.run_backtest` on the store's timed
relay events (and its follows), for every method of the product and the simple
baselines; :func:`shortlist_check` does the same for one method and one size, which is
what ``influence shortlist`` and the Shortlist page report next to a list.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from graph.errors import UsageError
from graph.model import EdgeArrays
from graph.shortlist.backtest import BacktestResult, cascade_of, run_backtest
from graph.shortlist.baselines import BASELINES, PRODUCT_METHODS, default_methods
from graph.stores.base import Progress, Store

__all__ = ["backtest", "shortlist_check", "timed_relays"]


def timed_relays(store: Store) -> tuple[pd.DataFrame, EdgeArrays | None]:
    """The store's relay events that have a time (with their ``cascade``), and its follows
    (None without any); a graph without timed relays cannot be backtested (UsageError)."""
    events = store.relay_events()
    if "at" in events:
        events = events[events["at"].notna()]
    if events.empty:
        raise UsageError(
            "no timed relays in this graph: a backtest needs relay events with times (retweets, reposts, "
            "boosts with their dates); a follows-only graph cannot show who relays the picks later"
        )
    # the store returns rows in no fixed order (a parallel scan): sort, so a backtest (and
    # the ranking of the past inside it) is the same in every run
    keys = [c for c in ("at", "post_id", "person", "author") if c in events]
    events = events.sort_values(keys, kind="stable").assign(cascade=lambda e: cascade_of(e["post_id"]))
    events = events.reset_index(drop=True)
    follows = store.edge_arrays("follows")
    return events, (follows if follows.m else None)


def backtest(
    store: Store,
    *,
    at: str | pd.Timestamp | None = None,
    fraction: float = 0.5,
    top: Iterable[int] = (50, 100, 300),
    bootstrap: int = 200,
    seed: int = 0,
    progress: Progress | None = None,
) -> BacktestResult:
    """Every method of the product and every simple baseline, side by side (see the module doc)."""
    if at is None and not 0 < fraction < 1:
        raise UsageError(f"--fraction must be between 0 and 1 (the share of relay events before the cut), got {fraction}")
    events, follows = timed_relays(store)
    try:
        return run_backtest(events, follows=follows, at=at, fraction=fraction, top=top, methods=default_methods(),
                            bootstrap=bootstrap, seed=seed, progress=progress)  # fmt: skip
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def shortlist_check(
    store: Store, method: str, k: int, *, fraction: float = 0.5, bootstrap: int = 100, seed: int = 0,
    progress: Progress | None = None,
) -> BacktestResult | None:  # fmt: skip
    """``method`` at size ``k`` against the simple baselines on the store's own history,
    or None when there are no timed relays to check against."""
    try:
        events, follows = timed_relays(store)
    except UsageError:
        return None
    methods = {method: PRODUCT_METHODS[method], **BASELINES}
    try:
        return run_backtest(events, follows=follows, fraction=fraction, top=(k,), methods=methods, default=method,
                            bootstrap=bootstrap, seed=seed, oracle=False, progress=progress)  # fmt: skip
    except ValueError:
        return None
