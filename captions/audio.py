"""Media in: any file ffmpeg reads, decoded to 16 kHz mono float samples.

Uses a system ffmpeg where there is one, or else the static ffmpeg that the ``imageio-ffmpeg``
wheel carries (a pip-only install). The media path reaches ffmpeg as ``file:/absolute/path`` (a
name starting with ``-`` is never an option) and ffmpeg's stdin is closed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np

from .errors import EngineError, MediaError, NoSoundError

SAMPLE_RATE = 16000
SILENCE_RMS = 1e-4  # below this the whole file is silence


TEXT_INPUT = re.compile(r"Input #0, (tty|txt|srt|webvtt|ass|subviewer|microdvd|sami|lrc)\b")


def ffmpeg_binary() -> str:
    """The ffmpeg to decode with: the system's first, else imageio-ffmpeg's bundled binary."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError):
        raise EngineError("ffmpeg is not installed (pip install imageio-ffmpeg, or a system ffmpeg)") from None


def ffmpeg_version() -> str:
    """The first line ``ffmpeg -version`` prints, for ``captions doctor``."""
    done = subprocess.run([ffmpeg_binary(), "-version"], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=30)
    return (done.stdout.splitlines() or ["unknown version"])[0]


def run_ffmpeg(path: str | Path, output: list[str], stream: str) -> tuple[bytes, str]:
    """A media file decoded by ffmpeg to stdout with ``output``'s options: its bytes and ffmpeg's
    messages. A missing or irregular file, no ``stream`` (audio or video) or a decoding failure is
    a :class:`MediaError` naming the file."""
    path = Path(path)
    if not path.exists():
        raise MediaError("no such media file", str(path))
    if not path.is_file():
        raise MediaError("not a regular file (a folder, pipe or device cannot be decoded)", str(path))
    command = [ffmpeg_binary(), "-nostdin", "-hide_banner", "-i", f"file:{path.resolve()}", *output, "-"]
    done = subprocess.run(command, capture_output=True, stdin=subprocess.DEVNULL)
    said = done.stderr.decode(errors="replace")
    if TEXT_INPUT.search(said):  # ffmpeg "plays" a text file as a picture of its characters
        raise MediaError("not media: ffmpeg reads this file as text (give the programme's video or audio)", str(path))
    if done.returncode != 0:
        if "does not contain any stream" in said or "matches no streams" in said:
            raise (NoSoundError if stream == "audio" else MediaError)(f"media has no {stream} stream", str(path))
        reason = (said.strip().splitlines() or ["unknown error"])[-1]
        raise MediaError(f"cannot decode media: {reason}", str(path))
    return done.stdout, said


def decode(path: str | Path) -> np.ndarray:
    """Samples of the media's first audio stream at 16 kHz mono, as float32 numpy."""
    raw, _ = run_ffmpeg(path, ["-vn", "-ac", "1", "-ar", str(SAMPLE_RATE), "-f", "f32le"], "audio")
    samples = np.frombuffer(raw, dtype=np.float32)
    if len(samples) < SAMPLE_RATE // 10:
        raise NoSoundError("media has no audio (or less than 0.1 s)", str(path))
    if not np.isfinite(samples).all():
        raise MediaError("media holds samples that are not numbers (NaN or infinity)", str(path))
    if silent(samples):
        raise NoSoundError("media is silent", str(path))
    return samples


def silent(samples: np.ndarray) -> bool:
    """Whether the samples (a whole file, or the part of it a user gave) hold no sound at all: a
    constant offset (DC) is no sound either.

    >>> tone = np.sin(np.arange(1600) / 3).astype(np.float32) * 0.01
    >>> silent(np.zeros(1600, np.float32)), silent(np.full(1600, 0.25, np.float32)), silent(tone)
    (True, True, False)
    """
    wide = samples.astype(np.float64)
    return float(np.sqrt(np.mean((wide - wide.mean()) ** 2))) < SILENCE_RMS
