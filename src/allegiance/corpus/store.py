"""Store: the corpus in one DuckDB file. All SQL lives here.

Tables: ``articles`` (one row per distinct text, id = hash of the normalised text; near
duplicates point at their first copy), ``inputs`` (every input already read, so a restarted
run skips it), ``rejects`` (input, stage, reason), ``actors``, ``mentions``, ``events`` (one
row per distinct event: type, actors and date, with GDELT-style mention, article and source
counts) and ``reports`` (each sentence that reported an event). A batch of articles is
written in one transaction: a run killed at any moment leaves whole batches only, and running
the same command again ends with the same tables as an uninterrupted run.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from ..errors import AllegianceError
from ..records import Actor, Article, ArticleResult, Event, Mention, Rejected, event_id
from . import schema
from .queries import EventFilter
from .schema import EVENT_COLUMNS, MIGRATIONS, SCHEMA_VERSION
from .views import StoreViews

__all__ = ["EVENT_COLUMNS", "SCHEMA_VERSION", "EventFilter", "Store", "StoreError", "event_id"]

# What a DuckDB database file holds at bytes 8-11; any other existing file is not a store.
_DUCKDB_MAGIC = b"DUCK"

# Rows per INSERT statement.
_ROWS_PER_INSERT = 500


class StoreError(AllegianceError):
    code = "A400"


@dataclass(frozen=True, slots=True)
class Stored:
    """What writing one result did: stored, duplicate (exact or near) or rejected."""

    status: str
    article_id: str | None = None
    events: int = 0


class Store(StoreViews):
    """A DuckDB file with the corpus; open with ``Store.open(path)``, close when done."""

    con: duckdb.DuckDBPyConnection
    path: str
    _seq: int

    @classmethod
    def open(cls, path: str | Path, read_only: bool = False) -> Store:
        """Open (creating and migrating if needed) a store.

        Raises:
            StoreError: the file is not a DuckDB database or is locked by another process.
        """
        _check_file(Path(path))
        try:
            con = duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open the store {path}: {_one_line(exc)}") from exc
        try:
            return cls._opened(con, path, read_only)
        except StoreError:
            con.close()
            raise
        except duckdb.Error as exc:
            con.close()
            raise StoreError(
                f"cannot use the store {path}: {_one_line(exc)}; if the file is damaged, "
                "ingest again into a new store"
            ) from exc

    @classmethod
    def _opened(cls, con: duckdb.DuckDBPyConnection, path: str | Path, read_only: bool) -> Store:
        store = cls.__new__(cls)
        store.con, store.path = con, str(path)
        if store._version() == 0 and store._has_tables():
            raise StoreError(
                f"{path} is a DuckDB database of another program, not an allegiance store; "
                "give --db a new file name"
            )
        if not read_only:
            store._migrate()
        elif (version := store._version()) == 0:
            raise StoreError(f"{path} has no allegiance tables; run `allegiance ingest` first")
        elif version < SCHEMA_VERSION:
            # a store written by an older allegiance: upgrade it once, then read as asked
            con.close()
            cls.open(path).close()
            return cls.open(path, read_only=True)
        store._seq = store._scalar("SELECT coalesce(max(seq), 0) FROM articles") or 0
        return store

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Schema ------------------------------------------------------------------------------
    def _has_tables(self) -> bool:
        return bool(self._scalar("SELECT count(*) FROM information_schema.tables"))

    def _migrate(self) -> None:
        current = self._version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer allegiance "
                f"(schema {current}); upgrade allegiance to read it"
            )
        if current == 0:  # a new store: its tables as the schema lists them
            self._set_version(schema.create_all(), SCHEMA_VERSION)
            return
        for version in range(current + 1, SCHEMA_VERSION + 1):
            self._set_version(MIGRATIONS[version - 1], version)

    def _set_version(self, ddl: str, version: int) -> None:
        self.con.execute("BEGIN TRANSACTION")
        self.con.execute(ddl)
        self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(version)])
        self.con.execute("COMMIT")

    # Reading what is there ------------------------------------------------------------------
    def seen(self, inputs: Iterable[str]) -> set[str]:
        """Which of these inputs a run already read (stored, duplicated or rejected)."""
        keys = list(inputs)
        if not keys:
            return set()
        rows = self.con.execute(
            "SELECT input FROM inputs WHERE input IN (SELECT unnest(?))", [keys]
        ).fetchall()
        return {r[0] for r in rows}

    def copies_of(self, contents: Iterable[str]) -> dict[str, str]:
        """The stored article of each of these raw-text hashes that an earlier input had."""
        hashes = sorted(set(contents))
        if not hashes:
            return {}
        rows = self.con.execute(
            "SELECT content, any_value(article_id) FROM inputs WHERE content IN "
            "(SELECT unnest(?)) AND article_id IS NOT NULL GROUP BY content",
            [hashes],
        ).fetchall()
        return {r[0]: r[1] for r in rows}

    def record_copies(self, rows: Sequence[tuple[str, str, str]]) -> None:
        """Record (input, article id, raw-text hash) inputs as duplicates, uncoded."""
        self._insert_many(
            schema.INPUTS,
            [
                schema.INPUTS.row(input=k, article_id=a, status="duplicate", content=c)
                for k, a, c in rows
            ],
        )

    def remember_contents(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Note the raw-text hash of inputs just stored, (input, hash) each."""
        if pairs:
            self.con.executemany(
                "UPDATE inputs SET content = ? WHERE input = ?", [(c, k) for k, c in pairs]
            )

    def shift_keys(self) -> set[str]:
        """The keys of the shifts already reported (``watch``)."""
        return {r[0] for r in self.con.execute("SELECT key FROM shifts").fetchall()}

    def add_shifts(self, rows: list[tuple[str, str, str, str, str]]) -> None:
        """Record reported shifts: (key, after, country, record as JSON, when noticed)."""
        if rows:
            self._insert_many(schema.SHIFTS, rows)

    def event_count(self) -> int:
        """Distinct events stored (as ``stats`` counts them)."""
        return int(self._scalar("SELECT count(*) FROM events"))

    def has_article(self, article_id: str) -> bool:
        return bool(self._scalar("SELECT count(*) FROM articles WHERE id = ?", [article_id]))

    def partition_items(self, shard: str) -> int | None:
        """How many items a cluster shard of this name held, if it was loaded already."""
        value = self._scalar("SELECT items FROM partitions WHERE shard = ?", [shard])
        return None if value is None else int(value)

    def partition_loaded(self, shard: str, items: int, label: str) -> None:
        """Record a cluster shard as loaded, after all its batches were written; drop what
        an earlier run recorded for the same partition failing (its ``label`` in ``inputs``
        and ``rejects``)."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute("DELETE FROM rejects WHERE input = ?", [label])
            self.con.execute("DELETE FROM inputs WHERE input = ?", [label])
            self.con.execute("INSERT OR REPLACE INTO partitions VALUES (?, ?)", [shard, items])
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    def minhashes(self) -> Iterator[tuple[str, bytes]]:
        """(article id, MinHash bytes) of first copies, in the order they were stored."""
        cur = self.con.execute(
            "SELECT id, minhash FROM articles WHERE duplicate_of IS NULL "
            "AND minhash IS NOT NULL ORDER BY seq"
        )
        while rows := cur.fetchmany(1000):
            yield from ((r[0], bytes(r[1])) for r in rows)

    # Writing a batch ------------------------------------------------------------------------
    def write_batch(
        self, items: Sequence[tuple[str, ArticleResult | Rejected, bytes | None, str | None]]
    ) -> list[Stored]:
        """Write (input, result, minhash, near-duplicate-of) items in one transaction.

        Rows are gathered per table and inserted in bulk: a row at a time, DuckDB would be
        slower than the parse it stores.
        """
        rows = _Rows()
        out = [
            self._gather(key, result, minhash, near, rows) for key, result, minhash, near in items
        ]
        self.con.execute("BEGIN TRANSACTION")
        try:
            for table in schema.WRITTEN:
                self._insert_many(table, rows.of(table))
            self._recount({r[0] for r in rows.of(schema.REPORTS)})
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise
        return out

    def _gather(
        self,
        input_key: str,
        result: ArticleResult | Rejected,
        minhash: bytes | None,
        near: str | None,
        rows: _Rows,
    ) -> Stored:
        if isinstance(result, Rejected):
            rows.put(
                schema.REJECTS,
                input=input_key,
                stage=result.stage,
                reason=result.reason,
                detail=result.detail,
                level="error",
            )
            rows.put(
                schema.INPUTS, input=input_key, article_id=None, status="rejected", content=None
            )
            return Stored("rejected")
        art = result.article
        for notice in art.notices:
            rows.put(
                schema.REJECTS,
                input=input_key,
                stage=notice.stage,
                reason=notice.reason,
                detail=notice.detail,
                level="warning",
            )
        if art.id in rows.articles or self.has_article(art.id):
            rows.put(
                schema.INPUTS,
                input=input_key,
                article_id=art.id,
                status="duplicate",
                content=None,
            )
            return Stored("duplicate", art.id)
        rows.articles.add(art.id)
        self._seq += 1
        rows.put(schema.ARTICLES, **_article_row(art, near, minhash, self._seq))
        status = "near-duplicate" if near else "stored"
        rows.put(schema.INPUTS, input=input_key, article_id=art.id, status=status, content=None)
        _gather_mentions(rows, art.id, result.mentions)
        if near:
            return Stored("near-duplicate", art.id)
        for ev in result.events:
            _gather_event(rows, ev, art.id, art.url or art.source)
        return Stored("stored", art.id, len(result.events))

    def _insert_many(self, table: schema.Table, rows: list[tuple[Any, ...]]) -> None:
        """INSERT OR IGNORE rows in statements of at most _ROWS_PER_INSERT rows."""
        if not rows:
            return
        columns = ", ".join(table.names)
        one = "(" + ", ".join(["?"] * len(table.names)) + ")"
        for i in range(0, len(rows), _ROWS_PER_INSERT):
            chunk = rows[i : i + _ROWS_PER_INSERT]
            params = [v for row in chunk for v in row]
            self.con.execute(
                f"INSERT OR IGNORE INTO {table.name} ({columns}) VALUES "
                + ", ".join([one] * len(chunk)),
                params,
            )

    def _recount(self, event_ids: set[str]) -> None:
        """GDELT-style counts: reports (mentions), articles, and distinct sources."""
        if not event_ids:
            return
        self.con.execute(
            """
            UPDATE events SET num_mentions = c.m, num_articles = c.a, num_sources = c.s,
                confidence = c.conf
            FROM (SELECT r.event_id, count(*) AS m, count(DISTINCT r.article_id) AS a,
                         count(DISTINCT art.source) AS s, max(r.confidence) AS conf
                  FROM reports r JOIN articles art ON art.id = r.article_id
                  WHERE r.event_id IN (SELECT unnest(?)) GROUP BY r.event_id) AS c
            WHERE events.id = c.event_id
            """,
            [sorted(event_ids)],
        )

    # Re-coding ------------------------------------------------------------------------------
    def article_ids(self) -> list[str]:
        """Every stored article's id, in the order they were stored."""
        return [r[0] for r in self.con.execute("SELECT id FROM articles ORDER BY seq").fetchall()]

    def stored_articles(self, ids: Sequence[str]) -> list[tuple[Article, bool]]:
        """(article as stored, whether it is a near-duplicate) for these ids, in their order:
        the body the stored offsets index, so ``recode`` parses exactly it again."""
        rows = self.con.execute(
            "SELECT id, source, title, text, published, language, external_id, url, "
            "duplicate_of IS NOT NULL FROM articles WHERE id IN (SELECT unnest(?))",
            [list(ids)],
        ).fetchall()
        found = {
            r[0]: (
                Article(
                    id=r[0],
                    source=r[1],
                    title=r[2],
                    text=r[3],
                    published=r[4],
                    language=r[5] or "en",
                    external_id=r[6],
                    url=r[7],
                ),
                bool(r[8]),
            )
            for r in rows
        }
        return [found[i] for i in ids if i in found]

    def replace_coding(self, results: Sequence[tuple[ArticleResult, bool]]) -> None:
        """Replace the mentions, events and reports of stored articles with a new coding of
        them (``recode``), in one transaction: the articles keep their ids and rows; an event
        or actor the new coding writes replaces its old row; events left without a report
        are removed by ``finish_recoding``."""
        rows = _Rows()
        for result, near in results:
            art = result.article
            _gather_mentions(rows, art.id, result.mentions)
            if not near:  # a near-duplicate's events are its first copy's
                for ev in result.events:
                    _gather_event(rows, ev, art.id, art.url or art.source)
        articles = [r.article.id for r, _ in results]
        events = [row[0] for row in rows.of(schema.EVENTS)]
        actors = [row[0] for row in rows.of(schema.ACTORS)]
        self.con.execute("BEGIN TRANSACTION")
        try:
            for table, column, keys in (
                ("mentions", "article_id", articles),
                ("reports", "article_id", articles),
                ("events", "id", events),
                ("actors", "id", actors),
            ):
                self.con.execute(
                    f"DELETE FROM {table} WHERE {column} IN (SELECT unnest(?))", [keys]
                )
            for table in (schema.ACTORS, schema.MENTIONS, schema.EVENTS, schema.REPORTS):
                self._insert_many(table, rows.of(table))
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    def finish_recoding(self) -> None:
        """After ``replace_coding`` of every article: drop events no report holds any more
        and actors nothing names, point each event at its first reporting article, and count
        every event's reports again."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute(
                "DELETE FROM events WHERE id NOT IN (SELECT DISTINCT event_id FROM reports)"
            )
            self.con.execute(
                """DELETE FROM actors WHERE id NOT IN (
                       SELECT actor_id FROM mentions UNION SELECT source_id FROM events
                       UNION SELECT target_id FROM events WHERE target_id IS NOT NULL)"""
            )
            self.con.execute(
                """UPDATE events SET first_article = f.article_id,
                       first_source = coalesce(f.url, f.source)
                   FROM (SELECT r.event_id, arg_min(r.article_id, a.seq) AS article_id,
                                arg_min(a.url, a.seq) AS url, arg_min(a.source, a.seq) AS source
                         FROM reports r JOIN articles a ON a.id = r.article_id
                         GROUP BY r.event_id) AS f
                   WHERE events.id = f.event_id"""
            )
            ids = {r[0] for r in self.con.execute("SELECT id FROM events").fetchall()}
            self._recount(ids)
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    # Queries ----------------------------------------------------------------------------------


def _check_file(path: Path) -> None:
    """Refuse a path that exists but is not a DuckDB file: DuckDB would open some of them
    (a .jsonl, say) as an empty database in memory, and what is written there is lost."""
    if path.is_dir():
        raise StoreError(f"{path} is a folder; give --db a file name such as corpus.duckdb")
    if not path.exists():
        return
    try:
        with path.open("rb") as fh:
            head = fh.read(12)
    except OSError as exc:
        raise StoreError(f"cannot read the store {path}: {exc.strerror or exc}") from exc
    if head[8:12] != _DUCKDB_MAGIC:
        what = "is empty" if not head else "is not a DuckDB database"
        raise StoreError(
            f"{path} exists and {what}, so it is not an allegiance store; give --db a new "
            "file name or an existing store"
        )


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


class _Rows:
    """The rows of one batch by table, the first row of each key kept (INSERT OR IGNORE
    would keep it too), and the articles the batch holds so far."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[tuple[Any, ...], tuple[Any, ...]]] = {
            t.name: {} for t in schema.WRITTEN
        }
        self.articles: set[str] = set()

    def put(self, table: schema.Table, **values: Any) -> None:
        row = table.row(**values)
        self.tables[table.name].setdefault(table.key_of(row), row)

    def of(self, table: schema.Table) -> list[tuple[Any, ...]]:
        return list(self.tables[table.name].values())


