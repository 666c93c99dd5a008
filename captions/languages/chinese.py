"""Chinese, simplified and traditional: BudouX phrases, kinsoku, full-width counting."""

from .phrases import PhraseLanguage

_CONVENTIONS = {"width_mode": "cjk", "breaker": "phrases", "label_format": "{name}："}

PACKS = (
    PhraseLanguage(code="zh", name="Chinese (simplified)", voice="cmn", sentence_rules="zh",
                   phrase_model="zh-Hans", conventions=_CONVENTIONS),
    PhraseLanguage(code="zh-Hant", name="Chinese (traditional)", voice="yue", sentence_rules="zh",
                   phrase_model="zh-Hant", conventions=_CONVENTIONS),
)
