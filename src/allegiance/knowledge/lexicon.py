"""The event lexicon and the PLOVER-to-CAMEO table, read once from the package data."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from ..errors import KnowledgeError


@dataclass(frozen=True, slots=True)
class TypeInfo:
    """What a PLOVER type maps to: CAMEO code (per mode), QuadClass, Goldstein-like weight."""

    cameo: str
    quad_class: int
    goldstein: float
    modes: dict[str, str]

    def cameo_for(self, mode: str | None) -> str:
        return self.modes.get(mode or "", self.cameo)


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
    # Verbs that name an event only with an object: "returned the prisoners" is RETREAT,
    # "returned to Geneva" is travel.
    transitive: frozenset[str] = frozenset()


def _pairs(table: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    return {str(k): (str(v[0]), v[1]) for k, v in table.items()}


def load_lexicon() -> Lexicon:
    """Read ``data/lexicon.yaml`` and ``data/plover.yaml`` from the package.

    Raises:
        KnowledgeError: a data file is malformed.
    """
    root = resources.files("allegiance.knowledge") / "data"
    try:
        lex = yaml.safe_load((root / "lexicon.yaml").read_text(encoding="utf-8"))
        plover = yaml.safe_load((root / "plover.yaml").read_text(encoding="utf-8"))
        verbs = _pairs(lex["verbs"])
        types = {
            name: TypeInfo(
                str(v["cameo"]),
                int(v["quad_class"]),
                float(v["goldstein"]),
                {str(m): str(c) for m, c in (v.get("modes") or {}).items()},
            )
            for name, v in plover.items()
        }
        missing = {
            "nouns",
            "light",
            "receive",
            "rejectable",
            "attitude",
            "aid_modes",
            "objects",
            "prep_nouns",
            "protesters",
            "aid_words",
        }
        missing -= set(lex)
        if missing:
            raise KeyError(sorted(missing))
    except (OSError, KeyError, TypeError, IndexError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"the packaged event lexicon is malformed: {exc!r}") from exc
    single = {k: v for k, v in verbs.items() if " " not in k}
    phrasal = {tuple(k.split(" ", 1)): v for k, v in verbs.items() if " " in k}
    unknown = {t for t, _ in [*verbs.values(), *_pairs(lex["nouns"]).values()]} - set(types)
    if unknown:
        raise KnowledgeError(f"lexicon names unknown PLOVER types: {sorted(unknown)}")
    return Lexicon(
        verbs=single,
        phrasal=phrasal,  # type: ignore[arg-type]
        nouns=_pairs(lex["nouns"]),
        light=frozenset(lex["light"]),
        receive=frozenset(lex["receive"]),
        aid_modes={w: mode for mode, words in lex["aid_modes"].items() for w in words},
        modality={k: frozenset(v) for k, v in lex["modality"].items()},
        types=types,
        rejectable=frozenset(lex["rejectable"]),
        attitude=frozenset(lex["attitude"]),
        objects={str(v): {str(n): str(t) for n, t in m.items()} for v, m in lex["objects"].items()},
        prep_nouns=_pairs(lex["prep_nouns"]),
        protesters=frozenset(lex["protesters"]),
        aid_words=frozenset(lex["aid_words"]),
        punitive=frozenset(lex["punitive"]),
        transitive=frozenset(lex.get("transitive") or ()),
    )
