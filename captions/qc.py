"""Quality control: every rule of a profile checked on every cue, with the value and the limit."""

from __future__ import annotations

import math
import re
import unicodedata
from fractions import Fraction

from .context import LanguageContext
from .languages.base import WEAK
from .model import ERROR, WARNING, Cue, Issue, Segment, Stretch
from .rules import CHECKS
from .shots import cuts_near
from .timemap import TimeMap
from .timing import in_time_on_cut, legible_time, out_time_for_cut

__all__ = ["ERROR", "WARNING", "Issue", "alignment_issues", "check", "shot_issues", "summary", "transcript_issues",
           "untranslated_issues"]


def check(cues: list[Cue], language: LanguageContext, first_number: int = 1) -> list[Issue]:
    """All issues of a track, in cue order: every style rule's own check (:data:`captions.rules.RULES`),
    and the breaks a reviewer would mend (an empty cue, a line or cue ending on a weak word).
    ``first_number``: the number of the first cue, when ``cues`` are a stretch of a longer track.

    >>> from captions.context import resolved
    >>> from captions.profiles import get_profile
    >>> [i.rule for i in check([Cue(0, 0.5, ("Hi.",), ("A",))], resolved(get_profile("netflix", "en"), 25))]
    ['min-duration']
    """
    issues: list[Issue] = []
    previous = None
    for number, cue in enumerate(cues, start=first_number):
        if not any(line.strip() for line in cue.lines):
            issues.append(Issue(number, "empty", 0, 1, ERROR, "cue has no text"))
        for rule in CHECKS:
            issues.extend(rule.check(number, cue, previous, language))  # type: ignore[misc]
        issues.extend(_weak_line_breaks(number, cue, language))
        if previous is not None:
            issues.extend(_cue_end_issues(number - 1, previous, cue, language))
        previous = cue
    return sorted(issues, key=lambda issue: issue.cue)  # a cue's end is judged at the next cue: back in place


_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+(\S+(?:\s+\S+)?)$")


def _cue_end_issues(number: int, cue: Cue, following: Cue, language: LanguageContext) -> list[Issue]:
    """Where a cue ends mid-sentence: on a weak word ("...the"), or on the first words of a new sentence.

    >>> from captions.context import resolved
    >>> from captions.profiles import get_profile
    >>> en = resolved(get_profile("netflix", "en"))
    >>> [i.rule for i in _cue_end_issues(1, Cue(0, 2, ("Right away. I",), ("A",)), Cue(2, 4, ("can't.",), ("A",)), en)]
    ['weak-cue-break', 'sentence-start']
    """
    last, first = " ".join(cue.lines).split(), " ".join(following.lines).split()
    if not last or not first or cue.speakers[-1:] != following.speakers[:1] or \
            last[-1][-1] in ".!?…" or first[0].startswith(language.style.dialog_dash.strip() or "\0"):
        return []
    issues = []
    if language.pack.break_weakness(last, first) >= WEAK:
        issues.append(Issue(number, "weak-cue-break", f"{last[-1]} | {first[0]}", "", WARNING,
                            f"cue ends on {last[-1]!r}, which belongs with {first[0]!r} in the next cue"))
    if orphan := _SENTENCE_END.search(" ".join(cue.lines)):
        issues.append(Issue(number, "sentence-start", orphan[1], "", WARNING,
                            f"cue ends on the first words of a new sentence: {orphan[1]!r}"))
    return issues


def _weak_line_breaks(number: int, cue: Cue, language: LanguageContext) -> list[Issue]:
    """A line break that splits what the language keeps together ("the | house")."""
    issues, dash = [], language.style.dialog_dash.strip() or "\0"
    for top, bottom in zip(cue.lines, cue.lines[1:]):
        if top.split() and bottom.split() and not bottom.startswith(dash):
            left, right = top.split()[-1], bottom.split()[0]
            if language.pack.break_weakness(top.split(), bottom.split()) >= WEAK:
                issues.append(Issue(number, "weak-break", f"{left} | {right}", "", WARNING,
                                    f"line break splits {left!r} from {right!r}"))
    return issues


def alignment_issues(cues: list[Cue], stretches: list[Stretch]) -> list[Issue]:
    """An error on every cue that overlaps a stretch the aligner was unsure of: a cue that may be
    off by seconds is not deliverable until someone has looked."""
    issues = []
    for number, cue in enumerate(cues, start=1):
        for stretch in stretches:
            if cue.start < stretch.end and stretch.start < cue.end:
                where = f"{stretch.start:.2f}-{stretch.end:.2f}"
                issues.append(Issue(number, "alignment", where, "", ERROR,
                                    f"timing uncertain {where} s: {stretch.reason}"))
    return issues


def untranslated_issues(cues: list[Cue], sentences: list[tuple[float, float, tuple[str, ...]]]) -> list[Issue]:
    """A warning on the first cue of each translated sentence in which the model did not know some
    pieces (copied from the source, or dropped): someone who reads the language should look.

    >>> from fractions import Fraction as F
    >>> cue = Cue(F(1), F(3), ["don’t eat €5."], [""])
    >>> [str(issue) for issue in untranslated_issues([cue], [(0.9, 3.0, ("’", "€"))])]
    ["cue 1: warning: 2 pieces the model did not know, copied from the source: '’', '€'"]
    """
    issues = []
    for start, end, pieces in sentences:
        number = next((number for number, cue in enumerate(cues, start=1) if float(cue.end) > start and
                       float(cue.start) < end), None)
        if number is not None:
            copied = [piece for piece in pieces if piece != "⁇"]
            said = [f"{len(copied)} pieces the model did not know, copied from the source: "
                    f"{', '.join(map(repr, copied))}"] if copied else []
            said += [f"{len(pieces) - len(copied)} unknown pieces dropped"] if len(copied) < len(pieces) else []
            issues.append(Issue(number, "untranslated", len(pieces), 0, WARNING, "; ".join(said)))
    return issues


