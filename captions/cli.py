"""The ``captions`` command: wiring of options to the pipeline, the batch runner and QC."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Optional

import typer

from . import __version__
from .errors import CaptionsError

if TYPE_CHECKING:
    from .batch import Outcome

AUDIO_PART_HELP = ("Where in the --audio media the transcript is read, FROM-TO (e.g. 12:30-14:05; FROM- to the "
                   "end): the rest gets no captions.")
STRICT_AUDIO_HELP = ("Refuse (exit 5) media that fits the transcript only in doubt (noise, an unusual voice), "
                     "instead of aligning it with its doubtful sentences as QC errors: for unattended batches.")
TRUST_AUDIO_HELP = ("The --audio media is the transcript's reading: align it even where it matches poorly (heavy "
                    "noise, an unusual voice) instead of refusing it; the stretches it doubts are still reported.")

def _value_names() -> None:
    """Help names a value, never a Python type: Typer 0.29 shows `INPUT <list[str]>` and `--out <str>`;
    an argument now shows its name (`INPUT...`), an option the name of its value (`--out OUT`)."""
    from typer.core import TyperArgument, TyperOption

    def option_value(self: TyperOption, ctx: object) -> str:
        if self.metavar is not None:
            return self.metavar
        name = max(self.opts, key=len).lstrip("-").replace("-", "_").upper()
        return name + ("..." if self.nargs != 1 else "")

    def argument_name(self: TyperArgument) -> str:
        return (self.metavar or self.name or "").upper() + ("..." if self.nargs != 1 else "")

    TyperArgument.display_type_rich = lambda self, ctx: ""  # type: ignore[method-assign]
    TyperArgument._rich_display_name = argument_name  # type: ignore[method-assign]
    TyperOption.display_type_rich = option_value  # type: ignore[method-assign]


_value_names()

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
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


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _fail_with(err: CaptionsError, path: str | None = None) -> NoReturn:
    """One line naming the file, and the exit code of the error's class."""
    _fail(str(err.located(path)), err.exit_code)


