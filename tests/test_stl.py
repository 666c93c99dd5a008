"""EBU STL (Tech 3264): every written file read back by ttconv's STL reader; the GSI block field by
field; extension blocks, code tables and substitutes; broken files refused in one line."""

import io
import subprocess
import sys
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ttconv_view import paragraphs, read_quietly

from captions.formats import REGISTRY, read_cues
from captions.formats.stl import GSI_SIZE, TTI_SIZE
from captions.model import Cue, Speaker, Track
from captions.pipeline import Options, caption_file

WRITE = REGISTRY["stl"].write
LATIN = st.text("abcdefghij KLMNOP.,?!'&éüçñøß£", min_size=1, max_size=30).map(lambda t: " ".join(t.split())).filter(bool)


@st.composite
def tracks(draw):
    rate = draw(st.sampled_from([Fraction(25), Fraction(30000, 1001)]))
    frame, cues = draw(st.integers(0, 50_000)), []
    for _ in range(draw(st.integers(1, 6))):
        frame += draw(st.integers(0, 100))
        length = draw(st.integers(1, 200))
        lines = tuple(draw(st.lists(LATIN, min_size=1, max_size=2)))
        cues.append(Cue(frame / rate, (frame + length) / rate, lines, ("Ann",) * len(lines)))
        frame += length
    return Track("fr", cues, {"Ann": Speaker("Ann", colour=draw(st.sampled_from(["", "yellow"])))}, rate)


def ttconv_read(data: bytes):
    """ttconv's STL reader: each subtitle's begin, end and rows, with no warning logged."""
    import ttconv.stl.reader as stl_reader

    return [(begin, end, [line.strip() for line in lines])
            for begin, end, lines in paragraphs(read_quietly(stl_reader.to_model, io.BytesIO(data)))]


@settings(max_examples=40, deadline=None)
@given(track=tracks())
def test_ttconv_reads_what_we_wrote(track):
    found = ttconv_read(WRITE(track))
    assert len(found) == len(track.cues)
    for cue, (begin, end, lines) in zip(track.cues, found):  # both rates are STL's own: times exact
        assert (begin, end) == (cue.start, cue.end)
        assert [line for line in lines if line] == list(cue.lines)


def test_the_gsi_block_field_by_field():
    cues = [Cue(Fraction(3725) + Fraction(12, 25), Fraction(3727), ("Première ligne",), ("A",)),
            Cue(Fraction(3728), Fraction(3730), ("Deux", "lignes"), ("A", "A"))]
    data = WRITE(Track("fr", cues, {}, 25))
    gsi = data[:GSI_SIZE]
    assert (len(data) - GSI_SIZE) % TTI_SIZE == 0
    assert gsi[0:3] == b"850" and gsi[3:11] == b"STL25.01" and gsi[11:12] == b"1"  # code page, format, teletext
    assert gsi[12:14] == b"00" and gsi[14:16] == b"0F"  # Latin (ISO 6937), French
    assert gsi[238:243] == b"00002" and gsi[243:248] == b"00002" and gsi[248:251] == b"001"  # TNB, TNS, TNG
    assert gsi[253:255] == b"23" and gsi[255:256] == b"1"  # rows, time code status
    assert gsi[264:272] == b"01020512"  # first in-cue: 01:02:05:12
    first = data[GSI_SIZE: GSI_SIZE + TTI_SIZE]
    assert first[1:3] == (1).to_bytes(2, "little") and first[3] == 0xFF and first[5:9] == bytes([1, 2, 5, 12])
    assert first[13] == 23 and first[14] == 2  # the bottom row, centred
    assert data[GSI_SIZE + TTI_SIZE + 13] == 22  # two rows: one higher
    assert b"Premi\xc1ere" in first  # è as ISO 6937: the grave accent, then the letter
    thirty = WRITE(Track("en", cues, {}, Fraction(30000, 1001)))
    assert thirty[3:11] == b"STL30.01" and thirty[14:16] == b"09"


def test_long_text_goes_into_extension_blocks():
    long_line = "x" * 90
    track = Track("en", [Cue(Fraction(1), Fraction(4), (long_line, long_line), ("A",) * 2)], {}, 25)
    data = WRITE(track)
    blocks = [data[at: at + TTI_SIZE] for at in range(GSI_SIZE, len(data), TTI_SIZE)]
    assert [block[3] for block in blocks] == [0, 0xFF] and {block[1:3] for block in blocks} == {b"\x01\x00"}
    assert ttconv_read(data)[0][2] == [long_line, long_line]
    path_cues = REGISTRY["stl"].read_entries(data, "x.stl")
    assert path_cues[0].lines == (long_line, long_line)


