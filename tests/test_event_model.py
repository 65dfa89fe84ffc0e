"""The learned decision on sentences parsed by hand: candidates and their features, the model's
probabilities and its decision rules, and events built from them. No spaCy model loads."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from allegiance.errors import ModelError
from allegiance.knowledge.lexicon import load_lexicon
from allegiance.nlp.events.candidates import features, sentence_candidates
from allegiance.nlp.events.extract import EventExtractor
from allegiance.nlp.events.model import NONE, EventModel, load_model, model_dir
from test_constructions import parse

SENT = "Chile sent troops to Peru."
TABLE = """
    Chile  1 nsubj PROPN NNP Chile  @CHL
    sent   1 ROOT  VERB  VBD send
    troops 1 dobj  NOUN  NNS troop
    to     1 prep  ADP   IN  to
    Peru   3 pobj  PROPN NNP Peru   @PER
    .      1 punct PUNCT .   .
"""
CLASSES = (NONE, "AID", "ASSAULT", "SUPPORT", "ACCUSE")


def _model(weights: dict[str, dict[str, float]], **decision: float) -> EventModel:
    feats = sorted(weights)
    w = np.zeros((len(feats) + 1, len(CLASSES)))
    w[-1, 0] = 2.0  # a bias toward no event
    for i, f in enumerate(feats):
        for kind, v in weights[f].items():
            w[i, CLASSES.index(kind)] = v
    return EventModel(
        classes=CLASSES,
        column={k: i for i, k in enumerate(CLASSES)},
        index={f: i for i, f in enumerate(feats)},
        weights=w,
        threshold=decision.get("threshold", 0.3),
        backing=decision.get("backing", 0.3),
        rule_floor=0.0,
        lone_floor=0.0,
        unseen=True,
        calibration=(1.0, 0.0, 0.0),
        about={},
    )


def test_candidates_pair_every_actor_with_every_other_and_none():
    doc, actors = parse(SENT, TABLE)
    found = sentence_candidates(next(doc.sents), actors)
    pairs = [(c.source.actor.id, c.target.actor.id if c.target else None) for c in found]
    assert pairs == [("CHL", "PER"), ("CHL", None), ("PER", "CHL"), ("PER", None)]


CONJ = "Chile and Peru accused Cuba."
CONJ_TABLE = """
    Chile   3 nsubj PROPN NNP Chile   @CHL
    and     0 cc    CCONJ CC  and
    Peru    0 conj  PROPN NNP Peru    @PER
    accused 3 ROOT  VERB  VBD accuse
    Cuba    3 dobj  PROPN NNP Cuba    @CUB
    .       3 punct PUNCT .   .
