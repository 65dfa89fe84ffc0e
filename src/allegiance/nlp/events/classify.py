"""Dyad classification: the PLOVER event between two given actor spans of a sentence.

This is the task of the zero-shot PLOVER papers: the actors are given, the event type is
asked, under PLOVER's coding conventions (``events.plover_view``: a promised act is AGREE).
With the learned typer (``make train``: a logistic regression over the same candidate
features as the event model, trained on the PLV training dyads and the team's codebook
sentences, every one an event), the typer decides: the pair is read as an article's actors
are, and its most probable type under PLOVER's view is the answer. Without it (the rules' coder)
the two spans become the only actors of the sentence and the rules run as usual; when they
find no event between them, the trigger on the dependency path that joins them decides, and
when there is none the sentence has no event for the pair (None).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

from ...records import Actor, Mention
from ..actors.resolve import ActorResolver, DocActors, actor_for_span
from .candidates import features, pair
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


@dataclass(frozen=True, slots=True)
class Dyad:
    """One classification request: a sentence and the character spans of its two actors."""

    id: str
    text: str
    source: tuple[int, int]
    target: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Classification:
    """The event type between a dyad's actors (None when there is none), with a confidence."""

    id: str
    type: str | None
    mode: str | None
    confidence: float


class DyadClassifier:
    """Holds a parser, the event extractor and, for the learned path, the actor resolver and
    the typer; classifies dyads in batches."""

    def __init__(
        self,
        nlp: Language,
        extractor: EventExtractor,
        labels: frozenset[str] | None = None,
        resolver: ActorResolver | None = None,
        typer: EventModel | None = None,
    ) -> None:
        self.nlp = nlp
        self.extractor = extractor
        self.labels = labels
        self.resolver = resolver
        self.typer = typer

    def _label(self, kind: str | None) -> str | None:
        if kind is None or self.labels is None or kind in self.labels:
            return kind
        folded = _FOLD.get(kind)
        return folded if folded in self.labels else None

    def classify_many(
        self, dyads: Iterable[Dyad], batch_size: int = 64
    ) -> Iterator[Classification]:
        """Classify dyads lazily, parsing in batches (named entities are not needed)."""
        pairs = ((d.text, d) for d in dyads)
        learned = self.typer is not None and self.resolver is not None
        # The rules need no named entities; the model reads the actors as the pipeline does.
        off = [] if learned else [p for p in ("ner",) if p in self.nlp.pipe_names]
        with self.nlp.select_pipes(disable=off):
            for doc, dyad in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
                yield self.learned(doc, dyad) if learned else self.classify_doc(doc, dyad)

    def learned(self, doc: Doc, dyad: Dyad) -> Classification:
        """The model's type for the pair: the actors resolved as in an article, the two spans
        standing for whichever actors they name, the most probable type other than none."""
        assert self.resolver is not None and self.typer is not None
        model, lex = self.typer, self.extractor.lex
        actors = self.resolver.resolve(doc, None)
        given = _dyad_actors(doc, dyad)
        if given is None:
            return Classification(dyad.id, None, None, 0.0)
        spans = (dyad.source, dyad.target)
        s, t = (actor_for_span(doc, actors, a, b) for a, b in spans)
        if s is None or t is None or s.is_place or s.actor.id == t.actor.id:
            s, t = given.mentions
        heads = [doc.char_span(m.start, m.end, alignment_mode="expand") for m in (s, t)]
        if not all(heads):
            return Classification(dyad.id, None, None, 0.0)
        cand = pair(heads[0].root.sent, s, t, heads[0].root, heads[1].root)
        rules = self.extractor.rule_events(doc, actors, None)
        probs = model.probabilities([features(cand, rules, lex)])[0]
        kind, prob = model.best_type(probs)
        tok = trigger_of_pair(cand)
        mood = self.extractor.modality_of(tok)
        mode = self.extractor.trigger_of(tok)
        plover = plover_view(kind, mood)
        return Classification(
            dyad.id,
            self._label(plover),
            mode[1] if mode and mode[0] == kind else None,
            round(model.confidence(prob), 3),
        )

    def classify_doc(self, doc: Doc, dyad: Dyad) -> Classification:
        actors = _dyad_actors(doc, dyad)
        if actors is None:
            return Classification(dyad.id, None, None, 0.0)
        found = self.extractor.rule_events(doc, actors, None)
        best: tuple[float, str, str | None] | None = None
        for ev in found:
            pair = (ev.source.actor.id, ev.target.actor.id if ev.target else None)
            # An event between the two, else the reverse, else what the source did alone.
            weight = {
                ("source", "target"): 1.0,
                ("target", "source"): _REVERSED,
                ("source", None): _NO_TARGET,
            }.get(pair, 0.0)
            score = ev.confidence * weight
            if score and (best is None or score > best[0]):
                best = (score, plover_view(ev.type, ev.modality), ev.mode)
        if best is not None:
            return Classification(dyad.id, self._label(best[1]), best[2], round(best[0], 3))
        trig = self._path_trigger(doc, actors)
        if trig is not None:
            return Classification(dyad.id, self._label(trig[0]), trig[1], trig[2])
        return Classification(dyad.id, None, None, 0.0)

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
    return DocActors(tuple(mentions), owner)


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
