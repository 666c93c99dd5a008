"""Resolve once: options become one validated, picklable plan; the core returns bytes; the sink writes."""

import pickle
import re
from pathlib import Path

import pytest

from captions.errors import OptionError
from captions.formats import REGISTRY, Format, Limits, register
from captions.pipeline import Options, caption_file, make_plan, render_file

SCRIPT = "Evening news\nThe prime minister met the president today in Tokyo.\n"


def test_a_plan_is_resolved_once_and_pickles_for_workers(tmp_path):
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("ja\tTokyo\t東京\n")
    plan = make_plan(Options(profile="bbc", formats=("srt", "imsc"), to=("ja",), glossary=str(glossary), fps=25.0))
    assert [language.lang for language in plan.languages] == ["en", "ja"]
    assert plan.source.style.max_chars_per_line == 37 and plan.targets[0].style.max_chars_per_line == 13
    assert dict(plan.targets[0].terms) == {"Tokyo": "東京"} and plan.source.terms == ()
    assert plan.source.speakers == "colour" and plan.source.fps == 25 and plan.source.style.fps == 25.0
    assert pickle.loads(pickle.dumps(plan)) == plan
    glossary.unlink()  # loaded once, into the plan: no worker reads it again
    assert dict(pickle.loads(pickle.dumps(plan)).targets[0].terms) == {"Tokyo": "東京"}


def test_format_limits_narrow_every_language_of_the_plan():
    register(Format("narrow20", ("narrow20.txt",), "test", write=lambda track: b"", limits=Limits(20, 1)))
    try:
        plan = make_plan(Options(formats=("srt", "narrow20"), to=("fr",)))
        assert all(language.style.max_chars_per_line == 20 and language.style.max_lines == 1
                   for language in plan.languages)
    finally:
        del REGISTRY["narrow20"]


@pytest.mark.parametrize("options, says", [
    (Options(fps=0.0), "--fps"), (Options(start=-1.0), "--start"), (Options(formats=("doc",)), "unknown output format"),
    (Options(speakers="loud"), "speaker style"), (Options(headline="maybe"), "headline"),
    (Options(max_input_mb=0), "--max-input-mb"), (Options(to=("xx",)), "unknown language"),
    (Options(audio=__file__, audio_part=(5.0, 3.0)), "--audio-part"),
    (Options(audio=__file__, audio_part=(float("nan"), None)), "--audio-part"),
    (Options(audio_part=(1.0, 3.0)), "give the media with --audio"),
    (Options(trust_audio=True), "--trust-audio says .* give the media with --audio"),
])
def test_library_callers_get_the_validation_the_cli_gets(tmp_path, options, says):
    source = tmp_path / "news.txt"
    source.write_text(SCRIPT)
    with pytest.raises(OptionError, match=says):
        caption_file(source, tmp_path / "out", options)
    assert not (tmp_path / "out").exists()


def test_the_core_returns_bytes_and_writes_nothing(tmp_path):
    source = tmp_path / "news.txt"
    source.write_text(SCRIPT)
    rendered = render_file(source, tmp_path / "out", make_plan(Options(formats=("srt", "ebu-tt-d"), report=True)))
    assert not (tmp_path / "out").exists()
    assert sorted(path.name for path in rendered.outputs) == ["news.en.ebu-tt-d.xml", "news.en.qc.txt", "news.en.srt"]
    assert all(isinstance(data, bytes) and data for data in rendered.outputs.values())
    assert rendered.tracks[0].issues == rendered.result.languages[0].issues
    written = caption_file(source, tmp_path / "out", make_plan(Options(formats=("srt", "ebu-tt-d"), report=True)))
    assert {path: Path(path).read_bytes() for path in written.outputs} == rendered.outputs


@pytest.mark.parametrize("table", ['[scc]\nmode = "roll-up-3"\nchannel = 2\n',
                                   '[default]\nscc_mode = "roll-up-3"\nscc_channel = 2\n',  # as older profiles say it
                                   '[scc]\nmode = "roll-up-3"\n[languages.en.scc]\nchannel = 2\n'])
def test_delivery_options_are_the_formats_own_from_the_profile(tmp_path, table):
    profile = tmp_path / "live.toml"
    profile.write_text(table)
    source = tmp_path / "news.txt"
    source.write_text(SCRIPT)
    rendered = render_file(source, tmp_path, make_plan(Options(profile=str(profile), formats=("scc",))))
    data = next(iter(rendered.outputs.values())).decode("ascii")
    assert "1c26" in data  # RU3 on channel 2


@pytest.mark.parametrize("table, said", [('[scc]\nmode = "karaoke"\n', "[scc] mode = 'karaoke' is not one of"),
                                         ('[default]\nscc_mode = "karaoke"\n', "[scc] mode = 'karaoke'"),
                                         ('[scc]\nspeed = 2\n', "[scc] unknown setting 'speed'"),
                                         ('[stl]\ndouble_height = 1\n', "double_height = 1 is not one of"),
                                         ('[srt]\nmode = "x"\n', "[srt] is not a format with options")])
