"""The plain data every stage shares: segments in, cues out, and the profile that rules them.

Cue times are exact: :class:`fractions.Fraction` seconds, made from whole frames of the track's
exact frame rate (24000/1001, not 23.976) or from the milliseconds a caption file wrote. They
become decimals only in writers, so a frame written to TTML is the frame timing chose.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from fractions import Fraction
from typing import Any, NamedTuple

NARRATOR = "Narrator"
# Speaker colours by name, chosen once per track (BBC order); writers turn a name into their own notation.
# Every colour a caption format can name (teletext's and CEA-608's eight): a reader never meets one a writer lacks.
COLOURS = {"white": "#FFFFFF", "yellow": "#FFFF00", "cyan": "#00FFFF", "green": "#00FF00", "red": "#FF0000",
           "blue": "#0000FF", "magenta": "#FF00FF", "black": "#000000"}
_NTSC = {23.976: Fraction(24000, 1001), 29.97: Fraction(30000, 1001), 47.952: Fraction(48000, 1001),
         59.94: Fraction(60000, 1001)}


def colour_name(value: str) -> str:
    """The name of one of :data:`COLOURS` from a format's notation (``#FFFF00``, ``#ffff00ff``, ``yellow``),
    or "" for any other colour.

    >>> colour_name("#ffff00"), colour_name("#FFFF00FF"), colour_name("cyan"), colour_name("#123456")
    ('yellow', 'yellow', 'cyan', '')
    """
    value = value.strip().lower()
    if value in COLOURS:
        return value
    if value.startswith("#") and len(value) in (7, 9) and (len(value) == 7 or value.endswith("ff")):
        value = value[:7].upper()
        return next((name for name, code in COLOURS.items() if code == value), "")
    return ""


def exact_rate(fps: float | Fraction) -> Fraction:
    """The exact frame rate a number stands for: NTSC rates as their ratios.

    >>> exact_rate(24000 / 1001), exact_rate(23.976), exact_rate(25)
    (Fraction(24000, 1001), Fraction(24000, 1001), Fraction(25, 1))
    """
    if isinstance(fps, Fraction):
        return fps
    for rounded, ratio in _NTSC.items():
        if abs(fps - rounded) < 0.001:
            return ratio
    return Fraction(fps).limit_denominator(1001)


def seconds(value: float | Fraction) -> Fraction:
    """A time as an exact fraction (a decimal exactly as the float it is: nothing rounded away).

    >>> seconds(1.5), seconds(Fraction(1, 3))
    (Fraction(3, 2), Fraction(1, 3))
    """
    return value if isinstance(value, Fraction) else Fraction(value)


def on_frame(time: float | Fraction, fps: Fraction) -> Fraction:
    """A time moved to the nearest frame of an exact rate.

    >>> on_frame(1.01, Fraction(25)), on_frame(Fraction(-3, 2), Fraction(24000, 1001))
    (Fraction(1, 1), Fraction(-3003, 2000))
    """
    return Fraction(round(time * fps)) / fps


def counted(seconds: Fraction, per_second: Fraction | int) -> int:
    """A time in whole units of ``1/per_second`` (frames, ticks, milliseconds), the nearest (halves
    to even, as ``round``), in integer arithmetic: writers count this for every cue of long tracks.

    >>> counted(Fraction(1001, 30000) * 7, Fraction(30000, 1001)), counted(Fraction(13013, 2400), Fraction(30000, 1001))
    (7, 162)
    >>> counted(Fraction(1, 3), 1000), counted(Fraction(1, 2000), 1000), counted(Fraction(3, 2000), 1000)
    (333, 0, 2)
    """
    scale = Fraction(per_second)
    quotient, remainder = divmod(seconds.numerator * scale.numerator, seconds.denominator * scale.denominator)
    twice, whole = 2 * remainder, seconds.denominator * scale.denominator
    return quotient + (twice > whole or (twice == whole and quotient % 2 == 1))


@dataclass(frozen=True)
class Segment:
    """One speaker turn of the transcript, as a reader found it.

    ``anchors`` ties character offsets of ``text`` to seconds, ascending, for timed inputs
    (at least the segment's start and end; one pair per word when the input has word times).
    Untimed segments have no anchors and get their times from reading speed.
    """

    text: str
    speaker: str = NARRATOR
    title: str = ""
    kind: str = "narration"  # headline | narration | soundbite | caption
    line: int = 0  # where the segment starts in the source file, for messages
    paragraph: int = 0  # segments of one source paragraph share a number
    anchors: tuple[tuple[int, float], ...] = ()
    ruby: tuple[tuple[int, int, str], ...] = ()  # (first char, end char, reading) of bases in ``text``
    offscreen: bool = False  # a voice-over or an off-screen voice: shown in italics
    doubtful: tuple[Stretch, ...] = ()  # times the reader doubts (a recogniser's word longer than speech)

    @property
    def timed(self) -> bool:
        return bool(self.anchors)


class Source(NamedTuple):
    """The characters of one segment a cue shows: ``segments[segment].text[first:end]``."""

    segment: int
    first: int
    end: int


@dataclass(frozen=True)
class Stretch:
    """A stretch of the programme the aligner is unsure of, and why (seconds of the programme)."""

    start: float
    end: float
    reason: str

    def shifted(self, seconds: float) -> Stretch:
        return Stretch(self.start + seconds, self.end + seconds, self.reason)

    @property
    def times(self) -> str:
        """``m:ss.sss-m:ss.sss``"""
        minutes, seconds = divmod(self.start, 60)
        until_minutes, until_seconds = divmod(self.end, 60)
        return f"{int(minutes):d}:{seconds:06.3f}-{int(until_minutes):d}:{until_seconds:06.3f}"

    def __str__(self) -> str:
        return f"{self.times}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Span:
    """A run of a line's text in one style; ``ruby`` is a reading shown beside it (Japanese furigana);
    ``colour`` a name of :data:`COLOURS`, or "" for the speaker's colour."""

    text: str
    italic: bool = False
    ruby: str = ""
    colour: str = ""

    @property
    def plain(self) -> bool:
        return not (self.italic or self.ruby or self.colour)


def trim_runs(spans: list[Span]) -> tuple[Span, ...]:
    """A line's runs with the line's outer white space removed, as readers show lines.

    >>> [span.text for span in trim_runs([Span(" "), Span(" Hi ", italic=True), Span("there  ")])]
    ['Hi ', 'there']
    """
    runs = [span for span in spans if span.text]
    while runs and not runs[0].text.strip():
        runs.pop(0)
    while runs and not runs[-1].text.strip():
        runs.pop()
    if runs:
        runs[0] = replace(runs[0], text=runs[0].text.lstrip())
        runs[-1] = replace(runs[-1], text=runs[-1].text.rstrip())
    return tuple(runs)


def styled_rows(rows: list[list[Span]]) -> tuple[tuple[str, ...], tuple[tuple[Span, ...], ...]]:
    """The lines of rows of runs, and their runs: outer white space trimmed, empty rows left out."""
    trimmed = [runs for runs in (trim_runs(row) for row in rows) if runs]
    return tuple("".join(span.text for span in runs) for runs in trimmed), tuple(trimmed)


@dataclass(frozen=True, slots=True)
class Cue:
    """One caption on screen: its lines, line by line who speaks them, where it sits and its styled runs.

    ``styled`` is empty for plain lines; otherwise one tuple of spans per line, whose texts join to the line.
    """

    start: Fraction
    end: Fraction
    lines: tuple[str, ...]
    speakers: tuple[str, ...]
    sources: tuple[Source, ...] = ()  # the source characters shown, for translation and QC
    region: str = "bottom"
    styled: tuple[tuple[Span, ...], ...] = ()
    align: str = "center"

    def __post_init__(self) -> None:
        # Library callers may give decimal seconds: kept as the exact fractions they are.
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, Fraction):
                object.__setattr__(self, name, seconds(value))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def duration(self) -> float:
        """Seconds on screen, as a decimal for reading-speed arithmetic."""
        return float(self.end - self.start)

    def spans(self, line: int) -> tuple[Span, ...]:
        """The styled runs of one line (one plain span when the cue has no styles)."""
        return self.styled[line] if self.styled else (Span(self.lines[line]),)


