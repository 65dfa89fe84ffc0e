"""The constructions and the override table of the event extractor, on sentences parsed by hand.

Each sentence is a ``Doc`` built from its words, heads, labels, tags and lemmas as the parser
gives them, and each actor ``Mention`` is written by hand, so no model loads: they run in
``make test-fast``. One test per construction of the registry, on the construction's own
example sentence.
"""

from __future__ import annotations

import pytest
from spacy.lang.en import English
from spacy.tokens import Doc

from allegiance.knowledge.lexicon import Lexicon, load_lexicon
from allegiance.nlp.actors.resolve import DocActors
from allegiance.nlp.events import overrides
from allegiance.nlp.events.constructions import REGISTRY, VERB, Construction, triggers_at
from allegiance.nlp.events.extract import EventExtractor
from allegiance.nlp.events.overrides import ARGUMENTS, OVERRIDES, Reading, apply
from allegiance.records import Actor, Event, Mention

# English's vocabulary (as spaCy's tests' ``en_vocab``), not a bare Vocab(): its lexical
# attributes (lower_, like_num) are what the rules read. It loads no model.
VOCAB = English().vocab


def _country(code: str, name: str) -> Actor:
    return Actor(code, name, code, None, "country")


ACTORS = {
    a.id: a
    for a in [
        _country("CHL", "Chile"),
        _country("PER", "Peru"),
        _country("KEN", "Kenya"),
        _country("SOM", "Somalia"),
        _country("ARM", "Armenia"),
        _country("AZE", "Azerbaijan"),
        _country("NPL", "Nepal"),
        _country("BTN", "Bhutan"),
        _country("CUB", "Cuba"),
        _country("ESP", "Spain"),
        _country("FJI", "Fiji"),
        _country("TON", "Tonga"),
        _country("JPN", "Japan"),
        _country("KOR", "South Korea"),
        _country("BLR", "Belarus"),
        _country("RUS", "Russia"),
        _country("TCD", "Chad"),
        Actor("TCDREB", "Chadian rebels", "TCD", "REB", "group"),
    ]
}


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return load_lexicon()


def parse(text: str, table: str) -> tuple[Doc, DocActors]:
    """A Doc of ``text`` from a table of ``word head dep POS tag lemma [@ACTOR] [#ENT]`` rows
    (heads as token indices), and the actor mentions the @ marks give."""
    rows = [line.split() for line in table.splitlines() if line.strip()]
    words = [r[0] for r in rows]
    spaces, at = [], 0
    for w in words:
        at = text.index(w, at) + len(w)
        spaces.append(text[at : at + 1] == " ")
    marks = [r[6:] for r in rows]
    doc = Doc(
        VOCAB,
        words=words,
        spaces=spaces,
        heads=[int(r[1]) for r in rows],
        deps=[r[2] for r in rows],
        pos=[r[3] for r in rows],
        tags=[r[4] for r in rows],
        lemmas=[r[5] for r in rows],
        ents=[next((f"B-{m[1:]}" for m in ms if m[0] == "#"), "O") for ms in marks],
    )
    assert doc.text == text
    by_token = {
        tok.i: Mention(tok.text, tok.idx, tok.idx + len(tok), ACTORS[m[1:]], "by hand")
        for tok, ms in zip(doc, marks, strict=True)
        for m in ms
        if m[0] == "@"
    }
    return doc, DocActors(tuple(by_token.values()), by_token)


def described(events: list[Event]) -> list[tuple[str, str | None, str, str | None, str]]:
    return [
        (e.type, e.mode, e.source.actor.id, e.target.actor.id if e.target else None, e.rule)
        for e in events
    ]


