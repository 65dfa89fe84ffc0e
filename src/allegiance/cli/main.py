"""Command line: ``allegiance extract`` and ``allegiance actors`` over the library.

Data goes to stdout, messages to stderr. A bad single input is one line on stderr and exit 1;
in a JSON Lines batch a bad record becomes ``{id, error}`` and the rest go on (exit 1 if any
record failed, 0 otherwise). No command prints a traceback for bad input.
"""

from __future__ import annotations

import errno
import itertools
import json
import os
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from ..corpus.inputs import published_date, read_file, read_path
from ..errors import AllegianceError
from ..hygiene import cell, dumps, printable, printable_lines
from ..records import ArticleResult, RawDoc, Rejected
from ..settings import Settings

FORMATS = ("table", "json", "jsonl")
T = TypeVar("T")
# Inputs that hold many articles: their output is one record a line, each with its id.
_BATCH_SUFFIXES = (".jsonl", ".rss", ".atom", ".xml")


def _date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    try:
        return published_date(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; write YYYY-MM-DD") from None


class _Main(click.Group):
    """The command group: whatever a command did not handle ends as one line on stderr and
    exit 1, never a traceback (``ALLEGIANCE_DEBUG=1`` shows it); messages are printed with
    control characters escaped."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            exc.message = printable(exc.message)
            raise
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            if os.environ.get("ALLEGIANCE_DEBUG"):
                raise
            raise click.ClickException(printable(failure_message(exc))) from None


def failure_message(exc: BaseException) -> str:
    """One line for an error no command handled: what failed and the likely fix."""
    text = " ".join(str(exc).split())[:300]
    if isinstance(exc, AllegianceError):
        return text
    if isinstance(exc, OSError) or "No space left on device" in text:
        no_space = getattr(exc, "errno", None) == errno.ENOSPC or "No space left" in text
        if no_space or getattr(exc, "errno", None) == errno.EPIPE:
            _quiet_stdout()  # the final flush would fail again and print a traceback
        if no_space:
            return f"no space left on device ({text}); free some space or write elsewhere"
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        return f"{where}{getattr(exc, 'strerror', None) or text}"
    if type(exc).__module__.split(".")[0] in ("duckdb", "_duckdb"):
        return f"the store failed: {text}; if it is damaged, ingest again into a new store"
    return (
        f"unexpected {type(exc).__name__}: {text}; run again with ALLEGIANCE_DEBUG=1 to see "
        "where, and report it"
    )


def _quiet_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


_actors_option = click.option(
    "--actors",
    "actors_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="YAML file adding or overriding knowledge-base entries.",
)


def input_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by the commands that read articles."""
    f = _actors_option(f)
    f = click.option("--title", help="Headline, when the text does not start with it.")(f)
    f = click.option(
        "--published",
        callback=_date_option,
        metavar="YYYY-MM-DD",
        help="Publication date, for resolving 'on Sunday' and the like.",
    )(f)
    return click.argument("path", type=str)(f)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="allegiance")
def main() -> None:
    """allegiance: news articles to political events (PLOVER/CAMEO) and who backs whom."""


def _pipeline(actors_file: Path | None) -> Any:
    from ..pipeline import Pipeline  # the model loads only for commands that need it

    try:
        return Pipeline(Settings(actors_file=actors_file))
    except AllegianceError as exc:
        raise click.ClickException(str(exc)) from exc


def _inputs(
    path: str, published: date | None, title: str | None, settings: Settings | None = None
) -> tuple[bool, Iterator[tuple[str | None, RawDoc | Rejected]]]:
    """Whether PATH holds a batch (JSON Lines, a feed, or .gz of these), and its inputs as
    (record id, RawDoc or Rejected); a record's id is its own, else its line or item."""
    settings = settings or Settings()
    if path != "-" and path.lower().removesuffix(".gz").endswith(_BATCH_SUFFIXES):
        return True, ((_record_id(key, raw), raw) for key, raw in read_path(path, settings))
    stdin = sys.stdin.buffer if path == "-" else None
    return False, iter([(None, read_file(path, settings, published, title, stdin))])


