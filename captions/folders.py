"""Creating the folders outputs and models go into, with the error class of whoever asks."""

from __future__ import annotations

import errno
import os
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
    broken = next((place for place in (folder, *folder.parents) if place.is_symlink() and not place.exists()), None)
    if broken is not None:
        raise error(f"the {what} is a symbolic link to nothing ({_link_trouble(broken)})", str(broken))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise error(f"cannot create the {what}: {err.strerror or err}", str(folder)) from None
    if not folder.is_dir():
        raise error(f"the {what} is not a folder", str(folder))
    return folder


def _link_trouble(link: Path) -> str:
    """Why a symbolic link leads nowhere: a loop, or a target that does not exist."""
    try:
        link.resolve(strict=True)
    except RuntimeError:
        return "a loop of links"
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "a loop of links"
    return f"its target {os.readlink(link)!r} does not exist"
