"""TTML, the family IMSC and EBU-TT-D belong to: any TTML1/DFXP/IMSC/EBU-TT-D file read into cues,
and the document builder both deliverable writers share.

Reading is safe against hostile XML: defusedxml refuses DTDs, entities and external references,
so no entity bomb expands and nothing is fetched; any fault is one line naming the file.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from ..errors import InputError
from ..model import COLOURS, NARRATOR, Cue, Span, Track, colour_name, styled_rows
from .base import Format
from .timed import MAX_SECONDS, Entry, alignment, note

TT = "http://www.w3.org/ns/ttml"
TTS = "http://www.w3.org/ns/ttml#styling"
TTP = "http://www.w3.org/ns/ttml#parameter"
TTM = "http://www.w3.org/ns/ttml#metadata"
XML = "http://www.w3.org/XML/1998/namespace"
EBUTTS = "urn:ebu:tt:style"
EBUTTM = "urn:ebu:tt:metadata"
ITTP = "http://www.w3.org/ns/ttml/profile/imsc1#parameter"
NAMESPACES = {"tt": TT, "tts": TTS, "ttp": TTP, "ttm": TTM, "ebutts": EBUTTS, "ebuttm": EBUTTM, "ittp": ITTP}
for _prefix, _uri in NAMESPACES.items():
    ET.register_namespace("" if _uri == TT else _prefix, _uri)  # TTML's own elements unprefixed, as usual


_DFXP = re.compile(r"http://www\.w3\.org/2006/(?:04|10)/ttaf1")


def detect(head: str) -> bool:
    return head.startswith("<") and (TT in head[:2000] or bool(_DFXP.search(head[:2000])))


# ---------------------------------------------------------------------------------------------- reading

_CLOCK = re.compile(r"^(\d{2,}):(\d{2}):(\d{2})(?:(\.\d+)|:(\d{2,})(?:\.(\d+))?)?$")
_OFFSET = re.compile(r"^(\d+(?:\.\d+)?)(h|ms|m|s|f|t)$")
MAX_TIME_CHARS = 40  # "100:00:00:00.000" and "360000000000000t" are far shorter


@dataclass(frozen=True)
class _Clock:
    """The document's time parameters: frame rate (with multiplier and sub-frames) and tick rate."""

    frame_rate: Fraction
    sub_frames: int
    tick_rate: Fraction

    def seconds(self, text: str, where: str, path: str) -> Fraction:
        """A TTML time expression in seconds: clock time (with frames) or an offset (h, m, s, ms, f, t).

        >>> _Clock(Fraction(30000, 1001), 1, Fraction(10_000_000)).seconds("00:00:01:15", "p", "")
        Fraction(3001, 2000)
        """
        value = text.strip()
        if len(value) > MAX_TIME_CHARS:  # bounded before any number is made of it
            raise InputError(f"{where}: time expression of {len(value)} characters (at most {MAX_TIME_CHARS}): "
                             f"{value[:20]!r}...", path)
        seconds = self._seconds(value, where, path)
        if seconds > MAX_SECONDS:
            raise InputError(f"{where}: time {value!r} is over {MAX_SECONDS // 3600} hours", path)
        return seconds

    def _seconds(self, value: str, where: str, path: str) -> Fraction:
        if match := _CLOCK.match(value):
            hours, minutes, secs, fraction, frames, sub = match.groups()
            seconds = Fraction(int(hours) * 3600 + int(minutes) * 60 + int(secs))
            if fraction:
                seconds += Fraction(fraction)
            if frames:
                seconds += (Fraction(int(frames)) + (Fraction(int(sub), self.sub_frames) if sub else 0)) / self.frame_rate
            return seconds
        if match := _OFFSET.match(value):
            number, metric = Fraction(match[1]), match[2]
            scale = {"h": Fraction(3600), "m": Fraction(60), "s": Fraction(1), "ms": Fraction(1, 1000),
                     "f": 1 / self.frame_rate, "t": 1 / self.tick_rate}[metric]
            return number * scale
        raise InputError(f"{where}: cannot read time expression {value[:30]!r}", path)


