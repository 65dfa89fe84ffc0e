"""``allegiance kb``: what the knowledge base knows about a name."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..hygiene import printable_lines
from .group import main
from .options import actors_option, date_option


@main.group(name="kb")
def kb_group() -> None:
    """Look into the knowledge base (with a user's --actors file)."""


@kb_group.command(name="show")
@click.argument("name")
@click.option(
    "--date",
    "when",
    callback=date_option,
    metavar="YYYY-MM-DD",
    help="Mark the entries that apply on this date (an article's publication date).",
)
@actors_option
def kb_show(name: str, when: date | None, actors_file: Path | None) -> None:
    """Every entry NAME can resolve to: the actor, its country and sector, what kind of name
    it is (country, demonym, capital, person, surname...) and the dates it applies. A person
    linked only by surname or by an office is linked on evidence in the article; this lists
    what the name alone can mean."""
    import spacy

    from ..knowledge.kb import entries_named, load

    tokenizer = spacy.blank("en").tokenizer  # the pipeline's rules; no model to load
    kb = load(lambda s: [t.text for t in tokenizer(s)], actors_file)
    found = entries_named(kb, [t.text for t in tokenizer(name)])
    if not found:
        raise click.ClickException(
            f"no entry of the knowledge base is named {name!r}; add one with --actors FILE"
        )
    lines = []
    for entry in found:
        a = entry.actor
        span = f"{entry.start or '...'} to {entry.end or '...'}"
        mark = "" if when is None else ("  applies" if entry.active(when) else "  -")
        lines.append(
            f"{a.id:<28} {a.name:<32} {a.country or '-':<4} {a.sector or '-':<4} "
            f"{entry.kind:<8} {span}{mark}"
        )
    click.echo(printable_lines("\n".join(lines)))