@app.command(
    epilog="Examples:\n\n"
    "  captions make samples/inputs/news.txt --out out\n\n"
    "  captions make 'scripts/*.txt' --out subs --format srt,vtt,json --report\n\n"
    "  captions make news.txt --fps 25 --start 10:00:00:00 --duration 2:35\n\n"
    "  captions make ja_news.txt --lang ja --encoding cp932\n\n"
    "Exit codes: 0 done, 2 bad option/profile/glossary, 3 bad input file, 4 model or engine missing,\n"
    "5 media unreadable or not this transcript's, 6 output not writable, 1 internal error.",
)
def make(
    inputs: list[str] = typer.Argument(..., metavar="INPUT", help="Transcript files, folders or glob patterns."),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="Output folder (default: next to each input)."),
    lang: Optional[str] = typer.Option(None, "--lang", "-l", help="Language of the transcript (en, ja, fr, ...); "
                                       "default: from NAME.LANG.EXT, else its script (Japanese, Chinese, Korean), else en."),
    profile: str = typer.Option("netflix", "--profile", "-p", help="Profile name (see `captions profiles`) or TOML file."),
    fmt: str = typer.Option("srt", "--format", "-f", help="Output formats, comma separated: srt, vtt, json, imsc, "
                            "ebu-tt-d, dfxp, stl, scc, ass, microdvd, sbv (see `captions formats`)."),
    fps: Optional[str] = typer.Option(None, metavar="FPS", help="Frame rate: 23.976, 24, 25, 29.97, 30, 50, 59.94, 60 "
                                      "(default: profile's)."),
    start: str = typer.Option("0", help="Time of the first frame: seconds or SMPTE timecode, e.g. 10:00:00:00."),
    duration: Optional[str] = typer.Option(None, help="Fit untimed input to this programme length, e.g. 2:35."),
    speakers: Optional[str] = typer.Option(None, help="How speakers show: none, dash, label, colour (default: profile's)."),
    headline: str = typer.Option("caption", help="The script's headline: caption or skip."),
    encoding: Optional[str] = typer.Option(None, help="Text encoding of the inputs (default: detect UTF-8/16, Shift-JIS)."),
    input_format: Optional[str] = typer.Option(None, "--input-format", help="script, srt, vtt, json, ttml, dfxp, stl, "
                                               "scc, ass, sami, microdvd or sbv (default: detect)."),
    speaker_pause: float = typer.Option(0.5, help="Extra seconds of silence at a speaker change (untimed input, 0-10)."),
    paragraph_pause: float = typer.Option(0.25, help="Extra seconds between paragraphs (untimed input, 0-10)."),
    report: bool = typer.Option(False, "--report", help="Write the full QC report as NAME.LANG.qc.txt."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, max=1024, help="Files captioned in parallel processes."),
    to: Optional[str] = typer.Option(None, "--to", metavar="LANGS",
                                     help="Also translate into these languages, comma separated (offline)."),
    device: Optional[str] = typer.Option(None, help="Translation device: cpu, cuda or auto (default: cpu)."),
    glossary: Optional[str] = typer.Option(None, help="Glossary for translation: TSV (lang, source, target) or TOML."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Translate every sentence again, ignoring the cache."),
    audio: Optional[str] = typer.Option(None, "--audio", metavar="MEDIA",
                                         help="The programme's media (mp4, mov, wav): time cues to speech."),
    audio_part: Optional[str] = typer.Option(None, "--audio-part", metavar="FROM-TO", help=AUDIO_PART_HELP),
    trust_audio: bool = typer.Option(False, "--trust-audio", help=TRUST_AUDIO_HELP),
    strict_audio: bool = typer.Option(False, "--strict-audio", help=STRICT_AUDIO_HELP),
    max_input_mb: float = typer.Option(50.0, "--max-input-mb", help="Refuse transcripts larger than this (MB)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON summary per file on stdout (no other output there)."),
    review: bool = typer.Option(False, "--review", help="Also write NAME.review.html: player, every language, every issue."),
    edit: bool = typer.Option(False, "--edit", help="Then open what was made in the editor (see `captions review "
                              "--edit`), the programme with the most QC issues first."),
    no_browser: bool = typer.Option(False, "--no-browser", help="With --edit: print the editor's address, open no browser."),
    shots: Optional[str] = typer.Option(None, "--shots", help="Time cues to shot changes: 'media' finds them in the "
                                        "--audio video; or a video file; or a list (.txt/.edl: a frame or "
                                        "timecode per line, or an EDL)."),
    sdh: bool = typer.Option(False, "--sdh", help="Keep sound descriptions and lyrics (for the deaf and hard of "
                             "hearing), in the profile's style; or use a -sdh profile."),
    forced: bool = typer.Option(False, "--forced", help="Also write NAME.LANG.forced.EXT: only the lines marked F/."),
    keep_tree: Optional[bool] = typer.Option(None, "--keep-tree/--flat", help="Mirror each input's folder under --out "
                                             "(default for a folder given), or write every output into --out itself."),
) -> None:
    """Caption transcripts: writes OUT/NAME.LANG.srt (and other formats) and prints a QC summary."""
    from .batch import find_inputs, output_folders, run_batch
    from .languages import normalise_lang
    from .plan import Options, make_plan
    from .profiles import get_profile
    from .timecode import parse_fps, parse_span, parse_time

    interactive = sys.stderr.isatty() and not quiet and not as_json
    try:
        profile_rules = get_profile(profile, normalise_lang(lang or "en"))
        frame_rate = parse_fps(fps) if fps else profile_rules.fps
        if audio and not fps:  # a video's own frame rate is the captions' (cues land on its frames)
            from .shots import video_rate

            own = video_rate(audio)
            if own is not None and abs(float(own) - frame_rate) > 1e-3:
                if not quiet and not as_json:
                    typer.echo(f"note: {audio} is video at {float(own):.3f} fps: captions timed at its rate, "
                               f"not the profile's {frame_rate:.3f} (--fps sets it)")  # stdout: errors alone on stderr
                frame_rate = float(own)
        options = Options(
            lang=lang or "en", find_lang=lang is None, profile=profile,
            formats=tuple(f.strip() for f in fmt.split(",") if f.strip()),
            speakers=speakers, headline=headline, fps=frame_rate, start=parse_time(start, frame_rate, "--start"),
            duration=parse_time(duration, frame_rate, "--duration") if duration else None, speaker_pause=speaker_pause,
            paragraph_pause=paragraph_pause, encoding=encoding, input_format=input_format, report=report,
            to=tuple(t.strip() for t in (to or "").split(",") if t.strip()), device=device,
            glossary=glossary, cache=not no_cache, audio=audio, max_input_mb=max_input_mb,
            audio_part=parse_span(audio_part, frame_rate, "--audio-part") if audio_part else None,
            trust_audio=trust_audio, strict_audio=strict_audio,
            progress=interactive and jobs == 1, review=review, shots=shots, sdh=sdh, forced=forced,
        )
        plan = make_plan(options)
    except CaptionsError as err:
        _fail_with(err)
    found = find_inputs(inputs)
    sources = [item.source for item in found]
    if audio and len(sources) > 1:
        _fail("--audio is the media of one programme: give one transcript with it")
    printer = _Printer(len(sources), quiet, as_json, interactive)
    try:
        outcomes = run_batch(sources, output_folders(found, out, keep_tree), plan, jobs, printer.advance)
    except CaptionsError as err:
        _fail_with(err)
    finally:
        printer.close()
    failed = [outcome for outcome in outcomes if outcome.failed]
    if len(sources) > 1 and not quiet and not as_json:
        typer.echo(f"{len(sources) - len(failed)} of {len(sources)} files captioned", err=bool(failed))
    if edit:
        _edit([], audio, profile, fps, None, no_browser, _made(outcomes, audio))
    raise typer.Exit(failed[0].exit_code if failed else 0)


