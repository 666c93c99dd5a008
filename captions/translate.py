"""Translation stage: source cues -> whole translated sentences -> timed target segments.

Sentences are rebuilt per speaker segment from the source (never half-sentences), translated in
one batched CTranslate2 stream per language pair with an installed Argos Translate package, and
returned as timed segments whose sentences keep the source sentences' time spans. The normal
segmentation and timing stages then cut them into cues under the target language's profile.

Only ``argostranslate.package`` and ``argostranslate.tokenizer`` are imported (light and
offline); ``argostranslate.translate`` would load spacy/stanza/torch and reach for the network.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .cache import TranslationCache, safe_get, safe_put
from .context import LanguageContext
from .errors import ModelError, OptionError
from .glossary import TermMatcher
from .model import Cue, Segment
from .models import installed_packages
from .progress import Progress
from .sdh import labels_in
from .timemap import TimeMap, monotonic_anchors

PIVOTS = ("en",)  # tried first when no direct package exists, as argostranslate does
BATCH_SIZE = 32
STREAM_CHUNK = 8 * BATCH_SIZE  # sentences handed to CTranslate2 at a time, so progress can be shown
# Around a piece the model did not know and copied from the source: kept through the cache, counted
# and taken out when the sentence is put back together (private-use characters no text carries).
COPIED = ("\ue000", "\ue001")


@dataclass(frozen=True)
class Untranslated:
    """A translated sentence (its time span) in which the model did not know some pieces."""

    start: float
    end: float
    pieces: tuple[str, ...]  # copied from the source as they were; "⁇" where one was dropped


@dataclass(frozen=True)
class EngineOptions:
    device: str = "cpu"  # cpu | cuda | auto
    compute_type: str = "auto"  # int8 on CPU, float16 on CUDA, unless set
    beam_size: int = 4
    inter_threads: int = 1
    intra_threads: int = 0  # 0: CTranslate2 picks
    max_length: int = 256  # tokens per translated sentence
    min_length: int = 0  # benchmarks fix the length of random-weight models' output with both


def find_route(source: str, target: str, packages: list[Any] | None = None) -> list[Any]:
    """Installed packages that take ``source`` to ``target``: direct, else through a pivot language.

    ``packages`` come newest version of a pair first (:func:`installed_packages`), so the newest is used.
    """
    packages = [p for p in (installed_packages() if packages is None else packages) if p.type == "translate"]
    direct = [p for p in packages if p.from_code == source and p.to_code == target]
    if direct:
        return direct[:1]
    for pivot in PIVOTS + tuple(sorted({p.to_code for p in packages})):
        first = [p for p in packages if p.from_code == source and p.to_code == pivot]
        second = [p for p in packages if p.from_code == pivot and p.to_code == target]
        if first and second:
            return [first[0], second[0]]
    raise ModelError(f"no {source}->{target} translation model installed: offline, install its package file "
                     f"(captions models install translate-{source}_{target}-*.argosmodel, or a folder of them, fetched on a "
                     f"connected machine with captions models download {source} {target}); online, captions models "
                     f"install {source} {target} (README: Models)")


def _translator(model_path: str, options: EngineOptions) -> Any:
    return _load_translator(model_path, options.device, options.compute_type, options.inter_threads,
                            options.intra_threads)


@lru_cache(maxsize=8)
def _load_translator(model_path: str, device: str, compute_type: str, inter_threads: int, intra_threads: int) -> Any:
    """A loaded CTranslate2 model, kept for the process: loading costs more than a batch."""
    import ctranslate2

    if device == "auto":
        device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    if compute_type == "auto":
        compute_type = "int8" if device == "cpu" else "float16"
    if device == "cuda" and ctranslate2.get_cuda_device_count() == 0:
        raise ModelError("--device cuda: no CUDA GPU is available to CTranslate2 (use cpu or auto)")
    try:
        return ctranslate2.Translator(model_path, device=device, compute_type=compute_type,
                                      inter_threads=inter_threads, intra_threads=intra_threads)
    except (RuntimeError, ValueError, OSError) as err:
        raise ModelError(f"cannot load the translation model {model_path}: {err}") from None


def translate_sentences(sentences: list[str], package: Any, options: EngineOptions,
                        advance: Callable[[int], None] | None = None) -> list[str]:
    """All sentences of one language pair in one batched ``translate_batch`` stream."""
    if not sentences:
        return []
    try:
        tokenizer = package.tokenizer
        batch = [tokenizer.encode(sentence) for sentence in sentences]
    except Exception as err:  # sentencepiece/BPE raise their own types for a broken tokenizer file
        raise ModelError(f"the tokenizer of {package.package_path} cannot be used: {err}") from None
    prefix = [[package.target_prefix]] * len(batch) if package.target_prefix else None
    translator = _translator(str(package.package_path / "model"), options)
    results = []
    try:
        for first in range(0, len(batch), STREAM_CHUNK):
            chunk = slice(first, first + STREAM_CHUNK)
            results += translator.translate_batch(
                batch[chunk], target_prefix=prefix and prefix[chunk], beam_size=options.beam_size,
                max_batch_size=BATCH_SIZE, batch_type="examples", max_decoding_length=options.max_length,
                min_decoding_length=options.min_length, return_attention=True)
            if advance:
                advance(len(batch[chunk]))
    except (RuntimeError, ValueError) as err:
        raise ModelError(f"translation with {package.package_path.name} failed: {err}") from None
    translated = []
    for source, result in zip(batch, results):
        tokens = _with_copies(result.hypotheses[0], source, result.attention[0])
        if package.target_prefix and tokens[:1] == [package.target_prefix]:
            tokens = tokens[1:]
        translated.append(tokenizer.decode(tokens))
    return translated


def _with_copies(tokens: list[str], source: list[str], attention: list[list[float]]) -> list[str]:
    """Each piece the model does not know (``<unk>``) replaced by the source piece it attends to most,
    as argostranslate does, and marked as copied so that QC can count it: never "⁇" on screen.

    >>> _with_copies(["a", "<unk>", "c"], ["x", "€", "z"], [[1, 0, 0], [0.1, 0.8, 0.1], [0, 0, 1]])
    ['a', '\ue000', '€', '\ue001', 'c']
    """
    pieces = []
    for index, token in enumerate(tokens):
        if token == "<unk>" and source and index < len(attention):
            weights = attention[index][: len(source)]
            pieces += [COPIED[0], source[max(range(len(weights)), key=weights.__getitem__)], COPIED[1]]
        else:
            pieces.append(token)
    return pieces


def untranslated(text: str) -> tuple[str, list[str]]:
    """A translated sentence as a viewer sees it, and the pieces the model did not know: copied from
    the source (marked by :func:`_with_copies`), or dropped where only sentencepiece's "⁇" was left.

    >>> untranslated("don\ue000’\ue001t eat \ue000€\ue0015 ⁇ .")
    ('don’t eat €5 .', ['’', '€', '⁇'])
    """
    marked = re.compile(f"{COPIED[0]}\\s*(.*?)\\s*{COPIED[1]}")
    copied = marked.findall(text) + ["⁇"] * text.count("⁇")
    return re.sub(" {2,}", " ", without_unknowns(marked.sub(r"\1", text))), copied


def without_unknowns(text: str) -> str:
    """Decoded text with no "⁇" (sentencepiece's mark for an unknown piece) left for a viewer to see.

    >>> without_unknowns("⁇ don ⁇ t know. ")
    "don't know."
    """
    text = re.sub(r"(?<=[A-Za-z]) ?⁇ ?(?=(?:s|t|d|ll|re|ve|m)\b)", "'", text)  # a missing apostrophe: "don ⁇ t"
    return re.sub(r"\s*⁇\s*", " ", text).strip()


def sentence_times(segments: list[Segment], cues: list[Cue],
                   language: LanguageContext) -> list[list[tuple[str, float, float]]]:
    """Per segment, its sentences with the times the source cues show them."""
    anchors: dict[int, list[tuple[int, float]]] = {}
    for cue in cues:
        total = sum(end - start for _, start, end in cue.sources) or 1
        at = float(cue.start)
        for index, start, end in cue.sources:
            until = at + cue.duration * (end - start) / total
            anchors.setdefault(index, []).extend([(start, at), (end, until)])
            at = until
    result: list[list[tuple[str, float, float]]] = []
    for index, segment in enumerate(segments):
        points = sorted(anchors.get(index, []))
        if not points:
            result.append([])
            continue
        times = TimeMap(tuple(points))
        result.append([(segment.text[a:b].strip(), times.at(a), times.at(len(segment.text[:b].rstrip())))
                       for a, b in language.pack.sentence_spans(segment.text) if segment.text[a:b].strip()])
    return result


def translate_cached(texts: list[str], package: Any, options: EngineOptions, cache: TranslationCache | None,
                     advance: Callable[[int], None] | None = None) -> tuple[list[str], int, list[str]]:
    """Translations of ``texts`` with one package, from the cache where it has them; the hit count; notes."""
    if cache is None:
        return translate_sentences(texts, package, options, advance), 0, []
    model = f"{package.package_path.name}@{package.package_version}"
    keys = [cache.key(model, options.beam_size, text) for text in texts]
    found, note = safe_get(cache, keys)
    notes = [note] if note else []
    missing = [index for index, key in enumerate(keys) if key not in found]
    if advance:
        advance(len(texts) - len(missing))
    fresh = translate_sentences([texts[index] for index in missing], package, options, advance)
    note = safe_put(cache, {keys[index]: text for index, text in zip(missing, fresh)})
    notes += [note] if note else []
    results = [found.get(key, "") for key in keys]
    for index, text in zip(missing, fresh):
        results[index] = text
    return results, len(texts) - len(missing), notes


def translate_segments(segments: list[Segment], cues: list[Cue], from_language: LanguageContext,
                       into: LanguageContext, options: EngineOptions | None = None,
                       cache: TranslationCache | None = None,
                       progress: Progress | None = None) -> tuple[list[Segment], list[str], list[Untranslated]]:
    """Timed segments in ``into``'s language, with its glossary terms; notes (pivot used, cache hits,
    glossary terms lost); and where the model left pieces untranslated."""
    options, progress = options or EngineOptions(), progress or Progress()
    source, target, terms = from_language.lang, into.lang, dict(into.terms)
    installed = installed_packages()
    route = find_route(source, target, installed)
    spans = sentence_times(segments, cues, from_language)
    # Sound labels inside speech ([laughs]) are not speech: kept as they are, unless the glossary has them.
    labels = {label: label for segment in segments for label in labels_in(segment.text)}
    matcher = TermMatcher({**labels, **terms})
    protected = [matcher.protect(sentence) for per_segment in spans for sentence, _, _ in per_segment]
    texts = [re.sub(f"[{''.join(COPIED)}]", "", text) for text, _ in protected]
    copied: list[list[str]] = [[] for _ in texts]
    notes: list[str] = []
    for package in route:
        versions = [str(p.package_version) for p in installed
                    if (p.from_code, p.to_code) == (package.from_code, package.to_code)]
        if len(versions) > 1:
            notes.append(f"{len(versions)} versions of the {package.from_code}->{package.to_code} model are "
                         f"installed ({', '.join(versions)}): using the newest, {package.package_version}")
    hits = 0
    for package in route:
        advance = progress.task(f"translating {package.from_code}->{package.to_code}", len(texts))
        texts, hits, cache_notes = translate_cached(texts, package, options, cache, advance)
        progress.done(advance)
        notes += cache_notes
        for index, (text, pieces) in enumerate(map(untranslated, texts)):
            texts[index] = text
            copied[index] += pieces
    if len(route) > 1:
        notes.append(f"{source}->{target} translated through {route[0].to_code} (no direct model installed)")
    if cache is not None and texts:
        notes.append(f"{hits} of {len(texts)} sentences from the translation cache")
    restored = []
    for text, (_, placeholders) in zip(texts, protected):
        text, lost = matcher.restore(text, placeholders)
        notes += [f"glossary term {term!r} was dropped by the model in: {text!r}" for term in lost]
        restored.append(text)
    joiner = into.pack.joiner
    translated, cursor, left = [], 0, []
    for segment, per_segment in zip(segments, spans):
        text, points = "", []
        for _, start, end in per_segment:
            sentence = restored[cursor]
            if copied[cursor]:
                left.append(Untranslated(start, end, tuple(copied[cursor])))
            cursor += 1
            if not sentence:
                continue
            text += joiner if text else ""
            points += [(len(text), start), (len(text) + len(sentence), end)]
            text += sentence
        if text:
            translated.append(Segment(text, matcher.terms.get(segment.speaker, segment.speaker),
                                      matcher.terms.get(segment.title, segment.title), segment.kind, segment.line,
                                      segment.paragraph, monotonic_anchors(points), offscreen=segment.offscreen))
    return translated, notes, left


DEVICES = ("cpu", "cuda", "auto")
COMPUTE_TYPES = ("auto", "default", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16",
                 "bfloat16", "float32")
# variable -> (default, lowest, highest)
ENGINE_NUMBERS = {"ARGOS_BEAM_SIZE": (4, 1, 16), "ARGOS_INTER_THREADS": (1, 1, 64), "ARGOS_INTRA_THREADS": (0, 0, 256)}


def configure_from_environment(device: str | None = None) -> EngineOptions:
    """Engine settings from argostranslate's own environment variables, so both tools agree.

    Every value is checked: a bad one is an option error naming the variable.
    """
    device = device or os.environ.get("ARGOS_DEVICE_TYPE", "cpu")
    if device not in DEVICES:
        raise OptionError(f"device {device!r} is not one of {', '.join(DEVICES)} (--device or ARGOS_DEVICE_TYPE)")
    compute_type = os.environ.get("ARGOS_COMPUTE_TYPE", "auto")
    if compute_type not in COMPUTE_TYPES:
        raise OptionError(f"ARGOS_COMPUTE_TYPE={compute_type!r} is not one of {', '.join(COMPUTE_TYPES)}")
    numbers = {}
    for name, (default, lowest, highest) in ENGINE_NUMBERS.items():
        raw = os.environ.get(name, str(default)).strip()
        if not raw.isdigit() or not lowest <= int(raw) <= highest:
            raise OptionError(f"{name}={raw[:20]!r} must be a whole number from {lowest} to {highest}")
        numbers[name] = int(raw)
    return EngineOptions(device=device, compute_type=compute_type, beam_size=numbers["ARGOS_BEAM_SIZE"],
                         inter_threads=numbers["ARGOS_INTER_THREADS"], intra_threads=numbers["ARGOS_INTRA_THREADS"])
