"""Sound in captions: descriptions (``[door slams]``, a line ``(applause)``), lyrics (``♪ ... ♪``)
and forced narratives, as transcripts hold them.

Reading marks them once (:func:`mark`); each language's profile then renders them (:func:`render`):
SDH profiles keep every label in the guide's style (Netflix: ``[door slams]`` in brackets, lyrics
between ``♪``; BBC: ``DOOR SLAMS`` in capitals, lyrics between ``#``), subtitle profiles drop every
label and keep lyrics as plain speech. Inline parentheses are never taken for sound: scripts use
them for editorial insertions ("deepen it (the alliance) more"); a whole line in parentheses is
sound only by its form: upper case (``(APPLAUSE)``) or a sound word (``(laughs)``); else it is words.
Texts are edited with their time anchors and readings moved along, so timed input keeps its times.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .model import Cue, Profile, Segment
from .timemap import TimeMap

SOUND, LYRICS, FORCED = "sound", "lyrics", "forced"
_WHOLE = re.compile(r"^\s*(?:\[(?P<bracket>[^\[\]]{1,80})\]|\((?P<paren>[^()]{1,80})\))\s*$")
_INLINE = re.compile(r"\s*\[(?P<label>[^\[\]\n]{1,60})\]\s*")
_NOTES = re.compile(r"^\s*[♪♫#]+\s*(?P<text>.*?)\s*[♪♫#]*\s*$")
# Words that open or close a sound description in parentheses, as guides and recognisers write them.
SOUND_WORDS = frozenset("""applause laughter laughs laughing laugh chuckles chuckling giggles giggling music cheering
cheers cheer sighs sighing gasps gasping coughs coughing crying cries sobbing sobs screams screaming shouting yelling
silence inaudible indistinct crosstalk unintelligible thunder gunshot gunshots gunfire explosion explosions door
doorbell knock knocking knocks footsteps phone ringing rings ring beep beeping beeps static siren sirens bell bells
whispers whispering whistle whistling groans groaning grunts panting breathing sniffs sniffling clapping claps
booing boos murmuring chatter engine horn honking barking barks dog birds wind rain music: singing sings hums
humming playing plays speaking speaks""".split())


def is_sound_label(label: str, bracketed: bool) -> bool:
    """Whether a whole line's label is a sound description: anything in brackets; in parentheses,
    upper case or opening or closing on a sound word (else it is speech, an editor's insertion).

    >>> is_sound_label("the alliance", False), is_sound_label("APPLAUSE", False), is_sound_label("door slams", False)
    (False, True, True)
    """
    if bracketed:
        return True
    letters = [char for char in label if char.isalpha()]
    if len(letters) > 1 and label.upper() == label and label.lower() != label:
        return True
    words = re.findall(r"[\w:]+", label.lower())
    return bool(words) and (words[0] in SOUND_WORDS or words[-1] in SOUND_WORDS)


def mark(segments: list[Segment]) -> list[Segment]:
    """Whole-segment sound descriptions and lyrics found and marked by kind, their marks taken off.

    >>> [(s.kind, s.text) for s in mark([Segment("[MUSIC]"), Segment("♪ Oh my love ♪"), Segment("(the alliance)")])]
    [('sound', 'MUSIC'), ('lyrics', 'Oh my love'), ('narration', '(the alliance)')]
    """
    marked = []
    for segment in [part for whole in segments for part in _apart(whole)]:
        if segment.kind in (SOUND, LYRICS):
            marked.append(segment)
        elif (whole := _WHOLE.match(segment.text)) and is_sound_label(whole["bracket"] or whole["paren"],
                                                                       bool(whole["bracket"])):
            label = whole["bracket"] or whole["paren"]
            start = segment.text.index(label)
            marked.append(_edit(replace(segment, kind=SOUND), [(0, start, ""), (start + len(label), len(segment.text), "")]))
        elif segment.text.lstrip()[:1] in ("♪", "♫"):
            notes = _NOTES.match(segment.text)
            assert notes is not None
            start = notes.start("text")
            marked.append(_edit(replace(segment, kind=LYRICS),
                                [(0, start, ""), (notes.end("text"), len(segment.text), "")]))
        else:
            marked.append(segment)
    return marked


_LEADING = re.compile(r"^\s*\[[^\[\]\n]{1,80}\]\s*")
_TRAILING = re.compile(r"\s*\[[^\[\]\n]{1,80}\]\s*$")


def _apart(segment: Segment) -> list[Segment]:
    """A label that opens or closes a segment with speech (a ``[Music]`` caption the reader joined
    to the next one) split off as its own segment, each part keeping its times.

    >>> [s.text for s in _apart(Segment("[Music] Well, hi. [door slams]"))]
    ['[Music]', 'Well, hi.', '[door slams]']
    """
    text = segment.text
    lead, trail = _LEADING.match(text), _TRAILING.search(text)
    cuts = sorted({0, len(text)} | ({lead.end()} if lead else set()) | ({trail.start()} if trail else set()))
    speech = text[lead.end() if lead else 0:trail.start() if trail else len(text)]
    if len(cuts) == 2 or not speech.strip():
        return [segment]
    times = TimeMap(segment.anchors) if segment.anchors else None
    parts = []
    for first, last in zip(cuts, cuts[1:]):
        piece = text[first:last]
        begin = first + len(piece) - len(piece.lstrip())
        piece = piece.strip()
        anchors: tuple[tuple[int, float], ...] = ()
        if times is not None:
            inside = [(offset - begin, time) for offset, time in segment.anchors if begin < offset < begin + len(piece)]
            anchors = ((0, times.at(begin)), *inside, (len(piece), times.at(begin + len(piece))))
        parts.append(replace(segment, text=piece, anchors=anchors, ruby=()))
    return parts


def render(segments: list[Segment], profile: Profile, left_out: list[str] | None = None) -> list[Segment]:
    """The segments as the profile shows sound: every label in its style (SDH), or none (subtitles);
    each label a subtitle track drops goes into ``left_out``, so no text disappears unsaid.

    >>> from captions.profiles import get_profile
    >>> sdh = get_profile("netflix-sdh", "en")
    >>> [s.text for s in render(mark([Segment("[MUSIC]"), Segment("Hi [laughs] there.")]), sdh)]
    ['[music]', 'Hi [laughs] there.']
    >>> [s.text for s in render(mark([Segment("[MUSIC]"), Segment("Hi [laughs] there.")]), get_profile("netflix", "en"))]
    ['Hi there.']
    """
    shown = []
    for segment in segments:
        if segment.kind == SOUND:
            if profile.sdh:
                shown.append(_edit(segment, [(0, len(segment.text), label_text(segment.text, profile))]))
            elif left_out is not None:
                left_out.append(f"[{segment.text}]")
            continue
        if segment.kind == LYRICS and profile.sdh:
            mark_ = profile.music_mark
            segment = _edit(segment, [(0, 0, f"{mark_} "), (len(segment.text), len(segment.text), f" {mark_}")])
        edits = []
        for found in _INLINE.finditer(segment.text):
            inside = found.start() > 0 and found.end() < len(segment.text)
            if profile.sdh:
                spaced = f"{' ' if found.start() else ''}{label_text(found['label'], profile)}" \
                         f"{' ' if found.end() < len(segment.text) else ''}"
                edits.append((found.start(), found.end(), spaced))
            else:
                edits.append((found.start(), found.end(), " " if inside else ""))
                if left_out is not None:
                    left_out.append(f"[{found['label']}]")
        if edits:
            segment = _edit(segment, edits)
        if segment.text.strip():
            shown.append(segment)
    return shown


def label_text(label: str, profile: Profile) -> str:
    """A sound label in the profile's style.

    >>> from captions.profiles import get_profile
    >>> label_text("Door slams", get_profile("bbc-sdh", "en")), label_text("Music", get_profile("netflix-sdh", "en"))
    ('DOOR SLAMS', '[music]')
    """
    label = " ".join(label.split())
    if profile.sound_style == "capitals":
        return label.upper()
    # Lower case, as Netflix writes sound; a label of several words in mixed case may hold a name.
    return f"[{label.lower() if label.isupper() or ' ' not in label else label}]"


def labels_in(text: str) -> list[str]:
    """The inline sound labels of a text as written (``[laughs]``), which translation keeps as they are.

    >>> labels_in("Hi [laughs] there [door slams].")
    ['[laughs]', '[door slams]']
    """
    return [found.group(0).strip() for found in _INLINE.finditer(text)]


def spoken(segments: list[Segment]) -> list[Segment]:
    """What the aligner can find in the audio: every segment but sound descriptions."""
    return [segment for segment in segments if segment.kind != SOUND]


def place_sounds(segments: list[Segment], aligned: list[Segment], quiet: float = 1.0) -> list[Segment]:
    """The aligned speech with the sound descriptions back in their places, each shown from the end
    of the speech before it until the speech after it starts (at least ``quiet`` seconds).

    >>> speech = [Segment("Hi.", anchors=((0, 1.0), (3, 2.0))), Segment("Bye.", anchors=((0, 5.0), (4, 6.0)))]
    >>> [s.anchors for s in place_sounds([Segment("Hi."), Segment("music", kind=SOUND), Segment("Bye.")], speech)]
    [((0, 1.0), (3, 2.0)), ((0, 2.0), (5, 5.0)), ((0, 5.0), (4, 6.0))]
    """
    placed: list[Segment] = []
    speech = iter(aligned)
    pending: list[Segment] = []
    for segment in segments:
        if segment.kind == SOUND:
            pending.append(segment)
            continue
        current = next(speech)
        placed += _between(pending, placed[-1].anchors[-1][1] if placed else 0.0, current.anchors[0][1], quiet)
        pending = []
        placed.append(current)
    end = placed[-1].anchors[-1][1] if placed else 0.0
    return placed + _between(pending, end, end + quiet * len(pending), quiet)


def _between(sounds: list[Segment], start: float, end: float, quiet: float) -> list[Segment]:
    if not sounds:
        return []
    step = max(end - start, quiet * len(sounds)) / len(sounds)
    return [replace(sound, anchors=((0, start + index * step), (len(sound.text), start + (index + 1) * step)))
            for index, sound in enumerate(sounds)]


def forced_cues(cues: list[Cue], segments: list[Segment]) -> tuple[int, ...]:
    """The cues of the forced narrative: those showing only what the transcript marks forced."""
    return tuple(index for index, cue in enumerate(cues)
                 if cue.sources and all(segments[source[0]].kind == FORCED for source in cue.sources))


def _edit(segment: Segment, edits: list[tuple[int, int, str]]) -> Segment:
    """The segment with text ranges replaced (ranges apart, left to right), its anchors and
    readings moved along; an offset inside a replaced range goes to that range's new start.

    >>> edited = _edit(Segment("ab[x]cd", anchors=((0, 0.0), (3, 1.0), (7, 2.0))), [(2, 5, "")])
    >>> edited.text, edited.anchors
    ('abcd', ((0, 0.0), (2, 1.0), (4, 2.0)))
    """
    text, pieces, last = segment.text, [], 0
    for start, end, new in sorted(edits):
        pieces += [text[last:start], new]
        last = end
    pieces.append(text[last:])

    def moved(offset: int) -> int:
        shift = 0
        for start, end, new in sorted(edits):
            if start < offset < end:
                return start + shift
            if offset >= end:
                shift += len(new) - (end - start)
        return offset + shift

    anchors = tuple((moved(offset), time) for offset, time in segment.anchors)
    ruby = tuple((moved(first), moved(end), reading) for first, end, reading in segment.ruby if moved(end) > moved(first))
    return replace(segment, text="".join(pieces), anchors=anchors, ruby=ruby)
