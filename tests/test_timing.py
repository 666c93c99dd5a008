import pytest
from conftest import SEED

from captions import qc
from captions.context import resolved
from captions.formats import parse, read_file
from captions.model import Segment
from captions.pipeline import Options, caption
from captions.profiles import get_profile
from captions.timecode import parse_fps, parse_time

EN = get_profile("netflix", "en")


def frames(seconds, fps):
    return seconds * fps


def test_untimed_cues_follow_reading_speed_and_rules():
    track = caption(read_file(SEED), EN, Options(fps=25.0))
    assert track.cues[0].start == 0
    for previous, cue in zip(track.cues, track.cues[1:]):
        assert cue.start >= previous.end + 2 / 25 - 1e-9
    assert not [i for i in qc.check(track.cues, resolved(EN, 25)) if i.severity == qc.ERROR]
    for cue in track.cues:  # on frames
        assert abs(cue.start * 25 - round(cue.start * 25)) < 1e-6


def test_speaker_change_gets_a_longer_pause():
    segments = [Segment("First sentence here.", "Ann"), Segment("Second one.", "Ann", paragraph=0),
                Segment("Now Bob talks.", "Bob", paragraph=1)]
    track = caption(segments, EN, Options(fps=25.0, speakers="none", speaker_pause=1.0))
    gap_same = track.cues[1].start - track.cues[0].end
    gap_change = track.cues[2].start - track.cues[1].end
    assert gap_change >= gap_same + 0.9


def test_start_timecode_offsets_every_cue():
    plain = caption(read_file(SEED), EN, Options(fps=25.0))
    offset = caption(read_file(SEED), EN, Options(fps=25.0, start=parse_time("10:00:00:00", 25.0)))
    assert offset.cues[0].start == 36000.0
    assert [round(c.start - 36000, 6) for c in offset.cues] == [round(c.start, 6) for c in plain.cues]


@pytest.mark.parametrize("length", [150.0, 400.0])
def test_duration_fits_the_programme_length(length):
    track = caption(read_file(SEED), EN, Options(fps=25.0, duration=length))
    assert abs(track.cues[-1].end - length) < 0.2
    assert all(EN.min_duration - 0.02 <= c.duration <= EN.max_duration + 0.02 for c in track.cues)


def test_duration_too_short_is_reported():
    track = caption(read_file(SEED), EN, Options(fps=25.0, duration=20.0))
    assert track.notes and "shorter" in track.notes[0]
    assert track.cues[-1].end <= 20.2


def test_timed_input_keeps_its_times_and_closes_small_gaps():
    srt = "1\n00:00:10,000 --> 00:00:13,000\nThe two leaders met in Washington on Wednesday and agreed\n\n" \
          "2\n00:00:13,100 --> 00:00:16,000\non closer cooperation in defense, technology and space.\n\n" \
          "3\n00:00:30,000 --> 00:00:32,000\nThat was the news.\n"
    track = caption(parse(srt, "srt"), EN, Options(fps=25.0))
    assert track.cues[0].start == 10.0
    assert any(abs(c.end - 16.0) < 0.05 for c in track.cues)
    assert track.cues[-1].start == 30.0 and track.cues[-1].end == 32.0
    for previous, cue in zip(track.cues, track.cues[1:]):
        assert round((cue.start - previous.end) * 25) >= 2


def test_word_times_decide_cue_times():
    document = '{"segments": [{"start": 0, "end": 10, "text": "Short start. Then a much longer sentence that ' \
               'follows after a pause in the speech.", "words": [{"word": "Short", "start": 0.0, "end": 0.4}, ' \
               '{"word": "start.", "start": 0.4, "end": 0.9}, {"word": "Then", "start": 6.0, "end": 6.2}]}]}'
    track = caption(parse(document, "json"), EN, Options(fps=25.0))
    assert track.cues[1].start == pytest.approx(6.0, abs=0.05)


@pytest.mark.parametrize("name, value", [("23.976", 24000 / 1001), ("29.97", 30000 / 1001), ("50", 50.0)])
def test_frame_rates(name, value):
    assert parse_fps(name) == value


def test_drop_frame_timecode():
    assert parse_time("00:01:00;02", 30000 / 1001) == pytest.approx(1800 / (30000 / 1001))


def test_speech_of_exactly_the_maximum_is_shown_to_its_last_word():
    # Found by the on-screen property: five words spoken over exactly 7.0 s at 23.976 fps ended a
    # frame before the last word (the cap counted the speech in whole frames rounded down).
    fps = 24000 / 1001
    words = [(k * 4, k * 1.4, k * 1.4 + 1.4) for k in range(5)]
    segment = Segment("the the the the the", kind="caption",
                      anchors=tuple(p for offset, a, b in words for p in ((offset, a), (offset + 3, b))))
    track = caption([segment], EN, Options(speakers="none", fps=fps))
    # Within a frame of the last word, and never over the maximum: 168 frames would be 7.007 s.
    assert track.cues[-1].end >= 7.0 - 1 / fps
    assert all(cue.duration <= EN.max_duration for cue in track.cues)


def test_a_cue_squeezed_between_chained_cues_still_gets_the_minimum():
    # The end of the real diarized call: WhisperX packed six sentences into 1.9 s, so a cue between
    # two others had 19 frames at 23.976 fps; the frames it lacks come from the next cue's start.
    fps = 24000 / 1001
    document = ('{"segments": ['
                '{"start": 189.71, "end": 191.955, "text": "J\'ai la bonne affaire. Parfait."},'
                '{"start": 191.975, "end": 192.836, "text": "Je ne vais pas prendre plus de votre temps."},'
                '{"start": 192.856, "end": 193.658, "text": "Excellent. Bonne soirée à vous. Bye-bye."}]}')
    profile = get_profile("netflix", "fr")
    track = caption(parse(document, "json", lang="fr"), profile, Options(lang="fr", fps=fps))
    frames = [(round(cue.start * fps), round(cue.end * fps)) for cue in track.cues]
    assert all(end - start >= round(profile.min_duration * fps) for start, end in frames), frames
    assert all(b[0] - a[1] >= 2 for a, b in zip(frames, frames[1:])), frames
    assert frames[1][1] >= 192.836 * fps - 0.5  # never before its last word
    assert not [issue for issue in qc.check(track.cues, resolved(profile, fps)) if issue.rule == "min-duration"]


@pytest.mark.parametrize("rate", ["23.976", "29.97", "59.94", "25"])
def test_speech_of_exactly_the_maximum_never_takes_a_cue_over_it(rate):
    """7.0 s of speech at 23.976 is 167.8 frames: rounding up made a 7.007 s cue (issue 26)."""
    fps = parse_fps(rate)
    text = '{"segments": [{"start": 1.0, "end": 8.0, "text": "Yes, I do see it now, my friend."}]}'
    profile = get_profile("netflix", "en")
    track = caption(parse(text, "json"), profile, Options(fps=fps))
    assert len(track.cues) == 1
    assert track.cues[0].duration <= profile.max_duration
    assert track.cues[0].duration > profile.max_duration - 1.5 / fps  # the last whole frame within it