def read(text: str, path: str = "") -> list[Entry]:
    """The cues of a TTML document: one per ``<p>``, times in every TTML form, ``<br/>`` as line
    breaks, italics, the region's place (top or bottom) and the ``ttm:agent`` speaking.

    >>> doc = ('<tt xmlns="http://www.w3.org/ns/ttml" xmlns:tts="http://www.w3.org/ns/ttml#styling">'
    ...        '<body><div><p begin="1.5s" end="00:00:03.000">Hello,<br/><span tts:fontStyle="italic">you</span>'
    ...        '</p></div></body></tt>')
    >>> [(e.start, e.end, e.lines, [[s.italic for s in line] for line in e.styled]) for e in read(doc)]
    [(Fraction(3, 2), Fraction(3, 1), ('Hello,', 'you'), [[False], [True]])]
    """
    entries: list[Entry] = []
    context: dict[str, Any] = {}
    stack: list[_Frame] = []
    untimed: list[tuple[ET.Element, _Frame, int]] = []  # shown to the document's last time, known at its end
    last: Fraction | None = None
    number = 0
    try:
        for event, element in _events(text, path):
            if event == "start":
                if not context:  # the root
                    if element.tag != f"{{{TT}}}tt":
                        raise InputError("not a TTML document (the root element is not tt:tt)", path)
                    context.update(root=element, clock=_clock(element, path))
                elif element.tag in (f"{{{TT}}}body", f"{{{TT}}}div", f"{{{TT}}}p") and \
                        (stack or element.tag == f"{{{TT}}}body"):
                    if "styles" not in context:  # no head, or the body before it
                        _read_head(context)
                    stack.append(_frame(element, stack[-1] if stack else None, context["clock"], path))
                continue
            if element.tag == f"{{{TT}}}head" and "styles" not in context:
                _read_head(context)
            if not stack or stack[-1].element is not element:
                continue
            frame = stack.pop()
            if element.tag == f"{{{TT}}}p" and frame.interval is not None:
                number += 1
                begin, end = frame.interval
                last = max(time for time in (last, begin, end) if time is not None)
                if end is None:
                    untimed.append((element, frame, number))
                    continue
                entries += _entries(element, begin, end, None, frame.region, number, context["clock"],
                                    context["styles"], context["regions"], context["agents"], path)
            if stack:  # done with: its memory goes (a file of a million paragraphs is never held whole)
                stack[-1].element.remove(element)
        for element, frame, at in untimed:
            entries += _entries(element, frame.interval[0], None, last, frame.region, at,  # type: ignore[index]
                                context["clock"], context["styles"], context["regions"], context["agents"], path)
    except RecursionError:
        raise InputError("TTML is nested too deeply", path) from None
    if not context:
        raise InputError("not a TTML document (no root element)", path)
    entries.sort(key=lambda entry: (entry.start, entry.line))
    return entries


def _read_head(context: dict[str, Any]) -> None:
    """Styles, regions and agents from the document's head, read once it has been parsed."""
    root = context["root"]
    context["styles"] = _styles(root)
    context["regions"] = _regions(root, context["styles"])
    context["agents"] = _agents(root)


@dataclass
class _Frame:
    """A ``body``, ``div`` or ``p`` being read: its active interval (None: never shown), the region it
    inherits, where its next child's time counts from, and whether it is a ``seq`` container."""

    element: ET.Element
    interval: Interval | None
    region: str
    start: Fraction
    sequential: bool


def _frame(element: ET.Element, parent: _Frame | None, clock: _Clock, path: str) -> _Frame:
    """An element's frame, its interval per TTML2 section 12 inside its parent's: in a ``seq``
    container it counts from the end of the sibling before, and without a duration of its own it
    lasts no time there."""
    region = element.get("region", parent.region if parent else "")
    sequential = element.get("timeContainer") == "seq"
    if parent is None:
        interval = active(element, clock, (Fraction(0), None), Fraction(0), path)
    elif parent.interval is None or (parent.sequential and element.get("end") is None and element.get("dur") is None):
        interval = None
    else:
        interval = active(element, clock, parent.interval, parent.start, path)
        if parent.sequential and interval and interval[1] is not None:
            parent.start = interval[1]
    return _Frame(element, interval, region, interval[0] if interval else Fraction(0), sequential)


