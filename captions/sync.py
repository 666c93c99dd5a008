"""Sync a caption file to media by listening: the media's speech against the cues' on and off,
never the cues' words, so a file in any language syncs to speech in any other.

The change found is the one a new cut of a programme makes: every time scaled by a ratio (a
frame-rate change: captions made for a 25 fps master played at 23.976), then moved by an offset,
one per piece of the programme where scenes were cut or added. The offset is the peak of the
correlation of speech and cues over the whole file (as ffsubsync finds it); the ratio is the
standard one, or one fitted, whose peak is highest; the pieces come from a dynamic programme over
the cues (as alass finds them), where a new offset costs SPLIT, cues stay in order and a cue may
be left out, as the cues of a cut scene must be.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from .pauses import HOP as STEP
from .pauses import QUIET, heard_levels, runs
from .timecode import clock

WORD_GAP = 0.3  # seconds of quiet inside speech that still count as speech: the gaps between words
FRAME_RATES = (Fraction(24000, 1001), Fraction(24), Fraction(25), Fraction(30000, 1001), Fraction(30))
# Every speed change between two standard rates (1 first, the rest by size): 25 fps captions on a
# 23.976 master are 25/23.976 times slower.
RATIOS = tuple(sorted({a / b for a in FRAME_RATES for b in FRAME_RATES}, key=lambda ratio: (ratio != 1, ratio)))
FITTED_SPAN = 0.003  # a fitted drift is looked for within 0.3% of the best standard ratio
COARSE, COARSE_DRIFT = 10, 25  # a fitted drift is first looked for in speech heard at 100 ms, 25 frames apart
FITTED_GAIN = 0.01  # and tried when its peak is 1% over the standard one's (a standard ratio is exact)
CLOSE, CANDIDATES = 0.05, 3  # ratios whose peak is this near the best are tried whole, up to three
GRID = 10  # STEP frames between the offsets tried for each cue (100 ms); each piece is refined after
REACH = 180.0  # seconds a piece may move from the whole file's offset: a scene cut or added
SPLIT = 300.0  # what a new offset costs, in STEP frames of speech explained
# What leaving a cue out costs a frame, in frames on speech: far less than a frame on quiet, for a
# cut scene's cues must go. A cue left out where it fits between its neighbours is put back.
LEAVE_OUT = 2.0
BACK = 60  # cues that may be left out in a row (a cut scene's)
# How far the change found must stand over the same cues moved anywhere else (standard deviations),
# less PIECE_DOUBT for every piece after the first (pieces fitted to noise stand higher). On 10-minute
# programmes and a 2.6-minute one: own media 7.0 to 19.1 (cut or not), others' media 2.1 to 5.6.
SURE_STANDING, PIECE_DOUBT = 6.3, 0.5


@dataclass(frozen=True)
class Piece:
    """A run of cues that one offset moves: ``first`` and ``last`` cue indexes (inclusive)."""

    first: int
    last: int
    offset: float  # seconds added after scaling


@dataclass
class Transform:
    """The change found: ``media time = ratio * caption time + offset`` of the cue's piece."""

    ratio: Fraction
    fitted: bool  # the ratio is a fitted drift, not a standard speed change
    pieces: list[Piece]
    left_out: list[int] = field(default_factory=list)  # cue indexes with no place in the media (a cut scene)
    peak: float = 0.0  # how far the whole file's best offset stands over the others (standard deviations)
    standing: float = 0.0  # how far the change found stands over the same cues moved anywhere else

    def offsets(self, count: int) -> list[float | None]:
        """Each cue's offset, None for a cue left out."""
        found: list[float | None] = [None] * count
        for piece in self.pieces:
            for index in range(piece.first, piece.last + 1):
                found[index] = piece.offset
        return found

    def sure(self) -> bool:
        return self.standing - PIECE_DOUBT * (len(self.pieces) - 1) >= SURE_STANDING

    def as_dict(self, spans: list[tuple[float, float]]) -> dict[str, Any]:
        """The change as a report shows it: ratio, offsets with the caption time each piece starts at."""
        return {"ratio": float(self.ratio), "ratio_exact": str(self.ratio), "fitted": self.fitted,
                "offset": self.pieces[0].offset if self.pieces else 0.0,
                "pieces": [{"from_cue": piece.first + 1, "to_cue": piece.last + 1, "at": round(spans[piece.first][0], 3),
                            "offset": round(piece.offset, 3)} for piece in self.pieces],
                "left_out": [index + 1 for index in self.left_out], "peak": round(self.peak, 1),
                "confidence": round(self.standing, 1)}


