"""What produced a result, as the keys of caches and batch state hold it: a file's bytes, a media
file's identity (without reading hours of it), and the package's own code."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

SAMPLE = 1 << 20  # bytes of a media file's start and end that stand for its content in a key


def file_hash(path: Path) -> str:
    """The SHA-256 of a file's bytes (transcripts, glossaries, profiles, outputs: all small)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_identity(path: Path) -> str:
    """A media file's size and the hash of its first and last megabyte: a 2-hour recording is not
    read whole on every run; a re-encode or an edit changes both."""
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with path.open("rb") as handle:
        digest.update(handle.read(SAMPLE))
        if size > SAMPLE:
            handle.seek(max(size - SAMPLE, SAMPLE))
            digest.update(handle.read(SAMPLE))
    return digest.hexdigest()


def code_digest(package: Path | None = None) -> str:
    """A hash of every source file of the package (this one, once per process, unless another is
    given): what produced a cached result or a batch output, so that any change to the code (a
    language pack's rule, the aligner) makes them again, with no hand-kept list of the files that
    matter to forget one."""
    return _digest(package) if package else _this_package()


@cache
def _this_package() -> str:
    return _digest(Path(__file__).parent)


def _digest(package: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\x00" + path.read_bytes() + b"\x00")
    return digest.hexdigest()