def _events(text: str, path: str) -> Iterator[tuple[str, ET.Element]]:
    """The document's start and end events, parsed as they come (DTDs and entities refused)."""
    import io

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text.lstrip("\ufeff"))  # already decoded: drop the declared encoding
    text = _DFXP.sub(TT, text)  # DFXP drafts' namespaces are TTML's (with #styling, #parameter, #metadata)
    try:
        yield from iterparse(io.BytesIO(text.encode("utf-8")), events=("start", "end"), forbid_dtd=True)
    except DefusedXmlException as err:
        raise InputError(f"unsafe XML refused ({type(err).__name__}: DTDs and entities are not allowed)", path) from None
    except ET.ParseError as err:
        line = err.position[0] if hasattr(err, "position") else None
        raise InputError(f"not well-formed XML: {err.msg if hasattr(err, 'msg') else err}", path, line) from None
    except RecursionError:
        raise InputError("XML is nested too deeply", path) from None


def _clock(root: ET.Element, path: str) -> _Clock:
    def number(name: str, default: str, kind: type = int) -> Fraction:
        value = root.get(f"{{{TTP}}}{name}", default).strip()
        try:
            parsed = Fraction(kind(value))
        except (ValueError, OverflowError):
            raise InputError(f"ttp:{name} {value[:20]!r} is not a number", path) from None
        if not 0 < parsed <= 10**9:
            raise InputError(f"ttp:{name} {value[:20]!r} is out of range", path)
        return parsed

    rate = number("frameRate", "30")
    # "1000 1001" as TTML writes it; "1000:1001" as some tools do.
    multiplier = root.get(f"{{{TTP}}}frameRateMultiplier", "1 1").replace(":", " ").split()
    if len(multiplier) != 2 or not all(part.isdigit() and 0 < int(part) < 10**6 for part in multiplier):
        raise InputError(f"ttp:frameRateMultiplier {' '.join(multiplier)[:20]!r} is not two numbers", path)
    rate *= Fraction(int(multiplier[0]), int(multiplier[1]))
    ticks = number("tickRate", "1" if root.get(f"{{{TTP}}}frameRate") is None else str(float(rate)), float)
    return _Clock(rate, int(number("subFrameRate", "1")), ticks)


def _styles(root: ET.Element) -> dict[str, dict[str, str]]:
    """Each style's own attributes with those of the styles it refers to (``style="a b"``)."""
    raw = {element.get(f"{{{XML}}}id", ""): element for element in root.iter(f"{{{TT}}}style")}
    resolved: dict[str, dict[str, str]] = {}

    def resolve(name: str, seen: frozenset[str]) -> dict[str, str]:
        if name in resolved or name not in raw or name in seen:
            return resolved.get(name, {})
        element, attributes = raw[name], {}
        for parent in element.get("style", "").split():
            attributes.update(resolve(parent, seen | {name}))
        attributes.update({key: value for key, value in element.attrib.items() if key.startswith(f"{{{TTS}}}")})
        resolved[name] = attributes
        return attributes

    for name in raw:
        resolve(name, frozenset())
    return resolved


def _style_of(element: ET.Element, styles: dict[str, dict[str, str]]) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for name in element.get("style", "").split():
        attributes.update(styles.get(name, {}))
    attributes.update({key: value for key, value in element.attrib.items() if key.startswith(f"{{{TTS}}}")})
    return attributes


