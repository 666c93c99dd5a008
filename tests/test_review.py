"""The review page, in a real browser: Debian's headless Chromium driven by Selenium through
chromedriver, on a generated programme (ffmpeg's test picture, espeak-ng's speech, captions made
by forced alignment and a tiny offline translation). A screenshot is kept in tests/artifacts/."""

import json
import os
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import srt
from recordings import make as speak_to_wav
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from tiny_argos import build_packages

from captions import qc
from captions.audio import ffmpeg_binary
from captions.context import resolved
from captions.model import Cue, Stretch, Track
from captions.profiles import get_profile
from captions.review import review_page

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
LANE_COLOURS = [(0x1F, 0x5F, 0xBF), (0x2E, 0x7D, 0x32)]  # the page's first two lanes


def cli(*args, env=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "captions.cli", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=cwd)


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file(), \
        "the review page's tests need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--mute-audio",
                 "--window-size=1280,900", "--allow-file-access-from-files"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def programme(tmp_path_factory):
    """A 25-second programme: picture, speech, and its captions in English and Japanese with a review page."""
    folder = tmp_path_factory.mktemp("programme")
    sentences, _ = speak_to_wav(folder / "speech.wav", seed=3)
    subprocess.run([ffmpeg_binary(), "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc=size=320x180:rate=25", "-i", folder / "speech.wav", "-shortest", "-c:v", "libvpx",
                    "-b:v", "200k", "-c:a", "libopus", folder / "news.webm"], check=True)
    (folder / "news.txt").write_text("\n".join(sentences) + "\n")
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(folder / "models"), "XDG_CACHE_HOME": str(folder / "cache")}
    for package in build_packages(folder / "built", ("en-ja",)):
        assert cli("models", "install", package, env=env).returncode == 0
    done = cli("make", "news.txt", "--audio", "news.webm", "--to", "ja", "-f", "srt,vtt", "--out", "out", "--review",
               "--json", env=env, cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder, json.loads(done.stdout)


def open_page(browser, page: Path, media: bool = True):
    browser.get_log("browser")  # what earlier pages said is not this page's
    browser.get(page.as_uri())
    if media:
        browser.execute_async_script("""const done = arguments[0], player = document.getElementById("player");
            const ready = () => player.readyState >= 1 && Array.from(player.textTracks).every((t) => t.cues && t.cues.length);
            const wait = () => ready() ? done() : setTimeout(wait, 50); wait();""")


def errors_said(browser):
    return [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def test_the_page_loads_clean_with_every_cue_track_and_issue(browser, programme):
    folder, summary = programme
    open_page(browser, folder / "out" / "news.review.html")
    assert errors_said(browser) == []
    for column, language in enumerate(summary["languages"]):
        cues = list(srt.parse((folder / "out" / f"news.{language['lang']}.srt").read_text()))
        shown = browser.find_elements(By.CSS_SELECTOR, f'#cues .cue[data-lang="{column}"]')
        assert len(shown) == len(cues) == language["cues"]
        in_track = browser.execute_script(f"return document.getElementById('player').textTracks[{column}].cues.length")
        assert in_track == len(cues)
        issues = browser.execute_script(
            f"return document.querySelectorAll('#cues .cue[data-lang=\"{column}\"] .issue').length")
        assert issues == len(language["issues"])
    assert browser.find_element(By.TAG_NAME, "video").get_attribute("src").endswith("/news.webm")
    assert len(browser.execute_script("return captionsReview.data.waveform.values")) >= 200  # 10 a second
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "review.png"))


def test_clicking_a_cue_seeks_the_player_and_highlights_it(browser, programme):
    folder, _ = programme
    open_page(browser, folder / "out" / "news.review.html")
    cue = browser.find_elements(By.CSS_SELECTOR, '#cues .cue[data-lang="1"]')[3]
    cue.find_element(By.CSS_SELECTOR, ".seek").click()
    start = float(cue.get_attribute("data-start"))
    assert browser.execute_script("return document.getElementById('player').currentTime") == pytest.approx(start, abs=0.01)
    browser.execute_async_script("requestAnimationFrame(() => arguments[0]())")
    assert "current" in cue.get_attribute("class").split()
    row = cue.find_element(By.XPATH, "./ancestor::tr")
    assert "current" in row.get_attribute("class").split()


