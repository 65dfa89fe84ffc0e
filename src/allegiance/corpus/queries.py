"""The SQL the store runs for event queries, built from the schema's event view and the
filters of ``allegiance events`` (the same in ``export`` and the API). Strings only: the
connection stays in ``store``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from .schema import event_select


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Filters of ``allegiance events`` and ``export``."""

    actor: str | None = None
    type: str | None = None
    country: str | None = None
    since: date | None = None
    until: date | None = None
    min_confidence: float | None = None
    modality: str | None = None  # one of records.MODALITIES
    quad_class: int | None = None  # 1 verbal, 2 material cooperation; 3 verbal, 4 material conflict
    # A theatre as `sides` names it ("LBY", "SYR/civil", "AZE+ARM"): its countries, either
    # actor's or the place's.
    theatre: str | None = None


# The orders the event table sorts in: the SQL of the sort key, whether it runs high to low,
# and the row field that holds the key (for the next page's cursor). Ties go by event id.
ORDERS: dict[str, tuple[str, bool, str]] = {
    # undated events last, as NULLs would sort, but with a value a cursor can hold
    "date": ("coalesce(e.date, '')", True, "date"),
    "type": ("e.type", False, "type"),
    "source": ("coalesce(s.name, '')", False, "source_name"),
    "target": ("coalesce(t.name, '')", False, "target_name"),
    "modality": ("e.modality", False, "modality"),
    "articles": ("e.num_articles", True, "num_articles"),
    "confidence": ("e.confidence", True, "confidence"),
}


def event_query(
    f: EventFilter,
    after: tuple[Any, str] | None = None,
    event_id: str | None = None,
    ordered: bool = True,
    order: str = "date",
) -> tuple[str, list[Any]]:
    """The filtered event query in ``order`` (``ORDERS``; newest first by default); ``after``
    is the (sort key, id) of the last row already seen, so a page starts right after it
    whatever was written since."""
    key, descending, _ = ORDERS[order]
    clauses, params = filter_clauses(f)
    if after is not None:
        beyond = "<" if descending else ">"
        clauses.append(f"({key} {beyond} ? OR ({key} = ? AND e.id > ?))")
        params += [after[0], after[0], after[1]]
    if event_id is not None:
        clauses.append("e.id = ?")
        params.append(event_id)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    sql = f"""
        SELECT {event_select()}
        FROM events e JOIN actors s ON s.id = e.source_id
        LEFT JOIN actors t ON t.id = e.target_id
        {where}"""
    if ordered:
        sql += f"\n        ORDER BY {key} {'DESC' if descending else 'ASC'}, e.id"
    return sql, params


def filter_clauses(f: EventFilter) -> tuple[list[str], list[Any]]:
    """The WHERE conditions of the filters, and their parameters."""
    clauses, params = [], []
    if f.actor:
        # Names compared without accents: "Erdogan" finds Erdoğan and "Erdoğan" Erdogan.
        clauses.append(
            "(e.source_id = ? OR e.target_id = ? OR strip_accents(s.name) ILIKE strip_accents(?) "
            "OR strip_accents(t.name) ILIKE strip_accents(?) OR s.code = ? OR t.code = ?)"
        )
        params += [
            f.actor,
            f.actor,
            f"%{f.actor}%",
            f"%{f.actor}%",
            f.actor.upper(),
            f.actor.upper(),
        ]
    if f.type:
        clauses.append("(e.type = ? OR e.plover = ?)")
        params += [f.type.upper(), f.type.upper()]
    if f.country:
        clauses.append("(s.country = ? OR t.country = ? OR e.location_country = ?)")
        params += [f.country.upper()] * 3
    if f.since:
        clauses.append("e.date >= ?")
        params.append(f.since.isoformat())
    if f.until:
        clauses.append("e.date <= ?")
        params.append(f.until.isoformat() + "~")  # week and month values sort inside the day
    if f.min_confidence:
        clauses.append("e.confidence >= ?")
        params.append(float(f.min_confidence))
    if f.modality:
        clauses.append("e.modality = ?")
        params.append(f.modality.lower())
    if f.quad_class:
        clauses.append("e.quad_class = ?")
        params.append(int(f.quad_class))
    if f.theatre:
        countries = theatre_countries(f.theatre)
        clauses.append(
            "(s.country IN (SELECT unnest(?)) OR t.country IN (SELECT unnest(?)) "
            "OR e.location_country IN (SELECT unnest(?)))"
        )
        params += [countries] * 3
    return clauses, params


def theatre_countries(theatre: str) -> list[str]:
    """The ISO3 codes a theatre's id or key names ("AZE+ARM 2020" -> AZE, ARM)."""
    return re.findall(r"\b[A-Z]{3}\b", theatre.upper()) or [theatre.upper()]


# Every actor with its mentions and the articles naming it, most mentioned first.
ACTORS_QUERY = """
    SELECT a.*, count(m.article_id) AS mentions, count(DISTINCT m.article_id) AS articles
    FROM actors a LEFT JOIN mentions m ON m.actor_id = a.id
    GROUP BY ALL ORDER BY mentions DESC, a.id"""


def ties_query(since: date | None, until: date | None) -> tuple[str, list[Any]]:
    """Events between two named actors, with both actors, the sentences and modalities of
    their reports and the countries those sentences name, for the alignment graph."""
    clauses, params = ["e.target_id IS NOT NULL", "NOT coalesce(e.target_implied, false)"], []
    if since:
        clauses.append("e.date >= ?")
        params.append(since.isoformat())
    if until:
        clauses.append("e.date <= ?")
        params.append(until.isoformat() + "~")
    return _TIES.format(where=" AND ".join(clauses)), params


_TIES = """
    WITH said AS (
        SELECT r.event_id, list(r.article_id ORDER BY r.article_id, r.sentence_start)
                   AS articles,
               list(r.sentence ORDER BY r.article_id, r.sentence_start) AS sentences,
               list(r.modality ORDER BY r.article_id, r.sentence_start) AS modalities
        FROM reports r GROUP BY r.event_id),
    named AS (
        SELECT r.event_id, list(a.country ORDER BY r.article_id, m.start_char) AS context
        FROM reports r
        JOIN mentions m ON m.article_id = r.article_id
             AND m.start_char >= r.sentence_start AND m.start_char < r.sentence_end
        JOIN actors a ON a.id = m.actor_id
        WHERE a.country IS NOT NULL
        GROUP BY r.event_id)
    SELECT e.id AS id, e.type AS type, e.mode AS mode, e.date AS date,
           e.modality AS modality, e.confidence AS confidence, e.num_articles AS articles,
           e.location_country AS location,
           s.id AS s_id, s.name AS s_name, s.country AS s_country, s.sector AS s_sector,
           s.kind AS s_kind, s.code AS s_code,
           t.id AS t_id, t.name AS t_name, t.country AS t_country, t.sector AS t_sector,
           t.kind AS t_kind, t.code AS t_code,
           said.articles AS report_articles, said.sentences AS sentences,
           said.modalities AS modalities, named.context AS context
    FROM events e JOIN actors s ON s.id = e.source_id JOIN actors t ON t.id = e.target_id
    LEFT JOIN said ON said.event_id = e.id LEFT JOIN named ON named.event_id = e.id
    WHERE {where}
    ORDER BY e.id"""
