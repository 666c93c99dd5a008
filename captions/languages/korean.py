"""Korean: words are separated by spaces, so lines break between words (eojeol), as the Netflix
Korean guide asks; Hangul is full-width and counts 1, half-width characters 0.5.
"""

from .base import Language

PACKS = (Language(code="ko", name="Korean", conventions={"width_mode": "cjk", "label_format": "{name}:"}),)
