"""The review page: a programme's every language track and QC issue in one self-contained HTML file.

An editor signs captions off against the picture: the page holds the player (the media by a
relative path, never embedded), each language as a ``<track>``, a table of cues with a column per
language aligned by time, every issue on its cue, and a timeline of the speech, the cues, the
issues and the stretches the aligner doubted. Every caption text is escaped where it is written
(HTML by :func:`html.escape`, data as JSON with ``<`` ``>`` ``&`` escaped), so a transcript can
never run a script. The page's script and style are ours, small, and inlined from ``web/``.
"""

from __future__ import annotations

import html
import json
import os
from collections import Counter
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .errors import NoSoundError, OptionError
from .jobs import guard
from .model import Track
from .naming import language_of, review_path
from .timecode import clock, frame_timecode

PEAKS_PER_SECOND = 10  # waveform resolution: enough to see speech and pauses at any zoom the page offers
MAX_PEAKS = 60_000  # a longer programme gets coarser peaks, so the page stays small
VIDEO_SUFFIXES = {".mp4", ".m4v", ".webm", ".mkv", ".mov", ".ogv"}


@dataclass(frozen=True)
class Row:
    """Cues of every language that overlap in time, shown side by side: (language index, cue index) pairs."""

    start: float
    end: float
    cues: tuple[tuple[int, int], ...]


def time_rows(tracks: list[Track]) -> list[Row]:
    """Cues of all tracks grouped where they overlap, in time order, so that each table row shows
    what every language says at once.

    >>> from captions.model import Cue
    >>> en = Track("en", [Cue(0, 2, ("a",), ("",)), Cue(2, 4, ("b",), ("",)), Cue(5, 6, ("c",), ("",))])
    >>> fr = Track("fr", [Cue(0, 4, ("à",), ("",)), Cue(5, 6, ("ç",), ("",))])
    >>> [(row.start, row.end, row.cues) for row in time_rows([en, fr])]
    [(0.0, 4.0, ((0, 0), (0, 1), (1, 0))), (5.0, 6.0, ((0, 2), (1, 1)))]
    """
    every = sorted((float(cue.start), float(cue.end), lang, index)
                   for lang, track in enumerate(tracks) for index, cue in enumerate(track.cues))
    rows: list[Row] = []
    group: list[tuple[int, int]] = []
    start = end = 0.0
    for cue_start, cue_end, lang, index in every:
        if group and cue_start >= end:
            rows.append(Row(start, end, tuple(sorted(group))))
            group = []
        if not group:
            start, end = cue_start, cue_end
        group.append((lang, index))
        end = max(end, cue_end)
    if group:
        rows.append(Row(start, end, tuple(sorted(group))))
    return rows


