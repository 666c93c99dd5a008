"""Language packs: one module per language family, found by looking, so a new language is one file.

Each module in this package exports ``PACKS``, a tuple of :class:`~captions.languages.base.LanguagePack`
objects. :func:`pack` returns the one for a language code; every stage asks it for that language's
rules instead of keeping its own tables.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from typing import Any

from ..errors import OptionError
from .base import LanguagePack


@cache
def registry() -> dict[str, LanguagePack]:
    """Every pack by code, from every module of this package (and of any path added to it)."""
    found: dict[str, LanguagePack] = {}
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


def pack(code: str) -> LanguagePack:
    """The pack of a normalised language code (see :func:`captions.profiles.normalise_lang`)."""
    try:
        return registry()[code]
    except KeyError:
        raise OptionError(f"unknown language {code!r} (known: {', '.join(sorted(codes()))})") from None


def as_pack(language: LanguagePack | str) -> LanguagePack:
    """A library caller's language code as its pack; a stage handed the pack keeps it."""
    return language if isinstance(language, LanguagePack) else pack(language)


def normalise_lang(lang: str) -> str:
    """A language tag in the form the rules are keyed by.

    >>> normalise_lang("ja-JP"), normalise_lang("zh-TW"), normalise_lang("zh-cn"), normalise_lang("EN")
    ('ja', 'zh-Hant', 'zh', 'en')
    """
    parts = lang.strip().replace("_", "-").split("-")
    base = parts[0].lower()
    if base == "zh":
        rest = {part.lower() for part in parts[1:]}
        return "zh-Hant" if rest & {"hant", "tw", "hk", "mo"} else "zh"
    if base not in codes():
        raise OptionError(f"unknown language {lang!r} (known: {', '.join(sorted(codes()))})")
    return base


def language_in_name(name: str) -> str | None:
    """The language a file's name gives, as captions writes names: ``NAME.LANG.EXT``.

    >>> language_in_name("show.ja.srt"), language_in_name("show.srt"), language_in_name("a.b.zh-Hant.vtt")
    ('ja', None, 'zh-Hant')
    """
    for part in reversed(name.split(".")[1:-1]):
        if part in codes():
            return part
    return None


# Scripts that belong to one language with a pack: the script decides it outright.
_ONE_LANGUAGE_SCRIPTS = (("am", 0x1200, 0x139F), ("my", 0x1000, 0x109F), ("hy", 0x0530, 0x058F), ("el", 0x0370, 0x03FF))
SURE = 0.9  # the detector's probability above which a text is taken to be in a language


def language_by_script(text: str) -> str | None:
    """The language a text's script decides outright: kana is Japanese, hangul Korean, Chinese
    characters without kana Chinese, and Ethiopic, Myanmar, Armenian and Greek their one language
    with a pack; None for any other script (Latin, Cyrillic...: a detector's job, not the
    script's). A few foreign words in a line do not count: CJK must hold a tenth of the letters,
    the others half.

    >>> [language_by_script(text) for text in ("岸田首相は会談を行いました。", "안녕하세요", "会谈在北京举行。", "Καλημέρα")]
    ['ja', 'ko', 'zh', 'el']
    >>> language_by_script("The Prime Minister met 岸田 today."), language_by_script("Hello")
    (None, None)
    """
    letters = kana = hangul = han = 0
    others = dict.fromkeys((code for code, _, _ in _ONE_LANGUAGE_SCRIPTS), 0)
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
        elif point < 0x1400:
            for code, first, last in _ONE_LANGUAGE_SCRIPTS:
                if first <= point <= last:
                    others[code] += 1
    if not letters:
        return None
    if kana and (kana + han) >= letters / 10:
        return "ja"
    if hangul >= letters / 10:
        return "ko"
    if han >= letters / 10:
        return "zh"
    return next((code for code, count in others.items() if count >= letters / 2), None)


