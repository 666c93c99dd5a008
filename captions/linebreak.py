"""Where lines and cues break: a cost for every break point and a DP that minimises the total.

Style guides agree on where a reader's eye wants a break (after punctuation, before a conjunction
or preposition) and where it must not be (inside a name, between article and noun, preposition and
its object, pronoun and verb, auxiliary and verb). The language's pack (:mod:`captions.languages`)
gives each token boundary a cost from those rules; cues and lines are then chosen together to
minimise the sum of break costs, imbalance and the number of cues -- unlike a greedy wrap, which
fills a line and breaks wherever it lands.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from .context import LanguageContext
from .languages.base import WEAK
from .reading import seconds_to_read
from .text import Token, display_width


def fitted_weights() -> dict[str, float]:
    """The breaker's weights as ``bench/fit_weights.py`` fitted them on the TED tuning talks (the
    held-out talks kept apart), shipped in ``captions/weights/breaker.json``."""
    found = json.loads((resources.files("captions") / "weights" / "breaker.json").read_text(encoding="utf-8"))
    return {name: value for name, value in found.items() if not name.startswith("_")}


_FITTED = fitted_weights()
CUE_COST = _FITTED["CUE_COST"]  # every extra cue costs this much: people make short cues that end at a phrase
CUE_BREAK_WEIGHT = _FITTED["CUE_BREAK_WEIGHT"]  # a weak break between cues is worse than one between lines
MID_LINE_SENTENCE = _FITTED["MID_LINE_SENTENCE"]  # two sentences sharing a line: a new sentence starts a new line
SENTENCE_IN_CUE = _FITTED["SENTENCE_IN_CUE"]  # a sentence ending inside a two-line cue: better, a new cue
SHORT_CUE = _FITTED["SHORT_CUE"]  # a cue of a word or two, cut from a longer sentence, flashes by
ORPHAN, ORPHAN_WORDS = _FITTED["ORPHAN"], 2  # a cue ending on this many first words of a new sentence
LONG_PAUSE = 1.0  # seconds of silence that a cue should not straddle
PAUSE_INSIDE = _FITTED["PAUSE_INSIDE"]
# per line width of difference between the lines; more when the top is longer
IMBALANCE, TOP_HEAVY = _FITTED["IMBALANCE"], _FITTED["TOP_HEAVY"]
FAST_CUE = _FITTED["FAST_CUE"]  # per second a cue lacks to be read at the profile's maximum speed
FAST_FLAT = _FITTED["FAST_FLAT"]  # and once for every cue that reads too fast
READ_MARGIN = 1.1  # planned time is an estimate (frames, gaps): aim a little under the maximum speed


@dataclass
class Layout:
    """A token run prepared for line fitting: display text, widths and the joiners between tokens."""

    texts: list[str]
    widths: list[float]
    joiners: list[str]  # what separates a token from the next one on the same line
    joiner_widths: list[float]

    def width(self, start: int, end: int) -> float:
        return sum(self.widths[start:end]) + sum(self.joiner_widths[start : end - 1])

    def line(self, start: int, end: int) -> str:
        parts = []
        for index in range(start, end):
            parts.append(self.texts[index])
            if index < end - 1:
                parts.append(self.joiners[index])
        return "".join(parts)


def prepare(tokens: list[Token], language: LanguageContext) -> Layout:
    """Display form of tokens as the language's subtitle style writes them (see ``LanguagePack.display``)."""
    profile = language.style
    texts, joiners = [], []
    for token in tokens:
        text, joiner = language.pack.display(token.text, " " if token.space_after else "", profile)
        texts.append(text)
        joiners.append(joiner)
    mode = profile.width_mode
    return Layout(texts, [display_width(t, mode) for t in texts], joiners, [display_width(j, mode) for j in joiners])


