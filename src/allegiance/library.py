"""``allegiance.open(db)``: a store for a Python program, as DataFrames or Arrow tables.

    import allegiance

    with allegiance.open("corpus.duckdb") as corpus:
        events = corpus.events(country="UKR", since="2022-01-01", modality="asserted")
        events.groupby(events["date_start"].dt.to_period("M")).size().plot()
        corpus.sides(year=2022, theatre="UKR")   # the camps, as ``allegiance sides --format json``
        corpus.backers("Russia", year=2022)

``events`` and ``actors`` return pandas DataFrames (the ``pandas`` extra) or, with
``as_arrow=True``, pyarrow Tables: the event columns of ``export`` (``csv``/``parquet``),
with ``date_start``/``date_end`` typed. The filters are those of ``allegiance events``. The
store is opened read-only: a program can read while ``ingest`` or ``serve`` hold it only if
they opened it read-only too (DuckDB's rule), so close it when done.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any

from .corpus.exports import event_export
from .corpus.queries import ACTORS_QUERY, EventFilter, event_query
from .corpus.store import Store
from .records import MODALITIES


class Corpus:
    """A store opened read-only for a program (``allegiance.open``)."""

    def __init__(self, db: str | Path) -> None:
        path = Path(db)
        if not path.exists():
            raise FileNotFoundError(f"{db}: no such store; run `allegiance ingest ... --db {db}`")
        self.store = Store.open(path, read_only=True)

    def __enter__(self) -> Corpus:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    def events(
        self,
        *,
        actor: str | None = None,
        type: str | None = None,
        country: str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        min_confidence: float | None = None,
        modality: str | None = None,
        quad_class: int | None = None,
        theatre: str | None = None,
        as_arrow: bool = False,
    ) -> Any:
        """The filtered events, newest first, one row each (the columns of ``export``).

        Raises:
            ValueError: a filter value that cannot be (an unknown modality, a bad date).
        """
        where = event_filter(
            actor, type, country, since, until, min_confidence, modality, quad_class, theatre
        )
        inner, params = event_query(where)
        return self._table(event_export(inner), params, as_arrow)

    def actors(self, as_arrow: bool = False) -> Any:
        """Every actor of the store with its mentions and articles, most mentioned first."""
        return self._table(ACTORS_QUERY, [], as_arrow)

    def sides(
        self,
        *,
        year: int | None = None,
        window: str = "year",
        theatre: str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
    ) -> list[dict[str, Any]]:
        """The camps of each theatre in each window, as ``allegiance sides --format json``."""
        from . import alignment

        options, spec = _window(year, window, theatre, since, until)
        ties = alignment.ties_from_rows(self.store.ties(options.since, options.until))
        return [t.to_dict() for t in alignment.sides_by_window(ties, options, spec)]

    def backers(
        self,
        actor: str,
        *,
        year: int | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
    ) -> dict[str, Any]:
        """Who backs and who opposes ``actor`` year by year, as ``allegiance backers``."""
        from . import alignment

        options, _ = _window(year, "year", None, since, until)
        ties = alignment.ties_from_rows(self.store.ties(options.since, options.until))
        return alignment.backers(ties, actor, options)

    def _table(self, sql: str, params: list[Any], as_arrow: bool) -> Any:
        if not as_arrow:
            try:
                import pandas  # noqa: F401 (DuckDB builds the frame; this names what is missing)
            except ImportError as exc:
                raise ImportError(
                    "allegiance.open(...).events() returns a pandas DataFrame: "
                    "pip install 'allegiance[pandas]', or pass as_arrow=True for an Arrow table"
                ) from exc
        # A cursor of its own: the store's connection may hold a result not yet read.
        with self.store.con.cursor() as cursor:
            relation = cursor.sql(sql, params=params)
            if as_arrow:
                return relation.to_arrow_table()
            frame = relation.df()
        for column in ("date_start", "date_end"):
            if column in frame:
                frame[column] = frame[column].astype("datetime64[s]")
        return frame


def open(db: str | Path) -> Corpus:
    """The store at ``db``, read-only, for a program: see ``Corpus``.

    Raises:
        FileNotFoundError: no store at ``db``.
        allegiance.corpus.store.StoreError: not a store, or locked by a writer.
    """
    return Corpus(db)


def event_filter(
    actor: str | None,
    kind: str | None,
    country: str | None,
    since: date | str | None,
    until: date | str | None,
    min_confidence: float | None,
    modality: str | None,
    quad_class: int | None,
    theatre: str | None = None,
) -> EventFilter:
    """An ``EventFilter`` from a program's values, checked as the CLI checks them."""
    if modality is not None and modality not in MODALITIES:
        raise ValueError(f"modality {modality!r}: one of {', '.join(MODALITIES)}")
    if quad_class is not None and quad_class not in (1, 2, 3, 4):
        raise ValueError(f"quad_class {quad_class!r}: 1, 2, 3 or 4")
    return EventFilter(
        actor,
        kind,
        country,
        _day(since),
        _day(until),
        min_confidence,
        modality,
        quad_class,
        theatre,
    )


def _day(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a date; write YYYY-MM-DD") from exc


def _window(
    year: int | None,
    window: str,
    theatre: str | None,
    since: date | str | None,
    until: date | str | None,
) -> tuple[Any, str]:
    """Options and window spec of a camps query, as the graph commands build them.

    Raises:
        WindowError (a ValueError): a window spec that is not year, all or Nd.
    """
    from .alignment import Options, check_spec, within_year

    first, last = within_year(year, _day(since), _day(until))
    return Options(since=first, until=last, theatre=theatre), check_spec(window)
