"""Related papers: the RELATED_TO edges, each paper's ``related_k`` strongest by the idf-weighted overlap of their
entities, ``S = X W Xᵀ`` with ``W`` the entities' inverse document frequencies (computed in blocks of rows), and
the entities each related pair shares.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

__all__ = ["related_pairs", "related_arrays"]

#: at most about this many paper-pair scores of ``X W Xᵀ`` are held at once (a block of rows; ~12 bytes each)
_RELATED_BLOCK_PAIRS = 8_000_000


def related_pairs(X: sp.csr_matrix, idf: np.ndarray, df: np.ndarray, rank: np.ndarray, related_k: int) -> np.ndarray:
    """The paper pairs where one is among the other's ``related_k`` most related, as ``i * n_papers + j`` with
    ``i < j`` (paper indices), sorted: for binary incidence ``X`` (papers × entities), the entities' ``idf`` and
    paper counts ``df``, and the papers' id ranks ``rank`` (equal scores go by paper id).

    >>> X = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 1], [0, 0, 1]]))
    >>> related_pairs(X, np.array([0.5, 1.25, 2.0]), np.array([2, 2, 2]), np.array([0, 1, 2]), 1).tolist()
    [1, 5]
    """
    n_papers = X.shape[0]
    Xf = X.astype(float)
    XwT = (Xf @ sp.diags(idf)).T.tocsc()
    found: list[np.ndarray] = []  # pairs i < j (paper indices) as i * n_papers + j
    # a row's scores are at most min(N, sum of its entities' df) pairs: blocks of rows stay under the budget
    row_pairs = np.minimum(X @ df, n_papers)
    lo = 0
    while lo < n_papers:
        hi = lo + max(1, int(np.searchsorted(np.cumsum(row_pairs[lo:]), _RELATED_BLOCK_PAIRS, side="right")))
        S = (Xf[lo:hi] @ XwT).tocsr()
        for r in range(S.shape[0]):
            i = lo + r
            js = S.indices[S.indptr[r]:S.indptr[r + 1]]
            # rounded, so that equal scores tie (and go by paper id) whatever the order of the float sums
            ws = np.round(S.data[S.indptr[r]:S.indptr[r + 1]], 9)
            ok = (js != i) & (ws > 0)
            js, ws = js[ok], ws[ok]
            n = len(js)
            if n > related_k:
                kth = np.partition(ws, n - related_k)[n - related_k]  # the related_k-th largest score
                cand = np.flatnonzero(ws >= kth)  # it and everything above, ties included: O(n), no full sort
                js, ws = js[cand], ws[cand]
                top = np.lexsort((rank[js], -ws))[:related_k]
                js, ws = js[top], ws[top]
            found.append(np.minimum(i, js) * n_papers + np.maximum(i, js))
        lo = hi
    return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


def related_arrays(X: sp.csr_matrix, pairs: np.ndarray, idf: np.ndarray, place: np.ndarray,
                    rank: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """RELATED_TO as arrays for the paper pairs ``pairs`` (``i * n_papers + j``, ``i < j``, sorted): ``(u, v,
    weight, shared_ptr, shared_cols)`` with ``u`` before ``v`` in id order, the weight the sum of the shared
    entities' idf (rounded to 6 places), the shared entity columns in ``place`` order (strongest first).

    The shared entities of all pairs at once, as the rows of the elementwise product of the pairs' rows of ``X``.

    >>> X = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 1], [0, 0, 1]]))
    >>> u, v, w, ptr, cols = related_arrays(X, np.array([1, 5]), np.array([0.5, 1.25, 2.0]),
    ...                                      np.array([2, 1, 0]), np.array([1, 0, 2]))
    >>> u.tolist(), v.tolist(), w.tolist(), ptr.tolist(), cols.tolist()
    ([1, 1], [0, 2], [1.75, 2.0], [0, 2, 3], [1, 0, 2])
    """
    n_papers = X.shape[0]
    i, j = pairs // max(n_papers, 1), pairs % max(n_papers, 1)
    shared = X[i].multiply(X[j]).tocsr()
    shared.sort_indices()
    shared.eliminate_zeros()
    ptr, cols = shared.indptr.astype(np.int64), shared.indices.astype(np.int64)
    # each pair's idf sum over its columns in ascending order, by np.sum of the slice: np.add.reduceat adds in
    # another order, and its float sums differ in the last bits
    values, bounds = idf[cols], ptr.tolist()
    w = np.array([round(float(values[a:b].sum()), 6) for a, b in zip(bounds, bounds[1:])], dtype=float)
    row = np.repeat(np.arange(len(pairs)), np.diff(ptr))
    cols = cols[np.lexsort((place[cols], row))]
    first = rank[i] < rank[j]
    return np.where(first, i, j), np.where(first, j, i), w, ptr, cols