_NOT_TEXT = re.compile(r"[\W_]+")


def shot_issues(cues: list[Cue], cuts: tuple[Fraction, ...], language: LanguageContext) -> list[Issue]:
    """A warning on every in-time near a shot change but not on it, and every out-time near one but
    not ``shot_gap_frames`` before it (a cue hanging over a cut by a few frames, or ending just short),
    where the timing rule (:func:`~captions.timing.in_time_on_cut`, :func:`~captions.timing.out_time_for_cut`)
    would move it: never for a cue it left where it is (too short to read on the cut, say), nor an
    out-time the next cue sets by following at the minimum gap.

    >>> from captions.context import resolved
    >>> from captions.profiles import get_profile
    >>> cues = [Cue(Fraction(0), Fraction(103, 25), ("a",), ("",)), Cue(Fraction(110, 25), Fraction(6), ("b",), ("",))]
    >>> [(i.cue, i.value) for i in shot_issues(cues, (Fraction(4),), resolved(get_profile("netflix", "en"), 25))]
    [(1, 'out 3'), (2, 'in +10')]
    """
    if not cuts:
        return []  # no reading times to work out for a programme without shot changes
    profile, fps = language.style, language.fps
    window, gap = profile.shot_window_frames, profile.shot_gap_frames
    cut_set = {round(cut * fps) for cut in cuts}
    frames = sorted(cut_set)
    spans = [[round(cue.start * fps), round(cue.end * fps)] for cue in cues]
    needed = [math.ceil(legible_time(cue.text, language) * fps) for cue in cues]
    longest = math.floor(profile.max_duration * fps + 1e-9)
    issues = []
    for number, (start, end) in enumerate(spans, start=1):
        near_in = cuts_near(frames, start, window)
        cut = min(near_in, key=lambda frame: abs(start - frame)) if near_in else None
        if cut is not None and start not in cut_set and in_time_on_cut(spans, number - 1, cut, needed, profile, longest):
            issues.append(Issue(number, "shot-change", f"in {start - cut:+d}", 0, WARNING,
                                f"in-time {abs(start - cut)} frames {'after' if start > cut else 'before'} a shot "
                                f"change at {float(cut / fps):.2f} s: put it on the cut"))
        near_out = [cut for cut in cuts_near(frames, end, window) if cut > end - window]
        following = round(cues[number].start * fps) if number < len(cues) else None
        chained = following is not None and following - end <= profile.min_gap_frames  # the next cue sets this end
        cut = min(near_out, key=lambda frame: abs(end - frame)) if near_out else None
        if cut is not None and not chained and end + gap not in cut_set and \
                out_time_for_cut(spans, number - 1, cut, needed, profile, longest) not in (None, end):
            what = (f"hangs over a shot change by {end - cut} frames" if end >= cut
                    else f"ends {cut - end} frames before a shot change")
            issues.append(Issue(number, "shot-change", f"out {end - cut}", -gap, WARNING,
                                f"out-time {what} at {float(cut / fps):.2f} s: end it {gap} frames before the cut"))
    return issues


def transcript_issues(cues: list[Cue], segments: list[Segment], language: LanguageContext) -> list[Issue]:
    """Cues checked against the word times of the transcript they show (ASR JSON, timed captions).

    Each cue's text is found, in order, in the transcript (letters and digits only, NFKC, lower
    case, so line breaks, punctuation and full-width forms do not matter); a cue that ends before
    its last character is spoken is an error. A cue not found there is a warning: the text was
    edited, or the transcript is another programme's.
    """
    stream, times = [], []
    for segment in segments:
        clock = TimeMap(segment.anchors)
        for offset, char in enumerate(segment.text):
            for kept in _NOT_TEXT.sub("", unicodedata.normalize("NFKC", char).lower()):
                stream.append(kept)
                times.append(clock.at(offset + 1))
    spoken, issues, cursor = "".join(stream), [], 0
    for number, cue in enumerate(cues, start=1):
        shown = _NOT_TEXT.sub("", unicodedata.normalize("NFKC", " ".join(cue.lines)).lower())
        found = spoken.find(shown, cursor) if shown else -1
        if found < 0:
            issues.append(Issue(number, "transcript", "", "", WARNING, "text not found in the transcript (from here on)"
                                if cursor < len(spoken) else "text beyond the end of the transcript"))
            continue
        cursor = found + len(shown)
        last_spoken = times[cursor - 1]
        early = last_spoken - float(cue.end)
        if early > 0.5 / float(language.fps):
            issues.append(Issue(number, "early-end", round(early, 3), 0, ERROR,
                                f"ends {early:.3f} s before its last word is spoken ({last_spoken:.3f} s)"))
    return issues


def summary(issues: list[Issue]) -> str:
    """``3 errors (2 reading-speed, 1 gap), 1 warning`` or ``no issues``."""
    if not issues:
        return "no issues"
    parts = []
    for severity in (ERROR, WARNING):
        found = [issue.rule for issue in issues if issue.severity == severity]
        if found:
            rules = ", ".join(f"{found.count(rule)} {rule}" for rule in dict.fromkeys(found))
            parts.append(f"{len(found)} {severity}{'s' if len(found) > 1 else ''} ({rules})")
    return ", ".join(parts)
