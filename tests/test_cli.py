"""End to end through the installed `captions` command, as users and batch jobs run it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import srt
from conftest import JAPANESE_SCRIPT, SEED


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "captions.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, "COLUMNS": "200"})


def test_make_seed_writes_srt_vtt_json_and_report(tmp_path):
    result = run("make", SEED, "--out", tmp_path, "--format", "srt,vtt,json", "--report")
    assert result.returncode == 0, result.stderr
    stem = SEED.stem
    cues = list(srt.parse((tmp_path / f"{stem}.en.srt").read_text()))
    assert len(cues) > 20 and cues[0].content.startswith("Japan and US")
    vtt = (tmp_path / f"{stem}.en.vtt").read_text()
    assert vtt.startswith("WEBVTT\n\n") and "<v Kishida Fumio>" in vtt
    document = json.loads((tmp_path / f"{stem}.en.json").read_text())
    assert len(document["cues"]) == len(cues)
    assert "summary: no issues" in (tmp_path / f"{stem}.en.qc.txt").read_text()
    assert "QC: no issues" in result.stdout


def test_japanese_script_in_shift_jis(tmp_path):
    source = tmp_path / "nhk.txt"
    source.write_bytes(JAPANESE_SCRIPT.encode("cp932"))
    result = run("make", source, "--lang", "ja", "--out", tmp_path / "out", "--speakers", "label")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "out" / "nhk.ja.srt").read_text()
    assert "（岸田文雄 内閣総理大臣）" in text  # Netflix Japanese: full-width brackets, 、 shown as a space
    assert text.count("岸田文雄") == 1
    check = run("check", tmp_path / "out" / "nhk.ja.srt", "--lang", "ja", "--profile", "netflix")
    assert "line-length" not in check.stdout and "kinsoku" not in check.stdout


def test_check_reports_violations_with_exit_code(tmp_path):
    bad = tmp_path / "bad.srt"
    bad.write_text("1\n00:00:01,000 --> 00:00:01,200\nThis line is much too long to fit on a Netflix caption line.\n\n"
                   "2\n00:00:01,100 --> 00:00:03,000\nOverlap.\n")
    result = run("check", bad, "--json")
    assert result.returncode == 1
    rules = {issue["rule"] for issue in json.loads(result.stdout)["issues"]}
    assert {"line-length", "min-duration", "reading-speed", "overlap"} <= rules
    good = tmp_path / "good.srt"
    good.write_text("1\n00:00:01,000 --> 00:00:03,000\nHello there.\n")
    assert run("check", good).returncode == 0


def test_check_finds_each_defect_of_real_asr_captions(tmp_path):
    # The defects found in captions of real WhisperX output, each once, in one file; with the
    # transcript, a cue that ends before its last word is spoken is found too.
    words = [("Did", 48.694, 48.974), ("you", 49.014, 49.114), ("find", 49.255, 49.435), ("out", 49.515, 49.615),
             ("when", 49.815, 49.916), ("you're", 49.956, 50.116), ("canceling", 50.517, 51.077), ("the", 51.137, 51.338),
             ("services", 53.06, 53.541), ("with", 53.581, 53.901), ("Rogers?", 54.022, 54.442),
             ("I", 56.105, 56.125), ("just", 56.145, 56.425), ("put", 56.445, 56.505), ("a", 56.565, 56.585),
             ("request", 56.686, 56.926), ("for", 57.126, 57.407), ("next", 57.507, 57.707), ("Tuesday.", 57.767, 58.388)]
    transcript = tmp_path / "call.json"
    transcript.write_text(json.dumps({"segments": [
        {"start": 48.694, "end": 54.442, "text": " ".join(w for w, _, _ in words[:11]),
         "words": [{"word": w, "start": a, "end": b} for w, a, b in words[:11]]},
        {"start": 56.105, "end": 58.388, "text": " ".join(w for w, _, _ in words[11:]),
         "words": [{"word": w, "start": a, "end": b} for w, a, b in words[11:]]}]}))
    captions_file = tmp_path / "call.en.srt"
    captions_file.write_text(
        "1\n00:00:48,694 --> 00:00:51,338\nDid you find out when you're canceling the\n\n"  # weak end
        "2\n00:00:53,060 --> 00:00:56,125\nservices with Rogers? I\n\n"  # orphan "I"; gap 0 frames
        "3\n00:00:56,125 --> 00:00:57,000\njust put a request for next Tuesday.\n\n"  # too fast, ends early
        "4\n00:01:00,000 --> 00:01:08,000\nThank you.\n")  # 8 s on screen; not in the transcript
    result = run("check", captions_file, "--transcript", transcript, "--json")
    assert result.returncode == 1, result.stderr
    rules = [(issue["cue"], issue["rule"]) for issue in json.loads(result.stdout)["issues"]]
    for expected in [(1, "weak-cue-break"), (2, "sentence-start"), (3, "gap"), (3, "reading-speed"),
                     (3, "early-end"), (4, "max-duration"), (4, "transcript")]:
        assert expected in rules, (expected, rules)
    assert (1, "early-end") not in rules and (2, "early-end") not in rules
    without = json.loads(run("check", captions_file, "--json").stdout)["issues"]
    assert not any(issue["rule"] in ("early-end", "transcript") for issue in without)


BAD_INPUTS = {
    "empty.txt": b"",
    "binary.txt": b"\x00\x01\x02\x03PK\x03\x04",
    "latin1.txt": "caf\xe9 au lait\n".encode("latin-1"),
    "broken.srt": b"1\n00:00:01,000 -> 00:00:02,000\nHello\n",
    "order.srt": b"1\n00:00:05,000 --> 00:00:06,000\nA\n\n2\n00:00:01,000 --> 00:00:02,000\nB\n",
    "notes.json": b'{"title": "not a transcript"}',
    "silent.json": b'{"segments": [{"start": 0, "end": 1, "text": ""}]}',
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gives_one_line_and_no_output(tmp_path, name):
    source = tmp_path / name
    source.write_bytes(BAD_INPUTS[name])
    out = tmp_path / "out"
    result = run("make", source, "--out", out)
    assert result.returncode == 3  # InputError
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(source) in lines[0] and "Traceback" not in result.stderr
    assert not list(out.glob("*")) if out.exists() else True


@pytest.mark.parametrize("args, message", [
    (["--profile", "hbo"], "unknown profile"),
    (["--lang", "xx"], "unknown language"),
    (["--format", "docx"], "unknown output format"),
    (["--fps", "26"], "unsupported frame rate"),
    (["--audio-part", "1:00-2:00"], "give the media with --audio"),
    (["--audio", SEED, "--audio-part", "2:00-1:00"], "ends before it starts"),
    (["--audio", SEED, "--audio-part", "1:00"], "FROM-TO"),
    (["--audio", SEED, "--audio-part", "-x-"], "FROM-TO"),
])
def test_bad_options_are_one_line_errors(tmp_path, args, message):
    result = run("make", SEED, "--out", tmp_path, *args)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_unwritable_output_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("make", SEED, "--out", blocker / "sub")
    assert result.returncode == 6 and "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_batch_folder_with_a_bad_file_and_parallel_jobs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        (folder / f"show{n}.txt").write_text(SEED.read_text())
    (folder / "broken.srt").write_text("1\nnonsense\n")
    result = run("make", folder, "--out", tmp_path / "out", "--jobs", "2")
    assert result.returncode == 3
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"show{n}.en.srt" for n in range(3)]
    assert "3 of 4 files captioned" in result.stdout + result.stderr
    again = run("make", str(folder / "show*.txt"), "--out", folder, "-q")  # outputs in the input folder
    assert again.returncode == 0
    assert run("make", folder, "--out", tmp_path / "o2", "-q").stderr.count("error") == 1  # x.en.srt skipped


def test_profiles_version_and_help():
    listing = run("profiles").stdout
    assert "netflix" in listing and "bbc" in listing and " ja " in listing
    assert run("--version").stdout.startswith("captions ")
    assert "--profile" in run("make", "--help").stdout


def test_user_profile_from_toml(tmp_path):
    profile = tmp_path / "acme.toml"
    profile.write_text('name = "acme"\nbase = "netflix"\n[default]\nmax_chars_per_line = 30\n')
    result = run("make", SEED, "--out", tmp_path, "--profile", profile)
    assert result.returncode == 0, result.stderr
    lines = [line for cue in srt.parse((tmp_path / f"{SEED.stem}.en.srt").read_text()) for line in cue.content.split("\n")]
    assert max(map(len, lines)) <= 30
    profile.write_text('[default]\nmax_chars = 30\n')
    bad = run("make", SEED, "--out", tmp_path, "--profile", profile)
    assert bad.returncode == 2 and "unknown setting 'max_chars'" in bad.stderr


def on_a_terminal(*args):
    """Run the command with a pseudo-terminal as stdout/stderr; returns what the terminal showed."""
    import pty

    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "captions.cli", *map(str, args)], stdin=slave, stdout=slave,
                               stderr=slave, env={**os.environ, "COLUMNS": "100", "TERM": "xterm"})
    os.close(slave)
    shown = b""
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        shown += data
    process.wait(timeout=120)
    os.close(master)
    return process.returncode, shown.decode(errors="replace")


def test_progress_bars_on_a_terminal_only(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        (folder / f"show{n}.txt").write_text(SEED.read_text())
    code, shown = on_a_terminal("make", folder, "--out", tmp_path / "out")
    assert code == 0 and "files" in shown and "3/3" in shown and "\x1b[" in shown
    piped = run("make", folder, "--out", tmp_path / "out")
    assert "\x1b[" not in piped.stdout + piped.stderr and "3/3" not in piped.stdout + piped.stderr
    code, shown = on_a_terminal("make", folder, "--out", tmp_path / "out", "--quiet")
    assert code == 0 and "3/3" not in shown and "captioned" not in shown


def test_json_summary_per_file_tells_error_classes_apart(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(SEED.read_text())
    (folder / "bad.srt").write_text("1\nnonsense\n")
    result = run("make", folder, "--out", tmp_path / "out", "--json")
    summaries = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 3 and len(summaries) == 2
    by_name = {Path(summary["source"]).name: summary for summary in summaries}
    assert by_name["bad.srt"]["error"]["kind"] == "input" and by_name["bad.srt"]["exit_code"] == 3
    good = by_name["good.txt"]
    assert good["ok"] and good["languages"][0]["cues"] > 20 and good["languages"][0]["outputs"][0].endswith(".en.srt")


def test_doctor_names_every_engine():
    result = run("doctor")
    assert result.returncode == 0, result.stdout
    assert "libespeak-ng 1.5" in result.stdout and "in-process" in result.stdout
    assert "ffmpeg version" in result.stdout and "translation models" in result.stdout


def test_a_profile_without_caption_policy_is_valid(tmp_path):
    """The realspeech eval's raw profile: 1 ms frames, no minimum duration, no speed limit."""
    profile = tmp_path / "raw.toml"
    profile.write_text('name = "raw"\n[default]\nfps = 1000.0\nmin_duration = 0.0\nmax_cps = 100000.0\n'
                       "min_gap_frames = 0\nclose_gap_frames = 0\nmax_chars_per_line = 1000\n")
    result = run("make", SEED, "--profile", profile, "--out", tmp_path)
    assert result.returncode == 0, result.stderr


