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

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from ..errors import AllegianceError
from ..hygiene import sql_cell
from ..records import ArticleResult, Event, Rejected

SCHEMA_VERSION = 4

# Each migration takes the schema from version n-1 to n; they run in order, once.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
    CREATE TABLE articles (
        id VARCHAR PRIMARY KEY, external_id VARCHAR, source VARCHAR, title VARCHAR,
        published DATE, language VARCHAR, text VARCHAR, words INTEGER,
        duplicate_of VARCHAR, minhash BLOB, seq BIGINT);
    CREATE TABLE inputs (input VARCHAR PRIMARY KEY, article_id VARCHAR, status VARCHAR);
    CREATE TABLE rejects (input VARCHAR, stage VARCHAR, reason VARCHAR, detail VARCHAR,
        PRIMARY KEY (input, stage, reason));
    CREATE TABLE actors (id VARCHAR PRIMARY KEY, name VARCHAR, country VARCHAR,
        sector VARCHAR, code VARCHAR, kind VARCHAR);
    CREATE TABLE mentions (article_id VARCHAR, actor_id VARCHAR, text VARCHAR,
        start_char INTEGER, end_char INTEGER, rule VARCHAR, is_place BOOLEAN,
        PRIMARY KEY (article_id, start_char, end_char));
    CREATE TABLE events (id VARCHAR PRIMARY KEY, type VARCHAR, mode VARCHAR, plover VARCHAR,
        cameo VARCHAR, quad_class INTEGER, goldstein DOUBLE,
        source_id VARCHAR, target_id VARCHAR, date VARCHAR, date_precision VARCHAR,
        location_name VARCHAR, location_country VARCHAR, lat DOUBLE, lon DOUBLE,
        modality VARCHAR, confidence DOUBLE, num_mentions INTEGER, num_articles INTEGER,
        num_sources INTEGER, first_article VARCHAR, first_source VARCHAR);
    CREATE TABLE reports (event_id VARCHAR, article_id VARCHAR, sentence VARCHAR,
        sentence_start INTEGER, sentence_end INTEGER, trigger_text VARCHAR,
        trigger_start INTEGER, source_text VARCHAR, source_start INTEGER,
        target_text VARCHAR, target_start INTEGER, modality VARCHAR, confidence DOUBLE,
        PRIMARY KEY (event_id, article_id, sentence_start, trigger_start));
    """,
    # 2: the cluster path's shards already loaded, so a re-run does not code them again.
    """
    CREATE TABLE partitions (shard VARCHAR PRIMARY KEY, items INTEGER);
    """,
    # 3: a recipient PLOVER's conventions imply (a domestic act's own country) is kept apart
    # from one the text names, so the alignment graph can leave it out.
    """
    ALTER TABLE events ADD COLUMN target_implied BOOLEAN DEFAULT false;
    """,
    # 4: the article's own URL (a record's url, a feed item's link, the fetched page), and
    # warnings beside rejects: an input coded despite a problem (a date that cannot be read).
    """
    ALTER TABLE articles ADD COLUMN url VARCHAR;
    ALTER TABLE rejects ADD COLUMN level VARCHAR DEFAULT 'error';
    """,
)
# What a DuckDB database file holds at bytes 8-11; any other existing file is not a store.
_DUCKDB_MAGIC = b"DUCK"

EVENT_COLUMNS = (
    "id",
    "type",
    "mode",
    "plover",
    "cameo",
    "quad_class",
    "goldstein",
    "source_id",
    "source_name",
    "source_country",
    "source_sector",
    "source_code",
    "target_id",
    "target_name",
    "target_country",
    "target_sector",
    "target_code",
    "date",
    "date_precision",
    "location_name",
    "location_country",
    "lat",
    "lon",
    "modality",
    "confidence",
    "num_mentions",
    "num_articles",
    "num_sources",
    "first_article",
    "first_source",
)


# Primary-key columns of each table, in the order rows are written (parents first).
_KEYS: dict[str, tuple[int, ...]] = {
    "rejects": (0, 1, 2),
    "inputs": (0,),
    "articles": (0,),
    "actors": (0,),
    "mentions": (0, 3, 4),
    "events": (0,),
    "reports": (0, 1, 3, 6),
}
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


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Filters of ``allegiance events`` and ``export``."""

    actor: str | None = None
    type: str | None = None
    country: str | None = None
    since: date | None = None
    until: date | None = None


