"""Decoding transcript bytes: BOMs, UTF-16, CRLF and Shift-JIS, with errors that name the line."""

from __future__ import annotations

import codecs
import re

from .errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uff00-\uffef]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


# What a file is by its first bytes, when it is not text: what to do instead, in the user's terms.
_AUDIO_VIDEO = "this is audio or video: give it as --audio, with the transcript as the input"
_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"%PDF", "a PDF document: copy its text into a plain-text file (.txt)"),
    (0, b"\xd0\xcf\x11\xe0", "a Word (.doc) document: save it as plain text (.txt)"),
    (0, b"{\\rtf", "an RTF document: save it as plain text (.txt)"),
    (0, b"\x89PNG", "a picture (PNG), not a transcript"),
    (0, b"\xff\xd8\xff", "a picture (JPEG), not a transcript"),
    (0, b"GIF8", "a picture (GIF), not a transcript"),
    (0, b"ID3", _AUDIO_VIDEO), (0, b"\xff\xfb", _AUDIO_VIDEO), (0, b"\xff\xf3", _AUDIO_VIDEO),
    (0, b"fLaC", _AUDIO_VIDEO), (0, b"OggS", _AUDIO_VIDEO), (0, b"\x1aE\xdf\xa3", _AUDIO_VIDEO),
    (8, b"WAVE", _AUDIO_VIDEO), (4, b"ftyp", _AUDIO_VIDEO),
)


def what_it_is(data: bytes) -> str | None:
    """What a file that is not text is (a Word document, a PDF, a picture, a recording), said as
    the one-line error a user can act on; None for anything else.

    >>> what_it_is(b"PK\\x03\\x04...word/document.xml")
    'a Word document (.docx): save it as plain text (.txt)'
    >>> what_it_is(b"RIFF....WAVEfmt "), what_it_is(b"Hello")
    ('this is audio or video: give it as --audio, with the transcript as the input', None)
    """
    if data.startswith(b"PK\x03\x04"):
        head = data[:4096]
        if b"word/" in head:
            return "a Word document (.docx): save it as plain text (.txt)"
        if b"opendocument.text" in head:
            return "an OpenDocument text (.odt): save it as plain text (.txt)"
        return "a ZIP archive, not a transcript: unpack it and give the files inside"
    return next((said for at, signature, said in _SIGNATURES if data[at:at + len(signature)] == signature), None)


def decode(data: bytes, path: str = "", encoding: str | None = None) -> str:
    """Return the text of a transcript file with ``\\n`` line ends.

    Without ``encoding``, accepts UTF-8 (with or without BOM), UTF-16 with BOM and Shift-JIS
    (cp932), which Japanese broadcast scripts often use.

    >>> decode("S/ 岸田: はい\\r\\n".encode("cp932"))
    'S/ 岸田: はい\\n'
    >>> decode(b"\\xef\\xbb\\xbfHello\\r\\nWorld")
    'Hello\\nWorld'
    """
    if not data.strip():
        raise InputError("file is empty", path)
    kind = what_it_is(data)
    if kind:
        raise InputError(kind, path)
    text = _decode_bytes(data, path, encoding)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise InputError("binary data, not a text transcript", path, line)
    return text


def _decode_bytes(data: bytes, path: str, encoding: str | None) -> str:
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}", path) from None
        except UnicodeDecodeError as err:
            raise _undecodable(data, err, path, encoding) from None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as err:
                raise _undecodable(data, err, path, codec) from None
    if b"\x00" in data:
        raise InputError("binary data, not a text transcript", path, data.count(b"\n", 0, data.index(b"\x00")) + 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp932")
        except UnicodeDecodeError:
            raise _undecodable(data, utf8_error, path, "utf-8") from None
        if _JAPANESE.search(text):
            return text
        raise _undecodable(data, utf8_error, path, "utf-8") from None


def _undecodable(data: bytes, err: UnicodeDecodeError, path: str, codec: str) -> InputError:
    line = data.count(b"\n", 0, err.start) + 1
    return InputError(f"not valid {codec} text (pass --encoding to name the file's encoding)", path, line)
