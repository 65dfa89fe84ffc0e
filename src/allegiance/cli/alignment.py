"""Command line for the alignment graph: ``sides``, ``backers``, ``rivals``, ``graph``, ``plot``.

Every command reads its events either from articles (a file, a .jsonl batch or a folder, run
through the pipeline in memory: no store needed) or from a store built by ``ingest``.
Importing this module registers the commands on the group.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import click

from ..hygiene import dumps, printable, printable_lines
from ..records import ArticleResult, Rejected
from ..settings import Settings
from .group import main
from .options import (
    actor_label,
    actors_option,
    code_all,
    date_option,
    db_option,
    emit,
    load_pipeline,
    open_store,
    read_articles,
)

GRAPH_FORMATS = ("table", "json", "jsonl")


@dataclass(frozen=True, slots=True)
class GraphSource:
    """Where a graph command's events come from (PATH or the store) and the time window."""

    path: str | None
    db: str
    published: date | None
    actors_file: Path | None
    since: date | None
    until: date | None
    half_life: float | None
    window: str = "year"  # the periods camps are computed for (``alignment.windows``)

    def ties(self) -> list[Any]:
        """Ties from the articles at PATH (coded in memory) or from the store."""
        from .. import alignment

        if self.path is None:
            with open_store(self.db, read_only=True) as store:
                return alignment.ties_from_rows(store.ties(self.since, self.until))
        return alignment.ties_from_results(_coded(self.path, self.published, self.actors_file))

    def options(self, theatre: str | None = None) -> Any:
        from ..alignment import Options

        return Options(self.since, self.until, self.half_life, theatre)


def graph_inputs(f: Callable[..., Any]) -> Callable[..., Any]:
    """PATH or --db, --published, --actors, --since, --until and --half-life, handed to the
    command as one ``source: GraphSource``."""

    @functools.wraps(f)
    def command(
        *args: Any,
        path: str | None,
        db: str,
        published: date | None,
        actors_file: Path | None,
        since: date | None,
        until: date | None,
        half_life: float | None,
        year: int | None,
        window: str,
        **kwargs: Any,
    ) -> Any:
        from ..alignment import within_year

        since, until = within_year(year, since, until)
        if since and until and since > until:
            raise click.UsageError(f"--since {since} is after --until {until}")
        source = GraphSource(path, db, published, actors_file, since, until, half_life, window)
        return f(*args, source=source, **kwargs)

    g: Callable[..., Any] = command
    g = click.option(
        "--window",
        default="year",
        show_default=True,
        callback=_window_option,
        metavar="year|all|Nd",
        help="The periods camps are computed for: calendar years, N days (180d), or all "
        "events in one graph.",
    )(g)
    g = click.option(
        "--year",
        type=click.IntRange(1900, 2100),
        help="Only this calendar year (the same as --since YEAR-01-01 --until YEAR-12-31).",
    )(g)
    g = click.option(
        "--half-life",
        "half_life",
        type=click.FloatRange(min=1),
        metavar="DAYS",
        help="Decay: an event this many days older than the newest counts half.",
    )(g)
    g = click.option("--until", callback=date_option, metavar="YYYY-MM-DD")(g)
    g = click.option("--since", callback=date_option, metavar="YYYY-MM-DD")(g)
    g = actors_option(g)
    g = click.option(
        "--published",
        callback=date_option,
        metavar="YYYY-MM-DD",
        help="Publication date of a single article PATH.",
    )(g)
    g = db_option(g)
    return click.argument("path", required=False)(g)


def _as_records(found: list[dict[str, Any]], fmt: str) -> bool:
    """Print the records as one JSON document or JSON lines; False for a table."""
    if fmt == "json":
        click.echo(dumps(found, ensure_ascii=False, indent=2))
    elif fmt == "jsonl":
        for record in found:
            click.echo(dumps(record, ensure_ascii=False))
    return fmt in ("json", "jsonl")


