"""Running many transcripts unattended: inputs from files, folders and globs; one bad file never
stops the others; optional parallel processes."""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from .errors import INTERNAL_EXIT, CaptionsError, InputError
from .formats import REGISTRY, input_suffixes, writable
from .jobs import deliver
from .languages import codes
from .naming import job_outputs, refuse_collisions, refuse_overwriting_inputs
from .pipeline import Result, file_plan, render_file
from .plan import Options, Plan, make_plan

RUN_REPORT = "run-report.json"  # what a batch writes beside its state: never an input of a folder
MAX_JOBS = 64  # worker processes, whatever --jobs says (never more than there are files)
INPUT_SUFFIXES = tuple(sorted(f".{suffix}" for suffix in input_suffixes()))
# What captions writes (NAME.LANG.SUFFIX, and the QC report): never taken as an input of a folder.
_OUTPUT_NAME = re.compile(r"\.(?:{})\.(?:{}|qc\.txt)$".format(
    "|".join(re.escape(lang) for lang in codes()),
    "|".join(re.escape(REGISTRY[name].suffixes[0]) for name in writable())), re.I)


@dataclass
class Outcome:
    """A file's result, or the one-line error that stopped it, with the exit code of its class."""

    source: str
    result: Result | None = None
    error: str | None = None
    code: int = 0
    kind: str = ""
    outputs: dict[Path, bytes] = field(default_factory=dict)  # made, not yet written

    @property
    def failed(self) -> bool:
        return bool(self.error or (self.result and self.result.errors))

    @property
    def exit_code(self) -> int:
        """0 when everything was written, else the code of the first failure's class."""
        if self.error:
            return self.code
        if self.result and self.result.errors:
            return self.result.errors[0].exit_code
        return 0

    def summary(self) -> dict[str, Any]:
        """The outcome as plain data, for ``make --json``: one object per file."""
        summary: dict[str, Any] = {"source": self.source, "ok": not self.failed, "exit_code": self.exit_code}
        if self.error:
            summary["error"] = {"kind": self.kind, "message": self.error}
        if self.result:
            summary["languages"] = [
                {"lang": language.lang, "cues": language.cues, "outputs": [str(path) for path in language.outputs],
                 "errors": sum(issue.severity == "error" for issue in language.issues),
                 "warnings": sum(issue.severity != "error" for issue in language.issues),
                 "issues": [issue.as_dict() for issue in language.issues], "notes": language.notes}
                for language in self.result.languages]
            summary["failed_languages"] = [{"kind": err.kind, "message": str(err)} for err in self.result.errors]
            summary["review"] = str(self.result.review) if self.result.review else None
        return summary


def expand_inputs(arguments: list[str]) -> list[Path | str]:
    """Files named, found in folders (captions outputs such as ``x.en.srt`` left out) or matched by globs.

    An argument that names nothing stays a string, so it is reported as a failed input.
    """
    return [found.source for found in find_inputs(arguments)]


class Found(NamedTuple):
    """An input, and the folder or glob root it was found under (None for a file named)."""

    source: Path | str
    root: Path | None = None
    in_folder: bool = False  # found by walking a folder given: its tree is kept under --out by default


def find_inputs(arguments: list[str]) -> list[Found]:
    """Each input with the root of the folder or glob it was found by."""
    found: list[Found] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            inside, unreadable = _walk(path)
            found.extend(Found(f"{folder}: cannot read this folder: {reason}") for folder, reason in unreadable)
            if not inside and not unreadable:
                found.append(Found(f"{argument}: no transcript files ({' '.join(INPUT_SUFFIXES)}) in this folder"))
            found.extend(Found(file, path, True) for file in inside)
        elif path.exists():
            found.append(Found(path))
        elif any(char in argument for char in "*?["):
            matches = sorted(Path(p) for p in glob.glob(argument, recursive=True) if Path(p).is_file())
            found.extend([Found(match, _glob_root(argument)) for match in matches] or [Found(argument)])
        else:
            found.append(Found(argument))
    return list(dict.fromkeys(found))


