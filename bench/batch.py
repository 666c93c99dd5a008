"""Benchmark: a batch of 200 generated programmes through `captions batch`: the local pool with 1
and 2 workers and a local Dask cluster with 2, then a rerun with nothing to do.

Run: python bench/batch.py [COUNT]. Each run is the command a user types, timed from the outside, all in
this one run of the benchmark so that the ratios hold on a shared machine (targets: 2 workers at
least 1.8x one on 2 cores, each worker given a core; Dask within 10% of the local pool; the no-op
rerun under 2 s). One worker given both cores is timed too: CTranslate2 spreads one worker's
translation over the cores by itself, so that run is printed as the other baseline. The
programmes are captioned into SRT and IMSC and translated into Japanese with the tests' tiny Argos
package, built offline into a scratch model folder (nothing is downloaded).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline import programme

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from tiny_argos import build_packages


def main(count: int = 200) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        environment = {**os.environ, "ARGOS_PACKAGES_DIR": str(folder / "models"), "XDG_CACHE_HOME": str(folder / "cache")}
        for package in build_packages(folder / "built", ("en-ja",)):
            subprocess.run([sys.executable, "-m", "captions.cli", "models", "install", package], env=environment,
                           check=True, capture_output=True)
        rows = ["input,to,formats,cache,out"]
        for number in range(count):
            (folder / f"p{number:03d}.txt").write_text(programme(1_500, seed=number))  # about 10 minutes each
            rows.append(f"p{number:03d}.txt,ja,\"srt,imsc\",false,out")
        (folder / "m.csv").write_text("\n".join(rows) + "\n")
        timings = {}
        one_core = {**environment, "ARGOS_INTRA_THREADS": "1"}
        for name, options, variables in [
                ("local pool, 1 worker, 1 core", ["--jobs", "1"], one_core),
                ("local pool, 1 worker, 2 cores", ["--jobs", "1"], environment),
                ("local pool, 2 workers", ["--jobs", "2"], environment),
                ("Dask local cluster, 2 workers", ["--cluster", "local:2"], environment)]:
            timings[name] = run(folder, ["--force", *options], variables)
            print(f"{name:<32} {timings[name]:6.2f} s  {count / timings[name]:6.2f} programmes/s", flush=True)
        rerun = run(folder, ["--jobs", "2"], environment)
        print(f"{'rerun, nothing changed':<32} {rerun:6.2f} s")
        one, whole, two, dask = timings.values()
        print(f"2 workers / 1 worker on 1 core: {one / two:.2f}x (target >= 1.8); 2 workers / 1 worker on both "
              f"cores: {whole / two:.2f}x; Dask / local pool: {dask / two:.2f} (target <= 1.10)")


def run(folder: Path, options: list[str], environment: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "captions.cli", "batch", str(folder / "m.csv"), "--quiet", *options],
                          capture_output=True, text=True, env=environment)
    took = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(done.stderr)
    return took


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
