"""``allegiance eval articles``: whole real articles coded by hand against what allegiance codes.

For each gold article (``newsgold``), allegiance codes the corpus text with the gold record's
``published`` and its events are matched one to one with the gold events:

- same type, and each actor matches: the predicted actor's name, code or words equal the
  gold name or one of its aliases (case- and accent-insensitive), or both have the same
  country; a gold target of null matches any target.
- Recall is the share of gold events some predicted event matches (each gold event counts
  once), precision the share of predicted events that match some gold event. (This is how
  the project's held-out figures are scored outside it: 0.25 and 0.28 F1 on news.dev and
  devtest for the rules of December 2026, which this scorer reproduces.)
- The predicted events are the distinct events the store would keep for the article (type,
  source, target and date; the same act told in three sentences is one event), all of them:
  the guidelines code both directions of a meeting and the host of a visit, as allegiance does.
- With ``sectors``, the actors' sectors must agree too.

Also reported: modality and date accuracy on the matched events, events that put an actor
on the wrong side (a backing where the gold has only hostility between the two, or an attack
reversed), and camps: for each gold conflict, the pairwise agreement of its members' camps
with the best-matching theatre of ``allegiance sides`` on the article.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

from ..knowledge import sectors
from ..records import Actor, ArticleResult, Event, RawDoc, Rejected
from .evaluate import Report
from .newsgold import GoldActor, GoldArticle, GoldCamps, GoldEvent, load_gold

DEFAULT_CORPUS = "../shared/bench/news.jsonl"
BACKING = frozenset({"SUPPORT", "AID", "COOPERATE"})
HOSTILE = frozenset(
    {"ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
)
# Sectors of a state's own side: a state, its government and its forces are one camp member.
_STATE_SIDE = frozenset({None, *sectors.STATE})


def fold(text: str | None) -> str:
    """Case- and accent-insensitive form of a name."""
    text = unicodedata.normalize("NFKD", text or "").casefold()
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def _names(actor: GoldActor) -> set[str]:
    return {fold(actor.name), *(fold(a) for a in actor.aliases)} - {""}


def actor_matches(got: Actor, words: str, gold: GoldActor, sectors: bool = False) -> bool:
    """The predicted actor (and the words that named it) is the gold actor."""
    names = _names(gold)
    same = bool({fold(got.name), fold(got.code), fold(words)} & names) or (
        gold.country is not None and got.country == gold.country
    )
    return same and (not sectors or got.sector == gold.sector)


def event_matches(got: Event, gold: GoldEvent, sectors: bool = False) -> bool:
    if got.type != gold.type:
        return False
    if not actor_matches(got.source.actor, got.source.text, gold.source, sectors):
        return False
    if gold.target is None:
        return True
    return got.target is not None and actor_matches(
        got.target.actor, got.target.text, gold.target, sectors
    )


def distinct_events(events: Iterable[Event]) -> list[Event]:
    """One event per (type, source, target, date), the first report of it (as the store)."""
    seen: dict[tuple[str, str, str, str], Event] = {}
    for ev in events:
        key = (ev.type, ev.source.actor.id, ev.target.actor.id if ev.target else "", ev.date or "")
        seen.setdefault(key, ev)
    return list(seen.values())


def match(got: list[Event], gold: tuple[GoldEvent, ...], sectors: bool) -> dict[int, list[int]]:
    """For each gold event (by index), the predicted events (indices) that match it."""
    return {
        g: [p for p, ev in enumerate(got) if event_matches(ev, want, sectors)]
        for g, want in enumerate(gold)
    }


def first_day(value: str | None) -> str | None:
    """A TIMEX value as the gold writes dates: the first day of its week, month or year."""
    if not value:
        return None
    try:
        if "-W" in value:
            year, week = value.split("-W")
            return date.fromisocalendar(int(year), int(week[:2]), 1).isoformat()
        if len(value) == 7:
            return f"{value}-01"
        if len(value) == 4:
            return f"{value}-01-01"
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


# Wrong sides -----------------------------------------------------------------------------
def wrong_sides(got: list[Event], gold: tuple[GoldEvent, ...], matched: set[int]) -> list[str]:
    """Predicted events that put an actor on the wrong side: a backing between two actors
    the gold has only hostile acts between, or an attack whose gold runs the other way."""
    out = []
    for p, ev in enumerate(got):
        if p in matched or ev.target is None:
            continue
        pair = [x for g in gold if g.target is not None and (x := _same_pair(ev, g))]
        if ev.type in BACKING:
            if any(g.type in HOSTILE for g, _ in pair) and not any(
                g.type in BACKING for g, _ in pair
            ):
                out.append(_describe("backing where the text has hostility", ev))
        elif ev.type in ("ASSAULT", "COERCE"):
            reverse = [g for g, forward in pair if g.type == ev.type and not forward]
            ahead = [g for g, forward in pair if g.type == ev.type and forward]
            if reverse and not ahead:
                out.append(_describe("attack reversed", ev))
    return out


def _same_pair(ev: Event, gold: GoldEvent) -> tuple[GoldEvent, bool] | None:
    """(gold, whether in the same direction) when the gold event joins the same two actors."""
    assert ev.target is not None and gold.target is not None
    s, t = ev.source, ev.target
    if actor_matches(s.actor, s.text, gold.source) and actor_matches(t.actor, t.text, gold.target):
        return gold, True
    if actor_matches(s.actor, s.text, gold.target) and actor_matches(t.actor, t.text, gold.source):
        return gold, False
    return None


def _describe(what: str, ev: Event) -> str:
    target = ev.target.actor.name if ev.target else "-"
    return f"{what}: {ev.type} {ev.source.actor.name} -> {target} ({ev.trigger.text!r})"


# Camps ---------------------------------------------------------------------------------------
def camp_agreement(conflict: GoldCamps, theatres: list[Any]) -> tuple[int, int]:
    """(agreeing pairs, placed pairs) of the gold conflict against its best-matching theatre:
    a pair agrees when both members are placed and are together exactly when the gold puts
    them together."""
    best = (0, 0)
    members = [(camp, a) for camp, actors in enumerate(conflict.camps) for a in actors]
    for theatre in theatres:
        placed = []
        for camp, gold in members:
            node = next(
                (n for n in _camp_nodes(theatre) if _camp_member(theatre.nodes[n], gold)), None
            )
            if node is not None:
                placed.append((camp, theatre.camp_of(node)))
        pairs = list(combinations(placed, 2))
        agree = sum((a[0] == b[0]) == (a[1] == b[1]) for a, b in pairs)
        if (len(pairs), agree) > (best[1], best[0]):
            best = (agree, len(pairs))
    return best


def _camp_nodes(theatre: Any) -> list[str]:
    return [n for camp in theatre.camps for n in camp]


def _camp_member(actor: Actor, gold: GoldActor) -> bool:
    if fold(actor.name) == fold(gold.name):
        return True
    if gold.country is None or actor.country != gold.country:
        return False
    state_side = actor.sector in _STATE_SIDE and actor.kind != "person"
    return (gold.sector in _STATE_SIDE) == state_side or actor.sector == gold.sector


# The run ------------------------------------------------------------------------------------
@dataclass
class _Tally:
    """Per type: predicted events and those matching a gold event; gold events and those
    some predicted event matches."""

    got: Counter[str] = field(default_factory=Counter)
    got_hit: Counter[str] = field(default_factory=Counter)
    gold: Counter[str] = field(default_factory=Counter)
    gold_hit: Counter[str] = field(default_factory=Counter)

    def add(
        self, got: list[Event], gold: tuple[GoldEvent, ...], matches: dict[int, list[int]]
    ) -> None:
        hit = {p for ps in matches.values() for p in ps}
        for p, ev in enumerate(got):
            self.got[ev.type] += 1
            self.got_hit[ev.type] += p in hit
        for g, ev in enumerate(gold):
            self.gold[ev.type] += 1
            self.gold_hit[ev.type] += bool(matches[g])

    def prf(self, label: str | None = None) -> dict[str, float]:
        def pick(c: Counter[str]) -> int:
            return c[label] if label else sum(c.values())

        p = pick(self.got_hit) / pick(self.got) if pick(self.got) else 0.0
        r = pick(self.gold_hit) / pick(self.gold) if pick(self.gold) else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"p": p, "r": r, "f1": f, "n": float(pick(self.gold))}


def eval_articles(gold_path: Path, corpus: Path, pipeline: Any) -> Report:
    """Score allegiance on whole coded articles (see the module's docstring).

    Raises:
        GoldError: a gold record points nowhere or holds an unknown value (one line).
    """
    from ..alignment import sides, ties_from_results

    articles = load_gold(gold_path, corpus)
    plain, strict = _Tally(), _Tally()
    modality = dates = matched_n = 0
    wrong: list[str] = []
    missed: list[str] = []
    agree = placed = conflicts = with_theatre = 0
    for art in articles:
        result = _code(art, pipeline)
        got = distinct_events(result.events) if result else []
        matches = match(got, art.events, sectors=False)
        plain.add(got, art.events, matches)
        strict.add(got, art.events, match(got, art.events, sectors=True))
        for g, ps in matches.items():
            if ps:  # modality and date of the first event that matches it
                matched_n += 1
                modality += got[ps[0]].modality == art.events[g].modality
                dates += first_day(got[ps[0]].date) == art.events[g].date
        hits = {p for ps in matches.values() for p in ps}
        wrong += [f"{art.article_id}: {w}" for w in wrong_sides(got, art.events, hits)]
        missed += _missed(art, {g for g, ps in matches.items() if ps})
        if art.sides:
            theatres = sides(ties_from_results([result])) if result else []
            for conflict in art.sides:
                conflicts += 1
                a, n = camp_agreement(conflict, theatres)
                with_theatre += n > 0
                agree, placed = agree + a, placed + n
    matched = (matched_n, modality, dates)
    camps = (conflicts, with_theatre, agree, placed)
    return _report(gold_path, articles, plain, strict, matched, camps, wrong, missed)


def _code(art: GoldArticle, pipeline: Any) -> ArticleResult | None:
    # The corpus text is the article body (its title is apart): given as such, so no line of
    # it is taken for a headline and dropped.
    raw = RawDoc(art.article_id, art.article_id, art.text, title="", published=art.published)
    result = pipeline.run(raw)
    return None if isinstance(result, Rejected) else result


def _missed(art: GoldArticle, hit: set[int]) -> list[str]:
    out = []
    for g, ev in enumerate(art.events):
        if g not in hit:
            target = ev.target.name if ev.target else "-"
            out.append(
                f"{art.article_id} [{ev.sentence_index}]: missed {ev.type} {ev.source.name} "
                f"-> {target}"
            )
    return out


def _report(
    path: Path,
    articles: list[GoldArticle],
    plain: _Tally,
    strict: _Tally,
    matched: tuple[int, int, int],
    camps: tuple[int, int, int, int],
    wrong: list[str],
    missed: list[str],
) -> Report:
    total, with_sectors = plain.prf(), strict.prf()
    n, modality, dates = matched
    conflicts, with_theatre, agree, placed = camps
    report = Report(f"articles: events of whole coded articles ({path.name})")
    report.figures = {
        "articles": len(articles),
        "gold events": int(total["n"]),
        "precision": total["p"],
        "recall": total["r"],
        "f1": total["f1"],
        "f1 with sectors": with_sectors["f1"],
        "modality accuracy": modality / n if n else 0.0,
        "date accuracy": dates / n if n else 0.0,
        "wrong-side events": len(wrong),
        "gold conflicts": conflicts,
        "with a theatre": with_theatre,
        "camp pairs placed": placed,
        "camp pair agreement": agree / placed if placed else 0.0,
    }
    report.per_label = {t: plain.prf(t) for t in set(plain.got) | set(plain.gold)}
    report.errors = [f"wrong side: {w}" for w in wrong] + missed
    return report
