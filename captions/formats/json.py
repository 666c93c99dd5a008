"""JSON: timed transcripts as whisper, WhisperX and faster-whisper write them (read), and the
cue model as it is, for other tools (written, and read back)."""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict
from fractions import Fraction
from typing import Any

from ..errors import InputError
from ..languages import as_pack
from ..languages.base import LanguagePack
from ..model import Segment, Span, Stretch, Track, colour_name
from .base import Format
from .timed import MAX_SECONDS, Entry, Fragment, alignment, entry_segments, join_fragments

WORD_SLACK = 1.0  # seconds a word may stray outside its segment (ASR word times often do a little)
# The longest a recogniser's word is taken to be spoken: 2 s, or 0.3 s a character for a long one
# (a phone number). WhisperX's forced alignment stretches a word over music, hold tones or silence
# (a "Bonjour." of 22 s in the real diarized call of tests/data/asr).
LONGEST_WORD, WORD_SECONDS_PER_CHARACTER = 2.0, 0.3
_SURROGATE = re.compile("[\ud800-\udfff]")


def detect(head: str) -> bool:
    """A JSON object or array (not MicroDVD's ``{1}{25}``, which starts with a brace too).

    >>> detect('{"segments": []}'), detect("[{}]"), detect("{1}{25}Hi")
    (True, True, False)
    """
    return head.startswith(("{", "[{", "[\n", "[ ")) and not re.match(r"\{\d+\}\{", head)


def _load(text: str, path: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"not valid JSON: {err.msg}", path, err.lineno) from None
    except RecursionError:
        raise InputError("JSON is nested too deeply to be a transcript", path) from None
    except ValueError as err:  # e.g. an integer of more than 4,300 digits
        raise InputError(f"not a usable JSON transcript: {str(err)[:80]}", path) from None


def _is_cue_document(document: object) -> bool:
    return isinstance(document, dict) and "segments" not in document and isinstance(document.get("cues"), list)


def read_entries(text: str, path: str = "") -> list[Entry]:
    """The cues of a cue JSON file (as captions writes it); a speech recogniser's segments are not cues."""
    document = _load(text, path)
    if not _is_cue_document(document):
        raise InputError("JSON holds a transcript (segments), not captions (cues)", path)
    return _cue_entries(document["cues"], path)


def read_json(text: str, path: str = "", lang: LanguagePack | str = "en", headline: str = "caption") -> list[Segment]:
    """Segments of ``{"segments": [{"start", "end", "text", "speaker"?, "words"?}]}`` (or a bare list),
    or of the cue JSON captions itself writes (``{"cues": [{"start", "end", "lines", "speakers"}]}``).

    >>> [(s.speaker, s.text) for s in read_json('[{"start": 0, "end": 1.5, "text": " Hi.", "speaker": "A"}]')]
    [('A', 'Hi.')]
    """
    document, language = _load(text, path), as_pack(lang)
    if _is_cue_document(document):
        return entry_segments(_cue_entries(document["cues"], path), path, language)
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
    return join_fragments(fragments, path, language, asr=True)


def _cue_entries(cues: list[object], path: str) -> list[Entry]:
    """Our own cue JSON: exact frames when it has them, else its seconds."""
    entries = []
    for number, cue in enumerate(cues, start=1):
        lines, speakers = (cue.get("lines"), cue.get("speakers")) if isinstance(cue, dict) else (None, None)
        if not isinstance(cue, dict) or not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
            raise InputError(f"cue {number} has no list of text lines", path)
        if not isinstance(speakers, list) or len(speakers) != len(lines):
            speakers = [None] * len(lines)
        start, end = _cue_times(cue, f"cue {number}", path)
        kept = [(line.strip(), _name(speaker, f"cue {number}", path)) for line, speaker in zip(lines, speakers)
                if line.strip()]
        region = "top" if cue.get("region") == "top" else "bottom"
        align = alignment(cue["align"]) if isinstance(cue.get("align"), str) else "center"
        lines_kept = tuple(line for line, _ in kept)
        entries.append(Entry(start, end, lines_kept, 0, region=region, align=align,
                             styled=_styled(cue.get("styled"), lines_kept),
                             speakers=tuple(name for _, name in kept) if any(name for _, name in kept) else ()))
    return entries


def _styled(value: object, lines: tuple[str, ...]) -> tuple[tuple[Span, ...], ...]:
    """Styled runs as written, kept only when they are well formed and spell the cue's lines."""
    if not isinstance(value, list) or len(value) != len(lines):
        return ()
    styled = []
    for line, runs in zip(lines, value):
        if not isinstance(runs, list) or not all(isinstance(run, dict) and isinstance(run.get("text"), str)
                                                 for run in runs):
            return ()
        spans = tuple(Span(run["text"], run.get("italic") is True, _str(run.get("ruby")),
                           colour_name(_str(run.get("colour")))) for run in runs)
        if "".join(span.text for span in spans) != line:
            return ()
        styled.append(spans)
    return tuple(styled)


