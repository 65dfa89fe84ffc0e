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

from .kb import Entry, KnowledgeBase, fold, slug
from .places import Gazetteer
from .records import Actor, Mention

# Entity labels that never name an actor, even when a token spells a known name ("May").
_NOT_ACTOR_ENTS = frozenset(["DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"])
# A name after one of these prepositions is where something happens, not who does it.
_PLACE_PREPS = frozenset(
    [
        "in",
        "at",
        "near",
        "into",
        "inside",
        "outside",
        "across",
        "around",
        "throughout",
        "within",
        "towards",
        "toward",
        "onto",
    ]
)
# Country-like kinds: a place when used as one, the state otherwise.
_COUNTRYISH = frozenset(["country", "former", "capital", "seat", "demonym"])
# Kinds preferred when one alias names several entries.
_KIND_RANK = {
    "person": 0,
    "group": 1,
    "igo": 2,
    "country": 3,
    "former": 4,
    "capital": 5,
    "seat": 6,
    "demonym": 7,
    "surname": 8,
}
# Head nouns that stand for the group or person modifying them ("the Wagner group").
_COLLECTIVES = frozenset(
    [
        "group",
        "groups",
        "movement",
        "organisation",
        "organization",
        "faction",
        "wing",
        "brigade",
        "brigades",
        "unit",
        "units",
        "network",
        "company",
        "firm",
        "camp",
        "side",
    ]
)
# Non-state sectors: forces loyal to such an actor are that actor's side.
_NON_STATE = frozenset(["REB", "INS", "SEP", "UAF", "OPP", "PTY", "CRM"])
# Sectors of officials who serve the state they are in.
_STATE_SECTORS = frozenset(["GOV", "MIL", "LEG", "JUD", "COP", "SPY"])
# Longest multi-word agent noun looked for ("self - defence groups" is four tokens).
_MAX_AGENT_WORDS = 4
_SECTOR_NOUN = {
    "GOV": "government",
    "MIL": "military",
    "REB": "rebels",
    "INS": "insurgents",
    "SEP": "separatists",
    "UAF": "armed groups",
    "OPP": "opposition",
    "PTY": "party",
    "LEG": "parliament",
    "JUD": "judiciary",
    "COP": "police",
    "MED": "media",
    "BUS": "business",
    "CVL": "civilians",
    "REF": "refugees",
}


@dataclass(frozen=True, slots=True)
class DocActors:
    """The mentions of one Doc, and for each token the mention it belongs to."""

    mentions: tuple[Mention, ...]
    by_token: dict[int, Mention] = field(default_factory=dict)

    def at(self, token: Token) -> Mention | None:
        return self.by_token.get(token.i)


@dataclass(slots=True)
class _Draft:
    start: int  # token offsets
    end: int
    actor: Actor
    rule: str
    kind: str = ""
    is_place: bool = False
    head: int = -1  # the token that carries the mention in the parse
    lat: float | None = None
    lon: float | None = None
    text: str = ""


