"""Segmentation: speaker segments -> cue drafts (text lines, not yet timed).

Each segment is split into sentences (pysbd) and tokens (words, or BudouX phrases for Japanese
and Chinese); :func:`captions.linebreak.plan_cues` chooses cues and lines; then short adjacent
turns of two speakers may share a dialog cue, and speaker labels or dashes are added.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import linebreak
from .context import LanguageContext
from .languages.base import CLAUSE_MARK
from .model import NARRATOR, Profile, Segment, Source
from .text import Token, display_width
from .timemap import TimeMap

SPEAKER_MODES = ("none", "dash", "label", "colour")
LABEL_SPLIT = 30  # breaking inside a speaker label: a last resort, never across cues if avoidable
DIALOG_MAX_GAP = 1.0  # seconds between two turns that may still share a dialog cue


@dataclass
class CueDraft:
    """A cue before timing: its lines, who speaks each, and the source characters it covers."""

    parts: list[Source]  # the source characters of the text it shows
    lines: list[str]
    speakers: list[str]
    sentence_end: bool  # the cue ends a sentence (safe to pair with another speaker's turn)

    def width(self, mode: str) -> float:
        return max(display_width(line, mode) for line in self.lines)


def tokenize(text: str, language: LanguageContext) -> list[Token]:
    """The language's tokens of a segment, with sentence ends marked."""
    ends = {len(text[:end].rstrip()) for _, end in language.pack.sentence_spans(text)}
    return [Token(t.text, t.start, t.end, t.space_after, t.end in ends)
            for t in language.pack.tokens(text, language.style)]


INSIDE_LABEL = 1000.0  # a sound label ([door slams]) is broken only when it cannot fit a line


def break_costs(tokens: list[Token], language: LanguageContext) -> list[float]:
    """The language's cost of a break after each token, and a sound label kept whole.

    >>> from captions.context import resolved
    >>> from captions.profiles import get_profile
    >>> english = resolved(get_profile("netflix", "en"))
    >>> [cost >= INSIDE_LABEL for cost in break_costs(tokenize("So [door slams] now", english), english)]
    [False, True, False, False]
    """
    costs = language.pack.break_costs([token.text for token in tokens], [token.sentence_end for token in tokens])
    depth = 0
    for index, token in enumerate(tokens):
        depth = max(0, depth + token.text.count("[") - token.text.count("]"))
        if depth and index < len(tokens) - 1:
            costs[index] += INSIDE_LABEL
    return costs


def label_for(segment: Segment, language: LanguageContext, first_time: bool) -> str:
    """The speaker label shown on the first cue after a change of speaker (with the title, once)."""
    title = segment.title if first_time else ""
    return language.pack.speaker_label(segment.speaker, title, language.style.label_format)


def segment_cues(segments: list[Segment], language: LanguageContext) -> list[CueDraft]:
    """Cue drafts for all segments, in order, speakers shown in the language's style."""
    speakers = language.speakers
    drafts: list[CueDraft] = []
    previous_speaker, named = None, set()
    for index, segment in enumerate(segments):
        tokens = tokenize(segment.text, language)
        if not tokens:
            continue
        label = ""
        if speakers == "label" and segment.speaker != previous_speaker and segment.speaker != NARRATOR:
            label = label_for(segment, language, segment.speaker not in named)
            named.add(segment.speaker)
        previous_speaker = segment.speaker
        drafts.extend(_segment_drafts(index, segment, tokens, language, label))
    if speakers in ("dash", "colour"):
        drafts = pair_dialog(drafts, segments, language.style, dash=speakers == "dash")
    return drafts


def _segment_drafts(index: int, segment: Segment, tokens: list[Token], language: LanguageContext,
                    label: str) -> list[CueDraft]:
    label_tokens = [Token(t.text, -1, -1, t.space_after) for t in tokenize(label, language)] if label else []
    all_tokens = label_tokens + tokens
    costs = break_costs(all_tokens, language)
    if label_tokens:
        for inside in range(len(label_tokens) - 1):
            costs[inside] = max(costs[inside], LABEL_SPLIT)
        costs[len(label_tokens) - 1] = CLAUSE_MARK  # after the label is a natural break
    durations = pauses = None
    if segment.timed:
        times = TimeMap(segment.anchors)
        spans = [(times.at(token.start), times.at(token.end)) for token in tokens]
        spans = [spans[0]] * len(label_tokens) + spans
        durations = [end - start for start, end in spans]
        pauses = [spans[k + 1][0] - spans[k][1] for k in range(len(spans) - 1)] + [0.0]
    layout = linebreak.prepare(all_tokens, language)
    plan = linebreak.plan_cues(layout, costs, [t.sentence_end for t in all_tokens], language, durations, pauses,
                               lead=len(label_tokens))
    drafts = []
    for starts in plan:
        first, last = starts[0], starts[-1]
        lines = [layout.line(a, b) for a, b in zip(starts, starts[1:])]
        source = [t for t in all_tokens[first:last] if t.start >= 0] or [tokens[0]]
        drafts.append(CueDraft([Source(index, source[0].start, source[-1].end)], lines, [segment.speaker] * len(lines),
                               all_tokens[last - 1].sentence_end))
    return drafts


def pair_dialog(drafts: list[CueDraft], segments: list[Segment], profile: Profile, dash: bool) -> list[CueDraft]:
    """Join a one-line turn that ends one speaker's segment with the next speaker's one-line turn.

    Style guides allow two speakers in one cue only like this: one full sentence each, one line
    each, marked by a leading dash (or, where colour shows speakers, by colour). A headline is no
    one's turn: it is never paired.
    """
    prefix = profile.dialog_dash if dash else ""
    room = profile.max_chars_per_line - display_width(prefix, profile.width_mode)
    paired: list[CueDraft] = []
    for draft in drafts:
        previous = paired[-1] if paired else None
        if (
            previous is not None
            and len(previous.lines) == 1 and len(draft.lines) == 1
            and len(previous.parts) == 1
            and previous.speakers[0] != draft.speakers[0]
            and previous.sentence_end and draft.sentence_end
            and previous.width(profile.width_mode) <= room and draft.width(profile.width_mode) <= room
            and _close_in_time(segments, previous.parts[-1], draft.parts[0])
            and "headline" not in (segments[previous.parts[0][0]].kind, segments[draft.parts[0][0]].kind)
        ):
            paired[-1] = CueDraft(previous.parts + draft.parts, [prefix + previous.lines[0], prefix + draft.lines[0]],
                                  previous.speakers + draft.speakers, True)
            continue
        paired.append(draft)
    return paired


def _close_in_time(segments: list[Segment], before: tuple[int, int, int], after: tuple[int, int, int]) -> bool:
    first, second = segments[before[0]], segments[after[0]]
    if not (first.timed and second.timed):
        return True
    return TimeMap(second.anchors).at(after[1]) - TimeMap(first.anchors).at(before[2]) <= DIALOG_MAX_GAP
