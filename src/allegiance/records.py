"""Frozen records passed between the pipeline stages.

Every stage takes and returns these small values, never a spaCy ``Doc`` or a database
connection, so the same stage functions run in one process, a pool or a cluster.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


def content_id(text: str) -> str:
    """Return a short stable id for a text: the hash of its whitespace-normalised form."""
    normal = " ".join(text.split()).casefold()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Notice:
    """Something wrong with an input that did not stop it from being coded (a date that
    could not be read, say): stored beside the article and listed by ``allegiance rejects``
    as a warning."""

    stage: str
    reason: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class RawDoc:
    """One input document as read: text or HTML, plus what the source said about it."""

    id: str | None
    source: str
    text: str
    is_html: bool = False
    title: str | None = None
    published: date | None = None
    url: str | None = None  # where the article was published: a record's url, a feed link
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True, slots=True)
class Removed:
    """A line the cleaner dropped, and the rule that dropped it."""

    text: str
    reason: str
    line: int


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: the body text every later offset indexes."""

    id: str
    source: str
    title: str | None
    text: str
    published: date | None
    language: str
    removed: tuple[Removed, ...] = ()
    external_id: str | None = None  # the id the input gave, if any
    url: str | None = None
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input that a stage could not use, with a reason a person can act on."""

    doc_id: str | None
    source: str
    stage: str
    reason: str
    detail: str = ""

    @property
    def message(self) -> str:
        """One line: which input, what went wrong, and the likely fix."""
        return f"{self.source}: {self.reason}" + (f" ({self.detail})" if self.detail else "")


@dataclass(frozen=True, slots=True)
class Actor:
    """Who someone is: a canonical id, a country, a sector and the CAMEO-style code."""

    id: str
    name: str
    country: str | None
    sector: str | None
    kind: str = "unknown"  # country, person, igo, group, agent, org, unknown
    office: str | None = None
    cameo: str | None = None  # a code the knowledge base gives (IGOs), else derived

    def to_dict(self) -> dict[str, Any]:
        """The actor as every output gives it (extract, sides, the API)."""
        return {
            "id": self.id,
            "name": self.name,
            "country": self.country,
            "sector": self.sector,
            "code": self.code,
        }

    @property
    def code(self) -> str:
        """CAMEO-style code: country (or IGO) followed by the sector, e.g. ``RUSGOV``."""
        if self.cameo:
            return self.cameo
        if self.sector == "IGO":
            return "IGO"
        return (self.country or "") + (self.sector or "") or "UNK"


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of the article text that names an actor, and why it resolved as it did."""

    text: str
    start: int
    end: int
    actor: Actor
    rule: str
    is_place: bool = False
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """Where an event happened."""

    name: str
    country: str | None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class EventActor:
    """An actor as it takes part in one event: who it is and the words that named it."""

    actor: Actor
    text: str
    start: int
    end: int
    # Not named in the text but implied by PLOVER's conventions: the actor's own country as
    # the recipient of a domestic act (the span is then the source's words).
    implied: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.actor.to_dict(),
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "implied": self.implied,
        }


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the article text."""

    text: str
    start: int
    end: int


# How an event is told (``Event.modality``): in the reporter's voice, by a neutral source,
# claimed by an interested party, announced for later, denied, or only possible.
MODALITIES = ("asserted", "reported", "alleged", "planned", "negated", "hypothetical")


@dataclass(frozen=True, slots=True)
class Event:
    """One coded event: who did what to whom, when, where, how sure, and from which words."""

    type: str
    mode: str | None
    cameo: str
    quad_class: int
    goldstein: float
    source: EventActor
    target: EventActor | None
    date: str | None
    date_precision: str
    date_text: str | None
    location: Place | None
    modality: str
    confidence: float
    sentence: str
    sentence_start: int
    sentence_end: int
    trigger: Span
    # The type under PLOVER's coding conventions (events.plover.plover_view); None for the
    # converse of a visit or meeting, for an act in a clause below the sentence's main act
    # (events.plover.main_acts), and for aid, cooperation or a sanction without a recipient,
    # which PLOVER does not code.
    plover: str | None
    # How the extractor read it: the construction that saw the trigger and the overrides that
    # changed its type, e.g. "verb; override: protesters riot" (events.constructions,
    # events.overrides). Left out of ``to_dict`` unless asked for.
    rule: str = ""

    def to_dict(self, explain: bool = False) -> dict[str, Any]:
        """The event as JSON-ready values; ``explain`` adds the ``rule`` that read it."""
        out: dict[str, Any] = {
            "type": self.type,
            "mode": self.mode,
            "cameo": self.cameo,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "source": self.source.to_dict(),
            "target": self.target.to_dict() if self.target else None,
            "date": self.date,
            "date_precision": self.date_precision,
            "date_text": self.date_text,
            "location": asdict(self.location) if self.location else None,
            "modality": self.modality,
            "confidence": round(self.confidence, 3),
            "sentence": self.sentence,
            "sentence_start": self.sentence_start,
            "sentence_end": self.sentence_end,
            "trigger": asdict(self.trigger),
            "plover": self.plover,
        }
        if explain:
            out["rule"] = self.rule
        return out


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """Everything extracted from one article."""

    article: Article
    mentions: tuple[Mention, ...] = ()
    events: tuple[Event, ...] = field(default_factory=tuple)

    def actors(self) -> list[dict[str, Any]]:
        """The distinct actors with their mentions, in order of first mention."""
        grouped: dict[str, dict[str, Any]] = {}
        for m in self.mentions:
            if m.is_place:
                continue
            entry = grouped.setdefault(m.actor.id, {**m.actor.to_dict(), "mentions": []})
            entry["mentions"].append({"text": m.text, "start": m.start, "end": m.end})
        return list(grouped.values())

    def to_dict(self, record_id: str | None = None, explain: bool = False) -> dict[str, Any]:
        """The article, its actors and events; ``explain`` adds each event's ``rule``."""
        art = self.article
        return {
            "id": record_id if record_id is not None else (art.external_id or art.id),
            "title": art.title,
            "published": art.published.isoformat() if art.published else None,
            "url": art.url,
            "language": art.language,
            "text": art.text,
            "removed": [asdict(r) for r in art.removed],
            "actors": self.actors(),
            "events": [e.to_dict(explain) for e in self.events],
            "warnings": [f"{n.reason}: {n.detail}" for n in art.notices],
            "error": None,
        }


def event_id(event: Event) -> str:
    """Events are the same event when type, actors and date agree, whichever article says so
    (the store's key of an event, and the alignment graph's)."""
    key = "|".join(
        [
            event.type,
            event.source.actor.id,
            event.target.actor.id if event.target else "",
            event.date or "",
        ]
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
