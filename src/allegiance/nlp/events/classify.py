"""Dyad classification: the PLOVER event between two given actor spans of a sentence.

This is the task of the zero-shot PLOVER papers: the actors are given, the event type is
asked, under PLOVER's coding conventions (``events.plover_view``: a promised act is AGREE).
Either way the two spans are the sentence's only actors (no named entities are needed) and
the rules run as usual. The rules' answer is their event between the two, else the reverse,
else what the source did alone, else the trigger on the dependency path that joins them;
when there is none the sentence has no event for the pair (None). The learned typer
(``make train``: a logistic regression trained on the PLV training dyads and the team's
codebook sentences, read the same way) takes the rules' answer and what the rules and the
lexicon read around the pair as features, and its most probable type is the answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from ...records import Actor, Event, Mention
from ..actors.resolve import DocActors
from .candidates import Candidate, features, pair
from .decide import trigger_of_pair
from .extract import EventExtractor, plover_view
from .model import EventModel

# A type outside the label set asked for folds into its nearest one: RETREAT and CONCEDE are
# both "yield" in CAMEO; a set without RETREAT (the PLV dyads) codes withdrawals as CONCEDE.
_FOLD = {"RETREAT": "CONCEDE", "CONCEDE": "RETREAT", "MOBILIZE": "THREATEN"}
# Confidence of the fallbacks, below an extracted event's.
_REVERSED = 0.6
_NO_TARGET = 0.55
_PATH = 0.5
_NEAREST = 0.3
# What the typer reads of a pair: what the rules read (``r*:``, ``ans:``), the lexicon's types
# on the path and around it, and the path's shape; not the words themselves, which learn the
# PLV dyads' sources and conventions and type other sets worse (GSR dev macro-F1 0.72 with
# them, 0.74 without).
_TYPER_READS = (
    *"r: rk: rm: rr: rs: rt: ro: ans: sgt: lcat: lot: pt: vt: vct: lcap: dist:".split(),
    *"s_first t_first conj neg t_place t_none".split(),
)
_SUBJECT_PRONOUNS = frozenset(["he", "she", "it", "they", "we"])
# How the rules' events of a dyad weigh, by their (source, target).
_WEIGHTS = {
    ("source", "target"): ("event", 1.0),
    ("target", "source"): ("reversed", _REVERSED),
    ("source", None): ("alone", _NO_TARGET),
}


@dataclass(frozen=True, slots=True)
class Dyad:
    """One classification request: a sentence and the character spans of its two actors."""

    id: str
    text: str
    source: tuple[int, int]
    target: tuple[int, int]


def record_dyads(rec: dict[str, Any]) -> Iterator[tuple[Dyad, dict[str, Any]]]:
    """Each event of a PLOVER-style record (``{id, text, events}``) with both actors' spans
    marked, as a dyad ``{id}#{n}``, with the event."""
    for n, ev in enumerate(rec.get("events") or []):
        src, tgt = ev.get("source") or {}, ev.get("target") or {}
        if src.get("start") is None or tgt.get("start") is None:
            continue
        span = (src["start"], src["end"]), (tgt["start"], tgt["end"])
        yield Dyad(f"{rec['id']}#{n}", rec["text"], *span), ev


@dataclass(frozen=True, slots=True)
class Classification:
    """The event type between a dyad's actors (None when there is none), with a confidence."""

    id: str
    type: str | None
    mode: str | None
    confidence: float


