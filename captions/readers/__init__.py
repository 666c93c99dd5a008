"""Readers: one pure function per input format, each from text to speaker segments."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import CaptionsError
from ..model import Cue, Segment
from ..textfile import decode
from .json_transcript import read_json
from .script import read_script
from .srt import read_srt, srt_entries
from .timed import plain_lines
from .vtt import read_vtt, vtt_entries

FORMATS = ("script", "srt", "vtt", "json")
_SRT_START = re.compile(r"^\s*\d+\s*\n\s*[\d:,.]+\s*-->", re.S)


def detect_format(text: str, suffix: str = "") -> str:
    """The input format, from the file's suffix or, failing that, its first characters.

    >>> detect_format("WEBVTT\\n"), detect_format("1\\n00:00:01,000 --> 00:00:02,000\\nHi\\n")
    ('vtt', 'srt')
    """
    suffix = suffix.lower().lstrip(".")
    if suffix in ("srt", "vtt", "json"):
        return suffix
    head = text.lstrip("\ufeff \n\t")
    if head.startswith("WEBVTT"):
        return "vtt"
    if head.startswith(("{", "[{", "[\n", "[ ")) and suffix != "txt":
        return "json"
    if _SRT_START.match(head):
        return "srt"
    return "script"


def parse(text: str, fmt: str, path: str = "", lang: str = "en", headline: str = "caption") -> list[Segment]:
    """Segments from already decoded text in a known format."""
    if fmt == "script":
        segments = read_script(text, path, headline)
    elif fmt == "srt":
        segments = read_srt(text, path, lang)
    elif fmt == "vtt":
        segments = read_vtt(text, path, lang)
    elif fmt == "json":
        segments = read_json(text, path, lang)
    else:
        raise CaptionsError(f"unknown input format {fmt!r} (choose from {', '.join(FORMATS)})", path)
    if not any(segment.text.strip() for segment in segments):
        raise CaptionsError("transcript has no speech text", path)
    return segments


def read_file(path: str | Path, lang: str = "en", encoding: str | None = None, headline: str = "caption",
              fmt: str | None = None) -> list[Segment]:
    """Segments of a transcript file of any supported format and encoding."""
    path = Path(path)
    text = read_text(path, encoding)
    return parse(text, fmt or detect_format(text, path.suffix), str(path), lang, headline)


def read_text(path: Path, encoding: str | None = None) -> str:
    """The decoded text of a file, or a one-line error naming it."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise CaptionsError(f"cannot read file: {err.strerror}", str(path)) from None
    return decode(data, str(path), encoding)


def read_cues(path: str | Path, encoding: str | None = None) -> list[Cue]:
    """The cues of an SRT or WebVTT file as they are, for checking against a profile."""
    path = Path(path)
    text = read_text(path, encoding)
    fmt = detect_format(text, path.suffix)
    if fmt not in ("srt", "vtt"):
        raise CaptionsError("not an SRT or WebVTT caption file", str(path))
    entries = srt_entries(text, str(path)) if fmt == "srt" else vtt_entries(text, str(path))
    cues = []
    for entry in entries:
        lines = tuple(plain_lines(entry.text))
        cues.append(Cue(entry.start, entry.end, lines, (entry.voice or "",) * len(lines)))
    return cues
