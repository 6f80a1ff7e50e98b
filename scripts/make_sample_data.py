"""Generate the fictitious specialty-coffee sample network in ``sample_data/``.

Everything is drawn from one ``numpy.random.default_rng(SEED)`` in a fixed order,
so the output is byte-identical on every run. Nothing depends on dict/set order
or hash randomisation. All people, handles and businesses are invented.

Generative model
----------------
* **People** (3,000): each has a primary community out of five (espresso bar,
  home brewing, roasting & green coffee, cafe business, science & competitions),
  a kind (person or business), a *fitness* (Pareto, heavy tailed; how attractive
  to follow), a *resonance* (log-normal, independent of fitness; how relay-worthy
  their posts are), an *activity* (how much they post) and a *propensity* (how
  much they relay). ~30 **brokers** belong to 2-3 communities.
* **Decoupling followers from relays** (Cha et al. 2010): the fittest accounts
  that are not brokers (brands, celebrities) get their resonance cut twentyfold;
  ~60 mid-follower accounts (fitness percentile 55-92) get it raised eightfold.
* **Follows**: each person draws an out-degree (log-normal) and, for each edge,
  a community (one of their own with prob. 0.88, another otherwise) and a target
  in that community's pool with probability proportional to fitness (a static
  preferential-attachment / fitness model: heavy-tailed in-degree). Brokers sit
  in several pools, so they are followed from several communities. Then each
  edge is followed back with a probability that falls with the target's fitness
  (stars rarely follow back).
* **Posts** (10,000): split between authors by a multinomial on activity (a
  quarter of people never post), dated uniformly over 2025-01-01..2026-10-28,
  with 1-2 hashtags from the community vocabulary and often a shared niche tag.
  Post ids are snowflake-like (timestamp << 22 | worker << 12 | sequence).
* **Relays**: each post gets Poisson(base x resonance x quality x followers^0.3)
  relays, ~90 % drawn from the author's followers (weighted by propensity), the
  rest from the post's community; delays are log-normal (median ~3 h).
* **Mentions**: follow edges sampled by the source's activity and the target's
  fitness and resonance (Gumbel top-k), plus some in-community pairs off the
  follow graph; counts are geometric.
* **Bad apples**: 30 bots follow 300-700 accounts, are followed by 0-4, never
  post and relay 150-400 of their followees' posts within minutes; 6 of them
  and 4 otherwise ordinary "engagement pod" accounts also fire a burst of 50-120
  relays within one hour.
* **Declared followers_count**: in-graph followers x a noisy platform multiplier
  (log-normal, larger for businesses) plus noise; bots declare a few dozen.

Run ``python scripts/make_sample_data.py [--out DIR]`` (default ``sample_data``).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

SEED = 20250304
N_PEOPLE, N_POSTS, N_BOTS, N_BROKERS, N_POD = 3000, 10_000, 30, 30, 4
START = np.datetime64("2025-01-01T00:00:00", "s").astype(np.int64)
END = np.datetime64("2026-10-31T23:59:59", "s").astype(np.int64)
TWEPOCH_MS = 1288834974657
import os
OUT_MEDIAN=float(os.environ.get('OM',7.5)); BASE=float(os.environ.get('BASE',0.1)); LAM_EXP=float(os.environ.get('LE',0.5)); ACT_EXP=float(os.environ.get("AE",0.4)); CAP=float(os.environ.get("CAP",30)); RS=float(os.environ.get("RS",0.9))
BW=float(os.environ.get("BW",0.5)); AS=float(os.environ.get("AS",1.1)); LURK=float(os.environ.get("LURK",0.25))
SHARED_TAGS = ("#specialtycoffee", "#coffee", "#thirdwavecoffee")


class Niche(NamedTuple):
    size: int
    tags: tuple[str, ...]
    roles: tuple[str, ...]
    bio_tails: tuple[str, ...]
    businesses: tuple[tuple[str, str, str], ...]  # (name suffix, handle suffix, bio)
    lines: tuple[str, ...]


NICHES = (
    Niche(700, ("#latteart", "#espresso", "#barista", "#flatwhite", "#milksteaming", "#cortado"),
          ("Barista", "Latte artist", "Head barista", "Espresso trainer"),
          ("pouring tulips and rosettas daily", "milk texture obsessive", "behind the bar since 2016"),
          (("Espresso Bar", "espresso", "Espresso bar pulling shots for the neighbourhood"),
           ("Coffee Bar", "bar", "Coffee bar and latte art throwdown host")),
          ("Finally nailed a six-layer tulip on oat milk", "Morning rush done, 240 flat whites poured",
           "Practising wing rosettas before the throwdown tonight", "New burrs in, shots running 28s at 1:2",
           "A new steam tip made the microfoam silkier", "Throwdown results are in, what a night")),
    Niche(660, ("#pourover", "#v60", "#homebrew", "#aeropress", "#filtercoffee", "#coffeegrinder"),
          ("Home brewer", "Pour-over nerd", "Coffee blogger", "Equipment maker"),
          ("weighing every gram at home", "brewing before the kids wake up", "reviews grinders so you don't have to"),
          (("Brew Gear", "gear", "Equipment maker: drippers, kettles and scales"),
           ("Grinders", "grind", "Equipment maker building hand grinders")),
          ("Tried a 4:6 pour on the V60 with a washed Kenyan", "Inverted AeroPress, 90 seconds, sweet and clean",
           "Went two clicks finer and the bitterness vanished", "Kettle at 93C for this light roast",
           "Weekend brew bar set up on the kitchen counter", "Comparing paper filters side by side today")),
    Niche(600, ("#coffeeroasting", "#greencoffee", "#origin", "#singleorigin", "#coffeefarm", "#roastprofile"),
          ("Roaster", "Head roaster", "Green coffee importer", "Green coffee buyer"),
          ("sourcing direct from smallholders", "roasting on a 12 kg drum", "cupping more than sleeping"),
          (("Roasters", "roast", "Small-batch roaster sourcing direct from origin"),
           ("Coffee Importers", "green", "Green coffee importer working with producer groups")),
          ("First crack at 9:10, dropped at 10:45 for a light filter roast", "Samples from a new washed lot just landed",
           "Cupping table today: three naturals and a honey process", "Moisture readings on the new green are on target",
           "Visited the washing station, the cherries looked great", "The roast curve flattened out nicely on batch 12")),
    Niche(560, ("#cafeowner", "#coffeeshop", "#hospitality", "#cafelife", "#smallbusiness"),
          ("Cafe owner", "Coffee shop manager", "Hospitality consultant", "Cafe co-founder"),
          ("running a 30-seat neighbourhood cafe", "talking margins, menus and people", "hospitality first"),
          (("Cafe", "cafe", "Neighbourhood cafe and bakery"), ("Coffee House", "house", "Coffee shop open seven days")),
          ("Rewrote our menu board to make filter the hero", "Hiring a part-time barista for weekend shifts",
           "Milk waste dropped a third after new par levels", "Pricing a flat white this year is hard maths",
           "Six years open this week, thank you regulars", "Training the team on warm hospitality, not scripts")),
    Niche(480, ("#coffeescience", "#wbc", "#extraction", "#waterchemistry", "#coffeecompetition"),
          ("Coffee educator", "Coffee scientist", "Competition judge", "Coffee journalist"),
          ("measuring extraction for fun", "writing about coffee and the people behind it", "certified trainer"),
          (("Coffee Lab", "lab", "Coffee lab doing water and extraction research"),
           ("Coffee Journal", "journal", "Independent coffee journal")),
          ("Measured TDS across 20 brews, the sweet spot sits near 20%", "40 ppm alkalinity water changed everything",
           "Judge calibration day for the national championship", "New paper on particle size and flavour",
           "Refractometer vs taste panel: closer than expected", "Routine breakdown: what the judges actually scored")),
)
K = len(NICHES)
FIRST = ("Maya Leo Nina Omar Aisha Tom Lena Ravi Sofia Jonas Priya Mateo Hana Felix Zara Ivan Clara Kofi Mia Luca "
         "Amara Noah Elif Sam Yuki Diego Ines Theo Lucia Kai Nora Ben Rosa Arjun Eva Malik Lea Hugo Anya Jude").split()
SYL_A = "Ash Bram Cal Dar Elm Fen Gar Hal Ives Kes Lind Mor Nor Ord Pem Quil Ros Sel Tarn Vel Wyn Yar Thorn Brid".split()
SYL_B = "wick vale more dell ford holt ridge stone wood field mere shaw cott well burn brook gate".split()
ADJ = "Copper Juniper Little Golden Quiet North Hollow Amber Cedar Velvet Tin Wild Saltmarsh Foxglove Lantern".split()
NOUN = "Kettle Fox Crow Harbor Lane Anchor Mill Sparrow Owl Orchard Bell Heron Willow Ember".split()
BOT_WORDS = "coffee bean brew cup java deal promo daily free mug best top".split()


def fmt_time(seconds: np.ndarray) -> np.ndarray:
    """ISO 8601 UTC strings (``2025-03-04T10:15:00Z``) from epoch seconds."""
    return np.char.add(np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s"), "Z")


def top_k(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """Weighted sample of ``k`` indices without replacement (Gumbel top-k)."""
    keys = np.log(np.maximum(weights, 1e-300)) + rng.gumbel(size=len(weights))
    return np.sort(np.argsort(-keys, kind="stable")[:k])


def make_people(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Latent attributes of every person, indexed 0..N_PEOPLE-1."""
    n = N_PEOPLE
    comm = rng.permutation(np.repeat(np.arange(K), [c.size for c in NICHES]))
    bot = np.zeros(n, bool)
    bot[rng.choice(n, N_BOTS, replace=False)] = True
    biz = ~bot & (rng.random(n) < np.array([0.06, 0.08, 0.3, 0.35, 0.1])[comm])
    fit = (rng.pareto(1.3, n) + 1.0) * np.where(biz, 1.8, 1.0)
    member = np.zeros((n, K), bool)
    member[np.arange(n), comm] = True
    organic = np.flatnonzero(~bot)
    pct = np.argsort(np.argsort(fit[organic])) / len(organic)
    broker = np.zeros(n, bool)
    broker[rng.choice(organic[(pct > 0.6) & (pct < 0.97)], N_BROKERS, replace=False)] = True
    for i in np.flatnonzero(broker):
        others = np.flatnonzero(~member[i])
        member[i, rng.choice(others, 1 + (rng.random() < 0.3), replace=False)] = True
    fit[broker] *= 2.5
    fit[bot] = 0.0
    res = rng.lognormal(0.0, RS, n) * np.where(broker, 2.0, 1.0)
    ranked = organic[np.argsort(-fit[organic], kind="stable")]
    celeb = ranked[~broker[ranked]][:45]  # brands and celebrities: followed, rarely relayed
    res[celeb] *= 0.05
    mid = ranked[int(0.08 * len(ranked)):int(0.45 * len(ranked))]
    hidden = rng.choice(mid[~broker[mid]], 60, replace=False)  # mid-follower real influencers
    res[hidden] *= 8.0
    act = rng.lognormal(0.0, AS, n) * (fit / np.median(fit[organic]) + 0.1) ** ACT_EXP
    act[hidden] *= 2.0
    top = fit >= np.quantile(fit[organic], 0.9)
    act[(rng.random(n) < LURK) & ~broker & ~top & ~np.isin(np.arange(n), hidden)] = 0.0
    act[bot] = 0.0
    prop = rng.lognormal(0.0, 1.0, n)
    prop[bot] = 0.0
    pod = rng.choice(organic[~broker[organic] & (act[organic] > 0)], N_POD, replace=False)
    return dict(comm=comm, bot=bot, biz=biz, fit=fit, member=member, broker=broker, res=res,
                act=act, prop=prop, celeb=celeb, hidden=hidden, pod=pod)


