"""Every writer read back: by our readers (round trip) and by an independent parser (the srt package,
webvtt-py, json); and a fuzz over every reader: a clean one-line error or valid segments, never a crash."""

import html
import io
import json
import string
from fractions import Fraction

import srt
import webvtt
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from captions.errors import CaptionsError
from captions.formats import REGISTRY, parse, read_cues, read_track
from captions.model import Cue, Speaker, Track

ALPHABET = string.ascii_letters + string.digits + " .,;:!?'\"&<>()-–—¿¡éàüßøñ日本語「」、。♪#%/\\"
line_text = st.text(ALPHABET, min_size=1, max_size=40).map(str.strip).filter(bool)
speaker_names = st.sampled_from(["Narrator", "Ann Lee", "BOB", "Ōta & Co", "<Eve>"])


@st.composite
def tracks(draw):
    count = draw(st.integers(1, 12))
    cues, at = [], draw(st.integers(0, 10_000))
    for _ in range(count):
        at += draw(st.integers(0, 5_000))
        length = draw(st.integers(1, 8_000))
        lines = tuple(draw(st.lists(line_text, min_size=1, max_size=2)))
        speaker = draw(speaker_names)
        cues.append(Cue(Fraction(at, 1000), Fraction(at + length, 1000), lines, (speaker,) * len(lines)))
        at += length
    speakers = {name: Speaker(name, colour=draw(st.sampled_from(["", "yellow", "cyan"]))) for name in
                {cue.speakers[0] for cue in cues}}
    return Track("en", cues, speakers, fps=25.0)


# Text a reader could take for markup: tags, a cue timing, character references, ASS overrides.
TRICKY = st.sampled_from(["</i>", "<i>", "-->", "<b>x</b>", "&amp;", "{\\an8}", "<00:00:01.000>", "<font color=red>",
                          "a --> b", "1", "00:00:01,000 --> 00:00:02,000"])
tricky_text = st.lists(st.one_of(line_text, TRICKY), min_size=1, max_size=4).map(" ".join).map(str.strip).filter(bool)
ASCII_TEXT = st.text(string.ascii_letters + string.digits + " .,?!'-", min_size=1, max_size=30).map(str.strip).filter(bool)


@st.composite
def documents(draw, text=tricky_text, least_gap=80):
    count = draw(st.integers(1, 8))
    cues, at = [], draw(st.integers(0, 5_000))
    for _ in range(count):
        at += draw(st.integers(least_gap, least_gap + 3_000))
        length = draw(st.integers(400, 6_000))
        lines = tuple(draw(st.lists(text, min_size=1, max_size=2)))
        cues.append(Cue(Fraction(at, 1000), Fraction(at + length, 1000), lines, ("",) * len(lines)))
        at += length
    return Track("en", cues, {}, fps=25.0)


def shown_as(fmt, line):
    """A line as the format can carry it: SRT has no escapes and shows look-alikes (reported by its
    check); ASS and MicroDVD take braces and backslashes for override tags, written as look-alikes."""
    from captions.formats.pysubs import plain
    from captions.formats.srt import shown

    return shown(line) if fmt == "srt" else plain(line, fmt) if fmt in ("ass", "microdvd") else line


def same_cues(fmt, track, path):
    ours = read_cues(path)
    assert len(ours) == len(track.cues), (fmt, [c.lines for c in ours], [c.lines for c in track.cues])
    frame = 1 / 25 + 0.0011
    for cue, mine in zip(track.cues, ours):
        assert mine.lines == tuple(shown_as(fmt, line) for line in cue.lines), fmt
        assert abs(mine.start - cue.start) < frame and abs(mine.end - cue.end) < frame, fmt


TEXT_FORMATS = ("srt", "vtt", "json", "imsc", "ebu-tt-d", "dfxp", "ass", "microdvd", "sbv")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents())
@example(Track("en", [Cue(Fraction(1), Fraction(2), ("Hello.",), ("",)), Cue(Fraction(3), Fraction(4), ("</i>",), ("",)),
                      Cue(Fraction(5), Fraction(6), ("It goes --> there.",), ("",))], {}, fps=25.0))
def test_every_text_format_reads_back_the_cues_it_wrote(tmp_path, track):
    for fmt in TEXT_FORMATS:
        same_cues(fmt, track, written(tmp_path, track, fmt))
        # and through SRT: the file read back, written as SRT, read again
        again = read_track(tmp_path / f"t.{fmt}", "en", 25)
        through = tmp_path / f"through-{fmt}.srt"
        through.write_bytes(REGISTRY["srt"].write(again))
        assert [cue.lines for cue in read_cues(through)] == [tuple(shown_as("srt", shown_as(fmt, line))
                                                                   for line in cue.lines) for cue in track.cues], fmt
        if fmt == "srt":  # and SRT's look-alikes are reported, never silent
            assert bool(REGISTRY["srt"].check(track)) == any(shown_as("srt", l) != l for c in track.cues for l in c.lines)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents(ASCII_TEXT, least_gap=2_500))  # SCC loads a pop-on caption's bytes before it shows: give it time
