"""Shot changes: found in generated video with known cuts (ffmpeg's sources, espeak-ng's speech),
read from lists and EDLs, and cue times that obey the 12-frame rules after timing."""

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
import srt
from recordings import make as speak_to_wav
from shot_video import SOURCES, make_video

from captions.shots import detect, read_list

RATE = 25


def cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "captions.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd)


@pytest.fixture(scope="module")
def programme(tmp_path_factory):
    """About 50 s of speech over shots of every kind of picture, cut a few frames from where the
    captions' in- and out-times fall without shot changes (so that every rule has work to do)."""
    folder = tmp_path_factory.mktemp("shots")
    sentences, _ = speak_to_wav(folder / "speech.wav", seed=4)
    (folder / "news.txt").write_text("\n".join(sentences) + "\n")
    plain = cli("make", "news.txt", "--audio", "speech.wav", "--fps", "25", "--out", "plain", cwd=folder)
    assert plain.returncode == 0, plain.stderr
    natural = [(round(cue.start.total_seconds() * RATE), round(cue.end.total_seconds() * RATE))
               for cue in srt.parse((folder / "plain" / "news.en.srt").read_text())]
    wanted = []
    for index, (start, end) in enumerate(natural):
        wanted.append(start + (-7, 6, 11, -3)[index % 4] if index % 2 else end + (4, -8, 9, -11)[index % 4])
    cuts = []
    for cut in sorted(wanted):
        if cut - (cuts[-1] if cuts else 0) >= 25:
            cuts.append(cut)
    total = natural[-1][1] + 50
    lengths = [b - a for a, b in zip([0, *cuts], [*cuts, total])]
    shots = [(SOURCES[index % len(SOURCES)], length) for index, length in enumerate(lengths)]
    assert make_video(folder / "news.webm", shots, RATE, audio=folder / "speech.wav") == cuts
    return folder, cuts


def test_every_cut_is_found_within_a_frame_and_nothing_else(programme):
    folder, cuts = programme
    found = detect(folder / "news.webm")
    assert found.fps == RATE
    assert len(found.cuts) == len(cuts) and all(abs(a - b) <= 1 for a, b in zip(found.cuts, cuts)), (found.cuts, cuts)
    listed = cli("shots", "news.webm", "--json", cwd=folder)
    assert listed.returncode == 0 and [cut["frame"] for cut in json.loads(listed.stdout)["cuts"]] == list(found.cuts)


def test_a_still_shot_with_speech_has_no_cut(programme, tmp_path):
    folder, _ = programme
    make_video(tmp_path / "still.webm", [("color=c=0x336699:s=320x180:r={rate}", 600)], RATE, audio=folder / "speech.wav")
    assert detect(tmp_path / "still.webm").cuts == ()


def test_cue_times_obey_the_shot_change_rules(programme):
    folder, cuts = programme
    done = cli("make", "news.txt", "--audio", "news.webm", "--shots", "media", "--profile", "netflix", "--fps", "25",
               "--json", "--out", "out", cwd=folder)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert [issue for issue in summary["languages"][0]["issues"] if issue["rule"] == "shot-change"] == []
    cues = list(srt.parse((folder / "out" / "news.en.srt").read_text()))
    near = on_cut = 0
    for cue in cues:
        start, end = round(cue.start.total_seconds() * RATE), round(cue.end.total_seconds() * RATE)
        on_cut += start in cuts
        following = cues[cue.index].start.total_seconds() * RATE if cue.index < len(cues) else None
        for cut in cuts:
            if 0 < abs(start - cut) <= 12:
                pytest.fail(f"cue {cue.index} starts {start - cut:+d} frames from the cut at {cut}")
            if cut - 12 <= end < cut + 12 and not (following is not None and round(following) - end <= 2):
                near += 1
                assert end == cut - 2, f"cue {cue.index} ends at {end}, the cut is at {cut}"
    assert near + on_cut >= 6  # the rules had cuts to act on
    unsnapped = list(srt.parse((folder / "plain" / "news.en.srt").read_text()))
    assert [(c.start, c.end) for c in unsnapped] != [(c.start, c.end) for c in cues]
    # captions check finds the same rule broken in the captions timed without the cuts, and not in these
    plain = cli("check", "plain/news.en.srt", "--shots", "news.webm", "--fps", "25", "--strict", cwd=folder)
    assert plain.returncode == 1 and plain.stdout.count("shot change") >= 3, plain.stdout
    snapped = cli("check", "out/news.en.srt", "--shots", "news.webm", "--fps", "25", cwd=folder)
    assert "shot change" not in snapped.stdout


