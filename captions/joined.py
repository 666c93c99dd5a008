"""Alignment of a programme that joins recordings: anchored at every join, refined between them.

A programme joins recordings with room tone or a music bed between them (``pauses.recording_pieces``
finds the joins; the aligner hears them as the synthetic speech's own silence). The path through
the whole programme says which sentences each recording holds: the silence between two sentences
that it puts each join on. Each recording is then aligned again on its own, between its anchors,
with its own ends: its lead-in (a breath, its own room noise) is matched to the silence before
its first sentence, and its end is left open, so a weak last syllable in a noise bed is matched
to the sentence's end and not pulled into the silence after it. An error stops at the next join.

Measured on programmes of real recordings (shared/realspeech-dev, ``bench/programme.py``): ten
minutes of Swedish prompts (every prompt a recording between a second or more of quiet, its last
numbers weak) 80.7% -> 95.3% of boundaries within 100 ms, doubtful stretches 25 -> 8; an hour of
English 82.9% -> 83.6%, errors over 1 s not reported 3 -> 0; Japanese 97.0% -> 97.2%. Choosing
the sentences at each join anew, by matching the recordings on both sides (dynamic programming
over the joins), did worse on English (a noisy voice's last sentence matched the next clean
recording's start more cheaply than its own: 180 minutes 84.2% -> 83.0%).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import dtw
from .pauses import runs

# The coarse band of one recording, as a share of its length (at least MIN_RADIUS pooled frames):
# within a recording, speech is not read much faster or slower than espeak-ng speaks it.
BAND_SHARE, MIN_RADIUS = 0.3, 25

Path = tuple[np.ndarray, np.ndarray, np.ndarray]  # rows, cols, step costs


def align_joined(real: np.ndarray, fake: np.ndarray, bounds: list[tuple[int, int]], joins: np.ndarray,
                 radius: int) -> Path:
    """The path of ``real`` (a programme) against ``fake`` (its sentences' synthetic speech, each
    sentence at ``bounds``), anchored at the ``joins`` (frames between its recordings, and before
    and after them) and found recording by recording, each in a band around the whole
    programme's path (``radius`` frames for its coarse pass).

    Within a recording, sound before its first sentence or after its last may be left out at a
    price per frame halfway between a typical match and matching nothing (as much as matching
    nothing for speech), as for the whole programme's intro; a recording that holds none of the
    sentences (a jingle) is all left out.
    """
    rows, cols, costs = dtw.align_features(real, fake, radius)
    anchors = runs(joins)
    middles = [(first + end) / 2 for first, end in bounds]
    splits = [int(np.searchsorted(middles, cols[min(int(np.searchsorted(rows, (first + end) / 2)), len(cols) - 1)]))
              for first, end in anchors]
    weight = float(real[:, -1].max()) or 1.0
    coarse = dtw.pool(real), dtw.pool(fake)
    left_out = (_LeftOut(float(np.median(costs)), dtw.unrelated_cost(real, fake), weight),
                _LeftOut(float(np.median(dtw.step_costs(*coarse, rows // dtw.POOL, cols // dtw.POOL))),
                         dtw.unrelated_cost(*coarse), weight))  # pooled frames match more closely
    return _joined_path(real, fake, _pieces(anchors, len(real)), bounds, splits, left_out)


@dataclass(frozen=True)
class _LeftOut:
    """What leaving a frame of the recording out costs: halfway between a typical match and
    matching nothing for sound that is not speech (room tone, a recording's own lead-in), as much
    as matching nothing for speech."""

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


def _band(real: np.ndarray, fake: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The coarse band of one recording against its sentences (pooled frames)."""
    return dtw.diagonal_band(len(real), len(fake), max(int(BAND_SHARE * max(len(real), len(fake))), MIN_RADIUS))


def _open_rows(real: np.ndarray, fake: np.ndarray, left_out: _LeftOut) -> tuple[int, int]:
    """The first and last row of the banded path of some sentences through one recording, whose
    sound before and after them may be left out."""
    rows = dtw.dtw(real, fake, *_band(real, fake), left_out.prices(real))[0]
    return int(rows[0]), int(rows[-1])


def _joined_path(real: np.ndarray, fake: np.ndarray, pieces: list[tuple[int, int]], bounds: list[tuple[int, int]],
                 splits: list[int], left_out: tuple[_LeftOut, _LeftOut], margin: int = 15,
                 fine_radius: int = 100) -> Path:
    """Each recording aligned to its sentences (those from its anchor's ``splits`` to the next's):
    the open coarse path finds where they are, and a fine pass around it runs from the silence
    before the first sentence to the last one's end, left open."""
    edges = [0] + splits + [len(bounds)]
    matched: list[Path] = []
    for (first, end), before, after in zip(pieces, edges, edges[1:]):
        low, high = _columns(bounds, before, after)
        if high <= low or end <= first:
            continue
        begins, ends = _open_rows(dtw.pool(real[first:end]), dtw.pool(fake[low:high]), left_out[1])
        top = first + max(begins * dtw.POOL - margin, 0)
        bottom = min(first + (ends + 1) * dtw.POOL + margin, end)
        low = (bounds[before - 1][1] + low) // 2 if before else 0
        X, Y = real[top:bottom], fake[low:high]
        pooled_x, pooled_y = dtw.pool(X), dtw.pool(Y)
        rows, cols, _ = dtw.dtw(pooled_x, pooled_y, *_band(pooled_x, pooled_y))
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
