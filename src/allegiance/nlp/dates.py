"""Resolve time expressions against the publication date, keeping their precision.

``resolve_date("on Sunday", date(2020, 6, 13), tense="future")`` is ``2020-06-14`` at day
precision; ``"earlier this week"`` is ``2020-W24`` at week precision; ``"last month"`` is
``2020-05``. Values are TIMEX3 strings. Weekday names look forward in future clauses and
back in past and present ones (news mostly reports the week behind it); a weekday name that
is the publication day itself means that day. Month-day dates without a year take the year
that puts them on the side of the publication date the tense says, with a margin of a few
weeks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(_MONTHS)} | {"sept": 9}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "several": 3,
    "few": 3,
    "a few": 3,
}
_MONTH_RE = r"(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?"
# How far past publication a date told in the past tense may lie and still be this year's.
_MARGIN = timedelta(days=45)
_SAME_DAY = re.compile(r"\b(today|tonight|this (morning|afternoon|evening)|now|currently)\b")


@dataclass(frozen=True, slots=True)
class TimeValue:
    """A resolved date: TIMEX3 value, its precision (day, week, month, year) and the day."""

    value: str
    precision: str
    day: date  # the first day of the period, for sorting and filtering


def _day(d: date) -> TimeValue:
    return TimeValue(d.isoformat(), "day", d)


def _week(d: date) -> TimeValue:
    year, week, _ = d.isocalendar()
    return TimeValue(f"{year}-W{week:02d}", "week", d - timedelta(days=d.weekday()))


def _month(year: int, month: int) -> TimeValue:
    while month < 1:
        year, month = year - 1, month + 12
    while month > 12:
        year, month = year + 1, month - 12
    return TimeValue(f"{year:04d}-{month:02d}", "month", date(year, month, 1))


def _year(year: int) -> TimeValue:
    return TimeValue(f"{year:04d}", "year", date(year, 1, 1))


def _count(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUMBERS.get(word)


def resolve_date(text: str, published: date, tense: str = "past") -> TimeValue | None:
    """Resolve one time expression, or return None when it names no calendar date.

    ``tense`` is ``past``, ``present`` or ``future``: the tense of the clause it modifies.
    """
    t = " ".join(text.casefold().replace("’", "'").split())
    t = re.sub(r"^(on|in|at|by|since|from|during|until|for|of|the)\s+", "", t)
    for resolver in (
        _explicit,
        _relative_day,
        _holiday,
        _weekday,
        _relative_period,
        _ago,
        _month_name,
        _bare_year,
    ):
        found = resolver(t, published, tense)
        if found is not None:
            return found
    return None


def _explicit(t: str, pub: date, tense: str) -> TimeValue | None:
    if m := re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", t):
        return _safe_day(int(m[1]), int(m[2]), int(m[3]))
    day_first = re.search(
        rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RE}(?:,?\s+(\d{{4}}))?", t
    )
    month_first = re.search(rf"\b{_MONTH_RE}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", t)
    if month_first:
        month, day, year = _MONTH_ABBR[month_first[1]], int(month_first[2]), month_first[3]
    elif day_first:
        month, day, year = _MONTH_ABBR[day_first[2]], int(day_first[1]), day_first[3]
    else:
        return None
    if year:
        return _safe_day(int(year), month, day)
    return _safe_day(_year_for_month(month, pub, tense, day), month, day)


def _safe_day(year: int, month: int, day: int) -> TimeValue | None:
    try:
        return _day(date(year, month, day))
    except ValueError:
        return None


def _year_for_month(month: int, pub: date, tense: str, day: int = 1) -> int:
    """The year of a date named without one: in a past clause the last such date not well
    after publication, in a future one the next not well before it, in the present the
    nearest. "Well" is a margin: reports name dates a few weeks ahead in the past tense."""

    def on(year: int) -> date:
        try:
            return date(year, month, day)
        except ValueError:
            return date(year, month, 28)

    here = on(pub.year)
    if tense in ("past", "present"):
        # News tells what has happened; its present tense is mostly the recent past.
        return pub.year if here <= pub + _MARGIN else pub.year - 1
    if tense == "future":
        return pub.year if here >= pub - _MARGIN else pub.year + 1
    return min((pub.year - 1, pub.year, pub.year + 1), key=lambda y: abs((on(y) - pub).days))


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _holiday_on(name: str, year: int) -> date | None:
    """Holidays news dates things by, in a given year."""
    if name == "christmas":
        return date(year, 12, 25)
    if name in ("new year's day", "new year"):
        return date(year, 1, 1)
    if name == "independence day":
        return date(year, 7, 4)
    if name == "thanksgiving":
        return _nth_weekday(year, 11, 3, 4)  # fourth Thursday of November (US)
    if name == "election day":
        return _nth_weekday(year, 11, 0, 1) + timedelta(days=1)  # Tuesday after first Monday
    return None


def _holiday(t: str, pub: date, tense: str) -> TimeValue | None:
    if re.fullmatch(r"(?:the )?(?:year-end|year's end|end of the year)", t):
        # The nearest year-end on the side of publication the tense says.
        back = tense in ("past", "present")
        return _day(date(pub.year - 1 if back else pub.year, 12, 31))
    m = re.search(
        r"\b(?:(last|next|this)\s+)?(christmas|new year's day|thanksgiving|"
        r"election day|independence day)(?:\s+day)?\b",
        t,
    )
    if not m:
        return None
    here = _holiday_on(m[2], pub.year)
    if here is None:
        return None
    back = m[1] == "last" or (m[1] is None and tense in ("past", "present") and here > pub)
    ahead = m[1] == "next" or (m[1] is None and tense == "future" and here < pub)
    year = pub.year - 1 if back else pub.year + 1 if ahead else pub.year
    found = _holiday_on(m[2], year)
    return _day(found) if found else None


def _relative_day(t: str, pub: date, tense: str) -> TimeValue | None:
    if re.search(r"\bday before yesterday\b", t):
        return _day(pub - timedelta(days=2))
    if re.search(r"\bday after tomorrow\b", t):
        return _day(pub + timedelta(days=2))
    if re.search(r"\byesterday\b|\blast night\b", t):
        return _day(pub - timedelta(days=1))
    if re.search(r"\btomorrow\b", t):
        return _day(pub + timedelta(days=1))
    if _SAME_DAY.search(t) and not re.search(r"\b(week|month|year)\b", t):
        return _day(pub)
    return None


def _weekday(t: str, pub: date, tense: str) -> TimeValue | None:
    m = re.search(
        r"\b(last|next|this|coming|previous)?\s*(mon|tues|wednes|thurs|fri|satur|sun)day\b", t
    )
    if not m:
        return None
    target = [w[:3] for w in _WEEKDAYS].index(m[2][:3])
    delta = target - pub.weekday()
    modifier = m[1]
    if modifier in ("next", "coming") or (modifier is None and tense == "future"):
        days = delta % 7 or (7 if modifier else 0)
    elif modifier in ("last", "previous") or tense in ("past", "present"):
        days = -((-delta) % 7) or (-7 if modifier else 0)
    else:
        days = delta % 7
    if modifier == "this":
        days = delta
    return _day(pub + timedelta(days=days))


def _relative_period(t: str, pub: date, tense: str) -> TimeValue | None:
    m = re.search(
        r"\b(last|past|previous|this|next|coming|current|following)\s+(week|month|year)"
        r"(?:'s)?\b",
        t,
    )
    if not m:
        m2 = re.search(r"\b(earlier|later) (?:this|in the) (week|month|year)\b", t)
        if not m2:
            return None
        which, unit = "this", m2[2]
    else:
        which, unit = m[1], m[2]
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1}.get(
        which, 0
    )
    if unit == "week":
        return _week(pub + timedelta(weeks=step))
    if unit == "month":
        return _month(pub.year, pub.month + step)
    return _year(pub.year + step)


def _ago(t: str, pub: date, tense: str) -> TimeValue | None:
    """ "three days ago", "a year earlier", "in two weeks": the day that far from publication
    (TimeML's reading: "a year ago" in a story of 1989-10-26 is 1988-10-26)."""
    m = re.search(
        r"\b(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
        r"several|a few)\s+(day|week|month|year)s?\s+(ago|earlier|before)\b",
        t,
    )
    sign = -1
    if not m:
        m = re.search(
            r"\b(?:in|within)\s+(\d+|an?|one|two|three|four|five|six|seven|eight|"
            r"nine|ten)\s+(day|week|month|year)s?(\s+time)?\b",
            t,
        )
        sign = 1
    if not m:
        return None
    n = _count(m[1])
    if n is None:
        return None
    unit = m[2]
    # The expression's own unit is its precision: "three days ago" a day, "a year ago" a year.
    if unit == "day":
        return _day(pub + timedelta(days=sign * n))
    if unit == "week":
        return _week(pub + timedelta(weeks=sign * n))
    if unit == "month":
        return _month(pub.year, pub.month + sign * n)
    return _year(pub.year + sign * n)


def _month_name(t: str, pub: date, tense: str) -> TimeValue | None:
    m = re.search(rf"\b(last|next|this)?\s*\b{_MONTH_RE}(?:\s+(\d{{4}}))?\b", t)
    if not m or (m[2] == "may" and not re.search(r"\bmay\b\s*(\d{4})?$", t)):
        return None
    month = _MONTH_ABBR[m[2]]
    if m[3]:
        return _month(int(m[3]), month)
    if m[1] == "last":
        return _month(pub.year if month < pub.month else pub.year - 1, month)
    if m[1] == "next":
        return _month(pub.year if month > pub.month else pub.year + 1, month)
    if m[1] == "this":
        return _month(pub.year, month)
    return _month(_year_for_month(month, pub, tense), month)


def _bare_year(t: str, pub: date, tense: str) -> TimeValue | None:
    m = re.fullmatch(
        r"(?:early |mid-?|late |the end of |the beginning of |the start of )?(\d{4})", t
    )
    if m and 1800 < int(m[1]) < 2200:
        return _year(int(m[1]))
    return None
