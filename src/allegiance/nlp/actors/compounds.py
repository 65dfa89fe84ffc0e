"""Compound actors: agent nouns with their owners, and peoples named with a place.

"Syrian rebels" -> SYR REB, "Russia's foreign ministers" -> RUS GOV, "GNA forces" -> the GNA,
"forces loyal to Assad" -> SYR MIL, "pro-Haftar loyalists" -> Haftar's side, "U.S. and
Russian negotiators" -> two actors, "Bosnian Serbs" -> BIH.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token

from ...knowledge import sectors
from ...knowledge.kb import KnowledgeBase, fold, slug
from ...records import Actor
from .drafts import (
    COLLECTIVES,
    COUNTRYISH,
    FORMER,
    Draft,
    agent_at,
    by_token,
    country_agent,
    first_demonyms,
)

# Sectors whose bare agent nouns ("the rebels", "police", "lawmakers", "the judiciary",
# "students", "local media") belong to the country last named as a place: the parties of a
# story's country, its society, its state's organs at home, and its former officials.
_AT_HOME = frozenset("REB INS OPP SEP UAF CVL REF MIL COP LEG JUD EDU MED ELI".split())
# Sentences over which a state named stays the owner of "the government", "officials", and
# a place named the country of bare agent nouns (0: its own sentence only).
_STATE_REACH = 2
_PLACE_REACH = 2
# Plural nouns for a state's own apparatus, which a story names bare when the state is the
# one it has just named ("the authorities said", "the leaders agreed"); negotiators and
# envoys are as often a third party's.
_STATE_PLURALS = frozenset(
    ["officials", "authorities", "ministers", "ministries", "officers", "leaders"]
)
# Nouns of people who speak or act for someone: "a spokesman for X" is X's.
_SPEAKERS = frozenset(
    "spokesman spokeswoman spokesperson spokesmen spokeswomen envoy envoys representative "
    "representatives ambassador emissary adviser advisor aide aides".split()
)
# Units and hardware that stand for the force a modifier names: "an Iraqi army patrol" is
# the Iraqi army's, "a police helicopter" the police's, "a UN convoy" the UN's.
_FIELDED = frozenset(
    "patrol patrols convoy convoys column columns helicopter helicopters drone drones "
    "aircraft plane planes jet jets vehicle vehicles boat boats".split()
)
# Military hardware a country's name owns: its forces ("a U.S. drone", "Israeli tanks"); a
# bare "helicopter" is no one's.
_HARDWARE = frozenset(
    "helicopter helicopters drone drones tank tanks jet jets aircraft gunboat gunboats".split()
)
# Attacks reported by their weapon when no one is named for them ("a car bomb killed 20",
# "killed in a suicide bombing"): the GUIDELINES' unidentified attackers (UAF) of the place.
# "An explosion at a fuel depot" or "a blast" may be an accident: no one is said to attack.
_ATTACKS = frozenset("bomb bombs bombing bombings attack attacks".split())
# Civilians of an occupying state in the territory it occupies.
_SETTLERS = frozenset(["settler", "settlers"])
# Anonymous sources a story quotes, of the sector their modifier names ("military sources").
_SOURCES = frozenset(["source", "sources"])
# Singular nouns that stand for a country's party as its plurals do ("the Turkish side").
_NATIONAL_SINGULARS = frozenset(["side", "delegation", "team", "contingent", "camp"])


class Compounder:
    """Builds compound actors; holds the knowledge base and each country's demonym."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.demonyms = first_demonyms(kb)

    def country_agent(self, iso3: str, sector: str) -> Actor:
        return country_agent(self.kb, self.demonyms, iso3, sector)

    def agents(self, doc: Doc, drafts: list[Draft], story: str | None = None) -> list[Draft]:
        """Compound actors around agent nouns, in text order; ``story`` is the country the
        article is mostly about, for agents named before any place."""
        index = by_token(drafts)
        found: list[Draft] = []
        last_place: str | None = None
        placed_at = -1  # the sentence that named it
        last_state: str | None = None
        state_at = -1
        sentence = -1
        for tok in doc:
            if tok.is_sent_start:
                sentence += 1
            here = index.get(tok.i)
            if here and here.actor.country and here.is_place and here.rule != "a dateline":
                # (where a story was filed from says nothing of whose its "troops" are)
                last_place, placed_at = here.actor.country, sentence
            elif (
                here
                and here.actor.country
                and here.actor.sector in (None, "GOV")
                and here.actor.kind != "org"  # a company or club is no state named
            ):
                last_state, state_at = here.actor.country, sentence
            elif found and found[-1].head < tok.i and found[-1].actor.sector == "GOV":
                last_state = found[-1].actor.country or last_state
            if here or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            if _fielded_by(tok, found):
                continue
            # A place named sentences ago ("the US" in a story from Kinshasa) does not own
            # "the troops" here; the story's country does.
            near = last_place if sentence - placed_at <= _PLACE_REACH or not story else story
            sector, first = agent_at(self.kb, doc, tok)
            if sector is None and fold(tok.text) in _SOURCES:
                sector, first = self._sourced(tok, first)
            if sector is None and _unclaimed_attack(tok, index):
                found.append(self._attackers(tok, _scene(tok, index) or near or story))
                continue
            if sector is None and fold(tok.text) not in COLLECTIVES:
                draft = self._national(doc, tok, index)
                if draft:
                    found.append(draft)
                continue
            if _is_title_of(tok, index):
                continue
            recent = last_state is not None and sentence - state_at <= _STATE_REACH
            state = last_state if recent or not story else story
            draft = self._compose(doc, tok, first, sector, index, near or story, state, story)
            if draft:
                found.append(draft)
        return found

    def _sourced(self, tok: Token, first: int) -> tuple[str | None, int]:
        """ "military sources", "Israeli security sources": the sector the modifier names."""
        for child in tok.children:
            if child.dep_ in ("amod", "compound") and child.i < tok.i:
                sector = self.kb.agents.get(fold(child.text))
                if sector is not None:
                    return sector, min(first, child.i)
        return None, first

    def _attackers(self, tok: Token, country: str | None) -> Draft:
        """The unidentified attackers an attack stands for, of the country it happened in."""
        first = min(
            (c.left_edge.i for c in tok.lefts if c.dep_ in ("det", "amod", "compound", "nummod")),
            default=tok.i,
        )
        actor = self.country_agent(country, "UAF") if country else _countryless("UAF")
        rule = "an attack no one is named for"
        return Draft(first, tok.i + 1, actor, rule, "agent", head=tok.i)

    def _national(self, doc: Doc, tok: Token, index: dict[int, Draft]) -> Draft | None:
        """Plural things or people of a country acting: "Egyptian warships", "the Turkish
        and Greek sides" (the country, no sector)."""
        word = fold(tok.text)
        if tok.tag_ not in ("NNS", "NNPS") and word not in _NATIONAL_SINGULARS | _HARDWARE:
            return None
        if tok.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos"):
            return None
        owner, _, _ = _owner(tok, index)
        if owner is None or owner.kind not in COUNTRYISH or not owner.actor.country:
            return None
        # the owner before the noun ("Egyptian warships") or after it ("warships of Egypt")
        start, end = min(owner.start, tok.i), max(owner.end, tok.i + 1)
        if word in _HARDWARE:
            # "a U.S. drone struck", "Israeli helicopters fired": the country's forces
            actor = self.country_agent(owner.actor.country, "MIL")
            return Draft(start, end, actor, "a country's hardware", "agent", head=tok.i)
        actor = replace(
            self.country_agent(owner.actor.country, ""),
            id=owner.actor.country,
            name=self.kb.countries[owner.actor.country].name
            if owner.actor.country in self.kb.countries
            else owner.actor.country,
            sector=None,
            kind="country",
        )
        return Draft(start, end, actor, "a country's own", "agent", head=tok.i)

    def _compose(
        self,
        doc: Doc,
        tok: Token,
        first: int,
        sector: str | None,
        index: dict[int, Draft],
        last_place: str | None,
        last_state: str | None = None,
        story: str | None = None,
    ) -> Draft | None:
        owner, loyal, end = _owner(tok, index)
        if sector in sectors.STATE and _former(tok):
            # "the former prime minister", "a former Russian spy": a former official acting
            # privately, not the office's holder today (GUIDELINES' ELI)
            sector = "ELI"
        own = self.kb.title_country([t.text for t in doc[tok.left_edge.i : tok.i + 1]])
        if own is not None and sector in sectors.STATE and not _country_owned(owner):
            # "the Home Secretary", "Lord Chancellor": an office only one state has (the
            # tagger's "Home" is no owner; "Russia's ..." is)
            actor = self.country_agent(own, sector)
            rule = "an office only one state has"
            return Draft(tok.left_edge.i, tok.i + 1, actor, rule, "agent", head=tok.i)
        start = min(tok.left_edge.i, first)
        if owner is not None and owner.end <= tok.i:
            start = min(owner.start, first)
        text_end = max(tok.i + 1, end)
        if owner is not None and owner.kind in (
            "person",
            "surname",
            "group",
            "igo",
            "org",
            "pronoun",
        ):
            if loyal and owner.actor.sector not in sectors.NON_STATE and owner.actor.country:
                actor = self.country_agent(owner.actor.country, "MIL")
                return Draft(
                    start, text_end, actor, "forces loyal to a state leader", "agent", head=tok.i
                )
            return Draft(
                start, text_end, owner.actor, f"forces of {owner.actor.name}", "agent", head=tok.i
            )
        if sector is None:
            return None
        if owner is not None and owner.actor.country:
            if sector == "MIL" and owner.rule.startswith("an ethnic minority"):
                sector = "REB"  # "ethnic Armenian troops" in Azerbaijan are not its army
            if _state_led(tok, doc[start : tok.i], sector):
                sector = "MIL"  # "the US-led coalition": a state's war coalition, its forces
            actor = self.country_agent(owner.actor.country, sector)
            return Draft(start, text_end, actor, "agent noun with its country", "agent", head=tok.i)
        return self._unowned(tok, first, sector, index, last_place, last_state, story)

    def _unowned(
        self,
        tok: Token,
        first: int,
        sector: str,
        index: dict[int, Draft],
        last_place: str | None,
        last_state: str | None,
        story: str | None,
    ) -> Draft | None:
        """An agent noun the text gives no owner: whose the story's context says it is."""
        modifier = tok.dep_ in ("compound", "amod", "nmod")
        if last_state and sector == "GOV" and not modifier and tok.tag_ in ("NN", "NNP"):
            # "the ministry said", "the government", "a spokesman": the government last
            # named ("the government assault" names no one: the noun only qualifies).
            actor = self.country_agent(last_state, sector)
            return Draft(first, tok.i + 1, actor, "the government last named", "agent", head=tok.i)
        named = _last_of_sector(index, sector, first)
        if (
            named is not None
            and sector in ("REB", "INS", "OPP", "SEP", "PTY")
            and named.country in (last_place, story)
        ):
            # "the rebels" after "Houthi rebels", "the party" after "the Tories": the group
            # last named, not the last country
            return Draft(first, tok.i + 1, named, "the group last named", "agent", head=tok.i)
        if sector == "GOV" and _bare_officials(tok) and (last_state or last_place):
            # "officials said", "the authorities": the state last named, else the country
            # last named (the text names no other owner; "leaders of X's government" are
            # X's, read from "government")
            actor = self.country_agent(last_state or last_place or "", sector)
            rule = "officials of the state last named"
            return Draft(first, tok.i + 1, actor, rule, "agent", head=tok.i)
        if last_place and sector in _AT_HOME:
            rule = "agent noun in the country last named"
            occupier = self.kb.occupiers.get(last_place)
            if occupier and (sector == "MIL" or fold(tok.text) in _SETTLERS):
                # "troops raided a village near Hebron": Israel's
                last_place, rule = occupier, "agent noun of the occupier of the place last named"
            actor = self.country_agent(last_place, sector)
            return Draft(first, tok.i + 1, actor, rule, "agent", head=tok.i)
        if last_place is None and sector in _AT_HOME:
            # A story that names no country ("Police arrested six people" in a local paper):
            # the police are still the police, of a country the text does not give.
            rule = "agent noun of no country named"
            return Draft(first, tok.i + 1, _countryless(sector), rule, "agent", head=tok.i)
        return None