def _made(outcomes: list[Outcome], media: str | None) -> list[dict[str, Any]]:
    """The programmes a run made, as the editor lists them: worst QC first."""
    from .editor_server import editable_files

    made = []
    for outcome in outcomes:
        if outcome.failed or outcome.result is None:
            continue
        files = [str(found) for language in outcome.result.languages
                 for found in editable_files([str(path) for path in language.outputs])]
        if files:
            made.append({"title": Path(outcome.source).name, "files": files, "media": media or "",
                         "issues": sum(len(language.issues) for language in outcome.result.languages)})
    if not made:
        _fail("--edit: no caption file was made to edit (the editor reads and writes srt, vtt, imsc, ...)")
    return sorted(made, key=lambda programme: -programme["issues"])


class _Printer:
    """What ``make`` tells the user per file: lines (or JSON), errors on stderr, a batch bar on a terminal."""

    def __init__(self, total: int, quiet: bool, as_json: bool, interactive: bool):
        from .progress import Progress

        self.quiet, self.as_json = quiet, as_json
        self.progress = Progress(interactive)
        self.advance_bar = self.progress.task("files", total) if total > 1 else None

    def advance(self, outcome: Outcome) -> None:
        if self.advance_bar:
            self.advance_bar(1)
        if self.as_json:
            typer.echo(json.dumps(outcome.summary(), ensure_ascii=False))
        if outcome.error:
            self._say(f"error: {outcome.error}", err=True)
            return
        assert outcome.result is not None
        for error in outcome.result.errors:
            self._say(f"error: {error}", err=True)
        if self.quiet or self.as_json:
            return
        from .qc import summary

        lines = []
        for language in outcome.result.languages:
            outputs = ", ".join(str(path) for path in language.outputs)
            lines.append(f"{outcome.source} -> {outputs} ({language.cues} cues; QC: {summary(language.issues)})")
            lines += [f"  note: {note}" for note in language.notes]
        if outcome.result.review:
            lines.append(f"{outcome.source} -> {outcome.result.review} (review page: open it in a browser)")
        self._say("\n".join(lines), err=False)

    def _say(self, message: str, err: bool) -> None:
        if self.progress.enabled:
            self.progress.print(message)
        else:
            typer.echo(message, err=err)

    def close(self) -> None:
        from .progress import stop

        stop()


@app.command(epilog="Examples:\n\n  captions check show.ja.srt --profile netflix --lang ja --json\n\n"
                     "  captions check call.en.srt --transcript call.whisperx.json")
