"""Partitions: the inputs of a cluster run cut into contiguous runs, in the order a local
run reads them, each named by its inputs, their stamps and the settings (so a changed input
or setting never reuses a shard), and the file systems (local or fsspec URLs) they live on."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import ClusterError
from ..settings import Settings
from .run import discover

# Bumped when the shard columns change, so shards of an older layout are not reused.
_SHARD_FORMAT = 2


@dataclass(frozen=True, slots=True)
class Partition:
    """A contiguous run of the inputs, coded by one task into one shard."""

    index: int
    inputs: tuple[str, ...]  # as the user named them: the input keys are built from these
    where: tuple[str, ...]  # where a worker reads each: an absolute path or a URL
    shard: str  # the shard's file name, fixed by the inputs, their stamps and the settings
    first_line: int = 0  # a slice of one JSONL file: its first line number (0: whole files)
    start: int = 0  # and its bytes [start, end)
    end: int = 0

    @property
    def label(self) -> str:
        """How rejects name the partition when its whole task failed; never an input key."""
        if self.first_line:
            return f"partition {self.index}: {self.inputs[0]} bytes {self.start}-{self.end}"
        more = f" and {len(self.inputs) - 1} more" if len(self.inputs) > 1 else ""
        return f"partition {self.index}: {self.inputs[0]}{more}"


def settings_tag(settings: Settings) -> str:
    """What the settings contribute to shard names: a change of settings or of the user's
    actor file must not reuse shards coded under the old ones."""
    parts = [repr(settings), __version__, str(_SHARD_FORMAT)]
    if settings.actors_file is not None and Path(settings.actors_file).exists():
        parts.append(hashlib.sha256(Path(settings.actors_file).read_bytes()).hexdigest())
    return "|".join(parts)


def plan(
    paths: Iterable[str], size: int, tag: str, skip: Iterable[str] = ()
) -> Iterator[Partition]:
    """Partitions of the inputs in the order a local run reads them.

    ``skip`` lists local files to leave out (the store itself, when it sits among the
    inputs), as ``corpus.read_inputs`` does.
    """
    leave = {os.path.realpath(p) for p in skip}
    index = 0
    run: list[tuple[str, str, str]] = []  # (input, where, stamp) of whole files or URLs
    for given in _discover(paths):
        if not is_url(given) and os.path.realpath(given) in leave:
            continue
        where, stamp = _locate(given)
        web = is_web(given)
        if run and (web != is_web(run[0][0]) or (not web and len(run) >= size)):
            yield _whole(index, run, tag)
            index, run = index + 1, []
        if given.lower().endswith(".jsonl") and _opens(where):
            if run:
                yield _whole(index, run, tag)
                index, run = index + 1, []
            for first, start, end in _jsonl_slices(where, size):
                ident = [given, where, stamp, first, start, end]
                yield Partition(
                    index, (given,), (where,), _shard_name(index, ident, tag), first, start, end
                )
                index += 1
            continue
        run.append((given, where, stamp))
    if run:
        yield _whole(index, run, tag)


def _whole(index: int, run: list[tuple[str, str, str]], tag: str) -> Partition:
    inputs = tuple(r[0] for r in run)
    where = tuple(r[1] for r in run)
    return Partition(index, inputs, where, _shard_name(index, run, tag))


def _shard_name(index: int, ident: Any, tag: str) -> str:
    digest = hashlib.sha256(json.dumps([ident, tag]).encode("utf-8")).hexdigest()[:16]
    return f"part-{index:06d}-{digest}.parquet"


def filesystem(url: str) -> tuple[Any, str]:
    """The fsspec file system and path of a URL or local path.

    Raises:
        ClusterError: the URL's file system package is not installed, or its scheme unknown.
    """
    from fsspec.core import url_to_fs

    try:
        return url_to_fs(url)  # type: ignore[no-any-return]
    except (ImportError, ValueError) as exc:
        raise ClusterError(
            f"{url}: {exc}; install the fsspec package for it on the client and the workers "
            "(s3fs for s3://, gcsfs for gs://)"
        ) from None


def is_web(path: str) -> bool:
    return path.startswith(("http://", "https://"))


def is_url(path: str) -> bool:
    return "://" in path


def _discover(paths: Iterable[str]) -> Iterator[str]:
    """Inputs in the local path's order; folders given as fsspec URLs walked the same way."""
    for raw in paths:
        if is_url(raw) and not is_web(raw):
            yield from _walk_url(raw)
        else:
            yield from discover([raw])


def _walk_url(url: str) -> Iterator[str]:
    """Files under an fsspec URL as ``os.walk`` orders them in ``corpus.discover``: a
    folder's own files sorted, then its subfolders, sorted; hidden files left out."""
    fs, root = filesystem(url)
    if not fs.isdir(root):
        yield url
        return
    stack = [root]
    while stack:
        folder = stack.pop()
        entries = sorted(fs.ls(folder, detail=True), key=lambda e: e["name"])
        for e in entries:
            name = e["name"].rstrip("/").rsplit("/", 1)[-1]
            if e["type"] != "directory" and not name.startswith("."):
                yield fs.unstrip_protocol(e["name"])
        stack += reversed([e["name"] for e in entries if e["type"] == "directory"])


def _locate(given: str) -> tuple[str, str]:
    """Where a worker reads an input, and its stamp (size and modification time), so an
    input that changed gets a new shard name."""
    if is_web(given):
        # A page or feed may have changed since the last run (a feed has new items), so its
        # partition is fetched again each run, as a local run fetches it; the store then
        # skips the items it already holds.
        return given, f"fetched {time.time_ns()}"
    if is_url(given):
        fs, path = filesystem(given)
        try:
            info = fs.info(path)
        except OSError:
            return given, "missing"
        changed = next(
            (info[k] for k in ("mtime", "LastModified", "ETag", "updated", "created") if k in info),
            "",
        )
        return given, f"{info.get('size')}:{changed}"
    where = os.path.abspath(given)
    try:
        st = os.stat(where)
    except OSError:
        return where, "missing"
    return where, f"{st.st_size}:{st.st_mtime_ns}"


def _opens(where: str) -> bool:
    """Whether a file can be opened here; one that cannot is left whole to a worker, whose
    read says why (no such file, unreadable), as a local run does."""
    if not is_url(where):
        return os.path.isfile(where)  # a regular file: a FIFO would block the client
    fs, path = filesystem(where)
    try:
        with fs.open(path, "rb"):
            return True
    except OSError:
        return False


def _jsonl_slices(where: str, size: int) -> Iterator[tuple[int, int, int]]:
    """(first line number, start byte, end byte) of runs of ``size`` records of a JSONL file,
    cut at line ends. Lines are numbered as a local run numbers them (at newlines), so each
    record keeps its ``path:line`` key."""
    fs, path = filesystem(where)
    first, start, offset, line_no, records = 1, 0, 0, 1, 0
    with fs.open(path, "rb") as fh:
        for line in fh:
            if records >= size and line.strip():
                yield first, start, offset
                first, start, records = line_no, offset, 0
            offset += len(line)
            line_no += 1
            records += bool(line.strip())
    if records:
        yield first, start, offset
