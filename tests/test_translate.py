"""Offline translation end to end with tiny packages built here (never downloaded)."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import srt
from tiny_argos import build_packages, serve_index

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
        done = cli(environment, "models", "install", package)
        assert done.returncode == 0 and "installed" in done.stdout, done.stderr
    return environment


def make(env, *args):
    return cli(env, "make", *args)


def cli(env, *args):
    return subprocess.run([sys.executable, "-m", "captions.cli", *map(str, args)], env=env,
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
    assert result.returncode == 4  # ModelError
    assert "no en->de translation model installed" in result.stderr and "captions models install en de" in result.stderr
    assert "translate-en_de-*.argosmodel" in result.stderr  # the offline way too, in the same line
    assert "captions models download en de" in result.stderr  # and where the file comes from
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "animals.de.srt").exists()
    assert (tmp_path / "animals.ja.srt").exists() and (tmp_path / "animals.en.srt").exists()


@pytest.mark.parametrize("members, message", [
    ({"../evil/metadata.json": "{}"}, "unsafe path"),
    ({"pkg/metadata.json": "{}", "pkg/model/model.bin": "x", "pkg/sentencepiece.model": "x"}, "lacks"),
    ({"pkg/metadata.json": '{"from_code": "en", "to_code": "xx", "package_version": "1"}'}, "no model/model.bin"),
])
def test_broken_or_malicious_packages_are_rejected(env, tmp_path, members, message):
    package = tmp_path / "bad.argosmodel"
    with zipfile.ZipFile(package, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    done = cli(env, "models", "install", package)
    assert done.returncode == 4 and message in done.stderr and len(done.stderr.splitlines()) == 1
    packages = os.listdir(env["ARGOS_PACKAGES_DIR"])
    assert sorted(packages) == ["translate-en_ja-0_1", "translate-ja_fr-0_1"]


def test_glossary_terms_survive_the_model_and_name_the_speaker(env, tmp_path):
    source = tmp_path / "summit.txt"
    source.write_text("summit today\nS/ Kishida Fumio, Prime Minister: the big cat eats the fish. "
                      "Kishida Fumio likes the Senkaku Islands today.\n")
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("# lang\tsource\ttarget\nja\tKishida Fumio\t岸田文雄\nja\tSenkaku Islands\t尖閣諸島\n"
                        "ja\tPrime Minister\t総理大臣\n")
    result = make(env, source, "--out", tmp_path, "--to", "ja", "--glossary", glossary, "--speakers", "label")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "summit.ja.srt").read_text().replace("\n", "")
    assert "岸田文雄" in text and "尖閣諸島" in text and "猫" in text
    assert "（岸田文雄" in text and "総理大臣）" in text  # the label, through the glossary
    assert "7001" not in text and "7002" not in text


def test_bad_glossary_is_a_one_line_error(env, tmp_path):
    source = tmp_path / "a.txt"
    source.write_text(SCRIPT)
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("ja\tcat\t猫\nthis line is wrong\n")
    result = make(env, source, "--out", tmp_path, "--to", "ja", "--glossary", glossary)
    assert result.returncode == 2 and f"{glossary}:2:" in result.stderr


def test_cache_translates_only_changed_sentences(env, tmp_path):
    cache_env = {**env, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    source = tmp_path / "animals.txt"
    source.write_text(SCRIPT)
    first = make(cache_env, source, "--out", tmp_path, "--to", "ja")
    assert "0 of 4 sentences from the translation cache" in first.stdout
    source.write_text(SCRIPT.replace("a dog sees the bird.", "a dog sees the tree."))
    second = make(cache_env, source, "--out", tmp_path, "--to", "ja")
    assert "3 of 4 sentences from the translation cache" in second.stdout
    assert "木" in (tmp_path / "animals.ja.srt").read_text()
    bypass = make(cache_env, source, "--out", tmp_path, "--to", "ja", "--no-cache")
    assert "from the translation cache" not in bypass.stdout


def test_models_list_remove_and_a_broken_folder(env, tmp_path):
    private = {**env, "ARGOS_PACKAGES_DIR": str(tmp_path / "packages")}
    (tmp_path / "packages" / "broken-package").mkdir(parents=True)  # no metadata.json
    for package in build_packages(tmp_path / "built", ("en-ja",)):
        assert cli(private, "models", "install", package).returncode == 0
    listing = cli(private, "models", "list")
    assert listing.returncode == 0 and "en->ja" in listing.stdout
    source = tmp_path / "animals.txt"
    source.write_text(SCRIPT)
    assert make(private, source, "--out", tmp_path, "--to", "ja").returncode == 0
    assert cli(private, "models", "remove", "en", "ja").returncode == 0
    assert "en->ja" not in cli(private, "models", "list").stdout
    assert cli(private, "models", "remove", "en", "ja").returncode == 4


def test_translated_tracks_keep_the_alignment_warnings(env, tmp_path):
    from recordings import make as record

    # A closing sentence the recording never has: the aligner reports it every time (tests/test_align.py).
    texts, _ = record(tmp_path / "news.wav", seed=3)
    source = tmp_path / "news.txt"
    source.write_text("\n".join([*texts, "And one more sentence at the end that nobody ever says aloud."]) + "\n")
    result = make(env, source, "--out", tmp_path, "--to", "ja", "--audio", tmp_path / "news.wav", "--report")
    assert result.returncode == 0, result.stderr
    english = (tmp_path / "news.en.qc.txt").read_text()
    japanese = (tmp_path / "news.ja.qc.txt").read_text()
    assert "timing uncertain" in english and "nobody ever" in english
    assert "timing uncertain" in japanese  # the translation shows the same doubtful stretch


def test_models_install_a_folder_carried_over_and_path(env, tmp_path):
    private = {**env, "ARGOS_PACKAGES_DIR": str(tmp_path / "packages")}
    build_packages(tmp_path / "carried", ("en-ja", "ja-fr"))
    done = cli(private, "models", "install", tmp_path / "carried")
    assert done.returncode == 0 and done.stdout.count("installed") == 2, done.stderr
    assert {"en->ja", "ja->fr"} <= set(cli(private, "models", "list").stdout.split())
    assert cli(private, "models", "path").stdout.strip() == str(tmp_path / "packages")
    empty = tmp_path / "empty"
    empty.mkdir()
    refused = cli(private, "models", "install", empty)
    assert refused.returncode == 2 and "no .argosmodel files" in refused.stderr



def test_models_download_fetches_a_file_to_carry_and_installs_nothing(env, tmp_path):
    import json

    served = tmp_path / "served"
    package = Path(build_packages(served, ("en-ja",))[0])
    (served / "broken.argosmodel").write_bytes(b"<html>not found</html>")
    url = serve_index(served)
    entries = [{"from_code": "en", "to_code": "ja", "package_version": "1.1", "links": [url + package.name]},
               {"from_code": "en", "to_code": "ko", "package_version": "1.0", "links": [url + "broken.argosmodel"]}]
    (served / "index.json").write_text(json.dumps(entries))
    connected = {**env, "ARGOS_PACKAGE_INDEX": url, "ARGOS_PACKAGES_DIR": str(tmp_path / "connected")}
    done = cli(connected, "models", "download", "en", "ja", "--to", tmp_path / "carried")
    assert done.returncode == 0, done.stderr
    carried = tmp_path / "carried" / "translate-en_ja-1_1.argosmodel"
    assert carried.read_bytes() == package.read_bytes() and "no models installed" in cli(connected, "models", "list").stdout
    offline = {**env, "ARGOS_PACKAGE_INDEX": "http://127.0.0.1:9/", "ARGOS_PACKAGES_DIR": str(tmp_path / "offline")}
    assert cli(offline, "models", "install", tmp_path / "carried").returncode == 0
    assert "en->ja" in cli(offline, "models", "list").stdout
    broken = cli(connected, "models", "download", "en", "ko", "--to", tmp_path / "carried")
    assert broken.returncode == 4 and "not an Argos package" in broken.stderr, broken.stderr
    assert sorted(path.name for path in (tmp_path / "carried").iterdir()) == [carried.name]
    missing = cli(connected, "models", "download", "en", "xx", "--to", tmp_path / "carried")
    assert missing.returncode == 4 and "has no en->xx package" in missing.stderr
    unreachable = cli(offline, "models", "download", "en", "ja")
    assert unreachable.returncode == 4 and "cannot reach the Argos package index" in unreachable.stderr


def test_pieces_the_model_does_not_know_are_copied_never_shown_as_unknowns_and_counted_in_qc(env, tmp_path):
    import json

    source = tmp_path / "prices.txt"
    source.write_text("animals today\nthe cat don’t eat the fish for €5 today.\nthe dog sees the bird.\n")
    done = make(env, source, "--out", tmp_path, "--to", "ja", "--json")
    assert done.returncode == 0, done.stderr
    shown = srt.parse((tmp_path / "prices.ja.srt").read_text(encoding="utf-8"))
    text = " ".join(cue.content for cue in shown)
    assert "⁇" not in text and "€" in text and "’" in text  # the model knows neither: copied as argostranslate does
    issues = [issue for line in done.stdout.splitlines() for language in json.loads(line)["languages"]
              if language["lang"] == "ja" for issue in language["issues"]]
    untranslated = [issue for issue in issues if issue["rule"] == "untranslated"]
    assert len(untranslated) == 1 and "'’', '€'" in untranslated[0]["message"], untranslated