def check(
    file: Path = typer.Argument(..., metavar="FILE",
                                help="Caption file to lint (SRT, WebVTT, TTML/IMSC/EBU-TT-D, cue JSON)."),
    profile: str = typer.Option("netflix", "--profile", "-p", help="Profile name or TOML file."),
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the captions."),
    fps: Optional[str] = typer.Option(None, help="Frame rate for gap rules (default: the profile's)."),
    encoding: Optional[str] = typer.Option(None, help="Text encoding (default: detect)."),
    as_json: bool = typer.Option(False, "--json", help="Print the issues as JSON."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    transcript: Optional[Path] = typer.Option(
        None, help="The word-timed transcript the captions show (whisper/WhisperX JSON, SRT, WebVTT): "
                   "also find cues that end before their last word is spoken."),
    shots: Optional[Path] = typer.Option(None, "--shots", help="The programme's video, or a list/EDL of its shot "
                                         "changes: also find cue times near a cut but not on it."),
) -> None:
    """Check a caption file against a profile; exit 1 when a rule is broken."""
    from . import qc
    from .formats import read_cues, read_file
    from .languages import normalise_lang
    from .profiles import file_context

    notes: list[str] = []
    try:
        language = file_context(profile, normalise_lang(lang), fps)
        rules = language.style
        cues = read_cues(file, encoding, notes)
        issues = qc.check(cues, language)
        if transcript is not None:
            spoken = read_file(transcript, language.lang, encoding)
            issues += qc.transcript_issues(cues, spoken, language)
        if shots is not None:
            from .shots import shot_times

            cuts = shot_times(shots, float(language.fps))
            issues += qc.shot_issues(cues, cuts, language)
        issues.sort(key=lambda issue: issue.cue)  # in cue order, as a reviewer goes through the file
    except CaptionsError as err:
        _fail_with(err, str(file))
    errors = [issue for issue in issues if issue.severity == qc.ERROR or strict]
    if as_json:
        typer.echo(json.dumps({"file": str(file), "profile": rules.name, "lang": rules.lang, "cues": len(cues),
                               "notes": notes, "issues": [issue.as_dict() for issue in issues]},
                              ensure_ascii=False, indent=1))
    else:
        for note in notes:
            typer.echo(f"{file}: note: {note}")
        for issue in issues:
            typer.echo(f"{file}: {issue}")
        typer.echo(f"{file}: {len(cues)} cues, {qc.summary(issues)}")
    raise typer.Exit(1 if errors else 0)


@app.command(epilog="Manifest (CSV with a header, JSON Lines or TOML [[programme]] tables), a row per programme:\n\n"
                     "  input,media,lang,to,formats,profile,out\n\n"
                     "  ep01.txt,ep01.mp4,en,\"fr,de\",\"srt,ebu-tt-d\",bbc,deliver/ep01\n\n"
                     "Exit codes: 0 every programme done (or unchanged since it was), 1 some failed (the run\n"
                     "report says how), 2 a bad manifest (every bad row is listed before any work).")
def batch(
    manifest: Path = typer.Argument(..., metavar="MANIFEST|FOLDER|GLOB",
                                    help="The programmes: a CSV, JSON Lines or TOML manifest; or a folder or glob "
                                    "of transcripts, one programme each, with the options below."),
    state: Optional[Path] = typer.Option(None, "--state", help="State database (default: .captions-state.sqlite "
                                         "beside the manifest); run-report.json goes beside it."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, max=1024, help="Programmes captioned in parallel processes."),
    force: bool = typer.Option(False, "--force", help="Redo every programme, done or not."),
    retry_failed: bool = typer.Option(False, "--retry-failed", help="Also redo the programmes that failed last time."),
    cluster: Optional[str] = typer.Option(None, "--cluster", help="Run on a local Dask cluster: local:N workers."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Run on a Dask cluster: its scheduler address, "
                                            "e.g. tcp://10.0.0.5:8786 (workers need the files at the same paths)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print the summary and errors only."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Also print each programme's seconds per stage and "
                                 "QC counts per language."),
    allow_outside: list[Path] = typer.Option([], "--allow-outside", metavar="DIR",
                                             help="A folder outside the manifest's that its rows may read and write "
                                             "(repeatable); any other row outside is refused."),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="For a folder or glob: the output folder (a folder's "
                                      "tree kept under it; default: beside each transcript)."),
    lang: Optional[str] = typer.Option(None, "--lang", "-l", help="For a folder or glob: the transcripts' language "
                                       "(default: each file's own)."),
    to: Optional[str] = typer.Option(None, "--to", metavar="LANGS", help="For a folder or glob: translate into these."),
    fmt: str = typer.Option("srt", "--format", "-f", help="For a folder or glob: output formats, comma separated."),
    profile: str = typer.Option("netflix", "--profile", "-p", help="For a folder or glob: the profile."),
) -> None:
    """Caption an archive from a manifest (or a folder or glob of transcripts); a rerun skips what is
    done and unchanged, and redoes the rest."""
    from .batch import LocalPool
    from .manifest import ManifestError, implicit_manifest, read_manifest
    from .plan import Options
    from .runs import run_manifest, work

    implicit = not manifest.is_file() and (manifest.is_dir() or any(char in str(manifest) for char in "*?["))
    try:
        if implicit:
            options = Options(lang=lang or "en", find_lang=lang is None, profile=profile,
                              formats=tuple(name.strip() for name in fmt.split(",") if name.strip()),
                              to=tuple(name.strip() for name in (to or "").split(",") if name.strip()))
            programmes = implicit_manifest(str(manifest), options, out)
            if state is None:  # the state and the run report go in the folder (or the glob's root)
                from .batch import find_inputs

                root = find_inputs([str(manifest)])[0].root
                state = (root or manifest.parent) / ".captions-state.sqlite"
        else:
            programmes = read_manifest(manifest, tuple(allow_outside))
    except ManifestError as err:
        for line in err.lines():
            typer.echo(f"error: {line}", err=True)
        raise typer.Exit(err.exit_code) from None
    except CaptionsError as err:
        _fail_with(err, str(manifest))

    from .progress import Progress, stop

    bar = Progress(sys.stderr.isatty() and not quiet)  # plain lines when not on a terminal
    weights = {(programme.line, str(programme.source)): work(programme) for programme in programmes} if bar.enabled else {}
    advance = bar.task(f"programmes: 0 of {len(programmes)}", sum(weights.values()), weighted=True) if bar.enabled else None

    counts: Counter[str] = Counter()

    def said(entry: Any) -> None:
        counts[entry.status] += 1
        if advance:
            weight = weights.get((entry.line, entry.source), 0)
            # Work not done now leaves the bar's total, so that it never speeds the ETA up.
            if entry.status in ("skipped", "failed-before"):
                advance.drop(weight)
            else:
                advance(weight)
            advance.describe(f"programmes: {counts['done']} done, {counts['skipped']} skipped, "
                             f"{counts['failed'] + counts['failed-before']} failed, of {len(programmes)}")
        error = entry.error.removeprefix(f"{entry.source}: ")  # named once, at the line's start
        line = (f"error: {entry.source} (manifest line {entry.line}): {error}" if entry.error
                else f"{entry.status}: {entry.source}")
        made = [language for language in entry.languages if "cues" in language]
        if made and not verbose:  # one line a programme: its languages, cues and QC counts
            line += " (" + "; ".join(f"{language['lang']} {language['cues']} cues, QC "
                                      f"{sum(language.get('qc', {}).values()) or 'clean'}" for language in made) + ")"
        if verbose and entry.stages:
            line += "\n  stages: " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in entry.stages.items())
            line += "".join(f"\n  {language['lang']}: {language.get('cues', 0)} cues, QC "
                            + (", ".join(f"{count} {rule}" for rule, count in sorted(language.get("qc", {}).items()))
                               or "clean") + (f"\n  synced: {language['synced']}" if language.get("synced") else "")
                            for language in made)
        if bar.enabled:
            bar.print(line)
        elif entry.error or not quiet:
            typer.echo(line, err=bool(entry.error))

    executor: Any = LocalPool(jobs)
    try:
        if cluster or scheduler:
            from .cluster import DaskPool

            executor = DaskPool(cluster, scheduler)
            pairs = {(p.plan.source.lang, t.lang) for p in programmes for t in p.plan.targets}
            missing = executor.missing_models(pairs) if pairs else []
            if missing:
                for line in missing:
                    typer.echo(f"error: {line}", err=True)
                executor.close()
                raise typer.Exit(4)
        report = run_manifest(programmes, state or manifest.parent / ".captions-state.sqlite", executor,
                              force, retry_failed, said)
    except CaptionsError as err:
        _fail_with(err)
    finally:
        stop()
        if hasattr(executor, "close"):
            executor.close()
    if report.interrupted:
        done = sum(entry.status != "not-run" for entry in report.entries)
        typer.echo(f"interrupted: {done} done, {len(report.entries) - done} left; run the same command to resume "
                   f"(run report: {(state or manifest.parent / '.captions-state.sqlite').parent / 'run-report.json'})",
                   err=True)
        raise typer.Exit(130)
    typer.echo(report.summary())
    worst = report.worst()
    if worst and not quiet:
        typer.echo("most QC issues: " + ", ".join(f"{source} ({count})" for source, count in worst))
    raise typer.Exit(1 if report.failed else 0)


