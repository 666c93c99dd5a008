"""espeak-ng in-process through ctypes: text in, 16-bit samples out, no child process.

The library comes from the ``espeakng-loader`` wheel (libespeak-ng 1.52 and its voice data, no
system package), or else from a system ``libespeak-ng.so.1``. Text is handed to ``espeak_Synth`` as
data, never on a command line, so a transcript line such as ``-w/etc/passwd`` is only ever spoken.
libespeak-ng keeps global state: every call to the process's shared library goes through one lock,
and a :func:`session` has a library of its own.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import numpy as np

from .errors import EngineError

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_RATE = 1  # espeakRATE
_LOCK = threading.RLock()
_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)
Speaker = Callable[[str, str, int], tuple[np.ndarray, int]]  # text, voice, speed -> samples, rate
_LIBC = ctypes.CDLL(None)  # for dlclose, which unloads a session's library
_LIBC.dlclose.argtypes = [ctypes.c_void_p]


class _Voice(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("languages", ctypes.c_void_p), ("identifier", ctypes.c_char_p),
                ("gender", ctypes.c_ubyte), ("age", ctypes.c_ubyte), ("variant", ctypes.c_ubyte),
                ("xx1", ctypes.c_ubyte), ("score", ctypes.c_int), ("spare", ctypes.c_void_p)]


@dataclass(frozen=True)
class Engine:
    """A loaded libespeak-ng: where it came from, its version and output sample rate."""

    library: str
    data: str | None
    version: str
    rate: int


class _Loaded:
    """The library handle plus the buffer the synthesis callback appends to."""

    def __init__(self, library: str, data: str | None):
        self.handle = ctypes.CDLL(library)
        self.handle.espeak_Initialize.restype = ctypes.c_int
        self.handle.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        self.handle.espeak_Synth.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                             ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        self.handle.espeak_SetVoiceByProperties.argtypes = [ctypes.POINTER(_Voice)]
        self.handle.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_Voice))
        self.handle.espeak_ListVoices.argtypes = [ctypes.c_void_p]
        self.handle.espeak_Info.restype = ctypes.c_char_p
        self.handle.espeak_Info.argtypes = [ctypes.c_void_p]
        self.rate = self.handle.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data.encode() if data else None, 0)
        if self.rate <= 0:
            raise EngineError(f"libespeak-ng could not start (no voice data in {data or 'its default folder'})")
        self.chunks: list[np.ndarray] = []
        self.callback = _CALLBACK(self._collect)  # kept referenced: the library calls it later
        self.handle.espeak_SetSynthCallback(self.callback)
        self.library, self.data = library, data
        self.version = (self.handle.espeak_Info(None) or b"?").decode(errors="replace")

    def _collect(self, wav: Any, count: int, _events: Any) -> int:
        if count > 0 and wav:
            self.chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        return 0


def _locate() -> tuple[str, str | None]:
    try:
        import espeakng_loader
    except ImportError:
        system = ctypes.util.find_library("espeak-ng")
        if system:
            return system, None
        raise EngineError("espeak-ng is not installed: pip install espeakng-loader (needed to align audio)") from None
    return str(espeakng_loader.get_library_path()), str(espeakng_loader.get_data_path())


@lru_cache(maxsize=1)
def _loaded() -> _Loaded:
    library, data = _locate()
    try:
        return _Loaded(library, data)
    except OSError as err:
        raise EngineError(f"cannot load libespeak-ng from {library}: {err}") from None


def engine() -> Engine:
    """The loaded engine, for ``captions doctor`` and messages."""
    loaded = _loaded()
    return Engine(loaded.library, loaded.data, loaded.version, loaded.rate)


@lru_cache(maxsize=1)
def voices() -> frozenset[str]:
    """Every voice name and language code the library can speak.

    >>> {"en", "en-gb", "sv"} <= voices()
    True
    """
    loaded = _loaded()
    names: set[str] = set()
    with _LOCK:
        listing = loaded.handle.espeak_ListVoices(None)
        index = 0
        while listing[index]:
            voice = listing[index].contents
            names.add((voice.name or b"").decode(errors="replace"))
            names.update(_languages(voice.languages))
            index += 1
    return frozenset(name for name in names if name)


def _languages(address: int | None) -> list[str]:
    """espeak packs a voice's languages as (priority byte, name, NUL) repeated, ending in a NUL."""
    names, at = [], address
    while at and ctypes.string_at(at, 1) != b"\0":
        name = ctypes.string_at(at + 1)  # after the priority byte, up to the NUL
        names.append(name.decode(errors="replace"))
        at += len(name) + 2
    return names


