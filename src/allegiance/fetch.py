"""Fetch: the only network code. http(s) pages and feeds for ``allegiance ingest URL``.

A polite client: a clear user agent, robots.txt obeyed (per host, read once), at most one
request per host every ``min_interval`` seconds, a timeout on every request, and retries
with exponential backoff on timeouts and server errors. A page that cannot be had becomes a
Rejected with the reason (disallowed by robots.txt, HTTP status, unreachable), never an
exception.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from . import __version__
from .records import RawDoc, Rejected

USER_AGENT = f"allegiance/{__version__} (news event coder; respects robots.txt)"


@dataclass
class Fetcher:
    """Fetches URLs politely; holds each host's robots.txt and the time of its last request."""

    timeout: float = 20.0
    retries: int = 3
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    min_interval: float = 1.0  # seconds between two requests to one host
    user_agent: str = USER_AGENT
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)

    def fetch(self, url: str) -> tuple[bytes, str] | Rejected:
        """(body, content type) of a URL, or why it cannot be had."""
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
            try:
                req = urllib.request.Request(url, headers={"User-Agent": self.user_agent})
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    return resp.read(), resp.headers.get("Content-Type", "")
            except urllib.error.HTTPError as exc:
                if exc.code < 500 or attempt == self.retries:
                    return Rejected(None, url, "fetch", f"HTTP {exc.code}", str(exc.reason))
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                if attempt == self.retries:
                    return Rejected(None, url, "fetch", "unreachable", str(exc))
            time.sleep(delay)
            delay *= 2
        return Rejected(None, url, "fetch", "unreachable", "no answer")  # pragma: no cover

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
            try:
                self._wait(host)
                req = urllib.request.Request(parser.url, headers={"User-Agent": self.user_agent})
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    parser.parse(resp.read().decode("utf-8", errors="replace").splitlines())
            except urllib.error.HTTPError as exc:
                # No robots.txt (4xx) allows everything; a server error allows nothing.
                parser.parse([] if exc.code < 500 else ["User-agent: *", "Disallow: /"])
            except (urllib.error.URLError, TimeoutError, OSError):
                parser.parse([])
            self._robots[host] = parser
        parser = self._robots[host]
        return parser is None or parser.can_fetch(self.user_agent, url)


def fetch_document(fetcher: Fetcher, url: str) -> tuple[bytes, str] | RawDoc | Rejected:
    """A fetched page as a RawDoc (HTML) or raw bytes and type for a feed."""
    got = fetcher.fetch(url)
    if isinstance(got, Rejected):
        return got
    body, ctype = got
    if "xml" in ctype or "rss" in ctype or "atom" in ctype:
        return body, ctype
    text = body.decode("utf-8", errors="replace")
    return RawDoc(None, url, text, is_html=True)
