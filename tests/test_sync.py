"""captions sync: a caption file re-timed to a new cut of the media by listening alone, on a small
programme of real recordings (tests/data/realspeech, CC0) with the captions' words replaced."""

import json
import subprocess
import sys
import wave
from datetime import timedelta
from fractions import Fraction

import numpy as np
import pytest
import srt
from test_realspeech import _programme

from captions.listening import listen
from captions.sync import find_transform, speech_activity

OTHER_WORDS = "東京の天気は明日も晴れるでしょう"  # words in another language than is spoken: never used


# Five recordings, none twice (a programme that repeats one fits a cut more ways than one): 2.6 min.
PLAN = [("sv_nst_sentences", -4, 30, 2.0, "room"), ("en_mfa_cold3", 2, 28, 3.0, "music"),
        ("en_lj_printing_80s", 0, 35, 2.5, "room"), ("es_mls_persuasion", -2, 32, 2.0, "music"),
        ("ja_cv_camp", 0, 30, 2.5, "room")]
# Seconds cut from the media: the end of a recording, a join and the start of the next, as an editor
# cuts a scene. A cut inside one unbroken reading is found, but placed a few cues off (77% within 100 ms).
CUT = (45, 65)


@pytest.fixture(scope="module")
def programme():
    """(samples, speech, cues): the programme, its speech, and cues of its true sentences (a sentence
    over 6 s in equal parts, as a subtitler cuts it)."""
    samples, _, truth, _ = _programme(PLAN)
    cues = []
    for start, end in truth:
        parts = max(1, int(np.ceil((end - start) / 6.0)))
        cues += [(start + (end - start) * part / parts, start + (end - start) * (part + 1) / parts - 0.1)
                 for part in range(parts)]
    return samples, speech_activity(listen(samples).bands), cues


def _within(found, truth):
    return np.mean([abs(a - b) <= 0.1 for a, b in zip(found, truth)])


def test_an_offset_is_found_by_listening(programme):
    _, speech, cues = programme
    transform = find_transform(speech, [(start + 2.5, end + 2.5) for start, end in cues])
    offsets = transform.offsets(len(cues))
    assert transform.ratio == 1 and len(transform.pieces) == 1 and not transform.left_out and transform.sure()
    assert _within([start + 2.5 + offset for (start, _), offset in zip(cues, offsets)], [s for s, _ in cues]) >= 0.95


def test_a_frame_rate_change_is_found(programme):
    # Captions timed for 25 fps, the master played at 23.976: every time 25/23.976 later, then 1.3 s off.
    _, speech, cues = programme
    slower = Fraction(25) / Fraction(24000, 1001)
    given = [((start - 1.3) / float(slower), (end - 1.3) / float(slower)) for start, end in cues]
    transform = find_transform(speech, given)
    assert transform.ratio == slower and not transform.fitted and len(transform.pieces) == 1
    found = [float(slower) * start + transform.pieces[0].offset for start, _ in given]
    assert _within(found, [s for s, _ in cues]) >= 0.95


def test_a_cut_scene_is_found_and_its_cues_left_out(programme):
    # 20 s cut from the media at 0:45: one offset cannot fit both sides (ffsubsync's case to lose).
    _, speech, cues = programme
    first, last = CUT
    cut = np.r_[speech[: first * 100], speech[last * 100 :]]
    transform = find_transform(cut, cues)
    offsets = transform.offsets(len(cues))
    truth = [None if end > first and start < last else start if start < first else start - (last - first)
             for start, end in cues]
    kept = [(start + offset, true) for (start, _), offset, true in zip(cues, offsets, truth)
            if true is not None and offset is not None]
    assert len(kept) >= 0.95 * sum(true is not None for true in truth)
    assert _within(*zip(*kept)) >= 0.95
    assert [round(piece.offset) for piece in transform.pieces] == [0, first - last]
    removed = [index for index, true in enumerate(truth) if true is None]
    assert sum(offsets[index] is None for index in removed) >= len(removed) - 2  # a cue across the cut may stay


def _srt(path, cues):
    path.write_text(srt.compose([srt.Subtitle(k + 1, timedelta(seconds=a), timedelta(seconds=b),
                                              f"{k + 1} {OTHER_WORDS}\n<i>{OTHER_WORDS[:5]}</i>")
                                 for k, (a, b) in enumerate(cues)]), encoding="utf-8")


def _wav(path, samples):
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())


