"""Glossaries: terms that must come out of translation exactly as the editor wants them.

A term is replaced by a numeric placeholder before translation and the placeholder by the
wanted target term afterwards. NMT models (Argos/OPUS-MT included) copy numbers through almost
without fail, which plain words (``Senkaku``) or rare symbols do not survive. Limits: words
around the term are translated without knowing it (agreement, particles), and a placeholder the
model drops is reported, not guessed back into place.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CaptionsError
from .profiles import normalise_lang

KEEP = "="  # a target of "=" (or nothing) keeps the source term as it is
ALL = "*"


@dataclass
class Glossary:
    """Source term -> target term, per target language (``*``: every language)."""

    terms: dict[str, dict[str, str]] = field(default_factory=dict)

    def for_lang(self, lang: str) -> dict[str, str]:
        merged = dict(self.terms.get(ALL, {}))
        merged.update(self.terms.get(lang, {}))
        return {source: (source if target in ("", KEEP) else target) for source, target in merged.items()}


def load(path: str | Path) -> Glossary:
    """A glossary from TSV (``lang<TAB>source<TAB>target`` per line) or TOML (``[lang]`` tables)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise CaptionsError(f"cannot read glossary: {err.strerror}", str(path)) from None
    except UnicodeDecodeError:
        raise CaptionsError("glossary is not UTF-8 text", str(path)) from None
    if path.suffix.lower() == ".toml":
        return _from_toml(text, path)
    return _from_tsv(text, path)


def _from_tsv(text: str, path: Path) -> Glossary:
    glossary = Glossary()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) not in (2, 3) or not columns[1].strip():
            raise CaptionsError("expected 'language<TAB>source term<TAB>target term'", str(path), number)
        lang = columns[0].strip()
        lang = ALL if lang == ALL else _lang(lang, path, number)
        glossary.terms.setdefault(lang, {})[columns[1].strip()] = columns[2].strip() if len(columns) == 3 else ""
    return glossary


def _from_toml(text: str, path: Path) -> Glossary:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise CaptionsError(f"not valid TOML: {err}", str(path)) from None
    glossary = Glossary()
    for lang, table in document.items():
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise CaptionsError(f"[{lang}] must map source terms to target strings", str(path))
        glossary.terms[ALL if lang in (ALL, "all") else _lang(lang, path, None)] = dict(table)
    return glossary


def _lang(code: str, path: Path, line: int | None) -> str:
    try:
        return normalise_lang(code)
    except CaptionsError as err:
        raise CaptionsError(err.message, str(path), line) from None


def protect(sentence: str, terms: dict[str, str]) -> tuple[str, dict[str, str]]:
    """Replace glossary terms by numeric placeholders; returns the text and placeholder -> target.

    >>> protect("Kishida Fumio met Joe Biden in 2024.", {"Kishida Fumio": "岸田文雄"})
    ('7001 met Joe Biden in 2024.', {'7001': '岸田文雄'})
    """
    placeholders: dict[str, str] = {}
    if not terms:
        return sentence, placeholders
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


def restore(translated: str, placeholders: dict[str, str]) -> tuple[str, list[str]]:
    """Put target terms where the placeholders came out; returns the text and the terms lost.

    >>> restore("7001は バイデン氏と会談した", {"7001": "岸田文雄"})
    ('岸田文雄は バイデン氏と会談した', [])
    """
    lost = []
    for placeholder, target in placeholders.items():
        pattern = re.compile(rf"(?<!\d){placeholder}(?!\d)")
        if pattern.search(translated):
            translated = pattern.sub(target, translated)
        else:
            lost.append(target)
    return translated, lost