def _countryless(sector: str) -> Actor:
    """An agent of a sector in a story that gives no country for it ("police", "a car bomb")."""
    return Actor(sector, sectors.NOUNS.get(sector, sector), None, sector, kind="agent")


def _fielded_by(tok: Token, found: list[Draft]) -> bool:
    """Whether a unit or a piece of hardware is fielded by the agent noun modifying it ("army"
    of "an Iraqi army patrol"): that agent's mention then owns it, the phrase's head."""
    if fold(tok.text) not in _FIELDED:
        return False
    modifiers = {c.i for c in tok.children if c.dep_ in ("compound", "amod", "nmod")}
    for d in reversed(found):
        if d.head in modifiers:
            d.end, d.head = tok.i + 1, tok.i
            return True
    return False


def _unclaimed_attack(tok: Token, index: dict[int, Draft]) -> bool:
    """An attack noun that acts ("a car bomb killed", "killed in a bombing", "wounded by a
    blast") with no one named for it: no owner ("Taliban attack", "his attack"), no "by X",
    and not itself the modifier of another noun ("bomb" of "bomb attack")."""
    if fold(tok.text) not in _ATTACKS or tok.dep_ == "compound":
        return False
    if _owner(tok, index)[0] is not None or any(c.lower_ == "by" for c in tok.children):
        return False
    if any(c.i in index for c in tok.subtree if c.i < tok.i):
        return False  # "the Israeli air attack", "Hamas's bombing": a modifier names one
    if tok.dep_ == "nsubj":
        return True
    prep = tok.head
    return tok.dep_ == "pobj" and prep.lower_ in ("in", "by") and prep.head.pos_ in ("VERB", "AUX")


