"""Benchmark: the editor's edit as you type, on real subtitles, against checking the whole track.

Every TED talk's human English subtitles in ``bench/data/ted`` (real caption files, CC BY-NC-ND)
are joined, one talk after another, into one long track and opened in an editing session
(``captions.editor.Session``, as ``review --edit`` opens it). The bench times, in one process:

- opening (reading, and QC of the whole track, for ``GET /api/tracks``);
- one edit of a cue's lines (``PATCH``: QC again around the cue, the cue and its neighbours back);
- QC of the whole track, which is what each edit cost before it re-checked only around the cue.

Run: python bench/editor.py [--edits 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import srt

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import human_agreement as ted  # noqa: E402 - the TED reader beside this file

from captions import qc  # noqa: E402
from captions.editor import Session  # noqa: E402


def long_track(folder: Path) -> Path:
    """Every talk's human cues, one talk after another, as one SRT file."""
    subtitles, offset = [], 0.0
    for talk in sorted(path.name for path in ted.DATA.iterdir() if path.is_dir()):
        cues = ted.human_cues(talk, "en")
        for cue in cues:
            subtitles.append(srt.Subtitle(len(subtitles) + 1, srt.timedelta(seconds=offset + cue.start),
                                          srt.timedelta(seconds=offset + cue.end), "\n".join(cue.lines)))
        offset += (cues[-1].end if cues else 0.0) + 5.0
    path = folder / "talks.en.srt"
    path.write_text(srt.compose(subtitles), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = long_track(Path(folder))
        started = time.perf_counter()
        session = Session([path])
        opened = session.tracks_json()
        opening = time.perf_counter() - started
        english = session.tracks[0]
        count = len(english.ids)
        edits = []
        for edit in range(args.edits):
            index = (edit * 7919) % count
            started = time.perf_counter()
            session.patch("en", english.ids[index], {"lines": [f"An edited line, number {edit}."]})
            edits.append(time.perf_counter() - started)
        whole = []
        for _ in range(5):
            started = time.perf_counter()
            qc.check(english.track.cues, english.language)
            whole.append(time.perf_counter() - started)
        assert session.issues(english) == qc.check(english.track.cues, english.language)
    issues = sum(len(cue["issues"]) for cue in opened["tracks"][0]["cues"])
    print(f"track: {count} cues of real TED subtitles, {issues} QC issues")
    print(f"open (read + QC of the whole track): {opening * 1000:.0f} ms")
    print(f"edit of a cue's lines: median {statistics.median(edits) * 1000:.2f} ms, "
          f"slowest {max(edits) * 1000:.2f} ms over {len(edits)} edits")
    print(f"QC of the whole track (each edit's cost before): median {statistics.median(whole) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
