"""Timing from the audio: forced alignment of transcript sentences to the programme's sound.

The aeneas method with maintained parts: every sentence is spoken by espeak-ng in the
transcript's language, MFCCs of the real and the synthetic speech (plus a speech/pause channel)
are matched by banded DTW (:mod:`captions.dtw`), and the synthetic sentence and word boundaries
are mapped along the path to real time. Stretches where the match is poor (music, applause,
words the transcript lacks, lines never spoken) are reported with their times, not hidden.
"""

from __future__ import annotations

import ctypes
import math
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from . import dtw, speech
from .audio import SAMPLE_RATE
from .errors import EngineError, InputError, MediaError
from .joined import align_joined
from .languages import as_pack
from .languages.base import LanguagePack
from .listening import HOP, WINDOW, Listening, listen, mfcc
from .model import Segment, Stretch
from .pauses import HOP as LEVEL_HOP
from .pauses import find_pauses, heard_levels, levels, own_scale, quiet_share, snap
from .progress import Progress
from .text import word_tokens
from .timemap import monotonic_anchors

GAP = 0.2  # seconds of silence between synthetic sentences
SEARCH_RADIUS = 60.0  # seconds the coarse pass may stray from the straight line
SPEECH_WEIGHT = 2.0  # weight of the speech/pause channel against the 12 MFCCs
SPEED = 175  # espeak-ng words per minute for every voice
# Quality limits: a sentence whose real span is far shorter or longer than its synthetic speech,
# or whose frames match poorly, is reported as a low-confidence stretch.
SHORTEST_RATIO, LONGEST_RATIO = 0.35, 3.0
POOR_MATCH_MARGIN = 0.25  # a second of path this much costlier than the file's typical worst second
MOSTLY_QUIET = 0.8  # a sentence whose span is this much pause was not found in the recording
SNAP_REACH = 0.3  # seconds a sentence boundary moves to reach the edge of a pause in the recording
MIN_PAUSE = 0.4  # seconds of quiet that can separate a sentence from sound it does not own
# Seconds of sound between two sentences that makes both doubtful: the clean recordings of
# shared/realspeech-dev leave 0.035 s at most (breaths and clicks count as pause); a Swedish count
# under pink noise, its first sentence ended 1-2 s early, left 0.12-0.45 s (its last number, quiet
# in the noise, mostly measured as pause).
UNCOVERED_SPEECH = 0.08
RESPEAK_WEIGHT = 3.0  # the speech/pause channel's weight, times SPEECH_WEIGHT, to move a sentence off a pause
# A run of sentences whose aligned speech fits them no better than their own words reversed was put
# on the wrong speech (lines the programme cut, or speech the transcript lacks, pull the path
# aside): median of 5 neighbouring sentences' fit ratio over MISPLACED_RUN starts a doubtful run,
# which grows over neighbours above MISPLACED_EDGE. On the real recordings of shared/realspeech-dev
# correctly placed sentences fit at 0.76-0.99 (medians of five at most 0.95, 0.95 at 10 dB SNR);
# sentences displaced by five unspoken lines at 0.94-1.03 (medians 0.95-0.99).
MISPLACED_RUN, MISPLACED_EDGE = 0.96, 0.95
# A transcript whose sentences' median fit is over this is refused, whatever the whole's match:
# Japanese text on a Spanish reading matched the whole at 0.96 and fitted its sentences at 1.01.
NO_FIT = 0.96
# Above this match score (dtw.match_score) the transcript is not this recording. Measured on the real
# recordings of shared/realspeech-dev (4 languages): matching transcripts 0.88-0.95 clean, up to 0.98
# with pink noise at 10 dB SNR; another transcript of the same language 0.97-1.05, of another
# language 0.97-1.01.
NO_MATCH = 0.97
# Between NO_MATCH and GREY_MATCH the whole's match cannot tell a noisy recording from other speech
# (a voice with a cold at 15 dB SNR scored 0.97-0.99, transcripts of other speech from 0.96 up):
# the transcript is aligned, and kept if its sentences fit the speech they were put on clearly
# better than their words reversed (median _fit_ratios at most CLEAR_FIT). Measured on
# shared/realspeech-dev with pink noise: matching transcripts in that band fit at 0.900-0.965;
# 189 transcripts of other speech (clean, 15 and 10 dB) whose match was under GREY_MATCH at 0.967
# or worse, and at 0.944 or worse at any match.
GREY_MATCH, CLEAR_FIT = 0.99, 0.935
# A transcript of part of the recording (a programme with more before or after it) is looked for as
# one stretch, and must then fit it better: the search picks the best place, so another transcript's
# best stretch scores lower than its whole-file match. Measured on shared/realspeech-dev: parts of
# 25-110 s of a 222 s reading, and a 25 s reading after it, 0.926-0.946; transcripts of other
# speech at their best stretch 0.955-0.988. More than half its sentences doubtful refuses it too.
PARTIAL_MATCH = 0.95
PART_POOL = 25  # frames pooled for the search of the stretch (0.5 s), or more where that would take
PART_CELLS = 40e6  # more cells than this (a 3-hour programme: 374 million)
PART_WINDOWS = (0.8, 1.1, 1.5)  # lengths of the windows searched, as the transcript's speech read slower
PART_TRIES = 3  # stretches aligned at most, best match first, until one is not mostly doubtful
# Seconds added to each side of a stretch found (a fifth of the stretch was measured worse: the
# aligner stretched the edge sentences over the extra speech).
PART_MARGIN = 3.0
# A transcript with less speech than this (seconds, as espeak-ng speaks it) is not looked for in
# part of a recording: 3.7 s of Japanese found a stretch of a Swedish reading it fitted by chance.
PART_SHORTEST = 15.0
# Seconds of quiet that must lie outside a part's first or last sentence for that edge to be sure:
# a shorter pause may be one inside a sentence the part's stretch cut short.
PART_EDGE_PAUSE = 1.0
# Seconds at the edge of a part the user gave that must be quiet (a part may start just before a word).
EDGE_LISTEN = 0.2
# The way through a refusal for a user who knows the media is the transcript's reading: en_mfa_cold3
# (a voice with a cold) at 10 dB SNR fits its transcript no better than other speech fits it.
TRUST_HINT = ("; if the media is its reading (heavy noise, an unusual voice), --trust-audio aligns it anyway "
              "and reports the stretches it doubts")


