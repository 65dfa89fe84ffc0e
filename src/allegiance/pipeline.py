"""The pipeline object: loads the model and the knowledge once, then codes articles."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from .corpus.inputs import published_date
from .errors import InputError
from .knowledge.kb import KnowledgeBase, load
from .knowledge.lexicon import load_lexicon
from .knowledge.places import load_gazetteer
from .nlp.actors.resolve import ActorResolver, DocActors, actor_for_span
from .nlp.clean import clean_article
from .nlp.events.extract import EventExtractor
from .nlp.events.model import load_model
from .nlp.model import load_pipeline, parse_many
from .records import Article, ArticleResult, Mention, RawDoc, Rejected
from .settings import Settings


class Pipeline:
    """clean -> nlp -> actors -> events for one article or a stream of them."""

    def __init__(self, settings: Settings | None = None, kb: KnowledgeBase | None = None) -> None:
        self.settings = settings or Settings()
        self.nlp = load_pipeline(self.settings)
        self.kb = kb or load(
            lambda s: [t.text for t in self.nlp.tokenizer(s)], self.settings.actors_file
        )
        self.resolver = ActorResolver(self.kb, load_gazetteer())
        learned = self.settings.learned
        model = load_model(self.settings.event_model) if learned else None
        self.extractor = EventExtractor(load_lexicon(), self.kb.countries, model)
        # The type of a pair given as an event (``classify``): small, so loaded with the rest.
        self.typer = load_model(self.settings.event_model, "typer") if learned else None

    def run(self, raw: RawDoc) -> ArticleResult | Rejected:
        """Code one raw document."""
        return next(self.run_many([raw]))

    def run_many(self, items: Iterable[RawDoc | Rejected]) -> Iterator[ArticleResult | Rejected]:
        """Code a stream of raw documents lazily, in order, parsing in batches; an input
        already rejected (by the reader) passes through in its place."""
        cleaned = (
            item if isinstance(item, Rejected) else clean_article(item, self.settings)
            for item in items
        )
        return self.code_many(cleaned)

    def code_many(self, items: Iterable[Article | Rejected]) -> Iterator[ArticleResult | Rejected]:
        """Code articles already cleaned (``recode``: the store's bodies, whose offsets the
        stored spans index), lazily and in order; a Rejected passes through."""
        pairs = ((c.text if isinstance(c, Article) else "", c) for c in items)
        for doc, item in parse_many(self.nlp, pairs, self.settings):
            if isinstance(item, Rejected):
                yield item
                continue
            found: DocActors = self.resolver.resolve(doc, item.published)
            events = self.extractor.extract(doc, found, item.published)
            kept = tuple(e for e in events if e.confidence >= self.settings.min_confidence)
            yield ArticleResult(article=item, mentions=found.mentions, events=kept)

    def resolve_spans(
        self, text: str, published: date | None, spans: Iterable[tuple[int, int]]
    ) -> list[Mention | None]:
        """Resolve given character spans of a sentence or text (for evaluation and tools)."""
        doc = self.nlp(text)
        found = self.resolver.resolve(doc, published)
        return [actor_for_span(doc, found, start, end) for start, end in spans]


def extract(
    text: str,
    published: date | str | None = None,
    title: str | None = None,
    pipeline: Pipeline | None = None,
) -> ArticleResult | Rejected:
    """Code one article's text: the library's front door. ``published`` is a date or a
    string in any form ``ingest`` reads (``"2020-06-13"``, ``"Jun 13, 2020"``...).

    Build a ``Pipeline`` once and pass it in when coding many texts; without one, this loads
    the model and the knowledge base on every call.

    Raises:
        InputError: ``published`` is not a date.
    """
    try:
        day = published_date(published)
    except ValueError:
        raise InputError(
            f"published={published!r} is not a date; give a date or 'YYYY-MM-DD'"
        ) from None
    pipe = pipeline or Pipeline()
    return pipe.run(RawDoc(id=None, source="<text>", text=text, title=title, published=day))
