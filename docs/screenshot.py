"""Make docs/review.png, the README's picture of the review page: the sample programme spoken by
espeak-ng over ffmpeg's test picture, captioned by forced alignment with `--review`, and the page
photographed in headless Chromium at the third cue.

Run: python docs/screenshot.py (needs Debian's chromium and chromium-driver).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from captions.audio import ffmpeg_binary
from captions.speech import synthesise

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "samples" / "inputs" / "news.txt"


def speak(lines: list[str], path: Path) -> None:
    """Each line of the script spoken (a sound bite's text, not its speaker's name), with pauses."""
    pieces = []
    for line in lines:
        text = line.split(":", 1)[1] if line.startswith("S/") else line
        samples, rate = synthesise(text, "en-us", 160)
        pieces += [samples.astype(np.int16), np.zeros(rate // 2, dtype=np.int16)]
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(np.concatenate(pieces).tobytes())


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        speak([line for line in SAMPLE.read_text().splitlines() if line.strip()], folder / "news.wav")
        subprocess.run([ffmpeg_binary(), "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                        "testsrc=size=640x360:rate=25", "-i", folder / "news.wav", "-shortest", "-c:v", "libvpx",
                        "-b:v", "300k", "-c:a", "libopus", folder / "news.webm"], check=True)
        subprocess.run([sys.executable, "-m", "captions.cli", "make", str(SAMPLE), "--audio", "news.webm",
                        "--out", ".", "--review", "--quiet"], check=True, cwd=folder)
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--mute-audio", "--window-size=1200,1100"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            driver.get((folder / "news.review.html").as_uri())
            driver.execute_async_script("""const done = arguments[0], player = document.getElementById('player');
                const wait = () => player.readyState >= 2 ? done() : setTimeout(wait, 50); wait();""")
            driver.execute_async_script("""const done = arguments[0];
                captionsReview.seek(captionsReview.data.tracks[0].cues[2][0] + 0.5);
                document.getElementById('player').addEventListener('seeked', () => setTimeout(done, 300), {once: true});""")
            driver.execute_script("window.scrollTo(0, 0)")
            driver.save_screenshot(str(HERE / "review.png"))
        finally:
            driver.quit()


if __name__ == "__main__":
    main()
