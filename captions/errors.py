"""One exception type whose message names the file and the place the input went wrong."""

from __future__ import annotations


class CaptionsError(Exception):
    """A user-facing error: printed as one line, never as a traceback."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def located(self, path: str | None = None, line: int | None = None) -> CaptionsError:
        """The same error with a file (and line) filled in where it was not known yet."""
        return CaptionsError(self.message, self.path or path, self.line or line)

    def __str__(self) -> str:
        where = self.path or ""
        if self.line:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return f"{where}: {self.message}" if where else self.message
