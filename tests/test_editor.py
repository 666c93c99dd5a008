"""The review page as an editor (issue 32): its API over a real loopback server, what it saves read
back by independent readers, and the page driven in headless Chromium."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from fractions import Fraction
from pathlib import Path

import pytest
import srt
import webvtt
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from test_review import browser  # noqa: F401 - the headless Chromium fixture
from tiny_argos import build_packages

from captions.audio import ffmpeg_binary
from captions.editor_server import EditorServer, editor_page, from_files, from_report, serve

EN = ("1\n00:00:00,500 --> 00:00:02,000\nGood evening.\n\n"
      "2\n00:00:02,500 --> 00:00:05,000\nThe rail link opens\nnext year.\n\n"
      "3\n00:00:06,000 --> 00:00:08,000\nA good cue.\n\n"
      "4\n00:00:09,000 --> 00:00:11,000\nThat is all.\n\n")
FR = ("1\n00:00:00,500 --> 00:00:02,000\nBonsoir.\n\n2\n00:00:02,500 --> 00:00:05,000\nLa ligne ouvre\nl'an prochain.\n\n"
      "3\n00:00:06,000 --> 00:00:08,000\nUn bon sous-titre.\n\n4\n00:00:09,000 --> 00:00:11,000\nC'est tout.\n\n")
LONG = "This line has grown far too long for any broadcaster's profile to accept"


def programme(folder: Path, media: bool = False) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "clip.en.srt").write_text(EN, encoding="utf-8")
    (folder / "clip.fr.srt").write_text(FR, encoding="utf-8")
    if media:
        subprocess.run([ffmpeg_binary(), "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                        "testsrc=size=160x90:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000",
                        "-t", "12", "-c:v", "libvpx", "-b:v", "100k", "-c:a", "libopus", folder / "clip.webm"],
                       check=True)
    return [folder / "clip.en.srt", folder / "clip.fr.srt"]


class Running:
    """An editor serving on a thread, and a client that talks to it as the page does."""

    def __init__(self, server: EditorServer):
        self.server = server
        self.thread = threading.Thread(target=server.serve_forever, daemon=True)
        self.thread.start()

    def call(self, method, path, body=None, token=None, host=None, raw=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        headers = {"Host": host or f"127.0.0.1:{self.server.port}", "Content-Type": "application/json"}
        if token is not False:
            headers["Authorization"] = f"Bearer {token or self.server.token}"
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        connection.close()
        kind = response.getheader("Content-Type", "")
        return response.status, (json.loads(payload) if kind.startswith("application/json") else payload)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def editor(tmp_path):
    paths = programme(tmp_path / "p")
    (tmp_path / "p" / "clip.wav").write_bytes(bytes(range(256)) * 40)  # the server streams it as it is
    running = Running(EditorServer(from_files(paths, str(tmp_path / "p" / "clip.wav"), "netflix", None, ()),
                                   editor_page))
    yield running, tmp_path / "p"
    running.stop()


def cue(answer, cue_id):
    return next(found for found in answer["cues"] if found["id"] == cue_id)


def rules(found):
    return {issue["rule"] for issue in found["issues"]}


def test_every_api_request_needs_the_token_and_a_loopback_host(editor):
    running, _ = editor
    assert running.call("GET", "/api/tracks", token=False)[0] == 401
    assert running.call("GET", "/api/tracks", token="not-it")[0] == 401
    assert running.call("GET", "/api/tracks", token="é" * 32)[0] == 401  # not ASCII: still just refused
    assert running.call("POST", "/api/save", {}, token=False)[0] == 401
    # DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host
    assert running.call("GET", "/api/tracks", host=f"evil.example:{running.server.port}")[0] == 403
    assert running.call("GET", "/api/tracks", host="127.0.0.1:1")[0] == 403
    assert running.call("GET", "/api/tracks", host=f"localhost:{running.server.port}")[0] == 200
    assert running.call("GET", "/", token=False)[0] == 401  # the page, without ?token=
    status, page = running.call("GET", f"/?token={running.server.token}", token=False)
    assert status == 200 and b'id="cues"' in page and b"Save" in page


def test_the_server_listens_on_loopback_only(editor):
    running, _ = editor
    assert running.server.server_address[0] == "127.0.0.1"
    others = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)} - {"127.0.0.1"}
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # no packet is sent: only the route's own address is chosen
        others.add(probe.getsockname()[0])
    except OSError:
        pass
    finally:
        probe.close()
    for address in others - {"127.0.0.1", "0.0.0.0"}:
        with pytest.raises(OSError):
            socket.create_connection((address, running.server.port), timeout=2).close()


def test_tracks_come_with_their_cues_issues_and_frame_rate(editor):
    running, folder = editor
    status, tracks = running.call("GET", "/api/tracks")
    assert status == 200 and [track["lang"] for track in tracks["tracks"]] == ["en", "fr"]
    english = tracks["tracks"][0]
    assert english["format"] == "srt" and english["path"] == str(folder / "clip.en.srt") and english["source"]
    assert english["fps"] == pytest.approx(24000 / 1001)
    assert [found["lines"] for found in english["cues"]][1] == ["The rail link opens", "next year."]
    assert {"id", "start", "end", "lines", "issues"} <= set(english["cues"][0])
    assert tracks["can_undo"] is False and tracks["unsaved"] == []


def test_an_edit_returns_the_cue_and_its_neighbours_checked_by_qc(editor):
    running, _ = editor
    tracks = running.call("GET", "/api/tracks")[1]
    third = tracks["tracks"][0]["cues"][2]["id"]
    status, answer = running.call("PATCH", f"/api/tracks/en/cues/{third}", {"lines": [LONG]})
    assert status == 200 and len(answer["cues"]) == 3  # the cue and both neighbours
    assert "line-length" in rules(cue(answer, third))
    # the French cue on screen with it is now "source changed"
    french = tracks["tracks"][1]["cues"][2]["id"]
    assert french in answer["marked"]["fr"]
    fixed = running.call("PATCH", f"/api/tracks/en/cues/{third}", {"lines": ["A shorter line."]})[1]
    assert "line-length" not in rules(cue(fixed, third)) and cue(fixed, third)["lines"] == ["A shorter line."]


def test_times_land_on_frames_and_an_overlap_is_kept_as_an_error(editor):
    running, _ = editor
    second = running.call("GET", "/api/tracks")[1]["tracks"][0]["cues"][1]["id"]
    answer = running.call("PATCH", f"/api/tracks/en/cues/{second}", {"start": 2.013})[1]
    frames = cue(answer, second)["start"] * 24000 / 1001
    assert abs(frames - round(frames)) < 1e-6 and cue(answer, second)["start"] == pytest.approx(2.002, abs=0.001)
    overlapping = running.call("PATCH", f"/api/tracks/en/cues/{second}", {"start": 1.5})[1]
    assert cue(overlapping, second)["start"] < 2.0  # accepted as asked: the user decides
    assert "overlap" in rules(cue(overlapping, second))


@pytest.mark.parametrize("body,status", [({"end": 0.1}, 422), ({"colour": "red"}, 400), ({"lines": "one"}, 400),
                                         ({"lines": ["", " "]}, 422),
                                         ({"start": -1}, 422), ({"start": float("nan")}, 400), ({}, 400)])
def test_bad_edits_are_refused_with_a_reason_and_change_nothing(editor, body, status):
    running, _ = editor
    first = running.call("GET", "/api/tracks")[1]["tracks"][0]["cues"][0]
    raw = b'{"start": NaN}' if body.get("start") != body.get("start") else None
    answer = running.call("PATCH", f"/api/tracks/en/cues/{first['id']}", body, raw=raw)
    assert answer[0] == status and answer[1]["error"]
    assert running.call("GET", "/api/tracks")[1]["tracks"][0]["cues"][0] == first
    assert running.call("PATCH", "/api/tracks/en/cues/99999", {"lines": ["x"]})[0] == 404
    assert running.call("PATCH", "/api/tracks/de/cues/1", {"lines": ["x"]})[0] == 404
    assert running.call("POST", "/api/undo", {})[0] == 409  # nothing was done
    assert running.call("POST", "/api/save", raw=b"{not json")[0] == 400


def test_split_merge_undo_and_redo(editor):
    running, _ = editor
    second = running.call("GET", "/api/tracks")[1]["tracks"][0]["cues"][1]
    status, split = running.call("POST", f"/api/tracks/en/cues/{second['id']}/split", {"at": {"char": 20, "time": 4.0}})
    assert status == 200
    cues = running.call("GET", "/api/tracks")[1]["tracks"][0]["cues"]
    assert len(cues) == 5 and cues[1]["lines"] == ["The rail link opens"] and cues[2]["lines"] == ["next year."]
    assert cues[2]["id"] == split["new_id"] and cues[2]["start"] == pytest.approx(4.004, abs=0.001)
    assert cues[1]["end"] == pytest.approx(cues[2]["start"] - 2 * 1001 / 24000, abs=1e-6)  # the minimum gap
    merged = running.call("POST", f"/api/tracks/en/cues/{second['id']}/merge", {})
    assert merged[0] == 200 and cue(merged[1], second["id"])["lines"] == second["lines"]
    assert len(running.call("GET", "/api/tracks")[1]["tracks"][0]["cues"]) == 4
    undone = running.call("POST", "/api/undo", {})[1]
    assert len(undone["tracks"][0]["cues"]) == 5 and undone["can_redo"]
    undone = running.call("POST", "/api/undo", {})[1]
    assert undone["tracks"][0]["cues"][1] == second and not undone["can_undo"]
    redone = running.call("POST", "/api/redo", {})[1]
    assert len(redone["tracks"][0]["cues"]) == 5
    assert running.call("POST", f"/api/tracks/en/cues/{second['id']}/split", {"at": {"char": 0}})[0] == 422
    last = redone["tracks"][0]["cues"][-1]["id"]
    assert running.call("POST", f"/api/tracks/en/cues/{last}/merge", {})[0] == 422


def test_save_writes_each_edited_track_in_its_format_and_more_with_a_backup(editor):
    running, folder = editor
    (folder / "clip.en.srt.bak").write_text("an older backup")  # never overwritten
    tracks = running.call("GET", "/api/tracks")[1]
    third = tracks["tracks"][0]["cues"][2]["id"]
    running.call("PATCH", f"/api/tracks/en/cues/{third}", {"lines": ["A better cue,", "on two lines."]})
    assert running.call("GET", "/api/tracks")[1]["unsaved"] == ["en"]
    status, saved = running.call("POST", "/api/save", {"formats": ["vtt", "imsc"]})
    assert status == 200
    written = {Path(path).name for path in saved["saved"]}
    assert {"clip.en.srt", "clip.en.vtt", "clip.en.imsc.ttml", "clip.en.qc.txt"} <= written
    assert (folder / "clip.en.srt.bak").read_text() == "an older backup"
    assert (folder / "clip.en.srt.bak1").read_text(encoding="utf-8") == EN  # the file as it was
    assert (folder / "clip.fr.srt").read_text(encoding="utf-8") == FR  # not edited: not rewritten
    # Read back by independent readers: the same cues in every format.
    by_srt = [(c.start.total_seconds(), c.end.total_seconds(), c.content) for c in
              srt.parse((folder / "clip.en.srt").read_text(encoding="utf-8"))]
    by_vtt = [(seconds(c.start), seconds(c.end), c.text) for c in webvtt.read(str(folder / "clip.en.vtt"))]
    assert by_srt[2][2] == "A better cue,\non two lines." and len(by_srt) == 4
    assert [(round(a, 2), round(b, 2), text) for a, b, text in by_srt] == \
           [(round(a, 2), round(b, 2), text) for a, b, text in by_vtt]
    import xml.etree.ElementTree as ET

    from ttconv.imsc.reader import to_model

    document = to_model(ET.parse(folder / "clip.en.imsc.ttml"))
    texts = []
    for paragraph in document.get_body().dfs_iterator():
        if type(paragraph).__name__ == "P":
            texts.append("\n".join(span_text(paragraph)))
    assert "A better cue," in texts[2] and "on two lines." in texts[2] and len(texts) == 4
    assert "QC report" in (folder / "clip.en.qc.txt").read_text(encoding="utf-8")
    assert running.call("GET", "/api/tracks")[1]["unsaved"] == []


def seconds(stamp):
    """A WebVTT time as webvtt-py gives it (``00:00:02.502``), in seconds."""
    hours, minutes, rest = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def span_text(paragraph):
    lines, current = [], []
    for element in paragraph.dfs_iterator():
        kind = type(element).__name__
        if kind == "Text":
            current.append(element.get_text())
        elif kind == "Br":
            lines.append("".join(current))
            current = []
    return lines + ["".join(current)]


def test_the_media_is_served_by_ranges_with_the_token(editor):
    running, folder = editor
    data = (folder / "clip.wav").read_bytes()
    connection = http.client.HTTPConnection("127.0.0.1", running.server.port, timeout=10)
    connection.request("GET", f"/media?token={running.server.token}",
                       headers={"Host": f"127.0.0.1:{running.server.port}", "Range": "bytes=100-199"})
    response = connection.getresponse()
    assert response.status == 206 and response.read() == data[100:200]
    assert response.getheader("Content-Range") == f"bytes 100-199/{len(data)}"
    connection.close()
    assert running.call("GET", "/media", token=False)[0] == 401


def test_ctrl_c_stops_it_and_saves_nothing(tmp_path, monkeypatch):
    paths = programme(tmp_path / "p")
    server = EditorServer(from_files(paths, None, "netflix", None, ()), editor_page)
    session = server.programmes.session
    session.patch("en", session.tracks[0].ids[0], {"lines": ["Changed, not saved."]})

    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr(server, "serve_forever", interrupted)
    said = []
    serve(server, open_browser=False, say=lambda line, **_: said.append(line))
    assert said[0].startswith(f"editing at http://127.0.0.1:{server.port}/?token=")
    assert "unsaved edits in en were not written" in said[-1]
    assert paths[0].read_text(encoding="utf-8") == EN and not list(paths[0].parent.glob("*.bak*"))


def test_a_run_report_opens_its_programmes_worst_qc_first(tmp_path):
    quiet, busy = programme(tmp_path / "quiet"), programme(tmp_path / "busy")
    report = {"totals": {}, "programmes": [
        {"source": "quiet.txt", "status": "done", "media": "",
         "languages": [{"lang": "en", "outputs": [str(quiet[0]), str(quiet[0].with_suffix(".qc.txt"))], "qc": {}}]},
        {"source": "busy.txt", "status": "done", "media": "",
         "languages": [{"lang": "en", "outputs": [str(busy[0])], "qc": {"line-length": 3}},
                       {"lang": "fr", "outputs": [str(busy[1])], "qc": {"gap": 1}}]},
        {"source": "broken.txt", "status": "failed", "languages": []}]}
    (tmp_path / "run-report.json").write_text(json.dumps(report))
    running = Running(EditorServer(from_report(tmp_path / "run-report.json", "netflix", None, ()), editor_page))
    try:
        listed = running.call("GET", "/api/programmes")[1]
        assert [programme["title"] for programme in listed["programmes"]] == ["busy.txt", "quiet.txt"]
        assert [track["lang"] for track in running.call("GET", "/api/tracks")[1]["tracks"]] == ["en", "fr"]
        first = running.call("GET", "/api/tracks")[1]["tracks"][0]["cues"][0]["id"]
        running.call("PATCH", f"/api/tracks/en/cues/{first}", {"lines": ["Edited."]})
        assert running.call("POST", "/api/open", {"index": 1})[0] == 409  # unsaved edits are never dropped unasked
        opened = running.call("POST", "/api/open", {"index": 1, "discard": True})[1]
        assert opened["tracks"][0]["path"] == str(quiet[0])
    finally:
        running.stop()


def test_review_edit_prints_the_address_and_stops_on_ctrl_c(tmp_path):
    paths = programme(tmp_path / "p")
    process = subprocess.Popen([sys.executable, "-m", "captions.cli", "review", *map(str, paths), "--edit",
                                "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("editing at http://127.0.0.1:"), (line, process.stderr.read() if process.poll() else "")
        address = line.split()[2]
        port, token = int(address.split(":")[2].split("/")[0]), address.split("token=")[1]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/api/tracks", headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        assert response.status == 200 and len(json.loads(response.read())["tracks"]) == 2
        connection.close()
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0 and "Traceback" not in err and "stopped" in out + err


def test_a_translation_cue_is_translated_again_by_the_installed_model(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "news.en.srt").write_text("1\n00:00:01,000 --> 00:00:03,000\nThe president met the minister.\n\n")
    (folder / "news.ja.srt").write_text("1\n00:00:01,000 --> 00:00:03,000\n古い訳。\n\n", encoding="utf-8")
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(tmp_path / "models"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for package in build_packages(tmp_path / "built", ("en-ja",)):
        done = subprocess.run([sys.executable, "-m", "captions.cli", "models", "install", str(package)],
                              capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
    process, port, token = serving(["review", "--edit", "--no-browser", "news.en.srt", "news.ja.srt"], folder, env)
    try:
        tracks = asked(port, token, "GET", "/api/tracks")[1]["tracks"]
        assert tracks[1]["retranslate"] is True and tracks[0]["retranslate"] is False
        source, target = tracks[0]["cues"][0]["id"], tracks[1]["cues"][0]["id"]
        marked = asked(port, token, "PATCH", f"/api/tracks/en/cues/{source}", {"lines": ["The minister met the president."]})
        assert target in marked[1]["marked"]["ja"]
        status, answer = asked(port, token, "POST", f"/api/tracks/ja/cues/{target}/retranslate", {})
        assert status == 200, answer
        again = cue(answer, target)
        assert again["lines"] != ["古い訳。"] and "".join(again["lines"]) and not again["source_changed"]
    finally:
        stopped(process)


# ----------------------------------------------------------------------------- the page in Chromium

def test_the_page_edits_with_live_qc_splits_undoes_and_saves(browser, tmp_path):  # noqa: F811
    paths = programme(tmp_path / "p", media=True)
    running = Running(EditorServer(from_files(paths, str(tmp_path / "p" / "clip.webm"), "netflix", None, ()),
                                   editor_page))
    wait = WebDriverWait(browser, 20)
    try:
        browser.get(running.server.address)
        wait.until(lambda _: len(browser.find_elements(By.CSS_SELECTOR, '#cues .cue[data-lang="en"]')) == 4)
        browser.execute_async_script("""const done = arguments[0], player = document.getElementById("player");
            const wait = () => player.readyState >= 1 ? done() : setTimeout(wait, 50); wait();""")
        english = lambda: browser.find_elements(By.CSS_SELECTOR, '#cues .cue[data-lang="en"]')
        idle = lambda _: not browser.execute_script("return captionsEditor.busy()")
        third = english()[2]
        text = third.find_element(By.TAG_NAME, "textarea")
        text.click()
        text.send_keys(Keys.END, " " + LONG)
        wait.until(lambda _: "line-length" in third.find_element(By.CLASS_NAME, "issues").text)
        assert "error" in third.find_element(By.CSS_SELECTOR, ".issue").get_attribute("class")
        text.send_keys(Keys.CONTROL, "a")
        text.send_keys("A fixed cue.")
        wait.until(lambda _: "line-length" not in third.find_element(By.CLASS_NAME, "issues").text)
        wait.until(idle)
        # Enter splits at the caret: "The rail link opens|\nnext year."
        second = english()[1].find_element(By.TAG_NAME, "textarea")
        second.click()
        browser.execute_script("arguments[0].setSelectionRange(19, 19)", second)
        second.send_keys(Keys.ENTER)
        wait.until(lambda _: len(english()) == 5)
        wait.until(idle)
        assert english()[2].find_element(By.TAG_NAME, "textarea").get_attribute("value") == "next year."
        browser.find_element(By.ID, "undo").click()
        wait.until(lambda _: len(english()) == 4)
        wait.until(idle)
        browser.find_element(By.ID, "save").click()
        wait.until(lambda _: "saved:" in browser.find_element(By.ID, "status").text)
        saved = list(srt.parse(paths[0].read_text(encoding="utf-8")))
        assert [c.content for c in saved] == ["Good evening.", "The rail link opens\nnext year.", "A fixed cue.",
                                              "That is all."]
        assert (paths[0].parent / "clip.en.srt.bak").read_text(encoding="utf-8") == EN
        errors = [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
        assert errors == []
        browser.save_screenshot(str(Path(__file__).parent / "artifacts" / "editor.png"))
    finally:
        running.stop()
        time.sleep(0.1)


def serving(command, cwd, env=None):
    """A command that ends by serving the editor: its process, and the port and token it printed."""
    process = subprocess.Popen([sys.executable, "-m", "captions.cli", *map(str, command)], cwd=cwd, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    said = []
    for line in process.stdout:
        said.append(line)
        if line.startswith("editing at "):
            address = line.split()[2]
            return process, int(address.split(":")[2].split("/")[0]), address.split("token=")[1]
    raise AssertionError(("".join(said), process.stderr.read()))


def asked(port, token, method, path, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=json.dumps(body).encode() if body is not None else None,
                       headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    response = connection.getresponse()
    answer = response.status, json.loads(response.read())
    connection.close()
    return answer


def stopped(process):
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0 and "Traceback" not in err, err
    return out + err


def test_a_batch_run_report_hands_its_programmes_to_the_editor(tmp_path):
    """``captions batch`` writes the run report; ``review --edit`` on it opens the programmes, worst first."""
    (tmp_path / "calm.txt").write_text("Good evening.\nThe news is short tonight.\n")
    (tmp_path / "busy.txt").write_text("Good evening.\n" + "A long sentence that needs time to read. " * 6 + "\n")
    # squeezed into 4 seconds: every cue too fast to read
    (tmp_path / "archive.csv").write_text("input,formats,out,duration\ncalm.txt,srt,out,\nbusy.txt,\"srt,vtt\",out,4\n")
    done = subprocess.run([sys.executable, "-m", "captions.cli", "batch", "archive.csv"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "run-report.json").read_text())
    issues = {Path(entry["source"]).name: sum(sum(language["qc"].values()) for language in entry["languages"])
              for entry in report["programmes"]}
    assert issues["busy.txt"] > issues["calm.txt"]
    process, port, token = serving(["review", "--edit", "--no-browser", "run-report.json"], tmp_path)
    try:
        listed = asked(port, token, "GET", "/api/programmes")[1]["programmes"]
        assert [programme["title"] for programme in listed] == ["busy.txt", "calm.txt"]
        tracks = asked(port, token, "GET", "/api/tracks")[1]["tracks"]
        assert tracks[0]["path"].endswith("busy.en.srt") and tracks[0]["format"] == "srt"
    finally:
        stopped(process)


def test_make_edit_opens_what_it_made(tmp_path):
    (tmp_path / "news.txt").write_text("Good evening.\nThe news is short tonight.\n")
    process, port, token = serving(["make", "news.txt", "-f", "vtt,srt", "--edit", "--no-browser"], tmp_path)
    try:
        tracks = asked(port, token, "GET", "/api/tracks")[1]["tracks"]
        assert [Path(track["path"]).name for track in tracks] == ["news.en.vtt"]
        first = tracks[0]["cues"][0]["id"]
        assert asked(port, token, "PATCH", f"/api/tracks/en/cues/{first}", {"lines": ["Good night."]})[0] == 200
        assert asked(port, token, "POST", "/api/save")[0] == 200
    finally:
        said = stopped(process)
    assert "Good night." in (tmp_path / "news.en.vtt").read_text() and "stopped" in said
    assert "Good evening." in (tmp_path / "news.en.vtt.bak").read_text()


def test_the_page_nudges_by_frames_and_merges_with_backspace(browser, tmp_path):  # noqa: F811
    paths = programme(tmp_path / "p")
    running = Running(EditorServer(from_files(paths, None, "netflix", None, ()), editor_page))
    wait = WebDriverWait(browser, 20)
    english = lambda: browser.find_elements(By.CSS_SELECTOR, '#cues .cue[data-lang="en"]')
    idle = lambda _: not browser.execute_script("return captionsEditor.busy()")
    start = lambda index: running.server.programmes.session.tracks[0].track.cues[index].start
    try:
        browser.get(running.server.address)
        wait.until(lambda _: len(english()) == 4)
        before = start(1)
        text = english()[1].find_element(By.TAG_NAME, "textarea")
        text.click()
        text.send_keys(Keys.ALT, "]")  # the in-time a frame later
        wait.until(lambda _: start(1) != before)
        frame = start(1) * Fraction(24000, 1001)  # 2.5 s is nearest frame 60: now on the one after
        assert frame == round(before * Fraction(24000, 1001)) + 1 == 61
        english()[1].find_element(By.CSS_SELECTOR, 'button[data-nudge="start"][data-by="-1"]').click()
        wait.until(lambda _: start(1) * Fraction(24000, 1001) == 60)  # a frame back
        wait.until(idle)
        text = english()[1].find_element(By.TAG_NAME, "textarea")
        browser.execute_script("arguments[0].focus(); arguments[0].setSelectionRange(0, 0)", text)
        text.send_keys(Keys.BACKSPACE)  # at the cue's start: merged with the cue before
        wait.until(lambda _: len(english()) == 3)
        assert english()[0].find_element(By.TAG_NAME, "textarea").get_attribute("value") == \
            "Good evening.\nThe rail link opens\nnext year."
        wait.until(lambda _: "lines" in english()[0].find_element(By.CLASS_NAME, "issues").text)  # 3 lines: QC says so
        browser.find_element(By.ID, "next-issue").click()
        assert browser.execute_script("return document.activeElement.closest('.cue').dataset.lang") == "en"
        assert paths[0].read_text(encoding="utf-8") == EN  # nothing saved unasked
    finally:
        running.stop()


def test_an_edit_finds_the_same_issues_as_checking_the_whole_track(tmp_path):
    """Each edit re-checks only the cue and its neighbours: after any run of edits, the issues are
    exactly what QC finds on the whole track."""
    import random

    from captions import qc

    paths = programme(tmp_path / "p")
    session = from_files(paths, None, "netflix", None, ()).session
    english = session.tracks[0]
    session.issues(english)  # known, so that the edits below re-check only where they are
    shuffle = random.Random(7)
    for _ in range(60):
        index = shuffle.randrange(len(english.ids))
        cue_now = english.track.cues[index]
        change = shuffle.choice([{"lines": [LONG]}, {"lines": ["Short."]}, {"start": float(cue_now.start) - 0.6},
                                 {"end": float(cue_now.end) + 0.7}, {"lines": ["the", "end"]}])
        try:
            session.patch("en", english.ids[index], change)
        except Exception:  # an edit refused (an end before the start) changes nothing
            pass
        assert session.issues(english) == qc.check(english.track.cues, english.language)


def test_hostile_requests_get_their_status_and_nothing_changes(editor):
    running, folder = editor
    before = running.call("GET", "/api/tracks")[1]
    assert running.call("POST", "/api/save", raw=b"x" * 1_000_001)[0] == 413
    assert running.call("PATCH", "/api/tracks/..%2F..%2Fetc/cues/1", {"lines": ["x"]})[0] == 404
    assert running.call("PATCH", "/api/tracks/en/cues/-1", {"lines": ["x"]})[0] == 404
    assert running.call("POST", "/api/open", {"index": "0"})[0] == 400
    assert running.call("POST", "/api/save", {"formats": ["../../x"]})[0] == 422
    assert running.call("PATCH", "/api/tracks/en/cues/1", raw="[\"\udcff\"]".encode("utf-8", "surrogatepass"))[0] == 400
    assert running.call("GET", "/api/tracks")[1] == before
    assert sorted(path.name for path in folder.iterdir()) == ["clip.en.srt", "clip.fr.srt", "clip.wav"]
