"""The editor's local server: the editing page and its JSON API, on 127.0.0.1 only.

The standard library's threading HTTP server, chosen over Starlette or aiohttp because the API is
a dozen small JSON routes for one user on one machine: nothing to install, nothing that listens
anywhere but the loopback, and one lock around the session (an edit is a few milliseconds). It:

- binds 127.0.0.1 on a free port, never another address;
- refuses (403) any request whose ``Host`` is not ``127.0.0.1:PORT`` or ``localhost:PORT``, so a web
  page elsewhere cannot reach it through DNS rebinding;
- answers ``/api/`` only with ``Authorization: Bearer TOKEN`` (401 without), and the page and the
  media only with ``?token=TOKEN`` (the address printed, and what a ``<video>`` can send);
- serves the media with byte ranges, so the player seeks.
"""

from __future__ import annotations

import json
import re
import secrets
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .editor import EditError, Session
from .errors import CaptionsError

MAX_BODY = 1_000_000  # bytes of one request: a cue's edit is a few hundred
CHUNK = 1 << 16
_CUE = re.compile(r"^/api/tracks/(?P<lang>[A-Za-z0-9-]{1,20})/cues/(?P<id>\d{1,9})"
                  r"(?:/(?P<action>split|merge|retranslate))?$")


class Programmes:
    """The programmes an editor serves, one open at a time: one from ``review --edit FILES``, a run
    report's list (worst QC first) from ``review --edit run-report.json``."""

    def __init__(self, programmes: list[dict[str, Any]], open_session: Any) -> None:
        self.listed = programmes  # each: {"title", "files", "media", "issues"}
        self.open_session = open_session  # index -> Session
        self.current = 0
        self.session: Session = open_session(0)

    def choose(self, index: int, discard: bool) -> None:
        if not 0 <= index < len(self.listed):
            raise EditError(f"no programme {index}", status=404)
        if self.session.unsaved and not discard:
            raise EditError(f"unsaved edits in {', '.join(self.session.unsaved)}: save them, or open with discard",
                            status=409)
        self.session, self.current = self.open_session(index), index


class EditorServer(ThreadingHTTPServer):
    """The server of one editing session: its token, its lock, its programmes."""

    daemon_threads = True

    def __init__(self, programmes: Programmes, page: Any, token: str | None = None) -> None:
        super().__init__(("127.0.0.1", 0), EditorHandler)
        self.programmes, self.page = programmes, page  # page(server) -> bytes of the editing page
        self.token = token or secrets.token_urlsafe(24)
        self.lock = threading.Lock()

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.port}/?token={self.token}"

    def hosts(self) -> set[str]:
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}


