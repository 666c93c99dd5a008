"""Test recordings with known sentence boundaries, made here (adapted from
shared/reference/align_test_audio.py, in numpy instead of sox).

Each sentence is spoken by espeak-ng with another voice and speed than the aligner uses
(en-us at 150 wpm), sentences are joined by random 0.3-2.0 s pauses, and the truth is every
sentence's speech start and end. Variants: pink noise at a given SNR, a music-like intro, a
transcript sentence never spoken, and a spoken sentence the transcript lacks.
"""

from __future__ import annotations

import random
import wave
from pathlib import Path

import numpy as np

from captions.speech import session

RATE = 16000
SENTENCES = [
    "Japan and US agree to strengthen cooperation in defense and security.",
    "Japanese Prime Minister Kishida Fumio held summit talks with President Joe Biden on April 10, "
    "and the two leaders agreed on closer cooperation in defense and security.",
    "I would like this meeting to be a valuable opportunity to show the world what kind of future Japan "
    "and the United States are trying to build.",
    "Today I look forward to discussing how we can deepen it more, including increasing defense, technology, "
    "and cooperation across-the-board.",
    "After the meeting, the two leaders issued a joint statement titled Global Partners for the Future.",
    "In the space sector, they agreed on a policy to land two Japanese astronauts on the lunar surface.",
]
EXTRA = "And now, a short message about the weather on the coast this weekend."


def speak(text: str, voice: str = "en-us", speed: int = 150) -> np.ndarray:
    """A sentence as espeak-ng says it from a fresh start: the same whatever the tests spoke before."""
    with session() as say:
        spoken, rate = say(text, voice, speed)
    samples = spoken.astype(np.float64) / 32768
    resampled = np.interp(np.arange(0, len(samples) * RATE / rate) * rate / RATE, np.arange(len(samples)), samples)
    loud = np.flatnonzero(np.abs(resampled) > 10 ** (-50 / 20))
    return resampled[loud[0] : loud[-1] + 1]


def pink_noise(count: int, rng: np.random.Generator) -> np.ndarray:
    spectrum = np.fft.rfft(rng.standard_normal(count))
    spectrum /= np.sqrt(np.maximum(np.arange(len(spectrum)), 1))
    noise = np.fft.irfft(spectrum, count)
    return noise / np.sqrt(np.mean(noise**2))


def music(seconds: float) -> np.ndarray:
    """A music-like bed: chords of a few partials with a rhythmic envelope."""
    t = np.arange(int(seconds * RATE)) / RATE
    chords = [(220.0, 277.2, 329.6), (196.0, 246.9, 293.7), (174.6, 220.0, 261.6)]
    signal = np.zeros_like(t)
    for index, chord in enumerate(chords):
        part = (t // 2.0).astype(int) % len(chords) == index
        for frequency in chord:
            signal[part] += np.sin(2 * np.pi * frequency * t[part]) + 0.3 * np.sin(4 * np.pi * frequency * t[part])
    return 0.08 * signal * (0.6 + 0.4 * np.abs(np.sin(np.pi * t * 2)))


def make(path: Path, repeats: int = 1, seed: int = 1, snr_db: float | None = None, intro: float = 0.0,
         missing: int | None = None, extra_after: int | None = None, sentences: list[str] = SENTENCES,
         voice: str = "en-us", speed: int = 150) -> tuple[list[str], list[tuple[float, float]]]:
    """Write a 16 kHz WAV; returns the transcript's sentences and the true (start, end) of each.

    ``missing``: index of a transcript sentence left out of the audio (its truth is None).
    ``extra_after``: index of a sentence after which an untranscribed sentence is spoken.
    """
    rng = random.Random(seed)
    texts = sentences * repeats
    voices: dict[str, np.ndarray] = {}
    pieces = [music(intro)] if intro else []
    at = len(pieces[0]) if pieces else 0
    truth: list[tuple[float, float] | None] = []
    for index, text in enumerate(texts):
        pause = np.zeros(int(rng.uniform(0.3, 2.0) * RATE))
        pieces.append(pause)
        at += len(pause)
        if index == missing:
            truth.append(None)
            continue
        speech = voices.setdefault(text, speak(text, voice, speed))
        truth.append((at / RATE, (at + len(speech)) / RATE))
        pieces.append(speech)
        at += len(speech)
        if index == extra_after:
            filler = np.concatenate([np.zeros(int(0.8 * RATE)), speak(EXTRA, voice, speed)])
            pieces.append(filler)
            at += len(filler)
    pieces.append(np.zeros(RATE // 2))
    signal = np.concatenate(pieces)
    if snr_db is not None:
        speech_rms = np.sqrt(np.mean(np.concatenate([voices[t] for t in set(voices)]) ** 2))
        signal = signal + pink_noise(len(signal), np.random.default_rng(seed)) * speech_rms / 10 ** (snr_db / 20)
    write_wav(path, signal / max(1.0, np.abs(signal).max()))
    return texts, truth


def write_wav(path: Path, signal: np.ndarray) -> None:
    """16-bit mono WAV at RATE; samples beyond full scale are clipped."""
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(RATE)
        writer.writeframes((np.clip(signal, -1, 1) * 32767).astype(np.int16).tobytes())
