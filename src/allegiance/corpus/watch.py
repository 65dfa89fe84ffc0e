"""``allegiance watch FEEDS.txt --db STORE --every 15m``: poll feeds, code what is new, report
the shifts of alignment as they appear.

Each poll reads the list of feeds again (one http(s) URL a line, ``#`` comments), fetches
every feed or page with ``fetch.Fetcher``'s politeness rules (robots.txt, one request a
second per host, retries with backoff), codes and stores the items the store has not read
(a feed item is known by its guid, id or link), then recomputes the camps of the store per
window and reports the shifts not reported before. Everything it knows lives in the store
(the inputs read, the shifts reported), so a restart goes on where it stopped. A feed that
cannot be had is a line of the poll's report and a reject row; the other feeds go on.

Output: one JSON line a poll (``{"poll", "time", "feeds", "stored", "events", "failures"}``)
and one a new shift (``{"shift": {...}}``), on stdout.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..records import RawDoc, Rejected
from ..settings import Settings
from .coder import Coder
from .run import Summary, code_and_store, read_url
from .store import Store

_EVERY = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhd]?)$")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


class WatchError(ValueError):
    """A feeds file or an interval that cannot be used; the message names it and the fix."""


@dataclass(frozen=True, slots=True)
class Poll:
    """What one poll did."""

    number: int
    time: str
    feeds: int
    stored: int
    events: int
    failures: tuple[str, ...]
    shifts: tuple[dict[str, Any], ...]

    def report(self) -> dict[str, Any]:
        return {
            "poll": self.number,
            "time": self.time,
            "feeds": self.feeds,
            "stored": self.stored,
            "events": self.events,
            "failures": list(self.failures),
            "shifts": len(self.shifts),
        }


def interval(text: str) -> float:
    """Seconds in "15m", "1h", "90s", "2d" or a bare number of seconds.

    Raises:
        WatchError: naming the text and the forms accepted.
    """
    m = _EVERY.match(text.strip().lower())
    if not m or float(m.group(1)) <= 0:
        raise WatchError(f"interval {text!r}: give a duration such as 90s, 15m, 1h or 1d")
    return float(m.group(1)) * _UNIT[m.group(2)]


def read_feed_list(path: Path) -> list[str]:
    """The feed and page URLs of a feeds file, in order, without repeats.

    Raises:
        WatchError: the file cannot be read, or a line is not an http(s) URL.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise WatchError(f"{path}: cannot read the feeds file ({exc})") from None
    urls: list[str] = []
    for n, line in enumerate(lines, start=1):
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        if not url.startswith(("http://", "https://")) or " " in url:
            raise WatchError(f"{path}:{n}: {url[:80]!r} is not an http(s) URL; one URL a line")
        if url not in urls:
            urls.append(url)
    if not urls:
        raise WatchError(f"{path}: no feed URL in it; write one http(s) URL a line")
    return urls


def poll(
    number: int,
    urls: list[str],
    store: Store,
    coder: Coder,
    settings: Settings,
    window: str = "year",
    fetcher: Any = None,
) -> Poll:
    """Fetch every feed, code and store what is new, and find the shifts not yet reported."""
    from .fetch import Fetcher

    fetcher = fetcher or Fetcher(timeout=settings.fetch_timeout)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    items: list[tuple[str, RawDoc | Rejected]] = []
    failures = []
    for url in urls:
        for key, item in read_url(fetcher, url, settings):
            if key == url and isinstance(item, Rejected):
                # Kept as a reject under the poll's time: the feed itself is never "read", so
                # the next poll asks again.
                failures.append(f"{url}: {item.message}")
                items.append((f"{url}@{now}", item))
            else:
                items.append((key, item))
    summary = Summary()
    code_and_store(items, store, coder, summary)
    found = tuple(new_shifts(store, window, now))
    return Poll(number, now, len(urls), summary.stored, summary.events, tuple(failures), found)


def new_shifts(store: Store, window: str, now: str) -> Iterator[dict[str, Any]]:
    """The store's shifts between consecutive windows not reported before, recorded now."""
    from ..alignment import shifts, ties_from_rows

    reported = store.shift_keys()
    fresh = []
    for shift in shifts(ties_from_rows(store.ties(None, None)), spec=window):
        record = shift.to_dict()
        key = "|".join((shift.country, shift.before, shift.after, shift.actor["id"], shift.change))
        if key not in reported:
            reported.add(key)
            fresh.append((key, record))
    store.add_shifts(
        [(k, r["after"], r["country"], json.dumps(r, ensure_ascii=False), now) for k, r in fresh]
    )
    for _, record in fresh:
        yield record


def watch(
    feeds: Path,
    db: str,
    settings: Settings,
    every: float,
    polls: int | None = None,
    window: str = "year",
    emit: Callable[[dict[str, Any]], None] = print,
    sleep: Callable[[float], None] = time.sleep,
    fetcher_factory: Callable[[], Any] | None = None,
) -> int:
    """Poll until stopped (or ``polls`` times); return the number of polls made."""
    coder = Coder(settings)
    done = 0
    while polls is None or done < polls:
        if done:
            sleep(every)
        urls = read_feed_list(feeds)  # read again each poll: edits take effect
        fetcher = fetcher_factory() if fetcher_factory else None
        with Store.open(db) as store:
            result = poll(done + 1, urls, store, coder, settings, window, fetcher)
        emit(result.report())
        for shift in result.shifts:
            emit({"shift": shift})
        done += 1
    return done
