"""Korean, as the Netflix Korean Timed Text Style Guide (KO TTSG) writes it.

Words are separated by spaces, so lines break between words (eojeol); Hangul counts 1 and Latin
characters, spaces and punctuation 0.5 (KO TTSG I.2, 16 per line, set in the profiles).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Profile
from .base import CHARACTER_SPEED, LanguagePack

_DOTTED_ACRONYM = re.compile(r"(?<![A-Za-z])(?:[A-Z]\.){2,}")


@dataclass(frozen=True)
class Korean(LanguagePack):
    def display(self, token: str, joiner: str, profile: Profile) -> tuple[str, str]:
        """KO TTSG I.1: English acronyms without periods between the letters (U.S.A. -> USA).

        >>> from captions.languages import pack
        >>> from captions.profiles import get_profile
        >>> pack("ko").display("U.S.A.의", " ", get_profile("netflix", "ko"))
        ('USA의', ' ')
        """
        return _DOTTED_ACRONYM.sub(lambda match: match[0].replace(".", ""), token), joiner


# KO TTSG I.6: two speakers in one subtitle: a hyphen followed by a space, one speaker per line.
PACKS = (Korean(code="ko", name="Korean",
                conventions={"width_mode": "cjk", "label_format": "{name}:", "dialog_dash": "- "},
                guide=dict(CHARACTER_SPEED, max_chars_per_line=16, max_cps=12.0, target_cps=10.0)),)
