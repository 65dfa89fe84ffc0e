"""Actors stage: find the mentions of actors in a parsed article and say who each one is.

Resolution runs in numbered passes over the spaCy parse (the Doc stays inside this stage and
events); each mention records the rule that resolved it, so ``allegiance actors`` can say why.

1. Knowledge-base names (countries, demonyms, capitals, IGOs, armed groups, office holders),
   longest match first, chosen by the article's date and the countries the article names.
2. Named entities the base does not know (people, organisations) are kept as actors.
3. Titles and appositions give unknown people a country and a sector.
4. Agent nouns with their modifiers become compound actors ("Syrian rebels" -> SYR REB,
   "forces loyal to Assad" -> SYR MIL, "pro-Haftar loyalists" -> Haftar's side).
5. Bare surnames of people named earlier resolve to them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from ...knowledge import sectors
from ...knowledge.kb import Entry, KnowledgeBase, fold, slug
from ...knowledge.places import Gazetteer
from ...records import Actor, Mention
from .compounds import Compounder, regional_peoples
from .context import (
    acting_state,
    countries_named,
    domestic_body,
    era,
    international,
    main_country,
    named_town,
    org_country,
    org_sector,
    people_countries,
    people_of,
    place_countries,
    region_around,
    sole_countries,
    story_of,
    unnamed_story,
    waging_war,
)
from .coref import (
    as_of,
    bare_capitals,
    bare_countries,
    bare_surname,
    corefer_names,
    dateline,
    honorific,
    office_holders,
    pronouns,
    surnames,
)
from .drafts import (
    COUNTRYISH,
    FORMER,
    NOT_ACTOR_ENTS,
    PLACE_PREPS,
    SETTLEMENTS,
    Draft,
    agent_at,
    by_token,
    for_body,
)
from .entries import choose, existing, kin_draft, on_the_day, surname_entries, unsettled_groups


def _known_draft(span: Span, actor: Actor, rule: str, kind: str) -> Draft:
    """The draft of a knowledge-base name; a dateline ("KINSHASA - The United States
    urged...") is where the story was filed from: a place, never an actor."""
    if kind in ("capital", "country", "seat") and dateline(span):
        head = span.root.i
        return Draft(span.start, span.end, actor, "a dateline", "place", True, head, text=span.text)
    return Draft(span.start, span.end, actor, rule, kind, head=span.root.i, text=span.text)


def _region_draft(span: Span) -> Draft:
    actor = Actor(id=slug(span.text), name=span.text, country=None, sector=None, kind="place")
    rule = "gazetteer region"
    return Draft(span.start, span.end, actor, rule, "place", True, span.root.i, text=span.text)


@dataclass(frozen=True, slots=True)
class DocActors:
    """The mentions of one Doc, and for each token the mention it belongs to."""

    mentions: tuple[Mention, ...]
    by_token: dict[int, Mention] = field(default_factory=dict)

    def at(self, token: Token) -> Mention | None:
        return self.by_token.get(token.i)


class ActorResolver:
    """Holds the knowledge base; ``resolve(doc, published)`` applies it to one article."""

    def __init__(self, kb: KnowledgeBase, gazetteer: Gazetteer | None = None) -> None:
        self.kb = kb
        self.gazetteer = gazetteer
        self.compounds = Compounder(kb)

    def resolve(self, doc: Doc, published: date | None) -> DocActors:
        """Return every actor and place mention of the Doc with the rule that resolved it."""
        named: Counter[str | None] = Counter()
        drafts = self._known_names(doc, published, named)
        drafts += self._unknown_entities(doc, drafts, named)
        for d in drafts:
            _mark_place(doc, d)
        self._locate(drafts, named)
        drafts = regional_peoples(doc, drafts)
        # The story's main country, counted once from its names and places: an official with
        # a title and no nationality serves it, a bare capital and an agent noun belong to it.
        main = main_country(named, drafts)
        self._infer_titles(doc, drafts, main)
        corefer_names(doc, drafts)
        drafts += surnames(doc, drafts)
        drafts += pronouns(doc, drafts)
        drafts += bare_countries(doc, drafts, self.kb, main)
        capitals = bare_capitals(doc, drafts, self.kb, main)
        self._locate(capitals, named)
        drafts += capitals
        drafts += self.compounds.agents(doc, drafts, main)
        office_holders(doc, drafts, self.kb, published)
        for d in drafts:
            # Named groups and people keep today's country in the base; a country's own name
            # ("East Timor") names that territory whatever the date.
            # The territory's own authorities before statehood (Kosovo's prime minister
            # under UN rule) are not the older state's government: they keep their code.
            own = d.actor.sector in _SERVANTS
            if (
                d.actor.country
                and published
                and d.kind in ("group", "person", "surname")
                and not own
            ):
                d.actor = replace(d.actor, country=as_of(d.actor.country, published))
            people = people_of(doc, d)
            if acting_state(d) or people == "GOV":
                # its code stays the state's, as CAMEO codes "Turkey" (TUR, not TURGOV)
                sector = "MIL" if waging_war(d, doc) else "GOV"
                d.actor = replace(d.actor, sector=sector, cameo=d.actor.country)
            elif people == "CVL":
                # some of its people, not the state: an agent of the camps' bystanders
                c = d.actor.country
                d.actor = replace(d.actor, id=f"{c}CVL", name=d.text, sector="CVL", kind="agent")
        return _finish(doc, drafts)

    # 1. Knowledge-base names -------------------------------------------------------------
    def _known_names(
        self, doc: Doc, published: date | None, named: Counter[str | None]
    ) -> list[Draft]:
        texts = [t.text for t in doc]
        # A group founded years after the article is not the one it names ("Ansar al-Sunna"
        # in 2006 Iraq is not Mozambique's insurgents of 2017).
        matches = [
            replace(m, entries=existing(m.entries, published)) if published else m
            for m in self.kb.find(texts)
        ]
        matches = [m for m in matches if m.entries]
        named.update(countries_named(matches))
        covered = {i for m in matches for i in range(m.start, m.end)}
        named.update(place_countries(doc, covered, self.gazetteer))
        people = people_countries(matches)
        unnamed_story(named, people, doc, self.gazetteer)
        # To choose among entries sharing a name ("Congo"), a capital named is evidence too.
        # So are the people it names: Blair makes "the Tories" Britain's.
        hints = named + people + sole_countries(matches, ("capital",))
        # An undated article's people and groups take their roles of the time its office
        # holders served.
        when = published or era(matches, self.kb)
        in_full = {e.actor.id for m in matches for e in m.entries if e.kind == "person"}
        drafts: list[Draft] = []
        for m in matches:
            span = doc[m.start : m.end]
            if any(t.ent_type_ in NOT_ACTOR_ENTS for t in span) or span[0].is_space:
                continue
            if _inside_longer_name(span, m.entries, covered):
                continue
            if (region := region_around(span, self.gazetteer)) is not None:
                if not drafts or (drafts[-1].start, drafts[-1].end) != (region.start, region.end):
                    drafts.append(_region_draft(region))  # once, whatever names it holds
                continue
            if all(e.kind == "surname" for e in m.entries):
                # A surname alone is a known person only on evidence: the person in office
                # on the article's date and his country named ("Goma" in a 2023 story about
                # Kivu is not the Congolese prime minister of 1991). Without it, a full name
                # earlier still links it (coref), else it is an unknown person or a place.
                entries = surname_entries(m.entries, span, published, hints, in_full, self.kb)
                if not bare_surname(span):
                    continue
                if not entries:
                    drafts += kin_draft(span, m.entries, published, hints, in_full)
                    continue
                m = replace(m, entries=tuple(entries))
            if unsettled_groups(m.entries, hints):
                continue  # "the Greens" in a story that names none of their countries
            if all(e.kind == "demonym" for e in m.entries) and _made_in(doc, m.end):
                continue  # "Chinese-made drones" say where they were built, not who used them
            # (a guessed date does not choose among groups sharing a name: years are not terms)
            people = all(e.kind in ("person", "surname") for e in m.entries)
            entry = choose(m.entries, when if people else published, hints)
            if entry.kind in ("capital", "country") and self._elsewhere(span, entry, named):
                continue
            actor, rule = on_the_day(self.kb, entry, published, when)
            drafts.append(_known_draft(span, actor, rule, entry.kind))
        return drafts

    # 2. Entities the base does not know --------------------------------------------------
    def _elsewhere(self, span: Span, entry: Entry, named: Counter[str | None]) -> bool:
        """A capital's or country's name that the article's other countries say is a place
        elsewhere: "Tripoli" in a story about Lebanon, "Georgia" in one about Atlanta."""
        if self.gazetteer is None:
            return False
        others = [
            c for c in self.gazetteer.candidates(span.text) if c.country != entry.actor.country
        ]
        if not others or (entry.kind == "country" and all(c.kind != "region" for c in others)):
            return False  # most names are nobody else's: settle them without counting
        # The name's own mentions do not vote for it.
        own = sum(1 for t in span.doc if t.text == span[0].text) if entry.kind == "country" else 0
        context = Counter(named)
        context[entry.actor.country] -= own
        loc = self.gazetteer.lookup(span.text, context)
        if loc is None or loc.country == entry.actor.country:
            return False
        if entry.kind == "country" and loc.kind != "region":
            return False  # a country's name is a town elsewhere only in name
        return context[loc.country] > max(context[entry.actor.country], 0)

    def _locate(self, drafts: list[Draft], named: Counter[str | None]) -> None:
        """Give places their country and coordinates from the gazetteer."""
        if self.gazetteer is None:
            return
        for d in drafts:
            if not d.is_place:
                continue
            hint = Counter(named)
            if d.actor.country:
                hint[d.actor.country] += 1000  # a capital's own country first
            loc = self.gazetteer.lookup(d.actor.name if d.kind == "place" else d.text, hint)
            if loc is None:
                continue
            if d.actor.country is None:
                d.actor = replace(d.actor, country=loc.country)
                d.rule += " + gazetteer"
            if loc.country == d.actor.country:
                d.lat, d.lon = loc.lat, loc.lon

    def _unknown_entities(
        self, doc: Doc, known: list[Draft], named: Counter[str | None]
    ) -> list[Draft]:
        taken = {i for d in known for i in range(d.start, d.end)}
        drafts = []
        # The country the names the base knows point to most: an unknown party, court or
        # newspaper is that country's own.
        home = story_of(named, known)
        for found in doc.ents:
            ent = _trim(found)
            if ent is None or any(i in taken for i in range(ent.start, ent.end)):
                continue
            draft = self._entity_draft(ent, home, known, named)
            if draft is not None:
                drafts.append(draft)
        taken |= {i for d in drafts for i in range(d.start, d.end)}
        drafts += self._gazetteer_words(doc, taken)
        return drafts

    def _entity_draft(
        self, ent: Span, home: str | None, known: list[Draft], named: Counter[str | None]
    ) -> Draft | None:
        """A draft for a named entity the knowledge base does not know, or None."""

        def draft(
            kind: str, rule: str, country: str | None = None, sector: str | None = None
        ) -> Draft:
            actor = Actor(
                id=slug(ent.text), name=ent.text, country=country, sector=sector, kind=kind
            )
            return Draft(
                ent.start,
                ent.end,
                actor,
                rule,
                kind,
                is_place=kind == "place",
                head=ent.root.i,
                text=ent.text,
            )

        label = ent.label_
        if label == "ORG" and _honoured(ent):
            label = "PERSON"  # "Mr Kilroy-Silk", "Lord Butler": the tagger's organisations
        if label == "PERSON" and self._placed(ent):
            return draft("place", "named entity: a place by its preposition + gazetteer")
        if label == "PERSON" and home and self._personal(ent):
            # Someone the base does not know, named as people are, in a story about one
            # country: most often one of its own (a minister, a witness, a party figure).
            return draft("person", _STORY_PERSON, home)
        if label == "PERSON":
            return draft("person", "named entity: person")
        if label == "ORG" and self._only_agent_words(ent):
            return None  # "the Foreign Ministry": an agent noun, resolved with its owner
        if label == "ORG" and self._titled_name(ent):
            return draft("person", "named entity: titled person")
        if label == "ORG" and named_town(ent, named, self.kb, self.gazetteer):
            return draft("place", "named entity: a town the tagger took for an organisation")
        if label == "ORG":
            sector = org_sector(ent, self.kb)
            own = org_country(ent, known, named, self.kb, self.gazetteer)
            if own is not None:
                # "the US Justice Department", "Columbus Police Department", "Ethiopia's
                # House of People's Representatives": the country its name or owner gives.
                return draft("org", "named entity: organisation of a named country", own, sector)
            # A party, court or newspaper the base does not know is the story's own; so is a
            # body whose name gives no sector (see ``domestic_body``).
            ours = sector in sectors.DOMESTIC_ORGS and not international(ent)
            ours = ours or (sector is None and domestic_body(ent, self.gazetteer))
            return draft("org", "named entity: organisation", home if ours else None, sector)
        if label in ("GPE", "LOC", "FAC") or (
            label == "NORP" and self.gazetteer is not None and ent.text in self.gazetteer
        ):
            return draft("place", "named entity: place")
        return None

    def _personal(self, ent: Span) -> bool:
        """Whether a name the tagger took for a person is named as people are: after an
        honorific ("Ms Short") or a given name the base knows and a surname ("Robert
        Peston"); not a place ("Lachin") nor a ship ("Galaxy Leader")."""
        words = [t for t in ent if t.is_alpha]
        if ent.start > 0 and honorific(ent.doc[ent.start - 1]):
            return True
        if len(words) < 2:
            return False
        return honorific(words[0]) or fold(words[0].text) in self.kb.given_names

    def _placed(self, ent: Span) -> bool:
        """A name the tagger took for a person that its preposition says is a place the
        gazetteer knows: "fighting in Goma", "the city of Goma", "fled from Goma"."""
        root = ent.root
        if self.gazetteer is None or root.dep_ != "pobj" or ent.text not in self.gazetteer:
            return False
        prep = root.head
        if prep.lower_ in PLACE_PREPS or prep.lower_ in ("from", "to"):
            return True
        return prep.lower_ == "of" and prep.head.lemma_.lower() in SETTLEMENTS

    def _gazetteer_words(self, doc: Doc, taken: set[int]) -> list[Draft]:
        """Proper nouns after "in", "near"... that the tagger missed but the gazetteer knows."""
        if self.gazetteer is None:
            return []
        found = []
        for tok in doc:
            if (
                tok.i not in taken
                and tok.pos_ == "PROPN"
                and tok.dep_ == "pobj"
                and tok.head.lower_ in PLACE_PREPS
                and tok.text in self.gazetteer
            ):
                actor = Actor(
                    id=slug(tok.text), name=tok.text, country=None, sector=None, kind="place"
                )
                found.append(
                    Draft(
                        tok.i,
                        tok.i + 1,
                        actor,
                        "gazetteer place",
                        "place",
                        is_place=True,
                        head=tok.i,
                        text=tok.text,
                    )
                )
        return found

    def _only_agent_words(self, ent: Span) -> bool:
        words = " ".join(fold(t.text) for t in ent if t.lower_ != "the")
        return words in self.kb.agents

    def _titled_name(self, ent: Span) -> bool:
        """An "organisation" that is a person's name after a title: "President Moody Awori"
        (the title inside or just before the entity, the name two proper nouns or more)."""
        doc = ent.doc
        words = [t for t in doc[ent.root.left_edge.i : ent.end]]
        title = [i for i, t in enumerate(words) if agent_at(self.kb, doc, t)[0] in sectors.STATE]
        if not title:
            return False
        name = words[title[-1] + 1 :]
        return len(name) >= 2 and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in name)

    # 3. Titles and appositions -----------------------------------------------------------
    def _infer_titles(self, doc: Doc, drafts: list[Draft], main: str | None) -> None:
        index = by_token(drafts)
        for d in drafts:
            if d.kind != "person":
                continue
            country, sector, title, held = self._title_of(doc, d, index)
            guessed = d.rule == _STORY_PERSON  # a title's country outranks the story's
            if (d.actor.country is None or guessed) and country:
                d.actor = replace(d.actor, country=country)
                d.rule += " + title gives country"
            if sector == "IGO":
                d.actor = replace(d.actor, sector="IGO", office=title)
                d.rule += " + title in an organisation"
                continue
            past = sector in sectors.STATE and _former_title(doc, d)
            if past:
                sector = "ELI"  # "former President Park Geun-hye" acts privately
            if sector and (d.actor.sector is None or sector in _ROLES or past or held):
                # A role the sentence gives ("rebel leader Laurent Kabila") is his role that
                # day, whatever office the base knows him in at another date.
                d.actor = replace(d.actor, sector=sector, office=d.actor.office or title)
                d.rule += " + title gives sector"
            if d.actor.country is None and d.actor.sector in _SERVANTS and main:
                # "President Laurent Gbagbo said in Abidjan": an official with a title and no
                # nationality serves the country the story is about.
                d.actor = replace(d.actor, country=main)
                d.rule += " + country of the story"

    def _title_of(
        self, doc: Doc, d: Draft, index: dict[int, Draft]
    ) -> tuple[str | None, str | None, str | None, bool]:
        """Country, sector and title words from the words before a name or its apposition,
        and whether the title is a post in a named body (which outranks the base's sector)."""
        head = doc[d.head]
        spans = [doc[head.left_edge.i : d.start]]
        if head.dep_ == "appos":
            spans.append(doc[head.head.left_edge.i : head.head.i + 1])
        spans += [
            doc[c.left_edge.i : c.right_edge.i + 1] for c in head.children if c.dep_ == "appos"
        ]
        country = sector = title = None
        body: Draft | None = None
        for span in spans:
            for tok in span:
                other = index.get(tok.i)
                if other and other.kind in COUNTRYISH and not country:
                    country = other.actor.country
                if other and other.kind == "igo":
                    # "Arab League Secretary-General Chedli Klibi" works for the organisation.
                    return None, "IGO", doc[span.start : d.start].text, True
                if other and other.kind in ("group", "org") and other.actor.sector:
                    body = other
                found, first = agent_at(self.kb, doc, tok)
                if found and not other:
                    sector, title = found, doc[max(first, span.start) : tok.i + 1].text
            # An office only one state has: "Home Secretary Charles Clarke" is British.
            country = country or self.kb.title_country([t.text for t in span])
        if body is not None and for_body(title):
            # "CIA Director John Brennan", "Tory leader Michael Howard", "Hamas official X":
            # a generic title held in a named body is a post in that body, its sector his.
            sector = body.actor.sector
            country = country or body.actor.country
            title = title or doc[body.start : d.start].text
            return country, sector, title, True
        return country, sector, title, False

    # 4. Agent nouns ------------------------------------------------------------------------


