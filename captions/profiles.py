"""Named caption styles: built-in profiles, per-language rules inside them, and user TOML profiles."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

from .errors import CaptionsError
from .model import Profile

# Languages with space-separated words that pysbd or its English rules split well, plus the CJK
# languages and Korean, which have rules of their own below.
LANGUAGES = frozenset(
    "am ar bg cs da de el en es et fa fi fr hi hr hu hy id it ja kk ko lt lv mr ms my nb nl no pl pt "
    "ro ru sk sl sr sv tr uk ur vi zh zh-Hans zh-Hant".split()
)

_CHARACTER_SPEED = dict(max_wpm=None, target_wpm=None)  # guides count characters, not words, here
_JA = dict(_CHARACTER_SPEED, max_chars_per_line=13, max_cps=4.0, target_cps=3.8, width_mode="cjk", breaker="phrases",
           label_format="（{name}）", punctuation="netflix-ja")
_ZH = dict(_CHARACTER_SPEED, max_chars_per_line=16, max_cps=9.0, target_cps=7.0, width_mode="cjk", breaker="phrases",
           label_format="{name}：")
_KO = dict(_CHARACTER_SPEED, max_chars_per_line=16, max_cps=12.0, target_cps=10.0, width_mode="cjk", label_format="{name}:")
_EUROPEAN = dict(max_chars_per_line=42, max_cps=17.0, target_cps=14.0)

# name -> (description, rules for every language, rules per language)
BUILTIN: dict[str, tuple[str, dict, dict[str, dict]]] = {
    "netflix": (
        "Netflix Timed Text Style Guides: 42 chars, 20 cps (English adults)",
        dict(max_chars_per_line=42, max_cps=20.0, target_cps=15.0, fps=24000 / 1001),
        {"en": {}, "ja": _JA, "zh": _ZH, "zh-Hant": _ZH, "ko": _KO, "fr": dict(_EUROPEAN, dialog_dash="- "),
         "de": _EUROPEAN, "es": _EUROPEAN, "it": _EUROPEAN, "pt": _EUROPEAN, "*": _EUROPEAN},
    ),
    "netflix-kids": (
        "Netflix children's programmes: as netflix, English at 17 cps",
        dict(max_chars_per_line=42, max_cps=17.0, target_cps=13.0, fps=24000 / 1001),
        {"en": {}, "ja": _JA, "zh": _ZH, "zh-Hant": _ZH, "ko": _KO, "fr": dict(_EUROPEAN, dialog_dash="- "),
         "*": dict(_EUROPEAN, max_cps=15.0, target_cps=12.0)},
    ),
    "bbc": (
        "BBC Subtitle Guidelines: 37 chars, 160-180 wpm, speakers by colour",
        dict(max_chars_per_line=37, max_cps=None, max_wpm=180.0, target_wpm=160.0, target_cps=13.0,
             min_duration=0.8, fps=25.0, speaker_style="colour"),
        {"en": {}, "ja": _JA, "zh": _ZH, "zh-Hant": _ZH, "ko": _KO},
    ),
}


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
    if base not in LANGUAGES:
        raise CaptionsError(f"unknown language {lang!r} (known: {', '.join(sorted(LANGUAGES))})")
    return base


def get_profile(name: str, lang: str) -> Profile:
    """The rules of a named profile (or a TOML profile file) for one language."""
    lang = normalise_lang(lang)
    if name in BUILTIN:
        description, common, by_lang = BUILTIN[name]
        return _build(name, lang, description, common, by_lang)
    path = Path(name)
    if path.suffix.lower() == ".toml" or path.is_file():
        return load_toml(path, lang)
    known = ", ".join(BUILTIN)
    raise CaptionsError(f"unknown profile {name!r} (built in: {known}; or give a .toml file)")


def _build(name: str, lang: str, description: str, common: dict, by_lang: dict[str, dict]) -> Profile:
    rules = dict(common)
    rules.update(by_lang.get(lang, by_lang.get("*", {})))
    return Profile(name=name, lang=lang, description=description, **rules)


_FIELDS = {field.name: field for field in dataclasses.fields(Profile)}
_SETTABLE = set(_FIELDS) - {"name", "lang"}


def load_toml(path: Path, lang: str) -> Profile:
    """A user profile: ``name``, optional ``base`` profile, ``[default]`` and ``[languages.xx]`` tables.

    Every key of those tables is a field of :class:`captions.model.Profile`.
    """
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise CaptionsError(f"cannot read profile: {err.strerror}", str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise CaptionsError(f"not a valid TOML profile: {err}", str(path)) from None
    base = document.get("base", "netflix")
    if base not in BUILTIN:
        raise CaptionsError(f"unknown base profile {base!r} (built in: {', '.join(BUILTIN)})", str(path))
    description, common, by_lang = BUILTIN[base]
    common = {**common, **_checked(document.get("default", {}), path, "default")}
    languages = document.get("languages", {})
    if not isinstance(languages, dict):
        raise CaptionsError("[languages] must be a table of language tables", str(path))
    merged = {key: dict(value) for key, value in by_lang.items()}
    for key, table in languages.items():
        merged[normalise_lang(key)] = {**merged.get(normalise_lang(key), merged.get("*", {})),
                                       **_checked(table, path, f"languages.{key}")}
    name = str(document.get("name", path.stem))
    return _build(name, lang, str(document.get("description", f"{path.name} (based on {base})")), common, merged)


def _checked(table: object, path: Path, where: str) -> dict:
    if not isinstance(table, dict):
        raise CaptionsError(f"[{where}] must be a table", str(path))
    for key, value in table.items():
        if key not in _SETTABLE:
            raise CaptionsError(f"[{where}] unknown setting {key!r} (known: {', '.join(sorted(_SETTABLE))})", str(path))
        default = _FIELDS[key].default
        expected = (int, float) if isinstance(default, (int, float)) or default is None else type(default)
        if isinstance(value, bool) or not isinstance(value, expected):
            raise CaptionsError(f"[{where}] {key} = {value!r} has the wrong type", str(path))
    return dict(table)


def listing() -> list[Profile]:
    """Every built-in profile for each language it has rules for, for ``captions profiles``."""
    rows = []
    for name, (description, common, by_lang) in BUILTIN.items():
        rows.extend(_build(name, lang, description, common, by_lang) for lang in by_lang if lang != "*")
        if "*" in by_lang:
            rows.append(dataclasses.replace(_build(name, "xx", description, common, by_lang), lang="other"))
    return rows
