"""Converting approved captions between formats without re-cutting them: the cues stay as they are,
each target format's hard limits are checked, and every violation is reported."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import OptionError, OutputError
from .folders import check_folder, ensure_folder
from .formats import REGISTRY, format_of, get, limit_problems, read_bytes, read_track
from .naming import conversion_paths, language_of, refuse_overwriting_inputs
from .sink import write_atomic


@dataclass
class Conversion:
    """What came of one input: the files written and the target formats' limits it breaks."""

    source: Path
    outputs: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the reader could not take as written


def convert_file(source: str | Path, out_dir: str | Path | None, formats: list[str], lang: str | None,
                 fps: float | None, encoding: str | None = None, force: bool = False,
                 default_fps: float = 24000 / 1001) -> Conversion:
    """Write the cues of one caption file in each format; nothing is written when a limit is broken,
    unless ``force``. The frame rate: ``fps`` as given, else the one the file's own format fixes
    (an STL's 25, an SCC's 29.97), else ``default_fps`` (the profile's)."""
    source = Path(source)
    if not formats:
        raise OptionError("no output format given")
    targets = [get(name) for name in formats]
    folder = Path(out_dir) if out_dir else source.parent
    language = language_of(source, lang)
    paths = {get(name).name: path for name, path in conversion_paths(source, out_dir, formats, lang).items()}
    refuse_overwriting_inputs(list(paths.values()), source)
    check_folder(folder, OutputError, "output folder")
    if fps is None:
        own = REGISTRY[format_of(source, encoding)].frame_rate
        fps = float(own(read_bytes(source))) if own else default_fps
    track = read_track(source, language, fps, encoding)
    result = Conversion(source, notes=track.notes)
    for fmt in targets:
        result.problems += [f"cue {number}: {what}" if number else what
                            for number, what in limit_problems(track, fmt.name)]
    if result.problems and not force:
        return result
    outputs = {}
    for fmt in targets:
        assert fmt.write is not None
        outputs[paths[fmt.name]] = fmt.write(track)
    ensure_folder(folder, OutputError, "output folder")
    for path, data in outputs.items():
        write_atomic(path, data)
        result.outputs.append(path)
    return result
