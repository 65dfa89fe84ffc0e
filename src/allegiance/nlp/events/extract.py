"""Events stage: PLOVER events from the dependency parse and the resolved actors.

For every trigger (a verb of the lexicon, a light verb with an event noun, a verb of receiving
with one, or "in support of") the extractor finds the sources and targets along the parse:
subjects and objects, passive agents, coordinated actors and "along with" companions, relative
pronouns and controlled subjects. Each event gets a modality from the words around its clause,
a date resolved against the publication date, and the place the sentence names for it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc, Span, Token

from ...knowledge.lexicon import Lexicon
from ...records import Actor, Event, EventActor, Mention, Place
from ...records import Span as TextSpan
from ..actors.resolve import DocActors
from ..dates import resolve_date

_COMPANION_PREPS = ("along", "together", "alongside", "as", "jointly")  # "along with X"
_TARGET_PREPS = frozenset(
    ["with", "to", "on", "against", "at", "into", "toward", "towards", "upon"]
)
# Hostile verbs take their target after these only: "fought for X" is on X's side.
_HOSTILE_PREPS = frozenset(["against", "on", "upon", "at", "into"])
_HOSTILE = frozenset(["ASSAULT", "COERCE", "THREATEN", "SANCTION", "ACCUSE", "PROTEST"])
_NOMINAL_TARGET_PREPS = frozenset(
    ["with", "to", "on", "against", "for", "over", "about", "toward", "towards", "between"]
)
_RECIPIENT_PREPS = frozenset(["to", "for"])
_RELATIVE = frozenset(["who", "which", "that", "whom"])
# Heads that count people: their "of" phrase names who acts.
_QUANTITIES = frozenset(
    [
        "thousands",
        "tens",
        "hundreds",
        "dozens",
        "scores",
        "millions",
        "group",
        "groups",
        "members",
        "number",
        "some",
        "many",
        "most",
        "majority",
        "contingent",
        "patch",
        "batch",
        "delegation",
        "team",
        "deployment",
    ]
)
# What one agrees to that is a text to approve (SUPPORT), not an act to do (AGREE).
_DOCUMENTS = frozenset(
    [
        "plan",
        "approach",
        "deal",
        "agreement",
        "proposal",
        "resolution",
        "framework",
        "text",
        "terms",
        "budget",
        "draft",
        "roadmap",
        "formula",
        "accord",
        "treaty",
        "pact",
        "declaration",
        "statement",
        "principle",
        "principles",
        "compromise",
        "package",
    ]
)
# Words that make an attack verbal: "a scathing attack on the government".
_VERBAL = frozenset(
    [
        "scathing",
        "blistering",
        "stinging",
        "verbal",
        "extraordinary",
        "bitter",
        "personal",
        "withering",
        "furious",
        "vitriolic",
        "strongly-worded",
    ]
)
# Heads whose compound names the act: "a mediation effort", "a peace mission".
_EFFORTS = frozenset(
    ["effort", "efforts", "mission", "campaign", "operation", "bid", "drive", "process"]
)
_RECIPROCAL = frozenset(["AGREE", "CONSULT", "COOPERATE", "SUPPORT"])
# Violence that takes two sides: "A and B clashed" is each attacking the other.
_MUTUAL = frozenset(["fight", "clash", "battle", "skirmish"])
# "Turkey and Russia back opposing sides": the subjects are rivals, not each other's backers.
_APART = frozenset(["opposing", "opposite", "rival", "different", "competing", "other"])
_SIDES = frozenset(["side", "sides", "camp", "camps", "faction", "factions", "party", "parties"])
# Types of acts that help the other side, and of acts against it (for the PLOVER view).
_COOPERATIVE = frozenset(["CONSULT", "AID", "COOPERATE", "CONCEDE", "RETREAT", "SUPPORT"])
_FORCEFUL = frozenset(["ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "PROTEST"])
# Sectors of people whose force against others is protest: "workers blocked the bridge".
_CIVILIAN = frozenset(["CVL", "LAB", "EDU", "REF", "AGR"])
# Adjectives of willingness: "Russia is willing to withdraw" is AGREE.
_WILLING = frozenset(["willing", "ready", "prepared", "eager", "keen", "determined"])
_SYMMETRIC_MODES = frozenset(["meet", "negotiate", "phone"])
# PLOVER types whose recipient, when the sentence names none, is the actor's own country
# if the actor is one that acts at home: PLOVER coders code "Zambian miners went on strike"
# ZMB->ZMB. Meetings, pledges, withdrawals and deployments without a named
# recipient stay without one.
_DOMESTIC = frozenset(
    ["PROTEST", "REJECT", "CONCEDE", "ASSAULT", "COERCE", "REQUEST", "THREATEN", "ACCUSE"]
)
# Sectors of actors whose acts are aimed at home: society, opposition, rebels, parties,
# courts, police. A state, its government or its army may act abroad, so an act of theirs
# without a named recipient keeps none.
_HOME_SECTORS = frozenset(
    "REB INS SEP OPP PTY LEG JUD COP MED BUS CVL REF LAB EDU HLH REL CRM ELI AGR ENV".split()
)
# Texts one issues: whoever issued "a statement demanding X" demands it.
_MESSAGES = frozenset(
    "statement declaration communique letter message note memorandum resolution decree".split()
)
# PLOVER types that require a recipient.
_NEEDS_RECIPIENT = frozenset(["COOPERATE", "AID", "SANCTION"])
# Precedence when several cues apply to one event.
_MODALITY_ORDER = ("negated", "hypothetical", "planned", "alleged", "reported", "asserted")
# How far below a preposition an actor may sit and still be its object ("concerns over
# increases in attacks by forces loyal to Assad").
_MAX_TARGET_DEPTH = 4
# Sentences back that a definite event noun ("the talks") may refer to.
_ANAPHORA_WINDOW = 3


@dataclass(frozen=True, slots=True)
class _Arg:
    mention: Mention
    text: str
    start: int
    end: int
    indirect: bool = False
    implied: bool = False


@dataclass(frozen=True, slots=True)
class _Trigger:
    token: Token
    type: str
    mode: str | None
    kind: str  # verb, light, receive, in-support


class EventExtractor:
    """Holds the lexicon; ``extract(doc, actors, published)`` codes one parsed article."""

    def __init__(self, lexicon: Lexicon, countries: Mapping[str, Actor] | None = None) -> None:
        self.lex = lexicon
        # ISO3 -> the country's actor, for the implied recipient of a domestic act.
        self.countries: Mapping[str, Actor] = countries or {}
        self._known = frozenset(lexicon.verbs) | lexicon.light  # lemmas _lemma may mend

    def extract(self, doc: Doc, actors: DocActors, published: date | None) -> list[Event]:
        """Return the events of a Doc in text order, one per source-target pair."""
        events: list[Event] = []
        history: list[tuple[int, Event]] = []
        for n, sent in enumerate(doc.sents):
            found = list(self._sentence_events(sent, actors, published))
            events, history = self._apply_anaphora(sent, n, actors, published, events, history)
            for ev in found:
                events.append(ev)
                history.append((n, ev))
        return _dedupe(events)

    def _noun_at(self, obj: Token) -> tuple[str, str | None] | None:
        """The event a noun names, its compound first ("hunger strike", "mediation effort",
        "a state of emergency")."""
        for prep in _children(obj, "prep"):
            for pobj in _children(prep, "pobj"):
                phrase = self.lex.nouns.get(f"{obj.lower_} {prep.lower_} {pobj.lower_}")
                if phrase:
                    return phrase
        for mod in obj.children:
            if mod.dep_ in ("compound", "amod"):
                pair = self.lex.nouns.get(f"{mod.lower_} {obj.lower_}")
                if pair:
                    return pair
                if mod.lower_ in self.lex.nouns and obj.lemma_.lower() in _EFFORTS:
                    return self.lex.nouns[mod.lower_]
        return self.lex.nouns.get(obj.lower_) or self.lex.nouns.get(obj.lemma_.lower())

    def _must_clause(self, tok: Token) -> bool:
        """A clause with "must" or "should" that a reporting verb governs."""
        return (
            tok.dep_ == "ccomp"
            and tok.head.lemma_.lower() in self.lex.modality["reported_verbs"] | {"conclude"}
            and any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in tok.children)
        )

    def _blame_clause(self, tok: Token) -> bool:
        """ "the government said the Taliban were responsible": a reported blame."""
        return (
            tok.dep_ == "ccomp"
            and tok.lemma_ == "be"
            and tok.head.lemma_.lower() in self.lex.modality["reported_verbs"]
            and any(
                c.dep_ == "acomp" and c.lower_ in ("responsible", "guilty", "behind")
                for c in tok.children
            )
        )

    def _prep_noun(self, tok: Token) -> tuple[str, str | None] | None:
        """ "on alert", "in support (of)", "on strike": a preposition's noun as a trigger."""
        if tok.dep_ != "pobj" or tok.pos_ not in ("NOUN", "PROPN"):
            return None
        prep = tok.head.lower_
        found = self.lex.prep_nouns.get(f"{prep} {tok.lower_}")
        for mod in tok.children:
            if mod.dep_ == "amod":
                found = found or self.lex.prep_nouns.get(f"{prep} {mod.lower_} {tok.lower_}")
        return found

    def _object_type(self, verb: Token) -> str | None:
        """The type a verb takes from its object noun ("violated the ceasefire")."""
        table = self.lex.objects.get(verb.lemma_.lower())
        if not table:
            return None
        objects = _children(verb, "dobj", "nsubjpass") + [
            o for p in _children(verb, "prep") if p.lower_ == "as" for o in _children(p, "pobj")
        ]  # "held civilians as human shields"
        for obj in objects:
            found = table.get(obj.lower_) or table.get(obj.lemma_.lower())
            # "ended mediation efforts": the compound names the thing
            for mod in obj.children:
                if not found and mod.dep_ == "compound" and obj.lemma_.lower() in _EFFORTS:
                    found = table.get(mod.lower_)
            if found:
                return found
        return None

    def modality_of(self, tok: Token) -> str:
        """The modality of the clause a word belongs to."""
        return self._modality(tok if tok.pos_ in ("VERB", "AUX") else _clause_verb(tok))

    def trigger_of(self, tok: Token) -> tuple[str, str | None] | None:
        """The event type and mode a word signals on its own, if any (for fallbacks)."""
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX") and lemma in self.lex.verbs:
            return self.lex.verbs[lemma]
        noun = self.lex.nouns.get(tok.lower_) or self.lex.nouns.get(lemma)
        if noun:
            return noun
        return self.lex.verbs.get(lemma)

    def _lemma(self, tok: Token) -> str:
        """A verb's lemma, mended where the lemmatizer cut a verb in "-e" to a noun: "staged"
        is "stag", "waged" "wag"."""
        lemma = tok.lemma_.lower()
        if tok.lower_.endswith("ed") and lemma not in self._known and f"{lemma}e" in self._known:
            return f"{lemma}e"
        return lemma

    # Triggers ------------------------------------------------------------------------------
    def _triggers(self, sent: Span) -> Iterator[_Trigger]:
        lex = self.lex
        for tok in sent:
            lemma = self._lemma(tok)
            if self._must_clause(tok):
                # "Russia said Sudan must return the helicopter": the reporter asks it.
                yield _Trigger(tok, "REQUEST", None, "must")
            if self._blame_clause(tok):
                yield _Trigger(tok, "ACCUSE", "allege", "must")
            if tok.lower_ in _WILLING and any(c.dep_ == "xcomp" for c in tok.children):
                yield _Trigger(tok, "AGREE", None, "adj")
                continue
            participle = tok.dep_ == "acl" and tok.tag_ == "VBN"  # "militiamen armed with"
            if tok.dep_ in ("amod", "compound") or participle or not _verb_like(tok):
                hit = self._prep_noun(tok)
                if hit:
                    yield _Trigger(tok, *hit, "prep-noun")
                elif tok.pos_ == "NOUN" and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj"):
                    noun = self._noun_at(tok)
                    # A light verb's object is read with the verb ("held talks"); its subject
                    # is an event of its own ("Kurdish protests against X continued").
                    governed = tok.dep_ in ("dobj", "nsubjpass") and (
                        tok.head.lemma_.lower() in lex.light | lex.receive
                    )
                    if noun and not governed:
                        yield _Trigger(tok, *noun, "nominal")
                continue
            if (
                lemma == "agree"
                and not _children(tok, "xcomp", "ccomp")
                and any(
                    p.lower_ in ("to", "on") and any(o.pos_ == "NOUN" for o in _children(p, "pobj"))
                    for p in _children(tok, "prep")
                )
            ):
                # "agreed to the plan" approves a policy: SUPPORT; "agreed to a ceasefire"
                # and "agreed to go" are commitments: AGREE.
                nouns = [o for p in _children(tok, "prep") for o in _children(p, "pobj")]
                if any(o.lemma_.lower() in _DOCUMENTS for o in nouns):
                    yield _Trigger(tok, "SUPPORT", "endorse", "verb")
                else:
                    yield _Trigger(tok, "AGREE", None, "verb")
                continue
            # A light verb with an event noun ("held talks", "stepped up attacks") is the
            # noun's event only, unless the noun changes the verb's type ("ended the strike").
            by_object = self._object_type(tok)
            light_noun = lemma in lex.light and any(
                self._noun_at(o) for o in _children(tok, "dobj", "nsubjpass")
            )
            phrasal = next(
                (
                    lex.phrasal[(lemma, c.lower_)]
                    for c in tok.children
                    if (lemma, c.lower_) in lex.phrasal and _particle(tok, c)
                ),
                None,
            )
            if (
                lemma == "call"
                and phrasal == lex.phrasal.get(("call", "on"))
                and not (_children(tok, "xcomp", "ccomp"))
            ):
                phrasal = ("CONSULT", "visit")  # "called on the president": a visit
            if by_object:
                yield _Trigger(tok, by_object, None, "verb")
            elif light_noun:
                pass
            elif phrasal:
                yield _Trigger(tok, *phrasal, "verb")
            elif lemma in lex.verbs and not (
                lemma in lex.transitive and not _children(tok, "dobj", "nsubjpass")
            ):
                yield _Trigger(tok, *lex.verbs[lemma], "verb")
            if by_object:
                continue
            if lemma in lex.light or lemma in lex.receive:
                for obj in _children(tok, "dobj", "nsubjpass"):
                    noun = self._noun_at(obj)
                    if noun:
                        kind = "receive" if lemma in lex.receive and obj.dep_ == "dobj" else "light"
                        yield _Trigger(obj, noun[0], noun[1], kind)

    # One sentence ----------------------------------------------------------------------------
    def _sentence_events(
        self, sent: Span, actors: DocActors, published: date | None
    ) -> Iterator[Event]:
        return _main_acts(list(self._clause_events(sent, actors, published)))

    def _clause_events(
        self, sent: Span, actors: DocActors, published: date | None
    ) -> Iterator[tuple[Token, Event]]:
        """Each event of a sentence with the verb whose clause holds it."""
        triggers = list(self._triggers(sent))
        outer = {
            t.token.i
            for t in triggers
            if t.type in self.lex.attitude and t.kind in ("verb", "adj", "light")
        }
        musts = {t.token.i for t in triggers if t.kind == "must"}
        for trig in triggers:
            if _inside_attitude(_clause_of(trig), outer):
                continue
            if trig.kind != "must" and _clause_of(trig).i in musts:
                continue  # what must be done is the request's content
            pairs, kind, mode = self._arguments(trig, actors)
            if kind == "ASSAULT" and _sporting(trig.token, sent):
                continue  # "beat Russia's Elena Bovina 6-1 6-4" is tennis
            if not pairs:
                continue
            trig = _Trigger(trig.token, kind, mode, trig.kind)
            verb = _clause_of(trig)
            modality = self._modality(verb)
            when = self._date(verb, sent, published, modality)
            place = _place(verb, sent, actors)
            for source, named in pairs:
                target = named or self._own_country(source, plover_view(kind, modality), sent.doc)
                yield verb, self._event(trig, mode, source, target, modality, when, place, sent)
                if target is not None and self._reverse(trig, mode):
                    back_mode = {"visit": "host", "host": "visit"}.get(mode or "", mode)
                    back = self._event(trig, back_mode, target, source, modality, when, place, sent)
                    # PLOVER codes a visit or a meeting once, from the visitor or the first
                    # named; the converse is allegiance's, for the graph, and has no PLOVER type.
                    yield verb, dataclasses.replace(back, plover=None)

    def _own_country(self, source: _Arg, plover: str, doc: Doc) -> _Arg | None:
        """The implied recipient of a domestic act that names none: the actor's country."""
        actor = source.mention.actor
        country = self.countries.get(actor.country or "")
        if plover not in _DOMESTIC or country is None or not _acts_at_home(source, doc):
            return None
        mention = dataclasses.replace(source.mention, actor=country, rule="own country")
        return _Arg(mention, source.text, source.start, source.end, implied=True)

    def _reverse(self, trig: _Trigger, mode: str | None) -> bool:
        """Visits imply a host (and hosts a visit); meetings and talks run both ways."""
        return trig.type == "CONSULT" and (mode in ("visit", "host") or mode in _SYMMETRIC_MODES)

    def _arguments(
        self, trig: _Trigger, actors: DocActors
    ) -> tuple[list[tuple[_Arg, _Arg | None]], str, str | None]:
        """Source-target pairs of a trigger, with its type and mode as the arguments say."""
        tok, kind, mode = trig.token, trig.type, trig.mode
        if trig.kind == "nominal":
            # "Kurdish protests against Turkish policies": both sides must be named.
            owner = _owner(tok, actors)
            targets = [
                a
                for p in _children(tok, "prep")
                if p.lower_ in _NOMINAL_TARGET_PREPS
                for o in _children(p, "pobj")
                if (a := _actor(o, actors) or _below(o, actors))
            ]
            if owner is None or not targets:
                return [], kind, mode
            return (
                [(owner, t) for t in targets if t.mention.actor.id != owner.mention.actor.id],
                kind,
                mode,
            )
        if trig.kind == "must":
            sources = self._subjects(tok.head, actors)
            targets = [a for h in _expand(_children(tok, "nsubj")) if (a := _actor(h, actors))]
            pairs = [
                (a, b) for a in sources for b in targets if a.mention.actor.id != b.mention.actor.id
            ]
            return pairs, kind, mode
        if trig.kind == "prep-noun":
            sources = self._subjects(tok.head.head, actors)
            targets = self._prep_objects(tok, ("of", "against", "with"), actors)
        elif trig.kind == "receive":
            sources = self._prep_objects(tok, ("of", "from"), actors) or self._owners(tok, actors)
            targets = self._subjects(tok.head, actors)
        elif trig.kind == "light":
            sources = self._subjects(tok.head, actors)
            if kind == "ASSAULT" and any(c.lower_ in _VERBAL for c in tok.children):
                kind, mode = "ACCUSE", "disapprove"  # "a scathing attack on the minister"
            targets = (
                self._prep_objects(tok, _NOMINAL_TARGET_PREPS, actors)
                or self._prep_objects(tok.head, _NOMINAL_TARGET_PREPS, actors)
                or self._datives(tok.head, actors)
            )
            if not targets and kind in self.lex.attitude:
                targets = self._complement_targets(tok, actors) or self._complement_targets(
                    tok, actors, host=tok.head
                )
            if not targets:
                # "mounted its invasion of South Lebanon": the place the act is aimed at
                targets = [
                    a
                    for p in _children(tok, "prep")
                    if p.lower_ in ("of", "on", "into")
                    for o in _children(p, "pobj")
                    if (a := _place_below(o, actors))
                ]
        elif trig.kind == "adj":
            sources = self._subjects(tok.head, actors)
            targets = self._complement_targets(tok, actors)
        else:
            sources = self._subjects(tok, actors)
            if kind == "AID":
                targets, mode = self._recipients(tok, actors), self._aid_mode(tok, mode)
            elif kind == "MOBILIZE":
                # What is mobilised is one's own; whom against is in a phrase below.
                targets = [
                    a
                    for p in _children(tok, "prep")
                    for o in _children(p, "pobj")
                    if (a := _actor(o, actors) or _below(o, actors))
                ]
            else:
                targets = self._objects(tok, actors, kind in _HOSTILE)
            own = {s.mention.actor.id for s in sources}
            # "ended its siege of the port": the subject's own thing names no recipient
            targets = [t for t in targets if not (t.indirect and t.mention.actor.id in own)]
            others = [t for t in targets if t.mention.actor.id not in own]  # not "its troops"
            if not others and (mode == "withdraw" or tok.lemma_.lower() == "withdraw"):
                # "withdrew its observers from Mali": whom a withdrawal leaves is its recipient
                targets = self._prep_objects(tok, ("from",), actors) or [
                    a
                    for p in _children(tok, "prep")
                    if p.lower_ == "from"
                    for o in _children(p, "pobj")
                    if (a := _place_below(o, actors))
                ]
            if kind == "ACCUSE" and self._disapproves_a_proposal(tok):
                kind = "REJECT"  # "slammed the peace plan" rejects it
            if tok.lemma_.lower() == "find" and any(
                c.lower_ in ("guilty", "liable", "responsible") for c in tok.subtree
            ):
                kind, mode = "ACCUSE", "convict"  # "a court found X guilty"
            if kind in ("REQUEST", "CONSULT") and self._asks_punishment(tok):
                kind, mode = "ACCUSE", "disapprove"  # "called for sanctions against X"
            if not targets and kind in self.lex.attitude:
                targets = self._complement_targets(tok, actors)
        if not targets and kind == "THREATEN":
            targets = self._condition_subjects(tok, actors)
        if not sources and kind == "ASSAULT" and trig.kind == "verb":
            # "a roadside bombing near Samarra killed a U.S. soldier": unclaimed violence is
            # coded to where it happened, as PLOVER's coders do.
            sources = [a for s in _children(tok, "nsubj") for a in _verb_places(s, actors)]
        if kind in ("ASSAULT", "COERCE") and any(
            a.mention.actor.sector in _CIVILIAN
            or any(w in self.lex.protesters for w in a.text.lower().split())
            for a in sources
        ):
            # protesters who burn a flag riot; workers who block a bridge protest
            kind, mode = "PROTEST", "riot" if kind == "ASSAULT" else "obstruct"
        if kind == "AGREE" and trig.kind in ("verb", "adj") and self._vows_force(tok):
            kind = "THREATEN"  # "vowed to retaliate", "swore to fight"
        if (
            kind in ("MOBILIZE", "CONSULT")
            and trig.kind in ("verb", "light", "nominal")
            and (self._brings_aid(tok))
        ):
            kind, mode = "AID", "peacekeeping"  # peacekeepers arriving, medicine flown in
        if trig.kind == "verb":
            kind = self._purpose_type(tok) or kind
        if (
            kind == "PROTEST"
            and tok.lemma_.lower() == "protest"
            and any(
                a.mention.actor.kind in ("country", "igo") or a.mention.actor.sector == "GOV"
                for a in sources
            )
        ):
            kind, mode = "ACCUSE", "disapprove"  # a government's protest is a complaint
        if kind == "SUPPORT" and _apart(tok):
            return [], kind, mode  # rivals, not a backing of anyone named
        if (
            not targets
            and len(sources) > 1
            and (kind in _RECIPROCAL or _clash_of_coordinated(tok, kind))
            and not (kind == "SUPPORT" and _backs_a_thing(tok))
        ):
            pairs = [
                (a, b) for a in sources for b in sources if a.mention.actor.id != b.mention.actor.id
            ]
            return pairs, kind, mode
        if not targets and trig.kind in ("verb", "light"):
            head = tok if trig.kind == "verb" else tok.head
            objects = _children(head, "dobj", "nsubjpass") if trig.kind == "verb" else [tok]
            # An actor inside the object ("froze a training mission for Malian troops",
            # "a clinic for Sudanese refugees was shelled").
            targets = [a for a in (_below(o, actors) for o in objects) if a is not None]
            if not targets:
                # Where the act happened stands for whom it concerns ("ended the curfew in
                # Tigray", "marched in Chile"), as PLOVER coders do.
                targets = [a for a in (_place_below(o, actors) for o in objects) if a is not None]
                targets = targets or _verb_places(head, actors)
        pairs: list[tuple[_Arg, _Arg | None]] = [
            (s, t) for s in sources for t in targets if _two_sides(s, t, kind)
        ]
        if not targets:
            pairs = [(s, None) for s in sources]
        return pairs, kind, mode

    def _complement_targets(
        self, tok: Token, actors: DocActors, host: Token | None = None
    ) -> list[_Arg]:
        """The targets of what an attitude verb is about: "agreed to send troops to X";
        of a demand, the one asked: "demanded that Hamas renounce violence". ``host`` is
        where the clause hangs when not on the word itself ("reiterated its demand that X")."""
        found: list[_Arg] = []
        asks = self.lex.verbs.get(tok.lemma_.lower(), ("",))[0] == "REQUEST" or (
            self.lex.nouns.get(tok.lower_, ("",))[0] == "REQUEST"
        )
        where = host or tok
        for comp in _children(where, "xcomp", "ccomp", "acl") + _infinitives(where):
            if asks:
                # "asked that its NATO allies send troops": the allies' owner
                subjects = _expand(_children(comp, "nsubj"))
                found += [
                    a
                    for h in subjects
                    if (a := _actor(h, actors) or _named_owner(h, actors) or _owner(h, actors))
                ]
                if found:
                    break
            found += self._objects(comp, actors) or self._recipients(comp, actors)
            found += self._prep_objects(comp, _TARGET_PREPS | {"from", "for"}, actors)
            if not found:
                found += [a for o in _children(comp, "dobj") if (a := _below(o, actors))]
            if not found:
                found += [a for o in _children(comp, "dobj") if (a := _place_below(o, actors))]
                found += _verb_places(comp, actors)
            if found:
                break
        return found

    def _asks_punishment(self, verb: Token) -> bool:
        """A request for sanctions, an inquiry or a trial; or calling someone names."""
        if verb.lemma_.lower() == "call" and _children(verb, "oprd"):
            return True
        asked = _children(verb, "dobj") + [
            o for p in _children(verb, "prep") if p.lower_ == "for" for o in _children(p, "pobj")
        ]
        return any(
            o.lower_ in self.lex.punitive or o.lemma_.lower() in self.lex.punitive for o in asked
        )

    def _brings_aid(self, verb: Token) -> bool:
        clause = verb if verb.pos_ in ("VERB", "AUX") else _clause_verb(verb)
        words = {
            w
            for head in {verb, clause}
            for c in head.children
            if c.dep_ not in ("ccomp", "advcl", "relcl")
            for t in c.subtree
            for w in (t.lower_, t.lemma_.lower())
        }
        return bool(words & self.lex.aid_words) and verb.lemma_.lower() not in ("meet", "talk")

    def _purpose_type(self, verb: Token) -> str | None:
        """What a sending or a call is for: "sent experts to investigate" is ACCUSE, "called
        the president to congratulate him" SUPPORT."""
        lemma = verb.lemma_.lower()
        purposes = {
            "send": ("ACCUSE", "ASSAULT", "COERCE", "CONSULT"),
            "dispatch": ("ACCUSE", "ASSAULT", "COERCE", "CONSULT"),
            "deploy": ("ACCUSE", "ASSAULT", "COERCE"),
            "call": ("SUPPORT", "ACCUSE", "REQUEST", "AGREE"),
            "phone": ("SUPPORT", "ACCUSE", "REQUEST", "AGREE"),
        }.get(lemma)
        if purposes is None:
            return None
        for comp in _children(verb, "xcomp", "advcl"):
            if any(c.dep_ == "aux" and c.lower_ == "to" for c in comp.children):
                hit = self.lex.verbs.get(comp.lemma_.lower())
                if hit and hit[0] in purposes:
                    return hit[0]
        return None

    def _vows_force(self, tok: Token) -> bool:
        for comp in _children(tok, "xcomp", "ccomp") + _infinitives(tok):
            hit = self._object_type(comp) or self.lex.verbs.get(comp.lemma_.lower(), ("",))[0]
            if hit in _FORCEFUL:
                return True
        return False

    def _condition_subjects(self, tok: Token, actors: DocActors) -> list[_Arg]:
        """Whom a threat is aimed at: the subject of its "if" or "unless" clause."""
        clauses = [
            c
            for c in tok.subtree
            if c.dep_ == "advcl" and any(m.lower_ in ("if", "unless") for m in c.children)
        ]
        return [a for c in clauses for h in _children(c, "nsubj") if (a := _actor(h, actors))]

    def _datives(self, verb: Token, actors: DocActors) -> list[_Arg]:
        return [a for d in _children(verb, "dative") if (a := _actor(d, actors))]

    def _disapproves_a_proposal(self, verb: Token) -> bool:
        for obj in _children(verb, "dobj"):
            words = {obj.lower_, obj.lemma_.lower()}
            words |= {f"{c.lower_} {obj.lower_}" for c in obj.children if c.dep_ == "compound"}
            if words & self.lex.rejectable:
                return True
        return False

    # Arguments -------------------------------------------------------------------------------
    def _subjects(self, verb: Token, actors: DocActors, depth: int = 0) -> list[_Arg]:
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        if passive:
            heads = [o for a in _children(verb, "agent") for o in _children(a, "pobj")]
        else:
            heads = _children(verb, "nsubj", "csubj")
        heads = [verb.head if h.lower_ in _RELATIVE and verb.dep_ == "relcl" else h for h in heads]
        if not heads and depth < 3:
            if verb.dep_ in ("xcomp", "conj", "advcl") and verb.head.i != verb.i:
                controller = _children(verb.head, "nsubj", "nsubjpass")
                if controller and verb.dep_ == "xcomp":
                    heads = controller
                else:
                    return self._subjects(verb.head, actors, depth + 1)
            elif verb.dep_ == "acl" and not passive:
                heads = [verb.head]
                if verb.head.dep_ == "dobj" and verb.head.lemma_.lower() in _MESSAGES:
                    # "issued a statement demanding": whoever issued it demands
                    return self._subjects(verb.head.head, actors, depth + 1)
        args = _with_modifiers(heads, actors)
        for h in [*heads, verb]:
            for prep in h.children:
                if prep.dep_ in ("prep", "advmod") and _is_companion(prep):
                    args += [a for o in _companions(prep) if (a := _actor(o, actors))]
        return args

    def _objects(self, verb: Token, actors: DocActors, hostile: bool = False) -> list[_Arg]:
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        if passive:
            heads = _children(verb, "nsubjpass")
            heads = [
                verb.head if h.lower_ in _RELATIVE and verb.dep_ == "relcl" else h for h in heads
            ]
            if not heads and verb.dep_ == "acl":
                heads = [verb.head]
        else:
            heads = _children(verb, "dobj", "dative", "attr") or _counted_object(verb)
        args = _with_modifiers(heads, actors) or [
            a for h in _expand(heads) if (a := _owner(h, actors))
        ]
        preps = _TARGET_PREPS
        if hostile:
            # "fought for X" is on X's side; but what a hostile act withholds "to X" hurts X
            # ("banned arms sales to the rebels", "suspended flights to Iran").
            preps = _HOSTILE_PREPS | ({"to"} if heads else set())
        return args or self._prep_objects(verb, preps, actors)

    def _prep_objects(self, head: Token, preps: Iterable[str], actors: DocActors) -> list[_Arg]:
        wanted = set(preps)
        found = []
        for prep in head.children:
            if prep.dep_ in ("prep", "agent", "dative") and prep.lower_ in wanted:
                for obj in _expand(_children(prep, "pobj")):
                    arg = _actor(obj, actors) or _owner(obj, actors) or _below(obj, actors)
                    if arg:
                        found.append(arg)
        return found

    def _owners(self, noun: Token, actors: DocActors) -> list[_Arg]:
        return [
            a
            for c in noun.children
            if c.dep_ in ("poss", "amod", "compound")
            if (a := _actor(c, actors))
        ]

    def _recipients(self, verb: Token, actors: DocActors) -> list[_Arg]:
        """Who receives what is sent: "to X", an indirect object, or "in support of X"."""
        found = self._prep_objects(verb, _RECIPIENT_PREPS, actors)
        found += [a for d in _children(verb, "dative") if (a := _actor(d, actors))]
        for prep in _children(verb, "prep"):
            for obj in _children(prep, "pobj"):
                if obj.lower_ in ("support", "aid") and prep.lower_ in ("in", "to"):
                    found += self._prep_objects(obj, ("of",), actors)
        if not found:
            # "arm the rebels", "fund the militia": the object is the recipient.
            found = [
                a
                for h in _expand(_children(verb, "dobj"))
                if (a := _actor(h, actors))
                if self.lex.aid_modes.get(h.lower_) is None
            ]
        return found

    def _aid_mode(self, verb: Token, mode: str | None) -> str | None:
        for obj in _expand(_children(verb, "dobj")):
            words = [obj.lower_, obj.lemma_.lower()] + [c.lower_ for c in obj.children]
            for w in words:
                if w in self.lex.aid_modes:
                    return self.lex.aid_modes[w]
        return mode

    # Modality, date, event -----------------------------------------------------------------
    def _modality(self, verb: Token) -> str:
        m = self.lex.modality
        cues = set()
        node = verb
        for _ in range(4):
            for c in node.children:
                if c.dep_ == "neg":
                    cues.add("negated")
                if c.dep_ == "aux" and c.lower_ in m["planned_aux"]:
                    cues.add("planned")
                if c.dep_ == "aux" and c.lower_ in m["hypothetical_aux"]:
                    reported_future = (
                        c.lower_ == "would"
                        and node.dep_ == "ccomp"
                        and node.head.lemma_.lower() in m["reported_verbs"]
                    )
                    # "said it would boycott": the future seen from a report, not a condition
                    cues.add("planned" if reported_future else "hypothetical")
                if c.dep_ == "mark" and c.lower_ in ("if", "unless"):
                    cues.add("hypothetical")
                if c.lower_ in m["reported_adverbs"]:
                    cues.add("reported")
                if c.lower_ in m["alleged_adverbs"]:
                    cues.add("alleged")
                if c.dep_ == "parataxis" and c.lemma_ in m["reported_verbs"]:
                    cues.add("reported")
            if node.dep_ not in ("xcomp", "ccomp", "conj", "relcl", "advcl") or (
                node.head.i == node.i
            ):
                break
            lemma = node.head.lemma_.lower()
            if node.dep_ == "xcomp" and lemma in m["planned_verbs"]:
                cues.add("planned")
            if lemma in m["negating_verbs"] and node.dep_ in ("xcomp", "ccomp"):
                cues.add("negated")
            elif lemma in m["alleged_verbs"] and node.dep_ in ("ccomp", "xcomp"):
                cues.add("alleged")
            elif lemma in m["reported_verbs"] and node.dep_ == "ccomp":
                cues.add("reported")
            node = node.head
        return next(x for x in _MODALITY_ORDER if x in cues or x == "asserted")

    def _date(
        self, verb: Token, sent: Span, published: date | None, modality: str
    ) -> tuple[str | None, str, str | None]:
        if published is None:
            return None, "unknown", None
        tense = (
            "future"
            if modality == "planned"
            else ("past" if verb.tag_ in ("VBD", "VBN") else "present")
        )
        for ent in sent.ents:
            if ent.label_ != "DATE" or _clause_verb(ent.root) != verb:
                continue
            value = resolve_date(ent.text, published, tense)
            if value:
                return value.value, value.precision, ent.text
        return published.isoformat(), "published", None

    def _event(
        self,
        trig: _Trigger,
        mode: str | None,
        source: _Arg,
        target: _Arg | None,
        modality: str,
        when: tuple[str | None, str, str | None],
        place: Place | None,
        sent: Span,
    ) -> Event:
        info = self.lex.types[trig.type]
        tok = trig.token
        confidence = 0.9 if trig.kind == "verb" else 0.75
        for arg in (source, target):
            if arg and (arg.indirect or "last named" in arg.mention.rule):
                confidence -= 0.15
        if target is None or target.implied:
            confidence -= 0.2
        body = _trim_space(sent)
        return Event(
            type=trig.type,
            mode=mode,
            cameo=info.cameo_for(mode),
            quad_class=info.quad_class,
            goldstein=info.goldstein,
            source=_event_actor(source),
            target=_event_actor(target) if target else None,
            date=when[0],
            date_precision=when[1],
            date_text=when[2],
            location=place,
            modality=modality,
            confidence=max(confidence, 0.1),
            sentence=body.text,
            sentence_start=body.start_char,
            sentence_end=body.end_char,
            trigger=TextSpan(tok.text, tok.idx, tok.idx + len(tok.text)),
            plover=_coded(plover_view(trig.type, modality), target),
        )

    # Definite event nouns ----------------------------------------------------------------------
    def _apply_anaphora(
        self,
        sent: Span,
        n: int,
        actors: DocActors,
        published: date | None,
        events: list[Event],
        history: list[tuple[int, Event]],
    ) -> tuple[list[Event], list[tuple[int, Event]]]:
        """ "The talks will be held in Istanbul": give the earlier talks their place and date."""
        for tok in sent:
            noun = self.lex.nouns.get(tok.lower_)
            if not noun or not any(c.lower_ == "the" for c in tok.children):
                continue
            if tok.dep_ not in ("nsubj", "nsubjpass"):
                continue
            verb = tok.head
            place = _place(verb, sent, actors)
            when = self._date(verb, sent, published, self._modality(verb))
            if place is None and when[1] == "published":
                continue
            recent = [ev for k, ev in history if n - k <= _ANAPHORA_WINDOW and ev.type == noun[0]]
            if not recent:
                continue
            first = recent[-1].trigger
            same = {id(ev) for ev in recent if ev.trigger == first}
            events = [self._fill(ev, place, when) if id(ev) in same else ev for ev in events]
            history = [
                (k, self._fill(ev, place, when) if id(ev) in same else ev) for k, ev in history
            ]
        return events, history

    @staticmethod
    def _fill(ev: Event, place: Place | None, when: tuple[str | None, str, str | None]) -> Event:
        changes: dict[str, object] = {}
        if ev.location is None and place is not None:
            changes["location"] = place
        if ev.date_precision == "published" and when[1] != "published":
            changes.update(date=when[0], date_precision=when[1], date_text=when[2])
        return dataclasses.replace(ev, **changes) if changes else ev


