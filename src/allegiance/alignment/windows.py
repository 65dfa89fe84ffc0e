"""Time windows: camps are computed per period, never over one graph of all years.

Alliances change (Turkey and Russia on opposite sides in Syria in 2015, meeting in Astana in
2017), and a corpus of many years piled into one graph mixes wars that never met. Each window
is a period the graph is built for: a calendar year by default, a run of N days, or the whole
span on request (``all``); events with no date form a window of their own (``undated``), so a
single undated article still has camps.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .ties import Tie

UNDATED = "undated"
_DAYS = re.compile(r"^(\d{1,4})d$")


class WindowError(ValueError):
    """A window spec that is not ``year``, ``all`` or ``Nd``."""


@dataclass(frozen=True, slots=True)
class Window:
    """A period of events: ``label`` names it ("2006", "2006-01-01..2006-06-29", "all",
    "undated"); ``since`` and ``until`` bound it (None: open); the undated window holds the
    events with no date and no other."""

    label: str
    since: date | None = None
    until: date | None = None

    @property
    def undated(self) -> bool:
        return self.label == UNDATED

    def holds(self, tie: Tie) -> bool:
        """Whether a tie falls in the window (an open window holds undated ties too)."""
        return self.holds_day(tie.day)

    def holds_day(self, day: date | None) -> bool:
        if self.undated:
            return day is None
        if self.since is None and self.until is None:
            return True
        if day is None:
            return False
        return (self.since is None or day >= self.since) and (
            self.until is None or day <= self.until
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }


def check_spec(spec: str) -> str:
    """A window spec as given (``year``, ``all``, ``180d``), normalised.

    Raises:
        WindowError: naming the spec and the forms accepted.
    """
    text = spec.strip().lower()
    if text in ("year", "all") or ((m := _DAYS.match(text)) and int(m.group(1)) > 0):
        return text
    raise WindowError(f"window {spec!r}: give 'year', 'all' or a number of days such as '180d'")


def year_window(year: int) -> Window:
    """The calendar year as a window."""
    return Window(str(year), date(year, 1, 1), date(year, 12, 31))


def within_year(
    year: int | None, since: date | None, until: date | None
) -> tuple[date | None, date | None]:
    """``since`` and ``until`` narrowed to the calendar year (``--year``, ``year=``) when one
    is given: the year, within the bounds given with it."""
    if year is None:
        return since, until
    first, last = date(year, 1, 1), date(year, 12, 31)
    return max(since or first, first), min(until or last, last)


def windows(
    ties: Iterable[Tie],
    spec: str = "year",
    since: date | None = None,
    until: date | None = None,
) -> list[Window]:
    """The windows that hold the ties, in time order (the undated window last): one per
    calendar year with events, runs of N days from ``since`` or the first event, or one over
    all. ``since``/``until`` bound them."""
    spec = check_spec(spec)
    ties = list(ties)
    days = sorted(
        d
        for t in ties
        if (d := t.day) is not None and (since is None or d >= since)
        if until is None or d <= until
    )
    out: list[Window] = []
    if spec == "all":
        if days or since or until:
            label = "all" if not (since or until) else _span(since, until)
            out.append(Window(label, since, until))
    elif spec == "year":
        for year in sorted({d.year for d in days}):
            first, last = date(year, 1, 1), date(year, 12, 31)
            out.append(Window(str(year), max(first, since or first), min(last, until or last)))
    elif days:
        width = timedelta(days=int(spec[:-1]))
        start = since or days[0]
        while start <= days[-1]:
            end = start + width - timedelta(days=1)
            if until is not None:
                end = min(end, until)
            if any(start <= d <= end for d in days):
                out.append(Window(_span(start, end), start, end))
            start = end + timedelta(days=1)
    if since is None and until is None and any(t.day is None for t in ties) and spec != "all":
        out.append(Window(UNDATED))
    return out


def assign(ties: Iterable[Tie], found: list[Window]) -> dict[Window, list[Tie]]:
    """The ties of each window of ``found`` (disjoint, as ``windows`` makes them), each tie's
    date read once: a corpus of many years has thousands of ties and dozens of windows."""
    out: dict[Window, list[Tie]] = {w: [] for w in found}
    dated = sorted((w for w in found if not w.undated), key=lambda w: w.since or date.min)
    starts = [w.since or date.min for w in dated]
    open_to_undated = [w for w in found if w.holds_day(None)]
    for tie in ties:
        day = tie.day
        if day is None:
            for w in open_to_undated:
                out[w].append(tie)
            continue
        i = bisect_right(starts, day) - 1
        if i >= 0 and dated[i].holds_day(day):
            out[dated[i]].append(tie)
    return out


def _span(since: date | None, until: date | None) -> str:
    return f"{since.isoformat() if since else ''}..{until.isoformat() if until else ''}"
