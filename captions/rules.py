"""The style rules: each one object, declaring everything about it in one place.

A :class:`Rule` names its profile key (a field of :class:`~captions.model.Profile` and a TOML key),
the values it accepts, its value in every built-in profile, how the cue planner uses it and how QC
checks it. Profiles (built in and TOML), validation, ``captions profiles`` and QC all read
:data:`RULES`; a new rule is one entry here (and its typed field on ``Profile``).

Values in built-in profiles are keyed ``"*"`` (every profile: the default), ``"netflix"`` (a profile,
every language), ``"netflix *"`` (its languages other than English) and ``"netflix-kids fr"`` (one
language); a profile built on another (``netflix-sdh`` on ``netflix``) has the other's values unless
it gives its own. A language whose pack carries a guide's own numbers (Japanese's 13 units) has those.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .languages.phrases import NO_LINE_END, NO_LINE_START
from .model import ERROR, Cue, Issue
from .text import display_width

if TYPE_CHECKING:
    from .context import LanguageContext

Check = Callable[[int, Cue, "Cue | None", "LanguageContext"], list[Issue]]  # (number, cue, the one before, language)

_EUROPEAN = {"max_chars_per_line": 42, "max_cps": 17.0, "target_cps": 14.0}  # Netflix's guides for FIGS and most others


@dataclass(frozen=True)
class Rule:
    """One rule of a style: what it means, the values it takes, its value in each built-in profile,
    how the planner uses it (``plan``: the step, in words) and QC's check of a cue against it."""

    key: str
    means: str
    builtin: Mapping[str, Any]  # "*": the default; "profile", "profile *", "profile lang": see the module
    plan: str
    bounds: tuple[float, float] | None = None  # lowest and highest a number may be
    choices: tuple[Any, ...] = ()
    whole: bool = False  # a whole number (frames, lines)
    optional: bool = False  # None: the guide does not count this way
    check: Check | None = field(default=None, compare=False)

    @property
    def default(self) -> Any:
        return self.builtin["*"]

    def problem(self, value: object) -> str | None:
        """What is wrong with a value of this rule, or None.

        >>> RULES["max_lines"].problem(0)
        'max_lines = 0 is out of range (1 to 10, a whole number)'
        """
        if self.choices:
            return None if value in self.choices else \
                f"{self.key} = {value!r} is not one of {', '.join(map(str, self.choices))}"
        if self.bounds is None or (value is None and self.optional):
            return None
        lowest, highest = self.bounds
        number = isinstance(value, int) if self.whole else isinstance(value, (int, float))
        if isinstance(value, bool) or not number or not (lowest <= value <= highest):  # type: ignore[operator]
            return f"{self.key} = {value!r} is out of range ({lowest:g} to {highest:g}, " \
                   f"{'a whole number' if self.whole else 'a number'})"
        return None

    def accepts_type(self, value: object) -> bool:
        """A TOML value of the type this rule takes (a number for a number, never a bool for one)."""
        expected: tuple[type, ...] = (int, float) if self.bounds else (type(self.default),)
        return not (isinstance(value, bool) and bool not in expected) and isinstance(value, expected)


def _max_lines(number: int, cue: Cue, previous: Cue | None, language: LanguageContext) -> list[Issue]:
    limit = language.style.max_lines
    if len(cue.lines) <= limit:
        return []
    return [Issue(number, "lines", len(cue.lines), limit, ERROR, f"{len(cue.lines)} lines, maximum {limit}")]


def _line_length(number: int, cue: Cue, previous: Cue | None, language: LanguageContext) -> list[Issue]:
    """Every line wider than the limit, counted as the language counts width; where lines are
    counted in full-width units (CJK), a line may not start or end with what kinsoku forbids."""
    profile, issues = language.style, []
    for line in cue.lines:
        width = display_width(line, profile.width_mode)
        if width > profile.max_chars_per_line:
            single = " " not in line.strip()
            issues.append(Issue(number, "line-length", width, profile.max_chars_per_line, ERROR,
                                f"line of {width:g} characters, maximum {profile.max_chars_per_line:g}"
                                + (" (a single word longer than a line)" if single else "") + f": {line!r}"))
        if profile.width_mode == "cjk" and line:
            if line[0] in NO_LINE_START:
                issues.append(Issue(number, "kinsoku", line[0], "", ERROR, f"line starts with {line[0]!r}"))
            if line[-1] in NO_LINE_END:
                issues.append(Issue(number, "kinsoku", line[-1], "", ERROR, f"line ends with {line[-1]!r}"))
    return issues


