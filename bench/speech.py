"""Benchmark: speaking the aligner's sentences in-process (libespeak-ng through ctypes) against the old
routes, one ``espeak-ng --stdout`` process per sentence (text on stdin here, never on the command line),
one at a time and four at a time (as the previous aligner ran them).

Run: python bench/speech.py [--sentences 200]. Both routes speak the same sentences with the same
voice and speed, alternating rounds in one run (the machine is shared and noisy), and the best
round of each is compared. The subprocess route needs a system espeak-ng binary (Debian's
package); without one only the in-process figure is printed.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import time
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from recordings import SENTENCES

from captions.speech import engine, synthesise


def in_process(texts: list[str]) -> float:
    return sum(len(synthesise(text, "en-gb", 175)[0]) for text in texts)


def _spoken_by_process(text: str) -> int:
    done = subprocess.run(["espeak-ng", "-v", "en-gb", "-s", "175", "--stdout"], input=text.encode(),
                          capture_output=True, check=True)
    with wave.open(io.BytesIO(done.stdout)) as reader:
        return len(np.frombuffer(reader.readframes(reader.getnframes()), np.int16))


def by_subprocess(texts: list[str]) -> float:
    return sum(map(_spoken_by_process, texts))


def by_four_subprocesses(texts: list[str]) -> float:
    """The previous aligner's route: four espeak-ng processes at a time from a thread pool."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return sum(pool.map(_spoken_by_process, texts))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    texts = [SENTENCES[n % len(SENTENCES)] + f" Item {n}." for n in range(arguments.sentences)]
    found = engine()
    print(f"in-process: libespeak-ng {found.version} from {found.library}")
    routes = {"in-process (ctypes)": in_process}
    if shutil.which("espeak-ng"):
        version = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True).stdout.strip()
        print(f"subprocess: {version}")
        routes["subprocess per sentence"] = by_subprocess
        routes["4 subprocesses at a time"] = by_four_subprocesses
    best = {name: float("inf") for name in routes}
    samples = {}
    for _ in range(arguments.rounds):
        for name, route in routes.items():
            started = time.perf_counter()
            samples[name] = route(texts)
            best[name] = min(best[name], time.perf_counter() - started)
    baseline = best.get("subprocess per sentence")
    for name, seconds in best.items():
        ratio = f", {baseline / seconds:.2f}x the subprocess route's speed" if baseline else ""
        print(f"{name:<26} {arguments.sentences / seconds:7.1f} sentences/s ({seconds:.2f} s, "
              f"{samples[name] / 22050:.0f} s of speech){ratio}")


if __name__ == "__main__":
    main()
