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
