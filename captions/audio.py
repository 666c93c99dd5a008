"""Media in: any file ffmpeg reads, decoded to 16 kHz mono float samples.

Uses a system ffmpeg where there is one, or else the static ffmpeg that the ``imageio-ffmpeg``
wheel carries (a pip-only install). The media path reaches ffmpeg as ``file:/absolute/path`` (a
name starting with ``-`` is never an option) and ffmpeg's stdin is closed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .errors import EngineError, MediaError, NoSoundError

SAMPLE_RATE = 16000
SILENCE_RMS = 1e-4  # below this the whole file is silence
PIECE = 1 << 20  # bytes read from ffmpeg at a time


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


def run_ffmpeg(path: str | Path, output: list[str], stream: str,
               take: Callable[[bytes], None] | None = None) -> tuple[bytes, str]:
    """A media file decoded by ffmpeg to stdout with ``output``'s options: its bytes (or, with
    ``take``, each piece handed to it as it comes, so no copy of the whole is held) and ffmpeg's
    messages. A missing or irregular file, no ``stream`` (audio or video) or a decoding failure is
    a :class:`MediaError` naming the file."""
    path = Path(path)
    if not path.exists():
        raise MediaError("no such media file", str(path))
    if not path.is_file():
        raise MediaError("not a regular file (a folder, pipe or device cannot be decoded)", str(path))
    command = [ffmpeg_binary(), "-nostdin", "-hide_banner", "-i", f"file:{path.resolve()}", *output, "-"]
    kept = bytearray()
    with tempfile.TemporaryFile() as messages:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=messages, stdin=subprocess.DEVNULL)
        assert process.stdout is not None
        try:
            while piece := process.stdout.read(PIECE):
                if take:
                    take(piece)
                else:
                    kept += piece
        finally:
            process.stdout.close()
            if process.poll() is None:
                process.kill()  # a piece refused (not numbers), or an interrupt: stop decoding
            process.wait()
        messages.seek(0)
        said = messages.read().decode(errors="replace")
    if TEXT_INPUT.search(said):  # ffmpeg "plays" a text file as a picture of its characters
        raise MediaError("not media: ffmpeg reads this file as text (give the programme's video or audio)", str(path))
    if process.returncode != 0:
        if "does not contain any stream" in said or "matches no streams" in said:
            raise (NoSoundError if stream == "audio" else MediaError)(f"media has no {stream} stream", str(path))
        reason = (said.strip().splitlines() or ["unknown error"])[-1]
        raise MediaError(f"cannot decode media: {reason}", str(path))
    return bytes(kept), said


def stream(path: str | Path, take: Callable[[np.ndarray], None]) -> int:
    """The media's first audio stream at 16 kHz mono, handed to ``take`` in float32 pieces as
    ffmpeg decodes it (samples that are not numbers refused), and how many samples there were."""
    rest, count = b"", 0

    def piece(data: bytes) -> None:
        nonlocal rest, count
        data = rest + data
        whole = len(data) // 4 * 4
        rest = data[whole:]
        samples = np.frombuffer(data[:whole], np.float32)
        if not np.isfinite(samples).all():
            raise MediaError("media holds samples that are not numbers (NaN or infinity)", str(path))
        count += len(samples)
        take(samples)

    run_ffmpeg(path, ["-vn", "-ac", "1", "-ar", str(SAMPLE_RATE), "-f", "f32le"], "audio", piece)
    if count < SAMPLE_RATE // 10:
        raise NoSoundError("media has no audio (or less than 0.1 s)", str(path))
    return count


def no_sound(count: int, total: float, squares: float) -> bool:
    """Whether samples of these sums hold no sound at all: a constant offset (DC) is none either.

    >>> no_sound(1600, 0.0, 0.0), no_sound(1600, 400.0, 100.0), no_sound(1600, 0.0, 0.08)
    (True, True, False)
    """
    mean = total / max(count, 1)
    return squares / max(count, 1) - mean**2 < SILENCE_RMS**2


def decode(path: str | Path, compact: bool = False) -> np.ndarray:
    """Samples of the media's first audio stream at 16 kHz mono, as float32, or ``compact`` as
    16-bit integers (half the memory), kept as they come: no second copy of the whole."""
    kept, sums = bytearray(), np.zeros(2)

    def keep(samples: np.ndarray) -> None:
        wide = samples.astype(np.float64)
        sums[:] += (wide.sum(), (wide**2).sum())
        kept.extend(np.round(np.clip(wide, -1.0, 32767 / 32768) * 32768).astype("<i2").tobytes() if compact
                    else samples.tobytes())

    count = stream(path, keep)
    if no_sound(count, *sums):
        raise NoSoundError("media is silent", str(path))
    return np.frombuffer(kept, "<i2" if compact else "<f4")


def as_float(block: np.ndarray) -> np.ndarray:
    """A block of samples as float64 from -1 to 1, decoded (16-bit) or given as floats.

    >>> as_float(np.array([-32768, 0, 16384], np.int16)).tolist(), as_float(np.array([0.5], np.float32)).tolist()
    ([-1.0, 0.0, 0.5], [0.5])
    """
    if block.dtype == np.int16:
        return block.astype(np.float64) / 32768
    return np.asarray(block, np.float64)
