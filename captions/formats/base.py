"""What a format module declares to the registry: its names, how to spot it, read it and write it, and its limits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..model import Segment, Track
from .timed import Entry


@dataclass(frozen=True)
class Limits:
    """What a format can carry at all; merged into the profile before segmentation (None: no limit)."""

    max_chars_per_line: float | None = None
    max_lines: int | None = None
    frame_rates: tuple[Fraction, ...] = ()  # empty: any rate
    languages: tuple[str, ...] = ()  # empty: any language
    characters: Callable[[str], bool] | None = None  # the character set: can the format show this character?
    character_set: str = ""  # its name, for messages
    wide_scripts: bool = True  # False: its character set has no wide (CJK) script; such languages are refused


def _never(head: str) -> bool:
    return False


def _never_bytes(head: bytes) -> bool:
    return False


@dataclass(frozen=True)
class Format:
    """One file format. ``suffixes[0]`` is what written files end in (``NAME.LANG.<suffix>``).

    Caption formats give ``read_entries`` (cues as written); transcript formats (scripts, ASR
    JSON) give ``read_transcript``. ``write`` makes the file's bytes from a track. A ``binary``
    format is recognised by ``detect_bytes`` and its reader gets the file's bytes, not text.
    """

    name: str
    suffixes: tuple[str, ...]
    title: str
    detect: Callable[[str], bool] = _never  # from the decoded start of the file
    read_entries: Callable[[Any, str], list[Entry]] | None = None  # (text, or bytes when binary; path)
    read_transcript: Callable[[str, str, str, str], list[Segment]] | None = None
    write: Callable[[Track], bytes] | None = None
    limits: Limits = Limits()
    binary: bool = False
    detect_bytes: Callable[[bytes], bool] = _never_bytes
    check: Callable[[Track], list[tuple[int, str]]] | None = None  # what else the format cannot do as timed
    frame_rate: Callable[[bytes], Fraction] | None = None  # the rate a file's own timecodes count frames at