def _glob_root(pattern: str) -> Path:
    """The folder a glob searches from: its parts before the first wildcard.

    >>> _glob_root("scripts/*/news.txt").as_posix(), _glob_root("*.txt").as_posix()
    ('scripts', '.')
    """
    parts = Path(pattern).parts
    fixed = [part for part in parts[: next(i for i, part in enumerate(parts) if any(c in part for c in "*?["))]]
    return Path(*fixed) if fixed else Path(".")


def output_folders(found: list[Found], out: str | None,
                   keep_tree: bool | None) -> list[str | None]:
    """Each input's output folder: beside it without ``--out``; else ``--out`` itself, or, keeping the
    tree (the default for a folder given), the input's folder mirrored under ``--out``.

    >>> found = [Found(Path("s/ep1/news.txt"), Path("s"), True), Found(Path("s/ep2/news.txt"), Path("s"), True)]
    >>> output_folders(found, "subs", None)
    ['subs/ep1', 'subs/ep2']
    >>> output_folders([Found(Path("a/x.txt")), Found(Path("b/x.txt"))], "o", True)
    ['o/a', 'o/b']
    """
    if out is None:
        return [None] * len(found)
    named = [source.parent for source, root, _ in found if isinstance(source, Path) and root is None]
    common = Path(os.path.commonpath([os.path.abspath(folder) for folder in named])) if named else None
    folders: list[str | None] = []
    for source, root, in_folder in found:
        tree = in_folder if keep_tree is None else keep_tree
        if not isinstance(source, Path) or not tree:
            folders.append(out)
            continue
        base = root if root is not None else common
        assert base is not None
        relative = Path(os.path.relpath(os.path.abspath(source.parent), os.path.abspath(base)))
        folders.append(str(Path(out) / relative) if relative != Path(".") else out)
    return folders


