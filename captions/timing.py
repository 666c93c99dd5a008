"""Timing: cue drafts -> timed cues that obey the profile's durations and gaps, on frames.

Timed input keeps its own times (each cue takes the times of the characters it shows); untimed
input is timed by reading speed, optionally stretched or squeezed to a known programme length.
Every time is then snapped to a frame and the gap rules are applied in whole frames.
"""

from __future__ import annotations

import math
from fractions import Fraction

from .context import LanguageContext
from .errors import InputError
from .model import Cue, Profile, Segment
from .reading import seconds_to_read
from .segmenter import CueDraft
from .shots import cuts_near
from .timecode import MAX_SECONDS
from .timemap import TimeMap


def reading_time(text: str, language: LanguageContext) -> float:
    """Seconds a cue needs at the profile's target reading speed, within its duration limits.

    >>> from captions.context import resolved
    >>> from captions.profiles import get_profile
    >>> reading_time("Hello there, how are you today?", resolved(get_profile("netflix", "en")))
    2.066666666666667
    """
    return _clamp(seconds_to_read(text, language, "target"), language.style)


def refuse_overlong(segments: list[Segment], language: LanguageContext) -> None:
    """Untimed input that, read at the profile's speed, would run past the last time a programme
    may have: refused before it is cut into cues (200,000 lines took a minute to be refused after)."""
    untimed = [segment for segment in segments if not segment.timed]
    if untimed:
        refuse_past_limit(sum(seconds_to_read(segment.text, language, "target") for segment in untimed) + language.start)


def refuse_past_limit(seconds: float) -> None:
    if seconds > MAX_SECONDS:
        raise InputError(f"read at the profile's speed the transcript lasts {seconds / 3600:.0f} hours, over the "
                         f"{MAX_SECONDS // 3600} hours a programme may last: split it, or give it times")


def legible_time(text: str, language: LanguageContext) -> float:
    """The shortest time a cue can stay up without breaking the profile's reading speed or minimum."""
    return _clamp(seconds_to_read(text, language), language.style)


def time_cues(drafts: list[CueDraft], segments: list[Segment], language: LanguageContext) -> tuple[list[Cue], list[str]]:
    """Timed cues on the language's frames and clock, and notes on where the profile could not be met."""
    profile = language.style
    notes: list[str] = []
    if not drafts:
        return [], notes
    if all(segments[draft.parts[0][0]].timed for draft in drafts):
        maps: dict[int, TimeMap] = {}  # one per segment: a long timed segment holds thousands of cues
        spans = [_source_span(draft, segments, maps) for draft in drafts]
    else:
        durations = [reading_time("\n".join(draft.lines), language) for draft in drafts]
        gaps = _pauses(drafts, segments, language)
        if language.duration is not None:
            durations, gaps = fit_to_length(durations, gaps, language.duration, profile, notes)
        spans, at = [], 0.0
        for duration, gap in zip(durations, [0.0] + gaps):
            at += gap
            spans.append((at, at + duration))
            at += duration
        refuse_past_limit(at + language.start)
    needed = [legible_time("\n".join(draft.lines), language) for draft in drafts]
    frames = apply_frame_rules(spans, language, language.duration, needed)
    if language.shots:
        fps = float(language.fps)
        cuts = sorted({round(cut * fps) for cut in language.shots})
        frames = snap_to_shots(frames, cuts, language, [math.ceil(n * fps) for n in needed])
    rate = language.fps
    offset = round(language.start * rate)  # the programme starts on a frame
    cues = [
        Cue(Fraction(start + offset) / rate, Fraction(end + offset) / rate, tuple(draft.lines),
            tuple(draft.speakers), tuple(draft.parts))
        for draft, (start, end) in zip(drafts, frames)
    ]
    return cues, notes


def _source_span(draft: CueDraft, segments: list[Segment], maps: dict[int, TimeMap]) -> tuple[float, float]:
    first, last = draft.parts[0], draft.parts[-1]
    for index in (first[0], last[0]):
        if index not in maps:
            maps[index] = TimeMap(segments[index].anchors)
    return maps[first[0]].at(first[1]), maps[last[0]].at(last[2])


def _pauses(drafts: list[CueDraft], segments: list[Segment], language: LanguageContext) -> list[float]:
    """The silence before each cue after the first: the minimum gap, more at speaker and paragraph changes."""
    min_gap = language.style.min_gap_frames / float(language.fps)
    gaps = []
    for previous, draft in zip(drafts, drafts[1:]):
        before, after = segments[previous.parts[-1][0]], segments[draft.parts[0][0]]
        gap = min_gap
        if before.speaker != after.speaker:
            gap += language.speaker_pause
        elif before.paragraph != after.paragraph:
            gap += language.paragraph_pause
        gaps.append(gap)
    return gaps


