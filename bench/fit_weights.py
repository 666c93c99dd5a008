"""Fit the line breaker's weights on the TED tuning talks; report them against the held-out talks.

A derivative-free coordinate search over the weights of ``captions/linebreak.py`` (each tried at
0.5, 0.75, 1.25, 1.5 and 2 times its value, kept where the tuning talks gain, twice round):
the objective is any-break F1 plus half the line-break F1 on the English tuning talks, less a
penalty for every sentence end left mid-line past 4%. The held-out talks (English and Japanese)
are only measured, before and after. ``--write`` stores the fitted weights in
``captions/weights/breaker.json``, which the breaker loads.

Run: python bench/fit_weights.py [--write]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import human_agreement as bench

from captions import linebreak

WEIGHTS = Path(linebreak.__file__).parent / "weights" / "breaker.json"
FACTORS = (0.5, 0.75, 1.25, 1.5, 2.0)
TUNE, HELD_OUT = ("10", "1004"), {"en": ("16", "17"), "ja": ("16", "17", "25")}


def measure(talks: tuple[str, ...], lang: str, data: dict) -> tuple[float, float, float] | None:
    """Mean any-break F1, line-break F1 and share of sentence ends left mid-line over the talks."""
    scores = []
    for talk in talks:
        cues, human = data[(lang, talk)]
        mine = bench.ours(cues, lang)
        if mine.tokens != human.tokens:
            return None
        ends = bench.sentence_ends(cues, lang, len(human.tokens))
        breaks = mine.line | mine.cue
        scores.append((bench.f1(breaks, human.line | human.cue)[2], bench.f1(mine.line, human.line)[2],
                       sum(end not in breaks for end in ends) / max(len(ends), 1)))
    return tuple(sum(column) / len(scores) for column in zip(*scores))  # type: ignore[return-value]


def objective(found: tuple[float, float, float]) -> float:
    any_f1, line_f1, mid_line = found
    return any_f1 + 0.5 * line_f1 - 10 * max(mid_line - 0.04, 0.0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help="store the fitted weights for the breaker")
    args = parser.parse_args()
    data = {(lang, talk): (cues, bench.breaks_of(cues, lang))
            for lang, talks in (("en", TUNE + HELD_OUT["en"]), ("ja", HELD_OUT["ja"]))
            for talk in talks for cues in [bench.human_cues(talk, lang)]}
    names = [name for name in linebreak.fitted_weights()]
    before = {name: getattr(linebreak, name) for name in names}

    def report(label: str) -> None:
        print(f"{label}: en tuning {fmt(measure(TUNE, 'en', data))}, en held out {fmt(measure(HELD_OUT['en'], 'en', data))}, "
              f"ja held out {fmt(measure(HELD_OUT['ja'], 'ja', data))}")

    report("start")
    found = measure(TUNE, "en", data)
    assert found is not None, "the tuning talks' tokens differ from the human tracks"
    score = objective(found)
    for _ in range(2):
        for name in names:
            current = getattr(linebreak, name)
            for factor in FACTORS:
                value = current * factor if isinstance(current, float) else max(0, round(current * factor))
                if value == current:
                    continue
                setattr(linebreak, name, value)
                tried = measure(TUNE, "en", data)
                if tried is not None and objective(tried) > score + 1e-9:
                    score, current = objective(tried), value
                    print(f"  {name} {before[name]} -> {value}: en tuning {fmt(tried)}")
                setattr(linebreak, name, current)
    fitted = {name: getattr(linebreak, name) for name in names}
    report("fitted")
    if args.write:
        about = json.loads(WEIGHTS.read_text(encoding="utf-8")).get("_about", "")
        WEIGHTS.write_text(json.dumps({"_about": about, **fitted}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"written: {WEIGHTS}")


def fmt(found: tuple[float, float, float] | None) -> str:
    return "tokens differ" if found is None else f"any {found[0]:.1%}, line {found[1]:.1%}, mid-line {found[2]:.1%}"


if __name__ == "__main__":
    main()
