"""What an article is about: the country its names point to, where it was filed from, and
the country and sector an organisation's own name gives ("the US Justice Department").

These settle the actors the text names without a country: a bare agent noun, an unknown
person with a title, a party or court the knowledge base does not know.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta

from spacy.tokens import Doc, Span

from ...knowledge import sectors
from ...knowledge.kb import KnowledgeBase, Match, fold
from ...knowledge.places import Gazetteer
from .drafts import COUNTRYISH, PLACE_PREPS, SETTLEMENTS, Draft


def story_of(named: Counter[str | None], known: Sequence[Draft]) -> str | None:
    """The country the names the base knows point to most: its countries and places, and
    the people and groups it knows (Blair, Howard and the Tories make a BBC story on the
    Iraq inquiry a British one, though it names Iraq more than Britain)."""
    people = Counter(
        d.actor.country
        for d in known
        if d.kind in ("person", "group") and d.actor.country and d.rule.startswith("knowledge")
    )
    top = [c for c, _ in (named + people).most_common(2) if c]
    return top[0] if top else None


def main_country(named: Counter[str | None], drafts: list[Draft]) -> str | None:
    """The country the story's names, places and known people point to most."""
    places = Counter(
        d.actor.country
        for d in drafts
        if d.is_place and d.actor.country and d.rule != "a dateline"  # where it was filed
    )
    # The people the base knows speak for their countries too: Blair and Straw make a
    # BBC story on Iraq a British one.
    people = Counter(d.actor.country for d in drafts if d.kind == "person" and d.actor.country)
    story = (named + places + people).most_common(1)
    return story[0][0] if story else None


def countries_named(matches: Sequence[Match]) -> Counter[str | None]:
    """The countries the article names by name, former name or demonym. Capitals are left
    out: they are what this count helps to settle. A former name is the country in the
    stories of its time ("Zaire" in 1997). A surname is no rival to a country's name:
    "Nepal" is Nepal, though Madhav Kumar Nepal bears it."""
    return Counter(
        e.actor.country
        for m in matches
        if len(own := [e for e in m.entries if e.kind != "surname"]) == 1
        for e in own
        if e.kind in ("country", "former", "demonym")
    )


def people_countries(matches: Sequence[Match]) -> Counter[str | None]:
    """The countries of the people and groups the base knows by one entry."""
    return sole_countries(matches, ("person", "group"))


def sole_countries(matches: Sequence[Match], kinds: Sequence[str]) -> Counter[str | None]:
    """The countries of the names of these kinds that have one entry in the base."""
    return Counter(
        m.entries[0].actor.country
        for m in matches
        if len(m.entries) == 1 and m.entries[0].kind in kinds and m.entries[0].actor.country
    )


def era(matches: Sequence[Match], kb: KnowledgeBase) -> date | None:
    """The date an undated article most likely speaks of, from the people it names in full
    who held an office the base lists every holder of: the middle of the first period in
    which most of them were in office together (Blair named: his premiership's middle; with
    Howard as well, still Blair's). It chooses which of a person's terms and of a group's
    roles the article means (Howard as opposition leader, the Tories in opposition); a title
    without a name still resolves to no one in an undated article."""
    terms: dict[str, list[tuple[date, date | None]]] = {}
    for m in matches:
        people = {e.actor.id for e in m.entries}
        if len(people) == 1 and all(e.kind == "person" for e in m.entries):
            held = kb.terms.get(next(iter(people)), [])
            terms[next(iter(people))] = [(e.start, e.end) for _, _, e in held if e.start]
    best: list[tuple[date, date | None]] = []
    start = None
    for day in sorted({s for spans in terms.values() for s, _ in spans}):
        serving = [
            term
            for spans in terms.values()
            if (term := next((t for t in spans if _covers(t, day)), None))
        ]
        if len(serving) > len(best):
            best, start = serving, day
    if start is None:
        return None
    end = min(e or start + timedelta(days=4 * 365) for _, e in best)
    return start + (end - start) / 2


def _covers(term: tuple[date, date | None], day: date) -> bool:
    return term[0] <= day and (term[1] is None or day <= term[1])


