"""Rules a caption track of real ASR output must keep, written here from the style guides and
independent of the line breaker's costs (used by tests/test_asr_real.py and bench/asr.py):

- every word of the transcript, in order, once; no line over the limit;
- on screen at least 5/6 s and at most 7 s; at least 2 frames between cues;
- a cue never ends before its last word has been spoken (a recogniser's word is taken to be spoken
  for at most its first 2 s: forced alignment stretches words over music and silence, up to 22 s
  in the diarized call, and no cue could both show such a word to its end and stay under 7 s);
- a cue does not end on a word that needs the next one (an article, "of", "and"), nor on the first
  word or two of a new sentence;
- a cue that shows two speakers' turns (the segments' diarized ``speaker``) is a dialogue: a line
  per turn, each opened by a dash, and no line holds words of two speakers.
"""

import json
import re
from pathlib import Path

import srt

ASR = Path(__file__).parent / "data" / "asr"
FIXTURES = {  # file -> language
    "whisperx_call_en.tsv": "en",
    "whisperx_numbers_en.json": "en",
    "whisper_timestamped_de.json": "de",
    "whisper_timestamped_fr.json": "fr",
    "whisperx_reference_en.json": "en",
    "whisperx_diarized_call_fr.json": "fr",
}
# Words a cue must not end on when the sentence goes on (articles, possessives, "of", "and"...).
NEEDS_NEXT = {
    "en": set("a an the my your his her its our their and or but of to".split()),  # not "this": a pronoun too
    "fr": set("le la les un une des du de au aux et ou mais".split()),
    "de": set("der die das den dem des ein eine einen einem einer und oder aber".split()),
}
SPOKEN_AT_MOST = 2.0  # seconds of a recogniser's word taken to be speech
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


def transcript(path: Path, tmp_path: Path) -> tuple[Path, list[list[dict]]]:
    """The file to caption and its segments' words, read with json alone (a TSV fixture holds
    ``segment, word, start, end`` rows and is turned back into WhisperX's JSON first)."""
    if path.suffix == ".tsv":
        segments: dict[int, list[dict]] = {}
        for row in path.read_text(encoding="utf-8").splitlines():
            if row and not row.startswith("#"):
                number, word, start, end = row.split("\t")
                segments.setdefault(int(number), []).append({"word": word, "start": float(start), "end": float(end)})
        words = [segments[key] for key in sorted(segments)]
        document = {"segments": [{"start": w[0]["start"], "end": w[-1]["end"], "text": " ".join(x["word"] for x in w),
                                  "words": w} for w in words], "language": "en"}
        path = tmp_path / (path.stem + ".json")
        path.write_text(json.dumps(document), encoding="utf-8")
        return path, words
    document = json.loads(path.read_text(encoding="utf-8"))
    return path, [[{"word": w.get("word", w.get("text")), "start": w.get("start"), "end": w.get("end"),
                    "speaker": segment.get("speaker")} for w in segment["words"]] for segment in document["segments"]]


def plain(token: str) -> str:
    return _EDGE.sub("", token).lower()


def _dialogue_problems(cue: srt.Subtitle, speakers_by_line: list[set]) -> list[str]:
    """A cue with two speakers' words must show them as a dialogue, a dashed line per speaker."""
    speakers = set().union(*speakers_by_line) - {None}
    if len(speakers) < 2:
        return []
    lines = cue.content.split("\n")
    if any(len(line_speakers - {None}) > 1 for line_speakers in speakers_by_line):
        return [f"cue {cue.index}: a line holds words of two speakers"]
    if not all(line.lstrip().startswith(("-", "–")) for line in lines):
        return [f"cue {cue.index}: two speakers without dialogue dashes"]
    return []


def violations(cues: list[srt.Subtitle], segments: list[list[dict]], lang: str, fps: float) -> list[str]:
    """Every rule a track breaks, as readable lines."""
    words = [dict(w, first=i == 0, capital=i == 0 and w["word"].strip()[:1].isupper())
             for segment in segments for i, w in enumerate(segment)]
    found, at = [], 0
    ends: list[int] = []  # transcript index of each cue's last word
    for cue in cues:
        speakers_by_line = []
        for line in cue.content.split("\n"):
            speakers_by_line.append(set())
            for token in line.split():
                if token in ("-", "–"):
                    continue
                if at >= len(words) or plain(token) != plain(words[at]["word"]):
                    found.append(f"cue {cue.index}: {token!r} is not the next word of the transcript")
                    return found
                speakers_by_line[-1].add(words[at].get("speaker"))
                at += 1
        ends.append(at - 1)
        found += _dialogue_problems(cue, speakers_by_line)
    if at != len(words):
        found.append(f"{len(words) - at} words of the transcript are not shown")
    for number, cue in enumerate(cues):
        seconds = (cue.end - cue.start).total_seconds()
        if not 5 / 6 - 0.5 / fps <= seconds <= 7 + 0.5 / fps:
            found.append(f"cue {cue.index}: on screen {seconds:.3f} s")
        found += [f"cue {cue.index}: line of {len(line)}" for line in cue.content.split("\n") if len(line) > 42]
        last = words[ends[number]]
        spoken_until = None if last["end"] is None else min(last["end"], last["start"] + SPOKEN_AT_MOST)
        if spoken_until is not None and cue.end.total_seconds() < spoken_until - 1e-3:
            found.append(f"cue {cue.index}: ends {spoken_until - cue.end.total_seconds():.3f} s before its last word")
        if number + 1 < len(cues):
            gap = (cues[number + 1].start - cue.end).total_seconds()
            if round(gap * fps) < 2:
                found.append(f"cue {cue.index}: gap of {gap * fps:.1f} frames after it")
            tail = cue.content.split()
            if plain(tail[-1]) in NEEDS_NEXT.get(lang, ()) and tail[-1][-1].isalpha():
                found.append(f"cue {cue.index}: ends on {tail[-1]!r}")
            first, last = (ends[number - 1] + 1 if number else 0), ends[number]
            if not words[last + 1]["first"] and not tail[-1].endswith((".", "?", "!", "…")):
                starts = [k for k in (last - 1, last) if k > first and (
                    (words[k]["capital"] and words[k]["word"] not in ("I", "I'm", "I've", "I'll", "I'd"))
                    or words[k - 1]["word"].endswith((".", "?", "!", "…")))]
                if starts:
                    found.append(f"cue {cue.index}: ends on the first words of a new sentence: {' '.join(tail[-2:])!r}")
    return found
