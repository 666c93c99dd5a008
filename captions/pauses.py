"""Pauses in real speech from short-time band levels: where a sentence boundary should sit.

DTW places a boundary where the synthetic and real sounds stop matching, which on human speech can
be 100-300 ms into the pause or short of it. A pause is measured here on the recording itself:
the level of two bands (80-4000 Hz for voicing, 2-8 kHz for fricatives) in 25 ms windows every
10 ms, each scaled between the file's quiet (5th percentile) and loud speech (95th); quiet is
under QUIET, and a pause's edges are moved in to where the level falls under EDGE, so a word's
weak tail or onset stays with the word.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Any

import numpy as np

from .audio import as_float

HOP, WINDOW = 0.010, 0.025
QUIET, EDGE = 0.45, 0.3
SHORTEST_PAUSE = 0.03  # seconds of quiet that count as a pause between sentences
# A sound between two quiet stretches that is mostly unvoiced and softer than speech is a breath
# (a fricative such as a final "s" is unvoiced too, but as loud as speech).
BREATH_VOICING, BREATH_LEVEL = 0.3, 0.8
DEEP = 0.08  # a snap shortens a sentence only where DTW put the boundary this far into a pause
CLICK = 0.03  # louder bursts shorter than this inside a pause (clicks, lip noise) do not split it


def band_energies(rate: int) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """The energy (dB) of a block of WINDOW frames in the three bands the levels use: 80-4000 Hz,
    2-8 kHz and the voicing band, 80-1000 Hz."""
    window = int(WINDOW * rate)
    size = 1 << (window - 1).bit_length()
    freqs = np.fft.rfftfreq(size, 1 / rate)
    bands = np.stack([(freqs >= 80) & (freqs <= 4000), (freqs >= 2000) & (freqs <= 8000),
                      (freqs >= 80) & (freqs <= 1000)], axis=1).astype(np.float64)  # bins summed by one product
    hann = np.hanning(window)

    def measure(samples: np.ndarray, starts: np.ndarray) -> np.ndarray:
        power = np.abs(np.fft.rfft(as_float(samples)[starts[:, None] + np.arange(window)] * hann, size, axis=1)) ** 2
        energy: np.ndarray = 10 * np.log10(power @ bands + 1e-12)
        return energy

    return measure


# Music beds and hums are not speech, however loud. Speech always has sound over 2 kHz (formants,
# fricatives): on a 60-minute programme of real recordings, 2-8 kHz against 80-1000 Hz averaged over
# half a second was -30.5 dB at the lowest in speech (-11 dB median), -2 dB in room tone, and -57 to
# -49 dB in the music beds between recordings, which energy alone took for speech.
TONAL, TONAL_SPAN = -40.0, 0.5


def tonal(energy: np.ndarray) -> np.ndarray:
    """Frames (from :func:`band_energies`) within half a second of almost nothing over 2 kHz: a
    music bed's chords, a hum; never speech.

    >>> dull = np.vstack([np.zeros(200), np.r_[np.full(100, -60.0), np.full(100, -10.0)], np.zeros(200)])
    >>> found = tonal(dull); bool(found[:70].all()), bool(found[130:].any())
    (True, False)
    """
    span = max(round(TONAL_SPAN / HOP), 1)
    kernel = np.ones(span)
    tilt = np.convolve(energy[1] - energy[2], kernel, "same") / np.convolve(np.ones(energy.shape[1]), kernel, "same")
    dull: np.ndarray = tilt < TONAL
    return dull


# A programme joins recordings, each with its own level and noise bed, between room tone or music
# quieter than any of them. Scaled between the whole programme's quiet (the room tone) and loud, a
# recording's own pauses, filled by its noise bed, were not quiet: a 10-minute programme of one
# Spanish reading found none of them and had 48% of its boundaries within 100 ms. So each stretch
# between LONG_QUIET seconds of quiet or tonal sound (the joins) whose quiet is OWN_BED dB over the
# whole's, and which spans OWN_RANGE dB (pauses of its own, not one sentence alone), is scaled on
# its own: that programme 99.6%, an hour of English recordings 77% -> 80%, single clips unchanged.
LONG_QUIET, SHORTEST_PIECE = 1.0, 2.0  # seconds
OWN_RANGE, OWN_BED = 15.0, 10.0  # dB


def _scaled(energy: np.ndarray) -> np.ndarray:
    floor = np.percentile(energy, 5, axis=1)[:, None]
    top = np.percentile(energy, 95, axis=1)[:, None]
    scaled: np.ndarray = (energy - floor) / np.maximum(top - floor, 1e-6)
    return scaled


def recording_pieces(scaled: np.ndarray, dull: np.ndarray) -> list[tuple[int, int]]:
    """HOP frame ranges between the long quiet (``scaled`` levels) or tonal (``dull``) stretches,
    room tone and music beds, that part one recording of a programme from the next.

    >>> bed = np.r_[np.full(300, 40.0), np.full(150, 0.0), np.full(300, 40.0)]
    >>> energy = np.vstack([bed, bed - 10, bed])
    >>> recording_pieces(_scaled(energy), tonal(energy))
    [(0, 300), (450, 750)]
    """
    quiet = (scaled[:2].max(0) < QUIET) | dull
    edges = [0]
    for start, end in runs(quiet):
        if (end - start) * HOP >= LONG_QUIET:
            edges += [start, end]
    edges.append(scaled.shape[1])
    return [(first, last) for first, last in zip(edges[::2], edges[1::2]) if (last - first) * HOP >= SHORTEST_PIECE]


def own_scale(floor: Any, top: Any, quietest: Any) -> Any:
    """Whether a recording (its quiet ``floor`` and loud ``top``) is scaled on its own: it has a
    noise bed over the whole programme's ``quietest``, and pauses of its own."""
    return (floor - quietest >= OWN_BED) & (top - floor >= OWN_RANGE)


