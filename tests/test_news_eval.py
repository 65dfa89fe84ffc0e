"""``allegiance eval articles`` and the news-gold records: bad gold is one line, the matching
follows its rules, and a small corpus the team wrote is scored end to end."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner

from allegiance.cli import main
from allegiance.quality.news_eval import (
    actor_matches,
    camp_agreement,
    event_matches,
    first_day,
    reliability,
    wrong_sides,
)
from allegiance.quality.newsgold import (
    GoldActor,
    GoldArticle,
    GoldCamps,
    GoldError,
    GoldEvent,
    check_record,
    load_gold,
    split_sentences,
)
from allegiance.records import Actor, Event, EventActor, Span

# Written by the team for these tests.
STORY = (
    "Turkey sent armed drones to the Government of National Accord on Monday, officials in "
    "Ankara said. Egypt condemned the shipment.\n"
    "Haftar's forces shelled Tripoli on Tuesday."
)


def _actor(name: str, country: str | None, sector: str | None = None, aliases=()) -> GoldActor:
    return GoldActor(name, tuple(aliases), country, sector)


def _gold(type_: str, source: GoldActor, target: GoldActor | None) -> GoldEvent:
    return GoldEvent(0, 0, 10, type_, None, source, target, None, "unknown", "asserted", None, ())


def _event(type_: str, source: Actor, target: Actor | None, words=("", "")) -> Event:
    def arg(a: Actor, text: str) -> EventActor:
        return EventActor(a, text or a.name, 0, 1)

    return Event(
        type_,
        None,
        "000",
        1,
        0.0,
        arg(source, words[0]),
        arg(target, words[1]) if target else None,
        "2020-W24",
        "week",
        None,
        None,
        "asserted",
        0.9,
        "s",
        0,
        1,
        Span("t", 0, 1),
        type_,
    )


TUR = Actor("TUR", "Turkey", "TUR", None, "country")
GNA = Actor("LBY-GNA", "Government of National Accord", "LBY", "GOV", "group")
EGY = Actor("EGY", "Egypt", "EGY", None, "country")
HAFTAR = Actor("haftar", "Khalifa Haftar", "LBY", "REB", "person")
UN = Actor("UN", "United Nations", None, "IGO", "igo")


def test_sentences_follow_the_guidelines():
    spans = split_sentences(STORY)
    assert [STORY[a:b][:12] for a, b in spans] == ["Turkey sent ", "Egypt condem", "Haftar's for"]
    assert split_sentences("Mr. Smith met Gen. Jones in the U.S. capital. They talked.") == [
        (0, 45),
        (46, 58),
    ]


def test_actors_match_by_name_alias_code_words_or_country():
    gold = _actor("Recep Tayyip Erdoğan", "TUR", "GOV", aliases=["Erdogan"])
    assert actor_matches(TUR, "Ankara", gold)  # same country
    assert actor_matches(Actor("x", "RECEP TAYYIP ERDOGAN", None, None), "he", gold)  # accents
    assert actor_matches(Actor("x", "someone", None, None), "erdogan", gold)  # the words
    un = _actor("United Nations", None, "IGO", aliases=["UN"])
    assert actor_matches(UN, "the world body", un)
    assert not actor_matches(Actor("y", "Amnesty", None, "NGO"), "Amnesty", un)  # no country
    assert actor_matches(TUR, "Turkey", _actor("Turkey", "TUR"), sectors=True)
    assert not actor_matches(TUR, "Turkey", _actor("Turkey", "TUR", "MIL"), sectors=True)


def test_a_null_gold_target_matches_any_target():
    gold = _gold("AID", _actor("Turkey", "TUR"), None)
    assert event_matches(_event("AID", TUR, GNA), gold)
    assert not event_matches(_event("SUPPORT", TUR, GNA), gold)


def test_dates_compare_as_first_days():
    assert first_day("2020-W24") == "2020-06-08"
    assert first_day("2020-06") == "2020-06-01"
    assert first_day("2020") == "2020-01-01"
    assert first_day("2020-06-14") == "2020-06-14"
    assert first_day(None) is None and first_day("PRESENT_REF") is None


def test_wrong_sides_are_listed():
    gold = (
        _gold("ACCUSE", _actor("Egypt", "EGY"), _actor("Turkey", "TUR")),
        _gold("ASSAULT", _actor("Khalifa Haftar", "LBY", "REB"), _actor("United Nations", None)),
    )
    backing = _event("SUPPORT", EGY, TUR)  # the text has Egypt condemning Turkey
    reversed_attack = _event("ASSAULT", UN, HAFTAR)
    fine = _event("ACCUSE", EGY, TUR)
    # Every event's sentence ("s") is the one the gold events are coded in.
    art = GoldArticle("a", None, "s is where all of it happens.", gold, ())
    found = wrong_sides([backing, reversed_attack, fine], art, matched={2})
    assert [f.split(":")[0] for f in found] == [
        "backing where the text has hostility",
        "attack reversed",
    ]


def test_reliability_bins_confidence_against_the_share_right():
    scored = [(0.9, True)] * 9 + [(0.9, False)] + [(0.3, True)] + [(0.3, False)] * 3
    rows, ece = reliability(scored)
    assert [(r["lo"], int(r["n"]), r["right"]) for r in rows] == [(0.2, 4, 0.25), (0.8, 10, 0.9)]
    # 4/14 of the events are off by 0.05, 10/14 exactly right
    assert ece == pytest.approx(4 / 14 * 0.05)
    assert reliability([]) == ([], 0.0)


def test_camp_agreement_counts_pairs_against_the_best_theatre():
    conflict = GoldCamps(
        "Libya",
        (
            (_actor("Turkey", "TUR"), _actor("Government of National Accord", "LBY", "GOV")),
            (_actor("Khalifa Haftar", "LBY", "REB"), _actor("Egypt", "EGY")),
        ),
    )
    right = SimpleNamespace(
        nodes={"TUR": TUR, "GNA": GNA, "H": HAFTAR, "EGY": EGY},
        camps=(("TUR", "GNA"), ("H", "EGY")),
        camp_of=lambda n: 0 if n in ("TUR", "GNA") else 1,
    )
    wrong = SimpleNamespace(
        nodes={"TUR": TUR, "EGY": EGY},
        camps=(("TUR", "EGY"),),
        camp_of=lambda n: 0,
    )
    assert camp_agreement(conflict, [wrong, right]) == (6, 6)
    assert camp_agreement(conflict, [wrong]) == (0, 1)
    assert camp_agreement(conflict, []) == (0, 0)


# Bad gold --------------------------------------------------------------------------------------
def _files(tmp_path: Path, record: dict[str, Any]) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "team:1", "title": "Drones", "text": STORY}) + "\n")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(record) + "\n")
    return gold, corpus


def _record(**changes: Any) -> dict[str, Any]:
    event = {
        "sentence_index": 0,
        "char_start": 0,
        "char_end": 98,
        "type": "AID",
        "mode": "military",
        "date": "2020-06-08",
        "date_precision": "day",
        "modality": "reported",
        "location": None,
        "other_sentence_indices": [],
        "notes": None,
        "source": {"name": "Turkey", "aliases": ["Turkey"], "country": "TUR", "sector": None},
        "target": {
            "name": "Government of National Accord",
            "aliases": [],
            "country": "LBY",
            "sector": "GOV",
        },
    }
    event.update(changes.pop("event", {}))
    return {
        "article_id": "team:1",
        "published": "2020-06-10",
        "events": [event],
        "sides": [],
        **changes,
    }


@pytest.mark.parametrize(
    "change, says",
    [
        ({"article_id": "team:404"}, "unknown article id 'team:404'"),
        ({"event": {"char_end": 9999}}, "offsets [0, 9999) out of range"),
        ({"event": {"type": "HUG"}}, "unknown type 'HUG'"),
        ({"event": {"modality": "maybe"}}, "unknown modality 'maybe'"),
        ({"event": {"source": None}}, "an event needs a source"),
        ({"published": "June 10"}, "Invalid isoformat"),
    ],
)
def test_bad_gold_is_one_line_naming_the_record(tmp_path, change, says):
    gold, corpus = _files(tmp_path, _record(**change))
    with pytest.raises(GoldError, match=r"gold\.jsonl:1"):
        load_gold(gold, corpus)
    result = CliRunner().invoke(main, ["eval", "articles", str(gold), "--corpus", str(corpus)])
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "gold.jsonl:1" in result.stderr and says in result.stderr, result.stderr


def test_training_records_are_checked_against_the_sentences():
    rec = _record()
    assert check_record(rec, STORY) == []
    rec["events"][0]["char_end"] = 50
    rec["events"][0]["mode"] = "hugs"
    problems = check_record(rec, STORY)
    assert any("not sentence 0" in p for p in problems)
    assert any("mode 'hugs'" in p for p in problems)


@pytest.mark.slow
def test_eval_articles_end_to_end(tmp_path, pipeline):
    gold, corpus = _files(tmp_path, _record())
    result = CliRunner().invoke(main, ["eval", "articles", str(gold), "--corpus", str(corpus)])
    assert result.exit_code == 0, result.output
    figures = dict(
        line.strip().split(": ", 1) for line in result.stdout.splitlines() if ": " in line
    )
    assert figures["gold events"] == "1"
    assert float(figures["recall"]) == 1.0  # Turkey AID the GNA is found
    assert "camp pair agreement" in figures and "modality accuracy" in figures
    assert "calibration error" in figures and "reliability" in result.stdout


# Actors of whole articles -------------------------------------------------------------------
def test_a_gold_actor_is_located_by_its_longest_form_in_its_sentence():
    from allegiance.quality.news_actors import locate

    text = "Cairo said it would not stand by. Egypt’s army is ready, Egypt's president said."
    army = _actor("Egyptian military", "EGY", "MIL", ["Egypt's army", "army"])
    at = locate(text, 34, len(text), army)  # the page's curly apostrophe, the coder's straight one
    assert at is not None and text[at[0] : at[1]] == "Egypt’s army"
    assert locate(text, 0, 33, army) is None  # not in that sentence: not located, not scored
    assert locate("The armys of...", 0, 15, army) is None  # whole words only


def test_eval_news_actors_scores_country_and_sector_at_each_span(tmp_path):
    from allegiance.quality.news_actors import eval_news_actors
    from allegiance.records import Mention

    gold, corpus = _files(tmp_path, _record())
    gna_at = STORY.index("Government of National Accord")

    def resolve_spans(text, published, spans):
        assert published is not None and published.isoformat() == "2020-06-10"
        # Turkey right; the GNA resolved to Libya with no sector (country right, sector wrong)
        libya = Actor("LBY", "Libya", "LBY", None, "country")
        by_start = {
            0: Mention("Turkey", 0, 6, TUR, "test"),
            gna_at: Mention("G", gna_at, gna_at + 29, libya, "test"),
        }
        return [by_start.get(start) for start, _ in spans]

    report = eval_news_actors(gold, corpus, SimpleNamespace(resolve_spans=resolve_spans))
    assert report.figures["spans"] == 2 and report.figures["not located"] == 0
    assert report.figures["country accuracy"] == 1.0 and report.figures["sector accuracy"] == 0.5
    assert any("Government of National Accord" in e and "LBY/GOV" in e for e in report.errors)


def test_eval_actors_on_news_gold_goes_to_the_article_scorer(tmp_path):
    gold, corpus = _files(tmp_path, _record(article_id="team:404"))
    result = CliRunner().invoke(main, ["eval", "actors", str(gold), "--corpus", str(corpus)])
    assert result.exit_code == 1 and "unknown article id 'team:404'" in result.stderr


def test_a_body_of_no_known_sector_does_not_stand_for_its_state_in_the_camps():
    # "Chechens", which the tagger took for an organisation, with the separatists
    conflict = GoldCamps(
        "Russia-Chechnya",
        ((_actor("Russia", "RUS", "GOV"),), (_actor("Chechnya", "RUS", "SEP"),)),
    )
    rus = Actor("RUS", "Russia", "RUS", "GOV", "country")
    sep = Actor("RUSSEP", "Chechen separatists", "RUS", "SEP", "agent")
    chechens = Actor("chechens", "Chechens", "RUS", None, "org")
    theatre = SimpleNamespace(
        nodes={"chechens": chechens, "RUSSEP": sep, "RUS": rus},
        camps=(("chechens", "RUSSEP"), ("RUS",)),
        camp_of=lambda n: 1 if n == "RUS" else 0,
    )
    assert camp_agreement(conflict, [theatre]) == (1, 1)
