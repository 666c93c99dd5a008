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
from dataclasses import dataclass
from functools import lru_cache

from .cache import TranslationCache
from .errors import CaptionsError
from .glossary import protect, restore
from .model import Cue, Segment
from .models import installed_packages
from .text import sentence_spans
from .timemap import TimeMap, monotonic_anchors

PIVOTS = ("en",)  # tried first when no direct package exists, as argostranslate does
BATCH_SIZE = 32


@dataclass(frozen=True)
class EngineOptions:
    device: str = "cpu"  # cpu | cuda | auto
    compute_type: str = "auto"  # int8 on CPU, float16 on CUDA, unless set
    beam_size: int = 4
    inter_threads: int = 1
    intra_threads: int = 0  # 0: CTranslate2 picks
    max_length: int = 256  # tokens per translated sentence
    min_length: int = 0  # benchmarks fix the length of random-weight models' output with both


def find_route(source: str, target: str) -> list:
    """Installed packages that take ``source`` to ``target``: direct, else through a pivot language."""
    packages = [p for p in installed_packages() if p.type == "translate"]
    direct = [p for p in packages if p.from_code == source and p.to_code == target]
    if direct:
        return direct[:1]
    for pivot in PIVOTS + tuple(sorted({p.to_code for p in packages})):
        first = [p for p in packages if p.from_code == source and p.to_code == pivot]
        second = [p for p in packages if p.from_code == pivot and p.to_code == target]
        if first and second:
            return [first[0], second[0]]
    raise CaptionsError(f"no {source}->{target} translation model installed "
                        f"(install one with: captions models install {source} {target})")


def _translator(model_path: str, options: EngineOptions):
    return _load_translator(model_path, options.device, options.compute_type, options.inter_threads,
                            options.intra_threads)


@lru_cache(maxsize=8)
def _load_translator(model_path: str, device: str, compute_type: str, inter_threads: int, intra_threads: int):
    """A loaded CTranslate2 model, kept for the process: loading costs more than a batch."""
    import ctranslate2

    if device == "auto":
        device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    if compute_type == "auto":
        compute_type = "int8" if device == "cpu" else "float16"
    return ctranslate2.Translator(model_path, device=device, compute_type=compute_type,
                                  inter_threads=inter_threads, intra_threads=intra_threads)


def translate_sentences(sentences: list[str], package, options: EngineOptions) -> list[str]:
    """All sentences of one language pair in one batched ``translate_batch`` stream."""
    if not sentences:
        return []
    tokenizer = package.tokenizer
    batch = [tokenizer.encode(sentence) for sentence in sentences]
    prefix = [[package.target_prefix]] * len(batch) if package.target_prefix else None
    results = _translator(str(package.package_path / "model"), options).translate_batch(
        batch, target_prefix=prefix, beam_size=options.beam_size, max_batch_size=BATCH_SIZE,
        batch_type="examples", max_decoding_length=options.max_length, min_decoding_length=options.min_length,
    )
    translated = []
    for result in results:
        tokens = result.hypotheses[0]
        if package.target_prefix and tokens[:1] == [package.target_prefix]:
            tokens = tokens[1:]
        translated.append(tokenizer.decode(tokens).strip())
    return translated


def sentence_times(segments: list[Segment], cues: list[Cue], lang: str) -> list[list[tuple[str, float, float]]]:
    """Per segment, its sentences with the times the source cues show them."""
    anchors: dict[int, list[tuple[int, float]]] = {}
    for cue in cues:
        total = sum(end - start for _, start, end in cue.sources) or 1
        at = cue.start
        for index, start, end in cue.sources:
            until = at + cue.duration * (end - start) / total
            anchors.setdefault(index, []).extend([(start, at), (end, until)])
            at = until
    result = []
    for index, segment in enumerate(segments):
        points = sorted(anchors.get(index, []))
        if not points:
            result.append([])
            continue
        times = TimeMap(tuple(points))
        result.append([(segment.text[a:b].strip(), times.at(a), times.at(len(segment.text[:b].rstrip())))
                       for a, b in sentence_spans(segment.text, lang) if segment.text[a:b].strip()])
    return result


def translate_cached(texts: list[str], package, options: EngineOptions,
                     cache: TranslationCache | None) -> tuple[list[str], int]:
    """Translations of ``texts`` with one package, from the cache where it has them; and the hit count."""
    if cache is None:
        return translate_sentences(texts, package, options), 0
    model = f"{package.package_path.name}@{package.package_version}"
    keys = [cache.key(model, options.beam_size, text) for text in texts]
    found = cache.get_many(keys)
    missing = [index for index, key in enumerate(keys) if key not in found]
    fresh = translate_sentences([texts[index] for index in missing], package, options)
    cache.put_many({keys[index]: text for index, text in zip(missing, fresh)})
    results = [found.get(key, "") for key in keys]
    for index, text in zip(missing, fresh):
        results[index] = text
    return results, len(texts) - len(missing)


def translate_segments(segments: list[Segment], cues: list[Cue], source: str, target: str,
                       options: EngineOptions | None = None, terms: dict[str, str] | None = None,
                       cache: TranslationCache | None = None) -> tuple[list[Segment], list[str]]:
    """Timed target-language segments and notes (pivot used, cache hits, glossary terms lost)."""
    options, terms = options or EngineOptions(), terms or {}
    route = find_route(source, target)
    spans = sentence_times(segments, cues, source)
    protected = [protect(sentence, terms) for per_segment in spans for sentence, _, _ in per_segment]
    texts = [text for text, _ in protected]
    notes, hits = [], 0
    for package in route:
        texts, hits = translate_cached(texts, package, options, cache)
    if len(route) > 1:
        notes.append(f"{source}->{target} translated through {route[0].to_code} (no direct model installed)")
    if cache is not None and texts:
        notes.append(f"{hits} of {len(texts)} sentences from the translation cache")
    restored = []
    for text, (_, placeholders) in zip(texts, protected):
        text, lost = restore(text, placeholders)
        notes += [f"glossary term {term!r} was dropped by the model in: {text!r}" for term in lost]
        restored.append(text)
    joiner = "" if target.split("-")[0] in ("ja", "zh") else " "
    translated, cursor = [], 0
    for segment, per_segment in zip(segments, spans):
        text, points = "", []
        for _, start, end in per_segment:
            sentence = restored[cursor]
            cursor += 1
            if not sentence:
                continue
            text += joiner if text else ""
            points += [(len(text), start), (len(text) + len(sentence), end)]
            text += sentence
        if text:
            translated.append(Segment(text, terms.get(segment.speaker, segment.speaker),
                                      terms.get(segment.title, segment.title), segment.kind, segment.line,
                                      segment.paragraph, monotonic_anchors(points)))
    return translated, notes


def configure_from_environment() -> EngineOptions:
    """Engine settings from argostranslate's own environment variables, so both tools agree."""
    return EngineOptions(
        device=os.environ.get("ARGOS_DEVICE_TYPE", "cpu"),
        compute_type=os.environ.get("ARGOS_COMPUTE_TYPE", "auto"),
        beam_size=int(os.environ.get("ARGOS_BEAM_SIZE", "4")),
        inter_threads=int(os.environ.get("ARGOS_INTER_THREADS", "1")),
        intra_threads=int(os.environ.get("ARGOS_INTRA_THREADS", "0")),
    )