class EditorHandler(BaseHTTPRequestHandler):
    server: EditorServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows the address and what was saved, not every request

    # ---------------------------------------------------------------- dispatch

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def _handle(self, method: str) -> None:
        if self.headers.get("Host", "") not in self.server.hosts():
            return self._json(HTTPStatus.FORBIDDEN, {"error": "this editor answers only on 127.0.0.1 and localhost"})
        url = urlsplit(self.path)
        if url.path.startswith("/api/"):
            if not _same(self.headers.get("Authorization", ""), f"Bearer {self.server.token}"):
                return self._json(HTTPStatus.UNAUTHORIZED, {"error": "the editor's token is needed"})
            return self._api(method, url.path)
        if not _same(parse_qs(url.query).get("token", [""])[0], self.server.token):
            return self._json(HTTPStatus.UNAUTHORIZED, {"error": "open the address the editor printed (with its token)"})
        if method == "GET" and url.path == "/":
            return self._send(HTTPStatus.OK, self.server.page(self.server), "text/html; charset=utf-8")
        if method == "GET" and url.path == "/media":
            return self._media()
        return self._json(HTTPStatus.NOT_FOUND, {"error": f"no {url.path}"})

    def _api(self, method: str, path: str) -> None:
        try:
            body = self._body() if method != "GET" else {}
            with self.server.lock:
                answer = self._route(method, path, body)
        except EditError as err:
            return self._json(err.status, {"error": err.message})
        except CaptionsError as err:  # a save that cannot write, a model that will not load
            return self._json(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": str(err)})
        except Exception as err:  # a bug: said in one line to the page, the server goes on
            return self._json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": f"internal error: {type(err).__name__}: {err}"})
        if answer is None:
            return self._json(HTTPStatus.NOT_FOUND, {"error": f"no {method} {path}"})
        return self._json(HTTPStatus.OK, answer)

    def _route(self, method: str, path: str, body: dict[str, Any]) -> dict[str, Any] | None:
        programmes = self.server.programmes
        session = programmes.session
        if (method, path) == ("GET", "/api/tracks"):
            return session.tracks_json()
        if (method, path) == ("GET", "/api/programmes"):
            return {"current": programmes.current, "programmes": programmes.listed}
        if (method, path) == ("POST", "/api/open"):
            programmes.choose(_number(body.get("index")), bool(body.get("discard")))
            return programmes.session.tracks_json()
        if (method, path) == ("POST", "/api/undo"):
            return session.undo()
        if (method, path) == ("POST", "/api/redo"):
            return session.redo()
        if (method, path) == ("POST", "/api/save"):
            formats = body.get("formats", [])
            if not isinstance(formats, list) or not all(isinstance(name, str) for name in formats):
                raise EditError("formats must be a list of format names", status=400)
            return session.save(tuple(formats))
        found = _CUE.match(path)
        if not found:
            return None
        lang, cue_id, action = found["lang"], int(found["id"]), found["action"]
        if method == "PATCH" and action is None:
            return session.patch(lang, cue_id, body)
        if method == "POST" and action == "split":
            return session.split(lang, cue_id, body.get("at", body))
        if method == "POST" and action == "merge":
            return session.merge(lang, cue_id)
        if method == "POST" and action == "retranslate":
            return session.retranslate(lang, cue_id)
        return None

    # ---------------------------------------------------------------- bodies and answers

    def _body(self) -> dict[str, Any]:
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            raise EditError("Content-Length is not a number", status=400) from None
        if not 0 <= length <= MAX_BODY:
            raise EditError(f"a request of at most {MAX_BODY} bytes", status=413)
        raw = self.rfile.read(length) if length else b"{}"
        try:
            body = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
        except ValueError as err:  # not UTF-8, not JSON, or NaN and Infinity, which JSON does not have
            raise EditError(f"not JSON: {err}", status=400) from None
        if not isinstance(body, dict):
            raise EditError("the body is a JSON object", status=400)
        return body

    def _json(self, status: int, data: dict[str, Any]) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _send(self, status: int, data: bytes, kind: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _media(self) -> None:
        """The programme's media, a byte range at a time (the player seeks by ranges)."""
        media = self.server.programmes.session.media
        path = Path(media) if media else None
        if path is None or not path.is_file():
            return self._json(HTTPStatus.NOT_FOUND, {"error": "no media was given"})
        size = path.stat().st_size
        first, last = 0, size - 1
        asked = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", ""))
        if asked and (asked[1] or asked[2]):
            first, last = (int(asked[1]), int(asked[2]) if asked[2] else size - 1) if asked[1] else \
                (max(size - int(asked[2]), 0), size - 1)
            last = min(last, size - 1)
            if first > last:
                return self._send(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, b"", "text/plain",
                                  {"Content-Range": f"bytes */{size}"})
        kind = "video/mp4" if path.suffix.lower() in (".mp4", ".m4v", ".mov") else \
            "video/webm" if path.suffix.lower() == ".webm" else "audio/wav" if path.suffix.lower() == ".wav" \
            else "application/octet-stream"
        self.send_response(HTTPStatus.PARTIAL_CONTENT if asked else HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(last - first + 1))
        if asked:
            self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
        self.end_headers()
        with path.open("rb") as handle:
            handle.seek(first)
            left = last - first + 1
            while left > 0:
                chunk = handle.read(min(CHUNK, left))
                if not chunk:
                    break
                try:
                    self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the player moved on to another range
                left -= len(chunk)


def _same(given: str, expected: str) -> bool:
    """A token compared in constant time, whatever characters a request sent."""
    return secrets.compare_digest(given.encode("utf-8", "surrogateescape"), expected.encode("utf-8"))


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _number(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise EditError("index must be a whole number", status=400)
    return value


def serve(server: EditorServer, open_browser: bool = True, say: Any = print) -> None:
    """Serve until Ctrl-C; then stop, saving nothing the user did not save."""
    say(f"editing at {server.address}  (Ctrl-C stops; edits are saved only by Save)")
    if open_browser:
        import webbrowser

        webbrowser.open(server.address)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        unsaved = server.programmes.session.unsaved
        if unsaved:
            say(f"stopped: unsaved edits in {', '.join(unsaved)} were not written", file=sys.stderr)
        else:
            say("stopped")


def editor_page(server: EditorServer) -> bytes:
    """The editing page: the player (the media through this server), the bar, and the script that
    draws the cues from the API."""
    import html

    from .review import VIDEO_SUFFIXES, _asset

    session = server.programmes.session
    media = session.media
    player = ""
    if media:
        kind = "video" if Path(media).suffix.lower() in VIDEO_SUFFIXES else "audio"
        player = (f'<section class="player" aria-label="Player"><{kind} id="player" controls preload="metadata" '
                  f'src="/media?token={html.escape(server.token)}"></{kind}></section>')
    bar = ('<section class="bar" aria-label="Editing">'
           '<select id="programme" aria-label="Programme" hidden></select>'
           '<button type="button" id="undo" title="Undo (Ctrl+Z)">Undo</button>'
           '<button type="button" id="redo" title="Redo (Ctrl+Shift+Z)">Redo</button>'
           '<button type="button" id="next-issue" title="Next issue (n)">Next issue</button>'
           '<label>Also save as <input id="formats" size="12" placeholder="vtt,imsc"></label>'
           '<button type="button" id="save" title="Save (Ctrl+S)">Save</button>'
           '<span id="issue-total"></span> <span id="unsaved"></span> <span id="status" role="status"></span></section>'
           '<p class="keys">Keys: Enter splits at the caret, Backspace at a cue\'s start merges it with the one '
           'before, Alt+[ / Alt+] move the in-time a frame, Shift+[ / Shift+] the out-time, Alt+I / Alt+O set '
           'them at the playhead; j, k, l play (Alt+ while typing); n next issue; Ctrl+Z / Ctrl+Shift+Z undo and '
           'redo; Ctrl+S saves.</p>')
    parts = ["<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             '<link rel="icon" href="data:,">', f"<title>Edit: {html.escape(session.title)}</title>",
             f"<style>{_asset('review.css')}{_asset('editor.css')}</style>", "</head>", "<body>",
             f"<header><h1>{html.escape(session.title)}</h1><p>Profile: {html.escape(session.profile)}. "
             "Edits are checked by the same QC as <code>captions check</code>; nothing is written until Save."
             "</p></header>", "<main>", player, bar,
             '<table id="cues"><caption>Cues by time, a column per language</caption></table>', "</main>",
             f"<script>{_asset('editor.js')}</script>", "</body>", "</html>"]
    return ("\n".join(parts) + "\n").encode("utf-8")


def editable_files(outputs: list[str]) -> list[Path]:
    """Of a language's outputs, the caption file the editor opens: the first in a format it can
    read and write again (never a QC report, a review page or a forced-narrative file).

    >>> [path.name for path in editable_files(["o/show.en.qc.txt", "o/show.en.forced.srt", "o/show.en.srt"])]
    ['show.en.srt']
    """
    from .formats import REGISTRY

    for name in outputs:
        path = Path(name)
        if ".forced." in path.name:
            continue
        named = [(len(suffix), fmt) for fmt in REGISTRY.values() for suffix in fmt.suffixes
                 if path.name.lower().endswith(f".{suffix}")]
        fmt = max(named, key=lambda found: found[0])[1] if named else None  # imsc.ttml before ttml
        if fmt is not None and fmt.read_entries and fmt.write:
            return [path]
    return []


def programmes_of(listed: list[dict[str, Any]], profile: str, fps: str | None,
                  formats: tuple[str, ...]) -> Programmes:
    """Programmes (each ``{"title", "files", "media", "issues"}``), opened one at a time."""
    def open_session(index: int) -> Session:
        chosen = listed[index]
        return Session([Path(name) for name in chosen["files"]], chosen["media"] or None, profile, fps, formats)

    return Programmes(listed, open_session)


def from_files(paths: list[Path], media: str | None, profile: str, fps: str | None,
               formats: tuple[str, ...]) -> Programmes:
    """One programme's caption files, the first the source, as ``review --edit FILES`` opens them."""
    programmes = programmes_of([{"title": paths[0].name.split(".")[0] if paths else "", "files": [str(p) for p in paths],
                                 "media": media or "", "issues": 0}], profile, fps, formats)
    session = programmes.session
    programmes.listed[0]["issues"] = sum(len(session.issues(edited)) for edited in session.tracks)
    return programmes


def from_report(path: Path, profile: str, fps: str | None, formats: tuple[str, ...]) -> Programmes:
    """The programmes a batch's run report lists, worst QC first, as ``review --edit run-report.json``
    opens them (those that failed, or made no caption file, are left out)."""
    from .errors import InputError

    try:
        report = json.loads(path.read_text(encoding="utf-8"))
        entries = report["programmes"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as err:
        raise InputError(f"not a run report ({err})", str(path)) from None
    listed: list[dict[str, Any]] = []
    for entry in entries if isinstance(entries, list) else []:
        languages = [language for language in entry.get("languages", []) if isinstance(language, dict)]
        files = [str(found) for language in languages for found in editable_files(language.get("outputs", []))]
        if entry.get("status") in ("done", "skipped") and files:
            issues: int = sum(sum(language.get("qc", {}).values()) for language in languages)
            listed.append({"title": Path(str(entry.get("source", "?"))).name, "files": files,
                           "media": str(entry.get("media", "")), "issues": issues})
    if not listed:
        raise InputError("the run report lists no programme with caption files to edit", str(path))
    listed.sort(key=lambda programme: -programme["issues"])
    return programmes_of(listed, profile, fps, formats)


def is_run_report(path: Path) -> bool:
    """Whether a file is a batch's run report (by its name, or a JSON object with its keys), not a
    caption file in JSON."""
    from .batch import RUN_REPORT

    if path.name == RUN_REPORT:
        return True
    if path.suffix.lower() != ".json" or not path.is_file() or path.stat().st_size > 50_000_000:
        return False
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(found, dict) and {"programmes", "totals"} <= set(found)
