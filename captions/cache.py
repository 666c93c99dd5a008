"""A translation cache: re-running a batch after an edit translates only the changed sentences.

SQLite in the user cache folder (``$XDG_CACHE_HOME/captions``). The key is the package's name and
version, the beam size and the exact text sent to the model (glossary placeholders included).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path


def cache_path() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "captions" / "translations.sqlite3"


class TranslationCache:
    """get_many/put_many over one SQLite file; safe for parallel batch processes."""

    def __init__(self, path: Path | None = None):
        path = path or cache_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.connection = sqlite3.connect(path, timeout=30)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("CREATE TABLE IF NOT EXISTS translations (key TEXT PRIMARY KEY, text TEXT)")

    @staticmethod
    def key(model: str, beam_size: int, text: str) -> str:
        return hashlib.sha256(f"{model}\x00{beam_size}\x00{text}".encode()).hexdigest()

    def get_many(self, keys: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            rows = self.connection.execute(
                f"SELECT key, text FROM translations WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            found.update(rows)
        return found

    def put_many(self, items: dict[str, str]) -> None:
        with self.connection:
            self.connection.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?)", items.items())

    def close(self) -> None:
        self.connection.close()
