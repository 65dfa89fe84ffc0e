"""How much one event says about two actors being on one side: its type, modality,
confidence, articles and age; the time window."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .ties import Tie


# How much one event says about two actors being on the same side (+) or opposite sides (-).
ALIGNMENT: dict[str, float] = {
    "SUPPORT": 1.0,
    "AID": 1.0,
    "COOPERATE": 0.6,
    "ASSAULT": -1.0,
    "COERCE": -0.8,
    "SANCTION": -0.6,
    "THREATEN": -0.6,
    "MOBILIZE": -0.5,
    "ACCUSE": -0.4,
    "REJECT": -0.3,
    "PROTEST": -0.3,
}


# Contact between two actors that does not put them on one side (for rivals: "while they meet").
CONTACT = frozenset(["CONSULT", "AGREE", "COOPERATE", "REQUEST", "SUPPORT"])


# How much a report counts, by how the text presents it.
MODALITY: dict[str, float] = {
    "asserted": 1.0,
    "reported": 0.8,
    "alleged": 0.5,
    "planned": 0.5,
    "hypothetical": 0.25,
    "negated": 0.0,
}


@dataclass(frozen=True, slots=True)
class Options:
    """How ties are weighed: a time window and an optional half-life for decay."""

    since: date | None = None
    until: date | None = None
    half_life_days: float | None = None
    theatre: str | None = None  # ISO3 code or country name


# Weighing ------------------------------------------------------------------------------------
def weigh(tie: Tie, options: Options, reference: date | None) -> float:
    """The signed weight of one tie for the camps (0 for diplomacy and negated reports)."""
    base = ALIGNMENT.get(tie.type, 0.0)
    if not base or (tie.type == "SUPPORT" and tie.mode == "sign"):
        return 0.0  # diplomacy; signing a deal is what enemies do to end a war
    w = base * MODALITY.get(tie.modality, 0.5) * tie.confidence * (1 + math.log(tie.articles))
    if options.half_life_days and reference is not None and (day := tie.day) is not None:
        age = max(0, (reference - day).days)
        w *= 0.5 ** (age / options.half_life_days)
    return w


def in_window(tie: Tie, options: Options) -> bool:
    if options.since is None and options.until is None:
        return True
    day = tie.day
    if day is None:
        return False
    return (options.since is None or day >= options.since) and (
        options.until is None or day <= options.until
    )
