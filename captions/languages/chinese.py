"""Chinese, simplified and traditional: BudouX phrases, kinsoku, full-width counting."""

from .base import CHARACTER_SPEED
from .phrases import PhraseLanguage

_CONVENTIONS = {"width_mode": "cjk", "breaker": "phrases", "label_format": "{name}："}
_GUIDE = dict(CHARACTER_SPEED, max_chars_per_line=16, max_cps=9.0, target_cps=7.0)  # Netflix Chinese TTSG

PACKS = (
    PhraseLanguage(code="zh", name="Chinese (simplified)", voice="cmn", sentence_rules="zh",
                   phrase_model="zh-Hans", conventions=_CONVENTIONS, guide=_GUIDE),
    PhraseLanguage(code="zh-Hant", name="Chinese (traditional)", voice="yue", sentence_rules="zh",
                   phrase_model="zh-Hant", conventions=_CONVENTIONS, guide=_GUIDE),
)
