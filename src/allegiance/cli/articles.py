"""Commands over articles, no store needed: ``extract``, ``actors``, ``classify``, ``dates``."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from ..hygiene import dumps, printable
from ..records import Rejected
from ..settings import Settings
from .group import main
from .options import (
    FORMATS,
    actor_label,
    actors_option,
    code_all,
    date_option,
    emit,
    input_options,
    load_pipeline,
    min_confidence_option,
    open_store,
    read_checked,
    requests_of,
    span_of,
    table,
)


@main.command()
@input_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option(
    "--explain",
    is_flag=True,
    help="Give each event the rule that read it (its construction and the overrides that "
    "fired): a 'rule' field in JSON, a column in the table.",
)
@min_confidence_option
def extract(
    path: str,
    published: date | None,
    title: str | None,
    actors_file: Path | None,
    fmt: str,
    explain: bool,
    min_confidence: float,
) -> None:
    """Extract the events of one article (.txt, .html, '-' for stdin) or a .jsonl batch.

    A .jsonl file holds one {id, text, published?, title?} object a line; the output has one
    line per record, in order, with the id echoed.
    """
    batch, items = read_checked(path, published, title, Settings(actors_file=actors_file))
    pipe = load_pipeline(actors_file, min_confidence)
    failed = 0
    for rid, result in code_all(pipe, items):
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
    callback=date_option,
    metavar="YYYY-MM-DD",
    help="Publication date, for resolving 'on Sunday' and the like.",
)
@click.option("--title", help="Headline, when the text does not start with it.")
@actors_option
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
        with open_store(db, read_only=True) as store:
            emit(store.actors(), fmt, ["id", "code", "name", "kind", "mentions", "articles"])
        return
    _, items = read_checked(path, published, title, Settings(actors_file=actors_file))
    pipe = load_pipeline(actors_file)
    for rid, result in code_all(pipe, items):
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
            click.echo(table(rows, ["text", "code", "name", "place", "rule"]))
        else:
            for row in rows:
                click.echo(dumps(row, ensure_ascii=False))


def _events_table(record: dict[str, Any], show_id: bool, explain: bool = False) -> str:
    rows = [
        {
            "type": e["type"] + (f"/{e['mode']}" if e["mode"] else ""),
            "source": actor_label(e["source"]),
            "target": actor_label(e["target"]),
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
    return title + "\n" + table(rows, [*cols, "rule"] if explain else cols, wide={"rule"})


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
            str(rec.get("id", n)), str(rec["text"]), span_of(rec, "source"), span_of(rec, "target")
        )

    dyads, bad = requests_of(path, build, "needs text, source and target spans")
    pipe = load_pipeline(None)
    chosen = frozenset(x.strip().upper() for x in labels.split(",")) if labels else None
    for c in DyadClassifier(pipe.nlp, pipe.extractor, chosen, pipe.typer).classify_many(dyads):
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

    requests, bad = requests_of(path, build, "needs text, start, end and a YYYY-MM-DD published")
    pipe = load_pipeline(None)
    for rid, value in resolve_requests(pipe.nlp, requests):
        click.echo(dumps({"id": rid, "value": value}))
    for row in bad:
        click.echo(dumps(row))
    if bad:
        sys.exit(1)
