"""Corpus ingest: inputs of any kind -> the pipeline in worker processes -> the store.

Inputs are read lazily and in a fixed order (paths as given, directories sorted), so a run
and its restart see the same sequence; each input has a stable key (``path``, ``path:line``
or ``path#item``). Inputs already in the store are skipped. Results come back in input order
and are written in batches, one transaction each. Near-duplicates (the same wire story on
several sites) are found with MinHash over word shingles and linked to their first copy,
whose events alone are counted.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from email.utils import parsedate_to_datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from datasketch import LeanMinHash, MinHash, MinHashLSH

from .clean import _words
from .ingest import decode, read_jsonl_bytes
from .records import ArticleResult, RawDoc, Rejected
from .settings import Settings
from .store import Store

_TEXT_SUFFIXES = (".txt", ".text", ".md")
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_FEED_SUFFIXES = (".rss", ".atom", ".xml")
# Near-duplicate detection: shingles of this many words, this many permutations, and the
# Jaccard similarity above which two articles are the same story.
_SHINGLE = 5
_PERMUTATIONS = 64
_NEAR = 0.8
_SCHEME = "affine32"  # datasketch's hashing scheme, fixed so stored signatures stay valid
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
    events: int = 0
    seconds: float = 0.0
    reasons: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        rate = self.read / self.seconds if self.seconds else 0.0
        return (
            f"{self.stored} stored, {self.duplicates} duplicates, {self.near_duplicates} "
            f"near-duplicates, {self.rejects} rejects, {self.skipped} already in the store; "
            f"{self.events} events; {self.read} inputs in {self.seconds:.1f}s "
            f"({rate:.1f}/s)"
        )


# Inputs ------------------------------------------------------------------------------------
def discover(paths: Iterable[str]) -> Iterator[str]:
    """Files under the given paths, directories walked in sorted order."""
    for raw in paths:
        p = Path(raw)
        if raw.startswith(("http://", "https://")):
            yield raw
        elif p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for name in sorted(files):
                    if not name.startswith("."):
                        yield str(Path(root) / name)
        else:
            yield raw


def read_inputs(
    paths: Iterable[str], skip: Iterable[str] = ()
) -> Iterator[tuple[str, RawDoc | Rejected]]:
    """(input key, RawDoc or Rejected) for every article in the given files and folders,
    leaving out the files in ``skip`` (the store itself, when it sits among the inputs)."""
    leave = {str(Path(p).resolve()) for p in skip}
    fetcher = None
    for path in discover(paths):
        if path.startswith(("http://", "https://")):
            if fetcher is None:
                from .fetch import Fetcher

                fetcher = Fetcher()
            yield from read_url(fetcher, path)
        elif str(Path(path).resolve()) not in leave:
            yield from read_path(path)


def read_url(fetcher: Any, url: str) -> Iterator[tuple[str, RawDoc | Rejected]]:
    """Articles of an http(s) page or feed, fetched with ``fetcher`` (a ``fetch.Fetcher``)."""
    from .fetch import fetch_document

    got = fetch_document(fetcher, url)
    if isinstance(got, tuple):
        yield from _read_feed(url, got[0])
    else:
        yield url, got


def read_path(
    path: str, load: Callable[[], bytes] | None = None
) -> Iterator[tuple[str, RawDoc | Rejected]]:
    """Articles of one file; ``load`` fetches its bytes (default: the local file ``path``;
    a cluster worker passes a reader for wherever the file lives)."""
    try:
        data = load() if load is not None else Path(path).read_bytes()
    except FileNotFoundError:
        yield path, Rejected(None, path, "ingest", "no such file", "check the path")
        return
    except OSError as exc:
        yield path, Rejected(None, path, "ingest", "unreadable", str(exc))
        return
    yield from read_bytes(path, data)


def read_bytes(path: str, data: bytes) -> Iterator[tuple[str, RawDoc | Rejected]]:
    """Articles of a file's bytes, by its name: .gz unpacked, then JSONL, feed, HTML or text."""
    try:
        if path.lower().endswith(".gz"):
            data = gzip.decompress(data)
            inner = path[:-3]
        else:
            inner = path
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield path, Rejected(None, path, "ingest", "unreadable", str(exc))
        return
    lower = inner.lower()
    if lower.endswith(".jsonl"):
        yield from read_jsonl_slice(path, data)
        return
    if lower.endswith(_FEED_SUFFIXES):
        yield from _read_feed(path, data)
        return
    text = decode(data, path)
    if isinstance(text, Rejected):
        yield path, text
        return
    if lower.endswith(_HTML_SUFFIXES) or text.lstrip()[:15].lower().startswith(
        ("<!doctype html", "<html")
    ):
        yield path, RawDoc(None, path, text, is_html=True)
    elif lower.endswith(_TEXT_SUFFIXES) or "." not in Path(lower).name:
        yield path, RawDoc(None, path, text)
    else:
        yield (
            path,
            Rejected(
                None,
                path,
                "ingest",
                "unknown file type",
                "give .txt, .html, .jsonl, .rss/.atom/.xml feeds or .gz of these",
            ),
        )


