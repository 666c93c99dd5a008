"""What a format module declares to the registry: its names, how to spot it, read it and write it, and its limits."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..context import LanguageContext
from ..languages.base import LanguagePack
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
    read_transcript: Callable[[str, str, LanguagePack, str], list[Segment]] | None = None  # (text, path, language, headline)
    write: Callable[..., bytes] | None = None  # (track); (track, options) for a format with options; see typeset
    limits: Limits = Limits()
    binary: bool = False
    detect_bytes: Callable[[bytes], bool] = _never_bytes
    check: Callable[..., list[tuple[int, str]]] | None = None  # what else the format cannot do as timed (as write)
    frame_rate: Callable[[bytes], Fraction] | None = None  # the rate a file's own timecodes count frames at
    # How a delivery is made, from a profile's [name] table (SCC's caption mode, STL's display mode):
    # (table, where) -> the format's own options, every key and value checked; None: it has none.
    options: Callable[[Mapping[str, Any], str], Any] | None = None
    typeset: bool = False  # ``write`` takes the language's pack: (track, pack) (how it sets italics and rows)

    def render(self, track: Track, language: LanguageContext) -> bytes:
        """The file's bytes as the language is delivered: with this format's options from the profile
        (the defaults when it has no table for it), set as the language's pack says."""
        assert self.write is not None, f"{self.name} is read only"
        if self.options:
            return self.write(track, language.deliveries.get(self.name))
        return self.write(track, language.pack) if self.typeset else self.write(track)

    def problems(self, track: Track, language: LanguageContext) -> list[tuple[int, str]]:
        """What else the format cannot do with a track as timed, with the language's options for it."""
        if self.check is None:
            return []
        return self.check(track, language.deliveries.get(self.name)) if self.options else self.check(track)


def option_values(table: Mapping[str, Any], where: str, choices: Mapping[str, tuple[Any, ...]]) -> dict[str, Any]:
    """A profile's table of format options checked: every key known, every value one of its choices.

    >>> option_values({"mode": "pop-on"}, "[scc]", {"mode": ("pop-on", "roll-up-2")})
    {'mode': 'pop-on'}
    >>> option_values({"mode": "karaoke"}, "[scc]", {"mode": ("pop-on", "roll-up-2")})
    Traceback (most recent call last):
    captions.errors.OptionError: [scc] mode = 'karaoke' is not one of pop-on, roll-up-2
    """
    from ..errors import OptionError

    for key, value in table.items():
        if key not in choices:
            raise OptionError(f"{where} unknown setting {key!r} (known: {', '.join(choices)})")
        if value not in choices[key] or isinstance(value, bool) != isinstance(choices[key][0], bool):
            raise OptionError(f"{where} {key} = {value!r} is not one of {', '.join(map(str, choices[key]))}")
    return dict(table)
