"""The event lexicon and the PLOVER-to-CAMEO table, read once from the package data.

The lexicon is checked against the PLOVER table as it is read: a type PLOVER does not have, a
mode its type does not have, or a word list the rules do not know is a ``KnowledgeError``
naming the file and the line (from the YAML nodes' marks).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, TypeVar

import yaml

from ..errors import KnowledgeError


@dataclass(frozen=True, slots=True)
class TypeInfo:
    """What a PLOVER type maps to: CAMEO code (per mode), QuadClass, Goldstein-like weight."""

    cameo: str
    quad_class: int
    goldstein: float
    modes: dict[str, str | None]  # a mode without a code of its own takes the type's

    def cameo_for(self, mode: str | None) -> str:
        return self.modes.get(mode or "") or self.cameo


@dataclass(frozen=True, slots=True)
class Words:
    """Word lists the event rules ask about (``words`` in lexicon.yaml, which says why)."""

    quantities: frozenset[str]
    documents: frozenset[str]
    verbal: frozenset[str]
    efforts: frozenset[str]
    mutual: frozenset[str]
    apart: frozenset[str]
    sides: frozenset[str]
    each_other: frozenset[str]
    willing: frozenset[str]
    messages: frozenset[str]
    relative: frozenset[str]
    must: frozenset[str]
    must_reporters: frozenset[str]
    blame: frozenset[str]
    guilty: frozenset[str]
    backing: frozenset[str]
    meeting: frozenset[str]
    contest: frozenset[str]
    sport: frozenset[str]
    commands: frozenset[str]


@dataclass(frozen=True, slots=True)
class Preps:
    """Prepositions the rules follow to sources and targets (``preps`` in lexicon.yaml)."""

    companion: frozenset[str]
    target: frozenset[str]
    hostile: frozenset[str]
    nominal_target: frozenset[str]
    recipient: frozenset[str]
    prep_noun_target: frozenset[str]
    giver: frozenset[str]
    owner: frozenset[str]
    aimed: frozenset[str]
    agreed: frozenset[str]
    backing: frozenset[str]
    place: frozenset[str]
    cause: frozenset[str]
    asked: frozenset[str]


@dataclass(frozen=True, slots=True)
class TypeClasses:
    """Classes of PLOVER types the rules ask about (``type_classes`` in lexicon.yaml)."""

    hostile: frozenset[str]
    reciprocal: frozenset[str]
    domestic: frozenset[str]
    needs_recipient: frozenset[str]
    given: frozenset[str]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Triggers by lemma, with the word lists that set modes and modality."""

    verbs: dict[str, tuple[str, str | None]]
    phrasal: dict[tuple[str, str], tuple[str, str | None]]
    nouns: dict[str, tuple[str, str | None]]
    light: frozenset[str]
    receive: frozenset[str]
    aid_modes: dict[str, str]
    modality: dict[str, frozenset[str]]
    types: dict[str, TypeInfo]
    rejectable: frozenset[str]
    attitude: frozenset[str]
    objects: dict[str, dict[str, str]]
    prep_nouns: dict[str, tuple[str, str | None]]
    protesters: frozenset[str]
    aid_words: frozenset[str]
    punitive: frozenset[str]
    words: Words
    preps: Preps
    type_classes: TypeClasses
    converse: dict[str, str]  # CONSULT mode -> the mode of its converse
    purposes: dict[str, frozenset[str]]  # verb -> the types its "to" clause may give it
    # Verbs that name an event only with an object: "returned the prisoners" is RETREAT,
    # "returned to Geneva" is travel.
    transitive: frozenset[str] = frozenset()


# Sections every lexicon has.
_SECTIONS = frozenset(
    "verbs nouns prep_nouns light receive rejectable attitude aid_modes objects protesters "
    "aid_words punitive modality type_classes converse purposes preps "
    "words".split()
)
_Sets = TypeVar("_Sets", Words, Preps, TypeClasses)