def filed_from(doc: Doc, gazetteer: Gazetteer | None) -> Counter[str | None]:
    """The country of the place a story was filed from ("MARGAO: ...", "COLUMBUS, Ohio
    -"), read from the capitals that open it, whatever the tagger made of them."""
    found: Counter[str | None] = Counter()
    words = []
    for tok in doc[:4]:
        if not (tok.is_alpha and tok.text.isupper() and len(tok.text) > 1):
            break
        words.append(tok.text)
    if gazetteer is None or not words:
        return found
    loc = gazetteer.lookup(" ".join(words))
    if loc is not None:
        found[loc.country] += 1
    return found


def org_sector(span: Span, kb: KnowledgeBase) -> str | None:
    """The sector an organisation's name gives: its head word first ("House of People's
    Representatives" is a house, LEG), else its last agent word."""
    root = span.root
    # a state organ before the head ("Police Department") says more than the head
    organs = [
        c
        for c in root.lefts
        if c.dep_ == "compound" and kb.agents.get(fold(c.text)) in sectors.STATE
    ]
    for tok in (*organs, root, *reversed(span)):
        word = fold(tok.text)
        sector = INSTITUTIONS.get(word) or kb.agents.get(word) or kb.agents.get(fold(tok.lemma_))
        if sector:
            return sector
    return None


def org_country(
    ent: Span,
    known: list[Draft],
    named: Counter[str | None],
    kb: KnowledgeBase,
    gazetteer: Gazetteer | None,
) -> str | None:
    """The country an organisation's name holds ("US", "Nigerian", a town of a country
    the article names, before its head word) or its possessor names ("Ethiopia's ..."),
    if any. A town counts only when a city of a country the article names: "Federal",
    "Liberal" and "Lord" are towns somewhere."""
    doc = ent.doc
    for d in known:
        inside = ent.start <= d.start and d.end <= ent.end
        owner = d.end == ent.start - 1 and doc[d.end].tag_ == "POS"
        if (inside or owner) and d.kind in COUNTRYISH and d.actor.country:
            return d.actor.country
    for m in kb.find([t.text for t in ent]):
        entries = {e.actor.country for e in m.entries if e.kind in COUNTRYISH}
        if len(entries) == 1 and len(m.entries) == 1:
            return entries.pop()
    words = []
    for tok in ent:
        if tok.i >= ent.root.i or not (tok.pos_ == "PROPN" and tok.text[:1].isupper()):
            break
        words.append(tok.text)
    while words and gazetteer is not None:
        loc = gazetteer.lookup(" ".join(words), named)
        if loc is not None and named[loc.country] > 0 and loc.population >= TOWN:
            return loc.country
        words.pop()
    return None


def domestic_body(ent: Span, gazetteer: Gazetteer | None) -> bool:
    """Whether an organisation the base does not know, whose name gives no sector, is most
    likely the story's own ("NEC", "PG&E", "the National Dialogue Front", and the persons
    the tagger takes for organisations, "Najib", "Cerar"): on the training articles the
    coders give most such names the story's country. Not when the name or its place in the
    sentence says otherwise: a name as international bodies are named ("Amnesty
    International"; ``international``), a place's ("to Qusayr", "the Kalbajar district",
    one word the gazetteer knows), a phrase ending on "of" (a broken span), one word
    capitalised only because it opens the sentence ("Powers pledge...") or ending a title
    ("Secretary of State"), or a people ("Chechens")."""
    root = ent.root
    words = [t for t in ent if t.text[:1].isalpha() and t.lower_ != "the"]
    if international(ent) or not words or not root.text[:1].isupper() or ent[-1].pos_ == "ADP":
        return False
    placed = root.dep_ == "pobj" and root.head.lower_ in PLACE_PREPS
    placed = placed or (root.dep_ in ("compound", "nmod") and root.head.lower_ in SETTLEMENTS)
    if placed:
        return False
    if len(words) > 1 or words[0].text.isupper():
        return True
    first = words[0]
    if first.tag_ == "NNPS":
        return False  # a people ("Chechens", "Kurds"), not a body
    opens = first.i == 0 or first.is_sent_start or first.nbor(-1).text in ("-", "\u2014", ":")
    tail = root.dep_ == "pobj" and root.head.lower_ == "of"  # "Secretary of State"
    return not (opens or tail or (gazetteer is not None and first.text in gazetteer))


