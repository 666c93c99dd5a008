"""The record of a batch run: per programme and language, the key of what it was made from, its
status, its one-line error and its outputs with their hashes (SQLite, beside the outputs).

A programme is done when its key is unchanged and every output is on disk with the hash it was
written with; anything else (a changed input, option, profile, glossary, model or version, or an
output deleted or edited by hand) makes it due again.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from . import __version__
from .errors import OutputError

SCHEMA = """CREATE TABLE IF NOT EXISTS languages (
    source TEXT NOT NULL, out TEXT NOT NULL, lang TEXT NOT NULL, key TEXT NOT NULL, status TEXT NOT NULL,
    error TEXT NOT NULL DEFAULT '', outputs TEXT NOT NULL DEFAULT '{}', seconds REAL NOT NULL DEFAULT 0,
    finished REAL NOT NULL, PRIMARY KEY (source, out, lang))"""
SAMPLE = 1 << 20  # bytes of a media file's start and end that stand for its content in the key


def file_hash(path: Path) -> str:
    """The SHA-256 of a file's bytes (transcripts, glossaries, profiles, outputs: all small)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_identity(path: Path) -> str:
    """A media file's size and the hash of its first and last megabyte: a 2-hour recording is not
    read whole on every run; a re-encode or an edit changes both."""
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with path.open("rb") as handle:
        digest.update(handle.read(SAMPLE))
        if size > SAMPLE:
            handle.seek(max(size - SAMPLE, SAMPLE))
            digest.update(handle.read(SAMPLE))
    return digest.hexdigest()


def programme_key(source: Path, options: Any, models: dict[str, str]) -> str:
    """What a programme's outputs are made from: input, media, glossary, profile, options, models, version."""
    parts: dict[str, Any] = {"captions": __version__, "input": file_hash(source), "models": models,
                             "options": {key: value for key, value in sorted(vars(options).items()) if key != "progress"}}
    if options.audio:
        parts["media"] = media_identity(Path(options.audio))
    if options.glossary:
        parts["glossary"] = file_hash(Path(options.glossary))
    if Path(options.profile).suffix == ".toml" and Path(options.profile).is_file():
        parts["profile"] = file_hash(Path(options.profile))
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


class State:
    """The state database of a batch."""

    def __init__(self, path: Path):
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path)
            self.db.execute(SCHEMA)
            self.db.commit()
        except (OSError, sqlite3.Error) as err:
            raise OutputError(f"cannot open the batch state: {err}", str(path)) from None

    def close(self) -> None:
        self.db.close()

    def status(self, source: Path, out: Path, langs: list[str], key: str) -> str:
        """done (unchanged and intact), failed (unchanged, failed last time), or due."""
        rows = {row[0]: row[1:] for row in self.db.execute(
            "SELECT lang, key, status, outputs FROM languages WHERE source = ? AND out = ?", (str(source), str(out)))}
        if any(lang not in rows or rows[lang][0] != key for lang in langs):
            return "due"
        if any(rows[lang][1] == "failed" for lang in langs):
            return "failed"
        for lang in langs:
            for name, digest in json.loads(rows[lang][2]).items():
                if not Path(name).is_file() or file_hash(Path(name)) != digest:
                    return "due"  # deleted or edited by hand
        return "done"

    def record(self, source: Path, out: Path, lang: str, key: str, status: str, error: str,
               outputs: list[Path], seconds: float) -> None:
        hashes = {str(path): file_hash(path) for path in outputs if path.is_file()}
        self.db.execute("INSERT OR REPLACE INTO languages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (str(source), str(out), lang, key, status, error, json.dumps(hashes), seconds, time.time()))
        self.db.commit()