def _record_id(key: str, raw: RawDoc | Rejected) -> str:
    given = raw.id if isinstance(raw, RawDoc) else raw.doc_id
    return given or key.rsplit("#" if "#" in key else ":", 1)[-1]


def _results(
    pipe: Any, items: Iterator[tuple[str | None, RawDoc | Rejected]], chunk: int = 64
) -> Iterator[tuple[str | None, ArticleResult | Rejected]]:
    """Run good inputs through the pipeline in batches, keeping bad ones in their place;
    read ``chunk`` inputs at a time, so a long batch file is never held whole."""
    while pending := list(itertools.islice(items, chunk)):
        good = [raw for _, raw in pending if isinstance(raw, RawDoc)]
        coded = iter(pipe.run_many(good))
        for rid, raw in pending:
            yield rid, (raw if isinstance(raw, Rejected) else next(coded))


def _single(
    path: str, published: date | None, title: str | None, settings: Settings
) -> tuple[bool, Iterator[tuple[str | None, RawDoc | Rejected]]]:
    """The inputs of PATH; a single article that cannot be used (unreadable, empty after
    cleaning, not English...) stops here with one line, before the model loads."""
    from ..nlp.clean import clean_article

    batch, items = _inputs(path, published, title, settings)
    if batch:
        return batch, items
    rid, raw = next(items)
    checked = raw if isinstance(raw, Rejected) else clean_article(raw, settings)
    if isinstance(checked, Rejected):
        raise click.ClickException(checked.message)
    return batch, iter([(rid, raw)])


@main.command()
@input_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option(
    "--explain",
    is_flag=True,
    help="Give each event the rule that read it (its construction and the overrides that "
    "fired): a 'rule' field in JSON, a column in the table.",
)
def extract(
    path: str,
    published: date | None,
    title: str | None,
    actors_file: Path | None,
    fmt: str,
    explain: bool,
) -> None:
    """Extract the events of one article (.txt, .html, '-' for stdin) or a .jsonl batch.

    A .jsonl file holds one {id, text, published?, title?} object a line; the output has one
    line per record, in order, with the id echoed.
    """
    batch, items = _single(path, published, title, Settings(actors_file=actors_file))
    pipe = _pipeline(actors_file)
    failed = 0
    for rid, result in _results(pipe, items):
        if isinstance(result, Rejected):
            if not batch:
                raise click.ClickException(result.message)
            failed += 1
            click.echo(dumps({"id": rid, "error": f"{result.reason}: {result.detail}"}))
            continue
        record = result.to_dict(rid, explain=explain)
        if fmt == "table":
            click.echo(_events_table(record, show_id=batch, explain=explain))
        elif fmt == "json" and not batch:
            click.echo(dumps(record, ensure_ascii=False, indent=2))
        else:
            click.echo(dumps(record, ensure_ascii=False))
    if failed:
        click.echo(f"{failed} record(s) failed; see their 'error' lines", err=True)
        sys.exit(1)


@main.command()
@click.argument("path", required=False)
@click.option(
    "--published",
    callback=_date_option,
    metavar="YYYY-MM-DD",
    help="Publication date, for resolving 'on Sunday' and the like.",
)
@click.option("--title", help="Headline, when the text does not start with it.")
@_actors_option
@click.option("--db", help="List the actors of this store instead of reading an article.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def actors(
    path: str | None,
    published: date | None,
    title: str | None,
    actors_file: Path | None,
    db: str | None,
    fmt: str,
) -> None:
    """Print each actor and place mention of an article, what it resolved to, and why.

    With --db instead of PATH: the actors of a store, with their mention counts.
    """
    if path is None:
        if db is None:
            raise click.UsageError("give an article PATH, or --db for a store's actors")
        with _open_store(db, read_only=True) as store:
            _emit(store.actors(), fmt, ["id", "code", "name", "kind", "mentions", "articles"])
        return
    _, items = _single(path, published, title, Settings(actors_file=actors_file))
    pipe = _pipeline(actors_file)
    for rid, result in _results(pipe, items):
        if isinstance(result, Rejected):
            click.echo(dumps({"id": rid, "error": result.message}))
            continue
        rows = [
            {
                "id": rid or result.article.id,
                "text": m.text,
                "start": m.start,
                "end": m.end,
                "actor": m.actor.id,
                "name": m.actor.name,
                "country": m.actor.country,
                "sector": m.actor.sector,
                "code": m.actor.code,
                "place": m.is_place,
                "lat": m.lat,
                "lon": m.lon,
                "rule": m.rule,
            }
            for m in result.mentions
        ]
        if fmt == "table":
            click.echo(_table(rows, ["text", "code", "name", "place", "rule"]))
        else:
            for row in rows:
                click.echo(dumps(row, ensure_ascii=False))


