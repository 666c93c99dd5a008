"""Benchmark: caption a generated 1-hour and 10-hour programme; prints seconds and the 10x/1x ratio.

Run: python bench/pipeline.py. A 1-hour programme is about 9,000 words from many speakers; the
baseline is the same process's 1-hour run, so the ratio holds on a noisy shared machine
(target: linear, ratio about 10; 1 hour under 0.5 s on one core).
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

from captions.formats.script import read_script
from captions.languages import pack
from captions.languages.base import WEAK
from captions.pipeline import Options, caption
from captions.profiles import get_profile

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_37ef718866344138.txt"
SPEAKERS = ["Kishida Fumio, Prime Minister of Japan", "Joe Biden, US President", "Ana Lima, Reporter",
            "Sam Ortiz, Economist", "Mei Tanaka, Analyst", "Tom Reed, Senator"]


def programme(words: int, seed: int = 1) -> str:
    """A script of about ``words`` words: seed sentences shuffled into narration and sound bites."""
    rng = random.Random(seed)
    sentences = [s.strip() + "." for s in SEED.read_text().replace("S/", "").split(".") if len(s.split()) > 3]
    lines, count = ["Evening news"], 0
    while count < words:
        paragraph = " ".join(rng.choice(sentences).split(":")[-1].strip() for _ in range(rng.randint(1, 4)))
        if rng.random() < 0.4:
            paragraph = f"S/ {rng.choice(SPEAKERS)}: {paragraph}"
        lines.append(paragraph)
        count += len(paragraph.split())
    return "\n".join(lines)


def run(text: str) -> tuple[float, int, float]:
    profile = get_profile("netflix", "en")
    started = time.perf_counter()
    track = caption(read_script(text), profile, Options())
    seconds = time.perf_counter() - started
    pairs = [(a.split()[-1], b.split()[0]) for cue in track.cues for a, b in zip(cue.lines, cue.lines[1:])]
    weak = sum(pack("en").weak_cost(a, b) >= WEAK for a, b in pairs)
    return seconds, len(track.cues), weak / max(len(pairs), 1)


def main() -> None:
    run(programme(500))  # warm caches (pysbd, regexes) outside the measurement
    one_hour, ten_hours = programme(9000), programme(90000, seed=2)
    base, cues, weak = run(one_hour)
    long, cues10, _ = run(ten_hours)
    print(f"1 hour  (9,000 words):  {base:6.3f} s  {cues} cues  weak line breaks {weak:.1%}")
    print(f"10 hours (90,000 words): {long:6.3f} s  {cues10} cues")
    print(f"ratio 10h/1h: {long / base:.2f} (linear = 10)")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "captions.cli", "--help"], capture_output=True, check=True)
    help_time = time.perf_counter() - started
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], capture_output=True, check=True)
    python_time = time.perf_counter() - started
    print(f"captions --help: {help_time:.3f} s as a process (bare python start: {python_time:.3f} s, "
          f"ratio {help_time / python_time:.1f})")


if __name__ == "__main__":
    main()
