"""WebVTT input: cue timings, ``<v Name>`` voice spans, NOTE/STYLE/REGION blocks skipped."""

from __future__ import annotations

import html
import re

from ..errors import InputError
from ..model import NARRATOR, Segment
from .timed import MAX_SECONDS, Entry, Fragment, cue_fragments, join_fragments

_TIME = r"(?:(\d{1,9}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"^\s*{_TIME}\s+-->\s+{_TIME}(?:\s+.*)?$")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")


def read_vtt(text: str, path: str = "", lang: str = "en") -> list[Segment]:
    """Segments of a WebVTT file.

    >>> [(s.speaker, s.text) for s in read_vtt("WEBVTT\\n\\n00:01.000 --> 00:02.000\\n<v Ann>Hi there.</v>\\n")]
    [('Ann', 'Hi there.')]
    """
    entries = vtt_entries(text, path)
    # Where voices are named, a cue without one is not the previous speaker's but the narrator's.
    unnamed = NARRATOR if any(entry.voice for entry in entries) else None
    fragments: list[Fragment] = []
    for entry in entries:
        fragments.extend(cue_fragments(entry.text, entry.start, entry.end, entry.line, entry.voice or unnamed, True))
    if not fragments:
        raise InputError("no caption text found", path)
    return join_fragments(fragments, path, lang)


def vtt_entries(text: str, path: str = "") -> list[Entry]:
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
        if block and not block[0].startswith(("NOTE", "STYLE", "REGION")):
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
    return Entry(start, end, payload, line, html.unescape(voice[1].strip()) if voice else None, escaped=True)


def _seconds(parts: tuple[str | None, ...]) -> float:
    hours, minutes, seconds, millis = parts
    return int(hours or 0) * 3600 + int(minutes or 0) * 60 + int(seconds or 0) + int(millis or 0) / 1000
