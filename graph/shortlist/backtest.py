"""Backtest a shortlist method on timed relay events: pick on the past, score on the future.

The product promises that the people it picks are the ones whose messages travel.
A backtest checks it on real data: cut the relay events at a time ``T``, let each
method pick ``k`` people from the events before ``T`` only (its graph, its node set,
its scores: nothing after ``T`` is visible), then count what the picks' posts
actually got after ``T``:

* ``audience``: distinct people who relayed a post of a pick after ``T`` (the
  picks themselves not counted: relaying each other reaches no one new);
* ``audience2``: the same plus the people who, after ``T``, relayed those relayers
  (two hops), picks again not counted;
* ``share``: the fraction of all relay events after ``T`` whose author is a pick.

Each figure is compared with the best *simple baseline* (greedy coverage of past
relayers, top-k by distinct past relayers, by relays received, by followers where
there is a follow graph, PageRank on the past relay graph) and with the default
method by a **paired bootstrap over future cascades**: the future's independent
units are cascades (a viral post brings thousands of correlated relayers, so
resampling people would understate the error); every method is scored on the same
resampled cascades, and the standard error is that of the difference.
The oracle (greedy coverage of the *future* relayers) is the ceiling; ``random``
(uniform among past authors) the floor.

A picker is ``f(past_events, follows, k, seed) -> list[pid]``. Events are the
relay-event table of :meth:`graph.stores.base.Store.relay_events` (``person, post_id,
author, at``; an optional ``cascade`` column groups posts of one cascade for the
bootstrap, see :func:`cascade_of`).
Follows, if any, are ``EdgeArrays`` (``A -> B``: A follows B); they carry no time
and are visible to every picker.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from graph.model import EdgeArrays
from graph.shortlist.baselines import BASELINES, Picker, default_methods, greedy_coverage

__all__ = ["BacktestResult", "split_events", "run_backtest", "score_picks", "cascade_of"]


def cascade_of(post_ids: pd.Series) -> pd.Series:
    """The cascade a post belongs to, the bootstrap's unit: a loader that records a
    relay of a relay as a post of its own names it ``<source post id>/<relayer>``
    (see :mod:`loaders.cascades`); any other post is its own cascade.

    >>> cascade_of(pd.Series(["x:1", "x:1/x:42", "x:2"])).tolist()
    ['x:1', 'x:1', 'x:2']
    """
    return post_ids.astype("str").str.split("/", n=1).str[0]


# -- splitting and scoring --------------------------------------------------------------
def split_events(events: pd.DataFrame, *, at=None, fraction: float = 0.5):
    """``(past, future, T)``: events strictly before ``T`` and at/after ``T``.

    ``T`` is ``at`` or the ``fraction`` quantile of event times (relay events are
    usually skewed late: a calendar midpoint would leave little past).
    """
    t = pd.to_datetime(events["at"], utc=True)
    T = pd.Timestamp(at, tz="UTC") if at is not None and pd.Timestamp(at).tzinfo is None else (
        pd.Timestamp(at) if at is not None else t.quantile(fraction, interpolation="lower")
    )  # fmt: skip
    before = (t < T).to_numpy()
    return events[before].reset_index(drop=True), events[~before].reset_index(drop=True), T


class _Future:
    """Future events as integer arrays, for fast (bootstrap) scoring."""

    def __init__(self, future: pd.DataFrame, extra_people: Iterable = ()):
        unit_col = "cascade" if "cascade" in future else "post_id"
        names = pd.Index(pd.unique(np.concatenate([
            future["person"].to_numpy(object), future["author"].to_numpy(object), np.asarray(list(extra_people), object),
        ])), dtype=object)  # fmt: skip
        self.names = names
        self.person = names.get_indexer(future["person"])
        self.author = names.get_indexer(future["author"])
        self.unit, self.units = pd.factorize(future[unit_col])
        self.n, self.u = len(names), len(self.units)
        # one row per (unit, author, person): the bootstrap needs no more
        key = pd.DataFrame({"u": self.unit, "a": self.author, "p": self.person})
        ded = key.drop_duplicates()
        self.du, self.da, self.dp = (ded[c].to_numpy() for c in ("u", "a", "p"))
        order = np.argsort(self.da, kind="stable")
        self.a_ptr = np.concatenate([[0], np.cumsum(np.bincount(self.da, minlength=self.n))])
        self.a_rows = order
        self.events_per_unit = np.bincount(self.unit, minlength=self.u).astype(float)
        eua = key.groupby(["a", "u"]).size()  # sorted by author
        self.e_a = eua.index.get_level_values(0).to_numpy()
        self.e_u = eua.index.get_level_values(1).to_numpy()
        self.e_c = eua.to_numpy(float)
        self.e_ptr = np.concatenate([[0], np.cumsum(np.bincount(self.e_a, minlength=self.n))])

    @staticmethod
    def _span(ptr, who):
        size = ptr[who + 1] - ptr[who]
        return np.repeat(ptr[who] - (np.cumsum(size) - size), size) + np.arange(int(size.sum()))

    def rows_of(self, authors_mask: np.ndarray) -> np.ndarray:
        return self.a_rows[self._span(self.a_ptr, np.flatnonzero(authors_mask))]

    def mask(self, pids) -> np.ndarray:
        m = np.zeros(self.n, bool)
        i = self.names.get_indexer(pd.Index(list(pids), dtype=object))
        m[i[i >= 0]] = True
        return m

    def score(self, pids, weights: np.ndarray | None = None) -> np.ndarray:
        """``[audience, audience2, share]`` (``weights``: per-unit bootstrap counts)."""
        return self.score_mask(self.mask(pids), weights)

    def score_mask(self, P: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        w = np.ones(self.u) if weights is None else weights
        r1 = self.rows_of(P)
        r1 = r1[~P[self.dp[r1]]]
        w1 = w[self.du[r1]]
        cov1 = np.bincount(self.dp[r1], weights=w1, minlength=self.n) > 0
        r2 = self.rows_of(cov1)
        r2 = r2[~P[self.dp[r2]]]
        w2 = w[self.du[r2]]
        cov2 = cov1 | (np.bincount(self.dp[r2], weights=w2, minlength=self.n) > 0)
        e = self._span(self.e_ptr, np.flatnonzero(P))
        share = float(np.dot(self.e_c[e], w[self.e_u[e]])) / float(np.dot(self.events_per_unit, w))
        return np.array([cov1.sum(), cov2.sum(), share], float)


def score_picks(future: pd.DataFrame, picks: Iterable) -> dict:
    """``audience``, ``audience2`` and ``share`` of ``picks`` on future events.

    >>> fut = pd.DataFrame({"person": ["b", "c", "d", "a"], "author": ["a", "a", "b", "b"],
    ...                     "post_id": [1, 1, 2, 3], "at": pd.to_datetime([1, 2, 3, 4], utc=True)})
    >>> score_picks(fut, ["a"])
    {'audience': 2.0, 'audience2': 3.0, 'share': 0.5}
    """
    a, b, c = _Future(future).score(list(picks))
    return {"audience": float(a), "audience2": float(b), "share": float(c)}


# -- the backtest ----------------------------------------------------------------------
@dataclass
class BacktestResult:
    """``table``: one row per (method, k) with the three figures, their ratio to the
    best simple baseline, and the paired bootstrap difference vs the default method
    (``d_*``, ``se_*``) and vs the best baseline (``db_*``, ``seb_*``)."""

    table: pd.DataFrame
    picks: dict = field(default_factory=dict)
    info: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)

    def to_text(self, metrics=("audience", "audience2", "share")) -> str:
        i = self.info
        lines = [
            f"T = {i['T']} (split fraction {i['fraction']}); past {i['n_past']:,} events, "
            f"future {i['n_future']:,} events in {i['n_units']:,} cascades; "
            f"default = {i['default']}; bootstrap {i['bootstrap']} x cascades",
        ]
        t = self.table
        for k in sorted(t["k"].unique()):
            sub = t[t["k"] == k]
            lines.append(f"\nk = {k}   (best baseline: {', '.join(f'{m}={b}' for m, b in i['best'][k].items())})")
            hdr = f"{'method':<26}" + "".join(
                f"{m:>10}{'xbest':>7}{'-default':>10}{'se':>7}" for m in metrics
            ) + f"{'secs':>7}"
            lines.append(hdr)
            for _, r in sub.iterrows():
                row = f"{r['method']:<26}"
                for m in metrics:
                    f = "{:10.4f}" if m == "share" else "{:10.0f}"
                    g = "{:+10.4f}" if m == "share" else "{:+10.0f}"
                    s = "{:7.4f}" if m == "share" else "{:7.0f}"
                    row += f.format(r[m]) + f"{r['x_' + m]:7.3f}" + g.format(r['d_' + m]) + s.format(r['se_' + m])
                row += f"{r['secs']:7.1f}"
                lines.append(row)
        if self.notes:
            lines.append("\nnotes: " + "; ".join(self.notes))
        return "\n".join(lines)


def run_backtest(
    events: pd.DataFrame,
    *,
    follows: EdgeArrays | None = None,
    at=None,
    fraction: float = 0.5,
    top: Iterable[int] = (50, 100, 300),
    methods: Mapping[str, Picker] | None = None,
    default: str = "set",
    baselines: Iterable[str] | None = None,
    bootstrap: int = 200,
    seed: int = 0,
    oracle: bool = True,
    truth: pd.DataFrame | None = None,
    progress=None,
) -> BacktestResult:
    """Pick on events before ``T``, score on events after ``T``.

    Parameters
    ----------
    events : DataFrame
        ``person, post_id, author, at`` (+ optional ``cascade``), one row per relay.
    follows : EdgeArrays, optional
        Follow graph (timeless, visible to every picker).
    at, fraction
        ``T``: ``at`` if given, else the ``fraction`` quantile of event times.
    top : the ``k`` values.
    methods : name -> picker (default :func:`default_methods`). A picker that
        returns ``None`` is skipped with a note (e.g. followers without follows);
        one that returns all-tied scores should do the same.
    default : the method the paired differences are taken against.
    baselines : names among ``methods`` that count as simple baselines
        (default: those of :data:`BASELINES` present).
    bootstrap : resamples of future cascades (0: no standard errors).
    truth : events to score on (default ``events``), split at the same ``T``:
        e.g. pick on parent-attributed events, score on source-attributed ones.
    progress : callable(done, total, label), optional
        Called after each method's picks.
    """
    methods = dict(default_methods() if methods is None else methods)
    if default not in methods:
        raise ValueError(f"default method {default!r} not in methods")
    base_names = [b for b in (BASELINES if baselines is None else baselines) if b in methods]
    past, future, T = split_events(events, at=at, fraction=fraction)
    if truth is not None:
        _, future, _ = split_events(truth, at=T)
    ks = sorted(set(int(k) for k in top))
    picks, secs, notes = {}, {}, []
    if past.empty or future.empty:
        raise ValueError(f"nothing to backtest: {len(past):,} relay events before {T} and {len(future):,} after")
    for step, (name, pick) in enumerate(methods.items()):
        if progress is not None:
            progress(step, len(methods), name)
        for k in ks:
            t0 = time.perf_counter()
            out = pick(past, follows, k, seed)
            secs[name, k] = time.perf_counter() - t0
            if out is None:
                if k == ks[0]:
                    notes.append(f"{name}: skipped (no follow data / all scores tied)")
                break
            picks[name, k] = list(dict.fromkeys(out))[:k]
    if oracle:
        for k in ks:
            t0 = time.perf_counter()
            picks["oracle", k] = greedy_coverage(future, k)
            secs["oracle", k] = time.perf_counter() - t0
    fut = _Future(future, extra_people=[p for v in picks.values() for p in v])
    names = list(dict.fromkeys(m for m, _ in picks))
    full = {key: fut.score(v) for key, v in picks.items()}
    rng = np.random.default_rng(seed)
    boots = {}
    if bootstrap:
        reps = [np.bincount(rng.integers(0, fut.u, fut.u), minlength=fut.u).astype(float) for _ in range(bootstrap)]
        for key, v in picks.items():
            P = fut.mask(v)
            boots[key] = np.array([fut.score_mask(P, w) for w in reps])
    metrics = ("audience", "audience2", "share")
    rows, best_of = [], {}
    for k in ks:
        best = {}
        for j, m in enumerate(metrics):
            cand = [(full[b, k][j], b) for b in base_names if (b, k) in full]
            best[m] = max(cand)[1] if cand else None
        best_of[k] = best
        for name in names:
            if (name, k) not in full:
                continue
            val = full[name, k]
            row = {"method": name, "k": k, "n_picks": len(picks[name, k]), "secs": secs[name, k]}
            for j, m in enumerate(metrics):
                row[m] = val[j]
                bm = best[m]
                row["x_" + m] = val[j] / full[bm, k][j] if bm and full[bm, k][j] > 0 else np.nan
                dflt = full.get((default, k))
                row["d_" + m] = val[j] - dflt[j] if dflt is not None else np.nan
                row["db_" + m] = val[j] - full[bm, k][j] if bm else np.nan
                if boots and dflt is not None:
                    row["se_" + m] = np.std(boots[name, k][:, j] - boots[default, k][:, j], ddof=1)
                    row["seb_" + m] = np.std(boots[name, k][:, j] - boots[bm, k][:, j], ddof=1) if bm else np.nan
                else:
                    row["se_" + m] = row["seb_" + m] = np.nan
            rows.append(row)
    table = pd.DataFrame(rows)
    info = dict(
        T=T, fraction=fraction if at is None else None, n_past=len(past), n_future=len(future),
        n_units=fut.u, default=default, bootstrap=bootstrap, best=best_of, baselines=base_names,
        past_people=int(pd.unique(np.concatenate([past["person"].to_numpy(object), past["author"].to_numpy(object)])).size),
        future_people=fut.n,
    )  # fmt: skip
    return BacktestResult(table=table, picks=picks, info=info, notes=notes)
