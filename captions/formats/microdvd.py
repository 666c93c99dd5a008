"""MicroDVD (``{start}{end}text``, in frames): read and written through pysubs2
(:mod:`captions.formats.pysubs`). The frame rate is the file's ``{1}{1}23.976`` header (VLC's; or
pysubs2's ``{0}{0}25.0``) when it has one, else 23.976, as most MicroDVD files are for film (a note
says so); written with the header."""

from __future__ import annotations

import re
from functools import partial

from ..model import Track
from . import pysubs
from .base import Format
from .timed import Entry, note

_FRAMES = re.compile(r"^\{\d+\}\{\d*\}")
_HEADER = re.compile(r"^\ufeff?\{[01]\}\{[01]\}(\d{1,3}(?:\.\d+)?)[ \t]*\r?\n")  # {1}{1}23.976 (VLC), {0}{0}25.0 (pysubs2)
FILM = 24000 / 1001


def detect(head: str) -> bool:
    return bool(_FRAMES.match(head))


def read(text: str, path: str = "") -> list[Entry]:
    header = _HEADER.match(text)
    if header is None:
        note(f"no frame rate header ({{1}}{{1}}FPS): frames read at {FILM:.3f} fps")
    rate = float(header[1]) if header and 1 <= float(header[1]) <= 300 else FILM
    return pysubs.read(text[header.end():] if header else text, path, "microdvd", rate)


def write(track: Track) -> bytes:
    return pysubs.write(track, "microdvd", float(track.fps))


FORMAT = Format("microdvd", ("sub",), "MicroDVD (frame-based): older players and fansub archives", detect,
                read_entries=read, write=write, check=partial(pysubs.check, fmt="microdvd"))
