"""Candidates: every plausible (source, target or none) pair of a sentence's actors, and what the
parse and the rules say about it, as features for the learned decision.

A sentence's actors are its actor mentions, one per actor (the first), and the places it names
as possible targets ("ended the curfew in Tigray"). Each actor is a source with every other
actor, every place and no target. The features read the pair on the parse: the path between
the two heads and the words on it, the words between them, how each head hangs on its verb,
the lexicon's types of those words, the actors' sectors and kinds, and the rules' events for
the pair (the constructions stay as the candidates' strongest features).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ...knowledge.lexicon import Lexicon
from ...records import Event, Mention
from ..actors.resolve import DocActors

# Words between the two heads read as a bag, up to this distance.
_BETWEEN = 12
# A conjunct or an apposition is read where the word it hangs on stands.
_STAND_IN = ("conj", "appos")
# Dependents of a source's verb read when the pair has no target.
_VERB_DEPS = ("dobj", "attr", "prep", "xcomp", "ccomp", "neg", "aux")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A source and a target (or none) of one sentence, with the words that stand for them in
    the parse (``pair``: the first of a coordination or the noun an apposition describes) and
    whether the two are coordinated with each other ("Iran and Russia")."""

    sentence: Span
    source: Mention
    target: Mention | None
    source_head: Token
    target_head: Token | None
    coordinated: bool = False


def pair(
    sent: Span, source: Mention, target: Mention | None, s: Token, t: Token | None
) -> Candidate:
    """The candidate of two mentions whose heads are ``s`` and ``t``. A conjunct or an
    apposition stands where the word it joins stands ("Iran and *Russia* back Assad": Russia
    is a subject of "back"; "attacked Idlib and *Hama*"), so the model reads every member of
    a coordination as it reads the first; two members of one coordination keep their own heads."""
    s_at, t_at = _standing(s), _standing(t) if t is not None else None
    joined = t is not None and s_at.i == t_at.i  # type: ignore[union-attr]
    if joined:
        s_at, t_at = s, t
    return Candidate(sent, source, target, s_at, t_at, joined)


def _standing(tok: Token) -> Token:
    while tok.dep_ in _STAND_IN and tok.head.i != tok.i:
        tok = tok.head
    return tok


def sentence_candidates(sent: Span, actors: DocActors) -> list[Candidate]:
    """The candidates of a sentence, sources in text order, each with every other actor, every
    place and no target."""
    sources, places = _sentence_actors(sent, actors)
    out = []
    for s in sources:
        s_head = _head(sent.doc, s)
        if s_head is None:
            continue
        for t in [*(x for x in sources if x is not s), *places, None]:
            t_head = _head(sent.doc, t) if t is not None else None
            if t is not None and t_head is None:
                continue
            out.append(pair(sent, s, t, s_head, t_head))
    return out


def _sentence_actors(sent: Span, actors: DocActors) -> tuple[list[Mention], list[Mention]]:
    """The actor mentions of a sentence (the first of each actor) and its places."""
    named: dict[str, Mention] = {}
    places: dict[str, Mention] = {}
    for m in actors.mentions:
        if m.start < sent.start_char or m.end > sent.end_char:
            continue
        if m.is_place:
            if m.actor.country:
                places.setdefault(m.actor.id, m)
        else:
            named.setdefault(m.actor.id, m)
    return list(named.values()), list(places.values())


def _head(doc: Doc, m: Mention) -> Token | None:
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


# Features ----------------------------------------------------------------------------------------
def features(c: Candidate, rules: list[Event], lex: Lexicon) -> list[str]:
    """The features of a candidate: strings, each an indicator."""
    f = _rule_features(c, rules)
    s = c.source_head
    sa = c.source.actor
    f += [f"ss:{sa.sector}", f"sk:{sa.kind}", f"sd:{s.dep_}", f"sg:{_lemma(s.head)}"]
    f.append(f"sgd:{s.dep_}:{_lemma(s.head)}")
    if kind := lex_type(lex, s.head):
        f.append(f"sgt:{kind}:{s.dep_}")
    if c.target is None:
        return [*f, *_lone_features(c, lex)]
    return [*f, *_pair_features(c, lex)]


def _rule_features(c: Candidate, rules: list[Event]) -> list[str]:
    """What the rules coded in the sentence, as it concerns this pair."""
    sa, ta = c.source.actor, c.target.actor if c.target else None
    f = []
    for e in rules:
        if not c.sentence.start_char <= e.sentence_start < c.sentence.end_char:
            continue
        same_source = e.source.actor.id == sa.id
        e_target = e.target.actor.id if e.target and not e.target.implied else None
        if same_source and e_target == (ta.id if ta else None):
            f += [f"r:{e.type}", f"rk:{e.rule.split(';')[0]}:{e.type}", f"rm:{e.modality}"]
        elif ta is not None and e.source.actor.id == ta.id and e_target == sa.id:
            f.append(f"rr:{e.type}")
        elif same_source:
            f.append(f"rs:{e.type}")
        elif ta is not None and e_target == ta.id:
            f.append(f"rt:{e.type}")
        else:
            f.append(f"ro:{e.type}")
    return f