def _actor_label(a: dict[str, Any] | None) -> str:
    if not a:
        return "-"
    return f"{a['code']} {a['name']}" if a["code"] not in (a["name"], "UNK") else a["name"]


def _events_table(record: dict[str, Any], show_id: bool, explain: bool = False) -> str:
    rows = [
        {
            "type": e["type"] + (f"/{e['mode']}" if e["mode"] else ""),
            "source": _actor_label(e["source"]),
            "target": _actor_label(e["target"]),
            "date": e["date"] or "-",
            "modality": e["modality"],
            "place": e["location"]["name"] if e["location"] else "-",
            "trigger": e["trigger"]["text"],
            "rule": e.get("rule", ""),
        }
        for e in record["events"]
    ]
    head = f"# {record['id']}: " if show_id else "# "
    title = printable(head + (record["title"] or "(no title)") + f"  ({len(rows)} events)")
    cols = ["type", "source", "target", "date", "modality", "place", "trigger"]
    # The rule is shown whole: it is the last column, and cut it would not explain.
    return title + "\n" + _table(rows, [*cols, "rule"] if explain else cols, wide={"rule"})


def _table(rows: list[dict[str, Any]], cols: list[str], wide: set[str] | None = None) -> str:
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


def _jsonl_records(path: str) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
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


def _requests(
    path: str, build: Callable[[dict[str, Any], int], T], needs: str
) -> tuple[list[T], list[dict[str, Any]]]:
    """Build one request per JSONL record; records that cannot be read become error rows."""
    items: list[T] = []
    bad: list[dict[str, Any]] = []
    for n, rec, error in _jsonl_records(path):
        if rec is None:
            bad.append({"id": str(n), "error": error})
            continue
        try:
            items.append(build(rec, n))
        except (KeyError, TypeError, ValueError) as exc:
            bad.append({"id": rec.get("id", n), "error": f"{needs} ({exc!r})"})
    return items, bad


def _span(rec: dict[str, Any], key: str) -> tuple[int, int]:
    value = rec[key]
    return int(value["start"]), int(value["end"])


@main.command()
@click.argument("path", type=str)
@click.option(
    "--labels",
    help="Comma-separated types to choose from (default: all 16); a "
    "type outside them folds into its nearest one (RETREAT into CONCEDE).",
)
def classify(path: str, labels: str | None) -> None:
    """Print {id, type, mode, confidence} for each dyad of IN.jsonl.

    Each record is {id, text, source: {start, end}, target: {start, end}}: the event type
    between the two actor spans, or null when the sentence holds none for them.
    """
    from ..nlp.events.classify import Dyad, DyadClassifier

    def build(rec: dict[str, Any], n: int) -> Dyad:
        return Dyad(
            str(rec.get("id", n)), str(rec["text"]), _span(rec, "source"), _span(rec, "target")
        )

    dyads, bad = _requests(path, build, "needs text, source and target spans")
    pipe = _pipeline(None)
    chosen = frozenset(x.strip().upper() for x in labels.split(",")) if labels else None
    for c in DyadClassifier(pipe.nlp, pipe.extractor, chosen).classify_many(dyads):
        click.echo(dumps({"id": c.id, "type": c.type, "mode": c.mode, "confidence": c.confidence}))
    for row in bad:
        click.echo(dumps(row))
    if bad:
        sys.exit(1)


