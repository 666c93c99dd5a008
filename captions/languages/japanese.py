"""Japanese, as the Netflix Japanese Timed Text Style Guide (JP TTSG) writes it.

Phrases from BudouX with kinsoku shori (see :mod:`.phrases`); 13 full-width characters a line,
half-width characters counting 0.5 (JP TTSG I.2, set in the profiles); espeak-ng reads only
kana, so kanji are read through pykakasi for alignment.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..errors import EngineError
from ..model import Profile
from .base import CHARACTER_SPEED
from .phrases import PhraseLanguage

_NUMBER = re.compile(r"(?<![0-9０-９.,．，])[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?(?![0-9０-９])")
_ACRONYM = re.compile(r"(?<![A-Za-zＡ-Ｚａ-ｚ])(?:[A-ZＡ-Ｚ][.．]?){2,}(?![A-Za-zＡ-Ｚａ-ｚ])")
_FULL_WIDTH = str.maketrans({chr(code): chr(code + 0xFEE0) for code in range(0x21, 0x7F)})
ACRONYM_FULL_WIDTH = 5  # JP TTSG: acronyms of up to 5 letters full-width, longer ones half-width


def netflix_number(number: str) -> str:
    """A number as JP TTSG I.15 writes it in horizontal subtitles.

    Single digits are full-width, longer numbers half-width; no thousands comma up to 4 digits,
    and 万/億 above (12,345 -> 1万2345); decimals keep a half-width point.

    >>> [netflix_number(n) for n in ["3", "12", "１５００", "1,500", "12,345", "1,500,000", "2.5"]]
    ['３', '12', '1500', '1500', '1万2345', '150万', '2.5']
    """
    plain = unicodedata.normalize("NFKC", number).replace(",", "")
    if "." in plain:
        return plain
    if len(plain) == 1:
        return plain.translate(_FULL_WIDTH)
    value = int(plain)
    if value < 10_000:
        return plain
    parts = [(value // 100_000_000, "億"), (value // 10_000 % 10_000, "万"), (value % 10_000, "")]
    return "".join(f"{amount}{unit}" for amount, unit in parts if amount)


def netflix_acronym(acronym: str) -> str:
    """JP TTSG: acronyms without periods, full-width up to five letters (ＢＢＣ), else half-width.

    >>> netflix_acronym("U.S.A."), netflix_acronym("NASDAQ")
    ('ＵＳＡ', 'NASDAQ')
    """
    letters = unicodedata.normalize("NFKC", acronym).replace(".", "")
    return letters.translate(_FULL_WIDTH) if len(letters) <= ACRONYM_FULL_WIDTH else letters


# Break costs at bunsetsu boundaries, from the morphemes on either side (SudachiPy, small dictionary).
# Chosen by principle and checked on the TED tuning talk (bench/human_agreement.py); never inside a word.
NEVER = 30.0  # inside a word, between a number and its counter, around the ・ of a loanword
BEFORE_FUNCTION_WORD = 10.0  # a particle or auxiliary opens no line: it belongs to the word before it
ADNOMINAL, COMPOUND, GENITIVE, MODIFIER, ADVERB = 8.0, 6.0, 5.0, 3.0, 2.0  # ... and the noun they go with
AFTER_CLAUSE, AFTER_TOPIC, AFTER_CONTINUATIVE = -2.0, -1.0, -1.0  # て, が, ので...; は, も; 残り, 行い
_NOMINAL = ("名詞", "代名詞", "接頭辞")
# Particles made of a particle and a verb's form (について, にとって, によって, として, に対して): one word.
_COMPOUND_PARTICLES = frozenset({("に", "つい"), ("に", "おい"), ("に", "とっ"), ("に", "よっ"), ("に", "よる"),
                                 ("に", "よれ"), ("に", "対し"), ("に", "対する"), ("に", "関し"), ("に", "関する"),
                                 ("に", "わたっ"), ("と", "し"), ("と", "して"), ("を", "通じ"), ("を", "通し")})
_INFLECTED = ("動詞", "形容詞", "形状詞", "助動詞")


@lru_cache(maxsize=1)
def analyser() -> Any:
    """SudachiPy with its small dictionary (both wheels), or None: then BudouX's phrases alone decide."""
    try:
        from sudachipy import Dictionary, SplitMode
    except ImportError:
        return None
    try:
        return Dictionary(dict="small").tokenizer(mode=SplitMode.C)
    except Exception:  # a dictionary that will not load: the phrases still break, as before
        return None


Morpheme = tuple[str, tuple[str, ...]]  # (surface, part of speech: class, subclass, ..., conjugated form)


