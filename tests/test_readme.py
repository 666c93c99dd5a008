"""The README's set-up is what CI runs: its two commands, word for word, and nothing else."""

import os
import re

from conftest import ROOT


def _setup_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set-up: two commands", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def test_ci_runs_exactly_the_readme_set_up_commands():
    commands = _setup_commands()
    assert len(commands) == 2 and all("\n" not in command for command in commands)
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    run = [line for line in script if line and not line.startswith(("#", "set ", "export ", "cd "))]
    assert run == commands


def test_the_test_command_brings_chromium_then_runs_every_test():
    runner = ROOT / "tests" / "run"
    assert _setup_commands()[1] == "tests/run" and os.access(runner, os.X_OK)
    text = runner.read_text(encoding="utf-8")
    assert "apt-get install -y -q chromium chromium-driver" in text and "/usr/bin/chromedriver" in text
    assert text.rstrip().endswith('exec .venv/bin/python -m pytest -q "$@"')


# The files README's examples name, as a user would have them; everything else they read is made by an
# earlier command (programme.en.srt by the first make, show.ja.srt by the Japanese one).
SAMPLES = ROOT / "samples" / "inputs"
GIVEN = {"news.txt": SAMPLES / "news.txt", "nhk.txt": SAMPLES / "nhk_ja.txt", "show.ja.txt": SAMPLES / "nhk_ja.txt",
         "interview.json": SAMPLES / "interview.json", "ep02.json": SAMPLES / "interview.json",
         "approved.en.srt": SAMPLES / "report.srt", "scripts/monday.txt": SAMPLES / "news.txt",
         "more/tuesday.txt": SAMPLES / "news.txt"}
READ = ("programme", "item", "vox", "ep01")  # transcripts with a reading: NAME.txt and its media


def _blocks(kind: str) -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"```{kind}\n(.*?)```", readme.split("## Using it", 1)[1], re.S)


def _commands() -> list[str]:
    """Every command line of README's examples, in order; ``[--x]`` is run without and with ``--x``."""
    lines = [line.strip() for block in _blocks("sh") for line in block.splitlines() if line.strip()]
    runs = []
    for line in lines:
        optional = re.search(r" \[(--[a-z-]+)\]", line)
        runs += [line.replace(optional[0], ""), line.replace(optional[0], f" {optional[1]}")] if optional else [line]
    return runs


def _folder_of_inputs(folder, home):
    """The README's inputs, each a real file: scripts with their readings (generated speech), sample
    transcripts, tiny translation models, a package index served on this machine, a glossary."""
    import json
    import shutil

    import numpy as np
    from recordings import make, write_wav
    from test_align import ffmpeg
    from tiny_argos import build_packages, serve_index

    for name, source in GIVEN.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, folder / name)
    texts, _ = make(home / "reading.wav")
    make(home / "street.wav", snr_db=6, seed=4)  # vox.txt read in the street: the same words, in noise
    for name in READ:
        (folder / f"{name}.txt").write_text("\n".join(texts) + "\n", encoding="utf-8")
    ffmpeg("-i", home / "reading.wav", "-c:a", "aac", folder / "programme.mp4")
    ffmpeg("-i", home / "reading.wav", "-c:a", "aac", folder / "ep01.mp4")
    ffmpeg("-i", home / "street.wav", "-c:a", "aac", folder / "street.mp4")
    write_wav(home / "before.wav", np.zeros(16000 * 750))  # the item is read 12:30 into the bulletin
    ffmpeg("-i", home / "before.wav", "-i", home / "reading.wav", "-filter_complex", "concat=n=2:v=0:a=1",
           "-c:a", "aac", folder / "bulletin.mp4")
    built = home / "built"
    build_packages(built, ("en-ja", "en-es", "en-fr", "en-de", "en-ko"))
    shutil.copy(built / "translate-en_ja-0_1.argosmodel", folder / "translate-en_ja-1_1.argosmodel")
    (folder / "carried").mkdir()
    for pair in ("es", "fr", "de"):
        shutil.copy(built / f"translate-en_{pair}-0_1.argosmodel", folder / "carried")
    url = serve_index(built)
    (built / "index.json").write_text(json.dumps([
        {"from_code": "en", "to_code": to, "package_version": "0.1", "links": [f"{url}translate-en_{to}-0_1.argosmodel"]}
        for to in ("ja", "ko")]))
    (folder / "terms.tsv").write_text("ja\tJoe Biden\tバイデン\n*\tKishida Fumio\t=\n", encoding="utf-8")
    (folder / "archive.csv").write_text(_blocks("csv")[0], encoding="utf-8")
    (folder / "acme.toml").write_text(_blocks("toml")[0], encoding="utf-8")
    return url


def test_every_readme_command_runs_as_written(tmp_path):
    """Read top to bottom and run: each example command, then the library example, exits 0 with no
    traceback, in a folder holding the files they name, with ``captions`` on the PATH as set-up puts it."""
    import subprocess
    import sys
    from pathlib import Path

    folder, home = tmp_path / "work", tmp_path / "home"
    folder.mkdir()
    home.mkdir()
    url = _folder_of_inputs(folder, home)
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_CACHE_HOME": str(home / "cache"),
           "XDG_CONFIG_HOME": str(home / "config"), "ARGOS_PACKAGES_DIR": str(home / "packages"),
           "ARGOS_PACKAGE_INDEX": url, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for model in (folder / "carried").iterdir():  # the manifest's en->fr and en->de, as its paragraph asks
        subprocess.run(["captions", "models", "install", model], env=env, check=True, capture_output=True)
    commands = _commands()
    assert len(commands) >= 25 and commands[0].startswith("captions make programme.txt")
    for command in commands:
        done = subprocess.run(["bash", "-c", command], cwd=folder, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0 and "Traceback" not in done.stderr, (command, done.stdout[-2000:], done.stderr)
    library = subprocess.run([sys.executable, "-c", _blocks("python")[0]], cwd=folder, env=env, capture_output=True,
                             text=True, timeout=600)
    assert library.returncode == 0, library.stderr
    made = {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}
    assert {"programme.en.srt", "subs/programme.en.vtt", "subs/monday.en.srt", "subs/tuesday.en.srt", "nhk.ja.srt",
            "programme.ja.srt", "programme.fr.srt", "programme.en.aligned.srt", "carried/translate-en_ja-0_1.argosmodel",
            "deliver/ep01/ep01.de.ebu-tt-d.xml", "deliver/ep02/ep02.en.imsc.ttml", "acme/programme.en.srt", "show.ja.srt",
            "out/programme.en.imsc.ttml"} <= made, sorted(made)