@main.command()
@click.argument("path", type=str)
def dates(path: str) -> None:
    """Print {id, value} for each time expression of IN.jsonl, as TIMEX3.

    Each record is {id, text, start, end, published}: the expression's span in a sentence
    and the publication date it is relative to (2020-06-14, 2020-W24, 2020-06, or null).
    """
    from ..nlp.timex import TimeRequest, resolve_requests

    def build(rec: dict[str, Any], n: int) -> TimeRequest:
        return TimeRequest(
            str(rec.get("id", n)),
            str(rec["text"]),
            int(rec["start"]),
            int(rec["end"]),
            date.fromisoformat(str(rec["published"])[:10]),
        )

    requests, bad = _requests(path, build, "needs text, start, end and a YYYY-MM-DD published")
    pipe = _pipeline(None)
    for rid, value in resolve_requests(pipe.nlp, requests):
        click.echo(dumps({"id": rid, "value": value}))
    for row in bad:
        click.echo(dumps(row))
    if bad:
        sys.exit(1)


def _db_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db",
        envvar="ALLEGIANCE_DB",
        default="allegiance.duckdb",
        show_default=True,
        type=click.Path(dir_okay=False),
        help="The DuckDB store (or set ALLEGIANCE_DB).",
    )(f)


def _filter_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("--until", callback=_date_option, metavar="YYYY-MM-DD")(f)
    f = click.option("--since", callback=_date_option, metavar="YYYY-MM-DD")(f)
    f = click.option("--country", help="ISO3 code of either actor or the place.")(f)
    f = click.option("--type", "kind", help="PLOVER type (the act or its PLOVER view).")(f)
    return click.option("--actor", help="Actor id, code or part of its name.")(f)


def _open_store(db: str, read_only: bool = False) -> Any:
    from ..corpus.store import Store, StoreError

    if read_only and not Path(db).exists():
        raise click.ClickException(f"{db}: no such store; run `allegiance ingest` first")
    try:
        return Store.open(db, read_only=read_only)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _emit(rows: list[dict[str, Any]] | Iterator[dict[str, Any]], fmt: str, cols: list[str]) -> None:
    """Write rows as a table, JSON, JSON Lines or CSV on stdout."""
    if fmt == "table":
        click.echo(_table([{c: r.get(c) for c in cols} for r in rows], cols))
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


def _cluster_options(f: Callable[..., Any]) -> Callable[..., Any]:
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


def _check_cluster(workers: int, cluster: str | None, scheduler: str | None) -> bool:
    """Whether the Dask path is asked for; a usage error for contradictory options."""
    if cluster and scheduler:
        raise click.UsageError("give --cluster or --scheduler, not both")
    if (cluster or scheduler) and workers > 1:
        raise click.UsageError(
            "--workers is for one machine; on a cluster the workers are local:N's or the "
            "scheduler's"
        )
    return bool(cluster or scheduler)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@_db_option
@_cluster_options
@click.option(
    "--shards",
    metavar="DIR|URL",
    help="With --cluster/--scheduler: where the workers write Parquet shards, reachable by "
    "them and by this machine (default: DB.shards, removed after a complete run; a folder "
    "named here is kept).",
)
@click.option(
    "--partition-size",
    default=128,
    show_default=True,
    type=click.IntRange(1, 1_000_000),
    help="With --cluster/--scheduler: files or JSONL records per partition (one task).",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes, forked after the model is loaded once.",
)
@click.option(
    "--batch-size",
    default=64,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Articles per transaction.",
)
@click.option("--quiet", is_flag=True, help="No progress line.")
@_actors_option
def ingest(
    paths: tuple[str, ...],
    db: str,
    cluster: str | None,
    scheduler: str | None,
    shards: str | None,
    partition_size: int,
    workers: int,
    batch_size: int,
    quiet: bool,
    actors_file: Path | None,
) -> None:
    """Ingest files, folders, .jsonl, RSS/Atom feeds and .gz of these into the store.

    Re-running changes nothing that is already stored; a run that was stopped goes on where
    it stopped. Bad inputs land in the rejects table with their reason. With --cluster or
    --scheduler the articles are coded on Dask workers (inputs may then also be s3://,
    gs://... URLs) and the store ends with the same tables as a run on this machine.
    """
    from ..corpus.run import ingest as run_ingest
    from ..corpus.run import progress_printer

    on_cluster = _check_cluster(workers, cluster, scheduler)
    settings = Settings(actors_file=actors_file)
    store = _open_store(db)
    try:
        if on_cluster:
            from ..corpus.cluster import connect, ingest_on_cluster

            with connect(cluster, scheduler) as client:
                summary = ingest_on_cluster(
                    paths,
                    store,
                    settings,
                    client,
                    shards or f"{db}.shards",
                    partition_size,
                    batch_size,
                    progress_printer(quiet, paths),
                    keep_shards=shards is not None,
                )
        else:
            summary = run_ingest(
                paths, store, settings, workers, batch_size, progress_printer(quiet, paths)
            )
    except AllegianceError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    if not quiet:
        click.echo("", err=True)
    click.echo(summary.line(), err=True)
    for reason, n in sorted(summary.reasons.items()):
        click.echo(f"  rejected, {reason}: {n}", err=True)