def _str(value: object) -> str:
    return value[:100] if isinstance(value, str) else ""


def _name(speaker: object, where: str, path: str) -> str:
    if speaker in (None, ""):
        return ""
    if not isinstance(speaker, (str, int)) or isinstance(speaker, bool):
        raise InputError(f"{where}: speaker is not a name", path)
    return _text(str(speaker), f"{where}: speaker", path)[:100]


def _cue_times(cue: dict[str, object], where: str, path: str) -> tuple[Fraction, Fraction]:
    rate, frames = cue.get("rate"), cue.get("frames")
    if isinstance(rate, str) and isinstance(frames, list) and len(frames) == 2 \
            and all(isinstance(f, int) and not isinstance(f, bool) and 0 <= f < 10**9 for f in frames):
        try:
            exact = Fraction(rate)
        except (ValueError, ZeroDivisionError):
            raise InputError(f"{where}: rate {rate[:20]!r} is not a frame rate like 24000/1001", path) from None
        if 1 <= exact <= 1000:
            return frames[0] / exact, frames[1] / exact
    start, end = _time(cue.get("start"), where, path), _time(cue.get("end"), where, path)
    return Fraction(round(start * 1000), 1000), Fraction(round(end * 1000), 1000)


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
    timed = _words(item.get("words"), start, end)
    words, doubtful = shorten_long_words(timed)
    if words and words[0][1] != timed[0][1]:  # the segment's span follows the words that were shortened
        start = max(start, words[0][1])
    if words and words[-1][2] != timed[-1][2]:
        end = min(end, words[-1][2])
    return Fragment(text, start, end, 0, name, words, tuple(doubtful))  # JSON has no lines


def shorten_long_words(words: list[tuple[str, float, float]]) -> tuple[list[tuple[str, float, float]], list[Stretch]]:
    """Words timed longer than they can be spoken, cut to the longest that can, and where they were.

    As stable-ts's ``clamp_max`` does: the first word of a segment keeps its end (the speech
    runs on from it), any other word keeps its start.

    >>> shorten_long_words([("Bonjour.", 6.5, 28.7)])[0]
    [('Bonjour.', 26.3, 28.7)]
    >>> shorten_long_words([("Est-ce", 1.0, 1.2), ("qu'on", 1.2, 8.6), ("est", 8.6, 8.7)])[0][1]
    ("qu'on", 1.2, 3.2)
    """
    shortened, doubtful = [], []
    for number, (token, start, end) in enumerate(words):
        longest = max(LONGEST_WORD, WORD_SECONDS_PER_CHARACTER * len(token.strip()))
        if end - start > longest:
            doubtful.append(Stretch(start, end, f"the recogniser timed {token.strip()[:40]!r} over {end - start:.1f} s, "
                                                f"longer than it is spoken"))
            start, end = (round(end - longest, 3), end) if number == 0 else (start, round(start + longest, 3))
        shortened.append((token, start, end))
    return shortened, doubtful


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


def write(track: Track) -> bytes:
    """The track as JSON: language, frame rate, speakers and cues with their lines, seconds and exact frames."""
    rate = f"{track.fps.numerator}/{track.fps.denominator}"
    head = {"lang": track.lang, "fps": round(float(track.fps), 6),
            "speakers": [asdict(speaker) for speaker in track.speakers.values()]}
    # A cue a line: readable and diffable, and written by json's C encoder (indenting is not).
    cues = ",\n  ".join(json.dumps(_cue(number, cue, track, rate), ensure_ascii=False)
                        for number, cue in enumerate(track.cues, start=1))
    fields = [f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}" for key, value in head.items()]
    fields.append(f' "cues": [\n  {cues}\n ]' if cues else ' "cues": []')
    fields.append(f' "notes": {json.dumps(track.notes, ensure_ascii=False)}')
    return ("{\n" + ",\n".join(fields) + "\n}\n").encode("utf-8")


def _cue(number: int, cue: Any, track: Track, rate: str) -> dict[str, Any]:
    item: dict[str, Any] = {"index": number, "start": round(float(cue.start), 3), "end": round(float(cue.end), 3),
                            "lines": list(cue.lines), "speakers": list(cue.speakers)}
    start, end = cue.start * track.fps, cue.end * track.fps
    if start.denominator == 1 and end.denominator == 1:  # on frames: exact times for a reader that wants them
        item.update(rate=rate, frames=[int(start), int(end)])
    if cue.region != "bottom":
        item["region"] = cue.region
    if cue.align != "center":
        item["align"] = cue.align
    if cue.styled:
        item["styled"] = [[{key: value for key, value in asdict(span).items() if value} for span in line]
                          for line in cue.styled]
    return item


FORMAT = Format("json", ("json",), "JSON: whisper/WhisperX transcripts in; the cue model out, for other tools",
                detect, read_entries=read_entries, read_transcript=read_json, write=write)
