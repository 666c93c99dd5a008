"""Batch runs from a manifest: every bad row reported before any work, a run that goes to the end,
resume that redoes exactly what changed, and outputs byte-identical after a SIGKILL and a rerun."""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tiny_argos import build_packages

from captions.batch import render_one, write_outcome
from captions.manifest import ManifestError, read_manifest
from captions.runs import run_manifest

SCRIPT = "Evening news\nThe minister met the mayor in the town hall today.\nS/ Ann Lee, Reporter: It was a long day.\n"


def batch(manifest, *args, env=None):
    return subprocess.run([sys.executable, "-m", "captions.cli", "batch", str(manifest), *map(str, args)],
                          capture_output=True, text=True, env=env)


def programmes(folder: Path, count: int) -> list[str]:
    names = []
    for number in range(count):
        name = f"show{number:02d}.txt"
        (folder / name).write_text(SCRIPT.replace("today", f"on day {number}"))
        names.append(name)
    return names


def test_every_bad_row_is_reported_before_any_work(tmp_path):
    programmes(tmp_path, 2)
    manifest = tmp_path / "m.csv"
    manifest.write_text("input,lang,formats,speakers,out\nshow00.txt,en,srt,,out\nmissing.txt,en,srt,,out\n"
                        "show01.txt,xx,srt,,out\nshow01.txt,en,doc,,out\nshow01.txt,en,srt,loud,out\n")
    done = batch(manifest)
    assert done.returncode == 2 and not (tmp_path / "out").exists()
    lines = done.stderr.strip().split("\n")
    assert [line.split(":")[2] for line in lines] == ["3", "4", "5", "6"]  # error: FILE:LINE: ...
    assert "missing.txt" in lines[0] and "'xx'" in lines[1] and "'doc'" in lines[2] and "loud" in lines[3]


def test_jsonl_and_toml_manifests(tmp_path):
    programmes(tmp_path, 2)
    (tmp_path / "m.jsonl").write_text('{"input": "show00.txt", "formats": ["srt", "vtt"], "out": "a"}\n\n'
                                      '{"input": "show01.txt", "start": "10:00:00:00", "fps": 25}\n')
    rows = read_manifest(tmp_path / "m.jsonl")
    assert [row.line for row in rows] == [1, 3] and rows[0].plan.formats == ("srt", "vtt")
    assert rows[1].options.start == 36000.0 and rows[1].out == tmp_path
    (tmp_path / "m.toml").write_text('[[programme]]\ninput = "show00.txt"\nto = ["fr"]\n\n'
                                     '[[programme]]\ninput = "show01.txt"\ncolour = "no"\n')
    with pytest.raises(ManifestError) as caught:
        read_manifest(tmp_path / "m.toml")
    assert caught.value.lines() == [f"{tmp_path / 'm.toml'}:5: unknown column 'colour' (known: input, out, media, "
                                    "to, formats, sync, and make's options)"]
    (tmp_path / "bad.jsonl").write_text('{"input": "show00.txt"}\n[1, 2\n')
    with pytest.raises(Exception, match="not a JSON object"):
        read_manifest(tmp_path / "bad.jsonl")


def test_yes_no_columns_and_an_audio_part_read_as_make_reads_them(tmp_path):
    programmes(tmp_path, 1)
    (tmp_path / "show.wav").write_bytes(b"RIFF")  # the manifest only checks that the media is a file
    row = read_manifest_row(tmp_path, "input,report,sdh,review,media,audio_part\n"
                                      "show00.txt,false,No,1,show.wav,1:20-1:45\n")
    assert (row.plan.report, row.options.sdh, row.plan.review) == (False, False, True)  # "false" was a true string
    assert row.plan.audio_part == (80.0, 105.0)  # was a traceback: the text unpacked as characters
    (tmp_path / "bad.csv").write_text("input,report,media,audio_part\nshow00.txt,maybe,show.wav,1:00\n"
                                      "show00.txt,yes,show.wav,2:00-1:00\n")
    done = batch(tmp_path / "bad.csv")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().split("\n") == [
        f"error: {tmp_path / 'bad.csv'}:2: report 'maybe' is not yes or no (true/false, yes/no, 1/0)",
        f"error: {tmp_path / 'bad.csv'}:3: audio_part '2:00-1:00' ends before it starts"]

