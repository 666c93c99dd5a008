"""Text units every language shares: display width, words, and pysbd sentences."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

_SENTENCE_MARK = re.compile(r"[.?!。！？…]")
_WORD = re.compile(r"\S+")


def display_width(text: str, mode: str = "latin") -> float:
    """Width of ``text`` as the style guides count it.

    >>> display_width("Hello"), display_width("日本 2025", "cjk")
    (5, 4.5)
    """
    if mode == "latin":
        return len(text)
    return sum(1.0 if unicodedata.east_asian_width(char) in "WF" else 0.5 for char in text)


@cache
def _segmenter(rules: str) -> Any:
    import pysbd

    return pysbd.Segmenter(language=rules, clean=False, char_span=False)


def pysbd_sentence_spans(text: str, rules: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` under pysbd's rules for a language, covering
    the text without gaps.

    >>> text = "Dr. Smith met U.S. officials. They agreed."
    >>> [text[a:b] for a, b in pysbd_sentence_spans(text, "en")]
    ['Dr. Smith met U.S. officials. ', 'They agreed.']
    """
    body = text.rstrip()
    if not _SENTENCE_MARK.search(body[:-1]):
        return [(0, len(text))]  # at most one sentence: skip pysbd, the slowest step
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sentence in _segmenter(rules).segment(text):
        start = text.find(sentence.strip(), cursor)
        if start < 0 or not sentence.strip():
            continue
        if spans:
            spans[-1] = (spans[-1][0], start)
        spans.append((start, start + len(sentence.strip())))
        cursor = spans[-1][1]
    if not spans:
        return [(0, len(text))]
    spans[0] = (0, spans[0][1])
    spans[-1] = (spans[-1][0], len(text))
    return spans


@dataclass(frozen=True)
class Token:
    """An unbreakable piece of a line: a word, or a phrase in languages written without spaces.

    ``start``/``end`` are character offsets in the segment text (so times and words can be traced
    back); ``space_after`` says whether a space separates it from the next token on a line.
    """

    text: str
    start: int
    end: int
    space_after: bool
    sentence_end: bool = False


def word_tokens(text: str) -> list[Token]:
    """Space-separated words.

    >>> [t.text for t in word_tokens("Joe  Biden, US")]
    ['Joe', 'Biden,', 'US']
    """
    return [Token(m[0], m.start(), m.end(), True) for m in _WORD.finditer(text)]
