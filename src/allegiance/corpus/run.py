"""Corpus ingest: inputs of any kind -> the pipeline in worker processes -> the store.

Inputs are read lazily and in a fixed order (paths as given, directories sorted), so a run
and its restart see the same sequence; each input has a stable key (``path``, ``path:line``
or ``path#item``). Inputs already in the store are skipped. Results come back in input order
and are written in batches, one transaction each. Near-duplicates (the same wire story on
several sites) are found with MinHash over word shingles and linked to their first copy,
whose events alone are counted.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from ..records import ArticleResult, RawDoc, Rejected, content_id
from ..settings import Settings
from .coder import Coded, Coder
from .dedup import NearDuplicates
from .inputs import read_feed, read_path
from .store import Store

# Inputs handed to the workers at a time: bounds memory whatever the corpus size.
_WINDOW = 256


@dataclass
class Summary:
    """What an ingest run did."""

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    rejects: int = 0
    skipped: int = 0
    warnings: int = 0  # inputs coded despite a problem (a date that cannot be read)
    events: int = 0
    seconds: float = 0.0
    reasons: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        rate = self.read / self.seconds if self.seconds else 0.0
        return (
            f"{self.stored} stored, {self.duplicates} duplicates, {self.near_duplicates} "
            f"near-duplicates, {self.rejects} rejects, {self.warnings} warnings, "
            f"{self.skipped} already in the store; "
            f"{self.events} events; {self.read} inputs in {self.seconds:.1f}s "
            f"({rate:.1f}/s)"
        )


# Inputs ------------------------------------------------------------------------------------
def discover(paths: Iterable[str]) -> Iterator[str]:
    """Files under the given paths, directories walked in sorted order. Symbolic links to
    folders are not followed (no loops); a folder that cannot be listed is yielded itself,
    so it becomes a reject instead of silently holding nothing."""
    for raw in paths:
        if raw.startswith(("http://", "https://")):
            yield raw
        elif os.path.isdir(raw):
            yield from _walk(raw)
        else:
            yield raw


def _walk(folder: str) -> Iterator[str]:
    unlisted: list[str] = []
    for root, dirs, files in os.walk(folder, onerror=lambda e: unlisted.append(e.filename)):
        dirs.sort()
        yield from unlisted
        unlisted.clear()
        for name in sorted(files):
            if not name.startswith("."):
                yield str(Path(root) / name)
    yield from unlisted


def read_inputs(
    paths: Iterable[str], settings: Settings, skip: Iterable[str] = ()
) -> Iterator[tuple[str, RawDoc | Rejected]]:
    """(input key, RawDoc or Rejected) for every article in the given files and folders,
    leaving out the files in ``skip`` (the store itself, when it sits among the inputs)."""
    leave = {os.path.realpath(p) for p in skip}
    fetcher = None
    for path in discover(paths):
        if path.startswith(("http://", "https://")):
            if fetcher is None:
                from .fetch import Fetcher

                fetcher = Fetcher(timeout=settings.fetch_timeout)
            yield from read_url(fetcher, path, settings)
        elif os.path.realpath(path) in leave:
            continue
        elif os.path.isdir(path):
            yield (
                path,
                Rejected(None, path, "ingest", "unreadable", "a folder that cannot be listed"),
            )
        else:
            yield from read_path(path, settings)


def read_url(fetcher: Any, url: str, settings: Settings) -> Iterator[tuple[str, RawDoc | Rejected]]:
    """Articles of an http(s) page or feed, fetched with ``fetcher`` (a ``fetch.Fetcher``)."""
    from .fetch import fetch_document

    got = fetch_document(fetcher, url, settings.max_input_bytes)
    if isinstance(got, tuple):
        yield from read_feed(url, got[0])
    else:
        yield url, got


# Workers ----------------------------------------------------------------------------------
# The coder of a forked worker process: set once, when the pool forks the worker, from the
# parent's loaded coder (fork shares its memory; nothing is pickled).
_FORKED: list[Coder] = []


def _adopt(coder: Coder) -> None:
    _FORKED[:] = [coder]


def _code_forked(items: list[RawDoc | Rejected]) -> list[Coded]:
    return _FORKED[0].code(items)


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def ingest(
    paths: Iterable[str],
    store: Store,
    settings: Settings,
    workers: int = 1,
    batch_size: int = 64,
    progress: Callable[[Summary], None] | None = None,
    coder: Coder | None = None,
) -> Summary:
    """Read, code and store every article under the paths; return what happened. ``coder``
    is one already loaded (the benchmark loads it before its clock starts); ``progress`` is
    called after each window of inputs, and its ``advance`` (a ``ProgressBar``'s) as each
    chunk of articles is coded."""
    tick = progress.advance if isinstance(progress, ProgressBar) else None
    summary = Summary()
    start = time.perf_counter()
    near = NearDuplicates(store)
    coder = coder or Coder(settings)
    pool = None
    if workers > 1:
        # Load once here and fork: the workers share the loaded model instead of each
        # loading its own (as spaCy's own n_process does).
        coder.load()
        pool = get_context("fork").Pool(workers, initializer=_adopt, initargs=(coder,))
    try:
        window: list[tuple[str, RawDoc | Rejected]] = []
        own = (store.path, store.path + ".wal")
        for item in read_inputs(paths, settings, skip=own):
            window.append(item)
            if len(window) >= _WINDOW:
                _process(window, store, near, (coder, pool), batch_size, summary, tick)
                window = []
                if progress:
                    summary.seconds = time.perf_counter() - start
                    progress(summary)
        if window:
            _process(window, store, near, (coder, pool), batch_size, summary, tick)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    summary.seconds = time.perf_counter() - start
    if progress:
        progress(summary)
    return summary


def code_and_store(
    items: list[tuple[str, RawDoc | Rejected]], store: Store, coder: Coder, summary: Summary
) -> None:
    """Code and store inputs already read (``watch``: a poll's feed items), in this process;
    those the store has read before are skipped."""
    _process(items, store, NearDuplicates(store), (coder, None), 64, summary)


def _process(
    window: list[tuple[str, RawDoc | Rejected]],
    store: Store,
    near: NearDuplicates,
    coding: tuple[Coder, Any],
    batch_size: int,
    summary: Summary,
    tick: Callable[[int], None] | None = None,
) -> None:
    """Code the inputs of a window not yet read, in order (in the pool's workers when there
    is one), and store them; ``tick`` is told of each chunk of articles coded."""
    coder, pool = coding
    seen = store.seen(key for key, _ in window)
    fresh = [(k, r) for k, r in window if k not in seen]
    summary.read += len(window)
    summary.skipped += len(window) - len(fresh)
    # A text read before under another name (a renamed or copied file) is known by its hash
    # and recorded as a duplicate without being parsed again.
    contents = {k: content_id(r.text) for k, r in fresh if isinstance(r, RawDoc)}
    known = store.copies_of(contents.values())
    copies = [(k, known[c], c) for k, c in contents.items() if c in known]
    if copies:
        store.record_copies(copies)
        summary.duplicates += len(copies)
        copied = {k for k, _, _ in copies}
        fresh = [(k, r) for k, r in fresh if k not in copied]
    chunks = _chunks([r for _, r in fresh], 8)
    done = pool.imap(_code_forked, chunks) if pool is not None else map(coder.code, chunks)
    coded = []
    for chunk in done:
        coded += chunk
        if tick:
            tick(len(chunk))
    items = [(key, *c) for (key, _), c in zip(fresh, coded, strict=True)]
    store_results(items, store, near, batch_size, summary)
    store.remember_contents([(k, contents[k]) for k, _ in fresh if k in contents])


def store_results(
    items: list[tuple[str, ArticleResult | Rejected, bytes | None]],
    store: Store,
    near: NearDuplicates,
    batch_size: int,
    summary: Summary,
) -> None:
    """Write coded (input, result, MinHash) items in input order: exact duplicates by id,
    near-duplicates linked to their first copy, one transaction per ``batch_size`` items.

    The local and the cluster path both end here, so their tables are the same.
    """
    pending: list[tuple[str, ArticleResult | Rejected, bytes | None, str | None]] = []
    for key, result, signature in items:
        dup_of = None
        if (
            isinstance(result, ArticleResult)
            and signature is not None
            and (not store.has_article(result.article.id))
        ):
            dup_of = near.check(result.article.id, signature)
        pending.append((key, result, signature, dup_of))
    # Events counted as `stats` counts them: distinct events new to the store, not reports.
    events_before = store.event_count()
    for batch in _chunks(pending, batch_size):
        for stored, (_, result, _, _) in zip(store.write_batch(batch), batch, strict=True):
            _count(summary, stored.status, result)
    summary.events += store.event_count() - events_before


def _count(summary: Summary, status: str, result: ArticleResult | Rejected) -> None:
    if isinstance(result, ArticleResult) and status != "duplicate":
        summary.warnings += len(result.article.notices)
    if status == "stored":
        summary.stored += 1
    elif status == "duplicate":
        summary.duplicates += 1
    elif status == "near-duplicate":
        summary.near_duplicates += 1
    elif isinstance(result, Rejected):
        summary.rejects += 1
        summary.reasons[result.reason] = summary.reasons.get(result.reason, 0) + 1


def count_inputs(paths: Iterable[str]) -> int:
    """About how many articles the paths hold (JSONL lines, one per other file), for an ETA."""
    total = 0
    for path in discover(paths):
        # Only local JSONL is read ahead (a regular file: a FIFO would block); a URL
        # (fetched or fsspec) counts as one.
        if path.lower().endswith(".jsonl") and "://" not in path and os.path.isfile(path):
            try:
                with open(path, "rb") as fh:
                    total += sum(1 for line in fh if line.strip())
                continue
            except OSError:  # missing or unreadable: one input, which will be a reject
                pass
        total += 1
    return total


class ProgressBar:
    """A progress bar on stderr (tqdm): "loading the model" until the first article is
    coded, then articles done of the total with rate and ETA, and the run's events (distinct,
    as `stats` counts them) and rejects. Called with the run's summary after each batch;
    ``advance`` moves it as articles are coded in between."""

    def __init__(self, total: int | None, what: str = "articles") -> None:
        from tqdm import tqdm

        self.what = what
        self.started = False
        self.bar = tqdm(
            total=total or None,
            desc="loading the model",
            unit=" art",
            file=sys.stderr,
            dynamic_ncols=True,
        )

    def advance(self, n: int) -> None:
        if not self.started:
            self.started = True
            self.bar.set_description(self.what)
        self.bar.update(n)

    def __call__(self, s: Summary) -> None:
        self.advance(max(s.read - self.bar.n, 0))
        self.bar.set_postfix(events=s.events, rejects=s.rejects, refresh=True)

    def close(self) -> None:
        self.bar.close()


def progress_bar(quiet: bool, paths: Iterable[str] = ()) -> ProgressBar | None:
    """The progress bar of a run over ``paths``, or None when quiet or not a terminal."""
    if quiet or not sys.stderr.isatty():
        return None
    return ProgressBar(count_inputs(paths))


def read_corpus_texts(path: str, limit: int | None) -> list[dict[str, Any]]:
    """The first records of a JSONL corpus (for the benchmark)."""
    out = []
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                out.append(json.loads(line))
            if limit and len(out) >= limit:
                break
    return out


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one document posted to the API."""

    status: str  # stored, duplicate, near-duplicate, rejected or already-read
    article_id: str | None
    events: int = 0
    reason: str | None = None
    detail: str | None = None


def store_coded(
    items: list[tuple[str, ArticleResult | Rejected, bytes | None]],
    store: Store,
    near: NearDuplicates,
) -> Summary:
    """Write coded items in one transaction exactly as ``ingest`` does (the HTTP API's write
    path: the same duplicate checks and near-duplicate index); what was written."""
    summary = Summary()
    store_results(items, store, near, max(len(items), 1), summary)
    return summary
