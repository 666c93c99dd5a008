"""Language packs: every language's rules in one module, and a new language is one file."""

import textwrap

import captions.languages as languages
from captions.context import resolved
from captions.languages import codes, pack
from captions.model import Cue, Segment
from captions.pipeline import Options, caption, caption_file
from captions.profiles import get_profile
from captions.qc import check
from captions.timing import legible_time

SAMPLES = {
    "en": "Dr. Smith met U.S. officials on Monday. They agreed, after two hours, to meet again.",
    "ja": "岸田総理は2025年4月10日、会談を行いました。両首脳は協力で一致しました。",
    "zh": "两国领导人今天举行会谈。双方同意加强合作。",
    "ko": "두 정상은 오늘 회담을 했습니다. 양측은 협력에 합의했습니다.",
    "sv": "Statsministern höll ett tal i dag. Hon talade om ekonomin.",
}


def test_every_pack_covers_its_text_with_sentences_and_tokens():
    for code in codes():
        language = pack(code)
        text = SAMPLES.get(code, SAMPLES["en"])
        spans = language.sentence_spans(text)
        assert spans[0][0] == 0 and spans[-1][1] == len(text), code
        assert all(a[1] == b[0] for a, b in zip(spans, spans[1:])), code
        tokens = language.tokens(text, get_profile("netflix", code))
        assert "".join(t.text for t in tokens) == "".join(text.split()), code
        assert all(text[t.start:t.end] == t.text for t in tokens), code


def test_timing_and_qc_count_reading_speed_the_same_way():
    # A cue kept up exactly as long as timing says it must be is never too fast for QC.
    for code, profile_name in [("en", "netflix"), ("en", "bbc"), ("ja", "netflix"), ("ko", "netflix")]:
        profile = get_profile(profile_name, code)
        for text in [SAMPLES.get(code, SAMPLES["en"])[:n] for n in (8, 12, 25, 40)]:
            seconds = legible_time(text, resolved(profile))
            if seconds >= profile.max_duration:
                continue  # too long to read in one cue at any time: the segmenter splits such text
            cue = Cue(0.0, seconds, (text,), ("A",))
            assert not [i for i in check([cue], resolved(profile, 1000)) if i.rule == "reading-speed"], (code, text)
            fast = Cue(0.0, seconds * 0.8, (text,), ("A",))
            if seconds > profile.min_duration:
                assert [i for i in check([fast], resolved(profile, 1000)) if i.rule == "reading-speed"], (code, text)


def test_japanese_numbers_and_acronyms_as_the_netflix_guide_writes_them():
    profile = get_profile("netflix", "ja")
    track = caption([Segment("BBCによると、参加者は12,345人で、3人が1,500円を払いました。")], profile,
                    Options(lang="ja", speakers="none"))
    shown = "".join("".join(cue.lines) for cue in track.cues)
    assert "ＢＢＣ" in shown and "1万2345人" in shown and "３人" in shown and "1500円" in shown
    assert "," not in shown and "、" not in shown


def test_a_new_language_is_one_file(tmp_path, monkeypatch):
    # Klingon, written with spaces: its pack names its function words, and nothing else changes.
    (tmp_path / "klingon.py").write_text(textwrap.dedent('''
        from captions.languages.base import LanguagePack, word_classes

        PACKS = (LanguagePack(code="tlh", name="Klingon", voice="en", classes=word_classes(
            determiner="wa", preposition="vo", conjunction="ej", pronoun="jIH", auxiliary="", negation="be'"),
            conventions={"dialog_dash": "- "}),)
    '''), encoding="utf-8")
    monkeypatch.setattr(languages, "__path__", [*languages.__path__, str(tmp_path)])
    languages.registry.cache_clear()
    try:
        assert pack("tlh").weak_cost("wa", "Qapla") >= 10  # its determiner binds to the next word
        source = tmp_path / "news.txt"
        source.write_text("Headline\n" + " ".join(["Qapla wa batlh ej yIn vo tlhIngan."] * 4) + "\n",
                          encoding="utf-8")
        result = caption_file(source, tmp_path / "out", Options(lang="tlh", formats=("srt",)))
        written = (tmp_path / "out" / "news.tlh.srt").read_text(encoding="utf-8")
        assert result.languages[0].lang == "tlh" and "Qapla" in written
        lines = [line for line in written.splitlines() if line and not line[0].isdigit()]
        assert not any(line.endswith(" wa") for line in lines)
    finally:
        languages.registry.cache_clear()


