"""Timed transcript JSON as whisper, WhisperX and faster-whisper write it."""

from __future__ import annotations

import json
import math

from ..errors import InputError
from ..model import Segment
from .timed import Fragment, join_fragments


def read_json(text: str, path: str = "", lang: str = "en") -> list[Segment]:
    """Segments of ``{"segments": [{"start", "end", "text", "speaker"?, "words"?}]}`` (or a bare list).

    >>> [(s.speaker, s.text) for s in read_json('[{"start": 0, "end": 1.5, "text": " Hi.", "speaker": "A"}]')]
    [('A', 'Hi.')]
    """
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"not valid JSON: {err.msg}", path, err.lineno) from None
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
    return join_fragments(fragments, path, lang)


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
    if not isinstance(item["text"], str):
        raise InputError(f"{where}: text is not a string", path)
    words = []
    for word in item.get("words") or []:
        token = word.get("word", word.get("text")) if isinstance(word, dict) else None
        if isinstance(token, str) and _is_time(word.get("start")) and _is_time(word.get("end")):
            words.append((token, float(word["start"]), float(word["end"])))
    speaker = item.get("speaker")
    return Fragment(item["text"], start, end, 0, str(speaker) if speaker else None, words)  # JSON has no lines


def _is_time(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value >= 0


def _time(value: object, where: str, path: str) -> float:
    if not _is_time(value):
        raise InputError(f"{where}: {value!r} is not a time in seconds", path)
    return float(value)  # type: ignore[arg-type]  # _is_time checked it is a number
