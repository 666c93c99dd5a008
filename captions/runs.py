"""A batch run from a manifest: only the programmes that are due, on an executor, each recorded in
the state database as it finishes, and a run report (JSON and a summary) at the end."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .batch import LocalPool, Outcome, run_one
from .manifest import Programme
from .sink import write_atomic
from .state import State, programme_key


@dataclass
class RunEntry:
    """One programme's line in the run report."""

    line: int
    source: str
    status: str  # done | skipped | failed | failed-before
    seconds: float = 0.0
    error: str = ""
    exit_code: int = 0
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage: read, align, caption, translate xx
    languages: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass
class Report:
    """A run: its programmes and totals."""

    entries: list[RunEntry] = field(default_factory=list)
    seconds: float = 0.0
    models: dict[str, str] = field(default_factory=dict)

    @property
    def failed(self) -> list[RunEntry]:
        return [entry for entry in self.entries if entry.status in ("failed", "failed-before")]

    def totals(self) -> dict[str, Any]:
        counts = Counter(entry.status for entry in self.entries)
        made = counts["done"]
        return {"programmes": len(self.entries), **counts,
                "seconds": round(self.seconds, 3),
                "programmes_per_hour": round(made / self.seconds * 3600, 1) if self.seconds and made else 0.0}

    def as_dict(self) -> dict[str, Any]:
        return {"totals": self.totals(), "models": self.models, "programmes": [e.as_dict() for e in self.entries]}

    def summary(self) -> str:
        totals = self.totals()
        parts = [f"{totals.get(name, 0)} {name}" for name in ("done", "skipped", "failed", "failed-before")
                 if totals.get(name)]
        return f"{totals['programmes']} programmes: {', '.join(parts) or 'nothing to do'} in {totals['seconds']:g} s"


def installed_models() -> dict[str, str]:
    """Installed translation packages and their versions, part of every programme's key."""
    try:
        from .models import installed_packages

        return {f"{package.from_code}-{package.to_code}": str(package.package_version)
                for package in installed_packages()}
    except Exception:  # no argostranslate (or no model folder): no models, and none in the key
        return {}


def _timed(source: Path, out: str, plan: Any) -> tuple[Outcome, float]:
    started = time.perf_counter()
    outcome = run_one(source, out, plan)
    return outcome, time.perf_counter() - started


def run_manifest(programmes: list[Programme], state_path: Path, executor: Any = None, force: bool = False,
                 retry_failed: bool = False, on_done: Callable[[RunEntry], None] | None = None) -> Report:
    """Run every due programme and record it; ``force`` redoes all, ``retry_failed`` the failed too."""
    started = time.perf_counter()
    state = State(state_path)
    models = installed_models() if any(programme.plan.targets for programme in programmes) else {}
    report = Report(models=models)
    entries: dict[int, RunEntry] = {}
    due: list[tuple[int, Programme, str]] = []
    try:
        for index, programme in enumerate(programmes):
            key = programme_key(programme.source, programme.options, models)
            langs = [language.lang for language in programme.plan.languages]
            status = "due" if force else state.status(programme.source, programme.out, langs, key)
            if status == "done" or (status == "failed" and not retry_failed):
                entries[index] = RunEntry(programme.line, str(programme.source),
                                       "skipped" if status == "done" else "failed-before")
                if on_done:
                    on_done(entries[index])
            else:
                due.append((index, programme, key))
        tasks = [(programme.source, str(programme.out), programme.plan) for _, programme, _ in due]
        for position, (outcome, seconds) in (executor or LocalPool()).run(_timed, tasks):
            index, programme, key = due[position]
            entries[index] = _record(state, programme, key, outcome, seconds)
            if on_done:
                on_done(entries[index])
    finally:
        state.close()
    report.entries = [entries[index] for index in sorted(entries)]
    report.seconds = time.perf_counter() - started
    write_atomic(state_path.parent / "run-report.json",
                 (json.dumps(report.as_dict(), ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return report


def _record(state: State, programme: Programme, key: str, outcome: Outcome, seconds: float) -> RunEntry:
    """The programme's languages into the state, and its line of the report."""
    entry = RunEntry(programme.line, str(programme.source), "failed" if outcome.failed else "done", round(seconds, 3),
                  outcome.error or "", outcome.exit_code)
    langs = [language.lang for language in programme.plan.languages]
    if outcome.error or not outcome.result:
        for lang in langs:
            state.record(programme.source, programme.out, lang, key, "failed", outcome.error or "", [], seconds)
        return entry
    entry.stages = dict(outcome.result.seconds)
    failed = {error.message.rsplit("[", 1)[-1].rstrip("]"): str(error) for error in outcome.result.errors}
    for language in outcome.result.languages:
        state.record(programme.source, programme.out, language.lang, key, "done", "", language.outputs, seconds)
        entry.languages.append({"lang": language.lang, "cues": language.cues,
                                "outputs": [str(path) for path in language.outputs],
                                "qc": dict(Counter(issue.rule for issue in language.issues))})
    for lang, error in failed.items():
        state.record(programme.source, programme.out, lang, key, "failed", error, [], seconds)
        entry.languages.append({"lang": lang, "error": error})
    if failed:
        entry.error = "; ".join(failed.values())
    return entry
