"""Parse helpers of the events stage: walks along the dependency tree that know no lexicon."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span, Token


def children(tok: Token, *deps: str) -> list[Token]:
    """A word's dependents with one of the relations, in text order."""
    return [c for c in tok.children if c.dep_ in deps]


def expand(heads: Iterable[Token]) -> list[Token]:
    """Heads plus the words coordinated with them ("Turkey and Qatar", "X, Y and Z")."""
    out: list[Token] = []
    for h in heads:
        stack = [h]
        while stack:
            t = stack.pop()
            out.append(t)
            stack += [c for c in t.children if c.dep_ == "conj"]
    return out


def verb_like(tok: Token) -> bool:
    """A verb, or a word the tagger called something else that has a subject and an object."""
    if tok.pos_ in ("VERB", "AUX"):
        return True
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children) and any(
        c.dep_ in ("dobj", "prep", "agent") for c in tok.children
    )


def infinitives(verb: Token) -> list[Token]:
    """ "to" clauses the parser hangs on a verb as adverbial ("have sworn to fight"): after an
    attitude verb they are its complement."""
    return [
        c
        for c in children(verb, "advcl")
        if c.i > verb.i and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
    ]


def clause_verb(tok: Token) -> Token:
    """The verb (or event noun's verb) whose clause a word belongs to."""
    node = tok
    while node.head.i != node.i:
        node = node.head
        if node.pos_ in ("VERB", "AUX") or node.dep_ in ("ROOT", "relcl", "advcl", "ccomp"):
            return node
    return node


def particle(verb: Token, word: Token) -> bool:
    """A verb's particle or its own preposition: "called on X", not "called Y on Monday"."""
    if word.dep_ == "prt":
        return True
    if word.dep_ != "prep" or word.i != verb.i + 1:
        return False
    return not any(o.ent_type_ in ("DATE", "TIME") for o in children(word, "pobj"))


def cause_gerund(tok: Token, preps: frozenset[str]) -> Token | None:
    """The word a gerund gives the cause of, when it does ("accused Iran of *arming* the
    Houthis", "sanctions on Belarus for *arming* Russia": accused, sanctions' verb), else None;
    ``preps`` are the lexicon's ``preps.cause``."""
    prep = tok.head
    if (
        tok.dep_ == "pcomp"
        and tok.tag_ == "VBG"
        and prep.dep_ == "prep"
        and prep.lower_ in preps
        and prep.head.i != prep.i
    ):
        return prep.head
    return None


def counted_object(verb: Token) -> list[Token]:
    """The object the parser hangs under "up to" ("seized up to 20 sailors")."""
    return [
        o
        for up in verb.children
        if up.lower_ == "up" and up.dep_ in ("prt", "prep", "advmod")
        for to in up.children
        if to.lower_ == "to"
        for o in children(to, "pobj")
        if any(c.dep_ == "nummod" for c in o.children)
    ]


def coordinated_modifiers(head: Token) -> list[Token]:
    """The modifiers of a head joined by "and": "Turkish" and "Greek" in "Turkish and Greek
    sides" (none when a modifier stands alone)."""
    for mod in head.children:
        if mod.dep_ in ("amod", "compound", "nmod"):
            conjs = [c for c in mod.subtree if c.dep_ == "conj" and c.i < head.i]
            if conjs:
                return [mod, *conjs]
    return []


def inside_attitude(verb: Token, outer: set[int]) -> bool:
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


def below_clause(verb: Token, clauses: set[int]) -> bool:
    """Whether one of the clauses governs the verb's clause through more than coordination
    ("expelled the envoy and closed the border" are two main acts)."""
    node, subordinate = verb, False
    while node.head.i != node.i:
        subordinate = subordinate or node.dep_ != "conj"
        node = node.head
        if subordinate and node.i in clauses:
            return True
    return False


def trim_space(sent: Span) -> Span:
    """The sentence without the whitespace tokens at its ends."""
    start, end = sent.start, sent.end
    while start < end and sent.doc[start].is_space:
        start += 1
    while end > start and sent.doc[end - 1].is_space:
        end -= 1
    return sent.doc[start:end]
