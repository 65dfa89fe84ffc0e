"""Cluster ingest: the corpus split into partitions, coded on Dask distributed workers,
loaded into the store by the client.

1. The client plans partitions in input order: runs of ``size`` files, runs of ``size``
   records of a JSONL file (byte ranges cut at line ends), all consecutive http(s) URLs
   together (so one worker's fetcher keeps the per-host rate limit).
2. Each worker loads the pipeline once (``Preload``, a worker plugin, also on a worker that
   joins or restarts) and runs ``code_partition``: the same reading and coding functions as
   the local path (``inputs.read_path``, ``Coder.code``), the result written as one
   Parquet shard whose name is fixed by the partition's inputs and the settings. The shard
   is written under a temporary name and renamed when whole, so a worker that dies
   mid-partition leaves no shard; Dask runs the task again elsewhere and it writes the same
   name, so nothing is lost or doubled.
3. The client loads the shards strictly in partition order through ``corpus.store_results``,
   the local path's own writer: content-hash ids, near-duplicates, input keys and batches
   behave as in a local run, and the tables come out the same.

Needs the ``dask`` extra (dask, distributed, pyarrow); ``require_extra`` says so when missing.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import re
import time
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from ..errors import ClusterError
from ..records import RawDoc, Rejected, content_id
from ..settings import Settings
from .coder import Coder
from .inputs import open_local, read_jsonl_bytes, read_path
from .partitions import Partition, filesystem, is_url, is_web, plan, settings_tag
from .run import (
    NearDuplicates,
    Summary,
    read_url,
    store_results,
)
from .store import Store

try:
    from distributed import WorkerPlugin
except ImportError:  # the extra is missing: require_extra() says so before anything runs
    WorkerPlugin = object  # type: ignore[assignment,misc]

_EXTRA = ("dask", "distributed", "pyarrow")
# Partitions submitted ahead, per worker thread: enough that no thread waits for the next
# task, few enough that the scheduler and the shard folder stay small on a huge corpus.
_AHEAD_PER_THREAD = 2
# How long to wait for the first worker of a remote scheduler.
_WORKER_WAIT = "60s"
# The name of the worker plugin that holds each worker's coder.
PLUGIN = "allegiance-preload"


def require_extra() -> None:
    """Raise a ClusterError naming the fix when the ``dask`` extra is not installed."""
    missing = []
    for name in _EXTRA:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise ClusterError(
            f"the cluster path needs {', '.join(missing)}: pip install 'allegiance[dask]'"
        )


# Workers ------------------------------------------------------------------------------------
class Preload(WorkerPlugin):  # type: ignore[misc]
    """Holds the worker's coder and loads its pipeline when the worker starts, joins or
    restarts, so each worker process loads it once and before its first task."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.coder = Coder(settings)

    async def setup(self, worker: Any) -> None:
        # In a thread: loading takes seconds and the worker's event loop must keep
        # answering the scheduler's heartbeats meanwhile.
        await asyncio.to_thread(self.coder.load)


def _worker_coder(settings: Settings) -> Coder:
    """The coder this worker's plugin holds (a new one outside a worker, as in a test)."""
    from distributed import get_worker

    try:
        plugin = get_worker().plugins.get(PLUGIN)
    except ValueError:  # not running on a worker
        plugin = None
    if isinstance(plugin, Preload) and plugin.settings == settings:
        return plugin.coder
    return Coder(settings)


def code_partition(part: Partition, settings: Settings, shards: str) -> tuple[str, int]:
    """Read and code one partition into its shard under ``shards``; (shard name, items).

    A shard already there whole (an earlier try of this task, or an earlier run) is kept.
    """
    from . import shards as shard_io

    fs, root = filesystem(shards)
    final = f"{root}/{part.shard}"
    rows = _complete(fs, final)
    if rows is not None:
        return part.shard, rows
    items = list(read_partition(part, settings))
    coded = _worker_coder(settings).code([raw for _, raw in items])
    results = [(key, *c) for (key, _), c in zip(items, coded, strict=True)]
    contents = [content_id(raw.text) if isinstance(raw, RawDoc) else None for _, raw in items]
    # Written whole under a temporary name, then renamed: a shard under its final name is
    # always complete, whenever the worker dies.
    tmp = f"{final}.{uuid.uuid4().hex}.tmp"
    with fs.open(tmp, "wb") as fh:
        shard_io.write(results, fh, contents)
    fs.mv(tmp, final)
    return part.shard, len(results)


def _complete(fs: Any, path: str) -> int | None:
    """The number of items of a whole shard at ``path``, or None."""
    from . import shards as shard_io

    if not fs.exists(path):
        return None
    try:
        with fs.open(path, "rb") as fh:
            return shard_io.rows_in(fh)
    except (OSError, ValueError):  # a truncated or foreign file: code the partition again
        return None


