"""JSON output: the cue model as it is, for other tools."""

from __future__ import annotations

import json
from dataclasses import asdict

from ..model import Track


def write_json(track: Track) -> str:
    """The track as JSON: language, frame rate, speakers and cues with their lines and times."""
    document = {
        "lang": track.lang,
        "fps": track.fps,
        "speakers": [asdict(speaker) for speaker in track.speakers.values()],
        "cues": [
            {"index": number, "start": round(cue.start, 3), "end": round(cue.end, 3), "lines": list(cue.lines),
             "speakers": list(cue.speakers)}
            for number, cue in enumerate(track.cues, start=1)
        ],
        "notes": track.notes,
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
