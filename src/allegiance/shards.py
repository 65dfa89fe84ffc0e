"""Shards: a coded partition as one Parquet file, written by a cluster worker, loaded by the
client into the store.

One row per input of the partition, in input order: the input key, what the pipeline made of
it (a ``Rejected``, or an ``ArticleResult`` with its mentions and events as nested columns)
and the article's MinHash. The columns are typed and the records come back exactly as they
went in, so the store gets from a shard what it gets from a local run; the same typed columns
make the shards a data lake of their own (DuckDB: ``SELECT e.type, e.source.actor.code FROM
(SELECT unnest(events) AS e FROM read_parquet('shards/*.parquet'))``).

Needs pyarrow (the ``dask`` extra); only the cluster path imports this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from .records import (
    Actor,
    Article,
    ArticleResult,
    Event,
    EventActor,
    Mention,
    Place,
    Rejected,
    Removed,
    Span,
)

Coded = tuple[str, ArticleResult | Rejected, bytes | None]

_ACTOR = pa.struct(
    [
        ("id", pa.string()),
        ("name", pa.string()),
        ("country", pa.string()),
        ("sector", pa.string()),
        ("kind", pa.string()),
        ("office", pa.string()),
        ("cameo", pa.string()),
        ("code", pa.string()),  # derived (Actor.code), kept for queries on the shards
    ]
)
_EVENT_ACTOR = pa.struct(
    [("actor", _ACTOR), ("text", pa.string()), ("start", pa.int64()), ("end", pa.int64())]
)
_SPAN = pa.struct([("text", pa.string()), ("start", pa.int64()), ("end", pa.int64())])
_PLACE = pa.struct(
    [
        ("name", pa.string()),
        ("country", pa.string()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
    ]
)
_MENTION = pa.struct(
    [
        ("text", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("actor", _ACTOR),
        ("rule", pa.string()),
        ("is_place", pa.bool_()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
    ]
)
_EVENT = pa.struct(
    [
        ("type", pa.string()),
        ("mode", pa.string()),
        ("cameo", pa.string()),
        ("quad_class", pa.int64()),
        ("goldstein", pa.float64()),
        ("source", _EVENT_ACTOR),
        ("target", _EVENT_ACTOR),
        ("date", pa.string()),
        ("date_precision", pa.string()),
        ("date_text", pa.string()),
        ("location", _PLACE),
        ("modality", pa.string()),
        ("confidence", pa.float64()),
        ("sentence", pa.string()),
        ("sentence_start", pa.int64()),
        ("sentence_end", pa.int64()),
        ("trigger", _SPAN),
        ("plover", pa.string()),
    ]
)
_ARTICLE = pa.struct(
    [
        ("id", pa.string()),
        ("source", pa.string()),
        ("title", pa.string()),
        ("text", pa.string()),
        ("published", pa.date32()),
        ("language", pa.string()),
        (
            "removed",
            pa.list_(
                pa.struct([("text", pa.string()), ("reason", pa.string()), ("line", pa.int64())])
            ),
        ),
        ("external_id", pa.string()),
    ]
)
_REJECTED = pa.struct(
    [
        ("doc_id", pa.string()),
        ("source", pa.string()),
        ("stage", pa.string()),
        ("reason", pa.string()),
        ("detail", pa.string()),
    ]
)
SCHEMA = pa.schema(
    [
        ("position", pa.int64()),
        ("input", pa.string()),
        ("rejected", _REJECTED),
        ("article", _ARTICLE),
        ("mentions", pa.list_(_MENTION)),
        ("events", pa.list_(_EVENT)),
        ("minhash", pa.binary()),
    ]
)


# Records to rows ------------------------------------------------------------------------------
def to_table(items: Sequence[Coded]) -> pa.Table:
    """The Parquet table of a partition's coded items, in their order."""
    rows = [_row(n, key, result, signature) for n, (key, result, signature) in enumerate(items)]
    return pa.Table.from_pylist(rows, schema=SCHEMA)


def write(items: Sequence[Coded], fh: IO[bytes]) -> None:
    """Write a partition's coded items as Parquet to an open binary file."""
    pq.write_table(to_table(items), fh, compression="zstd")