def plover_view(kind: str, modality: str) -> str:
    """The type under PLOVER's coding conventions, which fold intent into the type: a planned
    or promised act of cooperation is AGREE, of force THREATEN, and a refused act of
    cooperation REJECT. allegiance keeps the act and its modality apart (a planned visit is
    CONSULT, planned); this view is what PLOVER-coded data sets compare with."""
    if modality == "negated" and kind in _COOPERATIVE | {"AGREE"}:
        return "REJECT"
    if modality == "planned" and kind in _COOPERATIVE:
        return "AGREE"
    if modality == "planned" and kind in _FORCEFUL:
        return "THREATEN"
    return kind


def _particle(verb: Token, word: Token) -> bool:
    """A verb's particle or its own preposition: "called on X", not "called Y on Monday"."""
    if word.dep_ == "prt":
        return True
    if word.dep_ != "prep" or word.i != verb.i + 1:
        return False
    return not any(o.ent_type_ in ("DATE", "TIME") for o in _children(word, "pobj"))


def _apart(verb: Token) -> bool:
    """Whether the verb's object is "opposing sides" or the like (backers of rival parties)."""
    return any(
        o.lower_ in _SIDES and any(m.lower_ in _APART for m in o.children if m.dep_ == "amod")
        for o in _children(verb, "dobj")
    )