def test_bad_delivery_options_are_refused_before_any_work(tmp_path, table, said):
    profile = tmp_path / "live.toml"
    profile.write_text(table)
    with pytest.raises(OptionError, match=re.escape(said)):
        make_plan(Options(profile=str(profile), formats=("scc",)))


def test_with_fps_25_every_stage_sees_25(monkeypatch, tmp_path):
    """The frame rate has one home, the language's context: the segmenter, line breaker, reading speed,
    timing, QC and the writers all see --fps, never the profile's own 23.976 (the breaker once reckoned
    lingering at 23.976 while cues were timed at 25)."""
    from conftest import ROOT

    from captions import linebreak, qc, segmenter, timing

    seen = []

    def spy(module, name, fps_of):
        real = getattr(module, name)

        def recorded(*args, **kwargs):
            seen.append((name, *fps_of(*args)))
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, recorded)

    def rates(language):  # the context's one rate, and the style's, which it makes equal
        return language.fps, language.style.fps

    spy(linebreak, "plan_cues", lambda layout, costs, ends, language, *rest: rates(language))
    spy(linebreak, "prepare", lambda tokens, language: rates(language))
    spy(segmenter, "tokenize", lambda text, language: rates(language))
    spy(timing, "apply_frame_rules", lambda spans, language, *rest: rates(language))
    spy(timing, "legible_time", lambda text, language: rates(language))
    spy(timing, "seconds_to_read", lambda text, language, *rest: rates(language))
    spy(qc, "check", lambda cues, language: rates(language))
    spy(qc, "shot_issues", lambda cues, cuts, language: rates(language))
    plan = make_plan(Options(fps=25.0, formats=("srt", "imsc"), to=()))
    rendered = render_file(ROOT / "samples" / "inputs" / "news.txt", tmp_path, plan)
    assert {name for name, *_ in seen} == {"plan_cues", "prepare", "tokenize", "apply_frame_rules", "legible_time",
                                           "seconds_to_read", "check", "shot_issues"}
    assert all(rate == 25 for _, *rates in seen for rate in rates), seen
    imsc = next(data for path, data in rendered.outputs.items() if path.name.endswith(".ttml"))
    assert b'ttp:frameRate="25"' in imsc and all(track.fps == 25 for track in rendered.tracks)


def test_a_changed_language_pack_misses_the_cache(tmp_path):
    """Caches and batch state are keyed by the package's code: a pack's rule changed in a copy of the
    package gives another digest (a hand list of files once left the packs out, serving stale alignments)."""
    import shutil

    import captions
    from captions.provenance import code_digest

    copy = tmp_path / "captions"
    shutil.copytree(Path(captions.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = code_digest(copy)
    assert before == code_digest(Path(captions.__file__).parent)
    pack = copy / "languages" / "english.py"
    pack.write_text(pack.read_text(encoding="utf-8").replace('determiner="a an the ', 'determiner="a an ', 1), encoding="utf-8")
    assert code_digest(copy) != before


def test_every_style_rule_is_one_rule_object_that_profiles_validation_and_qc_read():
    """A rule declares its key, range, built-in values, planner use and QC check once (captions.rules):
    Profile declares only its type, validation refuses what the rule refuses, and QC reports what its
    check finds (issue 27)."""
    import dataclasses

    from captions.context import resolved
    from captions.model import Cue, Profile
    from captions.profiles import get_profile, validate
    from captions.qc import check
    from captions.rules import CHECKS, RULES

    assert {field.name for field in dataclasses.fields(Profile)} - {"name", "lang", "description"} == set(RULES)
    english = get_profile("netflix", "en")
    for key, rule in RULES.items():
        assert rule.plan and rule.means, key
        assert rule.problem(getattr(english, key)) is None, key
        if rule.bounds:  # out of range: the rule's own words, wherever a profile comes from
            with pytest.raises(OptionError, match=re.escape(f"{key} = ")):
                validate(dataclasses.replace(english, **{key: rule.bounds[1] * 10 + 1}))
    # Each rule's check is what QC runs: a cue breaking several rules gets each rule's issue.
    crowded = Cue(0, 0.2, ("a" * 50, "b", "c"), ("A",) * 3)
    found = {issue.rule for issue in check([Cue(0, 0.15, ("x",), ("A",)), crowded], resolved(english, 25))}
    assert {"line-length", "lines", "min-duration", "reading-speed", "overlap"} <= found
    assert [rule.key for rule in CHECKS] == ["max_chars_per_line", "max_lines", "max_cps", "min_duration",
                                             "max_duration", "min_gap_frames"]
