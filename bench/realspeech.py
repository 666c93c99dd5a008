"""Benchmark: sentence boundaries on real human speech, captions against PocketSphinx, same run.

Run: python bench/realspeech.py [--dev ../shared/realspeech-dev]. Every item of the development set
(real recordings with reference speech onsets/offsets, 4 languages) is aligned by captions'
aligner (its own boundaries: one span per unit, no caption rules; each recording in a fresh process,
as `eval.py` runs it) and, for the English items, by
PocketSphinx 5 (`pip install pocketsphinx`; its en-us model ships in the wheel; words its dictionary
lacks are left out of its alignment text) in the same process. Errors are over the reference edges
whose uncertainty is at most the set's limit (150 ms).
"""

from __future__ import annotations

import argparse
import json
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import numpy as np

from captions.align import align_texts
from captions.audio import SAMPLE_RATE, as_float, decode

HERE = Path(__file__).resolve().parent


Span = tuple[float, float, bool]  # start, end, and whether the aligner is confident of it


def captions_spans(samples: np.ndarray, units: list[str], lang: str) -> list[Span | None]:
    """captions' own sentence spans, in a fresh process for each recording, as a user's run has:
    libespeak-ng's output depends slightly on what the process spoke before."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(_captions_spans, samples, units, lang).result()


def _captions_spans(samples: np.ndarray, units: list[str], lang: str) -> list[Span | None]:
    timings, _ = align_texts(samples, units, lang)
    return [(timing.start, timing.end, timing.confident) for timing in timings]


def pocketsphinx_spans(samples: np.ndarray, units: list[str], lang: str) -> list[Span | None] | None:
    """PocketSphinx forced alignment of the units' words; None where it cannot run (not English)."""
    if lang != "en":
        return None
    import re

    from pocketsphinx import Decoder

    decoder = Decoder(samprate=SAMPLE_RATE, bestpath=False, beam=1e-80, wbeam=1e-80, pbeam=1e-80)
    words, owners = [], []
    for index, unit in enumerate(units):
        for word in re.findall(r"[\w']+", unit.lower().replace("’", "'")):
            if decoder.lookup_word(word.strip("'")):
                words.append(word.strip("'"))
                owners.append(index)
    decoder.set_align_text(" ".join(words))
    decoder.start_utt()
    decoder.process_raw((np.clip(as_float(samples), -1, 1) * 32767).astype("<i2").tobytes(), full_utt=True)
    decoder.end_utt()
    found = [segment for segment in decoder.seg() or [] if not segment.word.startswith(("<", "["))]
    if len(found) != len(words):
        return [None] * len(units)
    spans: dict[int, Span] = {}
    for segment, index in zip(found, owners):
        start, end = segment.start_frame / 100, (segment.end_frame + 1) / 100
        low, high, _ = spans.get(index, (start, end, True))
        spans[index] = (min(low, start), max(high, end), True)
    return [spans.get(index) for index in range(len(units))]


def errors_ms(spans: list[Span | None], units: list[dict], limit: float) -> list[tuple[float, bool]]:
    """(|error| in ms, confident) per scored reference edge."""
    errors = []
    for span, unit in zip(spans, units):
        for side, reference, uncertainty in ((0, unit["start"], unit["uncertainty"][0]),
                                             (1, unit["end"], unit["uncertainty"][1])):
            if reference is not None and uncertainty is not None and uncertainty <= limit:
                errors.append((abs(span[side] - reference) * 1000, span[2]) if span else (float("inf"), True))
    return errors


def row(name: str, errors: list[tuple[float, bool]], seconds: float) -> str:
    values = np.array([error for error, _ in errors])
    unflagged = sum(error > 1000 and confident for error, confident in errors)
    finite = values[np.isfinite(values)]
    return (f"{name:<34} {len(values):>4} {np.median(values):>6.0f} {finite.mean():>6.0f} {finite.max():>6.0f} "
            f"{np.mean(values <= 100):>6.0%} {np.mean(values <= 250):>6.0%} {int(np.sum(values > 1000)):>4} "
            f"{unflagged:>9} {seconds:>7.1f}")


DEV = HERE.parent.parent / "shared" / "realspeech-dev"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dev", default=str(DEV))
    report(Path(parser.parse_args().dev))


def report(dev: Path) -> None:
    """Align every item of the set with captions and PocketSphinx; print per item and pooled."""
    manifest = json.loads((dev / "manifest.json").read_text(encoding="utf-8"))
    limit = manifest.get("max_scored_uncertainty", 0.15)
    pooled: dict[str, list[tuple[float, bool]]] = {"captions": [], "pocketsphinx": [], "captions, English only": []}
    seconds = dict.fromkeys(pooled, 0.0)
    print(f"{'item / aligner':<34} {'n':>4} {'med':>6} {'mean':>6} {'max':>6} {'<=100':>6} {'<=250':>6} {'>1s':>4} "
          f"{'unflagged':>9} {'sec':>7}   (errors in ms; unflagged: over 1 s and not reported low-confidence)")
    for item in manifest["items"]:
        samples = decode(dev / item["audio"])
        units = [unit["text"] for unit in item["units"]]
        for name, method in (("captions", captions_spans), ("pocketsphinx", pocketsphinx_spans)):
            started = time.perf_counter()
            spans = method(samples, units, item["lang"])
            took = time.perf_counter() - started
            if spans is None:
                continue
            errors = errors_ms(spans, item["units"], limit)
            pooled[name] += errors
            seconds[name] += took
            if name == "captions" and item["lang"] == "en":
                pooled["captions, English only"] += errors
                seconds["captions, English only"] += took
            print(row(f"{item['id']} / {name}", errors, took))
    print()
    for name, errors in pooled.items():
        print(row(f"all / {name}", errors, seconds[name]))


if __name__ == "__main__":
    main()
