"""Ties: one coded event between two actors with its evidence, from extraction results or
from the store's rows (``Store.ties``), which is all the graph reads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ..knowledge.groups import role_on
from ..records import Actor, ArticleResult, event_id
from .weights import MODALITY


@dataclass(frozen=True, slots=True)
class Evidence:
    """One sentence that reports an event."""

    article_id: str
    sentence: str
    modality: str


@dataclass(frozen=True, slots=True)
class Tie:
    """One coded event between two actors, as the graph needs it."""

    id: str
    type: str
    mode: str | None
    source: Actor
    target: Actor
    date: str | None
    modality: str
    confidence: float
    articles: int
    location_country: str | None = None
    context: tuple[str, ...] = ()  # countries the reporting sentences name, in order
    evidence: tuple[Evidence, ...] = ()

    @property
    def day(self) -> date | None:
        return as_date(self.date)


def tie_dict(tie: Tie, weight: float | None = None) -> dict[str, Any]:
    """A tie as evidence: the event, its weight and the first sentence that reports it."""
    first = tie.evidence[0] if tie.evidence else None
    out = {
        "event": tie.id,
        "type": tie.type,
        "mode": tie.mode,
        "source": tie.source.to_dict(),
        "target": tie.target.to_dict(),
        "date": tie.date,
        "modality": tie.modality,
        "articles": tie.articles,
        "sentence": first.sentence if first else None,
        "article": first.article_id if first else None,
    }
    if weight is not None:
        out["weight"] = round(weight, 3)
    return out


# Dates ----------------------------------------------------------------------------------------
def as_date(value: str | None) -> date | None:
    """The first day a TIMEX3-style value covers (``2020-06-14``, ``2020-W24``, ``2020-06``)."""
    if not value:
        return None
    try:
        if "W" in value:
            year, week = value.split("-W")
            return date.fromisocalendar(int(year), int(week[:2]), 1)
        parts = value[:10].split("-")
        if len(parts) == 3:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        if len(parts) == 2:
            return date(int(parts[0]), int(parts[1]), 1)
        return date(int(parts[0]), 1, 1)
    except ValueError:
        return None


# Ties from extraction results ----------------------------------------------------------------
def ties_from_results(results: Iterable[ArticleResult]) -> list[Tie]:
    """Ties of extracted articles; one event told by several articles is one tie."""
    merged: dict[str, Tie] = {}
    sources: dict[str, set[str]] = defaultdict(set)
    for result in results:
        places = [(m.start, m.actor.country) for m in result.mentions if m.actor.country]
        for ev in result.events:
            if ev.target is None or ev.target.implied or ev.target.actor.id == ev.source.actor.id:
                continue  # an implied recipient (a domestic act's own country) is no tie
            if not (placeable(ev.source.actor) and placeable(ev.target.actor)):
                continue
            eid = event_id(ev)
            sources[eid].add(result.article.id)
            said = Evidence(result.article.id, ev.sentence, ev.modality)
            context = tuple(
                dict.fromkeys(c for s, c in places if ev.sentence_start <= s < ev.sentence_end)
            )
            old = merged.get(eid)
            if old is None:
                merged[eid] = Tie(
                    eid,
                    ev.type,
                    ev.mode,
                    ev.source.actor,
                    ev.target.actor,
                    ev.date,
                    ev.modality,
                    ev.confidence,
                    1,
                    ev.location.country if ev.location else None,
                    context,
                    (said,),
                )
            else:
                merged[eid] = _merge(old, said, context, len(sources[eid]))
    return list(merged.values())


def ties_from_rows(rows: Iterable[dict[str, Any]]) -> list[Tie]:
    """Ties of the events a store holds, from its ``Store.ties`` rows."""
    ties = (_tie_of_row(row) for row in rows)
    return [t for t in ties if placeable(t.source) and placeable(t.target)]


def placeable(actor: Actor) -> bool:
    """Whether an actor can stand in a camp: "police" of a story that names no country are
    nobody's police there (every such story's would be one node)."""
    return not (actor.kind == "agent" and actor.country is None)


def _tie_of_row(row: dict[str, Any]) -> Tie:
    def actor(p: str) -> Actor:
        kind = row[p + "kind"] or "unknown"
        sector = row[p + "sector"]
        if kind == "group":
            # the store keeps a group's base sector; its role on the event's day is what
            # the coder gave it (the Taliban as insurgents in 2006)
            sector = role_on(row[p + "id"], sector, as_date(row["date"]))
        return Actor(
            id=row[p + "id"],
            name=row[p + "name"],
            country=row[p + "country"],
            sector=sector,
            kind=kind,
            cameo=row[p + "code"],
        )

    said = zip(
        row["report_articles"] or [], row["sentences"] or [], row["modalities"] or [], strict=True
    )
    return Tie(
        id=row["id"],
        type=row["type"],
        mode=row["mode"],
        source=actor("s_"),
        target=actor("t_"),
        date=row["date"],
        modality=row["modality"],
        confidence=row["confidence"],
        articles=max(1, row["articles"] or 1),
        location_country=row["location"],
        context=tuple(dict.fromkeys(row["context"] or [])),
        evidence=tuple(Evidence(a, s, m) for a, s, m in said),
    )


def _merge(old: Tie, said: Evidence, context: tuple[str, ...], articles: int) -> Tie:
    """Another report of the same event: the surer modality wins, the evidence adds up."""
    surer = MODALITY.get(said.modality, 0) > MODALITY.get(old.modality, 0)
    return replace(
        old,
        modality=said.modality if surer else old.modality,
        articles=articles,
        context=tuple(dict.fromkeys(old.context + context)),
        evidence=(*old.evidence, said),
    )
