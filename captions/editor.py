"""The review page as an editor: fix a cue where the problem shows, with QC's own checks, and save.

``captions review FILES... --edit`` opens a :class:`Session` on a programme's caption files (one per
language, the first the source) and serves the editing page from :mod:`captions.editor_server`.
Every edit goes through this module's small API, which the page itself uses:

- each cue has a stable ``id`` (a split cue's second half gets a new one), so an edit names a cue
  however the cues around it moved;
- times land on the track's frames; a cue that overlaps its neighbour or breaks a hard limit is
  kept as the user made it, and QC (:func:`captions.qc.check`, as ``check`` runs it) says so;
- every change can be undone and redone, and nothing reaches the disk until :meth:`Session.save`,
  which writes each edited track in its own format (its old file kept as ``NAME.bak``, never over
  an earlier backup), any extra formats asked for, and its QC report.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from . import qc
from .context import LanguageContext
from .errors import CaptionsError, OptionError
from .formats import REGISTRY, format_of, get, own_rate, read_track
from .jobs import deliver, guard
from .model import Cue, Segment, Track, on_frame
from .naming import language_of
from .profiles import file_context
from .report import report_text
from .timecode import MAX_SECONDS

MAX_LINES_SENT = 20  # a cue edited to more lines than this is not a caption
MAX_TEXT_SENT = 5_000  # characters of one cue's lines


class EditError(CaptionsError):
    """An edit the API refuses (an unknown cue, a time out of range): the page shows the message."""

    kind = "edit"
    exit_code = 2

    def __init__(self, message: str, path: str | None = None, line: int | None = None, *, status: int = 422) -> None:
        super().__init__(message, path, line)
        self.status = status  # the HTTP status the server answers with


@dataclass
class EditedTrack:
    """One language's file as it is being edited: its cues with their stable ids."""

    path: Path
    fmt: str
    language: LanguageContext
    track: Track
    ids: list[int]
    source_changed: set[int] = field(default_factory=set)  # cues (of a translation) whose source was edited
    edited: bool = False

    @property
    def lang(self) -> str:
        return self.language.lang

    def index(self, cue_id: int) -> int:
        try:
            return self.ids.index(cue_id)
        except ValueError:
            raise EditError(f"{self.lang} has no cue {cue_id}", status=404) from None


