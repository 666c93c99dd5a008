"""Named caption styles: built-in profiles, per-language rules inside them, and user TOML profiles."""

from __future__ import annotations

import dataclasses
import math
import string
import tomllib
from pathlib import Path
from typing import Any, NamedTuple

from .errors import OptionError
from .languages import normalise_lang, pack, registry
from .model import Profile

# A language's conventions (width counting, tokens, labels, dashes) come from its pack
# (captions.languages), and so do the numbers the guides give a language of its own (Japanese's 13
# units and 4 characters a second; vertical writing's 11): the profiles below set only the numbers
# each guide gives every language, its home language (English) and the others.
_EUROPEAN = dict(max_chars_per_line=42, max_cps=17.0, target_cps=14.0)
_BBC = dict(max_chars_per_line=37, max_cps=None, max_wpm=180.0, target_wpm=160.0, target_cps=13.0, min_duration=0.8,
            fps=25.0, speaker_style="colour")
_NETFLIX = dict(max_chars_per_line=42, max_cps=20.0, target_cps=15.0, fps=24000 / 1001)


class Builtin(NamedTuple):
    """A built-in profile: its rules for every language, its rules for languages other than
    English ("*" for any without a line of their own), and whether its languages that can be
    written vertically are."""

    description: str
    common: dict[str, Any]
    by_lang: dict[str, dict[str, Any]]
    vertical: bool = False


BUILTIN: dict[str, Builtin] = {
    "netflix": Builtin("Netflix Timed Text Style Guides: 42 chars, 20 cps (English adults)", dict(_NETFLIX),
                       {"en": {}, "fr": _EUROPEAN, "de": _EUROPEAN, "es": _EUROPEAN, "it": _EUROPEAN,
                        "pt": _EUROPEAN, "*": _EUROPEAN}),
    "netflix-vertical": Builtin(
        "Netflix, Japanese in vertical text (tategaki): 11 full-width units a line, IMSC tts:writingMode tbrl",
        dict(_NETFLIX), {"en": {}, "*": _EUROPEAN}, vertical=True),  # Netflix JP TTSG: vertical subtitles
    "netflix-kids": Builtin("Netflix children's programmes: as netflix, English at 17 cps",
                            dict(_NETFLIX, max_cps=17.0, target_cps=13.0),
                            {"en": {}, "fr": _EUROPEAN, "*": dict(_EUROPEAN, max_cps=15.0, target_cps=12.0)}),
    "bbc": Builtin("BBC Subtitle Guidelines: 37 chars, 160-180 wpm, speakers by colour", dict(_BBC), {"en": {}}),
    "netflix-sdh": Builtin("Netflix, for the deaf and hard of hearing: sound as [door slams], lyrics between ♪",
                           dict(_NETFLIX, sdh=True),
                           {"en": {}, "fr": _EUROPEAN, "de": _EUROPEAN, "es": _EUROPEAN, "it": _EUROPEAN,
                            "pt": _EUROPEAN, "*": _EUROPEAN}),
    "bbc-sdh": Builtin("BBC Subtitle Guidelines with sound: labels in capitals (DOOR SLAMS), lyrics between #",
                       dict(_BBC, sdh=True, sound_style="capitals", music_mark="#"), {"en": {}}),
}


def get_profile(name: str, lang: str) -> Profile:
    """The rules of a named profile (or a TOML profile file) for one language."""
    lang = normalise_lang(lang)
    if name in BUILTIN:
        found = BUILTIN[name]
        return _build(name, lang, found.description, found.common, language_rules(found.by_lang, lang, found.vertical))
    path = Path(name)
    if path.suffix.lower() == ".toml" or path.is_file():
        return load_toml(path, lang)
    known = ", ".join(BUILTIN)
    raise OptionError(f"unknown profile {name!r} (built in: {known}; or give a .toml file)")


def _build(name: str, lang: str, description: str, common: dict[str, Any], language: dict[str, Any],
           path: str | None = None) -> Profile:
    """The profile of one language: its pack's conventions, the profile's common rules, then its
    rules for the language (``language``)."""
    rules = {**pack(lang).conventions, **common, **language}
    profile = Profile(name=name, lang=lang, description=description, **rules)
    validate(profile, path)
    return profile


def language_rules(by_lang: dict[str, dict[str, Any]], lang: str, vertical: bool = False) -> dict[str, Any]:
    """A profile's rules for one language: the guide's numbers for the language when its pack has
    them (the CJK languages: their own line length and reading speed, and vertical writing's), else
    the profile's line for it, else its line for every other language.

    >>> korean = next(code for code, language in registry().items() if language.name == "Korean")
    >>> language_rules({"en": {}, "*": {"max_cps": 17.0}}, korean)["max_cps"]
    12.0
    >>> language_rules({"en": {}, "*": {"max_cps": 17.0}}, "sv")
    {'max_cps': 17.0}
    """
    language = pack(lang)
    if language.guide:
        upright = dict(language.vertical, writing_mode="vertical") if vertical and language.vertical else {}
        return {**language.guide, **upright}
    return dict(by_lang.get(lang, by_lang.get("*", {})))