# Verbs that sports reports share with war reports, and the marks of a sports report.
_CONTEST = frozenset(["beat", "defeat", "thrash", "crush", "edge", "rout", "hammer", "trounce"])
_SCORE = re.compile(r"\b\d{1,3}-\d{1,3}\b")
_SPORT_WORDS = frozenset(
    ["seed", "match", "tournament", "championship", "champion", "cup", "league", "final",
     "semi-final", "quarter-final", "set", "sets", "goal", "goals", "innings", "title", "open",
     "olympic", "olympics", "medal", "race", "squad", "coach", "striker", "midfielder"]
)  # fmt: skip


def _sporting(tok: Token, sent: Span) -> bool:
    """Whether a contest verb reports a game: a score or sports words in its sentence."""
    if tok.lemma_.lower() not in _CONTEST:
        return False
    return bool(_SCORE.search(sent.text)) or any(t.lower_ in _SPORT_WORDS for t in sent)


def _clash_of_coordinated(verb: Token, kind: str) -> bool:
    """ "A and B clashed": violence between coordinated subjects (not "A fought alongside B",
    whose sides are one)."""
    return (
        kind == "ASSAULT"
        and verb.lemma_.lower() in _MUTUAL
        and any(c.dep_ == "conj" for s in _children(verb, "nsubj") for c in s.children)
        and not any(p.lower_ in _COMPANION_PREPS for p in _children(verb, "prep", "advmod"))
    )