class Session:
    """A programme's caption files opened for editing: the first is the source, the others its
    translations, shown beside it."""

    def __init__(self, paths: list[Path], media: str | None = None, profile: str = "netflix",
                 fps: str | None = None, extra_formats: tuple[str, ...] = ()) -> None:
        if not paths:
            raise OptionError("give at least one caption file to edit")
        self.media, self.profile = media, profile
        self.extra_formats = tuple(get(name).name for name in extra_formats)
        self.title = paths[0].name.split(".")[0]
        self.tracks: list[EditedTrack] = []
        self.next_id = 1
        for path in paths:
            fmt = format_of(path, None)
            if not REGISTRY[fmt].write:
                raise OptionError(f"{fmt} files are read only: convert it first", str(path))
            language = file_context(profile, language_of(path, None), fps, None if fps else own_rate(path, fmt))
            track = read_track(path, language.lang, float(language.fps))
            language = replace(language, fps=track.fps)
            if any(edited.lang == language.lang for edited in self.tracks):
                raise OptionError(f"two files in {language.lang}: edit one programme's languages together", str(path))
            ids = list(range(self.next_id, self.next_id + len(track.cues)))
            self.next_id += len(track.cues)
            self.tracks.append(EditedTrack(path, fmt, language, track, ids))
        self.history: list[list[tuple[Any, ...]]] = []
        self.future: list[list[tuple[Any, ...]]] = []
        self._issues: dict[str, list[qc.Issue]] = {}

    # ----------------------------------------------------------------------------- reading

    def edited(self, lang: str) -> EditedTrack:
        found = next((edited for edited in self.tracks if edited.lang == lang), None)
        if found is None:
            raise EditError(f"no track in {lang!r} (open: {', '.join(e.lang for e in self.tracks)})", status=404)
        return found

    def issues(self, edited: EditedTrack) -> list[qc.Issue]:
        """QC's issues of a track as it now is (cached until it changes)."""
        if edited.lang not in self._issues:
            self._issues[edited.lang] = qc.check(edited.track.cues, edited.language)
        return self._issues[edited.lang]

    def cues(self, edited: EditedTrack, indices: Iterable[int]) -> list[dict[str, Any]]:
        """Cues as the API gives them, each with its issues (grouped once: a track has thousands)."""
        by_cue: dict[int, list[dict[str, str]]] = {}
        for issue in self.issues(edited):
            by_cue.setdefault(issue.cue, []).append(_issue(issue))
        return [{"id": edited.ids[index], "start": float(cue.start), "end": float(cue.end), "lines": list(cue.lines),
                 "issues": by_cue.get(index + 1, []), "source_changed": edited.ids[index] in edited.source_changed}
                for index in indices for cue in [edited.track.cues[index]]]

    def tracks_json(self) -> dict[str, Any]:
        """Every track with its cues and their issues: ``GET /api/tracks``."""
        return {"title": self.title, "profile": self.profile, "can_undo": bool(self.history),
                "can_redo": bool(self.future), "unsaved": [e.lang for e in self.tracks if e.edited],
                "tracks": [{"lang": edited.lang, "format": edited.fmt, "path": str(edited.path),
                            "fps": float(edited.language.fps), "source": number == 0,
                            "retranslate": number > 0 and _can_translate(self.tracks[0].lang, edited.lang),
                            "cues": self.cues(edited, range(len(edited.track.cues)))}
                           for number, edited in enumerate(self.tracks)]}

    def around(self, edited: EditedTrack, index: int) -> dict[str, Any]:
        """A cue and its neighbours, with their issues: what an edit returns."""
        indices = [at for at in (index - 1, index, index + 1) if 0 <= at < len(edited.track.cues)]
        return {"lang": edited.lang, "cues": self.cues(edited, indices),
                "can_undo": bool(self.history), "can_redo": bool(self.future),
                "marked": {other.lang: sorted(other.source_changed) for other in self.tracks[1:]}}

    # ----------------------------------------------------------------------------- editing

    def patch(self, lang: str, cue_id: int, body: dict[str, Any]) -> dict[str, Any]:
        """``PATCH /api/tracks/{lang}/cues/{id}``: any of ``lines``, ``start``, ``end``."""
        edited = self.edited(lang)
        index = edited.index(cue_id)
        unknown = set(body) - {"lines", "start", "end"}
        if unknown or not body:
            raise EditError(f"a cue takes lines, start and end (not {', '.join(sorted(unknown)) or 'nothing'})", status=400)
        cue = edited.track.cues[index]
        start = self._time(edited, body["start"], "start") if "start" in body else cue.start
        end = self._time(edited, body["end"], "end") if "end" in body else cue.end
        if end <= start:
            raise EditError("a cue must end after it starts (at least one frame)")
        changed = replace(cue, start=start, end=end)
        if "lines" in body:
            changed = _with_lines(changed, _lines(body["lines"]))
        self._remember()
        edited.track.cues[index] = changed
        self._changed(edited, [changed] if changed.lines != cue.lines else [], index)
        return self.around(edited, index)

    def split(self, lang: str, cue_id: int, at: dict[str, Any]) -> dict[str, Any]:
        """``POST .../split`` with ``at``: {``char``: where in its lines (joined by newlines), ``time``}.
        The first part ends the profile's minimum gap before ``time``, where the second starts."""
        edited = self.edited(lang)
        index = edited.index(cue_id)
        cue = edited.track.cues[index]
        text = cue.text
        char = at.get("char") if isinstance(at, dict) else None
        if not isinstance(char, int) or isinstance(char, bool) or not 0 < char < len(text):
            raise EditError(f"split at a character inside the cue (1 to {len(text) - 1})")
        before = [line.strip() for line in text[:char].split("\n") if line.strip()]
        after = [line.strip() for line in text[char:].split("\n") if line.strip()]
        if not before or not after:
            raise EditError("split where text is on both sides")
        rate = edited.language.fps
        share = Fraction(len("".join(before)), len("".join(before + after)))
        time = self._time(edited, at["time"], "time") if at.get("time") is not None else \
            on_frame(cue.start + (cue.end - cue.start) * share, rate)
        if not cue.start < time < cue.end:
            raise EditError(f"split at a time inside the cue ({float(cue.start):.3f} to {float(cue.end):.3f} s)")
        first_end = max(time - Fraction(edited.language.style.min_gap_frames) / rate, cue.start + 1 / rate)
        first = _with_lines(replace(cue, end=min(first_end, time)), before)
        second = _with_lines(replace(cue, start=time), after)
        self._remember()
        edited.track.cues[index:index + 1] = [first, second]
        edited.ids.insert(index + 1, self.next_id)
        self.next_id += 1
        self._changed(edited, [first, second])
        return self.around(edited, index) | {"new_id": edited.ids[index + 1]}

    def merge(self, lang: str, cue_id: int) -> dict[str, Any]:
        """``POST .../merge``: the cue and the next one become one, from the first's start to the
        second's end, their lines one after the other (QC says if they are now too many)."""
        edited = self.edited(lang)
        index = edited.index(cue_id)
        if index + 1 >= len(edited.track.cues):
            raise EditError("the last cue has no next cue to merge with")
        first, second = edited.track.cues[index], edited.track.cues[index + 1]
        merged = Cue(first.start, second.end, first.lines + second.lines, first.speakers + second.speakers,
                     first.sources + second.sources, first.region,
                     first.styled + second.styled if first.styled and second.styled else (), first.align)
        self._remember()
        edited.track.cues[index:index + 2] = [merged]
        gone = edited.ids.pop(index + 1)
        edited.source_changed.discard(gone)
        self._changed(edited, [merged])
        return self.around(edited, index)

    def retranslate(self, lang: str, cue_id: int) -> dict[str, Any]:
        """``POST .../retranslate``: the source's words under a translation's cue translated again by
        the installed model, laid out in the cue by the target's rules."""
        from .segmenter import segment_cues
        from .translate import configure_from_environment, find_route, translate_sentences, untranslated

        edited, source = self.edited(lang), self.tracks[0]
        if edited is source:
            raise EditError("the source track is not a translation")
        index = edited.index(cue_id)
        cue = edited.track.cues[index]
        under = [other.text.replace("\n", " ") for other in source.track.cues
                 if other.start < cue.end and cue.start < other.end]
        if not under:
            raise EditError("no source cue is on screen with this one")
        engine = configure_from_environment(None)
        text = " ".join(under)
        for package in find_route(source.lang, lang):
            text = untranslated(translate_sentences([text], package, engine)[0])[0]
        drafts = segment_cues([Segment(text)], edited.language)
        changed = _with_lines(cue, [line for draft in drafts for line in draft.lines])
        self._remember()
        edited.track.cues[index] = changed
        edited.source_changed.discard(cue_id)
        self._changed(edited, [], index)
        return self.around(edited, index)

    def undo(self) -> dict[str, Any]:
        return self._travel(self.history, self.future, "undo")

    def redo(self) -> dict[str, Any]:
        return self._travel(self.future, self.history, "redo")

    def _travel(self, back: list[list[tuple[Any, ...]]], forth: list[list[tuple[Any, ...]]], what: str) -> dict[str, Any]:
        """One step through the history: the state left is kept to come back to."""
        if not back:
            raise EditError(f"nothing to {what}", status=409)
        forth.append(self._state())
        self._restore(back.pop())
        return self.tracks_json()

    # ----------------------------------------------------------------------------- saving

    def save(self, formats: tuple[str, ...] = ()) -> dict[str, Any]:
        """``POST /api/save``: every edited track written in its own format over its file (the old one
        kept as ``NAME.bak``), in each extra format beside it, and its QC report; the paths written."""
        extra = tuple(dict.fromkeys(self.extra_formats + tuple(get(name).name for name in formats)))
        written: list[Path] = []
        for edited in self.tracks:
            if not edited.edited and not extra:
                continue
            outputs = {edited.path: REGISTRY[edited.fmt].render(edited.track, edited.language)} if edited.edited else {}
            base = _base_name(edited.path, edited.fmt)
            for name in extra:
                if name != edited.fmt:
                    outputs[edited.path.with_name(f"{base}.{REGISTRY[name].suffixes[0]}")] = \
                        REGISTRY[name].render(edited.track, edited.language)
            report = edited.path.with_name(f"{base}.qc.txt")
            edited.track.issues = self.issues(edited)
            outputs[report] = report_text(edited.path.name, edited.language.style, edited.track).encode("utf-8")
            guard(outputs, self.media, *(other.path for other in self.tracks if other is not edited),
                  in_place=edited.path)
            for path, data in outputs.items():  # each file kept as it was: edits are never lost on disk
                written += deliver({path: data}, in_place=path if path.exists() and path.suffix != ".txt" else None)
            edited.edited = False
        return {"saved": [str(path) for path in written]}

    @property
    def unsaved(self) -> list[str]:
        return [edited.lang for edited in self.tracks if edited.edited]

    # ----------------------------------------------------------------------------- internals

    def _time(self, edited: EditedTrack, value: Any, name: str) -> Fraction:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                or not 0 <= value <= MAX_SECONDS:
            raise EditError(f"{name} must be seconds from 0 to {MAX_SECONDS}, not {value!r}")
        return on_frame(Fraction(value), edited.language.fps)

    def _changed(self, edited: EditedTrack, shown: list[Cue], index: int | None = None) -> None:
        """A track changed: its issues are found again (only around cue ``index`` when that one cue
        changed in place: each edit as you type stays as quick on a two-hour track as on a short
        one); a source cue's new words mark the translations on screen with it."""
        edited.edited = True
        self.future.clear()
        if index is None or edited.lang not in self._issues:
            self._issues.pop(edited.lang, None)
        else:
            self._recheck(edited, index)
        if edited is self.tracks[0]:
            for other in self.tracks[1:]:
                for cue_id, cue in zip(other.ids, other.track.cues):
                    if any(cue.start < changed.end and changed.start < cue.end for changed in shown):
                        other.source_changed.add(cue_id)

    def _recheck(self, edited: EditedTrack, index: int) -> None:
        """QC's issues of the cue at ``index`` and its neighbours found again, the others kept: a
        cue's issues depend on itself and the cues either side (the gap before it, its end against
        the next cue's start), so the check runs on the two cues either side of it."""
        cues, known = edited.track.cues, self._issues[edited.lang]
        first, last = max(index - 1, 0), min(index + 1, len(cues) - 1)  # the cues whose issues may change
        start = max(first - 1, 0)
        fresh = [issue for issue in qc.check(cues[start : last + 2], edited.language, start + 1)
                 if first < issue.cue <= last + 1]
        kept = [issue for issue in known if not first < issue.cue <= last + 1]
        self._issues[edited.lang] = sorted(kept + fresh, key=lambda issue: issue.cue)

    def _state(self) -> list[tuple[Any, ...]]:
        return [(list(e.track.cues), list(e.ids), set(e.source_changed), e.edited) for e in self.tracks]

    def _remember(self) -> None:
        self.history.append(self._state())
        del self.history[:-500]  # an afternoon's edits; the oldest go first

    def _restore(self, state: list[tuple[Any, ...]]) -> None:
        for edited, (cues, ids, marked, was_edited) in zip(self.tracks, state):
            edited.track.cues, edited.ids, edited.source_changed = list(cues), list(ids), set(marked)
            edited.edited = was_edited or edited.edited
        self._issues.clear()


