"""The modality, date and place of an event, from the words around its clause."""

from __future__ import annotations

from datetime import date

from spacy.tokens import Span, Token

from ...knowledge.lexicon import Lexicon
from ...records import Place
from ..actors.resolve import DocActors
from ..dates import resolve_date
from .parse import cause_gerund, clause_verb

# Precedence when several cues apply to one event.
_MODALITY_ORDER = ("negated", "hypothetical", "planned", "alleged", "reported", "asserted")
# How many clauses up a cue may govern an event ("officials said X planned to attack").
_MAX_CLAUSES = 4

When = tuple[str | None, str, str | None]  # date value, precision, the words that gave it


def modality(lex: Lexicon, verb: Token) -> str:
    """The modality of a verb's clause, from its own cues and those of the clauses above."""
    cues: set[str] = set()
    node = verb
    for _ in range(_MAX_CLAUSES):
        cues |= _own_cues(lex, node)
        if _blamed_for(lex, node):
            # "accused Iran of arming the Houthis": the blamer's claim, not the reporter's
            cues.add("alleged")
        if node.dep_ not in ("xcomp", "ccomp", "conj", "relcl", "advcl") or (node.head.i == node.i):
            break
        cues |= _governing_cues(lex, node)
        node = node.head
    return next(x for x in _MODALITY_ORDER if x in cues or x == "asserted")


def _blamed_for(lex: Lexicon, node: Token) -> bool:
    """A gerund giving what someone is blamed or punished for ("accused X of arming",
    "sanctions on X for helping"), not praised for ("thanked X for hosting")."""
    blamer = cause_gerund(node, lex.preps.cause)
    if blamer is None:
        return False
    words = [blamer, *(c for c in blamer.children if c.dep_ == "dobj")]
    kinds = {
        (lex.verbs.get(w.lemma_.lower()) or lex.nouns.get(w.lower_) or ("",))[0] for w in words
    }
    blaming = blamer.lemma_ in lex.modality["alleged_verbs"]
    return blaming or bool(kinds & lex.type_classes.hostile)


def _own_cues(lex: Lexicon, node: Token) -> set[str]:
    """Cues among a clause's own words: "not", "will", "could", "if", "reportedly"."""
    m = lex.modality
    cues = set()
    for c in node.children:
        if c.dep_ == "neg":
            cues.add("negated")
        if c.dep_ == "aux" and c.lower_ in m["planned_aux"]:
            cues.add("planned")
        if c.dep_ == "aux" and c.lower_ in m["hypothetical_aux"]:
            reported_future = (
                c.lower_ == "would"
                and node.dep_ == "ccomp"
                and node.head.lemma_.lower() in m["reported_verbs"]
            )
            # "said it would boycott": the future seen from a report, not a condition
            cues.add("planned" if reported_future else "hypothetical")
        if c.dep_ == "mark" and c.lower_ in m["hypothetical_marks"]:
            cues.add("hypothetical")
        if c.lower_ in m["reported_adverbs"]:
            cues.add("reported")
        if c.lower_ in m["alleged_adverbs"]:
            cues.add("alleged")
        if c.dep_ == "parataxis" and c.lemma_ in m["reported_verbs"]:
            cues.add("reported")
    return cues


def _governing_cues(lex: Lexicon, node: Token) -> set[str]:
    """Cues of the verb a clause depends on: "planned to", "denied that", "said that"."""
    m = lex.modality
    cues = set()
    lemma = node.head.lemma_.lower()
    if node.dep_ == "xcomp" and lemma in m["planned_verbs"]:
        cues.add("planned")
    if lemma in m["negating_verbs"] and node.dep_ in ("xcomp", "ccomp"):
        cues.add("negated")
    elif lemma in m["alleged_verbs"] and node.dep_ in ("ccomp", "xcomp"):
        cues.add("alleged")
    elif lemma in m["reported_verbs"] and node.dep_ == "ccomp":
        cues.add("reported")
    return cues


def event_date(verb: Token, sent: Span, published: date | None, modality: str) -> When:
    """The date a DATE entity of the verb's clause gives, resolved against the publication
    date; else the publication date."""
    if published is None:
        return None, "unknown", None
    tense = (
        "future"
        if modality == "planned"
        else ("past" if verb.tag_ in ("VBD", "VBN") else "present")
    )
    for ent in sent.ents:
        if ent.label_ != "DATE" or clause_verb(ent.root) != verb:
            continue
        value = resolve_date(ent.text, published, tense)
        if value:
            return value.value, value.precision, ent.text
    return published.isoformat(), "published", None


def place(verb: Token, sent: Span, actors: DocActors) -> Place | None:
    """The first place the sentence names in the verb's clause or its prepositions."""
    places = []
    for tok in sent:
        m = actors.at(tok)
        if m is not None and m.is_place and tok.dep_ == "pobj":
            places.append((tok, m))
    for tok, m in places:
        if clause_verb(tok) == verb or tok.head.head == verb:
            return Place(
                name=m.actor.name if m.actor.kind == "place" else m.text,
                country=m.actor.country,
                lat=m.lat,
                lon=m.lon,
            )
    return None
