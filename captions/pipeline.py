"""The whole job for one transcript: read -> segment -> time -> QC -> outputs. Wiring only.

The core (:func:`render_file`) returns every output as bytes, made and checked before anything is
written; :func:`caption_file` hands them to the one sink, which writes each file atomically.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import qc, sdh
from .context import LanguageContext, resolved
from .errors import CaptionsError, naming_media
from .formats import get as get_format
from .formats import limit_problems, read_file
from .jobs import Made, guard, run
from .languages import normalise_lang
from .model import COLOURS, NARRATOR, Cue, Profile, Segment, Span, Speaker, Stretch, Track, on_frame, seconds
from .naming import planned_paths, review_path
from .plan import Options, Plan, for_file, for_translation, make_plan, with_shots
from .progress import Progress
from .report import report_text
from .segmenter import segment_cues
from .timing import refuse_overlong, time_cues

__all__ = ["Options", "Plan", "caption", "caption_file", "make_plan", "render_file"]

SPEAKER_COLOURS = tuple(COLOURS)[:4]  # the BBC's order (white, yellow, cyan, green); the narrator keeps white


@dataclass
class LanguageResult:
    """What came of one language of one input file."""

    lang: str
    cues: int
    issues: list[qc.Issue]
    notes: list[str]
    outputs: list[Path] = field(default_factory=list)
    synced: str = ""  # a caption file synced to media: the change found, in one line


@dataclass
class Result:
    """What came of one input file: a result per language, and the languages that failed."""

    source: str
    languages: list[LanguageResult] = field(default_factory=list)
    errors: list[CaptionsError] = field(default_factory=list)  # languages that failed
    seconds: dict[str, float] = field(default_factory=dict)  # per stage: read, align, caption, translate xx
    review: Path | None = None  # the review page, when one was asked for

    @property
    def outputs(self) -> list[Path]:
        return [path for language in self.languages for path in language.outputs]


def caption(segments: list[Segment], profile: Profile, options: Options) -> Track:
    """A track from segments under a profile: the library's entry point for segments already read."""
    language = resolved(profile, options.fps, options.speakers, start=options.start,
                        speaker_pause=options.speaker_pause, paragraph_pause=options.paragraph_pause,
                        duration=options.duration)
    return caption_language(sdh.render(sdh.mark(segments), language.style), language)


def caption_language(segments: list[Segment], language: LanguageContext) -> Track:
    """Segments cut into cues under the language's profile and timed: the core of every job."""
    refuse_overlong(segments, language)
    drafts = segment_cues(segments, language)
    cues, notes = time_cues(drafts, segments, language)
    if any(segment.ruby for segment in segments):
        cues = [with_ruby(cue, segments) for cue in cues]
    if any(segment.offscreen for segment in segments):
        cues = [italic(cue, [segments[source[0]].offscreen for source in cue.sources]) for cue in cues]
    return Track(language.lang, cues, _speakers(segments, language.speakers == "colour"), language.fps,
                 notes, vertical=language.style.writing_mode == "vertical",
                 shot_changes=tuple(seconds(cut + language.start) for cut in language.shots),
                 forced=sdh.forced_cues(cues, segments))


def left_out_note(labels: list[str]) -> str:
    """The note that names every sound label a subtitle track leaves out.

    >>> left_out_note(["[door slams]", "[MUSIC]", "[door slams]"])
    'left out as sound descriptions (a subtitle profile; --sdh keeps them): 3, [door slams] (2), [MUSIC]'
    """
    counts = Counter(labels)
    named = ", ".join(f"{label} ({count})" if count > 1 else label for label, count in counts.items())
    return f"left out as sound descriptions (a subtitle profile; --sdh keeps them): {len(labels)}, {named}"