# field -> (lowest, highest)
RANGES: dict[str, tuple[float, float]] = {
    "max_chars_per_line": (1, 10_000), "max_lines": (1, 10), "max_cps": (0.1, 1e6), "max_wpm": (1, 1e6),
    "target_cps": (0.1, 1e6), "target_wpm": (1, 1e6), "min_duration": (0, 60), "max_duration": (0.1, 3600),
    "min_gap_frames": (0, 1000), "close_gap_frames": (0, 10_000), "fps": (1, 1000),
    "linger_frames": (0, 100_000), "lead_in_frames": (0, 100_000),
}  # wide enough for a "no caption policy" profile (1 ms frames, no speed limit), never nonsense
OPTIONAL = ("max_cps", "max_wpm", "target_wpm")  # None: the guide does not count this way
INTEGERS = ("max_lines", "min_gap_frames", "close_gap_frames", "linger_frames", "lead_in_frames")
CHOICES: dict[str, tuple[object, ...]] = {"width_mode": ("latin", "cjk"), "breaker": ("words", "phrases"),
           "speaker_style": ("none", "dash", "label", "colour"), "punctuation": ("keep", "netflix-ja"),
           "writing_mode": ("horizontal", "vertical")}
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
    for key in (*RANGES, *CHOICES):
        problem = _bad_value(key, getattr(profile, key))
        if problem:
            raise OptionError(f"{where}: {problem}", path)
    if profile.min_duration > profile.max_duration:
        raise OptionError(f"{where}: min_duration {profile.min_duration:g} is over max_duration "
                          f"{profile.max_duration:g}", path)
    if profile.max_cps is None and profile.max_wpm is None:
        raise OptionError(f"{where}: set max_cps or max_wpm (a reading speed is required)", path)
    _check_label(profile.label_format, where, path)


def _bad_value(key: str, value: object) -> str | None:
    """What is wrong with one field's value, or None."""
    if key in CHOICES:
        return None if value in CHOICES[key] else f"{key} = {value!r} is not one of {', '.join(map(str, CHOICES[key]))}"
    if key not in RANGES or (value is None and key in OPTIONAL):
        return None
    lowest, highest = RANGES[key]
    whole = isinstance(value, int) if key in INTEGERS else isinstance(value, (int, float))
    if isinstance(value, bool) or not whole or not (math.isfinite(value) and lowest <= value <= highest):  # type: ignore[arg-type, operator]
        kind = "a whole number" if key in INTEGERS else "a number"
        return f"{key} = {value!r} is out of range ({lowest:g} to {highest:g}, {kind})"
    return None


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
            or not RANGES["fps"][0] <= value <= RANGES["fps"][1]:
        raise OptionError(f"{where} {value!r} is out of range (1 to 1000 frames per second)")
    return float(value)


_FIELDS = {field.name: field for field in dataclasses.fields(Profile)}
_SETTABLE = set(_FIELDS) - {"name", "lang"}


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
    found = BUILTIN[base]
    # Precedence, lowest first: the base's common rules, its rules for the language, the file's
    # [default] (which is every language, so it beats the base's language rules), its [languages.xx].
    default = _checked(document.get("default", {}), path, "default")
    common = {**found.common, **default}
    languages = document.get("languages", {})
    if not isinstance(languages, dict):
        raise OptionError("[languages] must be a table of language tables", str(path))
    own = {**language_rules(found.by_lang, lang, found.vertical), **default}
    for key, table in languages.items():
        _lang_key(key, path)
        checked = _checked(table, path, f"languages.{key}")  # every table checked, whichever language is made
        if normalise_lang(key) == lang:
            own.update(checked)
    name = str(document.get("name", path.stem))
    description = str(document.get("description", f"{path.name} (based on {base})"))
    return _build(name, lang, description, common, own, str(path))


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
        default = _FIELDS[key].default
        expected = (int, float) if isinstance(default, (int, float)) or default is None else type(default)
        if isinstance(value, bool) or not isinstance(value, expected):
            raise OptionError(f"[{where}] {key} = {value!r} has the wrong type", str(path))
        problem = _bad_value(key, value)
        if problem:
            raise OptionError(f"[{where}] {problem}", str(path))
    return dict(table)


def listing() -> list[Profile]:
    """Every built-in profile for each language it has rules for, for ``captions profiles``."""
    rows: list[Profile] = []
    guided = [code for code, language in registry().items() if language.guide]
    for name, (description, common, by_lang, vertical) in BUILTIN.items():
        langs = dict.fromkeys([*[lang for lang in by_lang if lang == "en"], *guided, *by_lang])
        rows.extend(_build(name, lang, description, common, language_rules(by_lang, lang, vertical))
                    for lang in langs if lang != "*")
        if "*" in by_lang:
            # Any language without rules of its own stands for them all (Swedish: no pack of its own).
            rows.append(dataclasses.replace(_build(name, "sv", description, common, language_rules(by_lang, "sv")),
                                            lang="other"))
    return rows
