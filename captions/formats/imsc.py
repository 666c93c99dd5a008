"""IMSC 1.1 Text Profile (W3C), as Netflix takes it for every language and requires it for Japanese.

Times are exact ticks of ``ttp:tickRate`` (a frame of 24000/1001 is 1001 ticks at 24000 per second),
with ``ttp:frameRate``/``frameRateMultiplier`` declared; speakers by colour are styles chosen once;
``ttm:agent`` names who speaks. Japanese follows the Netflix Japanese guide and the Japanese IMSC 1.1
Creation Guide: rows centred as a block and left-justified (``tts:textAlign="center"`` with
``ebutts:multiRowAlign="start"``), text at the bottom (``tts:displayAlign="after"``), italics as
``tts:shear="16.67%"``, ruby from ``漢字《かんじ》`` as ``tts:ruby``, and vertical text
(``tts:writingMode="tbrl"``) when the profile asks for it.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from fractions import Fraction

from ..languages import as_pack
from ..languages.base import LanguagePack
from ..model import Track, counted
from .base import Format
from .ttml import (
    EBUTTS,
    TT,
    TTM,
    TTP,
    TTS,
    XML,
    agents_used,
    detect,
    paragraphs,
    q,
    read,
    run_styles,
    serialise,
    style_element,
)

PROFILE = "http://www.w3.org/ns/ttml/profile/imsc1.1/text"


def tick_rate(track: Track) -> int:
    """Ticks per second in which every frame, and every millisecond, is a whole number of ticks.

    >>> from captions.model import Track
    >>> tick_rate(Track("en", [], fps=Fraction(24000, 1001))), tick_rate(Track("en", [], fps=Fraction(25)))
    (24000, 1000)
    """
    return math.lcm(track.fps.numerator, 1000)


def write(track: Track, language: LanguagePack | None = None) -> bytes:
    """The IMSC 1.1 Text document of a track, its italics and rows set as its language's pack says."""
    language = language or as_pack(track.lang)
    ticks = tick_rate(track)
    nominal = math.ceil(track.fps)
    multiplier = track.fps / nominal
    root = ET.Element(q(TT, "tt"), {
        q(XML, "lang"): track.lang, q(TTP, "timeBase"): "media", q(TTP, "tickRate"): str(ticks),
        q(TTP, "frameRate"): str(nominal), q(TTP, "contentProfiles"): PROFILE,
        **({q(TTP, "frameRateMultiplier"): f"{multiplier.numerator} {multiplier.denominator}"} if multiplier != 1 else {}),
    })
    head = ET.SubElement(root, q(TT, "head"))
    agents = _agents(head, agents_used(track))
    styling = ET.SubElement(head, q(TT, "styling"))
    base = {"fontFamily": "proportionalSansSerif", "fontSize": "100%", "color": "#FFFFFF", "textAlign": "center",
            "textOutline": "#000000 5%"}
    style_element(styling, "base", base)  # on <body>: every paragraph inherits it
    run_styles(styling, track, {"shear": "16.67%"} if language.slanted_italics else {"fontStyle": "italic"})
    if language.rows_start_aligned:
        styling.find(q(TT, "style")).set(q(EBUTTS, "multiRowAlign"), "start")  # type: ignore[union-attr]
    _regions(ET.SubElement(head, q(TT, "layout")), track.vertical)
    body = ET.SubElement(root, q(TT, "body"), {"style": "base"})
    div = ET.SubElement(body, q(TT, "div"))

    def time(seconds: Fraction) -> str:
        return f"{counted(seconds, ticks)}t"

    paragraphs(div, track, time, language.ruby)
    for paragraph, cue in zip(div, track.cues):
        names = [agents[speaker] for speaker in dict.fromkeys(cue.speakers) if speaker in agents]
        if names:
            paragraph.set(q(TTM, "agent"), " ".join(names))
    return serialise(root)


def _agents(head: ET.Element, names: list[str]) -> dict[str, str]:
    """A ``ttm:agent`` per speaker in the head; returns name -> its id."""
    if not names:
        return {}
    metadata = ET.SubElement(head, q(TT, "metadata"))
    ids = {}
    for number, name in enumerate(names, start=1):
        ids[name] = f"a{number}"
        agent = ET.SubElement(metadata, q(TTM, "agent"), {q(XML, "id"): ids[name], "type": "character"})
        ET.SubElement(agent, q(TTM, "name"), {"type": "full"}).text = name
    return ids


def _regions(layout: ET.Element, vertical: bool) -> None:
    """Bottom and top areas inside the title-safe 80%; vertical text reads from the right edge."""
    common = {q(TTS, "origin"): "10% 10%", q(TTS, "extent"): "80% 80%"}
    if vertical:
        common[q(TTS, "writingMode")] = "tbrl"
    ET.SubElement(layout, q(TT, "region"), {q(XML, "id"): "bottom", **common,
                                           q(TTS, "displayAlign"): "before" if vertical else "after"})
    ET.SubElement(layout, q(TT, "region"), {q(XML, "id"): "top", **common,
                                           q(TTS, "displayAlign"): "after" if vertical else "before"})


FORMAT = Format("imsc", ("imsc.ttml",), "IMSC 1.1 Text: Netflix (required for Japanese), streaming",
                detect, read_entries=read, write=write, typeset=True)