def with_ruby(cue: Cue, segments: list[Segment]) -> Cue:
    """The cue with each reading the script marked on a base it shows, as a ruby span.

    >>> segment = Segment("岸田首相が", ruby=((0, 2, "きしだ"),))
    >>> with_ruby(Cue(0, 1, ("岸田首相が",), ("A",), ((0, 0, 5),)), [segment]).spans(0)
    (Span(text='岸田', italic=False, ruby='きしだ', colour=''), Span(text='首相が', italic=False, ruby='', colour=''))
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


def italic(cue: Cue, offscreen: list[bool]) -> Cue:
    """The cue with the lines of a voice-over or an off-screen voice in italics, as guides show
    them: every line when all it shows is off screen, or each line of a dialogue by its speaker.

    >>> italic(Cue(0, 1, ("-Hi.", "-Yes."), ("A", "B"), ((0, 0, 3), (1, 0, 4))), [True, False]).spans(0)
    (Span(text='-Hi.', italic=True, ruby='', colour=''),)
    """
    if all(offscreen) and offscreen:
        lines = [True] * len(cue.lines)
    elif len(offscreen) == len(cue.lines) and len(set(cue.speakers)) > 1:
        lines = offscreen
    else:
        return cue
    return replace(cue, styled=tuple(tuple(replace(span, italic=lines[number]) for span in cue.spans(number))
                                     for number in range(len(cue.lines))))


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
            found[name] = Speaker(name, found[name].title, SPEAKER_COLOURS[order % len(SPEAKER_COLOURS)])
        if NARRATOR in found:
            found[NARRATOR] = Speaker(NARRATOR, "", SPEAKER_COLOURS[0])
    return found


class _Stopwatch:
    """Seconds spent in each stage of a job, for the batch run report."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = round(now - self.last, 4)
        self.last = now


@dataclass
class Rendered:
    """A file's outputs, made and checked but not yet written, with the tracks they came from."""

    result: Result
    outputs: dict[Path, bytes]
    tracks: list[Track]


def caption_file(source: str | Path, out_dir: str | Path, options: Options | Plan) -> Result:
    """Caption one transcript file into ``out_dir``; raises :class:`CaptionsError` on bad input.

    Every output of the file is made (and checked against the inputs) before any is written.
    """
    plan = options if isinstance(options, Plan) else make_plan(options)

    def make() -> Made[Result]:
        rendered = render_file(source, out_dir, plan)
        return Made(rendered.outputs, rendered.result)

    return run([], (source, plan.audio, plan.glossary, plan.sync), make).report


def render_file(source: str | Path, out_dir: str | Path, plan: Plan) -> Rendered:
    """Every output of one transcript as bytes, by path; nothing is written."""
    source, out_dir = Path(source), Path(out_dir)
    if plan.sync:
        return _synced(source, out_dir, plan)
    clock = _Stopwatch()
    read_notes: list[str] = []
    segments = _read(source, plan, read_notes)
    found, how = for_file(plan, source.name, _shown(segments))
    if found is not plan:  # another language than planned: read again by its rules
        plan, read_notes = found, []
        segments = _read(source, plan, read_notes)
    read_notes[:0] = [how] if how else []
    planned = {language.lang: planned_paths(source, out_dir, language.lang, plan) for language in plan.languages}
    guard([path for paths in planned.values() for path in paths.values()], source, plan.audio, plan.glossary)
    clock.lap("read")
    progress = Progress(plan.progress, f"{source.name}: ")
    alignment_notes: list[str] = []
    # Times the reader doubts (a recogniser's word longer than speech); replaced by the aligner's own.
    doubtful = [stretch.shifted(plan.source.start) for segment in segments for stretch in segment.doubtful]
    if plan.audio:
        segments, alignment_notes, doubtful = _aligned(segments, plan, progress)
        clock.lap("align")
    if plan.shots:
        plan = with_shots(plan, _shot_changes(plan))
        clock.lap("shots")
    left_out: list[str] = []
    segments = sdh.render(segments, plan.source.style, left_out)  # once: translations carry the labels as shown
    track = caption_language(segments, plan.source)
    track.notes[:0] = read_notes + alignment_notes + ([left_out_note(left_out)] if left_out else [])
    rendered = Rendered(Result(str(source), seconds=clock.laps), {}, [])
    made = [_rendered(source.name, track, plan.source, plan, planned[plan.source.lang], doubtful)]
    clock.lap("caption")
    for target in plan.targets:
        try:
            made.append(_translated(source.name, segments, track, target, plan, planned[target.lang], progress,
                                    doubtful))
            clock.lap(f"translate {target.lang}")
        except CaptionsError as err:  # one language failing leaves the others
            located = err.located(str(source))
            located.message += f" [{target.lang}]"
            rendered.result.errors.append(located)
    for language, outputs, made_track in made:
        rendered.outputs.update(outputs)
        language.outputs.extend(outputs)
        rendered.result.languages.append(language)
        rendered.tracks.append(made_track)
    if plan.review:
        rendered.result.review = review_path(source, out_dir)
        rendered.outputs[rendered.result.review] = _review(source, out_dir, plan, rendered.tracks)
    return rendered


