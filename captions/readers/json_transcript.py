"""Timed transcript JSON as whisper, WhisperX and faster-whisper write it."""

from __future__ import annotations

import json
import math
import re

from ..errors import InputError
from ..model import Segment
from .timed import MAX_SECONDS, Fragment, join_fragments

WORD_SLACK = 1.0  # seconds a word may stray outside its segment (ASR word times often do a little)
_SURROGATE = re.compile("[\ud800-\udfff]")


def read_json(text: str, path: str = "", lang: str = "en") -> list[Segment]:
    """Segments of ``{"segments": [{"start", "end", "text", "speaker"?, "words"?}]}`` (or a bare list),
    or of the cue JSON captions itself writes (``{"cues": [{"start", "end", "lines", "speakers"}]}``).

    >>> [(s.speaker, s.text) for s in read_json('[{"start": 0, "end": 1.5, "text": " Hi.", "speaker": "A"}]')]
    [('A', 'Hi.')]
    """
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"not valid JSON: {err.msg}", path, err.lineno) from None
    except RecursionError:
        raise InputError("JSON is nested too deeply to be a transcript", path) from None
    except ValueError as err:  # e.g. an integer of more than 4,300 digits
        raise InputError(f"not a usable JSON transcript: {str(err)[:80]}", path) from None
    if isinstance(document, dict) and "segments" not in document and isinstance(document.get("cues"), list):
        document = {"segments": _cue_segments(document["cues"], lang, path)}
    items = document.get("segments") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise InputError("JSON is not a timed transcript: expected a 'segments' list", path)
    fragments = [_fragment(item, number, path) for number, item in enumerate(items, start=1)]
    for number, (previous, fragment) in enumerate(zip(fragments, fragments[1:]), start=2):
        if fragment.start < previous.start:
            raise InputError(f"segment {number} starts before segment {number - 1} (out of order)", path)
    fragments = [fragment for fragment in fragments if fragment.text.strip()]
    if not fragments:
        raise InputError("transcript has no speech text", path)
    return join_fragments(fragments, path, lang, asr=True)


def _cue_segments(cues: list[object], lang: str, path: str) -> list[dict[str, object]]:
    """Our own cue JSON as whisper-style segments: one per cue, or per line where speakers change."""
    joiner = "" if lang.split("-")[0] in ("ja", "zh") else " "
    segments: list[dict[str, object]] = []
    for number, cue in enumerate(cues, start=1):
        lines, speakers = (cue.get("lines"), cue.get("speakers")) if isinstance(cue, dict) else (None, None)
        if not isinstance(cue, dict) or not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
            raise InputError(f"cue {number} has no list of text lines", path)
        speakers = speakers if isinstance(speakers, list) and len(speakers) == len(lines) else [None] * len(lines)
        if len(set(map(str, speakers))) <= 1:
            segments.append({"start": cue.get("start"), "end": cue.get("end"), "text": joiner.join(lines),
                             "speaker": speakers[0] if speakers else None})
            continue
        start, end = cue.get("start"), cue.get("end")
        if not (_is_time(start) and _is_time(end)):
            raise InputError(f"cue {number}: start and end must be times in seconds", path)
        total, at = sum(len(line) for line in lines) or 1, float(start)  # type: ignore[arg-type]
        for line, speaker in zip(lines, speakers):
            until = at + (float(end) - float(start)) * len(line) / total  # type: ignore[arg-type]
            segments.append({"start": at, "end": until, "text": line, "speaker": speaker})
            at = until
    return segments


def _fragment(item: object, number: int, path: str) -> Fragment:
    where = f"segment {number}"
    if not isinstance(item, dict):
        raise InputError(f"{where} is not an object with start, end and text", path)
    missing = [key for key in ("start", "end", "text") if key not in item]
    if missing:
        raise InputError(f"{where} has no {', '.join(missing)}", path)
    start, end = _time(item["start"], where, path), _time(item["end"], where, path)
    if end < start:
        raise InputError(f"{where} ends before it starts", path)
    text = _text(item["text"], f"{where}: text", path)
    speaker = item.get("speaker")
    if speaker is not None and not isinstance(speaker, (str, int)):
        raise InputError(f"{where}: speaker is not a name", path)
    name = _text(str(speaker), f"{where}: speaker", path)[:100] if speaker not in (None, "") else None
    return Fragment(text, start, end, 0, name, _words(item.get("words"), start, end))  # JSON has no lines


def _words(items: object, start: float, end: float) -> list[tuple[str, float, float]]:
    """Word times that fit the segment: within WORD_SLACK of its span and in order; others are dropped.

    A malformed word list must not move the segment's text out of its own time span.
    """
    words: list[tuple[str, float, float]] = []
    if not isinstance(items, list):
        return words
    latest = start
    for word in items:
        token = word.get("word", word.get("text")) if isinstance(word, dict) else None
        if not isinstance(token, str) or _SURROGATE.search(token):
            continue
        first, last = word.get("start"), word.get("end")
        if not (_is_time(first) and _is_time(last)):
            continue
        first, last = float(first), float(last)
        if first > last or first < start - WORD_SLACK or last > end + WORD_SLACK:
            continue
        first, last = min(max(first, latest), end), min(max(last, start), end)
        if last < first:
            continue
        words.append((token, first, last))
        latest = first
    return words


def _text(value: object, where: str, path: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{where} is not a string", path)
    if _SURROGATE.search(value):
        raise InputError(f"{where} holds an unpaired UTF-16 surrogate (\\ud800-\\udfff): not text", path)
    return value


def _is_time(value: object) -> bool:
    """A number of seconds from 0 to MAX_SECONDS (big integers compared exactly, never overflowing)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return (isinstance(value, int) or math.isfinite(value)) and 0 <= value <= MAX_SECONDS


def _time(value: object, where: str, path: str) -> float:
    if not _is_time(value):
        raise InputError(f"{where}: {str(value)[:30]!r} is not a time in seconds (0 to {MAX_SECONDS} s)", path)
    return float(value)  # type: ignore[arg-type]  # _is_time checked it is a number