def speech_activity(bands: np.ndarray) -> np.ndarray:
    """Speech in every STEP frame, from the pause levels' band energies: loud enough and not tonal
    (a music bed is not speech), the short gaps between words filled."""
    level = heard_levels(bands)[0][0]
    speech: np.ndarray = level >= QUIET
    for start, end in runs(~speech):
        if start > 0 and end < len(speech) and (end - start) * STEP < WORD_GAP:
            speech[start:end] = True
    return speech


def cue_activity(spans: np.ndarray, length: int) -> np.ndarray:
    """Cues on screen in every STEP frame of ``length`` (spans in frames, clipped to it)."""
    edges = np.zeros(length + 1, np.int64)
    starts, ends = np.clip(spans[:, 0], 0, length), np.clip(spans[:, 1], 0, length)
    np.add.at(edges, starts, 1)
    np.add.at(edges, ends, -1)
    shown: np.ndarray = np.cumsum(edges[:-1]) > 0
    return shown


class Heard:
    """The media's speech as the correlation uses it: less its mean, its spectrum kept for each
    size asked (every ratio tried correlates with the same speech)."""

    def __init__(self, speech: np.ndarray, factor: int = 1) -> None:
        frames = len(speech) // factor * factor
        level = speech[:frames].reshape(-1, factor).mean(1) if factor > 1 else speech.astype(float)
        self.factor, self.length = factor, len(level)
        self.centred = level - level.mean()
        self.spectra: dict[int, np.ndarray] = {}

    def spectrum(self, size: int) -> np.ndarray:
        if size not in self.spectra:
            self.spectra[size] = np.fft.rfft(self.centred, size)
        return self.spectra[size]


def correlation(heard: Heard, shown: np.ndarray) -> tuple[np.ndarray, int]:
    """How well each offset puts the cues on speech and their gaps on quiet (each signal less its
    mean, so that the rarer of on and off weighs more; off the media is neither),
    for every offset from ``-len(shown)`` to ``len(speech)`` frames; and the first offset's value.

    >>> speech = np.r_[np.zeros(50), np.ones(30), np.zeros(40)].astype(bool)
    >>> values, first = correlation(Heard(speech), np.r_[np.ones(30), np.zeros(20)].astype(bool))
    >>> int(np.argmax(values)) + first
    50
    """
    size = 1 << (heard.length + len(shown)).bit_length()
    seen = shown - shown.mean()
    values = np.fft.irfft(heard.spectrum(size) * np.conj(np.fft.rfft(seen, size)), size)
    # offsets 0 .. len(speech)-1 come first, the negative ones wrap round to the end
    ordered = np.concatenate([values[size - len(shown) + 1 :], values[: heard.length]])
    return ordered, -len(shown) + 1


def _peak(heard: Heard, spans: np.ndarray, ratio: float) -> tuple[float, int, float]:
    """The best correlation of cues (seconds, scaled by ``ratio``) with the speech heard, its offset
    (frames of the heard), and how many standard deviations it stands over the others."""
    scaled = np.round(spans * ratio / (STEP * heard.factor)).astype(np.int64)
    shown = cue_activity(scaled - scaled[0, 0], int(scaled[-1, 1] - scaled[0, 0]) + 1)
    values, first = correlation(heard, shown)
    best = int(np.argmax(values))
    spread = float(values.std()) or 1.0
    return float(values[best]), best + first - int(scaled[0, 0]), (float(values[best]) - float(values.mean())) / spread


def _scaled(spans: np.ndarray, ratio: float) -> np.ndarray:
    return np.round(spans * ratio / STEP).astype(np.int64)


