"""Alignment of a programme that joins recordings: anchored at every join, refined between them.

A programme joins recordings with room tone or a music bed between them (``pauses.recording_pieces``
finds the joins). One path through the whole hour lets an error spread: where one recording
matches the synthetic voice poorly (a voice with a cold, in noise), the coarse pass can put a
sentence on the wrong side of a join, and the narrow fine band cannot bring it back. Here each
join is an anchor, mapped onto the silence between two sentences; which two is decided by matching
the recordings on both sides with each choice. Then each recording is aligned on its own between
its anchors, so an error stops at the next join.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import dtw

NEAR = 1  # sentences either side of where the whole programme's coarse path crosses a join that are tried
# The coarse band of one recording, as a share of its length (at least MIN_RADIUS pooled frames):
# within a recording, speech is not read much faster or slower than espeak-ng speaks it.
BAND_SHARE, MIN_RADIUS = 0.3, 25

Path = tuple[np.ndarray, np.ndarray, np.ndarray]  # rows, cols, step costs


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, end) of every run of True.

    >>> runs(np.array([0, 1, 1, 0, 1], bool))
    [(1, 3), (4, 5)]
    """
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()))


def align_joined(real: np.ndarray, fake: np.ndarray, bounds: list[tuple[int, int]], joins: np.ndarray,
                 radius: int) -> Path:
    """The path of ``real`` (a programme) against ``fake`` (its sentences' synthetic speech, each
    sentence at ``bounds``), anchored at the ``joins`` (frames between its recordings, and before
    and after them) and found recording by recording. The whole programme's coarse path (in a
    band of ``radius`` frames) says near which sentences each join falls.

    Within a recording, sound before its first sentence or after its last (a recording's own
    lead-in, a cough) may be left out at a price per frame halfway between a typical match and
    matching nothing, as for the whole programme's intro; a recording that holds none of the
    sentences (a jingle) is all left out.
    """
    anchors = runs(joins)
    rows, cols, costs = dtw.coarse_path(real, fake, radius)
    middles = [(first + end) / 2 / dtw.POOL for first, end in bounds]
    crossing = [int(np.searchsorted(middles, cols[min(int(np.searchsorted(rows, (first + end) / 2 / dtw.POOL)),
                                                      len(cols) - 1)])) for first, end in anchors]
    choices = [sorted({min(max(k + step, 0), len(bounds)) for step in range(-NEAR, NEAR + 1)}) for k in crossing]
    # Pooled frames match more closely than single ones: each has its own prices of leaving out.
    weight = float(real[:, -1].max()) or 1.0
    fine = _LeftOut(float(np.median(dtw.step_costs(real, fake, rows * dtw.POOL, cols * dtw.POOL))),
                    dtw.unrelated_cost(real, fake), weight)
    coarse = _LeftOut(float(np.median(costs)), dtw.unrelated_cost(dtw.pool(real), dtw.pool(fake)), weight)
    pieces = _pieces(anchors, len(real))
    splits = _best_splits(real, fake, pieces, bounds, choices, coarse)
    return _joined_path(real, fake, pieces, bounds, splits, (fine, coarse))


@dataclass(frozen=True)
class _LeftOut:
    """What leaving a frame of the recording out costs: halfway between a typical match and
    matching nothing for sound that is not speech (room tone, a recording's own lead-in), as much
    as matching nothing for speech, so that a sentence is not left out of the recording it was
    read in (a noisy voice matches hardly better than nothing: leaving its last sentence out and
    crowding it into the next recording cost about as little)."""

    typical: float
    unrelated: float
    weight: float  # the speech channel's value for speech (the features' last column)

    def prices(self, real: np.ndarray) -> np.ndarray:
        middle = (self.typical + self.unrelated) / 2
        prices: np.ndarray = middle + (self.unrelated - middle) * np.clip(real[:, -1] / self.weight, 0.0, 1.0)
        return prices


def _pieces(anchors: list[tuple[int, int]], frames: int) -> list[tuple[int, int]]:
    """The rows of each recording: before, between and after the anchors (the first or last may be empty)."""
    edges = [0] + [edge for anchor in anchors for edge in anchor] + [frames]
    return [(edges[2 * k], edges[2 * k + 1]) for k in range(len(anchors) + 1)]


def _columns(bounds: list[tuple[int, int]], before: int, after: int) -> tuple[int, int]:
    """The synthetic frames of sentences ``before`` to ``after`` (exclusive): from the first's
    start to the last's end (an empty range for none)."""
    return (bounds[before][0], bounds[after - 1][1]) if after > before else (0, 0)


