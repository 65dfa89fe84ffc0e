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
on the wrong side (a backing in a sentence where the gold has only hostility between the two,
or an attack the gold codes the other way round in that sentence), and camps: for each gold
conflict, the pairwise agreement of its members' camps with the best-matching theatre of
``allegiance sides`` on the article.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any

from ..knowledge import sectors
from ..records import Actor, ArticleResult, Event, RawDoc, Rejected
from .evaluate import Report
from .newsgold import GoldActor, GoldArticle, GoldCamps, GoldEvent, load_gold, split_sentences

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
def wrong_sides(got: list[Event], art: GoldArticle, matched: set[int]) -> list[str]:
    """Predicted events that put an actor on the wrong side where the text says the opposite:
    a backing between two actors in a sentence where the gold codes only hostility between
    them, or an attack in a sentence where the gold codes it the other way round."""
    spans = split_sentences(art.text)
    out = []
    for p, ev in enumerate(got):
        if p in matched or ev.target is None:
            continue
        where = _sentence_at(art.text, ev)
        pair = [
            x
            for g in art.events
            if g.target is not None and _in_sentences(g, spans, where) and (x := _same_pair(ev, g))
        ]
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


def _sentence_at(text: str, ev: Event) -> tuple[int, int] | None:
    """Where the event's sentence is in the corpus text (the pipeline codes a cleaned copy,
    whose offsets may differ)."""
    at = text.find(ev.sentence)
    return (at, at + len(ev.sentence)) if at >= 0 and ev.sentence else None


def _in_sentences(
    g: GoldEvent, spans: list[tuple[int, int]], where: tuple[int, int] | None
) -> bool:
    """Whether a gold event is reported in the sentence at ``where``."""
    if where is None:
        return False
    ranges = [
        (g.char_start, g.char_end),
        *(spans[i] for i in g.other_sentence_indices if i < len(spans)),
    ]
    return any(min(b, where[1]) - max(a, where[0]) > 0 for a, b in ranges)


def _same_pair(ev: Event, gold: GoldEvent) -> tuple[GoldEvent, bool] | None:
    """(gold, whether in the same direction) when the gold event joins the same two sides."""
    assert ev.target is not None and gold.target is not None
    s, t = ev.source, ev.target
    if _same_side(s.actor, s.text, gold.source) and _same_side(t.actor, t.text, gold.target):
        return gold, True
    if _same_side(s.actor, s.text, gold.target) and _same_side(t.actor, t.text, gold.source):
        return gold, False
    return None


def _same_side(got: Actor, words: str, gold: GoldActor) -> bool:
    """The same party to a conflict: the same name, or the same country and both its state
    (or both the same non-state sector): Japan's government is not Okinawa's landowners."""
    if {fold(got.name), fold(got.code), fold(words)} & _names(gold):
        return True
    if gold.country is None or got.country != gold.country:
        return False
    got_state, gold_state = got.sector in _STATE_SIDE, gold.sector in _STATE_SIDE
    return (got_state and gold_state) or got.sector == gold.sector


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
    # the state's side: the state itself, its government and forces; not a person, nor a
    # body of no known sector ("Chechens" the tagger took for an organisation)
    if actor.sector is None:
        state_side = actor.kind == "country"
    else:
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
    articles = load_gold(gold_path, corpus)
    run = _Run()
    for art in articles:
        run.add(art, _code(art, pipeline))
    return _report(gold_path, articles, run)


@dataclass
class _Run:
    """What the articles add up to, one article at a time."""

    plain: _Tally = field(default_factory=_Tally)
    strict: _Tally = field(default_factory=_Tally)
    matched: Counter[str] = field(default_factory=Counter)  # events, modality, date right
    camps: Counter[str] = field(default_factory=Counter)
    scored: list[tuple[float, bool]] = field(default_factory=list)  # confidence, right
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    def add(self, art: GoldArticle, result: ArticleResult | None) -> None:
        got = distinct_events(result.events) if result else []
        matches = match(got, art.events, sectors=False)
        self.plain.add(got, art.events, matches)
        self.strict.add(got, art.events, match(got, art.events, sectors=True))
        for g, ps in matches.items():
            if ps:  # modality and date of the first event that matches it
                self.matched["events"] += 1
                self.matched["modality"] += got[ps[0]].modality == art.events[g].modality
                self.matched["date"] += first_day(got[ps[0]].date) == art.events[g].date
        hits = {p for ps in matches.values() for p in ps}
        self.scored += [(ev.confidence, p in hits) for p, ev in enumerate(got)]
        self.wrong += [f"{art.article_id}: {w}" for w in wrong_sides(got, art, hits)]
        self.missed += _missed(art, {g for g, ps in matches.items() if ps})
        if art.sides:
            self._add_camps(art, result)

    def _add_camps(self, art: GoldArticle, result: ArticleResult | None) -> None:
        from ..alignment import sides, ties_from_results

        theatres = sides(ties_from_results([result])) if result else []
        for conflict in art.sides:
            agree, placed = camp_agreement(conflict, theatres)
            self.camps["conflicts"] += 1
            self.camps["with a theatre"] += placed > 0
            self.camps["agree"] += agree
            self.camps["placed"] += placed


# Bins of confidence for the reliability table: a calibrated coder's events of confidence
# near 0.7 are right about 70% of the time.
BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)


def reliability(scored: list[tuple[float, bool]]) -> tuple[list[dict[str, float]], float]:
    """Per bin of confidence: events, mean confidence, share right; and the expected
    calibration error (the gap between the two, weighed by the bin's events)."""
    rows, ece = [], 0.0
    for lo, hi in pairwise(BINS):
        inside = [(c, ok) for c, ok in scored if lo <= c < hi]
        if not inside:
            continue
        conf = sum(c for c, _ in inside) / len(inside)
        right = sum(ok for _, ok in inside) / len(inside)
        rows.append({"lo": lo, "hi": min(hi, 1.0), "n": len(inside), "conf": conf, "right": right})
        ece += len(inside) / len(scored) * abs(conf - right)
    return rows, ece


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


def _report(path: Path, articles: list[GoldArticle], run: _Run) -> Report:
    total, with_sectors = run.plain.prf(), run.strict.prf()
    n, camps = run.matched["events"], run.camps
    table, ece = reliability(run.scored)
    report = Report(f"articles: events of whole coded articles ({path.name})")
    report.figures = {
        "articles": len(articles),
        "gold events": int(total["n"]),
        "precision": total["p"],
        "recall": total["r"],
        "f1": total["f1"],
        "f1 with sectors": with_sectors["f1"],
        "modality accuracy": run.matched["modality"] / n if n else 0.0,
        "date accuracy": run.matched["date"] / n if n else 0.0,
        "calibration error": ece,
        "wrong-side events": len(run.wrong),
        "gold conflicts": camps["conflicts"],
        "with a theatre": camps["with a theatre"],
        "camp pairs placed": camps["placed"],
        "camp pair agreement": camps["agree"] / camps["placed"] if camps["placed"] else 0.0,
    }
    report.per_label = {t: run.plain.prf(t) for t in set(run.plain.got) | set(run.plain.gold)}
    report.tables["reliability (confidence, events, mean confidence, share right)"] = [
        f"{r['lo']:.1f}-{r['hi']:.1f}  {int(r['n']):>5}  {r['conf']:.3f}  {r['right']:.3f}"
        for r in table
    ]
    report.errors = [f"wrong side: {w}" for w in run.wrong] + run.missed
    return report
