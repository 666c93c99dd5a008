"""Text units the segmenter works with: display width, sentences and breakable tokens."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

_SENTENCE_MARK = re.compile(r"[.?!。！？…]")
_WORD = re.compile(r"\S+")
_ALNUM = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]")

# Kinsoku shori: characters a line may not start with, and may not end with.
NO_LINE_START = frozenset("、。，．・：；？！‼⁇⁈⁉ー―‐〜～…‥)）]］}｝」』】〕〉》〙〗〟’”»ゝゞヽヾ々"
                          "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ")
NO_LINE_END = frozenset("(（[［{｛「『【〔〈《〘〖〝‘“«")


def display_width(text: str, mode: str = "latin") -> float:
    """Width of ``text`` as the style guides count it.

    >>> display_width("Hello"), display_width("日本 2025", "cjk")
    (5, 4.5)
    """
    if mode == "latin":
        return len(text)
    return sum(1.0 if unicodedata.east_asian_width(char) in "WF" else 0.5 for char in text)


@cache
def _segmenter(lang: str) -> Any:
    import pysbd
    import pysbd.languages  # type: ignore[import-untyped]

    base = lang.split("-")[0]
    return pysbd.Segmenter(language=base if base in pysbd.languages.LANGUAGE_CODES else "en",
                           clean=False, char_span=False)


def sentence_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (pysbd), covering the text without gaps.

    >>> text = "Dr. Smith met U.S. officials. They agreed."
    >>> [text[a:b] for a, b in sentence_spans(text, "en")]
    ['Dr. Smith met U.S. officials. ', 'They agreed.']
    """
    body = text.rstrip()
    if not _SENTENCE_MARK.search(body[:-1]):
        return [(0, len(text))]  # at most one sentence: skip pysbd, the slowest step
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sentence in _segmenter(lang).segment(text):
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


@cache
def _phrase_parser(lang: str) -> Any:
    import budoux

    if lang == "zh-Hant":
        return budoux.load_default_traditional_chinese_parser()
    if lang.startswith("zh"):
        return budoux.load_default_simplified_chinese_parser()
    return budoux.load_default_japanese_parser()


def phrase_tokens(text: str, lang: str) -> list[Token]:
    """BudouX phrases, with digit and Latin runs kept whole and kinsoku rules applied.

    >>> [t.text for t in phrase_tokens("岸田総理は2025年4月10日、会談を行いました。", "ja")]
    ['岸田総理は', '2025年4月10日、', '会談を', '行いました。']
    """
    pieces: list[list[Any]] = []  # [text, start, end, space_after]
    for match in _WORD.finditer(text):
        offset = match.start()
        for phrase in _phrase_parser(lang).parse(match[0]):
            pieces.append([phrase, offset, offset + len(phrase), False])
            offset += len(phrase)
        if pieces:
            pieces[-1][3] = True
    merged: list[list[Any]] = []
    for piece in pieces:
        if merged and not merged[-1][3] and _must_join(merged[-1][0], piece[0]):
            merged[-1][0] += piece[0]
            merged[-1][2], merged[-1][3] = piece[2], piece[3]
        else:
            merged.append(piece)
    return [Token(t, a, b, s) for t, a, b, s in merged]


def _must_join(left: str, right: str) -> bool:
    """Whether a break between two phrases would split a number or word, or break kinsoku."""
    if right[0] in NO_LINE_START or left[-1] in NO_LINE_END:
        return True
    return bool(_ALNUM.match(left[-1]) and _ALNUM.match(right[0]))


def split_long_token(token: Token, limit: float, mode: str) -> list[Token]:
    """Cut a phrase wider than a line into line-sized pieces, never breaking kinsoku.

    Only for scripts without spaces: a Latin word is never cut.
    """
    pieces, current, width = [], "", 0.0
    start = token.start
    for char in token.text:
        char_width = display_width(char, mode)
        if current and width + char_width > limit and char not in NO_LINE_START and current[-1] not in NO_LINE_END:
            pieces.append(Token(current, start, start + len(current), False))
            start += len(current)
            current, width = "", 0.0
        current += char
        width += char_width
    pieces.append(Token(current, start, token.end, token.space_after, token.sentence_end))
    return pieces
