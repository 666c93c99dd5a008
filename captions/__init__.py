"""captions: broadcast transcripts to timed, standards-compliant caption files.

Library use::

    from captions import Options, caption_file
    caption_file("programme.txt", "out", Options(lang="en", profile="netflix", formats=("srt", "vtt")))
"""

__version__ = "0.1.0"

__all__ = ["Options", "__version__", "caption", "caption_file"]


def __getattr__(name: str) -> object:
    # Keep `import captions` (and so `captions --help`) light: the pipeline loads on first use.
    if name in ("Options", "caption", "caption_file"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
