"""`allegiance bench`: end-to-end ingest against bare spaCy on the same texts.

Both runs use the same pipeline package with all its pipes and the same number of processes;
the ratio of their speeds says what allegiance costs on top of the parse. CPU seconds an
article (the whole process tree's, over the timed part) say the same where other users'
load on the machine makes wall time unsteady. Peak memory is the
largest proportional set size (PSS) of the whole process tree (this process and its
workers), sampled from /proc while each run goes: memory the workers share with the parent
counts once.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from ..corpus.coder import Coder
from ..corpus.run import Summary, ingest, read_corpus_texts
from ..corpus.store import Store
from ..settings import Settings

# How often the memory sampler looks, in seconds.
_SAMPLE = 0.2


class _PeakMemory:
    """Samples the memory (PSS) and CPU time of this process and its descendants in a
    thread. ``start_clock`` marks where the timed part begins; ``cpu_seconds`` is the CPU
    time the tree spent since then, which another user's load on the machine does not
    inflate as it does wall time."""

    def __init__(self) -> None:
        self.peak = 0
        self._base: dict[int, float] | None = None
        self._cpu: dict[int, float] = {}  # last seen CPU seconds of each pid since the mark
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def start_clock(self) -> None:
        self._base = {pid: _cpu(pid) for pid in _tree(os.getpid())}
        self._cpu = dict(self._base)

    def cpu_seconds(self) -> float:
        """CPU time of the tree since ``start_clock`` (a worker that ended counts as last
        sampled, at most one sampling interval short)."""
        self._note_cpu(_tree(os.getpid()))
        base = self._base or {}
        return sum(cpu - base.get(pid, 0.0) for pid, cpu in self._cpu.items())

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = _tree(os.getpid())
            self.peak = max(self.peak, sum(_pss(pid) for pid in pids))
            if self._base is not None:
                self._note_cpu(pids)
            self._stop.wait(_SAMPLE)

    def _note_cpu(self, pids: list[int]) -> None:
        for pid in pids:
            self._cpu[pid] = max(self._cpu.get(pid, 0.0), _cpu(pid))


def _tree(root: int) -> list[int]:
    """A process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        ppid = next(
            (line.split()[1] for line in status.splitlines() if line.startswith("PPid:")), "0"
        )
        children.setdefault(int(ppid), []).append(int(entry.name))
    out, stack = [], [root]
    while stack:
        pid = stack.pop()
        out.append(pid)
        stack += children.get(pid, [])
    return out


def _cpu(pid: int) -> float:
    """User plus system CPU seconds of a process so far (0 when it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pss(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in rollup.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return 0


def run_bench(
    corpus: str,
    limit: int | None,
    workers: int,
    cluster: str | None = None,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Time bare spaCy and end-to-end ingest over the same texts; return the figures.

    With ``cluster`` (``local:N``) the ingest runs on a Dask LocalCluster of N single-thread
    workers, and bare spaCy on N processes. ``settings`` choose the coder (the learned one
    under ``allegiance --coder learned bench``).
    """
    records = read_corpus_texts(corpus, limit)
    texts = [r.get("text") or "" for r in records]
    words = sum(len(t.split()) for t in texts)
    settings = settings or Settings()
    if cluster:
        from ..corpus.cluster import local_workers, require_extra

        require_extra()  # before the spaCy run, so a missing extra fails at once
        workers = local_workers(cluster)

    t_spacy, cpu_spacy, mem_spacy = _bare_spacy(texts, settings, workers)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        _write_corpus(path, records)
        with _PeakMemory() as mem_ingest:
            if cluster:
                t_ingest, cpu_ingest, summary, extra = _cluster_ingest(
                    path, Path(tmp), settings, cluster, mem_ingest
                )
            else:
                t_ingest, cpu_ingest, summary = _local_ingest(
                    path, Path(tmp), settings, workers, mem_ingest
                )
                extra = {}

    return {
        "articles": len(texts),
        "words": words,
        "workers": workers,
        "bare spaCy articles/s": round(len(texts) / t_spacy, 1),
        "bare spaCy words/s": round(words / t_spacy),
        "allegiance articles/s": round(len(texts) / t_ingest, 1),
        "allegiance words/s": round(words / t_ingest),
        "ratio (allegiance / spaCy)": round(t_spacy / t_ingest, 3),
        "bare spaCy CPU s/article": round(cpu_spacy / len(texts), 3),
        "allegiance CPU s/article": round(cpu_ingest / len(texts), 3),
        "CPU ratio (spaCy / allegiance)": round(cpu_spacy / cpu_ingest, 3),
        "events": summary.events,
        "rejects": summary.rejects,
        **extra,
        "peak memory spaCy (MB, PSS)": round(mem_spacy / 2**20),
        "peak memory allegiance (MB, PSS)": round(mem_ingest.peak / 2**20),
    }