def _window_option(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from ..alignment import WindowError, check_spec

    try:
        return check_spec(value)
    except WindowError as exc:
        raise click.BadParameter(str(exc)) from None


def _coded(path: str, published: date | None, actors_file: Path | None) -> list[ArticleResult]:
    """Code the articles at PATH; bad inputs are reported on stderr and left out."""
    if Path(path).is_dir():
        from ..corpus.run import read_inputs

        items = list(read_inputs([path], Settings()))
        batch = True
    else:
        batch, found = read_articles(path, published, None)
        items = list(found)
    if not batch and isinstance(items[0][1], Rejected):
        raise click.ClickException(items[0][1].message)
    out = []
    for key, result in code_all(load_pipeline(actors_file), iter(items)):
        if isinstance(result, Rejected):
            click.echo(printable(f"skipped {key or result.source}: {result.message}"), err=True)
        else:
            out.append(result)
    return out


@main.command()
@graph_inputs
@click.option("--theatre", help="Only this theatre: a country name or ISO3 code.")
@click.option(
    "--format", "fmt", type=click.Choice(GRAPH_FORMATS), default="table", show_default=True
)
def sides(
    source: GraphSource,
    theatre: str | None,
    fmt: str,
) -> None:
    """The camps of each conflict in each period: who backs which side, with the events
    behind it.

    PATH is an article (.txt, .html), a .jsonl batch or a folder; without it, the store.
    Camps are computed per calendar year (--window, --year): alliances change, and one graph
    of many years mixes wars that never met.
    """
    from .. import alignment

    ties = source.ties()
    found = alignment.sides_by_window(ties, source.options(theatre), source.window)
    if theatre and not found:
        raise click.ClickException(f"no theatre '{theatre}' in these events")
    records = [t.to_dict() for t in found]
    if fmt == "table":
        click.echo(printable_lines(_sides_table(records)) if records else "(no theatre with camps)")
    elif fmt == "json":
        click.echo(dumps(records, ensure_ascii=False, indent=2))
    else:
        for record in records:
            click.echo(dumps(record, ensure_ascii=False))


def _sides_table(records: list[dict[str, Any]]) -> str:
    lines = []
    for rec in records:
        when = f" {rec['window']['label']}" if rec.get("window") else ""
        support = rec["support"]
        lines.append(
            f"# {rec['theatre']} ({rec['country']}){when}: {rec['kind']}, "
            f"{support['events']} events, {support['articles']} article"
            f"{'' if support['articles'] == 1 else 's'}, "
            f"confidence {support['confidence']:.2f}"
        )
        for i, camp in enumerate(rec["camps"], 1):
            lines.append(f"  camp {i}: " + "; ".join(actor_label(a) for a in camp))
        if rec["neutral"]:
            lines.append("  neutral: " + "; ".join(actor_label(a) for a in rec["neutral"]))
    return "\n".join(lines)


@main.command()
@graph_inputs
@click.option("--theatre", help="Only this theatre: a country name or ISO3 code.")
@click.option(
    "--format", "fmt", type=click.Choice(GRAPH_FORMATS), default="table", show_default=True
)
def shifts(source: GraphSource, theatre: str | None, fmt: str) -> None:
    """Changes of alignment between consecutive windows (a calendar year by default): who
    joined a side, went quiet, changed sides, took a side or went neutral, with the events
    before and after."""
    from .. import alignment

    found = [
        s.to_dict() for s in alignment.shifts(source.ties(), source.options(theatre), source.window)
    ]
    if _as_records(found, fmt):
        return
    rows = [
        {
            "when": f"{r['before']} -> {r['after']}",
            "theatre": r["theatre"],
            "actor": actor_label(r["actor"]),
            "change": r["change"],
            "sides": f"{r['side_before'] or '-'} -> {r['side_after'] or '-'}",
            "evidence": f"{len(r['evidence_before'])} / {len(r['evidence_after'])}",
        }
        for r in found
    ]
    if not rows:
        click.echo("(no shifts: no actor changed sides between windows)")
        return
    emit(rows, "table", ["when", "theatre", "actor", "change", "sides", "evidence"])


@main.command()
@click.argument("actor")
@graph_inputs
@click.option(
    "--format", "fmt", type=click.Choice(GRAPH_FORMATS), default="table", show_default=True
)
def backers(
    actor: str,
    source: GraphSource,
    fmt: str,
) -> None:
    """Who backs and who opposes ACTOR (an id, code, ISO3 code or name), year by year."""
    from .. import alignment

    ties = source.ties()
    report = alignment.backers(ties, actor, source.options())
    if report["actor"] is None:
        raise click.ClickException(f"no events of '{actor}'; try its code (RUS) or full name")
    if fmt == "json":
        click.echo(dumps(report, ensure_ascii=False, indent=2))
        return
    rows = [
        {
            "side": side,
            "actor": actor_label(r["actor"]),
            "weight": r["weight"],
            "years": " ".join(f"{y}:{w:+.1f}" for y, w in r["years"].items()) or "-",
            "events": len(r["events"]),
        }
        for side in ("backers", "opponents")
        for r in report[side]
    ]
    if fmt == "jsonl":
        for r in rows:
            click.echo(dumps(r, ensure_ascii=False))
        return
    click.echo(printable(f"# {actor_label(report['actor'])}"))
    emit(rows, "table", ["side", "actor", "weight", "years", "events"])


@main.command()
@graph_inputs
@click.option(
    "--min-theatres", default=2, show_default=True, type=click.IntRange(1), help="Theatres."
)
@click.option(
    "--format", "fmt", type=click.Choice(GRAPH_FORMATS), default="table", show_default=True
)
def rivals(
    source: GraphSource,
    min_theatres: int,
    fmt: str,
) -> None:
    """Pairs of actors on opposite sides in several theatres, and whether they still meet."""
    from .. import alignment

    ties = source.ties()
    found = alignment.rivals(ties, source.options(), min_theatres, source.window)
    if _as_records(found, fmt):
        return
    rows = [
        {
            "a": actor_label(r["a"]),
            "b": actor_label(r["b"]),
            "opposed in": ", ".join(
                " ".join(filter(None, (t["theatre"], t["window"]))) for t in r["theatres"]
            ),
            "contact": ", ".join(
                sorted({f"{c['type']} {c['date'] or ''}".strip() for c in r["contacts"]})
            )
            or "-",
        }
        for r in found
    ]
    emit(rows, "table", ["a", "b", "opposed in", "contact"])


@main.command(name="graph")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@graph_inputs
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["graphml", "gexf", "json"]),
    help="Default: from OUT's extension.",
)
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
def graph_command(
    out: Path,
    source: GraphSource,
    fmt: str | None,
    force: bool,
) -> None:
    """Write the signed actor graph for Gephi (GEXF), networkx and yEd (GraphML) or JSON."""
    from .. import alignment
    from ..alignment import plots

    fmt = fmt or out.suffix.lstrip(".").lower()
    if fmt not in ("graphml", "gexf", "json"):
        raise click.ClickException(f"{out}: give --format graphml, gexf or json")
    if out.exists() and not force:
        raise click.ClickException(f"{out} exists; pass --force to overwrite it")
    ties = source.ties()
    data = alignment.graph_json(alignment.sides_by_window(ties, source.options(), source.window))
    plots.write_graph(data, out, fmt)
    counts = f"{len(data['nodes'])} actors, {len(data['edges'])} edges"
    click.echo(f"{counts} written to {out}", err=True)


