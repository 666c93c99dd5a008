"""The format registry: every writer read back by our reader and by an independent one (ttconv, the EBU's
XML Schema), exact to the frame; TTML in every time form; hostile XML refused; a new format is one
registration; ``convert`` keeps cues as they are and refuses what a format cannot carry."""

import subprocess
import sys
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import pytest
import xmlschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ttconv_view import paragraphs, read_quietly

from captions.formats import REGISTRY, Format, Limits, read_cues, read_track, register
from captions.formats.timed import Entry, entry_cues
from captions.formats.ttml import read as read_ttml
from captions.model import Cue, Span, Speaker, Track
from captions.pipeline import Options, caption_file

DATA = Path(__file__).parent / "data"
XSD = xmlschema.XMLSchema(str(DATA / "ebu-tt-d-xsd" / "ebutt_d.xsd"))
RATES = [Fraction(24000, 1001), Fraction(25), Fraction(30000, 1001), Fraction(50)]
# SCC needs time before each cue to send it (tests/test_scc.py has its own round trip).
CAPTION_WRITERS = [name for name, fmt in REGISTRY.items() if fmt.write and fmt.read_entries and name != "scc"]
TEXT = st.text("abcdefghij KLMNOP.,?!'&<>\"éß日本語ー", min_size=1, max_size=30).map(lambda t: " ".join(t.split())).filter(bool)
NAMES = ["Narrator", "Ann Lee", "Bob & Co"]


LATIN = st.text("abcdefghij KLMNOP.,?!'&<>\"éßøÅ£♪", min_size=1, max_size=30).map(lambda t: " ".join(t.split())).filter(bool)


@st.composite
def tracks(draw, lang="en", text=TEXT):
    """Tracks on frames of a broadcast rate, with speakers by colour, italic runs and top cues."""
    rate = draw(st.sampled_from(RATES))
    frame, cues = draw(st.integers(0, 100_000)), []
    for _ in range(draw(st.integers(1, 8))):
        frame += draw(st.integers(0, 200))
        length = draw(st.integers(1, 300))
        lines = tuple(draw(st.lists(text, min_size=1, max_size=2)))
        speaker = draw(st.sampled_from(NAMES))
        styled = ()
        if draw(st.booleans()):  # italic or coloured runs: a line cut in two at a space
            styled = tuple(_runs(line, draw(st.booleans()), draw(st.sampled_from(["", "cyan", "green"])))
                           for line in lines)
        region = draw(st.sampled_from(["bottom", "top"]))
        align = draw(st.sampled_from(["center", "start", "end"]))
        cues.append(Cue(frame / rate, (frame + length) / rate, lines, (speaker,) * len(lines), region=region,
                        styled=styled, align=align))
        frame += length
    speakers = {name: Speaker(name, colour=colour) for name, colour in zip(NAMES, ["white", "yellow", "cyan"])}
    return Track(lang, cues, speakers, rate)


def _runs(line, italic, colour):
    cut = line.find(" ")
    if cut <= 0:
        return (Span(line, italic, colour=colour),)
    return (Span(line[:cut], italic), Span(line[cut:], not italic, colour=colour))


def looks(track, cue, line, italics=True):
    """What each character of a line looks like: italic or not, and the colour it shows in (a space has none)."""
    return [(span.italic and italics, colour if not char.isspace() else "")
            for colour, spans in track.colour_runs(cue, line) for span in spans for char in span.text]


def carried(name, line):
    """A line as a format with no escapes carries it: SRT's look-alikes for tags, ASS's and
    MicroDVD's for braces (each reported by the format's check, never silent)."""
    from captions.formats.pysubs import plain
    from captions.formats.srt import shown

    return shown(line) if name == "srt" else plain(line, name) if name in ("ass", "microdvd") else line


def written(tmp_path, track, name):
    path = tmp_path / f"t.{REGISTRY[name].suffixes[0]}"
    path.write_bytes(REGISTRY[name].write(track))
    return path


SPEAKERS_KEPT = {"vtt", "json", "imsc"}  # SRT and EBU-TT-D show speakers by colour only
REGIONS_KEPT = {"vtt", "json", "imsc", "ebu-tt-d", "stl"}
STYLES_KEPT = {"srt", "vtt", "json", "imsc", "ebu-tt-d", "stl"}