def detect(text: str) -> str | None:
    """The language a text is in, among those with a pack: its script where that decides (see
    :func:`language_by_script`), else py3langid (naive Bayes
    over byte n-grams, its model in its wheel) restricted to the packs' languages; None when neither
    is sure (py3langid under :data:`SURE`). bench/language_detection.py measures it.

    >>> detect("Le gouvernement a annoncé mardi une nouvelle réforme des retraites."), detect("Ok.")
    ('fr', None)
    """
    return language_by_script(text) or _by_ngrams(text)


def _by_ngrams(text: str) -> str | None:
    found, probability = _identifier().classify(text[:20000])
    return ("nb" if found == "no" else found) if probability >= SURE and found in codes() | {"no"} else None


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    # The packs' languages that its model knows (a pack added for another language is never detected).
    ours = {"no" if code == "nb" else code.split("-")[0] for code in codes()}
    identifier.set_languages(sorted(ours & set(identifier.nb_classes)))
    return identifier


# Languages close enough that a detector may take one for the other, and whose packs differ little:
# a --lang among its kin is never refused.
KIN = ({"da", "nb", "no", "sv"}, {"hr", "sr", "sl"}, {"id", "ms"}, {"cs", "sk"}, {"ru", "uk", "bg", "sr", "kk"},
       {"es", "pt"}, {"hi", "mr"}, {"ar", "fa", "ur"})
CLEARLY = 0.99  # the detector's probability above which a text clearly is in a language


_WRITTEN_IN = {"ja": "Japanese", "ko": "Korean", "zh": "Chinese"}


def contradicted(lang: str, text: str) -> str | None:
    """How ``text`` clearly is not in ``lang`` (a language code), said as the end of "the text ...",
    or None when it may be in ``lang``: a script that decides another language (Japanese asked of
    Korean); no letter of the script a language is written in (Japanese asked of English); or a
    language the detector is all but certain of, not ``lang``'s kin (English asked of French). A
    language the detector does not know (a pack added for it alone) is never contradicted by it.

    >>> contradicted("en", "日本の首相は会談しました。"), contradicted("ja", "The leaders met."), contradicted("ja", "日本")
    ('is written in Japanese: give --lang ja', 'has no Chinese, Japanese or Korean in it: give --lang en', None)
    >>> contradicted("en", "Le gouvernement a annoncé mardi une nouvelle réforme des retraites pour tous.")
    'is in fr: give --lang fr'
    >>> contradicted("da", "Regjeringen la fram et nytt forslag om skatt i dag."), contradicted("en", "Ok.")
    (None, None)
    """
    family = lang.split("-")[0]
    script = language_by_script(text)
    if script:
        if script == family or (script == "zh" and family == "ja"):  # Japanese may be written in kanji alone
            return None
        return f"is written in {_WRITTEN_IN.get(script, script)}: give --lang {script}"
    if family in _WRITTEN_IN or family in {code for code, _, _ in _ONE_LANGUAGE_SCRIPTS}:
        if not any(char.isalpha() for char in text[:20000]):
            return None
        said = "has no Chinese, Japanese or Korean in it" if family in _WRITTEN_IN else f"has no letter of {lang}'s script"
        return f"{said}: give --lang {detect(text) or 'en'}"
    ranked = dict(_identifier().rank(text[:20000]))
    found, probability = max(ranked.items(), key=lambda item: item[1])
    found = "nb" if found == "no" else found
    given = ranked.get("no" if family == "nb" else family)
    if given is None or probability < CLEARLY or given > 1 - CLEARLY or found == family:
        return None
    if any({found, family} <= kin for kin in KIN):
        return None
    return f"is in {found}: give --lang {found}"


def own_language(name: str, text: str) -> str | None:
    """A transcript's own language: its ``NAME.LANG.EXT`` name, else what its text is in (see
    :func:`detect`); None when neither tells.

    >>> own_language("show.ko.txt", "日本語"), own_language("show.txt", "日本の首相"), own_language("a.txt", "Hi")
    ('ko', 'ja', None)
    """
    return language_in_name(name) or detect(text)