def _half_frame(language: LanguageContext) -> float:
    """Durations are judged to the frame: a cue half a frame off a limit is on it."""
    return 0.5 / float(language.fps)


def _min_duration(number: int, cue: Cue, previous: Cue | None, language: LanguageContext) -> list[Issue]:
    shortest = language.style.min_duration
    if cue.duration >= shortest - _half_frame(language):
        return []
    return [Issue(number, "min-duration", round(cue.duration, 3), round(shortest, 3), ERROR,
                  f"on screen {cue.duration:.2f} s, minimum {shortest:.2f} s")]


def _max_duration(number: int, cue: Cue, previous: Cue | None, language: LanguageContext) -> list[Issue]:
    longest = language.style.max_duration
    if cue.duration <= longest + _half_frame(language):
        return []
    return [Issue(number, "max-duration", round(cue.duration, 3), longest, ERROR,
                  f"on screen {cue.duration:.2f} s, maximum {longest:.2f} s")]


def _reading_speed(number: int, cue: Cue, previous: Cue | None, language: LanguageContext) -> list[Issue]:
    """Characters per second and words per minute, each against its maximum, counted as the
    language counts them (the same count timing gives a cue its time by)."""
    from .reading import speeds

    issues = []
    for speed in speeds(" ".join(line.strip() for line in cue.lines), cue.duration, language):
        if speed.too_fast:
            shown = 1 if round(speed.value, 1) > speed.limit else 2  # never "17.0, maximum 17"
            issues.append(Issue(number, "reading-speed", round(speed.value, shown), speed.limit, ERROR,
                                f"{speed.value:.{shown}f} {speed.unit}, maximum {speed.limit:g}"))
    return issues


def _min_gap(number: int, cue: Cue, previous: Cue | None, language: LanguageContext) -> list[Issue]:
    """An overlap with the cue before, or a gap shorter than the minimum, in frames."""
    if previous is None:
        return []
    overlap = float(previous.end - cue.start)
    if overlap > 0.0005:
        return [Issue(number, "overlap", round(overlap, 3), 0, ERROR,
                      f"starts {overlap:.3f} s before cue {number - 1} ends")]
    gap_frames, least = round((cue.start - previous.end) * float(language.fps)), language.style.min_gap_frames
    if gap_frames < least:
        return [Issue(number, "gap", gap_frames, least, ERROR,
                      f"gap of {gap_frames} frames after cue {number - 1}, minimum {least}")]
    return []


_SPEED = "linebreak.CuePlanner.cue_cost (a timed cue too fast to read costs more) and timing (each cue stays up " \
         "long enough to be read)"