def test_a_profile_default_beats_the_base_language_rules(tmp_path):
    """[default] is every language: the base's Japanese 4 chars/s must not override the file's own value."""
    from captions.profiles import get_profile

    profile = tmp_path / "raw.toml"
    profile.write_text('name = "raw"\n[default]\nmax_cps = 1000.0\nmin_duration = 0.0\n[languages.ja]\nmax_lines = 1\n')
    for lang in ("ja", "es", "sv", "en"):
        assert get_profile(str(profile), lang).max_cps == 1000.0
    assert get_profile(str(profile), "ja").max_lines == 1 and get_profile(str(profile), "ja").max_chars_per_line == 13


SCRIPTS = {
    "ja": "日本の岸田首相は十日、ワシントンでバイデン大統領と会談しました。両首脳は日米同盟の一層の強化で一致しました。\n",
    "zh": "中国国务院总理今天在北京会见了来访的客人。双方就进一步加强合作交换了意见。\n",
    "ko": "한국 대통령은 오늘 서울에서 미국 대통령과 정상회담을 가졌습니다. 두 정상은 동맹 강화에 합의했습니다.\n",
    "fr": "Le Premier ministre japonais a rencontré jeudi le président américain à Washington. Les deux dirigeants "
          "se sont mis d'accord pour renforcer leur coopération en matière de défense et de sécurité.\n",
    "de": "Der japanische Ministerpräsident hat sich am Donnerstag in Washington mit dem amerikanischen Präsidenten "
          "getroffen. Die beiden wollen in Verteidigung und Sicherheit enger zusammenarbeiten.\n",
}