@pytest.mark.parametrize("name", CAPTION_WRITERS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_format_round_trips_to_the_frame(tmp_path, name, data):
    track = data.draw(tracks(text=LATIN if REGISTRY[name].limits.characters else TEXT))
    back = read_cues(written(tmp_path, track, name))
    assert len(back) == len(track.cues)
    # Exact to the frame: the nearest frame of what was read is the frame that was written. STL's
    # timecodes count 25 or 30 frames a second: at other rates, within the nearer of the two.
    slack = 0 if name != "stl" or track.fps == 25 else 1
    for cue, mine in zip(track.cues, back):
        assert mine.lines == tuple(carried(name, line) for line in cue.lines)
        assert abs(round(mine.start * track.fps) - round(cue.start * track.fps)) <= slack
        assert abs(round(mine.end * track.fps) - round(cue.end * track.fps)) <= slack
        if name in SPEAKERS_KEPT:
            assert [s if s != "Narrator" else "" for s in mine.speakers] == \
                   [s if s != "Narrator" else "" for s in cue.speakers] or (name == "json" and mine.speakers == cue.speakers)
        if name in REGIONS_KEPT:
            assert (mine.region, mine.align) == (cue.region, cue.align)
        if name in STYLES_KEPT:
            read_back = Track("en", [], {}, track.fps)  # what the file says, with no speaker colours known
            italics = name != "stl"  # teletext has no italics
            for line in range(len(cue.lines)):
                expected = looks(track, cue, line, italics)
                if name == "json":  # the model as it is: a span's own colour, and speakers' colours apart
                    expected = [(span.italic, span.colour if not char.isspace() else "") for span in cue.spans(line)
                                for char in span.text]
                assert looks(read_back, mine, line, italics) == expected


@settings(max_examples=30, deadline=None)
@given(track=tracks())
def test_ebu_tt_d_validates_against_the_ebu_schema(track):
    XSD.validate(ET.fromstring(REGISTRY["ebu-tt-d"].write(track)))


def ttconv_paragraphs(data: bytes):
    """ttconv's IMSC reader (by the IMSC editor): each <p>'s begin, end and lines of text."""
    import ttconv.imsc.reader as imsc_reader

    return paragraphs(imsc_reader.to_model(ET.ElementTree(ET.fromstring(data))))


@pytest.mark.parametrize("name", ["imsc", "ebu-tt-d", "dfxp"])
@settings(max_examples=30, deadline=None)
@given(track=tracks())
def test_ttconv_reads_our_ttml_as_we_wrote_it(name, track):
    import ttconv.imsc.reader as imsc_reader

    data = REGISTRY[name].write(track)
    found = paragraphs(read_quietly(imsc_reader.to_model, ET.ElementTree(ET.fromstring(data))))
    assert len(found) == len(track.cues)
    for cue, (begin, end, lines) in zip(track.cues, found):
        assert round(begin * track.fps) == round(cue.start * track.fps)
        assert round(end * track.fps) == round(cue.end * track.fps)
        assert tuple(lines) == cue.lines
    if name == "imsc":  # ticks: not a frame near, but the very time
        assert [(begin, end) for begin, end, _ in found] == [(cue.start, cue.end) for cue in track.cues]


@pytest.mark.parametrize("name", ["imsc", "ebu-tt-d"])
def test_ttconv_lays_out_our_ttml_as_we_meant(name):
    import ttconv.imsc.reader as imsc_reader
    from ttconv.isd import ISD
    from ttconv.style_properties import StyleProperties

    cues = [Cue(Fraction(0), Fraction(2), ("Centred at the bottom,",), ("Ann Lee",)),
            Cue(Fraction(3), Fraction(5), ("left at the top",), ("Bob & Co",), region="top", align="start")]
    track = Track("en", cues, {"Ann Lee": Speaker("Ann Lee", colour="yellow"), "Bob & Co": Speaker("Bob & Co")}, 25)
    document = imsc_reader.to_model(ET.ElementTree(ET.fromstring(REGISTRY[name].write(track))))
    seen = []
    for moment in (1, 4):
        for region in ISD.from_model(document, moment):
            for body in region:
                for div in body:
                    for paragraph in div:
                        span = next(iter(paragraph))
                        seen.append((region.get_id(), paragraph.get_style(StyleProperties.TextAlign).value,
                                     span.get_style(StyleProperties.Color).components[:3]))
    assert seen == [("bottom", "center", (255, 255, 0)), ("top", "start", (255, 255, 255))]


def test_a_real_bbc_ebu_tt_d_document_is_read_checked_and_converted(tmp_path):
    path = DATA / "ttml" / "bbc_ebu_tt_d.xml"
    XSD.validate(str(path))  # the fixture is what it claims to be
    cues = read_cues(path)
    assert [cue.lines for cue in cues][:2] == [("Subtitle one",), ("Subtitle two line one", "Subtitle two line two,")]
    assert (cues[0].start, cues[0].end, cues[-1].end) == (Fraction(7, 100), Fraction(132, 100), Fraction(1805, 100))
    copy = tmp_path / "bbc.en.xml"
    copy.write_bytes(path.read_bytes())
    done = subprocess.run([sys.executable, "-m", "captions.cli", "convert", str(copy), "-f", "ebu-tt-d,imsc,srt",
                           "--fps", "50"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    again = read_cues(tmp_path / "bbc.en.ebu-tt-d.xml")
    assert [(c.start, c.end, c.lines) for c in again] == [(c.start, c.end, c.lines) for c in cues]
    XSD.validate(str(tmp_path / "bbc.en.ebu-tt-d.xml"))
    import srt as srt_package

    peer = list(srt_package.parse((tmp_path / "bbc.en.srt").read_text(encoding="utf-8")))
    assert [p.start.total_seconds() for p in peer] == [float(c.start) for c in cues]


TIME_FORMS = """<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter"
 xmlns:tts="http://www.w3.org/ns/ttml#styling" xmlns:ttm="http://www.w3.org/ns/ttml#metadata"
 ttp:frameRate="30" ttp:frameRateMultiplier="1000 1001" ttp:tickRate="10000000" xml:lang="en">
 <head><metadata><ttm:agent xml:id="ann"><ttm:name type="full">Ann Lee</ttm:name></ttm:agent></metadata>
  <styling><style xml:id="it" tts:fontStyle="italic"/></styling>
  <layout><region xml:id="up" tts:origin="10% 5%" tts:extent="80% 20%" tts:displayAlign="before"/></layout></head>
 <body><div begin="10s">
  <p begin="00:00:01:15" end="00:00:02:00">frames</p>
  <p begin="30000000t" dur="1.5s" region="up">ticks   and
     white space</p>
  <p begin="0.1h" end="361s">hours <span style="it">and</span> minutes</p>
  <p begin="400ms" end="00:00:00.9" ttm:agent="ann">millis<br/>two lines</p>
 </div></body></tt>"""


def test_ttml_time_expressions_in_every_form():
    entries = read_ttml(TIME_FORMS)
    frame = Fraction(1001, 30000)
    assert [(e.start, e.end) for e in entries] == [  # in time order; the div begins at 10 s
        (10 + Fraction(2, 5), 10 + Fraction(9, 10)), (11 + 15 * frame, Fraction(12)),
        (Fraction(13), Fraction(29, 2)), (Fraction(370), Fraction(371))]
    by_text = {e.lines[0]: e for e in entries}
    assert by_text["ticks and white space"].region == "top"
    assert by_text["millis"].lines == ("millis", "two lines") and by_text["millis"].voice == "Ann Lee"
    assert [s.italic for s in by_text["hours and minutes"].styled[0]] == [False, True, False]


@pytest.mark.parametrize("document, says", [
    ('<?xml version="1.0"?><!DOCTYPE tt [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
     '<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="0s" end="1s">&b;</p></div></body></tt>', "unsafe"),
    ('<?xml version="1.0"?><!DOCTYPE tt [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     '<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="0s" end="1s">&x;</p></div></body></tt>', "unsafe"),
    ('<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="0s" end="1s">open', "well-formed"),
    ('<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="soon" end="1s">x</p></div></body></tt>', "time"),
    # TTML2 section 12: an element whose interval is empty is never shown; with nothing else, no text.
    ('<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="2s" end="1s">x</p></div></body></tt>', "no caption text"),
    ('<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="999999h" end="1000000h">x</p></div></body></tt>',
     "hours"),
    ('<tt xmlns="http://www.w3.org/ns/ttml">' + "<span>" * 200_000 + "</span>" * 200_000 + "</tt>", ""),
])
def test_hostile_ttml_is_one_line_and_writes_nothing(tmp_path, document, says):
    source = tmp_path / "bad.ttml"
    source.write_text(document, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "captions.cli", "make", str(source), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 3, done.stderr
    assert done.stderr.count("\n") == 1 and str(source) in done.stderr and says in done.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_new_format_is_one_registration_and_its_limits_reach_the_line_breaker(tmp_path):
    def write(track):
        return "\n".join(" | ".join(cue.lines) for cue in track.cues).encode()

    toy = Format("toy", ("toy.txt",), "a 20-column test format", write=write, limits=Limits(max_chars_per_line=20))
    register(toy)
    try:
        source = tmp_path / "news.txt"
        source.write_text("The prime minister held talks with the president on Wednesday in Tokyo.\n")
        result = caption_file(source, tmp_path, Options(formats=("toy", "srt")))
        lines = [line for row in (tmp_path / "news.en.toy.txt").read_text().split("\n") for line in row.split(" | ")]
        assert lines and all(len(line) <= 20 for line in lines)
        assert any(len(line) > 14 for line in lines)  # laid out for 20 columns, not wrapped afterwards
        assert {path.name for path in result.outputs} == {"news.en.toy.txt", "news.en.srt"}
    finally:
        del REGISTRY["toy"]


def test_convert_reports_every_broken_limit_and_writes_nothing_without_force(tmp_path):
    narrow = Format("narrow", ("narrow.txt",), "10 columns, ASCII", write=lambda track: b"x",
                    limits=Limits(max_chars_per_line=10, characters=str.isascii, character_set="ASCII"))
    register(narrow)
    try:
        source = tmp_path / "show.en.srt"
        source.write_text("1\n00:00:01,000 --> 00:00:03,000\nA line far too long\n\n"
                          "2\n00:00:04,000 --> 00:00:05,000\nshort\n\n3\n00:00:06,000 --> 00:00:07,000\nAnother long one\n\n"
                          "4\n00:00:08,000 --> 00:00:09,000\nCafé ♪\n")
        from captions.convert import convert_file

        result = convert_file(source, tmp_path / "out", ["narrow", "vtt"], None, 25.0)
        assert [problem.split(":")[0] for problem in result.problems] == ["cue 1", "cue 3", "cue 4"]
        assert "'é♪'" in result.problems[2] and "ASCII" in result.problems[2] and not result.outputs
        assert not (tmp_path / "out").exists()
        forced = convert_file(source, tmp_path / "out", ["narrow", "vtt"], None, 25.0, force=True)
        assert len(forced.outputs) == 2
    finally:
        del REGISTRY["narrow"]


def test_make_reads_ttml_and_translates_nothing_away(tmp_path):
    source = tmp_path / "show.ttml"
    source.write_text(TIME_FORMS, encoding="utf-8")
    result = caption_file(source, tmp_path, Options(formats=("imsc", "srt")))
    assert result.outputs
    back = read_track(tmp_path / "show.en.imsc.ttml", "en", 25.0)
    assert "white space" in " ".join(" ".join(cue.lines) for cue in back.cues)


def test_entries_keep_per_line_speakers():
    entry = Entry(Fraction(0), Fraction(2), ("Hi.", "Hello."), 1, speakers=("Ann", "Bob"))
    assert entry_cues([entry])[0].speakers == ("Ann", "Bob")


def test_a_ttml_paragraph_with_a_begin_and_no_end_lasts_as_its_container_does(tmp_path):
    # TTML2 section 12: with no end or dur, a paragraph in a par container ends with its container;
    # the body gives no end either, so it is shown for a while, and the notes say so.
    from captions.formats import read_track

    source = tmp_path / "x.ttml"
    source.write_text('<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="1s">x</p>'
                      '<p begin="2s" end="6s">y</p></div></body></tt>')
    track = read_track(source, "en", 25)
    assert [(float(cue.start), float(cue.end), cue.lines) for cue in track.cues] == [(1.0, 6.0, ("x",)), (2.0, 6.0, ("y",))]


def test_japanese_ruby_from_the_script_reaches_imsc_and_reads_back(tmp_path):
    source = tmp_path / "news.txt"
    source.write_text("岸田《きしだ》首相は｜東京駅《とうきょうえき》で記者団に語りました。\n", encoding="utf-8")
    caption_file(source, tmp_path, Options(lang="ja", formats=("imsc", "srt")))
    cue = read_cues(tmp_path / "news.ja.imsc.ttml")[0]
    rubies = [(span.text, span.ruby) for line in range(len(cue.lines)) for span in cue.spans(line) if span.ruby]
    assert rubies == [("岸田", "きしだ"), ("東京駅", "とうきょうえき")]
    assert "《" not in (tmp_path / "news.ja.srt").read_text(encoding="utf-8")  # SRT shows the base text only
    assert "岸田首相は東京駅で" in (tmp_path / "news.ja.srt").read_text(encoding="utf-8")
    document = (tmp_path / "news.ja.imsc.ttml").read_text(encoding="utf-8")
    assert 'tts:shear="16.67%"' in document and 'ebutts:multiRowAlign="start"' in document
    assert ttconv_paragraphs(document.encode("utf-8"))[0][2][0].startswith("岸田きしだ")  # ttconv sees base + ruby


def test_vertical_japanese_profile_writes_tbrl(tmp_path):
    profile = tmp_path / "vertical.toml"
    profile.write_text('name = "netflix-vertical"\n[languages.ja]\nwriting_mode = "vertical"\nmax_chars_per_line = 11\n')
    source = tmp_path / "news.txt"
    source.write_text("岸田首相は東京駅で記者団に対し、日米の協力を一層強化したいと語りました。\n", encoding="utf-8")
    caption_file(source, tmp_path, Options(lang="ja", profile=str(profile), formats=("imsc",)))
    document = (tmp_path / "news.ja.imsc.ttml").read_text(encoding="utf-8")
    assert 'tts:writingMode="tbrl"' in document
    assert all(len(line) <= 11 for cue in read_cues(tmp_path / "news.ja.imsc.ttml") for line in cue.lines)
    caption_file(source, tmp_path / "built-in", Options(lang="ja", profile="netflix-vertical", formats=("imsc",)))
    assert (tmp_path / "built-in" / "news.ja.imsc.ttml").read_text(encoding="utf-8").count('tts:writingMode="tbrl"') == 2


def test_make_help_names_every_format_of_the_registry():
    # The help is written out (importing the registry would slow every start of the command by half);
    # this keeps it in step with the registry.
    import os

    from captions.formats import writable

    done = subprocess.run([sys.executable, "-m", "captions.cli", "make", "--help"], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "400"})
    words = done.stdout.replace(",", " ").replace(".", " ").split()
    assert all(name in words for name in writable()), done.stdout
    assert all(name in words for name in REGISTRY if REGISTRY[name].read_transcript or name == "ttml")


def test_dfxp_with_the_draft_namespace_is_read(tmp_path):
    # DFXP as Flash-era players and many archives still hold it (the 2006/10 draft namespace).
    source = tmp_path / "old.dfxp"
    source.write_text('<?xml version="1.0" encoding="utf-8"?>\n'
                      '<tt xmlns="http://www.w3.org/2006/10/ttaf1" xmlns:tts="http://www.w3.org/2006/10/ttaf1#styling">'
                      '<body><div><p begin="00:00:01.50" end="00:00:03.00">Old <span tts:fontStyle="italic">news</span>'
                      '<br/>still read</p></div></body></tt>', encoding="utf-8")
    cue = read_cues(source)[0]
    assert (cue.start, cue.end, cue.lines) == (Fraction(3, 2), Fraction(3), ("Old news", "still read"))
    assert [span.italic for span in cue.spans(0)] == [False, True]


@settings(max_examples=20, deadline=None)
@given(track=tracks())
def test_pycaption_reads_our_dfxp_as_we_wrote_it(track):
    # pycaption, the DFXP reader platforms' pipelines use: same cues, texts and times to the millisecond.
    import warnings

    import pycaption

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pycaption's BeautifulSoup use warns about itself
        captions = pycaption.DFXPReader().read(REGISTRY["dfxp"].write(track).decode("utf-8"))
    found = captions.get_captions(captions.get_languages()[0])
    assert len(found) == len(track.cues)
    for cue, caption in zip(track.cues, found):
        assert abs(caption.start / 1e6 - float(cue.start)) < 0.0011 and abs(caption.end / 1e6 - float(cue.end)) < 0.0011
        assert caption.get_text().split() == " ".join(cue.lines).split()