class CuePlanner:
    """The named steps :func:`plan_cues` chooses cues with, over one run of tokens: prefix sums
    that make each measure of a span constant-time (width, sentence ends, long pauses, time on
    screen, reading time), the best layout of a span in lines (:meth:`lines_of`), and what a
    span costs as a cue (:meth:`cue_cost`). Each uses the language's style rules (see
    :data:`captions.rules.RULES`)."""

    def __init__(self, layout: Layout, costs: list[float], sentence_ends: list[bool], language: LanguageContext,
                 durations: list[float] | None, pauses: list[float] | None) -> None:
        n = len(layout.texts)
        profile = language.style
        self.costs, self.sentence_ends, self.durations = costs, sentence_ends, durations
        self.limit, self.max_lines = profile.max_chars_per_line, profile.max_lines
        self.max_duration, self.min_duration, self.target_cps = profile.max_duration, profile.min_duration, \
            profile.target_cps
        fps = float(language.fps)
        self.linger, self.lead_in = profile.linger_frames / fps, profile.lead_in_frames / fps
        self.joiner_widths = layout.joiner_widths
        self.prefix = _sums(layout.widths, layout.joiner_widths)
        self.sentence_prefix = _sums(sentence_ends)
        self.silences = pauses or [0.0] * n
        self.pause_prefix = _sums(pause >= LONG_PAUSE for pause in self.silences)
        # speech and the silences between words: a cue's time on screen
        self.time_prefix = _sums(durations or [], [max(silence, 0.0) for silence in self.silences])
        # seconds each token needs at the profile's maximum reading speed
        self.read_prefix = _sums(seconds_to_read(text + joiner, language)
                                 for text, joiner in zip(layout.texts, layout.joiners)) if durations else [0.0]
        self.layouts: dict[tuple[int, int, int], tuple[float, list[int]] | None] = {}
        self.orphan_from = _orphans(sentence_ends)

    def width(self, start: int, end: int) -> float:
        return self.prefix[end] - self.prefix[start] - self.joiner_widths[end - 1]

    def line_cost(self, start: int, end: int) -> float:
        """A line holding two sentences: a new sentence starts a new line."""
        return MID_LINE_SENTENCE * (self.sentence_prefix[end - 1] - self.sentence_prefix[start])

    def fits(self, start: int, end: int) -> bool:
        """No line wider than ``max_chars_per_line`` (but a single word, which cannot be broken)."""
        return end - start == 1 or self.width(start, end) <= self.limit

    def lines_of(self, start: int, end: int, span: float) -> tuple[float, list[int]] | None:
        """The cheapest layout of a span ``span`` wide in at most ``max_lines`` lines: its cost and
        the starts of its lines; None when it cannot fit."""
        if span <= self.limit or end - start == 1:
            return self.line_cost(start, end), [start]
        return self.two_lines(start, end) if self.max_lines == 2 else self.best_lines(start, end, self.max_lines)

    def two_lines(self, start: int, end: int) -> tuple[float, list[int]] | None:
        """The best split of a span in two lines: the hot path (nearly every profile has two), one
        pass over the possible splits."""
        prefix, joiner_widths, costs, limit = self.prefix, self.joiner_widths, self.costs, self.limit
        best_cost, best_split = float("inf"), -1
        total_end = prefix[end] - joiner_widths[end - 1]
        sentences = self.sentence_prefix[end - 1] - self.sentence_prefix[start]
        # Splits before the first one whose bottom line fits cannot work: skip them by bisection.
        first_split = min(max(bisect_left(prefix, total_end - limit, start + 1, end), start + 1), end - 1)
        base = prefix[start]
        for split in range(first_split, end):
            top = prefix[split] - base - joiner_widths[split - 1]
            if top > limit and split - start > 1:
                break  # the top line only grows from here
            excess = top - (total_end - prefix[split])  # top minus bottom: _imbalance, inlined
            cost = costs[split - 1] + (excess * (IMBALANCE + TOP_HEAVY) if excess > 0 else -excess * IMBALANCE) / limit
            cost += MID_LINE_SENTENCE * (sentences - self.sentence_ends[split - 1])
            if cost < best_cost:
                best_cost, best_split = cost, split
        return None if best_split < 0 else (best_cost, [start, best_split])

    def best_lines(self, start: int, end: int, lines: int) -> tuple[float, list[int]] | None:
        """The best layout in up to ``lines`` lines, for profiles of three or more (memoised)."""
        if self.fits(start, end):
            return self.line_cost(start, end), [start]
        if lines == 1:
            return None
        if lines == 2:
            return self.two_lines(start, end)
        key = (start, end, lines)
        if key in self.layouts:
            return self.layouts[key]
        best = None
        for split in range(end - 1, start, -1):
            if not self.fits(start, split):
                continue
            rest = self.best_lines(split, end, lines - 1)
            if rest is None:
                break  # the rest only grows as the split moves left
            top, bottom = self.width(start, split), self.width(split, rest[1][1] if len(rest[1]) > 1 else end)
            cost = rest[0] + self.line_cost(start, split) + self.costs[split - 1] + _imbalance(top, bottom, self.limit)
            if best is None or cost < best[0]:
                best = (cost, [start] + rest[1])
        self.layouts[key] = best
        return best

    def cue_cost(self, start: int, end: int, span: float, cost: float) -> float | None:
        """``cost`` (the plan up to this cue, its break and its lines) with what a span of ``span``
        width adds as one cue: two sentences in it, a new sentence's first words at its end, a cue
        too short, a long pause inside it, and for timed speech too fast to read; None when it would
        stay up over ``max_duration``."""
        n, limit = len(self.sentence_ends), self.limit
        if span > limit:  # two short sentences may share a one-line cue ("No. Not yet.")
            cost += SENTENCE_IN_CUE * (self.sentence_prefix[end - 1] - self.sentence_prefix[start])
        if self.orphan_from[end] >= start:
            cost += ORPHAN  # ends on the first word or two of a new sentence ("...right away. I")
        if span < limit * 0.4 and n > end - start:
            cost += SHORT_CUE
        cost += PAUSE_INSIDE * (self.pause_prefix[end - 1] - self.pause_prefix[start])
        # On screen from its first word's start to its last word's end (the silence after the
        # last word is not shown): over the maximum only a single word may be.
        silences = self.silences
        seconds = (self.time_prefix[end] - self.time_prefix[start] - max(silences[end - 1], 0.0)
                   if self.durations else span / self.target_cps)
        if seconds > self.max_duration and end - start > 1:
            return None
        if self.durations:
            # Timed speech too fast to read even with the pauses around it borrowed: prefer
            # another cut, where a cue can hold its words long enough.
            before = min(max(silences[start - 1], 0.0), self.lead_in) if start else 0.0
            room = seconds + min(max(silences[end - 1], 0.0), self.linger) + before
            needed = max(READ_MARGIN * (self.read_prefix[end] - self.read_prefix[start]), self.min_duration)
            if needed > room:
                cost += FAST_CUE * (needed - room) + FAST_FLAT
        return cost


