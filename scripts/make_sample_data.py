"""Generate the fictitious specialty-coffee sample network in ``sample_data/``.

Everything is drawn from one ``numpy.random.default_rng(SEED)`` in a fixed order, so the output is
byte-identical on every run; nothing depends on dict/set order or hash randomisation. All people,
handles and businesses are invented (first names plus syllable-built surnames).

Generative model
----------------
* **People** (3,000) in five communities with their own hashtags: espresso bars, home brewing,
  roasting & green coffee, cafe business, coffee science. Each has a *fitness* (Pareto: how
  attractive to follow), a *resonance* (log-normal, independent of fitness: how relay-worthy their
  posts are), an *activity* (posting) and a *propensity* (relaying). 30 **brokers** belong to 2-3
  communities.
* **Follows**: each non-bot draws an out-degree (log-normal); each edge picks one of the person's
  communities (prob. 0.88) or another, then a target there with probability proportional to
  fitness (static preferential attachment: heavy-tailed in-degree). Brokers follow twice as many
  and sit in several pools. Edges are followed back with a probability that falls with the
  target's fitness.
* **Posts** (10,000) are split by a multinomial on activity, dated uniformly over 2025-01-01 ..
  2026-10-28, with 1-2 community hashtags and often a shared tag; ids are snowflake-like.
* **Relays**: a post gets Poisson(0.04 x resonance x quality x min(1 + followers, AUDIENCE_CAP)
  ^ 1.2) relays, from the author's followers (by propensity) and ~10 % from its community.
* **Followers and relays are decoupled** (Cha et al. 2010): the 30 fittest non-brokers (brands,
  celebrities) keep a tenth of their resonance, 60 mid-follower accounts get eight times theirs,
  and past ``AUDIENCE_CAP`` followers the relay rate no longer grows: content decides.
* **Mentions**: mostly follow edges, sampled by the source's activity and the target's resonance
  (damped by its in-degree), some in-community pairs; counts are geometric.
* **Bad apples**: 30 bots follow 300-700 accounts, are followed by 0-4 bots, never post, and relay
  120-320 of their followees' posts within minutes; about a fifth of them, and 4 ordinary-looking
  "engagement pod" accounts, also fire a burst of 50-120 relays within one hour.
* **followers_count** (declared) is in-graph followers times a noisy log-normal multiplier.
* **Relays over time**: each organic author is *persistent* (55 %: a constant relay rate),
  *fading* (25 %: the rate falls linearly from 1.8x to 0.2x over the window) or *rising*
  (20 %: 0.2x to 1.8x); a fifth of relays come days to weeks after the post. So an audience
  measured on the first half of the window partly holds in the second (a backtest means something).
* **Rising voices**: 12 mid-follower accounts post ten more times in the last 40 days, are
  relayed six times as often there, and get shout-outs (``@handle`` in others' posts) in the last 30 days.
* **Our accounts**: the brand ``@beantherecoffee`` (a roaster) and three team members,
  ``@ana_beanthere`` (espresso bars), ``@ben_beanthere`` (home brewing) and ``@caro_beanthere``
  (roasting), who follow each other and 40 people of their community each; 120 more people
  follow the brand.
* **Posts about the brand** (``@beantherecoffee`` in the text, added to mentions.csv): praise,
  questions ("do you ship to Canada?") and complaints; 6 influential **detractors** post mostly
  complaints, 15 promoters mostly praise. 12 % of ordinary posts also name one of the
  author's mention targets (``cc @handle``), so mentions have times.

Usage: ``python scripts/make_sample_data.py [--out DIR]`` (default: the repo's ``sample_data/``).
"""

from __future__ import annotations