def _regions(root: ET.Element, styles: dict[str, dict[str, str]]) -> dict[str, str]:
    """Region id -> bottom or top: top when its text hangs from the top of an area in the upper half."""
    places = {}
    for region in root.iter(f"{{{TT}}}region"):
        style = _style_of(region, styles)
        origin = style.get(f"{{{TTS}}}origin", "").split()
        upper = len(origin) == 2 and origin[1].endswith("%") and _percent(origin[1]) < 40
        align = style.get(f"{{{TTS}}}displayAlign", "before")
        extent = style.get(f"{{{TTS}}}extent", "").split()
        short = len(extent) == 2 and extent[1].endswith("%") and _percent(extent[1]) <= 50
        places[region.get(f"{{{XML}}}id", "")] = "top" if upper and (align == "before" or short) else "bottom"
    return places


def _percent(text: str) -> float:
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        return 50.0
    return value if math.isfinite(value) else 50.0


def _agents(root: ET.Element) -> dict[str, str]:
    """Agent id -> the name it gives (``ttm:name``), or the id itself."""
    agents = {}
    for agent in root.iter(f"{{{TTM}}}agent"):
        key = agent.get(f"{{{XML}}}id")
        if key:
            name = agent.find(f"{{{TTM}}}name")
            agents[key] = (name.text or "").strip() if name is not None and name.text else key
    return agents


Interval = tuple[Fraction, Fraction | None]  # an element's active time; None: no end (its container's)
UNTIMED_HOLD = 10.0  # seconds untimed text shows when no element of the document gives an end


def active(element: ET.Element, clock: _Clock, within: Interval, start: Fraction, path: str) -> Interval | None:
    """An element's active interval (TTML2 section 12): its begin counted from ``start`` (its
    container's begin, or in a ``seq`` container the end of the sibling before), its end from
    ``end`` (same reference) or ``dur``; without either it lasts as long as its container; clipped
    to the container. None when it is never active.

    >>> clock = _Clock(Fraction(30), 1, Fraction(1))
    >>> p = ET.fromstring('<p begin="2s" dur="3s"/>')
    >>> active(p, clock, (Fraction(1), Fraction(10)), Fraction(1), "")
    (Fraction(3, 1), Fraction(6, 1))
    >>> active(p, clock, (Fraction(0), Fraction(2)), Fraction(0), "") is None
    True
    """
    name = f"<{_local(element.tag)}>" + (f" {element.get(f'{{{XML}}}id')}" if element.get(f"{{{XML}}}id") else "")
    begin, end, duration = element.get("begin"), element.get("end"), element.get("dur")
    first = start + (clock.seconds(begin, f"{name} begin", path) if begin else 0)
    last: Fraction | None = None
    if end is not None:
        last = start + clock.seconds(end, f"{name} end", path)
    if duration is not None:
        lasting = first + clock.seconds(duration, f"{name} dur", path)
        last = lasting if last is None else min(last, lasting)
    if last is None:
        last = within[1]
    first = max(first, within[0])
    if within[1] is not None:
        last = within[1] if last is None else min(last, within[1])
    if last is not None and last <= first:
        if end is not None and last == start + clock.seconds(end, f"{name} end", path) and last < first:
            note(f"{name} ends before it begins: never shown")
        return None
    return first, last


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _entries(paragraph: ET.Element, begin: Fraction, end: Fraction | None, last_time: Fraction | None, region: str,
             number: int, clock: _Clock, styles: dict[str, dict[str, str]], regions: dict[str, str],
             agents: dict[str, str], path: str) -> list[Entry]:
    """A paragraph's cues: one for each stretch of its active time in which the same spans show
    (spans timed on their own, as cumulative words are, make several). A paragraph with no end
    shows to its spans' last time, else to the document's ``last_time``, else UNTIMED_HOLD seconds."""
    where = f"<p> number {number}" + (f" ({paragraph.get(f'{{{XML}}}id')})" if paragraph.get(f"{{{XML}}}id") else "")
    runs: list[list[TimedSpan]] = [[]]
    open_end = Fraction(MAX_SECONDS) + 1
    _collect(paragraph, _style_of(paragraph, styles), styles, runs, (begin, end or open_end), clock, path)
    if end is None:
        inner = [time for run in runs for _, first, last in run for time in (first, last) if time < open_end]
        end = max([*inner, *([last_time] if last_time else [])], default=begin)
        if end <= begin:
            end = begin + Fraction(UNTIMED_HOLD)
            note(f"{where} and its containers have no time: shown from {float(begin):g} s for {UNTIMED_HOLD:g} s")
        runs = [[(span, first, min(last, end)) for span, first, last in run] for run in runs]
    if end > MAX_SECONDS:
        raise InputError(f"{where}: time over {MAX_SECONDS // 3600} hours", path)
    times = sorted({begin, end, *(time for run in runs for _, first, last in run for time in (first, last)
                                  if begin < time < end)})
    agent = paragraph.get(f"{{{TTM}}}agent", "").split()
    voice = agents.get(agent[0], agent[0]) if agent else None
    align = alignment(_style_of(paragraph, styles).get(f"{{{TTS}}}textAlign", "center"))
    where_shown = regions.get(paragraph.get("region", region), "bottom")
    entries: list[Entry] = []
    for first, last in zip(times, times[1:]):
        lines, styled = _lines([[span for span, on, off in run if on <= first and last <= off] for run in runs])
        if not lines:
            continue
        plain = all(span.plain for run in styled for span in run)
        if entries and entries[-1].end == first and entries[-1].lines == lines:
            entries[-1] = replace(entries[-1], end=last)
            continue
        entries.append(Entry(first, last, lines, number, voice, () if plain else styled, where_shown, align=align))
    return entries


