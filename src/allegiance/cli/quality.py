"""``allegiance eval``: scores on the gold sets."""

from __future__ import annotations

from pathlib import Path

import click

from ..hygiene import printable_lines
from ..settings import Settings
from .group import main
from .options import (
    db_option,
    load_pipeline,
    open_store,
)


def _eval_articles(gold: Path, corpus: Path | None, show: int, task: str) -> None:
    from ..quality.news_actors import eval_news_actors
    from ..quality.news_eval import DEFAULT_CORPUS, eval_articles
    from ..quality.newsgold import load_gold

    corpus = corpus or Path(DEFAULT_CORPUS)
    if not corpus.exists():
        raise click.ClickException(
            f"corpus {corpus} not found; give --corpus, the JSONL file the gold points into"
        )
    load_gold(gold, corpus)  # bad gold is one line before the model loads
    scorer = eval_news_actors if task == "actors" else eval_articles
    report = scorer(gold, corpus, load_pipeline(None))
    report.errors = report.errors[:show]
    click.echo(printable_lines(report.to_text()))


def _eval_camps(folder: Path | None, db: str, years: set[int] | None, show: int) -> None:
    import spacy

    from ..alignment import ties_from_rows
    from ..knowledge.kb import load
    from ..quality.ucdp_camps import Namer, UcdpError, eval_camps, read_ucdp

    folder = folder or Path("../shared/reference/ucdp")
    try:
        conflicts = read_ucdp(folder)
    except UcdpError as exc:
        raise click.ClickException(
            f"{exc}; give --ucdp, the folder of the ACD and ESD files"
        ) from None
    with open_store(db, read_only=True) as store:
        ties = ties_from_rows(store.ties(None, None))
    tokenizer = spacy.blank("en").tokenizer

    def tokenize(text: str) -> list[str]:
        return [t.text for t in tokenizer(text)]

    report = eval_camps(ties, conflicts, Namer(load(tokenize), tokenize), years)
    report.errors = report.errors[:show]
    click.echo(printable_lines(report.to_text()))


@main.command(name="eval")
@click.argument(
    "task",
    type=click.Choice(["events", "classify", "dates", "actors", "extraction", "articles", "camps"]),
)
@click.argument("gold", required=False, type=click.Path(path_type=Path))
@click.option("--errors", "show", default=15, show_default=True, help="Errors to list.")
@click.option("--sectors", is_flag=True, help="events: match code and sector, not country only.")
@click.option(
    "--corpus",
    type=click.Path(path_type=Path),
    help="articles, actors on news gold: the JSONL corpus the gold's article ids and offsets "
    "point into "
    "(default ../shared/bench/news.jsonl).",
)
@click.option(
    "--ucdp",
    type=click.Path(path_type=Path),
    help="camps: the folder of UCDP's ACD and ESD files (default ../shared/reference/ucdp).",
)
@db_option
@click.option("--year", "years", type=int, multiple=True, help="camps: only these years.")
def eval_command(
    task: str,
    gold: Path | None,
    show: int,
    sectors: bool,
    corpus: Path | None,
    ucdp: Path | None,
    db: str,
    years: tuple[int, ...],
) -> None:
    """Score allegiance on a gold set (default: the set under ../shared/eval).

    \b
    events    event F1: type + source country + target country (PLOVER-style set)
    classify  macro-F1 of the type given each marked dyad (GSR dev: the gold events as dyads)
    dates     exact TIMEX3 values of DATE expressions (TempEval-3-style set)
    actors    country (or IGO) each coded actor span resolves to; on whole coded
              articles (news.dev/devtest) country and sector of each gold actor
    extraction  main text of web pages (a Zyte-benchmark-style folder): shingle P/R/F1
    articles  whole articles coded by hand (news.dev/devtest): event P/R/F1 per type,
              with sectors, modality and date accuracy, wrong sides, camp agreement
    camps     the yearly camps of a store (--db) against UCDP's conflicts and supporters
              (--ucdp): coverage and pairwise agreement per year
    """
    from ..quality import evaluate

    if task == "camps":
        _eval_camps(ucdp or gold, db, set(years) or None, show)
        return

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
    from ..quality.newsgold import is_news_gold

    if task == "articles" or (task == "actors" and is_news_gold(path)):
        _eval_articles(path, corpus, show, task)
        return
    pipe = load_pipeline(None)
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
