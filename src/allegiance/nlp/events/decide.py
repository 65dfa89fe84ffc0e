"""The learned decision: which candidates of a sentence are events, of which types.

For every candidate pair the model gives each type's probability. The rules' events of the
sentence stand, with the model's calibrated confidence, unless the model gives their type
less than its ``rule_floor`` (0 as shipped; ``lone_floor``, 0.2 as shipped, for an event
with no recipient, not even an implied one: on news those are mostly a verb read without its
object, "gave instructions") or reads the pair as hostile where the rules read a backing
(``EventModel.wrong_side``). To them the model adds every type over its threshold
that the rules did not read for the pair (a pair can be the subject of an accusation and a
demand in one sentence); such an event takes its trigger from the parse (the word that joins
the two actors, or the source's verb), its mode from the lexicon when that word signals the
same type, and its modality, date and place from the trigger's clause as the rules do. A
backing the model adds gives way to hostility the sentence's (or the two before's) events
read between the same two actors (``_one_side``). Each event's ``rule`` says how it was read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import numpy as np
from spacy.tokens import Span, Token

from ...knowledge.lexicon import Lexicon
from ...records import Event
from ..actors.resolve import DocActors
from .arguments import Arg, make_event
from .candidates import Candidate, features, lex_type, path, sentence_candidates
from .modality import event_date, modality, place
from .model import BACKING, FORCE, HOSTILE, EventModel
from .parse import clause_verb
from .plover import plover_view

OwnCountry = Callable[[Arg, str, Span], Arg | None]


def decide_sentence(
    model: EventModel,
    lex: Lexicon,
    sent: Span,
    actors: DocActors,
    published: date | None,
    rules: list[Event],
    own_country: OwnCountry,
    hostile: frozenset[frozenset[str]] = frozenset(),
) -> Iterator[tuple[Token, Event]]:
    """Each event the model finds in a sentence, with the verb whose clause holds it;
    ``hostile`` holds the pairs of actors the sentences just before set against each other."""
    found = sentence_candidates(sent, actors)
    if not found:
        return
    probs = model.probabilities([features(c, rules, lex) for c in found])
    by_pair = {_pair(c): (c, p) for c, p in zip(found, probs, strict=True)}
    kept = list(_kept_rules(model, lex, sent, rules, by_pair))
    added = []
    for c, p in zip(found, probs, strict=True):
        back = by_pair.get(_pair(c)[::-1]) if c.target is not None else None
        for kind, prob in model.decide(p, back[1] if back is not None else None):
            if kind in FORCE and _suffers_force(c, lex):
                continue
            if _rule_event(c, kind, rules) is None:  # the rules' events are judged above
                confidence = model.confidence(prob)
                added.append(
                    _new_event(c, kind, prob, confidence, lex, actors, published, own_country)
                )
    yield from kept
    yield from _one_side(added, [e for _, e in kept + added], hostile)


def hostile_pairs(events: list[Event]) -> frozenset[frozenset[str]]:
    """The pairs of actors events set against each other (either way)."""
    return frozenset(_between(e) for e in events if e.type in HOSTILE and e.target is not None)


def _one_side(
    added: list[tuple[Token, Event]],
    sentence: list[Event],
    before: frozenset[frozenset[str]] = frozenset(),
) -> Iterator[tuple[Token, Event]]:
    """The model's own events but the backings between two actors the sentence's events,
    or those of the sentences just before (``before``), set against each other: a passage
    never puts two actors on one side and on opposite sides at once ("Chavez accused Uribe
    of sabotage. 'Uribe went to dynamite it,' Chavez said" backs nobody), and of the two
    readings hostility stands, since a wrong backing moves an actor into the other camp while
    a missed one only lowers a weight."""
    hostile = hostile_pairs(sentence) | before
    for verb, e in added:
        if not (e.type in BACKING and e.target is not None and _between(e) in hostile):
            yield verb, e


def _between(e: Event) -> frozenset[str]:
    """The two actors of an event with a target, in no order."""
    assert e.target is not None
    return frozenset((e.source.actor.id, e.target.actor.id))


def _kept_rules(
    model: EventModel,
    lex: Lexicon,
    sent: Span,
    rules: list[Event],
    by_pair: dict[Any, tuple[Candidate, np.ndarray]],
) -> Iterator[tuple[Token, Event]]:
    """The rules' events of the sentence, each with the model's confidence, but those the
    model finds improbable (under its ``rule_floor``) or on the wrong side."""
    for e in rules:
        if not sent.start_char <= e.sentence_start < sent.end_char:
            continue
        found = by_pair.get(_key(e))
        if found is None:  # a pair the candidates do not hold
            if model.unseen:
                yield _clause(e, sent), e
            continue
        c, row = found
        back = by_pair.get(_key(e)[::-1])
        reverse = back[1] if back is not None and c.target is not None else None
        p = float(row[model.column[e.type]]) if e.type in model.column else 0.0
        wrong = model.wrong_side(e.type, row, reverse, read=True)
        floor = model.lone_floor if e.target is None else model.rule_floor
        if p < floor or wrong or (e.type in FORCE and _suffers_force(c, lex)):
            continue
        yield (
            _clause(e, sent),
            dataclasses.replace(
                e, confidence=model.confidence(p, ruled=True), rule=f"{e.rule}; model p={p:.2f}"
            ),
        )


def _key(e: Event) -> tuple[str, str | None]:
    target = e.target.actor.id if e.target and not e.target.implied else None
    return e.source.actor.id, target


def _suffers_force(c: Candidate, lex: Lexicon) -> bool:
    """Whether the source is the patient of an act of force on the way to its target ("a
    bomb killed a NATO soldier", "ISIS fighters were killed"): the patient is not the one
    who used force."""
    if c.target_head is None:
        return False
    up, _, _ = path(c.source_head, c.target_head)
    for tok in up:  # up through the noun phrase ("ISIS" in "a total of ISIS fighters") to its verb
        if tok.head.pos_ in ("VERB", "AUX"):
            return tok.dep_ in ("dobj", "nsubjpass") and lex_type(lex, tok.head) in FORCE
    return False


def _pair(c: Candidate) -> tuple[str, str | None]:
    return c.source.actor.id, c.target.actor.id if c.target else None


def _rule_event(c: Candidate, kind: str, rules: list[Event]) -> Event | None:
    """The rules' event of this type for this pair in this sentence, if they read one (a
    recipient the rules only implied counts as none)."""
    target = c.target.actor.id if c.target else None
    for e in rules:
        if not c.sentence.start_char <= e.sentence_start < c.sentence.end_char:
            continue
        e_target = e.target.actor.id if e.target and not e.target.implied else None
        if e.type == kind and e.source.actor.id == c.source.actor.id and e_target == target:
            return e
    return None


def _clause(e: Event, sent: Span) -> Token:
    """The clause verb of a rules' event (for the main-act test of PLOVER's view)."""
    doc = sent.doc
    span = doc.char_span(e.trigger.start, e.trigger.end, alignment_mode="expand")
    tok = span.root if span is not None and len(span) else sent.root
    return tok if tok.pos_ in ("VERB", "AUX") else clause_verb(tok)


def trigger_of_pair(c: Candidate) -> Token:
    """The word that joins the pair: their lowest common ancestor, or the source's verb."""
    if c.target_head is not None:
        _, lca, _ = path(c.source_head, c.target_head)
        if lca.i not in (c.source_head.i, c.target_head.i):
            return lca
    return c.source_head.head if c.source_head.head.i != c.source_head.i else c.source_head


