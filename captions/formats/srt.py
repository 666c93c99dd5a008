"""SRT (SubRip): read and written through the ``srt`` package, times to the millisecond."""

from __future__ import annotations

import re
from datetime import timedelta
from fractions import Fraction

from ..errors import InputError
from ..model import COLOURS, Cue, Track, counted
from .base import Format
from .timed import ASS_OVERRIDE, MAX_SECONDS, TAG, Entry, styled_lines

_START = re.compile(r"^\s*\d+\s*\n\s*[\d:,.]+\s*-->", re.S)


def detect(head: str) -> bool:
    return bool(_START.match(head))


def read(text: str, path: str = "") -> list[Entry]:
    """The cues of an SRT file as written, with the line each starts on.

    >>> [(e.start, e.lines) for e in read("1\\n00:00:01,500 --> 00:00:02,000\\n<i>Hello</i>\\n")]
    [(Fraction(3, 2), ('Hello',))]
    """
    import srt

    text = _TIMING_LINE.sub(_normal_timing, text)
    block_lines = _block_lines(text)
    entries: list[Entry] = []
    try:
        for number, subtitle in enumerate(srt.parse(text)):
            line = block_lines[number] if number < len(block_lines) else 0
            start, end = _exact(subtitle.start), _exact(subtitle.end)
            if max(start, end) > MAX_SECONDS:
                raise InputError(f"cue time over {MAX_SECONDS // 3600} hours", path, line)
            lines, styled = styled_lines(subtitle.content)
            entries.append(Entry(start, end, lines, line, styled=styled))
    except (OverflowError, ValueError) as err:  # srt builds a timedelta: a huge hour overflows it
        number = len(entries)
        line = block_lines[number] if number < len(block_lines) else 0
        raise InputError(f"cue time out of range ({err})", path, line) from None
    except srt.SRTParseError as err:
        unmatched = err.unmatched_content
        line = text.count("\n", 0, err.expected_start + len(unmatched) - len(unmatched.lstrip())) + 1
        found = "; ".join(unmatched.strip().split("\n")[:2])[:60]
        raise InputError(f"not a valid SRT cue (broken timestamp?): {found!r}", path, line) from None
    return entries


_TIMESTAMP = re.compile(r"(\d+:\d{1,2}:\d{1,2})(?:[,.](\d{1,3}))?(?!\d)")
_TIMING_LINE = re.compile(r"^[ \t]*\d+:\d{1,2}:\d{1,2}(?:[,.]\d{1,3})?[ \t]*-->.*$", re.M)


def _normal_timing(line: re.Match[str]) -> str:
    """A timing line's times as ``HH:MM:SS,mmm``: a fraction of one or two digits is tenths or
    hundredths (``,5`` and ``,50`` are 500 ms), as ffmpeg and pysubs2 read it; none is ``,000``.

    >>> _TIMING_LINE.sub(_normal_timing, "00:02:04,08 --> 00:02:07,5 X1:40")
    '00:02:04,080 --> 00:02:07,500 X1:40'
    """
    head, arrow, tail = line.group().partition("-->")
    first = _TIMESTAMP.sub(_padded, head, count=1)
    return first + arrow + _TIMESTAMP.sub(_padded, tail, count=1)


def _padded(time: re.Match[str]) -> str:
    return f"{time[1]},{(time[2] or '').ljust(3, '0')}"


def _exact(time: timedelta) -> Fraction:
    return Fraction(time // timedelta(microseconds=1), 1_000_000)


def _block_lines(text: str) -> list[int]:
    """The line where each blank-line separated block starts, to place errors by cue."""
    lines, starts, in_block = text.split("\n"), [], False
    for number, line in enumerate(lines, start=1):
        if line.strip() and not in_block:
            starts.append(number)
        in_block = bool(line.strip())
    return starts


def write(track: Track) -> bytes:
    """SRT; speakers shown by colour get ``<font color>``, italic runs ``<i>``, as players understand.

    >>> from captions.model import Cue
    >>> print(write(Track("en", [Cue(Fraction(1), Fraction(5, 2), ("Hello,", "world."), ("A", "A"))])).decode(), end="")
    1
    00:00:01,000 --> 00:00:02,500
    Hello,
    world.
    <BLANKLINE>
    """
    import srt

    subtitles = [
        srt.Subtitle(number, _millis(cue.start), _millis(cue.end),
                     "\n".join(_line(track, cue, index) for index in range(len(cue.lines))))
        for number, cue in enumerate(track.cues, start=1)
    ]
    return str(srt.compose(subtitles, reindex=False)).encode("utf-8")


def _millis(seconds: Fraction) -> timedelta:
    return timedelta(milliseconds=counted(seconds, 1000))


def shown(text: str) -> str:
    """Caption text as SRT can carry it: SRT has no escapes, so text a reader would take for a tag
    (``</i>``, ``{\\an8}``, a karaoke time) or a cue's timing (``-->``) is written with look-alike
    characters, and :func:`check` reports it.

    >>> shown("Press </i> then --> go")
    'Press ‹/i› then → go'
    """
    text = TAG.sub(lambda found: found.group().replace("<", "‹").replace(">", "›"), text)
    return ASS_OVERRIDE.sub(lambda found: "(" + found.group()[1:-1] + ")", text).replace("-->", "→")


def check(track: Track) -> list[tuple[int, str]]:
    """Cues whose text SRT can only show with look-alike characters."""
    return [(number, f"srt shows {line!r} as {shown(line)!r} (it would read as a tag or a timing)")
            for number, cue in enumerate(track.cues, start=1) for line in cue.lines if shown(line) != line]


def _line(track: Track, cue: Cue, index: int) -> str:
    parts = []
    for colour, spans in track.colour_runs(cue, index):
        text = "".join(f"<i>{shown(span.text)}</i>" if span.italic else shown(span.text) for span in spans)
        parts.append(f'<font color="{COLOURS[colour]}">{text}</font>' if colour else text)
    return "".join(parts)


FORMAT = Format("srt", ("srt",), "SubRip: editors, YouTube, most players", detect, read_entries=read, write=write,
                check=check)
