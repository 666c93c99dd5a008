"""The anchored path of a programme (captions/joined.py): one monotonic path over every frame."""

import numpy as np
import pytest

from captions import joined


def _programme(seed: int):
    """Features of three 'recordings' (random speech frames) between joins, and the synthetic
    sentences they read (the same frames, some sentences missing from the recordings)."""
    rng = np.random.default_rng(seed)
    sentences = [rng.standard_normal((int(rng.integers(30, 80)), 5)) for _ in range(6)]
    for sentence in sentences:
        sentence[:, -1] = 2.0  # the speech channel
    silence = np.zeros((10, 5))
    fake, bounds = [silence], []
    at = len(silence)
    for sentence in sentences:
        bounds.append((at, at + len(sentence)))
        fake += [sentence, silence]
        at += len(sentence) + len(silence)
    join = np.zeros((60, 5))
    real, joins = [join], [np.ones(60, bool)]
    for group in ([0, 1], [2, 3], [4, 5]):
        for index in group:
            spoken = sentences[index].repeat(2, axis=0)[:: 1 + int(rng.integers(0, 2))]  # read slower or alike
            real.append(spoken + 0.1 * rng.standard_normal(spoken.shape))
            joins.append(np.zeros(len(spoken), bool))
        real.append(join)
        joins.append(np.ones(len(join), bool))
    return np.vstack(real), np.vstack(fake), bounds, np.concatenate(joins)


@pytest.mark.parametrize("seed", range(5))
def test_the_path_covers_every_frame_once_in_order_and_every_sentence(seed):
    real, fake, bounds, joins = _programme(seed)
    rows, cols, costs = joined.align_joined(real, fake, bounds, joins, 200)
    assert np.array_equal(np.unique(rows), np.arange(len(real))) and (np.diff(rows) >= 0).all()
    assert (np.diff(cols) >= 0).all() and cols[0] >= 0 and cols[-1] < len(fake)
    assert len(costs) == len(rows) and np.isfinite(costs).all()
    for first, end in bounds:  # every sentence is put somewhere, on speech, never on a join
        on = np.flatnonzero((cols >= first) & (cols < end))
        assert len(on) and not joins[rows[on]].any()
