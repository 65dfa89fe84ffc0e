"""In-document coreference: short names, pronouns, titles without names, and dates of states.

- "Putin" after "Vladimir Putin", "GNA" after "Government of National Accord";
- "the Russian foreign minister" -> who held that office on the article's date;
- "his Turkish counterpart" -> the Turkish holder of the office of the person "his" is;
- "he", "his" -> the last person named; "the capital" -> the capital of the country last
  named as a place; "the ministry", "the government" -> the government last named;
- a group of today's South Sudan, named in 2000, belongs to Sudan.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from datetime import date

from spacy.tokens import Doc, Span, Token

from ...knowledge.kb import KnowledgeBase, fold, slug
from ...records import Actor
from .drafts import PLACE_PREPS, Draft


def surnames(doc: Doc, drafts: list[Draft]) -> list[Draft]:
    """A bare surname after the full name refers to the same person."""
    taken = {i for d in drafts for i in range(d.start, d.end)}
    people: dict[str, Actor] = {}
    for d in sorted(drafts, key=lambda d: d.start):
        if d.kind == "person" and d.end - d.start > 1:
            for key in _family_names([t.text for t in doc[d.start : d.end]], d.actor):
                people.setdefault(key, d.actor)
    found = []
    for tok in doc:
        if tok.i in taken or tok.pos_ != "PROPN" or not tok.text[:1].isupper():
            continue
        actor = people.get(fold(tok.text))
        if actor and any(d.start < tok.i for d in drafts if d.actor.id == actor.id):
            found.append(
                Draft(
                    tok.i,
                    tok.i + 1,
                    actor,
                    "surname of a person named earlier",
                    "person",
                    head=tok.i,
                )
            )
    return found


def _family_names(words: Sequence[str], actor: Actor) -> list[str]:
    """The words a person is called by alone: the last, and for a Chinese or Korean name
    the first as well ("Wang" of Wang Yi, "Moon" of Moon Jae-in)."""
    keys = [fold(words[-1])]
    if actor.country in _FAMILY_FIRST:
        keys.append(fold(words[0]))
    return keys


# Countries whose people's names, in English news, put the family name first.
_FAMILY_FIRST = frozenset(["CHN", "TWN", "HKG", "MAC", "KOR", "PRK"])


def _initials(words: Sequence[str]) -> str:
    return "".join(w[0] for w in words if w[:1].isupper())


def corefer_names(doc: Doc, drafts: list[Draft]) -> None:
    """Short names the tagger found on their own point back to a full name given earlier:
    "Putin" after "Vladimir Putin", "GNA" after "Government of National Accord"."""
    surnames: dict[str, Draft] = {}
    acronyms: dict[str, Draft] = {}
    # "the North" after "North Korea", "the South" after "South Sudan"
    halves: dict[str, Draft] = {}
    for d in sorted(drafts, key=lambda d: d.start):
        words = [t.text for t in doc[d.start : d.end] if not t.is_punct]
        # "Mr Blair", "Lord Butler": the honorific is no part of the name
        short = d.end - d.start == 1 or (d.end - d.start == 2 and honorific(doc[d.start]))
        if short and d.rule.startswith("named entity"):
            words = words[-1:]
            key = fold(words[0]) if words else ""
            earlier = surnames.get(key) or acronyms.get(words[0] if words else "")
            if earlier is None and d.start > 0 and doc[d.start - 1].lower_ == "the":
                earlier = halves.get(words[0] if words else "")
            if earlier is not None:
                d.actor, d.kind, d.is_place = earlier.actor, earlier.kind, False
                d.rule = f"short form of {earlier.actor.name} named earlier"
                continue
        if d.kind == "person" and len(words) > 1:
            for key in _family_names(words, d.actor):
                surnames.setdefault(key, d)
        if d.kind == "country" and len(words) > 1 and words[0] in _HALVES:
            halves.setdefault(words[0], d)
        if d.kind in ("org", "group", "igo") and len(words) > 2:
            acronyms.setdefault(_initials(words), d)


# The first words of the names of states that a story, having named them, calls by that
# word alone ("the North" for North Korea).
_HALVES = frozenset(["North", "South"])


def dateline(span: Span) -> bool:
    """A place in capitals before a dash, a bracket or a colon ("GOMA - ...", "KINSHASA
    (AFP) -", "BEIRUT: ..."): where the story was filed from."""
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    if not span.text.isupper() or after is None:
        return False
    # Where a paragraph starts, and the dash apart from the name: "US-led forces" and "The US,
    # Britain and France agreed" hold no dateline
    before = doc[span.start - 1] if span.start > 0 else None
    starts = before is None or "\n" in before.text or "\n" in before.whitespace_
    dash = after.text in ("-", "–", "—") and bool(span[-1].whitespace_)
    return starts and (dash or after.text in ("(", ",", ":"))


def bare_surname(span: Span) -> bool:
    """A surname standing alone, not the first or middle name of someone else
    ("Levy" in "Levy Mwanawasa", "Ahmad" in "Aftab Ahmad Khan Sherpao") nor a dateline."""
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    if dateline(span):  # the city the story was filed from ("GOMA - ..."), not a Congolese PM
        return False
    before = doc[span.start - 1] if span.start > 0 else None
    if after is not None and after.pos_ == "PROPN" and after.text[:1].isupper():
        return False
    if before is not None and before.lower_ == "the" and (after is None or after.pos_ != "NOUN"):
        # "the King", "the Speaker": a title, not a man called King ("the Karzai
        # government" is still Karzai's)
        return False
    inside = span[0].ent_iob_ == "I" or (after is not None and after.ent_iob_ == "I")
    if inside and span[0].ent_type_ not in ("PERSON", ""):
        return False  # inside an organisation's name: "Ernst & Young"
    return not (
        before is not None
        and before.pos_ == "PROPN"
        and before.text[:1].isupper()
        and before.ent_type_ == "PERSON"
        and not honorific(before)  # "Mr Blair" tagged as one name is still a surname
    )


def honorific(tok: Token) -> bool:
    """Whether a word is a courtesy title ("Mr", "Lady"): what follows it is a surname."""
    return fold(tok.text).rstrip(".") in _HONORIFICS


_HONORIFICS = frozenset(["mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "mme"])


# States that did not exist before a date: their territory's earlier state.
_PREDECESSORS = {
    "SSD": (date(2011, 7, 9), "SDN"),
    "ERI": (date(1993, 5, 24), "ETH"),
    "TLS": (date(2002, 5, 20), "IDN"),
    "MNE": (date(2006, 6, 3), "SRB"),
    "XKX": (date(2008, 2, 17), "SRB"),
}


def as_of(country: str, when: date) -> str:
    """The country code as of a date: South Sudan's groups were Sudan's before 2011."""
    born = _PREDECESSORS.get(country)
    return born[1] if born and when < born[0] else country


# Titles that name one office: the holder on the article's date is the person meant.
OFFICE_TITLES = {
    "foreign minister": "foreign_minister",
    "foreign secretary": "foreign_minister",
    "secretary of state": "foreign_minister",
    "defence minister": "defence_minister",
    "defense minister": "defence_minister",
    "defence secretary": "defence_minister",
    "defense secretary": "defence_minister",
    "president": "head_of_state",
    "king": "head_of_state",
    "emir": "head_of_state",
    "supreme leader": "head_of_state",
    "prime minister": "head_of_government",
    "premier": "head_of_government",
    "chancellor": "head_of_government",
}
_PRONOUNS = frozenset(["he", "him", "his", "she", "her"])
_GROUP_PRONOUNS = frozenset(["it", "its", "they", "their", "them"])
# Kinds a group pronoun ("it", "they") can stand for.
_COLLECTIVE_KINDS = frozenset(["country", "capital", "seat", "group", "igo", "org", "agent"])
# Sentences back that a pronoun or "the ministry" may reach for its referent.
_REACH = 2


def office_title(doc: Doc, head: int) -> str | None:
    """The office a title ending at ``head`` names ("foreign minister" -> foreign_minister)."""
    for n in (3, 2, 1):
        words = " ".join(fold(t.text) for t in doc[max(0, head - n + 1) : head + 1])
        if words in OFFICE_TITLES:
            return OFFICE_TITLES[words]
    return None


def office_holders(doc: Doc, drafts: list[Draft], kb: KnowledgeBase, when: date | None) -> None:
    """ "the Russian foreign minister" -> the person in that office on the article's date, and
    "his Turkish counterpart" -> the Turkish holder of the office "his" person holds."""
    for d in drafts:
        head = doc[d.head]
        if d.kind != "agent" or not d.actor.country or head.tag_ in ("NNS", "NNPS"):
            continue
        if d.actor.sector == "ELI":
            continue  # "the former prime minister" is not today's
        office = office_title(doc, d.head)
        if fold(head.text) == "counterpart":
            office = _counterpart_office(head, drafts, kb, when)
        if office is None or not _office_there(head, d.actor.country):
            continue
        person = kb.holder(d.actor.country, office, when)
        if person is not None:
            d.actor, d.kind = person, "person"
            d.rule = f"{office.replace('_', ' ')} of {d.actor.country} on the article's date"


def _office_there(head: Token, country: str) -> bool:
    """Whether a title names that office in the country: a chancellor heads the government
    only in Germany and Austria (Britain's is its finance minister)."""
    return fold(head.text) != "chancellor" or country in _CHANCELLOR_STATES


_CHANCELLOR_STATES = frozenset(["DEU", "AUT"])


def _counterpart_office(
    head: Token, drafts: list[Draft], kb: KnowledgeBase, when: date | None
) -> str | None:
    """The office of the person whose counterpart is meant ("his" or "X's counterpart")."""
    for child in head.children:
        if child.dep_ != "poss":
            continue
        owner = next((d for d in drafts if d.start <= child.i < d.end), None)
        if owner is not None and owner.actor.kind == "person":
            held = kb.office_of(owner.actor.id, when)
            return held[1] if held else None
    return None


def pronouns(doc: Doc, drafts: list[Draft]) -> list[Draft]:
    """ "he", "his" and "her" -> the last person named within two sentences."""
    people = sorted((d for d in drafts if d.kind in ("person", "surname")), key=lambda d: d.start)
    bodies = sorted(
        (d for d in drafts if d.kind in _COLLECTIVE_KINDS and not d.is_place), key=lambda d: d.start
    )
    index = {i: d for d in drafts for i in range(d.start, d.end)}
    sentence_of = _sentence_of(doc)
    found = []
    for tok in doc:
        if tok.lower_ in _GROUP_PRONOUNS and tok.pos_ == "PRON":
            body = _reporter(tok, index) or next(
                (
                    d
                    for d in reversed(bodies)
                    if d.end <= tok.i and sentence_of(tok.i) - sentence_of(d.start) <= 1
                ),
                None,
            )
            if body is not None:
                found.append(_pronoun(tok, body.actor))
            continue
        if tok.lower_ not in _PRONOUNS or tok.pos_ != "PRON":
            continue
        before = [
            d
            for d in people
            if d.end <= tok.i and sentence_of(tok.i) - sentence_of(d.start) <= _REACH
        ]
        if before:
            found.append(_pronoun(tok, before[-1].actor))
    return found


def bare_capitals(
    doc: Doc, drafts: list[Draft], kb: KnowledgeBase, story: str | None
) -> list[Draft]:
    """ "the capital" with no name beside it -> the capital of the country last named as a
    place (or of the story's country)."""
    taken = {i for d in drafts for i in range(d.start, d.end)}
    places = sorted((d for d in drafts if d.is_place and d.actor.country), key=lambda d: d.start)
    found = []
    for tok in doc:
        if tok.i in taken or tok.lower_ != "capital" or tok.pos_ != "NOUN":
            continue
        if not any(c.lower_ == "the" for c in tok.children):
            continue
        if any(c.dep_ in ("appos", "compound", "amod", "prep") for c in tok.children):
            continue  # "the capital Tripoli", "the Libyan capital", "the capital of Libya"
        before = [d.actor.country for d in places if d.end <= tok.i]
        country = before[-1] if before else story
        name = kb.capitals.get(country or "")
        if country and name:
            actor = Actor(id=slug(name), name=name, country=country, sector=None, kind="place")
            found.append(
                Draft(
                    tok.i,
                    tok.i + 1,
                    actor,
                    f"the capital of {country}",
                    "place",
                    is_place=True,
                    head=tok.i,
                    text=name,
                )
            )
    return found


def bare_countries(
    doc: Doc, drafts: list[Draft], kb: KnowledgeBase, story: str | None
) -> list[Draft]:
    """ "the country", "the nation" with no name beside it -> the state named last in its
    sentence or the one before, else the story's ("talks with Croatia begin only if the
    country co-operates"); "this country" -> the story's, the paper's own. After a locative
    preposition ("attacks in the country") it is that state as a place."""
    taken = {i for d in drafts for i in range(d.start, d.end)}
    # a region or body the tagger found inside "the Caucasus nation" does not name another
    actors = {i for d in drafts if d.kind not in _DESCRIBERS for i in range(d.start, d.end)}
    states = sorted(
        (d for d in drafts if d.kind in _STATE_KINDS and d.actor.country), key=lambda d: d.start
    )
    sentence_of = _sentence_of(doc)
    found = []
    for tok in doc:
        if tok.i in taken or tok.lower_ not in _STATE_NOUNS or tok.pos_ != "NOUN":
            continue
        det = [c for c in tok.children if c.dep_ == "det"]
        if tok.i == 0 or len(det) != 1 or det[0].lower_ not in _THIS:
            continue
        if not _describes_it(doc[det[0].i + 1 : tok.i], actors):
            continue  # "the neighbouring country", "the Russian nation", "the whole country"
        if any(c.dep_ in ("prep", "appos", "nummod") for c in tok.children):
            continue  # "the country of their birth"
        # "this country" is the paper's own, the story's; "the country" the state named last,
        # in this sentence or the one before
        near = [
            d.actor.country
            for d in states
            if d.end <= tok.i and sentence_of(d.start) >= sentence_of(tok.i) - 1
        ]
        by_name = bool(near) and det[0].lower_ == "the"
        actor = kb.countries.get((near[-1] if by_name else story) or "")
        if actor is None:
            continue
        place = tok.dep_ == "pobj" and tok.head.lower_ in PLACE_PREPS
        found.append(
            Draft(
                det[0].i,
                tok.i + 1,
                actor,
                "the state last named" if by_name else "the state of the story",
                "country",
                is_place=place,
                head=tok.i,
                text=doc[det[0].i : tok.i + 1].text,
            )
        )
    return found


def _describes_it(words: Span, actors: set[int]) -> bool:
    """Whether the words between "the" and "country" only describe the state meant ("the
    Caucasus nation", "the oil-rich kingdom", "the war-torn country"): none names another
    actor, none points to another state or to its whole land ("neighbouring", "whole")."""
    if len(words) > _DESCRIBING:
        return False
    return not any(t.i in actors or t.lower_ in _ANOTHER for t in words)


_DESCRIBING = 3
_DESCRIBERS = frozenset(["org", "place"])
_ANOTHER = frozenset(
    "neighbouring neighboring other another same host home whole entire foreign donor member "
    "third first second each every any new one".split()
)
# Names of a state that stand for the one last named, and the kinds of draft that name one.
_STATE_NOUNS = frozenset(["country", "nation", "kingdom", "republic"])
_THIS = frozenset(["the", "this"])
_STATE_KINDS = frozenset(["country", "former", "capital", "seat"])


def _sentence_of(doc: Doc) -> Callable[[int], int]:
    """The index of the sentence a token index falls in."""
    starts = [sent.start for sent in doc.sents]
    return lambda i: bisect_right(starts, i) - 1


def _pronoun(tok: Token, actor: Actor) -> Draft:
    return Draft(
        tok.i, tok.i + 1, actor, f"pronoun for {actor.name}", "pronoun", head=tok.i, text=tok.text
    )


def _reporter(tok: Token, index: dict[int, Draft]) -> Draft | None:
    """Who "it" or "they" is in a report: "Iran said *it* would..." is Iran."""
    clause = tok.head
    if tok.dep_ not in ("nsubj", "nsubjpass") or clause.dep_ not in ("ccomp", "xcomp"):
        return None
    for subj in clause.head.children:
        if subj.dep_ in ("nsubj", "nsubjpass") and subj.i in index:
            return index[subj.i]
        if subj.dep_ in ("nsubj", "nsubjpass"):
            # "Kenyan officials said they...": agent nouns are resolved after pronouns, so
            # the reporter is known here by the country that modifies it.
            mods = [c for c in subj.children if c.dep_ in ("amod", "compound") and c.i in index]
            if mods and index[mods[-1].i].kind in _COLLECTIVE_KINDS | {"demonym"}:
                return index[mods[-1].i]
    return None