def make_follows(rng: np.random.Generator, P: dict) -> tuple[np.ndarray, np.ndarray]:
    """Follow edges (src follows dst) without self-loops or duplicates."""
    n, fit, member, bot = N_PEOPLE, P["fit"], P["member"], P["bot"]
    organic = np.flatnonzero(~bot)
    deg = np.clip(np.rint(rng.lognormal(np.log(OUT_MEDIAN), 0.85, len(organic))), 1, 250).astype(int)
    src = np.repeat(organic, deg)
    own = np.array([rng.choice(np.flatnonzero(member[s])) for s in src])
    other = (own + rng.integers(1, K, len(src))) % K
    ecomm = np.where(rng.random(len(src)) < 0.88, own, other)
    dst = np.empty_like(src)
    for c in range(K):
        pool = np.flatnonzero(member[:, c] & ~bot)
        mask = ecomm == c
        dst[mask] = rng.choice(pool, mask.sum(), p=fit[pool] / fit[pool].sum())
    src, dst = dedupe(src, dst)
    back = rng.random(len(src)) < 0.5 * np.minimum(1.0, np.median(fit[organic]) / fit[dst]) ** 0.7
    src, dst = dedupe(np.r_[src, dst[back]], np.r_[dst, src[back]])
    bsrc, bdst = [], []
    w = fit[organic] ** BW
    for b in np.flatnonzero(bot):
        tgt = organic[top_k(rng, w, int(rng.integers(300, 701)))]
        fans = rng.choice(organic, int(rng.integers(0, 5)), replace=False)
        bsrc += [np.full(len(tgt), b), fans]
        bdst += [tgt, np.full(len(fans), b)]
    return dedupe(np.r_[src, *bsrc], np.r_[dst, *bdst])