def read_partition(part: Partition, settings: Settings) -> Iterator[tuple[str, RawDoc | Rejected]]:
    """(input key, RawDoc or Rejected) of a partition's inputs, as a local run reads them."""
    if part.first_line:
        # The client read this file to cut it, so an error now is the storage's, not the
        # input's: it fails the task, which Dask tries again, and a re-run retries it.
        data = _cat(part.where[0], part.start, part.end)
        yield from read_jsonl_bytes(part.inputs[0], data, settings, part.first_line)
        return
    fetcher = None
    for given, where in zip(part.inputs, part.where, strict=True):
        if is_web(given):
            if fetcher is None:
                from .fetch import Fetcher

                fetcher = Fetcher(timeout=settings.fetch_timeout)
            yield from read_url(fetcher, given, settings)
        else:
            yield from read_path(given, settings, opener=partial(_open, where))


def _open(where: str) -> Any:
    """A binary file object of a local path or URL, read as the local path reads a file (a
    local FIFO or device is refused as there, not opened)."""
    if not is_url(where):
        return open_local(where)
    fs, path = filesystem(where)
    return fs.open(path, "rb")


def _cat(where: str, start: int | None = None, end: int | None = None) -> bytes:
    fs, path = filesystem(where)
    return bytes(fs.cat_file(path, start=start, end=end))


# The client ---------------------------------------------------------------------------------
@dataclass
class ClusterSummary(Summary):
    """What a cluster ingest did: the local summary plus partitions and workers."""

    partitions: int = 0  # planned; those an earlier run loaded count in ``skipped``
    failed: int = 0
    workers: int = 0
    load_seconds: float = 0.0  # the client's time reading shards into the store

    def line(self) -> str:
        failed = (
            f", {self.failed} failed (in rejects; run the same command again to retry them)"
            if self.failed
            else ""
        )
        return f"{super().line()}; {self.partitions} partitions on {self.workers} workers{failed}"


@contextmanager
def connect(cluster: str | None = None, scheduler: str | None = None) -> Iterator[Any]:
    """A Dask client: of a LocalCluster (``local:N``, N worker processes of one thread) or
    of a running scheduler (``tcp://HOST:8786``).

    Raises:
        ClusterError: the extra is missing, the spec is malformed, or no scheduler or
            worker answers.
    """
    require_extra()
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise ClusterError(
                f"cannot reach the Dask scheduler at {scheduler} ({exc}); start one with "
                f"`dask scheduler` and workers with `dask worker {scheduler} --nthreads 1`"
            ) from None
        try:
            _wait_for_workers(client, scheduler)
            yield client
        finally:
            client.close()
        return
    n = local_workers(cluster or "")
    with (
        LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            # Any free port: Dask's fixed default collides with another cluster here.
            dashboard_address=":0",
            # Failures reach the user as rejects or a ClusterError; the workers' own logs
            # (a heartbeat missed while the cluster shuts down) would only be noise.
            silence_logs=logging.CRITICAL,
        ) as local,
        Client(local) as client,
    ):
        yield client


def local_workers(spec: str) -> int:
    """N of ``local:N``.

    Raises:
        ClusterError: the spec is not ``local:N`` with N at least 1.
    """
    match = re.fullmatch(r"local:(\d+)", spec.strip())
    if not match or int(match.group(1)) < 1:
        raise ClusterError(
            f"--cluster '{spec}' is not local:N; write e.g. local:4 for four worker processes, "
            "or give --scheduler tcp://HOST:8786 for a running cluster"
        )
    return int(match.group(1))


def _wait_for_workers(client: Any, scheduler: str) -> None:
    try:
        client.wait_for_workers(1, timeout=_WORKER_WAIT)
    except TimeoutError:
        raise ClusterError(
            f"no worker joined the scheduler at {scheduler} within {_WORKER_WAIT}; start "
            f"workers with `dask worker {scheduler} --nthreads 1`"
        ) from None