def test_korean_dialogue_dash_and_acronyms_as_the_netflix_korean_guide_writes_them():
    profile = get_profile("netflix", "ko")
    segments = [Segment("U.S.A.에 가요?", "민수", kind="caption", paragraph=0, anchors=((0, 0.0), (10, 1.5))),
                Segment("네, 가요.", "지연", kind="caption", paragraph=1, anchors=((0, 1.7), (6, 3.0)))]
    track = caption(segments, profile, Options(lang="ko", speakers="dash", fps=25.0))
    assert [cue.lines for cue in track.cues] == [("- USA에 가요?", "- 네, 가요.")]


def test_a_japanese_phrase_longer_than_a_line_is_cut_where_a_word_ends():
    # BudouX makes one phrase of "市販されるようになるかもしれません" (17 units): cut blind at 13 it
    # became "かもし / れません"; cut where BudouX's model comes closest to a boundary, words stay whole.
    profile = get_profile("netflix", "ja")
    texts = [t.text for t in pack("ja").tokens("身体の再生を促すような製品が市販されるようになるかもしれません。", profile)]
    assert "".join(texts) == "身体の再生を促すような製品が市販されるようになるかもしれません。"
    assert any(text.startswith("なるかもしれません") for text in texts), texts
    # A title of katakana words longer than a line is cut after a middle dot.
    title = [t.text for t in pack("ja").tokens("『リトル・ショップ・オブ・ホラーズ』で", profile)]
    assert all(len(text) <= 13 for text in title) and title[0].endswith("・"), title


def test_japanese_words_budoux_splits_are_kept_whole():
    # Places BudouX's model barely wants inside a run of hiragana, and cuts inside a run of kanji,
    # split words in TED's Japanese subtitles ("から / かわれ", "騒が / しい", "世界平 / 和").
    profile = get_profile("netflix", "ja")

    def cuts(text):
        found, at = set(), 0
        for token in pack("ja").tokens(text, profile):
            at += len(token.text)
            found.add(at)
        return found

    teased = "学校で子供たちにからかわれ始めました。"
    assert teased.index("から") + 2 not in cuts(teased)  # 子供たちにから|かわれ
    noisy = "お父さんはあまり長く話せないと言い騒がしいところで。"
    assert noisy.index("騒が") + 2 not in cuts(noisy)  # 騒が|しい
    text = "持続可能な経済世界平和かもしれません。"
    assert not cuts(text) & {text.index("世界") + n for n in (1, 2, 3)}  # 世|界|平|和


def test_english_units_that_a_break_must_not_split():
    english = pack("en")
    assert english.weak_cost("Austin,", "Texas") >= 10  # a place and its state
    assert english.weak_cost("14.9", "million") >= 10 and english.weak_cost("200", "buoys") >= 10
    assert english.weak_cost("instead", "of") >= 10 and english.weak_cost("and,", "just") >= 10
    assert english.weak_cost("credits,", "Texas") == 0  # a lower-case clause before a comma is no place
    assert english.weak_cost("with", "to") < 10  # "credits to work with | to use": stranded, not weak


def test_a_japanese_line_never_cuts_a_number():
    # Found by the untimed-Japanese property: "2025年202 / ５年" (and the lone 5 then went full-width).
    profile = get_profile("netflix", "ja")
    track = caption([Segment("2025年2025年バイデン大統領と")], profile, Options(lang="ja", speakers="none"))
    assert [line for cue in track.cues for line in cue.lines] == ["2025年2025年", "バイデン大統領と"]