def peaks(samples: Any, rate: int) -> dict[str, Any]:
    """The waveform's loudest sample per step, 0-100, with the step in seconds.

    >>> import numpy as np
    >>> peaks(np.array([0.0, 0.5, -1.0, 0.25] * 2 + [0.1, 0.2, 0.0, 0.1], dtype=np.float32), rate=40)
    {'step': 0.1, 'values': [100, 100, 20]}
    """
    import numpy as np

    per_step = max(rate // PEAKS_PER_SECOND, -(-len(samples) // MAX_PEAKS), 1)
    count = len(samples) // per_step
    if not count:
        return {"step": per_step / rate, "values": []}
    steps = samples[: count * per_step].reshape(count, per_step)  # decoded 16-bit: no float copy of it all
    loudest = np.maximum(steps.max(axis=1).astype(np.float64), -steps.min(axis=1).astype(np.float64))
    scale = float(loudest.max()) or 1.0
    return {"step": per_step / rate, "values": [round(100 * float(value) / scale) for value in loudest]}


def media_href(media: Path, page_folder: Path) -> str:
    """The media's address relative to the page, so page and media move together; URL-encoded, so
    a name with ``#``, ``%`` or a space still loads.

    >>> media_href(Path("/a/media/show.mp4"), Path("/a/out")), media_href(Path("/a/ep#1 100%.wav"), Path("/a"))
    ('../media/show.mp4', 'ep%231%20100%25.wav')
    """
    return quote(Path(os.path.relpath(media.resolve(), page_folder.resolve())).as_posix())


def review_files(paths: list[Path], media: str | None, profile: str, out_dir: Path | None,
                 fps: float | None = None) -> tuple[Path, bytes]:
    """The review page of caption files (one per language) of one programme, each checked against
    the profile's rules for its language, and where to write it."""
    from . import qc
    from .context import resolved
    from .formats import read_track
    from .profiles import get_profile

    if not paths:
        raise OptionError("give at least one caption file")
    tracks = []
    for path in paths:
        told = resolved(get_profile(profile, language_of(path, None)), fps)
        track = read_track(path, told.lang, float(told.fps))
        track.issues = qc.check(track.cues, replace(told, fps=track.fps))  # at the rate the file fixes, if it does
        tracks.append(track)
    title = paths[0].name.split(".")[0]
    folder = out_dir or paths[0].parent
    page = review_path(paths[0], folder)
    guard([page], *paths, media)
    address, waveform = review_media(media, folder)
    return page, review_page(title, profile, tracks, address, waveform)


def review_media(media: str | None, page_folder: Path) -> tuple[str | None, dict[str, Any] | None]:
    """The player's address of the media, relative to the page, and its waveform (None, None without media)."""
    if not media:
        return None, None
    from .audio import SAMPLE_RATE, decode

    try:
        samples = decode(media, compact=True)
    except NoSoundError:
        return media_href(Path(media), page_folder), None  # pictures without speech: no waveform to draw
    return media_href(Path(media), page_folder), peaks(samples, SAMPLE_RATE)


def review_page(title: str, profile: str, tracks: list[Track], media: str | None = None,
                waveform: dict[str, Any] | None = None, synced: list[str] | None = None) -> bytes:
    """The page, as bytes; ``media`` is the player's source address (relative to the page);
    ``synced``: how the captions were synced to it (the change found, the cues left out)."""
    from .formats import get as get_format

    write_vtt = get_format("vtt").write
    assert write_vtt is not None
    rows = time_rows(tracks)
    duration = max([row.end for row in rows] + [0.0])
    cuts = sorted({float(cut) for track in tracks for cut in track.shot_changes})
    data = {"title": title, "profile": profile, "duration": duration, "waveform": waveform, "shots": cuts,
            "tracks": [{"lang": track.lang, "vtt": write_vtt(track).decode("utf-8"),
                        "cues": [[float(cue.start), float(cue.end)] for cue in track.cues],
                        "issues": [[issue.cue - 1, issue.severity, issue.rule] for issue in track.issues
                                   if 0 < issue.cue <= len(track.cues)],
                        "doubtful": [[stretch.start, stretch.end] for stretch in track.doubtful]}
                       for track in tracks]}
    parts = ["<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>Review: {html.escape(title)}</title>", f"<style>{_asset('review.css')}</style>", "</head>",
             "<body>", _header(title, profile, tracks, synced or []), "<main>", _player(media, tracks), _controls(tracks),
             _table(tracks, rows), "</main>",
             f'<script type="application/json" id="review-data">{_json_for_html(data)}</script>',
             f"<script>{_asset('review.js')}</script>", "</body>", "</html>"]
    return ("\n".join(parts) + "\n").encode("utf-8")


def _asset(name: str) -> str:
    return (resources.files("captions") / "web" / name).read_text(encoding="utf-8")


def _json_for_html(data: Any) -> str:
    """JSON that cannot end its ``<script>`` element or open another, whatever the captions say."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _header(title: str, profile: str, tracks: list[Track], synced: list[str]) -> str:
    counts = Counter((issue.rule, issue.severity) for track in tracks for issue in track.issues)
    langs = ", ".join(f"{html.escape(track.lang)} ({len(track.cues)} cues)" for track in tracks)
    rules = "".join(f'<tr><th scope="row">{html.escape(rule)}</th><td>{html.escape(severity)}</td>'
                    f'<td>{count}</td></tr>' for (rule, severity), count in sorted(counts.items()))
    table = (f'<table class="counts"><caption>Issues by rule</caption><thead><tr><th scope="col">Rule</th>'
             f'<th scope="col">Severity</th><th scope="col">Issues</th></tr></thead><tbody>{rules}</tbody></table>'
             if counts else '<p class="clean">No QC issues.</p>')
    total = sum(counts.values())
    sync = ('<section class="synced" aria-label="Sync"><h2>Synced by listening</h2><ul>'
            + "".join(f"<li>{html.escape(line)}</li>" for line in synced) + "</ul></section>") if synced else ""
    return (f'<header><h1>{html.escape(title)}</h1><p>Languages: {langs}. Profile: {html.escape(profile)}. '
            f'<span id="issue-total">{total}</span> issues.</p>{sync}{table}</header>')


def _player(media: str | None, tracks: list[Track]) -> str:
    timeline = ('<div class="timeline" id="timeline"><canvas id="overview" height="120" aria-label="Timeline of the whole '
                'programme: speech, cues per language, issues; click to seek" role="img"></canvas>'
                '<canvas id="detail" height="120" aria-label="The 30 seconds around the play position" '
                'role="img"></canvas>' + _legend(tracks) + '</div>')
    if not media:
        return f'<section class="player" aria-label="Player"><p class="no-media">No media given: the table ' \
               f'and the timeline show the cues without picture or sound.</p>{timeline}</section>'
    kind = "video" if Path(media).suffix.lower() in VIDEO_SUFFIXES else "audio"
    track_tags = "".join(f'<track kind="subtitles" srclang="{html.escape(track.lang)}" '
                         f'label="{html.escape(track.lang)}"{" default" if not index else ""}>'
                         for index, track in enumerate(tracks))
    return (f'<section class="player" aria-label="Player"><{kind} id="player" controls preload="metadata" '
            f'src="{html.escape(media)}">{track_tags}</{kind}>{timeline}</section>')


def _legend(tracks: list[Track]) -> str:
    """What the timeline's lanes and marks are (the lane colours are the page script's, in order)."""
    lanes = "".join(f'<span class="swatch lane-{index % 6}"></span>{html.escape(track.lang)} cues '
                    for index, track in enumerate(tracks))
    return (f'<p class="legend">Timeline, top to bottom: speech, then {lanes}<span class="swatch error"></span>error '
            '<span class="swatch warning"></span>warning <span class="swatch doubtful"></span>timing uncertain '
            '<span class="swatch cut"></span>shot change '
            '(click to seek; keys: j next cue, k previous, n next issue, N previous issue, t timeline)</p>')


def _controls(tracks: list[Track]) -> str:
    rules = sorted({issue.rule for track in tracks for issue in track.issues})
    options = "".join(f'<option value="{html.escape(rule)}">{html.escape(rule)}</option>' for rule in rules)
    return ('<section class="controls" aria-label="Filters and navigation">'
            f'<label>Rule <select id="rule"><option value="">all</option>{options}</select></label>'
            '<label>Severity <select id="severity"><option value="">all</option><option value="error">error'
            '</option><option value="warning">warning</option></select></label>'
            '<label><input type="checkbox" id="only-issues"> only cues with issues</label>'
            '<button type="button" id="previous-cue" title="Previous cue (k)">Previous cue</button>'
            '<button type="button" id="next-cue" title="Next cue (j)">Next cue</button>'
            '<button type="button" id="next-issue" title="Next issue (n)">Next issue</button>'
            '<button type="button" id="toggle-timeline" aria-controls="timeline" aria-expanded="true" '
            'title="Hide or show the timeline (t)">Hide timeline</button>'
            '<span id="shown" role="status"></span></section>')


def _table(tracks: list[Track], rows: list[Row]) -> str:
    heads = "".join(f'<th scope="col" lang="{html.escape(track.lang)}">{html.escape(track.lang)}</th>'
                    for track in tracks)
    issues: dict[tuple[int, int], list[str]] = {}
    for lang, track in enumerate(tracks):
        for issue in track.issues:
            issues.setdefault((lang, issue.cue - 1), []).append(
                f'<li class="issue {html.escape(issue.severity)}" data-rule="{html.escape(issue.rule)}" '
                f'data-severity="{html.escape(issue.severity)}"><span class="rule">{html.escape(issue.rule)}</span> '
                f'({html.escape(issue.severity)}): {html.escape(issue.message)}</li>')
    body = []
    for number, row in enumerate(rows):
        cells: list[list[str]] = [[] for _ in tracks]
        for lang, index in row.cues:
            cue = tracks[lang].cues[index]
            found = issues.get((lang, index), [])
            listed = f'<ul class="issues">{"".join(found)}</ul>' if found else ""
            text = "<br>".join(html.escape(line) for line in cue.lines)
            fps = float(tracks[lang].fps)
            cells[lang].append(f'<div class="cue" data-lang="{lang}" data-index="{index}" data-start="{float(cue.start)}">'
                               f'<button type="button" class="seek" aria-label="Play from {clock(float(cue.start))}">'
                               f'{_timecode(float(cue.start), fps)}</button> <span class="span">to '
                               f'{_timecode(float(cue.end), fps)}, {_timecode(float(cue.end - cue.start), fps)}</span>'
                               f'<p lang="{html.escape(tracks[lang].lang)}">{text}</p>{listed}</div>')
        tds = "".join(f"<td>{''.join(cell)}</td>" for cell in cells)
        body.append(f'<tr id="row-{number}" data-start="{row.start}" data-end="{row.end}">'
                    f'<th scope="row">{clock(row.start)}</th>{tds}</tr>')
    return (f'<table id="cues"><caption>Cues by time, a column per language</caption><thead><tr>'
            f'<th scope="col">Time</th>{heads}</tr></thead><tbody>{"".join(body)}</tbody></table>')


def _timecode(seconds: float, fps: float) -> str:
    """A time as the programme's editors read it: hours, minutes, seconds and frames at its rate.

    >>> _timecode(3725.48, 25), _timecode(1.5, 24000 / 1001)
    ('01:02:05:12', '00:00:01:12')
    """
    return frame_timecode(round(seconds * fps), fps)

