"""Regenerate the committed sample outputs: `python samples/regenerate.py`.

Each sample input is captioned with the options listed here; tests/test_samples.py fails when a
committed output differs from what the code gives today.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from captions.pipeline import Options, caption_file

HERE = Path(__file__).resolve().parent
SAMPLES = [
    ("news.txt", Options(formats=("srt", "vtt", "json", "imsc", "ebu-tt-d"), report=True)),
    ("nhk_ja.txt", Options(lang="ja", formats=("srt", "vtt", "imsc", "ebu-tt-d"), report=True)),
    ("interview.json", Options(profile="bbc", speakers="label", formats=("srt", "vtt", "ebu-tt-d", "stl"), report=True)),
    ("report.srt", Options(formats=("srt",), report=True)),
    # The seed for US and European broadcast, each on its own so that it is cut for its format's
    # columns (SCC 32, teletext STL 37), not the other formats' 42: SCC from the 23.976 programme.
    ("news.txt", Options(formats=("scc",))),
    ("news.txt", Options(formats=("stl",))),
]


def generate(out_dir: Path) -> list[Path]:
    """Caption every sample input into ``out_dir``; returns the files written."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1776643200"  # the STL creation date, fixed: samples do not change daily
    try:
        return [path for name, options in SAMPLES
                for path in caption_file(HERE / "inputs" / name, out_dir, options).outputs]
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


if __name__ == "__main__":
    target = HERE / "output"
    target.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for path in generate(Path(scratch)):
            (target / path.name).write_bytes(path.read_bytes())
            print(target / path.name, file=sys.stderr)