def _backs_a_thing(verb: Token) -> bool:
    """ "A and B supported the operation" backs the operation, not each other."""
    return any(o.lower_ not in ("other", "another") for o in _children(verb, "dobj"))


def _clause_of(trig: _Trigger) -> Token:
    """The verb whose clause a trigger belongs to."""
    if trig.kind in ("light", "receive", "adj"):
        return trig.token.head
    if trig.kind == "prep-noun":
        return trig.token.head.head
    if trig.kind == "must":
        return trig.token.head
    if trig.kind == "nominal":
        return _clause_verb(trig.token)
    return trig.token


def _acts_at_home(arg: _Arg, doc: Doc) -> bool:
    """An actor of a home sector, or a country's people ("Algerians", "Kenyan farmers"),
    not the country as a state ("Kenya", "Kenyan")."""
    actor = arg.mention.actor
    if actor.sector in _HOME_SECTORS:
        return True
    span = doc.char_span(arg.start, arg.end, alignment_mode="expand")
    return (
        actor.kind == "country"
        and actor.sector is None
        and span is not None
        and span.root.tag_ in ("NNS", "NNPS")
    )


def _coded(plover: str, target: _Arg | None) -> str | None:
    """The PLOVER type, or None where PLOVER would not code the event: cooperation, aid and
    sanctions require a recipient (PLOVER manual, "Requires recipient: Yes")."""
    return None if target is None and plover in _NEEDS_RECIPIENT else plover