def _pairs(table: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    return {str(k): (str(v[0]), v[1]) for k, v in table.items()}


def load_lexicon(root: Traversable | None = None) -> Lexicon:
    """Read ``lexicon.yaml`` and ``plover.yaml`` from ``root`` (the package's ``data``).

    Raises:
        KnowledgeError: a data file is malformed, or the lexicon names a PLOVER type or mode
            the PLOVER table does not have (the message gives the file and line).
    """
    root = root or resources.files("allegiance.knowledge") / "data"
    where = root / "lexicon.yaml"
    try:
        plover = yaml.safe_load((root / "plover.yaml").read_text(encoding="utf-8"))
        types = {
            name: TypeInfo(
                str(v["cameo"]),
                int(v["quad_class"]),
                float(v["goldstein"]),
                {str(m): None if c is None else str(c) for m, c in (v.get("modes") or {}).items()},
            )
            for name, v in plover.items()
        }
        text = where.read_text(encoding="utf-8")
    except (OSError, KeyError, TypeError, AttributeError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"the PLOVER table beside {where} is malformed: {exc!r}") from exc
    checker = _Checker(str(where), types)
    try:
        return checker.read(text)
    except (KeyError, TypeError, IndexError, AttributeError, ValueError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{where}: the event lexicon is malformed: {exc!r}") from exc


class _Checker:
    """Reads the lexicon's YAML, checking it against the PLOVER types with the nodes' lines."""

    def __init__(self, name: str, types: dict[str, TypeInfo]) -> None:
        self.name = name
        self.types = types

    def read(self, text: str) -> Lexicon:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            lex = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
        if not isinstance(node, yaml.MappingNode) or not isinstance(lex, dict):
            raise self._error(node, "is not a mapping of sections")
        sections = _keyed(node)
        missing = _SECTIONS - set(sections)
        if missing:
            raise self._error(node, f"has no section {', '.join(sorted(missing))}")
        self._check(sections)
        verbs = _pairs(lex["verbs"])
        return Lexicon(
            verbs={k: v for k, v in verbs.items() if " " not in k},
            phrasal={_split(k): v for k, v in verbs.items() if " " in k},
            nouns=_pairs(lex["nouns"]),
            light=frozenset(lex["light"]),
            receive=frozenset(lex["receive"]),
            aid_modes={w: mode for mode, words in lex["aid_modes"].items() for w in words},
            modality={k: frozenset(v) for k, v in lex["modality"].items()},
            types=self.types,
            rejectable=frozenset(lex["rejectable"]),
            attitude=frozenset(lex["attitude"]),
            objects={
                str(v): {str(n): str(t) for n, t in m.items()} for v, m in lex["objects"].items()
            },
            prep_nouns=_pairs(lex["prep_nouns"]),
            protesters=frozenset(lex["protesters"]),
            aid_words=frozenset(lex["aid_words"]),
            punitive=frozenset(lex["punitive"]),
            words=self._sets(Words, sections["words"]),
            preps=self._sets(Preps, sections["preps"]),
            type_classes=self._sets(TypeClasses, sections["type_classes"]),
            converse={str(k): str(v) for k, v in lex["converse"].items()},
            purposes={str(k): frozenset(v) for k, v in lex["purposes"].items()},
            transitive=frozenset(lex.get("transitive") or ()),
        )

    def _check(self, sections: dict[str, yaml.Node]) -> None:
        """Every type the lexicon names is PLOVER's, and every mode one of its type's."""
        for key in ("verbs", "nouns", "prep_nouns"):
            for _, value in _entries(sections[key]):
                self._pair(value)
        for _, table in _entries(sections["objects"]):
            for _, value in _entries(table):
                self._type(value)
        for value in _items(sections["attitude"]):
            self._type(value)
        for _, values in [*_entries(sections["type_classes"]), *_entries(sections["purposes"])]:
            for value in _items(values):
                self._type(value)
        for mode, _ in _entries(sections["aid_modes"]):
            self._mode("AID", mode)
        for mode, back in _entries(sections["converse"]):
            self._mode("CONSULT", mode)
            self._mode("CONSULT", back)

    def _pair(self, node: yaml.Node) -> None:
        if not isinstance(node, yaml.SequenceNode) or len(node.value) != 2:
            raise self._error(node, "should be [TYPE, mode] (mode may be null)")
        kind, mode = node.value
        self._type(kind)
        if mode.tag != "tag:yaml.org,2002:null":
            self._mode(kind.value, mode)

    def _type(self, node: yaml.Node) -> None:
        if not isinstance(node, yaml.ScalarNode) or node.value not in self.types:
            raise self._error(
                node,
                f"{_text(node)} is not a PLOVER type; the types are {', '.join(self.types)} "
                "(plover.yaml)",
            )

    def _mode(self, kind: str, node: yaml.Node) -> None:
        modes = self.types[kind].modes
        if not isinstance(node, yaml.ScalarNode) or node.value not in modes:
            raise self._error(
                node,
                f"PLOVER type {kind} has no mode {_text(node)}; its modes are "
                f"{', '.join(modes) or '(none)'}: correct the mode, or add it to plover.yaml",
            )

    def _sets(self, cls: type[_Sets], node: yaml.Node) -> _Sets:
        """A record of word sets from a mapping whose keys are exactly the record's fields."""
        fields = [f.name for f in dataclasses.fields(cls)]
        if not isinstance(node, yaml.MappingNode):
            raise self._error(node, f"should map {', '.join(fields)} to lists")
        given = _keyed(node)
        for key in given:
            if key not in fields:
                raise self._error(
                    given[key], f"unknown list '{key}'; the rules ask for {', '.join(fields)}"
                )
        missing = [f for f in fields if f not in given]
        if missing:
            raise self._error(node, f"has no list {', '.join(missing)}")
        sets = {}
        for key, value in given.items():
            if not isinstance(value, yaml.SequenceNode):
                raise self._error(value, f"'{key}' should be a list of words")
            for item in value.value:
                if item.tag != "tag:yaml.org,2002:str":
                    raise self._error(
                        item,
                        f"{_text(item)} is not a word (YAML reads on/off/yes/no unquoted as "
                        "true/false: quote it)",
                    )
            sets[key] = frozenset(item.value for item in value.value)
        return cls(**sets)

    def _error(self, node: yaml.Node | None, message: str) -> KnowledgeError:
        line = f", line {node.start_mark.line + 1}" if node is not None else ""
        return KnowledgeError(f"{self.name}{line}: {message}")


def _entries(node: yaml.Node) -> Iterator[tuple[yaml.Node, yaml.Node]]:
    """The (key, value) node pairs of a mapping node (none for any other node)."""
    if isinstance(node, yaml.MappingNode):
        yield from node.value


def _keyed(node: yaml.Node) -> dict[str, yaml.Node]:
    """A mapping node's value nodes by their keys as written."""
    return {str(key.value): value for key, value in _entries(node)}


def _split(phrase: str) -> tuple[str, str]:
    first, rest = phrase.split(" ", 1)
    return first, rest


def _items(node: yaml.Node) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else [node]


def _text(node: yaml.Node) -> str:
    return repr(node.value) if isinstance(node, yaml.ScalarNode) else f"a {node.id}"