@main.command()
@click.argument("kind", type=click.Choice(["sides", "timeline"]))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@graph_inputs
@click.option("--theatre", help="sides: only this theatre (name or ISO3 code).")
@click.option(
    "--between",
    nargs=2,
    metavar="A B",
    help="timeline: the two actors (ids, codes or names), e.g. --between TUR RUS.",
)
def plot(
    kind: str,
    out: Path,
    source: GraphSource,
    theatre: str | None,
    between: tuple[str, str] | None,
) -> None:
    """Draw the camps as a network (sides) or two actors' relations over time (timeline)."""
    from .. import alignment
    from ..alignment import plots

    if kind == "timeline" and not between:
        raise click.ClickException("plot timeline needs --between A B, e.g. --between TUR RUS")
    ties = source.ties()
    options = source.options(theatre)
    if kind == "sides":
        found = alignment.sides_by_window(ties, options, source.window)
        if not found:
            raise click.ClickException("no theatre with camps in these events")
        plots.plot_sides(found, out)
    else:
        a, b = between or ("", "")
        months = alignment.timeline(ties, a, b, options)
        if not months:
            raise click.ClickException(f"no dated events between '{a}' and '{b}'")
        plots.plot_timeline(months, a, b, out)
    click.echo(f"written to {out}", err=True)
