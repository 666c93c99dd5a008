"""Batch runs on Dask distributed: a local cluster (``--cluster local:N``) or an existing scheduler
(``--scheduler tcp://HOST:8786``) with ``dask worker`` on each machine. The runner sees one more
executor; Dask reruns a task whose worker died on another worker, and every output is written
atomically, so a lost worker loses nothing. Workers read the inputs and write ``--out`` at the
paths the manifest gives: a shared file system when they run on other machines."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from .errors import EngineError, OptionError


class DaskPool:
    """An executor on a Dask cluster."""

    def __init__(self, cluster: str | None = None, scheduler: str | None = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise EngineError("Dask is not installed: pip install 'broadcast-captions[cluster]'") from None
        self.cluster = None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout="20s")
            else:
                workers = _local_workers(cluster or "")
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                            dashboard_address=None)
                self.client = Client(self.cluster)
        except OSError as err:
            raise EngineError(f"cannot reach the Dask scheduler {scheduler}: {err}") from None

    def run(self, function: Callable[..., Any], tasks: list[tuple[Any, ...]]) -> Iterator[tuple[int, Any]]:
        from distributed import as_completed

        futures = {self.client.submit(function, *arguments, pure=False): index for index, arguments in enumerate(tasks)}
        for future in as_completed(futures):
            yield futures[future], future.result()

    def missing_models(self, pairs: set[tuple[str, str]]) -> list[str]:
        """Per worker, the language pairs it cannot translate (no package, direct or through a pivot)."""
        from .runs import installed_models

        found = self.client.run(installed_models)
        problems = []
        for worker, models in sorted(found.items()):
            have = {tuple(name.split("-", 1)) for name in models}
            for source, target in sorted(pairs):
                pivots = {middle for (first, middle) in have if first == source} & \
                         {first for (first, last) in have if last == target}
                if (source, target) not in have and not pivots:
                    problems.append(f"worker {worker} has no translation model {source}->{target} "
                                    f"(run `captions models install {source} {target}` there)")
        return problems

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _local_workers(cluster: str) -> int:
    """``local:N``: N worker processes on this machine.

    >>> _local_workers("local:2")
    2
    """
    kind, _, count = cluster.partition(":")
    if kind != "local" or not count.isdigit() or not 1 <= int(count) <= 256:
        raise OptionError(f"--cluster {cluster!r}: use local:N with N from 1 to 256 (or --scheduler ADDRESS)")
    return int(count)
