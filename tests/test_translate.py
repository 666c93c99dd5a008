"""Offline translation end to end with tiny packages built here (never downloaded)."""

import os
import subprocess
import sys
import zipfile

import pytest
import srt

from tiny_argos import build_packages

pytest.importorskip("ctranslate2", reason="the translate extra is installed by .ci/run")

SCRIPT = """animals today
the big cat eats the fish today. a dog sees the bird.
S/ Ann Lee, Teacher: hello, the friend is small! the student reads the book tomorrow.
"""


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    environment = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
                   "XDG_CONFIG_HOME": str(home / "config"), "XDG_CACHE_HOME": str(home / "cache"),
                   "ARGOS_PACKAGES_DIR": str(home / "packages"), "COLUMNS": "200"}
    for package in build_packages(home / "built", ("en-ja", "ja-fr")):
        done = subprocess.run([sys.executable, "-c", f"from captions.models import install_file; install_file({str(package)!r})"],
                              env=environment, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    return environment


def make(env, *args):
    return subprocess.run([sys.executable, "-m", "captions.cli", "make", *map(str, args)], env=env,
                          capture_output=True, text=True)


def test_to_ja_translates_whole_sentences_under_the_ja_profile(env, tmp_path):
    source = tmp_path / "animals.txt"
    source.write_text(SCRIPT)
    result = make(env, source, "--out", tmp_path, "--to", "ja")
    assert result.returncode == 0, result.stderr
    english = list(srt.parse((tmp_path / "animals.en.srt").read_text()))
    japanese = list(srt.parse((tmp_path / "animals.ja.srt").read_text()))
    text = "".join(cue.content for cue in japanese)
    assert "猫" in text and "魚" in text and "大きい" in text  # the dictionary words went through the model
    from captions.text import display_width
    assert all(display_width(line, "cjk") <= 13 for cue in japanese for line in cue.content.split("\n"))
    # every language stays in sync: target cues lie inside the source's time span
    assert japanese[0].start >= english[0].start
    assert japanese[-1].end.total_seconds() <= english[-1].end.total_seconds() + 1.0


def test_pivot_through_an_installed_language_is_reported(env, tmp_path):
    source = tmp_path / "animals.txt"
    source.write_text(SCRIPT)
    result = make(env, source, "--out", tmp_path, "--to", "fr")
    assert result.returncode == 0, result.stderr
    assert "translated through ja" in result.stdout
    assert (tmp_path / "animals.fr.srt").exists()


def test_missing_model_names_the_install_command_and_spares_other_languages(env, tmp_path):
    source = tmp_path / "animals.txt"
    source.write_text(SCRIPT)
    result = make(env, source, "--out", tmp_path, "--to", "de,ja")
    assert result.returncode == 1
    assert "no en->de translation model installed" in result.stderr and "argospm install translate-en_de" in result.stderr
    assert not (tmp_path / "animals.de.srt").exists()
    assert (tmp_path / "animals.ja.srt").exists() and (tmp_path / "animals.en.srt").exists()


@pytest.mark.parametrize("members, message", [
    ({"../evil/metadata.json": "{}"}, "unsafe path"),
    ({"pkg/metadata.json": "{}", "pkg/model/model.bin": "x", "pkg/sentencepiece.model": "x"}, "lacks"),
    ({"pkg/metadata.json": '{"from_code": "en", "to_code": "xx", "package_version": "1"}'}, "no model/"),
])
def test_broken_or_malicious_packages_are_rejected(env, tmp_path, members, message):
    package = tmp_path / "bad.argosmodel"
    with zipfile.ZipFile(package, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    done = subprocess.run([sys.executable, "-c", f"from captions.models import install_file; install_file({str(package)!r})"],
                          env=env, capture_output=True, text=True)
    assert done.returncode != 0 and message in done.stderr
    packages = os.listdir(env["ARGOS_PACKAGES_DIR"])
    assert sorted(packages) == ["translate-en_ja-0_1", "translate-ja_fr-0_1"]
