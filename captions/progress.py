"""Progress a person can see: rich bars with counts and ETA on a terminal, nothing anywhere else.

One shared rich display per process, so a batch bar and the bars of the file being worked on
(synthesis, matching, translation) show together. Stages receive a :class:`Progress`; a disabled
one costs nothing and imports nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_display: Any = None


def _shared_display() -> Any:
    global _display
    if _display is None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        _display = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeRemainingColumn(), transient=True)
        _display.start()
    return _display


def stop() -> None:
    """Take the shared display off the terminal (at the end of a command)."""
    global _display
    if _display is not None:
        _display.stop()
        _display = None


class Progress:
    """Tasks with a total that advance; ``enabled=False`` makes every call a no-op."""

    def __init__(self, enabled: bool = False, prefix: str = ""):
        self.enabled, self.prefix = enabled, prefix

    def task(self, label: str, total: int | None) -> Callable[[int], None]:
        """Start a bar; returns ``advance(n)``. Close it with :meth:`done`."""
        if not self.enabled:
            return _nothing
        display = _shared_display()
        task_id = display.add_task(f"{self.prefix}{label}", total=total)
        def advance(steps: int = 1) -> None:
            display.advance(task_id, steps)

        advance.task_id = task_id  # type: ignore[attr-defined]
        return advance

    def done(self, advance: Callable[[int], None]) -> None:
        task_id = getattr(advance, "task_id", None)
        if self.enabled and task_id is not None and _display is not None:
            _display.remove_task(task_id)

    def print(self, message: str) -> None:
        """A line above the bars (or on stderr when there are none)."""
        if self.enabled and _display is not None:
            _display.console.print(message, markup=False, highlight=False)
        else:
            import sys

            print(message, file=sys.stderr)


def _nothing(steps: int = 1) -> None:
    return None
