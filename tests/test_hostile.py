"""Hostile inputs, the exact cases of the hardening issue: each gives one line naming the file (and
line or field), the exit code of its class, no traceback, and nothing written or damaged."""

import json
import math
import os
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from conftest import SEED
from tiny_argos import build_packages

INPUT, OPTION, MODEL, MEDIA, OUTPUT = 3, 2, 4, 5, 6


def run(*args, env=None, timeout=120, cwd=None):
    """The installed command, with stdin closed (as CI and cron run it)."""
    return subprocess.run([sys.executable, "-m", "captions.cli", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "200", **(env or {})}, timeout=timeout, cwd=cwd,
                          stdin=subprocess.DEVNULL)


def one_line(result, code, *needles):
    """Exit code of the class, exactly one line on stderr holding every needle, no traceback."""
    assert result.returncode == code, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert str(needle) in lines[0], (needle, lines[0])
    return lines[0]


def snapshot(folder):
    """Every file under a folder with its bytes and mode: to prove nothing was written or damaged."""
    return {p: (p.read_bytes(), stat.S_IMODE(p.stat().st_mode)) for p in Path(folder).rglob("*") if p.is_file()}


# ----------------------------------------------------------------------------- transcripts

HOSTILE_INPUTS = {
    # name: (bytes, what the one line must say besides the file name)
    "hour-overflow.srt": (b"1\n99999999999:00:00,000 --> 99999999999:00:01,000\nHi\n", ":1: cue time out of range"),
    "late.srt": (b"1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n999999:00:00,000 --> 999999:00:01,000\nHi\n",
                 ":5: cue time over 100 hours"),
    "nested.json": (b"[" * 10000 + b"]" * 10000, "nested too deeply"),
    "huge-times.json": (b'{"segments": [{"start": 0, "end": 1e308, "text": "Hi."}]}', "segment 1"),
    "int-times.json": (b'{"segments": [{"start": 0, "end": ' + b"9" * 400 + b', "text": "Hi."}]}', "segment 1"),
    "big-int.json": (b'{"segments": [{"start": 0, "end": ' + b"9" * 5000 + b', "text": "Hi."}]}', "JSON"),
    "surrogate.json": (b'{"segments": [{"start": 0, "end": 2, "text": "Hi \\ud800 there."}]}', "surrogate"),
    "surrogate-speaker.json": (b'{"segments": [{"start": 0, "end": 2, "text": "Hi.", "speaker": "\\udc00"}]}',
                               "speaker"),
    "nan.json": (b'{"segments": [{"start": NaN, "end": 2, "text": "Hi."}]}', "segment 1"),
    "negative.vtt": (b"WEBVTT\n\n00:02.000 --> 00:01.000\nBackwards.\n", "ends before it starts"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_INPUTS))
def test_hostile_transcript_is_one_line_and_writes_nothing(tmp_path, name):
    data, needle = HOSTILE_INPUTS[name]
    source = tmp_path / name
    source.write_bytes(data)
    result = run("make", source, "--out", tmp_path / "out")
    one_line(result, INPUT, source, needle)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())  # not even a .tmp


def test_check_on_an_overflowing_srt_is_one_line(tmp_path):
    source = tmp_path / "x.srt"
    source.write_bytes(HOSTILE_INPUTS["hour-overflow.srt"][0])
    one_line(run("check", source), INPUT, f"{source}:1:")


