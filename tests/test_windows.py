"""Camps per time window on hand-built ties: the windows a corpus makes, and one graph per
window so that allies of one year are not read into another's war."""

from __future__ import annotations

from datetime import date

import pytest

from allegiance import alignment
from allegiance.alignment import Window, WindowError, check_spec, windows
from allegiance.alignment.windows import assign
from test_graph import party, state, tie


def test_spec_forms_and_errors():
    assert [check_spec(s) for s in ("year", " ALL ", "180d")] == ["year", "all", "180d"]
    for bad in ("weekly", "0d", "-5d", ""):
        with pytest.raises(WindowError, match="'year', 'all'"):
            check_spec(bad)


def test_calendar_years_with_events_and_the_undated_last():
    a, b = state("AAA"), state("BBB")
    ties = [
        tie(a, "ASSAULT", b, date="2019-03-01"),
        tie(a, "ASSAULT", b, date="2021-W02"),
        tie(b, "ASSAULT", a, date=None),
    ]
    found = windows(ties)
    assert [w.label for w in found] == ["2019", "2021", "undated"]
    assert found[1] == Window("2021", date(2021, 1, 1), date(2021, 12, 31))
    assert [sum(w.holds(t) for t in ties) for w in found] == [1, 1, 1]
    # one window over everything holds the undated events too
    (whole,) = windows(ties, "all")
    assert whole.label == "all" and all(whole.holds(t) for t in ties)
    # bounds clip the years and leave the undated out
    bounded = windows(ties, "year", since=date(2019, 2, 1), until=date(2019, 12, 31))
    assert bounded == [Window("2019", date(2019, 2, 1), date(2019, 12, 31))]
    # each tie lands in the one window that holds it, read in one pass
    placed = assign(ties, found)
    assert [[t.date for t in placed[w]] for w in found] == [["2019-03-01"], ["2021-W02"], [None]]
    assert len(assign(ties, [whole])[whole]) == 3
    assert assign(ties, bounded)[bounded[0]] == [ties[0]]


def test_runs_of_days_from_the_first_event_only_where_there_are_events():
    a, b = state("AAA"), state("BBB")
    ties = [tie(a, "ASSAULT", b, date=d) for d in ("2020-01-01", "2020-01-20", "2020-04-15")]
    found = windows(ties, "30d")
    assert [(w.since, w.until) for w in found] == [
        (date(2020, 1, 1), date(2020, 1, 30)),
        (date(2020, 3, 31), date(2020, 4, 29)),
    ]
    assert found[0].label == "2020-01-01..2020-01-30"


def test_each_window_has_its_own_camps():
    """A patron that changes sides between years is in a different camp each year; one graph
    of both years would leave it torn between the two."""
    gov, reb, patron = party("XXXGOV", "GOV"), party("XXXREB"), state("PPP")
    # two attacks a year: one event alone makes no war (see find_theatres)
    ties = [tie(reb, "ASSAULT", gov, date=f"{y}-05-0{d}") for y in (2015, 2016) for d in (1, 2)]
    ties += [tie(patron, "AID", reb, date="2015-06-01"), tie(patron, "AID", gov, date="2016-06-01")]
    found = alignment.sides_by_window(ties)
    assert [t.key for t in found] == ["XXX 2015", "XXX 2016"]
    first, second = found
    assert first.camp_of("PPP") == first.camp_of("XXXREB") != first.camp_of("XXXGOV")
    assert second.camp_of("PPP") == second.camp_of("XXXGOV") != second.camp_of("XXXREB")
    (whole,) = alignment.sides_by_window(ties, spec="all")
    assert "PPP" not in {n for camp in whole.camps for n in camp}  # torn: neutral
    assert first.to_dict()["window"] == {
        "label": "2015",
        "since": "2015-01-01",
        "until": "2015-12-31",
    }


def test_shifts_between_windows_name_the_change_and_its_evidence():
    """The patron backs the rebels in 2015 and the government in 2016 (a defection); a
    newcomer backs the government in 2016; the rebels' 2015 backer goes quiet."""
    gov, reb = party("XXXGOV", "GOV"), party("XXXREB")
    patron, newcomer, quiet = state("PPP"), state("NNN"), state("QQQ")
    # two attacks a year: one event alone makes no war (see find_theatres)
    ties = [tie(reb, "ASSAULT", gov, date=f"{y}-05-0{d}") for y in (2015, 2016) for d in (1, 2)]
    ties += [
        tie(patron, "AID", reb, date="2015-06-01"),
        tie(quiet, "SUPPORT", reb, date="2015-07-01"),
        tie(patron, "AID", gov, date="2016-06-01"),
        tie(newcomer, "SUPPORT", gov, date="2016-07-01"),
    ]
    found = {s.actor["id"]: s for s in alignment.shifts(ties)}
    assert set(found) == {"PPP", "NNN", "QQQ"}
    defection = found["PPP"]
    assert (defection.before, defection.after, defection.change) == (
        "2015",
        "2016",
        "changed sides",
    )
    assert defection.side_before == "side 1" and defection.side_after == "government side"
    assert defection.evidence_before and defection.evidence_after
    assert defection.evidence_after[0]["type"] == "AID"
    assert found["NNN"].change == "joined" and found["NNN"].side_after == "government side"
    assert found["QQQ"].change == "went quiet" and found["QQQ"].evidence_after == ()


def test_a_lone_fighter_joins_no_side():
    """An actor alone in its camp, tied to nobody on it, is not reported as joining."""
    gov, reb, raider = party("XXXGOV", "GOV"), party("XXXREB"), party("YYYREB")
    # two attacks a year: one event alone makes no war (see find_theatres)
    ties = [tie(reb, "ASSAULT", gov, date=f"{y}-05-0{d}") for y in (2015, 2016) for d in (1, 2)]
    ties.append(tie(raider, "ASSAULT", gov, date="2016-06-01"))
    (second,) = [t for t in alignment.sides_by_window(ties) if t.key == "XXX 2016"]
    assert second.camp_of("YYYREB") is not None  # a camp of its own
    assert alignment.shifts(ties) == []


def test_within_year_narrows_the_bounds_to_the_year():
    from datetime import date

    from allegiance.alignment import within_year

    assert within_year(None, None, date(2020, 3, 1)) == (None, date(2020, 3, 1))
    assert within_year(2020, None, None) == (date(2020, 1, 1), date(2020, 12, 31))
    assert within_year(2020, date(2020, 6, 1), date(2021, 5, 1)) == (
        date(2020, 6, 1),
        date(2020, 12, 31),
    )