def candidate_ratios(heard: Heard, speech: np.ndarray, spans: np.ndarray) -> list[tuple[Fraction, bool, int, float]]:
    """The speed changes whose best offset explains the speech nearly best (within CLOSE), best
    first: standard ones, and a drift fitted near the best of them; each with its offset (frames),
    whether it is fitted, and how far its peak stands over the other offsets. A cut scene makes a
    ratio near 1 (23.976 against 24) look better than 1: the pieces decide between them, and 1
    (no speed change) is always among them."""
    tried = {ratio: _peak(heard, spans, float(ratio)) for ratio in RATIOS}
    standard = max(tried, key=lambda found: tried[found][0])
    drift = STEP / (float(spans[-1, 1] - spans[0, 0]) or 1.0)  # the ratio change that drifts a frame over the file
    # Coarse to fine: the whole span heard at a tenth of the rate, then 5 frames of drift, then 1.
    ratio = _best_ratio(Heard(speech, COARSE), spans, float(standard), FITTED_SPAN, COARSE_DRIFT * drift)
    ratio = _best_ratio(heard, spans, ratio, COARSE_DRIFT * drift, 5 * drift)
    ratio = _best_ratio(heard, spans, ratio, 5 * drift, drift)
    found = _peak(heard, spans, ratio)
    candidates = [(value, ratio, False, offset, standing) for ratio, (value, offset, standing) in tried.items()]
    if found[0] > tried[standard][0] * (1 + FITTED_GAIN):
        candidates.append((found[0], Fraction(ratio).limit_denominator(10_000_000), True, found[1], found[2]))
    candidates.sort(key=lambda candidate: -candidate[0])
    close = [candidate[1:] for candidate in candidates[:CANDIDATES] if candidate[0] >= candidates[0][0] * (1 - CLOSE)]
    return close + [(ratio, False, offset, standing) for ratio, (_, offset, standing) in tried.items()
                    if ratio == 1 and all(found[0] != 1 for found in close)]  # no speed change: always tried


def _best_ratio(heard: Heard, spans: np.ndarray, around: float, reach: float, step: float) -> float:
    """The ratio within ``reach`` (relative) of ``around``, by ``step``, whose peak is highest."""
    ratios = around * (1 + np.arange(-reach, reach + step / 2, step))
    return float(max(ratios, key=lambda ratio: _peak(heard, spans, float(ratio))[0]))