def synthesise(text: str, voice: str, speed: int) -> tuple[np.ndarray, int]:
    """int16 samples of ``text`` spoken by ``voice`` at ``speed`` words per minute, and their rate,
    by the process's shared library (whose voice drifts with what it spoke before: see :func:`session`).

    >>> samples, rate = synthesise("-w/tmp/x --stdout", "en", 175)
    >>> rate, len(samples) > rate // 2
    (22050, True)
    """
    with _LOCK:
        return _speak(_loaded(), text, voice, speed)


@contextmanager
def session() -> Iterator[Speaker]:
    """:func:`synthesise` for one run of sentences, starting from the state a fresh process has.

    libespeak-ng keeps state between utterances in statics that ``espeak_Initialize`` does not
    reset (its pitch flutter's phase among them), so a sentence spoken again in the same process
    sounds a little different: an alignment of the voice with a cold moved a boundary 1.19 s
    with what the process had aligned before, and a batch run's captions depended on the order of
    its programmes. A session loads a private copy of the library (the loader would share an
    already loaded file), about 5 ms, and unloads it after. Without a copy (a system library
    named, not found by path; no room for a temporary file) it is the shared library.

    >>> def spoken():
    ...     with session() as say:
    ...         return say("Alright, thanks.", "en", 175)[0]
    >>> first = spoken(); synthesise("Something else first.", "en", 175)[0].size > 0
    True
    >>> np.array_equal(spoken(), first), np.array_equal(synthesise("Alright, thanks.", "en", 175)[0], first)
    (True, False)
    """
    library, data = _locate()
    private = _private_copy(library, data)
    if private is None:
        yield synthesise
        return
    try:
        yield partial(_speak, private)
    finally:
        private.handle.espeak_Terminate()
        _LIBC.dlclose(private.handle._handle)



def _private_copy(library: str, data: str | None) -> _Loaded | None:
    if not Path(library).is_file():
        return None
    try:
        with tempfile.TemporaryDirectory(prefix="captions-espeak-") as folder:
            copy = Path(folder) / Path(library).name
            shutil.copyfile(library, copy)
            return _Loaded(str(copy), data)  # mapped: the file may go
    except OSError:
        return None


def _speak(loaded: _Loaded, text: str, voice: str, speed: int) -> tuple[np.ndarray, int]:
    data = text.encode("utf-8", errors="replace") + b"\0"
    language = ctypes.create_string_buffer(voice.encode())
    wanted = _Voice(None, ctypes.cast(language, ctypes.c_void_p), None, 0, 0, 0, 0, 0, None)
    if voice not in voices() or loaded.handle.espeak_SetVoiceByProperties(ctypes.byref(wanted)) != 0:
        raise EngineError(f"espeak-ng has no voice {voice!r}")
    loaded.handle.espeak_SetParameter(_RATE, int(speed), 0)
    loaded.chunks = []
    status = loaded.handle.espeak_Synth(data, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
    loaded.handle.espeak_Synchronize()
    chunks, loaded.chunks = loaded.chunks, []
    if status != 0:
        raise EngineError(f"espeak-ng could not speak a sentence (status {status})")
    samples = np.concatenate(chunks) if chunks else np.zeros(0, np.int16)
    return samples, loaded.rate
