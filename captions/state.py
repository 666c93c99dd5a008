"""The record of a batch run: per programme and language, the key of what it was made from, its
status, its one-line error and its outputs with their hashes (SQLite, beside the outputs).

A language of a programme is done when its key is unchanged and every output is on disk with the
hash it was written with; anything else (a changed input, option, profile, glossary term, model or
version, or an output deleted or edited by hand) makes that language due again.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from .errors import OutputError
from .provenance import code_digest, file_hash, media_identity

SCHEMA = """CREATE TABLE IF NOT EXISTS languages (
    source TEXT NOT NULL, out TEXT NOT NULL, lang TEXT NOT NULL, key TEXT NOT NULL, status TEXT NOT NULL,
    error TEXT NOT NULL DEFAULT '', outputs TEXT NOT NULL DEFAULT '{}', seconds REAL NOT NULL DEFAULT 0,
    finished REAL NOT NULL, detail TEXT NOT NULL DEFAULT '{}', PRIMARY KEY (source, out, lang))"""


# Options a translation depends on and its source language does not (progress and the cache change no output).
TARGET_ONLY = ("to", "glossary", "device")
NO_OUTPUT = ("progress", "cache")


def language_keys(source: Path, options: Any, plan: Any, models: dict[str, str]) -> dict[str, str]:
    """Per language, what its outputs are made from: every language the input, media, profile, the
    source's options and the package's code; a translation also its own glossary terms, the models that
    can take the source to it, and the device. A new glossary term or model for one language
    redoes that language alone."""
    shared: dict[str, Any] = {"captions": code_digest(), "input": file_hash(source), "options": {
        key: value for key, value in sorted(vars(options).items()) if key not in TARGET_ONLY + NO_OUTPUT}}
    for key, media in (("media", options.audio), ("sync", options.sync)):
        if media:
            shared[key] = media_identity(Path(media))
    if Path(options.profile).suffix == ".toml" and Path(options.profile).is_file():
        shared["profile"] = file_hash(Path(options.profile))
    if options.shots and options.shots != "media" and Path(options.shots).is_file():
        shared["shots"] = file_hash(Path(options.shots))
    keys = {plan.source.lang: _digest(shared)}
    for target in plan.targets:
        route = {pair: version for pair, version in models.items()
                 if pair.startswith(f"{plan.source.lang}-") or pair.endswith(f"-{target.lang}")}
        keys[target.lang] = _digest({**shared, "lang": target.lang, "terms": target.terms, "models": route,
                                     "device": options.device})
    return keys


def _digest(parts: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def content_hashes(outputs: dict[Path, bytes]) -> dict[str, str]:
    """The SHA-256 of each output as it was written, by path."""
    return {str(path): hashlib.sha256(data).hexdigest() for path, data in outputs.items()}


class State:
    """The state database of a batch."""

    def __init__(self, path: Path):
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path)
            self.db.execute(SCHEMA)
            columns = {row[1] for row in self.db.execute("PRAGMA table_info(languages)")}
            if "detail" not in columns:  # a state written before run reports carried details forward
                self.db.execute("ALTER TABLE languages ADD COLUMN detail TEXT NOT NULL DEFAULT '{}'")
            self.db.commit()
        except (OSError, sqlite3.Error) as err:
            raise OutputError(f"cannot open the batch state: {err}", str(path)) from None

    def close(self) -> None:
        self.db.close()

    def statuses(self, source: Path, out: Path, keys: dict[str, str]) -> dict[str, str]:
        """Per language: done (unchanged and intact), failed (unchanged, failed last time), or due."""
        rows = {row[0]: row[1:] for row in self.db.execute(
            "SELECT lang, key, status, outputs FROM languages WHERE source = ? AND out = ?", (str(source), str(out)))}
        found = {}
        for lang, key in keys.items():
            old_key, status, outputs = rows.get(lang, ("", "", "{}"))
            if old_key != key:
                found[lang] = "due"
            elif status == "failed":
                found[lang] = "failed"
            else:
                intact = all(Path(name).is_file() and file_hash(Path(name)) == digest
                             for name, digest in json.loads(outputs).items())
                found[lang] = "done" if intact else "due"  # an output deleted or edited by hand
        return found

    def record(self, source: Path, out: Path, lang: str, key: str, status: str, error: str,
               hashes: dict[str, str], seconds: float, detail: dict[str, Any] | None = None) -> None:
        """A language's outcome; ``detail`` (cues, QC counts, exit code) is what a later run's report
        says of it when it is skipped."""
        self.db.execute("INSERT OR REPLACE INTO languages (source, out, lang, key, status, error, outputs, seconds, "
                        "finished, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (str(source), str(out), lang, key, status, error, json.dumps(hashes), seconds, time.time(),
                         json.dumps(detail or {})))
        self.db.commit()

    def previous(self, source: Path, out: Path) -> dict[str, dict[str, Any]]:
        """Per language, what the last run that made it recorded: status, error, outputs and details."""
        return {lang: {"status": status, "error": error, "outputs": list(json.loads(outputs)), **json.loads(detail)}
                for lang, status, error, outputs, detail in self.db.execute(
                    "SELECT lang, status, error, outputs, detail FROM languages WHERE source = ? AND out = ?",
                    (str(source), str(out)))}
