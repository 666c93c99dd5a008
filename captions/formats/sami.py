"""SAMI (Microsoft's ``.smi``): read through pysubs2 (:mod:`captions.formats.pysubs`), which does not write it."""

from __future__ import annotations

from functools import partial

from . import pysubs
from .base import Format


def detect(head: str) -> bool:
    return head.lstrip()[:5].upper() == "<SAMI"


FORMAT = Format("sami", ("smi", "sami"), "SAMI (Microsoft): Windows Media and some broadcast players (input only)", detect,
                read_entries=partial(pysubs.read, fmt="sami"))
