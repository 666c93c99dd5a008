"""English: function words after which a line or cue must not break (Netflix, BBC guidelines),
and sentence ends found without pysbd where nothing about them is in doubt."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .base import LanguagePack, word_classes

# A sentence end no rule could doubt: ".", "?" or "!" after a lower-case word, then a space and a
# capital (or the end). Anything else that looks like an end ("U.S.", "Dr.", "3.5", "etc.", "…",
# quotes) goes to pysbd.
_PLAIN_END = re.compile(r"(?<=[a-z]{2})[.?!](?=\s+[A-Z]|\s*$)")
_ANY_MARK = re.compile(r"[.?!…]")
_LOWER_ABBREVIATIONS = frozenset("etc vs approx inc ltd co jr sr st ave dept est fig no vol al".split())


def _plain_sentences(text: str) -> list[tuple[int, int]] | None:
    """Sentence spans of text whose every sentence mark is a plain sentence end, else None.

    >>> _plain_sentences("They met today. Talks went well! Next week?"), _plain_sentences("He met U.S. officials.")
    ([(0, 16), (16, 33), (33, 43)], None)
    """
    ends = [match.end() for match in _PLAIN_END.finditer(text)]
    if len(ends) != len(_ANY_MARK.findall(text)):
        return None
    for end in ends:
        word = text[:end - 1].rsplit(None, 1)[-1].lower()
        if word in _LOWER_ABBREVIATIONS:
            return None
    starts = [0] + [end + len(text[end:]) - len(text[end:].lstrip()) for end in ends]
    spans = [(a, b) for a, b in zip(starts, starts[1:] + [len(text)]) if a < b]
    return spans if spans and spans[-1][1] == len(text) else None


@dataclass(frozen=True)
class English(LanguagePack):
    def break_costs(self, texts: list[str], sentence_ends: list[bool]) -> list[float]:
        """As every language's, and two names joined by "and" or "or" kept together: "Japan | and
        the United States are..." cuts a coordinated subject in two.

        >>> costs = ENGLISH.break_costs("what future Japan and the United States build".split(), [False] * 7)
        >>> costs[2] > costs[6]  # before "and" between two names costs more than after "States"
        True
        """
        costs = super().break_costs(texts, sentence_ends)
        for index in range(len(texts) - 2):
            if texts[index + 1].lower() in ("and", "or") and _names_joined(texts, index):
                costs[index] += COORDINATED_NAMES
        return costs

    def break_weakness(self, before: list[str], after: list[str]) -> float:
        """As every language's, and a coordinated pair of names cut in two: the rule the breaker
        weighs against the other places to cut (``COORDINATED_NAMES``), which QC, with no other place
        to weigh, holds as weak outright (no relief for the break coming before "and").

        >>> ENGLISH.break_weakness("kind of future Japan".split(), "and the United States".split()) >= 10
        True
        """
        cost = super().break_weakness(before, after)
        words = before[-2:] + after[:3]
        one_word = len(before) < 2 or not before[-2][:1].isupper()  # "Japan and the United States", not
        # "the Self-Defense Forces | and the U.S. military", whose long parts a subtitler does split there
        if one_word and after[0].lower() in ("and", "or") and _names_joined(words, len(before[-2:]) - 1):
            cost = max(cost, 0) + COORDINATED_NAMES  # no "before a conjunction" relief: the pair is one subject
        return cost

    def sentence_spans(self, text: str) -> list[tuple[int, int]]:
        """Plain sentence ends split directly (pysbd, the slowest step of captioning, gives the same
        answer for them; a property test holds it to that); anything doubtful goes to pysbd."""
        plain = _plain_sentences(text)
        return plain if plain is not None else super().sentence_spans(text)


COORDINATED_NAMES = 14  # extra cost of a break inside "Name and Name"


def _names_joined(texts: list[str], index: int) -> bool:
    """Whether the word at ``index`` is a name that "and"/"or" after it joins to another name (a
    determiner may come between: "Japan and the United States"), not a clause ending on a name."""
    left = texts[index]
    if not left[:1].isupper() or left[-1:] in ",.;:?!" or (index and texts[index - 1][-1:] in ".?!"):
        return False
    after = texts[index + 2 : index + 4]
    if after and after[0].lower() in ("the", "a", "an"):
        after = after[1:]
    return bool(after) and after[0][:1].isupper() and after[0] != "I"


ENGLISH = English(
    code="en",
    name="English",
    voice="en-gb",
    sentence_rules="en",
    classes=word_classes(
        determiner="a an the this that these those my your his her its our their some any each every no "
                   "all both either neither another such what whose which",
        preposition="of in on at to for with from by about into onto over after before under between "
                    "through during including against among across toward towards without within upon "
                    "per via like near off than as amid behind beyond despite except inside outside "
                    "since until regarding concerning",
        conjunction="and but or nor so yet because although though while whereas if unless when "
                    "whenever where wherever whether that which who whom once",
        pronoun="i you he she we they it",
        auxiliary="is are was were be been being am will would shall should can could may might must "
                  "do does did has have had",
        negation="not never n't",
        adjective="new old next last big small high low long short great good bad young major key top "
                  "final full early late former current recent local main real whole senior vice",
        number="one two three four five six seven eight nine ten eleven twelve twenty thirty forty "
               "fifty hundred thousand million billion several many few first second third last",
        before_of="out instead because kind sort lot lots number couple part most rest end beginning middle "
                  "start top bottom front back side edge centre center heart",
        # US states and countries a place name is followed by ("Austin, Texas"), first words only.
        region="alabama alaska arizona arkansas california colorado connecticut delaware florida georgia "
               "hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts "
               "michigan minnesota mississippi missouri montana nebraska nevada new north ohio oklahoma "
               "oregon pennsylvania rhode south tennessee texas utah vermont virginia washington west "
               "wisconsin wyoming canada mexico england scotland wales ireland france germany italy spain "
               "japan china india australia brazil russia ukraine israel egypt nigeria kenya usa uk",
        month="january february march april may june july august september october november december "
              "jan feb mar apr jun jul aug sep sept oct nov dec",
    ),
    abbreviations=frozenset("mr mrs ms dr prof st gen sen rep gov lt col sgt capt jr sr vs no".split()),
)

PACKS = (ENGLISH,)
