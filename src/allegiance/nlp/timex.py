"""Time expressions in a sentence: the clause's tense from the parse, then dates.resolve_date."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from spacy.language import Language
from spacy.tokens import Token

from .dates import resolve_date

_FUTURE_AUX = frozenset(["will", "shall", "'ll", "wo"])
_PLAN_VERBS = frozenset(["expect", "plan", "schedule", "due", "intend", "prepare"])
# Words between a date and its verb that point it forward: "payable Dec. 15", "effective
# June 1", "until March".
_FORWARD = frozenset(
    [
        "payable",
        "effective",
        "due",
        "scheduled",
        "starting",
        "beginning",
        "until",
        "till",
        "next",
        "soon",
    ]
)


@dataclass(frozen=True, slots=True)
class TimeRequest:
    """A time expression's span in a sentence, and the publication date it is relative to."""

    id: str
    text: str
    start: int
    end: int
    published: date


def clause_tense(tok: Token) -> str:
    """past, present or future: the tense of the clause a word belongs to.

    Infinitives take the tense of the verb they depend on ("expect the deal to be completed
    by Dec. 15" is future); "will", "expect", "plan" make a clause future.
    """
    node = tok
    while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        node = node.head
        if node.lower_ in _FORWARD:
            return "future"
    for _ in range(4):
        children = list(node.children)
        if any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in children):
            return "future"
        # "would be traveling Thursday": the future seen from a past report, unless it is
        # the counterfactual "would have".
        if any(c.lower_ == "would" for c in children) and not any(
            c.lower_ == "have" and c.dep_ == "aux" for c in children
        ):
            return "future"
        if node.lemma_ in _PLAN_VERBS or any(c.lower_ == "going" for c in children):
            return "future"
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in children)
        if (infinitive or node.dep_ == "xcomp") and node.head.i != node.i:
            node = node.head
            continue
        if node.tag_ == "VBD" or any(
            c.tag_ == "VBD" and c.dep_ in ("aux", "auxpass") for c in children
        ):
            return "past"
        if node.tag_ == "VBN":
            return "past"
        return "present" if node.tag_ in ("VBZ", "VBP", "VBG", "VB") else "past"
    return "present"


def resolve_requests(
    nlp: Language, requests: Iterable[TimeRequest]
) -> Iterator[tuple[str, str | None]]:
    """(id, TIMEX3 value or None) for each request, parsing the sentences in batches."""
    pairs = ((r.text, r) for r in requests)
    with nlp.select_pipes(disable=[p for p in ("ner",) if p in nlp.pipe_names]):
        for doc, req in nlp.pipe(pairs, as_tuples=True, batch_size=64):
            span = doc.char_span(req.start, req.end, alignment_mode="expand")
            tense = clause_tense(span.root) if span is not None and len(span) else "past"
            value = resolve_date(req.text[req.start : req.end], req.published, tense)
            yield req.id, value.value if value else None
