"""Every real caption file of tests/data/formats-dev (copied from ../shared/formats-dev, sources and
licences in its SOURCES.md and licences/) read as independent readers show it: ttconv for TTML,
IMSC, EBU-TT-D, SCC, STL, SRT and WebVTT, pycaption for SCC and DFXP. The text on screen is sampled
every 0.1 s; ours must agree with at least one reader that reads the file at 95% of the samples or
better, or the difference is written down below with its reason."""

import logging
from pathlib import Path

import pytest
from formats_view import agreement, at, pycaption_timeline, ttconv_timeline, words

from captions.errors import InputError
from captions.formats import read_cues

DEV = Path(__file__).parent / "data" / "formats-dev"
KIND = {".ttml": "ttml", ".xml": "ttml", ".dfxp": "ttml", ".scc": "scc", ".stl": "stl", ".srt": "srt", ".vtt": "vtt"}
FILES = sorted(path for path in DEV.glob("*/*") if path.suffix in KIND)
AGREE = 0.95

# Where ours differs from every independent reader, and why.
DIFFERENCES = {
    # TTML2 section 10.2.36 (tts:ruby): ruby text annotates its base. We keep it as the base's ruby
    # (IMSC output writes it back as ruby); ttconv's ISD holds it as more text on the line.
    "imsc/w3c_imsc1_1_ruby_ruby001.ttml": "ruby kept as annotation",
    "imsc/w3c_imsc1_1_ruby_ruby003.ttml": "ruby kept as annotation",
    "imsc/w3c_imsc1_1_shear_shear003.ttml": "ruby kept as annotation",
    # EBU Tech 3264 says nothing of subtitles whose times overlap: we keep each one's own in and out
    # times (both show while they overlap); ttconv replaces the first with the second.
    "stl/sandflow_overlapping_tti.stl": "overlapping subtitles kept as written",
    # Two of pycaption's SCC samples that no independent reader reads as a decoder shows them. ttconv
    # reads no line of either (it wants a tab after the time code; these have spaces). pycaption refuses
    # the roll-up sample (frames 30 and 40), which we count on as ttconv does elsewhere; in the other it
    # keeps every row sent in roll-up mode, where CEA-608 (annex B.8.1) keeps only the window's (RU2: two).
    "scc/pycaption_sample_scc_multiple_positioning.scc": "pycaption keeps rows past the roll-up window",
    "scc/pycaption_sample_scc_roll_up_ru2.scc": "no independent reader reads it",
}


def readers(path):
    """The independent readers' timelines of a file (those that read it)."""
    logging.disable(logging.CRITICAL)  # ttconv logs what it skips; the timeline is what counts here
    try:
        found = {}
        for name, read in (("ttconv", lambda: ttconv_timeline(path, KIND[path.suffix])),
                           ("pycaption", lambda: pycaption_timeline(path))):
            if name == "pycaption" and path.suffix not in (".scc", ".dfxp"):
                continue
            try:
                found[name] = read()
            except Exception:  # a reader that cannot read the file has no say on it
                continue
        return found
    finally:
        logging.disable(logging.NOTSET)


@pytest.mark.parametrize("path", FILES, ids=[f"{path.parent.name}/{path.name}" for path in FILES])
def test_real_file_reads_as_independent_readers_show_it(path):
    name = f"{path.parent.name}/{path.name}"
    theirs = readers(path)
    try:
        cues = read_cues(path)
    except InputError as err:
        # Refused only when it shows no text: so every independent reader that reads it must agree.
        assert "no caption text" in str(err), err
        assert theirs and all(not any(found for _, _, found in timeline) for timeline in theirs.values()), name
        return
    assert any(line.strip() for cue in cues for line in cue.lines), name  # never a silent empty reading
    ours = [(float(cue.start), float(cue.end), words(" ".join(cue.lines))) for cue in cues]
    if not theirs:  # no independent reader reads it (astisub's deliberately odd files): ours must show text
        return
    scores = {reader: agreement(ours, timeline) for reader, timeline in theirs.items()}
    if name in DIFFERENCES:
        assert max(scores.values()) < AGREE, f"{name} agrees now ({scores}): take it out of DIFFERENCES"
        return
    assert max(scores.values()) >= AGREE, (name, scores)


def test_a_cumulative_stl_set_is_read_step_by_step_and_written_back_as_a_set(tmp_path):
    # EBU Tech 3264 cumulative sets: each subtitle adds a row to the ones before, and all stay. We read
    # each step as one cue with every row so far (SRT shows no overlapping cues), and STL writes the
    # steps back as a set (CS 01, 02..., 03) that ttconv shows as it showed the source.
    from captions.formats import REGISTRY, read_track

    path = DEV / "stl" / "sandflow_cumulative_set.stl"
    cues = read_cues(path)
    assert [cue.lines for cue in cues[1:]] == [("1",), ("1", "2"), ("1", "2", "3"), ("1", "2", "3", "4")]
    assert all(before.end <= after.start for before, after in zip(cues, cues[1:]))
    again = tmp_path / "again.stl"
    again.write_bytes(REGISTRY["stl"].write(read_track(path, "en", 25)))
    blocks = again.read_bytes()[1024:]
    assert [blocks[at + 4] for at in range(0, len(blocks), 128)] == [0, 1, 2, 2, 3]
    theirs = readers(path)["ttconv"]
    for timeline in (theirs, readers(again)["ttconv"],
                     [(float(cue.start), float(cue.end), words(" ".join(cue.lines))) for cue in read_cues(again)]):
        for begin, _, _ in theirs:
            assert at(timeline, begin + 0.01) == at(theirs, begin + 0.01)


@pytest.mark.parametrize("name, first, count", [
    ("ssa/astisub_example-in.ssa", ("(deep rumbling)",), 6),
    ("unsupported/pycaption_sample_microdvd.sub", ("( clock ticking )",), None),
])
def test_the_formats_editors_bring_are_read_through_pysubs2(name, first, count):
    # ASS/SSA and MicroDVD: ffmpeg reads the same first line; MicroDVD without a header is at 23.976.
    from captions.formats import read_track

    track = read_track(DEV / name, "en", 25)
    assert track.cues[0].lines == first
    assert count is None or len(track.cues) == count
    if name.endswith(".sub"):
        assert abs(float(track.cues[0].start) - 230 * 1001 / 24000) < 0.002
        assert any("frame rate header" in note for note in track.notes)


@pytest.mark.parametrize("fmt, text, says", [
    ("ass", "[Script Info]\nScriptType: v4.00+\n\n[Events]\n"
            "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
            "Dialogue: 0,0:00:01.00,0:00:02.50,Default,Ann,0,0,0,,{\\i1}Off screen{\\i0} and {\\an8}on top\\Nsecond\n",
     ("Off screen and on top", "second")),
    ("sami", "<SAMI><BODY><SYNC Start=1000><P Class=ENCC>Hello there.<SYNC Start=2500><P Class=ENCC>&nbsp;"
             "</BODY></SAMI>", ("Hello there.",)),
])
def test_ass_and_sami_map_to_the_model(tmp_path, fmt, text, says):
    from captions.formats import read_track

    path = tmp_path / f"x.{'smi' if fmt == 'sami' else fmt}"
    path.write_text(text)
    track = read_track(path, "en", 25)
    assert track.cues[0].lines == says and float(track.cues[0].start) == 1.0
    if fmt == "ass":
        assert track.cues[0].region == "top" and track.cues[0].spans(0)[0].italic
