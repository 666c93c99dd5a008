"""WebVTT output (W3C WebVTT): voice spans name speakers, colour classes show them by colour."""

from __future__ import annotations

from ..model import NARRATOR, Track


def timestamp(seconds: float) -> str:
    """``hh:mm:ss.ttt`` as WebVTT wants it.

    >>> timestamp(3725.5)
    '01:02:05.500'
    """
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_vtt(track: Track) -> str:
    """WebVTT text.

    >>> from captions.model import Cue, Speaker
    >>> print(write_vtt(Track("en", [Cue(1, 2, ("Hi & bye",), ("Ann",))], {"Ann": Speaker("Ann")})), end="")
    WEBVTT
    <BLANKLINE>
    1
    00:00:01.000 --> 00:00:02.000
    <v Ann>Hi &amp; bye</v>
    """
    blocks = ["WEBVTT"]
    for number, cue in enumerate(track.cues, start=1):
        lines = [_line(line, speaker, track) for line, speaker in zip(cue.lines, cue.speakers)]
        blocks.append(f"{number}\n{timestamp(cue.start)} --> {timestamp(cue.end)}\n" + "\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _line(line: str, speaker: str, track: Track) -> str:
    text = escape(line)
    colour = track.speakers[speaker].colour if speaker in track.speakers else ""
    if colour and colour != "white":
        text = f"<c.{colour}>{text}</c>"
    if speaker and speaker != NARRATOR:
        text = f"<v {escape(speaker)}>{text}</v>"
    return text