def test_cyrillic_and_greek_get_their_tables():
    for lang, line, table in [("ru", "Добрый вечер", b"01"), ("el", "Καλησπέρα", b"03")]:
        data = WRITE(Track(lang, [Cue(Fraction(1), Fraction(3), (line,), ("A",))], {}, 25))
        assert data[12:14] == table
        assert ttconv_read(data)[0][2] == [line]
        assert REGISTRY["stl"].read_entries(data, "x.stl")[0].lines == (line,)


def test_characters_stl_lacks_are_substituted_and_reported(tmp_path):
    source = tmp_path / "show.txt"
    source.write_text("Prices rose – again… to €5 in Tōkyō 東京.\n", encoding="utf-8")
    result = caption_file(source, tmp_path, Options(formats=("stl",)))
    warnings = [issue for issue in result.languages[0].issues if issue.rule == "format"]
    assert (warnings and "東京" in warnings[0].message) or "東" in warnings[0].message
    text = " ".join(" ".join(cue.lines) for cue in read_cues(tmp_path / "show.en.stl"))
    assert "Prices rose - again... to EUR5 in Tōkyō ??." == text


@pytest.mark.parametrize("damage, says", [
    (lambda data: data[:-5], "not a whole EBU STL file"),
    (lambda data: data[:3] + b"STL99.01" + data[11:], "disk format code"),
    (lambda data: data[:GSI_SIZE + 6] + bytes([75]) + data[GSI_SIZE + 7:], "is not a time at 25 frames"),
    (lambda data: data[:12] + b"77" + data[14:], "code table"),
])
def test_broken_stl_is_one_line_and_writes_nothing(tmp_path, damage, says):
    good = WRITE(Track("en", [Cue(Fraction(1), Fraction(3), ("Hello",), ("A",))], {}, 25))
    source = tmp_path / "bad.stl"
    source.write_bytes(damage(good))
    done = subprocess.run([sys.executable, "-m", "captions.cli", "convert", str(source), "-f", "srt",
                           "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert done.returncode == 3 and done.stderr.count("\n") == 1, done.stderr
    assert str(source) in done.stderr and says in done.stderr
    assert not (tmp_path / "out").exists()


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=TTI_SIZE, max_size=TTI_SIZE * 3).filter(lambda data: len(data) % TTI_SIZE == 0),
       st.sampled_from([b"STL25.01", b"STL30.01"]), st.sampled_from([b"00", b"01", b"03", b"9Z"]))
def test_fuzzed_subtitle_blocks_read_cleanly_or_fail_in_one_line(blocks, disk_format, table):
    from captions.errors import CaptionsError

    header = bytearray(WRITE(Track("en", [], {}, 25))[:GSI_SIZE])
    header[3:11], header[12:14] = disk_format, table
    try:
        entries = REGISTRY["stl"].read_entries(bytes(header) + blocks, "fuzz.stl")
    except CaptionsError as err:
        assert str(err).startswith("fuzz.stl") and "\n" not in str(err)
    else:
        assert all(entry.end >= entry.start and entry.lines for entry in entries)


def test_open_subtitles_double_height_and_the_title():
    from captions.formats.stl import StlOptions
    from captions.model import Span

    cues = [Cue(Fraction(1), Fraction(3), ("Said softly,", "out loud"), ("A", "A"),
                styled=((Span("Said softly,", italic=True),), (Span("out loud"),)))]
    track = Track("en", cues, {}, 25, title="Évening news")
    opened = REGISTRY["stl"].write(track, StlOptions(mode="open"))
    assert opened[11:12] == b"0" and opened[16:28] == "Évening news".encode("cp850")
    back = REGISTRY["stl"].read_entries(opened, "x.stl")[0]
    assert back.lines == cues[0].lines and [s.italic for line in back.styled for s in line] == [True, False]
    doubled = REGISTRY["stl"].write(track, StlOptions(double_height=True))
    block = doubled[GSI_SIZE: GSI_SIZE + TTI_SIZE]
    assert block[13] == 19 and b"\x0d\x0b\x0bSaid softly," in block and b"\x8a\x8a" in block
    assert ttconv_read(doubled)[0][2] == ["Said softly,", "out loud"]


def test_the_programme_start_is_the_gsi_start_timecode(tmp_path):
    source = tmp_path / "news.txt"
    source.write_text("Evening news\nThe minister spoke today.\n")
    caption_file(source, tmp_path, Options(formats=("stl",), fps=25.0, start=36000.0))
    data = (tmp_path / "news.en.stl").read_bytes()
    assert data[256:264] == b"10000000" and data[264:266] == b"10"  # TCP 10:00:00:00, first cue in hour 10
    assert data[16:20] == b"news"
