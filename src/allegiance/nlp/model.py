"""NLP stage: the spaCy pipeline, loaded once by package name, and parsing in batches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ModelError
from ..settings import Settings

T = TypeVar("T")


def load_pipeline(settings: Settings) -> Language:
    """Load the English pipeline named in settings; nothing is downloaded.

    Raises:
        ModelError: the package is not installed in this environment.
    """
    try:
        return spacy.load(settings.model)
    except OSError as exc:
        raise ModelError(
            f"spaCy pipeline '{settings.model}' is not installed; run `make demo` or "
            "`pip install --require-hashes -r requirements/main.txt` to install it"
        ) from exc


def parse_many(
    nlp: Language, items: Iterable[tuple[str, T]], settings: Settings
) -> Iterator[tuple[Doc, T]]:
    """Parse (text, context) pairs lazily in batches, carrying each context along."""
    yield from nlp.pipe(items, as_tuples=True, batch_size=settings.batch_size)
