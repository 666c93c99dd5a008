"""README's option table for `captions make` kept in step with the command itself: every option the
command has is in the table (and the table names none it lacks), and the lists of formats and
frame rates are the registry's and the timecode module's."""

import re
from pathlib import Path

import typer

from captions.cli import app
from captions.formats import REGISTRY, writable
from captions.timecode import FRAME_RATES

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
TABLE = README.split("### `captions make INPUT...`", 1)[1].split("\n### ", 1)[0]
ROWS = {row.split("|")[1]: row.split("|")[2] for row in TABLE.splitlines() if row.startswith("| `-")}


def options_of(command):
    return {opt for param in typer.main.get_command(app).commands[command].params
            for opt in [*param.opts, *param.secondary_opts] if opt.startswith("--") and opt != "--help"}


def row_of(option):
    return next(text for names, text in ROWS.items() if re.search(rf"`{re.escape(option)}[`/ ]", names))


def test_every_make_option_is_in_the_readme_table_and_no_other():
    written = {name for names in ROWS for name in re.findall(r"--[a-z][a-z-]*", names)}
    assert options_of("make") - written == set(), "options the README does not list"
    assert written - options_of("make") == set(), "README lists options make does not have"


def test_the_readme_lists_every_format_and_frame_rate():
    formats = row_of("--format")
    assert all(f"`{name}`" in formats for name in writable()), formats
    inputs = row_of("--input-format")
    assert all(f"`{name}`" in inputs for name in REGISTRY if REGISTRY[name].read_entries or
               REGISTRY[name].read_transcript), inputs
    rates = row_of("--fps")
    assert all(rate in rates for rate in FRAME_RATES), rates


def _commands():
    """(words, click command) of every command and sub-command: ("make",), ("models", "install")..."""
    def walk(command, words):
        yield words, command
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                yield from walk(sub, (*words, name))

    return list(walk(typer.main.get_command(app), ()))


def _options(command):
    return {opt for param in command.params for opt in [*param.opts, *param.secondary_opts]
            if opt.startswith("--") and opt != "--help"}


def test_every_option_of_every_command_is_in_the_readme():
    missing = {" ".join(words): sorted(opt for opt in _options(command) if not re.search(rf"{opt}(?![a-z-])", README))
               for words, command in _commands()}
    assert not any(missing.values()), missing


def test_the_readme_gives_no_command_an_option_it_lacks():
    """Every ``captions CMD ... --option`` the README shows, in a code block or inline, is one CMD has."""
    shown = re.findall(r"captions ([a-z]+(?: [a-z]+)?)([^`\n#]*)", README)
    commands = {" ".join(words): _options(command) for words, command in _commands()}
    checked = 0
    for words, rest in shown:
        name = words if words in commands else words.split()[0]
        if name not in commands:
            continue
        wrong = [opt for opt in re.findall(r"(?<![\w-])--[a-z][a-z-]*", rest) if opt not in commands[name]]
        assert not wrong, f"captions {words}{rest}: {wrong}"
        checked += 1
    assert checked >= 40
