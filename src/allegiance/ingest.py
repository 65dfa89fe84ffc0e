"""Ingest stage: files, stdin and JSON Lines become RawDocs (or Rejected, never a crash).

Bytes are checked once here, at the boundary: a binary file or text that is not UTF-8 is
rejected with the fix, so later stages only ever see text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from .records import RawDoc, Rejected

# Share of control characters above which bytes are not text.
_MAX_CONTROL_SHARE = 0.05
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def decode(data: bytes, source: str) -> str | Rejected:
    """Decode bytes as UTF-8 text, or say why they are not a readable article."""
    if not data.strip():
        return Rejected(None, source, "ingest", "empty input", "the file has no text")
    sample = data[:65_536]
    if b"\x00" in sample:
        return Rejected(
            None,
            source,
            "ingest",
            "binary file",
            "this looks like a binary file, not a text or HTML article",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Rejected(
            None,
            source,
            "ingest",
            "not UTF-8",
            f"byte {exc.start} is not UTF-8; convert the file with `iconv -t UTF-8` first",
        )
    control = sum(1 for c in text[:65_536] if ord(c) < 32 and c not in "\n\r\t\f")
    if control > _MAX_CONTROL_SHARE * min(len(text), 65_536):
        return Rejected(
            None, source, "ingest", "binary file", "too many control characters for a text article"
        )
    return text


def parse_published(value: Any, source: str) -> date | Rejected | None:
    """Read a publication date given as YYYY-MM-DD (or a longer ISO timestamp)."""
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return Rejected(
            None, source, "ingest", "bad published date", f"'{value}' is not YYYY-MM-DD"
        )


def read_file(
    path: str, published: date | None = None, title: str | None = None, stdin: bytes | None = None
) -> RawDoc | Rejected:
    """Read one .txt or .html file (or stdin when path is '-')."""
    if path == "-":
        data = stdin or b""
    else:
        p = Path(path)
        if not p.exists():
            return Rejected(None, path, "ingest", "no such file", "check the path")
        if p.is_dir():
            return Rejected(
                None,
                path,
                "ingest",
                "is a directory",
                "give a file; `allegiance ingest` reads whole folders",
            )
        try:
            data = p.read_bytes()
        except OSError as exc:
            return Rejected(None, path, "ingest", "unreadable", exc.strerror or str(exc))
    text = decode(data, path)
    if isinstance(text, Rejected):
        return text
    is_html = path.lower().endswith(_HTML_SUFFIXES) or text.lstrip()[:15].lower().startswith(
        ("<!doctype html", "<html")
    )
    return RawDoc(
        id=None, source=path, text=text, is_html=is_html, title=title, published=published
    )


def read_jsonl(path: str, stdin: bytes | None = None) -> Iterator[tuple[str, RawDoc | Rejected]]:
    """Yield (record id, RawDoc or Rejected) for each line of a JSON Lines file, in order."""
    if path == "-":
        data = stdin or b""
    else:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            yield "", Rejected(None, path, "ingest", "unreadable", exc.strerror or str(exc))
            return
    yield from read_jsonl_bytes(data, path)


def read_jsonl_bytes(
    data: bytes, label: str, first_line: int = 1
) -> Iterator[tuple[str, RawDoc | Rejected]]:
    """Records of JSON Lines already in memory; ``label`` names them in messages.

    ``first_line`` is the number of the first line of ``data`` in its file (a slice of a
    file read on a cluster worker), so records without an id get the same line-number id
    wherever they are read.
    """
    for n, line in enumerate(data.splitlines(), start=first_line):
        if not line.strip():
            continue
        yield _record(line, f"{label}:{n}", n)


def _record(line: bytes, source: str, n: int) -> tuple[str, RawDoc | Rejected]:
    fallback = str(n)
    try:
        rec = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return fallback, Rejected(None, source, "ingest", "malformed JSON", str(exc))
    if not isinstance(rec, dict):
        return fallback, Rejected(
            None, source, "ingest", "malformed record", "each line must be a JSON object"
        )
    rid = str(rec.get("id", fallback))
    text, html = rec.get("text"), rec.get("html")
    body = text if isinstance(text, str) and text.strip() else html
    if not isinstance(body, str) or not body.strip():
        return rid, Rejected(
            rid, source, "ingest", "empty input", "the record has no 'text' (or 'html') string"
        )
    published = parse_published(rec.get("published"), source)
    if isinstance(published, Rejected):
        return rid, published
    title = rec.get("title") if isinstance(rec.get("title"), str) else None
    return rid, RawDoc(
        id=rid, source=source, text=body, is_html=body is html, title=title, published=published
    )