def _new_event(
    c: Candidate,
    kind: str,
    prob: float,
    confidence: float,
    lex: Lexicon,
    actors: DocActors,
    published: date | None,
    own_country: OwnCountry,
) -> tuple[Token, Event]:
    """An event the rules did not read, built from the candidate and the parse."""
    sent = c.sentence
    tok = trigger_of_pair(c)
    verb = tok if tok.pos_ in ("VERB", "AUX") else clause_verb(tok)
    mood = modality(lex, verb)
    source = Arg(c.source, c.source.text, c.source.start, c.source.end)
    target = Arg(c.target, c.target.text, c.target.start, c.target.end) if c.target else None
    target = target or own_country(source, plover_view(kind, mood), sent)
    event = make_event(
        lex,
        kind,
        _mode(lex, tok, kind),
        source,
        target,
        sent=sent,
        trigger=tok,
        mood=mood,
        when=event_date(verb, sent, published, mood),
        where=place(verb, sent, actors),
        confidence=confidence,
        # PLOVER's view is the rules' reading (they encode its conventions: the main act,
        # intent folded into the type, a visit coded once); the model's own events are coded
        # under the guidelines' conventions and take no PLOVER type.
        plover=None,
        rule=f"model p={prob:.2f}",
    )
    return verb, event


def _mode(lex: Lexicon, tok: Token, kind: str) -> str | None:
    """The mode the lexicon gives the trigger word, when it signals the same type."""
    lemma = tok.lemma_.lower()
    hit = lex.verbs.get(lemma) or lex.nouns.get(tok.lower_) or lex.nouns.get(lemma)
    return hit[1] if hit and hit[0] == kind else None