def actor_row(actor: Actor) -> dict[str, Any]:
    """An actor as the ``actors`` table holds it."""
    return {**actor.to_dict(), "kind": actor.kind}


def _article_row(art: Article, near: str | None, minhash: bytes | None, seq: int) -> dict[str, Any]:
    return {
        "id": art.id,
        "external_id": art.external_id,
        "source": art.source,
        "title": art.title,
        "published": art.published,
        "language": art.language,
        "text": art.text,
        "words": len(art.text.split()),
        "duplicate_of": near,
        "minhash": minhash,
        "seq": seq,
        "url": art.url,
    }


def _gather_mentions(rows: _Rows, article_id: str, mentions: Sequence[Mention]) -> None:
    """The rows of an article's mentions and of the actors they name."""
    for m in mentions:
        rows.put(schema.ACTORS, **actor_row(m.actor))
        rows.put(
            schema.MENTIONS,
            article_id=article_id,
            actor_id=m.actor.id,
            text=m.text,
            start_char=m.start,
            end_char=m.end,
            rule=m.rule,
            is_place=m.is_place,
        )


def _gather_event(rows: _Rows, ev: Event, article_id: str, first_source: str) -> None:
    """The rows of one event: the event (its counts filled by ``_recount``), its actors and
    the sentence that reports it."""
    eid = event_id(ev)
    loc = ev.location
    rows.put(
        schema.EVENTS,
        id=eid,
        type=ev.type,
        mode=ev.mode,
        plover=ev.plover,
        cameo=ev.cameo,
        quad_class=ev.quad_class,
        goldstein=ev.goldstein,
        source_id=ev.source.actor.id,
        target_id=ev.target.actor.id if ev.target else None,
        date=ev.date,
        date_precision=ev.date_precision,
        location_name=loc.name if loc else None,
        location_country=loc.country if loc else None,
        lat=loc.lat if loc else None,
        lon=loc.lon if loc else None,
        modality=ev.modality,
        confidence=ev.confidence,
        num_mentions=0,
        num_articles=0,
        num_sources=0,
        first_article=article_id,
        first_source=first_source,
        target_implied=bool(ev.target and ev.target.implied),
    )
    for arg in (ev.source, ev.target):
        if arg is not None:
            rows.put(schema.ACTORS, **actor_row(arg.actor))
    target = ev.target
    rows.put(
        schema.REPORTS,
        event_id=eid,
        article_id=article_id,
        sentence=ev.sentence,
        sentence_start=ev.sentence_start,
        sentence_end=ev.sentence_end,
        trigger_text=ev.trigger.text,
        trigger_start=ev.trigger.start,
        source_text=ev.source.text,
        source_start=ev.source.start,
        target_text=target.text if target else None,
        target_start=target.start if target else None,
        modality=ev.modality,
        confidence=ev.confidence,
        rule=ev.rule,
    )