def international(ent: Span) -> bool:
    """Whether an organisation's name says it belongs to no one country ("Amnesty
    International", "Care International", "the European Court of Auditors")."""
    return any(fold(t.text) in _ABROAD_WORDS for t in ent)


_ABROAD_WORDS = frozenset(
    "international internationale worldwide world global european europe nations".split()
)


def named_town(
    ent: Span, named: Counter[str | None], kb: KnowledgeBase, gazetteer: Gazetteer | None
) -> bool:
    """Whether an organisation the tagger found is only the name of a town of a country
    the article names ("Karachi" of "the Karachi port"): a place, which counts for the
    story's country. Organisations' head words ("Karachi University") keep them
    organisations; a small town ("Liberal", Kansas) or one abroad is no evidence."""
    if gazetteer is None or org_sector(ent, kb) is not None:
        return False
    loc = gazetteer.lookup(ent.text, named)
    return loc is not None and named[loc.country] > 0 and loc.population >= TOWN


# Head words of organisations' names and the sector they give ("Election Commission",
# "Central Bureau of Investigation", "Border Security Force", "Radio Sveti Jovan"); as bare
# nouns ("the commission") they name no one in particular and stay out of agents.yaml.
INSTITUTIONS = {
    **dict.fromkeys(
        "commission council committee department agency office bureau board registrar "
        "secretariat directorate inspectorate".split(),
        "GOV",
    ),
    **dict.fromkeys("assembly house chamber duma knesset majlis".split(), "LEG"),
    **dict.fromkeys("force guard command".split(), "MIL"),
    **dict.fromkeys("radio television tv broadcasting newspaper gazette herald".split(), "MED"),
}
# People a town must have to name an organisation's country ("Liberal", "Lord" are towns).
TOWN = 100_000


def place_countries(
    doc: Doc, covered: set[int], gazetteer: Gazetteer | None
) -> Counter[str | None]:
    """Countries of the places the tagger found that the knowledge base did not."""
    found: Counter[str | None] = Counter()
    if gazetteer is None:
        return found
    for ent in doc.ents:
        if ent.label_ in ("GPE", "LOC") and not any(
            i in covered for i in range(ent.start, ent.end)
        ):
            loc = gazetteer.lookup(ent.text)
            if loc is not None:
                found[loc.country] += 1
    return found


def region_around(span: Span, gazetteer: Gazetteer | None) -> Span | None:
    """The longer region name a known name opens or closes, if the gazetteer lists one:
    "Niger" in "the Niger Delta" is Nigeria's delta, not the state of Niger."""
    if gazetteer is None:
        return None
    doc = span.doc
    for start in range(max(span.start - _REGION_WORDS, 0), span.start + 1):
        for end in range(min(span.end + _REGION_WORDS, len(doc)), span.end - 1, -1):
            if end - start <= len(span) or not all(t.text[:1].isupper() for t in doc[start:end]):
                continue
            if any(loc.kind == "region" for loc in gazetteer.candidates(doc[start:end].text)):
                return doc[start:end]
    return None


# Words a region's name may add to a known name it holds ("the Niger Delta").
_REGION_WORDS = 2


def acting_state(d: Draft) -> bool:
    """A state named by its name, former name, capital or seat where it is not a place:
    "Turkey said", "Moscow denied", "it" for Turkey. It acts through its government, and the
    coders of the news gold and of our training articles code it so (GOV for about seven of
    ten such names, no sector for two). Its id and code stay the state's ("TUR"), so the
    camps and the CAMEO codes are unchanged; a people ("Turks", "Turkish") keeps no
    sector."""
    return (
        d.kind in STATE_NAMES
        and not d.is_place
        and d.actor.kind == "country"
        and d.actor.sector is None
    )


