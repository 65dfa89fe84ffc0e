"""``watch`` against a feed served on the loopback: three polls of a feed that changes, a
feed that cannot be reached, and a restart that reports nothing twice. The stories are the
team's, about the war in Libya."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from allegiance.corpus.fetch import Fetcher
from allegiance.corpus.watch import WatchError, interval, read_feed_list, watch
from allegiance.settings import Settings

ITEMS = [
    (
        "libya-2019",
        "Sat, 06 Apr 2019 10:00:00 GMT",
        "Haftar's forces attacked the Government of National Accord in Tripoli on Friday. "
        "Forces of the Government of National Accord shelled Haftar's forces near Gharyan. "
        "The United Arab Emirates sent drones to Haftar's forces. Turkey sent armoured "
        "vehicles to the Government of National Accord.",
    ),
    (
        "libya-2020",
        "Mon, 20 Jan 2020 10:00:00 GMT",
        "Haftar's forces attacked the Government of National Accord near Tripoli on Sunday. "
        "Forces of the Government of National Accord shelled Haftar's forces near Sirte. "
        "Russia sent fighters to support Haftar's forces. Turkey sent troops to support the "
        "Government of National Accord.",
    ),
]


def _feed(n: int) -> bytes:
    items = "".join(
        f"<item><guid>{guid}</guid><title>Libya</title><pubDate>{day}</pubDate>"
        f"<description>{text}</description></item>"
        for guid, day, text in reversed(ITEMS[:n])  # the newest first, as feeds do
    )
    return f"<rss version='2.0'><channel><title>Wire</title>{items}</channel></rss>".encode()


@pytest.fixture
def feed_server() -> Iterator[tuple[str, dict[str, bytes]]]:
    content = {"feed": _feed(1)}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path != "/feed.xml":
                self.send_error(404)
                return
            body = content["feed"]
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_port}/feed.xml", content
    finally:
        srv.shutdown()
        srv.server_close()


def _dead_url() -> str:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/feed.xml"


def test_intervals_and_feeds_files(tmp_path):
    assert [interval(x) for x in ("90s", "15m", "1h", "2d", "30")] == [90, 900, 3600, 172800, 30]
    with pytest.raises(WatchError, match="15m"):
        interval("soon")
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("# wires\nhttp://a.example/rss\n\nhttp://a.example/rss\n")
    assert read_feed_list(feeds) == ["http://a.example/rss"]
    feeds.write_text("http://a.example/rss\nftp://b.example/feed\n")
    with pytest.raises(WatchError, match=r"feeds.txt:2: 'ftp://b.example/feed'"):
        read_feed_list(feeds)


@pytest.mark.slow
def test_three_polls_of_a_changing_feed_and_a_restart(tmp_path, feed_server):
    url, content = feed_server
    dead = _dead_url()
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{url}\n{dead}\n")
    db = str(tmp_path / "watch.duckdb")
    lines: list[dict] = []

    def between(seconds: float) -> None:
        content["feed"] = _feed(2)  # the wire publishes its 2020 story

    def fetcher() -> Fetcher:
        return Fetcher(timeout=5, retries=0, min_interval=0)

    n = watch(
        feeds, db, Settings(), 0, 3, emit=lines.append, sleep=between, fetcher_factory=fetcher
    )
    assert n == 3
    polls = [x for x in lines if "poll" in x]
    assert [p["stored"] for p in polls] == [1, 1, 0]
    assert all(len(p["failures"]) == 1 and dead in p["failures"][0] for p in polls)
    shifts = [x["shift"] for x in lines if "shift" in x]
    assert [p["shifts"] for p in polls] == [0, len(shifts), 0] and shifts
    russia = [s for s in shifts if s["actor"]["id"] == "RUS"]
    assert russia and russia[0]["change"] == "joined" and russia[0]["after"] == "2020"
    assert russia[0]["evidence_after"], russia

    # A restart reads nothing twice and reports no shift twice.
    again: list[dict] = []
    watch(feeds, db, Settings(), 0, 1, emit=again.append, fetcher_factory=fetcher)
    assert again[0]["stored"] == 0 and again[0]["shifts"] == 0
    assert json.dumps(again)  # every line is JSON
