"""SCC (CEA-608): every written file read back by ffmpeg's 608 decoder, by ttconv's SCC reader and by
ours; captions that cannot be loaded in time are reported, never dropped; CJK refused; broken or
damaged files (ttconv's own test files among them) refused in one line."""

import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import srt
from hypothesis import given, settings
from hypothesis import strategies as st
from ttconv_view import texts

from captions.audio import ffmpeg_binary
from captions.context import resolved
from captions.formats import REGISTRY, limit_problems
from captions.formats.scc import RATE, parity, schedule
from captions.model import Cue, Span, Speaker, Track
from captions.profiles import get_profile

DATA = Path(__file__).parent / "data" / "scc"
WRITE = REGISTRY["scc"].write
TEXT = st.text("abcdefghij KLMNOP.,?!'&éüçñÁ♪£", min_size=1, max_size=28).map(lambda t: " ".join(t.split())).filter(bool)


@st.composite
def tracks(draw):
    """29.97 tracks with room before every cue to load it (a second or more), as broadcast has."""
    rate = draw(st.sampled_from([RATE, Fraction(24000, 1001), Fraction(25)]))
    frame, cues = draw(st.integers(60, 5_000)), []
    for _ in range(draw(st.integers(1, 6))):
        length = draw(st.integers(20, 200))
        lines = tuple(draw(st.lists(TEXT, min_size=1, max_size=2)))
        speaker = draw(st.sampled_from(["Ann", "Bob"]))
        cues.append(Cue(frame / rate, (frame + length) / rate, lines, (speaker,) * len(lines),
                        region=draw(st.sampled_from(["bottom", "top"]))))
        frame += length + draw(st.integers(70, 300))
    speakers = {"Ann": Speaker("Ann", colour=""), "Bob": Speaker("Bob", colour=draw(st.sampled_from(["", "yellow"])))}
    return Track("en", cues, speakers, rate)


def nearest(seconds):
    return round(seconds * RATE)


@settings(max_examples=40, deadline=None)
@given(track=tracks())
def test_our_reader_and_ttconv_read_what_we_wrote(track):
    import ttconv.scc.reader as scc_reader
    from ttconv import model

    data = WRITE(track)
    assert not schedule(track).late
    ours = REGISTRY["scc"].read_entries(data.decode("ascii"), "t.scc")
    theirs = [paragraph for div in scc_reader.to_model(data.decode("ascii")).get_body() for paragraph in div]
    assert len(ours) == len(theirs) == len(track.cues)
    for cue, mine, peer in zip(track.cues, ours, theirs):
        assert mine.lines == cue.lines and mine.region == cue.region
        assert (nearest(mine.start), nearest(mine.end)) == (nearest(cue.start), nearest(cue.end))
        assert (nearest(peer.get_begin() or 0), nearest(peer.get_end())) == (nearest(cue.start), nearest(cue.end))
        shown = [[text.get_text() for text in texts(child)] for child in peer if not isinstance(child, model.Br)]
        assert [" ".join("".join(pieces).split()) for pieces in shown] == list(cue.lines)
        colours = {span.colour for line in mine.styled for span in line if span.text.strip()}
        assert colours <= {track.colour(cue.speakers[0]) if track.colour(cue.speakers[0]) not in ("", "white") else ""}


def test_ffmpegs_608_decoder_reads_what_we_wrote(tmp_path):
    cues = [Cue(Fraction(2), Fraction(4), ("Café au lait,", "¿qué pasa? ♪"), ("A", "A")),
            Cue(Fraction(5), Fraction(7), ("Top row", "Ñandú 50% £"), ("A", "A"), region="top"),
            Cue(Fraction(9), Fraction(11), ("Ann speaks in yellow",), ("B",))]
    track = Track("es", cues, {"B": Speaker("B", colour="yellow")}, 25)
    source = tmp_path / "t.scc"
    source.write_bytes(WRITE(track))
    subprocess.run([ffmpeg_binary(), "-nostdin", "-v", "error", "-y", "-i", str(source), str(tmp_path / "ff.srt")],
                   check=True)
    decoded = list(srt.parse((tmp_path / "ff.srt").read_text(encoding="utf-8")))
    assert len(decoded) == len(cues)
    for cue, peer in zip(cues, decoded):
        text = re.sub(r"\{[^}]*\}|<[^>]*>", "", peer.content).replace("\\h", " ")
        assert [line.strip() for line in text.split("\n")] == list(cue.lines)
        frame = Fraction(1001, 30000)
        assert abs(peer.start.total_seconds() - float(cue.start)) <= float(frame)
        assert abs(peer.end.total_seconds() - float(cue.end)) <= float(frame)


