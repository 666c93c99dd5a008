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


@dataclass(frozen=True)
class Japanese(PhraseLanguage):
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
