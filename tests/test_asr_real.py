"""Real ASR output (tests/data/asr, sources and licences in its README) through the whole pipeline,
checked by the rules of asr_rules.py, which know nothing of the line breaker's costs."""

import pytest
import srt
from asr_rules import ASR, FIXTURES, transcript, violations

from captions.pipeline import Options, caption_file
from captions.profiles import get_profile


@pytest.mark.parametrize("name", FIXTURES)
def test_real_asr_keeps_every_hard_rule(name, tmp_path):
    lang = FIXTURES[name]
    source, segments = transcript(ASR / name, tmp_path)
    caption_file(source, tmp_path / "out", Options(lang=lang, formats=("srt",)))
    written = (tmp_path / "out" / f"{source.stem}.{lang}.srt").read_text(encoding="utf-8")
    cues = list(srt.parse(written))  # the srt library, not our reader
    assert cues
    assert violations(cues, segments, lang, get_profile("netflix", lang).fps) == []


def test_the_checker_finds_what_it_looks_for(tmp_path):
    # The rules above are only worth something if they fail on a track that breaks them.
    segments = [[{"word": "Did", "start": 0.0, "end": 0.3}, {"word": "you", "start": 0.3, "end": 0.5},
                 {"word": "find", "start": 0.5, "end": 0.9}, {"word": "the", "start": 0.9, "end": 1.0},
                 {"word": "services?", "start": 2.5, "end": 3.4}],
                [{"word": "Maybe", "start": 3.6, "end": 4.0}, {"word": "later.", "start": 4.0, "end": 9.5}]]
    track = srt.compose([
        srt.Subtitle(1, *(srt.srt_timestamp_to_timedelta(t) for t in ("00:00:00,000", "00:00:00,950")), "Did you find the"),
        srt.Subtitle(2, *(srt.srt_timestamp_to_timedelta(t) for t in ("00:00:01,000", "00:00:03,700")), "services? Maybe"),
        srt.Subtitle(3, *(srt.srt_timestamp_to_timedelta(t) for t in ("00:00:03,700", "00:00:11,000")), "later."),
    ])
    problems = violations(list(srt.parse(track)), segments, "en", 25.0)
    for expected in ("ends on 'the'", "gap of", "first words of a new sentence",
                     "before its last word", "on screen 7.300"):
        assert any(expected in problem for problem in problems), (expected, problems)
    turns = [[{"word": "Allô?", "start": 0.0, "end": 0.4, "speaker": "A"}],
             [{"word": "Oui.", "start": 0.5, "end": 1.0, "speaker": "B"}]]
    for text, expected in (("Allô? Oui.", "a line holds words of two speakers"),
                           ("Allô?\nOui.", "two speakers without dialogue dashes")):
        cue = srt.Subtitle(1, srt.srt_timestamp_to_timedelta("00:00:00,000"),
                           srt.srt_timestamp_to_timedelta("00:00:01,200"), text)
        assert any(expected in problem for problem in violations([cue], turns, "fr", 25.0))


def test_a_word_timed_longer_than_speech_is_shortened_and_flagged(tmp_path):
    # The diarized call's first segment is one word, "Bonjour.", timed over 22 s by WhisperX's
    # forced alignment; shown to its end it would break the 7 s maximum.
    result = caption_file(ASR / "whisperx_diarized_call_fr.json", tmp_path, Options(lang="fr", formats=("srt",)))
    first = next(srt.parse((tmp_path / "whisperx_diarized_call_fr.fr.srt").read_text(encoding="utf-8")))
    assert first.content == "Bonjour."
    assert first.end.total_seconds() == pytest.approx(28.747, abs=0.05)  # its end kept: the speech runs on
    assert (first.end - first.start).total_seconds() <= 7
    warnings = [issue for issue in result.languages[0].issues if issue.rule == "alignment"]
    assert any(issue.cue == 1 and "'Bonjour.' over 22.2 s" in issue.message for issue in warnings)
    # Every word over its longest (Bonjour, Excellent, plus, qu'on, 5-5-8, two avec, accès, clientèle,
    # changer, dedans, ça), once each:
    assert len({issue.message for issue in warnings}) == 12


@pytest.mark.parametrize("name", FIXTURES)
def test_make_and_check_find_the_same_issues_in_the_same_file(name, tmp_path):
    """Issue 29: ``check --transcript`` once warned "'like' belongs with 'Maybe'" on a file make had
    passed, because make let a cue end on a weak word at an ASR segment's end. Both now judge a cue
    by its words alone: make's QC and check's, on the file make wrote, are the same issues."""
    import json
    import subprocess
    import sys

    lang = FIXTURES[name]
    source, _ = transcript(ASR / name, tmp_path)
    made = subprocess.run([sys.executable, "-m", "captions.cli", "make", str(source), "--lang", lang, "--out",
                           str(tmp_path / "out"), "--json"], capture_output=True, text=True)
    assert made.returncode in (0, 1), made.stderr
    summary = json.loads(made.stdout)
    written = tmp_path / "out" / f"{source.stem}.{lang}.srt"
    checked = subprocess.run([sys.executable, "-m", "captions.cli", "check", str(written), "--lang", lang,
                              "--transcript", str(source), "--json"], capture_output=True, text=True)
    found = json.loads(checked.stdout)["issues"]
    # Where the recogniser's times are in doubt, make says so (alignment) and check against the
    # transcript says where a cue ends before its word (early-end, transcript): each its own knowledge.
    own = {"alignment", "transcript", "early-end"}
    by_make = sorted((issue["cue"], issue["rule"]) for issue in summary["languages"][0]["issues"] if issue["rule"] not in own)
    by_check = sorted((issue["cue"], issue["rule"]) for issue in found if issue["rule"] not in own)
    assert by_make == by_check, (by_make, by_check)
