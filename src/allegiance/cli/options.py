"""Options and helpers the commands share: inputs, the pipeline, the store, output.

Data goes to stdout, messages to stderr. A bad single input is one line on stderr and exit 1;
in a JSON Lines batch a bad record becomes ``{id, error}`` and the rest go on (exit 1 if any
record failed, 0 otherwise).
"""

from __future__ import annotations

import functools
import itertools
import json
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from ..corpus.inputs import published_date, read_file, read_path
from ..errors import AllegianceError
from ..hygiene import cell, dumps, printable
from ..records import MODALITIES, ArticleResult, RawDoc, Rejected
from ..settings import Settings
from .group import learned_coder

FORMATS = ("table", "json", "jsonl")
T = TypeVar("T")
# Inputs that hold many articles: their output is one record a line, each with its id.
_BATCH_SUFFIXES = (".jsonl", ".rss", ".atom", ".xml")


def date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """A date option's value, in any form ``published_date`` reads."""
    try:
        return published_date(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; write YYYY-MM-DD") from None


actors_option = click.option(
    "--actors",
    "actors_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="YAML file adding or overriding knowledge-base entries.",
)


def input_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by the commands that read articles."""
    f = actors_option(f)
    f = click.option("--title", help="Headline, when the text does not start with it.")(f)
    f = click.option(
        "--published",
        callback=date_option,
        metavar="YYYY-MM-DD",
        help="Publication date, for resolving 'on Sunday' and the like.",
    )(f)
    return click.argument("path", type=str)(f)


def load_pipeline(actors_file: Path | None, min_confidence: float = 0.0) -> Any:
    from ..pipeline import Pipeline  # the model loads only for commands that need it

    try:
        settings = Settings(
            actors_file=actors_file, min_confidence=min_confidence, learned=learned_coder()
        )
        return Pipeline(settings)
    except AllegianceError as exc:
        raise click.ClickException(str(exc)) from exc


def read_articles(
    path: str, published: date | None, title: str | None, settings: Settings | None = None
) -> tuple[bool, Iterator[tuple[str | None, RawDoc | Rejected]]]:
    """Whether PATH holds a batch (JSON Lines, a feed, or .gz of these), and its inputs as
    (record id, RawDoc or Rejected); a record's id is its own, else its line or item."""
    settings = settings or Settings()
    if path != "-" and path.lower().removesuffix(".gz").endswith(_BATCH_SUFFIXES):
        return True, ((record_id(key, raw), raw) for key, raw in read_path(path, settings))
    stdin = sys.stdin.buffer if path == "-" else None
    return False, iter([(None, read_file(path, settings, published, title, stdin))])


def record_id(key: str, raw: RawDoc | Rejected) -> str:
    given = raw.id if isinstance(raw, RawDoc) else raw.doc_id
    return given or key.rsplit("#" if "#" in key else ":", 1)[-1]


def code_all(
    pipe: Any, items: Iterator[tuple[str | None, RawDoc | Rejected]], chunk: int = 64
) -> Iterator[tuple[str | None, ArticleResult | Rejected]]:
    """Run inputs through the pipeline in batches (bad ones pass through in their place),
    ``chunk`` inputs at a time, so a long batch file is never held whole."""
    while pending := list(itertools.islice(items, chunk)):
        results = pipe.run_many([raw for _, raw in pending])
        yield from ((rid, result) for (rid, _), result in zip(pending, results, strict=True))


def read_checked(
    path: str, published: date | None, title: str | None, settings: Settings
) -> tuple[bool, Iterator[tuple[str | None, RawDoc | Rejected]]]:
    """The inputs of PATH; a single article that cannot be used (unreadable, empty after
    cleaning, not English...) stops here with one line, before the model loads."""
    from ..nlp.clean import clean_article

    batch, items = read_articles(path, published, title, settings)
    if batch:
        return batch, items
    rid, raw = next(items)
    checked = raw if isinstance(raw, Rejected) else clean_article(raw, settings)
    if isinstance(checked, Rejected):
        raise click.ClickException(checked.message)
    return batch, iter([(rid, raw)])


def actor_label(a: dict[str, Any] | None) -> str:
    if not a:
        return "-"
    return f"{a['code']} {a['name']}" if a["code"] not in (a["name"], "UNK") else a["name"]


def table(rows: list[dict[str, Any]], cols: list[str], wide: set[str] | None = None) -> str:
    """Rows as aligned columns, each cut at 40 characters but the ``wide`` ones."""
    if not rows:
        return "(none)"
    cells = [[printable(str(r[c])) for c in cols] for r in rows]
    widths = []
    for i, c in enumerate(cols):
        full = max(len(c), *(len(row[i]) for row in cells))
        widths.append(full if c in (wide or set()) else min(40, full))

    def line(values: list[str]) -> str:
        return "  ".join(v[:w].ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    return "\n".join([line(cols), line(["-" * w for w in widths]), *map(line, cells)])


def jsonl_records(path: str) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """(line number, record or None, error or None) for each non-empty line, read as
    ``ingest`` reads JSON Lines (a regular file, lines up to the record limit)."""
    from ..corpus.inputs import iter_lines, open_local

    settings = Settings()
    stream = sys.stdin.buffer if path == "-" else open_local(path)
    if isinstance(stream, Rejected):
        raise click.ClickException(stream.message)
    with stream:
        for n, line in iter_lines(stream, settings.max_record_bytes):
            if line is None:
                yield n, None, f"line {n}: over {settings.max_record_bytes:,} bytes"
                continue
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except (ValueError, RecursionError) as exc:
                yield n, None, f"line {n}: malformed JSON ({' '.join(str(exc).split())[:200]})"
                continue
            if not isinstance(rec, dict):
                yield n, None, f"line {n}: expected a JSON object"
                continue
            yield n, rec, None


def requests_of(
    path: str, build: Callable[[dict[str, Any], int], T], needs: str
) -> tuple[list[T], list[dict[str, Any]]]:
    """Build one request per JSONL record; records that cannot be read become error rows."""
    items: list[T] = []
    bad: list[dict[str, Any]] = []
    for n, rec, error in jsonl_records(path):
        if rec is None:
            bad.append({"id": str(n), "error": error})
            continue
        try:
            items.append(build(rec, n))
        except (KeyError, TypeError, ValueError) as exc:
            bad.append({"id": rec.get("id", n), "error": f"{needs} ({exc!r})"})
    return items, bad


def span_of(rec: dict[str, Any], key: str) -> tuple[int, int]:
    value = rec[key]
    return int(value["start"]), int(value["end"])


def db_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db",
        envvar="ALLEGIANCE_DB",
        default="allegiance.duckdb",
        show_default=True,
        type=click.Path(dir_okay=False),
        help="The DuckDB store (or set ALLEGIANCE_DB).",
    )(f)


def min_confidence_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """--min-confidence: leave out events the model is less sure of."""
    return click.option(
        "--min-confidence",
        type=click.FloatRange(0.0, 1.0),
        default=0.0,
        show_default=True,
        help="Only events of at least this calibrated confidence (the share of such events "
        "that are right on the news dev set).",
    )(f)


# The filter options as EventFilter's fields ("--type" is ``kind`` here: ``type`` is a builtin).
_FILTERS = {
    "actor": "actor", "kind": "type", "country": "country", "since": "since", "until": "until",
    "min_confidence": "min_confidence", "modality": "modality", "quad_class": "quad_class",
    "theatre": "theatre",
}  # fmt: skip


def filter_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The event filters of ``events`` and ``export`` (the API's query parameters of the same
    names), handed to the command as one ``where`` (an ``EventFilter``)."""

    @functools.wraps(f)
    def command(**kwargs: Any) -> Any:
        from ..corpus.queries import EventFilter

        where = EventFilter(**{field: kwargs.pop(name) for name, field in _FILTERS.items()})
        return f(where=where, **kwargs)

    command = min_confidence_option(command)
    command = click.option(
        "--quad-class",
        type=click.IntRange(1, 4),
        help="1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material "
        "conflict.",
    )(command)
    command = click.option(
        "--modality", type=click.Choice(MODALITIES), help="How the event is told."
    )(command)
    command = click.option(
        "--theatre",
        help="A theatre as `sides` names it (LBY, SYR/civil, AZE+ARM): events of its countries.",
    )(command)
    command = click.option("--until", callback=date_option, metavar="YYYY-MM-DD")(command)
    command = click.option("--since", callback=date_option, metavar="YYYY-MM-DD")(command)
    command = click.option("--country", help="ISO3 code of either actor or the place.")(command)
    command = click.option("--type", "kind", help="PLOVER type (the act or its PLOVER view).")(
        command
    )
    return click.option("--actor", help="Actor id, code or part of its name (accents ignored).")(
        command
    )


def open_store(db: str, read_only: bool = False) -> Any:
    from ..corpus.store import Store, StoreError

    if read_only and not Path(db).exists():
        raise click.ClickException(f"{db}: no such store; run `allegiance ingest` first")
    try:
        return Store.open(db, read_only=read_only)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def emit(rows: list[dict[str, Any]] | Iterator[dict[str, Any]], fmt: str, cols: list[str]) -> None:
    """Write rows as a table, JSON, JSON Lines or CSV on stdout."""
    if fmt == "table":
        click.echo(table([{c: r.get(c) for c in cols} for r in rows], cols))
    elif fmt == "json":
        click.echo(dumps(list(rows), default=str, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        import csv

        writer = None
        for row in rows:
            if writer is None:
                writer = csv.DictWriter(sys.stdout, fieldnames=list(row))
                writer.writeheader()
            writer.writerow({k: cell(v) for k, v in row.items()})
    else:
        for row in rows:
            click.echo(dumps(row, default=str, ensure_ascii=False))


def cluster_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--cluster and --scheduler: where the Dask path runs (needs allegiance[dask])."""
    f = click.option(
        "--scheduler",
        metavar="tcp://HOST:8786",
        help="Run on the workers of a running Dask scheduler (needs allegiance[dask]).",
    )(f)
    return click.option(
        "--cluster",
        metavar="local:N",
        help="Run on a Dask LocalCluster of N worker processes (needs allegiance[dask]).",
    )(f)


def check_cluster(workers: int, cluster: str | None, scheduler: str | None) -> bool:
    """Whether the Dask path is asked for; a usage error for contradictory options."""
    if cluster and scheduler:
        raise click.UsageError("give --cluster or --scheduler, not both")
    if (cluster or scheduler) and workers > 1:
        raise click.UsageError(
            "--workers is for one machine; on a cluster the workers are local:N's or the "
            "scheduler's"
        )
    return bool(cluster or scheduler)
