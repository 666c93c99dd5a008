"""Benchmark: translation throughput against raw CTranslate2 and argostranslate, in one process.

Run (needs the full translate extra, for argostranslate's own ``translate()``)::

    pip install -e '.[translate]' && python bench/translate.py

Builds a Transformer-base sized random-weight package (bench/argos_models.py), installs it in a
temporary ARGOS_PACKAGES_DIR and translates the same 200 short sentences three ways, every output
fixed at 20 tokens (random weights give noise of any length otherwise):

1. raw ``ctranslate2.Translator.translate_batch`` on the already tokenized sentences (the limit, 1.0x)
2. the project's path (``captions.translate.translate_sentences``: tokenize, one batched stream, decode)
3. argostranslate's ``translate()`` once per sentence, as a hand-rolled script would call it

Targets: the project's path >= 0.9x raw, and >= 5x argostranslate per sentence.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

SENTENCES = 200
LENGTH = 20
BEAM = 4


def main() -> None:
    scratch = tempfile.mkdtemp(prefix="captions-bench-")
    for variable in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[variable] = scratch
    os.environ["ARGOS_PACKAGES_DIR"] = os.path.join(scratch, "packages")
    os.environ["ARGOS_BEAM_SIZE"] = str(BEAM)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import ctranslate2
    from argos_models import build_base_package

    from captions.models import install_file, installed_packages
    from captions.translate import EngineOptions, _translator, translate_sentences

    started = time.perf_counter()
    install_file(build_base_package(os.path.join(scratch, "built")))
    print(f"built and installed a Transformer-base random package in {time.perf_counter() - started:.1f} s")
    (package,) = installed_packages()
    rng = random.Random(0)
    en, _ = __import__("tiny_argos").make_corpus(SENTENCES, seed=1)
    sentences = [rng.choice(en) for _ in range(SENTENCES)]
    options = EngineOptions(beam_size=BEAM, min_length=LENGTH, max_length=LENGTH)

    translator = _translator(str(package.package_path / "model"), options)  # the same loaded model for 1 and 2
    tokens = [package.tokenizer.encode(sentence) for sentence in sentences]
    translator.translate_batch(tokens[:8], beam_size=BEAM)  # warm-up

    def raw() -> None:
        translator.translate_batch(tokens, beam_size=BEAM, max_batch_size=32, batch_type="examples",
                                   min_decoding_length=LENGTH, max_decoding_length=LENGTH)

    def ours() -> None:
        translate_sentences(sentences, package, options)

    rows = [("raw translate_batch (limit)", timed(raw)), ("captions translate path", timed(ours))]
    try:
        rows.append(("argostranslate translate() per sentence", timed(argos_per_sentence(sentences, ctranslate2))))
    except ImportError as err:
        print(f"(argostranslate's translate() is not importable here: {err}; install the full translate extra)")
    limit = rows[0][1]
    print(f"\n{SENTENCES} sentences, beam {BEAM}, {LENGTH} output tokens each, {os.cpu_count()} cores")
    print(f"{'path':<42}{'sentences/s':>12}{'vs raw':>9}")
    for name, seconds in rows:
        print(f"{name:<42}{SENTENCES / seconds:>12.1f}{limit / seconds:>8.2f}x")
    if len(rows) == 3:
        print(f"captions path vs argostranslate per sentence: {rows[2][1] / rows[1][1]:.1f}x faster")


def argos_per_sentence(sentences: list[str], ctranslate2):
    import argostranslate.translate

    class FixedLength:
        """argostranslate's translator with the output length fixed like the other two paths."""

        def __init__(self, *args, **kwargs):
            self.inner = original(*args, **kwargs)

        def translate_batch(self, *args, **kwargs):
            kwargs.update(min_decoding_length=LENGTH, max_decoding_length=LENGTH)
            return self.inner.translate_batch(*args, **kwargs)

    original = ctranslate2.Translator
    argostranslate.translate.ctranslate2.Translator = FixedLength
    translation = argostranslate.translate.get_translation_from_codes("en", "xx")
    translation.translate(sentences[0])  # load the model and the splitter outside the measurement

    def run() -> None:
        for sentence in sentences:
            translation.translate(sentence)

    return run


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
