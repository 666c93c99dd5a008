"""What every caption format's reader shares: cues as written (:class:`Entry`), turned into the
model's cues as they are (``check``, ``convert``) or into speaker segments with time anchors (``make``).

Caption files and ASR output cut sentences at arbitrary places; joining a speaker's consecutive
fragments lets the segmenter re-cut them to the profile while every character keeps its time.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from fractions import Fraction

from ..errors import InputError
from ..languages.base import LanguagePack
from ..model import NARRATOR, Cue, Segment, Span, Stretch, colour_name, trim_runs
from ..timemap import monotonic_anchors

_LABEL = re.compile(r"^(?:>>\s*)?(?P<name>[A-Z][A-Z .'\-]{0,38}[A-Z.])\s*:\s+(?P<text>.+)$", re.S)
_BRACKET = re.compile(r"^\[(?P<name>[^\]]{1,60})\]\s*(?P<text>.+)$", re.S)
_SPACES = re.compile(r"\s+")

MAX_SECONDS = 100 * 3600  # no programme is longer: later cue times are refused
JOIN_GAP = 1.0  # seconds: fragments further apart stay separate segments


_NOTES: ContextVar[list[str] | None] = ContextVar("reader_notes", default=None)


def note(message: str) -> None:
    """A reader's word on what it read but could not take as written (a damaged block, a count that
    disagrees): kept for the track's notes, so nothing a reader drops goes unsaid."""
    notes = _NOTES.get()
    if notes is not None and message not in notes:
        notes.append(message)


@contextmanager
def reader_notes() -> Iterator[list[str]]:
    """The notes every reader called inside the block made."""
    notes: list[str] = []
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)


@dataclass(frozen=True, slots=True)
class Entry:
    """A cue of a caption file as written: exact times, its visible lines, and the line it starts on.

    ``voice`` is the speaker the format names (WebVTT ``<v>``, TTML ``ttm:agent``), or ``speakers``
    one per line where lines differ; ``styled`` the italic runs per line when there are any;
    ``region`` bottom or top.
    """

    start: Fraction
    end: Fraction
    lines: tuple[str, ...]
    line: int
    voice: str | None = None
    styled: tuple[tuple[Span, ...], ...] = ()
    region: str = "bottom"
    speakers: tuple[str, ...] = ()
    align: str = "center"

    def line_speakers(self) -> tuple[str, ...]:
        return self.speakers or (self.voice or "",) * len(self.lines)


def entry_cues(entries: list[Entry]) -> list[Cue]:
    """The cues of a caption file as they are, for checking and converting."""
    return [Cue(entry.start, entry.end, entry.lines, entry.line_speakers(), region=entry.region, styled=entry.styled,
                align=entry.align) for entry in entries if entry.lines]


def alignment(value: str) -> str:
    """A format's word for text alignment as the model's (start, center, end).

    >>> alignment("left"), alignment("middle"), alignment("end")
    ('start', 'center', 'end')
    """
    return {"left": "start", "start": "start", "right": "end", "end": "end"}.get(value.strip().lower(), "center")


def entry_segments(entries: list[Entry], path: str, language: LanguagePack) -> list[Segment]:
    """Speaker segments of a caption file, consecutive cues of one speaker joined, for re-cutting."""
    # Where voices are named, a cue without one is not the previous speaker's but the narrator's.
    unnamed = NARRATOR if any(entry.voice or any(entry.speakers) for entry in entries) else None
    joiner = language.joiner
    fragments: list[Fragment] = []
    for entry in entries:
        start, end = float(entry.start), float(entry.end)
        if entry.speakers:  # the file names each line's speaker: no dashes or labels to read
            total, at, first = sum(len(line) for line in entry.lines) or 1, start, len(fragments)
            for line, speaker in zip(entry.lines, entry.speakers):
                until = at + (end - start) * len(line) / total
                if len(fragments) > first and fragments[-1].speaker == (speaker or unnamed):
                    fragments[-1].text += joiner + line
                    fragments[-1].end = until
                else:
                    fragments.append(Fragment(line, at, until, entry.line, speaker or unnamed))
                at = until
            continue
        fragments.extend(cue_fragments(list(entry.lines), start, end, entry.line, entry.voice or unnamed))
    if not fragments:
        raise InputError("no caption text found", path)
    return join_fragments(fragments, path, language)