def levels(energy: np.ndarray) -> np.ndarray:
    """The scaled level (0 quiet .. 1 loud speech) of every HOP frame from its band energies, as
    rows: the louder of the two bands, and the voicing band alone."""
    return heard_levels(energy)[0]


def heard_levels(energy: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]:
    """:func:`levels`, with the tonal frames and the recordings' pieces it found on the way (the
    aligner's speech channel uses both). Each recording of a programme is scaled between its own
    quiet and loud; tonal sound is quiet."""
    scaled, dull = _scaled(energy), tonal(energy)
    pieces = recording_pieces(scaled, dull)
    quietest = np.percentile(energy, 5, axis=1)
    for first, last in pieces:
        part = energy[:, first:last]
        floor, top = np.percentile(part, 5, axis=1), np.percentile(part, 95, axis=1)
        own = own_scale(floor, top, quietest)
        scaled[own, first:last] = (part[own] - floor[own, None]) / (top - floor)[own, None]
    scaled[:, dull] = 0.0
    return np.vstack([scaled[:2].max(0), scaled[2]]), dull, pieces


def find_pauses(bands: np.ndarray) -> list[tuple[float, float]]:
    """(start, end) seconds of every pause, its edges at the last and first weak speech sound.

    Sound between two quiet stretches that is either a click (shorter than CLICK) or a breath
    (soft hiss, little in the voicing band) belongs to the pause around it.
    """
    level, voicing = bands
    quiet = level < QUIET
    for start, end in runs(~quiet):
        inside = start > 0 and end < len(level)
        breath = np.median(voicing[start:end]) < BREATH_VOICING and level[start:end].max() < BREATH_LEVEL
        if inside and ((end - start) * HOP < CLICK or breath):
            quiet[start:end] = True
    found = []
    for start, end in runs(quiet):
        below = np.flatnonzero(level[start:end] < EDGE)
        if len(below) and (below[-1] - below[0] + 1) * HOP >= SHORTEST_PAUSE:
            # Speech ends within the hop before the first quiet window, and starts within the hop
            # after the last quiet window ends: the middle of those hops.
            found.append(((start + below[0]) * HOP - HOP / 2, (start + below[-1]) * HOP + WINDOW + HOP / 2))
    return found


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, end) of every run of True.

    >>> runs(np.array([0, 1, 1, 0, 1], bool))
    [(1, 3), (4, 5)]
    """
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()))


def snap(boundaries: list[tuple[float, float]], pauses: list[tuple[float, float]], reach: float,
         duration: float = float("inf")) -> list[tuple[float, float]]:
    """Sentence (start, end) pairs moved onto the nearest pause edge within ``reach`` seconds.

    An end moves to the start of a pause, a start to the end of one; a pause between two sentences
    is given to both. Order is kept: no sentence starts before the previous one ends.

    >>> snap([(0.8, 2.1), (2.3, 4.0)], [(0.0, 1.0), (2.0, 2.4)], 0.3)
    [(1.0, 2.0), (2.4, 4.0)]
    """
    boundaries = [(min(start, duration), min(end, duration)) for start, end in boundaries]  # DTW can overshoot
    starts = np.array([end for _, end in pauses])
    ends = np.array([start for start, _ in pauses] + ([duration] if np.isfinite(duration) else []))  # speech cut off
    moved = []
    for start, end in boundaries:
        inside_start, inside_end = _inside(start, pauses), _inside(end, pauses)
        new_start = inside_start[1] if inside_start else _nearest(start, starts, reach)
        new_end = inside_end[0] if inside_end else _nearest(end, ends, reach)
        # Cutting into the sentence needs the DTW boundary deep in the pause: near its edge, a weak
        # final or first sound under noise looks like pause, and DTW heard it.
        if new_end < end and (not inside_end or inside_end[0] > end - DEEP):
            new_end = end
        if new_start > start and (not inside_start or inside_start[1] < start + DEEP):
            new_start = start
        if new_end <= new_start:  # the whole sentence in a pause: DTW is wrong here, not the pause
            new_start, new_end = start, end
        moved.append((new_start, new_end))
    for index in range(1, len(moved)):
        (first, end), (start, next_end) = moved[index - 1], moved[index]
        # DTW can run a sentence over a whole pause that the next one starts right after: that pause
        # is the boundary.
        swallowed = [pause for pause in overlapping(pauses, end - reach, end + HOP)
                     if end - reach <= pause[0] and pause[1] <= end + HOP and abs(start - pause[1]) <= 2 * HOP]
        if swallowed:
            end, start = swallowed[-1][0], max(start, swallowed[-1][1])
        elif start < end:
            start = boundaries[index][0] if boundaries[index][0] >= end else end
        elif not overlapping(pauses, end, start):
            # No pause between one sentence's end and the next's start: the sound between them is the
            # first sentence's last syllable, which people draw out more than espeak-ng does.
            end = start
        moved[index - 1], moved[index] = (first, end), (start, next_end)
    return [(start, max(end, start + HOP)) for start, end in moved]


def overlapping(pauses: list[tuple[float, float]], low: float, high: float) -> list[tuple[float, float]]:
    """The pauses (sorted, apart) that overlap the open interval (low, high), found by bisection.

    >>> overlapping([(0.0, 1.0), (2.0, 2.4), (3.0, 3.5)], 0.5, 2.1)
    [(0.0, 1.0), (2.0, 2.4)]
    """
    found = []
    for pause in pauses[bisect.bisect_right(pauses, low, key=lambda pause: pause[1]) :]:
        if pause[0] >= high:
            break
        found.append(pause)
    return found


def quiet_share(start: float, end: float, pauses: list[tuple[float, float]]) -> float:
    """How much of a span the pauses cover (a sentence DTW put on silence)."""
    covered = sum(min(end, last) - max(start, first) for first, last in overlapping(pauses, start, end))
    return covered / max(end - start, HOP)


def _inside(time: float, pauses: list[tuple[float, float]]) -> tuple[float, float] | None:
    """The pause a time falls in: a boundary in a pause belongs at its edge, however far."""
    index = bisect.bisect_right(pauses, (time, float("inf"))) - 1
    return pauses[index] if index >= 0 and pauses[index][0] <= time <= pauses[index][1] else None


def _nearest(time: float, edges: np.ndarray, reach: float) -> float:
    if not len(edges):
        return time
    index = int(np.argmin(np.abs(edges - time)))
    return float(edges[index]) if abs(edges[index] - time) <= reach else time

