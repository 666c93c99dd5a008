"""The QC report written next to the captions with ``--report``: rendering only, from a checked track."""

from __future__ import annotations

from .model import Profile, Track
from .qc import summary


def report_text(name: str, profile: Profile, track: Track) -> str:
    """The report of one language: profile, counts by rule, the track's notes, then every issue.

    >>> from captions.profiles import get_profile
    >>> print(report_text("news.txt", get_profile("bbc", "en"), Track("en", [])), end="")
    QC report for news.txt: profile bbc (en), 0 cues
    summary: no issues
    """
    lines = [f"QC report for {name}: profile {profile.name} ({profile.lang}), {len(track.cues)} cues",
             f"summary: {summary(track.issues)}"]
    lines += [f"note: {note}" for note in track.notes]
    lines += [str(issue) for issue in track.issues]
    return "\n".join(lines) + "\n"