_RULES = (
    Rule("max_chars_per_line", "characters (full-width units in CJK) a line holds",
         {"*": 42, "netflix *": _EUROPEAN["max_chars_per_line"], "netflix-kids fr": 42, "bbc": 37},
         "linebreak.CuePlanner.fits (no line is laid out wider)", bounds=(1, 10_000), check=_line_length),
    Rule("max_lines", "lines a cue holds", {"*": 2}, "linebreak.CuePlanner.lines_of (in so many lines at most)",
         bounds=(1, 10), whole=True, check=_max_lines),
    Rule("max_cps", "the fastest reading speed, characters a second",
         {"*": 20.0, "netflix *": _EUROPEAN["max_cps"], "netflix-kids": 17.0, "netflix-kids fr": 17.0,
          "netflix-kids *": 15.0, "bbc": None}, _SPEED, bounds=(0.1, 1e6), optional=True, check=_reading_speed),
    Rule("max_wpm", "the fastest reading speed, words a minute (where the guide counts words)",
         {"*": None, "bbc": 180.0}, _SPEED, bounds=(1, 1e6), optional=True),  # checked with max_cps
    Rule("target_cps", "the comfortable reading speed untimed text is timed at, characters a second",
         {"*": 15.0, "netflix *": _EUROPEAN["target_cps"], "netflix-kids": 13.0, "netflix-kids fr": 14.0,
          "netflix-kids *": 12.0, "bbc": 13.0}, "timing.reading_time (untimed text); linebreak.CuePlanner.cue_cost "
         "(an untimed cue's time)", bounds=(0.1, 1e6)),
    Rule("target_wpm", "the comfortable reading speed, words a minute (used instead of target_cps)",
         {"*": None, "bbc": 160.0}, "timing.reading_time (untimed text)", bounds=(1, 1e6), optional=True),
    Rule("min_duration", "the shortest a cue stays up, seconds", {"*": 5 / 6, "bbc": 0.8},
         "timing.apply_frame_rules (a cue lingers, or takes frames from its neighbours)", bounds=(0, 60),
         check=_min_duration),
    Rule("max_duration", "the longest a cue stays up, seconds", {"*": 7.0},
         "linebreak.CuePlanner.cue_cost (a longer cue is never planned); timing.apply_frame_rules",
         bounds=(0.1, 3600), check=_max_duration),
    Rule("min_gap_frames", "frames between two cues, at least", {"*": 2},
         "timing.apply_frame_rules (the gap comes out of the later cue's start)", bounds=(0, 1000), whole=True,
         check=_min_gap),
    Rule("close_gap_frames", "a gap this short is closed to the minimum gap, frames", {"*": 12},
         "timing.apply_frame_rules", bounds=(0, 10_000), whole=True),
    Rule("linger_frames", "how long a cue that needs time to be read may stay after its last word, frames "
         "(Netflix: an out-time up to 12 frames late)", {"*": 12},
         "linebreak.CuePlanner.cue_cost (time a timed cue may borrow); timing.apply_frame_rules",
         bounds=(0, 100_000), whole=True),
    Rule("lead_in_frames", "how early a cue may appear before its first word, frames (Netflix: 3)", {"*": 3},
         "linebreak.CuePlanner.cue_cost (time a timed cue may borrow); timing.apply_frame_rules",
         bounds=(0, 100_000), whole=True),
    Rule("shot_window_frames", "an in-time this near a shot change goes onto it, frames", {"*": 12},
         "timing.snap_to_shots; QC's shot-change check (qc.shot_issues, given the cuts)", bounds=(0, 10_000),
         whole=True),
    Rule("shot_gap_frames", "an out-time near a shot change ends this many frames before it", {"*": 2},
         "timing.snap_to_shots; QC's shot-change check (qc.shot_issues, given the cuts)", bounds=(0, 10_000),
         whole=True),
    Rule("sdh", "keep sound descriptions and lyrics (for the deaf and hard of hearing)",
         {"*": False, "netflix-sdh": True, "bbc-sdh": True}, "sdh.render, before cues are planned",
         choices=(False, True)),
    Rule("sound_style", "how a sound is written: [door slams] (brackets) or DOOR SLAMS (capitals)",
         {"*": "brackets", "bbc-sdh": "capitals"}, "sdh.render", choices=("brackets", "capitals")),
    Rule("music_mark", "the mark around lyrics", {"*": "♪", "bbc-sdh": "#"}, "sdh.render"),
    Rule("fps", "the frame rate cues are timed on, frames a second", {"*": 24000 / 1001, "bbc": 25.0},
         "the language's context: every stage's one frame rate (--fps or the media's over it)", bounds=(1, 1000)),
    Rule("width_mode", "how width is counted: latin (a character is 1) or cjk (full-width 1, half-width 0.5)",
         {"*": "latin"}, "linebreak.prepare, reading speed and QC count widths so", choices=("latin", "cjk")),
    Rule("breaker", "where lines may break: between words, or at phrases (BudouX, no spaces)", {"*": "words"},
         "the pack's tokens (segmenter.tokenize)", choices=("words", "phrases")),
    Rule("dialog_dash", "the mark before each speaker's line of a dialogue cue", {"*": "-"},
         "segmenter.pair_dialog"),
    Rule("speaker_style", "how speaker changes show by default", {"*": "dash", "bbc": "colour"},
         "segmenter.segment_cues (the language's context: --speakers over it)",
         choices=("none", "dash", "label", "colour")),
    Rule("label_format", "a speaker's label, with {name} or {NAME}", {"*": "{NAME}:"}, "segmenter.label_for"),
    Rule("punctuation", "how numbers and punctuation are written (netflix-ja: as the JP TTSG writes them)",
         {"*": "keep"}, "the pack's display form (linebreak.prepare)", choices=("keep", "netflix-ja")),
    Rule("writing_mode", "horizontal, or vertical (Japanese tategaki, IMSC tts:writingMode tbrl)",
         {"*": "horizontal"}, "the track's layout, which IMSC declares", choices=("horizontal", "vertical")),
)
RULES: dict[str, Rule] = {rule.key: rule for rule in _RULES}
CHECKS: tuple[Rule, ...] = tuple(rule for rule in _RULES if rule.check is not None)  # in the order QC reports them