def cue_scores(speech: np.ndarray, spans: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """For each cue (frames) at each offset (frames): its frames on speech less those on quiet,
    each weighed by how rare it is (off the media counts as quiet)."""
    pad = int(np.abs(offsets).max()) + int(np.abs(spans).max()) + 1
    share = float(speech.mean())
    heard = np.concatenate([np.full(pad, -share), speech - share, np.full(pad, -share)])
    total = np.concatenate([[0.0], np.cumsum(heard)])
    starts = spans[:, :1] + offsets[None, :] + pad
    ends = spans[:, 1:] + offsets[None, :] + pad
    scores: np.ndarray = total[ends] - total[starts]
    return scores


def pieces(scores: np.ndarray, spans: np.ndarray, offsets: np.ndarray, leave_out: float) -> tuple[list[int | None], float]:
    """The offset index of every cue (None: left out) that explains the speech best, a new offset
    costing SPLIT, cues kept in order (a cue never starts before the last one kept has ended,
    unless they overlapped to begin with), and at most BACK cues left out in a row, each costing
    ``leave_out`` a frame."""
    count, size = scores.shape
    lengths = (spans[:, 1] - spans[:, 0]).astype(float)
    left = np.concatenate([[0.0], np.cumsum(leave_out * lengths)])  # leaving out cues j..i-1: left[i] - left[j]
    best = np.empty((count, size))
    highest = np.empty((count, size))  # best[j] up to each offset: the offsets an earlier cue may have had
    where = np.empty((count, size), np.int64)
    came_cue = np.empty((count, size), np.int64)
    came_offset = np.empty((count, size), np.int64)
    every = np.arange(size)
    step = int(offsets[1] - offsets[0]) if size > 1 else 1
    for index in range(count):
        value = np.full(size, -left[index])  # every cue before it left out
        cue, offset = np.full(size, -1), every.copy()
        first = max(0, index - BACK)
        if index > first:  # the cue kept before it: one of the BACK before, the ones between left out
            earlier = np.arange(first, index)
            room = np.maximum(0, spans[index, 0] - spans[earlier, 1]) // step  # how much earlier each may move
            reach = np.minimum(every[None, :] + room[:, None], size - 1)
            moved = np.take_along_axis(highest[first:index], reach, 1) - SPLIT
            stay = best[first:index] >= moved
            candidates = np.where(stay, best[first:index], moved) - (left[index] - left[earlier + 1])[:, None]
            pick = np.argmax(candidates, 0)
            top = candidates[pick, every]
            better = top > value
            value = np.where(better, top, value)
            cue = np.where(better, earlier[pick], cue)
            came = np.where(stay[pick, every], every, np.take_along_axis(where[first:index], reach, 1)[pick, every])
            offset = np.where(better, came, offset)
        best[index] = value + scores[index]
        came_cue[index], came_offset[index] = cue, offset
        highest[index] = np.maximum.accumulate(best[index])
        where[index] = np.maximum.accumulate(np.where(best[index] == highest[index], every, 0))
    ends = best - (left[count] - left[1:])[:, None]
    last, at = (int(found) for found in np.unravel_index(int(np.argmax(ends)), ends.shape))
    total = float(ends[last, at])
    chosen: list[int | None] = [None] * count
    while last >= 0:
        chosen[last] = at
        last, at = int(came_cue[last, at]), int(came_offset[last, at])
    return chosen, total


def restored(chosen: list[int | None], spans: np.ndarray, offsets: np.ndarray) -> list[int | None]:
    """The cues left out put back with a neighbour's offset where they fit between the cues kept
    around them (in order, overlapping no more than they did): left out only to make room
    are a cut scene's; others scored too little on speech (a caption over music, a long pause).

    >>> restored([0, None, 0], np.array([[0, 10], [12, 20], [22, 30]]), np.array([5]))
    [0, 0, 0]
    >>> restored([0, None, 1], np.array([[0, 10], [12, 20], [22, 30]]), np.array([5, -3]))
    [0, None, 1]
    """
    chosen = list(chosen)
    for index, at in enumerate(chosen):
        if at is not None:
            continue
        before = next((earlier for earlier in range(index - 1, -1, -1) if chosen[earlier] is not None), None)
        after = next((later for later in range(index + 1, len(chosen)) if chosen[later] is not None), None)
        for near in (before, after):
            if near is None:
                continue
            offset = offsets[chosen[near]]
            fits_before = before is None or spans[index, 0] + offset >= spans[before, 1] + offsets[chosen[before]] - \
                max(0, spans[before, 1] - spans[index, 0])
            fits_after = after is None or spans[index, 1] + offset <= spans[after, 0] + offsets[chosen[after]] + \
                max(0, spans[index, 1] - spans[after, 0])
            if fits_before and fits_after:
                chosen[index] = chosen[near]
                break
    return chosen


def refined(speech: np.ndarray, spans: np.ndarray, offset: int) -> int:
    """The offset (frames) within a GRID of ``offset`` that puts these cues best on speech."""
    near = np.arange(offset - GRID, offset + GRID + 1)
    totals = cue_scores(speech, spans, near).sum(0)
    return int(near[int(np.argmax(totals))])


def find_transform(speech: np.ndarray, times: list[tuple[float, float]]) -> Transform:
    """The change that puts cues (caption seconds) on the media's speech (STEP frames)."""
    spans = np.array(times, dtype=float)
    heard = Heard(speech)
    found = [_transform(heard, speech, spans, *candidate) for candidate in candidate_ratios(heard, speech, spans)]
    return max(found, key=lambda pair: pair[0])[1]


def _transform(heard: Heard, speech: np.ndarray, spans: np.ndarray, ratio: Fraction, fitted: bool, whole: int,
               peak: float) -> tuple[float, Transform]:
    """The pieces of one speed change, and how well they explain the speech."""
    scaled = _scaled(spans, float(ratio))
    offsets = whole + np.arange(-round(REACH / STEP), round(REACH / STEP) + 1, GRID)
    share = float(speech.mean())
    chosen, total = pieces(cue_scores(speech, scaled, offsets), scaled, offsets, LEAVE_OUT * (1 - share))
    chosen = restored(chosen, scaled, offsets)
    found: list[Piece] = []
    left_out = [index for index, at in enumerate(chosen) if at is None]
    kept = [index for index, at in enumerate(chosen) if at is not None]
    start = 0
    while start < len(kept):
        end = start
        while end + 1 < len(kept) and chosen[kept[end + 1]] == chosen[kept[start]]:
            end += 1
        run = kept[start : end + 1]
        offset = refined(speech, scaled[run], int(offsets[chosen[kept[start]]]))
        found.append(Piece(kept[start], kept[end], offset * STEP))
        start = end + 1
    transform = Transform(ratio, fitted, found, left_out, peak)
    transform.standing = _standing(heard, scaled, transform)
    return total, transform


def _standing(heard: Heard, scaled: np.ndarray, transform: Transform) -> float:
    """How far the cues, as the change found moves them, stand over the same cues moved by any
    other offset (standard deviations of the correlation): a cut scene's pieces back in place."""
    moved = [scaled[index] + round(offset / STEP) for index, offset in enumerate(transform.offsets(len(scaled)))
             if offset is not None]
    shown = cue_activity(np.array(moved), heard.length)
    values, first = correlation(heard, shown)
    return (float(values[-first]) - float(values.mean())) / (float(values.std()) or 1.0)


@dataclass
class Synced:
    """What came of syncing one file: where it goes, the change found, what it left out, and the
    file's bytes, not yet written."""

    source: Path
    target: Path
    lang: str
    cues: int
    transform: dict[str, Any]
    notes: list[str]
    issues: list[Any]
    data: bytes
    track: Any = None  # the synced Track, for a review page

    def review(self, media: str, profile: str, folder: Path) -> tuple[Path, bytes]:
        """The review page of the synced file with the media, the change found at its head."""
        from .naming import review_path
        from .review import review_media, review_page

        page = review_path(self.target, folder)
        address, waveform = review_media(media, folder)
        lines = [f"{self.source.name} -> {self.target.name}: {describe(self.transform)}"]
        lines += [f"piece from cue {piece['from_cue']} ({clock(piece['at'])}): offset {piece['offset']:+.3f} s"
                  for piece in self.transform["pieces"] if len(self.transform["pieces"]) > 1]
        lines += [note for note in self.notes if "left out" in note]
        return page, review_page(self.target.name.split(".")[0], profile, [self.track], address, waveform, lines)


def sync_file(source: str | Path, media: str, out_dir: str | None, lang: str | None, profile_name: str,
              fps: str | None, encoding: str | None, in_place: bool = False, review: bool = False) -> Synced:
    """:func:`synced`, written (``in_place``: over the file, its old bytes kept as ``FILE.bak``;
    ``review``: with its review page, ``NAME.review.html``)."""
    from .jobs import Made, run

    def make() -> Made[Synced]:
        done = synced(source, media, out_dir, lang, profile_name, fps, encoding, in_place)
        outputs = {done.target: done.data}
        if review:
            page, outputs[page] = done.review(media, profile_name, done.target.parent)
        return Made(outputs, done)

    return run([], (source, media), make, in_place=Path(source) if in_place else None).report


def synced(source: str | Path, media: str, out_dir: str | None, lang: str | None, profile_name: str,
           fps: str | None, encoding: str | None, in_place: bool = False) -> Synced:
    """One caption file (any format the registry reads and writes) synced to the media's speech, in
    its own format, as ``NAME.synced.EXT``; refused (MediaError) when no change puts its cues on
    speech: a file for other media."""
    from . import qc
    from .errors import InputError, MediaError, naming_media
    from .formats import REGISTRY, own_rate, read_track
    from .jobs import guard
    from .languages import normalise_lang, own_language
    from .listening import listen
    from .naming import aligned_path, writable_format
    from .profiles import file_context
    from .retime import moved_track, nearest_frame

    source = Path(source)
    fmt = writable_format(source, encoding)
    target = source if in_place else aligned_path(source, out_dir, fmt, "synced")
    guard([target], source, media, in_place=target if in_place else None)
    own = None if fps else own_rate(source, fmt)
    probe = read_track(source, "en", 25.0, encoding)  # times only: the rate read at is the file's own below
    if not probe.cues:
        raise InputError("no cues to sync", str(source))
    lang = normalise_lang(lang or own_language(source.name, " ".join(cue.text for cue in probe.cues[:300])) or "en")
    language = file_context(profile_name, lang, fps, own)
    rate = language.fps
    track = read_track(source, lang, float(rate), encoding)
    with naming_media(media):
        speech = speech_activity(listen(media, voices=False).bands)
    times = [(float(cue.start), float(cue.end)) for cue in track.cues]
    transform = find_transform(speech, times)
    if not transform.sure():
        raise MediaError(f"its cues fit no stretch of the media's speech (the best change found stands "
                         f"{transform.standing:.1f} sd over chance in {len(transform.pieces)} piece(s)): captions for "
                         "other media? nothing written", str(source))
    notes: list[str] = []
    kept: list[Any] = []
    mapped: list[tuple[int, int]] = []
    left_out: list[int] = []
    beside_cuts: dict[int, str] = {}  # kept cue number -> which side of a cut scene it is on
    in_cut = False
    length = len(speech) * STEP
    for index, (cue, offset) in enumerate(zip(track.cues, transform.offsets(len(track.cues)))):
        # whole frames, so that a piece's cues keep their lengths and gaps in frames
        shift = Fraction(nearest_frame(Fraction(offset) * rate)) / rate if offset is not None else Fraction(0)
        start = transform.ratio * cue.start + shift
        if offset is None or not 0 <= start < length:
            why = "in a part the media does not have (a cut scene)" if offset is None else \
                "before the media starts" if start < 0 else "after the media ends"
            notes.append(f"cue {index + 1} ({clock(float(cue.start))}, {cue.lines[0][:30]!r}) left out: {why}")
            if offset is None and kept and not in_cut:  # the first of a cut scene's cues
                beside_cuts[len(kept)] = "out-time may run over the cut: a cut scene's cues follow, left out"
            in_cut = offset is None
            left_out.append(index + 1)
            continue
        if in_cut:
            beside_cuts[len(kept) + 1] = "in-time may be inside the cut: a cut scene's cues come before it, left out"
        in_cut = False
        kept.append(cue)
        mapped.append((nearest_frame(start * rate), nearest_frame((transform.ratio * cue.end + shift) * rate)))
    if not kept:
        raise MediaError("no cue falls inside the media: nothing written", str(source))
    track_synced, ruled = moved_track(replace(track, cues=kept), mapped, language, 0)
    data = REGISTRY[fmt].render(track_synced, language)
    report = transform.as_dict(times)
    report["left_out"] = left_out
    # The cues either side of a cut scene may run over the cut: marked, for someone to look at them.
    marked = [qc.Issue(number, "sync-cut", "", "", qc.WARNING, f"its {what}") for number, what in beside_cuts.items()]
    issues = sorted(qc.check(track_synced.cues, language) + marked,
                    key=lambda issue: issue.cue)
    done = Synced(source, target, lang, len(kept), report, notes + ruled, issues, data, track_synced)
    done.track.issues = done.issues
    return done


def describe(transform: dict[str, Any]) -> str:
    """The change found, in one line: ``ratio 1.0427 (25 -> 23.976 fps), offset +1.290 s; 2 pieces``.

    >>> describe({"ratio": 1.0, "fitted": False, "pieces": [{"offset": -2.5, "at": 0.0}], "confidence": 15.0})
    'offset -2.500 s (confidence: 15.0 sd over the same cues anywhere else)'
    """
    parts = []
    if transform["ratio"] != 1:
        parts.append(f"speed x{transform['ratio']:.6f}" + (" (a fitted drift)" if transform["fitted"] else ""))
    pieces = transform["pieces"]
    parts.append(f"offset {pieces[0]['offset']:+.3f} s" if len(pieces) == 1 else
                 "offsets " + ", ".join(f"{piece['offset']:+.3f} s from {clock(piece['at'])}" for piece in pieces))
    return ", ".join(parts) + f" (confidence: {transform['confidence']:.1f} sd over the same cues anywhere else)"
