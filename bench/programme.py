"""Benchmark: whole programmes. An hour and three hours of real recordings joined as a broadcast
programme joins them, aligned by captions, one cue per sentence; aeneas side by side on the hour.

Run: python bench/programme.py [--minutes 60,180] [--languages sv:10,es:10,ja:10] [--work ../programmes]
     [--aeneas PYTHON]

Each programme is built once by ``shared/realspeech-dev/programme.py`` (each segment its own gain
and noise bed, room tone or a music bed between segments, recordings recurring) into ``--work``,
outside the repository, and scored by ``programme_score.py`` from the same folder: median error,
share of sentence boundaries within 100 ms, errors over 1 s outside a reported low-confidence
stretch, the stretches reported, CPU seconds, CPU over the floor (ffmpeg decoding the audio plus
espeak-ng speaking the transcript, measured in the same run where the ``espeak-ng`` command exists)
and peak memory.

aeneas (``--aeneas``: the Python of a venv that has it) aligns the hour's units as plain text and is
scored the same way, its CPU and peak memory measured alike. It is not a dependency of captions;
its venv needs Debian's espeak-ng, libespeak-ng-dev, festival-dev and libestools-dev to build its C
extensions, and ffmpeg/ffprobe on the PATH::

    apt-get install espeak-ng libespeak-ng-dev festival-dev libestools-dev ffmpeg
    python -m venv ../aeneas-venv && ../aeneas-venv/bin/pip install numpy aeneas-ng
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEV = HERE.parent.parent / "shared" / "realspeech-dev"
COLUMNS = ("median_ms", "within_100ms", "unflagged_over_1s", "flagged_stretches", "cpu_s", "cpu_over_floor",
           "peak_mb")


def built(minutes: int, work: Path, lang: str = "en") -> Path:
    """The programme of this length and language, built once."""
    folder = work / (f"programme-{minutes}" if lang == "en" else f"programme-{lang}-{minutes}")
    if not (folder / "manifest.json").exists():
        subprocess.run([sys.executable, str(DEV / "programme.py"), str(DEV), str(folder), "--minutes", str(minutes),
                        "--lang", lang], check=True)
    return folder


def captions_scored(programme: Path, work: Path) -> dict[str, float]:
    score = work / f"{programme.name}-captions"
    captions = Path(sys.executable).with_name("captions")
    subprocess.run([sys.executable, str(DEV / "programme_score.py"), str(captions), str(programme), str(score)],
                   check=True)
    result: dict[str, float] = json.loads((score / "result.json").read_text())
    return result


def aeneas_scored(python: str, programme: Path, work: Path, floor: float) -> dict[str, float]:
    """aeneas on the same programme: its sync map read as one cue per unit, scored as captions is."""
    sys.path.insert(0, str(DEV))
    import eval as rs  # cues_to_units, srt_cues: as programme_score.py reads captions' output

    folder = work / f"{programme.name}-aeneas"
    folder.mkdir(parents=True, exist_ok=True)
    item = json.loads((programme / "manifest.json").read_text())["items"][0]
    units = [unit["text"] for unit in item["units"]]
    (folder / "units.txt").write_text("\n".join(units) + "\n", encoding="utf-8")
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.time()
    subprocess.run([python, "-m", "aeneas.tools.execute_task", str(programme / "programme.wav"), str(folder / "units.txt"),
                    "task_language=eng|is_text_type=plain|os_task_file_format=json", str(folder / "map.json")],
                   check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    fragments = json.loads((folder / "map.json").read_text())["fragments"]
    spans = [(float(fragment["begin"]), float(fragment["end"])) for fragment in fragments]
    srt = folder / "aligned.srt"
    srt.write_text("".join(f"{index}\n{_clock(start)} --> {_clock(end)}\n{text}\n\n"
                           for index, ((start, end), text) in enumerate(zip(spans, units), start=1)), encoding="utf-8")
    found, _ = rs.cues_to_units(rs.srt_cues(str(srt)), units)
    errors = []
    for (start, end), unit in zip(found, item["units"]):
        for hypothesis, reference, doubt in ((start, unit["start"], unit["uncertainty"][0]),
                                             (end, unit["end"], unit["uncertainty"][1])):
            if reference is not None and hypothesis is not None and doubt <= 0.15:
                errors.append(abs(hypothesis - reference))
    return {"median_ms": round(statistics.median(errors) * 1000, 1),
            "within_100ms": round(sum(error <= 0.1 for error in errors) / len(errors), 4),
            "unflagged_over_1s": sum(error > 1.0 for error in errors), "flagged_stretches": 0,
            "cpu_s": round(cpu, 1), "cpu_over_floor": round(cpu / floor, 1),
            "peak_mb": round(after.ru_maxrss / 1024), "wall_s": round(time.time() - started, 1)}


def _clock(seconds: float) -> str:
    millis = round(seconds * 1000)
    return f"{millis // 3_600_000:02d}:{millis // 60_000 % 60:02d}:{millis // 1000 % 60:02d},{millis % 1000:03d}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", default="60,180")
    parser.add_argument("--work", default=str(HERE.parent.parent / "programmes"))
    parser.add_argument("--languages", default="sv:10,es:10,ja:10",
                        help="shorter programmes of the other languages' recordings, LANG:MINUTES, each aligned in its own")
    parser.add_argument("--aeneas", help="the Python of a venv with aeneas-ng, to run it on the first programme")
    options = parser.parse_args()
    work = Path(options.work)
    rows = []
    for index, minutes in enumerate(int(value) for value in options.minutes.split(",")):
        programme = built(minutes, work)
        mine = captions_scored(programme, work)
        rows.append((f"{minutes} min / captions", mine))
        if options.aeneas and index == 0:
            rows.append((f"{minutes} min / aeneas", aeneas_scored(options.aeneas, programme, work, mine["floor_cpu_s"])))
    for wanted in filter(None, options.languages.split(",")):
        lang, minutes = wanted.split(":")
        rows.append((f"{minutes} min {lang} / captions", captions_scored(built(int(minutes), work, lang), work)))
    print(f"{'programme / aligner':<24}" + "".join(f"{column:>19}" for column in COLUMNS))
    for name, result in rows:
        print(f"{name:<24}" + "".join(f"{result.get(column, ''):>19}" for column in COLUMNS))


if __name__ == "__main__":
    main()
