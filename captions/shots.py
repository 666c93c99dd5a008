"""Shot changes: found in the programme's video, or read from a list or an EDL, so that timing can
put cue in- and out-times where an editor would (on the cut, or 2 frames before it).

Detection decodes the video small and grey through the same ffmpeg captions decodes audio with,
and marks a cut where the picture (each pixel, and the histogram of grey levels) changes far
more than it did in the frames around it: a static shot with a moving mouth, a pan or a picture
that changes every frame is never a cut; two shots of the same brightness still are. bench/shots.py measures it
beside ffmpeg's own scene score on generated video with known cuts.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from .errors import InputError, MediaError
from .model import exact_rate

WIDTH, HEIGHT = 64, 36  # enough to see a cut; small enough to decode a 2-hour programme quickly
BINS = 32  # grey levels of the histograms compared
MIN_CHANGE = 0.2  # pixel change (of the grey range) plus histogram change (0-1): below this, never a cut
CONTRAST = 4.0  # a cut changes the picture this many times more than the frames around it
NEIGHBOURS = 6  # frames on each side that set what an ordinary change is there
LASTING, LASTING_CHANGE = 5, 0.1  # frames averaged on each side of a cut, and how far apart they must be
_EDL_NUMBER = re.compile(r"^\s*\d{3,6}\s")  # an event's first field: the line must be a whole event
_FPS = re.compile(r"Video:.*?(\d+(?:\.\d+)?) fps")
_EDL_EVENT = re.compile(r"^\s*\d{3,6}\s+\S+\s+\S+\s+\S+\s+(?:\d+\s+)?"
                        r"(\d\d:\d\d:\d\d[:;]\d\d)\s+(\d\d:\d\d:\d\d[:;]\d\d)\s+(\d\d:\d\d:\d\d[:;]\d\d)\s+"
                        r"(\d\d:\d\d:\d\d[:;]\d\d)\s*$")


@dataclass(frozen=True)
class Shots:
    """The frames (from the programme's first) on which a new shot starts, at ``fps``."""

    fps: Fraction
    cuts: tuple[int, ...]

    def at(self, fps: float) -> tuple[int, ...]:
        """The cuts on the frames of another rate (the captions' own).

        >>> Shots(Fraction(25), (25, 50)).at(50)
        (50, 100)
        """
        rate = exact_rate(fps)
        return tuple(sorted({round(Fraction(cut) / self.fps * rate) for cut in self.cuts}))


def detect(media: str | Path) -> Shots:
    """The cuts of the media's video."""
    from .audio import run_ffmpeg

    raw, said = run_ffmpeg(media, ["-map", "0:v:0", "-an", "-vf", f"scale={WIDTH}:{HEIGHT}:flags=area,format=gray",
                                   "-f", "rawvideo"], "video")
    if re.search(r"Input #0, (image2|png_pipe|jpeg_pipe)\b", said):
        raise MediaError("not a video: ffmpeg reads this file as a still picture", str(media))
    return Shots(_frame_rate(said, Path(media)), cuts_in(raw))


def video_rate(media: str | Path) -> Fraction | None:
    """The frame rate of a media file's video, or None when it has no video (audio only, or not
    media at all: the decoder says so later, in its own words)."""
    import subprocess

    from .audio import ffmpeg_binary

    path = Path(media)
    if not path.is_file():
        return None
    done = subprocess.run([ffmpeg_binary(), "-nostdin", "-hide_banner", "-i", f"file:{path.resolve()}"],
                          capture_output=True, stdin=subprocess.DEVNULL, timeout=60)
    said = done.stderr.decode(errors="replace")
    if not _FPS.search(said) or re.search(r"Video: (png|mjpeg|bmp|gif)\b.*attached pic", said):
        return None
    return _frame_rate(said, path)


def _frame_rate(said: str, path: Path) -> Fraction:
    from .timecode import FRAME_RATES

    found = _FPS.search(said)
    if not found:
        raise MediaError("the video's frame rate cannot be read", str(path))
    value = float(found.group(1))
    nearest = min(FRAME_RATES.values(), key=lambda rate: abs(rate - value))
    return exact_rate(nearest if abs(nearest - value) < 0.01 else value)


def cuts_in(raw: bytes) -> tuple[int, ...]:
    """Frames of small grey pictures (``WIDTH`` x ``HEIGHT`` bytes each) where a new shot starts.

    >>> import numpy as np
    >>> frames = np.concatenate([np.full((10, HEIGHT * WIDTH), 20), np.full((10, HEIGHT * WIDTH), 200)])
    >>> cuts_in(frames.astype(np.uint8).tobytes())
    (10,)
    """
    import numpy as np

    size = WIDTH * HEIGHT
    frames = np.frombuffer(raw[: len(raw) - len(raw) % size], dtype=np.uint8).reshape(-1, size)
    levels = _histograms(frames)  # each frame's once: a 2-hour programme has 180,000 of them
    pixels = np.abs(np.diff(frames.astype(np.int16), axis=0)).mean(axis=1) / 255
    change = pixels + 0.5 * np.abs(np.diff(levels, axis=0)).sum(axis=1)  # [i]: from frame i to frame i + 1
    frames = frames.astype(np.float32)
    cuts = []
    for index, value in enumerate(change):
        if value < MIN_CHANGE or value < change[max(0, index - 1):index + 2].max():
            continue
        around = np.concatenate([change[max(0, index - NEIGHBOURS):index], change[index + 1:index + 1 + NEIGHBOURS]])
        if len(around) and value < CONTRAST * float(np.median(around)):
            continue
        # A cut lasts: the pictures after it, averaged, differ from those before (noise or a flash does not).
        before, after = frames[max(0, index + 1 - LASTING):index + 1], frames[index + 1:index + 1 + LASTING]
        if difference(before.mean(axis=0), after.mean(axis=0)) >= LASTING_CHANGE:
            cuts.append(index + 1)
    return tuple(cuts)


def difference(first: Any, second: Any) -> float:
    """How far apart two grey pictures are: mean pixel change (of the grey range) plus half the
    histograms' L1 distance, each 0-1."""
    import numpy as np

    levels = _histograms(np.stack([first, second]))
    return float(np.abs(first - second).mean() / 255 + 0.5 * np.abs(levels[0] - levels[1]).sum())


def _histograms(frames: Any) -> Any:
    """Each picture's share of pixels in each of ``BINS`` grey levels, all pictures in one count."""
    import numpy as np

    count, size = frames.shape
    bins = frames.astype(np.int64) * BINS // 256 + np.arange(count)[:, None] * BINS
    return np.bincount(bins.ravel(), minlength=count * BINS).reshape(count, BINS) / size


def read_list(path: str | Path, fps: float) -> Shots:
    """Cuts from a file: an EDL (CMX 3600: each event's record-in), or one per line as a frame
    number or a timecode/time (``00:01:02:12``, ``62.5``); ``#`` starts a comment."""
    from .formats import read_text
    from .timecode import parse_time

    path = Path(path)
    text = read_text(path)
    rate = exact_rate(fps)
    lines = text.splitlines()
    edl = any(line.startswith("TITLE:") or _EDL_EVENT.match(line) for line in lines[:20])
    cuts = set()
    for number, line in enumerate(lines, start=1):
        entry = line.split("#", 1)[0].strip()
        event = _EDL_EVENT.match(line) if edl else None
        if edl and not event and _EDL_NUMBER.match(line):
            raise InputError(f"a broken EDL event (number, reel, track, transition, then four timecodes): "
                             f"{line.strip()[:60]!r}", str(path), number)
        if not entry or (edl and not event):
            continue
        try:
            if event:
                cuts.add(round(Fraction(parse_time(event.group(3), fps, "record in")) * rate))
            elif entry.isdigit():
                cuts.add(int(entry))
            else:
                cuts.add(round(Fraction(parse_time(entry, fps, "shot change")) * rate))
        except Exception as err:  # one line naming the file and line, whatever was wrong with it
            raise InputError(f"not a frame, time or timecode: {entry[:40]!r} ({err})", str(path), number) from None
    if len(cuts) > 1_000_000:
        raise InputError("more than a million shot changes", str(path))
    return Shots(rate, tuple(sorted(cut for cut in cuts if cut > 0)))


def listing(shots: Shots) -> list[dict[str, Any]]:
    """Each cut as a frame, a time and a timecode, for ``captions shots``."""
    from .timecode import frame_timecode

    return [{"frame": cut, "seconds": round(float(Fraction(cut) / shots.fps), 3),
             "timecode": frame_timecode(cut, float(shots.fps))} for cut in shots.cuts]


LIST_SUFFIXES = (".txt", ".edl", ".csv", ".tsv", ".list")


def cuts_near(cuts: list[int], frame: int, window: int) -> list[int]:
    """The cuts (frames, sorted) at most ``window`` frames from ``frame``, found by bisection: timing
    and QC ask this of every cue, and a feature film has thousands of cuts.

    >>> cuts_near([0, 66, 155, 300], 60, 12)
    [66]
    """
    return cuts[bisect_left(cuts, frame - window) : bisect_right(cuts, frame + window)]


def shot_times(source: str | Path, fps: float) -> tuple[Fraction, ...]:
    """The cuts of a video (detected) or of a list or EDL (read, at ``fps``), as times in seconds."""
    found = read_list(source, fps) if Path(source).suffix.lower() in LIST_SUFFIXES else detect(source)
    return tuple(Fraction(cut) / found.fps for cut in found.cuts)