_MADE = frozenset(["made", "built", "designed", "manufactured", "produced", "style"])


def _made_in(doc: Doc, end: int) -> bool:
    """Whether a demonym is followed by "-made", "-built" and the like."""
    return end + 1 < len(doc) and doc[end].text == "-" and doc[end + 1].lower_ in _MADE


def _former_title(doc: Doc, d: Draft) -> bool:
    """Whether the words before a name put his title in the past ("former President Park")."""
    return any(fold(t.text) in FORMER for t in doc[doc[d.head].left_edge.i : d.start])


def _honoured(ent: Span) -> bool:
    """A name after an honorific, inside the entity or just before it ("Mr Howard")."""
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    return (len(ent) > 1 and honorific(ent[0])) or (before is not None and honorific(before))


def _trim(ent: Span) -> Span | None:
    """Drop a leading article and a trailing possessive from an entity span."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and doc[start].lower_ in ("the", "a", "an"):
        start += 1
    # "ZAGREB - Croatia", "BERLIN - Powers": the tagger glues a dateline to the next words.
    dash = next((k for k in range(start, end) if doc[k].text in _DASHES), None)
    if dash is not None and dash > start and all(t.text.isupper() for t in doc[start:dash]):
        start = dash + 1
    # "pro-Haftar", "anti-Assad": the name is the entity, the prefix is its stance.
    if end - start > 2 and doc[start].lower_ in ("pro", "anti") and doc[start + 1].text == "-":
        start += 2
    while end > start and doc[end - 1].tag_ == "POS":
        end -= 1
    return Span(doc, start, end, label=ent.label_) if end > start else None


_DASHES = frozenset(["-", "–", "—"])
# Sectors a title gives that say who a known person is on the day, over the base's office.
_STORY_PERSON = "named entity: person in the story's country"
# Sectors of people who serve or served a state: with a title and no nationality, the
# story's country's.
_SERVANTS = sectors.STATE | {"ELI"}
_ROLES = frozenset(["OPP", "REB", "INS", "SEP", "UAF"])


# Nouns whose "of" names a place: "the city of Goma".
def _inside_longer_name(span: Span, entries: Sequence[Entry], covered: set[int]) -> bool:
    """A country name inside a longer person or organisation name is part of that name,
    unless the whole 'name' is made of known names ("Bosnian Serbs" tagged as a person)."""
    if not all(e.kind in COUNTRYISH for e in entries):
        return False
    ent_type = span[0].ent_type_
    if ent_type not in ("PERSON", "ORG", "FAC", "WORK_OF_ART", "EVENT"):
        return False
    doc = span.doc
    ent = next((e for e in doc.ents if e.start <= span.start and span.end <= e.end), None)
    ent = _trim(ent) if ent is not None else None
    if ent is None or (ent.start, ent.end) == (span.start, span.end):
        return False
    if all(i in covered for i in range(ent.start, ent.end)):
        return False
    # "the Russian Foreign Ministry" is still Russian: keep demonyms before an agent name.
    return not (ent_type == "ORG" and any(e.kind == "demonym" for e in entries))


def _mark_place(doc: Doc, d: Draft) -> None:
    """Country names and capitals used as where something happens are places."""
    if d.kind not in COUNTRYISH - {"demonym"} and d.kind != "place":
        return
    head = doc[d.head]
    if head.dep_ == "pobj" and head.head.lower_ in PLACE_PREPS:
        d.is_place = True
    elif (
        head.dep_ in ("compound", "appos")
        and head.head.pos_ == "NOUN"
        and d.kind in ("country", "former", "capital")
    ):
        # "the Libya conflict", "the capital Tripoli": the name modifies a thing or a place.
        d.is_place = True


def _finish(doc: Doc, drafts: list[Draft]) -> DocActors:
    mentions = []
    owner: dict[int, Mention] = {}
    # Inner names first, compounds after, so a compound owns only its head noun token.
    for d in sorted(drafts, key=lambda d: (d.kind == "agent", d.start)):
        span = doc[d.start : d.end]
        mention = Mention(
            text=span.text,
            start=span.start_char,
            end=span.end_char,
            actor=d.actor,
            rule=d.rule,
            is_place=d.is_place,
            lat=d.lat,
            lon=d.lon,
        )
        mentions.append(mention)
        if d.kind == "agent":
            owner[d.head] = mention
            for i in range(d.start, d.end):
                owner.setdefault(i, mention)
        else:
            for i in range(d.start, d.end):
                owner[i] = mention
    mentions.sort(key=lambda m: (m.start, m.end))
    return DocActors(tuple(mentions), owner)


def actor_for_span(doc: Doc, found: DocActors, start: int, end: int) -> Mention | None:
    """The mention that best stands for a character span: the one owning the span's head
    word, else the first actor mention inside it, else the person a bare title precedes,
    else a place inside it."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    head = found.at(span.root)
    if head is not None and not head.is_place:
        return head
    inside = [found.at(t) for t in span if found.at(t) is not None]
    actors_ = [m for m in inside if m is not None and not m.is_place]
    if actors_:
        return actors_[0]
    if head is None and not inside and span.end < len(doc):
        # A title just before a name ("Prime Minister" of "Prime Minister Ivo Sanader")
        # stands for the person named.
        after = found.at(doc[span.end])
        if after is not None and after.actor.kind == "person":
            return after
    return head or (inside[0] if inside else None)