class ActorResolver:
    """Holds the knowledge base; ``resolve(doc, published)`` applies it to one article."""

    def __init__(self, kb: KnowledgeBase, gazetteer: Gazetteer | None = None) -> None:
        self.kb = kb
        self.gazetteer = gazetteer
        self._demonyms = _first_demonyms(kb)

    def resolve(self, doc: Doc, published: date | None) -> DocActors:
        """Return every actor and place mention of the Doc with the rule that resolved it."""
        named: Counter[str | None] = Counter()
        drafts = self._known_names(doc, published, named)
        drafts += self._unknown_entities(doc, drafts, named)
        for d in drafts:
            _mark_place(doc, d)
        self._locate(drafts, named)
        drafts = _regional_peoples(doc, drafts)
        self._infer_titles(doc, drafts, named)
        _corefer_names(doc, drafts)
        drafts += self._agents(doc, drafts)
        drafts += _surnames(doc, drafts)
        for d in drafts:
            # Named groups and people keep today's country in the base; a country's own name
            # ("East Timor") names that territory whatever the date.
            if d.actor.country and published and d.kind in ("group", "person", "surname"):
                d.actor = replace(d.actor, country=_as_of(d.actor.country, published))
        return _finish(doc, drafts)

    # 1. Knowledge-base names -------------------------------------------------------------
    def _known_names(
        self, doc: Doc, published: date | None, named: Counter[str | None]
    ) -> list[_Draft]:
        texts = [t.text for t in doc]
        matches = self.kb.find(texts)
        named.update(
            e.actor.country
            for m in matches
            for e in m.entries
            # Capitals are left out: they are what this count helps to settle.
            if e.kind in ("country", "demonym") and len(m.entries) == 1
        )
        covered = {i for m in matches for i in range(m.start, m.end)}
        drafts: list[_Draft] = []
        for m in matches:
            span = doc[m.start : m.end]
            if any(t.ent_type_ in _NOT_ACTOR_ENTS for t in span) or span[0].is_space:
                continue
            if _inside_longer_name(span, m.entries, covered):
                continue
            if all(e.kind == "surname" for e in m.entries) and not _bare_surname(span):
                continue
            entry = _choose(m.entries, published, named)
            if entry.kind == "capital" and self._elsewhere(span.text, entry, named):
                continue
            drafts.append(
                _Draft(
                    m.start,
                    m.end,
                    entry.actor,
                    f"knowledge base: {entry.kind}",
                    entry.kind,
                    head=span.root.i,
                    text=span.text,
                )
            )
        return drafts

    # 2. Entities the base does not know --------------------------------------------------
    def _elsewhere(self, name: str, entry: Entry, named: Counter[str | None]) -> bool:
        """A capital's name that the article's countries say is another country's town
        ("Tripoli" in a story about Lebanon)."""
        if self.gazetteer is None:
            return False
        loc = self.gazetteer.lookup(name, named)
        return (
            loc is not None
            and loc.country != entry.actor.country
            and (named[loc.country] > named[entry.actor.country])
        )

    def _locate(self, drafts: list[_Draft], named: Counter[str | None]) -> None:
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
        self, doc: Doc, known: list[_Draft], named: Counter[str | None]
    ) -> list[_Draft]:
        taken = {i for d in known for i in range(d.start, d.end)}
        drafts = []
        for found in doc.ents:
            ent = _trim(found)
            if ent is None or any(i in taken for i in range(ent.start, ent.end)):
                continue
            if ent.label_ == "PERSON":
                actor = Actor(
                    id=slug(ent.text), name=ent.text, country=None, sector=None, kind="person"
                )
                drafts.append(
                    _Draft(
                        ent.start, ent.end, actor, "named entity: person", "person", head=ent.root.i
                    )
                )
            elif ent.label_ == "ORG" and self._titled_name(ent):
                actor = Actor(
                    id=slug(ent.text), name=ent.text, country=None, sector=None, kind="person"
                )
                drafts.append(
                    _Draft(
                        ent.start,
                        ent.end,
                        actor,
                        "named entity: titled person",
                        "person",
                        head=ent.root.i,
                        text=ent.text,
                    )
                )
            elif ent.label_ == "ORG":
                actor = Actor(
                    id=slug(ent.text),
                    name=ent.text,
                    country=None,
                    sector=self._sector_of(ent),
                    kind="org",
                )
                drafts.append(
                    _Draft(
                        ent.start,
                        ent.end,
                        actor,
                        "named entity: organisation",
                        "org",
                        head=ent.root.i,
                    )
                )
            elif ent.label_ in ("GPE", "LOC", "FAC", "NORP") and (
                ent.label_ != "NORP" or (self.gazetteer and ent.text in self.gazetteer)
            ):
                actor = Actor(
                    id=slug(ent.text), name=ent.text, country=None, sector=None, kind="place"
                )
                drafts.append(
                    _Draft(
                        ent.start,
                        ent.end,
                        actor,
                        "named entity: place",
                        "place",
                        is_place=True,
                        head=ent.root.i,
                    )
                )
        taken |= {i for d in drafts for i in range(d.start, d.end)}
        drafts += self._gazetteer_words(doc, taken)
        return drafts

    def _gazetteer_words(self, doc: Doc, taken: set[int]) -> list[_Draft]:
        """Proper nouns after "in", "near"... that the tagger missed but the gazetteer knows."""
        if self.gazetteer is None:
            return []
        found = []
        for tok in doc:
            if (
                tok.i not in taken
                and tok.pos_ == "PROPN"
                and tok.dep_ == "pobj"
                and tok.head.lower_ in _PLACE_PREPS
                and tok.text in self.gazetteer
            ):
                actor = Actor(
                    id=slug(tok.text), name=tok.text, country=None, sector=None, kind="place"
                )
                found.append(
                    _Draft(
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

    def _titled_name(self, ent: Span) -> bool:
        """An "organisation" that is a person's name after a title: "President Moody Awori"
        (the title inside or just before the entity, the name two proper nouns or more)."""
        doc = ent.doc
        words = [t for t in doc[ent.root.left_edge.i : ent.end]]
        title = [i for i, t in enumerate(words) if self._agent_at(doc, t)[0] in _STATE_SECTORS]
        if not title:
            return False
        name = words[title[-1] + 1 :]
        return len(name) >= 2 and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in name)

    def _sector_of(self, span: Span) -> str | None:
        for tok in reversed(span):
            sector = self.kb.agents.get(fold(tok.text)) or self.kb.agents.get(fold(tok.lemma_))
            if sector:
                return sector
        return None

    # 3. Titles and appositions -----------------------------------------------------------
    def _infer_titles(self, doc: Doc, drafts: list[_Draft], named: Counter[str | None]) -> None:
        by_token = {i: d for d in drafts for i in range(d.start, d.end)}
        places = Counter(d.actor.country for d in drafts if d.is_place and d.actor.country)
        story = (named + places).most_common(1)
        for d in drafts:
            if d.kind != "person":
                continue
            country, sector, title = self._title_of(doc, d, by_token)
            if d.actor.country is None and country:
                d.actor = replace(d.actor, country=country)
                d.rule += " + title gives country"
            if sector == "IGO":
                d.actor = replace(d.actor, sector="IGO", office=title)
                d.rule += " + title in an organisation"
                continue
            if d.actor.sector is None and sector:
                d.actor = replace(d.actor, sector=sector, office=d.actor.office or title)
                d.rule += " + title gives sector"
            if d.actor.country is None and d.actor.sector in _STATE_SECTORS and story:
                # "President Laurent Gbagbo said in Abidjan": an official with a title and no
                # nationality serves the country the story is about.
                d.actor = replace(d.actor, country=story[0][0])
                d.rule += " + country of the story"

    def _title_of(
        self, doc: Doc, d: _Draft, by_token: dict[int, _Draft]
    ) -> tuple[str | None, str | None, str | None]:
        """Country, sector and title words from the words before a name or its apposition."""
        head = doc[d.head]
        spans = [doc[head.left_edge.i : d.start]]
        if head.dep_ == "appos":
            spans.append(doc[head.head.left_edge.i : head.head.i + 1])
        spans += [
            doc[c.left_edge.i : c.right_edge.i + 1] for c in head.children if c.dep_ == "appos"
        ]
        country = sector = title = None
        for span in spans:
            for tok in span:
                other = by_token.get(tok.i)
                if other and other.kind in _COUNTRYISH and not country:
                    country = other.actor.country
                if other and other.kind == "igo":
                    # "Arab League Secretary-General Chedli Klibi" works for the organisation.
                    return None, "IGO", doc[span.start : d.start].text
                found, first = self._agent_at(doc, tok)
                if found and not other:
                    sector, title = found, doc[max(first, span.start) : tok.i + 1].text
        return country, sector, title

    # 4. Agent nouns ------------------------------------------------------------------------
    def _agents(self, doc: Doc, drafts: list[_Draft]) -> list[_Draft]:
        by_token = {i: d for d in drafts for i in range(d.start, d.end)}
        found: list[_Draft] = []
        last_place: str | None = None
        for tok in doc:
            here = by_token.get(tok.i)
            if here and here.actor.country and here.is_place:
                last_place = here.actor.country
            if here or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            sector, first = self._agent_at(doc, tok)
            if sector is None and fold(tok.text) not in _COLLECTIVES:
                continue
            if _is_title_of(tok, by_token):
                continue
            draft = self._compose(doc, tok, first, sector, by_token, last_place)
            if draft:
                found.append(draft)
        return found

    def _agent_at(self, doc: Doc, tok: Token) -> tuple[str | None, int]:
        """The sector of the agent noun ending at tok (longest phrase first) and its start.

        A phrase opening on a coordinated word is skipped: in "foreign and defence ministers"
        the noun is "ministers", not "defence ministers".
        """
        for n in range(_MAX_AGENT_WORDS, 1, -1):
            first = tok.i - n + 1
            if first < 0 or doc[first].dep_ == "conj":
                continue
            phrase = " ".join(fold(t.text) for t in doc[first : tok.i + 1])
            if phrase in self.kb.agents:
                return self.kb.agents[phrase], first
        return self.kb.agents.get(fold(tok.text)) or self.kb.agents.get(fold(tok.lemma_)), tok.i

    def _compose(
        self,
        doc: Doc,
        tok: Token,
        first: int,
        sector: str | None,
        by_token: dict[int, _Draft],
        last_place: str | None,
    ) -> _Draft | None:
        owner, loyal, end = _owner(tok, by_token)
        start = min(tok.left_edge.i, first)
        if owner is not None and owner.end <= tok.i:
            start = min(owner.start, first)
        text_end = max(tok.i + 1, end)
        if owner is not None and (owner.kind in ("person", "group", "igo", "org")):
            if loyal and owner.actor.sector not in _NON_STATE and owner.actor.country:
                actor = self._country_agent(owner.actor.country, "MIL")
                return _Draft(
                    start, text_end, actor, "forces loyal to a state leader", "agent", head=tok.i
                )
            return _Draft(
                start, text_end, owner.actor, f"forces of {owner.actor.name}", "agent", head=tok.i
            )
        if sector is None:
            return None
        if owner is not None and owner.actor.country:
            actor = self._country_agent(owner.actor.country, sector)
            return _Draft(
                start, text_end, actor, "agent noun with its country", "agent", head=tok.i
            )
        if last_place and sector in ("REB", "INS", "OPP", "SEP", "UAF", "CVL", "REF", "MIL"):
            actor = self._country_agent(last_place, sector)
            return _Draft(
                first, tok.i + 1, actor, "agent noun in the country last named", "agent", head=tok.i
            )
        return None

    def _country_agent(self, iso3: str, sector: str) -> Actor:
        country = self.kb.countries.get(iso3)
        adjective = self._demonyms.get(iso3) or (country.name if country else iso3)
        return Actor(
            id=f"{iso3}{sector}",
            name=f"{adjective} {_SECTOR_NOUN.get(sector, sector)}",
            country=iso3,
            sector=sector,
            kind="agent",
        )


def _first_demonyms(kb: KnowledgeBase) -> dict[str, str]:
    found: dict[str, str] = {}
    for entries in kb.index.values():
        for e in entries:
            if e.kind == "demonym" and e.actor.country and e.actor.country not in found:
                found[e.actor.country] = " ".join(e.tokens)
    return found


def _trim(ent: Span) -> Span | None:
    """Drop a leading article and a trailing possessive from an entity span."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and doc[start].lower_ in ("the", "a", "an"):
        start += 1
    # "pro-Haftar", "anti-Assad": the name is the entity, the prefix is its stance.
    if end - start > 2 and doc[start].lower_ in ("pro", "anti") and doc[start + 1].text == "-":
        start += 2
    while end > start and doc[end - 1].tag_ == "POS":
        end -= 1
    return Span(doc, start, end, label=ent.label_) if end > start else None


def _choose(entries: Sequence[Entry], when: date | None, named: Counter[str | None]) -> Entry:
    """Pick among entries sharing an alias: in office on the date, then a country the
    article names elsewhere, then the kind most likely meant."""

    def rank(e: Entry) -> tuple[int, int, int]:
        return (
            0 if e.active(when) else 1,
            -named.get(e.actor.country, 0),
            _KIND_RANK.get(e.kind, 9),
        )

    return min(entries, key=rank)


def _inside_longer_name(span: Span, entries: Sequence[Entry], covered: set[int]) -> bool:
    """A country name inside a longer person or organisation name is part of that name,
    unless the whole 'name' is made of known names ("Bosnian Serbs" tagged as a person)."""
    if not all(e.kind in _COUNTRYISH for e in entries):
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


def _mark_place(doc: Doc, d: _Draft) -> None:
    """Country names and capitals used as where something happens are places."""
    if d.kind not in _COUNTRYISH - {"demonym"} and d.kind != "place":
        return
    head = doc[d.head]
    if head.dep_ == "pobj" and head.head.lower_ in _PLACE_PREPS:
        d.is_place = True
    elif (
        head.dep_ in ("compound", "appos")
        and head.head.pos_ == "NOUN"
        and d.kind in ("country", "former", "capital")
    ):
        # "the Libya conflict", "the capital Tripoli": the name modifies a thing or a place.
        d.is_place = True


def _is_title_of(tok: Token, by_token: dict[int, _Draft]) -> bool:
    """A title noun inside a person's name phrase ("President" in "President Putin")."""
    head = tok
    while head.dep_ in ("compound", "amod", "nmod") and head.head.i != head.i:
        head = head.head
        owner = by_token.get(head.i)
        if owner and owner.kind in ("person", "surname"):
            return True
    return False


def _owner(tok: Token, by_token: dict[int, _Draft]) -> tuple[_Draft | None, bool, int]:
    """Whose an agent noun is: its modifier, "of X", "loyal to X" or "pro-X" ("pro" loyalty).

    Of coordinated modifiers the one next to the noun is the owner: in "U.S. and Russian
    negotiators" the Russian negotiators are one actor and "U.S." names the other.
    """
    for child in tok.children:
        if child.dep_ in ("amod", "compound", "poss", "nmod"):
            chain = [child, *(c for c in child.subtree if c.dep_ == "conj" and c.i < tok.i)]
            owned = [by_token[c.i] for c in chain if c.i in by_token]
            if not owned:
                owned = [by_token[g.i] for g in child.subtree if g.i in by_token][:1]
            d = owned[-1] if owned else None
            if d is not None and not d.is_place:
                loyal = any(t.lower_ == "pro" for t in tok.doc[child.left_edge.i : d.start])
                return d, loyal, tok.i + 1
            if d is not None and d.is_place and d.actor.country:
                return d, False, tok.i + 1
        if child.lower_ in ("loyal", "allied", "linked") and child.dep_ in ("amod", "acl"):
            for prep in child.children:
                for obj in prep.children:
                    if obj.i in by_token:
                        return by_token[obj.i], True, by_token[obj.i].end
        if child.dep_ == "prep" and child.lower_ in ("of", "in", "from"):
            for obj in child.children:
                if obj.i in by_token and (child.lower_ == "of" or by_token[obj.i].is_place):
                    return by_token[obj.i], False, by_token[obj.i].end
    return None, False, tok.i + 1


def _surnames(doc: Doc, drafts: list[_Draft]) -> list[_Draft]:
    """A bare surname after the full name refers to the same person."""
    taken = {i for d in drafts for i in range(d.start, d.end)}
    people: dict[str, Actor] = {}
    for d in sorted(drafts, key=lambda d: d.start):
        if d.kind == "person" and d.end - d.start > 1:
            people.setdefault(fold(doc[d.end - 1].text), d.actor)
    found = []
    for tok in doc:
        if tok.i in taken or tok.pos_ != "PROPN" or not tok.text[:1].isupper():
            continue
        actor = people.get(fold(tok.text))
        if actor and any(d.start < tok.i for d in drafts if d.actor.id == actor.id):
            found.append(
                _Draft(
                    tok.i,
                    tok.i + 1,
                    actor,
                    "surname of a person named earlier",
                    "person",
                    head=tok.i,
                )
            )
    return found


def _initials(words: Sequence[str]) -> str:
    return "".join(w[0] for w in words if w[:1].isupper())


def _corefer_names(doc: Doc, drafts: list[_Draft]) -> None:
    """Short names the tagger found on their own point back to a full name given earlier:
    "Putin" after "Vladimir Putin", "GNA" after "Government of National Accord"."""
    surnames: dict[str, _Draft] = {}
    acronyms: dict[str, _Draft] = {}
    for d in sorted(drafts, key=lambda d: d.start):
        words = [t.text for t in doc[d.start : d.end] if not t.is_punct]
        if d.end - d.start == 1 and d.rule.startswith("named entity"):
            key = fold(words[0]) if words else ""
            earlier = surnames.get(key) or acronyms.get(words[0] if words else "")
            if earlier is not None:
                d.actor, d.kind, d.is_place = earlier.actor, earlier.kind, False
                d.rule = f"short form of {earlier.actor.name} named earlier"
                continue
        if d.kind == "person" and len(words) > 1:
            surnames.setdefault(fold(words[-1]), d)
        if d.kind in ("org", "group", "igo") and len(words) > 2:
            acronyms.setdefault(_initials(words), d)


def _bare_surname(span: Span) -> bool:
    """A surname standing alone, not the first or middle name of someone else
    ("Levy" in "Levy Mwanawasa", "Ahmad" in "Aftab Ahmad Khan Sherpao")."""
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    before = doc[span.start - 1] if span.start > 0 else None
    if after is not None and after.pos_ == "PROPN" and after.text[:1].isupper():
        return False
    return not (
        before is not None
        and before.pos_ == "PROPN"
        and before.text[:1].isupper()
        and before.ent_type_ == "PERSON"
    )


# States that did not exist before a date: their territory's earlier state.
_PREDECESSORS = {
    "SSD": (date(2011, 7, 9), "SDN"),
    "ERI": (date(1993, 5, 24), "ETH"),
    "TLS": (date(2002, 5, 20), "IDN"),
    "MNE": (date(2006, 6, 3), "SRB"),
    "XKX": (date(2008, 2, 17), "SRB"),
}


def _as_of(country: str, when: date) -> str:
    """The country code as of a date: South Sudan's groups were Sudan's before 2011."""
    born = _PREDECESSORS.get(country)
    return born[1] if born and when < born[0] else country


def _regional_peoples(doc: Doc, drafts: list[_Draft]) -> list[_Draft]:
    """A people named with a place: "Bosnian Serbs", "Iraqi Kurds" belong to the place, and
    "ethnic Albanians" to the country the story is about, not to Albania."""
    by_token = {i: d for d in drafts for i in range(d.start, d.end)}
    merged: set[int] = set()
    out = []
    countries = Counter(d.actor.country for d in drafts if d.kind in _COUNTRYISH)
    for d in sorted(drafts, key=lambda d: d.start):
        if id(d) in merged:
            continue
        head = doc[d.head]
        if d.kind == "demonym" and any(c.lower_ == "ethnic" for c in head.children):
            others = [(n, c) for c, n in countries.items() if c and c != d.actor.country]
            if others:
                home = max(others)[1]
                actor = replace(
                    d.actor,
                    id=f"{home}-{slug(head.text)}",
                    country=home,
                    name=f"ethnic {head.text}",
                    kind="agent",
                )
                out.append(
                    _Draft(
                        d.start,
                        d.end,
                        actor,
                        "an ethnic minority in the story's country",
                        "agent",
                        head=d.head,
                        text=d.text,
                    )
                )
                continue
        if d.kind == "demonym" and head.pos_ in ("NOUN", "PROPN") and head.dep_ != "amod":
            mod = next(
                (
                    by_token[c.i]
                    for c in head.children
                    if c.dep_ in ("amod", "compound")
                    and c.i in by_token
                    and by_token[c.i].kind in _COUNTRYISH
                    and by_token[c.i].actor.country != d.actor.country
                ),
                None,
            )
            if mod is not None:
                merged.add(id(mod))
                out = [x for x in out if x is not mod]
                span = doc[mod.start : d.end]
                actor = replace(
                    mod.actor,
                    id=f"{mod.actor.country}-{slug(head.text)}",
                    name=span.text,
                    kind="agent",
                )
                out.append(
                    _Draft(
                        mod.start,
                        d.end,
                        actor,
                        "a people named with its country",
                        "agent",
                        head=d.head,
                        text=span.text,
                    )
                )
                continue
        out.append(d)
    return out


def _finish(doc: Doc, drafts: list[_Draft]) -> DocActors:
    mentions = []
    by_token: dict[int, Mention] = {}
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
            by_token[d.head] = mention
            for i in range(d.start, d.end):
                by_token.setdefault(i, mention)
        else:
            for i in range(d.start, d.end):
                by_token[i] = mention
    mentions.sort(key=lambda m: (m.start, m.end))
    return DocActors(tuple(mentions), by_token)


def actor_for_span(doc: Doc, found: DocActors, start: int, end: int) -> Mention | None:
    """The mention that best stands for a character span: the one owning the span's head
    word, else the first actor mention inside it, else a place inside it."""
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
    return head or (inside[0] if inside else None)