def _two_sides(source: _Arg, target: _Arg, kind: str) -> bool:
    """Whether a pair names two sides: different actors, or for an act of force the same
    country named apart ("Greek farmers would blockade Athens" is GRC -> GRC, as PLOVER codes
    a domestic act)."""
    if source.mention.actor.id != target.mention.actor.id:
        return True
    apart = source.end <= target.start or target.end <= source.start
    named = not target.indirect and not target.mention.rule.startswith("pronoun")
    return kind in _FORCEFUL and apart and named and target.mention.actor.kind == "country"


def _main_acts(found: list[tuple[Token, Event]]) -> Iterator[Event]:
    """The events of one sentence, an act in a clause below another act's clause taking no
    PLOVER type: PLOVER codes the sentence's main act, and a purpose ("began a strike to
    demand reforms"), a manner ("opened fire, killing one"), a relative ("who overran it")
    or a background clause ("resigned as the opposition threatened") describes it. allegiance
    keeps those acts, with their own type, for the graph."""
    coded = {verb.i for verb, ev in found if ev.plover is not None}
    for verb, ev in found:
        if ev.plover is not None and _below_clause(verb, coded):
            ev = dataclasses.replace(ev, plover=None)
        yield ev


def _below_clause(verb: Token, clauses: set[int]) -> bool:
    """Whether one of the clauses governs the verb's clause through more than coordination
    ("expelled the envoy and closed the border" are two main acts)."""
    node, subordinate = verb, False
    while node.head.i != node.i:
        subordinate = subordinate or node.dep_ != "conj"
        node = node.head
        if subordinate and node.i in clauses:
            return True
    return False


