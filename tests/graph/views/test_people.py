"""Choosing who to draw: the fast top-n against a plain full sort."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from graph.views.people import top_people


def reference(people: pd.DataFrame, metric: str, n: int) -> pd.DataFrame:
    """Sort everyone (missing values last, ties by pid), keep n."""
    return people.sort_values([metric, "pid"], ascending=[False, True], na_position="last").head(n)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n", [0, 1, 25, 200, 999, 2000, 5000])
def test_top_people_matches_a_full_sort(seed, n):
    rng = np.random.default_rng(seed)
    size = 4000
    values = rng.integers(0, 50, size).astype(float)  # many ties
    values[rng.random(size) < 0.2] = np.nan
    people = pd.DataFrame({"pid": [f"x:{i}" for i in rng.permutation(size)], "score": values})
    got, want = top_people(people, "score", n), reference(people, "score", n)
    assert got["pid"].tolist() == want["pid"].tolist()
    assert got.index.tolist() == want.index.tolist()


def test_top_people_with_a_nullable_integer_metric():
    people = pd.DataFrame({"pid": list("abcdefgh"), "followers": pd.array([3, None, 7, 7, 1, 0, 2, 5], "Int64")})
    assert top_people(people, "followers", 1)["pid"].tolist() == ["c"]
    assert top_people(people, "followers", 3)["pid"].tolist() == reference(people, "followers", 3)["pid"].tolist()
