"""Reading speed, counted one way for planning, timing and QC.

Guides count characters per second (Netflix; display width for CJK) or words per minute (BBC);
the language's pack says what a character and a word are.
"""

from __future__ import annotations

from dataclasses import dataclass

from .context import LanguageContext


@dataclass(frozen=True)
class Speed:
    """How fast a cue reads against one of the profile's limits."""

    value: float
    limit: float
    unit: str  # "characters/s" or "words/min"

    @property
    def too_fast(self) -> bool:
        return self.value > self.limit + 1e-6


def _amounts(text: str, language: LanguageContext) -> list[tuple[float, float | None, float | None, str]]:
    """(amount, maximum rate, target rate, unit) for every way the profile counts reading speed."""
    profile = language.style
    amounts: list[tuple[float, float | None, float | None, str]] = []
    if profile.max_cps or not profile.target_wpm:
        amounts.append((language.pack.characters(text, profile.width_mode), profile.max_cps,
                        None if profile.target_wpm else profile.target_cps, "characters/s"))
    if profile.max_wpm or profile.target_wpm:
        amounts.append((language.pack.words(text) * 60.0, profile.max_wpm, profile.target_wpm, "words/min"))
    return amounts


def seconds_to_read(text: str, language: LanguageContext, pace: str = "max") -> float:
    """Seconds ``text`` needs at the profile's maximum reading speed (or at its target ``pace``).

    >>> from captions.context import resolved
    >>> from captions.profiles import get_profile
    >>> seconds_to_read("Hello there, how are you today?", resolved(get_profile("netflix", "en")), "target")
    2.066666666666667
    >>> seconds_to_read("Hello there, how are you today?", resolved(get_profile("bbc", "en")))
    2.0
    """
    needed = 0.0
    for amount, maximum, target, _ in _amounts(text, language):
        rate = maximum if pace == "max" else target
        if rate:
            needed = max(needed, amount / rate)
    return needed


def speeds(text: str, seconds: float, language: LanguageContext) -> list[Speed]:
    """The reading speeds of a cue on screen for ``seconds``, against each maximum the profile sets."""
    if seconds <= 0:
        return []
    return [Speed(amount / seconds, maximum, unit) for amount, maximum, _, unit in _amounts(text, language) if maximum]
