"""Sources and targets: the actors a trigger's words lead to along the parse.

A ``Finder`` holds the lexicon and the resolved actors of one Doc and follows the parse from a
trigger to its actors: subjects and objects, passive agents, coordinated actors and "along
with" companions, relative pronouns and controlled subjects, owners ("Russia's plan"), the
people a quantity counts ("thousands of Kurds") and the places a clause names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Span, Token

from ...knowledge.lexicon import Lexicon
from ...records import Event, EventActor, Mention, Place
from ...records import Span as TextSpan
from ..actors.resolve import DocActors
from .parse import (
    cause_gerund,
    children,
    coordinated_modifiers,
    counted_object,
    expand,
    infinitives,
    trim_space,
)

# How far below a word an actor may sit and still be its object ("concerns over increases in
# attacks by forces loyal to Assad").
_MAX_TARGET_DEPTH = 4
# How far up the clauses a missing subject is looked for ("X vowed to try to fight").
_MAX_SUBJECT_DEPTH = 3


@dataclass(frozen=True, slots=True)
class Arg:
    """An actor as a trigger's source or target, with the words that named it."""

    mention: Mention
    text: str
    start: int
    end: int
    indirect: bool = False  # named inside another phrase: an owner, a place below
    implied: bool = False  # not named: the actor's own country (plover.own_country)


Pair = tuple[Arg, Arg | None]