@pytest.fixture(scope="module")
def reviewed(programme):
    """A review of hand-made files with known issues: captions review, and the programme's media."""
    folder, _ = programme
    en = ("1\n00:00:00,500 --> 00:00:00,900\nToo short.\n\n"
          "2\n00:00:02,000 --> 00:00:05,000\nThis line is far too long for any broadcaster's profile to accept it\n\n"
          "3\n00:00:06,000 --> 00:00:08,000\nA good cue.\n\n"
          "4\n00:00:09,000 --> 00:00:09,400\nShort again.\n\n")
    fr = ("1\n00:00:00,500 --> 00:00:02,000\nBonjour.\n\n2\n00:00:02,500 --> 00:00:05,000\nUne phrase.\n\n"
          "3\n00:00:09,000 --> 00:00:11,000\nFin.\n\n")
    (folder / "hand").mkdir(exist_ok=True)
    (folder / "hand" / "clip.en.srt").write_text(en)
    (folder / "hand" / "clip.fr.srt").write_text(fr)
    done = cli("review", "hand/clip.en.srt", "hand/clip.fr.srt", "--media", "news.webm", "--out", "pages", cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder / "pages" / "clip.review.html"


def test_filtering_by_rule_shows_only_that_rules_issues(browser, reviewed):
    open_page(browser, reviewed)
    rules = browser.execute_script("return Array.from(document.querySelectorAll('#rule option')).map(o => o.value)")
    assert {"min-duration", "line-length"} <= set(rules)
    browser.find_element(By.CSS_SELECTOR, "#rule option[value='min-duration']").click()
    shown = browser.execute_script("""return Array.from(document.querySelectorAll('#cues .issue'))
        .filter((issue) => issue.offsetParent !== null).map((issue) => issue.dataset.rule)""")
    assert shown == ["min-duration", "min-duration"]  # cues 1 and 4 of the English
    rows = browser.execute_script("""return Array.from(document.querySelectorAll('#cues tbody tr'))
        .filter((row) => !row.hidden).map((row) => Number(row.dataset.start))""")
    assert rows == [0.5, 9.0]
    assert errors_said(browser) == []


def test_keys_move_to_the_next_cue_and_the_next_issue(browser, reviewed):
    open_page(browser, reviewed)
    body = browser.find_element(By.TAG_NAME, "body")
    now = "return document.getElementById('player').currentTime"
    body.send_keys("j")
    assert browser.execute_script(now) == pytest.approx(0.5)
    body.send_keys("j")
    assert browser.execute_script(now) == pytest.approx(2.0)
    body.send_keys("j")
    assert browser.execute_script(now) == pytest.approx(2.5)  # the French cue's start
    body.send_keys("n")
    assert browser.execute_script(now) == pytest.approx(9.0)  # the next row with an issue
    body.send_keys("k")
    assert browser.execute_script(now) == pytest.approx(6.0)


def test_the_timeline_draws_each_cue_where_its_times_are(browser, reviewed):
    open_page(browser, reviewed)
    browser.execute_script("captionsReview.seek(30); captionsReview.draw()")  # the play head away from the cues
    for lane, name in enumerate(["clip.en.srt", "clip.fr.srt"]):
        cues = list(srt.parse((reviewed.parent.parent / "hand" / name).read_text()))
        for cue in cues:
            middle = (cue.start + cue.end).total_seconds() / 2
            assert pixel(browser, lane, middle) == LANE_COLOURS[lane], (name, cue.index)
        for before, after in zip(cues, cues[1:]):
            gap = (before.end + after.start).total_seconds() / 2
            assert pixel(browser, lane, gap) == (255, 255, 255), (name, gap)


def pixel(browser, lane, seconds):
    return tuple(browser.execute_script("""const canvas = captionsReview.overview, view = canvas.view;
        const y = view.laneTop(arguments[0]) + view.laneHeight / 2 + 5 * view.ratio;
        return Array.from(canvas.getContext('2d').getImageData(Math.round(view.x(arguments[1])), Math.round(y), 1, 1)
            .data.slice(0, 3))""", lane, seconds))


def test_caption_text_is_shown_as_text_and_runs_nothing(browser, tmp_path):
    (tmp_path / "hostile.txt").write_text('Attack <script>window.hacked = 1</script> "quoted" & \'single\'.\n'
                                          "S/ Eve <img src=x onerror=window.hacked=2>, Host: </script><b>bold</b>\n")
    done = cli("make", "hostile.txt", "--review", "--out", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = tmp_path / "out" / "hostile.review.html"
    assert b"<script>window" not in page.read_bytes() and b"<img" not in page.read_bytes()
    open_page(browser, page, media=False)
    assert browser.execute_script("return window.hacked") is None
    text = " ".join(element.text for element in browser.find_elements(By.CSS_SELECTOR, "#cues .cue p"))
    assert "<script>window.hacked = 1</script>" in text and '"quoted" &' in text and "<b>bold</b>" in text
    assert browser.find_elements(By.ID, "player") == [] and browser.find_elements(By.CSS_SELECTOR, ".no-media")
    assert browser.execute_script("return captionsReview.overview.view.width") > 0  # the timeline still drawn
    assert errors_said(browser) == []


def test_the_page_links_the_media_and_stays_small(reviewed):
    page = reviewed.read_bytes()
    assert b'src="../news.webm"' in page and b"data:video" not in page
    assert len(page) < 100_000 < (reviewed.parent.parent / "news.webm").stat().st_size  # linked, not embedded


def test_every_text_passes_wcag_aa_contrast_and_every_control_is_labelled(browser, programme):
    folder, _ = programme
    open_page(browser, folder / "out" / "news.review.html")
    browser.execute_script("captionsReview.seek(captionsReview.data.tracks[0].cues[2][0])")  # a highlighted row too
    failing = browser.execute_script("""
        const rgb = (text) => text.match(/[\\d.]+/g).map(Number);
        const luminance = ([r, g, b]) => [r, g, b].map((value) => { value /= 255;
            return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4; })
            .reduce((sum, value, index) => sum + value * [0.2126, 0.7152, 0.0722][index], 0);
        const background = (element) => { for (; element; element = element.parentElement) {
            const colour = rgb(getComputedStyle(element).backgroundColor);
            if (colour.length < 4 || colour[3] > 0) { return colour.slice(0, 3); } } return [255, 255, 255]; };
        const failing = [];
        for (const element of document.body.querySelectorAll("*")) {
            const own = Array.from(element.childNodes).some((node) => node.nodeType === 3 && node.textContent.trim());
            if (!own || !element.getClientRects().length) { continue; }
            const style = getComputedStyle(element), size = parseFloat(style.fontSize);
            const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
            const [a, b] = [luminance(rgb(style.color)), luminance(background(element))];
            const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
            if (ratio < (large ? 3 : 4.5)) { failing.push(`${element.tagName}.${element.className}: ${ratio.toFixed(2)}`); }
        }
        return failing;""")
    assert failing == []
    unlabelled = browser.execute_script("""return Array.from(document.querySelectorAll("select, input, button, canvas"))
        .filter((control) => !control.closest("label") && !control.getAttribute("aria-label") && !control.textContent.trim())
        .map((control) => control.outerHTML)""")
    assert unlabelled == []
    assert browser.find_element(By.CSS_SELECTOR, "#cues caption").text and \
        len(browser.find_elements(By.CSS_SELECTOR, "#cues thead th[scope=col]")) == 3


def test_keyboard_focus_is_visible(browser, reviewed):
    open_page(browser, reviewed)
    body = browser.find_element(By.TAG_NAME, "body")
    reached = set()
    for _ in range(14):
        body.send_keys("\t")
        tag, style, width = browser.execute_script("""const style = getComputedStyle(document.activeElement);
            return [document.activeElement.tagName, style.outlineStyle, parseFloat(style.outlineWidth)]""")
        reached.add(tag)
        if tag != "VIDEO":  # inside the player, Chromium's own controls draw the focus
            assert style != "none" and width >= 2, (tag, style, width)
    assert {"SELECT", "INPUT", "BUTTON"} <= reached


def test_doubtful_stretches_shot_changes_and_issues_are_drawn(browser, tmp_path):
    cues = [Cue(1, 3, ("One.",), ("",)), Cue(8, 8.3, ("Two.",), ("",))]
    track = Track("en", cues, doubtful=[Stretch(4.0, 6.0, "no speech found")], shot_changes=(Fraction(7),))
    track.issues = qc.check(cues, resolved(get_profile("netflix", "en"), 25))
    (tmp_path / "page.html").write_bytes(review_page("doubt", "netflix", [track]))
    open_page(browser, tmp_path / "page.html", media=False)
    assert pixel(browser, 0, 5.0) not in ((255, 255, 255), LANE_COLOURS[0])  # shaded, no cue there
    assert pixel(browser, 0, 7.0) == (255, 255, 255)
    mark = browser.execute_script("""const canvas = captionsReview.overview, view = canvas.view;
        return Array.from(canvas.getContext('2d').getImageData(Math.round(view.x(8)) + 1, Math.round(view.laneTop(0)) + 2,
            1, 1).data.slice(0, 3))""")
    assert tuple(mark) == (0xA4, 0x00, 0x1D)  # cue 2 is too short: an error mark over its start
    cut = browser.execute_script("""const canvas = captionsReview.overview, view = canvas.view;
        return Array.from(canvas.getContext('2d').getImageData(Math.floor(view.x(7)), 3, 1, 1).data.slice(0, 3))""")
    assert tuple(cut) == (0, 0, 0)  # the shot change, across the speech lane


def test_a_real_recording_plays_under_its_captions(browser, tmp_path):
    """Human speech (tests/data/realspeech: NST Swedish, CC0), not espeak-ng's: aligned, reviewed,
    the page read back in the browser and the SRT by `srt`."""
    data = Path(__file__).parent / "data" / "realspeech"
    item = json.loads((data / "references.json").read_text())["sv_nst_sentences"]
    shutil.copy(data / item["audio"], tmp_path / item["audio"])
    (tmp_path / "nst.txt").write_text("\n".join(unit["text"] for unit in item["units"]) + "\n")
    done = cli("make", "nst.txt", "--lang", "sv", "--audio", item["audio"], "--review", "--out", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    open_page(browser, tmp_path / "out" / "nst.review.html")
    assert errors_said(browser) == []
    assert browser.find_element(By.TAG_NAME, "audio").get_attribute("src").endswith(f"/{item['audio']}")
    cues = list(srt.parse((tmp_path / "out" / "nst.sv.srt").read_text()))
    assert len(browser.find_elements(By.CSS_SELECTOR, "#cues .cue")) == len(cues)
    assert browser.execute_script("return document.getElementById('player').textTracks[0].cues.length") == len(cues)
    duration = browser.execute_script("return document.getElementById('player').duration")
    assert abs(len(browser.execute_script("return captionsReview.data.waveform.values")) - duration * 10) <= 2
    first = float(browser.find_element(By.CSS_SELECTOR, "#cues .cue").get_attribute("data-start"))
    assert abs(first - item["units"][0]["start"]) < 0.25  # on the speech, not at 0


def test_n_visits_every_cue_with_an_issue_and_cues_show_their_timecodes(browser, programme):
    # Issue 31, item 16: a row holding two short Japanese-like cues under one long one visited both;
    # each cue shows its start, end and duration as timecode at the track's rate; the timeline folds.
    folder, _ = programme
    (folder / "rows").mkdir(exist_ok=True)
    (folder / "rows" / "two.en.srt").write_text("1\n00:00:00,500 --> 00:00:06,000\nOne long English cue.\n\n")
    (folder / "rows" / "two.fr.srt").write_text("1\n00:00:01,000 --> 00:00:01,200\nUn.\n\n"
                                               "2\n00:00:03,000 --> 00:00:03,200\nDeux.\n\n")
    done = cli("review", "rows/two.en.srt", "rows/two.fr.srt", "--media", "news.webm", "--fps", "25", "--out", "rows",
               cwd=folder)
    assert done.returncode == 0, done.stderr
    open_page(browser, folder / "rows" / "two.review.html")
    rows = browser.execute_script("return document.querySelectorAll('#cues tbody tr').length")
    body = browser.find_element(By.TAG_NAME, "body")
    now = "return document.getElementById('player').currentTime"
    visited = []
    for _ in range(3):
        body.send_keys("n")
        visited.append(round(browser.execute_script(now), 3))
    assert visited[:2] == [1.0, 3.0], (visited, rows)
    body.send_keys("N")
    assert browser.execute_script(now) == pytest.approx(1.0)
    spans = browser.execute_script("return Array.from(document.querySelectorAll('#cues .cue')).map("
                                   "(cue) => cue.querySelector('.seek').textContent + ' ' + cue.querySelector('.span').textContent)")
    assert "00:00:03:00 to 00:00:03:05, 00:00:00:05" in spans
    sticky = "return document.querySelector('.player').getBoundingClientRect().height"
    before = browser.execute_script(sticky)
    body.send_keys("t")
    assert browser.execute_script(sticky) < before - 100
    assert browser.find_element(By.ID, "toggle-timeline").get_attribute("aria-expanded") == "false"
    body.send_keys("t")
    assert browser.execute_script(sticky) == pytest.approx(before, abs=2)
    assert errors_said(browser) == []