def _italic(style: dict[str, str]) -> bool:
    shear = style.get(f"{{{TTS}}}shear", "0%").rstrip("%")
    return style.get(f"{{{TTS}}}fontStyle") in ("italic", "oblique") or shear not in ("0", "0.0", "")


TimedSpan = tuple[Span, Fraction, Fraction]  # a run of text and the time it shows


def _collect(element: ET.Element, style: dict[str, str], styles: dict[str, dict[str, str]],
             runs: list[list[TimedSpan]], shown: tuple[Fraction, Fraction], clock: _Clock, path: str) -> None:
    """Text runs of an element in order with the time each shows, ``<br/>`` starting a new line;
    ruby text is kept apart; a span timed on its own shows only in its own active time."""
    italic = _italic(style)
    colour = colour_name(style.get(f"{{{TTS}}}color", ""))
    colour = "" if colour == "white" else colour
    if element.get(f"{{{TTS}}}ruby") in ("text", "textContainer"):
        if runs[-1]:
            last, first, end = runs[-1][-1]
            runs[-1][-1] = (replace(last, ruby=last.ruby + "".join(element.itertext()).strip()), first, end)
        return
    if element.text:
        runs[-1].append((Span(element.text or "", italic, colour=colour), *shown))
    for child in element:
        tag = _local(child.tag)
        if tag == "br":
            runs.append([])
        elif tag == "span":
            interval = active(child, clock, shown, shown[0], path)
            if interval is not None:
                _collect(child, {**style, **_style_of(child, styles)}, styles, runs,
                         (interval[0], interval[1] if interval[1] is not None else shown[1]), clock, path)
        if child.tail:
            runs[-1].append((Span(child.tail, italic, colour=colour), *shown))


_WHITE = re.compile(r"[ \t\r\n]+")


def _lines(runs: list[list[Span]]) -> tuple[tuple[str, ...], tuple[tuple[Span, ...], ...]]:
    """Lines with XML white space collapsed, as a TTML presentation processor shows them."""
    rows = []
    for run in runs:
        merged: list[Span] = []
        for span in (replace(span, text=_WHITE.sub(" ", span.text)) for span in run):
            if merged and (merged[-1].italic, merged[-1].colour) == (span.italic, span.colour) \
                    and not merged[-1].ruby and not span.ruby:
                merged[-1] = replace(merged[-1], text=merged[-1].text + span.text)
            elif span.text:
                merged.append(span)
        rows.append(merged)
    return styled_rows(rows)


