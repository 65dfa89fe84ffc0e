"""``allegiance eval actors`` on whole coded articles (news.dev, news.devtest): is each actor of
the gold events resolved to the right country and sector where the text names it?

The news gold gives an event's actors by name and aliases, not by offsets. Each gold actor
is looked for in the sentence that reports its event (``char_start``..``char_end``): the
longest of its name and aliases that occurs there as whole words, case-insensitive, first
occurrence. That span is resolved as in a full run of the article (the whole text parsed, with
the gold record's publication date), and the mention allegiance finds at it is compared:

- country: the gold country, or for an international organisation (sector IGO) the IGO
  sector, as ``eval actors`` on the PLOVER sets scores it; a span with no mention is wrong;
- sector: the gold sector, where null is the state (or a person) as a whole, which the
  resolved actor must also leave without a sector.

An actor named in no form the sentence holds (a target the coder inferred, "the accused"
told in another sentence) cannot be located and is counted apart, not scored: the figure is
about linking what the text names. Each span counts once per article.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from .evaluate import Report
from .newsgold import GoldActor, GoldArticle, load_gold


def eval_news_actors(gold_path: Path, corpus: Path, pipeline: Any) -> Report:
    """Country and sector accuracy of the gold events' actors, by span (see the module).

    Raises:
        GoldError: a gold record points nowhere or holds an unknown value (one line).
    """
    tally: Counter[str] = Counter()
    errors: list[str] = []
    confused: Counter[tuple[str, str]] = Counter()
    for art in load_gold(gold_path, corpus):
        wanted, lost = gold_spans(art)
        tally["not located"] += lost
        spans = list(wanted)
        found = pipeline.resolve_spans(art.text, art.published, spans) if spans else []
        for span, mention in zip(spans, found, strict=True):
            gold = wanted[span]
            got_country, got_sector = _resolved(mention)
            country_ok = got_country == _country(gold)
            sector_ok = mention is not None and got_sector == (gold.sector or None)
            tally["spans"] += 1
            tally["country"] += country_ok
            tally["sector"] += sector_ok
            if not sector_ok:
                confused[(gold.sector or "-", got_sector or "-")] += 1
            if not (country_ok and sector_ok):
                text = art.text[span[0] : span[1]]
                rule = mention.rule if mention is not None else "no mention"
                errors.append(
                    f"{art.article_id}: '{text}' gold {_country(gold)}/{gold.sector or '-'}, "
                    f"got {got_country}/{got_sector or '-'} ({rule})"
                )
    return _report(gold_path, tally, confused, errors)


def gold_spans(art: GoldArticle) -> tuple[dict[tuple[int, int], GoldActor], int]:
    """Each locatable gold actor of the article at its span, and how many were not found."""
    wanted: dict[tuple[int, int], GoldActor] = {}
    lost = 0
    for ev in art.events:
        for actor in (ev.source, ev.target):
            if actor is None:
                continue
            span = locate(art.text, ev.char_start, ev.char_end, actor)
            if span is None:
                lost += 1
            else:
                wanted.setdefault(span, actor)
    return wanted, lost


def locate(text: str, start: int, end: int, actor: GoldActor) -> tuple[int, int] | None:
    """The first occurrence, as whole words, of the longest form of the actor in the
    sentence ``text[start:end]``."""
    sentence = _straight(text[start:end])  # the same length: offsets hold
    forms = {_straight(f) for f in (actor.name, *actor.aliases)} - {""}
    # longest first, then in text order of the alphabet: a set's order changes from run to run
    for form in sorted(forms, key=lambda f: (-len(f), f)):
        hit = re.search(rf"(?<!\w){re.escape(form)}(?!\w)", sentence, re.IGNORECASE)
        if hit is not None:
            return start + hit.start(), start + hit.end()
    return None


def _straight(text: str) -> str:
    """Curly quotes as straight ones: a coder types "China's" where the page has "China’s"."""
    return text.translate(_QUOTES)


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def _country(actor: GoldActor) -> str | None:
    return "IGO" if actor.sector == "IGO" else actor.country


def _resolved(mention: Any) -> tuple[str | None, str | None]:
    if mention is None:
        return None, None
    actor = mention.actor
    sector = actor.sector or None
    return ("IGO" if sector == "IGO" else actor.country), sector


def _report(
    path: Path, tally: Counter[str], confused: Counter[tuple[str, str]], errors: list[str]
) -> Report:
    n = tally["spans"]
    report = Report(f"actors: country and sector of each gold actor at its span ({path.name})")
    report.figures = {
        "spans": n,
        "not located": tally["not located"],
        "country accuracy": tally["country"] / n if n else 0.0,
        "sector accuracy": tally["sector"] / n if n else 0.0,
    }
    report.tables["sector errors (gold, got, spans)"] = [
        f"{g:>5} -> {s:<5} {k:>4}" for (g, s), k in confused.most_common(12)
    ]
    report.errors = errors
    return report
