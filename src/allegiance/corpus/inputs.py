"""Ingest stage: inputs of every kind become RawDocs, or Rejected with the reason, never a crash.

An input is a local file (plain text, HTML, JSON Lines, an RSS or Atom feed, or ``.gz`` of
any of these), standard input, or the bytes of a fetched page. Each read is bounded while it
happens: a file, page or feed over ``Settings.max_input_bytes`` (counted after decompression,
so a small gzip of a huge text is stopped at the limit) and a JSON line over
``Settings.max_record_bytes`` are rejected without being held in memory. Only regular files
are opened: a FIFO, a device or a socket would block or never end, and is rejected by kind.

Bytes are checked once here: a binary file or text that is not UTF-8 is rejected with the
fix, and characters that split words without showing (zero-width spaces, bidirectional
controls) are removed, so later stages only ever see plain text.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import stat
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any

from ..nlp.clean import plain
from ..records import Notice, RawDoc, Rejected
from ..settings import Settings

# Share of control characters above which bytes are not text.
_MAX_CONTROL_SHARE = 0.05
_TEXT_SUFFIXES = (".txt", ".text", ".md")
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_FEED_SUFFIXES = (".rss", ".atom", ".xml")
# Fields of a JSON Lines record that may hold its publication date, in order of preference.
DATE_FIELDS = ("published", "date", "pubdate", "published_at", "datetime")
# A publication date must name its year in full: "Dec 17, 20" is a truncated value, not 2020.
_FULL_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")
_EARLIEST_YEAR = 1900

Item = tuple[str, RawDoc | Rejected]


def _reject(source: str, reason: str, detail: str, doc_id: str | None = None) -> Rejected:
    return Rejected(doc_id, source, "ingest", reason, detail)


# Text ---------------------------------------------------------------------------------------
def decode(data: bytes, source: str) -> str | Rejected:
    """Decode bytes as UTF-8 text, or say why they are not a readable article."""
    if not data.strip():
        return _reject(source, "empty input", "the file has no text")
    sample = data[:65_536]
    if b"\x00" in sample:
        return _reject(
            source, "binary file", "this looks like a binary file, not a text or HTML article"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _reject(
            source,
            "not UTF-8",
            f"byte {exc.start} is not UTF-8; convert the file with `iconv -t UTF-8` first",
        )
    control = sum(1 for c in text[:65_536] if ord(c) < 32 and c not in "\n\r\t\f")
    if control > _MAX_CONTROL_SHARE * min(len(text), 65_536):
        return _reject(source, "binary file", "too many control characters for a text article")
    return text


# Publication dates ------------------------------------------------------------------------------
def published_date(value: Any) -> date | None:
    """A publication date as inputs give it: a date, ISO 8601 (``2016-12-17``,
    ``2016-12-17T09:43:00Z``), RFC 2822 (``Sat, 17 Dec 2016 09:43:00 +0100``), the forms of
    news sites (``Dec 17, 2016``, ``17 December 2016 09:43``, ``12/17/2016``) or Unix time in
    seconds or milliseconds. The date is the one written, whatever its time zone.

    Raises:
        ValueError: the value is not a date with day, month and full year, or is out of range.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    found = _as_date(value)
    if not _EARLIEST_YEAR <= found.year <= date.today().year + 1:
        raise ValueError(f"{found.isoformat()} is out of range")
    return found


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError("not a date")
    if isinstance(value, int | float):
        seconds = value / 1000 if abs(value) >= 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC).date()
        except (OverflowError, OSError, ValueError):
            raise ValueError("not a Unix time") from None
    text = " ".join(value.split())[:100]
    for parse in (_iso, _rfc2822, _written):
        found = parse(text)
        if found is not None:
            return found
    raise ValueError("no day, month and full year in it")


