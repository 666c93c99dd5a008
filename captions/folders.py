"""Creating the folders outputs and models go into, with the error class of whoever asks."""

from __future__ import annotations

from pathlib import Path

from .errors import CaptionsError


def check_folder(folder: Path, error: type[CaptionsError], what: str) -> None:
    """Fail before any work when ``folder`` cannot exist (it, or a parent, is a file)."""
    for place in (folder, *folder.parents):
        if place.exists():
            if not place.is_dir():
                raise error(f"the {what} is a file, not a folder", str(place))
            return


def ensure_folder(folder: Path, error: type[CaptionsError], what: str) -> Path:
    """``folder`` created if missing; a file in its place or a failure is one ``error`` naming it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise error(f"cannot create the {what}: {err.strerror or err}", str(folder)) from None
    if not folder.is_dir():
        raise error(f"the {what} is not a folder", str(folder))
    return folder
