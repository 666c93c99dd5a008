"""SRT input through the ``srt`` package, with errors that give the line."""

from __future__ import annotations

import srt

from ..errors import InputError
from ..model import Segment
from .timed import MAX_SECONDS, Entry, Fragment, cue_fragments, join_fragments


def read_srt(text: str, path: str = "", lang: str = "en") -> list[Segment]:
    """Segments of an SRT file, consecutive cues of one speaker joined.

    >>> text = "1\\n00:00:01,000 --> 00:00:02,000\\nHello\\n\\n2\\n00:00:02,100 --> 00:00:03,000\\nworld.\\n"
    >>> [s.text for s in read_srt(text)]
    ['Hello world.']
    """
    fragments: list[Fragment] = []
    for entry in srt_entries(text, path):
        fragments.extend(cue_fragments(entry.text, entry.start, entry.end, entry.line))
    if not fragments:
        raise InputError("no caption text found", path)
    return join_fragments(fragments, path, lang)


def srt_entries(text: str, path: str = "") -> list[Entry]:
    """The cues of an SRT file as written, with the line each starts on."""
    block_lines = _block_lines(text)
    entries: list[Entry] = []
    try:
        for number, subtitle in enumerate(srt.parse(text)):
            line = block_lines[number] if number < len(block_lines) else 0
            start, end = subtitle.start.total_seconds(), subtitle.end.total_seconds()
            if max(start, end) > MAX_SECONDS:
                raise InputError(f"cue time over {MAX_SECONDS // 3600} hours", path, line)
            entries.append(Entry(start, end, subtitle.content, line))
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


def _block_lines(text: str) -> list[int]:
    """The line where each blank-line separated block starts, to place errors by cue."""
    lines, starts, in_block = text.split("\n"), [], False
    for number, line in enumerate(lines, start=1):
        if line.strip() and not in_block:
            starts.append(number)
        in_block = bool(line.strip())
    return starts