def read_jsonl_slice(
    path: str, data: bytes, first_line: int = 1
) -> Iterator[tuple[str, RawDoc | Rejected]]:
    """Records of a JSONL file (or of the lines from ``first_line`` on), keyed ``path:id``."""
    for rid, raw in read_jsonl_bytes(data, path, first_line):
        key = f"{path}:{rid}"
        if isinstance(raw, RawDoc):
            raw = RawDoc(raw.id, key, raw.text, raw.is_html, raw.title, raw.published)
        yield key, raw


def _read_feed(path: str, data: bytes) -> Iterator[tuple[str, RawDoc | Rejected]]:
    """Items of an RSS or Atom feed file, each with its text (or HTML) and date."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        yield path, Rejected(None, path, "ingest", "malformed feed", str(exc))
        return
    items = [e for e in root.iter() if _local(e.tag) in ("item", "entry")]
    if not items:
        yield path, Rejected(None, path, "ingest", "malformed feed", "no <item> or <entry>")
        return
    for n, item in enumerate(items, start=1):
        fields = {_local(c.tag): c for c in item}
        body = next(
            (
                fields[k]
                for k in ("encoded", "content", "description", "summary")
                if k in fields and (fields[k].text or "").strip()
            ),
            None,
        )
        key = f"{path}#{n}"
        if body is None:
            yield key, Rejected(None, key, "ingest", "empty input", "feed item has no text")
            continue
        title = (fields["title"].text or "").strip() if "title" in fields else None
        published = _feed_date(fields)
        text = body.text or ""
        yield (
            key,
            RawDoc(None, key, text, is_html="<" in text, title=title or None, published=published),
        )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _feed_date(fields: dict[str, ET.Element]) -> date | None:
    for key in ("pubDate", "published", "updated", "date"):
        if key in fields and fields[key].text:
            value = fields[key].text.strip()
            try:
                return date.fromisoformat(value[:10])
            except ValueError:
                try:
                    return parsedate_to_datetime(value).date()
                except (TypeError, ValueError):
                    continue
    return None


# Near-duplicates ------------------------------------------------------------------------------
def minhash(text: str) -> bytes:
    """A MinHash signature of an article's word shingles, as bytes."""
    words = [w.casefold() for w in _words(text)]
    mh = MinHash(num_perm=_PERMUTATIONS, seed=1, scheme=_SCHEME)
    mh.update_batch(
        [
            " ".join(words[i : i + _SHINGLE]).encode("utf-8")
            for i in range(max(1, len(words) - _SHINGLE + 1))
        ]
    )
    import numpy as np

    return bytes(np.asarray(mh.hashvalues, dtype=np.uint64).tobytes())


def _lean(signature: bytes) -> LeanMinHash:
    import numpy as np

    return LeanMinHash(seed=1, hashvalues=np.frombuffer(signature, dtype=np.uint64), scheme=_SCHEME)


class NearDuplicates:
    """MinHash LSH over the first copies stored so far."""

    def __init__(self, store: Store) -> None:
        self.lsh = MinHashLSH(threshold=_NEAR, num_perm=_PERMUTATIONS)
        for article_id, signature in store.minhashes():
            self.lsh.insert(article_id, _lean(signature))

    def check(self, article_id: str, signature: bytes) -> str | None:
        """The first copy this article repeats, or None (then it becomes a first copy)."""
        mh = _lean(signature)
        hits = sorted(h for h in self.lsh.query(mh) if h != article_id)
        if hits:
            return hits[0]
        if article_id not in self.lsh:
            self.lsh.insert(article_id, mh)
        return None


# Workers ----------------------------------------------------------------------------------
# Per process: the pipeline loaded (and the settings it was loaded with). Workers are forked
# after the parent loaded it, and share it.
_WORKER: dict[str, Any] = {}


def preload(settings: Settings) -> None:
    """Load the pipeline in this process, once per settings."""
    if _WORKER.get("loaded_with") != settings:
        from .pipeline import Pipeline

        _WORKER["pipeline"] = Pipeline(settings)
        _WORKER["loaded_with"] = settings


def code_raws(
    raws: list[RawDoc], settings: Settings
) -> list[tuple[ArticleResult | Rejected, bytes | None]]:
    """Code raw documents with this process's pipeline: (result, MinHash or None) each."""
    preload(settings)  # loads only on the first use in this process
    pipe = _WORKER["pipeline"]
    out = []
    for result in pipe.run_many(raws):
        signature = None if isinstance(result, Rejected) else minhash(result.article.text)
        out.append((result, signature))
    return out


