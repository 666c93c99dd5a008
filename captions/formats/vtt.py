"""WebVTT (W3C): cue timings, ``<v Name>`` voice spans, NOTE/STYLE/REGION blocks skipped; voices
name speakers, colour classes show them by colour, ``line:0`` places a cue at the top."""

from __future__ import annotations

import html
import re
from fractions import Fraction

from ..errors import InputError
from ..model import NARRATOR, Cue, Track, counted
from .base import Format
from .timed import MAX_SECONDS, Entry, alignment, note, styled_lines

_TIME = r"(?:(\d{1,9}):)?([0-5]\d):([0-5]\d)(?:[.,](\d{1,3}))?"  # a short or missing fraction, as players allow
_TIMING = re.compile(rf"^\s*{_TIME}\s+-->\s+{_TIME}(?:\s+.*)?$")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TOP = re.compile(r"(?:^|\s)line:0%?(?:\s|,|$)")
_ALIGN = re.compile(r"(?:^|\s)align:(\w+)")


def detect(head: str) -> bool:
    return head.startswith("WEBVTT")


def read(text: str, path: str = "") -> list[Entry]:
    """The cues of a WebVTT file as written, with the line each starts on."""
    lines = text.lstrip("\ufeff").split("\n")
    if not lines[0].startswith("WEBVTT"):
        raise InputError("not a WebVTT file: the first line must be WEBVTT", path, 1)
    entries: list[Entry] = []
    number = 1
    # Header lines after WEBVTT (YouTube's Kind:/Language:, HLS X-TIMESTAMP-MAP) run to the first blank line.
    while number < len(lines) and lines[number].strip() and "-->" not in lines[number]:
        number += 1
    while number < len(lines):
        block_start = number
        block = []
        while number < len(lines) and lines[number].strip():
            block.append(lines[number])
            number += 1
        number += 1
        if not block or block[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        if not any("-->" in line for line in block[:2]):  # not a cue (WebVTT: such a block is skipped)
            note(f"line {block_start + 1}: a block with no cue timing, skipped: {block[0].strip()[:40]!r}")
            continue
        entries.append(_entry(block, block_start + 1, path))
    return entries


def _entry(block: list[str], line: int, path: str) -> Entry:
    timing_at = 0 if "-->" in block[0] else 1
    if timing_at >= len(block) or not (match := _TIMING.match(block[timing_at])):
        raise InputError("broken cue timing (expected 'hh:mm:ss.ttt --> hh:mm:ss.ttt')", path, line + timing_at)
    start = _seconds(match.groups()[:4])
    end = _seconds(match.groups()[4:])
    if max(start, end) > MAX_SECONDS:
        raise InputError(f"cue time over {MAX_SECONDS // 3600} hours", path, line + timing_at)
    payload = "\n".join(block[timing_at + 1 :])
    voice = _VOICE.search(payload)
    lines, styled = styled_lines(payload, escaped=True)
    region = "top" if _TOP.search(block[timing_at]) else "bottom"
    align = _ALIGN.search(block[timing_at])
    return Entry(start, end, lines, line, html.unescape(voice[1].strip()) if voice else None, styled, region,
                 align=alignment(align[1]) if align else "center")


def _seconds(parts: tuple[str | None, ...]) -> Fraction:
    hours, minutes, seconds, millis = parts
    return Fraction(((int(hours or 0) * 60 + int(minutes or 0)) * 60 + int(seconds or 0)) * 1000
                    + int((millis or "").ljust(3, "0")), 1000)


def timestamp(seconds: Fraction) -> str:
    """``hh:mm:ss.ttt`` as WebVTT wants it.

    >>> timestamp(Fraction(7451, 2))
    '01:02:05.500'
    """
    millis = counted(seconds, 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write(track: Track) -> bytes:
    """WebVTT.

    >>> from captions.model import Cue, Speaker
    >>> cue = Cue(Fraction(1), Fraction(2), ("Hi & bye",), ("Ann",))
    >>> print(write(Track("en", [cue], {"Ann": Speaker("Ann")})).decode(), end="")
    WEBVTT
    <BLANKLINE>
    1
    00:00:01.000 --> 00:00:02.000
    <v Ann>Hi &amp; bye</v>
    """
    blocks = ["WEBVTT"]
    for number, cue in enumerate(track.cues, start=1):
        lines = [_line(track, cue, index) for index in range(len(cue.lines))]
        settings = (" line:0" if cue.region == "top" else "") + (f" align:{cue.align}" if cue.align != "center" else "")
        blocks.append(f"{number}\n{timestamp(cue.start)} --> {timestamp(cue.end)}{settings}\n" + "\n".join(lines))
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


def _line(track: Track, cue: Cue, index: int) -> str:
    parts = []
    for colour, spans in track.colour_runs(cue, index):
        text = "".join(f"<i>{escape(span.text)}</i>" if span.italic else escape(span.text) for span in spans)
        parts.append(f"<c.{colour}>{text}</c>" if colour else text)
    text, speaker = "".join(parts), cue.speakers[index]
    if speaker and speaker != NARRATOR:
        text = f"<v {escape(speaker)}>{text}</v>"
    return text


FORMAT = Format("vtt", ("vtt",), "WebVTT: HTML5 video, HLS, streaming platforms", detect, read_entries=read, write=write)
