"""The aligner on real human speech (tests/data/realspeech, CC0): accepted, on the speech, and another
transcript refused. Synthetic recordings alone hid that every real recording was refused."""

import json

import numpy as np
import pytest
from conftest import ROOT

from captions.align import align_texts
from captions.audio import decode
from captions.errors import MediaError

DATA = ROOT / "tests" / "data" / "realspeech"
ITEMS = json.loads((DATA / "references.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def recordings():
    return {name: decode(DATA / item["audio"]) for name, item in ITEMS.items()}


@pytest.mark.parametrize("name", sorted(ITEMS))
def test_real_speech_is_accepted_and_aligned_on_the_speech(recordings, name):
    item = ITEMS[name]
    timings, report = align_texts(recordings[name], [unit["text"] for unit in item["units"]], item["lang"])
    errors = np.array([[timing.start - unit["start"], timing.end - unit["end"]]
                       for timing, unit in zip(timings, item["units"])]) * 1000
    assert np.abs(errors).max() <= 60, errors  # measured: 15 ms (sv) and 11 ms (ja) at most
    assert all(timing.confident for timing in timings) and not report.doubtful
    assert timings[0].start > 0.9  # the leading silence (1.2 s, 1.0 s) is skipped


@pytest.mark.parametrize("audio, text", [("sv_nst_sentences", "ja_cv_camp"), ("ja_cv_camp", "sv_nst_sentences")])
def test_a_transcript_of_other_speech_is_refused(recordings, audio, text):
    item = ITEMS[text]
    with pytest.raises(MediaError, match="does not match"):
        align_texts(recordings[audio], [unit["text"] for unit in item["units"]], item["lang"])


def test_the_refusal_names_both_files(tmp_path):
    import subprocess
    import sys

    script = tmp_path / "swedish.txt"
    script.write_text("\n".join(unit["text"] for unit in ITEMS["sv_nst_sentences"]["units"]) + "\n")
    media = DATA / "ja_cv_camp.mp3"
    done = subprocess.run([sys.executable, "-m", "captions.cli", "make", script, "--lang", "sv", "--audio", media,
                           "--out", tmp_path / "out"], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert done.returncode == 5 and len(done.stderr.splitlines()) == 1
    assert str(script) in done.stderr and str(media) in done.stderr and "does not match" in done.stderr
    assert not (tmp_path / "out").exists()