import argparse
import time
from collections import namedtuple
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20250304
N_PEOPLE, N_POSTS, N_BOTS, N_BROKERS, N_POD = 3000, 10_000, 30, 30, 4
START = np.datetime64("2025-01-01T00:00:00", "s").astype(np.int64)
END = np.datetime64("2026-10-31T23:59:59", "s").astype(np.int64)
TWEPOCH_MS = 1288834974657  # snowflake epoch
AUDIENCE_CAP = 30  # the relay rate grows with followers only up to this many
SHARED_TAGS = ("#specialtycoffee", "#coffee", "#thirdwavecoffee")
DAY = 86400
RECENT = END - 40 * DAY  # rising voices surge after this
#: the brand and the team: handle, name, bio, community (the brand is a roaster)
OURS = (
    ("beantherecoffee", "Bean There Coffee Roasters", "Specialty roaster. Ethically sourced, roasted weekly", 2),
    ("ana_beanthere", "Ana at Bean There", "Community lead at Bean There Coffee, espresso bars", 0),
    ("ben_beanthere", "Ben at Bean There", "Community lead at Bean There Coffee, home brewing", 1),
    ("caro_beanthere", "Caro at Bean There", "Community lead at Bean There Coffee, roasting", 2),
)
ORIGINS = ("Ethiopia Guji", "Kenya Nyeri", "Colombia Huila", "Rwanda washed lot", "Brazil natural")
PRODUCTS = ("house espresso blend", "decaf", "filter subscription", "cold brew", "single origin box")
PLACES = ("Canada", "Ireland", "Norway", "Japan", "Portugal")
PRAISE = (
    "Loving the new {origin} from @{brand}, so juicy and sweet",
    "Best {product} I have had this year, thank you @{brand}!",
    "Shoutout to @{brand} for the fast delivery and lovely packaging",
    "@{brand} your {origin} made my morning. Wonderful clarity",
    "Great chat with the team at @{brand} today, really helpful people",
)
COMPLAINTS = (
    "@{brand} my order arrived two weeks late and the beans were stale. Disappointed",
    "Third late delivery from @{brand} this month. Terrible service",
    "The new {product} from @{brand} tastes burnt and bitter. What a waste",
    "@{brand} still no reply to my refund email. Really frustrating",
    "Sorry @{brand}, the {origin} was flat and sour this time. Not buying again",
    "Why is my @{brand} subscription late again? This is awful",
)
QUESTIONS = (
    "@{brand} do you ship to {place}?",
    "Anyone tried the @{brand} {product}? Worth it?",
    "@{brand} when is the {origin} back in stock?",
    "Which grind size do you recommend for the @{brand} {product} on a V60?",
    "@{brand} is the {product} good for espresso or filter?",
)
SHOUTOUTS = (
    "Everyone should follow @{who}, their posts lately are gold",
    "Learning so much from @{who} this month",
    "@{who} keeps sharing the best tips right now",
)

Niche = namedtuple("Niche", "label size tags bios businesses lines")
# One block per community: "label | size | hashtags", then person bios, businesses
# (name suffix; handle suffix; bio) and post sentences.
NICHE_TEXT = """
espresso bars | 700 | #latteart #espresso #barista #flatwhite #milksteaming #cortado
  bio: Barista, pouring rosettas daily | Latte artist, milk nerd | Head barista | Espresso trainer
  biz: Espresso Bar; bar; Neighbourhood espresso bar | Coffee Bar; coffee; Coffee bar, throwdown host
  post: Nailed a six-layer tulip on oat milk | 240 flat whites before noon | New burrs, 28s shots
  post: Practising wing rosettas for the throwdown | Silkier foam, new steam tip | Latte art jam tonight
home brewing | 660 | #pourover #v60 #homebrew #aeropress #filtercoffee #coffeegrinder
  bio: Home brewer, weighing every gram | Pour-over nerd | Coffee blogger, grinder reviews | AeroPress fan
  biz: Brew Gear; gear; Equipment maker: drippers, kettles | Grinders; grind; Hand grinder maker
  post: 4:6 pour on the V60 with a washed Kenyan | Inverted AeroPress, sweet and clean | Kettle at 93C
  post: Two clicks finer and the bitterness vanished | Weekend brew bar at home | Filter papers compared
roasting | 600 | #coffeeroasting #greencoffee #origin #singleorigin #coffeefarm #roastprofile
  bio: Roaster, cupping more than sleeping | Head roaster | Green coffee importer | Green coffee buyer
  biz: Roasters; roast; Small-batch roaster | Coffee Importers; green; Green coffee importer
  post: First crack at 9:10, dropped at 10:45 | New washed lot samples landed | Moisture on target
  post: Cupping three naturals and a honey | Visited the washing station | Batch 12 curve looks right
cafe business | 560 | #cafeowner #coffeeshop #hospitality #cafelife #smallbusiness
  bio: Cafe owner, 30 seats | Coffee shop manager | Hospitality consultant | Cafe co-founder and baker
  biz: Cafe; cafe; Neighbourhood cafe and bakery | Coffee House; house; Coffee shop open daily
  post: New menu board, filter is the hero | Hiring a weekend barista | Milk waste down a third
  post: Pricing a flat white is hard maths | Six years open, thank you regulars | Hospitality training
coffee science | 480 | #coffeescience #wbc #extraction #waterchemistry #coffeecompetition
  bio: Coffee educator and trainer | Coffee scientist | Competition judge | Coffee journalist
  biz: Coffee Lab; lab; Water and extraction research lab | Coffee Journal; press; Coffee journal
  post: TDS across 20 brews: sweet spot near 20% | 40 ppm alkalinity changed everything | Calibrating judges
  post: New paper on particle size and flavour | Refractometer vs taste panel | How judges score a routine
"""