def ingest_on_cluster(
    paths: Iterable[str],
    store: Store,
    settings: Settings,
    client: Any,
    shards: str,
    partition_size: int = 128,
    batch_size: int = 64,
    progress: Any = None,
    keep_shards: bool = True,
) -> ClusterSummary:
    """Code the inputs on the client's cluster and load the shards into the store, in order.

    ``shards`` is a folder or fsspec URL every worker and the client can reach. With
    ``keep_shards`` false it is removed after a run in which every partition was loaded.
    """
    summary = ClusterSummary(workers=len(client.nthreads()))
    start = time.perf_counter()
    near = NearDuplicates(store)
    fs, root = filesystem(shards)
    fs.makedirs(root, exist_ok=True)
    parts = plan(paths, partition_size, settings_tag(settings), (store.path, store.path + ".wal"))
    tasks = _Tasks(client, store, settings, shards, parts, summary)
    ahead = max(2, _AHEAD_PER_THREAD * sum(client.nthreads().values()))
    tasks.top_up(ahead)
    for future in tasks.queue:
        tasks.done.add(future)
        for part, finished in tasks.ready():
            began = time.perf_counter()
            _load_shard(part, finished, fs, root, store, near, batch_size, summary)
            summary.load_seconds += time.perf_counter() - began
            if progress:
                summary.seconds = time.perf_counter() - start
                progress(summary)
        tasks.top_up(ahead)
    _tidy(fs, root, keep_shards, summary.failed == 0)
    summary.seconds = time.perf_counter() - start
    return summary


class _Tasks:
    """The partitions on the cluster: submitted a few ahead, handed back in partition order."""

    def __init__(
        self,
        client: Any,
        store: Store,
        settings: Settings,
        shards: str,
        parts: Iterator[Partition],
        summary: ClusterSummary,
    ) -> None:
        from distributed import as_completed

        self.client, self.store, self.settings, self.shards = client, store, settings, shards
        self.parts, self.summary = parts, summary
        self.queue = as_completed()
        self.order: deque[tuple[Partition, Any]] = deque()  # submitted, in partition order
        self.done: set[Any] = set()
        self.loading = False  # the pipeline-loading plugin is registered

    def top_up(self, ahead: int) -> None:
        """Submit partitions until ``ahead`` are running, skipping those an earlier run
        loaded already."""
        while len(self.order) - len(self.done) < ahead:
            part = next(self.parts, None)
            if part is None:
                return
            self.summary.partitions += 1
            loaded = self.store.partition_items(part.shard)
            if loaded is not None:  # nothing to code: the store has every item of it
                self.summary.read += loaded
                self.summary.skipped += loaded
                continue
            if not self.order and not self.loading:
                # Only now: a run with nothing left to code loads no model.
                self.client.register_plugin(Preload(self.settings), name=PLUGIN)
                self.loading = True
            future = self.client.submit(
                code_partition,
                part,
                self.settings,
                self.shards,
                key=f"allegiance-partition-{part.index}-{uuid.uuid4().hex[:8]}",
                retries=1,  # a transient read error gets a second try; a dead worker, more
                pure=False,
            )
            self.order.append((part, future))
            self.queue.add(future)

    def ready(self) -> Iterator[tuple[Partition, Any]]:
        """Finished partitions, in partition order only: the store sees the inputs in the
        order a local run reads them, which fixes first copies and near-duplicate links."""
        while self.order and self.order[0][1] in self.done:
            part, future = self.order.popleft()
            self.done.discard(future)
            yield part, future


def _load_shard(
    part: Partition,
    future: Any,
    fs: Any,
    root: str,
    store: Store,
    near: NearDuplicates,
    batch_size: int,
    summary: ClusterSummary,
) -> None:
    from . import shards as shard_io

    label = part.label
    if future.status != "finished":
        exc = future.exception()
        failure = Rejected(
            None,
            label,
            "cluster",
            "partition failed",
            f"{type(exc).__name__}: {exc}; its inputs were not stored: run the same command "
            "again (a worker that keeps dying may be short of memory: fewer threads or a "
            "smaller --partition-size)",
        )
        store_results([(label, failure, None)], store, near, batch_size, summary)
        summary.failed += 1
        return
    name, rows = future.result()
    with fs.open(f"{root}/{name}", "rb") as fh:
        items, contents = shard_io.read_with_contents(fh)
    if len(items) != rows:
        raise ClusterError(f"shard {root}/{name} changed while it was loaded; run again")
    seen = store.seen(key for key, _, _ in items)
    fresh = [item for item in items if item[0] not in seen]
    summary.read += len(items)
    summary.skipped += len(items) - len(fresh)
    store_results(fresh, store, near, batch_size, summary)
    hashed = {item[0]: c for item, c in zip(items, contents, strict=True) if c is not None}
    store.remember_contents([(key, hashed[key]) for key, _, _ in fresh if key in hashed])
    store.partition_loaded(part.shard, len(items), label)


def _tidy(fs: Any, root: str, keep: bool, complete: bool) -> None:
    """Remove temporary files of killed tries; the whole folder when it is not to be kept
    and every shard went into the store."""
    if not keep and complete:
        fs.rm(root, recursive=True)
        return
    for tmp in fs.glob(f"{root}/*.tmp"):
        fs.rm(tmp)
