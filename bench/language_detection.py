"""How well a transcript's language is found from short subtitle lines, per detector.

bench/data/language_lines.tsv holds 200 subtitle-length lines of real text (the Universal Declaration
of Human Rights, see bench/language_lines.py) in each language with a pack. Each line is given alone
to each detector, restricted to the languages captions has packs for:

- py3langid (its model in its wheel, 4.6 MB): naive Bayes over byte n-grams;
- lingua-language-detector (its models in its wheel, 96 MB), where installed (`pip install
  lingua-language-detector`): n-gram models, high-accuracy mode; it has no Amharic or Burmese;
and captions' own rule (``captions.languages.detect``: the script where it decides, kana, hangul,
Han, Ethiopic, Myanmar, Armenian, Greek; else py3langid when it is sure) on 1, 3 and 10 lines at a time.

Prints accuracy per language and overall, seconds per line and the memory each detector took.

    python bench/language_detection.py
"""

import resource
import time
from collections import defaultdict
from pathlib import Path

from captions.languages import codes, detect

DATA = Path(__file__).parent / "data" / "language_lines.tsv"


def lines() -> list[tuple[str, str]]:
    return [tuple(row.split("\t", 1)) for row in DATA.read_text(encoding="utf-8").splitlines() if row]  # type: ignore[misc]


def family(code: str) -> str:
    """zh-Hant is found as zh and told apart by its characters; Norwegian is no/nb either way."""
    return {"zh-Hant": "zh", "no": "nb"}.get(code, code)


def py3langid_detector():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(sorted({family(code) if family(code) != "nb" else "no" for code in codes()}))
    return lambda text: family(identifier.classify(text)[0])


def lingua_detector():
    from lingua import Language, LanguageDetectorBuilder

    known = {language.iso_code_639_1.name.lower(): language for language in Language.all()}
    detector = LanguageDetectorBuilder.from_languages(*[known[family(code)] for code in codes()
                                                        if family(code) in known]).build()

    def found(text: str) -> str:
        language = detector.detect_language_of(text)
        return language.iso_code_639_1.name.lower() if language else "?"

    return found


def measure(name, make, data):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        detector = make()
    except ImportError:
        print(f"{name}: not installed")
        return
    loaded = time.perf_counter() - started
    hits, totals = defaultdict(int), defaultdict(int)
    started = time.perf_counter()
    for lang, text in data:
        totals[lang] += 1
        hits[lang] += detector(text) == family(lang)
    seconds = time.perf_counter() - started
    memory = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    per_language = {lang: hits[lang] / totals[lang] for lang in totals}
    worst = sorted(per_language.items(), key=lambda item: item[1])[:6]
    print(f"{name}: {sum(hits.values()) / len(data):.1%} of {len(data)} lines, mean per language "
          f"{sum(per_language.values()) / len(per_language):.1%}; loaded in {loaded:.2f} s, "
          f"{seconds / len(data) * 1000:.2f} ms a line, +{memory:.0f} MB")
    print("  worst: " + ", ".join(f"{lang} {share:.0%}" for lang, share in worst))
    return per_language


def decisions(data, size: int) -> None:
    """captions' own rule on ``size`` lines at a time (a transcript's opening is what it is given):
    right, wrong (a wrong language captioned), or not sure (the language planned, with a note)."""
    by_lang = defaultdict(list)
    for lang, text in data:
        by_lang[lang].append(text)
    counts = defaultdict(int)
    wrong = []
    for lang, texts in by_lang.items():
        for start in range(0, len(texts) - size + 1, size):
            found = detect(" ".join(texts[start : start + size]))
            outcome = "unsure" if found is None else "right" if family(found) == family(lang) else "wrong"
            counts[outcome] += 1
            if outcome == "wrong":
                wrong.append(f"{lang}->{found}")
    total = sum(counts.values())
    print(f"captions on {size} line(s) at a time: {counts['right'] / total:.1%} right, {counts['wrong'] / total:.1%} "
          f"wrong, {counts['unsure'] / total:.1%} not sure, of {total}" + (f"; wrong: {', '.join(sorted(set(wrong)))}"
                                                                           if wrong else ""))


def main() -> None:
    data = lines()
    for size in (1, 3, 10):
        decisions(data, size)
    results = {name: measure(name, make, data) for name, make in
               (("py3langid", py3langid_detector), ("lingua", lingua_detector))}
    shown = [name for name, result in results.items() if result]
    print("\n| language | " + " | ".join(shown) + " |\n|---|" + "---|" * len(shown))
    for lang in sorted(results[shown[0]]):
        print(f"| {lang} | " + " | ".join(f"{results[name].get(lang, 0):.0%}" if lang in results[name] else "-"
                                          for name in shown) + " |")


if __name__ == "__main__":
    main()
