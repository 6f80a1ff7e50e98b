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


@pytest.mark.parametrize("seed", range(3))
def test_the_drawing_does_not_depend_on_the_order_the_store_returns_edges_in(seed):
    """A store scans in parallel, so each read may list the same edges in another order:
    the edges drawn, the cut to the heaviest and the layout must come out the same
    (CI once clicked a person where a differently laid-out drawing had put someone else)."""
    from graph.model import EdgeArrays
    from graph.views.drawing import layout
    from graph.views.people import heaviest, subgraph_edges

    rng = np.random.default_rng(seed)
    nodes = np.array(sorted(f"x:{i:03d}" for i in range(300)), dtype=object)
    src, dst = rng.integers(0, 300, 3000), rng.integers(0, 300, 3000)
    weight = rng.integers(1, 4, 3000).astype(float)  # ties, so the cut has choices to make

    def arrays(order):
        return {
            "follows": EdgeArrays(nodes=nodes, src=src[order], dst=dst[order], weight=np.ones(len(order))),
            "relays": EdgeArrays(nodes=nodes, src=dst[order], dst=src[order], weight=weight[order]),
        }

    pids = list(nodes[rng.permutation(300)[:120]])
    first = heaviest(subgraph_edges(arrays(np.arange(3000)), pids), max_edges=150)
    again = heaviest(subgraph_edges(arrays(rng.permutation(3000)), pids), max_edges=150)
    pd.testing.assert_frame_equal(first, again)
    assert len(first) == 150
    shuffled = again.sample(frac=1.0, random_state=seed)
    assert (layout(pids, first) == layout(pids, shuffled)).all()
