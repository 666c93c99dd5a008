"""EBU STL (EBU Tech 3264), the binary subtitle exchange format of European broadcast and archives.

Written as teletext level-1 subtitles (display standard code 1): a 1024-byte GSI block, then one
128-byte TTI block per subtitle (extension blocks when the text needs more than 112 bytes). Each
row opens with the speaker's teletext colour and a start-box pair, so the row holds at most 37
characters of text in a 40-column row; rows sit at the bottom (or top) of the teletext page.
Times are timecodes of the frame nearest each time: at 25 frames per second (STL25.01) for 25
and 50 fps tracks, else at 29.97 in drop-frame timecode (STL30.01, as NTSC broadcast and ttconv's
reader take it), so a 25 or 29.97 fps track keeps its frames exactly. Text is ISO 6937 (code
table 00) when the track's characters are Latin, else the first of ISO 8859-5/-6/-7/-8 (Cyrillic, Arabic, Greek, Hebrew)
that carries them all; a character the table lacks is replaced by its closest ASCII form (or
``?``) and reported as a QC ``format`` warning. Teletext has no italics: they are not written.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from ..errors import InputError
from ..model import Cue, Span, Track, counted, styled_rows
from ..timecode import drop_frame_count, drop_frame_label
from .base import Format, Limits, option_values
from .timed import MAX_SECONDS, Entry, note

GSI_SIZE, TTI_SIZE, TEXT_SIZE = 1024, 128, 112
NEWLINE, UNUSED, START_BOX, DOUBLE_HEIGHT = 0x8A, 0x8F, b"\x0b\x0b", b"\x0d"
ITALIC_ON, ITALIC_OFF = 0x80, 0x81  # open subtitles only
TELETEXT_COLOURS = {"": 0x07, "white": 0x07, "yellow": 0x03, "cyan": 0x06, "green": 0x02}
COLOUR_OF_CODE = {0x07: "", 0x03: "yellow", 0x06: "cyan", 0x02: "green", 0x01: "red", 0x04: "blue", 0x05: "magenta",
                  0x00: "black"}
ROWS = 23  # teletext rows a subtitle may use (row 0 is the header, row 24 the navigation links)

# EBU Tech 3264 Appendix 3, language codes.
LANGUAGE_CODES = {
    "hr": 0x04, "cs": 0x06, "da": 0x07, "de": 0x08, "en": 0x09, "es": 0x0A, "et": 0x0C, "fr": 0x0F, "it": 0x15,
    "lv": 0x18, "lt": 0x1A, "hu": 0x1B, "nl": 0x1D, "no": 0x1E, "nb": 0x1E, "pl": 0x20, "pt": 0x21, "ro": 0x22,
    "sr": 0x24, "sk": 0x25, "sl": 0x26, "fi": 0x27, "sv": 0x28, "tr": 0x29, "vi": 0x46, "ur": 0x48, "uk": 0x49,
    "ru": 0x56, "fa": 0x5A, "mr": 0x5F, "ms": 0x61, "kk": 0x67, "id": 0x6A, "hi": 0x6B, "el": 0x70, "my": 0x76,
    "bg": 0x77, "hy": 0x7D, "ar": 0x7E, "am": 0x7F,
}
# Character code tables beside ISO 6937 (table 00).
CODE_TABLES = {"01": "iso8859_5", "02": "iso8859_6", "03": "iso8859_7", "04": "iso8859_8"}

# ISO 6937: non-spacing diacritical marks come before the letter they sit on.
_DIACRITICS = {"\u0300": 0xC1, "\u0301": 0xC2, "\u0302": 0xC3, "\u0303": 0xC4, "\u0304": 0xC5, "\u0306": 0xC6,
               "\u0307": 0xC7, "\u0308": 0xC8, "\u030a": 0xCA, "\u0327": 0xCB, "\u030b": 0xCD, "\u0328": 0xCE,
               "\u030c": 0xCF}
_SPECIALS = {
    "\u00a0": 0xA0, "¡": 0xA1, "¢": 0xA2, "£": 0xA3, "¥": 0xA5, "§": 0xA7, "¤": 0xA8, "‘": 0xA9, "“": 0xAA,
    "«": 0xAB, "←": 0xAC, "↑": 0xAD, "→": 0xAE, "↓": 0xAF, "°": 0xB0, "±": 0xB1, "²": 0xB2, "³": 0xB3, "×": 0xB4,
    "µ": 0xB5, "¶": 0xB6, "·": 0xB7, "÷": 0xB8, "’": 0xB9, "”": 0xBA, "»": 0xBB, "¼": 0xBC, "½": 0xBD, "¾": 0xBE,
    "¿": 0xBF, "―": 0xD0, "¹": 0xD1, "®": 0xD2, "©": 0xD3, "™": 0xD4, "♪": 0xD5, "¬": 0xD6, "¦": 0xD7, "⅛": 0xDC,
    "⅜": 0xDD, "⅝": 0xDE, "⅞": 0xDF, "Ω": 0xE0, "Æ": 0xE1, "Đ": 0xE2, "ª": 0xE3, "Ħ": 0xE4, "Ĳ": 0xE6, "Ŀ": 0xE7,
    "Ł": 0xE8, "Ø": 0xE9, "Œ": 0xEA, "º": 0xEB, "Þ": 0xEC, "Ŧ": 0xED, "Ŋ": 0xEE, "ŉ": 0xEF, "ĸ": 0xF0, "æ": 0xF1,
    "đ": 0xF2, "ð": 0xF3, "ħ": 0xF4, "ı": 0xF5, "ĳ": 0xF6, "ŀ": 0xF7, "ł": 0xF8, "ø": 0xF9, "œ": 0xFA, "ß": 0xFB,
    "þ": 0xFC, "ŧ": 0xFD, "ŋ": 0xFE, "\u00ad": 0xFF,
}
_FROM_SPECIAL = {code: char for char, code in _SPECIALS.items()}
_FROM_DIACRITIC = {code: mark for mark, code in _DIACRITICS.items()}
# What a caption's common characters become where a table lacks them.
SUBSTITUTES = {"–": "-", "—": "-", "…": "...", "„": '"', "‚": ",", "′": "'", "″": '"', "€": "EUR"}


def latin(char: str) -> bytes | None:
    """The ISO 6937 bytes of a character, or None when the table has no such character.

    >>> latin("a"), latin("é"), latin("ß"), latin("♪"), latin("日")
    (b'a', b'\\xc2e', b'\\xfb', b'\\xd5', None)
    """
    if " " <= char <= "~":
        return char.encode("ascii")
    if char in _SPECIALS:
        return bytes([_SPECIALS[char]])
    decomposed = unicodedata.normalize("NFD", char)
    if len(decomposed) == 2 and decomposed[0].isascii() and decomposed[0].isalpha() and decomposed[1] in _DIACRITICS:
        return bytes([_DIACRITICS[decomposed[1]], ord(decomposed[0])])
    return None


def _encoder(table: str):  # type: ignore[no-untyped-def]
    if table == "00":
        return latin
    codec = CODE_TABLES[table]

    def encode(char: str) -> bytes | None:
        try:
            return char.encode(codec)
        except UnicodeEncodeError:
            return None

    return encode


def code_table(text: str) -> str:
    """The first character code table that carries every character of the text (00, Latin, when none does).

    >>> code_table("Café"), code_table("Привет"), code_table("Καλημέρα")
    ('00', '01', '03')
    """
    characters = set(text)
    for table in ("00", *CODE_TABLES):
        encode = _encoder(table)
        if all(encode(char) is not None for char in characters):
            return table
    return "00"


def shows(char: str) -> bool:
    """Whether STL can show a character in some code table (the registry's character-set test)."""
    return any(_encoder(table)(char) is not None for table in ("00", *CODE_TABLES))


def encode_text(text: str, table: str) -> bytes:
    """A line's bytes in a table; characters it lacks become their substitutes (or ``?``)."""
    if table == "00" and text.isascii() and text.isprintable():  # the common case: ISO 6937 is ASCII here
        return text.encode("ascii")
    encode, out = _encoder(table), bytearray()
    for char in text:
        found = encode(char)
        if found is None:
            fallback = SUBSTITUTES.get(char) or unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            found = b"".join(encode(piece) or b"?" for piece in fallback) or b"?"
        out += found
    return bytes(out)


def decode_text(data: bytes, table: str) -> str:
    """Text bytes (no control codes) of a table as text.

    >>> decode_text(b"Caf\\xc2e \\xd5", "00")
    'Café ♪'
    """
    if table != "00":
        return data.decode(CODE_TABLES[table], errors="replace")
    out, index = [], 0
    while index < len(data):
        byte = data[index]
        if byte in _FROM_DIACRITIC and index + 1 < len(data):
            out.append(unicodedata.normalize("NFC", chr(data[index + 1]) + _FROM_DIACRITIC[byte]))
            index += 2
            continue
        out.append(chr(byte) if 0x20 <= byte <= 0x7E else _FROM_SPECIAL.get(byte, "\ufffd"))
        index += 1
    return "".join(out)


# ---------------------------------------------------------------------------------------------- writing

PAL, NTSC = Fraction(25), Fraction(30000, 1001)


def stl_rate(track: Track) -> Fraction:
    """25 frames per second for 25 and 50 fps tracks (STL25.01), else 29.97 (STL30.01)."""
    return PAL if round(float(track.fps)) in (25, 50) else NTSC


def _timecode(seconds: Fraction, rate: Fraction) -> bytes:
    """HH MM SS FF of the frame nearest a time: 25 fps, or 29.97 drop-frame."""
    frame = counted(seconds, rate)
    if rate == NTSC:
        hours, minutes, secs, frame = drop_frame_label(frame)
    else:
        hours, frame = divmod(frame, 3600 * 25)
        minutes, frame = divmod(frame, 60 * 25)
        secs, frame = divmod(frame, 25)
    return bytes([min(hours, 99), minutes, secs, frame])


def _field(value: str, width: int) -> bytes:
    data = value.encode("cp850", "replace")[:width]  # the GSI block is in its code page, 850
    return data + b" " * (width - len(data))


def _today() -> dt.date:
    """The creation date; SOURCE_DATE_EPOCH fixes it, for reproducible files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


@dataclass(frozen=True)
class StlOptions:
    """How EBU STL carries a profile's subtitles (its ``[stl]`` table): teletext or open subtitles
    (display standard 0, burnt in or shown by the player), and teletext rows in double height."""

    mode: str = "teletext"  # teletext | open
    double_height: bool = False


CHOICES = {"mode": ("teletext", "open"), "double_height": (False, True)}


def options(table: Mapping[str, Any], where: str) -> StlOptions:
    return StlOptions(**option_values(table, where, CHOICES))


def write(track: Track, options: StlOptions | None = None) -> bytes:
    """The STL file of a track: GSI block, then TTI blocks."""
    rate = stl_rate(track)
    table = code_table("".join(line for cue in track.cues for line in cue.lines))
    options = options or StlOptions()
    teletext = options.mode == "teletext"
    double = options.double_height and teletext
    newline = bytes([NEWLINE]) * (2 if double else 1)  # a double-height row takes two
    blocks, number = [], 0
    for steps in cumulative_sets(track.cues):
        whole = steps[-1]  # the set's last step shows every row of it
        step_height = 2 if double else 1
        top = 1 if whole.region == "top" else ROWS - len(whole.lines) * step_height + (0 if double else 1)
        justification = {"start": 1, "center": 2, "end": 3}[whole.align]
        shown = 0
        for member, step in enumerate(steps):
            number += 1
            rows = [(_row(track, whole, index, table, double) if teletext else _open_row(whole, index, table))
                    for index in range(shown, len(step.lines))]
            text = newline.join(rows)
            pieces = [text[at: at + TEXT_SIZE] for at in range(0, max(len(text), 1), TEXT_SIZE)]
            flag = 0 if len(steps) == 1 else 1 if member == 0 else 3 if step is whole else 2
            head = (_timecode(step.start, rate) + _timecode(whole.end, rate)
                    + bytes([top + shown * step_height, justification, 0]))
            for extension, piece in enumerate(pieces):
                last = extension == len(pieces) - 1
                blocks.append(bytes([0]) + (number % 65536).to_bytes(2, "little")
                              + bytes([0xFF if last else extension, flag]) + head
                              + piece + bytes([UNUSED]) * (TEXT_SIZE - len(piece)))
            shown = len(step.lines)
    return _gsi(track, rate, table, len(blocks), teletext) + b"".join(blocks)


def cumulative_sets(cues: list[Cue]) -> Iterator[list[Cue]]:
    """Cues grouped as EBU Tech 3264 cumulative sets: a cue that starts as the one before ends, in
    its place, showing its rows and then more, adds those rows to it; every other cue is a set of one.

    >>> cue = lambda start, end, *lines: Cue(Fraction(start), Fraction(end), lines, ("",) * len(lines))
    >>> [len(steps) for steps in cumulative_sets([cue(0, 1, "a"), cue(1, 2, "a", "b"), cue(3, 4, "c")])]
    [2, 1]
    >>> another_speaker = Cue(Fraction(1), Fraction(2), ("a", "b"), ("B", "B"))  # its rows in B's colour
    >>> [len(steps) for steps in cumulative_sets([cue(0, 1, "a"), another_speaker])]
    [1, 1]
    """
    steps: list[Cue] = []
    for cue in cues:
        if steps and _adds_rows(steps[-1], cue):
            steps.append(cue)
            continue
        if steps:
            yield steps
        steps = [cue]
    if steps:
        yield steps


def _adds_rows(before: Cue, cue: Cue) -> bool:
    return (cue.start == before.end and len(cue.lines) > len(before.lines) and cue.region == before.region
            and cue.align == before.align and cue.lines[:len(before.lines)] == before.lines
            and cue.speakers[:len(before.lines)] == before.speakers  # the rows shown keep their speakers' colours
            and all(cue.spans(index) == before.spans(index) for index in range(len(before.lines))))


def _row(track: Track, cue: Cue, index: int, table: str, double: bool = False) -> bytes:
    """One teletext row: the speaker's colour, a start-box pair, then the text; a colour change
    inside the row takes the cell of the space before it (a teletext attribute shows as a space).
    Double height takes a cell too: a white row leaves out its colour (white is where a row starts),
    and a row that would not fit 40 cells stays single height."""
    out = bytearray()
    for colour, spans in track.colour_runs(cue, index):
        code = TELETEXT_COLOURS.get(colour, 0x07)
        text = encode_text("".join(span.text for span in spans), table)
        if not out:
            opening = bytes([code]) if code != 0x07 or not double else b""
            if double and len(cue.lines[index]) + len(opening) + 3 <= 40:
                opening = DOUBLE_HEIGHT + opening
            out += opening + START_BOX
        else:
            if out.endswith(b" "):
                del out[-1]
            elif text.startswith(b" "):
                text = text[1:]
            out.append(code)
        out += text
    return bytes(out)


def _open_row(cue: Cue, index: int, table: str) -> bytes:
    """One open-subtitle row: the text, with italics switched on and off (colours are teletext's)."""
    out, italic = bytearray(), False
    for span in cue.spans(index):
        if span.italic != italic:
            out.append(ITALIC_ON if span.italic else ITALIC_OFF)
            italic = span.italic
        out += encode_text(span.text, table)
    if italic:
        out.append(ITALIC_OFF)
    return bytes(out)


def _gsi(track: Track, rate: Fraction, table: str, blocks: int, teletext: bool) -> bytes:
    today = _today().strftime("%y%m%d")
    first = _timecode(track.cues[0].start, rate) if track.cues else bytes(4)
    widest = max((len(line) for cue in track.cues for line in cue.lines), default=0)
    language = f"{LANGUAGE_CODES.get(track.lang, 0):02X}"
    gsi = b"".join([
        b"850", f"STL{math.ceil(rate)}.01".encode(), b"1" if teletext else b"0",
        table.encode(), language.encode(),
        _field(track.title, 32), _field("", 32) * 5,  # programme title; episode, translated titles, translator
        _field("", 16), today.encode(), today.encode(), b"01",
        f"{blocks:05d}".encode(), f"{len(track.cues):05d}".encode(), b"001",
        f"{min(max(widest + 3, 1), 99):02d}".encode(), f"{ROWS:02d}".encode(), b"1",
        "".join(f"{part:02d}" for part in _timecode(track.origin, rate)).encode(),  # start of programme
        "".join(f"{part:02d}" for part in first).encode(), b"1", b"1", _field("", 3),
        _field("", 32) * 3, _field("", 75), _field("", 576),
    ])
    assert len(gsi) == GSI_SIZE
    return gsi


# ---------------------------------------------------------------------------------------------- reading

def detect(head: bytes) -> bool:
    return head[3:11] in (b"STL25.01", b"STL30.01")


def read(data: bytes, path: str = "") -> list[Entry]:
    """The subtitles of an STL file: text, times, rows, justification, colours and italics."""
    if len(data) < GSI_SIZE or (len(data) - GSI_SIZE) % TTI_SIZE:
        raise InputError(f"not a whole EBU STL file: {len(data)} bytes is not 1024 + a multiple of 128 "
                         "(truncated?)", path)
    if not detect(data):
        raise InputError(f"not an EBU STL file: disk format code {data[3:11]!r} (byte 3) is not STL25.01 "
                         "or STL30.01", path)
    rate = PAL if data[3:11] == b"STL25.01" else NTSC
    table = data[12:14].decode("ascii", "replace").strip() or "00"
    if table != "00" and table not in CODE_TABLES:
        raise InputError(f"unknown character code table {table!r} (byte 12)", path)
    teletext = data[11:12] in (b"1", b"2")
    blocks = (len(data) - GSI_SIZE) // TTI_SIZE
    _check_block_count(data[238:243], blocks, path)
    open_chain: tuple[int, int, bytes, bytes] | None = None  # subtitle number, first offset, text, last block
    entries: list[tuple[Entry, int]] = []  # with each one's cumulative status (CS)

    def close(chain: tuple[int, int, bytes, bytes], complete: bool) -> None:
        number, start_offset, text, last = chain
        if not complete:
            note(f"subtitle {number} (byte {start_offset}): its extension blocks end without a last block "
                 "(EBN FF); read as far as it goes")
        entry = _entry(last, text, rate, table, teletext, start_offset, path)
        if entry:
            entries.append((entry, last[4]))

    for offset in range(GSI_SIZE, len(data), TTI_SIZE):
        block = data[offset: offset + TTI_SIZE]
        number, extension, comment = int.from_bytes(block[1:3], "little"), block[3], block[15]
        if comment or extension == 0xFE:
            continue  # comments and user data are not subtitles
        if open_chain and open_chain[0] != number:
            close(open_chain, False)
            open_chain = None
        chain = (number, open_chain[1], open_chain[2] + block[16:], block) if open_chain else \
            (number, offset, block[16:], block)
        open_chain = None
        if extension == 0xFF:
            close(chain, True)
        else:
            open_chain = chain
    if open_chain:
        close(open_chain, False)
    return _stepwise(entries)


def _stepwise(subtitles: list[tuple[Entry, int]]) -> list[Entry]:
    """Cumulative sets (CS 01 first, 02 between, 03 last) as a viewer sees them: each subtitle adds
    its rows to those shown, all staying to the set's end; so each step is one entry with every row
    so far, until the next step. Other subtitles (CS 00) are as they are."""
    out: list[Entry] = []
    members: list[Entry] = []
    for entry, status in subtitles:
        if status in (2, 3) and members:
            members.append(entry)
        else:
            out += _steps(members)
            members = [entry] if status == 1 else []
            if status != 1:
                out.append(entry)
        if status == 3:
            out += _steps(members)
            members = []
    return out + _steps(members)


def _steps(members: list[Entry]) -> list[Entry]:
    steps = []
    for index, entry in enumerate(members):
        end = members[index + 1].start if index + 1 < len(members) else entry.end
        so_far = members[: index + 1]
        styled = () if not any(member.styled for member in so_far) else tuple(
            row for member in so_far for row in member.styled or tuple((Span(line),) for line in member.lines))
        if end > entry.start:
            steps.append(replace(entry, end=end, lines=tuple(line for member in so_far for line in member.lines),
                                 styled=styled, region=members[0].region))
    return steps


def _check_block_count(field: bytes, blocks: int, path: str) -> None:
    """A note when the GSI block's count of TTI blocks (TNB) is not what the file holds."""
    try:
        said = int(field.decode("ascii"))
    except ValueError:
        note(f"the GSI block's count of TTI blocks (TNB, byte 238) {field!r} is not a number")
        return
    if said != blocks:
        cut = " (the file looks truncated)" if said > blocks else ""
        note(f"the GSI block says {said} TTI blocks (TNB, byte 238), the file holds {blocks}{cut}")


def _entry(block: bytes, text: bytes, rate: Fraction, table: str, teletext: bool, offset: int,
           path: str) -> Entry | None:
    start, end = _seconds(block[5:9], rate, offset + 5, path), _seconds(block[9:13], rate, offset + 9, path)
    if end < start:
        raise InputError(f"subtitle at byte {offset} ends before it starts", path)
    lines, styled = _lines(text, table)
    if not lines:
        return None
    rows = ROWS if teletext else 100
    region = "top" if block[13] < rows // 2 else "bottom"
    align = {1: "start", 3: "end"}.get(block[14], "center")
    plain = all(span.plain for line in styled for span in line)
    return Entry(start, end, lines, offset, styled=() if plain else styled, region=region, align=align)


def _seconds(code: bytes, rate: Fraction, offset: int, path: str) -> Fraction:
    hours, minutes, seconds, frames = code
    nominal = math.ceil(rate)
    if minutes > 59 or seconds > 59 or frames >= nominal:
        raise InputError(f"time code {hours:02d}:{minutes:02d}:{seconds:02d}:{frames:02d} at byte {offset} "
                         f"is not a time at {nominal} frames a second", path)
    if rate == NTSC:
        count = drop_frame_count(hours, minutes, seconds, frames)
    else:
        count = (hours * 3600 + minutes * 60 + seconds) * nominal + frames
    value = count / rate
    if value > MAX_SECONDS:
        raise InputError(f"time code at byte {offset} is over {MAX_SECONDS // 3600} hours", path)
    return value


def _lines(text: bytes, table: str) -> tuple[tuple[str, ...], tuple[tuple[Span, ...], ...]]:
    """Rows of a text field: control codes read as styles (colour, italics), the unused tail dropped."""
    rows: list[list[Span]] = [[]]
    colour, italic, run = "", False, bytearray()

    def flush() -> None:
        if run:
            rows[-1].append(Span(decode_text(bytes(run), table), italic, colour=colour))
            run.clear()

    for byte in text:
        if byte == UNUSED:
            break
        if byte == NEWLINE:  # a teletext row starts white (its attributes end with the row before)
            flush()
            rows.append([])
            colour = ""
        elif byte < 0x20 or 0x80 <= byte <= 0x9F:
            flush()
            if byte < 0x20:  # a teletext spacing attribute (colour, background, box, mosaic) takes a cell: a space
                colour = COLOUR_OF_CODE.get(byte, colour)
                if rows[-1]:
                    rows[-1][-1] = replace(rows[-1][-1], text=rows[-1][-1].text + " ")
            elif byte in (0x80, 0x81):  # Tech 3264's italics on and off take no cell
                italic = byte == 0x80
        else:
            run += bytes([byte])
    flush()
    return styled_rows(rows)


FORMAT = Format("stl", ("stl",), "EBU STL (Tech 3264), teletext: European broadcast and archive exchange",
                read_entries=read, write=write, binary=True, detect_bytes=detect,
                limits=Limits(max_chars_per_line=37, characters=shows, character_set="EBU STL code tables",
                              wide_scripts=False),
                frame_rate=lambda data: PAL if data[3:11] == b"STL25.01" else NTSC, options=options)