def _lone_features(c: Candidate, lex: Lexicon) -> list[str]:
    """A source with no target: what its verb governs."""
    f = ["t_none"]
    verb = c.source_head.head
    for ch in verb.children:
        if ch.dep_ in _VERB_DEPS:
            f.append(f"vc:{ch.dep_}:{_lemma(ch)}")
            if kind := lex_type(lex, ch):
                f.append(f"vct:{kind}")
    if kind := lex_type(lex, verb):
        f.append(f"vt:{kind}")
    return f


def _pair_features(c: Candidate, lex: Lexicon) -> list[str]:
    """A source and a target: the path between their heads and the words around it."""
    assert c.target is not None and c.target_head is not None
    s, t = c.source_head, c.target_head
    sa, ta = c.source.actor, c.target.actor
    f = [f"ts:{ta.sector}", f"tk:{ta.kind}", f"pair:{sa.sector}:{ta.sector}"]
    if c.target.is_place:
        f.append("t_place")
    if sa.country and sa.country == ta.country:
        f.append("same_country")
    f.append("s_first" if s.i < t.i else "t_first")
    f.append(f"dist:{min(abs(s.i - t.i) // 3, 6)}")
    f += [f"td:{t.dep_}", f"tg:{_lemma(t.head)}", f"tgd:{t.dep_}:{_lemma(t.head)}"]
    up, lca, down = path(s, t)
    f += [f"lca:{_lemma(lca)}", f"lcap:{lca.pos_}"]
    if kind := lex_type(lex, lca):
        f.append(f"lcat:{kind}")
    f += _object_features(lca, {s.i, t.i}, lex)
    labels = "^".join(x.dep_ for x in up) + "|" + "_".join(x.dep_ for x in down)
    f += [f"p:{labels}", f"pl:{labels}:{_lemma(lca)}"]
    for x in [*up[1:], *down[:-1], lca]:
        f.append(f"pw:{_lemma(x)}")
        if kind := lex_type(lex, x):
            f.append(f"pt:{kind}")
    lo, hi = sorted((s.i, t.i))
    if hi - lo <= _BETWEEN:
        f += [f"bw:{_lemma(x)}" for x in s.doc[lo + 1 : hi] if not x.is_punct]
    if c.coordinated:
        f.append("conj")
    if any(ch.dep_ == "neg" for ch in lca.children):
        f.append("neg")
    return f


def _object_features(verb: Token, actors: set[int], lex: Lexicon) -> list[str]:
    """What the joining word acts on besides the two actors ("gave Tanzania a *grant*", "gave
    them an *ultimatum*"): its objects and complements, and the lexicon's types of them."""
    f = []
    for ch in verb.children:
        if ch.dep_ in _VERB_DEPS and ch.i not in actors:
            f.append(f"lo:{ch.dep_}:{_lemma(ch)}")
            if kind := lex_type(lex, ch):
                f.append(f"lot:{kind}")
            for grand in ch.children:  # "in support of", "a grant of aid"
                if grand.dep_ == "pobj" and (kind := lex_type(lex, grand)):
                    f.append(f"lot:{kind}")
    return f


def path(a: Token, b: Token) -> tuple[list[Token], Token, list[Token]]:
    """The dependency path from ``a`` to ``b``: up from ``a`` to their lowest common
    ancestor, the ancestor, and down from it to ``b``."""
    up_a, up_b = _ancestors(a), _ancestors(b)
    at = {t.i: k for k, t in enumerate(up_b)}
    for k, t in enumerate(up_a):
        if t.i in at:
            return up_a[:k], t, list(reversed(up_b[: at[t.i]]))
    return up_a, up_a[-1], list(reversed(up_b))


def _ancestors(tok: Token) -> list[Token]:
    out = [tok]
    while out[-1].head.i != out[-1].i:
        out.append(out[-1].head)
    return out


def lex_type(lex: Lexicon, tok: Token) -> str | None:
    """The PLOVER type a word signals in the lexicon, if any."""
    lemma = tok.lemma_.lower()
    if tok.pos_ in ("VERB", "AUX") and lemma in lex.verbs:
        return lex.verbs[lemma][0]
    hit = lex.nouns.get(tok.lower_) or lex.nouns.get(lemma)
    return hit[0] if hit else None


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()
