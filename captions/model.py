"""The plain data every stage shares: segments in, cues out, and the profile that rules them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

NARRATOR = "Narrator"


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

    @property
    def timed(self) -> bool:
        return bool(self.anchors)


@dataclass(frozen=True)
class Cue:
    """One caption on screen: its lines and, line by line, who speaks them."""

    start: float
    end: float
    lines: tuple[str, ...]
    speakers: tuple[str, ...]
    sources: tuple[tuple[int, int, int], ...] = ()  # (segment index, first char, end char) shown

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def duration(self) -> float:
        return self.end - self.start

    def shifted(self, seconds: float) -> Cue:
        return replace(self, start=self.start + seconds, end=self.end + seconds)


@dataclass(frozen=True)
class Speaker:
    name: str
    title: str = ""
    colour: str = ""  # set when the profile shows speakers by colour


@dataclass
class Track:
    """All cues of one language of one programme, ready for writers and QC."""

    lang: str
    cues: list[Cue]
    speakers: dict[str, Speaker] = field(default_factory=dict)
    fps: float = 25.0
    notes: list[str] = field(default_factory=list)  # timing compromises worth telling the user


@dataclass(frozen=True)
class Profile:
    """The caption rules of one style for one language.

    Widths are in display units: a character for Latin scripts, a full-width character for
    CJK (half-width counts 0.5), as the style guides count them.
    """

    name: str
    lang: str
    max_chars_per_line: float = 42
    max_lines: int = 2
    max_cps: float | None = 20.0  # characters per second, None when the guide counts words
    max_wpm: float | None = None
    target_cps: float = 15.0  # the comfortable pace used to time untimed text
    target_wpm: float | None = None  # used instead of target_cps when the guide counts words
    min_duration: float = 5 / 6
    max_duration: float = 7.0
    min_gap_frames: int = 2
    close_gap_frames: int = 12  # gaps this short are closed to min_gap_frames
    # Timed input: how far a cue that needs more time to be read may stay after its last word and
    # appear before its first one (Netflix: out-time up to 12 frames late, in-time within 3 frames).
    linger_frames: int = 12
    lead_in_frames: int = 3
    fps: float = 24000 / 1001
    width_mode: str = "latin"  # latin: a character is 1; cjk: full-width 1, half-width 0.5
    breaker: str = "words"  # words (spaces between words) | phrases (BudouX, no spaces)
    dialog_dash: str = "-"
    speaker_style: str = "dash"  # dash | colour: how speaker changes show by default
    label_format: str = "{NAME}:"
    punctuation: str = "keep"  # keep | netflix-ja
    description: str = ""
