"""Real ASR output (tests/data/asr) captioned three ways, counted by the rules of tests/asr_rules.py.

- captions: ``captions make`` with the netflix profile;
- one cue per segment: what openai-whisper's SRT writer does by default;
- greedy 42 x 2: words poured into 42-column lines, two lines a cue, as WhisperX's writer does
  with ``--max_line_width 42 --max_line_count 2``.

Run: python bench/asr.py [--baseline CHECKOUT]. With ``--baseline``, the files are also captioned
by the captions package of another checkout (e.g. ``git worktree add /tmp/old e95edae~1``, the
code before issue 10), in a subprocess, and counted by the same rules.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import srt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from asr_rules import ASR, FIXTURES, transcript, violations

from captions.pipeline import Options, caption_file
from captions.profiles import get_profile

KINDS = {"over 7 s": "on screen 7", "under 5/6 s": "on screen 0", "line over 42": "line of", "gap < 2 frames": "gap of",
         "ends before its last word": "before its last word", "weak end": "ends on '",
         "ends on a new sentence": "new sentence", "words lost or moved": "transcript"}


def ours(path: Path, lang: str, folder: Path) -> list[srt.Subtitle]:
    caption_file(path, folder, Options(lang=lang, formats=("srt",)))
    return list(srt.parse((folder / f"{path.stem}.{lang}.srt").read_text(encoding="utf-8")))


def theirs(checkout: Path, path: Path, lang: str, folder: Path) -> list[srt.Subtitle]:
    """The same job done by the captions package of another checkout."""
    code = ("import sys; from captions.pipeline import Options, caption_file; "
            "caption_file(sys.argv[1], sys.argv[2], Options(lang=sys.argv[3], formats=('srt',)))")
    subprocess.run([sys.executable, "-c", code, str(path), str(folder), lang], check=True,
                   env={**os.environ, "PYTHONPATH": str(checkout)}, cwd=checkout)
    return list(srt.parse((folder / f"{path.stem}.{lang}.srt").read_text(encoding="utf-8")))


def per_segment(segments: list[list[dict]]) -> list[srt.Subtitle]:
    timed = [[w for w in words if w["start"] is not None] for words in segments]
    return [srt.Subtitle(n, timedelta(seconds=t[0]["start"]), timedelta(seconds=t[-1]["end"]),
                         " ".join(w["word"].strip() for w in words))
            for n, (words, t) in enumerate(zip(segments, timed), start=1) if t]


def greedy(segments: list[list[dict]], width: int = 42, lines: int = 2) -> list[srt.Subtitle]:
    cues: list[srt.Subtitle] = []
    rows: list[list[dict]] = [[]]
    words = [w for segment in segments for w in segment]

    def flush() -> None:
        shown = [w for row in rows for w in row]
        timed = [w for w in shown if w["start"] is not None]
        if timed:
            cues.append(srt.Subtitle(len(cues) + 1, timedelta(seconds=timed[0]["start"]), timedelta(seconds=timed[-1]["end"]),
                                     "\n".join(" ".join(w["word"].strip() for w in row) for row in rows if row)))
        rows[:] = [[]]

    for word in words:
        text = " ".join(w["word"].strip() for w in rows[-1] + [word])
        if rows[-1] and len(text) > width:
            if len(rows) == lines:
                flush()
            else:
                rows.append([])
        rows[-1].append(word)
    flush()
    return cues


def count(cues: list[srt.Subtitle], segments: list[list[dict]], lang: str) -> dict[str, int]:
    found = violations(cues, segments, lang, get_profile("netflix", lang).fps)
    counts = {kind: sum(marker in line for line in found) for kind, marker in KINDS.items()}
    counts["words lost or moved"] = sum("transcript" in line for line in found)
    counts["over 20 chars/s"] = sum(len(c.content.replace("\n", " ")) / max((c.end - c.start).total_seconds(), 1e-3) > 20
                                    for c in cues)
    counts["cues"] = len(cues)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", type=Path, help="a checkout whose captions package is counted too")
    baseline = parser.parse_args().baseline
    totals: dict[str, dict[str, int]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, lang in FIXTURES.items():
            path, segments = transcript(ASR / name, Path(folder))
            methods = [("captions", ours(path, lang, Path(folder) / "out"))]
            if baseline:
                methods.append(("captions at baseline", theirs(baseline.resolve(), path.resolve(), lang,
                                                                Path(folder).resolve() / "baseline")))
            methods += [("one cue per segment", per_segment(segments)), ("greedy 42 x 2", greedy(segments))]
            for method, cues in methods:
                for kind, value in count(cues, segments, lang).items():
                    totals.setdefault(method, {}).setdefault(kind, 0)
                    totals[method][kind] += value
    words = sum(len(w) for name in FIXTURES for w in transcript(ASR / name, Path(tempfile.mkdtemp()))[1])
    print(f"{len(FIXTURES)} real ASR files, {words} words")
    kinds = ["cues", *KINDS, "over 20 chars/s"]
    print(f"| {'':<25} | " + " | ".join(f"{method:>19}" for method in totals) + " |")
    print("|" + "---|" * (len(totals) + 1))
    for kind in kinds:
        print(f"| {kind:<25} | " + " | ".join(f"{totals[method][kind]:>19}" for method in totals) + " |")


if __name__ == "__main__":
    main()
