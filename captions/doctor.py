"""What ``captions doctor`` checks: the engines, libraries and folders a job would use."""

from __future__ import annotations

import importlib.metadata
import sys

from . import __version__
from .errors import CaptionsError

LIBRARIES = ("srt", "typer", "rich", "pysbd", "budoux", "numpy", "pykakasi", "espeakng-loader", "imageio-ffmpeg",
             "ctranslate2", "sentencepiece", "argostranslate")


def report() -> list[tuple[str, str, bool]]:
    """(name, what was found or what is wrong, ok) for each part."""
    rows = [("captions", f"{__version__} (Python {sys.version.split()[0]})", True)]
    rows.append(_try("espeak-ng", _espeak))
    rows.append(_try("ffmpeg", _ffmpeg))
    rows.append(_try("translation models", _models))
    rows.append(_try("translation cache", _cache))
    for library in LIBRARIES:
        try:
            rows.append((library, importlib.metadata.version(library), True))
        except importlib.metadata.PackageNotFoundError:
            rows.append((library, "not installed", False))
    return rows


def _try(name: str, probe: object) -> tuple[str, str, bool]:
    try:
        return name, probe(), True  # type: ignore[operator]
    except CaptionsError as err:
        return name, str(err), False


def _espeak() -> str:
    from .speech import engine, voices

    found = engine()
    source = "espeakng-loader wheel" if "espeakng_loader" in found.library else "system library"
    return f"libespeak-ng {found.version}, {len(voices())} voices, in-process ({source}: {found.library})"


def _ffmpeg() -> str:
    from .audio import ffmpeg_binary, ffmpeg_version

    return f"{ffmpeg_version()} ({ffmpeg_binary()})"


def _models() -> str:
    from .models import installed_packages, packages_dir

    packages = installed_packages()
    pairs = ", ".join(f"{p.from_code}->{p.to_code} {p.package_version}" for p in packages) or "none installed"
    return f"{packages_dir()}: {pairs}"


def _cache() -> str:
    from .cache import cache_path

    return str(cache_path())