def _scene(tok: Token, index: dict[int, Draft]) -> str | None:
    """The country of the place an attack's sentence puts it ("a roadside bombing near
    Samarra killed a U.S. soldier"): its own phrase first, then the sentence's first place."""
    for span in (tok.subtree, tok.sent):
        for t in span:
            d = index.get(t.i)
            if d is not None and d.is_place and d.actor.country and d.rule != "a dateline":
                return d.actor.country
    return None


def _state_led(tok: Token, before: Sequence[Token], sector: str) -> bool:
    """A coalition or force a state leads ("the US-led coalition", "US-led security forces",
    "Saudi-led troops"): the state's forces at war, not parties nor police."""
    armed = fold(tok.text) in ("coalition", "coalitions") or sector in ("MIL", "COP")
    return armed and any(t.lower_ == "led" for t in before)


def _former(tok: Token) -> bool:
    """An agent noun said to be past: "former minister", "ex-president"."""
    return any(fold(c.text) in FORMER for c in tok.children if c.dep_ in ("amod", "advmod"))


def _country_owned(owner: Draft | None) -> bool:
    return owner is not None and (owner.kind in COUNTRYISH or owner.is_place)


def _bare_officials(tok: Token) -> bool:
    """ "officials", "the authorities" with no owner of their own in the text: no "of", no
    possessive, no capitalised modifier the resolver could not place ("East African
    leaders")."""
    if tok.lower_ not in _STATE_PLURALS:
        return False
    return not any(
        c.dep_ == "poss"
        or c.lower_ in ("of", "from")
        or (c.dep_ in ("amod", "compound", "nmod") and c.text[:1].isupper())
        for c in tok.children
    )