def _synced(source: Path, out_dir: Path, plan: Plan) -> Rendered:
    """A caption file synced to the plan's media (a batch row's ``sync``), as ``captions sync`` does."""
    from .sync import describe, synced

    assert plan.sync is not None and plan.options is not None
    clock = _Stopwatch()
    lang = None if plan.options.find_lang else plan.source.lang
    fps = str(plan.options.fps) if plan.options.fps else None
    done = synced(source, plan.sync, str(out_dir), lang, plan.options.profile, fps, plan.reading.encoding)
    clock.lap("sync")
    language = LanguageResult(done.lang, done.cues, done.issues, done.notes, [done.target], describe(done.transform))
    rendered = Rendered(Result(str(source), [language], seconds=clock.laps), {done.target: done.data}, [done.track])
    if plan.review:
        page, rendered.outputs[page] = done.review(plan.sync, plan.options.profile, out_dir)
        rendered.result.review = page
    return rendered


def _read(source: Path, plan: Plan, notes: list[str]) -> list[Segment]:
    reading = plan.reading
    return sdh.mark(read_file(source, plan.source.pack, reading.encoding, reading.headline, reading.input_format,
                              reading.max_bytes, notes))


def file_language(source: Path, plan: Plan) -> str | None:
    """A file's own language, found as :func:`render_file` finds it (its ``NAME.LANG.EXT``, else what
    its text is in), to name its outputs before any work; None when nothing tells. A file that cannot
    be read is left to say so when it is made."""
    from .languages import own_language

    try:
        shown = _shown(_read(source, plan, []))
    except CaptionsError:
        shown = ""
    found = own_language(source.name, shown)
    return normalise_lang(found) if found else None


def _shown(segments: list[Segment]) -> str:
    """What a transcript shows, as much as its language is found from."""
    return " ".join(segment.text for segment in segments[:500])


def file_plan(source: Path, plan: Plan, made: dict[str, Plan]) -> Plan:
    """The plan a file will have once its language is found (``plan`` itself when the language was
    given or cannot be told); ``made`` keeps one plan per language, so a glossary is loaded once."""
    if plan.options is None or not plan.options.find_lang:
        return plan
    lang = file_language(source, plan) or plan.source.lang
    if lang == plan.source.lang:
        return plan
    if lang not in made:
        made[lang] = make_plan(replace(plan.options, lang=lang))
    return made[lang]


def _review(source: Path, out_dir: Path, plan: Plan, tracks: list[Track]) -> bytes:
    """The review page of the job's tracks, with the media's speech when there is media."""
    from .review import review_media, review_page

    media, waveform = review_media(plan.audio, out_dir)
    return review_page(source.name.split(".")[0], plan.source.style.name, tracks, media, waveform)


def _shot_changes(plan: Plan) -> tuple[float, ...]:
    """The programme's cuts in seconds of the media: found in its video, or read from a list."""
    from .shots import shot_times

    assert plan.shots is not None
    source = plan.audio if plan.shots == "media" else plan.shots
    assert source is not None
    return tuple(float(cut) for cut in shot_times(source, float(plan.source.fps)))


