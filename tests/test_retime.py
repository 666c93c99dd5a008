"""captions retime: shifts, frame-rate changes and sync points, exact to the frame, in every format
captions writes; round trips return the same frames; the frame rules hold after a re-quantising change."""

import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from captions.context import resolved
from captions.formats import read_cues
from captions.model import Cue, Track
from captions.profiles import get_profile
from captions.retime import Retiming, make_retiming, nearest_frame, retime_track

NTSC_FILM = Fraction(24000, 1001)
SCRIPT = ("Japan and US agree\nThe leaders met in Washington on Wednesday and talked for two hours.\n"
          "S/ Ann Lee, Reporter: It was a long day, and a short night.\nThey agreed to meet again next year.\n")


def cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "captions.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd)


def frames(path, fps):
    return [(round(cue.start * fps), round(cue.end * fps), cue.lines) for cue in read_cues(path)]


@pytest.fixture()
def made(tmp_path):
    (tmp_path / "show.txt").write_text(SCRIPT * 3)
    done = cli("make", "show.txt", "-f", "srt,vtt,imsc,ebu-tt-d,stl,scc", "--out", "a", "--start", "2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path


@pytest.mark.parametrize("name", ["show.en.srt", "show.en.vtt", "show.en.imsc.ttml", "show.en.ebu-tt-d.xml"])
def test_pal_speed_up_and_back_returns_the_same_frames(made, name):
    there = cli("retime", f"a/{name}", "--from-fps", "23.976", "--to-fps", "25", "--out", "b", cwd=made)
    assert there.returncode == 0, there.stderr
    retimed = next((made / "b").iterdir())
    assert ".retimed." in retimed.name
    assert [(a, b) for a, b, _ in frames(retimed, 25)] == [(a, b) for a, b, _ in frames(made / "a" / name, NTSC_FILM)]
    back = cli("retime", retimed, "--from-fps", "25", "--to-fps", "23.976", "--out", "c", cwd=made)
    assert back.returncode == 0, back.stderr
    assert frames(next((made / "c").iterdir()), NTSC_FILM) == frames(made / "a" / name, NTSC_FILM)


@pytest.mark.parametrize("name, fps, rate", [("show.en.stl", None, Fraction(30000, 1001)),  # STL30.01: its own rate
                                             ("show.en.scc", None, Fraction(30000, 1001)),
                                             ("show.en.srt", "23.976", NTSC_FILM)])
def test_a_shift_and_its_reverse_return_the_same_frames(made, name, fps, rate):
    rate_option = ["--fps", fps] if fps else []
    there = cli("retime", f"a/{name}", "--shift", "+00:00:03:07", *rate_option, "--out", "b", cwd=made)
    assert there.returncode == 0 and "gap" not in there.stdout and "moved" not in there.stdout, there.stdout
    retimed = next((made / "b").iterdir())
    original = frames(made / "a" / name, rate)
    moved = frames(retimed, rate)
    assert [(a - 3 * round(rate) - 7, b - 3 * round(rate) - 7, lines) for a, b, lines in moved] == original
    assert cli("retime", retimed, "--shift", "-00:00:03:07", *rate_option, "--out", "c", cwd=made).returncode == 0
    assert frames(next((made / "c").iterdir()), rate) == original


def test_two_sync_points_correct_a_drift_and_the_frame_rules_hold_after(made):
    done = cli("retime", "a/show.en.srt", "--sync", "0:00:02=0:00:03", "--sync", "0:00:52=0:00:53.5", "--fps", "23.976",
               "--out", "b", cwd=made)
    assert done.returncode == 0, done.stderr
    before, after = read_cues(made / "a" / "show.en.srt"), read_cues(made / "b" / "show.en.retimed.srt")
    for old, new in zip(before, after):  # t -> 1.01 t + 0.98, to the nearest frame, unless a rule moved it
        assert abs(float(new.start) - (1.01 * float(old.start) + 0.98)) <= 1 / 23.976 + 1e-3
    profile = get_profile("netflix", "en")
    gaps = [round((b.start - a.end) * NTSC_FILM) for a, b in zip(after, after[1:])]
    assert min(gaps) >= profile.min_gap_frames


def test_relabelling_the_rate_keeps_times_and_reports_what_the_rules_moved(made):
    done = cli("retime", "a/show.en.srt", "--to-fps", "25", "--fps", "23.976", "--out", "b", cwd=made)
    assert done.returncode == 0, done.stderr
    before, after = read_cues(made / "a" / "show.en.srt"), read_cues(made / "b" / "show.en.retimed.srt")
    assert len(before) == len(after)
    for old, new in zip(before, after):
        assert abs(float(new.start - old.start)) <= 0.5 / 25 + 1e-3 or "moved by the frame rules" in done.stdout
        assert new.start * 25 == round(new.start * 25)  # on the new rate's frames
    assert min(round((b.start - a.end) * 25) for a, b in zip(after, after[1:])) >= 2


def test_in_place_keeps_a_backup_and_bad_options_write_nothing(made):
    original = (made / "a" / "show.en.vtt").read_bytes()
    assert cli("retime", "a/show.en.vtt", "--shift", "1", "--in-place", cwd=made).returncode == 0
    assert (made / "a" / "show.en.vtt.bak").read_bytes() == original != (made / "a" / "show.en.vtt").read_bytes()
    for options, code, said in [(["--shift", "soon"], 2, "cannot read time"), (["--sync", "1=2", "--sync", "3=4",
                                 "--sync", "5=6"], 2, "one point"), (["--sync", "5=5", "--sync", "5=6"], 2, "different"),
                                (["--from-fps", "25"], 2, "needs --to-fps"), ([], 2, "nothing to do"),
                                (["--to-fps", "26"], 2, "unsupported frame rate")]:
        done = cli("retime", "a/show.en.srt", *options, "--out", "never", cwd=made)
        assert done.returncode == code and said in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert not (made / "never").exists()
    missing = cli("retime", "nothing.srt", "--shift", "1", cwd=made)
    assert missing.returncode == 3 and "nothing.srt" in missing.stderr


def test_a_shift_that_would_put_a_cue_before_the_start_is_refused(made):
    done = cli("retime", "a/show.en.srt", "--shift", "-4s", "--out", "b", cwd=made)
    assert done.returncode == 2 and "cue 1" in done.stderr and "before the programme's start" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and not (made / "b").exists()


cue_frames = st.lists(st.tuples(st.integers(0, 40), st.integers(20, 160)), min_size=1, max_size=30)


def on_frames(spans, rate):
    at, cues = 3000, []
    for gap, length in spans:
        at += gap + 2
        cues.append(Cue(Fraction(at) / rate, Fraction(at + length) / rate, ("x",), ("",)))
        at += length
    return Track("en", cues, fps=rate)


@settings(max_examples=60, deadline=None)
@given(cue_frames, st.integers(-2000, 2000), st.sampled_from([25, NTSC_FILM, Fraction(30000, 1001), 50]))
def test_whole_frame_changes_are_undone_exactly(spans, shift, rate):
    profile = resolved(get_profile("netflix", "en"))
    track = on_frames(spans, rate)
    there, _ = retime_track(track, Retiming(Fraction(rate)).then(Fraction(1), Fraction(shift) / rate), profile)
    back, _ = retime_track(there, Retiming(Fraction(rate)).then(Fraction(1), Fraction(-shift) / rate), profile)
    assert [(c.start, c.end) for c in back.cues] == [(c.start, c.end) for c in track.cues]
    film = on_frames(spans, NTSC_FILM)
    sped, _ = retime_track(film, make_retiming(NTSC_FILM, from_fps="23.976", to_fps="25"), profile)
    assert [(c.start * 25, c.end * 25) for c in sped.cues] == [(c.start * NTSC_FILM, c.end * NTSC_FILM) for c in film.cues]
    slower, _ = retime_track(sped, make_retiming(Fraction(25), from_fps="25", to_fps="23.976"), profile)
    assert [(c.start, c.end) for c in slower.cues] == [(c.start, c.end) for c in film.cues]


def test_a_new_start_timecode_moves_the_programme_onto_it(made):
    done = cli("retime", "a/show.en.srt", "--start", "10:00:00:00", "--fps", "23.976", "--out", "b", cwd=made)
    assert done.returncode == 0, done.stderr
    before, after = frames(made / "a" / "show.en.srt", NTSC_FILM), frames(made / "b" / "show.en.retimed.srt", NTSC_FILM)
    hour_frames = 10 * 3600 * 24  # 10:00:00:00 counts 24 frames a second at 23.976 (non-drop)
    assert [(a - hour_frames, b - hour_frames, lines) for a, b, lines in after] == before


def test_the_bbcs_own_ebu_tt_d_shifted_still_validates_and_ttconv_reads_every_time_moved(tmp_path):
    """A file made by others (tests/data/ttml: the BBC validator's EBU-TT-D, BSD-3), read back by the
    EBU's schema and by ttconv, not by captions' own reader."""
    import xml.etree.ElementTree as ET

    import xmlschema
    from ttconv.imsc import reader as imsc_reader
    from ttconv_view import paragraphs, read_quietly

    data = Path(__file__).parent / "data"
    source = tmp_path / "bbc.en.ebu-tt-d.xml"
    source.write_bytes((data / "ttml" / "bbc_ebu_tt_d.xml").read_bytes())
    done = cli("retime", source.name, "--shift", "+00:00:02:05", "--fps", "25", "--profile", "bbc", cwd=tmp_path)
    assert done.returncode == 0 and "moved" not in done.stdout, done.stdout + done.stderr
    retimed = tmp_path / "bbc.en.retimed.ebu-tt-d.xml"
    xmlschema.XMLSchema(str(data / "ebu-tt-d-xsd" / "ebutt_d.xsd")).validate(str(retimed))

    def times(path):
        return [(begin, end, " ".join(lines).split()) for begin, end, lines in
                paragraphs(read_quietly(imsc_reader.to_model, ET.parse(path)))]

    # every time onto its nearest 25 fps frame (the BBC's are in milliseconds, some on half frames), then
    # 2 s 5 frames later: no frame rule has anything to do
    assert [(nearest_frame(begin * 25) + 55, nearest_frame(end * 25) + 55, words) for begin, end, words in times(source)] == \
        [(begin * 25, end * 25, words) for begin, end, words in times(retimed)]
