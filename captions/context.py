"""One language of a job, resolved once: its style, its pack, its one frame rate and its clock.

Every stage (segmenter, line breaker, reading speed, timing, QC, translation's re-cut, the formats'
limits) takes a :class:`LanguageContext` and looks nothing up again: which frame rate wins (``--fps``,
the media's, the profile's) and which pack speaks the language are decided here, once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from .languages import pack
from .languages.base import LanguagePack
from .model import Profile, exact_rate


@dataclass(frozen=True)
class LanguageContext:
    """A language as every stage sees it.

    ``style`` is the profile's numbers after the profile file, the language's defaults and the
    output formats' limits; ``fps`` is the one exact frame rate (the style carries it too, equal by
    construction). ``start``, the pauses and ``duration`` place untimed text on the programme's
    clock; ``shots`` are its shot changes, in seconds before ``start``.

    >>> from captions.profiles import get_profile
    >>> english = resolved(get_profile("netflix", "en"), 25)
    >>> english.fps, english.style.fps, english.pack.joiner, english.lang
    (Fraction(25, 1), 25.0, ' ', 'en')
    """

    style: Profile
    fps: Fraction
    speakers: str = "dash"  # none | dash | label | colour, resolved against the profile's own style
    start: float = 0.0  # seconds added to every time (where the programme starts)
    speaker_pause: float = 0.5  # extra silence before a new speaker, untimed input
    paragraph_pause: float = 0.25  # extra silence between paragraphs, untimed input
    duration: float | None = None  # fit untimed input to this programme length
    shots: tuple[float, ...] = ()  # shot changes, on the cues' clock before ``start``
    terms: tuple[tuple[str, str], ...] = ()  # the glossary's terms into this language
    deliveries: dict[str, Any] = field(default_factory=dict)  # format -> its options ([scc], [stl] tables)
    pack: LanguagePack = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fps", exact_rate(self.fps))
        if self.style.fps != float(self.fps):
            object.__setattr__(self, "style", replace(self.style, fps=float(self.fps)))
        object.__setattr__(self, "pack", pack(self.style.lang))

    @property
    def lang(self) -> str:
        return self.style.lang


def resolved(profile: Profile, fps: float | Fraction | None = None, speakers: str | None = None,
             **clock: Any) -> LanguageContext:
    """The context of a profile: ``fps`` (``--fps``, or the media's) over the profile's own rate, and
    ``speakers`` over the profile's own style."""
    return LanguageContext(profile, exact_rate(fps or profile.fps), speakers or profile.speaker_style, **clock)

