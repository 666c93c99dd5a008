"""Running many transcripts unattended: inputs from files, folders and globs; one bad file never
stops the others; optional parallel processes."""

from __future__ import annotations

import glob
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from .errors import CaptionsError
from .pipeline import Options, Result, caption_file
from .profiles import LANGUAGES

INPUT_SUFFIXES = (".txt", ".srt", ".vtt", ".json")
_OUTPUT_NAME = re.compile(r"\.(?:%s)\.(?:srt|vtt|json|qc\.txt)$" % "|".join(re.escape(lang) for lang in LANGUAGES),
                          re.I)


@dataclass
class Outcome:
    """A file's result, or the one-line error that stopped it."""

    source: str
    result: Result | None = None
    error: str | None = None


def expand_inputs(arguments: list[str]) -> list[Path | str]:
    """Files named, found in folders (captions outputs such as ``x.en.srt`` left out) or matched by globs.

    An argument that names nothing stays a string, so it is reported as a failed input.
    """
    found: list[Path | str] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file() and _is_input(p))
            found.extend(inside or [f"{argument}: no transcript files (.txt .srt .vtt .json) in this folder"])
        elif path.exists():
            found.append(path)
        elif any(char in argument for char in "*?["):
            matches = sorted(Path(p) for p in glob.glob(argument, recursive=True) if Path(p).is_file())
            found.extend(matches or [argument])
        else:
            found.append(argument)
    return list(dict.fromkeys(found))


def _is_input(path: Path) -> bool:
    return path.suffix.lower() in INPUT_SUFFIXES and not _OUTPUT_NAME.search(path.name) and not path.name.startswith(".")


def run_one(source: Path | str, out_dir: str | None, options: Options) -> Outcome:
    """Caption one file; every failure becomes a one-line message."""
    if isinstance(source, str):
        return Outcome(source, error=source if ": " in source else f"{source}: no such file or folder")
    try:
        return Outcome(str(source), result=caption_file(source, out_dir or source.parent, options))
    except CaptionsError as err:
        return Outcome(str(source), error=str(err.located(str(source))))
    except Exception as err:  # a bug must not stop the rest of an unattended batch
        return Outcome(str(source), error=f"{source}: internal error: {type(err).__name__}: {err}")


def run_batch(sources: list[Path | str], out_dir: str | None, options: Options, jobs: int = 1,
              on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Caption every source, in parallel processes when ``jobs`` > 1; outcomes in input order."""
    outcomes: dict[int, Outcome] = {}
    for index, outcome in _outcomes(sources, out_dir, options, jobs):
        outcomes[index] = outcome
        if on_done:
            on_done(outcome)
    return [outcomes[index] for index in range(len(sources))]


def _outcomes(sources, out_dir, options, jobs) -> Iterator[tuple[int, Outcome]]:
    if jobs <= 1 or len(sources) <= 1:
        for index, source in enumerate(sources):
            yield index, run_one(source, out_dir, options)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(run_one, source, out_dir, options): index for index, source in enumerate(sources)}
        for future in as_completed(futures):
            yield futures[future], future.result()
