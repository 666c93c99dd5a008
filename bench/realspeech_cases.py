"""Benchmark: the aligner on real recordings that do not simply match their transcript.

Run: python bench/realspeech_cases.py [--dev ../shared/realspeech-dev]. Each case is made from the
development set's real recordings and reference boundaries (4 languages): a transcript of part of a
recording, lines the recording lacks, speech the transcript lacks, pink noise at 15, 12 and 10 dB
SNR (three noise draws each), and transcripts of other speech that must be refused. Each case is aligned in a fresh process (as a
user's run is). Per case: accepted or refused as it should be, the share of reference edges within
100 ms, edges over 1 s off, and of those the ones not reported low-confidence ("unflagged"). A
matching transcript that is refused is aligned again as ``--trust-audio`` aligns it.
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from recordings import pink_noise

from captions.align import align_texts
from captions.audio import SAMPLE_RATE, decode
from captions.errors import MediaError

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "realspeech-dev"
LJ = "en_lj_printing"
EVERYTHING = slice(None)


def noisy(samples: np.ndarray, snr_db: float, seed: int = 0) -> np.ndarray:
    """The recording with pink noise ``snr_db`` below its speech (samples louder than -40 dBFS)."""
    speech = samples[np.abs(samples) > 0.01]
    level = float(np.sqrt(np.mean(speech**2))) if len(speech) else float(np.sqrt(np.mean(samples**2)))
    noise = pink_noise(len(samples), np.random.default_rng(seed)) * level / 10 ** (snr_db / 20)
    return (samples + noise).astype(np.float32)


def cases() -> list[tuple[str, list[tuple[str, slice]], list[tuple[str, slice]], str, int, tuple[float, int] | None,
                         bool]]:
    """(name, recordings laid end to end (item, units kept), transcript (item, units), language,
    where lines of another recording are inserted into the transcript (-1: none), (SNR, noise
    seed) or None, accept?)."""
    hard: list = [
        ("whole reading (222 s)", [(LJ, EVERYTHING)], [(LJ, EVERYTHING)], "en", -1, None, True),
        ("its first half", [(LJ, EVERYTHING)], [(LJ, slice(0, 16))], "en", -1, None, True),
        ("its second half", [(LJ, EVERYTHING)], [(LJ, slice(16, 32))], "en", -1, None, True),
        ("its first 8 of 32 sentences", [(LJ, EVERYTHING)], [(LJ, slice(0, 8))], "en", -1, None, True),
        ("its middle 8", [(LJ, EVERYTHING)], [(LJ, slice(12, 20))], "en", -1, None, True),
        ("its last 8", [(LJ, EVERYTHING)], [(LJ, slice(24, 32))], "en", -1, None, True),
        ("another reading before it", [("en_austen_sense", EVERYTHING), (LJ, EVERYTHING)], [(LJ, EVERYTHING)], "en",
         -1, None, True),
        ("a 25 s reading after 222 s of another", [(LJ, EVERYTHING), ("en_austen_sense", EVERYTHING)],
         [("en_austen_sense", EVERYTHING)], "en", -1, None, True),
        ("87 s of other speech inside", [(LJ, slice(0, 16)), ("en_austen_sense", EVERYTHING),
                                         ("en_mfa_cold3", EVERYTHING), ("sv_nst_sentences", EVERYTHING),
                                         ("es_mls_persuasion", EVERYTHING), (LJ, slice(16, 32))],
         [(LJ, EVERYTHING)], "en", -1, None, True),
        ("5 lines the recording lacks", [(LJ, EVERYTHING)], [(LJ, EVERYTHING)], "en", 16, None, True),
    ]
    noisy = [(f"{item} at {snr} dB SNR, noise {seed}", [(item, EVERYTHING)], [(item, EVERYTHING)], lang, -1,
              (snr, seed), True)
             for item, lang in (("en_austen_sense", "en"), ("en_mfa_cold3", "en"), (LJ, "en"),
                                ("sv_nst_sentences", "sv"), ("es_mls_persuasion", "es"), ("ja_intro", "ja"),
                                ("ja_cv_camp", "ja"))
             for snr in (15, 12, 10) for seed in (0, 1, 2)]
    wrong = [(f"other speech: {text} on {audio}", [(audio, EVERYTHING)], [(text, EVERYTHING)], lang, -1, None, False)
             for audio, text, lang in (("en_austen_sense", "en_mfa_cold3", "en"), (LJ, "en_austen_sense", "en"),
                                       (LJ, "en_mfa_cold3", "en"), ("sv_nst_sentences", "es_mls_persuasion", "es"),
                                       ("es_mls_persuasion", "sv_nst_sentences", "sv"),
                                       ("ja_intro", "ja_cv_camp", "ja"), ("ja_cv_camp", "ja_intro", "ja"),
                                       ("es_mls_persuasion", "ja_intro", "ja"), ("ja_intro", "es_mls_persuasion", "es"))]
    wrong.append(("other speech: ja_intro on en_mfa_cold3 at 15 dB SNR", [("en_mfa_cold3", EVERYTHING)],
                  [("ja_intro", EVERYTHING)], "ja", -1, (15, 0), False))
    return hard + noisy + wrong


def build(dev: Path, items: dict, pieces: list[tuple[str, slice]], transcript: list[tuple[str, slice]],
          inserted_at: int, snr: tuple[float, int] | None) -> tuple[np.ndarray, list[str], list[dict | None]]:
    """The recording, the transcript's lines, and each line's reference (None: not in the recording)."""
    audio, references, at = [], {}, 0.0
    for item, kept in pieces:
        samples = decode(dev / items[item]["audio"])
        units = items[item]["units"]
        first, last = kept.indices(len(units))[:2]
        cut_from = 0 if first == 0 else int((units[first - 1]["end"] + units[first]["start"]) / 2 * SAMPLE_RATE)
        cut_to = len(samples) if last == len(units) else int((units[last - 1]["end"] + units[last]["start"]) / 2 * SAMPLE_RATE)
        moved = at - cut_from / SAMPLE_RATE
        for unit in units[first:last]:
            references[unit["text"]] = dict(unit, start=None if unit["start"] is None else unit["start"] + moved,
                                            end=None if unit["end"] is None else unit["end"] + moved)
        audio.append(samples[cut_from:cut_to])
        at += (cut_to - cut_from) / SAMPLE_RATE
    samples = np.concatenate(audio)
    if snr is not None:
        samples = noisy(samples, *snr)
    texts = [unit["text"] for item, kept in transcript for unit in items[item]["units"][kept]]
    if inserted_at >= 0:
        texts[inserted_at:inserted_at] = [unit["text"] for unit in items["en_austen_sense"]["units"]]
    return samples, texts, [references.get(text) for text in texts]


def aligned(samples: np.ndarray, texts: list[str], lang: str,
            trusted: bool = False) -> list[tuple[float, float, bool]] | str:
    try:
        timings, _ = align_texts(samples, texts, lang, trusted=trusted)
    except MediaError as refused:
        return str(refused)
    return [(timing.start, timing.end, timing.confident) for timing in timings]


def in_a_fresh_process(samples: np.ndarray, texts: list[str], lang: str,
                       trusted: bool) -> list[tuple[float, float, bool]] | str:
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(aligned, samples, texts, lang, trusted).result()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dev", type=Path, default=DEV)
    dev = parser.parse_args().dev
    manifest = json.loads((dev / "manifest.json").read_text(encoding="utf-8"))
    limit = manifest.get("max_scored_uncertainty", 0.15)
    items = {item["id"]: item for item in manifest["items"]}
    print("| case | expected | result | edges | <= 100 ms | > 1 s | unflagged > 1 s | doubtful sentences |")
    print("|---|---|---|---|---|---|---|---|")
    right = 0
    for name, pieces, transcript, lang, inserted_at, snr, accept in cases():
        samples, texts, references = build(dev, items, pieces, transcript, inserted_at, snr)
        spans = in_a_fresh_process(samples, texts, lang, False)
        expected = "accept" if accept else "refuse"
        result = "aligned"
        if isinstance(spans, str):
            right += not accept
            if not accept:
                print(f"| {name} | {expected} | refused | | | | | |")
                continue
            spans, result = in_a_fresh_process(samples, texts, lang, True), "refused; --trust-audio: aligned"
        else:
            right += accept
        assert not isinstance(spans, str)
        errors, unflagged = [], 0
        for (start, end, confident), unit in zip(spans, references):
            for time, reference, uncertainty in ((start, unit and unit["start"], unit and unit["uncertainty"][0]),
                                                 (end, unit and unit["end"], unit and unit["uncertainty"][1])):
                if reference is not None and uncertainty <= limit:
                    errors.append(abs(time - reference))
                    unflagged += confident and errors[-1] > 1.0
        errors_ms = np.array(errors) * 1000
        within = f"{(errors_ms <= 100).mean():.0%}" if len(errors_ms) else ""
        doubted = sum(not confident for *_, confident in spans)
        print(f"| {name} | {expected} | {result} | {len(errors_ms)} | {within} | {(errors_ms > 1000).sum()} | "
              f"{unflagged} | {doubted}/{len(spans)} |")
    print(f"\n{right} of {len(cases())} cases accepted or refused as they should be")


if __name__ == "__main__":
    main()