# ---------------------------------------------------------------------------------------------- writing

def q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def bottom_and_top(head: ET.Element) -> None:
    """A ``<layout>`` of two regions inside the 80% safe area: ``bottom`` (text at its foot) and ``top``."""
    layout = ET.SubElement(head, q(TT, "layout"))
    for place, align in (("bottom", "after"), ("top", "before")):
        ET.SubElement(layout, q(TT, "region"), {q(XML, "id"): place, q(TTS, "origin"): "10% 10%",
                                               q(TTS, "extent"): "80% 80%", q(TTS, "displayAlign"): align})


def style_element(parent: ET.Element, key: str, attributes: dict[str, str]) -> None:
    ET.SubElement(parent, q(TT, "style"), {q(XML, "id"): key, **{q(TTS, name): value for name, value in attributes.items()}})


def paragraphs(body_div: ET.Element, track: Track, time: Callable[[Fraction], str], ruby: bool,
               span_style: str = "") -> None:
    """One ``<p>`` per cue: lines as spans between ``<br/>``, speaker colour and italics as styles."""
    for number, cue in enumerate(track.cues, start=1):
        paragraph = ET.SubElement(body_div, q(TT, "p"), {q(XML, "id"): f"c{number}", "begin": time(cue.start),
                                                         "end": time(cue.end), "region": cue.region})
        if cue.align != "center":
            paragraph.set("style", f"align_{cue.align}")
        for index in range(len(cue.lines)):
            if index:
                ET.SubElement(paragraph, q(TT, "br"))
            _line(paragraph, cue, index, track, ruby, span_style)


def _line(paragraph: ET.Element, cue: Cue, index: int, track: Track, ruby: bool, span_style: str) -> None:
    for colour, span in ((colour, span) for colour, spans in track.colour_runs(cue, index) for span in spans):
        names = [name for name in (span_style, f"c_{colour}" if colour else "", "italic" if span.italic else "") if name]
        element = ET.SubElement(paragraph, q(TT, "span"), {"style": " ".join(names)} if names else {})
        if span.ruby and ruby:
            element.set(q(TTS, "ruby"), "container")
            ET.SubElement(element, q(TT, "span"), {q(TTS, "ruby"): "base"}).text = span.text
            ET.SubElement(element, q(TT, "span"), {q(TTS, "ruby"): "text"}).text = span.ruby
        else:
            element.text = span.text


def colours_used(track: Track) -> list[str]:
    """The colours any span shows in, for a style each."""
    found = {colour for cue in track.cues for line in range(len(cue.lines))
             for colour, _ in track.colour_runs(cue, line)}
    return [name for name in COLOURS if name in found]


def run_styles(styling: ET.Element, track: Track, italic: dict[str, str]) -> None:
    """The styles cues refer to, each declared once: a colour per colour shown, an alignment per
    alignment other than centred, and italics as the deliverable writes them."""
    for colour in colours_used(track):
        style_element(styling, f"c_{colour}", {"color": COLOURS[colour]})
    for align in sorted({cue.align for cue in track.cues} - {"center"}):
        style_element(styling, f"align_{align}", {"textAlign": align})
    style_element(styling, "italic", italic)


def agents_used(track: Track) -> list[str]:
    return list(dict.fromkeys(s for cue in track.cues for s in cue.speakers if s and s != NARRATOR))


def serialise(root: ET.Element) -> bytes:
    """UTF-8 XML, indented down to the paragraphs and no further: white space inside a ``<p>`` would
    be shown."""
    _indent(root, "\n")
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


def _indent(element: ET.Element, newline: str) -> None:
    if element.tag == q(TT, "p") or not len(element):
        return
    element.text = newline + " "
    for child in element:
        _indent(child, newline + " ")
        child.tail = newline + " "
    element[-1].tail = newline


FORMAT = Format("ttml", ("ttml", "xml"), "TTML (read; write DFXP, IMSC or EBU-TT-D)", detect, read_entries=read)
