"""The format registry: every file format captions reads or writes, one module each.

A module declares a :class:`Format` (names, suffixes, detection, reader, writer, limits) as
``FORMAT``; adding a format is that module and one line in ``_MODULES``. Batch input suffixes,
``--format`` choices, ``check``, ``convert`` and ``align`` all read this registry.
"""

from __future__ import annotations

import dataclasses
import stat
from fractions import Fraction
from importlib import import_module
from pathlib import Path
from typing import Any

from ..context import LanguageContext
from ..errors import InputError, OptionError
from ..languages import as_pack
from ..languages.base import LanguagePack
from ..model import Cue, Profile, Segment, Speaker, Track, exact_rate
from ..textfile import decode
from .base import Format, Limits
from .timed import Entry, entry_cues, entry_segments, reader_notes

_MODULES = ("script", "srt", "vtt", "json", "ttml", "dfxp", "imsc", "ebutt", "stl", "scc", "ass", "sami", "microdvd", "sbv")
REGISTRY: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add a format (a test or a plug-in may add its own); names and suffixes must be new."""
    taken = {suffix for known in REGISTRY.values() for suffix in known.suffixes}
    if fmt.name in REGISTRY or taken & set(fmt.suffixes):
        raise ValueError(f"format {fmt.name!r} or one of its suffixes {fmt.suffixes} is registered already")
    REGISTRY[fmt.name] = fmt
    return fmt


for _name in _MODULES:
    register(import_module(f"{__name__}.{_name}").FORMAT)


def writable() -> list[str]:
    return [name for name, fmt in REGISTRY.items() if fmt.write]


def caption_formats() -> list[str]:
    """Formats whose files hold cues (``check`` and ``convert`` read them)."""
    return [name for name, fmt in REGISTRY.items() if fmt.read_entries]


def input_suffixes() -> set[str]:
    """Suffixes a folder of inputs is searched for."""
    return {suffix for fmt in REGISTRY.values() if fmt.read_entries or fmt.read_transcript for suffix in fmt.suffixes
            if "." not in suffix}  # a file's own suffix: Path("x.imsc.ttml").suffix is .ttml


def get(name: str, purpose: str = "write") -> Format:
    """A format by name, able to do ``purpose`` (write | read | cues), or an option error listing the choices."""
    able = {"write": writable, "read": lambda: list(REGISTRY), "cues": caption_formats}[purpose]()
    name = name.strip().lower() if name.strip().lower() in able else name
    if name not in able:
        raise OptionError(f"unknown {'output' if purpose == 'write' else 'input'} format {name!r} "
                          f"(choose from {', '.join(able)})")
    return REGISTRY[name]


def written_suffix(name: str) -> str:
    return REGISTRY[name].suffixes[0]


def detect_format(text: str, suffix: str = "") -> str:
    """The input format, from the file's suffix or, failing that, its first characters.

    >>> detect_format("WEBVTT\\n"), detect_format("1\\n00:00:01,000 --> 00:00:02,000\\nHi\\n")
    ('vtt', 'srt')
    """
    suffix = suffix.lower().lstrip(".")
    for name, fmt in REGISTRY.items():
        if suffix in fmt.suffixes and suffix != "txt":
            return name
    head = text.lstrip("\ufeff \n\t")
    for name, fmt in REGISTRY.items():
        if fmt.detect(head) and not (name == "json" and suffix == "txt"):
            return name
    return "script"


def looks_like(text: str, named: str) -> str | None:
    """The format a file's content is in when it is not the one its suffix named, if any.

    >>> looks_like("[Script Info]\\nTitle: x", "srt"), looks_like("WEBVTT\\n", "vtt")
    ('ass', None)
    """
    head = text.lstrip("\ufeff \n\t")
    return next((name for name, fmt in REGISTRY.items() if name != named and fmt.detect(head)), None)


def with_limits(profile: Profile, names: tuple[str, ...] | list[str]) -> Profile:
    """The profile narrowed to what every output format can carry, so the breaker lays text out for them."""
    chars, lines = profile.max_chars_per_line, profile.max_lines
    for name in names:
        limits = REGISTRY[name].limits
        if limits.max_chars_per_line is not None:
            chars = min(chars, limits.max_chars_per_line)
        if limits.max_lines is not None:
            lines = min(lines, limits.max_lines)
    return dataclasses.replace(profile, max_chars_per_line=chars, max_lines=lines)


def limit_problems(track: Track, name: str, language: LanguageContext) -> list[tuple[int, str]]:
    """Every way a track breaks a format's hard limits, written as the language is delivered: (cue
    number, or 0 for the track; what)."""
    from ..rules import RULES

    limits, problems = REGISTRY[name].limits, []
    if limits.languages and track.lang not in limits.languages:
        problems.append((0, f"{name} cannot carry language {track.lang!r} (only {', '.join(limits.languages)})"))
    if limits.frame_rates and track.fps not in limits.frame_rates:
        problems.append((0, f"{name} cannot carry {float(track.fps):g} fps"))
    problems += REGISTRY[name].problems(track, language)
    # The format's lines and line length are the style's rules with the format's numbers: QC's own checks.
    hard: dict[str, Any] = {key: value for key, value in (("max_lines", limits.max_lines),
                                                          ("max_chars_per_line", limits.max_chars_per_line))
                            if value is not None}
    held = dataclasses.replace(language, style=dataclasses.replace(language.style, **hard))
    shows = limits.characters
    for number, cue in enumerate(track.cues, start=1):
        if shows:
            foreign = sorted({char for line in cue.lines for char in line if not shows(char)})
            if foreign:
                problems.append((number, f"{name} cannot show {''.join(foreign)!r} "
                                         f"(its character set is {limits.character_set or 'limited'})"))
        problems += [(number, f"{name}: {issue.message}") for key in hard
                     for issue in RULES[key].check(number, cue, None, held)  # type: ignore[misc]
                     if issue.rule in ("lines", "line-length")]
    return problems


def parse(text: str, fmt: str, path: str = "", lang: LanguagePack | str = "en",
          headline: str = "caption") -> list[Segment]:
    """Segments from already decoded text in a known format, in ``lang`` (the job's pack, or a code)."""
    reader, language = get(fmt, "read"), as_pack(lang)
    if reader.read_transcript:
        segments = reader.read_transcript(text, path, language, headline)
    else:
        assert reader.read_entries
        segments = entry_segments(reader.read_entries(text, path), path, language)
    if not any(segment.text.strip() for segment in segments):
        raise InputError("transcript has no speech text", path)
    return segments


MAX_BYTES = 50_000_000  # default limit: a 10-hour transcript is under 2 MB


def read_file(path: str | Path, lang: LanguagePack | str = "en", encoding: str | None = None,
              headline: str = "caption", fmt: str | None = None, max_bytes: int = MAX_BYTES,
              notes: list[str] | None = None) -> list[Segment]:
    """Segments of a transcript file of any supported format and encoding, in ``lang`` (the job's
    pack, or a code); what the reader could not take as written goes into ``notes``."""
    with reader_notes() as said:
        segments = _read_file(Path(path), as_pack(lang), encoding, headline, fmt, max_bytes)
    if notes is not None:
        notes += said
    return segments


def _read_file(path: Path, language: LanguagePack, encoding: str | None, headline: str, fmt: str | None,
               max_bytes: int) -> list[Segment]:
    data = read_bytes(path, max_bytes)
    binary = _binary_format(data, path.suffix, fmt)
    if binary:
        segments = entry_segments(_entries(binary, data, path), str(path), language)
        if not any(segment.text.strip() for segment in segments):
            raise InputError("transcript has no speech text", str(path))
        return segments
    text = decode(data, str(path), encoding)
    return parse(text, fmt or detect_format(text, path.suffix), str(path), language, headline)


def _binary_format(data: bytes, suffix: str, fmt: str | None) -> Format | None:
    """The binary format a file is in: as named, else by its signature bytes, else by its suffix
    (so a damaged file of that format gets that format's own error, not "binary data")."""
    if fmt:
        return REGISTRY[fmt] if fmt in REGISTRY and REGISTRY[fmt].binary else None
    binary = [known for known in REGISTRY.values() if known.binary]
    return next((known for known in binary if known.detect_bytes(data[:2048])), None) or next(
        (known for known in binary if suffix.lower().lstrip(".") in known.suffixes), None)


def _entries(fmt: Format, data: bytes, path: Path) -> list[Entry]:
    assert fmt.read_entries is not None
    return fmt.read_entries(data, str(path))


def read_text(path: Path, encoding: str | None = None, max_bytes: int = MAX_BYTES) -> str:
    """The decoded text of a regular file of at most ``max_bytes``, or a one-line error naming it."""
    return decode(read_bytes(path, max_bytes), str(path), encoding)


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, or a one-line error naming it.

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
    return data


def read_head(path: Path, size: int = 65536) -> bytes:
    """The first ``size`` bytes of a regular file (empty for anything else, or one that cannot be read)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return b""
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def read_cues(path: str | Path, encoding: str | None = None, notes: list[str] | None = None) -> list[Cue]:
    """The cues of a caption file of any format the registry reads, as they are; a file that shows
    no text at all (a header only, control codes only, empty or tag-only cues) is refused. What the
    reader could not take as written goes into ``notes``."""
    with reader_notes() as said:
        cues = _read_cues(Path(path), encoding)
    if notes is not None:
        notes += said
    return cues


def _read_cues(path: Path, encoding: str | None) -> list[Cue]:
    data = read_bytes(path)
    binary = _binary_format(data, path.suffix, None)
    if binary:
        cues = entry_cues(_entries(binary, data, path))
    else:
        text = decode(data, str(path), encoding)
        name = detect_format(text, path.suffix)
        fmt = REGISTRY[name]
        if not fmt.read_entries:
            raise InputError(f"not a caption file captions reads (it looks like {REGISTRY[name].title.split(':')[0]}; "
                             f"caption formats: {', '.join(caption_formats())})", str(path))
        try:
            cues = entry_cues(fmt.read_entries(text, str(path)))
        except InputError as err:
            looks = looks_like(text, name)
            if looks:  # the suffix said one format, the content is another's
                other = REGISTRY[looks]
                err.message += f" (this looks like {other.title.split(':')[0]}: rename it .{other.suffixes[0]})"
            raise
    if not any(line.strip() for cue in cues for line in cue.lines):
        raise InputError("no caption text found: the file shows no text at any time", str(path))
    return cues


def format_of(path: str | Path, encoding: str | None = None) -> str:
    """The registry name of a caption file's format, binary or text, from its bytes and suffix."""
    path = Path(path)
    data = read_bytes(path)
    binary = _binary_format(data, path.suffix, None)
    return binary.name if binary else detect_format(decode(data, str(path), encoding), path.suffix)


def own_rate(path: str | Path, fmt: str) -> Fraction | None:
    """The frame rate a file's format fixes for its timecodes (SCC's 29.97, STL's 25 or 30, from
    its header), or None where the format leaves it to the profile."""
    fixed = REGISTRY[fmt].frame_rate
    return fixed(read_bytes(Path(path))) if fixed else None


def read_track(path: str | Path, lang: str, fps: float, encoding: str | None = None) -> Track:
    """A caption file as a track of its cues, as they are, at the given frame rate."""
    notes: list[str] = []
    cues = read_cues(path, encoding, notes)
    speakers = {name: Speaker(name) for cue in cues for name in cue.speakers if name}
    return Track(lang, cues, speakers, exact_rate(fps), notes)


__all__ = ["REGISTRY", "Format", "Limits", "detect_format", "format_of", "get", "parse", "read_cues", "read_file",
           "read_text", "register", "with_limits"]
