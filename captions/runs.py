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

from .batch import RUN_REPORT, LocalPool, Outcome, render_one, write_outcome
from .manifest import Programme
from .plan import narrowed
from .sink import write_atomic
from .state import State, content_hashes, language_keys


@dataclass
class RunEntry:
    """One programme's line in the run report."""

    line: int
    source: str
    status: str  # done | skipped | failed | failed-before | not-run (an interrupted run's rest)
    seconds: float = 0.0
    error: str = ""
    exit_code: int = 0
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage: read, align, caption, translate xx
    languages: list[dict[str, Any]] = field(default_factory=list)
    media: str = ""  # the programme's media, for the editor that opens it from this report

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass
class Report:
    """A run: its programmes and totals."""

    entries: list[RunEntry] = field(default_factory=list)
    seconds: float = 0.0
    models: dict[str, str] = field(default_factory=dict)
    interrupted: bool = False  # stopped by Ctrl-C: the programmes not run are "not-run"

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
        return {"totals": self.totals(), "interrupted": self.interrupted, "models": self.models,
                "programmes": [e.as_dict() for e in self.entries]}

    def worst(self, most: int = 3) -> list[tuple[str, int]]:
        """The programmes with the most QC issues, most first (those with any)."""
        counts = [(entry.source, sum(sum(language.get("qc", {}).values()) for language in entry.languages))
                  for entry in self.entries]
        return sorted([(source, count) for source, count in counts if count], key=lambda pair: -pair[1])[:most]

    def summary(self) -> str:
        totals = self.totals()
        parts = [f"{totals.get(name, 0)} {name}" for name in ("done", "skipped", "failed", "failed-before", "not-run")
                 if totals.get(name)]
        return f"{totals['programmes']} programmes: {', '.join(parts) or 'nothing to do'} in {totals['seconds']:g} s"


# What a programme costs beside captioning its text, per hour of it: aligning it to its media about 20
# times as much (bench/programme.py: an hour aligned in 20 s, its text captioned in 1 s), and each
# translation about 15 times (bench/translate.py: 40 sentences/s, some 600 sentences an hour).
ALIGNING_WORK, TRANSLATING_WORK = 20, 15


def work(programme: Programme) -> float:
    """A programme's share of a batch's work, for an ETA that holds while a long one aligns: its length,
    read off its transcript's size (known without opening the media), times what is done to it."""
    try:
        size = programme.source.stat().st_size
    except OSError:
        size = 0
    plan = programme.plan
    return max(size, 1000) * (1 + ALIGNING_WORK * bool(plan.audio) + TRANSLATING_WORK * len(plan.targets))


def installed_models() -> dict[str, str]:
    """Installed translation packages and their versions, part of every programme's key."""
    try:
        from .models import installed_packages

        return {f"{package.from_code}-{package.to_code}": str(package.package_version)
                for package in installed_packages()}
    except Exception:  # no argostranslate (or no model folder): no models, and none in the key
        return {}


def _timed(source: Path, out: str, plan: Any, langs: tuple[str, ...]) -> tuple[Outcome, float]:
    started = time.perf_counter()
    outcome = render_one(source, out, plan, langs)
    return outcome, time.perf_counter() - started


