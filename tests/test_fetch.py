"""The only network code, against a server the test starts on 127.0.0.1."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from allegiance.corpus import read_inputs
from allegiance.fetch import Fetcher
from allegiance.records import RawDoc, Rejected

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
        else:
            self._send(404, b"no", "text/plain")

    def _send(self, code: int, body: bytes, ctype: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

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
    items = list(read_inputs([f"{base}/article.html", f"{base}/feed.rss", f"{base}/nope"]))
    kinds = [(key.rsplit("/", 1)[1], type(raw).__name__) for key, raw in items]
    assert kinds == [("article.html", "RawDoc"), ("feed.rss#1", "RawDoc"), ("nope", "Rejected")]
    assert isinstance(items[1][1], RawDoc) and str(items[1][1].published) == "2024-07-09"


def test_fetch_rejects_other_schemes():
    assert Fetcher().fetch("ftp://example.invalid/x").reason == "not an http(s) URL"
