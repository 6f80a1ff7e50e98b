"""Introductions: pairs of people worth introducing to each other.

A pair qualifies when the two are not yet connected (no follow, relay or mention
either way), have at least one contact in common, and share a topic or a community.
Pairs are ranked by the Adamic–Adar index (Adamic & Adar 2003; Liben-Nowell &
Kleinberg 2007) on the undirected tie graph: each common contact ``w`` adds
``1 / log(degree(w))``, so a shared friend who knows few people counts more than a
shared celebrity. :func:`adamic_adar` computes it for every pair of a candidate set
at once with sparse matrices and is tested equal to ``networkx.adamic_adar_index``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from scipy import sparse

__all__ = ["adamic_adar", "introductions", "pair_reason"]


def adamic_adar(ties: sparse.csr_matrix, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Adamic–Adar index and common-contact count for every pair among nodes ``idx``.

    Parameters
    ----------
    ties : csr_matrix
        Symmetric 0/1 adjacency (:func:`graph.relations.warm_paths.tie_matrix`).
    idx : array of int
        The candidates' node positions.

    Returns
    -------
    (aa, common) : two ``len(idx) x len(idx)`` arrays (diagonal zero).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "w"), ("b", "w"), ("a", "v"), ("b", "v"), ("v", "x")])
    >>> nodes = list(G)
    >>> aa, common = adamic_adar(nx.to_scipy_sparse_array(G, nodelist=nodes, format="csr"), np.array([0, 2]))
    >>> round(float(aa[0, 1]), 6), int(common[0, 1]), round(next(nx.adamic_adar_index(G, [("a", "b")]))[2], 6)
    (2.352934, 2, 2.352934)
    """
    ties = sparse.csr_matrix(ties)
    deg = np.asarray(ties.sum(axis=1)).ravel().astype(float)
    inv_log = np.zeros_like(deg)
    ok = deg > 1
    inv_log[ok] = 1.0 / np.log(deg[ok])
    rows = ties[idx].astype(np.float64)
    aa = (rows @ sparse.diags(inv_log) @ rows.T).toarray()
    common = (rows @ rows.T).toarray().round().astype(np.int64)
    np.fill_diagonal(aa, 0.0)
    np.fill_diagonal(common, 0)
    return aa, common


def _listing(handles: list[str], most: int = 3) -> str:
    shown = ", ".join(f"@{h}" for h in handles[:most])
    return shown + (f" +{len(handles) - most}" if len(handles) > most else "")


def pair_reason(common: list[str], shared: list[str], community: str | None) -> str:
    """The plain-words reason for one introduction.

    >>> pair_reason(["ann", "bob", "cy", "dee"], ["#v60", "#latteart"], "#latteart")
    '4 contacts in common (@ann, @bob, @cy +1); both talk about #v60, #latteart; same community (#latteart)'
    >>> pair_reason(["ann"], [], None)
    '1 contact in common (@ann)'
    """
    n = len(common)
    parts = [f"{n} contact{'s' if n != 1 else ''} in common ({_listing(common)})"]
    if shared:
        parts.append("both talk about " + ", ".join(shared[:4]))
    if community:
        parts.append(f"same community ({community})")
    return "; ".join(parts)


def introductions(
    ties: sparse.csr_matrix,
    nodes: np.ndarray,
    candidates: Iterable[str],
    people: pd.DataFrame,
    *,
    top: int = 50,
    min_common: int = 1,
    labels: Mapping[int, str] | None = None,
) -> pd.DataFrame:
    """The best ``top`` introductions among ``candidates`` (pids), best first.

    Parameters
    ----------
    ties : csr_matrix
        The tie graph over ``nodes``.
    nodes : array of str
        Pid of each node.
    candidates : iterable of str
        Whom to pair up (the shortlist, or our friends).
    people : DataFrame
        ``pid, handle`` and, where known, ``topics`` (list of tags they use) and
        ``community``.
    min_common : int
        Fewest contacts in common.
    labels : mapping community -> name, optional
        Shown in the reason.

    Returns
    -------
    DataFrame
        ``a, b, handle_a, handle_b, adamic_adar, common, shared_topics,
        same_community, reason``.

    Examples
    --------
    ``p`` and ``q`` both know ``w`` and ``v``; ``r`` knows ``w`` only and is already
    tied to ``q``; ``s`` shares no topic or community with anyone.

    >>> import networkx as nx
    >>> G = nx.Graph([("p", "w"), ("q", "w"), ("p", "v"), ("q", "v"), ("r", "w"), ("r", "q"), ("s", "w")])
    >>> nodes = np.array(list(G), dtype=object)
    >>> people = pd.DataFrame({"pid": ["p", "q", "r", "s"], "handle": ["p", "q", "r", "s"],
    ...     "topics": [["#v60"], ["#v60"], ["#v60"], ["#wbc"]], "community": [0, 0, 0, 1]})
    >>> t = introductions(nx.to_scipy_sparse_array(G, nodelist=list(nodes), format="csr"), nodes,
    ...                   ["p", "q", "r", "s"], people)
    >>> t[["a", "b", "common"]].values.tolist()
    [['p', 'q', 2], ['p', 'r', 1]]
    """
    cols = ["a", "b", "handle_a", "handle_b", "adamic_adar", "common", "shared_topics", "same_community", "reason"]
    ties = sparse.csr_matrix(ties)
    index = pd.Index(nodes)
    cand = [p for p in dict.fromkeys(candidates) if index.get_indexer([p])[0] >= 0]
    if len(cand) < 2:
        return pd.DataFrame(columns=cols)
    idx = index.get_indexer(cand)
    aa, common = adamic_adar(ties, idx)
    linked = ties[idx][:, idx].toarray() > 0
    i, j = np.nonzero(np.triu((common >= max(min_common, 1)) & ~linked, k=1))
    info = people.set_index("pid").reindex(cand)
    topics = [set(t) if isinstance(t, list | tuple | np.ndarray) else set() for t in info.get("topics", [None] * len(cand))]
    comm = info["community"].to_numpy() if "community" in info else np.full(len(cand), np.nan)
    shared = [sorted(topics[a] & topics[b]) for a, b in zip(i, j, strict=True)]
    same = np.array([pd.notna(comm[a]) and comm[a] == comm[b] for a, b in zip(i, j, strict=True)], dtype=bool)
    keep = np.array([bool(s) for s in shared], dtype=bool) | same
    i, j, same = i[keep], j[keep], same[keep]
    shared = [s for s, k in zip(shared, keep, strict=True) if k]
    order = np.lexsort((j, i, -np.array([len(s) for s in shared]), -aa[i, j]))[:top]
    handles = info["handle"].astype(str).to_numpy() if "handle" in info else np.array(cand, dtype=object)
    labels = labels or {}
    handle_of = people.drop_duplicates("pid").set_index("pid")["handle"].astype(str)
    rows = []
    for k in order:
        a, b = int(i[k]), int(j[k])
        mutual = np.intersect1d(ties[idx[a]].indices, ties[idx[b]].indices)
        names = [handle_of.get(p, p) for p in nodes[mutual]]
        name = labels.get(int(comm[a]), f"community {int(comm[a])}") if same[k] else None
        rows.append({
            "a": cand[a], "b": cand[b], "handle_a": handles[a], "handle_b": handles[b],
            "adamic_adar": round(float(aa[a, b]), 4), "common": int(common[a, b]), "shared_topics": shared[k],
            "same_community": bool(same[k]), "reason": pair_reason([str(h) for h in names], shared[k], name),
        })  # fmt: skip
    return pd.DataFrame(rows, columns=cols)