def parse_niches(text: str) -> tuple[Niche, ...]:
    """The communities described in ``NICHE_TEXT``."""
    niches: list[Niche] = []
    for line in text.strip().splitlines():
        if not line.startswith(" "):
            label, size, tags = line.split(" | ")
            niches.append(Niche(label, int(size), tuple(tags.split()), [], [], []))
            continue
        key, value = line.strip().split(": ", 1)
        items = value.split(" | ")
        if key == "biz":
            niches[-1].businesses.extend(tuple(item.split("; ")) for item in items)
        else:
            getattr(niches[-1], "bios" if key == "bio" else "lines").extend(items)
    return tuple(niches)


NICHES = parse_niches(NICHE_TEXT)
K = len(NICHES)
FIRST = """Maya Leo Nina Omar Aisha Tom Lena Ravi Sofia Jonas Priya Mateo Hana Felix Zara Ivan Clara
Kofi Mia Luca Amara Noah Elif Sam Yuki Diego Ines Theo Lucia Kai Nora Ben Rosa Arjun Eva Malik Lea Hugo
Jude""".split()
SYL_A = "Ash Bram Cal Dar Elm Fen Gar Hal Ives Kes Lind Mor Nor Ord Pem Ros Sel Tarn Vel Wyn Thorn".split()
SYL_B = "wick vale more dell ford holt ridge stone wood field mere shaw cott well burn brook gate".split()
ADJ = "Copper Juniper Little Golden Quiet North Hollow Amber Cedar Velvet Tin Wild Foxglove Lantern".split()
NOUN = "Kettle Fox Crow Harbor Lane Anchor Mill Sparrow Owl Orchard Bell Heron Willow Ember".split()
BOT_WORDS = "coffee bean brew cup java deal promo daily free mug best top".split()


