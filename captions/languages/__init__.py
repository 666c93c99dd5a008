"""Language packs: one module per language family, found by looking, so a new language is one file.

Each module in this package exports ``PACKS``, a tuple of :class:`~captions.languages.base.Language`
objects. :func:`pack` returns the one for a language code; every stage asks it for that language's
rules instead of keeping its own tables.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from ..errors import OptionError
from .base import Language


@cache
def registry() -> dict[str, Language]:
    """Every pack by code, from every module of this package (and of any path added to it)."""
    found: dict[str, Language] = {}
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        packs = getattr(importlib.import_module(f"{__name__}.{module.name}"), "PACKS", ())
        found.update({language.code: language for language in packs})
    return found


def codes() -> frozenset[str]:
    """Every language code a pack exists for.

    >>> {"en", "ja", "zh-Hant", "ko", "sv"} <= codes()
    True
    """
    return frozenset(registry())


def pack(code: str) -> Language:
    """The pack of a normalised language code (see :func:`captions.profiles.normalise_lang`)."""
    try:
        return registry()[code]
    except KeyError:
        raise OptionError(f"unknown language {code!r} (known: {', '.join(sorted(codes()))})") from None


def language_in_name(name: str) -> str | None:
    """The language a file's name gives, as captions writes names: ``NAME.LANG.EXT``.

    >>> language_in_name("show.ja.srt"), language_in_name("show.srt"), language_in_name("a.b.zh-Hant.vtt")
    ('ja', None, 'zh-Hant')
    """
    for part in reversed(name.split(".")[1:-1]):
        if part in codes():
            return part
    return None


def language_by_script(text: str) -> str | None:
    """The language a text's script decides outright: kana is Japanese, hangul Korean, Chinese
    characters without kana Chinese; None for any other script (Latin, Cyrillic...: a detector's
    job, not the script's). A few foreign words in a line do not count: the script must hold a
    tenth of the letters.

    >>> [language_by_script(text) for text in ("岸田首相は会談を行いました。", "안녕하세요", "会谈在北京举行。")]
    ['ja', 'ko', 'zh']
    >>> language_by_script("The Prime Minister met 岸田 today."), language_by_script("Hello")
    (None, None)
    """
    letters = kana = hangul = han = 0
    for char in text[:20000]:
        if not char.isalpha():
            continue
        letters += 1
        point = ord(char)
        if 0x3040 <= point <= 0x30FF or 0x31F0 <= point <= 0x31FF or 0xFF66 <= point <= 0xFF9D:
            kana += 1
        elif 0xAC00 <= point <= 0xD7AF or 0x1100 <= point <= 0x11FF or 0x3130 <= point <= 0x318F:
            hangul += 1
        elif 0x4E00 <= point <= 0x9FFF or 0x3400 <= point <= 0x4DBF or 0xF900 <= point <= 0xFAFF:
            han += 1
    if not letters:
        return None
    if kana and (kana + han) >= letters / 10:
        return "ja"
    if hangul >= letters / 10:
        return "ko"
    if han >= letters / 10:
        return "zh"
    return None


def own_language(name: str, text: str) -> str | None:
    """A transcript's own language: its ``NAME.LANG.EXT`` name, else its script; None when neither tells.

    >>> own_language("show.ko.txt", "日本語"), own_language("show.txt", "日本の首相"), own_language("a.txt", "Hi")
    ('ko', 'ja', None)
    """
    return language_in_name(name) or language_by_script(text)
