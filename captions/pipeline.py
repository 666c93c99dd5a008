"""The whole job for one transcript: read -> segment -> time -> QC -> write. Wiring only."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import qc
from .errors import CaptionsError, MediaError, OptionError, OutputError
from .folders import check_folder, ensure_folder
from .formats import get as get_format
from .formats import read_file, with_limits, written_suffix
from .glossary import Glossary
from .model import NARRATOR, Cue, Profile, Segment, Span, Speaker, Track, exact_rate
from .profiles import check_fps, get_profile, normalise_lang
from .progress import Progress
from .report import report_text
from .segmenter import SPEAKER_MODES, segment_cues
from .sink import write_atomic
from .timing import TimingOptions, time_cues

MAX_INPUT_MB_LIMIT = 4096
COLOURS = ("white", "yellow", "cyan", "green")  # BBC order; the narrator keeps white


@dataclass(frozen=True)
class Options:
    """Everything ``captions make`` can be told, with the defaults a new user gets."""

    lang: str = "en"
    profile: str = "netflix"
    formats: tuple[str, ...] = ("srt",)
    speakers: str | None = None  # none | dash | label | colour; None: the profile's own style
    headline: str = "caption"  # caption | skip
    fps: float | None = None  # None: the profile's frame rate
    start: float = 0.0
    duration: float | None = None
    speaker_pause: float = 0.5
    paragraph_pause: float = 0.25
    encoding: str | None = None
    input_format: str | None = None
    report: bool = False
    to: tuple[str, ...] = ()  # languages to translate into
    device: str | None = None  # cpu | cuda | auto for translation (default: ARGOS_DEVICE_TYPE or cpu)
    glossary: str | None = None  # TSV or TOML file of terms for translation
    cache: bool = True  # reuse earlier translations of unchanged sentences
    audio: str | None = None  # the programme's media: time the cues by forced alignment to it
    progress: bool = False  # show progress bars on the terminal for long steps
    max_input_mb: float = 50.0  # larger inputs are refused (a transcript is never this big)


@dataclass
class LanguageResult:
    """What came of one language of one input file."""

    lang: str
    cues: int
    issues: list[qc.Issue]
    notes: list[str]
    outputs: list[Path] = field(default_factory=list)


@dataclass
class Result:
    """What came of one input file: a result per language, and the languages that failed."""

    source: str
    languages: list[LanguageResult] = field(default_factory=list)
    errors: list[CaptionsError] = field(default_factory=list)  # languages that failed

    @property
    def outputs(self) -> list[Path]:
        return [path for language in self.languages for path in language.outputs]


def caption(segments: list[Segment], profile: Profile, options: Options) -> Track:
    """A checked-ready track from segments: the library's main entry point."""
    speakers = options.speakers or profile.speaker_style
    fps = options.fps or profile.fps
    drafts = segment_cues(segments, profile, speakers)
    timing = TimingOptions(fps, options.start, options.speaker_pause, options.paragraph_pause, options.duration)
    cues, notes = time_cues(drafts, segments, profile, timing)
    if any(segment.ruby for segment in segments):
        cues = [with_ruby(cue, segments) for cue in cues]
    return Track(profile.lang, cues, _speakers(segments, speakers == "colour"), exact_rate(fps), notes,
                 vertical=profile.writing_mode == "vertical", line_width=profile.max_chars_per_line)


def with_ruby(cue: Cue, segments: list[Segment]) -> Cue:
    """The cue with each reading the script marked on a base it shows, as a ruby span.

    >>> segment = Segment("岸田首相が", ruby=((0, 2, "きしだ"),))
    >>> with_ruby(Cue(0, 1, ("岸田首相が",), ("A",), ((0, 0, 5),)), [segment]).spans(0)
    (Span(text='岸田', italic=False, ruby='きしだ'), Span(text='首相が', italic=False, ruby=''))
    """
    readings = [(segments[index].text[start:end], reading) for index, first, last in cue.sources
                for start, end, reading in segments[index].ruby if first <= start and end <= last]
    if not readings:
        return cue
    styled = []
    for number in range(len(cue.lines)):
        spans: list[Span] = []
        for span in cue.spans(number):
            spans.extend(_ruby_spans(span.text, readings))
        styled.append(tuple(spans))
    return replace(cue, styled=tuple(styled))


