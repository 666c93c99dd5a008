import json

import pytest
from conftest import JAPANESE_SCRIPT, SEED

from captions.errors import CaptionsError
from captions.formats import detect_format, parse, read_file
from captions.formats.script import read_script
from captions.textfile import decode


def test_seed_script_speakers_titles_and_headline():
    segments = read_file(SEED)
    assert len(segments) == 11
    assert segments[0].kind == "headline" and segments[0].speaker == "Narrator"
    bite = segments[2]
    assert (bite.kind, bite.speaker, bite.title) == ("soundbite", "Kishida Fumio", "Prime Minister of Japan")
    assert bite.text.startswith("I would like")
    assert segments[8].speaker == "Narrator"  # a plain line after a sound bite is narration


def test_headline_skip():
    assert read_file(SEED, headline="skip")[0].text.startswith("Japanese Prime Minister")


def test_title_with_commas_and_missing_title():
    segments = read_script(
        "Head\nS/ Prof. Helen Achterberg, Health Economist, University of Lisbon: Costs rose.\nS/ Ann Lee: Yes."
    )
    assert (segments[1].speaker, segments[1].title) == ("Prof. Helen Achterberg", "Health Economist, University of Lisbon")
    assert (segments[2].speaker, segments[2].title, segments[2].text) == ("Ann Lee", "", "Yes.")


def test_other_speaker_conventions():
    segments = read_script("JOHN SMITH: Hello there.\n>> Who is it?\n>> MARY JONES: Me.\n[Anchor] Back to you.")
    assert [s.speaker for s in segments] == ["John Smith", "Speaker 1", "Mary Jones", "Anchor"]
    assert [s.text for s in segments] == ["Hello there.", "Who is it?", "Me.", "Back to you."]


def test_japanese_script_with_full_width_marks():
    segments = read_script(JAPANESE_SCRIPT.replace("S/ 岸田文雄, 内閣総理大臣:", "S/ 岸田文雄、内閣総理大臣："))
    assert (segments[2].speaker, segments[2].title) == ("岸田文雄", "内閣総理大臣")
    assert segments[2].text.startswith("今回の会談が")


@pytest.mark.parametrize("encode", [
    lambda t: t.encode("utf-8"),
    lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    lambda t: t.encode("utf-16"),
    lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    lambda t: t.encode("cp932"),
])
def test_encodings_give_the_same_text(encode):
    assert decode(encode(JAPANESE_SCRIPT)) == JAPANESE_SCRIPT


def test_undecodable_text_names_the_line():
    data = b"line one\nline two\n" + b"caf\xe9 \xff\n"
    with pytest.raises(CaptionsError) as err:
        decode(data, "x.txt")
    assert str(err.value).startswith("x.txt:3:")


def test_binary_and_empty_files_are_refused():
    with pytest.raises(CaptionsError, match="a picture"):  # named for what it is
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "x.png")
    with pytest.raises(CaptionsError, match="binary"):
        decode(b"\x00\x01\x02 some bytes \x03", "x.bin")
    with pytest.raises(CaptionsError, match="empty"):
        decode(b"  \n\n", "x.txt")


SRT = """1
00:00:01,000 --> 00:00:02,500
JOE BIDEN: Today I look forward

2
00:00:02,600 --> 00:00:04,000
to discussing the alliance.

3
00:00:08,000 --> 00:00:10,000
-Is that right?
-Yes, it is.
"""


def test_srt_joins_fragments_and_keeps_their_times():
    segments = parse(SRT, "srt", "a.srt")
    assert segments[0].speaker == "Joe Biden"
    assert segments[0].text == "Today I look forward to discussing the alliance."
    assert segments[0].anchors[0] == (0, 1.0) and segments[0].anchors[-1][1] == 4.0
    assert [s.text for s in segments[1:]] == ["Is that right?", "Yes, it is."]
    assert segments[1].speaker != segments[2].speaker


def test_srt_broken_timestamp_names_the_line():
    broken = SRT.replace("00:00:02,600 --> 00:00:04,000", "00:00:02,600 -> 00:00:04,000")
    with pytest.raises(CaptionsError) as err:
        parse(broken, "srt", "a.srt")
    assert str(err.value).startswith("a.srt:5:")


def test_srt_out_of_order_cues():
    shuffled = SRT.replace("00:00:08,000 --> 00:00:10,000", "00:00:00,500 --> 00:00:00,900")
    with pytest.raises(CaptionsError, match="out of order") as err:
        parse(shuffled, "srt", "a.srt")
    assert err.value.line == 9


def test_vtt_voices_and_broken_timing():
    vtt = "WEBVTT\n\nNOTE hi\n\n1\n00:01.000 --> 00:02.000 align:start\n<v Ann>Hello &amp; welcome.</v>\n\n" \
          "00:02.100 --> 00:03.000\nBack in the studio.\n"
    segments = parse(vtt, "vtt", "a.vtt")
    assert [(s.speaker, s.text) for s in segments] == [("Ann", "Hello & welcome."), ("Narrator", "Back in the studio.")]
    with pytest.raises(CaptionsError) as err:
        parse(vtt.replace("00:02.100 -->", "00:0x.100 -->"), "vtt", "a.vtt")
    assert err.value.line == 9


def test_whisper_json_with_speakers_and_words():
    document = {"segments": [
        {"start": 0.0, "end": 2.0, "text": " Hello there.", "speaker": "SPEAKER_00",
         "words": [{"word": " Hello", "start": 0.1, "end": 0.6}, {"word": " there.", "start": 1.2, "end": 1.9}]},
        {"start": 2.5, "end": 3.0, "text": " Hi.", "speaker": "SPEAKER_01"},
    ]}
    segments = parse(json.dumps(document), "json")
    assert [(s.speaker, s.text) for s in segments] == [("SPEAKER_00", "Hello there."), ("SPEAKER_01", "Hi.")]
    assert (6, 1.2) in segments[0].anchors


@pytest.mark.parametrize("text, message", [
    ('{"text": "hello"}', "not a timed transcript"),
    ('{"segments": [{"start": 0, "text": "x"}]}', "has no end"),
    ('{"segments": [{"start": "soon", "end": 1, "text": "x"}]}', "not a time"),
    ('{"segments": [{"start": 0, "end": 1, "text": "  "}]}', "no speech text"),
    ('{"segments": [', "not valid JSON"),
    ('{"segments": [{"start": 2, "end": 1, "text": "x"}]}', "segment 1 ends before it starts"),
    ('[{"start": 5, "end": 6, "text": "a"}, {"start": 1, "end": 2, "text": "b"}]', "segment 2 starts before segment 1"),
])
def test_json_that_is_not_a_transcript(text, message):
    with pytest.raises(CaptionsError, match=message):
        parse(text, "json", "t.json")


def test_format_detection():
    assert detect_format(SRT) == "srt"
    assert detect_format("WEBVTT\n") == "vtt"
    assert detect_format('{"segments": []}') == "json"
    assert detect_format("S/ Ann: hi") == "script"
