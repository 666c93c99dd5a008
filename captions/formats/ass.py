"""ASS/SSA (Aegisub's Advanced SubStation Alpha): read and written through pysubs2
(:mod:`captions.formats.pysubs`); ``.ssa`` files read as ASS, written as ASS."""

from __future__ import annotations

from functools import partial

from . import pysubs
from .base import Format


def detect(head: str) -> bool:
    return head.lstrip().startswith("[Script Info]")


FORMAT = Format("ass", ("ass", "ssa"), "ASS/SSA (Advanced SubStation Alpha): Aegisub, fansub and editing tools",
                detect, read_entries=partial(pysubs.read, fmt="ass"), write=partial(pysubs.write, fmt="ass"),
                check=partial(pysubs.check, fmt="ass"))