def test_captions_in_another_language_are_synced_end_to_end(programme, tmp_path):
    samples, _, cues = programme
    _wav(tmp_path / "show.wav", samples)
    _srt(tmp_path / "show.ja.srt", [(start + 2.5, end + 2.5) for start, end in cues])
    done = subprocess.run([sys.executable, "-m", "captions.cli", "sync", str(tmp_path / "show.ja.srt"), "--to",
                           str(tmp_path / "show.wav"), "--json", "--review"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    report, = json.loads(done.stdout)
    assert report["offset"] == pytest.approx(-2.5, abs=0.05) and report["ratio"] == 1 and not report["left_out"]
    synced = list(srt.parse((tmp_path / "show.ja.synced.srt").read_text(encoding="utf-8")))
    before = list(srt.parse((tmp_path / "show.ja.srt").read_text(encoding="utf-8")))
    assert [cue.content for cue in synced] == [cue.content for cue in before]  # text and styling kept
    assert _within([cue.start.total_seconds() for cue in synced], [start for start, _ in cues]) >= 0.95
    durations = [(cue.end - cue.start).total_seconds() - (old.end - old.start).total_seconds()
                 for cue, old in zip(synced, before)]
    assert max(map(abs, durations)) <= 0.05  # each cue's length kept, to a frame
    page = (tmp_path / "show.review.html").read_text(encoding="utf-8")
    head = page.split("<header>", 1)[1].split("</header>", 1)[0]
    assert "Synced by listening" in head and "offset -2.5" in head and 'src="show.wav"' in page


def test_captions_for_other_media_are_refused(programme, tmp_path):
    # The Swedish and Spanish readings joined instead: no change fits, and nothing is written.
    other, *_ = _programme([("sv_nst_sentences", 0, 30, 2.0, "room"), ("es_mls_persuasion", -3, 28, 2.5, "music"),
                                     ("sv_nst_sentences", 2, 26, 3.0, "room"), ("es_mls_persuasion", 0, 30, 2.0, "room")])
    _wav(tmp_path / "other.wav", other)
    _, _, cues = programme
    _srt(tmp_path / "show.srt", cues)
    done = subprocess.run([sys.executable, "-m", "captions.cli", "sync", str(tmp_path / "show.srt"), "--to",
                           str(tmp_path / "other.wav")], capture_output=True, text=True)
    assert done.returncode == 5 and len(done.stderr.splitlines()) == 1 and "other media" in done.stderr
    assert not (tmp_path / "show.synced.srt").exists()


def test_a_batch_row_syncs_its_caption_file_and_a_bad_row_leaves_the_others(programme, tmp_path):
    samples, _, cues = programme
    _wav(tmp_path / "show.wav", samples)
    _wav(tmp_path / "silence.wav", np.zeros(16000 * 5))
    _srt(tmp_path / "ep1.ja.srt", [(start - 1.5, end - 1.5) for start, end in cues if start > 2])
    _srt(tmp_path / "ep2.ja.srt", cues)
    (tmp_path / "archive.csv").write_text("input,sync,out\nep1.ja.srt,show.wav,synced\nep2.ja.srt,silence.wav,synced\n")
    done = subprocess.run([sys.executable, "-m", "captions.cli", "batch", str(tmp_path / "archive.csv")],
                          capture_output=True, text=True)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "ep2.ja.srt" in done.stdout + done.stderr and "silent" in done.stdout + done.stderr
    synced = list(srt.parse((tmp_path / "synced" / "ep1.ja.synced.srt").read_text(encoding="utf-8")))
    truth = [start for start, _ in cues if start > 2]
    assert _within([cue.start.total_seconds() for cue in synced], truth) >= 0.95
    report = json.loads((tmp_path / "run-report.json").read_text())
    assert [entry["status"] for entry in report["programmes"]] == ["done", "failed"]
    assert "offset +1.5" in report["programmes"][0]["languages"][0]["synced"]  # the change found, reported
    assert not (tmp_path / "synced" / "ep2.ja.synced.srt").exists()


def test_a_drift_no_standard_rate_explains_is_fitted(programme):
    # A master played 0.25% slower than the captions were timed for: between 1 and 24/23.976.
    _, speech, cues = programme
    given = [((start - 0.7) / 1.0025, (end - 0.7) / 1.0025) for start, end in cues]
    transform = find_transform(speech, given)
    assert transform.fitted and abs(float(transform.ratio) - 1.0025) < 0.0003, transform.ratio
    found = [float(transform.ratio) * start + transform.pieces[0].offset for start, _ in given]
    assert _within(found, [s for s, _ in cues]) >= 0.95


def test_in_place_keeps_the_old_file_and_bad_inputs_get_one_line(programme, tmp_path):
    samples, _, cues = programme
    _wav(tmp_path / "show.wav", samples)
    _srt(tmp_path / "show.srt", [(start + 1.0, end + 1.0) for start, end in cues])
    before = (tmp_path / "show.srt").read_bytes()
    done = subprocess.run([sys.executable, "-m", "captions.cli", "sync", str(tmp_path / "show.srt"), "--to",
                           str(tmp_path / "show.wav"), "--in-place"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "show.srt.bak").read_bytes() == before and (tmp_path / "show.srt").read_bytes() != before
    (tmp_path / "empty.srt").write_bytes(b"")
    for media, code, words in (("show.wav", 3, "empty"), ("missing.wav", 5, "missing.wav")):
        source = tmp_path / "empty.srt" if code == 3 else tmp_path / "show.srt"
        done = subprocess.run([sys.executable, "-m", "captions.cli", "sync", str(source), "--to",
                               str(tmp_path / media), "--out", str(tmp_path / "out")], capture_output=True, text=True)
        assert done.returncode == code and len(done.stderr.splitlines()) == 1 and words in done.stderr, done.stderr
        assert not (tmp_path / "out").exists()


def test_a_cut_scenes_cues_are_reported_left_out_and_its_neighbours_marked(programme, tmp_path):
    samples, _, cues = programme
    first, last = CUT
    _wav(tmp_path / "recut.wav", np.r_[samples[: first * 16000], samples[last * 16000 :]])
    _srt(tmp_path / "show.srt", cues)
    done = subprocess.run([sys.executable, "-m", "captions.cli", "sync", str(tmp_path / "show.srt"), "--to",
                           str(tmp_path / "recut.wav"), "--json"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    report, = json.loads(done.stdout)
    removed = [number for number, (start, end) in enumerate(cues, start=1) if end > first and start < last]
    assert set(report["left_out"]) <= set(removed) and len(report["left_out"]) >= len(removed) - 2
    assert [round(piece["offset"]) for piece in report["pieces"]] == [0, first - last]
    assert all(f"cue {number} " in " ".join(report["notes"]) for number in report["left_out"])
    marked = [issue["cue"] for issue in report["issues"] if issue["rule"] == "sync-cut"]
    assert marked and all(report["pieces"][0]["to_cue"] - 1 <= number <= report["pieces"][0]["to_cue"] + 1
                          for number in marked)


def test_sync_hears_the_pause_levels_alone_and_hears_them_alike(programme):
    # Sync needs no MFCCs (half the listening time): the pause levels are the same without them.
    samples, speech, _ = programme
    alone = listen(samples[: 16000 * 30], voices=False)
    assert alone.mfcc.shape[1] == 0 and np.array_equal(alone.bands, listen(samples[: 16000 * 30]).bands)
    assert np.array_equal(speech_activity(listen(samples, voices=False).bands), speech)


def test_a_synced_ebu_tt_d_validates_and_ttconv_reads_it_on_the_speech(programme, tmp_path):
    # Read back by the EBU's schema and by ttconv (an independent reader), not by captions' own.
    import xml.etree.ElementTree as ET

    import xmlschema
    from conftest import ROOT
    from ttconv.imsc import reader as imsc_reader
    from ttconv_view import paragraphs, read_quietly

    samples, _, cues = programme
    _wav(tmp_path / "show.wav", samples)
    _srt(tmp_path / "show.srt", [(start + 2.5, end + 2.5) for start, end in cues])
    made = subprocess.run([sys.executable, "-m", "captions.cli", "convert", str(tmp_path / "show.srt"), "-f", "ebu-tt-d",
                           "--fps", "25"], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    done = subprocess.run([sys.executable, "-m", "captions.cli", "sync", str(tmp_path / "show.en.ebu-tt-d.xml"), "--to",
                           str(tmp_path / "show.wav"), "--profile", "bbc"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    synced = tmp_path / "show.en.synced.ebu-tt-d.xml"
    xmlschema.XMLSchema(str(ROOT / "tests" / "data" / "ebu-tt-d-xsd" / "ebutt_d.xsd")).validate(str(synced))
    found = paragraphs(read_quietly(imsc_reader.to_model, ET.parse(synced)))
    assert [lines[0].split()[0] for _, _, lines in found] == [str(number) for number in range(1, len(cues) + 1)]
    assert _within([float(begin) for begin, _, _ in found], [start for start, _ in cues]) >= 0.95


@pytest.mark.parametrize(("captions", "media", "code", "words"), [
    ("show.srt", "fifo", 5, "not a regular file"),  # a FIFO never hangs the job
    ("show.srt", "noise.bin", 5, "cannot decode media"),
    ("show.srt", "show.srt", 5, "not media"),
    ("fifo", "show.wav", 3, "not a regular file"),
    ("noise.srt", "show.wav", 3, "binary data"),
    ("one.srt", "show.wav", 5, "other media"),  # one cue: too little to tell where it goes
])
def test_hostile_inputs_get_one_line_and_nothing_is_written(programme, tmp_path, captions, media, code, words):
    import os

    samples, _, cues = programme
    _wav(tmp_path / "show.wav", samples[: 16000 * 20])
    _srt(tmp_path / "show.srt", cues[:3])
    _srt(tmp_path / "one.srt", cues[:1])
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "noise.bin").write_bytes(np.random.default_rng(1).bytes(50_000))
    (tmp_path / "noise.srt").write_bytes(np.random.default_rng(2).bytes(50_000))
    done = subprocess.run([sys.executable, "-m", "captions.cli", "sync", str(tmp_path / captions), "--to",
                           str(tmp_path / media), "--out", str(tmp_path / "out")], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == code and len(done.stderr.splitlines()) == 1 and words in done.stderr, done.stderr
    assert not (tmp_path / "out").exists()
