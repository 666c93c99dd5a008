"""Readers: one pure function per input format, each from text to speaker segments."""

from __future__ import annotations

import re
import stat
from pathlib import Path

from ..errors import InputError, OptionError
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
        raise OptionError(f"unknown input format {fmt!r} (choose from {', '.join(FORMATS)})", path)
    if not any(segment.text.strip() for segment in segments):
        raise InputError("transcript has no speech text", path)
    return segments


MAX_BYTES = 50_000_000  # default limit: a 10-hour transcript is under 2 MB


def read_file(path: str | Path, lang: str = "en", encoding: str | None = None, headline: str = "caption",
              fmt: str | None = None, max_bytes: int = MAX_BYTES) -> list[Segment]:
    """Segments of a transcript file of any supported format and encoding."""
    path = Path(path)
    text = read_text(path, encoding, max_bytes)
    return parse(text, fmt or detect_format(text, path.suffix), str(path), lang, headline)


def read_text(path: Path, encoding: str | None = None, max_bytes: int = MAX_BYTES) -> str:
    """The decoded text of a regular file of at most ``max_bytes``, or a one-line error naming it.

    A FIFO, a device (``/dev/zero``) or a folder is refused before it is opened, so nothing hangs.
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError("not a regular file (a folder, pipe or device cannot be a transcript)", str(path))
        if info.st_size > max_bytes:
            raise InputError(f"file is {info.st_size / 1e6:.1f} MB, over the {max_bytes / 1e6:g} MB limit "
                             "(--max-input-mb raises it)", str(path))
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as err:
        raise InputError(f"cannot read file: {err.strerror or err}", str(path)) from None
    if len(data) > max_bytes:
        raise InputError(f"file grew over the {max_bytes / 1e6:g} MB limit while being read", str(path))
    return decode(data, str(path), encoding)


def read_cues(path: str | Path, encoding: str | None = None) -> list[Cue]:
    """The cues of an SRT or WebVTT file as they are, for checking against a profile."""
    path = Path(path)
    text = read_text(path, encoding)
    fmt = detect_format(text, path.suffix)
    if fmt not in ("srt", "vtt"):
        raise InputError("not an SRT or WebVTT caption file", str(path))
    entries = srt_entries(text, str(path)) if fmt == "srt" else vtt_entries(text, str(path))
    cues = []
    for entry in entries:
        lines = tuple(plain_lines(entry.text, entry.escaped))
        cues.append(Cue(entry.start, entry.end, lines, (entry.voice or "",) * len(lines)))
    return cues