def _walk(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Input files under a folder, and the sub-folders that could not be read (never skipped silently)."""
    unreadable: list[tuple[str, str]] = []
    files = []
    for root, _, names in os.walk(folder, onerror=lambda err: unreadable.append((str(err.filename), str(err.strerror)))):
        paths = (Path(root) / name for name in names)
        files += [path for path in paths if _is_input(path) and path.is_file()]
    return sorted(files), sorted(unreadable)


def _is_input(path: Path) -> bool:
    """A transcript of a folder: not a file captions wrote there (outputs, a batch's run report)."""
    return path.suffix.lower() in INPUT_SUFFIXES and not _OUTPUT_NAME.search(path.name) and \
        not path.name.startswith(".") and path.name != RUN_REPORT


def run_one(source: Path | str, out_dir: str | None, plan: Plan | Options) -> Outcome:
    """Caption one file and write its outputs; every failure becomes a one-line message."""
    outcome = render_one(source, out_dir, plan)
    return write_outcome(outcome)


def render_one(source: Path | str, out_dir: str | None, plan: Plan | Options,
               langs: tuple[str, ...] | None = None) -> Outcome:
    """Caption one file, its outputs kept as bytes (of ``langs`` only, when given): what a worker
    sends back, so that the one who asked writes them, on a machine that need not share a disk."""
    if isinstance(source, str):
        message = source if ": " in source else f"{source}: no such file or folder"
        return Outcome(source, error=message, code=InputError.exit_code, kind=InputError.kind)
    try:
        rendered = render_file(source, out_dir or source.parent, plan if isinstance(plan, Plan) else make_plan(plan))
    except CaptionsError as err:
        return Outcome(str(source), error=str(err.located(str(source))), code=err.exit_code, kind=err.kind)
    except Exception as err:  # a bug must not stop the rest of an unattended batch
        return Outcome(str(source), error=f"{source}: internal error: {type(err).__name__}: {err}",
                       code=INTERNAL_EXIT, kind="internal")
    result = rendered.result
    if langs is not None:
        left_out = {path for language in result.languages if language.lang not in langs for path in language.outputs}
        result.languages = [language for language in result.languages if language.lang in langs]
        rendered.outputs = {path: data for path, data in rendered.outputs.items() if path not in left_out}
    return Outcome(str(source), result=result, outputs=rendered.outputs)


def write_outcome(outcome: Outcome) -> Outcome:
    """The outcome's outputs delivered (each written whole, its folder made), and dropped from it."""
    try:
        deliver(outcome.outputs)
    except CaptionsError as err:
        return Outcome(outcome.source, error=str(err.located(outcome.source)), code=err.exit_code, kind=err.kind)
    outcome.outputs = {}
    return outcome


def run_batch(sources: list[Path | str], out_dir: str | list[str | None] | None, plan: Plan | Options, jobs: int = 1,
              on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Caption every source (into one folder, or each into its own), in parallel processes when
    ``jobs`` > 1; outcomes in input order. Two sources that would write one path are refused first."""
    folders = out_dir if isinstance(out_dir, list) else [out_dir] * len(sources)
    plan = plan if isinstance(plan, Plan) else make_plan(plan)
    refuse_shared_outputs(sources, folders, plan)
    outcomes: dict[int, Outcome] = {}
    tasks = [(source, folder, plan) for source, folder in zip(sources, folders)]
    for index, outcome in LocalPool(jobs).run(run_one, tasks):
        outcomes[index] = outcome
        if on_done:
            on_done(outcome)
    return [outcomes[index] for index in range(len(sources))]


def refuse_shared_outputs(sources: list[Path | str], folders: list[str | None], plan: Plan) -> None:
    """An :class:`OptionError` before any work when two inputs would write one output path, or one
    would write over another's input."""
    made: dict[str, Plan] = {}
    jobs = [(str(source), job_outputs(source, Path(folder) if folder else source.parent, file_plan(source, plan, made)))
            for source, folder in zip(sources, folders) if isinstance(source, Path)]
    refuse_collisions(jobs, "give the inputs distinct names, or --keep-tree to keep each input's folder under --out")
    for name, outputs in jobs:
        refuse_overwriting_inputs(outputs, *(other for other, _ in jobs if other != name))


class LocalPool:
    """The default executor: this machine's processes. An executor runs a function over argument
    tuples and yields (index, result) as each finishes; another engine is another such class."""

    def __init__(self, jobs: int = 1):
        self.jobs = jobs

    def run(self, function: Callable[..., Any], tasks: list[tuple[Any, ...]]) -> Iterator[tuple[int, Any]]:
        if self.jobs <= 1 or len(tasks) <= 1:
            for index, arguments in enumerate(tasks):
                yield index, function(*arguments)
            return
        workers = min(self.jobs, len(tasks), MAX_JOBS)
        with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                                 initargs=(os.getpid(), core_share(workers))) as pool:
            futures = {pool.submit(function, *arguments): index for index, arguments in enumerate(tasks)}
            try:
                for future in as_completed(futures):
                    yield futures[future], future.result()
            except BaseException:  # Ctrl-C (or the caller stopping): no task starts after it
                pool.shutdown(wait=False, cancel_futures=True)
                raise


def core_share(workers: int, cores: int | None = None) -> int:
    """The CPU cores each of ``workers`` processes may use for translation: together, the machine.

    >>> core_share(2, cores=2), core_share(3, cores=8), core_share(4, cores=2)
    (1, 2, 1)
    """
    return max(1, (cores or os.cpu_count() or 1) // workers)


def share_cores(threads: int) -> None:
    """This process translates with ``threads`` CTranslate2 threads, unless ARGOS_INTRA_THREADS says.

    Two workers that each took every core ran 7% slower together than with a core each.
    """
    os.environ.setdefault("ARGOS_INTRA_THREADS", str(threads))


def _start_worker(parent: int, threads: int) -> None:
    share_cores(threads)
    _die_with_parent(parent)


def _die_with_parent(parent: int) -> None:
    """A pool worker ends when its parent dies (kill -9 of ``make -j``), never lingers (Linux)."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (AttributeError, OSError):  # not Linux: the pool's own shutdown is all there is
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
