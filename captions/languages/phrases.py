"""Languages written without spaces (Japanese, Chinese): BudouX phrases and kinsoku shori.

Lines may break only between phrases, never where kinsoku forbids: a line may not start with
closing brackets, small kana, the long-vowel mark or sentence punctuation, and may not end with
an opening bracket (JIS X 4051, which the Netflix Japanese and Chinese guides follow).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..model import Profile
from ..text import Token, display_width, word_tokens
from .base import LanguagePack, base_cost

NO_LINE_START = frozenset("、。，．・：；？！‼⁇⁈⁉ー―‐〜～…‥)）]］}｝」』】〕〉》〙〗〟’”»ゝゞヽヾ々"
                          "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ")
NO_LINE_END = frozenset("(（[［{｛「『【〔〈《〘〖〝‘“«")
_WORD = re.compile(r"\S+")
_ALNUM = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]")
_COUNTER_KA = frozenset("かヶカヵケ")
_HIRAGANA = re.compile(r"[\u3041-\u309f]")
_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff々]")
# BudouX boundaries inside a run of hiragana that its model barely wants (score under this) are
# mostly inside a word: "く / つろいで", "も / し", "騒が / しい" (measured on TED Japanese subtitles).
DOUBTFUL_HIRAGANA_BREAK = 300
_PARTICLES = frozenset("はがをにでともへやの")


@cache
def _parser(model: str) -> Any:
    import budoux

    loaders = {"ja": budoux.load_default_japanese_parser, "zh-Hans": budoux.load_default_simplified_chinese_parser,
               "zh-Hant": budoux.load_default_traditional_chinese_parser}
    return loaders[model]()


@dataclass(frozen=True)
class PhraseLanguage(LanguagePack):
    """A language whose lines break between BudouX phrases, with kinsoku rules kept."""

    phrase_model: str = "ja"  # BudouX's model: ja, zh-Hans or zh-Hant
    joiner: str = ""

    def tokens(self, text: str, profile: Profile) -> list[Token]:
        if profile.breaker != "phrases":
            return word_tokens(text)
        tokens = []
        scores = self._scores(text) if self.phrase_model == "ja" else None
        for token in self._phrases(text, scores):
            if display_width(token.text, profile.width_mode) > profile.max_chars_per_line:
                scores = scores or self._scores(text)
                tokens.extend(split_long_token(token, profile.max_chars_per_line, profile.width_mode, scores))
            else:
                tokens.append(token)
        return tokens

    def phrases(self, text: str) -> list[Token]:
        """BudouX phrases, with digit and Latin runs kept whole and kinsoku rules applied.

        >>> from captions.languages import pack
        >>> [t.text for t in pack("ja").phrases("岸田総理は2025年4月10日、会談を行いました。")]
        ['岸田総理は', '2025年4月10日、', '会談を', '行いました。']
        """
        return self._phrases(text, self._scores(text) if self.phrase_model == "ja" else None)

    def _scores(self, text: str) -> list[float]:
        """BudouX's boundary score before each character, word by word as ``parse`` sees the text."""
        scores = [0.0] * len(text)
        for match in _WORD.finditer(text):
            scores[match.start() : match.end()] = boundary_scores(_parser(self.phrase_model), match[0])
        return scores

    def _phrases(self, text: str, scores: list[float] | None) -> list[Token]:
        """The phrases; with ``scores`` (Japanese), doubtful boundaries inside hiragana are joined."""
        pieces: list[list[Any]] = []  # [text, start, end, space_after, weak boundary before it]
        parser = _parser(self.phrase_model)
        for match in _WORD.finditer(text):
            offset = match.start()
            for phrase in parser.parse(match[0]):
                doubtful = bool(scores and offset > match.start() and _HIRAGANA.match(text[offset - 1])
                                and _HIRAGANA.match(phrase[0]) and scores[offset] < DOUBTFUL_HIRAGANA_BREAK)
                pieces.append([phrase, offset, offset + len(phrase), False, doubtful])
                offset += len(phrase)
            if pieces:
                pieces[-1][3] = True
        merged: list[list[Any]] = []
        for piece in pieces:
            if merged and not merged[-1][3] and (piece[4] or must_join(merged[-1][0], piece[0])):
                merged[-1][0] += piece[0]
                merged[-1][2], merged[-1][3] = piece[2], piece[3]
            else:
                merged.append(piece)
        return [Token(t, a, b, s) for t, a, b, s, _ in merged]

    def break_costs(self, texts: list[str], sentence_ends: list[bool]) -> list[float]:
        """Any phrase boundary is a fair break; punctuation makes it a better one."""
        costs = [0.0] * len(texts)
        for index in range(len(texts) - 1):
            if not sentence_ends[index]:
                costs[index] = base_cost(texts[index], texts[index + 1]) - 1
        return costs

    def weak_cost(self, left: str, right: str) -> float:
        return 0  # phrases already keep particles with their words

    def speaker_label(self, name: str, title: str, label_format: str) -> str:
        """No capitals in these scripts; the title follows after an ideographic comma."""
        if title:
            name = f"{name}、{title}"
        return label_format.format(name=name, NAME=name)