@dataclass
class AlignmentReport:
    sentences: int = 0
    audio_seconds: float = 0.0
    match: float = 0.0  # mean path cost relative to unrelated frames: lower is better
    doubtful: list[Stretch] = field(default_factory=list)
    part: tuple[float, float] | None = None  # the stretch of the recording a partial transcript covers
    fit: float = 0.0  # median of the sentences' fit to the speech they were put on (_fit_ratios)
    overruled: str = ""  # why it would have been refused, had the user not said the media is its reading

    def in_doubt(self) -> str:
        """Why the alignment is neither clearly the transcript's reading nor clearly not ("" when it is)."""
        if self.overruled:
            return self.overruled
        if self.match > NO_MATCH and not self.part:
            return f"the recording fits the transcript poorly as a whole (match {self.match:.3f}: noise? an unusual voice?)"
        return ""

    def notes(self) -> list[str]:
        notes = [f"aligned {self.sentences} sentences to {self.audio_seconds:.1f} s of audio"]
        if self.overruled:
            notes.append(f"aligned because --trust-audio says the media is the transcript's reading, though "
                         f"{self.overruled}: check the low-confidence stretches")
        elif self.match > NO_MATCH and not self.part:
            notes.append(f"the recording fits the transcript poorly as a whole (match {self.match:.3f}: noise?), "
                         f"but its sentences fit their speech (median {self.fit:.3f})")
        if self.part:
            covered = Stretch(self.part[0], self.part[1], "").times
            notes.append(f"the transcript covers {covered} of the recording; the rest has no captions")
        notes += [f"low confidence {stretch}" for stretch in self.doubtful]
        return notes


# --------------------------------------------------------------------------- speech synthesis

def voice_for(language: LanguagePack | str) -> tuple[str, int]:
    """The espeak-ng voice and speed for a language, checked against the installed voices."""
    language = as_pack(language)
    voice = language.voice or language.code
    if voice not in speech.voices():
        raise EngineError(f"espeak-ng has no voice for language {language.code!r}: cannot align it")
    return voice, SPEED


def synthetic_features(texts: list[str], language: LanguagePack,
                       advance: Callable[[int], None] | None = None) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """MFCCs of every text spoken by espeak-ng, joined by short gaps, and each text's frame span.

    Only features (not hours of synthetic audio) are ever held in memory.
    """
    voice, speed = voice_for(language)

    def features_of(spoken: np.ndarray, rate: int) -> np.ndarray:
        samples = spoken.astype(np.float32) / 32768
        loud = np.flatnonzero(np.abs(samples) > 10 ** (-50 / 20))
        samples = samples[loud[0] : loud[-1] + 1] if len(loud) else np.zeros(int(WINDOW * rate) * 2, np.float32)
        features = mfcc(np.pad(samples, (0, int(WINDOW * rate))), rate)
        if advance:
            advance(1)
        return features

    # Sentences are spoken one after another, in order, by a library of their own (what it says
    # depends a little on what it said before: a fixed order from a fresh start gives the same voice
    # every run, whatever the process aligned before); each one's features are computed in a worker
    # while the next is spoken. At most a few sentences of audio wait at any time.
    spoken: list[np.ndarray] = []
    pending: deque[Future[np.ndarray]] = deque()
    with ThreadPoolExecutor(max_workers=1) as pool, speech.session() as say:
        for text in texts:
            pending.append(pool.submit(features_of, *say(language.speakable(text), voice, speed)))
            if len(pending) > 4:
                spoken.append(pending.popleft().result())
        spoken += [future.result() for future in pending]
    gap = mfcc(np.zeros(int(GAP * SAMPLE_RATE), np.float32), SAMPLE_RATE)
    pieces, bounds, at = [gap], [], len(gap)
    for features in spoken:
        bounds.append((at, at + len(features)))
        pieces += [features, gap]
        at += len(features) + len(gap)
    return np.vstack(pieces), bounds


# --------------------------------------------------------------------------- features

def speech_mask(energy: np.ndarray, dull: np.ndarray, pieces: list[tuple[int, int]]) -> np.ndarray:
    """1 where a frame has speech-level energy (dB) for its recording (``pieces``, frame ranges of
    a programme's recordings) and is not tonal (``dull``: a music bed), 0 elsewhere."""
    quietest, loudest = np.percentile(energy, 10), np.percentile(energy, 95)
    loud = energy > quietest + 0.35 * (loudest - quietest)
    for first, last in pieces:  # a recording with a noise bed of its own, judged by its own levels
        part = energy[first:last]
        floor, top = np.percentile(part, 10), np.percentile(part, 95)
        if own_scale(floor, top, quietest):
            loud[first:last] = part > floor + 0.35 * (top - floor)
    mask: np.ndarray = (loud & ~dull).astype(np.float64)
    return mask


