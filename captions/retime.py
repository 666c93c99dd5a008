"""Re-timing captions that already exist: their text and line breaks kept, their times taken from the
audio, then the profile's frame rules applied by the same function that times new captions."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

from .errors import InputError, OutputError
from .folders import check_folder, ensure_folder
from .formats import REGISTRY, detect_format, read_cues, read_text
from .model import Track, exact_rate
from .pipeline import naming_media, refuse_overwriting_inputs
from .profiles import get_profile, normalise_lang
from .progress import Progress
from .sink import write_atomic


def aligned_path(source: Path, out_dir: str | None, fmt: str) -> Path:
    """``NAME.aligned.SUFFIX`` beside the input (or in ``out_dir``), in the input's own format.

    >>> aligned_path(Path("in/show.en.imsc.ttml"), None, "imsc").as_posix()
    'in/show.en.aligned.imsc.ttml'
    """
    suffix = REGISTRY[fmt].suffixes[0]
    name = source.name
    stem = name[: -len(suffix) - 1] if name.lower().endswith(f".{suffix}") else source.stem
    return Path(out_dir or source.parent) / f"{stem}.aligned.{suffix}"


def realign_file(source: str | Path, audio: str, out_dir: str | None, lang: str, profile_name: str,
                 fps: str | None, encoding: str | None, progress: bool = False) -> tuple[Path, list[str]]:
    """Re-time the cues of a caption file to the audio, text and line breaks kept as they are."""
    from .align import align_texts
    from .audio import decode
    from .timecode import parse_fps
    from .timing import apply_frame_rules, legible_time

    source = Path(source)
    lang = normalise_lang(lang)
    profile = get_profile(profile_name, lang)
    rate = exact_rate(parse_fps(fps) if fps else profile.fps)
    fmt = detect_format(read_text(source, encoding), source.suffix)
    if not REGISTRY[fmt].write:
        fmt = "imsc"  # TTML/DFXP in: the deliverable TTML out
    target = aligned_path(source, out_dir, fmt)
    refuse_overwriting_inputs([target], source, audio)
    check_folder(target.parent, OutputError, "output folder")
    cues = read_cues(source, encoding)
    if not cues:
        raise InputError("no cues to align", str(source))
    with naming_media(audio):
        timings, report = align_texts(decode(audio), [" ".join(cue.lines) for cue in cues], lang,
                                      Progress(progress, f"{source.name}: "))
    needed = [legible_time(cue.text, profile) for cue in cues]
    frames = apply_frame_rules([(t.start, t.end) for t in timings], profile, float(rate), None, needed)
    track = Track(lang, [replace(cue, start=Fraction(start) / rate, end=Fraction(end) / rate)
                         for cue, (start, end) in zip(cues, frames)], fps=rate)
    ensure_folder(target.parent, OutputError, "output folder")
    write = REGISTRY[fmt].write
    assert write is not None
    write_atomic(target, write(track))
    return target, report.notes()