EVENT_TABLE = [
    "date",
    "type",
    "source_code",
    "source_name",
    "target_code",
    "target_name",
    "modality",
    "num_articles",
    "location_name",
]


@main.command()
@_db_option
@_filter_options
@click.option("--limit", type=click.IntRange(min=1), help="At most this many events.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "jsonl", "csv"]),
    default="table",
    show_default=True,
)
def events(
    db: str,
    actor: str | None,
    kind: str | None,
    country: str | None,
    since: date | None,
    until: date | None,
    limit: int | None,
    fmt: str,
) -> None:
    """Query the stored events (newest first)."""
    from ..corpus.store import EventFilter

    with _open_store(db, read_only=True) as store:
        rows = store.events(EventFilter(actor, kind, country, since, until), limit)
        _emit(list(rows) if fmt in ("table", "json") else rows, fmt, EVENT_TABLE)


@main.command()
@_db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "jsonl", "csv"]),
    default="table",
    show_default=True,
)
def rejects(db: str, fmt: str) -> None:
    """List the inputs that could not be used (level error) and those coded despite a problem
    (level warning), with the stage and the reason."""
    with _open_store(db, read_only=True) as store:
        _emit(store.rejects(), fmt, ["input", "level", "stage", "reason", "detail"])


@main.command()
@_db_option
def stats(db: str) -> None:
    """Counts of the store: articles, duplicates, rejects, actors, events."""
    with _open_store(db, read_only=True) as store:
        for key, value in store.stats().items():
            click.echo(f"{key:>18}: {value}")


@main.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@_db_option
@_filter_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "parquet", "jsonl", "gdelt"]),
    required=True,
    help="gdelt: tab-separated GDELT 2.0 event columns.",
)
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
def export(
    out: Path,
    db: str,
    actor: str | None,
    kind: str | None,
    country: str | None,
    since: date | None,
    until: date | None,
    fmt: str,
    force: bool,
) -> None:
    """Export the stored events to a file."""
    from ..corpus.store import EventFilter

    if out.exists() and not force:
        raise click.ClickException(f"{out} exists; pass --force to overwrite it")
    if not out.parent.is_dir():
        raise click.ClickException(
            f"{out}: the folder {out.parent} does not exist; create it first"
        )
    with _open_store(db, read_only=True) as store:
        n = store.export(out, fmt, EventFilter(actor, kind, country, since, until))
    click.echo(f"{n} events written to {out}", err=True)


@main.command()
@click.argument("corpus", type=click.Path(exists=True, dir_okay=False))
@click.option("--limit", type=click.IntRange(min=1), help="First N articles only.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--cluster",
    metavar="local:N",
    help="Ingest on a Dask LocalCluster of N workers (bare spaCy on N processes).",
)
def bench(corpus: str, limit: int | None, workers: int, cluster: str | None) -> None:
    """Time end-to-end ingest against bare spaCy on the same texts, pipes and processes."""
    from ..quality.benchmark import run_bench

    _check_cluster(workers, cluster, None)
    try:
        report = run_bench(corpus, limit, workers, cluster)
    except AllegianceError as exc:
        raise click.ClickException(str(exc)) from exc
    for key, value in report.items():
        click.echo(f"{key:>28}: {value}")


