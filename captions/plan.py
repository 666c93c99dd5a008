"""Resolve once: what a job was told, validated and turned into a small picklable plan.

Options are what a user (or a library caller) says; a :class:`Plan` is what every stage needs,
each stage getting only its part: the reader its encoding and limits, each language its
:class:`~captions.context.LanguageContext` (the profile already narrowed to the output formats'
limits, the one frame rate, the clock, the glossary's terms), translation its device. A batch resolves the plan
once and sends it to every worker.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from .context import LanguageContext, resolved
from .errors import OptionError
from .formats import REGISTRY, with_limits
from .formats import get as get_format
from .languages import normalise_lang
from .profiles import check_fps, delivery_tables, get_profile
from .segmenter import SPEAKER_MODES

MAX_INPUT_MB_LIMIT = 4096
# option -> (lowest, highest) accepted, in seconds
OPTION_RANGES = {"start": (0.0, 100 * 3600.0), "duration": (1.0, 100 * 3600.0), "speaker_pause": (0.0, 10.0),
                 "paragraph_pause": (0.0, 10.0)}


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
    audio_part: tuple[float, float | None] | None = None  # seconds of the media the transcript is read in
    trust_audio: bool = False  # the media is the transcript's reading: align it however poorly it matches
    strict_audio: bool = False  # refuse an alignment in doubt (noise, an unusual voice) instead of marking it
    progress: bool = False  # show progress bars on the terminal for long steps
    max_input_mb: float = 50.0  # larger inputs are refused (a transcript is never this big)
    review: bool = False  # also write NAME.review.html, every language and issue on one page
    shots: str | None = None  # "media": shot changes found in the --audio video; or a list/EDL file of them
    sdh: bool = False  # keep sound descriptions and lyrics, in the profile's style (as its -sdh variant)
    forced: bool = False  # also write NAME.LANG.forced.EXT: only the cues the transcript marks forced (F/)
    find_lang: bool = False  # ``lang`` was not given: each file's own language is found (its name, its script)
    sync: str | None = None  # media to sync the input, a caption file, to by listening (``captions sync``)


@dataclass(frozen=True)
class Reading:
    """What the reader needs, besides the language it reads in (the source's context)."""

    encoding: str | None
    input_format: str | None
    headline: str
    max_bytes: int


@dataclass(frozen=True)
class Plan:
    """A resolved, validated job; the source language first in ``languages``."""

    reading: Reading
    languages: tuple[LanguageContext, ...]
    formats: tuple[str, ...]
    report: bool
    audio: str | None
    device: str | None
    cache: bool
    progress: bool
    glossary: str | None  # the glossary's path, which no output may overwrite
    review: bool = False
    shots: str | None = None
    forced: bool = False
    audio_part: tuple[float, float | None] | None = None  # where in the media the transcript is read
    trust_audio: bool = False  # a poor match is aligned and noted, not refused
    strict_audio: bool = False  # an alignment in doubt is refused, not aligned with QC errors
    options: Options | None = None  # as told: a file whose own language is found is planned again from them
    sync: str | None = None  # the media a caption file is synced to, instead of captioning a transcript

    @property
    def source(self) -> LanguageContext:
        return self.languages[0]

    @property
    def targets(self) -> tuple[LanguageContext, ...]:
        return self.languages[1:]


def make_plan(options: Options) -> Plan:
    """Reject bad options before any work, and resolve profiles, frame rates and glossary once."""
    # Names as users type them: -f SRT, --to fr,FR.
    options = replace(options, formats=tuple(dict.fromkeys(fmt.strip().lower() for fmt in options.formats)))
    _check_values(options)
    source = normalise_lang(options.lang)
    targets = list(dict.fromkeys(normalise_lang(target) for target in options.to))
    if source in targets:
        raise OptionError(f"--to {source}: the transcript is in {source} already (translation is into other "
                          "languages)")
    if options.to or options.device is not None:
        from .translate import configure_from_environment

        configure_from_environment(options.device)  # ARGOS_* variables checked before any work
    glossary = None
    if options.glossary:
        from . import glossary as glossaries

        glossary = glossaries.load(options.glossary)
    languages = []
    for index, lang in enumerate([source, *targets]):
        profile = with_limits(get_profile(options.profile, lang), options.formats)
        terms = tuple(glossary.for_lang(lang).items()) if glossary and index else ()
        # The one frame rate every stage of this language reads: --fps (or the media's) over the profile's.
        languages.append(resolved(replace(profile, sdh=options.sdh or profile.sdh), options.fps, options.speakers,
                                  start=options.start, speaker_pause=options.speaker_pause,
                                  paragraph_pause=options.paragraph_pause, duration=options.duration, terms=terms,
                                  deliveries=_deliveries(options.profile, lang)))
    for language in languages:
        for fmt in options.formats:
            if not get_format(fmt).limits.wide_scripts and language.style.width_mode == "cjk":
                raise OptionError(f"{fmt} cannot carry language {language.lang!r} (its character set has no such "
                                  "script)")
    reading = Reading(options.encoding, options.input_format, options.headline,
                      int(options.max_input_mb * 1e6))
    return Plan(reading, tuple(languages), tuple(options.formats), options.report, options.audio, options.device,
                options.cache, options.progress, options.glossary, options.review, options.shots, options.forced,
                options.audio_part, options.trust_audio, options.strict_audio, options, options.sync)


def for_file(plan: Plan, name: str, head: str) -> tuple[Plan, str]:
    """The plan for one file, and a note on how its language was found. When no language was given:
    its ``NAME.LANG.EXT`` name, else what ``head`` (the text it shows) is in (its script, or the
    detector when sure), else the language planned, with a note that --lang sets it. A language
    given that the text clearly contradicts is an option error, never captioned.
    """
    from .languages import contradicted, detect, language_by_script, language_in_name

    options, lang = plan.options, plan.source.lang
    if options is None or not options.find_lang:
        said = contradicted(lang, head)
        if said is not None:
            raise OptionError(f"--lang {lang}, but the text {said} (or the language it is in)")
        return plan, ""
    in_name = language_in_name(name)
    found = in_name or detect(head)
    if found is None:
        lettered = any(char.isalpha() for char in head[:20000])
        return plan, f"language {lang}: the text is too short or too mixed to tell (--lang sets it)" if lettered else ""
    found = normalise_lang(found)
    how = "its file name" if in_name else "its script" if language_by_script(head) else "its text"
    if found == lang:
        return plan, f"language {found}, found from {how}" if in_name else ""
    return make_plan(replace(options, lang=found)), f"language {found}, found from {how} (--lang sets it)"


def _deliveries(profile: str, lang: str) -> dict[str, Any]:
    """The options of each format that delivers a language, from the profile's tables, checked by the
    formats themselves (SCC's caption mode and channel, STL's display mode)."""
    deliveries = {}
    for name, table in delivery_tables(profile, lang).items():
        parse = REGISTRY[name].options if name in REGISTRY else None
        if parse is None:
            known = ", ".join(sorted(fmt for fmt, found in REGISTRY.items() if found.options))
            raise OptionError(f"profile {profile}: [{name}] is not a format with options (those are: {known})")
        deliveries[name] = parse(table, f"profile {profile} ({lang}): [{name}]")
    return deliveries


def _check_values(options: Options) -> None:
    if not options.formats:
        raise OptionError("no output format given")
    for fmt in options.formats:
        get_format(fmt)
    if options.speakers is not None and options.speakers not in SPEAKER_MODES:
        raise OptionError(f"unknown speaker style {options.speakers!r} (choose from {', '.join(SPEAKER_MODES)})")
    if options.headline not in ("caption", "skip"):
        raise OptionError(f"headline must be caption or skip, not {options.headline!r}")
    for name, (lowest, highest) in OPTION_RANGES.items():
        value = getattr(options, name)
        if value is not None and not (math.isfinite(value) and lowest <= value <= highest):
            raise OptionError(f"--{name.replace('_', '-')} {value!r} is out of range ({lowest:g} to {highest:g} s)")
    if options.fps is not None:
        check_fps(options.fps, "--fps")
    if options.audio_part and not _within_a_programme(*options.audio_part):
        raise OptionError(f"--audio-part {options.audio_part!r} must start at 0 or later and end after it starts, "
                          "within 100 hours")
    if options.audio_part and not options.audio:
        raise OptionError("--audio-part says where in the programme's media the transcript is read: give the "
                          "media with --audio")
    if options.strict_audio and (options.trust_audio or not options.audio):
        raise OptionError("--strict-audio refuses media that fits the transcript only in doubt: give the media with "
                          "--audio, and not --trust-audio, which aligns it anyway")
    if options.trust_audio and not options.audio:
        raise OptionError("--trust-audio says the programme's media is the transcript's reading: give the media "
                          "with --audio")
    if options.sync and (options.audio or options.to):
        raise OptionError("sync re-times a caption file as it is, by listening to the media it names: it takes no "
                          "audio or translation")
    if options.shots == "media" and not options.audio:
        raise OptionError("--shots media finds the shot changes in the programme's video: give it with --audio")
    if not 1 <= options.max_input_mb <= MAX_INPUT_MB_LIMIT:
        raise OptionError(f"--max-input-mb {options.max_input_mb} is out of range (1 to {MAX_INPUT_MB_LIMIT})")


def _within_a_programme(start: float, end: float | None) -> bool:
    """A part of the media: it starts at 0 or later and ends after it starts, within a programme's length."""
    limit = OPTION_RANGES["start"][1]
    return math.isfinite(start) and 0 <= start < limit and (end is None or (math.isfinite(end) and start < end <= limit))


def for_translation(language: LanguageContext, length: float | None) -> LanguageContext:
    """A target language's clock: the source's times as they are (offset included), never past its end."""
    return replace(language, start=0.0, duration=length, shots=tuple(cut + language.start for cut in language.shots))


def narrowed(plan: Plan, langs: tuple[str, ...]) -> Plan:
    """The plan with only the targets in ``langs`` (the source is always made: translations come from it)."""
    return replace(plan, languages=(plan.source, *[target for target in plan.targets if target.lang in langs]))


def with_shots(plan: Plan, cuts: tuple[float, ...]) -> Plan:
    """The plan with the programme's shot changes (seconds of the media) in every language's timing."""
    return replace(plan, languages=tuple(replace(language, shots=cuts) for language in plan.languages))