def test_a_run_of_forty_goes_to_the_end_and_reports_every_failure(tmp_path):
    names = programmes(tmp_path, 36)
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)  # unreadable as a transcript
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "journal.txt").write_text("Journal du soir\nLe ministre a rencontré le maire à la mairie aujourd'hui.\n")
    rows = ["input,lang,to,formats,out", *[f"{name},en,,srt,out" for name in names],
            "binary.txt,en,,srt,out", "empty.txt,en,,srt,out", "journal.txt,fr,,srt,out-fr",
            "show01.txt,en,ja,srt,out-ja"]  # no translation model is installed here: ja fails, en is written
    manifest = tmp_path / "m.csv"
    manifest.write_text("\n".join(rows) + "\n")
    done = batch(manifest, "--jobs", 2, env={**os.environ, "ARGOS_PACKAGES_DIR": str(tmp_path / "no-models")})
    assert done.returncode == 1
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [f"show{n:02d}.en.srt" for n in range(36)]
    assert (tmp_path / "out-fr" / "journal.fr.srt").is_file() and (tmp_path / "out-ja" / "show01.en.srt").is_file()
    report = json.loads((tmp_path / "run-report.json").read_text())
    failed = {entry["line"]: entry["error"] for entry in report["programmes"] if entry["status"] == "failed"}
    assert sorted(failed) == [38, 39, 41] and "ja" in failed[41]
    assert report["totals"]["done"] == 37 and report["totals"]["failed"] == 3
    for line in (38, 39, 41):
        assert f"(manifest line {line})" in done.stderr


def test_a_rerun_redoes_exactly_what_changed(tmp_path):
    names = programmes(tmp_path, 4)
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("fr\tminister\tministre\n")
    manifest = tmp_path / "m.csv"
    manifest.write_text("input,formats,glossary,out\n" + "".join(
        f"{name},srt,{'terms.tsv' if number == 3 else ''},out\n" for number, name in enumerate(names)))
    state = tmp_path / "state.sqlite"

    def run(**options):
        report = run_manifest(read_manifest(manifest), state, **options)
        return {Path(entry.source).name: entry.status for entry in report.entries}

    assert set(run().values()) == {"done"}
    assert set(run().values()) == {"skipped"}
    (tmp_path / "show01.txt").write_text(SCRIPT + "A new line.\n")
    glossary.write_text("fr\tminister\tle ministre\n")
    (tmp_path / "out" / "show02.en.srt").write_text("edited by hand\n")
    # show03 is not translated: its glossary's French terms change none of its outputs
    assert run() == {"show00.txt": "skipped", "show01.txt": "done", "show02.txt": "done", "show03.txt": "skipped"}
    manifest.write_text(manifest.read_text().replace("show00.txt,srt", "show00.txt,vtt"))
    assert run()["show00.txt"] == "done" and (tmp_path / "out" / "show00.en.vtt").is_file()
    assert set(run(force=True).values()) == {"done"}
    (tmp_path / "show01.txt").write_bytes(b"\x00\xff" * 50)
    assert run()["show01.txt"] == "failed"
    assert run()["show01.txt"] == "failed-before"  # unchanged and failed: not retried unless asked
    assert run(retry_failed=True)["show01.txt"] == "failed"