@pytest.mark.parametrize("lang", sorted(SCRIPTS))
def test_a_script_with_no_lang_is_captioned_in_its_own_language(tmp_path, lang):
    # The user forgot --lang: the script (kana, hangul, Chinese characters) decides, else the detector,
    # with that language's rules (French: a space before "?" and "!", and its own line length).
    from captions.formats import read_cues
    from captions.profiles import get_profile
    from captions.text import display_width

    source = tmp_path / "news.txt"
    source.write_text(SCRIPTS[lang], encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "captions.cli", "make", str(source), "--out", str(tmp_path / "o")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"language {lang}, found from its {'text' if lang in ('fr', 'de') else 'script'}" in done.stdout
    written = tmp_path / "o" / f"news.{lang}.srt"
    assert written.exists() and not (tmp_path / "o" / "news.en.srt").exists()
    rules = get_profile("netflix", lang)
    for cue in read_cues(written):
        assert all(display_width(line, rules.width_mode) <= rules.max_chars_per_line for line in cue.lines)


def test_the_language_in_a_file_name_is_taken_and_a_contradicting_lang_refused(tmp_path):
    source = tmp_path / "show.ja.txt"
    source.write_text(SCRIPTS["ja"], encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "captions.cli", "make", str(source), "--out", str(tmp_path / "o")],
                          capture_output=True, text=True)
    assert done.returncode == 0 and (tmp_path / "o" / "show.ja.srt").exists(), done.stderr
    refused = subprocess.run([sys.executable, "-m", "captions.cli", "make", str(source), "--lang", "en",
                              "--out", str(tmp_path / "p")], capture_output=True, text=True)
    assert refused.returncode == 2 and "written in Japanese" in refused.stderr and "--lang ja" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and not (tmp_path / "p").exists()
    english = tmp_path / "english.txt"
    english.write_text("The leaders met in Washington today.\n")
    refused = subprocess.run([sys.executable, "-m", "captions.cli", "make", str(english), "--lang", "ja",
                              "--out", str(tmp_path / "q")], capture_output=True, text=True)
    assert refused.returncode == 2 and "no Chinese, Japanese or Korean" in refused.stderr
    french = tmp_path / "journal.txt"
    french.write_text(SCRIPTS["fr"])
    refused = subprocess.run([sys.executable, "-m", "captions.cli", "make", str(french), "--lang", "en",
                              "--out", str(tmp_path / "r")], capture_output=True, text=True)
    assert refused.returncode == 2 and "--lang en, but the text is in fr: give --lang fr" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and not (tmp_path / "r").exists()
    kin = tmp_path / "nyheter.txt"  # Norwegian said to be Danish: kin, whose rules differ little, is not refused
    kin.write_text("Regjeringen la i dag fram et nytt forslag om skatt for alle som bor i Norge.\n")
    assert subprocess.run([sys.executable, "-m", "captions.cli", "make", str(kin), "--lang", "da", "--out",
                           str(tmp_path / "s")], capture_output=True, text=True).returncode == 0


