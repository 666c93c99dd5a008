"""German: function words after which a line or cue must not break."""

from .base import LanguagePack, word_classes

PACKS = (LanguagePack(
    code="de",
    name="German",
    sentence_rules="de",
    classes=word_classes(
        determiner="der die das den dem des ein eine einen einem einer eines mein meine sein seine ihr "
                   "ihre unser unsere dieser diese dieses",
        preposition="an auf aus bei bis durch für gegen in mit nach ohne seit über um unter von vor zu zum "
                    "zur während wegen",
        conjunction="und oder aber denn sondern dass weil wenn als ob obwohl",
        pronoun="ich du er sie es wir ihr",
        auxiliary="ist sind war waren hat haben hatte wird werden wurde kann können muss müssen",
        negation="nicht nie kein keine",
    ),
    abbreviations=frozenset("hr fr dr prof nr bzw".split()),
    capital_starts_sentence=False,  # every noun is capitalised
),)