@dataclass(frozen=True)
class Speaker:
    name: str
    title: str = ""
    colour: str = ""  # set when the profile shows speakers by colour


ERROR, WARNING = "error", "warning"


@dataclass(frozen=True, slots=True)
class Issue:
    """One broken rule: where (1-based cue number), what was measured and what the limit is."""

    cue: int
    rule: str
    value: float | str
    limit: float | str
    severity: str
    message: str

    def __str__(self) -> str:
        return f"cue {self.cue}: {self.severity}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Track:
    """All cues of one language of one programme, ready for writers and QC.

    ``issues`` are the QC findings (:class:`Issue`) once checked; ``vertical`` is the
    layout the cues were cut for, which IMSC declares.
    """

    lang: str
    cues: list[Cue]
    speakers: dict[str, Speaker] = field(default_factory=dict)
    fps: Fraction = Fraction(25)
    notes: list[str] = field(default_factory=list)  # timing compromises worth telling the user
    issues: list[Issue] = field(default_factory=list)
    vertical: bool = False
    title: str = ""  # the programme's title, which some formats carry (EBU STL)
    origin: Fraction = Fraction(0)  # the time of the programme's first frame (``--start``), on a frame
    doubtful: list[Stretch] = field(default_factory=list)  # where the aligner was unsure of the timing
    shot_changes: tuple[Fraction, ...] = ()  # times of the programme's cuts, when known
    forced: tuple[int, ...] = ()  # the cues of the forced narrative (on-screen text, foreign dialogue)

    def __post_init__(self) -> None:
        self.fps = exact_rate(self.fps)

    def colour(self, speaker: str) -> str:
        """The colour name the speaker is shown in, or "" when speakers are not shown by colour."""
        found = self.speakers.get(speaker)
        return found.colour if found else ""

    def colour_runs(self, cue: Cue, line: int) -> list[tuple[str, list[Span]]]:
        """A line's spans grouped by the colour they show in (a span's own, else its speaker's;
        "" for the default white), so writers open one colour tag per run.

        >>> track = Track("en", [], {"Ann": Speaker("Ann", colour="yellow")})
        >>> cue = Cue(0, 1, ("Hi there",), ("Ann",), styled=((Span("Hi "), Span("there", colour="cyan")),))
        >>> [(colour, [span.text for span in spans]) for colour, spans in track.colour_runs(cue, 0)]
        [('yellow', ['Hi ']), ('cyan', ['there'])]
        """
        default = self.colour(cue.speakers[line])
        if not cue.styled:  # the common case, kept quick: one run in the speaker's colour
            return [("" if default == "white" else default, [Span(cue.lines[line])])]
        runs: list[tuple[str, list[Span]]] = []
        for span in cue.spans(line):
            colour = span.colour or default
            colour = "" if colour == "white" else colour
            if runs and runs[-1][0] == colour:
                runs[-1][1].append(span)
            else:
                runs.append((colour, [span]))
        return runs


@dataclass(frozen=True, kw_only=True)
class Profile:
    """The caption rules of one style for one language: each field a rule of
    :data:`captions.rules.RULES`, which says what it means, what it takes, its value in every
    built-in profile and how the planner and QC use it (only the types are declared here).

    Widths are in display units: a character for Latin scripts, a full-width character for
    CJK (half-width counts 0.5), as the style guides count them.
    """

    name: str
    lang: str
    max_chars_per_line: float
    max_lines: int
    max_cps: float | None
    max_wpm: float | None
    target_cps: float
    target_wpm: float | None
    min_duration: float
    max_duration: float
    min_gap_frames: int
    close_gap_frames: int
    linger_frames: int
    lead_in_frames: int
    shot_window_frames: int
    shot_gap_frames: int
    sdh: bool
    sound_style: str
    music_mark: str
    fps: float
    width_mode: str
    breaker: str
    dialog_dash: str
    speaker_style: str
    label_format: str
    punctuation: str
    writing_mode: str
    description: str = ""