def _aligned(segments: list[Segment], plan: Plan, progress: Progress) -> tuple[list[Segment], list[str], list[Stretch]]:
    """Segments timed by the audio, the alignment's notes, and its low-confidence stretches; kept
    in the cache beside translations, so a rerun that only re-translates does not re-align."""
    from .align import align_segments
    from .cache import aligned_key, load_alignment, open_cache, store_alignment

    # Only a regular file has an identity to key on: a pipe or device goes straight to the decoder,
    # which refuses it without reading (hashing it here would wait on it).
    audio, lang, offset = plan.audio, plan.source.lang, plan.source.start
    assert audio is not None
    everything, segments = segments, sdh.spoken(segments)  # sound descriptions are not in the speech
    cache, _ = open_cache() if plan.cache and Path(audio).is_file() else (None, [])
    key = aligned_key(segments, audio, lang, plan.audio_part, plan.trust_audio, plan.strict_audio) if cache else ""
    try:
        found = load_alignment(cache, key) if cache else None
        if found is None:
            with naming_media(audio):
                aligned, report = align_segments(segments, Path(audio), plan.source.pack, progress, plan.audio_part,
                                                 plan.trust_audio, plan.strict_audio)
            found = (aligned, report.notes(), list(report.doubtful))
            if cache:
                store_alignment(cache, key, *found)
    finally:
        if cache:
            cache.close()
    aligned, notes, doubtful = found
    return sdh.place_sounds(everything, aligned), notes, [stretch.shifted(offset) for stretch in doubtful]


def _translated(name: str, segments: list[Segment], track: Track, target: LanguageContext, plan: Plan,
                paths: dict[str, Path], progress: Progress,
                doubtful: list[Stretch]) -> tuple[LanguageResult, dict[Path, bytes], Track]:
    from .cache import open_cache
    from .translate import configure_from_environment, translate_segments

    engine = configure_from_environment(plan.device)
    cache, cache_notes = open_cache() if plan.cache else (None, [])
    try:
        translated, notes, left = translate_segments(segments, track.cues, plan.source, target, engine, cache,
                                                     progress)
    finally:
        if cache:
            cache.close()
    # The translated segments carry the source times, offset included: time them as they are,
    # and never past the source's last cue (a slow target language lingers, it does not overrun).
    end = float(track.cues[-1].end) if track.cues else None
    target_track = caption_language(translated, for_translation(target, end))
    target_track.notes[:0] = cache_notes + notes
    # The translation shows the same speech at the same times: the aligner's doubts hold for it too.
    return _rendered(name, target_track, target, plan, paths, doubtful, qc.untranslated_issues(
        target_track.cues, [(sentence.start, sentence.end, sentence.pieces) for sentence in left]))


def _rendered(name: str, track: Track, language: LanguageContext, plan: Plan, paths: dict[str, Path],
              doubtful: list[Stretch], found: list[qc.Issue] | None = None,
              ) -> tuple[LanguageResult, dict[Path, bytes], Track]:
    """A language's QC result and the bytes of each of its outputs, not yet written."""
    profile = language.style
    track.title = name.split(".")[0]  # the programme, as its file is named
    track.doubtful = doubtful
    track.origin = on_frame(plan.source.start, track.fps)
    track.issues = qc.check(track.cues, language) + qc.alignment_issues(track.cues, doubtful) + \
        qc.shot_issues(track.cues, track.shot_changes, language) + (found or [])
    # What an output format cannot carry (a character outside its set, say) is reported, never lost silently.
    track.issues += [qc.Issue(number, "format", fmt, "", qc.WARNING, what) for fmt in plan.formats
                     for number, what in limit_problems(track, fmt, language)]
    result = LanguageResult(track.lang, len(track.cues), track.issues, track.notes)
    outputs = {paths[fmt]: get_format(fmt).render(track, language) for fmt in plan.formats}
    if plan.report:
        outputs[paths["qc.txt"]] = report_text(name, profile, track).encode("utf-8")
    if plan.forced:
        narrative = replace(track, cues=[track.cues[index] for index in track.forced], forced=())
        outputs.update({paths[f"forced {fmt}"]: get_format(fmt).render(narrative, language) for fmt in plan.formats})
        if not narrative.cues:
            track.notes.append("no forced narrative: the transcript marks no line forced (F/), so its file is empty")
    return result, outputs, track

