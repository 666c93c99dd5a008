"""Re-timing captions that already exist, their text and line breaks kept: to the audio (``align``),
or by a shift, a frame-rate change or sync points (``retime``); then the profile's frame rules
applied by the same function that times new captions."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from .context import LanguageContext
from .errors import InputError, OptionError, naming_media
from .formats import REGISTRY, read_cues
from .jobs import Made, run
from .languages import normalise_lang
from .model import Track, exact_rate, on_frame
from .naming import aligned_path, writable_format
from .profiles import file_context
from .progress import Progress


def realign_file(source: str | Path, audio: str, out_dir: str | None, lang: str | None, profile_name: str,
                 fps: str | None, encoding: str | None, progress: bool = False,
                 audio_part: str | None = None, trust_audio: bool = False,
                 strict_audio: bool = False) -> tuple[Path, list[str]]:
    """Re-time the cues of a caption file to the audio (or to the part of it ``audio_part``,
    FROM-TO, gives; ``trust_audio``: however poorly it matches; ``strict_audio``: refused if in doubt),
    text and line breaks kept as they are."""
    from .align import align_texts
    from .errors import OptionError

    if strict_audio and trust_audio:
        raise OptionError("--strict-audio refuses media that fits the transcript only in doubt; --trust-audio aligns "
                          "it anyway: give one of them")
    from .languages import own_language
    from .timecode import parse_span
    from .timing import apply_frame_rules, legible_time

    source = Path(source)
    fmt = writable_format(source, encoding)
    target = aligned_path(source, out_dir, fmt)

    def make() -> Made[list[str]]:
        cues = read_cues(source, encoding)
        if not cues:
            raise InputError("no cues to align", str(source))
        # Not given: the file's NAME.LANG.EXT, else what its text is in, else English.
        found = lang or own_language(source.name, " ".join(" ".join(cue.lines) for cue in cues[:300])) or "en"
        language = file_context(profile_name, normalise_lang(found), fps)
        rate = language.fps
        within = parse_span(audio_part, float(rate), "--audio-part") if audio_part else None
        with naming_media(audio):
            timings, report = align_texts(Path(audio), [" ".join(cue.lines) for cue in cues], language.pack,
                                          Progress(progress, f"{source.name}: "), within, trust_audio, strict_audio)
        needed = [legible_time(cue.text, language) for cue in cues]
        frames = apply_frame_rules([(t.start, t.end) for t in timings], language, None, needed)
        track = Track(language.lang, [replace(cue, start=Fraction(start) / rate, end=Fraction(end) / rate)
                                      for cue, (start, end) in zip(cues, frames)], fps=rate)
        return Made({target: REGISTRY[fmt].render(track, language)}, report.notes())

    return target, run([target], (source, audio), make).report


@dataclass(frozen=True)
class Retiming:
    """A change of times, ``t -> scale * t + offset``, onto the frames of ``fps``: exact fractions,
    so a shift and its reverse, or 23.976 -> 25 -> 23.976, return the same frames."""

    fps: Fraction
    scale: Fraction = Fraction(1)
    offset: Fraction = Fraction(0)

    def then(self, scale: Fraction, offset: Fraction) -> Retiming:
        """This change followed by another."""
        return Retiming(self.fps, self.scale * scale, self.offset * scale + offset)

    def frame(self, seconds: Fraction) -> int:
        """The target frame a time goes to.

        >>> Retiming(Fraction(25), Fraction(24000, 1001) / 25).frame(Fraction(1001, 24000) * 7)
        7
        """
        return nearest_frame((self.scale * seconds + self.offset) * self.fps)


def nearest_frame(frames: Fraction) -> int:
    """Halves rounded up, not to even: a shift by whole frames then moves every time alike (a
    BBC time of 4.18 s is 104.5 frames at 25; to even it would go down, and up after 55 frames more).

    >>> nearest_frame(Fraction(209, 2)), nearest_frame(Fraction(319, 2))
    (105, 160)
    """
    return math.floor(frames + Fraction(1, 2))


def signed_time(value: str, fps: Fraction, name: str) -> Fraction:
    """Exact seconds from ``-2.5s``, ``+90``, ``1:30`` or a timecode ``-00:00:01:12`` (whole frames).

    >>> signed_time("-2.5s", Fraction(25), "--shift"), signed_time("00:00:01:12", Fraction(24), "--shift")
    (Fraction(-5, 2), Fraction(3, 2))
    """
    from .timecode import parse_time

    text = value.strip()
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-").strip()
    text = text[:-1] if text.endswith("s") else text
    seconds = parse_time(text, float(fps), name)
    if text.count(":") == 3 or ";" in text:  # a timecode: a whole number of frames
        return sign * on_frame(seconds, fps)
    return sign * Fraction(text) if _DECIMAL.match(text) else sign * Fraction(seconds).limit_denominator(1000)


_DECIMAL = re.compile(r"^\d+(\.\d+)?$")


def make_retiming(fps: Fraction, shift: str | None = None, from_fps: str | None = None, to_fps: str | None = None,
                  syncs: tuple[str, ...] = (), start: str | None = None, origin: Fraction = Fraction(0)) -> Retiming:
    """The change the options ask for, in the order: speed change, shift, sync points, new start.

    ``--from-fps A --to-fps B`` plays A frames at B a second (PAL speed-up: every frame stays the
    same frame); ``--to-fps B`` alone re-labels the rate (every time stays, on B's frames).
    """
    from .timecode import parse_fps

    source = exact_rate(parse_fps(from_fps)) if from_fps else fps
    target = exact_rate(parse_fps(to_fps)) if to_fps else source
    retiming = Retiming(target, source / target if from_fps and to_fps else Fraction(1))
    if from_fps and not to_fps:
        raise OptionError("--from-fps needs --to-fps (the rate the programme plays at now)")
    if shift:  # whole frames, so that every cue moves by the same number of them
        retiming = retiming.then(Fraction(1), on_frame(signed_time(shift, source, "--shift"), source))
    if len(syncs) > 2:
        raise OptionError("--sync takes one point (an offset) or two (a drift), not more")
    points = [_sync_point(sync, target) for sync in syncs]
    if len(points) == 1:
        (was, now), = points
        retiming = retiming.then(Fraction(1), now - was)
    elif len(points) == 2:
        (first, first_now), (second, second_now) = sorted(points)
        if first == second:
            raise OptionError("--sync: the two points must be at different times")
        scale = (second_now - first_now) / (second - first)
        if not Fraction(1, 2) <= scale <= 2:
            raise OptionError(f"--sync: the points stretch time by {float(scale):.3f}x (more than 2x either way)")
        retiming = retiming.then(scale, first_now - scale * first)
    if start:
        retiming = retiming.then(Fraction(1), on_frame(signed_time(start, target, "--start") - origin, target))
    return retiming


def _sync_point(sync: str, fps: Fraction) -> tuple[Fraction, Fraction]:
    was, equals, now = sync.partition("=")
    if not equals:
        raise OptionError(f"--sync {sync!r}: use OLD=NEW, e.g. 0:01:02.5=0:01:04")
    return signed_time(was, fps, "--sync"), signed_time(now, fps, "--sync")


@dataclass
class Retimed:
    """What came of re-timing one file: where it went and what moved beyond the change asked for."""

    target: Path
    cues: int
    moved: list[str]
    issues: list[Any]


def retime_track(track: Track, retiming: Retiming, language: LanguageContext) -> tuple[Track, list[str]]:
    """The track's cues re-timed, then, where the change did not keep every cue's length and gap
    in frames (a speed change or a whole-frame shift does), the profile's frame rules (gap,
    minimum duration) at the language's rate, the change's; notes on every cue the rules moved or
    that fell before the start."""
    mapped = [(retiming.frame(cue.start), retiming.frame(cue.end)) for cue in track.cues]
    return moved_track(track, mapped, replace(language, fps=retiming.fps), max(retiming.frame(track.origin), 0))


def moved_track(track: Track, mapped: list[tuple[int, int]], language: LanguageContext,
                origin: int) -> tuple[Track, list[str]]:
    """The track's cues on the frames ``mapped`` (of the language's rate), then the frame rules where
    the change did not keep every cue's length and gap; as :func:`retime_track`."""
    from .timing import apply_frame_rules

    rate = language.fps
    early = next((number for number, (start, _) in enumerate(mapped, start=1) if start < 0), None)
    if early is not None:
        at = Fraction(mapped[early - 1][0]) / rate
        raise OptionError(f"the change would put cue {early} (at {float(track.cues[early - 1].start):.3f} s) at "
                          f"{float(at):.3f} s, before the programme's start; nothing written")
    kept = [(cue, span) for cue, span in zip(track.cues, mapped)]
    notes: list[str] = []
    frames = [span for _, span in kept]
    ruled = frames
    if _shape([(nearest_frame(cue.start * track.fps), nearest_frame(cue.end * track.fps)) for cue, _ in kept]) != \
            _shape(frames):
        ruled = apply_frame_rules([(start / float(rate), end / float(rate)) for start, end in frames], language)
    for number, ((start, end), (new_start, new_end)) in enumerate(zip(frames, ruled), start=1):
        moved = [f"{what} {_frames(by)}" for what, by in (("in", new_start - start), ("out", new_end - end)) if by]
        if moved:
            notes.append(f"cue {number}: moved by the frame rules (gap, minimum duration): {', '.join(moved)}")
    cues = [replace(cue, start=Fraction(start) / rate, end=Fraction(end) / rate)
            for (cue, _), (start, end) in zip(kept, ruled)]
    return replace(track, cues=cues, fps=rate, origin=Fraction(origin) / rate), notes


