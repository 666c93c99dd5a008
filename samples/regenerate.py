"""Regenerate the committed sample outputs: `python samples/regenerate.py`.

Each sample input is captioned with the options listed here; tests/test_samples.py fails when a
committed output differs from what the code gives today.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from captions.pipeline import Options, caption_file

HERE = Path(__file__).resolve().parent
SAMPLES = {
    "news.txt": Options(formats=("srt", "vtt", "json", "imsc", "ebu-tt-d"), report=True),
    "nhk_ja.txt": Options(lang="ja", formats=("srt", "vtt", "imsc", "ebu-tt-d"), report=True),
    "interview.json": Options(profile="bbc", speakers="label", formats=("srt", "vtt", "ebu-tt-d"), report=True),
    "report.srt": Options(formats=("srt",), report=True),
}


def generate(out_dir: Path) -> list[Path]:
    """Caption every sample input into ``out_dir``; returns the files written."""
    written = []
    for name, options in SAMPLES.items():
        written += caption_file(HERE / "inputs" / name, out_dir, options).outputs
    return written


if __name__ == "__main__":
    target = HERE / "output"
    target.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for path in generate(Path(scratch)):
            (target / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
            print(target / path.name, file=sys.stderr)
