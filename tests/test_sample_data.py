"""The committed sample data: reproducible from its generator, and shaped as documented."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
SCRIPT = ROOT / "scripts" / "make_sample_data.py"
HEADERS = {
    "people": "handle,name,bio,followers_count,topics",
    "follows": "source,target",
    "posts": "post_id,author,created_at,hashtags,text",
    "relays": "person,post_id,kind,created_at",
    "mentions": "source,target,count",
}
TIME_RE = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"
WINDOW = (pd.Timestamp("2025-01-01", tz="UTC"), pd.Timestamp("2026-11-01", tz="UTC"))


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location("make_sample_data", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("sample_data")
    module.generate(out)
    return out


@pytest.fixture(scope="module")
def t() -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(SAMPLE / f"{name}.csv", dtype=str, keep_default_na=False) for name in HEADERS}


@pytest.mark.parametrize("name", list(HEADERS))
def test_regenerates_byte_identical(regenerated, name):
    assert (regenerated / f"{name}.csv").read_bytes() == (SAMPLE / f"{name}.csv").read_bytes(), (
        f"sample_data/{name}.csv is stale: run python scripts/make_sample_data.py"
    )


@pytest.mark.parametrize("name", list(HEADERS))
def test_headers(name):
    with open(SAMPLE / f"{name}.csv", encoding="utf-8") as f:
        assert f.readline().rstrip("\n") == HEADERS[name]


def test_sizes(t):
    assert len(t["people"]) == 3000
    assert 40_000 <= len(t["follows"]) <= 60_000
    assert 8_000 <= len(t["posts"]) <= 12_000
    assert 20_000 <= len(t["relays"]) <= 40_000
    assert 4_000 <= len(t["mentions"]) <= 8_000


def test_people(t):
    p = t["people"]
    assert p.handle.str.fullmatch(r"[a-z0-9_]{1,15}").all()
    assert p.handle.is_unique
    assert (p.name != "").all() and (p.bio != "").all()
    assert p.followers_count.str.fullmatch(r"\d+").all()
    assert p.topics.str.fullmatch(r"#[a-z0-9]+(;#[a-z0-9]+)*").all()


@pytest.mark.parametrize("name", ["follows", "mentions"])
def test_pairs(t, name):
    e, handles = t[name], set(t["people"].handle)
    assert e.source.isin(handles).all() and e.target.isin(handles).all()
    assert (e.source != e.target).all()
    assert not e.duplicated(["source", "target"]).any()
    if name == "mentions":
        assert (e["count"].astype(int) >= 1).all()


def test_posts(t):
    posts = t["posts"]
    assert posts.post_id.str.fullmatch(r"\d+").all() and posts.post_id.is_unique
    assert posts.author.isin(set(t["people"].handle)).all()
    assert posts.created_at.str.fullmatch(TIME_RE).all()
    at = pd.to_datetime(posts.created_at, utc=True)
    assert at.between(*WINDOW).all()
    assert posts.hashtags.str.fullmatch(r"#[a-z0-9]+(;#[a-z0-9]+)*").all()
    for tags, text in zip(posts.hashtags, posts.text, strict=True):
        assert all(tag in text for tag in tags.split(";")), text


def test_relays(t):
    r = t["relays"].merge(
        t["posts"][["post_id", "author", "created_at"]], on="post_id", suffixes=("", "_post")
    )
    assert len(r) == len(t["relays"]), "every relay names an existing post"
    assert r.person.isin(set(t["people"].handle)).all()
    assert set(r.kind) <= {"retweet", "quote"} and (r.kind == "retweet").mean() > 0.8
    assert r.created_at.str.fullmatch(TIME_RE).all()
    at = pd.to_datetime(r.created_at, utc=True)
    assert (at > pd.to_datetime(r.created_at_post, utc=True)).all() and at.between(*WINDOW).all()
    assert (r.person != r.author).all()
    assert not r.duplicated(["person", "post_id"]).any()


def test_bad_apples(t):
    p = t["people"].handle
    outdeg = t["follows"].source.value_counts().reindex(p, fill_value=0)
    indeg = t["follows"].target.value_counts().reindex(p, fill_value=0)
    posts = t["posts"].author.value_counts().reindex(p, fill_value=0)
    relays = t["relays"].person.value_counts().reindex(p, fill_value=0)
    bots = (outdeg >= 300) & (indeg < 5) & (posts == 0) & (relays >= 100)
    assert 25 <= bots.sum() <= 35
    r = t["relays"].assign(at=pd.to_datetime(t["relays"].created_at, utc=True)).sort_values(["person", "at"])
    in_hour = r.set_index("at").groupby("person")["kind"].rolling("3600s").count().groupby(level=0).max()
    assert (in_hour >= 50).sum() >= 3, "a few accounts relay 50+ posts within one hour"


def test_followers_and_relays_are_decoupled(t):
    p = t["people"].handle
    indeg = t["follows"].target.value_counts().reindex(p, fill_value=0)
    author = t["relays"].merge(t["posts"][["post_id", "author"]], on="post_id").author
    df = pd.DataFrame({"indeg": indeg, "relays": author.value_counts().reindex(p, fill_value=0)})
    top = df[df.indeg >= df.indeg.quantile(0.9)]
    assert df.corr("spearman").iloc[0, 1] > 0.25
    assert top.corr("spearman").iloc[0, 1] < 0.25


def test_our_accounts_and_posts_about_the_brand(t):
    handles = set(t["people"].handle)
    assert {"beantherecoffee", "ana_beanthere", "ben_beanthere", "caro_beanthere"} <= handles
    f = t["follows"]
    assert (f.target == "beantherecoffee").sum() >= 100
    for m in ("ana", "ben", "caro"):
        assert (f.source == f"{m}_beanthere").sum() >= 40
    about = t["posts"][t["posts"].text.str.contains("@beantherecoffee", regex=False)]
    assert 200 <= len(about) <= 320
    assert about.text.str.contains("?", regex=False).sum() >= 40
    assert about.text.str.contains("late|stale|burnt|awful|Terrible|frustrating|sour", regex=True).sum() >= 40
    m = t["mentions"].assign(count=t["mentions"]["count"].astype(int))
    to_brand = m[m.target == "beantherecoffee"].set_index("source")["count"]
    assert (about.author.value_counts().reindex(to_brand.index, fill_value=0) <= to_brand).all()
    assert set(about.author) <= set(to_brand.index), "every post about the brand is in mentions.csv"


def test_relays_persist_fade_and_rise(t):
    r = t["relays"].merge(t["posts"][["post_id", "author"]], on="post_id")
    at = pd.to_datetime(r.created_at, utc=True)
    half = at > WINDOW[0] + (at.max() - WINDOW[0]) / 2
    per = r.assign(half=half).groupby(["author", "half"]).size().unstack(fill_value=0)
    first, second = set(per[False].nlargest(50).index), set(per[True].nlargest(50).index)
    assert 10 <= len(first & second) <= 40, "some audiences persist, some fade, some rise"
    late = (at - pd.to_datetime(r.merge(t["posts"], on="post_id").created_at_y, utc=True)) > pd.Timedelta(days=1)
    assert 0.1 < late.mean() < 0.3


def test_generic_csv_loader_reads_it():
    from loaders.csv_tables import read_csv_tables

    batch = read_csv_tables([SAMPLE])
    assert batch.sizes()["people"] == 3000 and batch.sizes()["relayed"] >= 20_000
    assert batch.notes == []
