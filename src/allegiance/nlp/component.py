"""A spaCy pipeline component for users who already run spaCy: ``nlp.add_pipe("allegiance")``.

The component resolves actors and extracts events as ``allegiance extract`` does, and keeps
them in ``doc.user_data`` (no global ``Doc`` extension is registered): read them with
``events_of(doc)`` and ``mentions_of(doc)``. A document's publication date, for dates like
"on Sunday", is taken from ``doc.user_data["published"]`` (a ``datetime.date``) or from the
component's ``published`` setting (YYYY-MM-DD).

The factory is registered through the ``spacy_factories`` entry point, so spaCy finds it
without importing allegiance first.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ..knowledge.kb import load
from ..knowledge.lexicon import load_lexicon
from ..knowledge.places import load_gazetteer
from ..records import Event, Mention
from .actors.resolve import ActorResolver
from .events.extract import EventExtractor
from .events.model import load_model

_EVENTS = "allegiance_events"
_MENTIONS = "allegiance_mentions"


class AllegianceComponent:
    """Holds the knowledge base, gazetteer and lexicon; ``__call__`` codes one Doc."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        published: str | None,
        actors_file: str | None,
        learned: bool = False,
    ) -> None:
        self.name = name
        self.published = date.fromisoformat(published) if published else None
        tokenize = nlp.tokenizer
        kb = load(
            lambda s: [t.text for t in tokenize(s)], Path(actors_file) if actors_file else None
        )
        self.resolver = ActorResolver(kb, load_gazetteer())
        model = load_model() if learned else None
        self.extractor = EventExtractor(load_lexicon(), kb.countries, model)

    def __call__(self, doc: Doc) -> Doc:
        published = doc.user_data.get("published", self.published)
        found = self.resolver.resolve(doc, published)
        doc.user_data[_MENTIONS] = found.mentions
        doc.user_data[_EVENTS] = tuple(self.extractor.extract(doc, found, published))
        return doc


@Language.factory(
    "allegiance",
    default_config={"published": None, "actors_file": None, "learned": False},
    requires=["token.dep", "token.lemma", "doc.ents"],
)
def make_component(
    nlp: Language, name: str, published: str | None, actors_file: str | None, learned: bool
) -> AllegianceComponent:
    """Create the component (spaCy calls this for ``nlp.add_pipe("allegiance")``; the
    config's ``learned`` is the CLI's ``--coder learned``)."""
    return AllegianceComponent(nlp, name, published, actors_file, learned)


def events_of(doc: Doc) -> tuple[Event, ...]:
    """The events the component found in a Doc (empty if it has not run)."""
    return tuple(doc.user_data.get(_EVENTS, ()))


def mentions_of(doc: Doc) -> tuple[Mention, ...]:
    """The actor and place mentions the component found in a Doc."""
    return tuple(doc.user_data.get(_MENTIONS, ()))