def _last_of_sector(index: dict[int, Draft], sector: str, before: int) -> Actor | None:
    """The nearest earlier named group with this sector, if any."""
    # a party in opposition is still "the party"
    wanted = {sector, "OPP"} if sector == "PTY" else {sector}
    earlier = [
        d
        for d in index.values()
        if d.end <= before and d.actor.sector in wanted and d.actor.kind == "group"
    ]
    return max(earlier, key=lambda d: d.start).actor if earlier else None


def _is_title_of(tok: Token, index: dict[int, Draft]) -> bool:
    """A title noun inside a person's name phrase ("President" in "President Putin")."""
    head = tok
    while head.dep_ in ("compound", "amod", "nmod") and head.head.i != head.i:
        head = head.head
        owner = index.get(head.i)
        if owner and owner.kind in ("person", "surname"):
            return True
    return False


def _owner(tok: Token, index: dict[int, Draft]) -> tuple[Draft | None, bool, int]:
    """Whose an agent noun is: its modifier, "of X", "loyal to X" or "pro-X" ("pro" loyalty).

    Of coordinated modifiers the one next to the noun is the owner: in "U.S. and Russian
    negotiators" the Russian negotiators are one actor and "U.S." names the other. A
    pronoun owns the noun only when nothing else does: "his Turkish counterpart" is Turkish.
    """
    fallback: tuple[Draft | None, bool, int] = (None, False, tok.i + 1)
    for child in tok.children:
        found = _modifier_owner(tok, child, index)
        if found[0] is None:
            continue
        if found[0].kind != "pronoun":
            return found
        fallback = found
    if fallback[0] is None and tok.dep_ == "compound":
        # "an Iraqi army patrol": "Iraqi" modifies the patrol, and owns the army in it
        for sibling in tok.head.children:
            if sibling.i < tok.i and sibling.dep_ in ("amod", "compound", "poss", "nmod"):
                found = _modifier_owner(tok, sibling, index)
                if found[0] is not None and found[0].kind != "pronoun":
                    return found
    if fallback[0] is None:
        fallback = _shared_of(tok, index)
    return fallback if fallback[0] is not None else _demonym_before(tok, index)