def _shape(frames: list[tuple[int, int]]) -> list[int]:
    """Each cue's length and the gap before the next, in frames: what a whole-frame change keeps.

    >>> _shape([(0, 20), (22, 50)])
    [20, 2, 28]
    """
    shape = []
    for index, (start, end) in enumerate(frames):
        shape += [end - start] + ([frames[index + 1][0] - end] if index + 1 < len(frames) else [])
    return shape


def _frames(count: int) -> str:
    return f"{count:+d} frame{'s' if abs(count) != 1 else ''}"


def retime_file(source: str | Path, out_dir: str | None, lang: str, profile_name: str, fps: str | None,
                encoding: str | None, in_place: bool = False, **change: Any) -> Retimed:
    """Re-time a caption file of any format the registry reads and writes, in its own format."""
    from . import qc
    from .formats import own_rate, read_track
    from .timecode import parse_fps

    source = Path(source)
    fmt = writable_format(source, encoding)
    # The file's rate: as told, else the one its format fixes (SCC, STL), else the speed change's, else the profile's.
    own = None if fps else own_rate(source, fmt)
    language = file_context(profile_name, normalise_lang(lang), fps,
                            own or (parse_fps(change["from_fps"]) if change.get("from_fps") else None))
    rate = language.fps
    target = source if in_place else aligned_path(source, out_dir, fmt, "retimed")

    def make() -> Made[Retimed]:
        track = read_track(source, language.lang, float(rate), encoding)
        if not track.cues:
            raise InputError("no cues to re-time", str(source))
        retiming = make_retiming(rate, origin=track.origin, **change)
        retimed, moved = retime_track(track, retiming, language)
        issues = qc.check(retimed.cues, replace(language, fps=retimed.fps))
        return Made({target: REGISTRY[fmt].render(retimed, language)}, Retimed(target, len(retimed.cues), moved, issues))

    return run([target], (source,), make, in_place=source if in_place else None).report