def _issue(issue: qc.Issue) -> dict[str, Any]:
    return {"rule": issue.rule, "severity": issue.severity, "message": issue.message}


def _lines(value: Any) -> list[str]:
    """A cue's lines as the page sends them: a list of strings, within what a caption can be."""
    if not isinstance(value, list) or not all(isinstance(line, str) for line in value):
        raise EditError("lines must be a list of strings", status=400)
    if len(value) > MAX_LINES_SENT or sum(map(len, value)) > MAX_TEXT_SENT:
        raise EditError(f"a cue of at most {MAX_LINES_SENT} lines and {MAX_TEXT_SENT} characters")
    lines = [line.replace("\r", "") for line in value]
    if not any(line.strip() for line in lines):
        raise EditError("a cue shows words: to remove one, merge it with its neighbour")
    return lines


def _with_lines(cue: Cue, lines: list[str]) -> Cue:
    """The cue showing ``lines``: each line's speaker kept where the line is (the last one's for new
    lines), its styles kept only where the lines did not change."""
    if tuple(lines) == cue.lines:
        return cue
    speakers = tuple(cue.speakers[min(number, len(cue.speakers) - 1)] if cue.speakers else ""
                     for number in range(len(lines)))
    return replace(cue, lines=tuple(lines), speakers=speakers, styled=())


def _base_name(path: Path, fmt: str) -> str:
    """A file's name without its format's suffix: ``show.en`` of ``show.en.imsc.ttml``.

    >>> _base_name(Path("show.en.imsc.ttml"), "imsc"), _base_name(Path("show.srt"), "srt")
    ('show.en', 'show')
    """
    for suffix in REGISTRY[fmt].suffixes:
        if path.name.lower().endswith(f".{suffix}"):
            return path.name[: -len(suffix) - 1]
    return path.stem


def _can_translate(source: str, target: str) -> bool:
    """Whether an installed model (direct or through a pivot) takes the source into the target."""
    from .translate import find_route

    try:
        return bool(find_route(source, target))
    except CaptionsError:
        return False
