"""Which of the knowledge base's entries a name in an article means: the one in office on
the article's date, of a country the article names, or named with its own title; and when
a surname or a shared party name has no such evidence, none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from spacy.tokens import Span

from ...knowledge.kb import Entry, KnowledgeBase, slug
from ...records import Actor
from .drafts import KIND_RANK, Draft


def before_office(entry: Entry, when: date | None) -> bool:
    return when is not None and entry.start is not None and when < entry.start


def existing(entries: Sequence[Entry], published: date) -> tuple[Entry, ...]:
    """The entries but groups founded more than a year after the article's date (the base
    gives founding years; a group is often named in the year before the one it is dated
    from). People are chosen by their terms elsewhere; a defunct group is still named."""
    return tuple(
        e
        for e in entries
        if e.kind != "group" or e.start is None or (e.start - published).days <= _GRACE_DAYS
    )


_GRACE_DAYS = 366


def fits(entry: Entry, when: date | None, hints: Counter[str | None]) -> bool:
    """Whether the article gives evidence for a person its surname alone names: in office on
    its date, and his country (or capital) named in it; an official of an organisation
    (no country) needs only the date."""
    if when is None or not entry.active(when):
        return False
    return entry.actor.country is None or hints.get(entry.actor.country, 0) > 0


def surname_entries(
    entries: Sequence[Entry],
    span: Span,
    published: date | None,
    hints: Counter[str | None],
    in_full: set[str],
    kb: KnowledgeBase,
) -> list[Entry]:
    """The people a bare surname may mean: those who fit the article (see ``fits``) or
    follow their own title. An undated article gives no term to check: there the surname is
    the one person of a country the article names who bears it ("al-Maliki" in a story
    naming Iraq), or when several do, the one who led that state ("Mr Blair" in a British
    story is Tony Blair, not the police commissioner: a leader's surname alone is how news
    calls him), else no one; one the article names in full (``in_full``: ids) is left to
    coreference, which gives him his role of the article's era."""
    if published is None and any(e.actor.id in in_full for e in entries):
        return []
    if published is None:
        found = [e for e in entries if titled(span, e)]
        if found:
            return found
        found = [e for e in entries if e.actor.country and hints.get(e.actor.country, 0) > 0]
        if len({e.actor.id for e in found}) > 1:
            found = [e for e in found if kb.headed_state(e.actor.id)]
        return found if len({e.actor.id for e in found}) == 1 else []
    return [e for e in entries if fits(e, published, hints) or titled(span, e)]


def kin_country(
    entries: Sequence[Entry], published: date | None, hints: Counter[str | None]
) -> tuple[str, str | None] | None:
    """The country, and in an undated article the sector, of a surname no one person can be
    linked from, when every bearer the base knows of a country the article names is of that
    one country and there are several: "Bush" in an undated story naming the United States
    is an American leader whichever Bush is meant (the two presidents and a governor). One
    bearer alone is no such evidence ("Goma", "Frank" may be anyone, or a place). A dated
    article says which term is meant, so there the sector is left open."""
    found = [e for e in entries if e.actor.country and hints.get(e.actor.country, 0) > 0]
    countries = {e.actor.country for e in found}
    if len({e.actor.id for e in found}) < 2 or len(countries) != 1:
        return None
    sectors = {e.actor.sector for e in found}
    sector = sectors.pop() if len(sectors) == 1 and published is None else None
    return countries.pop() or "", sector


def kin_draft(
    span: Span,
    entries: Sequence[Entry],
    published: date | None,
    hints: Counter[str | None],
    in_full: set[str],
) -> list[Draft]:
    """An unknown person of the country all the surname's known bearers share (see
    ``kin_country``); none when one of them is named in full (coreference links him)."""
    if any(e.actor.id in in_full for e in entries):
        return []
    kin = kin_country(entries, published, hints)
    if kin is None:
        return []
    country, sector = kin
    actor = Actor(id=slug(span.text), name=span.text, country=country, sector=sector, kind="person")
    rule = "surname several of its leaders bear"
    return [Draft(span.start, span.end, actor, rule, "person", head=span.root.i, text=span.text)]


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


def on_the_day(
    kb: KnowledgeBase, entry: Entry, published: date | None, when: date | None
) -> tuple[Actor, str]:
    """An entry's actor as it was on the article's date (``when``: the date or the
    people's era): a group in its role then, a person before his office."""
    actor, rule = entry.actor, f"knowledge base: {entry.kind}"
    if entry.kind == "group" and kb.sector_on(actor, when) != actor.sector:
        actor = replace(actor, sector=kb.sector_on(actor, when))
        rule += " in its role of the time"
    if entry.kind == "person" and before_office(entry, published):
        # Before the office the base knows him in, his role that day is what the
        # sentence says ("opposition leader Raila Odinga" in 1997), or the group he led
        # (Kabila's rebels), else unknown. After it he is most often still in public
        # life in the same camp (another ministry, an envoy): the base's sector stands.
        actor = replace(actor, sector=kb.leads(actor, published), office=None)
        rule += " before taking office"
    return actor, rule