def plan_cues(layout: Layout, costs: list[float], sentence_ends: list[bool], language: LanguageContext,
              durations: list[float] | None = None, pauses: list[float] | None = None,
              lead: int = 0) -> list[list[int]]:
    """Split tokens into cues and lines, minimising the total cost: for every end, the cheapest
    cue ending there (its break, its lines, its cost as a cue) after the best plan up to its start.

    Returns one list per cue of the token indices where its lines start, plus its end index.
    ``durations``: seconds each token takes (timed input), else estimated from reading speed.
    ``pauses``: silence after each token (timed input). ``lead``: the first tokens (a speaker's
    label) end no cue: they are shown with the words they introduce, never alone.
    """
    n = len(layout.texts)
    planner = CuePlanner(layout, costs, sentence_ends, language, durations, pauses)
    prefix, joiner_widths, limit = planner.prefix, planner.joiner_widths, planner.limit
    reach = limit * planner.max_lines + planner.max_lines
    best_cost = [0.0] + [float("inf")] * n
    choice: list[list[int]] = [[]] * (n + 1)
    for end in range(1, n + 1):
        if end <= lead and end < n:
            continue
        end_cost = CUE_BREAK_WEIGHT * costs[end - 1] if end < n else 0.0
        if pauses and end < n and pauses[end - 1] >= LONG_PAUSE and costs[end - 1] < WEAK:
            end_cost = 0.0  # a long pause is a free cue break, but never makes a weak one ("...the") free
        span_end = prefix[end] - joiner_widths[end - 1]
        for start in range(end - 1, -1, -1):
            span = span_end - prefix[start]
            if end - start > 1 and span > reach:
                break
            lines = planner.lines_of(start, end, span)
            if lines is None:
                continue
            cost = planner.cue_cost(start, end, span, best_cost[start] + lines[0] + CUE_COST + end_cost)
            if cost is None:
                continue
            if cost < best_cost[end]:
                best_cost[end] = cost
                choice[end] = lines[1]
    cues = []
    end = n
    while end > 0:
        starts = choice[end]
        cues.append(starts + [end])
        end = starts[0]
    return cues[::-1]


def _sums(*columns: Iterable[float]) -> list[float]:
    """Prefix sums of one or more columns, 0 first: the sum over tokens ``start:end`` is
    ``sums[end] - sums[start]`` (the columns added to the running sum one by one, in order).

    >>> _sums([1, 2, 3]), _sums([1, 2], [0.5, 0.5])
    ([0.0, 1.0, 3.0, 6.0], [0.0, 1.5, 4.0])
    """
    sums = [0.0]
    for values in zip(*columns):
        total = sums[-1]
        for value in values:
            total += value
        sums.append(total)
    return sums


def _orphans(sentence_ends: list[bool]) -> list[int]:
    """For each end, the sentence end a cue from a start at or before it would leave just
    ORPHAN_WORDS words or fewer after (its last words the first of a new sentence); -1 where none.

    >>> _orphans([False, True, False, False, False, True])
    [-1, -1, -1, 1, 1, -1, -1]
    """
    n = len(sentence_ends)
    orphan_from = [-1] * (n + 1)
    for end in range(2, n):
        if not sentence_ends[end - 1]:
            ends = [k for k in range(max(0, end - 1 - ORPHAN_WORDS), end - 1) if sentence_ends[k]]
            orphan_from[end] = ends[-1] if ends else -1
    return orphan_from


def _imbalance(top: float, bottom: float, limit: float) -> float:
    """Lines of a cue should be close in length; when not, the bottom one should be longer
    (``two_lines`` computes the same inline: it is the hot path)."""
    cost = IMBALANCE * abs(top - bottom) / limit
    if top > bottom:
        cost += TOP_HEAVY * (top - bottom) / limit
    return cost