def _best_splits(real: np.ndarray, fake: np.ndarray, pieces: list[tuple[int, int]], bounds: list[tuple[int, int]],
                 choices: list[list[int]], left_out: _LeftOut) -> list[int]:
    """For each anchor, the sentence it comes before: of the ``choices``, those whose recordings,
    each matched (coarsely) to the sentences they give it, cost least in all (dynamic programming
    over the anchors)."""
    options = [[0]] + choices + [[len(bounds)]]
    # best[k][split]: the least cost of the recordings before anchor k, that anchor at split, and
    # the previous anchor's split on that way.
    best: list[dict[int, tuple[float, int]]] = [{0: (0.0, -1)}]
    for index, (first, end) in enumerate(pieces):
        step: dict[int, tuple[float, int]] = {}
        for after in options[index + 1]:
            for before, (total, _) in best[-1].items():
                if before > after:
                    continue
                low, high = _columns(bounds, before, after)
                cost = total + _open_path(dtw.pool(real[first:end]), dtw.pool(fake[low:high]), left_out)[3]
                if after not in step or cost < step[after][0]:
                    step[after] = (cost, before)
        best.append(step)
    splits, at = [], len(bounds)
    for step in reversed(best[1:]):
        at = step[at][1]
        splits.append(at)
    return list(reversed(splits))[1:]


def _open_path(real: np.ndarray, fake: np.ndarray,
               left_out: _LeftOut) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """The banded path of some sentences through one recording, whose sound before and after them
    may be left out, and its whole cost (all left out, for no sentences; infinite for sentences on
    no sound)."""
    prices = left_out.prices(real)
    if not len(fake) or not len(real):
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), float(prices.sum()) if not len(fake) else np.inf
    radius = max(int(BAND_SHARE * max(len(real), len(fake))), MIN_RADIUS)
    lo, hi = dtw.diagonal_band(len(real), len(fake), radius)
    rows, cols, costs = dtw.dtw(real, fake, lo, hi, prices)
    return rows, cols, costs, float(costs.sum() + prices[: rows[0]].sum() + prices[rows[-1] + 1 :].sum())


def _joined_path(real: np.ndarray, fake: np.ndarray, pieces: list[tuple[int, int]], bounds: list[tuple[int, int]],
                 splits: list[int], left_out: tuple[_LeftOut, _LeftOut], margin: int = 15,
                 fine_radius: int = 100) -> Path:
    """Each recording aligned to its sentences: the open coarse path finds where they are, and a
    fine pass around it from the silence before the first sentence (a recording's lead-in, a
    breath, is matched there and not by the first sound) to the last one's end, left open (a weak
    last syllable in noise matches silence better than espeak-ng's shorter ending)."""
    edges = [0] + splits + [len(bounds)]
    matched: list[Path] = []
    for (first, end), before, after in zip(pieces, edges, edges[1:]):
        low, high = _columns(bounds, before, after)
        if high <= low:
            continue
        rows, _, _, _ = _open_path(dtw.pool(real[first:end]), dtw.pool(fake[low:high]), left_out[1])
        top = first + max(int(rows[0]) * dtw.POOL - margin, 0)
        bottom = min(first + (int(rows[-1]) + 1) * dtw.POOL + margin, end)
        low = (bounds[before - 1][1] + low) // 2 if before else 0
        X, Y = real[top:bottom], fake[low:high]
        lo, hi = dtw.diagonal_band(len(dtw.pool(X)), len(dtw.pool(Y)),
                                   max(int(BAND_SHARE * max(len(X), len(Y)) / dtw.POOL), MIN_RADIUS))
        rows, cols, _ = dtw.dtw(dtw.pool(X), dtw.pool(Y), lo, hi)
        lo, hi = dtw.band_from_path(rows, cols, len(X), len(Y), dtw.POOL, fine_radius)
        rows, cols, costs = dtw.dtw(X, Y, lo, hi, left_out[0].prices(X))
        matched.append((rows + top, cols + low, costs))
    return _filled(real, fake, matched)


def _filled(real: np.ndarray, fake: np.ndarray, matched: list[Path]) -> Path:
    """The recordings' paths joined into one over every row: the rows between two of them (an
    anchor, sound left out) spread over the synthetic frames strictly between, so that no sentence
    takes them."""
    parts: list[Path] = []
    at_row, at_col = 0, -1
    for rows, cols, costs in matched + [(np.array([len(real)]), np.array([len(fake)]), np.zeros(1))]:
        between = np.arange(at_row, rows[0])
        if len(between):
            low, high = min(at_col + 1, int(cols[0]) - 1), max(int(cols[0]) - 1, at_col + 1)
            spread = np.clip(np.round(np.linspace(low, high, len(between))), 0, len(fake) - 1).astype(np.int64)
            parts.append((between, spread, dtw.step_costs(real, fake, between, spread)))
        parts.append((rows, cols, costs))
        at_row, at_col = int(rows[-1]) + 1, int(cols[-1])
    rows, cols, costs = (np.concatenate([part[k] for part in parts])[:-1] for k in range(3))
    return rows, cols, costs