@app.command(epilog="Examples:\n\n  captions convert show.ja.srt -f imsc --profile netflix\n\n"
                     "  captions convert approved/*.srt -f ebu-tt-d,vtt --out deliver --fps 25\n\n"
                     "Exit codes: 0 written, 1 a target format's limit is broken (nothing written unless --force),\n"
                     "2 bad option, 3 bad input file, 6 output not writable.")
def convert(
    inputs: list[Path] = typer.Argument(..., metavar="FILE",
                                        help="Caption files (SRT, WebVTT, TTML/IMSC/EBU-TT-D, STL, SCC, cue JSON)."),
    fmt: str = typer.Option(..., "--format", "-f", help="Target formats, comma separated (see `captions formats`)."),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="Output folder (default: next to each input)."),
    lang: Optional[str] = typer.Option(None, "--lang", "-l", help="Language (default: from NAME.LANG.EXT, else en)."),
    profile: str = typer.Option("netflix", "--profile", "-p", help="Profile whose frame rate applies."),
    fps: Optional[str] = typer.Option(None, help="Frame rate of the captions (default: the profile's)."),
    encoding: Optional[str] = typer.Option(None, help="Text encoding (default: detect)."),
    force: bool = typer.Option(False, "--force", help="Write even when a target format's limit is broken."),
) -> None:
    """Convert approved captions between formats without re-cutting them: NAME.LANG.SUFFIX per format."""
    from .convert import convert_file
    from .naming import conversion_paths, refuse_collisions
    from .profiles import get_profile
    from .timecode import parse_fps

    formats = [name.strip() for name in fmt.split(",") if name.strip()]
    try:
        if fps:
            parse_fps(fps)  # a bad --fps is refused once, before any file
        get_profile(profile, "en")  # and an unknown profile
        refuse_collisions(((str(source), conversion_paths(source, out, formats, lang).values()) for source in inputs),
                          "give the inputs distinct names, or convert them into different --out folders")
    except CaptionsError as err:
        _fail_with(err)
    worst = 0
    for source in inputs:
        try:
            result = convert_file(source, out, formats, lang, fps, encoding, force, profile)
        except CaptionsError as err:
            typer.echo(f"error: {err.located(str(source))}", err=True)
            worst = worst or err.exit_code
            continue
        for note in result.notes:
            typer.echo(f"{source}: note: {note}", err=True)
        for problem in result.problems:
            typer.echo(f"{source}: {'warning' if force else 'error'}: {problem}", err=True)
        if result.problems and not force:
            worst = worst or 1
            continue
        typer.echo(f"{source} -> {', '.join(str(path) for path in result.outputs)}")
    raise typer.Exit(worst)


@app.command(epilog="Examples:\n\n  captions review out/news.en.srt out/news.ja.srt --media news.mp4\n\n"
                     "  captions make news.txt --audio news.mp4 --to ja --review")
def review(
    files: list[Path] = typer.Argument(..., metavar="FILE",
                                       help="Caption files of one programme, one per language, named NAME.LANG.EXT "
                                       "(a name without a language is English)."),
    media: Optional[str] = typer.Option(None, "--media", help="The programme's video or audio (linked, not embedded)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output folder (default: the first file's)."),
    profile: str = typer.Option("netflix", "--profile", "-p", help="Profile whose rules the QC checks."),
    fps: Optional[str] = typer.Option(None, help="Frame rate (default: the profile's)."),
    edit: bool = typer.Option(False, "--edit", help="Edit instead: serve the page from 127.0.0.1 (the address is "
                              "printed, with its token), fix cues with QC live, and save every format. A batch's "
                              "run-report.json as FILE opens its programmes, worst QC first."),
    no_browser: bool = typer.Option(False, "--no-browser", help="With --edit: print the address, open no browser."),
    also: Optional[str] = typer.Option(None, "--also", metavar="FORMATS", help="With --edit: save each edited "
                                       "track in these formats too, comma separated (its own format always)."),
) -> None:
    """Write NAME.review.html: the player, every language's cues side by side and every QC issue."""
    from .jobs import deliver
    from .review import review_files
    from .timecode import parse_fps

    if edit:
        _edit(files, media, profile, fps, also, no_browser)
        return
    try:
        path, page = review_files(files, media, profile, out, parse_fps(fps) if fps else None)
        deliver({path: page})
    except CaptionsError as err:
        _fail_with(err)
    typer.echo(f"{path} ({len(page) // 1024 + 1} KB): open it in a browser")