def test_help_names_values_never_python_types():
    # Issue 31, item 6: `INPUT <list[str]>` and `--out <str>` read as Python; help names values.
    import re

    for command in (["make"], ["check"], ["convert"], ["retime"], ["align"], ["review"], ["batch"], ["shots"],
                    ["models", "install"]):
        done = subprocess.run([sys.executable, "-m", "captions.cli", *command, "--help"], capture_output=True, text=True,
                              env={**os.environ, "COLUMNS": "120"})
        assert done.returncode == 0, done.stderr
        assert not re.search(r"<(str|int|float|path|Path|list\[)", done.stdout), (command, done.stdout)
    made = subprocess.run([sys.executable, "-m", "captions.cli", "make", "--help"], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "120"}).stdout
    assert "INPUT..." in made and "--out OUT" in made and "--fps FPS" in made


def test_check_lists_issues_in_cue_order(tmp_path):
    # Issue 29: a reviewer goes through a file cue by cue; check listed weak cue ends after every other issue.
    source = tmp_path / "show.en.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:03,000\nWe went down to the\n\n2\n00:00:03,100 --> 00:00:04,000\n"
                      "river and it was far too long a line for any profile that anyone has ever written.\n")
    done = subprocess.run([sys.executable, "-m", "captions.cli", "check", str(source)], capture_output=True, text=True)
    said = [line.split(": ")[1] for line in done.stdout.splitlines() if ": cue " in line]
    assert done.returncode == 1 and said == ["cue 1", "cue 2", "cue 2"], done.stdout