def fit_to_length(durations: list[float], gaps: list[float], length: float, profile: Profile,
                  notes: list[str]) -> tuple[list[float], list[float]]:
    """Scale cue durations and pauses so the track lasts ``length`` seconds.

    Durations stay within the profile's limits while that is possible; when the programme is too
    short even at minimum durations, everything is squeezed evenly and a note says so.
    """
    min_gap = min(gaps) if gaps else 0.0

    def total(scale: float) -> float:
        return sum(_clamp(d * scale, profile) for d in durations) + sum(max(g * scale, min_gap) for g in gaps)

    shortest = len(durations) * profile.min_duration + len(gaps) * min_gap
    if length < shortest:
        scale = length / (sum(durations) + sum(gaps))
        notes.append(f"programme length {length:.1f} s is shorter than the {shortest:.1f} s the cues need at "
                     f"minimum duration; every cue is shortened to {scale:.0%} and some break the minimum")
        return [d * scale for d in durations], [g * scale for g in gaps]
    low, high = 0.0, 1.0
    while total(high) < length:
        high *= 2
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if total(middle) < length else (low, middle)
    scale = (low + high) / 2
    if scale < 1:
        notes.append(f"fitted to {length:.1f} s: cues are {1 / scale:.2f}x faster than the target reading speed")
    return [_clamp(d * scale, profile) for d in durations], [max(g * scale, min_gap) for g in gaps]


def _clamp(seconds: float, profile: Profile) -> float:
    return min(max(seconds, profile.min_duration), profile.max_duration)


def apply_frame_rules(spans: list[tuple[float, float]], language: LanguageContext, length: float | None = None,
                      needed: list[float] | None = None) -> list[tuple[int, int]]:
    """Spans in whole frames: no overlaps, the minimum gap, short gaps closed, minimum duration.

    ``needed``: seconds each cue must stay up to be read (default: the minimum duration); a cue
    that ends sooner lingers into the silence after it (up to the minimum duration, and for reading
    speed up to ``linger_frames``), as far as the next cue allows, and then appears up to
    ``lead_in_frames`` before its first word; one still under the minimum takes the frames it lacks
    from the silence before it or from the start of the next cue. Below, the second cue lingers
    into the third cue's start, which is still more than the minimum.
    ``length``: the programme's length, which the last cue may not outlast.

    >>> from captions.context import resolved
    >>> from captions.profiles import get_profile
    >>> apply_frame_rules([(0.0, 1.0), (1.1, 1.5), (1.4, 3.0)], resolved(get_profile("netflix", "en"), 25))
    [(0, 26), (28, 49), (51, 75)]
    """
    profile, fps = language.style, float(language.fps)
    # A start goes to the nearest frame; an end to the frame after the last word has ended, never before.
    frames = [(round(start * fps), math.ceil(end * fps - 1e-3)) for start, end in spans]
    min_gap, close = profile.min_gap_frames, profile.close_gap_frames
    wanted = [math.ceil(seconds * fps) for seconds in needed] if needed else [round(profile.min_duration * fps)] * len(spans)
    result: list[list[int]] = []
    for start, end in frames:
        if result:
            previous = result[-1]
            start = max(start, previous[0] + 1 + min_gap)
            if start - previous[1] < min_gap:
                # Too close: the gap comes out of this cue's start (a word shown a frame or two
                # late), never out of the words of the cue before it, still being spoken.
                start = previous[1] + min_gap
            elif start - previous[1] <= close:
                previous[1] = start - min_gap  # close a small gap to the minimum
        end = max(end, start + 1)
        result.append([start, end])
    shortest, linger = round(profile.min_duration * fps), profile.linger_frames
    for index, (start, end) in enumerate(result):
        if end - start >= wanted[index]:
            continue
        # Up to the minimum duration in any case; for reading speed, at most ``linger`` frames.
        limit = start + max(shortest, min(wanted[index], end - start + linger))
        if index + 1 < len(result):
            limit = min(limit, result[index + 1][0] - min_gap)
        elif length is not None:
            limit = min(limit, round(length * fps))
        result[index][1] = max(end, limit)
    for index, (start, end) in enumerate(result):
        if end - start < shortest:
            _to_minimum(result, index, shortest, min_gap)
    _lead_in(result, wanted, profile.lead_in_frames, min_gap)
    longest = math.floor(profile.max_duration * fps + 1e-9)
    for index, (start, end) in enumerate(result):
        # Lingering or a later start never takes a cue over the maximum on screen; only speech that
        # itself lasts longer (a single long word) may.
        spoken_from = max(start / fps, spans[index][0])
        spoken = spans[index][1] - spoken_from
        # In whole frames, as the end was rounded; speech within the maximum never takes the cue
        # over it (7.0 s of speech at 23.976 is 167.8 frames: 168 would be 7.007 s on screen).
        speech = math.ceil(spoken * fps - 1e-3) if spoken > profile.max_duration else longest
        result[index][1] = min(end, start + max(longest, speech))
    return [(start, end) for start, end in result]


