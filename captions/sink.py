"""The one place outputs reach the disk: each file written whole through a temporary file and a rename."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import OutputError


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write to ``path`` through a temporary file and a rename: never a half-written file.

    The content is encoded before anything is created (text that cannot be UTF-8 leaves nothing
    behind); the temporary name is short (a 250-character file name still works); the file gets
    the mode an ordinary write would give (umask respected, an existing file's mode kept).
    """
    path = Path(path)
    try:
        data = content.encode("utf-8") if isinstance(content, str) else content
    except UnicodeEncodeError as err:
        raise OutputError(f"text cannot be written as UTF-8 ({err.reason})", str(path)) from None
    mode = _mode_for(path)
    sweep_stale(path.parent)
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f"{TEMPORARY}{os.getpid()}-", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise OutputError(f"cannot write to folder: {err.strerror or err}", str(path.parent)) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            os.fchmod(handle.fileno(), mode)
        os.replace(temporary, path)
    except BaseException as err:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise OutputError(f"cannot write file: {err.strerror or err}", str(path)) from None
        raise


TEMPORARY = ".captions-"  # + the writer's process id: whose it is, so a killed run's leftovers are known
_SWEPT: set[str] = set()


def sweep_stale(folder: Path) -> list[Path]:
    """Remove the temporary files a killed run (``kill -9``, a power cut) left in ``folder``: ours
    by name, of a process that no longer runs. Once per folder per process; returns what went."""
    key = os.path.abspath(folder)
    if key in _SWEPT:
        return []
    _SWEPT.add(key)
    removed = []
    try:
        leftovers = [entry for entry in os.scandir(folder) if entry.name.startswith(TEMPORARY)
                     and entry.name.endswith(".tmp") and entry.is_file(follow_symlinks=False)]
    except OSError:
        return []
    for entry in leftovers:
        owner = entry.name[len(TEMPORARY):].split("-", 1)[0]
        if owner.isdigit() and not _running(int(owner)):
            try:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:
                pass
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_all(outputs: dict[Path, bytes]) -> list[Path]:
    """Write every output of a job, in order; each is whole or absent."""
    for path, data in outputs.items():
        write_atomic(path, data)
    return list(outputs)