def _iso(text: str) -> date | None:
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _rfc2822(text: str) -> date | None:
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def _written(text: str) -> date | None:
    if not _FULL_YEAR.search(text):
        return None
    import dateparser  # only dates in site formats pay for it

    found = dateparser.parse(
        text,
        languages=["en"],
        settings={
            "REQUIRE_PARTS": ["day", "month", "year"],
            "RETURN_AS_TIMEZONE_AWARE": False,
            "DATE_ORDER": "MDY",
            "PREFER_DATES_FROM": "past",
        },
    )
    return found.date() if found else None


def date_notice(value: Any, field: str) -> Notice:
    """The warning for a date that could not be read: the article is coded without one."""
    shown = str(value)[:60]
    return Notice(
        "ingest",
        "unreadable date",
        f"{field} {shown!r} is not a date with day, month and year; coded without a "
        "publication date",
    )


# Opening files --------------------------------------------------------------------------------
def open_local(path: str) -> IO[bytes] | Rejected:
    """A regular file opened for reading, or why it cannot be: no such file, a directory, a
    FIFO or device (which would block or never end), a symlink loop, no permission."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return _reject(path, "no such file", "check the path")
    except OSError as exc:
        return _reject(path, "unreadable", exc.strerror or str(exc))
    if stat.S_ISDIR(st.st_mode):
        return _reject(path, "is a directory", "give a file; `allegiance ingest` reads folders")
    if not stat.S_ISREG(st.st_mode):
        return _reject(path, "not a regular file", f"{_kind(st.st_mode)}; give a file")
    try:
        return open(path, "rb")  # the caller reads and closes it
    except OSError as exc:
        return _reject(path, "unreadable", exc.strerror or str(exc))


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


class _TooLarge(Exception):
    pass


def read_capped(fh: IO[bytes], cap: int) -> bytes:
    """At most ``cap`` bytes of a stream.

    Raises:
        _TooLarge: the stream holds more; no more than ``cap + 1`` bytes were read.
    """
    data = fh.read(cap + 1)
    if len(data) > cap:
        raise _TooLarge
    return data


def _too_large(source: str, cap: int, what: str) -> Rejected:
    return _reject(
        source,
        "too large",
        f"{what} is over {cap:,} bytes (Settings.max_input_bytes / max_record_bytes)",
    )


# Reading inputs by kind -----------------------------------------------------------------------
def read_path(
    path: str, settings: Settings, opener: Callable[[], IO[bytes] | Rejected] | None = None
) -> Iterator[Item]:
    """(input key, RawDoc or Rejected) for each article of one file: a text or HTML file is
    one, a JSON Lines file or feed one per record or item. ``opener`` opens the bytes when
    they are somewhere else than ``path`` says (a cluster worker reading object storage)."""
    if opener is None:
        fh = open_local(path)
        if isinstance(fh, Rejected):
            yield path, fh
            return
        whole = not path.lower().endswith((".gz", ".jsonl"))  # read whole, not streamed
        if whole and os.fstat(fh.fileno()).st_size > settings.max_input_bytes:
            fh.close()  # refused by its size, before a byte is read
            yield path, _too_large(path, settings.max_input_bytes, "the file")
            return
    else:
        try:
            opened = opener()
        except FileNotFoundError:
            yield path, _reject(path, "no such file", "check the path")
            return
        except OSError as exc:
            yield path, _reject(path, "unreadable", str(exc))
            return
        if isinstance(opened, Rejected):
            yield path, _reject(path, opened.reason, opened.detail)
            return
        fh = opened
    with fh:
        yield from read_stream(path, fh, settings)


def _is_gz(path: str) -> bool:
    return path.lower().endswith(".gz")


def read_stream(path: str, fh: IO[bytes], settings: Settings) -> Iterator[Item]:
    """The articles of an open binary stream named ``path``: ``.gz`` unpacked as it is read,
    then JSON Lines, a feed, HTML or text by the name (HTML also by its first bytes)."""
    name = path.lower()
    stream: IO[bytes] = fh
    if name.endswith(".gz"):
        stream = gzip.GzipFile(fileobj=fh, mode="rb")
        name = name[:-3]
    try:
        if name.endswith(".jsonl"):
            yield from read_jsonl_stream(path, stream, settings)
            return
        try:
            data = read_capped(stream, settings.max_input_bytes)
        except _TooLarge:
            yield path, _too_large(path, settings.max_input_bytes, "the content")
            return
    except (OSError, EOFError, zlib.error) as exc:
        yield path, _damaged(path, exc)
        return
    if name.endswith(_FEED_SUFFIXES):
        yield from read_feed(path, data)
    else:
        yield path, _document(path, name, data)


def _damaged(path: str, exc: BaseException) -> Rejected:
    if _is_gz(path):
        return _reject(path, "corrupt gzip", f"{exc}; check the file with `gzip -t`")
    return _reject(path, "unreadable", str(exc))


def _document(path: str, name: str, data: bytes) -> RawDoc | Rejected:
    text = decode(data, path)
    if isinstance(text, Rejected):
        return text
    if name.endswith(_HTML_SUFFIXES) or _looks_html(text):
        return RawDoc(None, path, plain(text), is_html=True)
    if name.endswith(_TEXT_SUFFIXES) or "." not in Path(name).name or name == "-":
        return RawDoc(None, path, plain(text))
    return _reject(
        path, "unknown file type", "give .txt, .html, .jsonl, .rss/.atom/.xml feeds or .gz of these"
    )


def _looks_html(text: str) -> bool:
    return text.lstrip()[:15].lower().startswith(("<!doctype html", "<html"))


def read_file(
    path: str,
    settings: Settings,
    published: date | None = None,
    title: str | None = None,
    stdin: IO[bytes] | None = None,
) -> RawDoc | Rejected:
    """One text or HTML article (``-``: standard input), with the date and title the user
    gave; a JSON Lines file or feed is read with ``read_path``."""
    if path == "-":
        items = list(read_stream("-", stdin or io.BytesIO(), settings))
    else:
        items = list(read_path(path, settings))
    got = items[0][1] if items else _reject(path, "empty input", "no article in it")
    if isinstance(got, Rejected):
        return got
    return RawDoc(
        got.id,
        got.source,
        got.text,
        got.is_html,
        title or got.title,
        published or got.published,
        got.url,
        got.notices,
    )


# JSON Lines -------------------------------------------------------------------------------------
def read_jsonl_stream(
    path: str, fh: IO[bytes], settings: Settings, first_line: int = 1
) -> Iterator[Item]:
    """(``path:line``, RawDoc or Rejected) for each record of a JSON Lines stream, in order.

    A record's key is its line, not its id: records that repeat an id, or have none, are all
    kept. ``first_line`` numbers the first line of the stream (a slice of a file read on a
    cluster worker), so keys are the same wherever a record is read.
    """
    for n, line in iter_lines(fh, settings.max_record_bytes, first_line):
        key = f"{path}:{n}"
        if line is None:
            yield key, _too_large(key, settings.max_record_bytes, "the record")
        elif line.strip():
            yield key, record(line, key)


def read_jsonl_bytes(
    path: str, data: bytes, settings: Settings, first_line: int = 1
) -> Iterator[Item]:
    """The records of JSON Lines already in memory (a slice a cluster worker was given)."""
    yield from read_jsonl_stream(path, io.BytesIO(data), settings, first_line)


def iter_lines(fh: IO[bytes], cap: int, first: int = 1) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) of a stream split at newlines; None for a line over ``cap``
    bytes, which is skipped without being held in memory."""
    n = first - 1
    while line := fh.readline(cap + 1):
        n += 1
        if len(line) > cap and not line.endswith(b"\n"):
            while (more := fh.readline(1 << 20)) and not more.endswith(b"\n"):
                pass
            yield n, None
        else:
            yield n, line


