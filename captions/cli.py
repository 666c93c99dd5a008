"""The ``captions`` command: wiring of options to the pipeline, the batch runner and QC."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from . import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Turn broadcast transcripts into timed, standards-compliant caption files.",
    epilog="Examples:\n\n"
    "  captions make programme.txt                      # programme.en.srt next to the input\n\n"
    "  captions make scripts/ --out subs --format srt,vtt --jobs 2\n\n"
    "  captions make interview.json --profile bbc --speakers label\n\n"
    "  captions check programme.en.srt --profile netflix --lang en",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"captions {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """Turn broadcast transcripts into timed, standards-compliant caption files."""


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@app.command(
    epilog="Examples:\n\n"
    "  captions make seeds/news.txt --out out\n\n"
    "  captions make 'scripts/*.txt' --out subs --format srt,vtt,json --report\n\n"
    "  captions make news.txt --fps 25 --start 10:00:00:00 --duration 2:35\n\n"
    "  captions make ja_news.txt --lang ja --encoding cp932",
)
def make(
    inputs: list[str] = typer.Argument(..., help="Transcript files, folders or glob patterns."),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="Output folder (default: next to each input)."),
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the transcript (en, ja, fr, ...)."),
    profile: str = typer.Option("netflix", "--profile", "-p", help="Profile name (see `captions profiles`) or TOML file."),
    fmt: str = typer.Option("srt", "--format", "-f", help="Output formats, comma separated: srt, vtt, json."),
    fps: Optional[str] = typer.Option(None, help="Frame rate: 23.976, 24, 25, 29.97, 30, 50, 59.94 (default: the profile's)."),
    start: str = typer.Option("0", help="Time of the first frame: seconds or SMPTE timecode, e.g. 10:00:00:00."),
    duration: Optional[str] = typer.Option(None, help="Fit untimed input to this programme length, e.g. 2:35."),
    speakers: Optional[str] = typer.Option(None, help="How speakers show: none, dash, label or colour (default: the profile's)."),
    headline: str = typer.Option("caption", help="The script's headline: caption or skip."),
    encoding: Optional[str] = typer.Option(None, help="Text encoding of the inputs (default: detect UTF-8/16, Shift-JIS)."),
    input_format: Optional[str] = typer.Option(None, "--input-format", help="script, srt, vtt or json (default: detect)."),
    speaker_pause: float = typer.Option(0.5, help="Extra seconds of silence at a speaker change (untimed input)."),
    paragraph_pause: float = typer.Option(0.25, help="Extra seconds between paragraphs (untimed input)."),
    report: bool = typer.Option(False, "--report", help="Write the full QC report as NAME.LANG.qc.txt."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Files captioned in parallel processes."),
    to: Optional[str] = typer.Option(None, "--to", help="Also translate into these languages, comma separated (offline, Argos models)."),
    device: Optional[str] = typer.Option(None, help="Translation device: cpu, cuda or auto (default: cpu)."),
    glossary: Optional[str] = typer.Option(None, help="Glossary for translation: TSV (lang, source, target) or TOML."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Translate every sentence again, ignoring the cache."),
    audio: Optional[str] = typer.Option(None, "--audio", help="The programme's media (mp4, mov, wav, ...): time cues to the speech."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only."),
) -> None:
    """Caption transcripts: writes OUT/NAME.LANG.srt (and other formats) and prints a QC summary."""
    from .batch import expand_inputs, run_batch
    from .errors import CaptionsError
    from .pipeline import Options
    from .profiles import get_profile, normalise_lang
    from .timecode import parse_fps, parse_time

    if headline not in ("caption", "skip"):
        _fail(f"--headline must be caption or skip, not {headline!r}")
    try:
        profile_rules = get_profile(profile, normalise_lang(lang))
        frame_rate = parse_fps(fps) if fps else profile_rules.fps
        options = Options(
            lang=lang, profile=profile, formats=tuple(f.strip() for f in fmt.split(",") if f.strip()),
            speakers=speakers, headline=headline, fps=frame_rate, start=parse_time(start, frame_rate),
            duration=parse_time(duration, frame_rate) if duration else None, speaker_pause=speaker_pause,
            paragraph_pause=paragraph_pause, encoding=encoding, input_format=input_format, report=report,
            to=tuple(t.strip() for t in (to or "").split(",") if t.strip()), device=device,
            glossary=glossary, cache=not no_cache, audio=audio,
            progress=sys.stderr.isatty() and not quiet and jobs == 1,
        )
        from .pipeline import check_options

        check_options(options)
    except CaptionsError as err:
        _fail(str(err))
    sources = expand_inputs(inputs)
    if audio and len(sources) > 1:
        _fail("--audio is the media of one programme: give one transcript with it")
    progress = _Progress(len(sources), quiet)
    outcomes = run_batch(sources, out, options, jobs, progress.advance)
    progress.close()
    failed = [outcome for outcome in outcomes if outcome.error or outcome.result.errors]
    if len(sources) > 1 and not quiet:
        typer.echo(f"{len(sources) - len(failed)} of {len(sources)} files captioned", err=bool(failed))
    raise typer.Exit(1 if failed else 0)


class _Progress:
    """One line per file; on a terminal, a progress bar for batches as well."""

    def __init__(self, total: int, quiet: bool):
        self.quiet, self.bar = quiet, None
        if total > 1 and sys.stderr.isatty() and not quiet:
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.start()
            self.task = self.bar.add_task("captioning", total=total)

    def advance(self, outcome) -> None:
        from .qc import summary

        if self.bar:
            self.bar.advance(self.task)
        if outcome.error:
            (self.bar.console.print if self.bar else lambda m: typer.echo(m, err=True))(f"error: {outcome.error}")
            return
        if self.quiet:
            return
        lines = []
        for language in outcome.result.languages:
            outputs = ", ".join(str(path) for path in language.outputs)
            lines.append(f"{outcome.source} -> {outputs} ({language.cues} cues; QC: {summary(language.issues)})")
            lines += [f"  note: {note}" for note in language.notes]
        for error in outcome.result.errors:
            typer.echo(f"error: {error}", err=True)
        if self.bar:
            self.bar.console.print("\n".join(lines), markup=False, highlight=False)
        else:
            typer.echo("\n".join(lines))

    def close(self) -> None:
        if self.bar:
            self.bar.stop()


@app.command(epilog="Example:\n\n  captions check show.ja.srt --profile netflix --lang ja --json")
def check(
    file: Path = typer.Argument(..., help="SRT or WebVTT file to lint."),
    profile: str = typer.Option("netflix", "--profile", "-p", help="Profile name or TOML file."),
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the captions."),
    fps: Optional[str] = typer.Option(None, help="Frame rate for gap rules (default: the profile's)."),
    encoding: Optional[str] = typer.Option(None, help="Text encoding (default: detect)."),
    as_json: bool = typer.Option(False, "--json", help="Print the issues as JSON."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
) -> None:
    """Check a caption file against a profile; exit 1 when a rule is broken."""
    from . import qc
    from .errors import CaptionsError
    from .profiles import get_profile
    from .readers import read_cues
    from .timecode import parse_fps

    try:
        rules = get_profile(profile, lang)
        cues = read_cues(file, encoding)
        issues = qc.check(cues, rules, parse_fps(fps) if fps else rules.fps)
    except CaptionsError as err:
        _fail(str(err.located(str(file))), 1)
    errors = [issue for issue in issues if issue.severity == qc.ERROR or strict]
    if as_json:
        typer.echo(json.dumps({"file": str(file), "profile": rules.name, "lang": rules.lang, "cues": len(cues),
                               "issues": [issue.as_dict() for issue in issues]}, ensure_ascii=False, indent=1))
    else:
        for issue in issues:
            typer.echo(f"{file}: {issue}")
        typer.echo(f"{file}: {len(cues)} cues, {qc.summary(issues)}")
    raise typer.Exit(1 if errors else 0)


@app.command()
def profiles() -> None:
    """List the built-in profiles and their rules per language."""
    from .profiles import listing

    header = f"{'#':>2}  {'profile':<13}{'lang':<8}{'chars':>6}{'lines':>6}{'speed':>10}{'min s':>7}{'max s':>6}{'gap':>5}{'fps':>8}"
    typer.echo(header)
    for number, rule in enumerate(listing(), start=1):
        speed = f"{rule.max_wpm:g} wpm" if rule.max_wpm else f"{rule.max_cps:g} cps"
        typer.echo(f"{number:>2}  {rule.name:<13}{rule.lang:<8}{rule.max_chars_per_line:>6g}{rule.max_lines:>6}"
                   f"{speed:>10}{rule.min_duration:>7.2f}{rule.max_duration:>6g}{rule.min_gap_frames:>4}f"
                   f"{rule.fps:>8.3f}")
    typer.echo("\nA profile applies the rules of the track's language (--lang); 'other' covers every other language.")


@app.command(epilog="Example:\n\n  captions align show.en.srt --audio show.mp4 --profile netflix")
def align(
    captions_file: Path = typer.Argument(..., help="SRT or WebVTT file whose cues to re-time."),
    audio: str = typer.Option(..., "--audio", help="The programme's media file."),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="Output folder (default: next to the input)."),
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the captions."),
    profile: str = typer.Option("netflix", "--profile", "-p", help="Profile whose timing rules apply."),
    fps: Optional[str] = typer.Option(None, help="Frame rate (default: the profile's)."),
    encoding: Optional[str] = typer.Option(None, help="Text encoding (default: detect)."),
) -> None:
    """Re-time an existing caption file to the audio, keeping its text: writes NAME.aligned.srt/.vtt."""
    from .errors import CaptionsError
    from .pipeline import realign_file

    try:
        path, notes = realign_file(captions_file, audio, out, lang, profile, fps, encoding,
                                   progress=sys.stderr.isatty())
    except CaptionsError as err:
        _fail(str(err.located(str(captions_file))), 1)
    typer.echo(f"{captions_file} -> {path}")
    for note in notes:
        typer.echo(f"  note: {note}")


models_app = typer.Typer(help="Translation models (Argos Translate packages): list, install, remove.",
                         no_args_is_help=True, rich_markup_mode=None)
app.add_typer(models_app, name="models")


@models_app.command("list")
def models_list(
    available: bool = typer.Option(False, "--available", help="List the online index instead (needs the network)."),
) -> None:
    """List installed translation models."""
    from .errors import CaptionsError
    from .models import available_packages, installed_packages, packages_dir

    try:
        if available:
            for package in available_packages():
                typer.echo(f"{package.from_code}->{package.to_code}  {package.package_version}")
            return
        packages = installed_packages()
        for package in packages:
            typer.echo(f"{package.from_code}->{package.to_code}  {package.package_version}  {package.package_path}")
        if not packages:
            typer.echo(f"no models installed in {packages_dir()}")
    except CaptionsError as err:
        _fail(str(err), 1)


@models_app.command("install", epilog="Examples:\n\n  captions models install en ja\n\n"
                    "  captions models install translate-en_ja-1_1.argosmodel")
def models_install(args: list[str] = typer.Argument(..., help="FROM TO (download) or .argosmodel files (offline).")) -> None:
    """Install a model from the online index (FROM TO) or from .argosmodel files."""
    from .errors import CaptionsError
    from .models import install_file, install_pair

    try:
        if len(args) == 2 and not any(arg.endswith(".argosmodel") or Path(arg).exists() for arg in args):
            typer.echo(f"installed {install_pair(*args)}")
            return
        for arg in args:
            typer.echo(f"installed {install_file(arg)}")
    except CaptionsError as err:
        _fail(str(err), 1)


@models_app.command("remove")
def models_remove(source: str, target: str) -> None:
    """Remove the installed model for a language pair."""
    from .errors import CaptionsError
    from .models import remove_pair

    try:
        for path in remove_pair(source, target):
            typer.echo(f"removed {path}")
    except CaptionsError as err:
        _fail(str(err), 1)


if __name__ == "__main__":
    app()
