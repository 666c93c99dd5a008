"""captions: broadcast transcripts to timed, standards-compliant caption files.

Library use::

    from captions import Options, caption_file
    caption_file("programme.txt", "out", Options(lang="en", profile="netflix", formats=("srt", "vtt")))
"""

import os

# numpy's OpenBLAS wakes a thread per core for matrix products a few milliseconds long; captions
# keeps both cores busy itself (listening beside speaking), so those threads only burn CPU: an
# hour's listening took 10.8 s of CPU with them, 5.0 s without. Set before numpy loads; a user's
# own setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"

__all__ = ["Options", "__version__", "caption", "caption_file"]


def __getattr__(name: str) -> object:
    # Keep `import captions` (and so `captions --help`) light: the pipeline loads on first use.
    if name in ("Options", "caption", "caption_file"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