def _edit(files: list[Path], media: str | None, profile: str, fps: str | None, also: str | None,
          no_browser: bool, made: list[dict[str, Any]] | None = None) -> None:
    """Serve the editor on the files (or a run report, or the programmes ``make`` just made) until Ctrl-C."""
    from .editor_server import EditorServer, editor_page, from_files, from_report, is_run_report, programmes_of, serve

    formats = tuple(name.strip() for name in (also or "").split(",") if name.strip())
    try:
        if made is not None:
            programmes = programmes_of(made, profile, fps, formats)
        elif len(files) == 1 and is_run_report(files[0]):
            programmes = from_report(files[0], profile, fps, formats)
        else:
            programmes = from_files(files, media, profile, fps, formats)
        server = EditorServer(programmes, editor_page)
    except CaptionsError as err:
        _fail_with(err)
    serve(server, open_browser=not no_browser, say=lambda line, **_: typer.echo(line, err=bool(_)))


@app.command(epilog="Examples:\n\n  captions shots show.mp4\n\n  captions shots show.mp4 --json > cuts.json")
def shots(
    media: Path = typer.Argument(..., metavar="MEDIA", help="The programme's video."),
    as_json: bool = typer.Option(False, "--json", help="Print the cuts as JSON."),
) -> None:
    """List the shot changes found in a video: frame, time and timecode of each cut."""
    from .shots import detect, listing

    try:
        found = detect(media)
    except CaptionsError as err:
        _fail_with(err, str(media))
    cuts = listing(found)
    if as_json:
        typer.echo(json.dumps({"media": str(media), "fps": float(found.fps), "cuts": cuts}, indent=1))
        return
    for cut in cuts:
        typer.echo(f"{cut['timecode']}  frame {cut['frame']:>7}  {cut['seconds']:>10.3f} s")
    typer.echo(f"{media}: {len(cuts)} shot changes at {float(found.fps):.3f} fps")


@app.command()
def formats() -> None:
    """List the file formats: what each reads and writes, and the suffix of written files."""
    from .formats import REGISTRY

    typer.echo(f"{'format':<10}{'read':<6}{'write':<7}{'written as':<24}used by")
    for name, entry in REGISTRY.items():
        reads = "yes" if entry.read_entries or entry.read_transcript else "-"
        writes = "yes" if entry.write else "-"
        suffix = f"NAME.LANG.{entry.suffixes[0]}" if entry.write else ""
        typer.echo(f"{name:<10}{reads:<6}{writes:<7}{suffix:<24}{entry.title}")


@app.command()
def profiles() -> None:
    """List the built-in profiles and their rules per language."""
    from .profiles import listing

    rules = listing()
    wide = max(len(rule.name) for rule in rules) + 2  # a name never runs into the language beside it
    header = (f"{'#':>2}  {'profile':<{wide}}{'lang':<8}{'chars':>6}{'lines':>6}{'speed':>10}{'min s':>7}{'max s':>6}"
              f"{'gap':>5}{'fps':>8}")
    typer.echo(header)
    for number, rule in enumerate(rules, start=1):
        speed = f"{rule.max_wpm:g} wpm" if rule.max_wpm else f"{rule.max_cps:g} cps"
        typer.echo(f"{number:>2}  {rule.name:<{wide}}{rule.lang:<8}{rule.max_chars_per_line:>6g}{rule.max_lines:>6}"
                   f"{speed:>10}{rule.min_duration:>7.2f}{rule.max_duration:>6g}{rule.min_gap_frames:>4}f"
                   f"{rule.fps:>8.3f}")
    typer.echo("\nA profile applies the rules of the track's language (--lang); 'other' covers every other language.")


