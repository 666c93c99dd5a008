"""One job runner for every command that writes files: guard the outputs, make them, write them.

``make``, ``convert``, ``align``, ``retime``, ``sync`` and a batch's rows differ only in what their
core makes of a file, always as bytes by path before anything is written. :func:`run` puts each
core between the same guard and the same delivery, so no command writes its own way:

- guard, before any work: no output is one of the job's inputs (never a caption file written over
  its own transcript, media or glossary), and every output folder can be written;
- make: the command's core, in memory;
- deliver: each output written whole, folders made; a job that rewrites its file in place keeps the
  old bytes as ``FILE.bak`` first (never over an earlier backup).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from .errors import OutputError
from .folders import check_folder, ensure_folder
from .formats import read_bytes
from .naming import backup_path, refuse_overwriting_inputs
from .sink import write_all

Report = TypeVar("Report")


@dataclass
class Made(Generic[Report]):
    """What a command's core made of one file: every output's bytes by path, none written yet, and
    the command's own account of it (QC issues, notes, the change found)."""

    outputs: dict[Path, bytes]
    report: Report


def guard(outputs: Iterable[Path], *inputs: str | Path | None, in_place: Path | None = None) -> None:
    """Refuse, before any work, outputs that would overwrite an input or land in a folder that cannot
    be written. ``in_place``: the file the job rewrites on purpose (backed up when delivered)."""
    outputs = list(outputs)
    refuse_overwriting_inputs([path for path in outputs if path != in_place], *inputs)
    for folder in dict.fromkeys(path.parent for path in outputs):
        check_folder(folder, OutputError, "output folder")


def deliver(outputs: dict[Path, bytes], in_place: Path | None = None) -> list[Path]:
    """Every output written atomically, its folder made first; ``in_place``'s old bytes kept as its
    backup before it is rewritten. The paths written, in order."""
    for folder in dict.fromkeys(path.parent for path in outputs):
        ensure_folder(folder, OutputError, "output folder")
    if in_place is not None and in_place in outputs:
        write_all({backup_path(in_place): read_bytes(in_place)})
    write_all(outputs)
    return list(outputs)


def run(planned: Iterable[Path], inputs: tuple[str | Path | None, ...], make: Callable[[], Made[Report]],
        in_place: Path | None = None) -> Made[Report]:
    """A command's job on one file: its ``planned`` outputs guarded against its ``inputs``, made, the
    outputs it made guarded again (a core may name them only once it has read the file), delivered."""
    guard(planned, *inputs, in_place=in_place)
    made = make()
    guard(made.outputs, *inputs, in_place=in_place)
    deliver(made.outputs, in_place)
    return made