@dataclass
class Fragment:
    """A piece of timed text from a reader; ``words`` are (text, start, end) when known."""

    text: str
    start: float
    end: float
    line: int
    speaker: str | None = None
    words: list[tuple[str, float, float]] = field(default_factory=list)
    doubtful: tuple[Stretch, ...] = ()


def split_speaker(text: str) -> tuple[str | None, str]:
    """A leading ``NAME:`` or ``[Name]`` label, if the caption text has one.

    >>> split_speaker("JOE BIDEN: Thank you.")
    ('Joe Biden', 'Thank you.')
    """
    if match := _LABEL.match(text):
        return match["name"].title(), match["text"]
    if match := _BRACKET.match(text):
        return match["name"].strip(), match["text"]
    return None, text


def dialog_turns(lines: list[str]) -> list[str] | None:
    """The turns of a dialog cue (every line starts with a dash), else None."""
    if len(lines) > 1 and all(line.lstrip().startswith(("-", "‐", "－")) for line in lines):
        return [line.lstrip()[1:].strip() for line in lines]
    return None


def join_fragments(fragments: list[Fragment], path: str, language: LanguagePack, asr: bool = False) -> list[Segment]:
    """Join consecutive fragments of one speaker into anchored segments.

    ``asr``: the fragments are speech recogniser segments, which end where the speaker paused; a
    capitalised word after one that lacks its full stop starts a new sentence, and a new segment,
    so that no cue ends on its first word. (Caption cues end anywhere: a capital after them is as
    often a name.)
    """
    joiner = language.joiner
    segments: list[Segment] = []
    previous_start = float("-inf")
    current: list[Fragment] = []
    for fragment in fragments:
        if fragment.end < fragment.start:
            raise InputError("cue ends before it starts", path, fragment.line)
        if fragment.start < previous_start:
            raise InputError("cue starts before the previous cue (out of order)", path, fragment.line)
        previous_start = fragment.start
        if current and _continues(current[-1], fragment) and not (
                asr and language.starts_sentence(current[-1].text, fragment.text)):
            current.append(fragment)
        else:
            if current:
                segments.append(_segment(current, joiner, len(segments)))
            current = [fragment]
    if current:
        segments.append(_segment(current, joiner, len(segments)))
    return segments


def _continues(previous: Fragment, fragment: Fragment) -> bool:
    same_speaker = fragment.speaker is None or fragment.speaker == previous.speaker
    return same_speaker and fragment.start - previous.end <= JOIN_GAP


def _segment(fragments: list[Fragment], joiner: str, paragraph: int) -> Segment:
    text = ""
    anchors: list[tuple[int, float]] = []
    for fragment in fragments:
        piece = _SPACES.sub(" ", fragment.text).strip()
        if text:
            text += joiner
        offset = len(text)
        anchors.append((offset, fragment.start))
        cursor = 0
        for word, start, end in fragment.words:
            word = word.strip()
            found = piece.find(word, cursor) if word else -1
            if found < 0:
                continue
            anchors.append((offset + found, start))
            anchors.append((offset + found + len(word), end))
            cursor = found + len(word)
        text += piece
        anchors.append((len(text), fragment.end))
    first = fragments[0]
    return Segment(
        text,
        speaker=first.speaker or NARRATOR,
        kind="caption",
        line=first.line,
        paragraph=paragraph,
        anchors=monotonic_anchors(anchors),
        doubtful=tuple(stretch for fragment in fragments for stretch in fragment.doubtful),
    )


# Only the tags caption formats define (SRT's i/b/u/font, WebVTT's c/v/lang/ruby/rt and timestamps,
# ASS overrides): a lone "<" in the text ("a < b") is text, not the start of a tag.
TAG = re.compile(r"</?(?:[ibu]|font|c|v|lang|ruby|rt)(?=[\s.>])[^<>]*>|<(?:\d+:)?\d{2}:\d{2}\.\d{3}>", re.I)
# SRT players honour ASS override blocks ({\an8}); in WebVTT and TTML they are text.
ASS_OVERRIDE = re.compile(r"\{\\[^}]*\}")