@dataclass(frozen=True, slots=True)
class Finder:
    """The lexicon and the actors of one Doc: finds the actors a word leads to."""

    lex: Lexicon
    actors: DocActors

    # Actors at or just below a word -------------------------------------------------------
    def actor(self, tok: Token, indirect: bool = False) -> Arg | None:
        """The actor a word names, through an apposition or a quantity of people."""
        m = self.actors.at(tok)
        if m is not None and not m.is_place:
            return Arg(m, m.text, m.start, m.end, indirect)
        for c in tok.children:
            if c.dep_ == "appos":
                m = self.actors.at(c)
                if m is not None and not m.is_place:
                    return Arg(m, m.text, m.start, m.end, indirect)
        if tok.lower_ in self.lex.words.quantities or tok.like_num:
            # "thousands of Iraqi Kurds", "a group of Moroccan diplomats": the people counted
            for prep in children(tok, "prep"):
                if prep.lower_ == "of":
                    for obj in children(prep, "pobj"):
                        found = self.actor(obj, indirect)
                        if found:
                            return found
        return None

    def with_modifiers(self, heads: list[Token]) -> list[Arg]:
        """Actors of heads, and of the coordinated modifiers a head carries: "French and
        Egyptian warships" are the French warships and the Egyptian ones."""
        args: list[Arg] = []
        for h in expand(heads):
            arg = self.actor(h)
            group = coordinated_modifiers(h)
            # The head took one conjunct's country ("Ethiopian and Eritrean negotiators"
            # resolve to Eritrean negotiators): each other conjunct is its own actor.
            found = [a for t in group if (a := self.actor(t))]
            if arg:
                found = [
                    arg if a.mention.actor.country == arg.mention.actor.country else a
                    for a in found
                ] or [arg]
            for a in found:
                if all(a.mention is not b.mention for b in args):
                    args.append(a)
        return args

    def owner(self, noun: Token) -> Arg | None:
        """The actor a thing belongs to: "an Egyptian proposal", "Russia's plan"."""
        for c in noun.children:
            if c.dep_ in ("poss", "amod", "compound", "nmod"):
                arg = self.actor(c, indirect=True)
                if arg:
                    return arg
        # "calls by Belarus's rulers", "an offer from Washington"
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ in self.lex.preps.owner:
                for obj in children(prep, "pobj"):
                    arg = self.actor(obj, indirect=True) or self.owner(obj)
                    if arg:
                        return arg
        return None

    def named_owner(self, noun: Token) -> Arg | None:
        """The actor a noun's name modifiers give ("its NATO allies"), before any
        possessive pronoun."""
        for c in noun.children:
            if c.dep_ in ("compound", "amod"):
                arg = self.actor(c, indirect=True)
                if arg:
                    return arg
        return None

    def owners(self, noun: Token) -> list[Arg]:
        """The actors a noun's modifiers name: "Iranian support", "Russia's backing"."""
        return [
            a
            for c in noun.children
            if c.dep_ in ("poss", "amod", "compound")
            if (a := self.actor(c))
        ]

    def below(self, tok: Token, through: frozenset[str] | None = None) -> Arg | None:
        """The nearest actor under a word, breadth first, for "concerns over attacks by X";
        with ``through``, only past those prepositions ("a mission *for* Malian troops")."""
        frontier = [tok]
        for depth in range(_MAX_TARGET_DEPTH):
            nxt = []
            for t in frontier:
                for c in t.children:
                    if c.dep_ in ("relcl", "acl", "advcl", "ccomp"):
                        continue
                    if through is not None and c.dep_ == "prep" and c.lower_ not in through:
                        continue
                    if depth == 0 and c.dep_ == "poss":
                        continue  # "launched its invasion of X": "its" owns, is not inside
                    arg = self.actor(c, indirect=True)
                    if arg:
                        return arg
                    nxt.append(c)
            frontier = nxt
        return None

    def place_below(self, tok: Token) -> Arg | None:
        """A place named under an object ("a curfew in Tigray")."""
        for t in tok.subtree:
            m = self.actors.at(t)
            if m is not None and m.is_place and m.actor.country:
                return Arg(m, m.text, m.start, m.end, True)
        return None

    def verb_places(self, verb: Token) -> list[Arg]:
        """Places a verb's "in", "at" or "near" phrases name."""
        found = []
        for prep in children(verb, "prep"):
            if prep.lower_ in self.lex.preps.place:
                for obj in children(prep, "pobj"):
                    arg = self.place_below(obj)
                    if arg is not None:
                        found.append(arg)
        return found

    # Subjects --------------------------------------------------------------------------------
    def subjects(self, verb: Token, depth: int = 0) -> list[Arg]:
        """Who does what a verb says: its subject or passive agent, a controlling or relative
        clause's subject, and the companions "along with" them."""
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        if passive:
            heads = [o for a in children(verb, "agent") for o in children(a, "pobj")]
        else:
            heads = children(verb, "nsubj", "csubj")
        heads = [self._antecedent(verb, h) for h in heads]
        if not heads and depth < _MAX_SUBJECT_DEPTH:
            if verb.dep_ in ("xcomp", "conj", "advcl") and verb.head.i != verb.i:
                controller = children(verb.head, "nsubj", "nsubjpass")
                if controller and verb.dep_ == "xcomp":
                    heads = controller
                else:
                    return self.subjects(verb.head, depth + 1)
            elif (blamer := cause_gerund(verb, self.lex.preps.cause)) is not None:
                heads = self._blamed(blamer)
            elif verb.dep_ == "acl" and not passive:
                heads = [verb.head]
                if verb.head.dep_ == "dobj" and verb.head.lemma_.lower() in self.lex.words.messages:
                    # "issued a statement demanding": whoever issued it demands
                    return self.subjects(verb.head.head, depth + 1)
        args = self.with_modifiers(heads)
        for h in [*heads, verb]:
            for prep in h.children:
                if prep.dep_ in ("prep", "advmod") and self.is_companion(prep):
                    args += [a for o in self._companions(prep) if (a := self.actor(o))]
        return args

    def _blamed(self, word: Token) -> list[Token]:
        """Whom a verb (or its object noun) blames, punishes or praises: its object, its
        passive subject ("Iran was accused of"), or the object of "on"/"against" ("imposed
        sanctions on Belarus for")."""
        named = [h for h in children(word, "dobj", "nsubjpass") if self.actor(h) or self.owner(h)]
        if named:
            return named
        return [
            o
            for w in (word, *children(word, "dobj"))
            for prep in children(w, "prep")
            if prep.lower_ in self.lex.preps.hostile
            for o in children(prep, "pobj")
            if self.actor(o) or self.owner(o)
        ]

    def _antecedent(self, verb: Token, head: Token) -> Token:
        """A relative pronoun's noun: "the rebels who attacked" are the rebels."""
        if head.lower_ in self.lex.words.relative and verb.dep_ == "relcl":
            return verb.head
        return head

    def is_companion(self, prep: Token) -> bool:
        """ "along with", "together with", "alongside", "as well as", "jointly with"."""
        if prep.lower_ in self.lex.preps.companion:
            return True
        return prep.lower_ == "with" and any(
            c.lower_ in self.lex.preps.companion for c in prep.children
        )

    @staticmethod
    def _companions(prep: Token) -> list[Token]:
        """Objects of "along with", "together with", "alongside", "as well as"."""
        objs = children(prep, "pobj")
        for sub in children(prep, "prep"):
            objs += children(sub, "pobj")
        if prep.lower_ == "as":
            for adv in prep.children:
                objs += children(adv, "pobj")
        return expand(objs)

    # Objects ---------------------------------------------------------------------------------
    def objects(self, verb: Token, hostile: bool = False) -> list[Arg]:
        """Whom a verb's act is aimed at: its object (or passive subject), else the object of
        a target preposition."""
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        if passive:
            heads = [self._antecedent(verb, h) for h in children(verb, "nsubjpass")]
            if not heads and verb.dep_ == "acl":
                heads = [verb.head]
        else:
            heads = (
                children(verb, "dobj", "dative", "attr")
                or counted_object(verb)
                or _infinitive_subjects(verb)
            )
        args = self.with_modifiers(heads) or [a for h in expand(heads) if (a := self.owner(h))]
        preps = self.lex.preps.target
        if hostile:
            # "fought for X" is on X's side; but what a hostile act withholds "to X" hurts X
            # ("banned arms sales to the rebels", "suspended flights to Iran").
            preps = self.lex.preps.hostile | ({"to"} if heads else set())
        return args or self.prep_objects(verb, preps)

    def prep_objects(self, head: Token, preps: Iterable[str]) -> list[Arg]:
        """The actors of a word's prepositional objects (with their conjuncts)."""
        wanted = set(preps)
        found = []
        for prep in head.children:
            if prep.dep_ in ("prep", "agent", "dative") and prep.lower_ in wanted:
                for obj in expand(children(prep, "pobj")):
                    arg = self.actor(obj) or self.owner(obj) or self.below(obj)
                    if arg:
                        found.append(arg)
        return found

    def datives(self, verb: Token) -> list[Arg]:
        return [a for d in children(verb, "dative") if (a := self.actor(d))]

    def recipients(self, verb: Token) -> list[Arg]:
        """Who receives what is sent: "to X", an indirect object, or "in support of X"."""
        found = self.prep_objects(verb, self.lex.preps.recipient)
        found += self.datives(verb)
        for prep in children(verb, "prep"):
            for obj in children(prep, "pobj"):
                if obj.lower_ in self.lex.words.backing and prep.lower_ in self.lex.preps.backing:
                    found += self.prep_objects(obj, ("of",))
        if not found:
            # "arm the rebels", "fund the militia": the object is the recipient.
            found = [
                a
                for h in expand(children(verb, "dobj"))
                if (a := self.actor(h))
                if self.lex.aid_modes.get(h.lower_) is None
            ]
        return found

    def complement_targets(self, tok: Token, host: Token | None = None) -> list[Arg]:
        """The targets of what an attitude verb is about: "agreed to send troops to X";
        of a demand, the one asked: "demanded that Hamas renounce violence". ``host`` is
        where the clause hangs when not on the word itself ("reiterated its demand that X")."""
        found: list[Arg] = []
        asks = self.lex.verbs.get(tok.lemma_.lower(), ("",))[0] == "REQUEST" or (
            self.lex.nouns.get(tok.lower_, ("",))[0] == "REQUEST"
        )
        where = host or tok
        for comp in children(where, "xcomp", "ccomp", "acl") + infinitives(where):
            if asks:
                # "asked that its NATO allies send troops": the allies' owner
                subjects = expand(children(comp, "nsubj"))
                found += [
                    a
                    for h in subjects
                    if (a := self.actor(h) or self.named_owner(h) or self.owner(h))
                ]
                if found:
                    break
            found += self._clause_targets(comp)
            if found:
                break
        return found

    def _clause_targets(self, comp: Token) -> list[Arg]:
        """Whom a complement clause's act is aimed at, else what or where it concerns."""
        found = self.objects(comp) or self.recipients(comp)
        found += self.prep_objects(comp, self.lex.preps.target | {"from", "for"})
        if not found:
            found += [a for o in children(comp, "dobj") if (a := self.below(o))]
        if not found:
            found += [a for o in children(comp, "dobj") if (a := self.place_below(o))]
            found += self.verb_places(comp)
        return found

    def condition_subjects(self, tok: Token) -> list[Arg]:
        """Whom a threat is aimed at: the subject of its "if" or "unless" clause."""
        marks = self.lex.modality["hypothetical_marks"]
        clauses = [
            c
            for c in tok.subtree
            if c.dep_ == "advcl" and any(m.lower_ in marks for m in c.children)
        ]
        return [a for c in clauses for h in children(c, "nsubj") if (a := self.actor(h))]