def _code_batch(raws: list[RawDoc]) -> list[tuple[ArticleResult | Rejected, bytes | None]]:
    return code_raws(raws, _WORKER["settings"])


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def ingest(
    paths: Iterable[str],
    store: Store,
    settings: Settings,
    workers: int = 1,
    batch_size: int = 64,
    progress: Callable[[Summary], None] | None = None,
) -> Summary:
    """Read, code and store every article under the paths; return what happened."""
    summary = Summary()
    start = time.perf_counter()
    near = NearDuplicates(store)
    pool = None
    _WORKER["settings"] = settings
    if workers > 1:
        # Load once here and fork: the workers share the loaded model instead of each
        # loading its own (as spaCy's own n_process does).
        preload(settings)
        pool = get_context("fork").Pool(workers)
    try:
        window: list[tuple[str, RawDoc | Rejected]] = []
        own = (store.path, store.path + ".wal")
        for item in read_inputs(paths, skip=own):
            window.append(item)
            if len(window) >= _WINDOW:
                _process(window, store, near, pool, batch_size, summary)
                window = []
                if progress:
                    summary.seconds = time.perf_counter() - start
                    progress(summary)
        if window:
            _process(window, store, near, pool, batch_size, summary)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    summary.seconds = time.perf_counter() - start
    if progress:
        progress(summary)
    return summary


def _process(
    window: list[tuple[str, RawDoc | Rejected]],
    store: Store,
    near: NearDuplicates,
    pool: Any,
    batch_size: int,
    summary: Summary,
) -> None:
    seen = store.seen(key for key, _ in window)
    fresh = [(k, r) for k, r in window if k not in seen]
    summary.read += len(window)
    summary.skipped += len(window) - len(fresh)
    raws = [r for _, r in fresh if isinstance(r, RawDoc)]
    chunks = _chunks(raws, 8)
    coded_chunks = pool.map(_code_batch, chunks) if pool is not None else map(_code_batch, chunks)
    coded = iter([c for chunk in coded_chunks for c in chunk])
    items: list[tuple[str, ArticleResult | Rejected, bytes | None]] = []
    for key, raw in fresh:
        if isinstance(raw, Rejected):
            items.append((key, raw, None))
        else:
            items.append((key, *next(coded)))
    store_results(items, store, near, batch_size, summary)


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
    for batch in _chunks(pending, batch_size):
        for stored, (_, result, _, _) in zip(store.write_batch(batch), batch, strict=True):
            _count(summary, stored.status, stored.events, result)


def _count(summary: Summary, status: str, events: int, result: ArticleResult | Rejected) -> None:
    if status == "stored":
        summary.stored += 1
        summary.events += events
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
        # Only local JSONL is read ahead; a URL (fetched or fsspec) counts as one.
        if path.lower().endswith(".jsonl") and "://" not in path:
            try:
                with open(path, "rb") as fh:
                    total += sum(1 for line in fh if line.strip())
                continue
            except OSError:  # missing or unreadable: one input, which will be a reject
                pass
        total += 1
    return total


def progress_printer(quiet: bool, paths: Iterable[str] = ()) -> Callable[[Summary], None] | None:
    """A one-line progress display on stderr, or None when quiet or not a terminal."""
    if quiet or not sys.stderr.isatty():
        return None
    total = count_inputs(paths)

    def show(s: Summary) -> None:
        rate = s.read / s.seconds if s.seconds else 0.0
        left = max(total - s.read, 0)
        eta = f"  ETA {left / rate / 60:.1f} min" if rate and total else ""
        sys.stderr.write(
            f"\r{s.read}/{total} articles  {rate:.1f}/s  {s.events} events  "
            f"{s.rejects} rejects{eta}   "
        )
        sys.stderr.flush()

    return show


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
    """What became of one document handed to ``ingest_document``."""

    status: str  # stored, duplicate, near-duplicate, rejected or already-read
    article_id: str | None
    events: int = 0
    reason: str | None = None
    detail: str | None = None


def ingest_document(
    key: str, raw: RawDoc, store: Store, settings: Settings, near: NearDuplicates
) -> Outcome:
    """Code and store one document exactly as ``ingest`` does (the HTTP API's write path):
    the same pipeline, duplicate checks, near-duplicate index and one transaction.

    ``key`` names the input: a key already read is not coded again.
    """
    summary = Summary()
    _WORKER["settings"] = settings
    _process([(key, raw)], store, near, None, 1, summary)
    row = store.input_outcome(key) or {"status": "rejected", "article_id": None}
    if summary.skipped:
        return Outcome("already-read", row["article_id"])
    if row["status"] == "rejected":
        first = (row.get("rejects") or [{}])[0]
        return Outcome("rejected", None, reason=first.get("reason"), detail=first.get("detail"))
    return Outcome(row["status"], row["article_id"], summary.events)
