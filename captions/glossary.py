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

from .errors import OptionError
from .languages import normalise_lang

MAX_BYTES = 200_000_000
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
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            raise OptionError(f"not a glossary file (a regular file under {MAX_BYTES // 1_000_000} MB)", str(path))
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise OptionError(f"cannot read glossary: {err.strerror}", str(path)) from None
    except UnicodeDecodeError:
        raise OptionError("glossary is not UTF-8 text", str(path)) from None
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
            raise OptionError("expected 'language<TAB>source term<TAB>target term' (the source term is empty "
                              "or the line has the wrong number of columns)", str(path), number)
        lang = columns[0].strip()
        lang = ALL if lang == ALL else _lang(lang, path, number)
        glossary.terms.setdefault(lang, {})[columns[1].strip()] = columns[2].strip() if len(columns) == 3 else ""
    return glossary


def _from_toml(text: str, path: Path) -> Glossary:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise OptionError(f"not valid TOML: {err}", str(path)) from None
    glossary = Glossary()
    for lang, table in document.items():
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise OptionError(f"[{lang}] must map source terms to target strings", str(path))
        if any(not key.strip() for key in table):
            raise OptionError(f"[{lang}] has an empty source term", str(path))
        glossary.terms[ALL if lang in (ALL, "all") else _lang(lang, path, None)] = dict(table)
    return glossary


def _lang(code: str, path: Path, line: int | None) -> str:
    try:
        return normalise_lang(code)
    except OptionError as err:
        raise OptionError(err.message, str(path), line) from None


class TermMatcher:
    """Finds glossary terms in one pass and swaps them for placeholders and back, unambiguously.

    Matching looks up each word start against the distinct term lengths (dictionary lookups, no
    regex of a 200,000-term alternation). Replacement builds new text from the original in one pass,
    so a target term that looks like a placeholder (or another term) is never replaced again.
    """

    def __init__(self, terms: dict[str, str]):
        self.terms = {source: target for source, target in terms.items() if source.strip()}
        self._lengths = sorted({len(source) for source in self.terms}, reverse=True)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, source term) of every longest whole-word match, left to right.

        >>> TermMatcher({"Joe": "x", "Joe Biden": "y"}).find("Joe Biden met Joe.")
        [(0, 9, 'Joe Biden'), (14, 17, 'Joe')]
        >>> TermMatcher({"[sighs]": "x", "a": "y"}).find("a")
        [(0, 1, 'a')]
        """
        found, at = [], 0
        while at < len(text) and self._lengths:
            if at == 0 or not _is_word(text[at - 1]):
                for length in self._lengths:
                    if at + length > len(text):  # a shorter slice could equal a shorter term: not this length
                        continue
                    candidate = text[at : at + length]
                    if candidate in self.terms and (at + length == len(text) or not _is_word(text[at + length])):
                        found.append((at, at + length, candidate))
                        at += length - 1
                        break
            at += 1
        return found

    def protect(self, sentence: str) -> tuple[str, dict[str, str]]:
        """The sentence with numeric placeholders for terms, and placeholder -> target term.

        >>> TermMatcher({"Kishida Fumio": "岸田文雄"}).protect("Kishida Fumio met Joe Biden in 2024.")
        ('7001 met Joe Biden in 2024.', {'7001': '岸田文雄'})
        """
        placeholders: dict[str, str] = {}
        pieces, last, number = [], 0, 7001
        for start, end, source in self.find(sentence):
            while str(number) in sentence:
                number += 1
            pieces += [sentence[last:start], str(number)]
            placeholders[str(number)] = self.terms[source]
            last, number = end, number + 1
        return "".join(pieces) + sentence[last:], placeholders

    @staticmethod
    def restore(translated: str, placeholders: dict[str, str]) -> tuple[str, list[str]]:
        """Target terms where the placeholders came out; and the terms the model dropped.

        >>> TermMatcher.restore("7001は 7002と会談した", {"7001": "7002", "7002": "バイデン"})
        ('7002は バイデンと会談した', [])
        """
        if not placeholders:
            return translated, []
        pattern = re.compile(r"(?<!\d)({})(?!\d)".format("|".join(map(re.escape, placeholders))))
        seen: set[str] = set()

        def swap(match: re.Match[str]) -> str:
            seen.add(match[1])
            return placeholders[match[1]]

        restored = pattern.sub(swap, translated)
        return restored, [target for placeholder, target in placeholders.items() if placeholder not in seen]


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"