def _bare_spacy(texts: list[str], settings: Settings, workers: int) -> tuple[float, float, int]:
    """Wall and CPU seconds and peak memory of bare spaCy over the texts, loading outside the
    clock."""
    import spacy

    with _PeakMemory() as mem:
        nlp = spacy.load(settings.model)
        mem.start_clock()
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=settings.batch_size, n_process=workers):
            pass
        seconds, cpu = time.perf_counter() - start, mem.cpu_seconds()
    return seconds, cpu, mem.peak


def _local_ingest(
    path: Path, tmp: Path, settings: Settings, workers: int, mem: _PeakMemory
) -> tuple[float, float, Summary]:
    """Wall and CPU seconds of ingest on this machine; as for bare spaCy, the model loads
    before the clock starts."""
    coder = Coder(settings)
    coder.load()
    store = Store.open(tmp / "bench.duckdb")
    mem.start_clock()
    start = time.perf_counter()
    summary = ingest([str(path)], store, settings, workers, coder=coder)
    seconds, cpu = time.perf_counter() - start, mem.cpu_seconds()
    store.close()
    return seconds, cpu, summary


def _write_corpus(path: Path, records: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for n, r in enumerate(records):
            fh.write(
                json.dumps(
                    {
                        "id": str(r.get("id", n)),
                        "text": r.get("text") or "",
                        "title": r.get("title"),
                        "published": r.get("date"),
                    }
                )
                + "\n"
            )


def _cluster_ingest(
    corpus: Path, tmp: Path, settings: Settings, cluster: str, sampler: _PeakMemory
) -> tuple[float, float, Summary, dict[str, Any]]:
    """Ingest on Dask: the clock starts once the workers are up with the pipeline loaded
    (as for bare spaCy and the local run); that start-up is reported on its own."""
    from ..corpus.cluster import PLUGIN, Preload, connect, ingest_on_cluster, local_workers

    # Eight partitions a worker at least: the last partition runs while other workers have
    # nothing left, so on a short corpus a smaller partition shortens that tail.
    articles = sum(1 for _ in corpus.open(encoding="utf-8"))
    size = max(1, min(128, articles // (8 * local_workers(cluster))))
    began = time.perf_counter()
    with connect(cluster) as client:
        client.register_plugin(Preload(settings), name=PLUGIN)
        startup = time.perf_counter() - began
        store = Store.open(tmp / "bench.duckdb")
        sampler.start_clock()
        start = time.perf_counter()
        summary = ingest_on_cluster(
            [str(corpus)], store, settings, client, str(tmp / "shards"), size, keep_shards=False
        )
        t_ingest = time.perf_counter() - start
        cpu = sampler.cpu_seconds()  # while the workers are still there
        store.close()
    extra = {
        "cluster": cluster,
        "partitions": f"{summary.partitions} of {size} articles",
        "cluster start + model load (s)": round(startup, 1),
        "client loading shards (s)": round(summary.load_seconds, 1),
    }
    return t_ingest, cpu, summary, extra
