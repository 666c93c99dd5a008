"""Named caption styles: built-in profiles, per-language rules inside them, and user TOML profiles."""

from __future__ import annotations

import dataclasses
import math
import string
import tomllib
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple

from .context import LanguageContext, resolved
from .errors import OptionError
from .languages import normalise_lang, pack, registry
from .model import Profile
from .rules import RULES


class Builtin(NamedTuple):
    """A built-in profile: what it is, the profile it is built on (whose values it has unless its
    rules give its own), the languages its guide names, whether it has rules for every other
    language, and whether its languages that can be written vertically are. Its values are the
    rules' own (:data:`captions.rules.RULES`)."""

    description: str
    base: str | None = None
    languages: tuple[str, ...] = ("en",)
    others: bool = False
    vertical: bool = False


_FIGS = ("en", "fr", "de", "es", "it", "pt")
BUILTIN: dict[str, Builtin] = {
    "netflix": Builtin("Netflix Timed Text Style Guides: 42 chars, 20 cps (English adults)", None, _FIGS, True),
    "netflix-vertical": Builtin(
        "Netflix, Japanese in vertical text (tategaki): 11 full-width units a line, IMSC tts:writingMode tbrl",
        "netflix", ("en",), True, vertical=True),  # Netflix JP TTSG: vertical subtitles
    "netflix-kids": Builtin("Netflix children's programmes: as netflix, English at 17 cps", "netflix", ("en", "fr"), True),
    "bbc": Builtin("BBC Subtitle Guidelines: 37 chars, 160-180 wpm, speakers by colour"),
    "netflix-sdh": Builtin("Netflix, for the deaf and hard of hearing: sound as [door slams], lyrics between ♪",
                           "netflix", _FIGS, True),
    "bbc-sdh": Builtin("BBC Subtitle Guidelines with sound: labels in capitals (DOOR SLAMS), lyrics between #", "bbc"),
}


def get_profile(name: str, lang: str) -> Profile:
    """The rules of a named profile (or a TOML profile file) for one language."""
    lang = normalise_lang(lang)
    if name in BUILTIN:
        return _build(name, lang, BUILTIN[name].description, builtin_values(name, lang))
    path = Path(name)
    if path.suffix.lower() == ".toml" or path.is_file():
        return load_toml(path, lang)
    known = ", ".join(BUILTIN)
    raise OptionError(f"unknown profile {name!r} (built in: {known}; or give a .toml file)")


def builtin_values(name: str, lang: str) -> dict[str, Any]:
    """Every rule's value in a built-in profile for one language, lowest first: the rule's default,
    the language pack's convention, the profile's (or its base's) value, then its value for the
    language: the guide's own numbers where the pack has them (the CJK languages, and vertical
    writing's), else the profile's for the language, else for its other languages.

    >>> korean = next(code for code, language in registry().items() if language.name == "Korean")
    >>> builtin_values("netflix", korean)["max_cps"], builtin_values("netflix-kids", "sv")["max_cps"]
    (12.0, 15.0)
    >>> builtin_values("bbc", "sv")["max_wpm"], builtin_values("netflix-kids", "fr")["max_cps"]
    (180.0, 17.0)
    """
    language, chain = pack(lang), _chain(name)
    own = [f"{profile} {lang}" for profile in chain] + ([f"{profile} *" for profile in chain] if lang != "en" else [])
    values = {}
    for key, rule in RULES.items():
        found = rule.builtin
        value = next((found[at] for at in chain if at in found), language.conventions.get(key, rule.default))
        if not language.guide:
            value = next((found[at] for at in own if at in found), value)
        values[key] = value
    if language.guide:
        values.update(language.guide)
        if BUILTIN[chain[0]].vertical and language.vertical:
            values.update(language.vertical, writing_mode="vertical")
    return values


def _chain(name: str) -> list[str]:
    """A built-in profile and the ones it is built on, nearest first."""
    chain = [name]
    while (base := BUILTIN[chain[-1]].base) is not None:
        chain.append(base)
    return chain


def _build(name: str, lang: str, description: str, values: dict[str, Any], path: str | None = None) -> Profile:
    """The profile of one language from every rule's value, checked."""
    profile = Profile(name=name, lang=lang, description=description, **values)
    validate(profile, path)
    return profile


# Keys older profiles set among the style's, now the options of the formats that deliver it: read as
# the formats' tables ([scc] mode, [stl] double_height...), where each format checks its own.
DELIVERY_ALIASES = {"scc_mode": ("scc", "mode"), "scc_channel": ("scc", "channel"), "stl_mode": ("stl", "mode"),
                    "double_height": ("stl", "double_height")}
PROFILE_KEYS = ("name", "base", "description", "default", "languages")
LABEL_FIELDS = ("name", "NAME")


def validate(profile: Profile, path: str | None = None) -> None:
    """Every field in its range and every choice known; the error names the field (and file).

    >>> validate(dataclasses.replace(get_profile("netflix", "en"), max_lines=0))
    Traceback (most recent call last):
    captions.errors.OptionError: profile netflix (en): max_lines = 0 is out of range (1 to 10, a whole number)
    """
    where = f"profile {profile.name} ({profile.lang})"
    for key, rule in RULES.items():
        problem = rule.problem(getattr(profile, key))
        if problem:
            raise OptionError(f"{where}: {problem}", path)
    if profile.min_duration > profile.max_duration:
        raise OptionError(f"{where}: min_duration {profile.min_duration:g} is over max_duration "
                          f"{profile.max_duration:g}", path)
    if profile.max_cps is None and profile.max_wpm is None:
        raise OptionError(f"{where}: set max_cps or max_wpm (a reading speed is required)", path)
    _check_label(profile.label_format, where, path)