def _inside_attitude(verb: Token, outer: set[int]) -> bool:
    """Whether a verb is the complement of an attitude trigger ("agreed to *withdraw*")."""
    node = verb
    for _ in range(3):
        if node.dep_ not in ("xcomp", "ccomp", "conj", "acl") or node.head.i == node.i:
            return False
        node = node.head
        if node.i in outer:
            return True
        if node.dep_ == "acomp" and node.head.i in outer:
            return True
    return False


# Parse helpers -------------------------------------------------------------------------------
def _verb_like(tok: Token) -> bool:
    if tok.pos_ in ("VERB", "AUX"):
        return True
    # The tagger sometimes calls a verb with a subject and an object something else.
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children) and any(
        c.dep_ in ("dobj", "prep", "agent") for c in tok.children
    )


def _infinitives(verb: Token) -> list[Token]:
    """ "to" clauses the parser hangs on a verb as adverbial ("have sworn to fight"): after an
    attitude verb they are its complement."""
    return [
        c
        for c in _children(verb, "advcl")
        if c.i > verb.i and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
    ]


def _children(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _expand(heads: Iterable[Token]) -> list[Token]:
    """Heads plus the words coordinated with them ("Turkey and Qatar", "X, Y and Z")."""
    out: list[Token] = []
    for h in heads:
        stack = [h]
        while stack:
            t = stack.pop()
            out.append(t)
            stack += [c for c in t.children if c.dep_ == "conj"]
    return out


def _is_companion(prep: Token) -> bool:
    """ "along with", "together with", "alongside", "as well as", "jointly with"."""
    if prep.lower_ in _COMPANION_PREPS:
        return True
    return prep.lower_ == "with" and any(c.lower_ in _COMPANION_PREPS for c in prep.children)


def _companions(prep: Token) -> list[Token]:
    """Objects of "along with", "together with", "alongside", "as well as"."""
    objs = _children(prep, "pobj")
    for sub in _children(prep, "prep"):
        objs += _children(sub, "pobj")
    if prep.lower_ == "as":
        for adv in prep.children:
            objs += _children(adv, "pobj")
    return _expand(objs)


def _actor(tok: Token, actors: DocActors, indirect: bool = False) -> _Arg | None:
    m = actors.at(tok)
    if m is not None and not m.is_place:
        return _Arg(m, m.text, m.start, m.end, indirect)
    for c in tok.children:
        if c.dep_ == "appos":
            m = actors.at(c)
            if m is not None and not m.is_place:
                return _Arg(m, m.text, m.start, m.end, indirect)
    if tok.lower_ in _QUANTITIES or tok.like_num:
        # "thousands of Iraqi Kurds", "a group of Moroccan diplomats": the people counted
        for prep in _children(tok, "prep"):
            if prep.lower_ == "of":
                for obj in _children(prep, "pobj"):
                    found = _actor(obj, actors, indirect)
                    if found:
                        return found
    return None


def _with_modifiers(heads: list[Token], actors: DocActors) -> list[_Arg]:
    """Actors of heads, and of the coordinated modifiers a head carries: "French and Egyptian
    warships" are the French warships and the Egyptian ones."""
    args: list[_Arg] = []
    for h in _expand(heads):
        arg = _actor(h, actors)
        group = _coordinated_modifiers(h)
        # The head took one conjunct's country ("Ethiopian and Eritrean negotiators" resolve to
        # Eritrean negotiators): each other conjunct is its own actor.
        found = [a for t in group if (a := _actor(t, actors))]
        if arg:
            found = [
                arg if a.mention.actor.country == arg.mention.actor.country else a for a in found
            ] or [arg]
        for a in found:
            if all(a.mention is not b.mention for b in args):
                args.append(a)
    return args


def _coordinated_modifiers(head: Token) -> list[Token]:
    """The modifiers of a head joined by "and": "Turkish" and "Greek" in "Turkish and Greek
    sides" (none when a modifier stands alone)."""
    for mod in head.children:
        if mod.dep_ in ("amod", "compound", "nmod"):
            conjs = [c for c in mod.subtree if c.dep_ == "conj" and c.i < head.i]
            if conjs:
                return [mod, *conjs]
    return []


def _owner(noun: Token, actors: DocActors) -> _Arg | None:
    """The actor a thing belongs to: "an Egyptian proposal", "Russia's plan"."""
    for c in noun.children:
        if c.dep_ in ("poss", "amod", "compound", "nmod"):
            arg = _actor(c, actors, indirect=True)
            if arg:
                return arg
    # "calls by Belarus's rulers", "an offer from Washington"
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ in ("by", "from"):
            for obj in _children(prep, "pobj"):
                arg = _actor(obj, actors, indirect=True) or _owner(obj, actors)
                if arg:
                    return arg
    return None


def _counted_object(verb: Token) -> list[Token]:
    """The object the parser hangs under "up to" ("seized up to 20 sailors")."""
    return [
        o
        for up in verb.children
        if up.lower_ == "up" and up.dep_ in ("prt", "prep", "advmod")
        for to in up.children
        if to.lower_ == "to"
        for o in _children(to, "pobj")
        if any(c.dep_ == "nummod" for c in o.children)
    ]


def _named_owner(noun: Token, actors: DocActors) -> _Arg | None:
    """The actor a noun's name modifiers give ("its NATO allies"), before any
    possessive pronoun."""
    for c in noun.children:
        if c.dep_ in ("compound", "amod"):
            arg = _actor(c, actors, indirect=True)
            if arg:
                return arg
    return None


def _verb_places(verb: Token, actors: DocActors) -> list[_Arg]:
    """Places a verb's "in", "at" or "near" phrases name."""
    found = []
    for prep in _children(verb, "prep"):
        if prep.lower_ in ("in", "at", "near", "inside", "across"):
            for obj in _children(prep, "pobj"):
                arg = _place_below(obj, actors)
                if arg is not None:
                    found.append(arg)
    return found


def _place_below(tok: Token, actors: DocActors) -> _Arg | None:
    """A place named under an object ("a curfew in Tigray")."""
    for t in tok.subtree:
        m = actors.at(t)
        if m is not None and m.is_place and m.actor.country:
            return _Arg(m, m.text, m.start, m.end, True)
    return None


def _below(tok: Token, actors: DocActors) -> _Arg | None:
    """The nearest actor under a word, breadth first, for "concerns over attacks by X"."""
    frontier = [tok]
    for depth in range(_MAX_TARGET_DEPTH):
        nxt = []
        for t in frontier:
            for c in t.children:
                if c.dep_ in ("relcl", "acl", "advcl", "ccomp"):
                    continue
                if depth == 0 and c.dep_ == "poss":
                    continue  # "launched its invasion of X": "its" is the owner, not inside
                arg = _actor(c, actors, indirect=True)
                if arg:
                    return arg
                nxt.append(c)
        frontier = nxt
    return None


def _clause_verb(tok: Token) -> Token:
    """The verb (or event noun's verb) whose clause a word belongs to."""
    node = tok
    while node.head.i != node.i:
        node = node.head
        if node.pos_ in ("VERB", "AUX") or node.dep_ in ("ROOT", "relcl", "advcl", "ccomp"):
            return node
    return node


def _place(verb: Token, sent: Span, actors: DocActors) -> Place | None:
    places = []
    for tok in sent:
        m = actors.at(tok)
        if m is not None and m.is_place and tok.dep_ == "pobj":
            places.append((tok, m))
    for tok, m in places:
        if _clause_verb(tok) == verb or tok.head.head == verb:
            return Place(
                name=m.actor.name if m.actor.kind == "place" else m.text,
                country=m.actor.country,
                lat=m.lat,
                lon=m.lon,
            )
    return None


def _trim_space(sent: Span) -> Span:
    start, end = sent.start, sent.end
    while start < end and sent.doc[start].is_space:
        start += 1
    while end > start and sent.doc[end - 1].is_space:
        end -= 1
    return sent.doc[start:end]


def _event_actor(arg: _Arg) -> EventActor:
    return EventActor(arg.mention.actor, arg.text, arg.start, arg.end, implied=arg.implied)


def _dedupe(events: list[Event]) -> list[Event]:
    seen = set()
    out = []
    for ev in events:
        key = (
            ev.type,
            ev.source.actor.id,
            ev.target.actor.id if ev.target else None,
            ev.sentence_start,
        )
        if key not in seen:
            seen.add(key)
            out.append(ev)
    return out