def test_a_change_redoes_exactly_the_languages_it_touches(tmp_path):
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(tmp_path / "models"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for package in build_packages(tmp_path / "built", ("en-ja", "en-fr")):
        subprocess.run([sys.executable, "-m", "captions.cli", "models", "install", package], env=env, check=True,
                       capture_output=True)
    programmes(tmp_path, 2)
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("ja\tmayor\t市長\nfr\tmayor\tmaire\n")
    (tmp_path / "m.csv").write_text("input,to,glossary,out\nshow00.txt,\"ja,fr\",terms.tsv,out\n"
                                    "show01.txt,\"ja,fr\",terms.tsv,out\n")

    def made() -> dict[str, list[str]]:
        done = batch(tmp_path / "m.csv", "--quiet", env=env)
        assert done.returncode == 0, done.stderr
        report = json.loads((tmp_path / "run-report.json").read_text())
        # A skipped programme's languages are carried forward from the run that made them: not made now.
        return {Path(entry["source"]).stem: [language["lang"] for language in entry["languages"]]
                if entry["status"] == "done" else [] for entry in report["programmes"]}

    assert made() == {"show00": ["en", "ja", "fr"], "show01": ["en", "ja", "fr"]}
    first = {path.name: path.stat().st_mtime_ns for path in (tmp_path / "out").iterdir()}
    assert made() == {"show00": [], "show01": []}
    glossary.write_text("ja\tmayor\t市長\nfr\tmayor\tmonsieur le maire\n")
    assert made() == {"show00": ["fr"], "show01": ["fr"]}
    (tmp_path / "out" / "show01.ja.srt").write_text("edited by hand\n")
    assert made() == {"show00": [], "show01": ["ja"]}
    (tmp_path / "show00.txt").write_text(SCRIPT + "A new line.\n")
    assert made() == {"show00": ["en", "ja", "fr"], "show01": []}
    now = {path.name: path.stat().st_mtime_ns for path in (tmp_path / "out").iterdir()}
    assert now["show01.en.srt"] == first["show01.en.srt"]  # never rewritten
    assert "monsieur le maire" in " ".join((tmp_path / "out" / "show01.fr.srt").read_text().split())


def test_killed_at_random_moments_the_rerun_gives_the_uninterrupted_outputs(tmp_path):
    names = programmes(tmp_path, 24)
    (tmp_path / "m.csv").write_text("input,formats,out\n" + "".join(f"{name},\"srt,imsc\",out\n" for name in names))
    (tmp_path / "ref.csv").write_text("input,formats,out\n" + "".join(f"{name},\"srt,imsc\",ref\n" for name in names))
    assert batch(tmp_path / "ref.csv", "--state", tmp_path / "ref" / "state.sqlite").returncode == 0
    rng = random.Random(7)
    for _ in range(3):
        running = subprocess.Popen([sys.executable, "-m", "captions.cli", "batch", str(tmp_path / "m.csv"), "--jobs", "2",
                                    "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(0.3, 1.5))
        os.killpg(running.pid, signal.SIGKILL)
        running.wait()
        leftovers = [path.name for path in (tmp_path / "out").glob(".captions-*")] if (tmp_path / "out").exists() else []
        assert not [name for name in leftovers if not name.endswith(".tmp")]
    assert batch(tmp_path / "m.csv").returncode == 0
    outputs = sorted(path.name for path in (tmp_path / "out").iterdir() if not path.name.startswith("."))
    assert outputs == sorted(path.name for path in (tmp_path / "ref").iterdir() if path.suffix != ".sqlite"
                             and not path.name.startswith(".") and path.name != "run-report.json")
    for name in outputs:
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "ref" / name).read_bytes(), name
    db = sqlite3.connect(tmp_path / ".captions-state.sqlite")
    assert db.execute("SELECT COUNT(*), COUNT(DISTINCT source) FROM languages WHERE status = 'done'").fetchone() == (24, 24)


def test_a_worker_sends_the_outputs_back_and_writes_nothing(tmp_path):
    programmes(tmp_path, 1)
    row = read_manifest_row(tmp_path, "input,to,formats,out\nshow00.txt,,\"srt,imsc\",far/away\n")
    outcome = render_one(row.source, str(row.out), row.plan, ("en",))
    assert not (tmp_path / "far").exists()  # a worker on another machine needs no shared disk
    assert sorted(path.name for path in outcome.outputs) == ["show00.en.imsc.ttml", "show00.en.srt"]
    assert outcome.outputs[row.out / "show00.en.srt"].startswith(b"1\n00:00:00,000 --> ")
    assert write_outcome(outcome).outputs == {} and (row.out / "show00.en.srt").is_file()


def read_manifest_row(folder: Path, text: str):
    (folder / "m.csv").write_text(text)
    return read_manifest(folder / "m.csv")[0]


def test_a_review_page_deleted_by_hand_is_made_again(tmp_path):
    programmes(tmp_path, 1)
    (tmp_path / "m.csv").write_text("input,formats,review,out\nshow00.txt,srt,true,out\n")
    assert batch(tmp_path / "m.csv", "--quiet").returncode == 0
    page = tmp_path / "out" / "show00.review.html"
    assert page.is_file()
    assert "1 skipped" in batch(tmp_path / "m.csv").stdout
    page.unlink()
    assert "1 done" in batch(tmp_path / "m.csv").stdout and page.is_file()


def test_verbose_lines_give_each_programmes_stages_and_qc(tmp_path):
    programmes(tmp_path, 2)
    (tmp_path / "m.csv").write_text("input,out\nshow00.txt,out\nshow01.txt,out\n")
    done = batch(tmp_path / "m.csv", "-v")
    assert done.returncode == 0
    assert done.stdout.count("  stages: read ") == 2 and done.stdout.count(", caption ") == 2
    assert done.stdout.count("  en: ") == 2 and "cues, QC" in done.stdout
    quiet = batch(tmp_path / "m.csv", "--force")
    assert "stages:" not in quiet.stdout and quiet.stdout.count("done: ") == 2


def test_the_batch_bar_is_weighted_by_each_programmes_length_and_work(tmp_path):
    """A 16-minute programme aligned to its media weighs far more than a short text-only one, so the
    ETA does not say a second while it aligns; a skipped programme leaves the total, never speeds it."""
    from captions.progress import Progress, stop
    from captions.runs import work

    (tmp_path / "long.txt").write_text(SCRIPT * 60)
    (tmp_path / "short.txt").write_text(SCRIPT)
    (tmp_path / "other.txt").write_text(SCRIPT)
    (tmp_path / "long.wav").write_bytes(b"")
    (tmp_path / "m.csv").write_text("input,media,to\nlong.txt,long.wav,\nshort.txt,,\nother.txt,,fr\n")
    long, short, translated = read_manifest(tmp_path / "m.csv", ())
    assert work(long) > 100 * work(short) and work(translated) > 10 * work(short)
    bar = Progress(enabled=True)
    task = bar.task("programmes", work(long) + work(short), weighted=True)
    try:
        task.drop(work(short))
        task(work(long) / 2)
        shown = next(found for found in task.display.tasks if found.id == task.task_id)
        assert shown.total == work(long) and shown.percentage == 50
    finally:
        stop()