def test_a_cue_without_time_to_load_is_shown_late_and_reported():
    cues = [Cue(Fraction(1), Fraction(2), ("The first caption is here",), ("A",)),
            Cue(Fraction(2) + Fraction(2, 30), Fraction(5), ("and the next one comes at once", "with a second row"),
                ("A", "A"))]
    track = Track("en", cues, {}, RATE)
    problems = limit_problems(track, "scc", resolved(get_profile("netflix", "en"), RATE))
    assert [number for number, _ in problems] == [2] and "frames late" in problems[0][1]
    back = REGISTRY["scc"].read_entries(WRITE(track).decode("ascii"), "t.scc")
    assert [entry.lines for entry in back] == [cue.lines for cue in cues]  # late, never dropped
    assert back[1].start > cues[1].start


def test_the_bytes_are_608s(tmp_path):
    data = WRITE(Track("en", [Cue(Fraction(3), Fraction(5), ("Hi",), ("A",))], {}, RATE)).decode("ascii")
    assert data.startswith("Scenarist_SCC V1.0\n\n")
    words = [int(word, 16) for line in data.split("\n")[2:] if line for word in line.split("\t")[1].split()]
    assert all(parity(byte & 0x7F) == byte for word in words for byte in (word >> 8, word & 0xFF))
    assert data.count("942f 942f") == 1 and data.count("942c 942c") == 1  # EOC to show, EDM to clear
    eoc = next(line for line in data.split("\n") if line.endswith("942f 942f"))
    assert eoc.startswith("00:00:03;00")  # frame 90 of 29.97 drop-frame: the cue's first frame


def test_japanese_is_refused_in_one_line(tmp_path):
    source = tmp_path / "news.txt"
    source.write_text("日本のニュースです。\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "captions.cli", "make", str(source), "--lang", "ja", "-f", "scc",
                           "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "scc cannot carry" in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name, line", [("ttconv_roll_up.scc", 17), ("ttconv_paint_on.scc", 3)])
def test_files_with_wrong_parity_bits_are_read_as_decoders_read_them(name, line):
    # ttconv's own test files carry bytes with the wrong parity bit (0xd2 for 0x52, say). ttconv,
    # pycaption and ffmpeg read the seven data bits and show the text; so do we, with a note that
    # names the first such word's line.
    from captions.formats import read_track

    track = read_track(DATA / name, "en", 29.97)
    assert track.cues and any(line.strip() for cue in track.cues for line in cue.lines)
    assert any("wrong parity bit" in note and f"line {line} " in note for note in track.notes), track.notes


def test_a_roll_up_command_in_roll_up_keeps_the_window_where_a_preamble_moved_it(tmp_path):
    # CEA-608 annex B.8.1: RU2 again while rolling up changes only the depth. A caption moved up to
    # row 8 by a preamble rolls on there, and the next preamble moves both rows down to 14 and 15.
    lines = [("00:00:01;00", "Lorem ipsum", "9470"), ("00:00:03;00", "consectetur", "9673"),
             ("00:00:05;00", "Pellentesque", "9470")]
    def text_words(text):
        data = text.encode("ascii") + (b"\x80" if len(text) % 2 else b"")
        return " ".join(f"{parity(data[i]):02x}{parity(data[i + 1]):02x}" for i in range(0, len(data), 2))
    source = tmp_path / "roll.scc"
    source.write_text("Scenarist_SCC V1.0\n\n" + "".join(
        f"{time}\t9425 9425 94ad 94ad {pac} {pac} {text_words(text)}\n\n" for time, text, pac in lines))
    from captions.formats import read_cues

    cues = read_cues(source)
    assert [cue.lines for cue in cues] == [("Lorem ipsum",), ("Lorem ipsum", "consectetur"),
                                           ("consectetur", "Pellentesque")]