def run_manifest(programmes: list[Programme], state_path: Path, executor: Any = None, force: bool = False,
                 retry_failed: bool = False, on_done: Callable[[RunEntry], None] | None = None) -> Report:
    """Run every due language of every programme and record it; ``force`` redoes all,
    ``retry_failed`` the failed too. Workers send the outputs back as bytes; they are written here."""
    started = time.perf_counter()
    state = State(state_path)
    models = installed_models() if any(programme.plan.targets for programme in programmes) else {}
    report = Report(models=models)
    entries: dict[int, RunEntry] = {}
    due: list[tuple[int, Programme, dict[str, str], tuple[str, ...]]] = []
    try:
        for index, programme in enumerate(programmes):
            keys = language_keys(programme.source, programme.options, programme.plan, models)
            statuses = dict.fromkeys(keys, "due") if force else state.statuses(programme.source, programme.out, keys)
            langs = tuple(lang for lang, status in statuses.items()
                          if status == "due" or (status == "failed" and retry_failed))
            if langs and programme.plan.review:
                langs = tuple(keys)  # the review page shows every language: all are made again with it
            if langs:
                due.append((index, programme, keys, langs))
                continue
            entries[index] = _carried(state, programme, statuses)
            if on_done:
                on_done(entries[index])
        tasks = [(programme.source, str(programme.out), narrowed(programme.plan, langs), langs)
                 for _, programme, _, langs in due]
        for position, (outcome, seconds) in (executor or LocalPool()).run(_timed, tasks):
            index, programme, keys, langs = due[position]
            entries[index] = _record(state, programme, keys, langs, outcome, seconds)
            if on_done:
                on_done(entries[index])
    except KeyboardInterrupt:  # Ctrl-C: what is done is recorded; the rest is left for the rerun
        report.interrupted = True
    finally:
        state.close()
        left = [RunEntry(programme.line, str(programme.source), "not-run") for index, programme in enumerate(programmes)
                if index not in entries]
        report.entries = sorted([*entries.values(), *left], key=lambda entry: entry.line)
        report.seconds = time.perf_counter() - started
        write_atomic(state_path.parent / RUN_REPORT,
                     (json.dumps(report.as_dict(), ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return report


def _carried(state: State, programme: Programme, statuses: dict[str, str]) -> RunEntry:
    """The report's line of a programme skipped this run: its outputs, QC and error as the run that
    made them recorded them (a rerun's report is as full as the first's)."""
    failed = "failed" in statuses.values()
    entry = RunEntry(programme.line, str(programme.source), "failed-before" if failed else "skipped",
                     media=programme.plan.audio or "")
    before = state.previous(programme.source, programme.out)
    for lang in statuses:
        record = before.get(lang, {})
        if record.get("status") == "failed":
            entry.languages.append({"lang": lang, "error": record.get("error", "")})
            entry.error = entry.error or record.get("error", "")
            entry.exit_code = entry.exit_code or int(record.get("exit_code", 1))
        elif record:
            entry.languages.append({"lang": lang, "cues": record.get("cues", 0), "outputs": record.get("outputs", []),
                                    "qc": record.get("qc", {})})
    return entry


def _record(state: State, programme: Programme, keys: dict[str, str], langs: tuple[str, ...], outcome: Outcome,
            seconds: float) -> RunEntry:
    """The programme's outputs written, its languages into the state, and its line of the report."""
    hashes = content_hashes(outcome.outputs)
    outcome = write_outcome(outcome)
    entry = RunEntry(programme.line, str(programme.source), "failed" if outcome.failed else "done", round(seconds, 3),
                     outcome.error or "", outcome.exit_code, media=programme.plan.audio or "")
    if outcome.error or not outcome.result:
        for lang in langs:
            state.record(programme.source, programme.out, lang, keys[lang], "failed", outcome.error or "", {}, seconds,
                         {"exit_code": outcome.exit_code})
        return entry
    entry.stages = dict(outcome.result.seconds)
    failed = {error.message.rsplit("[", 1)[-1].rstrip("]"): str(error) for error in outcome.result.errors}
    review = outcome.result.review  # the programme's page: recorded with its source language, so it is checked too
    for language in outcome.result.languages:
        paths = [*language.outputs, *([review] if review and language.lang == programme.plan.source.lang else [])]
        qc = dict(Counter(issue.rule for issue in language.issues))
        state.record(programme.source, programme.out, language.lang, keys[language.lang], "done", "",
                     {str(path): hashes[str(path)] for path in paths}, seconds, {"cues": language.cues, "qc": qc})
        entry.languages.append({"lang": language.lang, "cues": language.cues,
                                "outputs": [str(path) for path in language.outputs], "qc": qc,
                                **({"synced": language.synced} if language.synced else {})})
    for lang, error in failed.items():
        code = next((err.exit_code for err in outcome.result.errors if str(err) == error), 1)
        state.record(programme.source, programme.out, lang, keys[lang], "failed", error, {}, seconds, {"exit_code": code})
        entry.languages.append({"lang": lang, "error": error})
    if failed:
        entry.error = "; ".join(failed.values())
    return entry