# The style tags SRT and WebVTT players honour: <i>, and colour as <font color="..."> or <c.name>.
_STYLE_TAG = re.compile(r"<(?P<close>/?)(?:(?P<i>i)|(?P<font>font)|(?P<c>c))(?=[\s.>])(?P<rest>[^<>]*)>", re.I)
_FONT_COLOUR = re.compile(r"""color\s*=\s*["']?([#\w]+)""", re.I)


def plain_lines(text: str, escaped: bool = False) -> list[str]:
    """The visible lines of caption text: tags removed, character references decoded where the
    format has them (``escaped``), empty lines dropped.

    >>> plain_lines("<i>a < b</i> <0> <00:01.000>c <v Ann>d</v>")
    ['a < b <0> c d']
    """
    return [line for line in (_plain(part, escaped) for part in text.split("\n")) if line]


def _plain(text: str, escaped: bool) -> str:
    return _plain_inline(text, escaped).strip()


def styled_lines(text: str, escaped: bool = False) -> tuple[tuple[str, ...], tuple[tuple[Span, ...], ...]]:
    """The visible lines, and their styled runs (italic, colour) when tags mark any (else no styles).

    >>> lines, styled = styled_lines('<i>Off screen,</i>\\n<font color="#FFFF00">then on.</font>')
    >>> lines, [[(span.text, span.italic, span.colour) for span in line] for line in styled]
    (('Off screen,', 'then on.'), [[('Off screen,', True, '')], [('then on.', False, 'yellow')]])
    """
    lines = tuple(plain_lines(text, escaped))
    if not _STYLE_TAG.search(text):
        return lines, ()
    styled, italic, colours = [], False, [""]
    for part in text.split("\n"):
        spans: list[Span] = []
        at = 0
        for tag in [*_STYLE_TAG.finditer(part), None]:
            piece = _plain_inline(part[at: tag.start() if tag else len(part)], escaped)
            if piece:
                spans.append(Span(piece, italic, colour=colours[-1]))
            if tag:
                italic, at = _restyled(tag, italic, colours), tag.end()
        runs = trim_runs(spans)
        if runs:
            styled.append(runs)
    if ["".join(span.text for span in line) for line in styled] != list(lines):
        return lines, ()  # tags that do not nest as runs: keep the text, drop the styling
    if all(span.plain for line in styled for span in line):
        return lines, ()
    return lines, tuple(styled)


def _restyled(tag: re.Match[str], italic: bool, colours: list[str]) -> bool:
    """Apply one style tag: italic on or off (returned), a colour pushed or popped."""
    if tag["i"]:
        return not tag["close"]
    if tag["close"]:
        if len(colours) > 1:
            colours.pop()
    elif tag["font"]:
        found = _FONT_COLOUR.search(tag["rest"])
        colours.append(colour_name(found[1]) if found else colours[-1])
    else:  # <c.yellow.bg_black>: the first class that names a colour
        names = [colour_name(name) for name in tag["rest"].split(".")[1:]]
        colours.append(next((name for name in names if name), colours[-1]))
    return italic


def _plain_inline(text: str, escaped: bool) -> str:
    """Text without its tags: a format with character references (``escaped``) has them decoded, one
    without (SRT) has ASS override blocks taken out too."""
    text = TAG.sub("", text)
    return html.unescape(text) if escaped else ASS_OVERRIDE.sub("", text)


def cue_fragments(lines: list[str], start: float, end: float, line: int, voice: str | None = None) -> list[Fragment]:
    """Fragments of one caption cue: one per dialog turn, with the speaker when the cue names it.

    >>> [(f.speaker, f.text) for f in cue_fragments(["-Hi.", "-Hello."], 0, 2, 1)]
    [('Speaker 1', 'Hi.'), ('Speaker 2', 'Hello.')]
    """
    turns = dialog_turns(lines)
    if turns is None:
        speaker, body = split_speaker(" ".join(lines))
        return [Fragment(body, start, end, line, voice or speaker)] if body else []
    total = sum(len(turn) for turn in turns) or 1
    fragments, at = [], start
    for number, turn in enumerate(turns, start=1):
        speaker, body = split_speaker(turn)
        until = at + (end - start) * len(turn) / total
        fragments.append(Fragment(body, at, until, line, speaker or f"Speaker {number}"))
        at = until
    return fragments