def test_fifo_and_device_are_refused_without_reading(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    one_line(run("make", fifo, "--out", tmp_path / "out", timeout=30), INPUT, fifo, "not a regular file")
    one_line(run("make", "/dev/zero", "--out", tmp_path / "out", timeout=30), INPUT, "/dev/zero", "not a regular file")
    one_line(run("check", fifo, timeout=30), INPUT, fifo)


def test_check_with_a_hostile_transcript_is_one_line(tmp_path):
    captions_file = tmp_path / "show.srt"
    captions_file.write_text("1\n00:00:01,000 --> 00:00:03,000\nHello there.\n")
    fifo = tmp_path / "words.json"
    os.mkfifo(fifo)
    one_line(run("check", captions_file, "--transcript", fifo, timeout=30), INPUT, fifo, "not a regular file")
    binary = tmp_path / "binary.json"
    binary.write_bytes(bytes(range(256)) * 8)
    one_line(run("check", captions_file, "--transcript", binary), INPUT, binary)
    infinite = tmp_path / "infinite.json"
    infinite.write_text('{"segments": [{"start": 0, "end": 1e400, "text": "Hello there."}]}')
    one_line(run("check", captions_file, "--transcript", infinite), INPUT, infinite, "segment 1")


def test_input_size_is_bounded(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(("A sentence of narration that goes on. " * 30 + "\n") * 2000)  # 2.3 MB
    one_line(run("make", big, "--max-input-mb", "1", "--out", tmp_path / "out"), INPUT, big, "over the 1 MB limit")
    one_line(run("make", big, "--max-input-mb", "0", "--out", tmp_path / "out"), OPTION, "--max-input-mb")


def test_malformed_word_times_stay_inside_their_segment(tmp_path):
    source = tmp_path / "words.json"
    source.write_text(json.dumps({"segments": [
        {"start": 0.0, "end": 2.0, "text": "Hello there, my friend.",
         "words": [{"word": "Hello", "start": 5.0, "end": 5.8}, {"word": "there,", "start": "x", "end": 1},
                   {"word": "my", "start": 1.2, "end": 1.0}, {"word": 7, "start": 1, "end": 2},
                   {"word": "friend.", "start": 1e308, "end": 10**400}]},
        {"start": 3.0, "end": 5.0, "text": "Good to see you."}]}))
    result = run("make", source, "--out", tmp_path, "-f", "json")
    assert result.returncode == 0, result.stderr
    cues = json.loads((tmp_path / "words.en.json").read_text())["cues"]
    first = next(cue for cue in cues if "Hello" in " ".join(cue["lines"]))
    assert first["start"] < 2.0  # the words' bogus 5.0 s did not move the text out of its 0-2 s segment


def test_webvtt_header_metadata_is_accepted(tmp_path):
    source = tmp_path / "yt.vtt"
    source.write_text("WEBVTT\nKind: captions\nLanguage: en\nX-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000\n\n"
                      "00:00:01.000 --> 00:00:03.000 align:start position:0%\nHello there.\n\n"
                      "00:00:03.500 --> 00:00:05.000\nGood evening.\n")
    result = run("make", source, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "Hello there." in (tmp_path / "out" / "yt.en.srt").read_text()


# ----------------------------------------------------------------------------- options and profiles

@pytest.mark.parametrize("args, needle", [
    (["--start", "nan"], "--start"), (["--start", "inf"], "out of range"), (["--start", "1e308"], "out of range"),
    (["--duration", "nan"], "out of range"), (["--duration", "0.001"], "--duration"),
    (["--duration", "1e308"], "out of range"),
    (["--speaker-pause", "nan"], "--speaker-pause"), (["--speaker-pause", "inf"], "--speaker-pause"),
    (["--speaker-pause", "-100"], "--speaker-pause"), (["--speaker-pause", "1e308"], "--speaker-pause"),
    (["--paragraph-pause", "-1"], "--paragraph-pause"),
    (["--device", "quantum"], "quantum"), (["--to", "ja", "--device", "quantum"], "quantum"),
])
def test_out_of_range_options(tmp_path, args, needle):
    one_line(run("make", SEED, "--out", tmp_path / "out", *args), OPTION, needle)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("variable, value", [
    ("ARGOS_INTER_THREADS", "0"), ("ARGOS_BEAM_SIZE", "abc"), ("ARGOS_BEAM_SIZE", "0"), ("ARGOS_BEAM_SIZE", "-3"),
    ("ARGOS_COMPUTE_TYPE", "int3"), ("ARGOS_INTRA_THREADS", "1e9"), ("ARGOS_DEVICE_TYPE", "quantum"),
])
def test_bad_engine_variables_are_refused_before_any_work(tmp_path, variable, value):
    one_line(run("make", SEED, "--to", "ja", "--out", tmp_path / "out", env={variable: value}), OPTION, variable
             if variable != "ARGOS_DEVICE_TYPE" else "quantum")
    assert not (tmp_path / "out").exists()


PROFILES = {
    # TOML body: the key the one line must name
    'base = ["netflix"]': "base",
    "[default]\nfps = 0": "fps",
    "[default]\nfps = nan": "fps",
    "[default]\nfps = inf": "fps",
    "[default]\nfps = -1.0": "fps",
    "[default]\nmax_cps = 0": "max_cps",
    "[default]\nmax_chars_per_line = 0": "max_chars_per_line",
    "[default]\nmax_chars_per_line = -5": "max_chars_per_line",
    "[default]\nmax_lines = 0": "max_lines",
    "[default]\nmax_lines = 1.5": "max_lines",
    '[default]\nwidth_mode = "wide"': "width_mode",
    '[default]\nbreaker = "random"': "breaker",
    '[default]\nspeaker_style = "shout"': "speaker_style",
    "[default]\nmin_duration = 8.0": "min_duration",
    "[default]\nmin_duration = -1.0": "min_duration",
    "[default]\nmax_duration = -2.0": "max_duration",
    '[languages.ja]\nlabel_format = "{nick}:"': "label_format",
    '[default]\nlabel_format = "{name"': "label_format",
    "[languages.xx]\nmax_lines = 2": "languages.xx",
    "[default]\nmin_gap_frames = -2": "min_gap_frames",
}


@pytest.mark.parametrize("body", sorted(PROFILES))
def test_nonsense_profiles_name_the_file_and_key(tmp_path, body):
    profile = tmp_path / "acme.toml"
    profile.write_text(f'name = "acme"\n{body}\n')
    lang = "ja" if "languages.ja" in body else "en"
    one_line(run("make", SEED, "--profile", profile, "--lang", lang, "--out", tmp_path / "out"), OPTION,
             profile, PROFILES[body])
    assert not (tmp_path / "out").exists()


def test_profile_that_is_a_folder_or_device(tmp_path):
    folder = tmp_path / "p.toml"
    folder.mkdir()
    one_line(run("make", SEED, "--profile", folder, "--out", tmp_path / "out"), OPTION, folder)
    one_line(run("make", SEED, "--profile", "/dev/zero", "--out", tmp_path / "out", timeout=30), OPTION)


# ----------------------------------------------------------------------------- outputs

def test_outputs_respect_the_umask_and_keep_an_existing_mode(tmp_path):
    source = tmp_path / "show.txt"
    source.write_text(SEED.read_text())
    done = subprocess.run(f"umask 022 && {sys.executable} -m captions.cli make {source} -f srt,vtt",
                          shell=True, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE((tmp_path / "show.en.srt").stat().st_mode) == 0o644
    os.chmod(tmp_path / "show.en.srt", 0o664)
    assert run("make", source, "-f", "srt").returncode == 0
    assert stat.S_IMODE((tmp_path / "show.en.srt").stat().st_mode) == 0o664


def test_every_output_is_checked_before_any_is_written(tmp_path):
    source = tmp_path / "show.en.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:03,000\nHello there.\n")
    before = snapshot(tmp_path)
    one_line(run("make", source, "-f", "vtt,srt"), OUTPUT, "overwrite an input")
    assert snapshot(tmp_path) == before  # no show.en.vtt either


def test_a_240_character_file_name(tmp_path):
    source = tmp_path / ("n" * 240 + ".txt")
    source.write_text(SEED.read_text())
    result = run("make", source, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / ("n" * 240 + ".en.srt")).exists()


def test_align_out_pointing_at_a_file(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    source = tmp_path / "show.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:03,000\nHello there.\n")
    media = tmp_path / "tone.wav"
    write_wav(media, 0.1 * np.sin(np.arange(16000) / 5.0))
    result = run("align", source, "--audio", media, "--out", blocker)
    one_line(result, OUTPUT, blocker)
    assert blocker.read_text() == "x"


# ----------------------------------------------------------------------------- media

def write_wav(path, samples, rate=16000):
    """A 32-bit float WAV (format 3), which can carry NaN and infinity."""
    data = np.asarray(samples, "<f4").tobytes()
    header = (b"RIFF" + (36 + len(data)).to_bytes(4, "little") + b"WAVEfmt " + (16).to_bytes(4, "little")
              + (3).to_bytes(2, "little") + (1).to_bytes(2, "little") + rate.to_bytes(4, "little")
              + (rate * 4).to_bytes(4, "little") + (4).to_bytes(2, "little") + (32).to_bytes(2, "little")
              + b"data" + len(data).to_bytes(4, "little"))
    path.write_bytes(header + data)


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_media_of_nan_or_inf_samples(tmp_path, value):
    media = tmp_path / "bad.wav"
    samples = 0.1 * np.sin(np.arange(32000) / 5.0)
    samples[1000:3000] = value
    write_wav(media, samples)
    script = tmp_path / "show.txt"
    script.write_text("Hello there.\n")
    one_line(run("make", script, "--audio", media, "--out", tmp_path / "out"), MEDIA, media)
    assert not (tmp_path / "out").exists()


def test_media_named_like_an_option(tmp_path):
    media = tmp_path / "-y"
    write_wav(media, np.zeros(16000))
    script = tmp_path / "show.txt"
    script.write_text("Hello there.\n")
    result = run("make", script, "--audio", media, "--out", tmp_path / "out")
    one_line(result, MEDIA, "silent")  # decoded as a file, not taken as ffmpeg's -y option


# ----------------------------------------------------------------------------- models and the cache

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_packages(tmp_path_factory.mktemp("built"), ("en-ja",))[0]


@pytest.fixture
def argos_env(tmp_path):
    return {"HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "data"),
            "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "ARGOS_PACKAGES_DIR": str(tmp_path / "packages")}


def rewrite(package, target, root=None, metadata=None, members=None, drop=()):
    """A copy of a package with its folder renamed, metadata changed, members replaced or dropped."""
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        old_root = source.namelist()[0].split("/")[0]
        for info in source.infolist():
            relative = info.filename.split("/", 1)[1]
            if relative in drop:
                continue
            data = source.read(info)
            if relative == "metadata.json" and metadata:
                data = json.dumps({**json.loads(data), **metadata}).encode()
            data = (members or {}).get(relative, data)
            out.writestr(f"{root or old_root}/{relative}", data)
        for relative, data in (members or {}).items():
            if f"{old_root}/{relative}" not in source.namelist():
                out.writestr(f"{root or old_root}/{relative}", data)
    return target


def test_zip_bomb_too_many_files_and_symlinks_are_refused(tmp_path, argos_env, built):
    bomb = rewrite(built, tmp_path / "bomb.argosmodel", members={"model/padding.bin": bytes(60_000_000)})
    one_line(run("models", "install", bomb, env=argos_env), MODEL, bomb, "compressed more than")
    many = tmp_path / "many.argosmodel"
    with zipfile.ZipFile(many, "w") as archive:
        archive.writestr("pkg/metadata.json", '{"from_code": "en", "to_code": "ja", "package_version": "1"}')
        for number in range(1001):
            archive.writestr(f"pkg/f{number}", "x")
    one_line(run("models", "install", many, env=argos_env), MODEL, many, "1002 files")
    link = tmp_path / "link.argosmodel"
    rewrite(built, link)
    with zipfile.ZipFile(link, "a") as archive:
        info = zipfile.ZipInfo("translate-en_ja-0_1/evil")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    one_line(run("models", "install", link, env=argos_env), MODEL, "symbolic link")
    assert not Path(argos_env["ARGOS_PACKAGES_DIR"]).exists() or not os.listdir(argos_env["ARGOS_PACKAGES_DIR"])


def test_size_limit_is_enforced_from_the_directory_and_while_extracting(tmp_path, built, monkeypatch):
    from captions import models
    from captions.errors import ModelError

    monkeypatch.setattr(models, "packages_dir", lambda: tmp_path / "packages")  # settings are read once
    monkeypatch.setattr(models, "MAX_TOTAL_BYTES", 1000)
    with pytest.raises(ModelError, match="over the limit"):
        models.install_file(built)
    # A directory that understates the sizes: caught while extracting.
    monkeypatch.setattr(models, "_checked_archive", lambda archive, path: (archive.namelist()[0].split("/")[0], {}))
    with pytest.raises(ModelError, match="while extracting"):
        models.install_file(built)
    assert not list((tmp_path / "packages").iterdir())


def test_crc_corrupt_and_toy_packages_are_refused(tmp_path, argos_env, built):
    corrupt = tmp_path / "corrupt.argosmodel"
    data = bytearray(Path(built).read_bytes())
    with zipfile.ZipFile(built) as archive:
        info = archive.getinfo("translate-en_ja-0_1/model/model.bin")
    middle = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    data[middle] ^= 0xFF
    corrupt.write_bytes(bytes(data))
    one_line(run("models", "install", corrupt, env=argos_env), MODEL, corrupt)
    toy = rewrite(built, tmp_path / "toy.argosmodel", members={"model/model.bin": b"x", "sentencepiece.model": b"x"})
    one_line(run("models", "install", toy, env=argos_env), MODEL, toy, "not a model")
    bad_tokenizer = rewrite(built, tmp_path / "tok.argosmodel", members={"sentencepiece.model": b"x" * 5000})
    one_line(run("models", "install", bad_tokenizer, env=argos_env), MODEL, "tokenizer")
    assert not Path(argos_env["ARGOS_PACKAGES_DIR"]).exists() or not os.listdir(argos_env["ARGOS_PACKAGES_DIR"])


def test_a_package_may_only_replace_the_same_pair(tmp_path, argos_env, built):
    assert run("models", "install", built, env=argos_env).returncode == 0
    installed = Path(argos_env["ARGOS_PACKAGES_DIR"]) / "translate-en_ja-0_1"
    before = snapshot(installed)
    impostor = rewrite(built, tmp_path / "impostor.argosmodel", metadata={"to_code": "fr"})
    one_line(run("models", "install", impostor, env=argos_env), MODEL, "may only replace the same pair")
    assert snapshot(installed) == before
    again = run("models", "install", built, env=argos_env)  # the same pair replaces itself
    assert again.returncode == 0 and snapshot(installed).keys() == before.keys()


def test_six_concurrent_installs_of_one_package(tmp_path, argos_env, built):
    command = [sys.executable, "-m", "captions.cli", "models", "install", str(built)]
    environment = {**os.environ, **argos_env}
    processes = [subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  stdin=subprocess.DEVNULL, text=True) for _ in range(6)]
    results = [(process.wait(timeout=300), process.stderr.read()) for process in processes]
    assert all(code == 0 for code, _ in results), results
    assert os.listdir(argos_env["ARGOS_PACKAGES_DIR"]) == ["translate-en_ja-0_1"]
    listing = run("models", "list", env=argos_env)
    assert listing.stdout.count("en->ja") == 1


def test_the_newest_of_two_versions_is_used_and_said(tmp_path, argos_env, built):
    newer = rewrite(built, tmp_path / "newer.argosmodel", root="translate-en_ja-0_10",
                    metadata={"package_version": "0.10"})
    for package in (built, newer):
        assert run("models", "install", package, env=argos_env).returncode == 0
    source = tmp_path / "a.txt"
    source.write_text("the cat eats the fish.\n")
    result = run("make", source, "--to", "ja", "--out", tmp_path / "out", env=argos_env)
    assert result.returncode == 0, result.stderr
    assert "2 versions of the en->ja model are installed (0.10, 0.1): using the newest, 0.10" in result.stdout


def test_model_folder_problems_are_one_line(tmp_path, argos_env, built):
    afile = tmp_path / "afile"
    afile.write_text("x")
    one_line(run("models", "install", built, env={**argos_env, "ARGOS_PACKAGES_DIR": str(afile)}), MODEL, afile)
    assert afile.read_text() == "x"
    unwritable_home = {key: value for key, value in argos_env.items() if key == "XDG_CACHE_HOME"}
    environment = {**unwritable_home, "HOME": str(afile / "home")}
    drop = {"XDG_DATA_HOME", "XDG_CONFIG_HOME", "ARGOS_PACKAGES_DIR"}
    clean = {key: value for key, value in os.environ.items() if key not in drop}
    done = subprocess.run([sys.executable, "-m", "captions.cli", "models", "list"], capture_output=True, text=True,
                          env={**clean, **environment}, stdin=subprocess.DEVNULL)
    one_line(done, MODEL, "HOME")


def test_a_symlinked_or_broken_package_folder_is_skipped(tmp_path, argos_env, built):
    assert run("models", "install", built, env=argos_env).returncode == 0
    packages = Path(argos_env["ARGOS_PACKAGES_DIR"])
    (packages / "loop").symlink_to(packages / "loop")
    (packages / "elsewhere").symlink_to(tmp_path)
    (packages / "empty").mkdir()
    listing = run("models", "list", env=argos_env)
    assert listing.returncode == 0 and listing.stdout.count("en->ja") == 1, listing.stderr


@pytest.mark.parametrize("damage", ["garbage", "truncated", "folder", "parent-is-a-file"])
def test_a_broken_cache_is_set_aside_or_bypassed_never_fatal(tmp_path, argos_env, built, damage):
    assert run("models", "install", built, env=argos_env).returncode == 0
    source = tmp_path / "a.txt"
    source.write_text("the cat eats the fish. a dog sees the bird.\n")
    cache = Path(argos_env["XDG_CACHE_HOME"]) / "captions" / "translations.sqlite3"
    assert run("make", source, "--to", "ja", "--out", tmp_path / "out", env=argos_env).returncode == 0
    if damage == "garbage":
        cache.write_bytes(b"this is not a database at all" * 100)
    elif damage == "truncated":
        cache.write_bytes(cache.read_bytes()[:200])
        for extra in cache.parent.glob("*-wal"):
            extra.unlink()
    elif damage == "folder":
        cache.unlink()
        cache.mkdir()
    else:
        Path(argos_env["XDG_CACHE_HOME"]).joinpath("captions").rename(tmp_path / "moved")
        Path(argos_env["XDG_CACHE_HOME"]).joinpath("captions").write_text("a file where a folder should be")
    result = run("make", source, "--to", "ja", "--out", tmp_path / "out", env=argos_env)
    assert result.returncode == 0, result.stderr
    assert "translation cache" in result.stdout and "Traceback" not in result.stderr
    assert "猫" in (tmp_path / "out" / "a.ja.srt").read_text()
    if damage in ("garbage", "truncated"):
        assert list(cache.parent.glob("translations.sqlite3.broken-*"))  # set aside, not deleted
        again = run("make", source, "--to", "ja", "--out", tmp_path / "out", env=argos_env)
        assert "2 of 2 sentences from the translation cache" in again.stdout  # rebuilt


# ----------------------------------------------------------------------------- glossary

def test_glossary_placeholders_never_collide():
    from captions.glossary import TermMatcher

    def through_a_copying_model(sentence, terms):
        matcher = TermMatcher(terms)
        text, placeholders = matcher.protect(sentence)
        return matcher.restore(text, placeholders)[0]

    assert through_a_copying_model("The storm hit the coast.", {"storm": "7002", "coast": "海岸"}) == \
        "The 7002 hit the 海岸."
    assert through_a_copying_model("The storm is over.", {"storm": "tempest", "7001": "SEVEN"}) == \
        "The tempest is over."
    assert through_a_copying_model("In 7001 the storm came.", {"storm": "嵐"}) == "In 7001 the 嵐 came."


def test_empty_glossary_key_is_refused(tmp_path):
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("ja\tcat\t猫\nja\t\tALWAYS\n")
    one_line(run("make", SEED, "--to", "ja", "--glossary", glossary, "--out", tmp_path / "out"), OPTION,
             f"{glossary}:2:")
    toml = tmp_path / "terms.toml"
    toml.write_text('[ja]\n"" = "ALWAYS"\n')
    one_line(run("make", SEED, "--to", "ja", "--glossary", toml, "--out", tmp_path / "out"), OPTION, toml)


def test_a_200000_term_glossary_matches_in_one_pass():
    from captions.glossary import TermMatcher

    terms = {f"term{number} word": f"T{number}" for number in range(200_000)}
    terms["Kishida Fumio"] = "岸田文雄"
    matcher = TermMatcher(terms)
    sentences = [f"Kishida Fumio said term{n} word twice: term{n} word, not term{n}words." for n in range(41)]
    protected = [matcher.protect(sentence) for sentence in sentences]
    restored = [matcher.restore(text, placeholders)[0] for text, placeholders in protected]
    assert restored[5] == "岸田文雄 said T5 twice: T5, not term5words."


# ----------------------------------------------------------------------------- batches

def test_unreadable_sub_folder_is_reported(tmp_path, monkeypatch):
    from captions import batch

    (tmp_path / "in" / "locked").mkdir(parents=True)
    (tmp_path / "in" / "show.txt").write_text("Hello.\n")
    real_scandir = os.scandir

    def scandir(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = batch.expand_inputs([str(tmp_path / "in")])
    assert tmp_path / "in" / "show.txt" in found
    assert any(isinstance(item, str) and "locked: cannot read this folder: Permission denied" in item for item in found)


def test_jobs_never_exceed_the_files(tmp_path, monkeypatch):
    from captions import batch
    from captions.pipeline import Options

    seen = []

    class Recording(batch.ProcessPoolExecutor):
        def __init__(self, max_workers, **kwargs):
            seen.append(max_workers)
            super().__init__(max_workers, **kwargs)

    monkeypatch.setattr(batch, "ProcessPoolExecutor", Recording)
    sources = []
    for number in range(2):
        sources.append(tmp_path / f"s{number}.txt")
        sources[-1].write_text("Hello there.\n")
    outcomes = batch.run_batch(sources, str(tmp_path / "out"), Options(), jobs=1000)
    assert seen == [2] and all(not outcome.failed for outcome in outcomes)


def children_of(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def test_kill_9_of_a_parallel_batch_leaves_no_worker(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(40):
        (folder / f"show{number}.txt").write_text(SEED.read_text())
    process = subprocess.Popen([sys.executable, "-m", "captions.cli", "make", str(folder), "--out",
                                str(tmp_path / "out"), "-j", "2", "-q"], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(workers := children_of(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(workers) >= 2
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 20
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = [pid for pid in workers if Path(f"/proc/{pid}").exists()
             and "Z" not in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]]
    assert not alive


def test_media_that_is_a_fifo_is_refused_without_reading(tmp_path):
    fifo = tmp_path / "media.wav"
    os.mkfifo(fifo)
    script = tmp_path / "show.txt"
    script.write_text("Hello there.\n")
    one_line(run("make", script, "--audio", fifo, "--out", tmp_path / "out", timeout=30), MEDIA, "not a regular file")


def test_a_full_disk_during_install(tmp_path, built, monkeypatch):
    from captions import models
    from captions.errors import ModelError

    monkeypatch.setattr(models, "packages_dir", lambda: tmp_path / "packages")  # settings are read once

    class FullDisk:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def write(self, data):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(models, "open", FullDisk, raising=False)
    with pytest.raises(ModelError, match="No space left on device"):
        models.install_file(built)
    assert not list((tmp_path / "packages").iterdir())
    assert not list(tmp_path.glob(".captions-installing-*"))  # the staging folder is cleaned up


def test_a_read_only_cache_is_bypassed(tmp_path, monkeypatch):
    import sqlite3

    from captions.cache import TranslationCache, safe_get, safe_put

    cache = TranslationCache(tmp_path / "c.sqlite3")
    cache.put_many({"k": "v"})

    def read_only(items):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(cache, "put_many", read_only)
    assert "readonly" in safe_put(cache, {"k2": "v2"})
    assert safe_get(cache, ["k"]) == ({"k": "v"}, None)


def test_cuda_without_a_gpu_fails_that_language_only(tmp_path, argos_env, built):
    assert run("models", "install", built, env=argos_env).returncode == 0
    source = tmp_path / "a.txt"
    source.write_text("the cat eats the fish.\n")
    result = run("make", source, "--to", "ja", "--device", "cuda", "--out", tmp_path / "out", env=argos_env)
    one_line(result, MODEL, source, "no CUDA GPU", "[ja]")
    assert (tmp_path / "out" / "a.en.srt").exists() and not (tmp_path / "out" / "a.ja.srt").exists()


def test_media_without_an_audio_stream(tmp_path):
    from captions.audio import ffmpeg_binary

    media = tmp_path / "picture.mp4"
    subprocess.run([ffmpeg_binary(), "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=25",
                    "-t", "1", "-pix_fmt", "yuv420p", str(media)], check=True, stdin=subprocess.DEVNULL)
    script = tmp_path / "show.txt"
    script.write_text("Hello there.\n")
    one_line(run("make", script, "--audio", media, "--out", tmp_path / "out"), MEDIA, media, "no audio stream")
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------------------- nothing lost: one output, one input

def two_scripts(tmp_path, *names):
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f"{name} headline.\nThe words of {name}.\n")


@pytest.mark.parametrize("args", [["scripts/ep1/news.txt", "scripts/ep2/news.txt"],
                                  ["scripts/ep1/news.txt", "scripts/ep2/news.txt", "-j", "2"],
                                  ["scripts/*/news.txt"],
                                  ["show.txt", "show.srt"]])
def test_make_refuses_two_inputs_writing_one_path_before_any_work(tmp_path, args):
    two_scripts(tmp_path, "scripts/ep1/news.txt", "scripts/ep2/news.txt", "show.txt")
    (tmp_path / "show.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nHello.\n")
    result = run("make", *args, "--out", "subs", cwd=tmp_path)
    line = one_line(result, OPTION, "would both write")
    named = [arg for arg in args if "/" in arg and "*" not in arg] or ["scripts/ep1/news.txt", "scripts/ep2/news.txt"]
    if "show.txt" in args:
        named = ["show.txt", "show.srt"]
    assert all(name in line for name in named), line
    assert not (tmp_path / "subs").exists()


def test_make_keeps_a_folder_inputs_tree_under_out(tmp_path):
    two_scripts(tmp_path, "scripts/ep1/news.txt", "scripts/ep2/news.txt")
    result = run("make", "scripts", "--out", "subs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    one = (tmp_path / "subs/ep1/news.en.srt").read_text()
    two = (tmp_path / "subs/ep2/news.en.srt").read_text()
    assert "ep1" in one and "ep2" in two
    assert one_line(run("make", "scripts", "--out", "flat", "--flat", cwd=tmp_path), OPTION, "would both write")


def test_make_keep_tree_gives_distinct_names_to_files_and_globs(tmp_path):
    two_scripts(tmp_path, "a/news.txt", "b/news.txt")
    assert run("make", "a/news.txt", "b/news.txt", "--out", "o", "--keep-tree", cwd=tmp_path).returncode == 0
    assert "a/news" in (tmp_path / "o/a/news.en.srt").read_text()
    assert run("make", "*/news.txt", "--out", "g", "--keep-tree", cwd=tmp_path).returncode == 0
    assert "b/news" in (tmp_path / "g/b/news.en.srt").read_text()


def test_make_refuses_an_output_that_is_another_inputs_file(tmp_path):
    two_scripts(tmp_path, "show.txt")
    (tmp_path / "show.en.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nApproved.\n")
    before = snapshot(tmp_path)
    result = run("make", "show.txt", "show.en.srt", cwd=tmp_path)
    assert result.returncode in (OPTION, OUTPUT) and "show.en.srt" in result.stderr
    assert snapshot(tmp_path) == before


def test_convert_and_retime_refuse_two_inputs_writing_one_path(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "show.srt").write_text(f"1\n00:00:01,000 --> 00:00:02,000\n{folder}.\n")
    one_line(run("convert", "a/show.srt", "b/show.srt", "-f", "vtt", "--out", "o", cwd=tmp_path), OPTION,
             "a/show.srt and b/show.srt would both write")
    one_line(run("retime", "a/show.srt", "b/show.srt", "--shift", "1", "--out", "o", cwd=tmp_path), OPTION,
             "a/show.srt and b/show.srt would both write")
    (tmp_path / "a/show.vtt").write_text("WEBVTT\n\n00:01.000 --> 00:02.000\nvtt.\n")
    one_line(run("convert", "a/show.srt", "a/show.vtt", "-f", "imsc", cwd=tmp_path), OPTION, "would both write")
    assert not (tmp_path / "o").exists() and not list(tmp_path.glob("a/*.ttml"))


def test_retime_in_place_never_overwrites_a_backup(tmp_path):
    source = tmp_path / "show.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:02,000\nFirst.\n")
    (tmp_path / "show.srt.bak").write_text("the editor's own backup\n")
    assert run("retime", source, "--shift", "1", "--in-place").returncode == 0
    assert (tmp_path / "show.srt.bak").read_text() == "the editor's own backup\n"
    assert "First." in (tmp_path / "show.srt.bak1").read_text() and "00:00:02,0" in source.read_text()


def test_review_refuses_to_write_over_its_input(tmp_path):
    page = tmp_path / "show.review.html"
    page.write_text("<html>the page the editor keeps</html>\n")
    (tmp_path / "show.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nHi.\n")
    before = snapshot(tmp_path)
    result = run("review", tmp_path / "show.srt", "--media", page)
    assert result.returncode == OUTPUT and "would overwrite an input" in result.stderr
    assert snapshot(tmp_path) == before


def test_review_media_with_hash_and_percent_is_url_encoded(tmp_path):
    from recordings import write_wav

    media = tmp_path / "ep#1 100%.wav"
    write_wav(media, (np.sin(np.arange(16000) / 5) * 0.3).astype(np.float32))
    (tmp_path / "ep.en.srt").write_text("1\n00:00:00,100 --> 00:00:00,900\nHi.\n")
    assert run("review", tmp_path / "ep.en.srt", "--media", media).returncode == 0
    page = (tmp_path / "ep.review.html").read_text()
    assert 'src="ep%231%20100%25.wav"' in page


def test_a_text_file_as_review_media_is_refused(tmp_path):
    (tmp_path / "ep.en.srt").write_text("1\n00:00:00,100 --> 00:00:00,900\nHi.\n")
    (tmp_path / "notes.txt").write_text("this is not a video\n" * 20)
    one_line(run("review", tmp_path / "ep.en.srt", "--media", tmp_path / "notes.txt"), MEDIA, "notes.txt", "text")
    assert not (tmp_path / "ep.review.html").exists()


# ----------------------------------------------------------------------------- manifests

def manifest(tmp_path, text, name="m.csv"):
    folder = tmp_path / "job"
    folder.mkdir(exist_ok=True)
    (folder / "a.txt").write_text("Alpha headline.\nAlpha words.\n")
    (folder / "b.txt").write_text("Beta headline.\nBeta words.\n")
    (folder / name).write_text(text)
    return folder / name


def test_manifest_rows_writing_one_path_are_refused_with_both_lines(tmp_path):
    (tmp_path / "job" / "x").mkdir(parents=True)
    (tmp_path / "job" / "x" / "a.txt").write_text("Other alpha.\n")
    path = manifest(tmp_path, "input,out\na.txt,o\nb.txt,o\nx/a.txt,o\n")
    result = run("batch", path)
    assert result.returncode == OPTION and "Traceback" not in result.stderr
    assert "m.csv:4: this row and line 2 would both write" in result.stderr and "o/a.en.srt" in result.stderr
    assert not (tmp_path / "job" / "o").exists()


@pytest.mark.parametrize("row", ["../outside.txt,", "{abs},", "link.txt,", "a.txt,../escape", "a.txt,{absdir}",
                                 "a.txt,,../outside.mp4"])
def test_manifest_cannot_reach_outside_its_folder(tmp_path, row):
    (tmp_path / "outside.txt").write_text("Secret headline.\nSecret words.\n")
    path = manifest(tmp_path, "input,out,media\n" + row.format(abs=tmp_path / "outside.txt", absdir=tmp_path / "o")
                    + "\n")
    (tmp_path / "job" / "link.txt").symlink_to(tmp_path / "outside.txt")
    (tmp_path / "outside.mp4").write_bytes(b"\0" * 100)
    before = snapshot(tmp_path)
    result = run("batch", path)
    assert result.returncode == OPTION, result.stderr
    assert "m.csv:2:" in result.stderr and "outside the manifest's folder" in result.stderr
    assert {p for p in snapshot(tmp_path) if ".captions-state" not in p.name} == set(before)


def test_allow_outside_lets_a_manifest_use_an_archive_elsewhere(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "ep.txt").write_text("Archive headline.\nArchive words.\n")
    path = manifest(tmp_path, f"input,out\n{archive / 'ep.txt'},{archive / 'subs'}\n")
    assert run("batch", path).returncode == OPTION
    result = run("batch", path, "--allow-outside", archive)
    assert result.returncode == 0, result.stderr
    assert "Archive words" in (archive / "subs" / "ep.en.srt").read_text()


def test_csv_row_with_an_extra_cell_is_named(tmp_path):
    path = manifest(tmp_path, "input,lang\na.txt,en,fr\n")
    result = run("batch", path)
    assert result.returncode == OPTION and "m.csv:2: 3 cells" in result.stderr and "None" not in result.stderr


# ----------------------------------------------------------------------------- wrong output with exit 0

def stl_of(tmp_path, text="Hello there.\nThe words go on.\nAnd end.\n"):
    script = tmp_path / "stl_src.txt"
    script.write_text(text)
    assert run("make", script, "-f", "stl", "--out", tmp_path / "made").returncode == 0
    return (tmp_path / "made" / "stl_src.en.stl").read_bytes()


def test_files_with_no_caption_text_are_refused_by_check_and_convert(tmp_path):
    empty = {
        "header.scc": b"Scenarist_SCC V1.0\n\n",
        "controls.scc": b"Scenarist_SCC V1.0\n\n00:00:01:00\t9420 9420 942c 942c 942f 942f\n\n",
        "gsi.stl": stl_of(tmp_path)[:1024],
        "empty-body.ttml": b'<?xml version="1.0"?><tt xmlns="http://www.w3.org/ns/ttml"><body/></tt>',
        "many-empty.ttml": b'<?xml version="1.0"?><tt xmlns="http://www.w3.org/ns/ttml"><body><div>'
                           + b'<p begin="1s" end="2s"></p>' * 20_000 + b"</div></body></tt>",
        "tags.srt": b"1\n00:00:01,000 --> 00:00:02,000\n<i></i>\n\n2\n00:00:03,000 --> 00:00:04,000\n<b> </b>\n",
    }
    for name, data in empty.items():
        source = tmp_path / name
        source.write_bytes(data)
        one_line(run("check", source), INPUT, source, "no caption text")
        one_line(run("convert", source, "-f", "srt,vtt", "--out", tmp_path / "conv"), INPUT, source, "no caption text")
    assert not (tmp_path / "conv").exists()


def test_stl_broken_extension_chain_and_false_block_count_are_read_and_noted(tmp_path):
    data = bytearray(stl_of(tmp_path, "One line here.\nTwo line here.\nThree line here.\nFour line here.\n"))
    whole = run("check", tmp_path / "made" / "stl_src.en.stl").stdout
    cues = int(whole.strip().splitlines()[-1].split(": ")[1].split()[0])
    data[1024 + 128 + 3] = 0x00  # subtitle 2 claims an extension block that never comes
    data[238:243] = b"99999"  # and the GSI block claims 99,999 TTI blocks
    source = tmp_path / "broken.stl"
    source.write_bytes(bytes(data))
    result = run("check", source)
    assert f"{cues} cues" in result.stdout, result.stdout
    assert "subtitle 2" in result.stdout and "without a last block" in result.stdout
    assert "99999 TTI blocks" in result.stdout and "truncated" in result.stdout
    converted = run("convert", source, "-f", "srt", "--out", tmp_path / "c")
    assert converted.returncode == 0 and "99999" in converted.stderr
    assert "Two line here" in (tmp_path / "c" / "broken.en.srt").read_text()


def test_speech_in_parentheses_is_kept_and_dropped_labels_are_named(tmp_path):
    source = tmp_path / "alliance.txt"
    source.write_text("Headline.\nThey spoke of it.\n(the alliance)\n[door slams]\n(APPLAUSE)\nThen they left.\n")
    result = run("make", source, "--out", tmp_path / "o")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "o" / "alliance.en.srt").read_text()
    assert "(the alliance)" in text and "door" not in text and "APPLAUSE" not in text
    assert "left out as sound descriptions" in result.stdout
    assert "[door slams]" in result.stdout and "[APPLAUSE]" in result.stdout


def test_untimed_input_past_a_hundred_hours_is_refused_up_front(tmp_path):
    source = tmp_path / "long.txt"
    source.write_text("Headline.\n" + "".join(f"Line number {n} of the programme goes on and on.\n"
                                              for n in range(200_000)))
    one_line(run("make", source, "--out", tmp_path / "o"), INPUT, source, "100 hours")
    assert not (tmp_path / "o").exists()


def test_retime_before_zero_is_refused_naming_the_first_cue(tmp_path):
    source = tmp_path / "r.srt"
    source.write_text("".join(f"{n}\n00:00:{2 * n:02d},000 --> 00:00:{2 * n + 1:02d},000\nCue {n}.\n\n"
                              for n in range(1, 5)))
    one_line(run("retime", source, "--start", "-10"), OPTION, "cue 1", "before the programme's start")
    one_line(run("retime", source, "--shift", "-3600", "--out", tmp_path / "o"), OPTION, "cue 1")
    one_line(run("retime", source, "--shift", "-3", "--out", tmp_path / "o"), OPTION, "cue 1")
    assert not (tmp_path / "o").exists() and not (tmp_path / "r.retimed.srt").exists()


def test_a_malformed_edl_event_is_reported_by_line(tmp_path):
    edl = tmp_path / "cuts.edl"
    edl.write_text("TITLE: x\nFCM: NON-DROP FRAME\n\n"
                   "001  AX       V     C        00:00:00:00 00:00:05:00 00:00:00:00 00:00:05:00\n"
                   "002  AX       V     C        00:00:05:00 00:00:0X:00 00:00:05:00\n")
    source = tmp_path / "s.txt"
    source.write_text("Hello there.\n")
    one_line(run("make", source, "--shots", edl, "--out", tmp_path / "o"), INPUT, f"{edl}:5", "EDL event")


def test_a_text_file_as_audio_is_refused(tmp_path):
    source = tmp_path / "s.txt"
    source.write_text("Hello there.\n")
    notes = tmp_path / "notes.txt"
    notes.write_text("not media at all\n" * 10)
    one_line(run("make", source, "--audio", notes, "--out", tmp_path / "o"), MEDIA, "notes.txt")


# ----------------------------------------------------------------------------- internal errors and resources

def test_a_ttml_time_of_5000_digits_is_one_line(tmp_path):
    source = tmp_path / "digits.ttml"
    source.write_text('<?xml version="1.0"?><tt xmlns="http://www.w3.org/ns/ttml"><body><div>'
                      f'<p begin="{"9" * 5000}s" end="2s">Hi</p></div></body></tt>')
    one_line(run("check", source), INPUT, source, "time expression")
    one_line(run("make", source, "--out", tmp_path / "o"), INPUT, source, "time expression")


@pytest.mark.parametrize("kind", ["loop", "dangling"])
def test_an_out_that_is_a_broken_link_is_an_output_error(tmp_path, kind):
    source = tmp_path / "s.txt"
    source.write_text("Hello there.\n")
    link = tmp_path / "out"
    if kind == "loop":
        (tmp_path / "other").symlink_to(link)
        link.symlink_to(tmp_path / "other")
    else:
        link.symlink_to(tmp_path / "missing" / "folder")
    line = one_line(run("make", source, "--out", link), OUTPUT, "symbolic link to nothing")
    assert ("loop" in line) == (kind == "loop") and "File exists" not in line


def test_media_of_a_constant_offset_or_a_hum_is_a_media_refusal(tmp_path):
    from recordings import write_wav

    source = tmp_path / "s.txt"
    source.write_text("Hello there, this is a programme.\n")
    for name, sound in (("dc.wav", np.full(16000 * 4, 0.25, np.float32)),
                        ("hum.wav", (0.1 * np.sin(2 * np.pi * 50 * np.arange(16000 * 4) / 16000)).astype(np.float32))):
        write_wav(tmp_path / name, sound)
        one_line(run("make", source, "--audio", tmp_path / name, "--out", tmp_path / "o"), MEDIA, name)


def test_a_one_line_scc_is_read_in_bounded_memory(tmp_path):
    source = tmp_path / "oneline.scc"
    source.write_text("Scenarist_SCC V1.0\n\n00:00:00:00\t" + " ".join(["c8e5"] * 500_000) + "\n")
    # Python's own allocations, counted exactly (the process's resident size varies with the machine's load).
    code = ("import sys, tracemalloc\ntracemalloc.start()\nfrom captions.formats import read_cues\n"
            "try:\n    read_cues(sys.argv[1])\nexcept Exception as err:\n    print(type(err).__name__)\n"
            "print(tracemalloc.get_traced_memory()[1])")
    done = subprocess.run([sys.executable, "-c", code, str(source)], capture_output=True, text=True, timeout=300)
    peak = int(done.stdout.split()[-1])
    assert done.stdout.split()[0] == "InputError"  # no caption text: c8e5 alone shows nothing
    assert peak < 80_000_000, peak  # 230 MB when the whole line was one regular-expression match (935 MB at 10 MB)


def test_a_long_timed_segment_builds_its_time_map_once(tmp_path, monkeypatch):
    from captions import timing
    from captions.formats import read_file
    from captions.pipeline import Options, caption
    from captions.profiles import get_profile

    source = tmp_path / "t.srt"
    source.write_text("".join(f"{n + 1}\n{n * 2 // 3600:02d}:{n * 2 // 60 % 60:02d}:{n * 2 % 60:02d},000 --> "
                              f"{n * 2 // 3600:02d}:{n * 2 // 60 % 60:02d}:{n * 2 % 60:02d},900\nWords of cue {n}.\n\n"
                              for n in range(2_000)))
    built = []
    real = timing.TimeMap

    class Counting(real):
        def __init__(self, anchors):
            built.append(len(anchors))
            super().__init__(anchors)

    monkeypatch.setattr(timing, "TimeMap", Counting)
    segments = read_file(source)
    track = caption(segments, get_profile("netflix", "en"), Options(fps=25.0))
    assert len(track.cues) >= 1_000
    assert len(built) <= len(segments)  # was two per cue: quadratic in a long segment


def test_a_killed_runs_temporary_file_is_removed_by_the_next_run(tmp_path):
    source = tmp_path / "s.txt"
    source.write_text("Hello there.\n")
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = out / f".captions-{dead.pid}-abc123.tmp"
    stale.write_bytes(b"")
    alive = out / f".captions-{os.getpid()}-def456.tmp"  # a live writer's file is left alone
    alive.write_bytes(b"")
    assert run("make", source, "--out", out).returncode == 0
    assert not stale.exists() and alive.exists()


# ----------------------------------------------------------------------------- clear errors

def test_options_as_users_type_them(tmp_path):
    source = tmp_path / "s.txt"
    source.write_text("Hello there.\n")
    assert run("make", source, "--fps", "25.0", "-f", "SRT,Vtt", "--out", tmp_path / "o").returncode == 0
    assert (tmp_path / "o" / "s.en.srt").exists() and (tmp_path / "o" / "s.en.vtt").exists()
    line = one_line(run("make", source, "--to", "en,EN", "--out", tmp_path / "p"), OPTION, "--to en")
    assert "already" in line and "models install" not in line


def test_an_unforeseen_failure_is_one_line_not_a_traceback(tmp_path):
    code = ("import sys\nfrom captions import cli\n"
            "def broken(*a, **k):\n    raise ValueError('boom')\n"
            "import captions.formats\ncaptions.formats.read_cues = broken\n"
            "sys.argv = ['captions', 'check', sys.argv[1]]\ncli.run()\n")
    source = tmp_path / "x.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:02,000\nHi.\n")
    done = subprocess.run([sys.executable, "-c", code, str(source)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == ["error: internal error (please report it): ValueError: boom"]


def test_a_tab_separated_csv_manifest_is_read(tmp_path):
    path = manifest(tmp_path, "input\tout\na.txt\tsubs\n")
    done = run("batch", path)
    assert done.returncode == 0, done.stderr
    assert "Alpha words" in (tmp_path / "job" / "subs" / "a.en.srt").read_text()


def test_batch_says_each_programmes_qc_in_one_line_and_the_worst_at_the_end(tmp_path):
    path = manifest(tmp_path, "input,out\na.txt,o\nb.txt,o\n")
    (tmp_path / "job" / "b.txt").write_text("Beta headline.\n" + "A very long sentence goes on " * 30 + "and ends.\n")
    done = run("batch", path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("done: ") and "a.txt (en " in line and "cues, QC" in line for line in lines), lines
    with_issues = [line for line in lines if line.startswith("done: ") and "QC clean" not in line]
    assert lines[-1].startswith("most QC issues: ") == bool(with_issues), lines


def test_a_rerun_report_carries_outputs_qc_and_errors_forward(tmp_path):
    path = manifest(tmp_path, "input,out\na.txt,o\nbroken.srt,o\n")
    (tmp_path / "job" / "broken.srt").write_text("1\n00:00:02,000 --> 00:00:01,000\nBackwards.\n")
    first = run("batch", path)
    assert first.returncode == 1
    report = json.loads((tmp_path / "job" / "run-report.json").read_text())["programmes"]
    second = run("batch", path)
    again = json.loads((tmp_path / "job" / "run-report.json").read_text())["programmes"]
    assert [entry["status"] for entry in again] == ["skipped", "failed-before"], second.stdout
    assert again[0]["languages"][0]["outputs"] == report[0]["languages"][0]["outputs"]
    assert again[0]["languages"][0]["qc"] == report[0]["languages"][0]["qc"] and again[0]["languages"][0]["cues"]
    assert again[1]["error"] == report[1]["error"] != "" and again[1]["exit_code"] == report[1]["exit_code"] == INPUT


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_says_what_is_done_writes_the_report_and_ends_the_workers(tmp_path, jobs):
    folder = tmp_path / "job"
    folder.mkdir()
    rows = []
    for number in range(60):
        (folder / f"p{number:02d}.txt").write_text(f"Headline {number}.\n" + "Words go on and on here. " * 40 + "\n")
        rows.append(f"p{number:02d}.txt")
    (folder / "m.csv").write_text("input\n" + "\n".join(rows) + "\n")
    process = subprocess.Popen([sys.executable, "-m", "captions.cli", "batch", str(folder / "m.csv"), "-j", jobs],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    first = process.stdout.readline()  # the first programme is done: interrupt the rest
    assert first.startswith("done: "), first
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, (out, err)
    assert "Traceback" not in err and "interrupted: " in err and "left; run the same command to resume" in err
    report = json.loads((folder / "run-report.json").read_text())
    assert report["interrupted"] and any(entry["status"] == "not-run" for entry in report["programmes"])
    resumed = run("batch", folder / "m.csv")  # the rerun finishes the rest, redoing nothing done
    assert resumed.returncode == 0 and "not-run" not in (folder / "run-report.json").read_text()


@pytest.mark.parametrize("name, data, said", [
    ("notes.txt", b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "a Word document (.docx): save it as plain text"),
    ("show.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),  # was read as Shift-JIS and captioned
    ("still.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a picture (PNG)"),
    ("song.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x00", "give it as --audio"),
    ("take.txt", b"RIFF\x24\x00\x00\x00WAVEfmt ", "give it as --audio"),
])
def test_a_file_that_is_not_text_is_named_for_what_it_is(tmp_path, name, data, said):
    source = tmp_path / name
    source.write_bytes(data)
    one_line(run("make", source, "--out", tmp_path / "o"), INPUT, source, said)
    assert not (tmp_path / "o").exists()


def test_a_manifest_row_without_lang_is_captioned_in_its_own_language_and_skipped_when_unchanged(tmp_path):
    path = manifest(tmp_path, "input\na.txt\nnhk.txt\n")
    (tmp_path / "job" / "nhk.txt").write_text("日本の首相は十日、ワシントンで大統領と会談しました。\n", encoding="utf-8")
    first = run("batch", path)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "job" / "nhk.ja.srt").exists() and (tmp_path / "job" / "a.en.srt").exists()
    again = run("batch", path)
    assert again.returncode == 0 and again.stdout.count("skipped: ") == 2, again.stdout


def test_batch_of_a_folder_or_a_glob_is_a_manifest_of_its_transcripts(tmp_path):
    two_scripts(tmp_path, "shows/ep1/news.txt", "shows/ep2/news.txt")
    done = run("batch", "shows", "--out", "subs", "-f", "srt,vtt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "subs/ep1/news.en.vtt").exists() and (tmp_path / "subs/ep2/news.en.srt").exists()
    assert json.loads((tmp_path / "shows" / "run-report.json").read_text())["totals"]["done"] == 2
    again = run("batch", "shows", "--out", "subs", "-f", "srt,vtt", cwd=tmp_path)  # its own report is no input
    assert again.returncode == 0 and again.stdout.count("skipped: ") == 2, again.stdout + again.stderr
    flat = run("batch", "shows/*/news.txt", "--out", "flat", cwd=tmp_path)
    assert flat.returncode == OPTION and "would both write" in flat.stderr  # one name, one folder: refused
