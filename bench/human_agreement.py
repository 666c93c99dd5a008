"""Where captions breaks lines and cues, against professionally made subtitles (TED talks).

Each talk's text goes in as one timed segment per sentence (times from the human cues, so the human
breaks never leak); its line and cue breaks are compared with the human ones, position by position
(words in English; characters in Japanese). Printed per language, beside two greedy baselines:

- line / cue / any-break F1 (cue breaks within one token count, "lenient");
- breaks at a human break or after punctuation;
- sentence ends left mid-line (neither a line nor a cue break after them);
- Japanese: breaks that cut a word in two, by a morphological analyser (fugashi with unidic-lite,
  if installed: ``pip install fugashi unidic-lite``).

Data: bench/data/ted/ (README there: source and licence). Run: python bench/human_agreement.py
[--talks 10,1002] [--lang en|ja]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import srt
import webvtt

from captions.formats import REGISTRY, parse
from captions.pipeline import Options, caption
from captions.profiles import get_profile

DATA = Path(__file__).resolve().parent / "data" / "ted"
# Talks used while tuning, per language (1004 chose the weights of 2026-11-26); the others are held out.
TUNE = {"en": ("10", "1004"), "ja": ("10",)}
NON_SPEECH = re.compile(r"^[(（\[].*[)）\]]$")
JA_SENTENCE_END = re.compile(r"(?:ます|です|ました|でした|ません|ませんでした|ください|でしょう|ましょう|だ|のだ|ね|よ|か|[？！?!])$")
PUNCT = re.compile(r"[\W_]", re.UNICODE)
EDITORIAL = re.compile(r"\[([A-Z][a-z]+(?: [A-Z][a-z]+)*)\]")


@dataclass
class Cue:
    start: float
    end: float
    lines: list[str]


@dataclass
class Breaks:
    """Token count and the positions (after token i) of line and cue breaks."""

    tokens: list[str]
    line: set[int] = field(default_factory=set)
    cue: set[int] = field(default_factory=set)


def seconds(stamp: str) -> float:
    hours, minutes, rest = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def human_cues(talk: str, lang: str) -> list[Cue]:
    """The talk's cues in order, from its subtitle chunks (which repeat the cue they start with)."""
    seen: dict[tuple[str, str], Cue] = {}
    for path in sorted(DATA.glob(f"{talk}/{lang}.vtt*"), key=lambda p: int(p.suffix[1:]) if p.suffix[1:].isdigit() else 0):
        for caption_ in webvtt.from_string(path.read_text(encoding="utf-8")):
            lines = [line.strip() for line in caption_.text.split("\n") if line.strip()]
            key = (caption_.start, " ".join(lines))
            if lines and not NON_SPEECH.match(" ".join(lines)) and key not in seen:
                seen[key] = Cue(seconds(caption_.start), seconds(caption_.end), lines)
    cues = sorted(seen.values(), key=lambda cue: cue.start)
    return [cue for n, cue in enumerate(cues) if n == 0 or cue.lines != cues[n - 1].lines]  # doubled cues


def units(text: str, lang: str) -> list[str]:
    """Tokens compared between tracks: words (English), characters without spaces or punctuation (ja)."""
    if lang == "ja":
        return [char for char in unicodedata.normalize("NFKC", text) if not PUNCT.match(char)]
    return [PUNCT.sub("", word.lower()) for word in text.split() if PUNCT.sub("", word)]


def breaks_of(cues: list[Cue], lang: str) -> Breaks:
    found = Breaks([])
    for cue in cues:
        for number, line in enumerate(cue.lines):
            found.tokens += units(line, lang)
            if found.tokens:
                (found.line if number < len(cue.lines) - 1 else found.cue).add(len(found.tokens) - 1)
    last = len(found.tokens) - 1
    found.line.discard(last)
    found.cue.discard(last)
    return found


