"""What an independent reader shows of a caption file, as a timeline of the words on screen:
ttconv (TTML, IMSC, EBU-TT-D, SCC, STL, SRT, WebVTT) through its intermediate synchronic documents
(ISDs, the screen at each time anything changes), and pycaption (SCC, DFXP) through its captions."""

import re
import unicodedata
import xml.etree.ElementTree as ET


def words(text):
    """The letters and digits of a text, sorted: the same text whatever its line breaks, spacing,
    case and punctuation, in any script (CJK text has no spaces to cut words at)."""
    return sorted(re.findall(r"\w", unicodedata.normalize("NFKC", text).lower()))


def ttconv_timeline(path, kind):
    """(begin, end, words) of every stretch in which ttconv shows the same text; the last has no end."""
    from ttconv import model
    from ttconv.isd import ISD

    if kind == "scc":
        import ttconv.scc.reader as reader

        document = reader.to_model(path.read_text(encoding="utf-8", errors="replace"))
    elif kind in ("stl", "srt", "vtt"):
        reader = __import__(f"ttconv.{kind}.reader", fromlist=["to_model"])
        with path.open("rb" if kind == "stl" else "r", **({} if kind == "stl" else {"encoding": "utf-8"})) as handle:
            document = reader.to_model(handle)
    else:
        import ttconv.imsc.reader as reader

        document = reader.to_model(ET.parse(path))

    def texts(element):
        if isinstance(element, model.Text):
            yield element.get_text()
        for child in element:
            yield from texts(child)

    times = sorted(ISD.significant_times(document))
    shown = []
    for index, time in enumerate(times):
        isd = ISD.from_model(document, time)
        found = words(" ".join(text for region in isd for text in texts(region)))
        end = float(times[index + 1]) if index + 1 < len(times) else None
        shown.append((float(time), end, found))
    return shown


def pycaption_timeline(path):
    import pycaption

    text = path.read_text(encoding="utf-8", errors="replace")
    reader = pycaption.SCCReader() if path.suffix == ".scc" else pycaption.DFXPReader()
    captions = reader.read(text)
    return [(caption.start / 1e6, caption.end / 1e6, words(caption.get_text()))
            for lang in captions.get_languages() for caption in captions.get_captions(lang)]


def at(timeline, time):
    """The words a timeline shows at a time."""
    return sorted(word for begin, end, found in timeline if begin <= time and (end is None or time < end)
                  for word in found)


def agreement(ours, theirs, step=0.1):
    """The share of sample times (every ``step`` s to the last finite time of either) at which both
    show the same words."""
    ends = [time for begin, end, _ in ours + theirs for time in (begin, end) if time is not None]
    last = max(ends, default=0.0)
    samples = [index * step for index in range(int(last / step) + 1)]
    return sum(at(ours, time) == at(theirs, time) for time in samples) / max(len(samples), 1)
