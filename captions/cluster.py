"""Batch runs on Dask distributed: a local cluster (``--cluster local:N``) or an existing scheduler
(``--scheduler tcp://HOST:8786``) with ``dask worker`` on each machine. The runner sees one more
executor; Dask reruns a task whose worker died on another worker, and every output is written
atomically, so a lost worker loses nothing. Workers read the inputs and write ``--out`` at the
paths the manifest gives: a shared file system when they run on other machines."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from .errors import EngineError, OptionError

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters


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
        self.shares = self._core_shares()

    def _core_shares(self) -> dict[str, int]:
        """Per worker, its part of its machine's cores: the cores over the threads of all the
        workers there (a worker that joins later gets one)."""
        cores = self.client.run(os.cpu_count)
        workers = self.client.scheduler_info(n_workers=-1)["workers"]
        threads_on: dict[str, int] = {}
        for info in workers.values():
            threads_on[info["host"]] = threads_on.get(info["host"], 0) + info["nthreads"]
        return {address: max(1, (cores.get(address) or 1) // threads_on[info["host"]])
                for address, info in workers.items()}

    def run(self, function: Callable[..., Any], tasks: list[tuple[Any, ...]]) -> Iterator[tuple[int, Any]]:
        from distributed import as_completed

        futures = {self.client.submit(_on_worker, self.shares, function, *arguments, pure=False): index
                   for index, arguments in enumerate(tasks)}
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


def _on_worker(shares: dict[str, int], function: Callable[..., Any], *arguments: Any) -> Any:
    """Run a task on a Dask worker: with its share of the machine's cores, and the C allocator set
    as an ordinary process has it."""
    from distributed import get_worker

    from .batch import share_cores

    share_cores(shares.get(get_worker().address, 1))
    _ordinary_allocator()
    return function(*arguments)


@lru_cache(maxsize=1)
def _ordinary_allocator() -> None:
    """Undo Dask's ``MALLOC_TRIM_THRESHOLD_`` in this worker: it fixes glibc's thresholds at 64 KiB,
    so every large buffer of CTranslate2 is a fresh ``mmap`` (translation ran 2.2x slower). The
    thresholds are set to the values glibc's own dynamic ones reach (32 MiB mapped, trimmed above 64 MiB)."""
    if "MALLOC_TRIM_THRESHOLD_" not in os.environ:
        return
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError):  # not glibc: the variable meant nothing either
        return
    mallopt(M_MMAP_THRESHOLD, 32 << 20)
    mallopt(M_TRIM_THRESHOLD, 64 << 20)


def _local_workers(cluster: str) -> int:
    """``local:N``: N worker processes on this machine.

    >>> _local_workers("local:2")
    2
    """
    kind, _, count = cluster.partition(":")
    if kind != "local" or not count.isdigit() or not 1 <= int(count) <= 256:
        raise OptionError(f"--cluster {cluster!r}: use local:N with N from 1 to 256 (or --scheduler ADDRESS)")
    return int(count)