def sentences(cues: list[Cue], lang: str) -> list[tuple[str, float, float]]:
    """The talk as sentences with the time of their first and last character (interpolated in cues)."""
    pieces: list[tuple[str, float]] = []  # character, time
    for cue in cues:
        # Japanese: the lines are joined with nothing (a 、 there would hand the human line break
        # to the breaker); a space inside a line is TED's way of writing 、, so it is one again.
        text = " ".join(cue.lines) if lang == "en" else "".join(cue.lines)
        # A translator's bracketed insertion ("This is [Albert] Gonzalez.") is words, not a sound label.
        text = EDITORIAL.sub(r"\1", text)
        if lang == "ja":
            text = text.replace(" ", "、").replace("　", "、")
            if JA_SENTENCE_END.search(cue.lines[-1]):
                text += "。"
        step = (cue.end - cue.start) / max(len(text), 1)
        pieces += [(char, cue.start + k * step) for k, char in enumerate(text)]
        pieces.append((" " if lang == "en" else "", cue.end))
    text = "".join(char for char, _ in pieces)
    times = [time for char, time in pieces for _ in char]
    found, cursor = [], 0
    for sentence in _split(text, lang):
        start = text.index(sentence, cursor)
        cursor = start + len(sentence)
        found.append((sentence, times[start], times[cursor - 1]))
    return found


def _split(text: str, lang: str) -> list[str]:
    """Sentences by pysbd (English) or at 。 (the Japanese text above marks them), not by captions."""
    if lang == "ja":
        return [part + "。" for part in text.split("。") if part.strip()]
    import pysbd

    return [s.strip() for s in pysbd.Segmenter(language="en", clean=False).segment(text) if s.strip()]


def ours(cues: list[Cue], lang: str) -> Breaks:
    """Captions made the way a user makes them from a timed transcript: a JSON file of segments."""
    profile = get_profile("netflix", lang)
    document = {"segments": [{"start": start, "end": max(end, start + 0.01), "text": text}
                             for text, start, end in sentences(cues, lang)]}
    segments = parse(json.dumps(document), "json", "talk.json", lang, "caption")
    track = caption(segments, profile, Options(lang=lang, speakers="none"))
    written = REGISTRY["srt"].write(track).decode("utf-8")  # what a user gets, read back by the srt library, not by us
    return breaks_of([Cue(c.start.total_seconds(), c.end.total_seconds(), c.content.split("\n"))
                      for c in srt.parse(written)], lang)


def greedy(cues: list[Cue], lang: str, at_sentences: bool) -> Breaks:
    """Fill lines to the limit, two lines a cue (and a new cue at every sentence end, if asked)."""
    limit = get_profile("netflix", lang).max_chars_per_line
    out: list[Cue] = []
    lines: list[str] = []
    for text, _, _ in sentences(cues, lang):
        pieces = text.split() if lang == "en" else list(text.replace("、", "").replace("。", ""))
        for piece in pieces:
            joiner = " " if lang == "en" and lines and lines[-1] else ""
            if lines and len(lines[-1] + joiner + piece) <= limit:
                lines[-1] += joiner + piece
            elif len(lines) < 2:
                lines.append(piece)
            else:
                out.append(Cue(0, 0, lines))
                lines = [piece]
        if at_sentences and lines:
            out.append(Cue(0, 0, lines))
            lines = []
    if lines:
        out.append(Cue(0, 0, lines))
    return breaks_of(out, lang)


def f1(found: set[int], truth: set[int], slack: int = 0) -> tuple[float, float, float]:
    if not found or not truth:
        return 0.0, 0.0, 0.0
    hit = sum(any(abs(f - t) <= slack for t in truth) for f in found)
    caught = sum(any(abs(f - t) <= slack for f in found) for t in truth)
    precision, recall = hit / len(found), caught / len(truth)
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


class Totals:
    def __init__(self) -> None:
        self.rows: dict[str, list[float]] = {}

    def add(self, name: str, value: float) -> None:
        self.rows.setdefault(name, []).append(value)

    def mean(self, name: str) -> float:
        values = self.rows.get(name, [])
        return sum(values) / len(values) if values else float("nan")


def sentence_ends(cues: list[Cue], lang: str, tokens: int) -> set[int]:
    ends, at = set(), 0
    for text, _, _ in sentences(cues, lang):
        at += len(units(text, lang))
        if at < tokens:
            ends.add(at - 1)
    return ends