def _check_label(label: str, where: str, path: str | None) -> None:
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(label) if name is not None]
    except ValueError as err:
        raise OptionError(f"{where}: label_format {label!r} is not a valid format: {err}", path) from None
    unknown = [name for name in fields if name not in LABEL_FIELDS]
    if unknown:
        raise OptionError(f"{where}: label_format {label!r} has unknown field {{{unknown[0]}}} "
                          f"(use {{name}} or {{NAME}})", path)


def check_fps(value: float, where: str = "fps") -> float:
    """A frame rate in range (1 to 1000 frames per second, finite)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or RULES["fps"].problem(value):
        raise OptionError(f"{where} {value!r} is out of range (1 to 1000 frames per second)")
    return float(value)


_SETTABLE = {*RULES, "description"}


def _document(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > 1_000_000 or not path.is_file():
            raise OptionError("not a profile file (a regular TOML file under 1 MB)", str(path))
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise OptionError(f"cannot read profile: {err.strerror}", str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise OptionError(f"not a valid TOML profile: {err}", str(path)) from None


def delivery_tables(name: str, lang: str) -> dict[str, dict[str, Any]]:
    """A profile's options for the formats that deliver it, by format: its top-level ``[scc]``-style
    tables, then ``[default]``'s and ``[languages.xx]``'s (a second language on SCC's CC3, say),
    each later one overriding; the formats check them (a built-in profile has none)."""
    if name in BUILTIN:
        return {}
    path = Path(name)
    document = _document(path)
    tables: dict[str, dict[str, Any]] = {}
    languages = document.get("languages", {})
    mine = [table for key, table in (languages.items() if isinstance(languages, dict) else ())
            if isinstance(table, dict) and normalise_lang(key) == lang]
    for table in [{key: value for key, value in document.items() if key not in PROFILE_KEYS},
                  document.get("default", {}), *mine]:
        for fmt, options in _delivery(table if isinstance(table, dict) else {}).items():
            tables.setdefault(fmt, {}).update(options)
    return tables


def _delivery(table: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The format tables inside a profile table, older flat keys (``scc_mode``) read as theirs."""
    found: dict[str, dict[str, Any]] = {}
    for key, value in table.items():
        if key in DELIVERY_ALIASES:
            fmt, option = DELIVERY_ALIASES[key]
            found.setdefault(fmt, {})[option] = value
        elif isinstance(value, dict):
            found.setdefault(key, {}).update(value)
    return found


def load_toml(path: Path, lang: str) -> Profile:
    """A user profile: ``name``, optional ``base`` profile, ``[default]`` and ``[languages.xx]`` tables.

    Every key of those tables is a field of :class:`captions.model.Profile`, but for the tables of
    the formats that deliver it (see :func:`delivery_tables`).
    """
    document = _document(path)
    base = document.get("base", "netflix")
    if not isinstance(base, str) or base not in BUILTIN:
        raise OptionError(f"unknown base profile {base!r} (built in: {', '.join(BUILTIN)})", str(path))
    # Precedence, lowest first: the base's values for the language, the file's [default] (every
    # language), its [languages.xx].
    default = _checked(document.get("default", {}), path, "default")
    languages = document.get("languages", {})
    if not isinstance(languages, dict):
        raise OptionError("[languages] must be a table of language tables", str(path))
    own = {**builtin_values(base, lang), **default}
    for key, table in languages.items():
        _lang_key(key, path)
        checked = _checked(table, path, f"languages.{key}")  # every table checked, whichever language is made
        if normalise_lang(key) == lang:
            own.update(checked)
    name = str(document.get("name", path.stem))
    description = str(document.get("description", f"{path.name} (based on {base})"))
    return _build(name, lang, description, own, str(path))


def _lang_key(key: str, path: Path) -> None:
    try:
        normalise_lang(key)
    except OptionError as err:
        raise OptionError(f"[languages.{key}] {err.message}", str(path)) from None


def _checked(table: object, path: Path, where: str) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise OptionError(f"[{where}] must be a table", str(path))
    table = {key: value for key, value in table.items() if key not in DELIVERY_ALIASES and not isinstance(value, dict)}
    for key, value in table.items():
        if key not in _SETTABLE:
            raise OptionError(f"[{where}] unknown setting {key!r} (known: {', '.join(sorted(_SETTABLE))})", str(path))
        rule = RULES.get(key)
        if not (rule.accepts_type(value) if rule else isinstance(value, str)):
            raise OptionError(f"[{where}] {key} = {value!r} has the wrong type", str(path))
        problem = rule.problem(value) if rule else None
        if problem:
            raise OptionError(f"[{where}] {problem}", str(path))
    return dict(table)


def listing() -> list[Profile]:
    """Every built-in profile for each language it has rules for, for ``captions profiles``."""
    rows: list[Profile] = []
    guided = [code for code, language in registry().items() if language.guide]
    for name, found in BUILTIN.items():
        for lang in dict.fromkeys([*found.languages[:1], *guided, *found.languages]):
            rows.append(_build(name, lang, found.description, builtin_values(name, lang)))
        if found.others:
            # Any language without rules of its own stands for them all (Swedish: no pack of its own).
            rows.append(dataclasses.replace(_build(name, "sv", found.description, builtin_values(name, "sv")),
                                            lang="other"))
    return rows


def file_context(profile_name: str, lang: str, fps: str | float | None = None,
                 own: float | Fraction | None = None) -> LanguageContext:
    """The context a caption file is checked, converted, re-timed or synced in: its frame rate as told
    (``--fps``), else the one its format fixes (``own``: SCC, STL), else the profile's."""
    from .timecode import parse_fps

    told = parse_fps(fps) if isinstance(fps, str) else fps
    return resolved(get_profile(profile_name, lang), told or own)