def _ruby_spans(text: str, readings: list[tuple[str, str]]) -> list[Span]:
    for base, reading in readings:
        found = text.find(base)
        if found >= 0:
            before, after = text[:found], text[found + len(base):]
            return [*([Span(before)] if before else []), Span(base, ruby=reading), *_ruby_spans(after, readings)]
    return [Span(text)] if text else []


def _speakers(segments: list[Segment], coloured: bool) -> dict[str, Speaker]:
    found: dict[str, Speaker] = {}
    for segment in segments:
        if segment.speaker not in found:
            found[segment.speaker] = Speaker(segment.speaker, segment.title)
    if coloured:
        others = [name for name in found if name != NARRATOR]
        for order, name in enumerate(others, start=1 if NARRATOR in found else 0):
            found[name] = Speaker(name, found[name].title, COLOURS[order % len(COLOURS)])
        if NARRATOR in found:
            found[NARRATOR] = Speaker(NARRATOR, "", COLOURS[0])
    return found


def output_path(source: Path, out_dir: Path, lang: str, suffix: str) -> Path:
    """``OUT/NAME.LANG.SUFFIX``; a language suffix already in the input name is not repeated.

    >>> output_path(Path("in/show.en.srt"), Path("out"), "en", "imsc.ttml").as_posix()
    'out/show.en.imsc.ttml'
    """
    stem = source.stem
    if stem.lower().endswith(f".{lang.lower()}"):
        stem = stem[: -len(lang) - 1]
    return out_dir / f"{stem}.{lang}.{suffix}"


def caption_file(source: str | Path, out_dir: str | Path, options: Options) -> Result:
    """Caption one transcript file into ``out_dir``; raises :class:`CaptionsError` on bad input.

    Every output of the file is made (and checked against the inputs) before any is written.
    """
    source, out_dir = Path(source), Path(out_dir)
    lang = normalise_lang(options.lang)
    glossary = check_options(options)
    languages = [lang, *(normalise_lang(target) for target in options.to)]
    planned = {language: _planned_paths(source, out_dir, language, options) for language in languages}
    refuse_overwriting_inputs([path for paths in planned.values() for path in paths.values()],
                               source, options.audio, options.glossary)
    check_folder(out_dir, OutputError, "output folder")
    profile = with_limits(get_profile(options.profile, lang), options.formats)
    segments = read_file(source, lang, options.encoding, options.headline, options.input_format,
                         int(options.max_input_mb * 1e6))
    progress = Progress(options.progress, f"{source.name}: ")
    alignment_notes: list[str] = []
    doubtful: list[tuple[float, float, str]] = []
    if options.audio:
        segments, alignment_notes, doubtful = _aligned(segments, lang, options, progress)
    track = caption(segments, profile, options)
    track.notes[:0] = alignment_notes
    result = Result(str(source))
    made = [_rendered(source, track, profile, options, planned[lang], doubtful)]
    for target in options.to:
        try:
            made.append(_translated(source, segments, track, target, options, glossary, planned, progress,
                                    doubtful))
        except CaptionsError as err:  # one language failing leaves the others
            located = err.located(str(source))
            located.message += f" [{target}]"
            result.errors.append(located)
    ensure_folder(out_dir, OutputError, "output folder")
    for language, texts in made:
        for path, text in texts.items():
            write_atomic(path, text)
            language.outputs.append(path)
        result.languages.append(language)
    return result


def _planned_paths(source: Path, out_dir: Path, lang: str, options: Options) -> dict[str, Path]:
    paths = {fmt: output_path(source, out_dir, lang, written_suffix(fmt)) for fmt in options.formats}
    if options.report:
        paths["qc.txt"] = output_path(source, out_dir, lang, "qc.txt")
    return paths


def refuse_overwriting_inputs(outputs: list[Path], *names: str | Path | None) -> None:
    inputs = {Path(name).resolve() for name in names if name}
    for path in outputs:
        if path.resolve() in inputs:
            raise OutputError("output would overwrite an input; choose another --out folder", str(path))


def _aligned(segments: list[Segment], lang: str, options: Options,
             progress: Progress) -> tuple[list[Segment], list[str], list[tuple[float, float, str]]]:
    """Segments timed by the audio, the alignment's notes, and its low-confidence stretches."""
    from .align import align_segments
    from .audio import decode

    assert options.audio
    with naming_media(options.audio):
        aligned, report = align_segments(segments, decode(options.audio), lang, progress)
    stretches = [(s.start + options.start, s.end + options.start, s.reason) for s in report.doubtful]
    return aligned, report.notes(), stretches


