"""Frame rates, SMPTE timecodes and durations as users type them."""

from __future__ import annotations

import math
import re

from .errors import OptionError

FRAME_RATES = {"23.976": 24000 / 1001, "24": 24.0, "25": 25.0, "29.97": 30000 / 1001, "30": 30.0,
               "50": 50.0, "59.94": 60000 / 1001, "60": 60.0}
MAX_SECONDS = 100 * 3600  # a programme, or a timecode offset, is never longer
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")
_SMPTE = re.compile(r"^(\d{1,2}):(\d{2}):(\d{2})([:;])(\d{2})$")


def parse_fps(value: str | float) -> float:
    """A frame rate by its usual name; 23.976 and friends are exact NTSC rates.

    >>> round(parse_fps("29.97"), 5), parse_fps(25), parse_fps("25.0"), round(parse_fps("23.9760"), 3)
    (29.97003, 25.0, 25.0, 23.976)
    """
    key = value.strip() if isinstance(value, str) else f"{float(value):g}"
    if key not in FRAME_RATES:  # 25.0, 29.970: the same rates written longer
        try:
            key = f"{float(key):g}"
        except ValueError:
            pass
    if key in FRAME_RATES:
        return FRAME_RATES[key]
    raise OptionError(f"unsupported frame rate {value!r} (choose from {', '.join(FRAME_RATES)})")


def parse_time(value: str, fps: float, name: str = "time") -> float:
    """Seconds from ``90``, ``1:30``, ``0:01:30.5`` or a SMPTE timecode ``10:00:00:00``.

    ``HH:MM:SS;FF`` is drop-frame timecode (29.97 and 59.94 only).

    >>> parse_time("2:35", 25), parse_time("10:00:00:00", 25), parse_time("00:00:01:12", 24), parse_time("90:00", 25)
    (155.0, 36000.0, 1.5, 5400.0)
    """
    text = value.strip()
    if len(text) > 40:
        raise OptionError(f"{name}: cannot read time {text[:40]!r}...: too long")
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        if not (math.isfinite(seconds) and 0 <= seconds <= MAX_SECONDS):
            raise OptionError(f"{name} {value!r} is out of range (0 to {MAX_SECONDS // 3600:g} hours)")
        return seconds
    if match := _SMPTE.match(text):
        hours, minutes, secs, separator, frames = match.groups()
        if int(minutes) >= 60 or int(secs) >= 60:
            raise OptionError(f"{name}: timecode {value!r} has minutes or seconds over 59")
        nominal = round(fps)
        if int(frames) >= nominal:
            raise OptionError(f"{name}: timecode {value!r} has more frames than {nominal} per second")
        count = ((int(hours) * 60 + int(minutes)) * 60 + int(secs)) * nominal + int(frames)
        if separator == ";":
            if nominal not in (30, 60):
                raise OptionError(f"{name}: drop-frame timecode {value!r} needs 29.97 or 59.94 fps")
            dropped = 2 * nominal // 30
            total_minutes = int(hours) * 60 + int(minutes)
            count -= dropped * (total_minutes - total_minutes // 10)
        return count / fps
    if match := _CLOCK.match(text):
        hours, minutes, secs = match.groups()
        if float(secs) >= 60 or (hours and int(minutes) >= 60):
            raise OptionError(f"{name}: time {value!r} has minutes or seconds over 59")
        seconds = int(hours or 0) * 3600 + int(minutes) * 60 + float(secs)
        if seconds > MAX_SECONDS:
            raise OptionError(f"{name} {value!r} is out of range (0 to {MAX_SECONDS // 3600:g} hours)")
        return seconds
    raise OptionError(f"{name}: cannot read time {value!r} (use seconds, M:SS, H:MM:SS or HH:MM:SS:FF)")


def parse_span(value: str, fps: float, name: str = "span") -> tuple[float, float | None]:
    """A stretch ``FROM-TO`` of a recording in seconds; either side may be left out (``1:20-``: to
    the end; ``-5:00``: from the start). Each side is a :func:`parse_time` time.

    >>> parse_span("1:20-1:45", 25), parse_span("90-", 25), parse_span("-10:00:05:00", 25)
    ((80.0, 105.0), (90.0, None), (0.0, 36005.0))
    """
    text = value.strip()
    if text.count("-") != 1 or text == "-":
        raise OptionError(f"{name}: cannot read {value[:40]!r} (use FROM-TO, FROM- or -TO, e.g. 1:20-1:45)")
    first, last = (side.strip() for side in text.split("-"))
    start = parse_time(first, fps, name) if first else 0.0
    end = parse_time(last, fps, name) if last else None
    if end is not None and end <= start:
        raise OptionError(f"{name} {value!r} ends before it starts")
    return start, end


def drop_frame_label(frame: int) -> tuple[int, int, int, int]:
    """The 29.97 drop-frame timecode (HH, MM, SS, FF) of a frame count: frames 00 and 01 are
    skipped at the start of every minute but each tenth, so the label keeps up with the clock.

    >>> drop_frame_label(1800), drop_frame_label(17982), drop_frame_label(drop_frame_count(1, 2, 3, 4))
    ((0, 1, 0, 2), (0, 10, 0, 0), (1, 2, 3, 4))
    """
    tens, rest = divmod(frame, 17982)  # frames in ten minutes of 29.97
    frame += 18 * tens + (2 * ((rest - 2) // 1798) if rest >= 2 else 0)
    return frame // 108000, frame // 1800 % 60, frame // 30 % 60, frame % 30


def drop_frame_count(hours: int, minutes: int, seconds: int, frames: int) -> int:
    """The frame count of a 29.97 drop-frame timecode (the inverse of :func:`drop_frame_label`).

    >>> drop_frame_count(0, 1, 0, 2), drop_frame_count(0, 10, 0, 0)
    (1800, 17982)
    """
    total_minutes = hours * 60 + minutes
    return ((hours * 3600 + minutes * 60 + seconds) * 30 + frames) - 2 * (total_minutes - total_minutes // 10)


def frame_timecode(frame: int, fps: float) -> str:
    """The non-drop SMPTE label of a frame count at a rate (frames counted at its nominal rate).

    >>> frame_timecode(90_012, 25), frame_timecode(1439, 24000 / 1001)
    ('01:00:00:12', '00:00:59:23')
    """
    nominal = round(fps)
    seconds, frames = divmod(frame, nominal)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}:{frames:02d}"


def clock(seconds: float) -> str:
    """``H:MM:SS.mmm``, as a page or a report names a time.

    >>> clock(3725.5)
    '1:02:05.500'
    """
    minutes, rest = divmod(seconds, 60)
    hours, minutes = divmod(int(minutes), 60)
    return f"{hours}:{minutes:02d}:{rest:06.3f}"
