"""Fetch: the only network code. http(s) pages and feeds for ``allegiance ingest URL``.

A polite client: a clear user agent, robots.txt obeyed (per host, read once), at most one
request per host every ``min_interval`` seconds, and retries with exponential backoff on
timeouts and server errors. A page that cannot be had becomes a Rejected with the reason
(disallowed by robots.txt, HTTP status, unreachable, too slow, too large), never an exception.

Bounded: ``timeout`` bounds each whole request, connecting, headers and body together, not
each read (a server that sends a byte a second is cut when the time is up: a watchdog shuts
the connection's socket, which wakes a blocked read); a body is read up to ``max_bytes`` and
refused past it without being held whole.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
import urllib.robotparser
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .. import __version__
from ..records import RawDoc, Rejected

USER_AGENT = f"allegiance/{__version__} (news event coder; respects robots.txt)"
# Bytes read at a time; the deadline is checked between reads.
_CHUNK = 65_536
# Largest robots.txt read.
_ROBOTS_BYTES = 500_000


class _Expired(Exception):
    """The request's whole time is up."""


class _TooLarge(Exception):
    """The body is over the limit."""


class _Watch:
    """The sockets of one request, shut when its deadline passes: shutting a socket wakes a
    read blocked on it in another thread, which then fails at once."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.sockets: list[socket.socket] = []
        self.expired = False
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            self.sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self.sockets:
                _shut(sock)

    def check(self) -> None:
        if self.expired or time.monotonic() >= self.deadline:
            raise _Expired

    def stop(self) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    # The plain socket's shutdown, also for a TLS socket: ssl's own would drop its state
    # under the reading thread; this one only makes that read see the end of the stream.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _watched(base: type[http.client.HTTPConnection], watch: _Watch) -> Any:
    """An HTTP(S) connection class whose sockets the watch can shut."""

    class Watched(base):  # type: ignore[valid-type,misc]
        def connect(self) -> None:
            super().connect()
            watch.add(self.sock)

    return Watched


class _HTTP(urllib.request.HTTPHandler):
    def __init__(self, watch: _Watch) -> None:
        super().__init__()
        self.watch = watch

    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_watched(http.client.HTTPConnection, self.watch), req)


class _HTTPS(urllib.request.HTTPSHandler):
    def __init__(self, watch: _Watch) -> None:
        super().__init__()
        self.watch = watch

    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_watched(http.client.HTTPSConnection, self.watch), req)


@dataclass
class Fetcher:
    """Fetches URLs politely; holds each host's robots.txt and the time of its last request."""

    timeout: float = 20.0  # seconds for one whole request
    retries: int = 3
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    min_interval: float = 1.0  # seconds between two requests to one host
    max_bytes: int = 50_000_000
    user_agent: str = USER_AGENT
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)

    def fetch(self, url: str, max_bytes: int | None = None) -> tuple[bytes, str, str] | Rejected:
        """(body, content type, final URL after redirects) of a URL, or why it cannot be
        had."""
        limit = self.max_bytes if max_bytes is None else max_bytes
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return Rejected(None, url, "fetch", "not an http(s) URL", "give http:// or https://")
        if not self._allowed(parts.scheme, parts.netloc, url):
            return Rejected(
                None,
                url,
                "fetch",
                "disallowed by robots.txt",
                "the site asks robots not to read this page",
            )
        delay = self.backoff
        for attempt in range(self.retries + 1):
            self._wait(parts.netloc)
            got = self._attempt(url, limit, last=attempt == self.retries)
            if got is not None:
                return got
            time.sleep(delay)
            delay *= 2
        return Rejected(None, url, "fetch", "unreachable", "no answer")  # pragma: no cover

    def _attempt(
        self, url: str, limit: int, last: bool
    ) -> tuple[bytes, str, str] | Rejected | None:
        """One try: the page, a rejection, or None to try again."""
        try:
            body, ctype, final = self._get(url, limit)
            return body, ctype, final
        except _TooLarge:
            return Rejected(None, url, "fetch", "too large", f"the body is over {limit:,} bytes")
        except urllib.error.HTTPError as exc:
            if exc.code < 500 or last:
                return Rejected(None, url, "fetch", f"HTTP {exc.code}", str(exc.reason))
        except (_Expired, TimeoutError):
            if last:
                return Rejected(
                    None, url, "fetch", "too slow", f"no whole answer within {self.timeout:g} s"
                )
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
            if last:
                return Rejected(None, url, "fetch", "unreachable", str(exc)[:200])
        return None

    def _get(self, url: str, limit: int) -> tuple[bytes, str, str]:
        """The body read in chunks up to ``limit``, all within ``timeout``."""
        watch = _Watch(self.timeout)
        try:
            opener = urllib.request.build_opener(_HTTP(watch), _HTTPS(watch))
            req = urllib.request.Request(url, headers={"User-Agent": self.user_agent})
            try:
                resp = opener.open(req, timeout=self.timeout)
            except (OSError, http.client.HTTPException):
                if watch.expired:
                    raise _Expired from None
                raise
            with resp:
                chunks, size = [], 0
                while True:
                    watch.check()
                    try:
                        chunk = resp.read1(_CHUNK)
                    except (OSError, http.client.HTTPException):
                        if watch.expired:
                            raise _Expired from None
                        raise
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > limit:
                        raise _TooLarge
                    chunks.append(chunk)
                watch.check()
                return b"".join(chunks), resp.headers.get("Content-Type", ""), resp.geturl()
        finally:
            watch.stop()

    def _wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            pause = self.min_interval - (time.monotonic() - last)
            if pause > 0:
                time.sleep(pause)
        self._last[host] = time.monotonic()

    def _allowed(self, scheme: str, host: str, url: str) -> bool:
        if host not in self._robots:
            parser = urllib.robotparser.RobotFileParser(f"{scheme}://{host}/robots.txt")
            self._wait(host)
            try:
                body = self._get(parser.url, _ROBOTS_BYTES)[0]
                parser.parse(body.decode("utf-8", errors="replace").splitlines())
            except urllib.error.HTTPError as exc:
                # No robots.txt (4xx) allows everything; a server error allows nothing.
                parser.parse([] if exc.code < 500 else ["User-agent: *", "Disallow: /"])
            except (
                _Expired,
                _TooLarge,
                urllib.error.URLError,
                http.client.HTTPException,
                OSError,
                ValueError,
            ):
                parser.parse([])
            self._robots[host] = parser
        parser = self._robots[host]
        return parser is None or parser.can_fetch(self.user_agent, url)


def fetch_document(
    fetcher: Fetcher, url: str, max_bytes: int | None = None
) -> tuple[bytes, str] | RawDoc | Rejected:
    """A fetched page as a RawDoc (HTML, its URL the one it was read from) or raw bytes and
    type for a feed."""
    from ..nlp.clean import plain

    got = fetcher.fetch(url, max_bytes)
    if isinstance(got, Rejected):
        return got
    body, ctype, final = got
    if "xml" in ctype or "rss" in ctype or "atom" in ctype:
        return body, ctype
    text = body.decode("utf-8", errors="replace")
    return RawDoc(None, url, plain(text), is_html=True, url=final or url)