def _normalise(features: np.ndarray) -> np.ndarray:
    features = features[:, 1:]  # c0 is loudness, which differs between any two recordings
    normalised: np.ndarray = (features - features.mean(0)) / (features.std(0) + 1e-8)
    return normalised


# --------------------------------------------------------------------------- alignment

@dataclass
class SentenceTiming:
    start: float
    end: float
    words: list[tuple[int, float]]  # (character offset in the sentence, real time) per word start
    confident: bool = True


Sound = np.ndarray | str | Path  # samples at SAMPLE_RATE, or a media file, streamed


@dataclass
class _Heard:
    listening: Listening  # the recording's measures, or those of the part the user gave
    offset: float = 0.0  # seconds into the media the part starts
    cut: tuple[bool, bool] | None = None  # a part given: whether it was cut from the media at its start, end
    seconds: float = 0.0  # the whole media's
    given: tuple[float, float] = (0.0, 0.0)  # the part's start and end, as given (the measures start on a frame)


def align_texts(source: Sound, texts: list[str], language: LanguagePack | str, progress: Progress | None = None,
                within: tuple[float, float | None] | None = None, trusted: bool = False,
                strict: bool = False) -> tuple[list[SentenceTiming], AlignmentReport]:
    """Real start/end (and word starts) of each text in the recording: samples, or a media file
    heard as ffmpeg decodes it (never held whole).

    A transcript that does not fit the whole recording is looked for as one stretch of it (a
    programme with more before or after); one that fits nowhere is refused. ``within`` (seconds,
    an open end for the media's end) is the stretch the user says the transcript is read in: a
    short transcript read in a long recording is found there when no search could find it.
    ``trusted``: the user says the recording is the transcript's reading, so a poor match (heavy
    noise, a voice unlike espeak-ng's) is aligned and noted instead of refused. ``strict``: an
    alignment in doubt (:meth:`AlignmentReport.in_doubt`) is refused instead.
    """

    def hear() -> _Heard:
        whole = listen(source)
        return _Heard(whole, seconds=whole.seconds) if within is None else _part_heard(whole, within)

    timings, report = _align_recording(hear, texts, as_pack(language), progress, trusted)
    doubt = report.in_doubt() if strict else ""
    if doubt:
        raise MediaError(f"{doubt}: --strict-audio refuses an alignment in doubt (without it, the media is aligned "
                         "and its doubtful sentences are QC errors)")
    return timings, report


def _part_heard(whole: Listening, within: tuple[float, float | None]) -> _Heard:
    """The part of the recording the user gave, refused when it is under a second or silent."""
    start, end = within[0], whole.seconds if within[1] is None else min(within[1], whole.seconds)
    given = Stretch(within[0], within[1] if within[1] is not None else whole.seconds, "").times
    if end - start < 1.0:
        raise MediaError(f"the part {given} has less than a second of the media's {whole.seconds:.1f} s of audio")
    part = whole.part(start, end)
    if part.silent():
        raise MediaError(f"the media is silent in the part {given}")
    first = int(start / HOP + 1e-9) * HOP  # the part's measures start on a frame
    return _Heard(part, first, (first > 0, end < whole.seconds - HOP), whole.seconds, (start, end))


def _align_recording(hear: Callable[[], _Heard], texts: list[str], language: LanguagePack, progress: Progress | None,
                     trusted: bool) -> tuple[list[SentenceTiming], AlignmentReport]:
    """:func:`align_texts` in what ``hear`` gives. A part the user gave is aligned however poorly
    the whole matches (a short transcript's match says little), and refused when most of its
    sentences fit no better than other speech. A ``trusted`` one is never refused."""
    progress = progress or Progress()
    speaking = progress.task("speaking sentences", len(texts))
    # The recording is heard (decoded, measured: features, speech, pauses) on the second core while
    # espeak-ng speaks the transcript on the first. Media that cannot be heard stops the speaking.
    with ThreadPoolExecutor(max_workers=1) as listener:
        listening = listener.submit(lambda: _listen(hear()))

        def advance(count: int) -> None:
            if listening.done() and listening.exception():
                listening.result()
            speaking(count)

        fake_features, frame_bounds = synthetic_features(texts, language, advance)
        progress.done(speaking)
        matching = progress.task("matching the audio", 1)
        recording, heard = listening.result()
    try:
        timings, report = _align_heard(recording, heard, fake_features, frame_bounds, texts, trusted)
    finally:
        progress.done(matching)
    if heard.cut is not None:
        _shift(timings, heard.offset)
        report.part = (report.part[0] + heard.offset, report.part[1] + heard.offset) if report.part else heard.given
        report.doubtful = [stretch.shifted(heard.offset) for stretch in report.doubtful]
        report.audio_seconds = heard.seconds
    return timings, report


def _align_heard(recording: _Recording, heard: _Heard, fake_features: np.ndarray,
                 frame_bounds: list[tuple[int, int]], texts: list[str],
                 trusted: bool) -> tuple[list[SentenceTiming], AlignmentReport]:
    """The texts aligned to a recording (or a part) heard, in its own time."""
    _release_freed_memory()
    real = recording.real
    if not (real[:, -1] > 0).any():  # a tone, a hum or a constant offset: sound, but nothing like speech
        raise MediaError("no speech found in the media (a tone, hum or noise only)")
    fake_mask = np.zeros(len(fake_features))
    for first_frame, end_frame in frame_bounds:
        fake_mask[first_frame:end_frame] = 1.0
    fake = np.hstack([_normalise(fake_features), SPEECH_WEIGHT * fake_mask[:, None]])
    _silence_joins(recording, fake[fake_mask == 0])
    match = dtw.match_score(real, fake, int(SEARCH_RADIUS / HOP))
    overruled: list[str] = []

    def refuse(reason: str, advice: str = "") -> None:
        if not trusted:
            raise MediaError(reason + (advice or TRUST_HINT))
        overruled.append(reason)

    timings, report = _decide(recording, fake, texts, frame_bounds, match, heard.cut is not None, refuse)
    report.overruled = overruled[0] if overruled else ""
    if heard.cut is not None and not report.part:  # aligned to all of the part given
        _doubt_cut_edges(timings, recording.pauses, report, len(real) * HOP, heard.cut)
    return timings, report