def fmt_time(seconds: np.ndarray) -> np.ndarray:
    """ISO 8601 UTC strings (``2025-03-04T10:15:00Z``) from epoch seconds."""
    return np.char.add(np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s"), "Z")


def top_k(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """Sorted weighted sample of ``k`` indices without replacement (Gumbel top-k)."""
    keys = np.log(np.maximum(weights, 1e-300)) + rng.gumbel(size=len(weights))
    return np.sort(np.argsort(-keys, kind="stable")[:k])


def pick_community(rng: np.random.Generator, member: np.ndarray, who: np.ndarray) -> np.ndarray:
    """One of each person's communities, uniformly (brokers have several)."""
    r = np.floor(rng.random(len(who)) * member[who].sum(1))
    return np.argmax(np.cumsum(member[who], axis=1) > r[:, None], axis=1)


def dedupe(src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop self-loops and duplicate pairs; return pairs sorted by (src, dst)."""
    keep = src != dst
    key = np.unique(src[keep].astype(np.int64) * N_PEOPLE + dst[keep])
    return key // N_PEOPLE, key % N_PEOPLE


def make_people(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Latent attributes of every person, indexed 0..N_PEOPLE-1."""
    n = N_PEOPLE
    comm = rng.permutation(np.repeat(np.arange(K), [c.size for c in NICHES]))
    bot = np.isin(np.arange(n), rng.choice(n, N_BOTS, replace=False))
    biz = ~bot & (rng.random(n) < np.array([0.06, 0.08, 0.3, 0.35, 0.1])[comm])
    fit = (rng.pareto(1.3, n) + 1.0) * np.where(biz, 1.8, 1.0)
    member = np.eye(K, dtype=bool)[comm]  # member[i, c]: person i belongs to community c
    organic = np.flatnonzero(~bot)
    pct = np.argsort(np.argsort(fit[organic])) / len(organic)
    broker = np.isin(np.arange(n), rng.choice(organic[(pct > 0.6) & (pct < 0.97)], N_BROKERS, replace=False))
    for i in np.flatnonzero(broker):
        member[i, rng.choice(np.flatnonzero(~member[i]), 1 + (rng.random() < 0.3), replace=False)] = True
    fit[broker] *= 2.5
    fit[bot] = 0.0
    res = rng.lognormal(0.0, 0.6, n) * np.where(broker, 2.0, 1.0)
    ranked = organic[np.argsort(-fit[organic], kind="stable")]
    celeb = ranked[~broker[ranked]][:30]  # brands and celebrities: followed, rarely relayed
    res[celeb] *= 0.1
    mid = ranked[int(0.08 * len(ranked)) : int(0.45 * len(ranked))]
    hidden = rng.choice(mid[~broker[mid]], 60, replace=False)  # mid-follower real influencers
    res[hidden] *= 8.0
    act = rng.lognormal(0.0, 0.9, n) * (fit / np.median(fit[organic]) + 0.1) ** 0.2
    act[hidden] *= 2.0
    act[celeb] *= 3.0
    lurker = (rng.random(n) < 0.1) & ~broker & (fit < np.quantile(fit[organic], 0.9))
    lurker[hidden] = False
    act[lurker | bot] = 0.0
    prop = np.where(bot, 0.0, rng.lognormal(0.0, 1.0, n))
    pod = rng.choice(organic[~broker[organic] & (act[organic] > 0)], N_POD, replace=False)
    trend = np.where(bot, 0, rng.choice(3, n, p=[0.55, 0.25, 0.2]))  # persistent, fading, rising
    plain = ~bot & ~broker & ~np.isin(np.arange(n), np.r_[celeb, hidden, pod]) & (act > 0) & (member.sum(1) == 1)
    pct_all = np.argsort(np.argsort(fit)) / n
    ours = []
    for _, _, _, c in OURS:  # the brand (a roaster with a following), then the members
        lo, hi = (0.9, 0.97) if not ours else (0.5, 0.8)
        pool = np.flatnonzero(plain & (comm == c) & (pct_all > lo) & (pct_all < hi) & ~np.isin(np.arange(n), ours))
        ours.append(int(rng.choice(pool)))
    ours = np.array(ours)
    biz[ours] = [True, False, False, False]
    act[ours[0]] *= 3.0
    mid = plain & (pct_all > 0.55) & (pct_all < 0.85) & ~np.isin(np.arange(n), ours)
    rising = np.sort(rng.choice(np.flatnonzero(mid), 12, replace=False))
    trend[rising] = 2
    P = dict(comm=comm, bot=bot, biz=biz, fit=fit, member=member, broker=broker, celeb=celeb)
    return P | dict(res=res, act=act, prop=prop, pod=pod, trend=trend, ours=ours, rising=rising)


def trend_factor(kind: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Relay-rate multiplier at time ``t`` for persistent (0), fading (1) and rising (2) authors."""
    x = (t - START) / (END - START)
    return np.select([kind == 1, kind == 2], [1.8 - 1.6 * x, 0.2 + 1.6 * x], 1.0)


def make_follows(rng: np.random.Generator, P: dict) -> tuple[np.ndarray, np.ndarray]:
    """Follow edges (src follows dst), sorted, without self-loops or duplicates."""
    fit, member, bot = P["fit"], P["member"], P["bot"]
    organic = np.flatnonzero(~bot)
    deg = rng.lognormal(np.log(7.5), 0.85, len(organic)) * np.where(P["broker"][organic], 2.0, 1.0)
    deg = np.clip(np.rint(deg), 1, 250).astype(int)
    src = np.repeat(organic, deg)
    own = pick_community(rng, member, src)
    other = (own + rng.integers(1, K, len(src))) % K
    ecomm = np.where(rng.random(len(src)) < 0.88, own, other)
    dst = np.empty_like(src)
    for c in range(K):
        pool, mask = np.flatnonzero(member[:, c] & ~bot), ecomm == c
        dst[mask] = rng.choice(pool, mask.sum(), p=fit[pool] / fit[pool].sum())
    src, dst = dedupe(src, dst)
    back = rng.random(len(src)) < 0.5 * np.minimum(1.0, np.median(fit[organic]) / fit[dst]) ** 0.7
    src, dst = dedupe(np.r_[src, dst[back]], np.r_[dst, src[back]])
    bsrc, bdst = [src], [dst]
    w = fit[organic] ** 0.25  # follow-bots prefer popular accounts, but follow broadly
    for b in np.flatnonzero(bot):
        tgt = organic[top_k(rng, w, int(rng.integers(300, 701)))]
        fans = rng.choice(np.flatnonzero(bot), int(rng.integers(0, 5)), replace=False)  # bot rings
        bsrc += [np.full(len(tgt), b), fans]
        bdst += [tgt, np.full(len(fans), b)]
    osrc, odst = our_follows(rng, P)
    bsrc += osrc
    bdst += odst
    return dedupe(np.concatenate(bsrc), np.concatenate(bdst))


def our_follows(rng: np.random.Generator, P: dict) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Our accounts follow each other; each member follows 40 people of their community
    (by fitness); 120 people follow the brand (by activity)."""
    ours, fit, bot = P["ours"], P["fit"], P["bot"]
    src, dst = [np.repeat(ours, len(ours))], [np.tile(ours, len(ours))]
    for m, (_, _, _, c) in zip(ours[1:], OURS[1:], strict=True):
        pool = np.flatnonzero(P["member"][:, c] & ~bot)
        tgt = pool[top_k(rng, fit[pool], 40)]
        src.append(np.full(len(tgt), m))
        dst.append(tgt)
    organic = np.flatnonzero(~bot)
    fans = organic[top_k(rng, P["act"][organic] + 0.1, 120)]
    src.append(fans)
    dst.append(np.full(len(fans), ours[0]))
    return src, dst


def make_posts(rng: np.random.Generator, P: dict) -> pd.DataFrame:
    """Posts in time order: snowflake id, author, time, community, hashtags, text, quality."""
    author = np.repeat(np.arange(N_PEOPLE), rng.multinomial(N_POSTS, P["act"] / P["act"].sum()))
    t = START + 60 * rng.integers(0, (END - 3 * DAY - START) // 60, len(author))
    extra = np.repeat(P["rising"], 10)  # rising voices post more lately
    author = np.r_[author, extra]
    t = np.r_[t, RECENT + 60 * rng.integers(0, (END - 3 * DAY - RECENT) // 60, len(extra))]
    order = np.lexsort((author, t))
    author, t = author[order], t[order]
    comm = pick_community(rng, P["member"], author)
    tags, text = [], []
    for c in comm:
        niche = NICHES[c]
        chosen = [str(x) for x in rng.choice(niche.tags, 1 + (rng.random() < 0.5), replace=False)]
        if rng.random() < 0.45:
            chosen.append(SHARED_TAGS[rng.integers(len(SHARED_TAGS))])
        tags.append(";".join(chosen))
        text.append(f"{niche.lines[rng.integers(len(niche.lines))]} {' '.join(chosen)}")
    posts = pd.DataFrame(dict(pid=snowflakes(rng, t), author=author, t=t, comm=comm, hashtags=tags, text=text))
    return posts.assign(quality=rng.lognormal(0.0, 0.8, len(t)))


def snowflakes(rng: np.random.Generator, t: np.ndarray, seq0: int = 0) -> np.ndarray:
    """Snowflake-like post ids from epoch seconds (sequence bits from ``seq0``)."""
    ms = t * 1000 + rng.integers(0, 1000, len(t)) - TWEPOCH_MS
    return (ms << 22) | (rng.integers(0, 1024, len(t)) << 12) | ((seq0 + np.arange(len(t))) % 4096)


def tags_for(rng: np.random.Generator, c: int) -> list[str]:
    """One hashtag of community ``c``, sometimes the shared #specialtycoffee too."""
    return [str(rng.choice(NICHES[c].tags))] + (["#specialtycoffee"] if rng.random() < 0.5 else [])


def make_talk(rng: np.random.Generator, P: dict, n_posts: int) -> pd.DataFrame:
    """Posts that name someone: about the brand (praise, questions, complaints; 15 promoters
    and 6 influential detractors) and shout-outs to rising voices (last 30 days). ``who`` is the person
    named, ``template`` has ``{brand}``/``{who}`` placeholders filled once handles exist."""
    ours, bot, fit, res, act = P["ours"], P["bot"], P["fit"], P["res"], P["act"]
    n = N_PEOPLE
    ok = ~bot & (act > 0) & ~np.isin(np.arange(n), ours)
    pct = np.argsort(np.argsort(fit * res)) / n
    detractors = rng.choice(np.flatnonzero(ok & (pct > 0.85) & ~P["broker"]), 6, replace=False)
    promoters = rng.choice(np.flatnonzero(ok & ~np.isin(np.arange(n), detractors)), 15, replace=False)
    others = np.flatnonzero(ok & ~np.isin(np.arange(n), np.r_[detractors, promoters]))
    rows = []  # author, t, kind
    for d in detractors:
        rows += [(d, k) for k in rng.choice(["complaint", "question"], int(rng.integers(3, 6)), p=[0.85, 0.15])]
    for p in promoters:
        rows += [(p, k) for k in rng.choice(["praise", "question"], int(rng.integers(2, 5)), p=[0.85, 0.15])]
    crowd = rng.choice(others, 170, p=act[others] / act[others].sum())
    rows += list(zip(crowd, rng.choice(["praise", "question", "complaint"], len(crowd), p=[0.45, 0.3, 0.25]), strict=True))
    author = np.array([a for a, _ in rows])
    kind = [k for _, k in rows]
    t = START + ((END - 3 * DAY - START) * np.sqrt(rng.random(len(rows)))).astype(np.int64)  # more lately
    pick = {"praise": PRAISE, "question": QUESTIONS, "complaint": COMPLAINTS}
    template = [str(pick[k][rng.integers(len(pick[k]))]) for k in kind]
    who = [-1] * len(rows)
    for r in P["rising"]:  # shout-outs from the rising voice's community
        fans = rng.choice(np.flatnonzero(ok & P["member"][:, P["comm"][r]] & (np.arange(n) != r)), 5, replace=False)
        author = np.r_[author, fans]
        t = np.r_[t, END - 30 * DAY + rng.integers(0, 27 * DAY, 5)]
        template += [str(SHOUTOUTS[rng.integers(len(SHOUTOUTS))]) for _ in fans]
        kind += ["shoutout"] * 5
        who += [int(r)] * 5
    tags = [tags_for(rng, P["comm"][a]) for a in author]
    filled = [tpl.format(brand="{brand}", who="{who}", origin=str(rng.choice(ORIGINS)),
                         product=str(rng.choice(PRODUCTS)), place=str(rng.choice(PLACES))) for tpl in template]  # fmt: skip
    text = [f"{f} {' '.join(tg)}" for f, tg in zip(filled, tags, strict=True)]
    return pd.DataFrame(dict(pid=snowflakes(rng, t, n_posts), author=author, t=t, kind=kind, who=who,
                             hashtags=[";".join(tg) for tg in tags], text=text))  # fmt: skip


def organic_relays(rng, P: dict, fsrc, fdst, posts: pd.DataFrame) -> np.ndarray:
    """(person, post row) pairs: followers first, some from the post's community."""
    bot, prop = P["bot"], P["prop"]
    by_dst = np.argsort(fdst, kind="stable")
    fstart = np.searchsorted(fdst[by_dst], np.arange(N_PEOPLE + 1))
    audience = np.minimum(np.diff(fstart)[posts.author.to_numpy()] + 1, AUDIENCE_CAP)
    a, t = posts.author.to_numpy(), posts.t.to_numpy()
    surge = np.where(np.isin(a, P["rising"]) & (t > RECENT), 6.0, 1.0)
    lam = 0.04 * P["res"][a] * posts.quality * audience**1.2 * trend_factor(P["trend"][a], t) * surge
    pools = [np.flatnonzero(P["member"][:, c] & ~bot) for c in range(K)]
    rows = []
    for j, (a, c, lj) in enumerate(zip(posts.author, posts.comm, lam, strict=True)):
        fans = fsrc[by_dst[fstart[a] : fstart[a + 1]]]
        fans = fans[~bot[fans]]
        k = min(int(rng.poisson(lj)), len(fans))
        if k == 0:
            continue
        who = rng.choice(fans, k, replace=False, p=prop[fans] / prop[fans].sum())
        if out := rng.binomial(k, 0.1):
            who = np.r_[who, rng.choice(pools[c], out, p=prop[pools[c]] / prop[pools[c]].sum())]
        who = np.unique(who[who != a])
        rows.append(np.c_[who, np.full(len(who), j)])
    return np.concatenate(rows)


def make_relays(rng, P: dict, fsrc, fdst, posts: pd.DataFrame) -> pd.DataFrame:
    """Relay events: person, post row, time, kind (organic, bots, bursts)."""
    bot, pt, pauthor = P["bot"], posts.t.to_numpy(), posts.author.to_numpy()
    ev = organic_relays(rng, P, fsrc, fdst, posts)
    late = rng.random(len(ev)) < 0.2  # a fifth come days to weeks later
    delay = np.where(late, rng.lognormal(np.log(5 * DAY), 1.0, len(ev)), rng.lognormal(np.log(3 * 3600), 1.3, len(ev)))
    delay = np.maximum(60, delay).astype(np.int64)
    parts = [(ev[:, 0], ev[:, 1], pt[ev[:, 1]] + delay)]
    by_author = np.argsort(pauthor, kind="stable")
    pstart = np.searchsorted(pauthor[by_author], np.arange(N_PEOPLE + 1))
    for b in np.r_[np.flatnonzero(bot), P["pod"]]:
        if bot[b]:  # a bot relays its followees' posts, each followee equally likely
            cand = np.sort(np.concatenate([by_author[pstart[f] : pstart[f + 1]] for f in fdst[fsrc == b]]))
            w = 1.0 / np.diff(pstart)[pauthor[cand]]
            done = cand[top_k(rng, w, min(len(cand) // 2, int(rng.integers(120, 321))))]
        else:  # a pod member relays anything from its community
            cand = np.flatnonzero((posts.comm.to_numpy() == P["comm"][b]) & (pauthor != b))
            done = np.empty(0, np.int64)
        at = pt[done] + rng.integers(60, 1800, len(done))
        if not bot[b] or rng.random() < 0.2:
            t0 = int(rng.integers(START + 200 * 86400, END - 86400))
            left = np.setdiff1d(cand[pt[cand] < t0 - 60], done)
            burst = rng.choice(left, min(len(left), int(rng.integers(50, 121))), replace=False)
            done, at = np.r_[done, burst], np.r_[at, t0 + np.sort(rng.integers(0, 3600, len(burst)))]
        parts.append((np.full(len(done), b), done, at))
    person, row, t = (np.concatenate(x) for x in zip(*parts, strict=True))
    ev = pd.DataFrame(dict(person=person, row=row, t=np.minimum(t, END)))
    quote = rng.random(len(ev)) < np.where(bot[ev.person], 0.02, 0.12)
    ev["kind"] = np.where(quote, "quote", "retweet")
    return ev.drop_duplicates(["person", "row"]).reset_index(drop=True)


def make_mentions(rng, P: dict, fsrc, fdst) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mention pairs (mostly along follow edges) with geometric counts."""
    organic = np.flatnonzero(~P["bot"])
    act, fit, res = P["act"] + 0.05, P["fit"], P["res"]
    indeg = np.bincount(fdst, minlength=N_PEOPLE) + 1.0
    pick = top_k(rng, np.where(P["bot"][fsrc], 0.0, act[fsrc] * res[fdst] * indeg[fdst] ** -0.4), 4800)
    src = rng.choice(organic, 1400, p=act[organic] / act[organic].sum())
    dst = np.empty_like(src)
    for c in range(K):
        mask, pool = P["comm"][src] == c, np.flatnonzero(P["member"][:, c] & ~P["bot"])
        dst[mask] = rng.choice(pool, mask.sum(), p=fit[pool] * res[pool] / (fit[pool] * res[pool]).sum())
    s, d = dedupe(np.r_[fsrc[pick], src], np.r_[fdst[pick], dst])
    return s, d, rng.geometric(0.55, len(s))


def make_identity(rng, i: int, P: dict) -> tuple[str, list[str], str, list[str]]:
    """Name, candidate handles (best first), bio and topics of person ``i``."""
    niche = NICHES[P["comm"][i]]
    if P["bot"][i]:
        w1, w2 = (str(x) for x in rng.choice(BOT_WORDS, 2, replace=False))
        name, handle = f"{w1.title()} {w2.title()} Deals", f"{w1}{w2}{rng.integers(100, 10000)}"
        return name, [handle], "Coffee deals and giveaways daily. Follow back!", ["#coffee", "#giveaway"]
    if P["biz"][i]:
        suffix, hsuf, bio = niche.businesses[rng.integers(len(niche.businesses))]
        adj, noun = str(rng.choice(ADJ)), str(rng.choice(NOUN))
        name = f"{adj} {noun} {suffix}"
        handles = [adj + noun + hsuf, adj + noun, adj + hsuf, noun + hsuf]
    else:
        first, last = str(rng.choice(FIRST)), str(rng.choice(SYL_A)) + str(rng.choice(SYL_B))
        name = f"{first} {last}"
        handles = [f"{first}{last}", f"{first}_{last[:6]}", f"{first[0]}{last}", f"{last}{first[0]}"]
        handles = [handles[j] for j in rng.permutation(4)]
        bio = niche.bios[rng.integers(len(niche.bios))]
    comms = np.flatnonzero(P["member"][i])
    tags = [str(rng.choice(NICHES[c].tags)) for c in comms]
    rest = [t for t in niche.tags if t not in tags]
    tags += [str(x) for x in rng.choice(rest, 1 + rng.integers(2), replace=False)]
    tags += [SHARED_TAGS[0]] if rng.random() < 0.6 else []
    if len(comms) > 1:
        labels = [NICHES[c].label for c in comms]
        bio += f". Bridging {', '.join(labels[:-1])} and {labels[-1]}"
    return name, handles, bio, tags


def make_people_table(rng, P: dict, indeg: np.ndarray) -> pd.DataFrame:
    """people.csv rows: unique handles and names, bios, topics, declared followers."""
    rows, handles, names = [], {o[0] for o in OURS}, {o[1] for o in OURS}
    ours = {int(i): o for i, o in zip(P["ours"], OURS, strict=True)}
    for i in range(N_PEOPLE):
        if i in ours:
            handle, name, bio, c = ours[i]
            rows.append((handle, name, bio, ";".join([*NICHES[c].tags[:2], "#specialtycoffee"])))
            continue
        name, options, bio, tags = make_identity(rng, i, P)
        while name in names and not P["bot"][i]:  # resample until the display name is unique
            name, options, bio, tags = make_identity(rng, i, P)
        options = [h.lower() for h in options]  # built from letters and digits only
        handle = next((h for h in options if len(h) <= 15 and h not in handles), options[0][:15])
        while handle in handles:
            handle = handle[:12] + str(rng.integers(10, 1000))
        names.add(name)
        handles.add(handle)
        rows.append((handle, name, bio, ";".join(tags)))
    people = pd.DataFrame(rows, columns=["handle", "name", "bio", "topics"])
    mult = rng.lognormal(np.log(8.0), 0.7, N_PEOPLE) * np.where(P["biz"], 2.5, 1.0)
    mult[P["celeb"]] *= 4.0
    declared = indeg + np.rint(indeg * mult + rng.pareto(1.5, N_PEOPLE) * 20).astype(np.int64)
    declared[P["bot"]] = indeg[P["bot"]] + rng.integers(5, 60, P["bot"].sum())
    people.insert(3, "followers_count", declared)
    return people


def cc_mentions(rng, author: np.ndarray, msrc, mdst, mcount) -> tuple[np.ndarray, np.ndarray]:
    """Posts (rows) that name one of the author's mention targets (``cc @x``), and whom."""
    order = np.argsort(msrc, kind="stable")
    start = np.searchsorted(msrc[order], np.arange(N_PEOPLE + 1))
    rows, targets = [], []
    for j in np.flatnonzero(rng.random(len(author)) < 0.12):
        mine = order[start[author[j]] : start[author[j] + 1]]
        if len(mine):
            rows.append(j)
            targets.append(mdst[mine][rng.choice(len(mine), p=mcount[mine] / mcount[mine].sum())])
    return np.array(rows, dtype=np.int64), np.array(targets, dtype=np.int64)


def text_mentions(msrc, mdst, mcount, src: np.ndarray, dst: np.ndarray) -> pd.DataFrame:
    """mentions.csv pairs: the aggregate, raised to the count of ``@handle``s in post texts."""
    agg = pd.DataFrame(dict(source=msrc, target=mdst, count=mcount))
    seen = pd.DataFrame(dict(source=src, target=dst)).value_counts().rename("seen").reset_index()
    both = agg.merge(seen, on=["source", "target"], how="outer").fillna(0)
    both["count"] = np.maximum(both["count"], both["seen"]).astype(np.int64)
    return both[["source", "target", "count"]]


def generate(out_dir: str | Path) -> dict[str, int]:
    """Write the five CSV files into ``out_dir``; return their row counts."""
    rng = np.random.default_rng(SEED)
    P = make_people(rng)
    fsrc, fdst = make_follows(rng, P)
    posts = make_posts(rng, P)
    relays = make_relays(rng, P, fsrc, fdst, posts)
    msrc, mdst, mcount = make_mentions(rng, P, fsrc, fdst)
    talk = make_talk(rng, P, len(posts))
    cc_rows, cc_to = cc_mentions(rng, posts.author.to_numpy(), msrc, mdst, mcount)
    people = make_people_table(rng, P, np.bincount(fdst, minlength=N_PEOPLE))
    h, pid = people.handle.to_numpy(), posts.pid.to_numpy().astype(str)
    text = posts.text.to_numpy(dtype=object).copy()
    text[cc_rows] = [f"{text[r]} cc @{h[t]}" for r, t in zip(cc_rows, cc_to, strict=True)]
    named = np.where(talk.who.to_numpy() >= 0, talk.who.to_numpy(), P["ours"][0])
    talk_text = [tx.format(brand=h[P["ours"][0]], who=h[w]) for tx, w in zip(talk.text, named, strict=True)]
    both = pd.concat([posts.assign(text=text)[["pid", "author", "t", "hashtags", "text"]],
                      talk.assign(text=talk_text)[["pid", "author", "t", "hashtags", "text"]]], ignore_index=True)
    assert both.pid.is_unique
    both = both.sort_values(["t", "pid"], kind="stable")
    both = both.assign(post_id=both.pid.astype(str), author=h[both.author], created_at=fmt_time(both.t.to_numpy()))
    relays = relays.assign(person=h[relays.person], post_id=pid[relays.row], created_at=fmt_time(relays.t))
    mentions = text_mentions(msrc, mdst, mcount, np.r_[posts.author.to_numpy()[cc_rows], talk.author.to_numpy()],
                             np.r_[cc_to, named])  # fmt: skip
    pair, rcols = ["source", "target"], ["person", "post_id", "kind", "created_at"]
    tables = {
        "people": people.sort_values("handle"),
        "follows": pd.DataFrame(dict(source=h[fsrc], target=h[fdst])).sort_values(pair),
        "posts": both[["post_id", "author", "created_at", "hashtags", "text"]],
        "relays": relays[rcols].sort_values(["created_at", "person", "post_id"]),
        "mentions": mentions.assign(source=h[mentions.source], target=h[mentions.target]).sort_values(pair),
    }
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_csv(out / f"{name}.csv", index=False, lineterminator="\n")
    return {name: len(df) for name, df in tables.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Generate the fictitious specialty-coffee sample network (five CSV files).",
        epilog="example: python scripts/make_sample_data.py --out /tmp/coffee",
    )
    default = str(Path(__file__).resolve().parent.parent / "sample_data")
    parser.add_argument("--out", default=default, help="output folder (default: the repo's sample_data/)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    sizes = ", ".join(f"{v:,} {k}" for k, v in generate(args.out).items())
    print(f"{sizes} in {time.perf_counter() - t0:.1f}s -> {args.out}")


if __name__ == "__main__":
    main()
