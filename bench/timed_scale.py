"""Benchmark: make on long timed input, 2,000 and 20,000 one-second SRT cues, in one run.

Run: python bench/timed_scale.py. The 2,000-cue run is the baseline; the target (issue 25) is the
20,000-cue run taking at most 15 times as long (linear would be 10). Before the time map of a long
segment was built once per segment, 20,000 cues took 11.8 s against about 0.8 s (n^1.9).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from captions.pipeline import Options, caption_file


def timed_srt(path: Path, cues: int) -> None:
    """``cues`` one-second cues a second apart: one speaker's timed speech, joined into one segment."""
    def clock(seconds: int) -> str:
        return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d},000"

    path.write_text("".join(f"{n + 1}\n{clock(2 * n)} --> {clock(2 * n + 1)}\nWords of cue number {n} here.\n\n"
                            for n in range(cues)))


def seconds_for(cues: int, folder: Path) -> float:
    source = folder / f"timed{cues}.srt"
    timed_srt(source, cues)
    started = time.perf_counter()
    caption_file(source, folder / "out", Options())
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        small = min(seconds_for(2_000, Path(folder)) for _ in range(2))
        large = seconds_for(20_000, Path(folder))
    print(f"2,000 cues: {small:.2f} s; 20,000 cues: {large:.2f} s; ratio {large / small:.1f} (target <= 15, linear 10)")


if __name__ == "__main__":
    main()
