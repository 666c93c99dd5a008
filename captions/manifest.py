"""A batch manifest: the programmes of an archive run, one row each, in CSV (with a header), JSON
Lines or TOML (``[[programme]]`` tables). Every row is checked before any work starts, and every
bad row is reported at once, by its line.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import CaptionsError, OptionError
from .plan import Options, Plan, make_plan
from .textfile import decode

MAX_BYTES = 20_000_000  # a manifest of a million programmes is under this
# Manifest column -> Options field, where the names differ; list-valued columns are split at commas.
RENAMED = {"media": "audio", "formats": "formats", "to": "to", "languages": "to", "format": "formats"}
LISTS = ("formats", "to")
NUMBERS = ("fps", "start", "duration", "speaker_pause", "paragraph_pause", "max_input_mb")
TIMES = ("start", "duration")
SPANS = ("audio_part",)
# Yes/no columns: a CSV cell is text, and "false" must not read as a true (non-empty) string.
SWITCHES = {field.name for field in fields(Options) if field.type == "bool"}
YES, NO = ("true", "yes", "1", "on"), ("false", "no", "0", "off")
RENAMED_BACK = {"audio": "media"}
OPTION_FIELDS = {field.name for field in fields(Options)} - {"progress", "find_lang"}
KNOWN = {"input", "out", *RENAMED, *OPTION_FIELDS}


class ManifestError(OptionError):
    """Every bad row of a manifest, one ``file:line: message`` line each."""

    def __init__(self, problems: list[str], path: str):
        super().__init__(f"{len(problems)} bad row{'s' if len(problems) > 1 else ''}", path)
        self.problems = problems

    def lines(self) -> list[str]:
        return self.problems


@dataclass(frozen=True)
class Programme:
    """One row: where its transcript is, where its outputs go, and its resolved plan."""

    line: int
    source: Path
    out: Path
    plan: Plan
    options: Options  # as given, for the state's record of what was asked


def read_manifest(path: str | Path, allow_outside: tuple[str | Path, ...] = ()) -> list[Programme]:
    """The programmes of a manifest, every row checked; a :class:`ManifestError` lists all bad rows.

    A manifest may come from someone else: every file a row reads or writes must lie in the
    manifest's folder or in one of ``allow_outside`` (symlinks resolved), and no two rows may write
    one path (each rerun would redo one and flip the file).
    """
    path = Path(path)
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            raise OptionError(f"not a manifest (a regular file under {MAX_BYTES // 1_000_000} MB)", str(path))
        text = decode(path.read_bytes(), str(path))
    except OSError as err:
        raise OptionError(f"cannot read manifest: {err.strerror or err}", str(path)) from None
    rows = _rows(text, path)
    if not rows:
        raise OptionError("the manifest lists no programmes", str(path))
    programmes, problems = [], []
    roots = (path.parent.resolve(), *(Path(folder).resolve() for folder in allow_outside))
    for line, row in rows:
        try:
            programmes.append(_programme(line, row, path, roots))
        except CaptionsError as err:
            problems.append(f"{path}:{line}: {err.message}")
    problems += _shared_outputs(programmes, path)
    if problems:
        raise ManifestError(problems, str(path))
    return programmes


def implicit_manifest(argument: str, options: Options, out: str | None) -> list[Programme]:
    """A folder or glob as a manifest: one programme per transcript found, with the options given on
    the command line; a folder's tree kept under ``out``. Checked as a manifest is (shared outputs
    refused); a row's language is each file's own unless ``options`` fixes one."""
    from .batch import find_inputs, output_folders
    from .pipeline import file_plan

    found = find_inputs([argument])
    missing = [item.source for item in found if isinstance(item.source, str)]
    if missing:
        raise OptionError(str(missing[0]))
    plan = make_plan(options)
    made: dict[str, Plan] = {}
    programmes = []
    for line, (item, folder) in enumerate(zip(found, output_folders(found, out, None)), start=1):
        source = Path(item.source).resolve()
        own = file_plan(source, plan, made)
        programmes.append(Programme(line, source, Path(folder).resolve() if folder else source.parent, own,
                                    replace(options, lang=own.source.lang, find_lang=False)))
    problems = _shared_outputs(programmes, Path(argument))
    if problems:
        raise ManifestError(problems, argument)
    return programmes


def _shared_outputs(programmes: list[Programme], manifest: Path) -> list[str]:
    """A line for each output two rows would both write, naming both rows."""
    from .naming import collisions, job_outputs

    lines = {str(programme.line): programme.line for programme in programmes}
    found = collisions((str(programme.line), job_outputs(programme.source, programme.out, programme.plan))
                       for programme in programmes)
    problems = []
    for clash in found:
        first, _, rest = clash.partition(" and ")
        second, _, what = rest.partition(" would both write ")
        problems.append(f"{manifest}:{lines[second]}: this row and line {first} would both write {what}: "
                        "give one of them another out folder")
    return problems


def _inside(path: Path, roots: tuple[Path, ...], what: str, given: str) -> Path:
    """The path, resolved, when it lies in one of the roots; else an :class:`OptionError`."""
    resolved = path.resolve()
    if not any(resolved.is_relative_to(root) for root in roots):
        raise OptionError(f"{what} {given!r} is outside the manifest's folder ({roots[0]}): "
                          "give --allow-outside DIR to allow it")
    return resolved


def _rows(text: str, path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(line, values) of every row, by the manifest's kind (its suffix)."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        reader = csv.DictReader(io.StringIO(text), delimiter=_delimiter(text))
        if not reader.fieldnames or "input" not in reader.fieldnames:
            raise OptionError("a CSV manifest needs a header row naming an 'input' column", str(path), 1)
        columns = len(reader.fieldnames)
        # DictReader keeps the cells past the header under the key None: the row is told so by _programme.
        return [(reader.line_num, {"_cells": columns + len(row[None])} if None in row else
                 {key: value for key, value in row.items() if value not in (None, "")}) for row in reader]
    if suffix in (".jsonl", ".ndjson"):
        rows = []
        for number, line in enumerate(text.split("\n"), start=1):
            if line.strip():
                try:
                    value = json.loads(line)
                except (json.JSONDecodeError, RecursionError, ValueError) as err:
                    raise OptionError(f"not a JSON object: {str(err)[:60]}", str(path), number) from None
                rows.append((number, value if isinstance(value, dict) else {"input": None, "_not_object": True}))
        return rows
    if suffix == ".toml":
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise OptionError(f"not valid TOML: {err}", str(path)) from None
        tables = document.get("programme", [])
        if not isinstance(tables, list):
            raise OptionError("a TOML manifest is [[programme]] tables", str(path))
        starts = [number for number, line in enumerate(text.split("\n"), start=1) if line.strip() == "[[programme]]"]
        return [(starts[index] if index < len(starts) else 0, table if isinstance(table, dict) else {})
                for index, table in enumerate(tables)]
    raise OptionError(f"unknown manifest kind {suffix or '(no suffix)'!r}: use .csv (or .tsv), .jsonl or .toml",
                      str(path))


def _delimiter(text: str) -> str:
    """The cell separator of a CSV manifest, from its header: a comma, else a tab or a semicolon
    (spreadsheets export either under a .csv name).

    >>> _delimiter("input,lang\\n"), _delimiter("input\\tlang\\n"), _delimiter("input;lang\\n")
    (',', '\\t', ';')
    """
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    return max((",", "\t", ";"), key=lambda separator: (header.count(separator), separator == ","))


def _programme(line: int, row: dict[str, Any], manifest: Path, roots: tuple[Path, ...]) -> Programme:
    if row.get("_not_object"):
        raise OptionError("the row is not an object of columns")
    if "_cells" in row:
        raise OptionError(f"{row['_cells']} cells, more than the header's columns (a comma in a value needs quotes)")
    unknown = sorted(set(row) - KNOWN)
    if unknown:
        raise OptionError(f"unknown column {unknown[0]!r} (known: input, out, media, to, formats, sync, and make's "
                          "options)")
    if not isinstance(row.get("input"), str) or not row["input"].strip():
        raise OptionError("no input")
    base = manifest.parent
    source = _inside(base / row["input"], roots, "input", row["input"])
    if not source.is_file():
        raise OptionError(f"input {row['input']!r} is not a file")
    out = _inside(base / row["out"], roots, "out", row["out"]) if isinstance(row.get("out"), str) else source.parent
    values = {RENAMED.get(key, key): value for key, value in row.items() if key not in ("input", "out")}
    fps = _value("fps", values["fps"]) if "fps" in values else None
    if fps is None:
        from .languages import normalise_lang
        from .profiles import get_profile

        fps = get_profile(str(values.get("profile", "netflix")), normalise_lang(str(values.get("lang", "en")))).fps
    given = {key: _value(key, value, fps) for key, value in values.items()}
    # Files a row names are found beside the manifest, as its inputs are.
    for key in ("audio", "glossary", "profile", "shots", "sync"):
        name = given.get(key)
        if not isinstance(name, str) or (key == "profile" and not name.endswith(".toml")) or \
                (key == "shots" and name == "media"):
            continue
        given[key] = str(_inside(base / name, roots, RENAMED_BACK.get(key, key), name))
    for key in ("audio", "sync"):
        if given.get(key) and not Path(given[key]).is_file():
            raise OptionError(f"{RENAMED_BACK.get(key, key)} {values[key]!r} is not a file")
    options = Options(**given)
    plan = make_plan(options)
    if "lang" not in given:  # a row that names no language: the file's own (its name, its text), fixed now
        from .pipeline import file_language

        found = file_language(source, plan)
        if found and found != options.lang:
            options = replace(options, lang=found)
            plan = make_plan(options)
    return Programme(line, source, out, plan, options)


def _value(key: str, value: Any, fps: float = 25.0) -> Any:
    """A column's value as the option it sets (lists split at commas, times and numbers read)."""
    if key in LISTS:
        items = value if isinstance(value, list) else str(value).split(",")
        return tuple(str(item).strip() for item in items if str(item).strip())
    if key in TIMES and isinstance(value, str):
        from .timecode import parse_time

        return parse_time(value, fps, key)
    if key in NUMBERS:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise OptionError(f"{key} {str(value)[:20]!r} is not a number") from None
        return number
    if key in SWITCHES:
        return _switch(key, value)
    if not isinstance(value, str):
        raise OptionError(f"{key} must be text, not {type(value).__name__}")
    if key in SPANS:
        from .timecode import parse_span

        return parse_span(value, fps, key)
    return value


def _switch(key: str, value: Any) -> bool:
    """A yes/no column: a JSON or TOML boolean, or a word.

    >>> _switch("sdh", "No"), _switch("sdh", True), _switch("review", "1")
    (False, True, True)
    """
    if isinstance(value, bool):
        return value
    if str(value).strip().lower() in YES + NO:
        return str(value).strip().lower() in YES
    raise OptionError(f"{key} {str(value)[:20]!r} is not yes or no (true/false, yes/no, 1/0)")