def event_id(event: Event) -> str:
    """Events are the same event when type, actors and date agree, whichever article says so."""
    key = "|".join(
        [
            event.type,
            event.source.actor.id,
            event.target.actor.id if event.target else "",
            event.date or "",
        ]
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


class Store:
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

    def _version(self) -> int:
        tables = {
            r[0]
            for r in self.con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
        if "meta" not in tables:
            return 0
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        current = self._version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer allegiance "
                f"(schema {current}); upgrade allegiance to read it"
            )
        for version in range(current + 1, SCHEMA_VERSION + 1):
            self.con.execute("BEGIN TRANSACTION")
            self.con.execute(MIGRATIONS[version - 1])
            self.con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(version)]
            )
            self.con.execute("COMMIT")

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.con.execute(sql, list(params)).fetchone()
        return row[0] if row else None

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
        rows: dict[str, dict[tuple[Any, ...], tuple[Any, ...]]] = {t: {} for t in _KEYS}
        out: list[Stored] = []
        batch_articles: set[str] = set()
        for input_key, result, minhash, near in items:
            out.append(self._gather(input_key, result, minhash, near, rows, batch_articles))
        self.con.execute("BEGIN TRANSACTION")
        try:
            for table in _KEYS:
                self._insert_many(table, list(rows[table].values()))
            self._recount({r[0] for r in rows["reports"].values()})
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
        rows: dict[str, dict[tuple[Any, ...], tuple[Any, ...]]],
        batch_articles: set[str],
    ) -> Stored:
        def put(table: str, row: tuple[Any, ...]) -> None:
            rows[table].setdefault(tuple(row[i] for i in _KEYS[table]), row)

        if isinstance(result, Rejected):
            put("rejects", (input_key, result.stage, result.reason, result.detail, "error"))
            put("inputs", (input_key, None, "rejected"))
            return Stored("rejected")
        art = result.article
        for notice in art.notices:
            put("rejects", (input_key, notice.stage, notice.reason, notice.detail, "warning"))
        if art.id in batch_articles or self.has_article(art.id):
            put("inputs", (input_key, art.id, "duplicate"))
            return Stored("duplicate", art.id)
        batch_articles.add(art.id)
        self._seq += 1
        put(
            "articles",
            (
                art.id,
                art.external_id,
                art.source,
                art.title,
                art.published,
                art.language,
                art.text,
                len(art.text.split()),
                near,
                minhash,
                self._seq,
                art.url,
            ),
        )
        put("inputs", (input_key, art.id, "near-duplicate" if near else "stored"))
        for m in result.mentions:
            a = m.actor
            put("actors", (a.id, a.name, a.country, a.sector, a.code, a.kind))
            put("mentions", (art.id, a.id, m.text, m.start, m.end, m.rule, m.is_place))
        if near:
            return Stored("near-duplicate", art.id)
        for ev in result.events:
            eid = event_id(ev)
            loc = ev.location
            put(
                "events",
                (
                    eid,
                    ev.type,
                    ev.mode,
                    ev.plover,
                    ev.cameo,
                    ev.quad_class,
                    ev.goldstein,
                    ev.source.actor.id,
                    ev.target.actor.id if ev.target else None,
                    ev.date,
                    ev.date_precision,
                    loc.name if loc else None,
                    loc.country if loc else None,
                    loc.lat if loc else None,
                    loc.lon if loc else None,
                    ev.modality,
                    ev.confidence,
                    0,
                    0,
                    0,
                    art.id,
                    art.url or art.source,
                    bool(ev.target and ev.target.implied),
                ),
            )
            for arg in (ev.source, ev.target):
                if arg is not None:
                    a = arg.actor
                    put("actors", (a.id, a.name, a.country, a.sector, a.code, a.kind))
            put(
                "reports",
                (
                    eid,
                    art.id,
                    ev.sentence,
                    ev.sentence_start,
                    ev.sentence_end,
                    ev.trigger.text,
                    ev.trigger.start,
                    ev.source.text,
                    ev.source.start,
                    ev.target.text if ev.target else None,
                    ev.target.start if ev.target else None,
                    ev.modality,
                    ev.confidence,
                ),
            )
        return Stored("stored", art.id, len(result.events))

    def _insert_many(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        """INSERT OR IGNORE rows in statements of at most _ROWS_PER_INSERT rows."""
        if not rows:
            return
        width = len(rows[0])
        for i in range(0, len(rows), _ROWS_PER_INSERT):
            chunk = rows[i : i + _ROWS_PER_INSERT]
            values = ", ".join(["(" + ", ".join(["?"] * width) + ")"] * len(chunk))
            params = [v for row in chunk for v in row]
            self.con.execute(f"INSERT OR IGNORE INTO {table} VALUES {values}", params)

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

    # Queries ----------------------------------------------------------------------------------
    def events(
        self, where: EventFilter | None = None, limit: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """Events with their actors, filtered, newest first."""
        sql, params = _event_query(where or EventFilter())
        if limit:
            sql += f" LIMIT {int(limit)}"
        cur = self.con.execute(sql, params)
        names = [d[0] for d in cur.description]
        while rows := cur.fetchmany(1000):
            for row in rows:
                yield dict(zip(names, row, strict=True))

    def ties(self, since: date | None = None, until: date | None = None) -> list[dict[str, Any]]:
        """Events between two actors with both actors' records, the sentences that report
        them and the countries those sentences name (the alignment graph's input)."""
        clauses, params = ["e.target_id IS NOT NULL", "NOT coalesce(e.target_implied, false)"], []
        if since:
            clauses.append("e.date >= ?")
            params.append(since.isoformat())
        if until:
            clauses.append("e.date <= ?")
            params.append(until.isoformat() + "~")
        cur = self.con.execute(
            f"""
            WITH said AS (
                SELECT r.event_id, list(r.article_id ORDER BY r.article_id, r.sentence_start)
                           AS articles,
                       list(r.sentence ORDER BY r.article_id, r.sentence_start) AS sentences,
                       list(r.modality ORDER BY r.article_id, r.sentence_start) AS modalities
                FROM reports r GROUP BY r.event_id),
            named AS (
                SELECT r.event_id, list(a.country ORDER BY r.article_id, m.start_char)
                           AS context
                FROM reports r
                JOIN mentions m ON m.article_id = r.article_id
                     AND m.start_char >= r.sentence_start AND m.start_char < r.sentence_end
                JOIN actors a ON a.id = m.actor_id
                WHERE a.country IS NOT NULL
                GROUP BY r.event_id)
            SELECT e.id, e.type, e.mode, e.date, e.modality, e.confidence, e.num_articles,
                   e.location_country,
                   s.id, s.name, s.country, s.sector, s.kind, s.code,
                   t.id, t.name, t.country, t.sector, t.kind, t.code,
                   said.articles, said.sentences, said.modalities, named.context
            FROM events e JOIN actors s ON s.id = e.source_id JOIN actors t ON t.id = e.target_id
            LEFT JOIN said ON said.event_id = e.id LEFT JOIN named ON named.event_id = e.id
            WHERE {" AND ".join(clauses)}
            ORDER BY e.id""",
            params,
        )
        names = [
            "id", "type", "mode", "date", "modality", "confidence", "articles", "location",
            "s_id", "s_name", "s_country", "s_sector", "s_kind", "s_code",
            "t_id", "t_name", "t_country", "t_sector", "t_kind", "t_code",
            "report_articles", "sentences", "modalities", "context",
        ]  # fmt: skip
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def rejects(self) -> list[dict[str, Any]]:
        """Inputs that could not be used (level ``error``) and inputs coded despite a
        problem (level ``warning``)."""
        cur = self.con.execute(
            "SELECT input, level, stage, reason, detail FROM rejects ORDER BY input, stage, reason"
        )
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def actors(self) -> list[dict[str, Any]]:
        cur = self.con.execute(
            """SELECT a.*, count(m.article_id) AS mentions, count(DISTINCT m.article_id) AS articles
               FROM actors a LEFT JOIN mentions m ON m.actor_id = a.id
               GROUP BY ALL ORDER BY mentions DESC, a.id"""
        )
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def stats(self) -> dict[str, Any]:
        q = self._scalar
        return {
            "articles": q("SELECT count(*) FROM articles WHERE duplicate_of IS NULL"),
            "near_duplicates": q("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"),
            "exact_duplicates": q("SELECT count(*) FROM inputs WHERE status = 'duplicate'"),
            "rejects": q("SELECT count(*) FROM rejects WHERE level = 'error'"),
            "warnings": q("SELECT count(*) FROM rejects WHERE level = 'warning'"),
            "actors": q("SELECT count(*) FROM actors"),
            "events": q("SELECT count(*) FROM events"),
            "reports": q("SELECT count(*) FROM reports"),
            "first_date": str(q("SELECT min(published) FROM articles") or ""),
            "last_date": str(q("SELECT max(published) FROM articles") or ""),
            "schema_version": self._version(),
        }

    # Queries for the HTTP API ------------------------------------------------------------
    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def events_page(
        self, where: EventFilter, limit: int, after: tuple[str, str] | None = None
    ) -> tuple[list[dict[str, Any]], tuple[str, str] | None]:
        """One page of filtered events and the sort key to pass as ``after`` for the next
        (None on the last page). Keyset paging: as fast on page 1,000 as on page 1."""
        sql, params = _event_query(where, after)
        rows = self._rows(f"{sql} LIMIT {int(limit) + 1}", params)
        more = len(rows) > limit
        rows = rows[:limit]
        last = rows[-1] if more else None
        return rows, ((last["date"] or "", last["id"]) if last else None)

    def count_events(self, where: EventFilter) -> int:
        sql, params = _event_query(where, ordered=False)  # sorting rows to count them is waste
        return int(self._scalar(f"SELECT count(*) FROM ({sql})", params))

    def event(self, event_id: str) -> dict[str, Any] | None:
        """One event with every sentence that reported it (spans index the article text)."""
        sql, params = _event_query(EventFilter(), event_id=event_id)
        rows = self._rows(sql, params)
        if not rows:
            return None
        reports = self._rows(
            """SELECT r.article_id, a.title, a.published, a.source, r.sentence,
                      r.sentence_start, r.sentence_end, r.trigger_text, r.trigger_start,
                      r.source_text, r.source_start, r.target_text, r.target_start,
                      r.modality, r.confidence
               FROM reports r JOIN articles a ON a.id = r.article_id
               WHERE r.event_id = ? ORDER BY a.seq, r.sentence_start, r.trigger_start""",
            [event_id],
        )
        return {**rows[0], "reports": reports}

    def timeline(self, where: EventFilter) -> list[dict[str, Any]]:
        """Events per month and QuadClass, oldest first; a week counts in the month of its
        Monday, and events dated to a year only are left out."""
        sql, params = _event_query(where, ordered=False)
        return self._rows(
            f"""SELECT month, quad_class, count(*) AS events FROM (
                    SELECT quad_class, CASE
                        WHEN date LIKE '____-W__' THEN
                            strftime(try_strptime(date || '-1', '%G-W%V-%u'), '%Y-%m')
                        WHEN length(date) >= 7 THEN substr(date, 1, 7) END AS month
                    FROM ({sql}))
                WHERE month IS NOT NULL GROUP BY ALL ORDER BY month, quad_class""",
            params,
        )

    def actors_page(
        self, query: str | None, limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]:
        """Actors whose id, code or name contains ``query``, most mentioned first."""
        where, params = "", []
        if query:
            where = "WHERE a.id ILIKE ? OR a.code = ? OR a.name ILIKE ?"
            params = [f"%{query}%", query.upper(), f"%{query}%"]
        total = int(self._scalar(f"SELECT count(*) FROM actors a {where}", params))
        rows = self._rows(
            f"""SELECT a.id, a.name, a.country, a.sector, a.code, a.kind,
                   (SELECT count(*) FROM mentions m WHERE m.actor_id = a.id) AS mentions,
                   (SELECT count(*) FROM events e
                    WHERE e.source_id = a.id OR e.target_id = a.id) AS events
                FROM actors a {where}
                ORDER BY mentions DESC, events DESC, a.id LIMIT ? OFFSET ?""",
            [*params, int(limit), int(offset)],
        )
        return rows, total

    def actor(self, actor_id: str) -> dict[str, Any] | None:
        """One actor with its mention count and its events by type and direction."""
        rows = self._rows(
            "SELECT id, name, country, sector, code, kind FROM actors WHERE id = ?", [actor_id]
        )
        if not rows:
            return None
        by_type = self._rows(
            """SELECT type, sum(CASE WHEN source_id = ? THEN 1 ELSE 0 END) AS as_source,
                      sum(CASE WHEN target_id = ? THEN 1 ELSE 0 END) AS as_target
               FROM events WHERE source_id = ? OR target_id = ?
               GROUP BY type ORDER BY type""",
            [actor_id] * 4,
        )
        mentions = self._scalar("SELECT count(*) FROM mentions WHERE actor_id = ?", [actor_id])
        return {**rows[0], "mentions": int(mentions or 0), "events_by_type": by_type}

    def article(self, article_id: str) -> dict[str, Any] | None:
        """An article's text with its actor mentions and the events it reported."""
        rows = self._rows(
            """SELECT id, external_id, source, title, published, language, text, words,
                      duplicate_of FROM articles WHERE id = ?""",
            [article_id],
        )
        if not rows:
            return None
        mentions = self._rows(
            """SELECT m.actor_id, a.name, a.code, m.text, m.start_char AS start,
                      m.end_char AS "end", m.rule, m.is_place
               FROM mentions m JOIN actors a ON a.id = m.actor_id
               WHERE m.article_id = ? ORDER BY m.start_char""",
            [article_id],
        )
        reports = self._rows(
            """SELECT r.event_id, e.type, e.mode, e.source_id, e.target_id, r.sentence_start,
                      r.sentence_end, r.trigger_text, r.trigger_start, r.source_text,
                      r.source_start, r.target_text, r.target_start, r.modality
               FROM reports r JOIN events e ON e.id = r.event_id
               WHERE r.article_id = ? ORDER BY r.sentence_start, r.trigger_start""",
            [article_id],
        )
        return {**rows[0], "mentions": mentions, "reports": reports}

    def input_outcome(self, input_key: str) -> dict[str, Any] | None:
        """What became of one input: its article and status, or its rejection."""
        rows = self._rows("SELECT article_id, status FROM inputs WHERE input = ?", [input_key])
        if not rows:
            return None
        out = rows[0]
        if out["status"] == "rejected":
            out["rejects"] = self._rows(
                "SELECT stage, reason, detail FROM rejects WHERE input = ?", [input_key]
            )
        return out

    def tables(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every table's rows in a stable order (for comparing two stores)."""
        out = {}
        for table in ("articles", "inputs", "rejects", "actors", "mentions", "events", "reports"):
            cols = [
                r[0]
                for r in self.con.execute(
                    f"SELECT column_name FROM information_schema.columns WHERE table_name = "
                    f"'{table}' ORDER BY ordinal_position"
                ).fetchall()
            ]
            order = ", ".join(f'"{c}"' for c in cols)
            out[table] = self.con.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
        return out

    def export(self, out: Path, fmt: str, where: EventFilter | None = None) -> int:
        """Write filtered events to a file (csv, parquet, jsonl or GDELT-style csv)."""
        sql, params = _event_query(where or EventFilter())
        if fmt == "gdelt":
            sql = _GDELT.format(inner=sql)
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW export_view AS {sql}", params)
        options = {
            "csv": "FORMAT CSV, HEADER",
            "gdelt": "FORMAT CSV, HEADER, DELIMITER '\t'",
            "parquet": "FORMAT PARQUET",
            "jsonl": "FORMAT JSON",
        }[fmt]
        target = str(out).replace("'", "''")
        columns = "*"
        if fmt in ("csv", "gdelt"):  # read by spreadsheets: no text cell may start a formula
            kinds = self.con.execute("DESCRIBE export_view").fetchall()
            columns = ", ".join(
                sql_cell(name) if kind == "VARCHAR" else f'"{name}"' for name, kind, *_ in kinds
            )
        self.con.execute(f"COPY (SELECT {columns} FROM export_view) TO '{target}' ({options})")
        return int(self._scalar("SELECT count(*) FROM export_view"))


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


def _event_query(
    f: EventFilter,
    after: tuple[str, str] | None = None,
    event_id: str | None = None,
    ordered: bool = True,
) -> tuple[str, list[Any]]:
    """The filtered event query, newest first; ``after`` is the (date, id) sort key of the
    last row already seen, so a page starts right after it whatever was written since."""
    clauses, params = [], []
    if f.actor:
        clauses.append(
            "(e.source_id = ? OR e.target_id = ? OR s.name ILIKE ? OR t.name ILIKE ? "
            "OR s.code = ? OR t.code = ?)"
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
    if after is not None:
        clauses.append(f"({_DATE_KEY} < ? OR ({_DATE_KEY} = ? AND e.id > ?))")
        params += [after[0], after[0], after[1]]
    if event_id is not None:
        clauses.append("e.id = ?")
        params.append(event_id)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    sql = f"""
        SELECT e.id, e.type, e.mode, e.plover, e.cameo, e.quad_class, e.goldstein,
               e.source_id, s.name AS source_name, s.country AS source_country,
               s.sector AS source_sector, s.code AS source_code,
               e.target_id, t.name AS target_name, t.country AS target_country,
               t.sector AS target_sector, t.code AS target_code,
               e.date, e.date_precision, e.location_name, e.location_country, e.lat, e.lon,
               e.modality, e.confidence, e.num_mentions, e.num_articles, e.num_sources,
               e.first_article, e.first_source
        FROM events e JOIN actors s ON s.id = e.source_id
        LEFT JOIN actors t ON t.id = e.target_id
        {where}"""
    if ordered:
        sql += f"\n        ORDER BY {_DATE_KEY} DESC, e.id"
    return sql, params


# Undated events sort last, as NULLs did, but with a value a cursor can hold.
_DATE_KEY = "coalesce(e.date, '')"


# The GDELT 2.0 event table's columns, as far as they apply (documented in the README).
_GDELT = """
    SELECT id AS GLOBALEVENTID, replace(substr(date, 1, 10), '-', '') AS SQLDATE,
           source_code AS Actor1Code, source_name AS Actor1Name,
           source_country AS Actor1CountryCode, source_sector AS Actor1Type1Code,
           target_code AS Actor2Code, target_name AS Actor2Name,
           target_country AS Actor2CountryCode, target_sector AS Actor2Type1Code,
           cameo AS EventCode, substr(cameo, 1, 2) AS EventRootCode,
           substr(cameo, 1, 3) AS EventBaseCode, quad_class AS QuadClass,
           goldstein AS GoldsteinScale, num_mentions AS NumMentions,
           num_sources AS NumSources, num_articles AS NumArticles,
           location_name AS ActionGeo_FullName, location_country AS ActionGeo_CountryCode,
           lat AS ActionGeo_Lat, lon AS ActionGeo_Long, first_source AS SOURCEURL,
           type AS PloverType, mode AS PloverMode, modality AS Modality
    FROM ({inner})"""
