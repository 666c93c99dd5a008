"""Every other language written with spaces between words: sentences from pysbd (its rules where
it has them), word breaks, Latin width. A language that needs more gets a file of its own.
"""

from .base import LanguagePack

_PYSBD = frozenset("am ar bg da el fa hi hy it kk mr my nl pl ru sk ur".split())
_CODES = "am ar bg cs da el et fa fi hi hr hu hy id it kk lt lv mr ms my nb nl no pl pt ro ru sk sl sr sv tr uk ur vi"

PACKS = tuple(LanguagePack(code=code, name=code, sentence_rules=code if code in _PYSBD else "en") for code in _CODES.split())
