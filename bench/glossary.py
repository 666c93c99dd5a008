"""Benchmark: glossary matching with many terms, against the previous per-term regex loop.

Run: python bench/glossary.py. 41 sentences (as in the hardening issue's report, where a 200,000-term
glossary took 245 s) are protected and restored with glossaries of 2,000, 20,000 and 200,000 terms.
The previous method (one compiled regex per term, searched in every sentence) is run in the same
process at 2,000 and 20,000 terms as the baseline; it grows with the number of terms, the one-pass
matcher with the length of the text.
"""

from __future__ import annotations

import re
import time

from captions.glossary import TermMatcher


def previous_protect(sentence: str, terms: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The method this replaces (captions 0.1.0): a regex per term, longest first."""
    placeholders: dict[str, str] = {}
    number = 7001
    for source in sorted(terms, key=len, reverse=True):
        pattern = re.compile(rf"(?<!\w){re.escape(source)}(?!\w)")
        while pattern.search(sentence):
            while str(number) in sentence:
                number += 1
            sentence = pattern.sub(str(number), sentence, count=1)
            placeholders[str(number)] = terms[source]
            number += 1
    return sentence, placeholders


def main() -> None:
    sentences = [f"Kishida Fumio said term{n} word twice: term{n} word, and the storm hit the coast {n}."
                 for n in range(41)]
    print(f"{'terms':>8}  {'one-pass matcher':>18}  {'previous regex loop':>20}  speed-up")
    for count in (2_000, 20_000, 200_000):
        terms = {f"term{number} word": f"T{number}" for number in range(count)}
        terms["Kishida Fumio"] = "岸田文雄"
        started = time.perf_counter()
        matcher = TermMatcher(terms)
        ours = [matcher.restore(*matcher.protect(sentence))[0] for sentence in sentences]
        fast = time.perf_counter() - started
        if count <= 20_000:
            started = time.perf_counter()
            theirs = [previous_protect(sentence, terms) for sentence in sentences]
            slow = time.perf_counter() - started
            assert [len(p) for _, p in theirs] == [len(matcher.protect(s)[1]) for s in sentences]
            print(f"{count:>8}  {fast:>16.3f} s  {slow:>18.2f} s  {slow / fast:7.0f}x")
        else:
            print(f"{count:>8}  {fast:>16.3f} s  {'(not run: ~10x the 20,000 time)':>20}")
        assert ours[3].startswith("岸田文雄 said T3 twice")


if __name__ == "__main__":
    main()