@main.command()
@_db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@_actors_option
def serve(db: str, host: str, port: int, actors_file: Path | None) -> None:
    """Serve the HTTP API (/api, /openapi.json) and the web page (/) over a store.

    Writes (POST /api/articles) need the bearer token in ALLEGIANCE_TOKEN; without it the
    store is opened read-only and writes are refused with the reason.
    """

    import uvicorn

    from ..serve.app import ServeSettings, create_app, warm

    _check_port(host, port)
    token = os.environ.get("ALLEGIANCE_TOKEN") or None
    settings = ServeSettings(db=Path(db), token=token, pipeline=Settings(actors_file=actors_file))
    try:
        app = create_app(settings)
    except AllegianceError as exc:
        raise click.ClickException(str(exc)) from exc
    warm(app)
    writes = "writes need the bearer token" if token else "read-only (ALLEGIANCE_TOKEN not set)"
    click.echo(f"allegiance: serving {db} at http://{host}:{port}/ ({writes})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _eval_articles(gold: Path, corpus: Path | None, show: int) -> None:
    from ..quality.news_eval import DEFAULT_CORPUS, eval_articles
    from ..quality.newsgold import load_gold

    corpus = corpus or Path(DEFAULT_CORPUS)
    if not corpus.exists():
        raise click.ClickException(
            f"corpus {corpus} not found; give --corpus, the JSONL file the gold points into"
        )
    load_gold(gold, corpus)  # bad gold is one line before the model loads
    report = eval_articles(gold, corpus, _pipeline(None))
    report.errors = report.errors[:show]
    click.echo(printable_lines(report.to_text()))


def _check_port(host: str, port: int) -> None:
    """One line when the address cannot be listened on (a port in use, an unknown host),
    before the store and the model are loaded."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            hint = "; stop the other server or give --port" if exc.errno == errno.EADDRINUSE else ""
            raise click.ClickException(
                f"cannot listen on {host}:{port}: {exc.strerror}{hint}"
            ) from None


@main.command(name="eval")
@click.argument(
    "task",
    type=click.Choice(["events", "classify", "dates", "actors", "extraction", "articles"]),
)
@click.argument("gold", required=False, type=click.Path(path_type=Path))
@click.option("--errors", "show", default=15, show_default=True, help="Errors to list.")
@click.option("--sectors", is_flag=True, help="events: match code and sector, not country only.")
@click.option(
    "--corpus",
    type=click.Path(path_type=Path),
    help="articles: the JSONL corpus the gold's article ids and offsets point into "
    "(default ../shared/bench/news.jsonl).",
)
def eval_command(
    task: str, gold: Path | None, show: int, sectors: bool, corpus: Path | None
) -> None:
    """Score allegiance on a gold set (default: the set under ../shared/eval).

    \b
    events    event F1: type + source country + target country (PLOVER-style set)
    classify  macro-F1 of the type given each marked dyad (zsp_plv-style set)
    dates     exact TIMEX3 values of DATE expressions (TempEval-3-style set)
    actors    country (or IGO) each coded actor span resolves to
    extraction  main text of web pages (a Zyte-benchmark-style folder): shingle P/R/F1
    articles  whole articles coded by hand (news.dev/devtest): event P/R/F1 per type,
              with sectors, modality and date accuracy, wrong sides, camp agreement
    """
    from ..quality import evaluate

    path = gold or Path(evaluate.DEFAULT_SETS[task])
    if not path.exists():
        raise click.ClickException(
            f"gold set {path} not found; give its path (the shared data sits beside the repo)"
        )
    if task == "extraction":
        # The benchmark has pages in several languages: extraction is scored without the
        # English-only check that the event pipeline applies after it.
        report = evaluate.eval_extraction(path, Settings(min_english=0.0))
        report.errors = report.errors[:show]
        click.echo(report.to_text())
        return
    if task == "articles":
        _eval_articles(path, corpus, show)
        return
    pipe = _pipeline(None)
    if task == "events":
        report = evaluate.eval_events(path, pipe, sectors)
    elif task == "classify":
        report = evaluate.eval_classify(path, pipe)
    elif task == "dates":
        report = evaluate.eval_dates(path, pipe)
    else:
        report = evaluate.eval_actors(path, pipe)
    report.errors = report.errors[:show]
    click.echo(report.to_text())


# The alignment commands live in their own module; importing it registers them on ``main``.
from . import alignment  # noqa: E402,F401
