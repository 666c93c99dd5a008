"""Benchmark: shot-change detection on generated video with known cuts, ours beside ffmpeg's own
scene score (the `select=gt(scene,T)` filter, at thresholds 0.3 and 0.4), in the same run.

Run: python bench/shots.py. Five programmes from ffmpeg's sources, each shot a whole number of
frames long: still colours, moving test patterns, bars, a cellular automaton that changes every
frame (the hard case for false cuts), noise over colour, and a long still shot. Printed per
detector: cuts found within one frame, cuts missed, false cuts, and seconds.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from shot_video import SOURCES, make_video

from captions.audio import ffmpeg_binary
from captions.shots import detect


def ffmpeg_scene(path: Path, threshold: float, fps: int) -> list[int]:
    done = subprocess.run([ffmpeg_binary(), "-nostdin", "-hide_banner", "-i", str(path), "-an", "-vf",
                           f"select='gt(scene,{threshold})',metadata=print:file=-", "-f", "null", "-"],
                          capture_output=True, text=True)
    return [round(float(value) * fps) for value in re.findall(r"pts_time:([\d.]+)", done.stdout)]


def score(found: list[int], truth: list[int]) -> tuple[int, int, int]:
    hits = sum(any(abs(cut - true) <= 1 for cut in found) for true in truth)
    false = sum(not any(abs(cut - true) <= 1 for true in truth) for cut in found)
    return hits, len(truth) - hits, false


def main() -> None:
    rng = random.Random(11)  # not the seeds the thresholds were chosen on
    with tempfile.TemporaryDirectory() as scratch:
        videos = []
        for number in range(5):
            shots = []
            for _ in range(12):  # a source after itself may look the same (bars after bars): no cut to see
                shots.append((rng.choice([source for source in SOURCES if not shots or source != shots[-1][0]]),
                              rng.randint(20, 90)))
            path = Path(scratch) / f"v{number}.webm"
            videos.append((path, make_video(path, shots, 25, seed=100 + number)))
        totals: dict[str, list[float]] = {}
        for path, truth in videos:
            for name, find in [("captions", lambda p: list(detect(p).cuts)),
                               ("ffmpeg scene > 0.3", lambda p: ffmpeg_scene(p, 0.3, 25)),
                               ("ffmpeg scene > 0.4", lambda p: ffmpeg_scene(p, 0.4, 25))]:
                started = time.perf_counter()
                found = find(path)
                took = time.perf_counter() - started
                hits, missed, false = score(found, truth)
                total = totals.setdefault(name, [0, 0, 0, 0.0])
                for index, value in enumerate((hits, missed, false, took)):
                    total[index] += value
        cuts = sum(len(truth) for _, truth in videos)
        print(f"{len(videos)} generated programmes, {cuts} known cuts")
        for name, (hits, missed, false, took) in totals.items():
            print(f"{name:<20} within 1 frame {int(hits)}/{cuts}, missed {int(missed)}, false {int(false)}, {took:.2f} s")


if __name__ == "__main__":
    main()