@app.command(epilog="Example:\n\n  captions align show.en.srt --audio show.mp4 --profile netflix")
def align(
    captions_file: Path = typer.Argument(..., metavar="FILE",
                                         help="Caption file whose cues to re-time (any format `check` reads)."),
    audio: str = typer.Option(..., "--audio", metavar="MEDIA", help="The programme's media file."),
    audio_part: Optional[str] = typer.Option(None, "--audio-part", metavar="FROM-TO", help=AUDIO_PART_HELP),
    trust_audio: bool = typer.Option(False, "--trust-audio", help=TRUST_AUDIO_HELP),
    strict_audio: bool = typer.Option(False, "--strict-audio", help=STRICT_AUDIO_HELP),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="Output folder (default: next to the input)."),
    lang: Optional[str] = typer.Option(None, "--lang", "-l", help="Language of the captions (default: from "
                                       "NAME.LANG.EXT, else their script, else en)."),
    profile: str = typer.Option("netflix", "--profile", "-p", help="Profile whose timing rules apply."),
    fps: Optional[str] = typer.Option(None, help="Frame rate (default: the profile's)."),
    encoding: Optional[str] = typer.Option(None, help="Text encoding (default: detect)."),
) -> None:
    """Re-time an existing caption file to the audio, keeping its text: writes NAME.aligned.srt/.vtt."""
    from .retime import realign_file

    try:
        path, notes = realign_file(captions_file, audio, out, lang, profile, fps, encoding,
                                   progress=sys.stderr.isatty(), audio_part=audio_part,
                                   trust_audio=trust_audio, strict_audio=strict_audio)
    except CaptionsError as err:
        _fail_with(err, str(captions_file))
    finally:
        from .progress import stop

        stop()
    typer.echo(f"{captions_file} -> {path}")
    for note in notes:
        typer.echo(f"  note: {note}")


@app.command(epilog="Examples:\n\n  captions retime show.en.srt --shift -2.5s\n\n"
                     "  captions retime show.en.stl --from-fps 23.976 --to-fps 25\n\n"
                     "  captions retime show.en.vtt --sync 0:00:10=0:00:11.2 --sync 0:58:00=0:58:04\n\n"
                     "  captions retime show.en.scc --start 01:00:00;00 --in-place")
def retime(
    files: list[Path] = typer.Argument(..., metavar="FILE", help="Caption files (any format captions reads and writes)."),
    shift: Optional[str] = typer.Option(None, "--shift", help="Move every cue: -2.5s, +90, or a timecode -00:00:01:12."),
    from_fps: Optional[str] = typer.Option(None, "--from-fps", help="With --to-fps: the rate the frames were made at."),
    to_fps: Optional[str] = typer.Option(None, "--to-fps", help="Alone: re-label to this rate (times kept); with "
                                         "--from-fps: play at this rate (a speed change, e.g. 23.976 -> 25 PAL)."),
    sync: list[str] = typer.Option([], "--sync", help="OLD=NEW: one point shifts, two points also correct drift."),
    start: Optional[str] = typer.Option(None, "--start", help="New timecode of the programme's first frame."),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="Output folder (default: next to each input)."),
    in_place: bool = typer.Option(False, "--in-place", help="Replace each file, keeping the old one as FILE.bak."),
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the captions (for the profile's rules)."),
    profile: str = typer.Option("netflix", "--profile", "-p", help="Profile whose frame rules apply after re-timing."),
    fps: Optional[str] = typer.Option(None, help="Frame rate of the files (default: --from-fps, else the profile's)."),
    encoding: Optional[str] = typer.Option(None, help="Text encoding (default: detect)."),
) -> None:
    """Re-time caption files: shift, change the frame rate, sync to points; writes NAME.retimed.EXT."""
    from .naming import refuse_collisions, retime_target
    from .qc import summary
    from .retime import retime_file

    if not (shift or from_fps or to_fps or sync or start):
        _fail("nothing to do: give --shift, --to-fps, --sync or --start")
    if in_place and out:
        _fail("--in-place writes over each file: it takes no --out")
    try:
        refuse_collisions(((str(source), [target]) for source in files
                           if (target := retime_target(source, out, encoding, in_place)) is not None),
                          "give the inputs distinct names, or re-time them into different --out folders")
    except CaptionsError as err:
        _fail_with(err)
    worst = 0
    for source in files:
        try:
            done = retime_file(source, out, lang, profile, fps, encoding, in_place, shift=shift, from_fps=from_fps,
                               to_fps=to_fps, syncs=tuple(sync), start=start)
        except CaptionsError as err:
            typer.echo(f"error: {err.located(str(source))}", err=True)
            worst = worst or err.exit_code
            continue
        typer.echo(f"{source} -> {done.target} ({done.cues} cues; QC: {summary(done.issues)})")
        for note in done.moved:
            typer.echo(f"  note: {note}")
    raise typer.Exit(worst)


@app.command(epilog="Examples:\n\n  captions sync show.ja.srt --to new-cut.mp4\n\n"
                     "  captions sync old/*.srt --to show.mkv --out synced --json")