@contextmanager
def naming_media(audio: str) -> Iterator[None]:
    """A mismatch between transcript and media names both: the transcript as the error's file, the media here."""
    try:
        yield
    except MediaError as err:
        if err.path is None:
            err.message += f" ({audio})"
        raise


def _translated(source: Path, segments: list[Segment], track: Track, target: str, options: Options,
                glossary: Glossary | None, planned: dict[str, dict[str, Path]], progress: Progress,
                doubtful: list[tuple[float, float, str]]) -> tuple[LanguageResult, dict[Path, str | bytes]]:
    from .cache import open_cache
    from .translate import configure_from_environment, translate_segments

    lang = normalise_lang(target)
    profile = with_limits(get_profile(options.profile, lang), options.formats)
    engine = configure_from_environment(options.device)
    terms = glossary.for_lang(lang) if glossary else {}
    cache, cache_notes = open_cache() if options.cache else (None, [])
    try:
        translated, notes = translate_segments(segments, track.cues, track.lang, lang, engine, terms, cache, progress)
    finally:
        if cache:
            cache.close()
    # The translated segments carry the source times, offset included: time them as they are,
    # and never past the source's last cue (a slow target language lingers, it does not overrun).
    end = float(track.cues[-1].end) if track.cues else None
    target_track = caption(translated, profile, replace(options, lang=lang, start=0.0, duration=end))
    target_track.notes[:0] = cache_notes + notes
    # The translation shows the same speech at the same times: the aligner's doubts hold for it too.
    return _rendered(source, target_track, profile, options, planned[lang], doubtful)


def _rendered(source: Path, track: Track, profile: Profile, options: Options, paths: dict[str, Path],
              doubtful: list[tuple[float, float, str]] | None = None) -> tuple[LanguageResult, dict[Path, str | bytes]]:
    """A language's QC result and the text of each of its outputs, not yet written."""
    track.issues = qc.check(track.cues, profile, float(track.fps)) + qc.alignment_issues(track.cues, doubtful or [])
    result = LanguageResult(track.lang, len(track.cues), track.issues, track.notes)
    texts: dict[Path, str | bytes] = {paths[fmt]: get_format(fmt).write(track) for fmt in options.formats}  # type: ignore[misc]
    if options.report:
        texts[paths["qc.txt"]] = report_text(source.name, profile, track)
    return result, texts


# option -> (lowest, highest) accepted, in seconds
OPTION_RANGES = {"start": (0.0, 100 * 3600.0), "duration": (1.0, 100 * 3600.0), "speaker_pause": (0.0, 10.0),
                 "paragraph_pause": (0.0, 10.0)}


def check_options(options: Options) -> Glossary | None:
    """Reject bad options before any work; returns the loaded glossary (or None) for translation."""
    get_profile(options.profile, normalise_lang(options.lang))
    if not options.formats:
        raise OptionError("no output format given")
    for fmt in options.formats:
        get_format(fmt)
    for target in options.to:
        get_profile(options.profile, normalise_lang(target))
    if options.speakers is not None and options.speakers not in SPEAKER_MODES:
        raise OptionError(f"unknown speaker style {options.speakers!r} (choose from {', '.join(SPEAKER_MODES)})")
    if options.to or options.device is not None:
        from .translate import configure_from_environment

        configure_from_environment(options.device)  # ARGOS_* variables checked before any work
    for name, (lowest, highest) in OPTION_RANGES.items():
        value = getattr(options, name)
        if value is not None and not (math.isfinite(value) and lowest <= value <= highest):
            raise OptionError(f"--{name.replace('_', '-')} {value!r} is out of range ({lowest:g} to {highest:g} s)")
    if options.fps is not None:
        check_fps(options.fps, "--fps")
    if not 1 <= options.max_input_mb <= MAX_INPUT_MB_LIMIT:
        raise OptionError(f"--max-input-mb {options.max_input_mb} is out of range (1 to {MAX_INPUT_MB_LIMIT})")
    if options.glossary:
        from . import glossary

        return glossary.load(options.glossary)
    return None
