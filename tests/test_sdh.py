"""Sound in captions: SDH tracks keep every sound label and lyric in their guide's style, subtitle
tracks keep none; timed input keeps its times; translation leaves labels alone; forced narratives."""

import os
import re
import subprocess
import sys

import pytest
import srt
from recordings import SENTENCES
from recordings import make as speak_to_wav
from tiny_argos import build_packages

SCRIPT = """Storm hits the coast
[Thunder rumbles]
The storm reached the coast at dawn [wind howling] and the town woke to flooded streets.
S/ Ann Lee, Mayor: We have never seen anything like it. [sighs] Never.
♪ Rain, rain, go away ♪
(applause)
F/ ROAD CLOSED
The mayor said help was on its way (the army) by noon.
"""
LABELS = ["thunder rumbles", "wind howling", "sighs", "applause"]


def cli(*args, cwd, env=None):
    return subprocess.run([sys.executable, "-m", "captions.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env)


def text_of(path):
    return " ".join(" ".join(cue.content.split()) for cue in srt.parse(path.read_text()))


@pytest.mark.parametrize("profile, shown, notes", [("netflix-sdh", "[{}]", "♪"), ("bbc-sdh", "{}", "#")])
def test_sdh_keeps_every_label_and_subtitles_none(tmp_path, profile, shown, notes):
    (tmp_path / "storm.txt").write_text(SCRIPT)
    assert cli("make", "storm.txt", "--profile", profile, "--out", "sdh", cwd=tmp_path).returncode == 0
    assert cli("make", "storm.txt", "--profile", "netflix", "--out", "subs", cwd=tmp_path).returncode == 0
    sdh, subs = text_of(tmp_path / "sdh" / "storm.en.srt"), text_of(tmp_path / "subs" / "storm.en.srt")
    for label in LABELS:
        written = shown.format(label.upper() if profile == "bbc-sdh" else label)
        assert written.lower() in sdh.lower() and label not in subs.lower(), label
    assert f"{notes} Rain, rain, go away {notes}" in sdh and "Rain, rain, go away" in subs and "♪" not in subs
    assert "[" not in subs and "(the army)" in subs and "(the army)" in sdh  # an insertion, not a sound
    assert "Never." in subs and "it. Never." in subs  # the label's room closed up


def test_the_sdh_flag_and_timed_input_keep_their_times(tmp_path):
    (tmp_path / "in.srt").write_text("1\n00:00:01,000 --> 00:00:03,000\n[Music]\n\n"
                                     "2\n00:00:04,000 --> 00:00:07,000\nWell [laughs] that was close.\n\n"
                                     "3\n00:00:08,000 --> 00:00:10,500\nWe should go home now.\n\n")
    assert cli("make", "in.srt", "--sdh", "--out", "sdh", cwd=tmp_path).returncode == 0
    assert cli("make", "in.srt", "--out", "subs", cwd=tmp_path).returncode == 0
    sdh = list(srt.parse((tmp_path / "sdh" / "in.en.srt").read_text()))
    subs = list(srt.parse((tmp_path / "subs" / "in.en.srt").read_text()))
    assert [" ".join(cue.content.split()) for cue in sdh][:2] == ["[music]", "Well [laughs] that was close."]
    assert [" ".join(cue.content.split()) for cue in subs][:2] == ["Well that was close.", "We should go home now."]
    assert abs(subs[0].start.total_seconds() - 4.0) < 0.05 and abs(subs[1].start.total_seconds() - 8.0) < 0.05
    assert abs(sdh[0].start.total_seconds() - 1.0) < 0.05


def test_translation_leaves_sound_labels_as_they_are(tmp_path):
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(tmp_path / "models"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for package in build_packages(tmp_path / "built", ("en-ja",)):
        assert cli("models", "install", package, cwd=tmp_path, env=env).returncode == 0
    (tmp_path / "storm.txt").write_text(SCRIPT)
    (tmp_path / "terms.tsv").write_text("ja\t[sighs]\t[ため息]\n")
    done = cli("make", "storm.txt", "--profile", "netflix-sdh", "--to", "ja", "--glossary", "terms.tsv", "--out", "o",
               cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    ja = (tmp_path / "o" / "storm.ja.srt").read_text()
    assert "[wind howling]" in ja and "[ため息]" in ja and "[sighs]" not in ja


def test_forced_narrative_has_only_the_forced_lines(tmp_path):
    (tmp_path / "storm.txt").write_text(SCRIPT)
    done = cli("make", "storm.txt", "--forced", "-f", "srt,vtt", "--out", "o", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    forced = list(srt.parse((tmp_path / "o" / "storm.en.forced.srt").read_text()))
    assert [cue.content for cue in forced] == ["ROAD CLOSED"]
    full = list(srt.parse((tmp_path / "o" / "storm.en.srt").read_text()))
    assert any(cue.content == "ROAD CLOSED" and cue.start == forced[0].start for cue in full)
    assert (tmp_path / "o" / "storm.en.forced.vtt").read_text().count("-->") == 1
    (tmp_path / "plain.txt").write_text("Headline\nNothing forced here.\n")
    done = cli("make", "plain.txt", "--forced", "--out", "o", cwd=tmp_path)
    assert done.returncode == 0 and "no forced narrative" in done.stdout
    assert (tmp_path / "o" / "plain.en.forced.srt").read_text().strip() == ""


def test_sound_lines_are_placed_between_aligned_speech(tmp_path):
    sentences, truth = speak_to_wav(tmp_path / "speech.wav", seed=2, sentences=SENTENCES[:4])
    lines = [sentences[0], sentences[1], "[door slams]", sentences[2], sentences[3]]
    (tmp_path / "talk.txt").write_text("\n".join(lines) + "\n")
    done = cli("make", "talk.txt", "--audio", "speech.wav", "--sdh", "--out", "o", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    cues = list(srt.parse((tmp_path / "o" / "talk.en.srt").read_text()))
    door = next(cue for cue in cues if "[door slams]" in cue.content)
    assert truth[1][1] - 0.5 <= door.start.total_seconds() and door.end.total_seconds() <= truth[2][0] + 1.0
    spoken = [cue for cue in cues if not re.search(r"\[", cue.content)]
    assert abs(spoken[0].start.total_seconds() - truth[0][0]) < 0.3


def test_voice_over_and_off_screen_lines_are_in_italics(tmp_path):
    (tmp_path / "vo.txt").write_text("Storm\nS/ Ann Lee (V.O.), Mayor: We have never seen anything like it.\n"
                                     "The mayor spoke again later in the day, at the town hall.\n"
                                     "S/ Bo Chan (off-screen): Over here, quickly, the water is rising fast.\n")
    done = cli("make", "vo.txt", "-f", "srt,imsc", "--profile", "netflix-sdh", "--out", "o", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    cues = list(srt.parse((tmp_path / "o" / "vo.en.srt").read_text()))
    italic = [line for cue in cues for line in cue.content.splitlines() if line.startswith("<i>") or "<i>" in line]
    assert any("never seen" in line for line in italic) and any("water" in line or "Over here" in line for line in italic)
    assert not any("town hall" in line for line in italic) and "V.O." not in (tmp_path / "o" / "vo.en.srt").read_text()
    assert 'tts:fontStyle="italic"' in (tmp_path / "o" / "vo.en.imsc.ttml").read_text()
