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


def packages_dir() -> Path:
    """argostranslate's package folder (``ARGOS_PACKAGES_DIR`` and its settings respected)."""
    try:
        from argostranslate import settings
    except ImportError:
        raise CaptionsError("translation needs the translate extra: pip install 'captions[translate]'") from None
    return Path(settings.package_data_dir)


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
        staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=target_dir))
        try:
            archive.extractall(staging)
            destination = target_dir / root
            if destination.exists():
                shutil.rmtree(destination)
            (staging / root).rename(destination)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return destination
