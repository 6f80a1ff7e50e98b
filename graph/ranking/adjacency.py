"""Edge arrays as scipy sparse matrices (the form every fast metric starts from)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from graph.model import EdgeArrays

__all__ = ["adjacency"]


def adjacency(e: EdgeArrays, *, weighted: bool = True, loops: bool = True) -> sp.csr_array:
    """Sparse ``n x n`` adjacency, parallel edges summed (or collapsed to 1).

    >>> e = EdgeArrays.from_pairs([("a", "b"), ("a", "b"), ("b", "b")])
    >>> adjacency(e).toarray().tolist(), adjacency(e, weighted=False, loops=False).nnz
    ([[0.0, 2.0], [0.0, 1.0]], 1)
    """
    src, dst, w = e.src, e.dst, e.weight
    if not loops:
        keep = src != dst
        src, dst, w = src[keep], dst[keep], w[keep]
    data = w.astype(np.float64) if weighted else np.ones(len(src))
    A = sp.csr_array((data, (src, dst)), shape=(e.n, e.n))
    A.sum_duplicates()
    if not weighted:
        A.data[:] = 1.0
    return A


def _simple(A: sp.csr_array) -> sp.csr_array:
    """The simple graph of ``A``: diagonal dropped, every edge weight 1."""
    n = A.shape[0]
    rows = np.repeat(np.arange(n, dtype=A.indices.dtype), np.diff(A.indptr))
    keep = A.indices != rows
    indptr = np.zeros(n + 1, dtype=A.indptr.dtype)
    np.cumsum(np.bincount(rows[keep], minlength=n), out=indptr[1:])
    return sp.csr_array((np.ones(int(keep.sum())), A.indices[keep], indptr), shape=(n, n))
