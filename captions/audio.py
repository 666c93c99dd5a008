"""Media in: any file ffmpeg reads, decoded to 16 kHz mono float samples.

Uses the system ffmpeg (Debian package) or, for a pip-only install, the static ffmpeg that the
``imageio-ffmpeg`` wheel carries.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .errors import CaptionsError

SAMPLE_RATE = 16000
SILENCE_RMS = 1e-4  # below this the whole file is silence


def ffmpeg_binary() -> str:
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        raise CaptionsError("ffmpeg is not installed (apt-get install ffmpeg, or pip install imageio-ffmpeg)") from None


def decode(path: str | Path):
    """Samples of the media's first audio stream at 16 kHz mono, as float32 numpy."""
    import numpy as np

    path = Path(path)
    if not path.is_file():
        raise CaptionsError("no such media file", str(path))
    command = [ffmpeg_binary(), "-nostdin", "-v", "error", "-i", str(path), "-vn", "-ac", "1",
               "-ar", str(SAMPLE_RATE), "-f", "f32le", "-"]
    done = subprocess.run(command, capture_output=True)
    if done.returncode != 0:
        reason = (done.stderr.decode(errors="replace").strip().splitlines() or ["unknown error"])[-1]
        raise CaptionsError(f"cannot decode media: {reason}", str(path))
    samples = np.frombuffer(done.stdout, dtype=np.float32)
    if len(samples) < SAMPLE_RATE // 10:
        raise CaptionsError("media has no audio (or less than 0.1 s)", str(path))
    if float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) < SILENCE_RMS:
        raise CaptionsError("media is silent", str(path))
    return samples
