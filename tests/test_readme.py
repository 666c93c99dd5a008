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