def _shared_of(tok: Token, index: dict[int, Draft]) -> tuple[Draft | None, bool, int]:
    """ "the president, prime minister and foreign minister of the Czech Republic": an "of X"
    the parser hung on the last of coordinated nouns owns them all (a modifier before one of
    them, "the president and the Czech premier", owns only that one)."""
    later, frontier = [], [tok]
    while frontier:  # the parser lists "the president, prime minister and ..." as
        step = [c for t in frontier for c in t.children if c.dep_ in ("conj", "appos")]
        later += step  # an apposition as often as a conjunction
        frontier = step
    if not later:
        return None, False, tok.i + 1
    last = max(c.i for c in later)
    for noun in later:  # the "of" after the last noun, wherever the parser hung it
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ == "of" and child.i > last:
                found = _modifier_owner(noun, child, index)
                if found[0] is not None:
                    return found[0], found[1], tok.i + 1
    return None, False, tok.i + 1


def _demonym_before(tok: Token, index: dict[int, Draft]) -> tuple[Draft | None, bool, int]:
    """A demonym right before a noun owns it even where the parser hung it elsewhere
    ("accused Angolan troops" parsed with "Angolan" as the verb's object)."""
    before = tok.i - 1
    while before >= 0 and tok.doc[before].pos_ == "ADJ" and before not in index:
        before -= 1
    d = index.get(before)
    if d is not None and d.kind == "demonym" and tok.doc[before].dep_ not in ("nsubj", "poss"):
        return d, False, tok.i + 1
    return None, False, tok.i + 1


# "X-backed" names who backs a force, not whose force it is.
_BACKED = frozenset(["backed", "supported", "sponsored", "funded", "armed", "trained"])


