"""The formats editors bring (ASS/SSA from Aegisub, SAMI, MicroDVD), read and written through
pysubs2, the well-kept library for them: only the mapping between its events and the model is here.

ASS override tags map to the model where they can: ``{\\i1}`` to italics, ``{\\c&HBBGGRR&}`` to the
model's colours, ``{\\an7}``-``{\\an9}`` (or a style aligned at the top) to the top region. The rest
(positions, fonts, karaoke) is left out, and a note says which tags were.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from ..errors import InputError
from ..model import COLOURS, Span, Track, colour_name, styled_rows
from .timed import MAX_SECONDS, Entry, note

_OVERRIDE = re.compile(r"\{([^}]*)\}")
_TAG = re.compile(r"\\(i|c|1c|an|a)(&H[0-9A-Fa-f]+&?|\d+)?")
_KNOWN = {"i", "c", "1c", "an", "a"}


def read(text: str, path: str = "", fmt: str = "ass", fps: float | None = None) -> list[Entry]:
    """The events of a file pysubs2 reads, as entries (comments left out)."""
    import warnings

    import pysubs2

    try:
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            subs = pysubs2.SSAFile.from_string(text, format_=fmt, **({"fps": fps} if fps else {}))
    except Exception as err:  # pysubs2 raises its own and plain errors for a broken file
        raise InputError(f"not a readable {fmt} file ({type(err).__name__}: {str(err)[:80]})", path) from None
    for warning in said[:3]:  # what pysubs2 could not read as written: a field it replaced by its default
        note(f"pysubs2: {str(warning.message)[:100]}")
    entries, dropped = [], set()
    for number, event in enumerate(subs.events, start=1):
        if event.is_comment:
            continue
        start, end = Fraction(event.start, 1000), Fraction(event.end, 1000)
        if max(start, end) > MAX_SECONDS or min(start, end) < 0:
            raise InputError(f"event {number}: time out of range (0 to {MAX_SECONDS // 3600} hours)", path)
        if end < start:
            raise InputError(f"event {number} ends before it starts", path)
        style = subs.styles.get(event.style)
        rows, top, skipped = _runs(event.text, bool(style and style.italic), style)
        dropped |= skipped
        lines, styled = styled_rows(rows)
        if lines:
            plain = all(span.plain for line in styled for span in line)
            entries.append(Entry(start, end, lines, number, voice=event.name or None, styled=() if plain else styled,
                                 region="top" if top else "bottom"))
    if dropped:
        note(f"{fmt} override tags the captions model has no place for, left out: "
             f"{', '.join(sorted(dropped))[:80]}")
    return entries


def _runs(text: str, italic: bool, style: Any) -> tuple[list[list[Span]], bool, set[str]]:
    """An event's text as rows of styled runs, whether it sits at the top, and the tags left out."""
    top = bool(style and style.alignment and int(style.alignment) >= 7)
    colour = colour_name(_ass_colour(style.primarycolor)) if style and hasattr(style, "primarycolor") else ""
    colour = "" if colour == "white" else colour
    rows: list[list[Span]] = [[]]
    skipped: set[str] = set()
    at = 0
    for block in [*_OVERRIDE.finditer(text), None]:
        piece = text[at: block.start() if block else len(text)]
        for index, row in enumerate(re.split(r"\\[Nn]|\n", piece)):
            if index:
                rows.append([])
            if row:
                rows[-1].append(Span(row.replace("\\h", " "), italic, colour=colour))
        if block is None:
            break
        at = block.end()
        for tag, value in _TAG.findall(block[1]):
            if tag == "i":
                italic = value == "1"
            elif tag in ("c", "1c") and value:
                found = colour_name(_rgb(value))
                colour = "" if found == "white" else found
            elif tag == "an" and value:
                top = int(value) >= 7
        skipped |= {name for name in re.findall(r"\\([a-z]+)", block[1]) if name not in _KNOWN}
    return rows, top, skipped


def _rgb(value: str) -> str:
    """An ASS colour, ``&HBBGGRR&`` (or with alpha, ``&HAABBGGRR``), as ``#RRGGBB``.

    >>> _rgb("&H00FFFF&"), _rgb("&H0000FF")
    ('#FFFF00', '#FF0000')
    """
    digits = value.strip("&Hh").rjust(6, "0")[-6:].upper()
    return f"#{digits[4:6]}{digits[2:4]}{digits[0:2]}"


def plain(text: str, fmt: str) -> str:
    r"""Text as these formats can carry it: braces and backslashes start override tags, and
    MicroDVD's ``|`` breaks the line, so they are written as look-alikes.

    >>> plain("a {b} c\\d | e", "microdvd")
    'a (b) c/d ¦ e'
    """
    text = text.replace("{", "(").replace("}", ")").replace("\\", "/")
    return text.replace("|", "¦") if fmt == "microdvd" else text


def check(track: Track, fmt: str = "ass") -> list[tuple[int, str]]:
    """Cues whose text the format can only show with look-alikes."""
    return [(number, f"{fmt} shows {line!r} as {plain(line, fmt)!r} (braces and backslashes are its tags)")
            for number, cue in enumerate(track.cues, start=1) for line in cue.lines if plain(line, fmt) != line]


def _ass_colour(colour: Any) -> str:
    """A pysubs2 colour as ``#RRGGBB``."""
    return f"#{colour.r:02X}{colour.g:02X}{colour.b:02X}"


def write(track: Track, fmt: str = "ass", fps: float | None = None) -> bytes:
    """The track as a pysubs2 file of ``fmt``: italics as ``{\\i1}``, colours as ``{\\c}``, the top
    region as ``{\\an8}``, speakers as the event's name."""
    import pysubs2

    subs = pysubs2.SSAFile()
    for cue in track.cues:
        lines = []
        for index in range(len(cue.lines)):
            parts = []
            for colour, spans in track.colour_runs(cue, index):
                for span in spans:
                    text = plain(span.text, fmt)
                    parts.append("{\\i1}" + text + "{\\i0}" if span.italic else text)
                if colour:
                    rgb = COLOURS[colour].lstrip("#")
                    run = "".join(parts[-len(spans):])
                    parts[-len(spans):] = ["{\\c&H" + rgb[4:6] + rgb[2:4] + rgb[0:2] + "&}" + run + "{\\r}"]
            lines.append("".join(parts))
        text = ("{\\an8}" if cue.region == "top" else "") + "\\N".join(lines)
        speaker = next((name for name in cue.speakers if name), "")
        subs.append(pysubs2.SSAEvent(start=round(cue.start * 1000), end=round(cue.end * 1000), text=text,
                                     name=speaker))
    return subs.to_string(fmt, **({"fps": fps} if fps else {})).encode("utf-8")