@pytest.mark.parametrize("content, says", [
    ("WEBVTT\n", "not an SCC file"),
    ("Scenarist_SCC V1.0\n\nhello\t9420 9420\n", "not an SCC line"),
    ("Scenarist_SCC V1.0\n\n00:61:01;00\t9420 9420\n", "not a 29.97 fps timecode"),
    # Damaged words, late frames and lines out of order are read as decoders read them; a file that
    # then shows no text is refused for that.
    ("Scenarist_SCC V1.0\n\n00:00:01;00\t9420 94zz\n", "no caption text"),
    ("Scenarist_SCC V1.0\n\n00:00:02;00\t9420\n\n00:00:01;00\t9420\n", "no caption text"),
])
def test_broken_scc_is_one_line_and_writes_nothing(tmp_path, content, says):
    source = tmp_path / "bad.scc"
    source.write_text(content)
    done = subprocess.run([sys.executable, "-m", "captions.cli", "convert", str(source), "-f", "srt",
                           "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert done.returncode == 3 and done.stderr.count("\n") == 1, done.stderr
    assert str(source) in done.stderr and says in done.stderr
    assert not (tmp_path / "out").exists()


def test_damaged_words_late_frames_and_lines_out_of_order_are_read_and_noted(tmp_path):
    source = tmp_path / "damaged.scc"
    source.write_text("Scenarist_SCC V1.0\n\n00:00:01;40\t9420 9420 94ae 94ae 9470 9470 c8e9 20zz 942f 942f\n\n"
                      "00:00:01;00\t942c 942c\n\n00:00:06;00\t9420 9420 94ae 94ae 9470 9470 4c6f 942f 942f 4c\n")
    done = subprocess.run([sys.executable, "-m", "captions.cli", "check", str(source)], capture_output=True, text=True)
    assert done.returncode in (0, 1) and "2 cues" in done.stdout, done.stdout + done.stderr  # 1: QC errors
    for said in ("frame 40", "not after the previous line's", "not four hex digits", "wrong parity bit"):
        assert said in done.stdout, (said, done.stdout)


def test_a_caption_never_erased_is_held_as_pycaption_holds_it():
    # CEA-608: a caption stays until erased. The file ends with it on screen: held 4 s (pycaption),
    # never one frame.
    text = "Scenarist_SCC V1.0\n\n00:00:01;24\t9420 91d0 c180 c220 91ae c1c2 942f\n"
    cue = REGISTRY["scc"].read_entries(text, "x.scc")[0]
    assert abs(float(cue.end - cue.start) - 4.0) < 0.05


def test_italic_and_colour_runs_are_mid_row_codes():
    cue = Cue(Fraction(3), Fraction(6), ("He said: quietly now",), ("A",),
              styled=((Span("He said:"), Span(" quietly", italic=True), Span(" now", colour="cyan")),))
    back = REGISTRY["scc"].read_entries(WRITE(Track("en", [cue], {}, RATE)).decode("ascii"), "t.scc")[0]
    assert back.lines == cue.lines
    looks = [(span.text.strip(), span.italic, span.colour) for span in back.styled[0]]
    assert looks == [("He said:", False, ""), ("quietly", True, ""), ("now", False, "cyan")]


@pytest.mark.parametrize("mode", ["roll-up-2", "roll-up-3", "paint-on"])
def test_roll_up_and_paint_on_output(mode):
    from captions.formats.scc import SccOptions

    cues = [Cue(Fraction(2), Fraction(4), ("First row of the live text",), ("A",)),
            Cue(Fraction(4) + Fraction(2, 30), Fraction(6), ("and the second", "and the third"), ("A", "A")),
            Cue(Fraction(9), Fraction(11), ("after a pause",), ("A",))]
    data = REGISTRY["scc"].write(Track("en", cues, {}, RATE), SccOptions(mode=mode)).decode("ascii")
    assert {"roll-up-2": "9425", "roll-up-3": "9426", "paint-on": "9429"}[mode] in data
    ours = REGISTRY["scc"].read_entries(data, "t.scc")
    import ttconv.scc.reader as scc_reader

    theirs = [p for div in scc_reader.to_model(data).get_body() for p in div]
    seen = list(dict.fromkeys(line for entry in ours for line in entry.lines))
    assert seen == [line for cue in cues for line in cue.lines]
    assert len(theirs) >= len(cues) and nearest(ours[0].start) >= nearest(cues[0].start)
    assert ours[-1].lines[-1] == "after a pause"


def test_a_second_language_on_cc2():
    from captions.formats.scc import SccOptions

    track = Track("es", [Cue(Fraction(3), Fraction(5), ("Hola",), ("A",))], {}, RATE)
    data = REGISTRY["scc"].write(track, SccOptions(channel=2)).decode("ascii")
    assert "1c20" in data and "9420" not in data  # RCL on channel 2: 0x1C 0x20
    assert REGISTRY["scc"].read_entries(data, "t.scc")[0].lines == ("Hola",)


def test_a_second_language_on_cc3():
    from captions.formats.scc import SccOptions

    track = Track("es", [Cue(Fraction(3), Fraction(5), ("Hola",), ("A",))], {}, RATE)
    data = REGISTRY["scc"].write(track, SccOptions(channel=3)).decode("ascii")
    assert "1520" in data and "152f" in data and "9420" not in data  # RCL and EOC of field 2's CC3: 0x15 ..
    assert REGISTRY["scc"].read_entries(data, "t.scc")[0].lines == ("Hola",)