def sync(
    files: list[Path] = typer.Argument(..., metavar="FILE", help="Caption files (any format captions reads and writes)."),
    media: str = typer.Option(..., "--to", metavar="MEDIA", help="The media to sync them to (its sound is used)."),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="Output folder (default: next to each input)."),
    in_place: bool = typer.Option(False, "--in-place", help="Replace each file, keeping the old one as FILE.bak."),
    lang: Optional[str] = typer.Option(None, "--lang", "-l", help="Language of the captions, for the profile's rules "
                                       "(default: from NAME.LANG.EXT, else their script, else en)."),
    profile: str = typer.Option("netflix", "--profile", "-p", help="Profile whose frame rules apply after syncing."),
    fps: Optional[str] = typer.Option(None, help="Frame rate of the files (default: their format's, else the profile's)."),
    encoding: Optional[str] = typer.Option(None, help="Text encoding (default: detect)."),
    as_json: bool = typer.Option(False, "--json", help="Print what was found for each file as JSON."),
    review: bool = typer.Option(False, "--review", help="Also write NAME.review.html: the synced cues with the media, "
                                "the change found at its head."),
) -> None:
    """Sync caption files to media by listening: offset, frame-rate change and cut or added scenes are
    found from the speech alone (the captions may be in any language); writes NAME.synced.EXT."""
    from .naming import refuse_collisions, retime_target
    from .qc import summary
    from .sync import describe, sync_file

    if in_place and out:
        _fail("--in-place writes over each file: it takes no --out")
    try:
        refuse_collisions(((str(source), [target]) for source in files
                           if (target := retime_target(source, out, encoding, in_place, "synced")) is not None),
                          "give the inputs distinct names, or sync them into different --out folders")
    except CaptionsError as err:
        _fail_with(err)
    worst, found = 0, []
    for source in files:
        try:
            done = sync_file(source, media, out, lang, profile, fps, encoding, in_place, review)
        except CaptionsError as err:
            typer.echo(f"error: {err.located(str(source))}", err=True)
            found.append({"source": str(source), "error": str(err.located(str(source))), "exit": err.exit_code})
            worst = worst or err.exit_code
            continue
        found.append({"source": str(source), "target": str(done.target), "cues": done.cues, **done.transform,
                      "notes": done.notes, "issues": [issue.as_dict() for issue in done.issues]})
        if not as_json:
            typer.echo(f"{source} -> {done.target} ({done.cues} cues; {describe(done.transform)}; "
                       f"QC: {summary(done.issues)})")
            for note in done.notes:
                typer.echo(f"  note: {note}")
    if as_json:
        typer.echo(json.dumps(found, indent=1, ensure_ascii=False))
    raise typer.Exit(worst)


@app.command()
def doctor() -> None:
    """List every engine, model folder and version captions would use, and what is missing."""
    from .doctor import report

    problems = 0
    for name, value, ok in report():
        problems += not ok
        typer.echo(f"{name:<22} {value}" if ok else f"{name:<22} MISSING: {value}")
    raise typer.Exit(4 if problems else 0)


models_app = typer.Typer(help="Translation models (Argos Translate packages): list, install, download, remove.",
                         no_args_is_help=True, rich_markup_mode=None)
app.add_typer(models_app, name="models")


@models_app.command("list")
def models_list(
    available: bool = typer.Option(False, "--available", help="List the online index instead (needs the network)."),
) -> None:
    """List installed translation models."""
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
        _fail_with(err)


@models_app.command("install", epilog="Examples:\n\n  captions models install en ja\n\n"
                    "  captions models install translate-en_ja-1_1.argosmodel")
def models_install(args: list[str] = typer.Argument(..., metavar="ARG",
                                                    help="FROM TO (download), or .argosmodel files or folders "
                                                   "of them (offline).")) -> None:
    """Install a model from the online index (FROM TO) or from .argosmodel files."""
    from .models import install_file, install_pair

    try:
        if len(args) == 2 and not any(arg.endswith(".argosmodel") or Path(arg).exists() for arg in args):
            typer.echo(f"installed {install_pair(*args)}")
            return
        files = [found for arg in args for found in
                 (sorted(Path(arg).glob("*.argosmodel")) if Path(arg).is_dir() else [Path(arg)])]
        if not files:
            _fail(f"no .argosmodel files in {', '.join(args)}")
        for file in files:  # a folder carried over from a connected machine: every package in it
            typer.echo(f"installed {install_file(file)}")
    except CaptionsError as err:
        _fail_with(err)


@models_app.command("download", epilog="Example, on a connected machine:\n\n"
                    "  captions models download en ja --to carried/\n\n"
                    "then, on the machine without the internet: captions models install carried/")
def models_download(source: str = typer.Argument(..., metavar="FROM"), target: str = typer.Argument(..., metavar="TO"),
                    to: Path = typer.Option(Path("."), "--to", metavar="DIR",
                                            help="The folder to download into (default: here).")) -> None:
    """Download a model's .argosmodel file from the online index, to carry to a machine without the internet."""
    from .models import download_pair

    try:
        typer.echo(f"downloaded {download_pair(source, target, to)}")
    except CaptionsError as err:
        _fail_with(err)


@models_app.command("path")
def models_path() -> None:
    """Print the folder translation models are installed in (ARGOS_PACKAGES_DIR moves it)."""
    from .models import packages_dir

    typer.echo(packages_dir())


@models_app.command("remove")
def models_remove(source: str, target: str) -> None:
    """Remove the installed model for a language pair."""
    from .models import remove_pair

    try:
        for path in remove_pair(source, target):
            typer.echo(f"removed {path}")
    except CaptionsError as err:
        _fail_with(err)


def run() -> None:
    """The command: a failure no check foresaw is one line and exit 1 (a bug to report), never a traceback."""
    try:
        app()
    except Exception as err:  # every foreseen failure is a CaptionsError, handled where it happens
        from .errors import INTERNAL_EXIT

        typer.echo(f"error: internal error (please report it): {type(err).__name__}: {str(err)[:300]}", err=True)
        raise SystemExit(INTERNAL_EXIT) from None


if __name__ == "__main__":
    run()