"""


def test_a_conjunct_is_read_where_the_first_of_its_coordination_stands():
    doc, actors = parse(CONJ, CONJ_TABLE)
    lex = load_lexicon()
    found = {
        (c.source.actor.id, c.target.actor.id if c.target else None): c
        for c in sentence_candidates(next(doc.sents), actors)
    }
    # Peru hangs on Chile, but is a subject of "accused" as Chile is: same path to Cuba
    first, second = features(found["CHL", "CUB"], [], lex), features(found["PER", "CUB"], [], lex)
    assert "p:nsubj|dobj" in first and "p:nsubj|dobj" in second
    assert found["PER", "CUB"].source_head.text == "Chile"
    # the two members of one coordination keep their own words, and say so
    pair = found["CHL", "PER"]
    assert pair.coordinated and (pair.source_head.text, pair.target_head.text) == ("Chile", "Peru")
    assert "conj" in features(pair, [], lex) and "conj" not in first


def test_features_read_the_path_the_words_and_the_lexicon():
    doc, actors = parse(SENT, TABLE)
    lex = load_lexicon()
    pair = sentence_candidates(next(doc.sents), actors)[0]
    f = features(pair, [], lex)
    assert "lca:send" in f and "p:nsubj|prep_pobj" in f and "s_first" in f
    assert "bw:troop" in f and "sd:nsubj" in f
    assert any(x.startswith("lcat:") for x in f)  # "send" is in the lexicon


def test_probabilities_are_a_softmax_over_the_features():
    model = _model({"lca:send": {"AID": 5.0}})
    p = model.probabilities([["lca:send"], ["unknown feature"], []])
    assert np.allclose(p.sum(axis=1), 1.0)
    assert p[0].argmax() == CLASSES.index("AID") and p[1].argmax() == CLASSES.index(NONE)
    assert np.allclose(p[1], p[2])  # unknown features weigh nothing


def test_a_backing_must_outweigh_the_pairs_hostility():
    model = _model({}, threshold=0.1, backing=0.2)
    row = np.array([0.2, 0.0, 0.0, 0.5, 0.3])  # NONE, AID, ASSAULT, SUPPORT, ACCUSE
    assert [k for k, _ in model.decide(row)] == ["SUPPORT", "ACCUSE"]
    hostile_back = np.array([0.3, 0.0, 0.0, 0.1, 0.6])  # the other direction accuses
    assert [k for k, _ in model.decide(row, hostile_back)] == ["ACCUSE"]


def test_force_goes_one_way_unless_both_are_sure():
    model = _model({}, threshold=0.1, backing=0.6)
    forward = np.array([0.6, 0.0, 0.4, 0.0, 0.0])
    backward = np.array([0.5, 0.0, 0.5, 0.0, 0.0])
    assert model.decide(forward, backward) == []  # the attack runs the other way
    assert [k for k, _ in model.decide(backward, forward)] == ["ASSAULT"]


def test_confidence_is_calibrated_by_the_platt_curve():
    model = _model({})
    assert model.confidence(0.5) == pytest.approx(0.5)
    shifted = EventModel(**{**model.__dict__, "calibration": (1.0, -1.0, 1.5)})
    assert shifted.confidence(0.5) < 0.5 < shifted.confidence(0.5, ruled=True)


def test_the_extractor_codes_what_the_model_decides():
    doc, actors = parse(SENT, TABLE)
    model = _model({"p:nsubj|prep_pobj": {"AID": 6.0}}, threshold=0.5)
    extractor = EventExtractor(load_lexicon(), model=model)
    events = extractor.extract(doc, actors, None)
    assert [(e.type, e.source.actor.id, e.target.actor.id) for e in events] == [
        ("AID", "CHL", "PER")
    ]
    assert "model p=" in events[0].rule and events[0].trigger.text == "sent"


def test_a_sentence_never_sets_two_actors_on_one_side_and_against_each_other():
    # The model finds both a backing and an accusation for the pair, the backing the more
    # probable: the decision keeps both, the extractor only the hostility.
    doc, actors = parse(SENT, TABLE)
    model = _model({"p:nsubj|prep_pobj": {"SUPPORT": 5.0, "ACCUSE": 4.5}}, threshold=0.1)
    row = model.probabilities([["p:nsubj|prep_pobj"]])[0]
    assert [k for k, _ in model.decide(row)] == ["SUPPORT", "ACCUSE"]
    events = EventExtractor(load_lexicon(), model=model).extract(doc, actors, None)
    assert [(e.type, e.source.actor.id, e.target.actor.id) for e in events] == [
        ("ACCUSE", "CHL", "PER")
    ]


def test_a_backing_gives_way_to_hostility_the_sentences_just_before_read():
    # "Chavez accused Uribe of sabotage. 'Uribe went to dynamite it,' Chavez said": a
    # backing the model adds in the second sentence gives way to the first's accusation.
    from allegiance.nlp.events.decide import _one_side, hostile_pairs

    doc, actors = parse(SENT, TABLE)
    lex = load_lexicon()

    def coded(weights):
        model = _model({"p:nsubj|prep_pobj": weights}, threshold=0.1)
        return EventExtractor(lex, model=model).extract(doc, actors, None)

    (accuse,) = coded({"ACCUSE": 5.0})
    (support,) = coded({"SUPPORT": 5.0})
    added = [(doc[0], support)]
    assert list(_one_side(added, [support])) == added  # nothing hostile: it stands
    assert list(_one_side(added, [support], hostile_pairs([accuse]))) == []


def test_dev_settings_are_admissible_only_with_mostly_right_backings():
    from allegiance.quality.train import DevScore

    assert DevScore(0.5, wrong=0, added_right=4, added_wrong=3).admissible
    assert not DevScore(0.6, wrong=0, added_right=3, added_wrong=3).admissible
    assert not DevScore(0.6, wrong=1, added_right=9, added_wrong=0).admissible


def test_a_rules_event_without_any_recipient_needs_the_lone_floor():
    # "Russia attacked." The rules read ASSAULT with no target; the model finds it improbable.
    doc, actors = parse(
        "Russia attacked.",
        """
        Russia   1 nsubj PROPN NNP Russia @RUS
        attacked 1 ROOT  VERB  VBD attack
        .        1 punct PUNCT .   .
        """,
    )
    model = _model({}, threshold=0.5)
    lone = EventModel(**{**model.__dict__, "lone_floor": 0.2})
    rules = EventExtractor(load_lexicon())
    told = [e for e in rules.extract(doc, actors, None) if e.target is None]
    assert told, "the rules read an event with no recipient here"
    kept = EventExtractor(load_lexicon(), model=model).extract(doc, actors, None)
    dropped = EventExtractor(load_lexicon(), model=lone).extract(doc, actors, None)
    assert any(e.target is None for e in kept)
    assert not any(e.target is None for e in dropped)


def test_loading_a_model(tmp_path: Path):
    assert load_model(tmp_path) is None  # no model there: the rules decide
    (tmp_path / "event.json").write_text(
        json.dumps(
            {"classes": list(CLASSES), "features": ["a"], "threshold": 0.1, "calibration": [1, 0]}
        )
    )
    np.save(tmp_path / "event.npy", np.zeros((5, len(CLASSES))))
    with pytest.raises(ModelError, match="do not fit"):
        load_model(tmp_path)


def test_the_shipped_model_is_whole():
    model = load_model(model_dir())
    assert model is not None, "no model in the package: run `make train`"
    assert set(model.classes) >= {NONE, "AGREE", "ASSAULT", "SUPPORT", "CONSULT"}
    assert np.isfinite(model.weights).all()
    assert 0 < model.threshold < 1 and model.about["trained_on"]["articles"] >= 400
    typer = load_model(model_dir(), "typer")
    assert typer is not None and NONE not in typer.classes and len(typer.classes) == 16


def test_training_fits_weights_the_loader_reads_back(tmp_path: Path):
    pytest.importorskip("sklearn", reason="the train extra (scikit-learn) is not installed")
    from allegiance.quality.train import fit, write

    examples = [(["verb=send", "dep=dobj"], "AID")] * 5 + [(["verb=say"], NONE)] * 5
    examples += [(["verb=bomb"], "ASSAULT")] * 5 + [(["rare"], "AID")]
    feats, classes, weights = fit(examples, 1.0)
    assert "rare" not in feats  # seen once: dropped
    write(tmp_path, feats, classes, weights, {"threshold": 0.3}, "typer")
    model = load_model(tmp_path, "typer")
    assert model is not None and set(model.classes) == {"AID", "ASSAULT", NONE}
    probs = model.probabilities([["verb=send", "dep=dobj"], ["verb=bomb"]])
    assert [model.best_type(p)[0] for p in probs] == ["AID", "ASSAULT"]
