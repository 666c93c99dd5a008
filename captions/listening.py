"""What the aligner hears of a recording, measured as its samples arrive.

An hour of audio is 230 MB of float samples; its measures are a tenth of that. So a recording is
never held whole: ffmpeg's output (or an array a caller gives) passes through :class:`Listener`,
which computes every measure a block of frames at a time and keeps only the samples the next
block needs. The measures are those the aligner and the pause finder use: MFCCs every 20 ms, the
energy of every 20 ms, the three bands of the pause levels every 10 ms, and each 20 ms frame's
sum and sum of squares (to tell a silent part). A block is the same whatever pieces the samples
came in, so a file streamed and the same samples given as an array measure alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .audio import SAMPLE_RATE, as_float, no_sound, stream
from .errors import NoSoundError
from .pauses import HOP as LEVEL_HOP
from .pauses import WINDOW as LEVEL_WINDOW
from .pauses import band_energies

HOP = 0.02  # seconds per feature frame
WINDOW = 0.025
BLOCK = 4096  # frames measured at a time: each block's temporaries stay under glibc's mmap threshold

Measure = Callable[[np.ndarray, np.ndarray], np.ndarray]


def _mel_filters(rate: int, size: int, count: int = 40, low: float = 60.0, high: float = 7600.0) -> np.ndarray:
    """The mel filter bank, made once per sample rate (every sentence's features use it)."""

    def mel(hertz: Any) -> Any:
        return 2595 * np.log10(1 + hertz / 700.0)

    points = 700 * (10 ** (np.linspace(mel(low), mel(high), count + 2) / 2595.0) - 1)
    freqs = np.fft.rfftfreq(size, 1.0 / rate)
    bank = np.zeros((count, len(freqs)))
    for k in range(count):
        left, centre, right = points[k : k + 3]
        bank[k] = np.clip(np.minimum((freqs - left) / (centre - left), (right - freqs) / (right - centre)), 0, None)
    bank.flags.writeable = False  # shared between calls
    return bank


@lru_cache(maxsize=1)
def _dither_noise() -> np.ndarray:
    """Faint noise for every block of samples, drawn once (drawing it per block was a fifth of the time)."""
    noise = 1e-5 * np.random.default_rng(0).standard_normal(BLOCK * round(HOP * 48000) + round(WINDOW * 48000) + 2)
    noise.flags.writeable = False
    return noise


def _dither(count: int) -> np.ndarray:
    noise = _dither_noise()
    return noise[:count] if count <= len(noise) else np.resize(noise, count)


def _mfcc_measure(rate: int, ceps: int = 13) -> Measure:
    """MFCCs of a block of frames: pre-emphasis, a Hamming window, 40 mel bands, a DCT."""
    window = round(WINDOW * rate)
    size = 1 << (window - 1).bit_length()
    bank = _mel_filters(rate, size).T
    k = np.arange(bank.shape[1])
    dct = np.cos(np.pi / bank.shape[1] * (k + 0.5)[None, :] * np.arange(ceps)[:, None]) * np.sqrt(2.0 / bank.shape[1])
    dct[0] /= np.sqrt(2)
    hamming = np.hamming(window)

    def measure(samples: np.ndarray, starts: np.ndarray) -> np.ndarray:
        block = as_float(samples)
        block = block + _dither(len(block))  # no log(0); never added to the caller's samples
        emphasised = np.append(block[0], block[1:] - 0.97 * block[:-1])  # pre-emphasis
        chunk = emphasised[starts[:, None] + np.arange(window)] * hamming
        power = np.abs(np.fft.rfft(chunk, size)) ** 2
        result: np.ndarray = np.log(power @ bank + 1e-10) @ dct.T
        return result

    return measure


def _sums(samples: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Each frame's sum and sum of squares (no window: frames are back to back)."""
    block = as_float(samples).reshape(len(starts), -1)
    return np.stack([block.sum(1), (block**2).sum(1)], axis=1)


class _Frames:
    """One measure of a stream of samples, a block of frames at a time as the samples come."""

    def __init__(self, hop: int, window: int, before: int, measure: Measure) -> None:
        self.hop, self.window, self.before, self.measure = hop, window, before, measure
        self.done = 0
        self.blocks: list[np.ndarray] = []

    def first_needed(self) -> int:
        """The first sample the next block reads (``before`` samples ahead of its first frame)."""
        return max(self.done * self.hop - self.before, 0)

    def take(self, buffer: np.ndarray, offset: int, frames: int | None) -> None:
        """Every block ``buffer`` (samples from ``offset`` on) holds: whole blocks while the
        stream goes on (``frames`` None), up to ``frames`` at its end."""
        while frames is None or self.done < frames:
            count = BLOCK if frames is None else min(BLOCK, frames - self.done)
            end = (self.done + count - 1) * self.hop + self.window
            if end > offset + len(buffer):
                return
            low = self.first_needed()
            starts = np.arange(self.done, self.done + count, dtype=np.int64) * self.hop - low
            self.blocks.append(self.measure(buffer[low - offset : end - offset], starts))
            self.done += count

    def result(self, width: int) -> np.ndarray:
        return np.concatenate(self.blocks) if self.blocks else np.zeros((0, width))


@dataclass
class Listening:
    """A recording's measures (or a part's), in frames from its start."""

    mfcc: np.ndarray  # 13 per HOP frame
    sums: np.ndarray  # sum and sum of squares of each HOP frame's samples
    bands: np.ndarray  # pause-level band energies (dB), 3 per LEVEL_HOP frame
    seconds: float

    def part(self, start: float, end: float) -> Listening:
        """The measures of seconds ``start``-``end``, from the HOP frame ``start`` falls in."""
        first, last = int(start / HOP + 1e-9), min(int(end / HOP + 1e-9), len(self.mfcc))
        ratio = round(HOP / LEVEL_HOP)
        return Listening(self.mfcc[first:last], self.sums[first:last], self.bands[:, first * ratio : last * ratio],
                         (last - first) * HOP)

    def silent(self) -> bool:
        """No sound at all: a constant offset (DC) is no sound either."""
        total, squares = self.sums.sum(0) if len(self.sums) else (0.0, 0.0)
        return no_sound(len(self.sums) * round(HOP * SAMPLE_RATE), float(total), float(squares))

    def energy(self) -> np.ndarray:
        """Each HOP frame's mean power in dB."""
        level: np.ndarray = 10 * np.log10(self.sums[:, 1] / round(HOP * SAMPLE_RATE) + 1e-12)
        return level


class Listener:
    """Samples in, :class:`Listening` out: fed pieces of any size, holding at most a block's samples."""

    def __init__(self, rate: int = SAMPLE_RATE, voices: bool = True) -> None:
        hop = round(HOP * rate)
        self.rate, self.hop = rate, hop
        self.frames = [_Frames(hop, round(WINDOW * rate), 1, _mfcc_measure(rate) if voices else _nothing),
                       _Frames(hop, hop, 0, _sums),
                       _Frames(round(LEVEL_HOP * rate), round(LEVEL_WINDOW * rate), 0, band_energies(rate))]
        self.buffer = np.zeros(0, np.float32)
        self.offset = 0  # the sample buffer[0] is
        self.total = 0

    def feed(self, samples: np.ndarray) -> None:
        self.buffer = np.concatenate([self.buffer, samples.astype(np.float32, copy=False)])
        self.total += len(samples)
        for frames in self.frames:
            frames.take(self.buffer, self.offset, None)
        keep = min(frames.first_needed() for frames in self.frames)
        self.buffer, self.offset = self.buffer[keep - self.offset :], keep

    def finish(self) -> Listening:
        count = 1 + max(0, (self.total - self.frames[0].window) // self.hop)  # MFCC frames
        heard = min(self.total, count * self.hop)  # the pause levels hear what the MFCCs cover
        levels = max(1, 1 + (heard - self.frames[2].window) // self.frames[2].hop)
        for frames, wanted in zip(self.frames, (count, min(count, self.total // self.hop), levels)):
            frames.take(self.buffer, self.offset, wanted)
        sums = self.frames[1].result(2)
        sums = np.vstack([sums, np.zeros((count - len(sums), 2))])  # a last frame shorter than a hop: quiet
        return Listening(self.frames[0].result(13), sums, self.frames[2].result(3).T, self.total / self.rate)


def _nothing(samples: np.ndarray, starts: np.ndarray) -> np.ndarray:
    return np.zeros((len(starts), 0))


def listen(source: np.ndarray | str | Path, voices: bool = True) -> Listening:
    """The measures of samples given, or of a media file streamed through ffmpeg (NaN or
    infinity, under 0.1 s of audio, or silence refused); ``voices`` False: no MFCCs (a half of
    the time), for a caller that needs only the pause levels."""
    listener = Listener(voices=voices)
    if isinstance(source, np.ndarray):
        for first in range(0, len(source), 1 << 18):
            listener.feed(as_float(source[first : first + (1 << 18)]).astype(np.float32))
        return listener.finish()
    stream(source, listener.feed)
    listening = listener.finish()
    if listening.silent():
        raise NoSoundError("media is silent", str(source))
    return listening


def mfcc(samples: np.ndarray, rate: int) -> np.ndarray:
    """MFCCs of a short array (a synthetic sentence) at HOP spacing."""
    frames = _Frames(round(HOP * rate), round(WINDOW * rate), 1, _mfcc_measure(rate))
    frames.take(samples, 0, 1 + max(0, (len(samples) - frames.window) // frames.hop))
    return frames.result(13)
