"""Benchmark: every writer of the registry on a 10-hour track (target: all writers in under 2 s).

Run: python bench/formats.py. The track is the generated programme of bench/pipeline.py captioned
once (speakers by colour, so styles are exercised); each writer then runs on the same track, best
of three (the machine is shared), and its output is read back by our reader to show the time of a
round trip beside it. The baseline is the SRT writer in the same run, a thin layer over the ``srt``
package: the ratio to it holds when the machine is busy.
"""

from __future__ import annotations

import time

from pipeline import programme

from captions.formats import REGISTRY
from captions.formats.script import read_script
from captions.pipeline import Options, caption
from captions.profiles import get_profile


def main() -> None:
    segments = read_script(programme(90_000))  # about 10 hours of speech
    track = caption(segments, get_profile("bbc", "en"), Options(profile="bbc", speakers="colour"))
    print(f"10-hour track: {len(track.cues)} cues")
    total, baseline = 0.0, None
    for name, fmt in REGISTRY.items():
        if not fmt.write:
            continue
        took = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            data = fmt.write(track)
            took = min(took, time.perf_counter() - started)
        total += took
        baseline = baseline or took
        read_back = ""
        if fmt.read_entries:
            started = time.perf_counter()
            entries = fmt.read_entries(data if fmt.binary else data.decode("utf-8"), name)
            read_back = f"; read back {len(entries)} cues in {time.perf_counter() - started:.2f} s"
        print(f"{name:<9} {took:6.2f} s ({took / baseline:4.2f}x srt)  {len(data) / 1e6:6.1f} MB{read_back}")
    print(f"all writers: {total:.2f} s (target < 2 s)")


if __name__ == "__main__":
    main()