def _to_minimum(frames: list[list[int]], index: int, shortest: int, min_gap: int) -> None:
    """A cue held short of the minimum duration by its neighbours (speech the recogniser squeezed):
    it appears earlier, in any silence before it, and then the next cue appears later, as far as
    that cue's own time above the minimum allows. The minimum is a hard rule; a start a few frames
    off the speech is not.
    """
    cue = frames[index]
    earliest = frames[index - 1][1] + min_gap if index else 0
    cue[0] = min(cue[0], max(earliest, cue[1] - shortest))
    if index + 1 < len(frames) and cue[1] - cue[0] < shortest:
        after = frames[index + 1]
        later = min(shortest - (cue[1] - cue[0]), after[1] - after[0] - shortest)
        if later > 0:
            after[0] += later
            cue[1] = after[0] - min_gap


def _lead_in(frames: list[list[int]], wanted: list[int], lead: int, min_gap: int) -> None:
    """A cue still too short to be read after lingering appears up to ``lead`` frames before its
    first word, in the silence the cue before it left (keeping the minimum gap).
    """
    for index, (start, end) in enumerate(frames):
        short = wanted[index] - (end - start)
        if short <= 0 or lead <= 0:
            continue
        earliest = frames[index - 1][1] + min_gap if index else 0
        frames[index][0] = min(start, max(start - min(short, lead), earliest))


def snap_to_shots(frames: list[tuple[int, int]], cuts: list[int], language: LanguageContext,
                  needed: list[int]) -> list[tuple[int, int]]:
    """Cue frames moved to the shot changes as Netflix times them: an in-time within the window of
    a cut goes onto it; then an out-time within the window ends ``shot_gap_frames`` before the cut
    (or, where the cue could not then be read, stays at least the window past it). A move that
    would break a gap, the minimum or maximum duration or the reading time is not made.

    >>> from captions.context import resolved
    >>> from captions.profiles import get_profile
    >>> snap_to_shots([(5, 60), (75, 150)], [0, 66, 155], resolved(get_profile("netflix", "en"), 25), [20, 20])
    [(0, 64), (66, 153)]
    """
    profile = language.style
    window, before_cut, min_gap = profile.shot_window_frames, profile.shot_gap_frames, profile.min_gap_frames
    longest = math.floor(profile.max_duration * float(language.fps) + 1e-9)
    spans = [list(span) for span in frames]
    for index, span in enumerate(spans):  # in-times first: an out-time then fits the next cue's new start
        cut = _nearest(cuts, span[0], window)
        if cut is None or not in_time_on_cut(spans, index, cut, needed, profile, longest):
            continue
        if index and cut - min_gap < spans[index - 1][1]:
            spans[index - 1][1] = cut - before_cut  # the cue before ends by its own out-time rule
        span[0] = cut
    for index, span in enumerate(spans):
        cut = _nearest(cuts, span[1], window, above=span[0] + 1)
        moved = None if cut is None else out_time_for_cut(spans, index, cut, needed, profile, longest)
        if moved is not None:
            span[1] = moved
    return [(start, end) for start, end in spans]


def out_time_for_cut(spans: list[list[int]], index: int, cut: int, needed: list[int], profile: Profile,
                     longest: int) -> int | None:
    """Where a cue's out-time (frames) near a cut goes, or None where it stays: ``shot_gap_frames``
    before the cut, else at least the window past it, if the cue can still be read, keeps its gap
    to the next one and is not too long: the one rule timing applies and QC checks.

    >>> from captions.profiles import get_profile
    >>> netflix = get_profile("netflix", "en")
    >>> out_time_for_cut([[0, 103]], 0, 100, [20], netflix, 175), out_time_for_cut([[90, 103]], 0, 100, [20], netflix, 175)
    (98, 112)
    """
    start, end = spans[index]
    latest = spans[index + 1][0] - profile.min_gap_frames if index + 1 < len(spans) else end + profile.shot_window_frames
    for candidate in (cut - profile.shot_gap_frames, cut + profile.shot_window_frames):
        if candidate - start >= min(needed[index], end - start) and candidate <= max(latest, end) \
                and candidate - start <= longest:
            return candidate
    return None


def in_time_on_cut(spans: list[list[int]], index: int, cut: int, needed: list[int], profile: Profile,
                   longest: int) -> bool:
    """Whether a cue's in-time (frames) goes onto a cut near it: the one rule timing applies and QC
    checks. Not when the cue would then be too short to read or too long to show, nor when moving
    earlier would run into the cue before and that cue cannot end ``shot_gap_frames`` before the cut.

    >>> from captions.profiles import get_profile
    >>> netflix = get_profile("netflix", "en")
    >>> in_time_on_cut([[10, 40]], 0, 11, [20], netflix, 175), in_time_on_cut([[10, 40]], 0, 25, [20], netflix, 175)
    (True, False)
    """
    start, end = spans[index]
    if cut == start or (cut > start and end - cut < needed[index]) or end - cut > longest:
        return False
    if not index or cut - profile.min_gap_frames >= spans[index - 1][1]:
        return True
    before_start, before_end = spans[index - 1]
    return (cut - profile.shot_gap_frames - before_start >= needed[index - 1]
            and before_end - cut < profile.shot_window_frames)


def _nearest(cuts: list[int], frame: int, window: int, above: int = 0) -> int | None:
    near = [cut for cut in cuts_near(cuts, frame, window) if cut >= above]
    return min(near, key=lambda cut: (abs(cut - frame), cut)) if near else None