def _modifier_owner(
    tok: Token, child: Token, index: dict[int, Draft]
) -> tuple[Draft | None, bool, int]:
    # "forces loyal to X", "the army, led by General X": X's forces
    if child.lower_ in ("loyal", "allied", "linked", "led", "commanded", "headed") and (
        child.dep_ in ("amod", "acl")
    ):
        for prep in child.children:
            for obj in prep.children:
                # the object, or a name inside it ("loyal to President Bashar al-Assad")
                hits = [index[t.i] for t in obj.subtree if t.i in index and not index[t.i].is_place]
                if obj.i in index:
                    hits.insert(0, index[obj.i])
                # A person before a group ("loyal to Iraq's al-Qaeda frontman X"), and one
                # with a known country before one without.
                rank = {"person": 0, "surname": 0, "group": 1, "org": 2}
                named = (
                    sorted(
                        (d for d in hits if d.kind not in ("demonym", "country")),
                        key=lambda d: (d.actor.country is None, rank.get(d.kind, 3)),
                    )
                    or hits
                )
                if named:
                    return named[0], True, max(d.end for d in hits)
    if child.lower_ in _BACKED:
        return None, False, tok.i + 1  # "Russian-backed Syrian forces" are Syrian
    if child.dep_ in ("amod", "compound", "poss", "nmod"):
        chain = [child, *(c for c in child.subtree if c.dep_ == "conj" and c.i < tok.i)]
        owned = [index[c.i] for c in chain if c.i in index]
        if not owned:
            owned = [index[g.i] for g in child.subtree if g.i in index][:1]
        d = owned[-1] if owned else None
        if d is not None and not d.is_place:
            loyal = any(t.lower_ == "pro" for t in tok.doc[child.left_edge.i : d.start])
            return d, loyal, tok.i + 1
        if d is not None and d.is_place and d.actor.country:
            return d, False, tok.i + 1
    # "a spokesman for President Arafat", "the envoy for the EU": whom he speaks for
    speaks_for = child.lower_ == "for" and fold(tok.text) in _SPEAKERS
    if child.dep_ == "prep" and (
        speaks_for or child.lower_ in ("of", "in", "from", "throughout", "across")
    ):
        for obj in child.children:
            d = index.get(obj.i)
            if d is not None and (child.lower_ in ("of", "for") or d.is_place):
                return index[obj.i], False, index[obj.i].end
    return None, False, tok.i + 1


def regional_peoples(doc: Doc, drafts: list[Draft]) -> list[Draft]:
    """A people named with a place: "Bosnian Serbs", "Iraqi Kurds" belong to the place, and
    "ethnic Albanians" to the country the story is about, not to Albania."""
    index = by_token(drafts)
    merged: set[int] = set()
    out: list[Draft] = []
    countries = Counter(d.actor.country for d in drafts if d.kind in COUNTRYISH)
    for d in sorted(drafts, key=lambda d: d.start):
        if id(d) in merged:
            continue
        minority = _ethnic_minority(doc, d, countries)
        if minority is not None:
            out.append(minority)
            continue
        found = _people_of_place(doc, d, index)
        if found is not None:
            people, mod = found
            merged.add(id(mod))
            out = [x for x in out if x is not mod]
            out.append(people)
            continue
        out.append(d)
    return out


def _ethnic_minority(doc: Doc, d: Draft, countries: Counter[str | None]) -> Draft | None:
    """ "ethnic Albanians": a people of the country the story names most, not their own."""
    head = doc[d.head]
    if d.kind != "demonym" or not any(c.lower_ == "ethnic" for c in head.children):
        return None
    others = [(n, c) for c, n in countries.items() if c and c != d.actor.country]
    if not others:
        return None
    home = max(others)[1]
    actor = replace(
        d.actor,
        id=f"{home}-{slug(head.text)}",
        country=home,
        name=f"ethnic {head.text}",
        kind="agent",
    )
    rule = "an ethnic minority in the story's country"
    return Draft(d.start, d.end, actor, rule, "agent", head=d.head, text=d.text)


def _people_of_place(doc: Doc, d: Draft, index: dict[int, Draft]) -> tuple[Draft, Draft] | None:
    """ "Bosnian Serbs": the people, named with the country that modifies it, and that
    modifier's draft, which the people replaces."""
    head = doc[d.head]
    if d.kind != "demonym" or head.pos_ not in ("NOUN", "PROPN") or head.dep_ == "amod":
        return None
    mod = next(
        (
            index[c.i]
            for c in head.children
            if c.dep_ in ("amod", "compound")
            and c.i in index
            and index[c.i].kind in COUNTRYISH
            and index[c.i].actor.country != d.actor.country
        ),
        None,
    )
    if mod is None:
        return None
    span = doc[mod.start : d.end]
    actor = replace(
        mod.actor, id=f"{mod.actor.country}-{slug(head.text)}", name=span.text, kind="agent"
    )
    rule = "a people named with its country"
    return Draft(mod.start, d.end, actor, rule, "agent", head=d.head, text=span.text), mod
