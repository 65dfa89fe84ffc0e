from datetime import date

import pytest

from allegiance.nlp.dates import resolve_date

SAT = date(2020, 6, 13)  # a Saturday


@pytest.mark.parametrize(
    ("text", "tense", "value", "precision"),
    [
        ("on Sunday", "future", "2020-06-14", "day"),
        ("on Sunday", "past", "2020-06-07", "day"),
        ("on Saturday", "past", "2020-06-13", "day"),
        ("next Saturday", "future", "2020-06-20", "day"),
        ("yesterday", "past", "2020-06-12", "day"),
        ("tomorrow", "future", "2020-06-14", "day"),
        ("Earlier this week", "past", "2020-W24", "week"),
        ("last week", "past", "2020-W23", "week"),
        ("last month", "past", "2020-05", "month"),
        ("next year", "future", "2021", "year"),
        ("in 2011", "past", "2011", "year"),
        ("March 5", "past", "2020-03-05", "day"),
        ("5 March 2019", "past", "2019-03-05", "day"),
        ("in October", "past", "2019-10", "month"),
        ("in October", "future", "2020-10", "month"),
        ("three days ago", "past", "2020-06-10", "day"),
        ("2020-01-19", "past", "2020-01-19", "day"),
    ],
)
def test_resolve_date(text, tense, value, precision):
    found = resolve_date(text, SAT, tense)
    assert found is not None
    assert (found.value, found.precision) == (value, precision)


@pytest.mark.parametrize("text", ["in recent years", "a long time", "the 14-month campaign"])
def test_resolve_date_returns_none_without_a_calendar_date(text):
    assert resolve_date(text, SAT, "past") is None


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sentence", "expression", "value"),
    [
        ("The dividend is payable Dec. 15 to holders of record.", "Dec. 15", "2020-12-15"),
        ("The minister said he would travel to Cairo on Thursday.", "Thursday", "2020-06-18"),
        ("The minister travelled to Cairo on Thursday.", "Thursday", "2020-06-11"),
        ("Officials expect the deal to be signed by Feb. 1.", "Feb. 1", "2021-02-01"),
    ],
)
def test_dates_in_sentences_use_the_clause_tense(nlp, sentence, expression, value):
    from allegiance.nlp.timex import TimeRequest, resolve_requests

    start = sentence.index(expression)
    req = TimeRequest("x", sentence, start, start + len(expression), SAT)
    assert dict(resolve_requests(nlp, [req]))["x"] == value
