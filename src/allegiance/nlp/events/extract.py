"""Events stage: PLOVER events from the dependency parse and the resolved actors.

At each word the extractor asks the constructions of the registry (``constructions``: a verb
of the lexicon, a light verb with an event noun, a verb of receiving with one, "in support
of", ...) for triggers. For each trigger it reads the sources and targets along the parse
(``arguments``) around the ordered table of type overrides (``overrides``), pairs them, and
gives each event a modality from the words around its clause, a date resolved against the
publication date and the place the sentence names for it (``modality``). Each event's
``rule`` says which construction and overrides read it. ``plover`` holds PLOVER's coding
conventions; ``parse`` the walks along the tree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from datetime import date

from spacy.tokens import Doc, Span, Token

from ...knowledge.lexicon import Lexicon
from ...records import Actor, Event, Place
from ..actors.resolve import DocActors
from .arguments import Arg, Finder, Pair, make_event
from .constructions import Trigger, object_type, triggers_at
from .decide import decide_sentence, hostile_pairs
from .modality import When, event_date, modality, place
from .model import EventModel
from .overrides import ARGUMENTS, EVENT, OBJECTS, Reading, apply
from .parse import children, clause_verb, inside_attitude
from .plover import acts_at_home, coded, main_acts, plover_view, two_sides

__all__ = ["EventExtractor", "plover_view"]

# Sentences back that a definite event noun ("the talks") may refer to.
_ANAPHORA_WINDOW = 3
# Sentences back whose hostility between two actors a backing the model adds gives way to.
_HOSTILE_REACH = 2


class EventExtractor:
    """Holds the lexicon; ``extract(doc, actors, published)`` codes one parsed article."""

    def __init__(
        self,
        lexicon: Lexicon,
        countries: Mapping[str, Actor] | None = None,
        model: EventModel | None = None,
    ) -> None:
        self.lex = lexicon
        # ISO3 -> the country's actor, for the implied recipient of a domestic act.
        self.countries: Mapping[str, Actor] = countries or {}
        # The learned decision; without one, the rules' events are the events.
        self.model = model

    def extract(self, doc: Doc, actors: DocActors, published: date | None) -> list[Event]:
        """Return the events of a Doc in text order, one per source-target pair and type."""
        rules = self.rule_events(doc, actors, published)
        if self.model is None:
            return rules
        events: list[Event] = []
        recent: list[frozenset[frozenset[str]]] = []  # hostile pairs of the last sentences
        for sent in doc.sents:
            before = frozenset().union(*recent[-_HOSTILE_REACH:])
            found = [
                e
                for _, e in decide_sentence(
                    self.model, self.lex, sent, actors, published, rules, self._own_in, before
                )
            ]
            recent.append(hostile_pairs(found))
            events += found
        return _dedupe(events)

    def rule_events(self, doc: Doc, actors: DocActors, published: date | None) -> list[Event]:
        """The events the rules read, in text order: the model's candidates' features, and
        the events themselves where no model is loaded."""
        finder = Finder(self.lex, actors)
        events: list[Event] = []
        history: list[tuple[int, Event]] = []
        for n, sent in enumerate(doc.sents):
            found = main_acts(list(self._clause_events(finder, sent, published)))
            events, history = self._apply_anaphora(sent, n, actors, published, events, history)
            for ev in found:
                events.append(ev)
                history.append((n, ev))
        return _dedupe(events)

    def _own_in(self, source: Arg, plover: str, sent: Span) -> Arg | None:
        return self._own_country(source, plover, sent.doc)

    def modality_of(self, tok: Token) -> str:
        """The modality of the clause a word belongs to."""
        return modality(self.lex, tok if tok.pos_ in ("VERB", "AUX") else clause_verb(tok))

    def trigger_of(self, tok: Token) -> tuple[str, str | None] | None:
        """The event type and mode a word signals with its object, if any (for fallbacks):
        "withdrew its inspectors" is a SANCTION, "lodged a protest" an ACCUSE."""
        lemma = tok.lemma_.lower()
        by_object = object_type(self.lex, tok) if tok.pos_ in ("VERB", "AUX") else None
        if by_object:
            return by_object, None
        if tok.pos_ in ("VERB", "AUX") and lemma in self.lex.verbs:
            return self.lex.verbs[lemma]
        noun = self.lex.nouns.get(tok.lower_) or self.lex.nouns.get(lemma)
        if noun:
            return noun
        return self.lex.verbs.get(lemma)

    # One sentence ----------------------------------------------------------------------------
    def _clause_events(
        self, f: Finder, sent: Span, published: date | None
    ) -> Iterator[tuple[Token, Event]]:
        """Each event of a sentence with the verb whose clause holds it."""
        triggers = [t for tok in sent for t in triggers_at(self.lex, tok)]
        outer = {
            t.token.i for t in triggers if t.type in self.lex.attitude and t.construction.frames
        }
        contents = {t.token.i for t in triggers if t.construction.holds_clause}
        for trig in triggers:
            verb = trig.construction.clause(trig.token)
            if inside_attitude(verb, outer):
                continue
            if not trig.construction.holds_clause and verb.i in contents:
                continue  # what must be done is the request's content
            read = self._read(f, trig, sent)
            if read is None or not read[1]:
                continue
            r, pairs = read
            mood = modality(self.lex, verb)
            when = event_date(verb, sent, published, mood)
            where = place(verb, sent, f.actors)
            for source, named in pairs:
                target = named or self._own_country(source, plover_view(r.kind, mood), sent.doc)
                yield verb, self._event(r, r.mode, source, target, mood, when, where, sent)
                if target is not None and r.kind == "CONSULT" and r.mode in self.lex.converse:
                    # A visit implies a host (and hosting a visit); meetings run both ways.
                    # PLOVER codes them once, from the visitor or the first named; the
                    # converse is allegiance's, for the graph, and has no PLOVER type.
                    back_mode = self.lex.converse[r.mode or ""]
                    back = self._event(r, back_mode, target, source, mood, when, where, sent)
                    yield verb, dataclasses.replace(back, plover=None)

    def _read(self, f: Finder, trig: Trigger, sent: Span) -> tuple[Reading, list[Pair]] | None:
        """A trigger's type, mode and source-target pairs after the overrides; None if one
        drops it."""
        c = trig.construction
        reading = Reading(trig.token, c, trig.type, trig.mode, sent)
        if c.pairs is not None:
            found: tuple[Reading, list[Pair]] | None = (reading, c.pairs(f, trig.token))
        else:
            found = self._argue(f, reading)
        if found is None:
            return None
        last = apply(EVENT, self.lex, found[0])
        return None if last is None else (last, found[1])

    def _argue(self, f: Finder, r: Reading) -> tuple[Reading, list[Pair]] | None:
        """Sources and targets of a construction read in steps, the overrides between."""
        tok, c = r.token, r.construction
        if c.arguments is None:
            return None
        sources, targets = c.arguments(f, tok, r.kind, r.mode)
        read = apply(
            OBJECTS, self.lex, dataclasses.replace(r, sources=(*sources,), targets=(*targets,))
        )
        if read is None:
            return None
        targets = list(read.targets) or c.more_targets(f, tok, read.kind)
        if not targets and read.kind == "THREATEN":
            targets = f.condition_subjects(tok)
        sources = list(read.sources) or c.more_sources(f, tok, read.kind)
        read = apply(
            ARGUMENTS, self.lex, dataclasses.replace(read, sources=(*sources,), targets=(*targets,))
        )
        if read is None:
            return None
        return read, self._pairs(f, read)

    def _pairs(self, f: Finder, r: Reading) -> list[Pair]:
        """Source-target pairs: coordinated subjects of a reciprocal act with each other,
        else each source with each target that is another side."""
        tok, kind, sources = r.token, r.kind, r.sources
        if (
            not r.targets
            and len(sources) > 1
            and (kind in self.lex.type_classes.reciprocal or self._clash(tok, kind))
            and not (kind == "SUPPORT" and self._backs_a_thing(tok))
        ):
            return [
                (a, b) for a in sources for b in sources if a.mention.actor.id != b.mention.actor.id
            ]
        targets = list(r.targets) or r.construction.last_targets(f, tok, kind)
        if not targets:
            return [(s, None) for s in sources]
        return [(s, t) for s in sources for t in targets if two_sides(s, t, kind)]

    def _clash(self, verb: Token, kind: str) -> bool:
        """ "A and B clashed": violence between coordinated subjects (not "A fought alongside
        B", whose sides are one)."""
        return (
            kind == "ASSAULT"
            and verb.lemma_.lower() in self.lex.words.mutual
            and any(c.dep_ == "conj" for s in children(verb, "nsubj") for c in s.children)
            and not any(
                p.lower_ in self.lex.preps.companion for p in children(verb, "prep", "advmod")
            )
        )

    def _backs_a_thing(self, verb: Token) -> bool:
        """ "A and B supported the operation" backs the operation, not each other."""
        return any(o.lower_ not in self.lex.words.each_other for o in children(verb, "dobj"))

    def _own_country(self, source: Arg, plover: str, doc: Doc) -> Arg | None:
        """The implied recipient of a domestic act that names none: the actor's country."""
        actor = source.mention.actor
        country = self.countries.get(actor.country or "")
        if plover not in self.lex.type_classes.domestic or country is None:
            return None
        if not acts_at_home(self.lex, source, doc):
            return None
        mention = dataclasses.replace(source.mention, actor=country, rule="own country")
        return Arg(mention, source.text, source.start, source.end, implied=True)

    def _event(
        self,
        r: Reading,
        mode: str | None,
        source: Arg,
        target: Arg | None,
        mood: str,
        when: When,
        where: Place | None,
        sent: Span,
    ) -> Event:
        confidence = r.construction.confidence
        for arg in (source, target):
            if arg and (arg.indirect or "last named" in arg.mention.rule):
                confidence -= 0.15
        if target is None or target.implied:
            confidence -= 0.2
        return make_event(
            self.lex,
            r.kind,
            mode,
            source,
            target,
            sent=sent,
            trigger=r.token,
            mood=mood,
            when=when,
            where=where,
            confidence=max(confidence, 0.1),
            plover=coded(self.lex, plover_view(r.kind, mood), target),
            rule="; ".join([r.construction.name, *(f"override: {n}" for n in r.fired)]),
        )

    # Definite event nouns ----------------------------------------------------------------------
    def _apply_anaphora(
        self,
        sent: Span,
        n: int,
        actors: DocActors,
        published: date | None,
        events: list[Event],
        history: list[tuple[int, Event]],
    ) -> tuple[list[Event], list[tuple[int, Event]]]:
        """ "The talks will be held in Istanbul": give the earlier talks their place and date."""
        for tok in sent:
            noun = self.lex.nouns.get(tok.lower_)
            if not noun or not any(c.lower_ == "the" for c in tok.children):
                continue
            if tok.dep_ not in ("nsubj", "nsubjpass"):
                continue
            verb = tok.head
            where = place(verb, sent, actors)
            when = event_date(verb, sent, published, modality(self.lex, verb))
            if where is None and when[1] == "published":
                continue
            recent = [ev for k, ev in history if n - k <= _ANAPHORA_WINDOW and ev.type == noun[0]]
            if not recent:
                continue
            first = recent[-1].trigger
            same = {id(ev) for ev in recent if ev.trigger == first}
            events = [_fill(ev, where, when) if id(ev) in same else ev for ev in events]
            history = [(k, _fill(ev, where, when) if id(ev) in same else ev) for k, ev in history]
        return events, history


def _fill(ev: Event, where: Place | None, when: When) -> Event:
    """An event with the place and date a later sentence gave it, where it had none."""
    changes: dict[str, object] = {}
    if ev.location is None and where is not None:
        changes["location"] = where
    if ev.date_precision == "published" and when[1] != "published":
        changes.update(date=when[0], date_precision=when[1], date_text=when[2])
    return dataclasses.replace(ev, **changes) if changes else ev


def _dedupe(events: list[Event]) -> list[Event]:
    """The events without repeats of a type, source and target in one sentence; an act with
    no target gives way to the same source's act of that type on a target in the sentence
    ("killed one soldier and wounded two others" is one attack on the soldiers)."""
    aimed = {(ev.type, ev.source.actor.id, ev.sentence_start) for ev in events if ev.target}
    seen = set()
    out = []
    for ev in events:
        key = (
            ev.type,
            ev.source.actor.id,
            ev.target.actor.id if ev.target else None,
            ev.sentence_start,
        )
        if ev.target is None and (ev.type, ev.source.actor.id, ev.sentence_start) in aimed:
            continue
        if key not in seen:
            seen.add(key)
            out.append(ev)
    return out
