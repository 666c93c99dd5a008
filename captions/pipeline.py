"""The whole job for one transcript: read -> segment -> time -> QC -> write. Wiring only."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from . import qc
from .errors import CaptionsError
from .model import NARRATOR, Profile, Segment, Speaker, Track
from .profiles import get_profile, normalise_lang
from .readers import read_file
from .segmenter import SPEAKER_MODES, segment_cues
from .timing import TimingOptions, time_cues
from .writers import WRITERS, write_atomic

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
    progress: bool = False  # say on stderr what a long step is doing


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
    errors: list[str] = field(default_factory=list)

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
    return Track(profile.lang, cues, _speakers(segments, speakers == "colour"), fps, notes)


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


def output_path(source: Path, out_dir: Path, lang: str, fmt: str) -> Path:
    """``OUT/NAME.LANG.FMT``; a language suffix already in the input name is not repeated.

    >>> output_path(Path("in/show.en.srt"), Path("out"), "en", "vtt").as_posix()
    'out/show.en.vtt'
    """
    stem = source.stem
    if stem.lower().endswith(f".{lang.lower()}"):
        stem = stem[: -len(lang) - 1]
    return out_dir / f"{stem}.{lang}.{fmt}"


def caption_file(source: str | Path, out_dir: str | Path, options: Options) -> Result:
    """Caption one transcript file into ``out_dir``; raises :class:`CaptionsError` on bad input."""
    source, out_dir = Path(source), Path(out_dir)
    lang = normalise_lang(options.lang)
    glossary = check_options(options)
    profile = get_profile(options.profile, lang)
    segments = read_file(source, lang, options.encoding, options.headline, options.input_format)
    alignment_notes, doubtful = [], []
    if options.audio:
        segments, alignment_notes, doubtful = _aligned(source, segments, lang, options)
    if not out_dir.is_dir():
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise CaptionsError(f"cannot create output folder: {err.strerror}", str(out_dir)) from None
    track = caption(segments, profile, options)
    track.notes[:0] = alignment_notes
    result = Result(str(source))
    result.languages.append(_write_track(source, out_dir, track, profile, options, doubtful))
    for target in options.to:
        try:
            result.languages.append(_translated(source, out_dir, segments, track, target, options, glossary))
        except CaptionsError as err:  # one language failing leaves the others
            result.errors.append(f"{err.located(str(source))} [{target}]")
    return result


def _progress(source: Path, enabled: bool):
    """A function that tells the user, on stderr, which long step a file is in (or says nothing)."""
    import sys

    def say(message: str) -> None:
        if enabled:
            print(f"{source.name}: {message}", file=sys.stderr, flush=True)

    return say


def _aligned(source: Path, segments: list[Segment], lang: str, options: Options):
    """Segments timed by the audio, the alignment's notes, and its low-confidence stretches."""
    from .align import align_segments
    from .audio import decode

    say = _progress(source, options.progress)
    say(f"decoding {options.audio}")
    aligned, report = align_segments(segments, decode(options.audio), lang, say)
    stretches = [(s.start + options.start, s.end + options.start, s.reason) for s in report.doubtful]
    return aligned, report.notes(), stretches


def _translated(source: Path, out_dir: Path, segments: list[Segment], track: Track, target: str,
                options: Options, glossary) -> LanguageResult:
    from .cache import TranslationCache
    from .translate import configure_from_environment, translate_segments

    lang = normalise_lang(target)
    profile = get_profile(options.profile, lang)
    engine = configure_from_environment()
    if options.device:
        engine = replace(engine, device=options.device)
    terms = glossary.for_lang(lang) if glossary else {}
    cache = TranslationCache() if options.cache else None
    try:
        translated, notes = translate_segments(segments, track.cues, track.lang, lang, engine, terms, cache)
    finally:
        if cache:
            cache.close()
    # The translated segments carry the source times, offset included: time them as they are,
    # and never past the source's last cue (a slow target language lingers, it does not overrun).
    end = track.cues[-1].end if track.cues else None
    target_track = caption(translated, profile, replace(options, lang=lang, start=0.0, duration=end))
    target_track.notes[:0] = notes
    return _write_track(source, out_dir, target_track, profile, options)


def _write_track(source: Path, out_dir: Path, track: Track, profile: Profile, options: Options,
                 doubtful: list[tuple[float, float, str]] = ()) -> LanguageResult:
    issues = qc.check(track.cues, profile, track.fps) + qc.alignment_issues(track.cues, doubtful)
    result = LanguageResult(track.lang, len(track.cues), issues, track.notes)
    texts = {fmt: WRITERS[fmt](track) for fmt in options.formats}
    if options.report:
        texts["qc.txt"] = report_text(source, profile, result)
    for fmt, text in texts.items():
        path = output_path(source, out_dir, track.lang, fmt)
        if path.resolve() == source.resolve():
            raise CaptionsError("output would overwrite the input; choose another --out folder", str(path))
        write_atomic(path, text)
        result.outputs.append(path)
    return result


def report_text(source: Path, profile: Profile, result: LanguageResult) -> str:
    """The QC report written next to the captions with ``--report``."""
    lines = [f"QC report for {source.name}: profile {profile.name} ({profile.lang}), {result.cues} cues",
             f"summary: {qc.summary(result.issues)}"]
    lines += [f"note: {note}" for note in result.notes]
    lines += [str(issue) for issue in result.issues]
    return "\n".join(lines) + "\n"


def check_options(options: Options):
    """Reject bad options before any work; returns the loaded glossary (or None) for translation."""
    get_profile(options.profile, normalise_lang(options.lang))
    unknown = [fmt for fmt in options.formats if fmt not in WRITERS]
    if unknown or not options.formats:
        raise CaptionsError(f"unknown output format {(unknown or [''])[0]!r} (choose from {', '.join(WRITERS)})")
    for target in options.to:
        get_profile(options.profile, normalise_lang(target))
    if options.speakers is not None and options.speakers not in SPEAKER_MODES:
        raise CaptionsError(f"unknown speaker style {options.speakers!r} (choose from {', '.join(SPEAKER_MODES)})")
    if options.glossary:
        from . import glossary

        return glossary.load(options.glossary)
    return None


def realign_file(source: str | Path, audio: str, out_dir: str | None, lang: str, profile_name: str,
                 fps: str | None, encoding: str | None, progress: bool = False) -> tuple[Path, list[str]]:
    """Re-time the cues of a caption file to the audio, text and line breaks kept as they are."""
    from .align import align_texts
    from .audio import decode
    from .readers import read_cues
    from .timecode import parse_fps
    from .timing import apply_frame_rules, legible_time

    source = Path(source)
    lang = normalise_lang(lang)
    profile = get_profile(profile_name, lang)
    rate = parse_fps(fps) if fps else profile.fps
    cues = read_cues(source, encoding)
    if not cues:
        raise CaptionsError("no cues to align", str(source))
    timings, report = align_texts(decode(audio), [" ".join(cue.lines) for cue in cues], lang,
                                  _progress(source, progress))
    needed = [legible_time(cue.text, profile) for cue in cues]
    frames = apply_frame_rules([(t.start, t.end) for t in timings], profile, rate, None, needed)
    track = Track(lang, [replace(cue, start=start / rate, end=end / rate) for cue, (start, end) in zip(cues, frames)],
                  fps=rate)
    fmt = "vtt" if source.suffix.lower() == ".vtt" else "srt"
    target = Path(out_dir or source.parent) / f"{source.stem}.aligned.{fmt}"
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, WRITERS[fmt](track))
    return target, report.notes()
