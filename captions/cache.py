"""A cache of translations and alignments: re-running a batch after an edit translates only the
changed sentences, and re-translating a programme does not align it to its media again.

SQLite in the user cache folder (``$XDG_CACHE_HOME/captions``). The key is the package's name and
version, the beam size and the exact text sent to the model (glossary placeholders included).
The cache only ever speeds things up: a corrupt or foreign file is set aside (renamed) and
rebuilt, an unwritable one is bypassed, and either is said in one note, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .provenance import code_digest, media_identity


def cache_path() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "captions" / "translations.sqlite3"


class TranslationCache:
    """get_many/put_many over one SQLite file; safe for parallel batch processes."""

    def __init__(self, path: Path | None = None):
        path = path or cache_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.connection = sqlite3.connect(path, timeout=30)
        try:
            self.connection.execute("PRAGMA journal_mode=WAL")
            self.connection.execute("CREATE TABLE IF NOT EXISTS translations (key TEXT PRIMARY KEY, text TEXT)")
            self.connection.execute("SELECT key, text FROM translations LIMIT 1").fetchall()
        except sqlite3.Error:
            self.connection.close()
            raise

    @staticmethod
    def key(model: str, beam_size: int, text: str) -> str:
        return hashlib.sha256(f"{model}\x00{beam_size}\x00{text}".encode()).hexdigest()

    def get_many(self, keys: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            rows = self.connection.execute(
                f"SELECT key, text FROM translations WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            found.update((key, text) for key, text in rows if isinstance(text, str))
        return found

    def put_many(self, items: dict[str, str]) -> None:
        with self.connection:
            self.connection.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?)", items.items())

    def close(self) -> None:
        self.connection.close()


def open_cache(path: Path | None = None) -> tuple[TranslationCache | None, list[str]]:
    """The cache, or None when it cannot be used; and a note saying what was done about it."""
    path = path or cache_path()
    try:
        return TranslationCache(path), []
    except sqlite3.DatabaseError as err:
        if "readonly" in str(err) or "unable to open" in str(err):
            return None, [f"translation cache {path} cannot be used ({err}): translating without it"]
        aside = path.with_name(f"{path.name}.broken-{int(time.time())}")
        try:
            path.rename(aside)
            return TranslationCache(path), [f"translation cache {path} was damaged ({err}): set aside as "
                                            f"{aside.name} and started again"]
        except (OSError, sqlite3.Error) as again:
            return None, [f"translation cache {path} is damaged and cannot be replaced ({again}): "
                          "translating without it"]
    except OSError as err:
        return None, [f"translation cache {path} cannot be used ({err.strerror or err}): translating without it"]


def safe_put(cache: TranslationCache, items: dict[str, str]) -> str | None:
    """Store translations; a cache that fails now (read-only, disk full) costs a note, not the job."""
    try:
        cache.put_many(items)
    except sqlite3.Error as err:
        return f"translation cache not updated ({err})"
    return None


def safe_get(cache: TranslationCache, keys: list[str]) -> tuple[dict[str, str], str | None]:
    try:
        return cache.get_many(keys), None
    except sqlite3.Error as err:
        return {}, f"translation cache not read ({err})"


def aligned_key(segments: list[Any], media: str, lang: str, part: tuple[float, float | None] | None = None,
                trusted: bool = False, strict: bool = False) -> str:
    """What an alignment is made from: the segments, the media (by its identity), the part of it
    given, whether it was trusted or strict (a refusal overruled once must not answer a later run
    that did not overrule it, nor an alignment in doubt a strict one), the language and the
    package's code (so a changed aligner or pack never answers from an older one's results)."""
    texts = json.dumps([[segment.text, segment.speaker, segment.anchors] for segment in segments])
    return "align\x00" + hashlib.sha256(
        f"{code_digest()}\x00{lang}\x00{media_identity(Path(media))}\x00{part}\x00{trusted}\x00{strict}\x00{texts}".encode()).hexdigest()


def store_alignment(cache: TranslationCache, key: str, segments: list[Any], notes: list[str],
                    doubtful: list[Any]) -> None:
    safe_put(cache, {key: json.dumps({"segments": [asdict(segment) for segment in segments], "notes": notes,
                                      "doubtful": [asdict(stretch) for stretch in doubtful]})})


def load_alignment(cache: TranslationCache, key: str) -> tuple[list[Any], list[str], list[Any]] | None:
    """An alignment stored before, or None (a missing or unreadable entry is aligned again)."""
    from .model import Segment, Stretch

    found, _ = safe_get(cache, [key])
    if key not in found:
        return None
    try:
        stored = json.loads(found[key])
        segments = [Segment(**{**item, "anchors": tuple(tuple(pair) for pair in item["anchors"]),
                               "ruby": tuple(tuple(entry) for entry in item["ruby"]),
                               "doubtful": tuple(Stretch(**stretch) for stretch in item.get("doubtful", ()))})
                    for item in stored["segments"]]
        return segments, list(stored["notes"]), [Stretch(**item) for item in stored["doubtful"]]
    except (ValueError, TypeError, KeyError):
        return None
