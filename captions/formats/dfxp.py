"""DFXP (TTML1, W3C Timed Text Markup Language 1), for the platforms that still ask for it: plain
TTML1 with no IMSC or EBU profile, times as ``hh:mm:ss.mmm`` at the frame's nearest millisecond,
italics as ``tts:fontStyle``, speakers' colours as styles, regions at the bottom and the top.
Read by the same TTML reader as every TTML document."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

from ..model import Track
from .base import Format
from .ebutt import clock
from .ttml import TT, TTP, XML, bottom_and_top, detect, paragraphs, q, read, run_styles, serialise, style_element


def write(track: Track) -> bytes:
    """The TTML1 (DFXP) document of a track."""
    nominal = math.ceil(track.fps)
    multiplier = track.fps / nominal
    root = ET.Element(q(TT, "tt"), {
        q(XML, "lang"): track.lang, q(TTP, "timeBase"): "media", q(TTP, "frameRate"): str(nominal),
        **({q(TTP, "frameRateMultiplier"): f"{multiplier.numerator} {multiplier.denominator}"} if multiplier != 1 else {}),
    })
    head = ET.SubElement(root, q(TT, "head"))
    styling = ET.SubElement(head, q(TT, "styling"))
    style_element(styling, "base", {"fontFamily": "proportionalSansSerif", "fontSize": "100%", "textAlign": "center",
                                    "color": "#FFFFFF", "backgroundColor": "transparent"})
    run_styles(styling, track, {"fontStyle": "italic"})
    bottom_and_top(head)
    div = ET.SubElement(ET.SubElement(root, q(TT, "body"), {"style": "base"}), q(TT, "div"))
    paragraphs(div, track, clock, ruby=False)
    return serialise(root)


FORMAT = Format("dfxp", ("dfxp",), "DFXP (TTML1): platforms that still ask for it", detect, read_entries=read,
                write=write)