class DyadClassifier:
    """Holds a parser, the event extractor and, for the learned path, the typer; classifies
    dyads in batches."""

    def __init__(
        self,
        nlp: Language,
        extractor: EventExtractor,
        labels: frozenset[str] | None = None,
        typer: EventModel | None = None,
    ) -> None:
        self.nlp = nlp
        self.extractor = extractor
        self.labels = labels
        self.typer = typer

    def _label(self, kind: str | None) -> str | None:
        if kind is None or self.labels is None or kind in self.labels:
            return kind
        folded = _FOLD.get(kind)
        return folded if folded in self.labels else None

    def classify_many(
        self, dyads: Iterable[Dyad], batch_size: int = 64
    ) -> Iterator[Classification]:
        """Classify dyads lazily, parsing in batches. Named entities are not needed: the rules
        and the typer read the two given spans as the sentence's only actors."""
        pairs = ((d.text, d) for d in dyads)
        off = [p for p in ("ner",) if p in self.nlp.pipe_names]
        with self.nlp.select_pipes(disable=off):
            for doc, dyad in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
                yield self.learned(doc, dyad) if self.typer else self.classify_doc(doc, dyad)

    def dyad_features(self, doc: Doc, dyad: Dyad) -> tuple[list[str], Candidate] | None:
        """The typer's features of a dyad (None when its spans are not the sentence's words):
        the candidate features of the marked pair, with the rules run on the two spans as the
        only actors, and the rules' answer for the dyad (``rules_reading``) as one feature."""
        given = _dyad_actors(doc, dyad)
        if given is None:
            return None
        s, t = given.mentions
        hs, ht = _head(doc, s), _head(doc, t)
        cand = pair(hs.sent, s, t, hs, ht)
        rules = self.extractor.rule_events(doc, given, None)
        feats = [f for f in features(cand, rules, self.extractor.lex) if f.startswith(_TYPER_READS)]
        reading = self.rules_reading(doc, given, rules)
        if reading is not None:
            feats += [f"ans:{reading[0]}", f"ans:{reading[3]}:{reading[0]}"]
        return feats, cand

    def learned(self, doc: Doc, dyad: Dyad) -> Classification:
        """The typer's most probable type for the marked pair, under PLOVER's view."""
        assert self.typer is not None
        read = self.dyad_features(doc, dyad)
        if read is None:
            return Classification(dyad.id, None, None, 0.0)
        feats, cand = read
        kind, prob = self.typer.best_type(self.typer.probabilities([feats])[0])
        tok = trigger_of_pair(cand)
        mode = self.extractor.trigger_of(tok)
        plover = plover_view(kind, self.extractor.modality_of(tok))
        return Classification(
            dyad.id,
            self._label(plover),
            mode[1] if mode and mode[0] == kind else None,
            round(self.typer.confidence(prob), 3),
        )

    def classify_doc(self, doc: Doc, dyad: Dyad) -> Classification:
        """The rules' answer for the dyad (None when they read no event for it)."""
        actors = _dyad_actors(doc, dyad)
        if actors is None:
            return Classification(dyad.id, None, None, 0.0)
        reading = self.rules_reading(doc, actors, self.extractor.rule_events(doc, actors, None))
        if reading is None:
            return Classification(dyad.id, None, None, 0.0)
        kind, mode, score, _ = reading
        return Classification(dyad.id, self._label(kind), mode, round(score, 3))

    def rules_reading(
        self, doc: Doc, actors: DocActors, found: list[Event]
    ) -> tuple[str, str | None, float, str] | None:
        """(PLOVER type, mode, confidence, how) the rules give the dyad whose two spans are
        ``actors``: an event between the two, else the reverse, else what the source did
        alone; when they read none, the trigger on the parse path that joins the two, else
        the nearest one."""
        best: tuple[float, str, str | None, str] | None = None
        for ev in found:
            pair = (ev.source.actor.id, ev.target.actor.id if ev.target else None)
            how, weight = _WEIGHTS.get(pair, ("", 0.0))
            score = ev.confidence * weight
            if score and (best is None or score > best[0]):
                best = (score, plover_view(ev.type, ev.modality), ev.mode, how)
        if best is not None:
            return best[1], best[2], best[0], best[3]
        trig = self._path_trigger(doc, actors)
        if trig is not None:
            return trig[0], trig[1], trig[2], "path" if trig[2] == _PATH else "near"
        return None

    def _path_trigger(self, doc: Doc, actors: DocActors) -> tuple[str, str | None, float] | None:
        """The lexicon word on the parse path joining the two actors, else the nearest one."""
        heads = {m.actor.id: _head(doc, m) for m in actors.mentions}
        if len(heads) < 2:
            return None
        path = _path(heads["source"], heads["target"])
        for tok in path:
            hit = self.extractor.trigger_of(tok)
            if hit:
                return plover_view(hit[0], self.extractor.modality_of(tok)), hit[1], _PATH
        anchor = path[len(path) // 2] if path else heads["source"]
        sent = anchor.sent
        ranked = sorted(sent, key=lambda t: abs(t.i - anchor.i))
        for tok in ranked:
            if tok.pos_ in ("VERB", "NOUN"):
                hit = self.extractor.trigger_of(tok)
                if hit:
                    return plover_view(hit[0], self.extractor.modality_of(tok)), hit[1], _NEAREST
        return None


def _dyad_actors(doc: Doc, dyad: Dyad) -> DocActors | None:
    mentions = []
    owner: dict[int, Mention] = {}
    for role, (start, end) in (("source", dyad.source), ("target", dyad.target)):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        actor = Actor(id=role, name=span.text, country=None, sector=None, kind="given")
        mention = Mention(span.text, span.start_char, span.end_char, actor, "given span")
        mentions.append(mention)
        for tok in span:
            owner.setdefault(tok.i, mention)
    for tok in doc:
        reporter = _reporter(tok, owner)
        if reporter is not None:
            owner.setdefault(tok.i, reporter)
    return DocActors(tuple(mentions), owner)


def _reporter(tok: Token, owner: dict[int, Mention]) -> Mention | None:
    """The given actor a subject pronoun of a reported clause stands for: "France announced
    that *it* will withdraw" is France (the pipeline's coreference does this for articles;
    here the two spans are the only actors)."""
    if tok.lower_ not in _SUBJECT_PRONOUNS or tok.dep_ not in ("nsubj", "nsubjpass"):
        return None
    clause = tok.head
    if clause.dep_ not in ("ccomp", "xcomp") or tok.i in owner:
        return None
    return next(
        (owner[s.i] for s in clause.head.children if s.dep_ == "nsubj" and s.i in owner), None
    )


def _head(doc: Doc, mention: Mention) -> Token:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    assert span is not None
    return span.root


def _path(a: Token, b: Token) -> list[Token]:
    """Tokens on the dependency path from a to b, without the two ends, nearest to a first."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    common = next((t for t in up_a if t in up_b), None)
    if common is None:
        return []
    left = up_a[1 : up_a.index(common)]
    right = up_b[1 : up_b.index(common)]
    middle = [common] if common not in (a, b) else []
    return left + middle + list(reversed(right))
