"""What every language pack is: the rules of one language family, in one place.

A pack owns everything that differs between languages: how text becomes sentences and breakable
tokens, which breaks are weak, how wide text is, how many characters or words a reader reads, how
espeak-ng says it, and how speakers are labelled. Languages written with spaces between words
share this base; a pack adds its function words and conventions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..model import Profile
from ..text import Token, display_width, pysbd_sentence_spans, word_tokens

CHARACTER_SPEED = {"max_wpm": None, "target_wpm": None}  # a guide that counts characters, not words

# Base costs of a break after a token; weak-break costs are added on top.
SENTENCE_END, CLAUSE_MARK, CLOSING_MARK, BEFORE_CONJUNCTION, BEFORE_PREPOSITION, PLAIN = 0, 1, 2, 3, 4, 12
WEAK = 10  # extra cost from which a break counts as weak (QC warns, the bench counts)

_EDGE_PUNCT = "\"'“”‘’«»()[]"
CLAUSE_END = (",", ";", ":", "—", "–", "，", "、", "；", "：")
CLOSERS = (")", "”", '"', "’", "」", "』", "）", "»")
_OPENERS = ("(", "“", '"', "‘", "「", "（")
_NUMBER = re.compile(r"^[$€£]?\d[\d,.]*%?$")
_ADJECTIVE_ENDING = re.compile(r"(?:al|ar|ive|ous|ic|ful|less|able|ible|ary|ese|ian|ican|ern|ish)$")


def word_classes(**classes: str) -> dict[str, frozenset[str]]:
    """Function-word classes from space-separated lists (lower case)."""
    return {name: frozenset(words.split()) for name, words in classes.items()}


@dataclass(frozen=True)
class LanguagePack:
    """A language written with spaces between words; subclasses override what differs.

    ``conventions`` are the profile fields the language sets unless a profile says otherwise
    (width counting, tokenizer, speaker labels, dialogue dashes, punctuation style).
    """

    code: str
    name: str
    voice: str = ""  # espeak-ng voice; empty: the language code
    classes: dict[str, frozenset[str]] = field(default_factory=dict)  # function words, for weak breaks
    abbreviations: frozenset[str] = frozenset()  # words whose full stop does not end a sentence
    conventions: dict[str, Any] = field(default_factory=dict)
    sentence_rules: str = ""  # pysbd's language, when it has rules for this one
    capital_starts_sentence: bool = True  # a capitalised word after unpunctuated ASR text starts a sentence
    joiner: str = " "  # what joins words and sentences: nothing where the script has no spaces
    ruby: bool = False  # readings may be set above words (furigana), and formats that can keep them do
    slanted_italics: bool = False  # italics drawn slanted (IMSC shear), as the script has no italic face
    rows_start_aligned: bool = False  # a cue's rows start at one edge, centred as a block (Netflix JP TTSG)
    # The numbers the style guides give the language itself, over any profile's (line length and
    # reading speed counted in characters: Netflix's TTSG for Japanese, Chinese and Korean), and
    # those of its vertical writing (tategaki) in a profile that writes it so.
    guide: dict[str, Any] = field(default_factory=dict)
    vertical: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ text units
    def sentence_spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the sentences of ``text``, covering it without gaps."""
        return pysbd_sentence_spans(text, self.sentence_rules or "en")

    def tokens(self, text: str, profile: Profile) -> list[Token]:
        """Breakable units of a segment (here: words; a word is never cut)."""
        return word_tokens(text)

    def display(self, token: str, joiner: str, profile: Profile) -> tuple[str, str]:
        """A token and what follows it on a line, as the language's subtitle style writes them."""
        return token, joiner

    def starts_sentence(self, before: str, text: str) -> bool:
        """Whether ASR text continuing ``before`` starts a new sentence that ``before`` did not end
        with punctuation (whisper often drops the full stop at a segment's end: "kind of like" /
        "Maybe if you look"). "I" and its contractions are capitalised anywhere.

        >>> from captions.languages import pack
        >>> pack("en").starts_sentence("kind of like", "Maybe if"), pack("en").starts_sentence("and", "I think")
        (True, False)
        """
        word = text.split(maxsplit=1)[0] if text.strip() else ""
        if not self.capital_starts_sentence or not word[:1].isupper() or before.rstrip()[-1:] in ".?!…,;:-–—":
            return False
        return word.rstrip(",.?!").split("'")[0].split("’")[0] != "I"

    # ------------------------------------------------------------------ where to break
    def break_costs(self, texts: list[str], sentence_ends: list[bool]) -> list[float]:
        """Cost of a break after each token (the last one ends the text and costs nothing)."""
        costs = [0.0] * len(texts)
        for index in range(len(texts) - 1):
            if not sentence_ends[index]:
                costs[index] = base_cost(texts[index], texts[index + 1]) + self.weak_cost(texts[index], texts[index + 1])
        return costs

    def break_weakness(self, before: list[str], after: list[str]) -> float:
        """What the breaker holds against a break between the words ``before`` it and ``after`` it,
        beyond punctuation: QC calls a break weak from WEAK on, with the breaker's own knowledge."""
        return self.weak_cost(before[-1], after[0])

    def weak_cost(self, left: str, right: str) -> float:
        """The extra cost of breaking between two words that belong together (0 when they do not)."""
        a, b = left.strip(_EDGE_PUNCT).lower(), right.strip(_EDGE_PUNCT).lower()
        if left.endswith(",") and left[:1].isupper() and b.rstrip(",.") in self.classes.get("region", ()):
            return 16  # "Austin, | Texas": a place and its state or country are one name
        if left.endswith(",") and a[:-1] in self.classes.get("conjunction", ()):
            a = a[:-1]  # "and, just like..." leans on what follows like "and" does
        elif left.endswith(CLAUSE_END) or left.endswith(CLOSERS) or left[-1:] in "?!" or self.ends_sentence(left):
            return 0
        cost = self._class_cost(a, b) if self.classes else 0
        stripped_left, stripped_right = left.strip(_EDGE_PUNCT), right.strip(_EDGE_PUNCT)
        if stripped_left[:1].isupper() and stripped_right[:1].isupper() and stripped_right != "I":
            cost += 16  # a run of capitalised words is a name or a title: Joe Biden, Prime Minister
        return cost

    def _class_cost(self, a: str, b: str) -> float:
        """Style-guide rules: never split article|noun, preposition|object, pronoun|verb, auxiliary|verb."""
        classes = self.classes
        empty: frozenset[str] = frozenset()
        cost = 0
        if a in classes["determiner"] and b not in classes["preposition"] and b not in classes["conjunction"]:
            cost += 20
        elif a in classes["preposition"] and b not in classes["preposition"]:
            cost += 16  # unless stranded at the end of its phrase: "credits to work with | to use"
        elif a in classes["conjunction"]:
            cost += 12
        elif a in classes["pronoun"] and b not in classes["conjunction"] and b not in classes["preposition"]:
            cost += 14
        elif a in classes["auxiliary"]:
            cost += 15 if b in classes["negation"] else 10
        elif a in classes["negation"]:
            cost += 10
        if b in classes["conjunction"] or b in classes["preposition"]:
            cost -= PLAIN - (BEFORE_CONJUNCTION if b in classes["conjunction"] else BEFORE_PREPOSITION)
        if a in classes.get("month", empty) and b[:1].isdigit():
            cost += 20
        if b == "of" and a in classes.get("before_of", empty):
            cost += 20  # "out | of", "instead | of", "a lot | of": one unit (net of the bonus before "of")
        content = b.isalpha() and not any(b in words for name, words in classes.items()
                                          if name not in ("adjective", "before_of", "region"))
        if (_NUMBER.match(a) or a in classes.get("number", empty)) and (content or b in classes.get("number", empty)):
            cost += 12  # a number and what it counts: "14.9 | million", "200 | buoys"
        if content and (a.endswith(("'s", "’s")) or _ADJECTIVE_ENDING.search(a) or a in classes.get("adjective", empty)):
            cost += 10
        return cost

    def ends_sentence(self, word: str) -> bool:
        """A full stop that ends a sentence rather than an abbreviation (``U.S.``, ``Dr.``)."""
        if not word.endswith(".") or word.endswith(".."):
            return False
        core = word.rstrip(".").strip(_EDGE_PUNCT)
        return "." not in core and core.lower() not in self.abbreviations and len(core) > 1

    # ------------------------------------------------------------------ reading and speech
    def characters(self, text: str, width_mode: str) -> float:
        """What a reading speed in characters per second counts: the text's display width."""
        return display_width(text.replace("\n", " "), width_mode)

    def words(self, text: str) -> int:
        """What a reading speed in words per minute counts."""
        return len(text.split())

    def speakable(self, text: str) -> str:
        """Text as espeak-ng should read it."""
        return text

    # ------------------------------------------------------------------ speakers
    def speaker_label(self, name: str, title: str, label_format: str) -> str:
        """The label shown on a speaker's first cue: names in capitals, ``NAME, Title``."""
        upper = name.upper()
        if title:
            name, upper = f"{name}, {title}", f"{upper}, {title}"
        return label_format.format(name=name, NAME=upper)


def base_cost(left: str, right: str) -> float:
    """The cost of a break from punctuation alone: after a clause mark or a closing quote is best."""
    if left.endswith(CLAUSE_END):
        return CLAUSE_MARK
    if left.endswith(CLOSERS) or right.startswith(_OPENERS):
        return CLOSING_MARK
    return PLAIN
