"""Untimed broadcast scripts: a headline, narration paragraphs and sound bites.

Understands the conventions editors use for who speaks:

- ``S/ Name, Title: text`` (a sound bite; the title may hold commas or be missing)
- ``NAME: text`` (an upper-case name)
- ``>> text`` or ``>> NAME: text`` (a speaker change, as in US closed captions)
- ``[Name] text``

Any other line is narration.
"""

from __future__ import annotations

import re

from ..errors import InputError
from ..languages.base import LanguagePack
from ..model import NARRATOR, Segment
from .base import Format

_SOUNDBITE = re.compile(r"^S\s*/\s*(?P<head>[^:：]+)[:：]\s*(?P<text>.*)$")
_UPPER_NAME = re.compile(r"^(?P<name>[A-Z][A-Z .'\-]{0,38}[A-Z.])\s*:\s+(?P<text>.+)$")
_CHEVRONS = re.compile(r"^>>\s*(?P<text>.*)$")
_BRACKET = re.compile(r"^\[(?P<name>[^\]]{1,60})\]\s*(?P<text>.+)$")
# A voice-over or off-screen speaker, as screenplays mark the name: "S/ Ann Lee (V.O.), Mayor: ..."
_OFFSCREEN = re.compile(r"\s*\((?:V\.?\s?O\.?|O\.?\s?S\.?|O\.?\s?C\.?|off(?:[- ]screen)?|voice[- ]over)\)\s*", re.I)
_FORCED = re.compile(r"^F/\s*(?P<text>.*)$")  # a forced narrative line: on-screen text, foreign dialogue
_NAME_COMMA = re.compile(r"[,，、]")
_SPACES = re.compile(r"\s+")


def read_script(text: str, path: str = "", headline: str = "caption") -> list[Segment]:
    """Segments of a broadcast script, one per non-empty line.

    >>> [(s.speaker, s.title, s.text) for s in read_script("Title\\nS/ Joe Biden, US President: Hi.")]
    [('Narrator', '', 'Title'), ('Joe Biden', 'US President', 'Hi.')]
    """
    segments: list[Segment] = []
    anonymous = 0
    seen_headline = False
    for number, raw in enumerate(text.split("\n"), start=1):
        line = _SPACES.sub(" ", raw).strip()
        if not line:
            continue
        speaker, title, kind, body = NARRATOR, "", "narration", line
        offscreen = False
        if match := _FORCED.match(line):
            kind, body = "forced", match["text"].strip()
        elif match := _SOUNDBITE.match(line):
            head, marks = _OFFSCREEN.subn(" ", match["head"])
            offscreen = marks > 0
            speaker, title = _split_head(head)
            kind, body = "soundbite", match["text"].strip()
            if not speaker:
                raise InputError("sound bite without a speaker name", path, number)
        elif match := _CHEVRONS.match(line):
            body = match["text"].strip()
            if named := _UPPER_NAME.match(body):
                speaker, body = named["name"].title(), named["text"]
            else:
                anonymous += 1
                speaker = f"Speaker {anonymous}"
            kind = "soundbite"
        elif match := _UPPER_NAME.match(line):
            speaker, kind, body = match["name"].title(), "soundbite", match["text"]
        elif match := _BRACKET.match(line):
            speaker, kind, body = match["name"].strip(), "soundbite", match["text"]
        elif not seen_headline and not segments:
            kind = "headline"
        seen_headline = True
        if not body:
            raise InputError("speaker line without any text", path, number)
        if kind == "headline" and headline == "skip":
            continue
        body, ruby = split_ruby(body)
        segments.append(Segment(body, speaker, title, kind, number, paragraph=len(segments), ruby=ruby,
                                offscreen=offscreen))
    return segments


# Readings as Japanese scripts mark them: 漢字《かんじ》, the base being the kanji just before (or the
# text after a ｜ when the base is not all kanji: ｜東京駅《とうきょうえき》), as Aozora Bunko and
# Japanese subtitle scripts write it.
_RUBY = re.compile(r"(?:[｜|](?P<marked>[^｜|《》]{1,20})|(?P<kanji>[\u3400-\u9fff\uf900-\ufaff々〆ヶ]{1,20}))"
                   r"《(?P<reading>[^《》]{1,40})》")


def split_ruby(text: str) -> tuple[str, tuple[tuple[int, int, str], ...]]:
    """The text without reading marks, and (start, end, reading) of each base in it.

    >>> split_ruby("今日は岸田《きしだ》首相が｜東京駅《とうきょうえき》へ")
    ('今日は岸田首相が東京駅へ', ((3, 5, 'きしだ'), (8, 11, 'とうきょうえき')))
    """
    if "《" not in text:
        return text, ()
    plain, found, at = [], [], 0
    for match in _RUBY.finditer(text):
        plain.append(text[at:match.start()])
        base = match["marked"] or match["kanji"]
        start = sum(len(piece) for piece in plain)
        plain.append(base)
        found.append((start, start + len(base), match["reading"]))
        at = match.end()
    plain.append(text[at:])
    return "".join(plain), tuple(found)


def _split_head(head: str) -> tuple[str, str]:
    """``Name, Title, with, commas`` -> (name, title): the title is all after the first comma."""
    comma = _NAME_COMMA.search(head)
    if not comma:
        return head.strip(), ""
    return head[: comma.start()].strip(), head[comma.end() :].strip()


def read(text: str, path: str, language: LanguagePack, headline: str) -> list[Segment]:
    return read_script(text, path, headline)


FORMAT = Format("script", ("txt",), "Broadcast script: headline, narration, S/ sound bites (input only)",
                read_transcript=read)