def _silence_joins(recording: _Recording, silence: np.ndarray) -> None:
    """The joins between a programme's recordings (room tone, music beds) heard as the
    synthetic speech's own silence between sentences: a sentence gap matches a join at no cost, and
    a sentence put on one pays its whole distance from silence, so each join anchors the path.

    On an hour of real recordings joined as a programme, a noisy informal recording played twice
    was aligned a sentence late (3.5 s) in six of its twelve plays: the path had put its sentences on
    the music bed after it, which matched synthetic speech hardly worse than synthetic silence.
    """
    if recording.joins.any() and len(silence):
        recording.real[recording.joins] = np.median(silence, axis=0)


def _release_freed_memory() -> None:
    """Freed heap pages given back to the system: glibc keeps what listening and speaking freed
    (150 MB for three hours) unless asked. Elsewhere (no ``malloc_trim``) nothing to do."""
    with suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def _decide(recording: _Recording, fake: np.ndarray, texts: list[str], frame_bounds: list[tuple[int, int]],
            match: float, vouched: bool,
            refuse: Callable[..., None]) -> tuple[list[SentenceTiming], AlignmentReport]:
    """The alignment to the whole recording or to the stretch of it the transcript is read in;
    ``refuse(reason, advice)`` where the transcript does not match (it raises unless trusted)."""
    real = recording.real
    whole = None
    if match > NO_MATCH:
        for part in [] if vouched else _spoken_parts(real, fake):
            with suppress(MediaError):  # mostly doubtful there: the next stretch
                return _align_part(recording, fake, texts, frame_bounds, part)
        if not vouched and match <= GREY_MATCH:
            whole = _align_part(recording, fake, texts, frame_bounds, (0, len(real), match))
            if whole[1].fit <= CLEAR_FIT:
                return whole
        if not vouched:
            refuse(f"the transcript does not match the audio (match {match:.3f}; a matching recording scores "
                   f"under {NO_MATCH}, speech in a wrong order about 1.0)", _hint_for_part(fake, len(real)))
    timings, report = whole or _align_part(recording, fake, texts, frame_bounds, (0, len(real), match))
    if vouched and _doubted(timings) > len(timings) / 2:
        refuse(f"the transcript does not match the audio of the part given (match {match:.3f}; "
               f"{_doubted(timings)} of its {len(timings)} sentences fit it no better than other speech)",
               ": is the part right, and close around the transcript's speech?" + TRUST_HINT)
    elif match <= NO_MATCH and _doubted(timings) > len(timings) / 2:
        # Most sentences doubtful where the whole recording fits: perhaps they are one part of it.
        for part in _spoken_parts(real, fake):
            with suppress(MediaError):
                in_part = _align_part(recording, fake, texts, frame_bounds, part)
                if _doubted(in_part[0]) < _doubted(timings):
                    return in_part
    if report.fit > NO_FIT:
        refuse(f"the transcript does not match the audio (match {match:.3f}, but its sentences fit the speech they "
               f"were put on no better than their own words reversed: median {report.fit:.3f}, a matching "
               f"recording's under {NO_FIT})")
    return timings, report


def _doubt_cut_edges(timings: list[SentenceTiming], found: list[tuple[float, float]], report: AlignmentReport,
                     duration: float, inside: tuple[bool, bool]) -> None:
    """The first (last) sentence of a part the user gave is doubtful when there is sound between
    the part's edge and it: the part cuts through speech (the sentence may begin before it), or
    holds speech the transcript lacks, which the sentence may have taken in."""
    for timing, first, cut in ((timings[0], True, inside[0]), (timings[-1], False, inside[1])):
        near = (0.0, max(timing.start, EDGE_LISTEN)) if first else (min(timing.end, duration - EDGE_LISTEN), duration)
        if cut and quiet_share(*near, found) < 0.8:
            timing.confident = False
            report.doubtful.append(Stretch(timing.start, timing.end, "sound between the edge of the part given and "
                                                                     f"its {'first' if first else 'last'} sentence"))


def _hint_for_part(fake: np.ndarray, frames: int) -> str:
    """What to do when a transcript too short to be searched for is read in part of a longer recording."""
    spoken = float((fake[:, -1] > 0).sum()) * HOP
    if spoken >= PART_SHORTEST or frames * HOP < 2 * spoken:
        return ""
    return (f"; a transcript with {spoken:.0f} s of speech is too short to be found in {frames * HOP:.0f} s of "
            "audio: if it is read in part of the recording, give that part with --audio-part FROM-TO")


@dataclass
class _Recording:
    listening: Listening
    real: np.ndarray  # its features, with the speech channel last
    mask: np.ndarray  # its speech frames
    pauses: list[tuple[float, float]]  # its pauses, in seconds
    joins: np.ndarray  # frames between a programme's recordings (pauses.recording_pieces), if it joins several