def dedupe(src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop self-loops and duplicate pairs; return pairs sorted by (src, dst)."""
    key = np.unique(src[src != dst].astype(np.int64) * N_PEOPLE + dst[src != dst])
    return key // N_PEOPLE, key % N_PEOPLE


def make_posts(rng: np.random.Generator, P: dict) -> pd.DataFrame:
    """Posts with author index, time, community, hashtags, text and quality."""
    counts = rng.multinomial(N_POSTS, P["act"] / P["act"].sum())
    author = np.repeat(np.arange(N_PEOPLE), counts)
    t = START + 60 * rng.integers(0, (END - 3 * 86400 - START) // 60, len(author))
    order = np.lexsort((author, t))
    author, t = author[order], t[order]
    comm = np.array([rng.choice(np.flatnonzero(P["member"][a])) for a in author])
    tags, text = [], []
    for c in comm:
        niche = NICHES[c]
        chosen = list(rng.choice(niche.tags, 1 + (rng.random() < 0.5), replace=False))
        if rng.random() < 0.45:
            chosen.append(SHARED_TAGS[rng.integers(len(SHARED_TAGS))])
        tags.append(";".join(chosen))
        text.append(f"{niche.lines[rng.integers(len(niche.lines))]} {' '.join(chosen)}")
    ms = t * 1000 + rng.integers(0, 1000, len(t)) - TWEPOCH_MS
    pid = (ms << 22) | (rng.integers(0, 1024, len(t)) << 12) | (np.arange(len(t)) % 4096)
    assert len(np.unique(pid)) == len(pid)
    return pd.DataFrame(dict(pid=pid, author=author, t=t, comm=comm, hashtags=tags, text=text,
                             quality=rng.lognormal(0.0, 0.8, len(t))))


def make_relays(rng, P: dict, fsrc, fdst, posts: pd.DataFrame) -> pd.DataFrame:
    """Relay events (person index, post row, kind, time)."""
    n, bot, prop = N_PEOPLE, P["bot"], P["prop"]
    by_dst = np.argsort(fdst, kind="stable")
    fstart = np.searchsorted(fdst[by_dst], np.arange(n + 1))
    indeg = np.diff(fstart)
    pools = [np.flatnonzero(P["member"][:, c] & ~bot) for c in range(K)]
    lam = BASE * P["res"][posts.author] * posts.quality * np.minimum(1 + indeg[posts.author], CAP) ** LAM_EXP
    rows = []
    for j, (a, c, lj) in enumerate(zip(posts.author, posts.comm, lam)):
        fans = fsrc[by_dst[fstart[a]:fstart[a + 1]]]
        fans = fans[~bot[fans]]
        k = min(int(rng.poisson(lj)), len(fans))
        if k == 0:
            continue
        who = rng.choice(fans, k, replace=False, p=prop[fans] / prop[fans].sum())
        out = rng.binomial(k, 0.1)
        if out:
            who = np.r_[who, rng.choice(pools[c], out, p=prop[pools[c]] / prop[pools[c]].sum())]
        who = np.unique(who[who != a])
        rows.append(np.c_[who, np.full(len(who), j)])
    ev = np.concatenate(rows)
    delay = np.maximum(60, rng.lognormal(np.log(3 * 3600), 1.3, len(ev))).astype(np.int64)
    at = [posts.t.to_numpy()[ev[:, 1]] + delay]
    people, post_rows = [ev[:, 0]], [ev[:, 1]]
    by_author = np.argsort(posts.author.to_numpy(), kind="stable")
    pstart = np.searchsorted(posts.author.to_numpy()[by_author], np.arange(n + 1))
    for b in np.r_[np.flatnonzero(bot), P["pod"]]:
        if bot[b]:
            followees = fdst[fsrc == b]
            cand = np.concatenate([by_author[pstart[f]:pstart[f + 1]] for f in followees])
        else:
            cand = np.flatnonzero((posts.comm.to_numpy() == P["comm"][b]) & (posts.author.to_numpy() != b))
        cand = np.sort(cand)
        w = 1.0 / np.diff(pstart)[posts.author.to_numpy()[cand]]  # each followee equally likely
        regular = cand[top_k(rng, w, min(len(cand) // 2, int(rng.integers(120, 321))))] if bot[b] \
            else np.empty(0, np.int64)
        tr = posts.t.to_numpy()[regular] + rng.integers(60, 1800, len(regular))
        if not bot[b] or rng.random() < 0.2:
            burst_t = int(rng.integers(START + 200 * 86400, END - 86400))
            left = np.setdiff1d(cand[posts.t.to_numpy()[cand] < burst_t - 60], regular)
            burst = rng.choice(left, min(len(left), int(rng.integers(50, 121))), replace=False)
            regular = np.r_[regular, burst]
            tr = np.r_[tr, burst_t + np.sort(rng.integers(0, 3600, len(burst)))]
        people.append(np.full(len(regular), b))
        post_rows.append(regular)
        at.append(tr)
    ev = pd.DataFrame(dict(person=np.concatenate(people), row=np.concatenate(post_rows),
                           t=np.minimum(np.concatenate(at), END)))
    ev["kind"] = np.where(rng.random(len(ev)) < np.where(bot[ev.person], 0.02, 0.12), "quote", "retweet")
    return ev.drop_duplicates(["person", "row"]).reset_index(drop=True)


def make_mentions(rng, P: dict, fsrc, fdst) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mention pairs, mostly along follow edges, with geometric counts."""
    organic = np.flatnonzero(~P["bot"])
    act, fit, res = P["act"] + 0.05, P["fit"], P["res"]
    w = np.where(P["bot"][fsrc], 0.0, act[fsrc] * np.sqrt(fit[fdst] * res[fdst]))
    pick = top_k(rng, w, 4800)
    src = rng.choice(organic, 1400, p=act[organic] / act[organic].sum())
    dst = np.empty_like(src)
    for c in range(K):
        mask = P["comm"][src] == c
        pool = np.flatnonzero(P["member"][:, c] & ~P["bot"])
        dst[mask] = rng.choice(pool, mask.sum(), p=fit[pool] * res[pool] / (fit[pool] * res[pool]).sum())
    s, d = dedupe(np.r_[fsrc[pick], src], np.r_[fdst[pick], dst])
    return s, d, rng.geometric(0.55, len(s))


def make_identity(rng, P: dict, indeg: np.ndarray) -> pd.DataFrame:
    """Handles, names, bios, topics and declared follower counts."""
    handles, names, bios, topics, taken = [], [], [], [], set()
    for i in range(N_PEOPLE):
        niche = NICHES[P["comm"][i]]
        if P["bot"][i]:
            name = f"{rng.choice(BOT_WORDS).title()} {rng.choice(BOT_WORDS).title()} Deals"
            handle = "".join(rng.choice(BOT_WORDS, 2)) + str(rng.integers(100, 10000))
            bio = "Coffee deals and giveaways daily. Follow back guaranteed"
            tags = ["#coffee", "#giveaway", "#coffeelover"]
        elif P["biz"][i]:
            suffix, hsuf, bio = niche.businesses[rng.integers(len(niche.businesses))]
            adj, noun = rng.choice(ADJ), rng.choice(NOUN)
            name, handle = f"{adj} {noun} {suffix}", f"{adj}{noun}"[:11] + hsuf[:4]
        else:
            first, last = rng.choice(FIRST), rng.choice(SYL_A) + rng.choice(SYL_B)
            name = f"{first} {last}"
            style = rng.integers(4)
            handle = (f"{first}{last}", f"{first}_{last[:6]}", f"{first[0]}{last}", f"{last}{first[0]}")[style]
            role = niche.roles[rng.integers(len(niche.roles))]
            bio = f"{role}, {niche.bio_tails[rng.integers(len(niche.bio_tails))]}"
        if not P["bot"][i]:
            comms = np.flatnonzero(P["member"][i])
            tags = [rng.choice(NICHES[c].tags) for c in comms]
            tags += list(rng.choice([t for t in niche.tags if t not in tags], 1 + rng.integers(2), replace=False))
            tags += [SHARED_TAGS[0]] if rng.random() < 0.6 else []
            if P["broker"][i]:
                bio += " | " + " x ".join(NICHES[c].roles[0].lower() for c in comms)
        handle = "".join(ch for ch in handle.lower() if ch.isalnum() or ch == "_")[:15]
        while handle in taken:
            handle = handle[:12] + str(rng.integers(10, 1000))
        taken.add(handle)
        handles.append(handle), names.append(name), bios.append(bio), topics.append(";".join(tags))
    mult = rng.lognormal(np.log(8.0), 0.7, N_PEOPLE) * np.where(P["biz"], 2.5, 1.0)
    mult[P["celeb"]] *= 4.0
    declared = np.rint(indeg * mult + rng.pareto(1.5, N_PEOPLE) * 20).astype(np.int64) + indeg
    declared[P["bot"]] = indeg[P["bot"]] + rng.integers(5, 60, P["bot"].sum())
    return pd.DataFrame(dict(handle=handles, name=names, bio=bios, followers_count=declared, topics=topics))


def generate(out_dir: str | Path) -> dict[str, int]:
    """Write the five CSV files into ``out_dir``; return their row counts."""
    rng = np.random.default_rng(SEED)
    P = make_people(rng)
    fsrc, fdst = make_follows(rng, P)
    posts = make_posts(rng, P)
    relays = make_relays(rng, P, fsrc, fdst, posts)
    msrc, mdst, mcount = make_mentions(rng, P, fsrc, fdst)
    people = make_identity(rng, P, np.bincount(fdst, minlength=N_PEOPLE))
    h = people.handle.to_numpy()
    tables = {
        "people": people.sort_values("handle"),
        "follows": pd.DataFrame(dict(source=h[fsrc], target=h[fdst])).sort_values(["source", "target"]),
        "posts": pd.DataFrame(dict(post_id=posts.pid.astype(str), author=h[posts.author],
                                   created_at=fmt_time(posts.t.to_numpy()), hashtags=posts.hashtags,
                                   text=posts.text)),
        "relays": pd.DataFrame(dict(person=h[relays.person], post_id=posts.pid.to_numpy()[relays.row].astype(str),
                                    kind=relays.kind, created_at=fmt_time(relays.t.to_numpy()),
                                    _t=relays.t)).sort_values(["_t", "person", "post_id"]).drop(columns="_t"),
        "mentions": pd.DataFrame(dict(source=h[msrc], target=h[mdst], count=mcount)).sort_values(["source", "target"]),
    }
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_csv(out / f"{name}.csv", index=False, lineterminator="\n")
    return {name: len(df) for name, df in tables.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     epilog="example: python scripts/make_sample_data.py --out sample_data")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "sample_data"),
                        help="output folder (default: sample_data/ in the repository)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    sizes = generate(args.out)
    print(", ".join(f"{v:,} {k}" for k, v in sizes.items()), f"in {time.perf_counter() - t0:.1f}s -> {args.out}")


if __name__ == "__main__":
    main()
