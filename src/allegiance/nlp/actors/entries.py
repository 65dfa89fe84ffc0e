"""Which of the knowledge base's entries a name in an article means: the one in office on
the article's date, of a country the article names, or named with its own title; and when
a surname or a shared party name has no such evidence, none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from spacy.tokens import Span

from ...knowledge.kb import Entry
from .drafts import KIND_RANK


def before_office(entry: Entry, when: date | None) -> bool:
    return when is not None and entry.start is not None and when < entry.start


def fits(entry: Entry, when: date | None, hints: Counter[str | None]) -> bool:
    """Whether the article gives evidence for a person its surname alone names: in office on
    its date, and his country (or capital) named in it; an official of an organisation
    (no country) needs only the date."""
    if when is None or not entry.active(when):
        return False
    return entry.actor.country is None or hints.get(entry.actor.country, 0) > 0


def titled(span: Span, entry: Entry) -> bool:
    """Whether the surname follows the person's own title ("President Obama", "Prime
    Minister Blair"): evidence of who is meant whatever the date says."""
    office = (entry.actor.office or "").split()
    before = span.doc[span.start - 1] if span.start > 0 else None
    return bool(office) and before is not None and before.text.casefold() == office[-1].casefold()


def unsettled_groups(entries: Sequence[Entry], hints: Counter[str | None]) -> bool:
    """Whether a name only groups of several countries go by has none of their countries
    named in the article: no evidence for any of them."""
    if not all(e.kind == "group" for e in entries):
        return False
    countries = {e.actor.country for e in entries}
    return len(countries) > 1 and not any(hints.get(c, 0) for c in countries)


def choose(entries: Sequence[Entry], when: date | None, named: Counter[str | None]) -> Entry:
    """Pick among entries sharing an alias: in office on the date, then a country the
    article names elsewhere, then the kind most likely meant."""

    def rank(e: Entry) -> tuple[int, int, int]:
        return (
            0 if e.active(when) else 1,
            -named.get(e.actor.country, 0),
            KIND_RANK.get(e.kind, 9),
        )

    return min(entries, key=rank)
