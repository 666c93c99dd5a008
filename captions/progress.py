"""Progress a person can see: rich bars with counts and ETA on a terminal, nothing anywhere else.

One shared rich display per process, so a batch bar and the bars of the file being worked on
(synthesis, matching, translation) show together. Stages receive a :class:`Progress`; a disabled
one costs nothing and imports nothing.
"""

from __future__ import annotations

from typing import Any

_display: Any = None


def _shared_display() -> Any:
    global _display
    if _display is None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        class Count(MofNCompleteColumn):
            """Steps done of all; none for a weighted bar (a batch's programmes by length), whose label counts."""

            def render(self, task: Any) -> Any:
                return TextColumn("").render(task) if task.fields.get("weighted") else super().render(task)

        _display = Progress(TextColumn("{task.description}"), BarColumn(), Count(), TimeRemainingColumn(),
                            transient=True)
        _display.start()
    return _display


def stop() -> None:
    """Take the shared display off the terminal (at the end of a command)."""
    global _display
    if _display is not None:
        _display.stop()
        _display = None


class Task:
    """A bar to advance (``task(steps)``); without a display, advancing does nothing."""

    def __init__(self, display: Any = None, task_id: Any = None):
        self.display, self.task_id = display, task_id

    def __call__(self, steps: float = 1) -> None:
        if self.display is not None:
            self.display.advance(self.task_id, steps)

    def drop(self, steps: float) -> None:
        """Take steps out of the bar's total: work that turned out not to be needed."""
        if self.display is not None:
            task = next(task for task in self.display.tasks if task.id == self.task_id)
            self.display.update(self.task_id, total=max(task.completed, (task.total or 0) - steps))

    def describe(self, label: str) -> None:
        """A new label for the bar (a running count, say)."""
        if self.display is not None:
            self.display.update(self.task_id, description=label)


class Progress:
    """Tasks with a total that advance; ``enabled=False`` makes every call a no-op."""

    def __init__(self, enabled: bool = False, prefix: str = ""):
        self.enabled, self.prefix = enabled, prefix

    def task(self, label: str, total: float | None, weighted: bool = False) -> Task:
        """Start a bar; returns the task to advance. Close it with :meth:`done`. A ``weighted`` bar
        advances by each step's share of the work, so that its ETA holds when steps differ in size."""
        if not self.enabled:
            return Task()
        display = _shared_display()
        return Task(display, display.add_task(f"{self.prefix}{label}", total=total, weighted=weighted))

    def done(self, task: Task) -> None:
        if task.display is not None:
            task.display.remove_task(task.task_id)

    def print(self, message: str) -> None:
        """A line above the bars (or on stderr when there are none)."""
        if self.enabled and _display is not None:
            _display.console.print(message, markup=False, highlight=False)
        else:
            import sys

            print(message, file=sys.stderr)
