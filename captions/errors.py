"""User-facing errors: one line naming the file and place, and a class a batch script can tell apart.

Each class has its own exit code (``captions make`` exits with the code of the first failed file):

=====  ===============  ====================================================================
code   class            meaning
=====  ===============  ====================================================================
1      (QC)             ``captions check`` found rule breaks; or an unexpected internal error
2      OptionError      a bad option, profile, glossary or environment setting
3      InputError       a transcript or caption file that cannot be read
4      ModelError       a translation model or an engine (espeak-ng, ffmpeg) missing or broken
5      MediaError       media that cannot be decoded or does not match the transcript
6      OutputError      an output that cannot be written
=====  ===============  ====================================================================
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

INTERNAL_EXIT = 1


class CaptionsError(Exception):
    """A user-facing error: printed as one line, never as a traceback."""

    exit_code = 3
    kind = "input"

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def located(self, path: str | None = None, line: int | None = None) -> CaptionsError:
        """The same error (same class) with a file (and line) filled in where it was not known yet."""
        return type(self)(self.message, self.path or path, self.line or line)

    def __str__(self) -> str:
        where = self.path or ""
        if self.line:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return f"{where}: {self.message}" if where else self.message


class InputError(CaptionsError):
    """A transcript or caption file that is unreadable, malformed, too large or not a file."""


class OptionError(CaptionsError):
    """An option, profile field, glossary line or environment variable out of its range."""

    exit_code, kind = 2, "option"


class ModelError(CaptionsError):
    """A translation model missing or broken, or a bad package to install."""

    exit_code, kind = 4, "model"


class EngineError(ModelError):
    """An engine the job needs (espeak-ng, ffmpeg) is missing or failed."""

    kind = "engine"


class MediaError(CaptionsError):
    """Media that cannot be decoded, is silent or broken, or is not the transcript's recording."""

    exit_code, kind = 5, "media"


class NoSoundError(MediaError):
    """Media that decodes but holds no sound to listen to: no audio stream, or silence."""


class OutputError(CaptionsError):
    """An output folder or file that cannot be written (or would overwrite an input)."""

    exit_code, kind = 6, "output"


@contextmanager
def naming_media(media: str) -> Iterator[None]:
    """A mismatch between a transcript (or caption file) and media names both: the file as the
    error's, the media here."""
    try:
        yield
    except MediaError as err:
        if err.path is None:
            err.message += f" ({media})"
        raise
