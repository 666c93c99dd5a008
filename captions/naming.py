"""Where every output goes, decided before any work: the ``NAME.LANG.SUFFIX`` names, the folder of
each input, and the refusal of two jobs that would write one path (the second would silently
replace the first) or of an output that would replace an input."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import OptionError, OutputError

if TYPE_CHECKING:
    from .plan import Plan


def output_path(source: Path, out_dir: Path, lang: str, suffix: str) -> Path:
    """``OUT/NAME.LANG.SUFFIX``; a language suffix already in the input name is not repeated.

    >>> output_path(Path("in/show.en.srt"), Path("out"), "en", "imsc.ttml").as_posix()
    'out/show.en.imsc.ttml'
    """
    stem = source.stem
    if stem.lower().endswith(f".{lang.lower()}"):
        stem = stem[: -len(lang) - 1]
    return out_dir / f"{stem}.{lang}.{suffix}"


def review_path(source: Path, out_dir: Path) -> Path:
    """``OUT/NAME.review.html``: one page per programme, its name without suffixes.

    >>> review_path(Path("in/show.en.srt"), Path("out")).as_posix()
    'out/show.review.html'
    """
    return out_dir / f"{source.name.split('.')[0]}.review.html"


def planned_paths(source: Path, out_dir: Path, lang: str, plan: Plan) -> dict[str, Path]:
    """Every file one language of a job writes, by what it is (a format, ``qc.txt``, ``forced FMT``)."""
    from .formats import written_suffix

    paths = {fmt: output_path(source, out_dir, lang, written_suffix(fmt)) for fmt in plan.formats}
    if plan.report:
        paths["qc.txt"] = output_path(source, out_dir, lang, "qc.txt")
    if plan.forced:
        paths.update({f"forced {fmt}": output_path(source, out_dir, lang, f"forced.{written_suffix(fmt)}")
                      for fmt in plan.formats})
    return paths


def language_of(source: Path, given: str | None) -> str:
    """The captions' language: as given, else the ``NAME.LANG.EXT`` part of the file name, else English.

    >>> language_of(Path("show.ja.srt"), None), language_of(Path("show.srt"), None), language_of(Path("x.fr.srt"), "de")
    ('ja', 'en', 'de')
    """
    from .languages import language_in_name, normalise_lang

    return normalise_lang(given) if given else language_in_name(source.name) or "en"


def conversion_paths(source: Path, out_dir: str | Path | None, formats: list[str], lang: str | None) -> dict[str, Path]:
    """The file each target format of one input of ``convert`` is written to."""
    from .formats import get, written_suffix

    folder = Path(out_dir) if out_dir else source.parent
    language = language_of(source, lang)
    return {name: output_path(source, folder, language, written_suffix(get(name).name)) for name in formats}


def aligned_path(source: Path, out_dir: str | None, fmt: str, tag: str = "aligned") -> Path:
    """``NAME.TAG.SUFFIX`` beside the input (or in ``out_dir``), in the input's own format.

    >>> aligned_path(Path("in/show.en.imsc.ttml"), None, "imsc").as_posix()
    'in/show.en.aligned.imsc.ttml'
    >>> aligned_path(Path("in/show.en.srt"), "out", "srt", "retimed").as_posix()
    'out/show.en.retimed.srt'
    """
    from .formats import REGISTRY

    suffix = REGISTRY[fmt].suffixes[0]
    name = source.name
    stem = name[: -len(suffix) - 1] if name.lower().endswith(f".{suffix}") else source.stem
    return Path(out_dir or source.parent) / f"{stem}.{tag}.{suffix}"


def job_outputs(source: Path, out_dir: Path, plan: Plan) -> list[Path]:
    """Every path a ``make`` job of one transcript may write, in every language (a sync job: its
    ``NAME.synced.EXT``)."""
    if plan.sync:
        found = retime_target(source, str(out_dir), plan.reading.encoding, False, "synced")
        return ([found] if found else []) + ([review_path(source, out_dir)] if plan.review else [])
    paths = [path for language in plan.languages for path in planned_paths(source, out_dir, language.lang, plan).values()]
    return paths + ([review_path(source, out_dir)] if plan.review else [])


def backup_path(path: Path) -> Path:
    """``FILE.bak``, or the first of ``FILE.bak1``, ``FILE.bak2``... that does not exist: a backup
    is never overwritten."""
    candidate, number = path.with_name(path.name + ".bak"), 0
    while os.path.lexists(candidate):
        number += 1
        candidate = path.with_name(f"{path.name}.bak{number}")
    return candidate


def same_file_key(path: Path) -> str:
    """A path as the file system will resolve it (symlinks, ``..``), for comparing two outputs."""
    try:
        return os.path.normcase(str(path.resolve()))
    except (OSError, RuntimeError):  # a symlink loop: compare it as written
        return os.path.normcase(os.path.abspath(path))


def collisions(jobs: Iterable[tuple[str, Iterable[Path]]]) -> list[str]:
    """One line for each output path two jobs would both write, naming both jobs.

    >>> collisions([("a/x.txt", [Path("o/x.en.srt")]), ("b/x.txt", [Path("o/x.en.srt")])])
    ['a/x.txt and b/x.txt would both write o/x.en.srt']
    """
    owner: dict[str, tuple[str, Path]] = {}
    found: list[str] = []
    clashing: set[tuple[str, str]] = set()
    for name, paths in jobs:
        for path in paths:
            key = same_file_key(path)
            first = owner.setdefault(key, (name, path))
            if first[0] != name and (first[0], name) not in clashing:
                clashing.add((first[0], name))
                found.append(f"{first[0]} and {name} would both write {path}")
    return found


def refuse_collisions(jobs: Iterable[tuple[str, Iterable[Path]]], hint: str) -> None:
    """An :class:`OptionError` naming the first two jobs that share an output (with how many more)."""
    found = collisions(jobs)
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise OptionError(f"{found[0]}{more}: {hint}")


def refuse_overwriting_inputs(outputs: list[Path], *names: str | Path | None) -> None:
    """An output that is one of the job's inputs (after symlinks) is refused before anything is read."""
    inputs = {same_file_key(Path(name)) for name in names if name}
    for path in outputs:
        if same_file_key(path) in inputs:
            raise OutputError("output would overwrite an input; choose another --out folder", str(path))


def writable_format(source: Path, encoding: str | None) -> str:
    """The format to write a re-timed file in: its own; TTML or DFXP read as such becomes the
    deliverable of its kind (EBU-TT-D when it says it is one, else IMSC)."""
    from .errors import InputError
    from .formats import REGISTRY, format_of, read_bytes

    fmt = format_of(source, encoding)
    if REGISTRY[fmt].write:
        return fmt
    if fmt == "ttml":
        return "ebu-tt-d" if b"urn:ebu:tt" in read_bytes(source)[:8192] else "imsc"
    raise InputError(f"captions cannot write {fmt} files: convert it first (captions convert -f srt)", str(source))


def retime_target(source: Path, out_dir: str | None, encoding: str | None, in_place: bool,
                  tag: str = "retimed") -> Path | None:
    """The file a re-timing of ``source`` writes, or None when the file cannot be re-timed (its
    own error comes when it is)."""
    from .errors import CaptionsError

    if in_place:
        return source
    try:
        return aligned_path(source, out_dir, writable_format(source, encoding), tag)
    except CaptionsError:
        return None
