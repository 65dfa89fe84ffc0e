"""Commands over a store: ``ingest``, ``watch``, ``events``, ``rejects``, ``stats``, ``export``,
``bench``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import AllegianceError
from ..settings import Settings
from .group import learned_coder, main
from .options import (
    actors_option,
    check_cluster,
    cluster_options,
    db_option,
    emit,
    filter_options,
    min_confidence_option,
    open_store,
)

if TYPE_CHECKING:
    from ..corpus.queries import EventFilter


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@cluster_options
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
@actors_option
@min_confidence_option
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
    min_confidence: float,
) -> None:
    """Ingest files, folders, .jsonl, RSS/Atom feeds and .gz of these into the store.

    Re-running changes nothing that is already stored; a run that was stopped goes on where
    it stopped. Bad inputs land in the rejects table with their reason. With --cluster or
    --scheduler the articles are coded on Dask workers (inputs may then also be s3://,
    gs://... URLs) and the store ends with the same tables as a run on this machine.
    """
    from ..corpus.run import ingest as run_ingest
    from ..corpus.run import progress_bar

    on_cluster = check_cluster(workers, cluster, scheduler)
    settings = Settings(
        actors_file=actors_file, min_confidence=min_confidence, learned=learned_coder()
    )
    store = open_store(db)
    progress = progress_bar(quiet, paths)
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
                    progress,
                    keep_shards=shards is not None,
                )
        else:
            summary = run_ingest(paths, store, settings, workers, batch_size, progress)
    except AllegianceError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if progress:
            progress.close()
        store.close()
    click.echo(summary.line(), err=True)
    for reason, n in sorted(summary.reasons.items()):
        click.echo(f"  rejected, {reason}: {n}", err=True)


@main.command()
@click.argument("feeds", type=click.Path(dir_okay=False, path_type=Path))
@db_option
@click.option(
    "--every", default="15m", show_default=True, help="Time between polls: 90s, 15m, 1h, 1d."
)
@click.option("--polls", type=click.IntRange(1), help="Stop after this many polls.")
@click.option(
    "--window",
    default="year",
    show_default=True,
    metavar="year|all|Nd",
    help="The periods camps are compared between.",
)
@actors_option
@min_confidence_option
def watch(
    feeds: Path,
    db: str,
    every: str,
    polls: int | None,
    window: str,
    actors_file: Path | None,
    min_confidence: float,
) -> None:
    """Poll the RSS/Atom feeds and pages listed in FEEDS (one URL a line), ingest what is new
    and print the shifts of alignment as they appear, as JSON lines.

    Everything lives in the store, so a restart goes on where it stopped; a feed that cannot
    be had is reported in the poll's line and the others go on. Stop it with Ctrl-C.
    """
    from ..alignment import WindowError, check_spec
    from ..corpus.watch import WatchError, interval, read_feed_list
    from ..corpus.watch import watch as run_watch
    from ..hygiene import dumps

    try:
        seconds = interval(every)
        spec = check_spec(window)
        read_feed_list(feeds)  # a bad file is one line before the model loads
    except (WatchError, WindowError) as exc:
        raise click.ClickException(str(exc)) from None
    open_store(db).close()  # a file that is not a store is one line, too
    settings = Settings(
        actors_file=actors_file, min_confidence=min_confidence, learned=learned_coder()
    )
    try:
        run_watch(feeds, db, settings, seconds, polls, spec, lambda r: click.echo(dumps(r)))
    except (WatchError, AllegianceError) as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        click.echo("stopped; the next run goes on from the store", err=True)


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
@db_option
@filter_options
@click.option("--limit", type=click.IntRange(min=1), help="At most this many events.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "jsonl", "csv"]),
    default="table",
    show_default=True,
)
def events(db: str, where: EventFilter, limit: int | None, fmt: str) -> None:
    """Query the stored events (newest first)."""
    with open_store(db, read_only=True) as store:
        rows = store.events(where, limit)
        emit(list(rows) if fmt in ("table", "json") else rows, fmt, EVENT_TABLE)


@main.command()
@db_option
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
    with open_store(db, read_only=True) as store:
        emit(store.rejects(), fmt, ["input", "level", "stage", "reason", "detail"])


@main.command()
@db_option
@actors_option
@min_confidence_option
@click.option("--quiet", is_flag=True, help="No progress line.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def recode(db: str, actors_file: Path | None, min_confidence: float, quiet: bool, fmt: str) -> None:
    """Code the stored articles again with today's knowledge base, lexicon and model (after
    an upgrade, or with --actors or --coder learned), keeping the articles and their ids, and
    say what changed: the events before and after, by type.

    Each batch of articles is replaced in a transaction of its own; a run that is stopped
    leaves every article coded the old way or the new, and running recode again finishes.
    """
    import sys

    from ..corpus.recode import RecodeSummary
    from ..corpus.recode import recode as run_recode
    from ..corpus.run import ProgressBar
    from ..hygiene import dumps

    settings = Settings(
        actors_file=actors_file, min_confidence=min_confidence, learned=learned_coder()
    )

    store = open_store(db)
    bar = None if quiet or not sys.stderr.isatty() else ProgressBar(None, "recoded")

    def show(s: RecodeSummary) -> None:
        if bar is not None:
            bar.bar.total = s.total
            bar.advance(s.articles - bar.bar.n)

    try:
        summary = run_recode(store, settings, show)
    except AllegianceError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if bar is not None:
            bar.close()
        store.close()
    if fmt == "json":
        click.echo(dumps(summary.to_dict(), indent=2))
        return
    click.echo(summary.line(), err=True)
    emit(summary.by_type(), "table", ["type", "before", "after", "change"])


@main.command()
@db_option
def stats(db: str) -> None:
    """Counts of the store: articles, duplicates, rejects, actors, events."""
    with open_store(db, read_only=True) as store:
        for key, value in store.stats().items():
            click.echo(f"{key:>18}: {value}")


@main.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@db_option
@filter_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "parquet", "jsonl", "gdelt", "polecat", "acled"]),
    required=True,
    help="gdelt: GDELT 2.0's 61 event columns (16 with --mentions), tab-separated; polecat: "
    "PLOVER JSON records; acled: ACLED's columns, for the events ACLED codes.",
)
@click.option(
    "--mentions",
    is_flag=True,
    help="Every report of each event, one row each (GDELT's mentions table's role).",
)
@click.option(
    "--header/--no-header",
    default=None,
    help="A first line of column names (default: on, but off for gdelt, as GDELT's files).",
)
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
def export(
    out: Path,
    db: str,
    where: EventFilter,
    fmt: str,
    mentions: bool,
    header: bool | None,
    force: bool,
) -> None:
    """Export the stored events (or their reports) to a file. The columns of each format are
    listed in the README ("Export formats")."""
    if out.exists() and not force:
        raise click.ClickException(f"{out} exists; pass --force to overwrite it")
    if not out.parent.is_dir():
        raise click.ClickException(
            f"{out}: the folder {out.parent} does not exist; create it first"
        )
    with open_store(db, read_only=True) as store:
        n = store.export(out, fmt, where, mentions=mentions, header=header)
    click.echo(f"{n} {'reports' if mentions else 'events'} written to {out}", err=True)


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

    check_cluster(workers, cluster, None)
    try:
        report = run_bench(corpus, limit, workers, cluster, Settings(learned=learned_coder()))
    except AllegianceError as exc:
        raise click.ClickException(str(exc)) from exc
    for key, value in report.items():
        click.echo(f"{key:>28}: {value}")
