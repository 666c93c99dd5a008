"""The compiled banded DTW against the row-vectorised numpy fill it replaced (kept here as the
reference; the path is traced by the same function), on random features, bands and open ends."""

import numpy as np
import pytest

from captions import dtw


def reference_dtw(X, Y, lo, hi, skip=None):
    """captions 0.1.0's dtw(): each row vectorised, the horizontal steps a min-plus prefix scan."""
    n, m = len(X), len(Y)
    lo, hi = lo.copy(), hi.copy()
    lo[0], hi[-1] = 0, m - 1
    end_costs = np.full(n, np.inf)
    offsets = np.concatenate(([0], np.cumsum(hi - lo + 1)))
    back = np.zeros(int(offsets[-1]), np.uint8)  # 0 left, 1 diagonal, 2 up, 3 start
    yy = (Y * Y).sum(1)
    xx = (X * X).sum(1)
    prev, prev_lo, prev_hi = np.zeros(0), 0, -1
    for i in range(n):
        low, h = int(lo[i]), int(hi[i])
        c = np.sqrt(np.maximum(xx[i] + yy[low : h + 1] - 2.0 * (Y[low : h + 1] @ X[i]), 0.0))
        w = h - low + 1
        if i == 0:
            A = np.full(w, np.inf)
            A[0] = c[0]
            from_diagonal = np.ones(w, bool)
        else:
            up = np.full(w, np.inf)
            diagonal = np.full(w, np.inf)
            a, b = max(low, prev_lo), min(h, prev_hi)
            if a <= b:
                up[a - low : b - low + 1] = prev[a - prev_lo : b - prev_lo + 1]
            a, b = max(low, prev_lo + 1), min(h, prev_hi + 1)
            if a <= b:
                diagonal[a - low : b - low + 1] = prev[a - 1 - prev_lo : b - prev_lo]
            from_diagonal = diagonal <= up
            A = c + np.where(from_diagonal, diagonal, up)
        fresh = skip is not None and low == 0 and i > 0 and c[0] + skip * i < A[0]
        if fresh and skip is not None:
            A[0] = c[0] + skip * i
        C = np.cumsum(c)
        T = A - C
        M = np.minimum.accumulate(T)
        prev = C + M
        from_a = np.concatenate(([np.inf], M[:-1])) >= T
        back[offsets[i] : offsets[i] + w] = np.where(from_a, np.where(from_diagonal, 1, 2), 0)
        if fresh and from_a[0]:
            back[offsets[i]] = 3
        if h == m - 1:
            end_costs[i] = prev[-1] + (skip or 0.0) * (n - 1 - i) if skip is not None or i == n - 1 else np.inf
        prev_lo, prev_hi = low, h
    rows, cols = dtw.trace(back, end_costs, offsets, lo, m)
    return rows, cols, np.sqrt(((X[rows] - Y[cols]) ** 2).sum(1))



@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("skip", [None, 0.0, 0.7])
def test_compiled_dtw_matches_the_reference(seed, skip):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(5, 60)), int(rng.integers(5, 60))
    X, Y = rng.standard_normal((n, 4)), rng.standard_normal((m, 4))
    lo, hi = dtw.diagonal_band(n, m, int(rng.integers(1, 20)))
    ours = dtw.dtw(X, Y, lo, hi, skip)
    theirs = reference_dtw(X, Y, lo, hi, skip)
    for mine, reference in zip(ours, theirs):
        np.testing.assert_allclose(mine, reference)