def _listen(heard: _Heard) -> tuple[_Recording, _Heard]:
    """What the aligner needs of a recording: its features, speech frames and pauses."""
    listening = heard.listening
    scaled, dull, pieces = heard_levels(listening.bands)
    ratio, frames = round(HOP / LEVEL_HOP), len(listening.mfcc)  # pause-level frames to feature frames
    steady = dull[::ratio][:frames]
    mask = speech_mask(listening.energy(), np.pad(steady, (0, frames - len(steady))),
                       [(first // ratio, min(last // ratio, frames)) for first, last in pieces])
    joins = np.zeros(frames, bool)
    if len(pieces) > 1:  # a programme's intro and outro (titles, a music bed) are joins too
        joins[:] = True
        for first, last in pieces:
            joins[first // ratio : last // ratio] = False
    return _Recording(listening, np.hstack([_normalise(listening.mfcc), SPEECH_WEIGHT * mask[:, None]]), mask,
                      find_pauses(scaled), joins), heard


def _doubted(timings: list[SentenceTiming]) -> int:
    return sum(not timing.confident for timing in timings)


def _align_part(recording: _Recording, fake: np.ndarray, texts: list[str], frame_bounds: list[tuple[int, int]],
                part: tuple[int, int, float]) -> tuple[list[SentenceTiming], AlignmentReport]:
    """The texts aligned to frames ``begin``-``finish`` of the recording (all of it, or the part a
    partial transcript covers), in the recording's time: anchored at its joins (:mod:`captions.joined`)
    where it has any, unless its sentences then fit their speech no better than their words reversed
    and the path through the whole does better: the Swedish count under pink noise at 10 dB SNR,
    whose pauses of 1.5 s are taken for joins, fitted at 0.961 anchored and was refused."""
    anchored = _align_on_path(recording, fake, texts, frame_bounds, part, anchored=True)
    if anchored[1].fit <= NO_FIT or not recording.joins[part[0] : part[1]].any():
        return anchored
    whole = _align_on_path(recording, fake, texts, frame_bounds, part, anchored=False)
    return whole if whole[1].fit < anchored[1].fit else anchored


def _align_on_path(recording: _Recording, fake: np.ndarray, texts: list[str], frame_bounds: list[tuple[int, int]],
                   part: tuple[int, int, float], anchored: bool) -> tuple[list[SentenceTiming], AlignmentReport]:
    begin, finish, match = part
    report = AlignmentReport(len(texts), recording.listening.seconds, match)
    real, mask = recording.real[begin:finish], recording.mask[begin:finish]
    if begin > 0 or finish < len(recording.real):
        report.part = (begin * HOP, finish * HOP)
    bounds = [(start * HOP, end * HOP) for start, end in frame_bounds]
    joins = recording.joins[begin:finish]
    if anchored and joins.any() and min(len(real), len(fake)) >= 4 * dtw.POOL:
        path = align_joined(real, fake, frame_bounds, joins, int(SEARCH_RADIUS / HOP))
    else:
        path = dtw.align_features(real, fake, int(SEARCH_RADIUS / HOP))
    timings, worst = _timings_on_path(texts, bounds, *path, dtw.unrelated_cost(real, fake))
    found = find_pauses(levels(recording.listening.part(begin * HOP, finish * HOP).bands)) if report.part \
        else recording.pauses
    edges = snap([(t.start, t.end) for t in timings], found, SNAP_REACH, (finish - begin) * HOP)
    for timing, (start, end) in zip(timings, edges):
        timing.start, timing.end = start, end
    for index, timing in enumerate(timings):
        if quiet_share(timing.start, timing.end, found) > MOSTLY_QUIET:
            _speak_on_speech(index, texts, timings, real, fake, frame_bounds, found)
    _judge(texts, bounds, timings, worst, found, mask, report)
    _doubt_speech_between(texts, timings, found, report)
    ratios = _fit_ratios(real[:, :-1], fake[:, :-1], frame_bounds, timings)
    report.fit = float(np.median(ratios))
    _doubt_misplaced(texts, timings, ratios, report)
    for timing in timings:
        # The path placed the words; edges moved since (to a pause, off a laugh) keep them inside.
        timing.words = [(char, min(max(time, timing.start), timing.end)) for char, time in timing.words]
    if report.part:
        _check_part(timings, found, report, (begin > 0, finish < len(recording.real)))
        _shift(timings, begin * HOP)
        report.doubtful = [stretch.shifted(begin * HOP) for stretch in report.doubtful]
    return timings, report


def _timings_on_path(texts: list[str], bounds: list[tuple[float, float]], rows: np.ndarray, cols: np.ndarray,
                     costs: np.ndarray, baseline: float) -> tuple[list[SentenceTiming], list[tuple[float, int]]]:
    """Each sentence's real span and word starts where the DTW path maps its synthetic ones, and
    its worst second of path (relative cost, and the row where that second starts)."""
    offset = (WINDOW - HOP) / 2  # a frame's sound is centred half a window in

    def real_time(synthetic_seconds: float, ending: bool) -> float:
        frame = round(synthetic_seconds / HOP)
        if ending:
            index = max(int(np.searchsorted(cols, frame, "left")) - 1, 0)
            return float((rows[index] + 1) * HOP + offset)
        index = min(int(np.searchsorted(cols, frame, "left")), len(rows) - 1)
        return float(rows[index] * HOP + offset)

    timings: list[SentenceTiming] = []
    worst: list[tuple[float, int]] = []
    for text, (start, end) in zip(texts, bounds):
        real_start, real_end = real_time(start, False), real_time(end, True)
        real_end = max(real_end, real_start + HOP)
        words = []
        for token in word_tokens(text)[1:] if " " in text else []:
            share = token.start / max(len(text), 1)
            words.append((token.start, real_time(start + share * (end - start), False)))
        first, last = int(np.searchsorted(cols, int(start / HOP))), int(np.searchsorted(cols, int(end / HOP)))
        window = _worst_window(costs[first:last] / baseline)
        worst.append((window[0], rows[first + window[1]]) if window else (0.0, 0))
        timings.append(SentenceTiming(real_start, real_end, words))
    return timings, worst


def _judge(texts: list[str], bounds: list[tuple[float, float]], timings: list[SentenceTiming],
           worst: list[tuple[float, int]], found: list[tuple[float, float]], mask: np.ndarray,
           report: AlignmentReport) -> None:
    """Sentences not spoken (on a pause, or far shorter than spoken), far longer than spoken, or
    with a second of path much costlier than the file's typical worst: reported, and a poorly
    matching start or end cut off at the pause that separates it."""
    limit = float(np.median([value for value, _ in worst])) + POOR_MATCH_MARGIN
    unspoken = []
    for index, (text, (start, end), timing, (value, row)) in enumerate(zip(texts, bounds, timings, worst)):
        ratio = (timing.end - timing.start) / max(end - start, HOP)
        if ratio < SHORTEST_RATIO or quiet_share(timing.start, timing.end, found) > MOSTLY_QUIET:
            reason = "a transcript sentence that seems not to be spoken"
            unspoken.append(index)
        elif ratio > LONGEST_RATIO:
            reason = "speech or sound the transcript lacks"
        elif value > limit:
            timing.confident = False
            before = (timing.start, timing.end)
            _trim_at_pause(timing, row * HOP, (row + QUALITY_WINDOW) * HOP, mask)
            if timing.end < before[1]:
                stretch = Stretch(timing.end, before[1], "sound the transcript lacks, after")
            elif timing.start > before[0]:
                stretch = Stretch(before[0], timing.start, "sound the transcript lacks, before")
            else:
                stretch = Stretch(row * HOP, (row + QUALITY_WINDOW) * HOP, "sound that does not match")
            report.doubtful.append(Stretch(stretch.start, stretch.end, f"{stretch.reason} {text[:50]!r}"))
            continue
        else:
            continue
        timing.confident = False
        report.doubtful.append(Stretch(timing.start, timing.end, f"{reason} ({text[:50]!r})"))
    _doubt_neighbours(unspoken, texts, timings, report)


def _shift(timings: list[SentenceTiming], seconds: float) -> None:
    """Times found in a stretch of the recording moved to the recording's own clock."""
    for timing in timings:
        timing.start, timing.end = timing.start + seconds, timing.end + seconds
        timing.words = [(char, time + seconds) for char, time in timing.words]


def _spoken_parts(real: np.ndarray, fake: np.ndarray) -> list[tuple[int, int, float]]:
    """Stretches (first frame, last frame, match) of the recording the transcript may have been read
    in, to be tried in turn: those shorter than the recording that fit it at PARTIAL_MATCH or better.

    Two searches propose stretches. An open-ended DTW over the whole recording comes first: it
    finds a part of a quarter of the recording or more, edges included. Windows of the
    transcript's length slid along the recording follow, best fit first: they find shorter parts,
    but a window may start or end inside a sentence. A window overlapping a stretch already taken
    by half is left out. A transcript with less than PART_SHORTEST seconds of speech is not looked
    for.
    """
    spoken = int((fake[:, -1] > 0).sum())  # frames of the transcript's synthetic speech
    if spoken * HOP < PART_SHORTEST:
        return []
    margin = round(PART_MARGIN / HOP)  # the searches place a part to within a few seconds

    def scored(stretches: list[tuple[int, int]]) -> list[tuple[float, int, int]]:
        widened = [(max(first - margin, 0), min(last + margin, len(real))) for first, last in stretches]
        return sorted((dtw.match_score(real[first:last], fake, int(SEARCH_RADIUS / HOP)), first, last)
                      for first, last in widened if last - first <= 0.9 * len(real))

    parts: list[tuple[int, int, float]] = []
    for score, first, last in scored(_part_by_path(real, fake)) + scored(_parts_by_window(len(real), spoken)):
        if score <= PARTIAL_MATCH and len(parts) < PART_TRIES and all(
                min(last, end) - max(first, begin) < (last - first) / 2 for begin, end, _ in parts):
            parts.append((first, last, score))
    return parts


def _part_by_path(real: np.ndarray, fake: np.ndarray) -> list[tuple[int, int]]:
    """Open-ended DTW over the whole recording (no band: the part may be anywhere), on frames pooled
    to half a second; leaving out a frame costs what the best 30% of frames cost to match, so
    speech that is not the transcript's is left out rather than stretched over."""
    # Pooled more coarsely past an hour or so: the unbanded search holds a byte per cell.
    factor = max(PART_POOL, math.ceil(PART_POOL * math.sqrt(len(real) * len(fake) / PART_POOL**2 / PART_CELLS)))
    X, Y = dtw.pool(real, factor), dtw.pool(fake, factor)
    if len(X) < 8 or len(Y) < 4:
        return []
    lo, hi = dtw.full_band(len(X), len(Y))
    costs = dtw.dtw(X, Y, lo, hi)[2]
    rows = dtw.dtw(X, Y, lo, hi, float(np.percentile(costs, 30)))[0]
    return [(int(rows[0]) * factor, (int(rows[-1]) + 1) * factor)]


def _parts_by_window(frames: int, spoken: int) -> list[tuple[int, int]]:
    """Stretches of a recording of ``frames`` as long as the transcript's ``spoken`` frames read
    0.8, 1.1 and 1.5 times as slowly as espeak-ng speaks them, every quarter of their length."""
    windows = []
    for slower in PART_WINDOWS:
        length = int(spoken * slower) + round(2.0 / HOP)
        if length >= frames:
            continue
        step = max(length // 4, round(1.0 / HOP))
        windows += [(first, min(first + length, frames)) for first in range(0, frames - length + step, step)]
    return windows


def _check_part(timings: list[SentenceTiming], found: list[tuple[float, float]], report: AlignmentReport,
                inside: tuple[bool, bool]) -> None:
    """A partial transcript most of whose sentences are doubtful is refused; where the recording's
    speech runs on into the part's first or last sentence with no clear pause, where the part
    begins or ends is a guess: that sentence and the one next to it are doubtful (a real reading's
    part ended 1.9 s off two sentences from its edge)."""
    if _doubted(timings) > len(timings) / 2:
        where = Stretch(*(report.part or (0.0, 0.0)), "").times
        raise MediaError(f"the transcript does not match the audio (its best stretch of the recording, {where}, "
                         "fits most of its sentences no better than other speech)")
    for edge_sentences, before, within in ((timings[:2], True, inside[0]), (timings[-2:][::-1], False, inside[1])):
        if not within:  # the recording itself begins or ends there
            continue
        edge = edge_sentences[0].start if before else edge_sentences[0].end
        near = (edge - PART_EDGE_PAUSE, edge) if before else (edge, edge + PART_EDGE_PAUSE)
        if quiet_share(*near, found) < 0.8:
            for timing in edge_sentences:
                timing.confident = False
            report.doubtful.append(Stretch(min(t.start for t in edge_sentences), max(t.end for t in edge_sentences),
                                           "the recording's speech runs on past the transcript's "
                                           f"{'first' if before else 'last'} sentences with no pause"))


def _doubt_speech_between(texts: list[str], timings: list[SentenceTiming], found: list[tuple[float, float]],
                          report: AlignmentReport) -> None:
    """Speech between two sentences that neither covers: one of them ends too soon or starts too
    late (in noise a reading's last words, quieter, were left out), or the transcript lacks it."""
    for index, (before, after) in enumerate(zip(timings, timings[1:])):
        gap = after.start - before.end
        if gap - quiet_share(before.end, after.start, found) * gap < UNCOVERED_SPEECH:
            continue
        for timing in (before, after):
            timing.confident = False
        report.doubtful.append(Stretch(before.end, after.start, f"speech that no sentence covers, between "
                                                               f"{texts[index][:30]!r} and {texts[index + 1][:30]!r}"))


def _fit_ratios(real: np.ndarray, fake: np.ndarray, frame_bounds: list[tuple[int, int]],
                timings: list[SentenceTiming]) -> np.ndarray:
    """How well each sentence's synthetic speech fits the real speech it was aligned to: its DTW cost
    divided by that of the same speech reversed (same sounds, wrong order); 1.0 is no fit at all."""
    ratios = np.ones(len(timings))
    for index, (timing, (first, last)) in enumerate(zip(timings, frame_bounds)):
        start = min(int(timing.start / HOP), len(real) - 2)
        X = np.ascontiguousarray(real[start : max(int(timing.end / HOP), start + 2)])
        Y = np.ascontiguousarray(fake[first:last])
        if len(Y) < 2:
            continue
        lo, hi = dtw.full_band(len(X), len(Y))
        forward = dtw.dtw(X, Y, lo, hi)[2].mean()
        ratios[index] = forward / max(dtw.dtw(X, np.ascontiguousarray(Y[::-1]), lo, hi)[2].mean(), 1e-9)
    return ratios


def _doubt_misplaced(texts: list[str], timings: list[SentenceTiming], ratios: np.ndarray,
                     report: AlignmentReport) -> None:
    """Runs of sentences placed on speech that is not theirs, reported as one doubtful stretch each."""
    count = len(ratios)
    medians = np.array([np.median(ratios[max(0, k - 2) : k + 3]) for k in range(count)])
    doubtful = medians > MISPLACED_RUN
    for k in np.flatnonzero(medians > MISPLACED_RUN):
        for step in (-1, 1):  # a run's edges: the next sentence always, and on while it fits poorly
            neighbour = k + step
            while 0 <= neighbour < count and not doubtful[neighbour]:
                doubtful[neighbour] = True
                if ratios[neighbour] <= MISPLACED_EDGE:
                    break
                neighbour += step
    edges = np.diff(np.concatenate(([0], doubtful.astype(int), [0])))
    for first, end in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)):
        for timing in timings[first:end]:
            timing.confident = False
        what = f"{end - first} sentences from {texts[first][:40]!r}" if end - first > 1 else repr(texts[first][:50])
        report.doubtful.append(Stretch(timings[first].start, timings[end - 1].end,
                                       f"speech that does not sound like the transcript: {what} (lines cut "
                                       f"from the programme, or speech the transcript lacks, nearby)"))


def _speak_on_speech(index: int, texts: list[str], timings: list[SentenceTiming], real: np.ndarray,
                     fake: np.ndarray, frame_bounds: list[tuple[int, int]], found: list[tuple[float, float]]) -> None:
    """A sentence DTW put on a pause, aligned again with its neighbours, the speech/pause channel
    weighted three times as much, so that speech goes to speech (the last words of informal speech,
    a laugh after them, went to the sentence before and left this one on the silence at the end).
    Kept only if the sentence then fits its speech better than its own words reversed, and the
    sentences around it fit theirs better on the whole; a sentence never spoken fits nothing, takes
    its neighbours' speech from them, and stays reported.
    """
    around = list(range(max(index - 1, 0), min(index + 2, len(texts))))
    first_row = int(timings[around[0]].start / HOP)
    last_row = min(int(timings[around[-1]].end / HOP) + 1, len(real))
    first_col, last_col = frame_bounds[around[0]][0], frame_bounds[around[-1]][1]
    if last_row - first_row < 4 or last_col - first_col < 4:
        return
    weights = np.ones(real.shape[1])
    weights[-1] = RESPEAK_WEIGHT
    X = np.ascontiguousarray(real[first_row:last_row] * weights)
    Y = np.ascontiguousarray(fake[first_col:last_col] * weights)
    rows, cols, costs = dtw.dtw(X, Y, *dtw.full_band(len(X), len(Y)))
    window_bounds = [((frame_bounds[k][0] - first_col) * HOP, (frame_bounds[k][1] - first_col) * HOP) for k in around]
    moved, _ = _timings_on_path([texts[k] for k in around], window_bounds, rows, cols, costs, 1.0)
    _shift(moved, first_row * HOP)
    for timing, (start, end) in zip(moved, snap([(t.start, t.end) for t in moved], found, SNAP_REACH)):
        timing.start, timing.end = start, end
    if quiet_share(moved[around.index(index)].start, moved[around.index(index)].end, found) > MOSTLY_QUIET:
        return
    bounds = [frame_bounds[k] for k in around]
    before = _fit_ratios(real[:, :-1], fake[:, :-1], bounds, [timings[k] for k in around])
    after = _fit_ratios(real[:, :-1], fake[:, :-1], bounds, moved)
    if after[around.index(index)] >= 1.0 or after.mean() > before.mean() - 0.005:
        return
    for k, timing in zip(around, moved):
        timings[k] = timing


def _doubt_neighbours(unspoken: list[int], texts: list[str], timings: list[SentenceTiming],
                      report: AlignmentReport) -> None:
    """A sentence that seems not spoken took its time from its neighbours: their spans are doubtful too."""
    for index in unspoken:
        for neighbour in (index - 1, index + 1):
            if 0 <= neighbour < len(timings) and timings[neighbour].confident:
                timings[neighbour].confident = False
                report.doubtful.append(Stretch(timings[neighbour].start, timings[neighbour].end,
                                               f"next to a sentence that seems not spoken ({texts[neighbour][:50]!r})"))


def pauses(mask: np.ndarray, shortest: float) -> list[tuple[float, float]]:
    """(start, end) seconds of every run of quiet frames at least ``shortest`` seconds long."""
    edges = np.diff(np.concatenate(([1.0], (mask > 0).astype(float), [1.0])))
    starts, ends = np.flatnonzero(edges == -1), np.flatnonzero(edges == 1)
    return [(a * HOP, b * HOP) for a, b in zip(starts, ends) if (b - a) * HOP >= shortest]


def _trim_at_pause(timing: SentenceTiming, bad_start: float, bad_end: float, mask: np.ndarray) -> None:
    """Cut a poorly matched stretch off a sentence's end or start where a pause separates them."""
    pauses_inside = [(a, b) for a, b in pauses(mask, MIN_PAUSE) if a >= timing.start and b <= timing.end]
    before = [pause for pause in pauses_inside if pause[1] <= bad_start + HOP * QUALITY_WINDOW / 2]
    after = [pause for pause in pauses_inside if pause[0] >= bad_end - HOP * QUALITY_WINDOW / 2]
    if before and bad_end >= timing.end - 1.0:
        timing.end = before[-1][0]
    elif after and bad_start <= timing.start + 1.0:
        timing.start = after[0][1]


QUALITY_WINDOW = 50  # path steps (about a second) over which a poor match is judged


def _worst_window(relative_costs: np.ndarray) -> tuple[float, int] | None:
    """The highest mean cost over any window of the path, and where that window starts."""
    if len(relative_costs) < QUALITY_WINDOW:
        return None
    sums = np.convolve(relative_costs, np.ones(QUALITY_WINDOW) / QUALITY_WINDOW, mode="valid")
    return float(sums.max()), int(sums.argmax())


def align_segments(segments: list[Segment], source: Sound, language: LanguagePack | str, progress: Progress | None = None,
                   within: tuple[float, float | None] | None = None, trusted: bool = False,
                   strict: bool = False) -> tuple[list[Segment], AlignmentReport]:
    """Segments anchored to the recording (or to the part of it ``within`` gives): sentence and
    word starts tied to real time."""
    texts, owners, language = [], [], as_pack(language)
    for index, segment in enumerate(segments):
        for start, end in language.sentence_spans(segment.text):
            if segment.text[start:end].strip():
                texts.append(segment.text[start:end].strip())
                owners.append((index, start + len(segment.text[start:end]) - len(segment.text[start:end].lstrip())))
    if not texts:
        raise InputError("transcript has no speech text to align")
    timings, report = align_texts(source, texts, language, progress, within, trusted, strict)
    anchors: dict[int, list[tuple[int, float]]] = {}
    for text, (index, offset), timing in zip(texts, owners, timings):
        points = anchors.setdefault(index, [])
        points.append((offset, timing.start))
        points += [(offset + char, time) for char, time in timing.words if timing.confident]
        points.append((offset + len(text), timing.end))
    aligned = [replace(segment, anchors=monotonic_anchors(anchors.get(index, [])), doubtful=())
               for index, segment in enumerate(segments)]
    return aligned, report