def test_broadcast_formats_read_back_the_cues_they_wrote(tmp_path, track):
    for fmt in ("stl", "scc"):
        track.fps = Fraction(25) if fmt == "stl" else Fraction(30000, 1001)
        lines_fit = all(len(line) <= 32 for cue in track.cues for line in cue.lines)
        if fmt == "scc" and not lines_fit:
            continue
        same_cues(fmt, track, written(tmp_path, track, fmt))
        through = tmp_path / f"through-{fmt}.srt"  # and through SRT: the file read back, written as SRT, read again
        through.write_bytes(REGISTRY["srt"].write(read_track(tmp_path / f"t.{fmt}", "en", track.fps)))
        same_cues("srt", track, through)


def written(tmp_path, track, fmt):
    path = tmp_path / f"t.{fmt}"
    path.write_bytes(REGISTRY[fmt].write(track))
    return path


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tracks())
def test_srt_round_trip_and_the_srt_package_agree(tmp_path, track):
    path = written(tmp_path, track, "srt")
    ours = read_cues(path)
    theirs = list(srt.parse(path.read_text(encoding="utf-8")))
    assert len(ours) == len(theirs) == len(track.cues)
    for cue, mine, peer in zip(track.cues, ours, theirs):
        assert mine.lines == cue.lines
        assert abs(mine.start - cue.start) < 0.0011 and abs(mine.end - cue.end) < 0.0011
        assert abs(peer.start.total_seconds() - cue.start) < 0.0011
        assert len(peer.content.split("\n")) == len(cue.lines)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tracks())
def test_vtt_round_trip_and_webvtt_py_agree(tmp_path, track):
    path = written(tmp_path, track, "vtt")
    ours = read_cues(path)
    theirs = list(webvtt.from_buffer(io.StringIO(path.read_text(encoding="utf-8"))))
    assert len(ours) == len(theirs) == len(track.cues)
    for cue, mine, peer in zip(track.cues, ours, theirs):
        assert mine.lines == cue.lines
        assert abs(mine.start - cue.start) < 0.0011 and abs(mine.end - cue.end) < 0.0011
        assert abs(peer.start_in_seconds + peer.start_time.milliseconds / 1000 - cue.start) < 0.0011
        shown = [html.unescape(line) for line in peer.text.split("\n")]
        assert shown == list(cue.lines)
        if cue.speakers[0] != "Narrator":
            assert html.unescape(peer.voice) == cue.speakers[0]  # webvtt-py leaves &amp; as is


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tracks())
def test_json_round_trip(tmp_path, track):
    path = written(tmp_path, track, "json")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert [tuple(cue["lines"]) for cue in document["cues"]] == [cue.lines for cue in track.cues]
    segments = parse(path.read_text(encoding="utf-8"), "json", str(path))
    assert " ".join(s.text for s in segments).split() == " ".join(" ".join(c.lines) for c in track.cues).split()
    assert segments[0].anchors[0][1] == float(track.cues[0].start)


# ----------------------------------------------------------------------------- fuzz

SRT_PIECES = st.sampled_from(["1", "2", "\n", "\n\n", "00:00:01,000", " --> ", "-->", "00:00:02,500", "99:99:99,999",
                              "Hello", "<i>", "</i>", "-", ":", "JOE:", "[Ann]", "\ufeff", "\r\n", " ", "9" * 30])
VTT_PIECES = st.sampled_from(["WEBVTT", "\n", "\n\n", "00:01.000", " --> ", "00:02.000", "NOTE", "STYLE", "<v Ann>",
                              "</v>", "Kind: captions", "align:start", "Hello", "&amp;", "-", "01:00:00.000", "1"])
SCRIPT_PIECES = st.sampled_from(["S/", " ", "Name", ",", ":", "：", "\n", ">>", "[", "]", "JOE BIDEN", "text.",
                                 "、", "岸田", "-w/tmp/x", "--stdout"])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["segments", "start", "end", "text", "words", "word", "speaker", "cues", "lines"]),
        children, max_size=5),
    max_leaves=20)


def clean_or_valid(text, fmt):
    """The reader either returns segments with sane anchors or raises a located CaptionsError."""
    try:
        segments = parse(text, fmt, "fuzz.in")
    except CaptionsError as err:
        assert str(err).startswith("fuzz.in") and "\n" not in str(err)
        return
    assert segments and any(segment.text.strip() for segment in segments)
    for segment in segments:
        offsets = [offset for offset, _ in segment.anchors]
        times = [time for _, time in segment.anchors]
        assert offsets == sorted(offsets) and times == sorted(times)
        assert all(0 <= offset <= len(segment.text) for offset in offsets)


@settings(max_examples=150, deadline=None)
@given(st.lists(SRT_PIECES, max_size=40).map("".join))
def test_fuzz_srt(text):
    clean_or_valid(text, "srt")


@settings(max_examples=150, deadline=None)
@given(st.lists(VTT_PIECES, max_size=40).map("".join))
def test_fuzz_vtt(text):
    clean_or_valid(text, "vtt")


@settings(max_examples=150, deadline=None)
@given(st.lists(SCRIPT_PIECES, max_size=40).map("".join))
def test_fuzz_script(text):
    clean_or_valid(text, "script")


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_fuzz_json(document):
    clean_or_valid(json.dumps(document), "json")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300), st.sampled_from([".txt", ".srt", ".vtt", ".json"]))
def test_fuzz_bytes_through_the_file_reader(tmp_path, data, suffix):
    from captions.formats import read_file

    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        segments = read_file(path)
    except CaptionsError as err:
        assert str(err).startswith(str(path)) and "\n" not in str(err)
    else:
        assert segments
