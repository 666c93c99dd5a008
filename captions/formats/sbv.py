"""YouTube SBV (SubViewer as YouTube writes it): ``H:MM:SS.mmm,H:MM:SS.mmm`` then the text, blocks
apart by a blank line. pysubs2 does not read it, and it is this small; lines are plain text."""

from __future__ import annotations

import re
from fractions import Fraction

from ..errors import InputError
from ..model import Track, counted
from .base import Format
from .timed import MAX_SECONDS, Entry

_TIMING = re.compile(r"^\s*(\d{1,3}):(\d{1,2}):(\d{1,2})\.(\d{1,3})\s*,\s*(\d{1,3}):(\d{1,2}):(\d{1,2})\.(\d{1,3})\s*$")


def detect(head: str) -> bool:
    return bool(_TIMING.match(head.split("\n", 1)[0]))


def _seconds(hours: str, minutes: str, seconds: str, fraction: str) -> Fraction:
    return (int(hours) * 3600 + int(minutes) * 60 + int(seconds)) + Fraction(int(fraction.ljust(3, "0")), 1000)


def read(text: str, path: str = "") -> list[Entry]:
    """The cues of an SBV file, with the line each starts on.

    >>> text = "0:00:01.500,0:00:03.000\\nHello\\nthere\\n\\n0:00:04.000,0:00:05.000\\nBye\\n"
    >>> [(e.start, e.end, e.lines) for e in read(text)]
    [(Fraction(3, 2), Fraction(3, 1), ('Hello', 'there')), (Fraction(4, 1), Fraction(5, 1), ('Bye',))]
    """
    entries: list[Entry] = []
    lines = text.lstrip("\ufeff").split("\n")
    number = 0
    while number < len(lines):
        if not lines[number].strip():
            number += 1
            continue
        timing = _TIMING.match(lines[number])
        if not timing:
            raise InputError(f"not an SBV timing (H:MM:SS.mmm,H:MM:SS.mmm): {lines[number].strip()[:40]!r}", path,
                             number + 1)
        start, end = _seconds(*timing.groups()[:4]), _seconds(*timing.groups()[4:])
        if end < start or end > MAX_SECONDS:
            raise InputError("cue ends before it starts" if end < start else "cue time over 100 hours", path, number + 1)
        first, number = number + 1, number + 1
        while number < len(lines) and lines[number].strip():
            number += 1
        shown = tuple(line.strip() for line in lines[first:number] if line.strip())
        if shown:
            entries.append(Entry(start, end, shown, first))
    return entries


def _clock(seconds: Fraction) -> str:
    millis = counted(seconds, 1000)
    return f"{millis // 3_600_000}:{millis // 60_000 % 60:02d}:{millis // 1000 % 60:02d}.{millis % 1000:03d}"


def write(track: Track) -> bytes:
    """SBV: each cue's times and lines (plain text: SBV has no styling).

    >>> from captions.model import Cue
    >>> write(Track("en", [Cue(Fraction(3, 2), Fraction(3), ("Hello", "there"), ("", ""))])).decode()
    '0:00:01.500,0:00:03.000\\nHello\\nthere\\n'
    """
    return "\n".join(f"{_clock(cue.start)},{_clock(cue.end)}\n" + "\n".join(cue.lines) + "\n"
                     for cue in track.cues).encode("utf-8")


FORMAT = Format("sbv", ("sbv",), "YouTube SBV: YouTube's caption upload", detect, read_entries=read, write=write)