def word_cuts(mine: Breaks, limit: float) -> int | None:
    """Breaks inside a word (by fugashi/unidic-lite); a word longer than a line must be cut, and
    is not counted."""
    try:
        import fugashi
    except ImportError:
        return None
    text = "".join(mine.tokens)
    inside: set[int] = set()
    at = 0
    for word in fugashi.Tagger()(text):
        if len(word.surface) <= limit:
            inside.update(range(at, at + len(word.surface) - 1))
        at += len(word.surface)
    return sum(position in inside for position in mine.line | mine.cue)


def score(name: str, mine: Breaks, human: Breaks, cues: list[Cue], lang: str, totals: Totals) -> None:
    if mine.tokens != human.tokens:
        print(f"  {name}: tokens differ from the human track ({len(mine.tokens)} vs {len(human.tokens)}); skipped",
              file=sys.stderr)
        return
    slack = 1 if lang == "en" else 2
    totals.add(f"{name}|line F1", f1(mine.line, human.line)[2])
    totals.add(f"{name}|cue F1", f1(mine.cue, human.cue, slack)[2])
    totals.add(f"{name}|any F1", f1(mine.line | mine.cue, human.line | human.cue)[2])
    ends = sentence_ends(cues, lang, len(human.tokens))
    breaks = mine.line | mine.cue
    good = sum(position in human.line | human.cue or position in ends for position in breaks)
    totals.add(f"{name}|at a human break or sentence end", good / max(len(breaks), 1))
    totals.add(f"{name}|sentence ends left mid-line", sum(end not in breaks for end in ends) / max(len(ends), 1))
    if lang == "ja":
        cuts = word_cuts(mine, get_profile("netflix", lang).max_chars_per_line)
        if cuts is not None:
            totals.add(f"{name}|word cuts (count)", cuts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--talks", default="")
    parser.add_argument("--lang", default="en,ja")
    args = parser.parse_args()
    talks = args.talks.split(",") if args.talks else sorted(p.name for p in DATA.iterdir() if p.is_dir())
    for lang in args.lang.split(","):
        used = [talk for talk in talks if list(DATA.glob(f"{talk}/{lang}.vtt"))]
        per_talk: dict[str, Totals] = {}
        for talk in used:
            totals = per_talk[talk] = Totals()
            cues = human_cues(talk, lang)
            human = breaks_of(cues, lang)
            score("captions", ours(cues, lang), human, cues, lang, totals)
            score("greedy fill", greedy(cues, lang, False), human, cues, lang, totals)
            score("greedy + cue at sentence ends", greedy(cues, lang, True), human, cues, lang, totals)
        tuned = TUNE.get(lang, ())
        report(lang, [t for t in used if t in tuned], [t for t in used if t not in tuned], per_talk)


def report(lang: str, tuned: list[str], held_out: list[str], per_talk: dict[str, Totals]) -> None:
    """One table per group of talks: the held-out ones (the figures that count) and the tuned one."""
    for label, group in (("held out", held_out), ("tuned on", tuned)):
        if not group:
            continue
        rows = [per_talk[talk] for talk in group]
        keys = list(dict.fromkeys(key for totals in rows for key in totals.rows))
        names = list(dict.fromkeys(key.split("|")[0] for key in keys))
        metrics = list(dict.fromkeys(key.split("|")[1] for key in keys))
        print(f"\n{lang}, {label}: talk {', '.join(group)}")
        print("| method | " + " | ".join(metrics) + " |")
        print("|---" * (len(metrics) + 1) + "|")
        for name in names:
            cells = []
            for metric in metrics:
                values = [value for totals in rows for value in totals.rows.get(f"{name}|{metric}", [])]
                value = (sum(values) if "count" in metric else sum(values) / len(values)) if values else float("nan")
                cells.append(f"{value:.0f}" if "count" in metric else f"{value:.1%}")
            print(f"| {name} | " + " | ".join(cells) + " |")
        spread = ", ".join(f"{talk} {per_talk[talk].mean('captions|any F1'):.1%}" for talk in group)
        print(f"captions any-break F1 per talk: {spread}")


if __name__ == "__main__":
    main()
