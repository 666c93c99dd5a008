"""EBU-TT-D (EBU Tech 3380), the subtitle format BBC and other EBU broadcasters take for online delivery.

Written inside the constraints of the EBU's EBU-TT-D XML Schema: media time base, times as
``hh:mm:ss.mmm`` (the only form it allows, so each time is the millisecond nearest the frame),
``ttp:cellResolution``, regions and styles in the head, speakers by colour (BBC: yellow, cyan,
green) on a black box, and the standard it conforms to in the document metadata.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from fractions import Fraction

from ..model import Track, counted
from .base import Format
from .ttml import (
    EBUTTM,
    EBUTTS,
    TT,
    TTP,
    XML,
    bottom_and_top,
    detect,
    paragraphs,
    q,
    read,
    run_styles,
    serialise,
    style_element,
)

CONFORMS_TO = "urn:ebu:tt:distribution:2014-01"  # Tech 3380 v1.0, the schema's version


def clock(seconds: Fraction) -> str:
    """``hh:mm:ss.mmm``, the millisecond nearest the time.

    >>> clock(Fraction(1001, 24000) * 37)
    '00:00:01.543'
    """
    millis = counted(seconds, 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    return f"{hours:02d}:{minutes:02d}:{millis // 1000:02d}.{millis % 1000:03d}"


def write(track: Track) -> bytes:
    """The EBU-TT-D document of a track."""
    root = ET.Element(q(TT, "tt"), {q(XML, "lang"): track.lang, q(TTP, "timeBase"): "media",
                                     q(TTP, "cellResolution"): "32 15"})
    head = ET.SubElement(root, q(TT, "head"))
    metadata = ET.SubElement(ET.SubElement(head, q(TT, "metadata")), q(EBUTTM, "documentMetadata"))
    ET.SubElement(metadata, q(EBUTTM, "conformsToStandard")).text = CONFORMS_TO
    nominal = math.ceil(track.fps)
    ET.SubElement(metadata, q(EBUTTM, "authoredFrameRate")).text = str(nominal)
    if track.fps != nominal:
        multiplier = track.fps / nominal
        ET.SubElement(metadata, q(EBUTTM, "authoredFrameRateMultiplier")).text = \
            f"{multiplier.numerator} {multiplier.denominator}"
    styling = ET.SubElement(head, q(TT, "styling"))
    # On <body>, inherited by every paragraph; the black box is the spans' own (a background does not inherit).
    style_element(styling, "base", {"fontFamily": "proportionalSansSerif", "fontSize": "100%", "lineHeight": "normal",
                                    "textAlign": "center", "color": "#FFFFFF"})
    styling[-1].set(q(EBUTTS, "linePadding"), "0.5c")
    style_element(styling, "text", {"backgroundColor": "#000000"})
    run_styles(styling, track, {"fontStyle": "italic"})
    bottom_and_top(head)
    div = ET.SubElement(ET.SubElement(root, q(TT, "body"), {"style": "base"}), q(TT, "div"))
    paragraphs(div, track, clock, ruby=False, span_style="text")
    return serialise(root)


FORMAT = Format("ebu-tt-d", ("ebu-tt-d.xml",), "EBU-TT-D (EBU Tech 3380): BBC and EBU broadcasters online",
                detect, read_entries=read, write=write)
