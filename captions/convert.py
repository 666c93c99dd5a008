"""Converting approved captions between formats without re-cutting them: the cues stay as they are,
each target format's hard limits are checked, and every violation is reported."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import OptionError
from .formats import format_of, get, limit_problems, own_rate, read_track
from .jobs import Made, run
from .naming import conversion_paths, language_of
from .profiles import file_context


@dataclass
class Conversion:
    """What came of one input: the files written and the target formats' limits it breaks."""

    source: Path
    outputs: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the reader could not take as written


def convert_file(source: str | Path, out_dir: str | Path | None, formats: list[str], lang: str | None,
                 fps: str | float | None, encoding: str | None = None, force: bool = False,
                 profile: str = "netflix") -> Conversion:
    """Write the cues of one caption file in each format; nothing is written when a limit is broken,
    unless ``force``. The frame rate: ``fps`` as given, else the one the file's own format fixes
    (an STL's 25, an SCC's 29.97), else the profile's; widths are counted as the profile counts
    them for the file's language."""
    source = Path(source)
    if not formats:
        raise OptionError("no output format given")
    targets = [get(name) for name in formats]
    language = language_of(source, lang)
    paths = {get(name).name: path for name, path in conversion_paths(source, out_dir, formats, lang).items()}

    def make() -> Made[Conversion]:
        context = file_context(profile, language, fps, None if fps else own_rate(source, format_of(source, encoding)))
        track = read_track(source, language, float(context.fps), encoding)
        result = Conversion(source, notes=track.notes)
        for fmt in targets:
            result.problems += [f"cue {number}: {what}" if number else what
                                for number, what in limit_problems(track, fmt.name, context)]
        if result.problems and not force:
            return Made({}, result)
        return Made({paths[fmt.name]: fmt.render(track, context) for fmt in targets}, result)

    made = run(paths.values(), (source,), make)
    made.report.outputs = list(made.outputs)
    return made.report
