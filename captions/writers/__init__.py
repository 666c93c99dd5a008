"""Writers: one pure function per output format, from a track to text; plus an atomic file write."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import CaptionsError
from .json_cues import write_json
from .srt import write_srt
from .vtt import write_vtt

WRITERS = {"srt": write_srt, "vtt": write_vtt, "json": write_json}


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: never a half-written file."""
    path = Path(path)
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise CaptionsError(f"cannot write to folder: {err.strerror}", str(path.parent)) from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except OSError as err:
        Path(temporary).unlink(missing_ok=True)
        raise CaptionsError(f"cannot write file: {err.strerror}", str(path)) from None
