"""Times of characters in a timed segment, interpolated between the reader's anchors."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable


class TimeMap:
    """Piecewise-linear map from a character offset to seconds.

    >>> times = TimeMap(((0, 10.0), (10, 12.0), (11, 13.0), (21, 15.0)))
    >>> times.at(5), times.at(10), times.at(16)
    (11.0, 12.0, 14.0)
    """

    def __init__(self, anchors: tuple[tuple[int, float], ...]):
        self.offsets = [offset for offset, _ in anchors]
        self.times = [time for _, time in anchors]

    def at(self, offset: int) -> float:
        offsets, times = self.offsets, self.times
        if offset <= offsets[0]:
            return times[0]
        if offset >= offsets[-1]:
            return times[-1]
        right = bisect_right(offsets, offset)
        left = right - 1
        if offsets[left] == offset:
            return times[left]
        share = (offset - offsets[left]) / (offsets[right] - offsets[left])
        return times[left] + share * (times[right] - times[left])


def monotonic_anchors(points: Iterable[tuple[int, float]]) -> tuple[tuple[int, float], ...]:
    """Anchors sorted by offset, one per offset, with times that never go back.

    Readers (ASR word times sometimes go back), the aligner and translation all build anchors
    from measured or mapped times; this is the one place that makes them usable by :class:`TimeMap`.

    >>> monotonic_anchors([(5, 2.0), (0, 1.0), (5, 2.5), (9, 2.2)])
    ((0, 1.0), (5, 2.5), (9, 2.5))
    """
    result: list[tuple[int, float]] = []
    for offset, time in sorted(points):
        if result and time < result[-1][1]:
            time = result[-1][1]
        if result and offset == result[-1][0]:
            result[-1] = (offset, max(time, result[-1][1]))
            continue
        result.append((offset, time))
    return tuple(result)