def record(line: bytes, key: str) -> RawDoc | Rejected:
    """One JSON Lines record as a RawDoc: ``text`` or ``html``, ``id``, ``title``, ``url``,
    and the date under any of ``DATE_FIELDS``. A date that cannot be read is a notice, not
    a rejection: the article is coded without one."""
    try:
        rec = json.loads(line)
    except RecursionError:
        return _reject(key, "malformed JSON", "nested too deeply to be an article record")
    except (ValueError, UnicodeDecodeError) as exc:
        return _reject(key, "malformed JSON", str(exc)[:200])
    if not isinstance(rec, dict):
        return _reject(key, "malformed record", "each line must be a JSON object")
    rid = _string(rec.get("id")) or None
    text, html = rec.get("text"), rec.get("html")
    body = text if isinstance(text, str) and text.strip() else html
    if not isinstance(body, str) or not body.strip():
        return _reject(key, "empty input", "the record has no 'text' (or 'html') string", rid)
    field, value = next(
        ((f, rec[f]) for f in DATE_FIELDS if rec.get(f) not in (None, "")), ("published", None)
    )
    notices: tuple[Notice, ...] = ()
    try:
        published = published_date(value)
    except ValueError:
        published, notices = None, (date_notice(value, field),)
    return RawDoc(
        id=rid,
        source=key,
        text=plain(body),
        is_html=body is html,
        title=plain(rec["title"]) if isinstance(rec.get("title"), str) else None,
        published=published,
        url=_url(rec.get("url")),
        notices=notices,
    )


