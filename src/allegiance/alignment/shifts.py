"""Shifts: changes of alignment in a theatre between consecutive windows.

Each theatre's camps in one window are set against its camps in the next window that has the
theatre. A camp is named by the side it stands for, so that "camp 1" in 2015 and "camp 2" in
2016 can be the same side: the camp holding the theatre's government node (``SYRGOV``) is the
government side; any other camp is matched to the earlier camp it shares most members with.
An actor then:

- ``joined`` a side it was not on before (absent from the earlier window's theatre),
- ``went quiet``: on a side before, absent after (no event that counts in the window),
- ``changed sides``: on one side before and another after (a defection),
- ``took a side``: neutral before (a mediator, or words only), on a side after,
- ``went neutral``: on a side before, neutral after.

Each shift carries the evidence of both windows: the strongest events tying the actor to its
camp before and after. A shift to a side needs events tying the actor to it after, a shift
from a side events tying it before: a camp of one (a lone fighter) shows no side joined.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from .camps import Theatre, sides_by_window
from .ties import Tie
from .weights import Options


@dataclass(frozen=True, slots=True)
class Shift:
    """One actor's change of side in one theatre between two windows."""

    country: str
    theatre: str
    before: str
    after: str
    actor: dict[str, Any]
    change: str
    side_before: str | None
    side_after: str | None
    evidence_before: tuple[dict[str, Any], ...]
    evidence_after: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "theatre": self.theatre,
            "before": self.before,
            "after": self.after,
            "actor": self.actor,
            "change": self.change,
            "side_before": self.side_before,
            "side_after": self.side_after,
            "evidence_before": list(self.evidence_before),
            "evidence_after": list(self.evidence_after),
        }


def shifts(ties: Iterable[Tie], options: Options | None = None, spec: str = "year") -> list[Shift]:
    """The shifts of every theatre between its consecutive windows, in time order."""
    by_country: dict[str, list[Theatre]] = {}
    for th in sides_by_window(ties, options, spec):
        if th.window is not None and not th.window.undated:
            by_country.setdefault(th.country, []).append(th)
    out = []
    for runs in by_country.values():
        for before, after in pairwise(runs):
            out += compare(before, after)
    out.sort(key=lambda s: (s.after, s.country, s.change, s.actor["id"]))
    return out


def side_names(before: Theatre, after: Theatre) -> tuple[list[str], list[str]]:
    """A name for each camp of the two windows, the same name for the same side."""
    gov = f"{before.country}GOV"

    def named(th: Theatre) -> list[str]:
        return ["government side" if gov in camp else "" for camp in th.camps]

    first, second = named(before), named(after)
    n = 0
    for i in range(len(before.camps)):
        if not first[i]:
            n += 1
            first[i] = f"side {n}"
    for j, camp in enumerate(after.camps):
        if second[j]:
            continue
        overlap = [(len(set(camp) & set(c)), first[i]) for i, c in enumerate(before.camps)]
        best = max(overlap, default=(0, ""))
        taken = set(second)
        if best[0] and best[1] not in taken and best[1] != "government side":
            second[j] = best[1]
        else:
            n += 1
            second[j] = f"side {n}"
    return first, second


def compare(before: Theatre, after: Theatre) -> list[Shift]:
    """The shifts of one theatre from one window to the next."""
    first, second = side_names(before, after)

    def side(th: Theatre, names: list[str], node: str) -> str | None:
        camp = th.camp_of(node)
        return names[camp] if camp is not None else None

    why_before, why_after = before.evidence()["members"], after.evidence()["members"]
    out = []
    for node in sorted(set(before.nodes) | set(after.nodes)):
        was, now = side(before, first, node), side(after, second, node)
        known_before, known_after = node in before.nodes, node in after.nodes
        if was == now:
            continue
        if was is None and now is not None:
            change = "took a side" if known_before else "joined"
        elif was is not None and now is None:
            change = "went neutral" if known_after else "went quiet"
        else:
            change = "changed sides"
        actor = (after.nodes.get(node) or before.nodes[node]).to_dict()
        ev_before = _evidence(before, node, why_before)
        ev_after = _evidence(after, node, why_after)
        if not (ev_after if now is not None else ev_before):
            # a side no event of the actor's shows (a camp of one, a lone fighter) is not
            # one it joined or left
            continue
        out.append(
            Shift(
                country=after.country,
                theatre=after.name,
                before=before.window.label if before.window else "",
                after=after.window.label if after.window else "",
                actor=actor,
                change=change,
                side_before=was,
                side_after=now,
                evidence_before=ev_before,
                evidence_after=ev_after,
            )
        )
    return out


def _evidence(
    theatre: Theatre, node: str, members: dict[str, list[dict[str, Any]]]
) -> tuple[dict[str, Any], ...]:
    if node not in theatre.nodes:
        return ()
    return tuple(members.get(theatre.nodes[node].id, []))