def test_cuts_from_a_list_or_an_edl(tmp_path):
    (tmp_path / "cuts.txt").write_text("# cuts\n100\n00:00:08:00\n12.5\n")
    assert read_list(tmp_path / "cuts.txt", 25).cuts == (100, 200, 312)
    (tmp_path / "cuts.edl").write_text(
        "TITLE: NEWS\nFCM: NON-DROP FRAME\n\n"
        "001  AX       V     C        00:00:00:00 00:00:04:00 00:00:00:00 00:00:04:00\n"
        "002  AX       V     C        00:10:00:00 00:10:04:00 00:00:04:00 00:00:08:00\n"
        "* FROM CLIP NAME: interview.mov\n"
        "003  AX       V     C        00:20:00:00 00:20:02:12 00:00:08:00 00:00:10:12\n")
    assert read_list(tmp_path / "cuts.edl", 25).cuts == (100, 200)
    (tmp_path / "bad.txt").write_text("100\nsoon\n")
    (tmp_path / "x.txt").write_text("Headline\nA sentence.\n")
    done = cli("make", "x.txt", "--shots", "bad.txt", "--out", "out", cwd=tmp_path)
    assert done.returncode == 3 and "bad.txt:2:" in done.stderr and not (tmp_path / "out").exists()
    refused = cli("make", "x.txt", "--shots", "media", cwd=tmp_path)
    assert refused.returncode == 2 and "--audio" in refused.stderr
    (tmp_path / "news.txt").write_bytes((Path(__file__).parent.parent / "samples" / "inputs" / "news.txt").read_bytes())
    text = cli("shots", "news.txt", cwd=tmp_path)  # ffmpeg's tty demuxer would show it as a video of text
    assert text.returncode == 5 and "reads this file as text" in text.stderr


@pytest.mark.parametrize("content, said", [
    (b"\x00\xff\xfe" * 400, "shots.txt"),  # binary
    (b"100\n-5\n", "shots.txt:2:"),  # a negative frame
    (b"100\n1e999\n", "shots.txt:2:"),  # a number that is no time
    (b"00:00:99:00\n", "shots.txt:1:"),  # a timecode out of range
    (b"TITLE: X\n001  AX V C 00:00:00:00 00:00:04:00 00:00:00:00 garbage\n", "shots.txt:2:"),  # a broken EDL event
    (b"TITLE: X\nFCM: NON-DROP FRAME\n* a comment\n", "")])  # an EDL with no event
def test_hostile_shot_lists_give_one_line_and_write_nothing(tmp_path, content, said):
    (tmp_path / "shots.txt").write_bytes(content)
    (tmp_path / "x.txt").write_text("Headline\nA sentence.\n")
    done = cli("make", "x.txt", "--shots", "shots.txt", "--out", "out", cwd=tmp_path)
    if said:
        assert done.returncode == 3 and said in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert not (tmp_path / "out").exists()
    else:  # nothing in it is a cut: captions as without cuts
        assert done.returncode == 0 and (tmp_path / "out" / "x.en.srt").is_file()


def test_a_videos_own_frame_rate_is_the_captions_when_none_is_given(programme):
    # 25 fps video under the Netflix profile (23.976): the cues land on the video's frames, and a note says so.
    from captions.shots import video_rate

    folder, _ = programme
    assert video_rate(folder / "news.webm") == 25 and video_rate(folder / "speech.wav") is None
    done = cli("make", "news.txt", "--audio", "news.webm", "--shots", "media", "--out", "own", cwd=folder)
    assert done.returncode == 0, done.stderr
    assert "video at 25.000 fps: captions timed at its rate" in done.stdout
    for cue in srt.parse((folder / "own" / "news.en.srt").read_text()):
        for time in (cue.start, cue.end):
            assert abs(time.total_seconds() * 25 - round(time.total_seconds() * 25)) < 0.03  # on a 25 fps frame


def test_the_shot_change_rule_of_timing_is_the_one_qc_checks():
    # Issue 31, item 15: an in-time a frame before a cut that timing leaves there (on the cut the cue
    # could not be read) was then told by QC to "put it on the cut". One rule now decides both.
    from fractions import Fraction as F

    from captions.context import resolved
    from captions.model import Cue
    from captions.profiles import get_profile
    from captions.qc import shot_issues
    from captions.timing import legible_time, snap_to_shots

    netflix = resolved(get_profile("netflix", "en"), 25)
    for frames, moved in (((99, 110), False), ((99, 140), True)):
        cue = Cue(F(frames[0], 25), F(frames[1], 25), ("A cue to read.",), ("",))
        needed = math.ceil(legible_time(cue.text, netflix) * 25)
        [timed] = snap_to_shots([frames], [100], netflix, [needed])
        assert (timed[0] == 100) == moved
        warned = [issue for issue in shot_issues([cue], (F(4),), netflix) if issue.value.startswith("in")]
        assert bool(warned) == moved  # QC asks for the move exactly where timing makes it
