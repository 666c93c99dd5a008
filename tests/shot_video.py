"""Generated video with known shot changes, from ffmpeg's own sources (for tests and bench/shots.py)."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

from captions.audio import ffmpeg_binary

SIZE = "320x180"
# Each source at {rate} frames a second; {colour} and {seed} differ between shots.
SOURCES = ["color=c={colour}:s=" + SIZE + ":r={rate}",
           "testsrc2=s=" + SIZE + ":r={rate}",
           "smptebars=s=" + SIZE + ":r={rate}",
           "life=s=" + SIZE + ":r={rate}:seed={seed}:mold=10:ratio=0.2:life_color={colour}",
           "color=c={colour}:s=" + SIZE + ":r={rate},noise=alls=25:allf=t",
           "mandelbrot=s=" + SIZE + ":r={rate}",
           "cellauto=s=" + SIZE + ":r={rate}:seed={seed}"]


def make_video(path: Path, shots: list[tuple[str, int]], rate: int, audio: Path | None = None,
               seed: int = 1) -> list[int]:
    """Write ``path`` (WebM, VP8) from (source, frames) shots, with ``audio`` under it; returns the
    frames on which each new shot starts."""
    rng = random.Random(seed)
    parts, cuts, at = [], [], 0
    for index, (source, frames) in enumerate(shots):
        colour = f"0x{rng.randrange(1 << 24):06x}"
        parts.append(f"{source.format(rate=rate, colour=colour, seed=rng.randrange(1 << 30))},"
                     f"trim=end_frame={frames},setpts=PTS-STARTPTS,format=yuv420p[s{index}]")
        if index:
            cuts.append(at)
        at += frames
    graph = ";".join(parts) + ";" + "".join(f"[s{index}]" for index in range(len(shots))) + \
        f"concat=n={len(shots)}:v=1:a=0[v]"
    command = [ffmpeg_binary(), "-nostdin", "-v", "error", "-y", "-filter_complex", graph]
    if audio:
        command += ["-i", str(audio), "-map", "[v]", "-map", "0:a", "-c:a", "libopus", "-shortest"]
    else:
        command += ["-map", "[v]"]
    subprocess.run([*command, "-c:v", "libvpx", "-b:v", "400k", "-g", "250", str(path)], check=True)
    return cuts
