"""Translation models: Argos Translate packages in argostranslate's own package folder.

Installing from a file validates the package before anything lands (a real zip, no absolute or
``..`` members, ``metadata.json`` with the required fields, a model folder and a tokenizer) and
renames it into place in one step, so a broken package never breaks the installed ones.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import ModelError
from .folders import ensure_folder

REQUIRED_METADATA = ("from_code", "to_code", "package_version")


def _settings() -> Any:
    try:
        from argostranslate import settings
    except ImportError:
        raise ModelError("translation needs argostranslate: see README, Set-up") from None
    except OSError as err:  # it creates its folders on import: an unwritable or missing HOME
        raise ModelError(f"argostranslate cannot create its folders ({err.strerror or err}: "
                         f"{getattr(err, 'filename', '')}); set ARGOS_PACKAGES_DIR or HOME/XDG_DATA_HOME") from None
    return settings


def packages_dir() -> Path:
    """argostranslate's package folder (``ARGOS_PACKAGES_DIR`` and its settings respected)."""
    return Path(_settings().package_data_dir)


def installed_packages() -> list[Any]:
    """Installed packages in every folder argostranslate looks in, newest version of a pair first.

    Broken, unreadable or symlinked folders are skipped: a bad package never hides the good ones.
    """
    settings = _settings()
    from argostranslate.package import Package

    packages = []
    for directory in settings.package_dirs:
        try:
            folders = sorted(Path(directory).iterdir()) if Path(directory).is_dir() else []
        except OSError:
            continue
        for folder in folders:
            if folder.is_dir() and not folder.is_symlink() and not folder.name.startswith("."):
                try:
                    packages.append(Package(folder))
                except Exception:
                    continue
    return sorted(packages, key=lambda p: (p.from_code, p.to_code, _version_key(p.package_version)), reverse=True)


def _version_key(version: object) -> tuple[int, ...]:
    """Versions compared as numbers ("1.10" after "1.9"); anything unreadable sorts first."""
    parts = re.findall(r"\d+", str(version))
    return tuple(int(part) for part in parts[:6]) if parts else (-1,)


def available_packages() -> list[Any]:
    """The packages of argostranslate's online index (needs the network)."""
    import urllib.request

    from argostranslate.package import AvailablePackage

    settings = _settings()
    try:
        with urllib.request.urlopen(settings.remote_package_index, timeout=20) as response:
            index = json.loads(response.read())
    except (OSError, ValueError) as err:
        raise ModelError(f"cannot reach the Argos package index {settings.remote_package_index} "
                            f"(offline? install from a file: captions models install FILE.argosmodel): {err}") from None
    return [AvailablePackage(metadata) for metadata in index if isinstance(metadata, dict)]


def install_pair(source: str, target: str) -> Path:
    """Download the index's package for a language pair and install it (needs the network)."""
    with tempfile.TemporaryDirectory() as folder:
        return install_file(download_pair(source, target, folder))


def download_pair(source: str, target: str, folder: str | Path) -> Path:
    """Download the index's package for a language pair into ``folder`` without installing it, for a
    machine without the internet: the file is checked as an install would check it, and lands whole
    (written beside, then renamed) as ``translate-FROM_TO-VERSION.argosmodel``.
    """
    from argostranslate import networking

    matches = [p for p in available_packages() if p.from_code == source and p.to_code == target]
    if not matches:
        raise ModelError(f"the Argos index has no {source}->{target} package")
    package = max(matches, key=lambda p: _version_key(p.package_version))
    data = networking.get_from(package.links)
    if data is None:
        raise ModelError(f"download of the {source}->{target} package failed ({', '.join(package.links)})")
    version = re.sub(r"[^0-9A-Za-z]+", "_", str(package.package_version)) or "0"
    name = f"translate-{re.sub(r'[^0-9A-Za-z-]', '', source)}_{re.sub(r'[^0-9A-Za-z-]', '', target)}-{version}.argosmodel"
    destination = ensure_folder(Path(folder), ModelError, "download folder") / name
    partial = destination.with_name(f".{name}.captions-downloading")
    try:
        partial.write_bytes(data)
        try:
            with zipfile.ZipFile(partial) as archive:
                _checked_archive(archive, destination)
        except (zipfile.BadZipFile, ValueError) as err:
            raise ModelError(f"the download is not an Argos package (not a zip file: {err})", str(destination)) from None
        os.replace(partial, destination)
    except OSError as err:
        raise ModelError(f"cannot write the package: {err.strerror or err}", str(destination)) from None
    finally:
        partial.unlink(missing_ok=True)
    return destination