def _row(n: int, key: str, result: ArticleResult | Rejected, signature: bytes | None) -> dict:
    if isinstance(result, Rejected):
        r = result
        rejected = {
            "doc_id": r.doc_id,
            "source": r.source,
            "stage": r.stage,
            "reason": r.reason,
            "detail": r.detail,
        }
        return {"position": n, "input": key, "rejected": rejected, "mentions": [], "events": []}
    a = result.article
    article = {
        "id": a.id,
        "source": a.source,
        "title": a.title,
        "text": a.text,
        "published": a.published,
        "language": a.language,
        "removed": [{"text": r.text, "reason": r.reason, "line": r.line} for r in a.removed],
        "external_id": a.external_id,
    }
    return {
        "position": n,
        "input": key,
        "article": article,
        "mentions": [_mention_row(m) for m in result.mentions],
        "events": [_event_row(e) for e in result.events],
        "minhash": signature,
    }


def _actor_row(a: Actor) -> dict[str, Any]:
    return {
        "id": a.id,
        "name": a.name,
        "country": a.country,
        "sector": a.sector,
        "kind": a.kind,
        "office": a.office,
        "cameo": a.cameo,
        "code": a.code,
    }


def _mention_row(m: Mention) -> dict[str, Any]:
    return {
        "text": m.text,
        "start": m.start,
        "end": m.end,
        "actor": _actor_row(m.actor),
        "rule": m.rule,
        "is_place": m.is_place,
        "lat": m.lat,
        "lon": m.lon,
    }


def _event_actor_row(e: EventActor | None) -> dict[str, Any] | None:
    if e is None:
        return None
    return {"actor": _actor_row(e.actor), "text": e.text, "start": e.start, "end": e.end}


def _event_row(e: Event) -> dict[str, Any]:
    loc = e.location
    return {
        "type": e.type,
        "mode": e.mode,
        "cameo": e.cameo,
        "quad_class": e.quad_class,
        "goldstein": e.goldstein,
        "source": _event_actor_row(e.source),
        "target": _event_actor_row(e.target),
        "date": e.date,
        "date_precision": e.date_precision,
        "date_text": e.date_text,
        "location": None
        if loc is None
        else {"name": loc.name, "country": loc.country, "lat": loc.lat, "lon": loc.lon},
        "modality": e.modality,
        "confidence": e.confidence,
        "sentence": e.sentence,
        "sentence_start": e.sentence_start,
        "sentence_end": e.sentence_end,
        "trigger": {"text": e.trigger.text, "start": e.trigger.start, "end": e.trigger.end},
        "plover": e.plover,
    }


# Rows to records ------------------------------------------------------------------------------
def read(fh: IO[bytes]) -> list[Coded]:
    """A shard's coded items, in input order, as the records the worker wrote."""
    table = pq.read_table(fh, schema=SCHEMA)
    rows = sorted(table.to_pylist(), key=lambda r: r["position"])
    return [(r["input"], _result(r), r["minhash"]) for r in rows]


def rows_in(fh: IO[bytes]) -> int:
    """How many items a shard holds, from its footer (raises if the file is not whole)."""
    return int(pq.read_metadata(fh).num_rows)


def _result(row: dict[str, Any]) -> ArticleResult | Rejected:
    if row["rejected"] is not None:
        return Rejected(**row["rejected"])
    a = row["article"]
    published: date | None = a["published"]
    article = Article(
        id=a["id"],
        source=a["source"],
        title=a["title"],
        text=a["text"],
        published=published,
        language=a["language"],
        removed=tuple(Removed(**r) for r in a["removed"]),
        external_id=a["external_id"],
    )
    return ArticleResult(
        article=article,
        mentions=tuple(_mention(m) for m in row["mentions"]),
        events=tuple(_event(e) for e in row["events"]),
    )


def _actor(d: dict[str, Any]) -> Actor:
    return Actor(**{k: v for k, v in d.items() if k != "code"})


def _mention(d: dict[str, Any]) -> Mention:
    return Mention(**{**d, "actor": _actor(d["actor"])})


def _event_actor(d: dict[str, Any] | None) -> EventActor | None:
    return None if d is None else EventActor(**{**d, "actor": _actor(d["actor"])})


def _event(d: dict[str, Any]) -> Event:
    source = _event_actor(d["source"])
    assert source is not None  # every event has a source; the schema allows null for target
    return Event(
        **{
            **d,
            "source": source,
            "target": _event_actor(d["target"]),
            "location": None if d["location"] is None else Place(**d["location"]),
            "trigger": Span(**d["trigger"]),
        }
    )
