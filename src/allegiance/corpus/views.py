"""The store's reads: queries of events, actors, articles and counts, for the commands, the
graph and the API. A mixin of ``Store``: the connection stays in the store object."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from ..hygiene import sql_cell
from .exports import (
    acled_export,
    country_rows,
    event_export,
    gdelt_export,
    mention_export,
    polecat_export,
)
from .queries import ACTORS_QUERY, ORDERS, EventFilter, event_query, ties_query


class StoreViews:
    """Read queries over ``self.con``."""

    con: duckdb.DuckDBPyConnection

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.con.execute(sql, list(params)).fetchone()
        return row[0] if row else None

    def _version(self) -> int:
        tables = {
            r[0]
            for r in self.con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
        if "meta" not in tables:
            return 0
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def events(
        self, where: EventFilter | None = None, limit: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """Events with their actors, filtered, newest first."""
        sql, params = event_query(where or EventFilter())
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
        sql, params = ties_query(since, until)
        cur = self.con.execute(sql, params)
        names = [d[0] for d in cur.description]
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
        cur = self.con.execute(ACTORS_QUERY)
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
        self,
        where: EventFilter,
        limit: int,
        after: tuple[Any, str] | None = None,
        order: str = "date",
    ) -> tuple[list[dict[str, Any]], tuple[Any, str] | None]:
        """One page of filtered events in ``order`` and the sort key to pass as ``after``
        for the next (None on the last page). Keyset paging: as fast on page 1,000 as on
        page 1."""
        sql, params = event_query(where, after, order=order)
        rows = self._rows(f"{sql} LIMIT {int(limit) + 1}", params)
        more = len(rows) > limit
        rows = rows[:limit]
        if not more:
            return rows, None
        field = ORDERS[order][2]
        value = rows[-1][field]
        return rows, ("" if value is None else value, rows[-1]["id"])

    def count_events(self, where: EventFilter) -> int:
        sql, params = event_query(where, ordered=False)  # sorting rows to count them is waste
        return int(self._scalar(f"SELECT count(*) FROM ({sql})", params))

    def event(self, event_id: str) -> dict[str, Any] | None:
        """One event with every sentence that reported it (spans index the article text)."""
        sql, params = event_query(EventFilter(), event_id=event_id)
        rows = self._rows(sql, params)
        if not rows:
            return None
        reports = self._rows(
            """SELECT r.article_id, a.title, a.published, a.source, r.sentence,
                      r.sentence_start, r.sentence_end, r.trigger_text, r.trigger_start,
                      r.source_text, r.source_start, r.target_text, r.target_start,
                      r.modality, r.confidence, r.rule
               FROM reports r JOIN articles a ON a.id = r.article_id
               WHERE r.event_id = ? ORDER BY a.seq, r.sentence_start, r.trigger_start""",
            [event_id],
        )
        return {**rows[0], "reports": reports}

    def timeline(self, where: EventFilter) -> list[dict[str, Any]]:
        """Events per month and QuadClass, oldest first; a week counts in the month of its
        Monday, and events dated to a year only are left out."""
        sql, params = event_query(where, ordered=False)
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

    def located(self, where: EventFilter | None = None) -> list[dict[str, Any]]:
        """The filtered events counted by the place and country they happened in."""
        inner, params = event_query(where or EventFilter(), ordered=False)
        return self._rows(
            f"""SELECT location_country AS country, location_name AS name, lat, lon,
                       count(*) AS events
                FROM ({inner}) WHERE location_country IS NOT NULL
                GROUP BY ALL ORDER BY events DESC, country, name""",
            params,
        )

    def export(
        self,
        out: Path,
        fmt: str,
        where: EventFilter | None = None,
        mentions: bool = False,
        header: bool | None = None,
    ) -> int:
        """Write the filtered events (or with ``mentions`` every report of them) to a file:
        csv, parquet, jsonl, or gdelt (GDELT 2.0's columns, tab-separated, no header unless
        ``header``; see ``exports``). Returns the rows written."""
        inner, params = event_query(where or EventFilter())
        self._countries_table()
        if mentions:
            sql = mention_export(inner, gdelt=fmt == "gdelt")
        else:
            sql = {"gdelt": gdelt_export, "polecat": polecat_export, "acled": acled_export}.get(
                fmt, event_export
            )(inner)
        # A table, not a view: a view's query cannot hold the filters' parameters.
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE export_rows AS {sql}", params)
        with_header = header if header is not None else fmt != "gdelt"
        options = {
            "csv": f"FORMAT CSV, HEADER {with_header}",
            "gdelt": f"FORMAT CSV, HEADER {with_header}, DELIMITER '\t', QUOTE ''",
            "parquet": "FORMAT PARQUET",
            "jsonl": "FORMAT JSON",
            "polecat": "FORMAT JSON",
            "acled": f"FORMAT CSV, HEADER {with_header}",
        }[fmt]
        target = str(out).replace("'", "''")
        kinds = self.con.execute("DESCRIBE export_rows").fetchall()
        columns = ", ".join(
            # read by spreadsheets: no text cell may start a formula; GDELT's files are
            # unquoted, so a tab or line break inside a cell becomes a space
            sql_cell(name, unquoted=fmt == "gdelt")
            if kind == "VARCHAR" and fmt in ("csv", "gdelt", "acled")
            else f'"{name}"'
            for name, kind, *_ in kinds
        )
        self.con.execute(f"COPY (SELECT {columns} FROM export_rows) TO '{target}' ({options})")
        written = int(self._scalar("SELECT count(*) FROM export_rows"))
        self.con.execute("DROP TABLE export_rows")
        return written

    def _countries_table(self) -> None:
        """The countries' FIPS codes, names and ISO numbers the GDELT and ACLED exports use."""
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE countries "
            "(iso3 VARCHAR, fips VARCHAR, name VARCHAR, isonumeric INTEGER)"
        )
        self.con.executemany("INSERT INTO countries VALUES (?, ?, ?, ?)", list(country_rows()))
