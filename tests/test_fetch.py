"""The only network code, against a server the test starts on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from allegiance.corpus.fetch import Fetcher
from allegiance.corpus.run import read_inputs
from allegiance.records import RawDoc, Rejected
from allegiance.settings import Settings

PAGE = (
    b"<html><head><title>Talks in Doha</title></head><body><article><h1>Talks in Doha</h1>"
    b"<p>Qatar hosted negotiators from both sides on Sunday, according to officials who "
    b"attended the meeting in the capital.</p></article></body></html>"
)
FEED = (
    b"<?xml version='1.0'?><rss version='2.0'><channel><title>Wire</title><item>"
    b"<title>Aid</title><pubDate>Tue, 09 Jul 2024 10:00:00 GMT</pubDate><description>Japan "
    b"sent aid to the Philippines after the storm, the foreign ministry in Tokyo said."
    b"</description></item></channel></rss>"
)


class _Handler(BaseHTTPRequestHandler):
    hits: ClassVar[dict[str, int]] = {}

    def do_GET(self) -> None:
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        self.server.agents.append(self.headers.get("User-Agent"))
        if self.path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        elif self.path == "/article.html":
            self._send(200, PAGE, "text/html")
        elif self.path == "/feed.rss":
            self._send(200, FEED, "application/rss+xml")
        elif self.path == "/flaky.html" and self.hits[self.path] == 1:
            self._send(503, b"busy", "text/plain")
        elif self.path == "/flaky.html":
            self._send(200, PAGE, "text/html")
        elif self.path == "/redirect.html":
            self.send_response(302)
            self.send_header("Location", "/article.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/drip.html":
            self._drip(body=True)
        elif self.path == "/drip-headers.html":
            self._drip(body=False)
        elif self.path == "/endless.html":
            self._endless()
        else:
            self._send(404, b"no", "text/plain")

    def _send(self, code: int, body: bytes, ctype: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _drip(self, body: bool) -> None:
        """A byte every 0.2 s: of the body, or of the headers before any body."""
        try:
            if body:
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.flush()
                data = PAGE
            else:
                data = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n" + b"X-Slow: " * 200
            for byte in data:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:  # the client gave up: what the test wants
            pass

    def _endless(self) -> None:
        """A page that never ends (no length, a megabyte at a time)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        chunk = b"<p>" + b"x" * 1_000_000 + b"</p>"
        try:
            while True:
                self.wfile.write(chunk)
        except OSError:
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.agents = []
    _Handler.hits = {}
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv, f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_fetch_page_feed_robots_and_errors(server):
    srv, base = server
    fetcher = Fetcher(min_interval=0.0, backoff=0.01)
    page = fetcher.fetch(f"{base}/article.html")
    assert not isinstance(page, Rejected) and b"Qatar hosted" in page[0]
    blocked = fetcher.fetch(f"{base}/private/secret.html")
    assert isinstance(blocked, Rejected) and blocked.reason == "disallowed by robots.txt"
    missing = fetcher.fetch(f"{base}/gone.html")
    assert isinstance(missing, Rejected) and missing.reason == "HTTP 404"
    flaky = fetcher.fetch(f"{base}/flaky.html")
    assert not isinstance(flaky, Rejected)  # a 503, then a retry that works
    assert all(agent and agent.startswith("allegiance/") for agent in srv.agents)
    assert _Handler.hits["/robots.txt"] == 1  # read once per host


def test_fetch_waits_between_requests_to_one_host(server):
    import time

    _, base = server
    fetcher = Fetcher(min_interval=0.3)
    start = time.monotonic()
    for _ in range(3):
        fetcher.fetch(f"{base}/article.html")
    assert time.monotonic() - start >= 0.6  # robots.txt, then three pages, 0.3 s apart


def test_ingest_reads_urls_and_feeds(server):
    _, base = server
    items = list(
        read_inputs([f"{base}/article.html", f"{base}/feed.rss", f"{base}/nope"], Settings())
    )
    kinds = [(key.rsplit("/", 1)[1], type(raw).__name__) for key, raw in items]
    assert kinds == [("article.html", "RawDoc"), ("feed.rss#1", "RawDoc"), ("nope", "Rejected")]
    assert isinstance(items[1][1], RawDoc) and str(items[1][1].published) == "2024-07-09"


def test_fetch_rejects_other_schemes():
    assert Fetcher().fetch("ftp://example.invalid/x").reason == "not an http(s) URL"


@pytest.mark.parametrize("path", ["/drip.html", "/drip-headers.html"])
def test_fetch_timeout_bounds_the_whole_request(server, path):
    """A server that sends a byte at a time is cut when the request's time is up, however
    steadily it sends (a timeout per read would wait for ever)."""
    _, base = server
    fetcher = Fetcher(timeout=1.0, retries=0, min_interval=0.0)
    start = time.monotonic()
    got = fetcher.fetch(f"{base}{path}")
    assert isinstance(got, Rejected) and got.reason == "too slow", got
    assert time.monotonic() - start < 4.0  # the 1 s bound, not the 80 s the page would take


def test_fetch_stops_reading_at_the_size_cap(server):
    _, base = server
    got = Fetcher(retries=0, min_interval=0.0).fetch(f"{base}/endless.html", max_bytes=3_000_000)
    assert isinstance(got, Rejected) and got.reason == "too large"
    assert "3,000,000" in got.detail


def test_a_fetched_page_keeps_the_url_it_was_read_from(server):
    _, base = server
    items = list(read_inputs([f"{base}/redirect.html"], Settings()))
    raw = items[0][1]
    assert isinstance(raw, RawDoc) and raw.url == f"{base}/article.html"
    assert items[0][0] == f"{base}/redirect.html"  # the input key stays what was given