def must_join(left: str, right: str) -> bool:
    """Whether a break between two phrases would split a number or word, or break kinsoku.

    >>> must_join("何か", "月も"), must_join("会談を", "行いました")
    (True, False)
    """
    if right[0] in NO_LINE_START or left[-1] in NO_LINE_END:
        return True
    if left[-1] in _COUNTER_KA and right[0] in "月所国":
        return True  # the counters か月, ヶ所, カ国 ("何か / 月も" is a word cut in two; BudouX splits it)
    return bool(_ALNUM.match(left[-1]) and _ALNUM.match(right[0]))


def boundary_scores(parser: Any, text: str) -> list[float]:
    """How strongly BudouX's model wants a phrase boundary before each character of ``text``.

    ``parse`` only says yes or no; inside a phrase too long for a line, the best place to cut is
    where the model came closest to a boundary (the same features and weights as ``Parser.parse``
    in budoux 0.6-0.10). Without the model (another budoux), every place scores 0.
    """
    model, base = getattr(parser, "_model", None), getattr(parser, "_base_score", None)
    if not isinstance(model, dict) or not isinstance(base, (int, float)):
        return [0.0] * len(text)
    tables = {name: model.get(name, {}) for name in
              ("UW1", "UW2", "UW3", "UW4", "UW5", "UW6", "BW1", "BW2", "BW3", "TW1", "TW2", "TW3", "TW4")}
    features = (("UW1", -3, -2), ("UW2", -2, -1), ("UW3", -1, 0), ("UW4", 0, 1), ("UW5", 1, 2), ("UW6", 2, 3),
                ("BW1", -2, 0), ("BW2", -1, 1), ("BW3", 0, 2), ("TW1", -3, 0), ("TW2", -2, 1), ("TW3", -1, 2),
                ("TW4", 0, 3))
    scores = [0.0] * len(text)
    for i in range(1, len(text)):
        score = float(base)
        for name, left, right in features:
            if i + left >= 0 and i + right <= len(text):
                score += tables[name].get(text[i + left : i + right], 0)
        scores[i] = score
    return scores


def split_long_token(token: Token, limit: float, mode: str, scores: list[float] | None = None) -> list[Token]:
    """Cut a phrase wider than a line into pieces that fit, each cut where BudouX's model comes
    closest to a boundary (after a ・ in a compound of katakana words, at best), never breaking kinsoku.

    ``scores``: boundary scores of the segment text the token comes from (see :func:`boundary_scores`).
    """
    pieces = []
    start, text = token.start, token.text
    while display_width(text, mode) > limit:
        best, best_score = 0, float("-inf")
        width = 0.0
        for cut in range(1, len(text)):
            width += display_width(text[cut - 1], mode)
            if width > limit:
                break
            if text[cut] in NO_LINE_START or text[cut - 1] in NO_LINE_END:
                continue
            score = scores[start + cut] if scores else 0.0
            if text[cut - 1] in "・･":
                score += 10_000  # between the words of a katakana compound
            elif text[cut - 1] in _PARTICLES and cut > 1:
                score += 500  # after a particle: "子供たちに / からかわれ", not "から / かわれ"
            elif _KANJI.match(text[cut - 1]) and _KANJI.match(text[cut]):
                score -= 1000  # inside a run of kanji, a compound word: not "世界平 / 和"
            elif text[cut - 1].isalnum() and text[cut].isalnum() and text[cut - 1].isascii() == text[cut].isascii() \
                    and (text[cut - 1].isdigit() or text[cut - 1].isascii()):
                score -= 5000  # inside a number or a Latin word: not "2025年202 / 5年"
            if score >= best_score:  # ties: the later cut, the fuller line
                best, best_score = cut, score
        if best == 0:
            break  # nothing can be cut under kinsoku: the phrase stays whole
        pieces.append(Token(text[:best], start, start + best, False))
        start, text = start + best, text[best:]
    pieces.append(Token(text, start, token.end, token.space_after, token.sentence_end))
    return pieces