STATE_NAMES = frozenset(["country", "former", "capital", "seat", "pronoun"])


def waging_war(d: Draft, doc: Doc) -> bool:
    """Whether a state named by its name does an act of war: the subject of "attacked",
    "shelled", "invaded", "fired on" ("Israel struck Gaza"), the one "by" whom it was done,
    the owner of the act ("Israel's offensive"), the one who launches it ("unleashed an
    offensive") or who sends, deploys or has forces and arms ("Burundi sent 190 troops").
    It acts through its forces, and the coders of the news gold and of our training
    articles code it so (a state named by its name or capital as the source of an assault:
    MIL 86 times of 110 in the training articles, 18 of 25 in news.dev)."""
    if d.head < 0:
        return False
    tok = doc[d.head]
    if tok.dep_ == "poss":  # "Israel's offensive", "Russia's invasion"
        return tok.head.lemma_.lower() in WAR_NOUNS
    if tok.dep_ == "nsubj":
        verb = tok.head
    elif tok.dep_ == "pobj" and tok.head.dep_ == "agent":  # "shelled by Russia"
        verb = tok.head.head
    else:
        return False
    if verb.pos_ != "VERB":
        return False
    lemma = verb.lemma_.lower()
    fired = lemma == "fire" and any(c.lower_ in ("on", "at") for c in verb.children)
    objects = {c.lemma_.lower() for c in verb.children if c.dep_ == "dobj"}
    armed = bool(objects & ARMS) or (lemma in _LAUNCH and bool(objects & WAR_NOUNS))
    return lemma in WAR_VERBS or fired or armed


# Verbs of the lexicon's ASSAULT that only armed forces do to a state or its people (not
# "executed", "beat" or "captured", which courts and police do too; not "blockaded", which
# may be economic).
WAR_VERBS = frozenset(
    "attack strike invade shell bomb bombard fight clash ambush besiege overrun "
    "recapture storm raid pound".split()
)
# Nouns of acts of war a state's name owns ("Israel's offensive").
WAR_NOUNS = frozenset(
    "offensive attack raid strike airstrike air-strike bombardment bombing invasion incursion "
    "shelling assault firepower".split()
)
# Verbs that start an act of war named by its noun ("launched an offensive"); others only
# speak of one ("condemned the attacks", "endorsed the invasion").
_LAUNCH = frozenset("launch unleash stage mount conduct carry begin start intensify".split())
# Forces and arms a state sends, deploys or has ("Burundi sent 190 troops").
ARMS = frozenset(
    "troop soldier force missile rocket warship jet bomber tank drone peacekeeper".split()
)


def people_of(doc: Doc, d: Draft) -> str | None:
    """The sector a people named by its demonym acts in: "the French", "the North Koreans"
    (the people as a whole, in the news a state's voice) are its government, as the
    training coders code them; "nine Afghans", "several hundred Palestinians" (some of its
    people) are civilians; else None ("Turks", or a demonym modifying a noun)."""
    if d.kind != "demonym" or d.actor.kind != "country" or d.head < 0:
        return None
    head = doc[d.head]
    if head.dep_ in ("amod", "compound", "poss", "nmod") or head.i != d.end - 1:
        return None
    words = {c.lower_ for c in head.children if c.i < d.start}
    counted = any(c.dep_ == "nummod" for c in head.children) or words & _SOME
    if counted:
        return "CVL"
    return "GOV" if words == {"the"} else None


# Words that count some of a people: "several hundred Palestinians", "many Iraqis".
_SOME = frozenset(["several", "some", "many", "dozens", "hundreds", "thousands", "few", "other"])


def unnamed_story(
    named: Counter[str | None],
    people: Counter[str | None],
    doc: Doc,
    gazetteer: Gazetteer | None,
) -> None:
    """A story that names no country ("the Tories", "Columbus police", Goa's chief minister)
    is about the country of the people and parties it names, else of the place it was filed
    from: ``named`` gets that evidence when it has none (``people``: the countries of the
    people and groups it names, ``people_countries``)."""
    if not +named:
        named.update(people)
    if not +named:
        named.update(filed_from(doc, gazetteer))