def event_actor(arg: Arg) -> EventActor:
    return EventActor(arg.mention.actor, arg.text, arg.start, arg.end, implied=arg.implied)


def make_event(
    lex: Lexicon,
    kind: str,
    mode: str | None,
    source: Arg,
    target: Arg | None,
    *,
    sent: Span,
    trigger: Token,
    mood: str,
    when: tuple[str | None, str, str | None],
    where: Place | None,
    confidence: float,
    plover: str | None,
    rule: str,
) -> Event:
    """The event of a reading, by the rules or the model: its codes from the lexicon's type
    table, its sentence trimmed of surrounding space, its trigger as a text span."""
    info = lex.types[kind]
    body = trim_space(sent)
    return Event(
        type=kind,
        mode=mode,
        cameo=info.cameo_for(mode),
        quad_class=info.quad_class,
        goldstein=info.goldstein,
        source=event_actor(source),
        target=event_actor(target) if target else None,
        date=when[0],
        date_precision=when[1],
        date_text=when[2],
        location=where,
        modality=mood,
        confidence=confidence,
        sentence=body.text,
        sentence_start=body.start_char,
        sentence_end=body.end_char,
        trigger=TextSpan(trigger.text, trigger.idx, trigger.idx + len(trigger.text)),
        plover=plover,
        rule=rule,
    )


def _infinitive_subjects(verb: Token) -> list[Token]:
    """The object of a verb that takes one and an infinitive ("allowed *Russia* to station
    troops", "forced *the rebels* to withdraw"): the parser hangs it on the infinitive as its
    subject, after the verb."""
    return [
        s
        for comp in children(verb, "ccomp", "xcomp")
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in comp.children)
        for s in children(comp, "nsubj")
        if verb.i < s.i < comp.i
    ]
