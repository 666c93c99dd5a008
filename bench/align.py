"""Benchmark: forced alignment of generated 2-, 10- and 60-minute recordings.

Run: python bench/align.py [--minutes 2,10,60]. Each recording (tests/recordings.py: espeak-ng
en-us at 150 wpm, the aligner uses en-gb at 175; random pauses) is aligned in a fresh child
process, which reports its own seconds and peak memory (VmHWM: ru_maxrss would include the
parent's at fork); the 2-minute run in the same session is
the baseline for the time and memory ratios (linear = the ratio of the durations).
Then, where the real-speech development set is present, bench/realspeech.py's table: captions
against PocketSphinx on real recordings. Targets: mean error <= 25 ms and max <= 150 ms (clean and 13 dB SNR); 10 minutes in under 10 s;
60 minutes under 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHILD = """
import json, re, sys, time
import numpy as np
from captions.align import align_texts
from captions.audio import decode
path, texts, truth = sys.argv[1], json.loads(open(sys.argv[2]).read()), json.loads(open(sys.argv[3]).read())
started = time.perf_counter()
timings, report = align_texts(decode(path), texts, "en")
seconds = time.perf_counter() - started
errors = np.array([abs(t.start - r[0]) for t, r in zip(timings, truth)] + [abs(t.end - r[1]) for t, r in zip(timings, truth)])
print(json.dumps({"seconds": seconds, "mean_ms": errors.mean() * 1000, "max_ms": errors.max() * 1000,
                  "peak_mb": int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read())[1]) / 1024, "doubtful": len(report.doubtful)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", default="2,10,60")
    parser.add_argument("--real", default=None, help="real-speech set (default: ../shared/realspeech-dev if present)")
    arguments = parser.parse_args()
    sys.path.insert(0, str(HERE.parent / "tests"))
    import recordings

    scratch = Path(tempfile.mkdtemp(prefix="captions-align-bench-"))
    rows = []
    for minutes in [int(m) for m in arguments.minutes.split(",")]:
        for label, noise in (("clean", None), ("13 dB", 13.0)):
            wav = scratch / f"{minutes}-{label.replace(' ', '')}.wav"
            texts, truth = recordings.make(wav, repeats=max(1, round(minutes * 60 / 57)), seed=minutes, snr_db=noise)
            (scratch / "texts.json").write_text(json.dumps(texts))
            (scratch / "truth.json").write_text(json.dumps(truth))
            done = subprocess.run([sys.executable, "-c", CHILD, str(wav), str(scratch / "texts.json"),
                                   str(scratch / "truth.json")], capture_output=True, text=True, check=True)
            row = json.loads(done.stdout)
            rows.append((minutes, label, row))
            wav.unlink()
            print(f"{minutes:>3} min {label:<6} mean {row['mean_ms']:5.1f} ms  max {row['max_ms']:6.1f} ms  "
                  f"{row['seconds']:6.2f} s  peak {row['peak_mb']:6.0f} MB  low-confidence {row['doubtful']}", flush=True)
    base = next(row for minutes, label, row in rows if label == "clean")
    base_minutes = rows[0][0]
    print(f"\nratios against the {base_minutes}-minute clean run (linear = duration ratio):")
    for minutes, label, row in rows:
        if label == "clean":
            print(f"{minutes:>3} min: duration x{minutes / base_minutes:.0f}, time x{row['seconds'] / base['seconds']:.1f}, "
                  f"memory x{row['peak_mb'] / base['peak_mb']:.1f}")
    sys.path.insert(0, str(HERE))
    import realspeech

    dev = Path(arguments.real) if arguments.real else realspeech.DEV
    if (dev / "manifest.json").exists():
        print("\nreal speech (bench/realspeech.py):")
        realspeech.report(dev)


if __name__ == "__main__":
    main()