def bunsetsu_cost(left: Morpheme | None, right: Morpheme | None) -> float:
    """What a break costs between two morphemes (None: the break falls inside one): best after a
    clause (て, が, けど, ので), a topic (は, も) or a verb's continuative form, worst inside a word,
    before a particle, or between a modifier and its noun.

    >>> noun, particle = ("地球", ("名詞", "普通名詞")), ("の", ("助詞", "格助詞"))
    >>> bunsetsu_cost(noun, particle), bunsetsu_cost(particle, ("こと", ("名詞", "普通名詞"))), bunsetsu_cost(None, noun)
    (10.0, 5.0, 30.0)
    >>> bunsetsu_cost(("いて", ("助詞", "接続助詞")), noun), bunsetsu_cost(("2025", ("名詞", "数詞")), ("年", ("名詞",)))
    (-2.0, 30.0)
    """
    if left is None or right is None:
        return NEVER
    (word, kind), (next_word, next_kind) = left, right
    if kind[0] == "接頭辞" or next_kind[0] == "接尾辞" or "・" in (word, next_word) or \
            (kind[:2] == ("名詞", "数詞") and next_kind[0] == "名詞"):
        return NEVER
    function_word = next_kind[0] in ("助詞", "助動詞") or (word, next_word) in _COMPOUND_PARTICLES
    cost = BEFORE_FUNCTION_WORD if function_word else 0.0
    if kind[0] == "連体詞":
        cost += ADNOMINAL
    if kind[0] == "名詞" and next_kind[0] == "名詞":
        cost += COMPOUND
    if word == "の" and kind[:2] == ("助詞", "格助詞"):
        cost += GENITIVE
    conjugated = kind[5] if len(kind) > 5 else ""
    if kind[0] in _INFLECTED and conjugated.startswith("連体形") and next_kind[0] in _NOMINAL:
        cost += MODIFIER
    if kind[0] == "副詞":
        cost += ADVERB
    if kind[:2] == ("助詞", "接続助詞"):
        cost += AFTER_CLAUSE
    if kind[:2] == ("助詞", "係助詞"):
        cost += AFTER_TOPIC
    if kind[0] in _INFLECTED and conjugated.startswith("連用形") and next_kind[0] not in ("助詞", "助動詞"):
        cost += AFTER_CONTINUATIVE
    return cost


def boundary_costs(text: str, offsets: list[int]) -> list[float] | None:
    """The bunsetsu cost of a break at each offset of ``text``; None without the analyser."""
    tokenizer = analyser()
    if tokenizer is None:
        return None
    ends: dict[int, Morpheme] = {}
    starts: dict[int, Morpheme] = {}
    for morpheme in tokenizer.tokenize(text):
        found = (morpheme.surface(), tuple(morpheme.part_of_speech()))
        ends[morpheme.end()], starts[morpheme.begin()] = found, found
    return [bunsetsu_cost(ends.get(offset), starts.get(offset)) for offset in offsets]


@dataclass(frozen=True)
class Japanese(PhraseLanguage):
    def break_costs(self, texts: list[str], sentence_ends: list[bool]) -> list[float]:
        """BudouX's phrase boundaries, each costed by the bunsetsu on either side where SudachiPy is
        installed (it is by default): a break after a particle beats one between a modifier and its
        noun, and none falls inside a word.

        >>> from captions.languages import pack
        >>> costs = pack("ja").break_costs(["地球の", "ことを", "知る"], [False, False, True])
        >>> costs[0] > costs[1]
        True
        """
        costs = super().break_costs(texts, sentence_ends)
        offsets, at = [], 0
        for text in texts[:-1]:
            at += len(text)
            offsets.append(at)
        found = boundary_costs("".join(texts), offsets) if offsets else None
        for index, extra in enumerate(found or []):
            if not sentence_ends[index]:
                costs[index] += extra
        return costs

    def weak_cost(self, left: str, right: str) -> float:
        """What QC holds against a break between ``left`` and ``right``: the breaker's own bunsetsu
        cost, so a break inside a word or before a particle is a weak break to both.

        >>> from captions.languages import pack
        >>> pack("ja").weak_cost("地球", "のことを") >= 10, pack("ja").weak_cost("地球のことを", "知る")
        (True, 0.0)
        """
        found = boundary_costs(left + right, [len(left)])
        return max(found[0], 0.0) if found else 0.0

    def display(self, token: str, joiner: str, profile: Profile) -> tuple[str, str]:
        """Netflix style (``punctuation = "netflix-ja"``): numbers and acronyms as JP TTSG writes
        them, and no 。 or 、 (I.17): a 。 inside a line becomes a full-width space, a 、 a half-width
        one, and at a line end both simply vanish.
        """
        if profile.punctuation != "netflix-ja":
            return token, joiner
        token = _ACRONYM.sub(lambda m: netflix_acronym(m[0]), _NUMBER.sub(lambda m: netflix_number(m[0]), token))
        if len(token) > 1 and token[-1] in "。、":
            token, joiner = token[:-1], "\u3000" if token[-1] == "。" else " "
        return token, joiner

    def speakable(self, text: str) -> str:
        """Kanji as kana (espeak-ng reads only kana); the middle dot that joins names (ティム・マート)
        is a space: espeak-ng's Japanese voice reads its name aloud, 0.7 s of sound no speaker makes.

        >>> from captions.languages import pack
        >>> pack("ja").speakable("私はティム・マートです。")
        'わたしはてぃむ まーとです。'
        """
        return "".join(part["hira"] for part in _kakasi().convert(text.replace("・", " ").replace("･", " ")))


@lru_cache(maxsize=1)
def _kakasi() -> Any:
    try:
        import pykakasi
    except ImportError:
        raise EngineError("aligning Japanese needs pykakasi (pip install pykakasi)") from None
    return pykakasi.kakasi()  # type: ignore[no-untyped-call]


PACKS = (Japanese(
    code="ja",
    name="Japanese",
    sentence_rules="ja",
    phrase_model="ja",
    ruby=True,
    slanted_italics=True,
    rows_start_aligned=True,
    conventions={"width_mode": "cjk", "breaker": "phrases", "label_format": "（{name}）", "punctuation": "netflix-ja"},
    # Netflix JP TTSG I.2, I.11: 13 full-width units a line, 4 characters a second; vertical: 11 a line
    guide=dict(CHARACTER_SPEED, max_chars_per_line=13, max_cps=4.0, target_cps=3.8),
    vertical={"max_chars_per_line": 11},
),)