# Per construction: the parse of its example, its trigger word, and the event it reads
# (type, mode, source, target).
PARSES: dict[str, tuple[str, str, tuple[str, str | None, str, str]]] = {
    "must": (
        """
        Chile   1 nsubj PROPN NNP Chile  @CHL
        said    1 ROOT  VERB  VBD say
        Peru    4 nsubj PROPN NNP Peru   @PER
        must    4 aux   AUX   MD  must
        return  1 ccomp VERB  VB  return
        the     6 det   DET   DT  the
        boats   4 dobj  NOUN  NNS boat
        .       1 punct PUNCT .   .
        """,
        "return",
        ("REQUEST", None, "CHL", "PER"),
    ),
    "blame": (
        """
        Kenya       1 nsubj PROPN NNP Kenya   @KEN
        said        1 ROOT  VERB  VBD say
        Somalia     3 nsubj PROPN NNP Somalia @SOM
        was         1 ccomp AUX   VBD be
        responsible 3 acomp ADJ   JJ  responsible
        .           1 punct PUNCT .   .
        """,
        "was",
        ("ACCUSE", "allege", "KEN", "SOM"),
    ),
    "willing": (
        """
        Armenia    1 nsubj PROPN NNP Armenia    @ARM
        is         1 ROOT  AUX   VBZ be
        ready      1 acomp ADJ   JJ  ready
        to         4 aux   PART  TO  to
        meet       2 xcomp VERB  VB  meet
        Azerbaijan 4 dobj  PROPN NNP Azerbaijan @AZE
        .          1 punct PUNCT .   .
        """,
        "ready",
        ("AGREE", None, "ARM", "AZE"),
    ),
    "prep-noun": (
        """
        Nepal   1 nsubj PROPN NNP Nepal  @NPL
        sent    1 ROOT  VERB  VBD send
        troops  1 dobj  NOUN  NNS troop
        in      1 prep  ADP   IN  in
        support 3 pobj  NOUN  NN  support
        of      4 prep  ADP   IN  of
        Bhutan  5 pobj  PROPN NNP Bhutan @BTN
        .       1 punct PUNCT .   .
        """,
        "support",
        ("SUPPORT", None, "NPL", "BTN"),
    ),
    "nominal": (
        """
        Cuban    1 amod  ADJ   JJ  Cuban   @CUB
        protests 4 nsubj NOUN  NNS protest
        against  1 prep  ADP   IN  against
        Spain    2 pobj  PROPN NNP Spain   @ESP
        grew     4 ROOT  VERB  VBD grow
        .        4 punct PUNCT .   .
        """,
        "protests",
        ("PROTEST", "demo", "CUB", "ESP"),
    ),
    "agree-to": (
        """
        Fiji   1 nsubj PROPN NNP Fiji   @FJI
        agreed 1 ROOT  VERB  VBD agree
        to     1 prep  ADP   IN  to
        the    5 det   DET   DT  the
        Tongan 5 amod  ADJ   JJ  Tongan @TON
        plan   2 pobj  NOUN  NN  plan
        .      1 punct PUNCT .   .
        """,
        "agreed",
        ("SUPPORT", "endorse", "FJI", "TON"),
    ),
    "verb": (
        """
        Peru      1 nsubj PROPN NNP Peru    @PER
        condemned 1 ROOT  VERB  VBD condemn
        Chile     1 dobj  PROPN NNP Chile   @CHL
        on        1 prep  ADP   IN  on
        Tuesday   3 pobj  PROPN NNP Tuesday #DATE
        .         1 punct PUNCT .   .
        """,
        "condemned",
        ("ACCUSE", "disapprove", "PER", "CHL"),
    ),
    "light": (
        """
        Japan 1 nsubj PROPN NNP Japan @JPN
        held  1 ROOT  VERB  VBD hold
        talks 1 dobj  NOUN  NNS talk
        with  2 prep  ADP   IN  with
        Korea 3 pobj  PROPN NNP Korea @KOR
        .     1 punct PUNCT .   .
        """,
        "talks",
        ("CONSULT", "meet", "JPN", "KOR"),
    ),
    "receive": (
        """
        Belarus  1 nsubj PROPN NNP Belarus @BLR
        received 1 ROOT  VERB  VBD receive
        the      3 det   DET   DT  the
        backing  1 dobj  NOUN  NN  backing
        of       3 prep  ADP   IN  of
        Russia   4 pobj  PROPN NNP Russia  @RUS
        .        1 punct PUNCT .   .
        """,
        "backing",
        ("SUPPORT", None, "RUS", "BLR"),
    ),
}


@pytest.mark.parametrize("construction", REGISTRY, ids=lambda c: c.name)
def test_construction_reads_its_example(lex: Lexicon, construction: Construction) -> None:
    table, word, (kind, mode, source, target) = PARSES[construction.name]
    doc, actors = parse(construction.example, table)
    hits = [t for tok in doc for t in triggers_at(lex, tok) if t.construction is construction]
    assert [(t.token.text, t.type, t.mode) for t in hits] == [(word, kind, mode)]
    found = described(EventExtractor(lex).extract(doc, actors, None))
    assert (kind, mode, source, target, construction.name) in found, found


