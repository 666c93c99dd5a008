"""SRT output through the ``srt`` package."""

from __future__ import annotations

from datetime import timedelta

import srt

from ..model import Track

SRT_COLOURS = {"yellow": "#FFFF00", "cyan": "#00FFFF", "green": "#00FF00"}


def write_srt(track: Track) -> str:
    """SRT text; speakers shown by colour get ``<font color>`` tags, as players understand.

    >>> from captions.model import Cue
    >>> print(write_srt(Track("en", [Cue(1.0, 2.5, ("Hello,", "world."), ("A", "A"))])), end="")
    1
    00:00:01,000 --> 00:00:02,500
    Hello,
    world.
    <BLANKLINE>
    """
    subtitles = [
        srt.Subtitle(number, timedelta(seconds=cue.start), timedelta(seconds=cue.end),
                     "\n".join(_coloured(line, track, speaker) for line, speaker in zip(cue.lines, cue.speakers)))
        for number, cue in enumerate(track.cues, start=1)
    ]
    return str(srt.compose(subtitles, reindex=False))


def _coloured(line: str, track: Track, speaker: str) -> str:
    colour = SRT_COLOURS.get(track.speakers[speaker].colour) if speaker in track.speakers else None
    return f'<font color="{colour}">{line}</font>' if colour else line
