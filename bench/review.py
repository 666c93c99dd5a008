"""Benchmark: the review page of a long programme in headless Chromium: 2,000 cues in each of 4
languages with their QC issues and a 2-hour waveform.

Run: python bench/review.py (needs Debian's chromium and chromium-driver, as the tests do). The
peer, in the same browser and run, is a bare page with the same table cells and no style or
script: what the browser itself costs for that much text. Printed: page size, load time to the
page's script being done, frames while scrolling the whole table (the longest frame, and frames
over 50 ms, which a user sees as jank), and a filter change, a seek and a key press.
"""

from __future__ import annotations

import html
import random
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from captions import qc
from captions.context import resolved
from captions.model import Cue, Stretch, Track
from captions.profiles import get_profile
from captions.review import review_page

WORDS = "the minister said that talks with the mayor would go on next week in the town hall".split()

SCROLL = """const done = arguments[0], frames = [];
    const table = document.getElementById('cues'), bottom = table.offsetTop + table.offsetHeight;
    let last = performance.now(), y = 0;
    function frame(now) { frames.push(now - last); last = now; y += 2000; window.scrollTo(0, y);
        if (y < bottom) { requestAnimationFrame(frame); } else { done(frames); } }
    requestAnimationFrame((now) => { last = now; requestAnimationFrame(frame); });"""


def tracks(count: int = 2000, languages: tuple[str, ...] = ("en", "fr", "de", "ja")) -> list[Track]:
    """Four languages of a 2-hour programme, each cut a little differently, with their QC issues."""
    made = []
    for number, lang in enumerate(languages):
        rng = random.Random(number)
        at, cues = Fraction(0), []
        for _ in range(count):
            length = Fraction(rng.randint(30, 90), 25)
            words = [rng.choice(WORDS) for _ in range(rng.randint(4, 14))]
            middle = len(words) // 2
            cues.append(Cue(at, at + length, (" ".join(words[:middle]), " ".join(words[middle:])), ("", "")))
            at += length + Fraction(rng.randint(2, 20), 25)
        track = Track(lang, cues, fps=25, doubtful=[Stretch(600.0, 660.0, "low confidence")])
        track.issues = qc.check(cues, resolved(get_profile("netflix", lang), 25))
        made.append(track)
    return made


def bare_page(tracks: list[Track]) -> bytes:
    cells = "".join("<tr>" + "".join(f"<td>{html.escape(' '.join(track.cues[index].lines))}</td>" for track in tracks)
                    + "</tr>" for index in range(len(tracks[0].cues)))
    return f"<!doctype html><html><body><table id='cues'>{cells}</table></body></html>".encode()


def browser() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def measure(driver: webdriver.Chrome, page: Path, scripted: bool) -> dict[str, float]:
    driver.get("about:blank")
    started = time.perf_counter()
    driver.get(page.as_uri())
    if scripted:
        driver.execute_script("return window.captionsReview.rows.length")
    loaded = time.perf_counter() - started
    frames = driver.execute_async_script(SCROLL)[1:]
    found = {"load s": loaded, "longest frame ms": max(frames), "frames over 50 ms": sum(f > 50 for f in frames),
             "frames": len(frames)}
    if scripted:
        found["filter ms"] = driver.execute_script("""const rule = document.getElementById('rule'), t = performance.now();
            rule.value = 'reading-speed'; rule.dispatchEvent(new Event('change')); document.body.offsetHeight;
            return performance.now() - t;""")
        seeks = driver.execute_async_script("""const done = arguments[0], times = [];
            const next = (left) => { if (!left) { done(times); return; }
                const t = performance.now(); captionsReview.seek(600 * left); captionsReview.draw();
                document.body.offsetHeight; times.push(performance.now() - t); requestAnimationFrame(() => next(left - 1)); };
            requestAnimationFrame(() => next(8));""")
        found["seek ms (median of 8)"] = sorted(seeks)[len(seeks) // 2]
        found["next issue ms"] = driver.execute_script("""const t = performance.now();
            document.getElementById('next-issue').click(); document.body.offsetHeight; return performance.now() - t;""")
    return found


def main() -> None:
    made = tracks()
    started = time.perf_counter()
    page = review_page("long programme", "netflix", made, None,
                       {"step": 0.12, "values": [random.Random(9).randint(0, 100) for _ in range(60_000)]})
    built = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "review.html").write_bytes(page)
        (Path(scratch) / "bare.html").write_bytes(bare_page(made))
        print(f"2,000 cues x 4 languages, {sum(len(t.issues) for t in made)} issues: page {len(page) / 1e6:.2f} MB, "
              f"made in {built:.2f} s")
        driver = browser()
        try:
            for name, scripted in (("bare table (peer)", False), ("review page", True)):
                found = measure(driver, Path(scratch) / f"{name.split()[0]}.html" if not scripted
                                else Path(scratch) / "review.html", scripted)
                print(f"{name:<20} " + ", ".join(f"{key} {value:.1f}" if isinstance(value, float) else f"{key} {value}"
                                                  for key, value in found.items()))
        finally:
            driver.quit()


if __name__ == "__main__":
    sys.exit(main())
