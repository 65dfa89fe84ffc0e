"""Command line: ``allegiance extract`` and ``allegiance actors`` over the library.

Data goes to stdout, messages to stderr. A bad single input is one line on stderr and exit 1;
in a JSON Lines batch a bad record becomes ``{id, error}`` and the rest go on (exit 1 if any
record failed, 0 otherwise). No command prints a traceback for bad input.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import click

from .errors import AllegianceError
from .ingest import read_file, read_jsonl
from .records import ArticleResult, RawDoc, Rejected
from .settings import Settings

FORMATS = ("table", "json", "jsonl")


def _date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; write YYYY-MM-DD") from None


def input_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by the commands that read articles."""
    f = click.option(
        "--actors",
        "actors_file",
        type=click.Path(dir_okay=False, path_type=Path),
        help="YAML file adding or overriding knowledge-base entries.",
    )(f)
    f = click.option("--title", help="Headline, when the text does not start with it.")(f)
    f = click.option(
        "--published",
        callback=_date_option,
        metavar="YYYY-MM-DD",
        help="Publication date, for resolving 'on Sunday' and the like.",
    )(f)
    return click.argument("path", type=str)(f)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="allegiance")
def main() -> None:
    """allegiance: news articles to political events (PLOVER/CAMEO) and who backs whom."""


def _pipeline(actors_file: Path | None) -> Any:
    from .pipeline import Pipeline  # the model loads only for commands that need it

    try:
        return Pipeline(Settings(actors_file=actors_file))
    except AllegianceError as exc:
        raise click.ClickException(str(exc)) from exc


def _inputs(
    path: str, published: date | None, title: str | None
) -> tuple[bool, Iterator[tuple[str | None, RawDoc | Rejected]]]:
    stdin = sys.stdin.buffer.read() if path == "-" else None
    if path.lower().endswith(".jsonl") or path.lower().endswith(".jsonl.gz"):
        return True, ((rid, raw) for rid, raw in read_jsonl(path, stdin))
    return False, iter([(None, read_file(path, published, title, stdin))])


def _results(
    pipe: Any, items: Iterator[tuple[str | None, RawDoc | Rejected]]
) -> Iterator[tuple[str | None, ArticleResult | Rejected]]:
    """Run good inputs through the pipeline in batches, keeping bad ones in their place."""
    pending = list(items)
    good = [raw for _, raw in pending if isinstance(raw, RawDoc)]
    coded = iter(pipe.run_many(good))
    for rid, raw in pending:
        yield rid, (raw if isinstance(raw, Rejected) else next(coded))


@main.command()
@input_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def extract(
    path: str, published: date | None, title: str | None, actors_file: Path | None, fmt: str
) -> None:
    """Extract the events of one article (.txt, .html, '-' for stdin) or a .jsonl batch.

    A .jsonl file holds one {id, text, published?, title?} object a line; the output has one
    line per record, in order, with the id echoed.
    """
    batch, items = _inputs(path, published, title)
    items_list = list(items)
    if not batch and isinstance(items_list[0][1], Rejected):
        raise click.ClickException(items_list[0][1].message)
    pipe = _pipeline(actors_file)
    failed = 0
    for rid, result in _results(pipe, iter(items_list)):
        if isinstance(result, Rejected):
            if not batch:
                raise click.ClickException(result.message)
            failed += 1
            click.echo(json.dumps({"id": rid, "error": f"{result.reason}: {result.detail}"}))
            continue
        record = result.to_dict(rid)
        if fmt == "table":
            click.echo(_events_table(record, show_id=batch))
        elif fmt == "json" and not batch:
            click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        else:
            click.echo(json.dumps(record, ensure_ascii=False))
    if failed:
        click.echo(f"{failed} record(s) failed; see their 'error' lines", err=True)
        sys.exit(1)


@main.command()
@input_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def actors(
    path: str, published: date | None, title: str | None, actors_file: Path | None, fmt: str
) -> None:
    """Print each actor and place mention of an article, what it resolved to, and why."""
    batch, items = _inputs(path, published, title)
    items_list = list(items)
    if not batch and isinstance(items_list[0][1], Rejected):
        raise click.ClickException(items_list[0][1].message)
    pipe = _pipeline(actors_file)
    for rid, result in _results(pipe, iter(items_list)):
        if isinstance(result, Rejected):
            click.echo(json.dumps({"id": rid, "error": result.message}))
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
                click.echo(json.dumps(row, ensure_ascii=False))


def _actor_label(a: dict[str, Any] | None) -> str:
    if not a:
        return "-"
    return f"{a['code']} {a['name']}" if a["code"] not in (a["name"], "UNK") else a["name"]


def _events_table(record: dict[str, Any], show_id: bool) -> str:
    rows = [
        {
            "type": e["type"] + (f"/{e['mode']}" if e["mode"] else ""),
            "source": _actor_label(e["source"]),
            "target": _actor_label(e["target"]),
            "date": e["date"] or "-",
            "modality": e["modality"],
            "place": e["location"]["name"] if e["location"] else "-",
            "trigger": e["trigger"]["text"],
        }
        for e in record["events"]
    ]
    head = f"# {record['id']}: " if show_id else "# "
    title = head + (record["title"] or "(no title)") + f"  ({len(rows)} events)"
    cols = ["type", "source", "target", "date", "modality", "place", "trigger"]
    return title + "\n" + _table(rows, cols)


def _table(rows: list[dict[str, Any]], cols: list[str]) -> str:
    if not rows:
        return "(none)"
    cells = [[str(r[c]) for c in cols] for r in rows]
    widths = [min(40, max(len(c), *(len(row[i]) for row in cells))) for i, c in enumerate(cols)]

    def line(values: list[str]) -> str:
        return "  ".join(v[:w].ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    return "\n".join([line(cols), line(["-" * w for w in widths]), *map(line, cells)])


@main.command(name="eval")
@click.argument("task", type=click.Choice(["actors"]))
@click.argument("gold", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--errors", "show", default=15, show_default=True, help="Errors to list.")
def eval_command(task: str, gold: Path | None, show: int) -> None:
    """Score allegiance on a gold set (default: the set under ../shared/eval).

    actors: the country (or IGO) each coded actor span of a PLOVER-style set resolves to.
    """
    from .evaluate import DEFAULT_SETS, eval_actors

    path = gold or Path(DEFAULT_SETS[task])
    if not path.exists():
        raise click.ClickException(
            f"gold set {path} not found; give its path (the shared data sits beside the repo)"
        )
    report = eval_actors(path, _pipeline(None))
    report.errors = report.errors[:show]
    click.echo(report.to_text())