def remove_pair(source: str, target: str) -> list[Path]:
    """Remove the installed packages for a language pair; returns the folders removed."""
    removed = []
    with _install_lock(_package_folder()):
        for package in installed_packages():
            if package.from_code == source and package.to_code == target:
                try:
                    shutil.rmtree(package.package_path)
                except OSError as err:
                    raise ModelError(f"cannot remove: {err.strerror or err}", str(package.package_path)) from None
                removed.append(Path(package.package_path))
    if not removed:
        raise ModelError(f"no {source}->{target} package is installed")
    return removed


# Install limits: a real Argos package is under 500 MB, a few dozen files, compressed at most ~4:1.
MAX_TOTAL_BYTES = 1_000_000_000
MAX_FILES = 1000
MAX_RATIO = 50  # uncompressed / compressed size, whole archive and any member over 1 MB
MIN_MODEL_BYTES = 1024


def install_file(path: str | Path) -> Path:
    """Install a ``.argosmodel`` file; returns the installed package folder.

    Checked before anything lands: a real zip within the size, count and ratio limits (from its
    directory, and again while extracting, since a directory can lie), safe member names, metadata,
    a model whose weights and tokenizer load. Then, under a lock, it replaces only a package of the
    same language pair, in one rename.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelError("not a package file", str(path))
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, ValueError) as err:
        raise ModelError(f"not an Argos package (not a zip file: {err})", str(path)) from None
    with archive:
        root, metadata = _checked_archive(archive, path)
        target_dir = _package_folder()
        # Stage beside the folder (same file system, so the rename is atomic) where no reader looks.
        try:
            staging = Path(tempfile.mkdtemp(prefix=".captions-installing-", dir=target_dir.parent))
        except OSError as err:
            raise ModelError(f"cannot write beside the package folder: {err.strerror or err}", str(target_dir)) from None
        try:
            _extract(archive, staging, path)
            _check_loadable(staging / root, path)
            with _install_lock(target_dir):
                return _swap_in(staging / root, target_dir / root, metadata, staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _checked_archive(archive: zipfile.ZipFile, path: Path) -> tuple[str, dict[str, Any]]:
    infos = archive.infolist()
    if len(infos) > MAX_FILES:
        raise ModelError(f"package holds {len(infos)} files, over the limit of {MAX_FILES}", str(path))
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if total > MAX_TOTAL_BYTES:
        raise ModelError(f"package expands to {total / 1e6:.0f} MB, over the limit of {MAX_TOTAL_BYTES / 1e6:.0f} MB",
                         str(path))
    bombs = [info.filename for info in infos
             if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1)]
    if (total > 1_000_000 and total > MAX_RATIO * packed) or bombs:
        raise ModelError(f"package is compressed more than {MAX_RATIO}:1 (a zip bomb?)", str(path))
    roots = set()
    for info in infos:
        member = PurePosixPath(info.filename)
        if member.is_absolute() or ".." in member.parts or "\\" in info.filename or not member.parts:
            raise ModelError(f"unsafe path in package: {info.filename!r}", str(path))
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ModelError(f"package holds a symbolic link: {info.filename!r}", str(path))
        roots.add(member.parts[0])
    if len(roots) != 1:
        raise ModelError("a package must hold exactly one top-level folder", str(path))
    root = roots.pop()
    if root.startswith("."):
        raise ModelError(f"package folder name {root!r} is hidden", str(path))
    names = set(archive.namelist())
    try:
        metadata = json.loads(archive.read(f"{root}/metadata.json"))
    except KeyError:
        raise ModelError("package has no metadata.json", str(path)) from None
    except (json.JSONDecodeError, UnicodeDecodeError, zipfile.BadZipFile, OSError, RecursionError):
        raise ModelError("package metadata.json is not valid JSON", str(path)) from None
    missing = [key for key in REQUIRED_METADATA if not isinstance(metadata, dict) or not metadata.get(key)]
    if missing:
        raise ModelError(f"package metadata.json lacks {', '.join(missing)}", str(path))
    if f"{root}/model/model.bin" not in names:
        raise ModelError("package has no model/model.bin", str(path))
    if f"{root}/sentencepiece.model" not in names and f"{root}/bpe.model" not in names:
        raise ModelError("package has no tokenizer (sentencepiece.model or bpe.model)", str(path))
    return root, metadata


def _extract(archive: zipfile.ZipFile, staging: Path, path: Path) -> None:
    """Extract member by member, counting real bytes against the limit (headers can lie)."""
    written = 0
    try:
        for info in archive.infolist():
            target = staging / info.filename
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as source, open(target, "wb") as sink:
                while chunk := source.read(1 << 20):
                    written += len(chunk)
                    if written > MAX_TOTAL_BYTES:
                        raise ModelError("package expands past the size limit while extracting", str(path))
                    sink.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError) as err:
        raise ModelError(f"package is damaged ({err})", str(path)) from None
    except OSError as err:
        raise ModelError(f"cannot extract the package: {err.strerror or err}", str(path)) from None


def _check_loadable(folder: Path, path: Path) -> None:
    """The weights and the tokenizer must load: a 1-byte model must not install."""
    model = folder / "model" / "model.bin"
    if model.stat().st_size < MIN_MODEL_BYTES:
        raise ModelError(f"package model is {model.stat().st_size} bytes: not a model", str(path))
    tokenizer = folder / "sentencepiece.model"
    if tokenizer.exists():
        try:
            import sentencepiece

            sentencepiece.SentencePieceProcessor(model_file=str(tokenizer))
        except ImportError:
            raise ModelError("translation needs sentencepiece: see README, Set-up") from None
        except (RuntimeError, OSError) as err:
            raise ModelError(f"package tokenizer does not load: {err}", str(path)) from None
    try:
        import ctranslate2

        ctranslate2.Translator(str(folder / "model"), device="cpu", compute_type="int8")
    except ImportError:
        raise ModelError("translation needs ctranslate2: see README, Set-up") from None
    except (RuntimeError, ValueError, OSError) as err:
        raise ModelError(f"package model does not load: {err}", str(path)) from None


def _package_folder() -> Path:
    return ensure_folder(packages_dir(), ModelError, "package folder")


@contextmanager
def _install_lock(target_dir: Path) -> Iterator[None]:
    """One install (or removal) at a time per package folder, across processes."""
    import fcntl

    lock = target_dir.parent / f".{target_dir.name}.captions-lock"
    try:
        descriptor = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise ModelError(f"cannot lock the package folder: {err.strerror or err}", str(target_dir)) from None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _swap_in(new: Path, destination: Path, metadata: dict[str, Any], staging: Path) -> Path:
    """Rename the new package into place; an installed one of the same pair is swapped out in one step."""
    pair = (metadata["from_code"], metadata["to_code"])
    if destination.exists():
        try:
            installed = json.loads((destination / "metadata.json").read_text(encoding="utf-8"))
            installed_pair = (installed.get("from_code"), installed.get("to_code"))
        except (OSError, ValueError, AttributeError):
            installed_pair = None
        if installed_pair is not None and installed_pair != pair:
            raise ModelError(f"package folder {destination.name} is already the installed "
                             f"{installed_pair[0]}->{installed_pair[1]} model; this package is "
                             f"{pair[0]}->{pair[1]} and may only replace the same pair", str(destination))
    try:
        if destination.exists() and not _exchange(new, destination):
            old = staging / "replaced"
            destination.rename(old)
            new.rename(destination)
        elif not destination.exists():
            new.rename(destination)
    except OSError as err:
        raise ModelError(f"cannot install into the package folder: {err.strerror or err}", str(destination)) from None
    return destination


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), exchange)
    return bool(done == 0)
