"""Benchmark: syncing a caption file to a new cut of the media by listening, beside ffsubsync.

Run: python bench/sync.py [--minutes 10] [--lang en] [--work ../programmes] [--ffsubsync PYTHON]

A programme of real recordings is built once by ``shared/realspeech-dev/programme.py`` (see
bench/programme.py). Its reference sentences become caption cues (a sentence over 6 s cut into
equal parts, as a subtitler would), and their words are replaced by other words, so that only the
sound can be used. Three cases, each one caption file and one media file:

- offset: every cue 2.5 s late;
- frame rate: cues timed for 25 fps on a master that plays at 23.976, and 1.3 s early;
- cut: the captions as they were, the media with 40 s removed at 4:00.

Scored on each cue's start: the share within 100 ms of the truth among the cues the media still
has, and how many of the cut part's cues were left out (ffsubsync keeps every cue). Time and peak
memory are each tool's own process, measured in the same run. ffsubsync (``--ffsubsync``: the
Python of a venv that has it: ``python -m venv ../ffs && ../ffs/bin/pip install ffsubsync``) runs with
its defaults (webrtcvad, frame-rate correction on). ``--compare-speech`` also runs our sync with
webrtcvad's speech in place of ours (``pip install webrtcvad-wheels`` in this Python first).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np
import srt

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from programme import built  # noqa: E402

CUT_AT, CUT = 240.0, 40.0
SHIFT = 2.5
SLOWER, LATE = 25 / (24000 / 1001), 1.3  # 25 fps captions on a 23.976 master, and 1.3 s off
LONGEST = 6.0
WORDS = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore "
         "et dolore magna aliqua").split()


def cues(manifest: Path) -> list[tuple[float, float]]:
    """The reference sentences as cues: over LONGEST seconds cut into equal parts."""
    found = []
    for unit in json.loads(manifest.read_text())["items"][0]["units"]:
        start, end = unit["start"], unit["end"]
        parts = max(1, int(np.ceil((end - start) / LONGEST)))
        for part in range(parts):
            found.append((start + (end - start) * part / parts,
                          start + (end - start) * (part + 1) / parts - (0.08 if part + 1 < parts else 0.0)))
    return found


def text(index: int) -> str:
    """Other words than were spoken, each cue's own (so that a tool's output is matched cue by cue)."""
    return f"{index + 1} " + " ".join(WORDS[(index * 3 + k) % len(WORDS)] for k in range(6))


def write_srt(path: Path, times: list[tuple[float, float]]) -> None:
    from datetime import timedelta

    path.write_text(srt.compose([srt.Subtitle(index + 1, timedelta(seconds=start), timedelta(seconds=end), text(index))
                                 for index, (start, end) in enumerate(times)]))


def cut_media(source: Path, target: Path) -> None:
    with wave.open(str(source)) as read:
        params, rate = read.getparams(), read.getframerate()
        samples = read.readframes(read.getnframes())
    width = params.sampwidth
    first, last = int(CUT_AT * rate) * width, int((CUT_AT + CUT) * rate) * width
    with wave.open(str(target), "wb") as out:
        out.setparams(params)
        out.writeframes(samples[:first] + samples[last:])


def cases(programme: Path, folder: Path) -> list[tuple[str, Path, Path, list[float | None]]]:
    """(name, captions, media, each cue's true start in that media or None where it was cut)."""
    folder.mkdir(parents=True, exist_ok=True)
    truth = cues(programme / "manifest.json")
    media = programme / "programme.wav"
    starts: list[float | None] = [start for start, _ in truth]
    made = []
    write_srt(folder / "offset.srt", [(start + SHIFT, end + SHIFT) for start, end in truth])
    made.append(("offset +2.5 s", folder / "offset.srt", media, starts))
    write_srt(folder / "rate.srt", [((start - LATE) / SLOWER, (end - LATE) / SLOWER) for start, end in truth])
    made.append(("25 fps on 23.976, -1.3 s", folder / "rate.srt", media, starts))
    write_srt(folder / "cut.srt", truth)
    cut = folder / "cut.wav"
    if not cut.exists():
        cut_media(media, cut)
    after = [None if end > CUT_AT and start < CUT_AT + CUT else start if start < CUT_AT else start - CUT
             for start, end in truth]
    made.append(("40 s cut at 4:00", folder / "cut.srt", cut, after))
    return made


def scored(output: Path, truth: list[float | None], report: str = "") -> dict[str, float]:
    """Share of the cues the media has whose start is within 100 ms; how many cut cues were left out,
    or marked (a ``sync-cut`` issue in captions' ``--json`` report)."""
    found, order = {}, []
    if output.exists():
        for cue in srt.parse(output.read_text()):
            found[int(cue.content.split()[0]) - 1] = cue.start.total_seconds()
            order.append(int(cue.content.split()[0]) - 1)
    marked = {order[issue["cue"] - 1] for entry in (json.loads(report) if report else [])
              for issue in entry.get("issues", []) if issue["rule"] == "sync-cut"}
    kept = [index for index, start in enumerate(truth) if start is not None]
    within = sum(1 for index in kept if index in found and abs(found[index] - truth[index]) <= 0.1)  # type: ignore[operator]
    cut = [index for index, start in enumerate(truth) if start is None]
    return {"within_100ms": round(100 * within / len(kept), 1), "cut_cues": len(cut),
            "cut_left_out": sum(1 for index in cut if index not in found or index in marked)}


def measured(command: list[str]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds, peak memory (MB) and standard output of one run of a command."""
    begun = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - begun
        out.seek(0)
        err.seek(0)
        if os.waitstatus_to_exitcode(status) != 0:
            print(f"  {command[0]} {' '.join(command[1:4])}... failed: {err.read().decode()[-300:]}")
        return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.read().decode()


def speech_sources(compare: bool) -> dict[str, object]:
    """How the media's speech is heard: ours (the aligner's pause levels); with ``compare``,
    webrtcvad (ffsubsync's detector: ``pip install webrtcvad-wheels``) at its four modes, each put in
    place of ours with the rest of sync unchanged."""
    from captions.listening import listen
    from captions.sync import speech_activity

    sources: dict[str, object] = {"pause levels (captions)": lambda path: speech_activity(listen(path).bands)}
    if compare:
        import webrtcvad

        def heard(path: str, mode: int) -> np.ndarray:
            detector = webrtcvad.Vad(mode)
            with wave.open(path) as read:
                data = read.readframes(read.getnframes())
            return np.array([detector.is_speech(data[at : at + 320], 16000) for at in range(0, len(data) - 319, 320)])

        for mode in range(4):
            sources[f"webrtcvad mode {mode}"] = lambda path, mode=mode: heard(path, mode)
    return sources


def compare_speech(programme: Path, made: list[tuple[str, Path, Path, list[float | None]]]) -> None:
    """Each way of hearing speech through the same sync, on the same cases, and on captions for
    other media (another programme: the Spanish one), which must be refused."""
    from captions.sync import find_transform

    other = built(10, programme.parent, "es") / "programme.wav"
    print("\n| speech heard by | " + " | ".join(name for name, *_ in made) + " | other media refused |")
    print("|---" * (len(made) + 2) + "|")
    for label, hear in speech_sources(True).items():
        cells = []
        for _, captions, media, truth in made:
            cues = [(cue.start.total_seconds(), cue.end.total_seconds()) for cue in srt.parse(captions.read_text())]
            found = find_transform(hear(str(media)), cues)  # type: ignore[operator]
            offsets = found.offsets(len(cues))
            kept = [index for index, start in enumerate(truth) if start is not None]
            within = sum(1 for index in kept if offsets[index] is not None and
                         abs(float(found.ratio) * cues[index][0] + offsets[index] - truth[index]) <= 0.1)  # type: ignore[operator]
            cells.append(f"{100 * within / len(kept):.1f}% (peak {found.peak:.1f} sd)")
        cues = [(cue.start.total_seconds(), cue.end.total_seconds()) for cue in srt.parse(made[0][1].read_text())]
        wrong = find_transform(hear(str(other)), cues)  # type: ignore[operator]
        cells.append(f"{'yes' if not wrong.sure() else 'NO'} (peak {wrong.peak:.1f} sd)")
        print(f"| {label} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--lang", default="en", help="the programme's language (programme.py --lang)")
    parser.add_argument("--work", default=str(HERE.parent.parent / "programmes"))
    parser.add_argument("--ffsubsync", help="the Python of a venv with ffsubsync")
    parser.add_argument("--compare-speech", action="store_true", help="also put webrtcvad in place of our speech "
                        "detection (needs webrtcvad-wheels in this Python)")
    args = parser.parse_args()
    work = Path(args.work)
    programme = built(args.minutes, work, args.lang)
    folder = work / (f"sync-{args.minutes}" if args.lang == "en" else f"sync-{args.lang}-{args.minutes}")
    rows = []
    made = cases(programme, folder)
    if args.compare_speech:
        compare_speech(programme, made)
    for name, captions, media, truth in made:
        ours = folder / f"{captions.stem}.ours.srt"
        wall, cpu, peak, report = measured([str(Path(sys.executable).parent / "captions"), "sync", str(captions), "--to", str(media),
                                    "--out", str(folder), "--json"])
        (folder / f"{captions.stem}.synced.srt").replace(ours) if (folder / f"{captions.stem}.synced.srt").exists() \
            else ours.unlink(missing_ok=True)
        rows.append((name, "captions sync", scored(ours, truth, report), wall, cpu, peak))
        if args.ffsubsync:
            theirs = folder / f"{captions.stem}.ffsubsync.srt"
            wall, cpu, peak, _ = measured([args.ffsubsync, "-m", "ffsubsync.ffsubsync", str(media), "-i", str(captions),
                                        "-o", str(theirs)])
            rows.append((name, "ffsubsync", scored(theirs, truth), wall, cpu, peak))
    print(f"\n{args.minutes}-minute programme of real recordings ({programme})\n")
    print("| case | tool | cue starts within 100 ms | cut cues left out or marked | time | CPU | peak memory |")
    print("|---|---|---|---|---|---|---|")
    for name, tool, score, wall, cpu, peak in rows:
        left = f"{score['cut_left_out']} of {score['cut_cues']}" if score["cut_cues"] else "-"
        print(f"| {name} | {tool} | {score['within_100ms']}% | {left} | {wall:.1f} s | {cpu:.1f} s | {peak:.0f} MB |")


if __name__ == "__main__":
    main()
