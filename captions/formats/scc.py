"""SCC (Scenarist): CEA-608 line-21 captions, channel CC1, pop-on, as US broadcast takes them.

Each caption is loaded into the decoder's hidden memory (RCL, ENM, a PAC per row, the text)
while the one before it is shown, and swapped onto the screen by EOC on its own first frame;
EDM clears the screen on a cue's last frame. The words go out one per frame at 29.97 fps in
drop-frame timecode, so every time is the nearest 29.97 frame (a 23.976 track converts
exactly). When a caption's words cannot all be sent in the frames before it, it appears later
by the frames it lacks, and QC says so (the ``format`` rule); nothing is dropped.

Rows sit at the bottom of the 15-row, 32-column grid (the top when the cue's region is top),
centred by indent and tab offsets; a speaker's colour or italics is a mid-row code, which takes
a cell (the space beside it). Characters 608 cannot show are replaced by their closest basic
form (``–`` by ``-``, ``…`` by ``...``, else ``?``) and reported; Japanese, Chinese and Korean are
refused (608 has no such characters).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..errors import InputError
from ..model import Cue, Span, Track, counted
from ..timecode import drop_frame_count, drop_frame_label
from .base import Format, Limits, option_values
from .timed import MAX_SECONDS, Entry, note

RATE = Fraction(30000, 1001)
COLUMNS, ROWS = 32, 15
HEADER = "Scenarist_SCC V1.0"

# The characters of CEA-608's basic set that differ from ASCII.
_BASIC_EXCEPTIONS = {0x2A: "á", 0x5C: "é", 0x5E: "í", 0x5F: "ó", 0x60: "ú", 0x7B: "ç", 0x7C: "÷", 0x7D: "Ñ",
                     0x7E: "ñ", 0x7F: "█"}
BASIC = {code: _BASIC_EXCEPTIONS.get(code, chr(code)) for code in range(0x20, 0x80)}
SPECIAL = dict(zip(range(0x30, 0x40), "®°½¿™¢£♪à\u00a0èâêîôû"))  # after 0x11
EXTENDED = {0x12: dict(zip(range(0x20, 0x40), "ÁÉÓÚÜü‘¡*’—©℠•“”ÀÂÇÈÊËëÎÏïÔÙùÛ«»")),
            0x13: dict(zip(range(0x20, 0x40), "ÃãÍÌìÒòÕõ{}\\^_|~ÄäÖöß¥¤¦ÅåØø┌┐└┘"))}
_FROM_BASIC = {char: code for code, char in BASIC.items()}
_FROM_SPECIAL = {char: code for code, char in SPECIAL.items()}
_FROM_EXTENDED = {char: (high, code) for high, table in EXTENDED.items() for code, char in table.items()}
SUBSTITUTES = {"–": "-", "…": "...", "„": '"', "‚": ",", "€": "EUR", "\u2009": " ", "\u202f": " "}

# Preamble address codes: row -> (first byte, base of the second byte), channel 1.
ROW_CODES = {1: (0x11, 0x40), 2: (0x11, 0x60), 3: (0x12, 0x40), 4: (0x12, 0x60), 5: (0x15, 0x40), 6: (0x15, 0x60),
             7: (0x16, 0x40), 8: (0x16, 0x60), 9: (0x17, 0x40), 10: (0x17, 0x60), 11: (0x10, 0x40),
             12: (0x13, 0x40), 13: (0x13, 0x60), 14: (0x14, 0x40), 15: (0x14, 0x60)}
_ROW_OF = {codes: row for row, codes in ROW_CODES.items()}
MIDROW_COLOURS = {"": 0x20, "white": 0x20, "green": 0x22, "blue": 0x24, "cyan": 0x26, "red": 0x28, "yellow": 0x2A,
                  "magenta": 0x2C}
_COLOUR_OF_MIDROW = {code: colour for colour, code in MIDROW_COLOURS.items() if colour != "white"}
ITALICS = 0x2E
RCL, EDM, ENM, EOC = (0x14, 0x20), (0x14, 0x2C), (0x14, 0x2E), (0x14, 0x2F)


def parity(byte: int) -> int:
    """The byte with CEA-608's odd parity bit set.

    >>> hex(parity(0x14)), hex(parity(0x20)), hex(parity(0x41))
    ('0x94', '0x20', '0xc1')
    """
    return byte | 0x80 if bin(byte).count("1") % 2 == 0 else byte


# Every word (high << 7 | low) as SCC writes it: both bytes with odd parity, in hex.
_HEX = [f"{parity(high):02x}{parity(low):02x}" for high in range(128) for low in range(128)]


def shows(char: str) -> bool:
    """Whether 608 has a character (the registry's character-set test)."""
    return char in _FROM_BASIC or char in _FROM_SPECIAL or char in _FROM_EXTENDED or char == " "


# ---------------------------------------------------------------------------------------------- writing

def _substitute(char: str) -> str:
    if char in SUBSTITUTES:
        return SUBSTITUTES[char]
    plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    return "".join(c for c in plain if c in _FROM_BASIC) or "?"


class _Row:
    """One row's bytes as words: characters two to a word, control codes a word each, sent twice."""

    def __init__(self) -> None:
        self.words: list[tuple[int, int]] = []
        self.pending: int | None = None

    def char(self, code: int) -> None:
        if self.pending is None:
            self.pending = code
        else:
            self.words.append((self.pending, code))
            self.pending = None

    def control(self, high: int, low: int) -> None:
        self.flush()
        self.words += [(high, low), (high, low)]

    def flush(self) -> None:
        if self.pending is not None:
            self.words.append((self.pending, 0x00))
            self.pending = None

    def text(self, text: str) -> None:
        codes = [_FROM_BASIC.get(char, -1) for char in text]
        if -1 not in codes:  # the common case: basic characters only, two to a word
            if self.pending is not None:
                codes.insert(0, self.pending)
                self.pending = None
            if len(codes) % 2:
                self.pending = codes.pop()
            self.words += zip(codes[::2], codes[1::2])
            return
        for char in text:
            for shown in ([char] if shows(char) else list(_substitute(char))):
                if shown in _FROM_BASIC:
                    self.char(_FROM_BASIC[shown])
                elif shown in _FROM_SPECIAL:
                    self.control(0x11, _FROM_SPECIAL[shown])
                else:  # extended: a basic stand-in first, which the extended code replaces
                    high, low = _FROM_EXTENDED[shown]
                    fallback = _substitute(shown)[:1]
                    self.char(_FROM_BASIC.get(fallback, 0x20))
                    self.control(high, low)


def _row_cells(track: Track, cue: Cue, line: int) -> list[tuple[str | int, str]]:
    """A row as cells: text runs, and the mid-row codes between runs of another look (each a cell)."""
    if not cue.styled:  # the common case, kept quick: one run in the speaker's colour
        colour = track.colour(cue.speakers[line])
        text = cue.lines[line]
        return [(text, "")] if colour in ("", "white") else [(MIDROW_COLOURS.get(colour, 0x20), ""), (text, "")]
    cells: list[tuple[str | int, str]] = []
    state = ("", False)
    for colour, spans in track.colour_runs(cue, line):
        for span in spans:
            look = (colour, span.italic)
            text = span.text
            if look != state:
                code = ITALICS if span.italic else MIDROW_COLOURS.get(colour, 0x20)
                if cells and isinstance(cells[-1][0], str) and cells[-1][0].endswith(" "):
                    cells[-1] = (cells[-1][0][:-1], cells[-1][1])
                elif cells and text.startswith(" "):
                    text = text[1:]
                cells.append((code, ""))
                state = look
            cells.append((text, ""))
    return cells


def _row_words(track: Track, cue: Cue, line: int, row: int) -> list[tuple[int, int]]:
    cells = _row_cells(track, cue, line)
    width = sum(len(item) if isinstance(item, str) else 1 for item, _ in cells)
    column = max(0, (COLUMNS - width) // 2) if cue.align == "center" else 0 if cue.align == "start" else \
        max(0, COLUMNS - width)
    high, base = ROW_CODES[row]
    words = _Row()
    words.control(high, base + 0x10 + (column // 4) * 2)  # indent PAC: the row, white, at a multiple of 4
    if column % 4:
        words.control(0x17, 0x20 + column % 4)  # tab offset 1-3
    for item, _ in cells:
        if isinstance(item, int):
            words.control(0x11, item)
        else:
            words.text(item)
    words.flush()
    return words.words


def _load_words(track: Track, cue: Cue) -> list[tuple[int, int]]:
    rows = len(cue.lines)
    first = 1 if cue.region == "top" else ROWS - rows + 1
    words = [RCL, RCL, ENM, ENM]
    for index in range(rows):
        words += _row_words(track, cue, index, first + index)
    return words


@dataclass
class _Schedule:
    """Which word goes out on which frame; a frame carries one word."""

    words: dict[int, tuple[int, int]] = field(default_factory=dict)
    late: list[tuple[int, int]] = field(default_factory=list)  # (cue number, frames it appears late)

    def put(self, frame: int, pair: tuple[int, int]) -> None:
        self.words[frame] = pair


@dataclass(frozen=True)
class SccOptions:
    """How SCC carries a profile's captions (its ``[scc]`` table): the caption mode, and the data
    channel (CC2, field 1's second channel, or CC3, field 2, for a second language)."""

    mode: str = "pop-on"  # pop-on | roll-up-2 | roll-up-3 | roll-up-4 | paint-on
    channel: int = 1


CHOICES = {"mode": ("pop-on", "roll-up-2", "roll-up-3", "roll-up-4", "paint-on"), "channel": (1, 2, 3)}


def options(table: Mapping[str, Any], where: str) -> SccOptions:
    return SccOptions(**option_values(table, where, CHOICES))


def schedule(track: Track, mode: str = "pop-on") -> _Schedule:
    """Every cue's words on frames, in a caption mode."""
    return _pop_on(track) if mode == "pop-on" else _sent_live(track, mode)


def _pop_on(track: Track) -> _Schedule:
    """Pop-on: each cue's load in the free frames before it, EOC on its first frame, EDM on its
    last; a cue whose load does not fit appears later by the frames it lacks."""
    plan = _Schedule()
    free_from = 0  # the first frame after the previous cue's EOC
    reserved: set[int] = set()
    for number, cue in enumerate(track.cues, start=1):
        load = _load_words(track, cue)
        start, end = counted(cue.start, RATE), counted(cue.end, RATE)
        # The free frames just before the cue, as late as they can be.
        earliest = max(free_from, start - len(load) - len(reserved))
        frames = [frame for frame in range(earliest, start) if frame not in reserved][-len(load):]
        if len(frames) < len(load):  # too little time: appear later by what is missing
            frame = start
            while len(frames) < len(load):
                if frame not in reserved:
                    frames.append(frame)
                frame += 1
            plan.late.append((number, frames[-1] + 1 - start))
            start = frames[-1] + 1
        plan.words.update(zip(frames, load))
        plan.put(start, EOC)
        plan.put(start + 1, EOC)
        end = max(end, start + 2)
        plan.put(end, EDM)
        plan.put(end + 1, EDM)
        reserved = {end, end + 1}
        free_from = start + 2
    return plan


ROLL_UP = {"roll-up-2": (0x14, 0x25), "roll-up-3": (0x14, 0x26), "roll-up-4": (0x14, 0x27)}
RDC, CR = (0x14, 0x29), (0x14, 0x2D)
PAUSE = 30  # frames of silence after which roll-up captions are cleared rather than rolled on


def _sent_live(track: Track, mode: str) -> _Schedule:
    """Roll-up and paint-on, as live captioning sends them: each cue's words from its first frame
    (or as soon as the words before are out), appearing as they arrive; paint-on clears each cue
    on its last frame, roll-up rolls each row up and clears only at a pause of a second or more."""
    plan = _Schedule()
    busy = 0
    for number, cue in enumerate(track.cues, start=1):
        start, end = counted(cue.start, RATE), counted(cue.end, RATE)
        words: list[tuple[int, int]] = []
        if mode == "paint-on":
            words += [RDC, RDC]
            for index in range(len(cue.lines)):
                first = 1 if cue.region == "top" else ROWS - len(cue.lines) + 1
                words += _row_words(track, cue, index, first + index)
        else:
            words += [ROLL_UP[mode]] * 2
            for index in range(len(cue.lines)):
                words += [CR, CR, *_row_words(track, cue, index, ROWS)]
        if start < busy:
            plan.late.append((number, busy - start))
            start = busy
        plan.words.update(zip(range(start, start + len(words)), words))
        busy = start + len(words)
        following = counted(track.cues[number].start, RATE) if number < len(track.cues) else None
        if mode == "paint-on" or following is None or following - end >= PAUSE:
            end = max(end, busy)
            plan.put(end, EDM)
            plan.put(end + 1, EDM)
            busy = end + 2
    return plan


def _timecode(frame: int) -> str:
    hours, minutes, seconds, frames = drop_frame_label(frame)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d};{frames:02d}"


def write(track: Track, options: SccOptions | None = None) -> bytes:
    """The SCC file of a track: a line per run of consecutive frames, and a new line at every EOC
    and EDM, so that a reader that times a line's words by the line's timecode (ffmpeg) still
    shows and clears each caption on its frame."""
    options = options or SccOptions()
    words = schedule(track, options.mode).words
    lines, run_start, run = [HEADER, ""], 0, list[str]()
    previous: tuple[int, int] | None = None
    expected = -1  # the frame that continues the current line
    events = {EOC, EDM}
    channel = options.channel
    shift = 8 if channel == 2 else 0  # CC2: the control codes of field 1's second channel
    for frame in sorted(words):
        pair = words[frame]
        if frame != expected or (pair != previous and pair in events):
            if run:
                lines += [f"{_timecode(run_start)}\t{' '.join(run)}", ""]
            run, run_start = [], frame
        high, low = pair
        if channel == 3 and high == 0x14 and low <= 0x2F:  # CC3 (field 2): its own caption commands
            high = 0x15
        run.append(_HEX[(high + shift if 0x10 <= high <= 0x17 else high) << 7 | low])
        previous, expected = pair, frame + 1
    if run:
        lines += [f"{_timecode(run_start)}\t{' '.join(run)}", ""]
    return ("\n".join(lines) + "\n").encode("ascii")


def late_cues(track: Track, options: SccOptions | None = None) -> list[tuple[int, str]]:
    """Cues SCC shows later than timed, because their words take more frames than there are before them."""
    return [(number, f"scc shows this cue {frames} frames late: its {len(_load_words(track, track.cues[number - 1]))} "
                     "words need more frames than the time before it")
            for number, frames in schedule(track, (options or SccOptions()).mode).late]


# ---------------------------------------------------------------------------------------------- reading

# A line's timecode; its words are read one at a time after it (a regex over a whole 10 MB line of
# words held 900 MB of match state).
LONGEST_ROW = 4 * COLUMNS  # characters a row keeps past the screen's 32 columns, as other readers do
LAST_HOLD = 4.0  # seconds a caption never erased before the file's end stays on screen
_TIMECODE = re.compile(r"(\d{2}):(\d{2}):(\d{2})([:;.,])(\d{2})\s+")
_WORD = re.compile(r"\S+")
_HEX_WORD = re.compile(r"[0-9a-fA-F]{4}")


Cell = tuple[str, bool, str] | None  # a character with its italics and colour, or an empty cell


def _blank() -> list[Cell]:
    return [None] * COLUMNS


@dataclass
class _Decoder:
    """A CEA-608 decoder for CC1 (pop-on, roll-up, paint-on): two 15x32 memories of cells and a
    cursor; every change to the screen ends the caption shown and starts the next."""

    entries: list[Entry] = field(default_factory=list)
    shown: dict[int, list[Cell]] = field(default_factory=dict)
    hidden: dict[int, list[Cell]] = field(default_factory=dict)
    mode: str = "pop"  # pop | roll | paint
    rows_up: int = 2
    row: int = ROWS
    column: int = 0
    colour: str = ""
    italic: bool = False
    since: int | None = None  # the frame the caption now shown appeared
    showing: dict[int, list[Cell]] = field(default_factory=dict)  # its rows
    previous: tuple[int, int] | None = None
    dirty_at: int | None = None  # roll-up or paint-on text that is not yet a caption: since this frame

    def memory(self) -> dict[int, list[Cell]]:
        return self.hidden if self.mode == "pop" else self.shown

    def word(self, frame: int, high: int, low: int) -> None:
        high, low = high & 0x7F, low & 0x7F
        if 0x10 <= high <= 0x1F:
            if (high, low) == self.previous:
                self.previous = None  # the second of a doubled control code
                return
            self.previous = (high, low)
            self.control(frame, high, low)
            return
        self.previous = None
        for code in (high, low):
            if code >= 0x20:
                self.put(frame, BASIC[code])

    def put(self, frame: int, char: str) -> None:
        cells = self.memory().setdefault(self.row, _blank())
        # Past the 32nd column a set-top box writes over the last cell; ttconv and pycaption keep
        # every character, and so do we, up to LONGEST_ROW (a row is never megabytes).
        if self.column >= len(cells) and len(cells) < LONGEST_ROW:
            cells.append((char, self.italic, self.colour))
        else:
            cells[min(self.column, len(cells) - 1)] = (char, self.italic, self.colour)
        self.column = min(self.column + 1, LONGEST_ROW)
        if self.mode != "pop" and self.dirty_at is None:
            self.dirty_at = frame

    def control(self, frame: int, high: int, low: int) -> None:
        high &= 0x17  # channel 2's codes are channel 1's with bit 3 set (CC4's are CC3's): read them all
        if high in (0x14, 0x15) and 0x20 <= low <= 0x2F:  # CC1's (or field 2's CC3) caption commands
            self.command(frame, low)
        elif high == 0x17 and 0x21 <= low <= 0x23:
            self.column = min(self.column + low - 0x20, COLUMNS - 1)  # tab offsets
        elif high == 0x11 and 0x20 <= low <= 0x2F:  # mid-row code: a space, then the new look
            self.put(frame, " ")
            self.italic = low & 0x2E == ITALICS
            self.colour = self.colour if self.italic else _COLOUR_OF_MIDROW.get(low & 0x2E, "")
        elif high == 0x11 and low in SPECIAL:
            self.put(frame, SPECIAL[low])
        elif high in EXTENDED and low in EXTENDED[high]:
            self.column = max(self.column - 1, 0)  # the extended character replaces its stand-in
            self.put(frame, EXTENDED[high][low])
        elif 0x40 <= low <= 0x7F and (high, low & 0x60) in _ROW_OF:
            self.preamble(high, low)

    def preamble(self, high: int, low: int) -> None:
        row = _ROW_OF[(high, low & 0x60)]
        if self.mode == "roll":  # roll-up captions keep to their base row; a new one moves the window
            row = max(row, self.rows_up)
            moved = row - self.row
            if moved and self.row <= ROWS:
                self.shown = {old + moved: cells for old, cells in self.shown.items() if 1 <= old + moved <= ROWS}
        self.row, attribute = row, low & 0x1F
        self.colour, self.italic, self.column = "", False, 0
        if attribute >= 0x10:
            self.column = (attribute - 0x10) // 2 * 4
        else:
            self.italic = attribute & 0x0E == 0x0E
            self.colour = "" if self.italic else _COLOUR_OF_MIDROW.get(0x20 + (attribute & 0x0E), "")

    def command(self, frame: int, low: int) -> None:
        if low == 0x20:
            self.mode = "pop"
        elif low in (0x25, 0x26, 0x27):  # roll-up: again in roll-up, only the depth changes (608 B.8.1)
            if self.mode != "roll":
                self.row = ROWS
            self.mode, self.rows_up, self.column = "roll", low - 0x23, 0
        elif low == 0x29:
            self.mode = "paint"
        elif low == 0x2C:  # erase displayed memory
            self.shown = {}
            self.changed(frame)
        elif low == 0x2E:
            self.hidden = {}
        elif low == 0x2F:  # end of caption: swap
            self.shown, self.hidden = self.hidden, self.shown
            self.changed(frame)
        elif low == 0x2D and self.mode == "roll":  # carriage return: the rows roll up
            kept = [self.shown[row] for row in sorted(self.shown) if row > self.row - self.rows_up + 1]
            self.shown = {self.row - len(kept) + index: cells for index, cells in enumerate(kept)}
            self.column = 0
            if self.dirty_at is None:
                self.dirty_at = frame
        elif low == 0x21:  # backspace
            self.column = max(min(self.column, len(self.memory().setdefault(self.row, _blank()))) - 1, 0)
            self.memory()[self.row][self.column] = None
        elif low == 0x24:  # delete to end of row
            cells = self.memory().setdefault(self.row, _blank())
            cells[self.column:] = [None] * max(COLUMNS - self.column, 0)

    def burst_end(self) -> None:
        """The end of an SCC line: roll-up or paint-on text sent in it is a caption now."""
        if self.dirty_at is not None:
            self.changed(self.dirty_at)

    def changed(self, frame: int) -> None:
        """The screen changed on this frame: close the caption shown so far, open what shows now."""
        self.close(frame)
        self.dirty_at = None
        if any(cell and cell[0].strip() for cells in self.shown.values() for cell in cells):
            self.since = frame
            self.showing = {row: list(cells) for row, cells in self.shown.items()}

    def close(self, frame: int) -> None:
        if self.since is None or frame <= self.since:
            self.since = None
            return
        lines, styled, rows = [], [], []
        for row in sorted(self.showing):
            spans = _spans(self.showing[row])
            if spans:
                lines.append("".join(span.text for span in spans))
                styled.append(spans)
                rows.append(row)
        if lines:
            plain = all(span.plain for line in styled for span in line)
            self.entries.append(Entry(self.since / RATE, frame / RATE, tuple(lines), 0,
                                      styled=() if plain else tuple(styled), region="top" if rows[0] <= 7 else "bottom"))
        self.since = None


def _spans(cells: list[Cell]) -> tuple[Span, ...]:
    """A row's text as runs of one look, its outer spaces removed."""
    chars = [cell or (" ", False, "") for cell in cells]
    text = "".join(char for char, _, _ in chars)
    first, last = len(text) - len(text.lstrip()), len(text.rstrip())
    spans: list[Span] = []
    for char, italic, colour in chars[first:last]:
        if char == " ":
            italic, colour = (spans[-1].italic, spans[-1].colour) if spans else (italic, colour)
        if spans and (spans[-1].italic, spans[-1].colour) == (italic, colour):
            spans[-1] = Span(spans[-1].text + char, italic, colour=colour)
        else:
            spans.append(Span(char, italic, colour=colour))
    return tuple(spans)


def _lines(text: str) -> Iterator[str]:
    """The lines of a text one at a time, without a list of copies of them all."""
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        yield text[start:end]
        start = end + 1


def read(text: str, path: str = "") -> list[Entry]:
    """The captions of an SCC file (pop-on, roll-up or paint-on) as cues."""
    if not text.lstrip("\ufeff").startswith("Scenarist_SCC"):
        raise InputError("not an SCC file: the first line must be 'Scenarist_SCC V1.0'", path, 1)
    decoder = _Decoder()
    last = previous_line = -1
    wrong, first_wrong = 0, ""
    for number, line in enumerate(_lines(text), start=1):
        line = line.strip()
        if number == 1 or not line:
            continue
        match = _TIMECODE.match(line)
        if not match:
            raise InputError(f"not an SCC line (timecode, tab, hex words): {line[:40]!r}", path, number)
        stamp = match.group().strip()
        hours, minutes, seconds, separator, frames = match.groups()
        if int(minutes) > 59 or int(seconds) > 59:
            raise InputError(f"timecode {stamp!r} is not a 29.97 fps timecode", path, number)
        if int(frames) > 29:  # ttconv and pycaption count the frames on past the second: so do we
            note(f"line {number}: timecode {stamp!r} has frame {frames}; read as {frames} frames after its second")
        # Drop-frame (;) or non-drop (:) labels of 29.97 frames.
        frame = drop_frame_count(int(hours), int(minutes), int(seconds), int(frames)) if separator in ";," else \
            ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 30 + int(frames)
        if frame / RATE > MAX_SECONDS:
            raise InputError(f"timecode over {MAX_SECONDS // 3600} hours", path, number)
        if frame <= previous_line:  # lines may overlap (words run late); one that goes back is read after
            note(f"line {number}: timecode {stamp!r} is not after the previous line's; read right after it")
            frame = max(last, previous_line) + 1
        previous_line = frame
        index, broken, first_broken = 0, 0, ""
        for found in _WORD.finditer(line, match.end()):  # one word at a time: a line can be megabytes
            word = found.group()
            if not _HEX_WORD.fullmatch(word):  # a cut-off or damaged word: decoders skip it, and so do we
                broken, first_broken = broken + 1, first_broken or word[:12]
                continue
            pair = int(word, 16)
            high, low = pair >> 8, pair & 0xFF
            # Decoders read the seven data bits whatever the parity bit says (ttconv, pycaption and
            # ffmpeg show files written with no parity at all): so do we, and say where it was wrong.
            if parity(high & 0x7F) != high or parity(low & 0x7F) != low:
                wrong += 1
                if wrong == 1:
                    first_wrong = f"line {number} ({stamp}), word {word}"
            decoder.word(frame + index, high, low)
            last = frame + index
            index += 1
        if broken:
            what = f"{broken} words that are" if broken > 1 else "a word that is"
            note(f"line {number} ({stamp}): {what} not four hex digits, skipped: {first_broken!r}")
        decoder.burst_end()
    # CEA-608: a caption stays until erased. One still showing when the file ends has no end: it is
    # held LAST_HOLD seconds, as pycaption holds it (ttconv leaves it open; its SRT ends it 10 s on).
    decoder.close(max(last + 1, (decoder.since or 0) + round(LAST_HOLD * RATE)))
    if wrong:
        note(f"{wrong} word{'s' if wrong > 1 else ''} with a wrong parity bit, the first at {first_wrong}: "
             "read by their seven data bits, as decoders do")
    return decoder.entries


FORMAT = Format("scc", ("scc",), "SCC (CEA-608 line 21, CC1 pop-on): US broadcast",
                lambda head: head.startswith("Scenarist_SCC"), read_entries=read, write=write,
                limits=Limits(max_chars_per_line=COLUMNS, max_lines=4, characters=shows,
                              character_set="CEA-608", wide_scripts=False),
                check=late_cues, frame_rate=lambda data: Fraction(30000, 1001), options=options)