def test_every_construction_has_a_name_a_description_and_an_example() -> None:
    names = [c.name for c in REGISTRY]
    assert len(set(names)) == len(names) == len(PARSES)
    for c in REGISTRY:
        assert c.description and c.example.endswith(".") and " " not in c.name


def test_overrides_name_only_constructions_of_the_registry() -> None:
    names = {c.name for c in REGISTRY}
    assert all(o.on is None or o.on <= names for o in OVERRIDES)
    assert len({o.name for o in OVERRIDES}) == len(OVERRIDES)


def test_override_table_order() -> None:
    assert [o.name for o in OVERRIDES] == [
        "scathing attack",
        "aid mode",
        "slammed a proposal",
        "found guilty",
        "called for sanctions",
        "ordered force",
        "protesters riot",
        "vowed to retaliate",
        "ultimatum",
        "peacekeepers",
        "purpose",
        "government protest",
        "rival sides",
        "sports report",
    ]


DEPLOYED = (
    "Chad deployed peacekeepers to fight the rebels.",
    """
    Chad         1 nsubj PROPN NNP Chad @TCD
    deployed     1 ROOT  VERB  VBD deploy
    peacekeepers 1 dobj  NOUN  NNS peacekeeper
    to           4 aux   PART  TO  to
    fight        1 advcl VERB  VB  fight
    the          6 det   DET   DT  the
    rebels       4 dobj  NOUN  NNS rebel @TCDREB
    .            1 punct PUNCT .   .
    """,
)


def test_overrides_apply_in_table_order(lex: Lexicon, monkeypatch: pytest.MonkeyPatch) -> None:
    # Peacekeepers make the deployment aid; then its purpose ("to fight") makes it ASSAULT,
    # keeping the mode. Purpose first, the deployment would no longer be one to take as aid.
    doc, actors = parse(*DEPLOYED)
    reading = Reading(doc[1], VERB, "MOBILIZE", "troops", doc[:])
    after = apply(ARGUMENTS, lex, reading)
    assert after is not None
    assert (after.kind, after.mode, after.fired) == (
        "ASSAULT",
        "peacekeeping",
        ("peacekeepers", "purpose"),
    )
    found = described(EventExtractor(lex).extract(doc, actors, None))
    # the deployment's attack has no target of its own: it is folded into the one on the
    # rebels the same sentence codes, as one act
    assert ("ASSAULT", None, "TCD", "TCDREB", "verb") in found, found
    assert not [f for f in found if f[0] == "ASSAULT" and f[3] is None], found
    monkeypatch.setattr(overrides, "OVERRIDES", tuple(reversed(OVERRIDES)))
    swapped = apply(ARGUMENTS, lex, reading)
    assert swapped is not None
    assert (swapped.kind, swapped.mode, swapped.fired) == ("ASSAULT", "troops", ("purpose",))


def test_an_override_drops_a_game(lex: Lexicon) -> None:
    table = """
        Peru   1 nsubj    PROPN NNP Peru  @PER
        beat   1 ROOT     VERB  VBD beat
        Chile  1 dobj     PROPN NNP Chile @CHL
        2-1    1 npadvmod NUM   CD  2-1
        .      1 punct    PUNCT .   .
    """
    doc, actors = parse("Peru beat Chile 2-1.", table)
    assert EventExtractor(lex).extract(doc, actors, None) == []
    # Without the score the same words are a war report.
    doc, actors = parse("Peru beat Chile.", table.replace("2-1    1 npadvmod NUM   CD  2-1", ""))
    found = described(EventExtractor(lex).extract(doc, actors, None))
    assert found == [("ASSAULT", "beat", "PER", "CHL", "verb")]


def test_rule_is_in_the_event_dict_only_when_explained(lex: Lexicon) -> None:
    doc, actors = parse(VERB.example, PARSES["verb"][0])
    event = EventExtractor(lex).extract(doc, actors, None)[0]
    assert "rule" not in event.to_dict()
    assert event.to_dict(explain=True)["rule"] == "verb"
    assert list(event.to_dict(explain=True))[:-1] == list(event.to_dict())
