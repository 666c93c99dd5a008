"""Translation models: Argos Translate packages in argostranslate's own package folder.

Installing from a file validates the package before anything lands (a real zip, no absolute or
``..`` members, ``metadata.json`` with the required fields, a model folder and a tokenizer) and
renames it into place in one step, so a broken package never breaks the installed ones.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from .errors import CaptionsError

REQUIRED_METADATA = ("from_code", "to_code", "package_version")


def _settings():
    try:
        from argostranslate import settings
    except ImportError:
        raise CaptionsError("translation needs the translate extra: pip install 'captions[translate]'") from None
    return settings


def packages_dir() -> Path:
    """argostranslate's package folder (``ARGOS_PACKAGES_DIR`` and its settings respected)."""
    return Path(_settings().package_data_dir)


def installed_packages() -> list:
    """Installed packages in every folder argostranslate looks in; broken folders are skipped."""
    from argostranslate.package import Package

    packages = []
    for directory in _settings().package_dirs:
        if not Path(directory).is_dir():
            continue
        for folder in sorted(Path(directory).iterdir()):
            if folder.is_dir() and not folder.name.startswith("."):
                try:
                    packages.append(Package(folder))
                except Exception:  # a broken package must not hide the good ones
                    continue
    return packages


def available_packages() -> list:
    """The packages of argostranslate's online index (needs the network)."""
    import urllib.request

    from argostranslate.package import AvailablePackage

    settings = _settings()
    try:
        with urllib.request.urlopen(settings.remote_package_index, timeout=20) as response:
            index = json.loads(response.read())
    except (OSError, ValueError) as err:
        raise CaptionsError(f"cannot reach the Argos package index {settings.remote_package_index} "
                            f"(offline? install from a file: captions models install FILE.argosmodel): {err}") from None
    return [AvailablePackage(metadata) for metadata in index if isinstance(metadata, dict)]


def install_pair(source: str, target: str) -> Path:
    """Download the index's package for a language pair and install it (needs the network)."""
    from argostranslate import networking

    matches = [p for p in available_packages() if p.from_code == source and p.to_code == target]
    if not matches:
        raise CaptionsError(f"the Argos index has no {source}->{target} package")
    data = networking.get_from(matches[0].links)
    if data is None:
        raise CaptionsError(f"download of the {source}->{target} package failed")
    with tempfile.NamedTemporaryFile(suffix=".argosmodel") as handle:
        handle.write(data)
        handle.flush()
        return install_file(handle.name)


def remove_pair(source: str, target: str) -> list[Path]:
    """Remove the installed packages for a language pair; returns the folders removed."""
    removed = []
    for package in installed_packages():
        if package.from_code == source and package.to_code == target:
            shutil.rmtree(package.package_path)
            removed.append(Path(package.package_path))
    if not removed:
        raise CaptionsError(f"no {source}->{target} package is installed")
    return removed


def install_file(path: str | Path) -> Path:
    """Install a ``.argosmodel`` file; returns the installed package folder."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as err:
        raise CaptionsError(f"not an Argos package (not a zip file: {err})", str(path)) from None
    with archive:
        names = archive.namelist()
        roots = set()
        for name in names:
            member = PurePosixPath(name)
            if member.is_absolute() or ".." in member.parts or "\\" in name:
                raise CaptionsError(f"unsafe path in package: {name!r}", str(path))
            roots.add(member.parts[0])
        if len(roots) != 1:
            raise CaptionsError("a package must hold exactly one top-level folder", str(path))
        root = roots.pop()
        try:
            metadata = json.loads(archive.read(f"{root}/metadata.json"))
        except KeyError:
            raise CaptionsError("package has no metadata.json", str(path)) from None
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise CaptionsError("package metadata.json is not valid JSON", str(path)) from None
        missing = [key for key in REQUIRED_METADATA if not isinstance(metadata, dict) or not metadata.get(key)]
        if missing:
            raise CaptionsError(f"package metadata.json lacks {', '.join(missing)}", str(path))
        if not any(name.startswith(f"{root}/model/") for name in names):
            raise CaptionsError("package has no model/ folder", str(path))
        if f"{root}/sentencepiece.model" not in names and f"{root}/bpe.model" not in names:
            raise CaptionsError("package has no tokenizer (sentencepiece.model or bpe.model)", str(path))
        target_dir = packages_dir()
        target_dir.mkdir(parents=True, exist_ok=True)
        # Stage beside the folder (same file system, so the rename is atomic) where no reader looks.
        staging = Path(tempfile.mkdtemp(prefix=".captions-installing-", dir=target_dir.parent))
        try:
            archive.extractall(staging)
            destination = target_dir / root
            if destination.exists():
                shutil.rmtree(destination)
            (staging / root).rename(destination)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return destination