def _string(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return plain(str(value))[:200]


def _url(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return plain(value.strip())[:2000]
    return None


# Feeds ------------------------------------------------------------------------------------------
def read_feed(path: str, data: bytes, url: str | None = None) -> Iterator[Item]:
    """Items of an RSS or Atom feed, each with its text (or HTML), title, date and link."""
    try:
        root = ET.fromstring(data)
    except (ET.ParseError, ValueError, RecursionError) as exc:
        yield path, _reject(path, "malformed feed", str(exc)[:200])
        return
    items = [e for e in root.iter() if _local(e.tag) in ("item", "entry")]
    if not items:
        yield path, _reject(path, "malformed feed", "no <item> or <entry>")
        return
    for n, item in enumerate(items, start=1):
        # An item is known by its guid (RSS) or id (Atom), else its link, else its place: a
        # feed read again (``watch``) gives its new items new keys, and its old ones the same.
        key = f"{path}#{_identity(item) or n}"
        yield key, _feed_item(key, item)


def _feed_item(key: str, item: ET.Element) -> RawDoc | Rejected:
    fields = {_local(c.tag): c for c in item if isinstance(c.tag, str)}
    body = next(
        (
            fields[k]
            for k in ("encoded", "content", "description", "summary")
            if k in fields and (fields[k].text or "").strip()
        ),
        None,
    )
    if body is None:
        return _reject(key, "empty input", "feed item has no text")
    title = (fields["title"].text or "").strip() if "title" in fields else None
    published, notices = None, ()
    for name in ("pubDate", "published", "updated", "date"):
        value = (fields[name].text or "").strip() if name in fields else ""
        if value:
            try:
                published = published_date(value)
            except ValueError:
                notices = (date_notice(value, name),)
            break
    text = body.text or ""
    return RawDoc(
        None,
        key,
        plain(text),
        is_html="<" in text,
        title=plain(title) if title else None,
        published=published,
        url=_link(item),
        notices=notices,
    )


def _identity(item: ET.Element) -> str | None:
    for el in item:
        if isinstance(el.tag, str) and _local(el.tag) in ("guid", "id") and (el.text or "").strip():
            return " ".join((el.text or "").split())[:500]
    return _link(item)


def _link(item: ET.Element) -> str | None:
    """An RSS ``<link>URL</link>``, or the Atom ``<link href="URL"/>`` of the item's page
    (no ``rel``, or ``rel="alternate"``; not its ``self`` or ``enclosure`` links)."""
    for el in item:
        is_link = isinstance(el.tag, str) and _local(el.tag) == "link"
        if is_link and el.get("rel") in (None, "alternate"):
            return _url(el.get("href") or el.text)
    return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]
