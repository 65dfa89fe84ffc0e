"""``allegiance eval camps --ucdp DIR --db STORE``: the camps of a store against UCDP.

UCDP's Armed Conflict Dataset (ACD) gives, for every armed conflict and year, its location,
the primary parties of each side (``side_a``, ``side_b``) and the states fighting with them
(``side_a_2nd``, ``side_b_2nd``); its External Support Dataset (ESD, to 2017) gives each
warring party's external supporters. Together they are the reference answer to "who is on
which side in which war, which year". This module only scores: the product never reads UCDP,
and no knowledge-base entry is written from it.

How it scores, per conflict-year of the ACD:

- The window is the calendar year; the theatre is the store's theatre of that year whose
  country is one of the conflict's locations (the one with most matched actors).
- Gold members: each side's primary parties, its secondary states and its ESD supporters
  (a supporter of both sides is left out). A state ("Government of Sudan") is its ISO3 code,
  read through the knowledge base's country names, aliases and former names; in its own
  theatre it is the government node (``SDNGOV``), elsewhere the state (``TCD``). A group is
  matched by the base's names and aliases; a non-state primary party the base does not know
  ("Syrian insurgents", "FUCD") stands for the theatre's generic armed parties
  (``SDNREB``, ``SDNINS``, ``SDNOPP``, ``SDNSEP``) when the camps have one.
- Matched actors: gold members the theatre puts in a camp (neutral ones are not placed).
  A conflict-year is covered when at least two are matched. Agreement: of every pair of
  matched actors, the share the camps place as the gold does (same side in the same camp,
  opposite sides in different camps).
- Coverage is counted against the conflict-years the store has articles on: an event that
  year with an actor of a location country.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from ..alignment import Theatre, Tie, sides_by_window
from ..knowledge.kb import KnowledgeBase, entries_named
from .evaluate import Report

ACD = "ucdp-prio-acd-231.csv"
ESD = "ucdp-esd-ay-181.csv"
_GOVERNMENT = re.compile(r"^government of\s+", re.IGNORECASE)
_PARENS = re.compile(r"\s*\(([^)]*)\)")
_GENERIC = ("REB", "INS", "OPP", "SEP")


class UcdpError(ValueError):
    """The UCDP folder or one of its files cannot be read."""


@dataclass(frozen=True, slots=True)
class GoldConflict:
    """One conflict-year: its locations and the names on each side (primary parties first)."""

    conflict_id: str
    year: int
    locations: tuple[str, ...]
    primary: tuple[tuple[str, ...], tuple[str, ...]]
    sides: tuple[tuple[str, ...], tuple[str, ...]]


def read_ucdp(folder: Path) -> list[GoldConflict]:
    """The ACD's conflict-years, each side with its secondary states and ESD supporters.

    Raises:
        UcdpError: a file is missing or lacks the columns used.
    """
    support = _supporters(folder / ESD)
    out = []
    for row in _rows(folder / ACD, ("conflict_id", "year", "location", "side_a", "side_b")):
        cid, year = row["conflict_id"], int(row["year"])
        primary = (_names(row["side_a"]), _names(row["side_b"]))
        sides: list[list[str]] = []
        for k, second in enumerate((row.get("side_a_2nd", ""), row.get("side_b_2nd", ""))):
            names = [*primary[k], *_names(second)]
            for party in primary[k]:
                names += support.get((cid, year, party.casefold()), [])
            sides.append(names)
        both = {n.casefold() for n in sides[0]} & {n.casefold() for n in sides[1]}
        a, b = (tuple(dict.fromkeys(n for n in s if n.casefold() not in both)) for s in sides)
        out.append(GoldConflict(cid, year, _names(row["location"]), primary, (a, b)))
    return out


def _rows(path: Path, needed: Sequence[str]) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = [
                {k.strip(): (v or "").strip() for k, v in r.items()} for r in csv.DictReader(fh)
            ]
    except OSError as exc:
        raise UcdpError(f"{path}: cannot read the UCDP file ({exc.strerror})") from None
    missing = [c for c in needed if rows and c not in rows[0]]
    if not rows or missing:
        raise UcdpError(f"{path}: not the UCDP file expected (missing {', '.join(missing)})")
    return rows


def _supporters(path: Path) -> dict[tuple[str, int, str], list[str]]:
    """(conflict, year, supported party) -> its external supporters, from the ESD."""
    out: dict[tuple[str, int, str], list[str]] = defaultdict(list)
    for row in _rows(path, ("conflict_id", "year", "actor_name", "ext_name")):
        if row["ext_name"] and row.get("ext_bothsides", "0") != "1":
            key = (row["conflict_id"], int(row["year"]), row["actor_name"].casefold())
            out[key] += _names(row["ext_name"])
    return out


def _names(field: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in field.split(",") if n.strip())


# Names to graph nodes ----------------------------------------------------------------------
class Namer:
    """UCDP names as the knowledge base knows them: a state's ISO3 code or a group's id."""

    def __init__(self, kb: KnowledgeBase, tokenize: Callable[[str], list[str]]) -> None:
        self.kb = kb
        self.tokenize = tokenize
        self._cache: dict[str, tuple[str, str] | None] = {}

    def __call__(self, name: str) -> tuple[str, str] | None:
        """("state", ISO3) or ("group", id), or None when the base has no such name."""
        if name not in self._cache:
            self._cache[name] = self._lookup(name)
        return self._cache[name]

    def _lookup(self, name: str) -> tuple[str, str] | None:
        state = _GOVERNMENT.match(name) is not None
        bare = _GOVERNMENT.sub("", name)
        forms = [bare, _PARENS.sub("", bare), *_PARENS.findall(bare)]
        for form in forms:
            for entry in entries_named(self.kb, self.tokenize(form)):
                if entry.kind in ("country", "former") and entry.actor.country:
                    return "state", entry.actor.country
                if entry.kind == "group" and not state:
                    return "group", entry.actor.id
        return None


def locations(conflict: GoldConflict, namer: Namer) -> set[str]:
    return {m[1] for loc in conflict.locations if (m := namer(loc)) and m[0] == "state"}


def gold_nodes(conflict: GoldConflict, theatre: Theatre, namer: Namer) -> dict[str, int]:
    """Each gold member's node in the theatre's graph, with its side (0: A, 1: B)."""
    members = set(theatre.members) or {theatre.country}
    placed = {n for camp in theatre.camps for n in camp}
    out: dict[str, int] = {}
    for side, names in enumerate(conflict.sides):
        for name in names:
            found = namer(name)
            if found is None:
                if name in conflict.primary[side] and not _GOVERNMENT.match(name):
                    for iso in sorted(locations(conflict, namer)):
                        out.update({g: side for g in _generic(iso, placed)})
                continue
            kind, key = found
            if kind == "state":
                out[f"{key}GOV" if key in members else key] = side
            else:
                out[key] = side
    return out


def _generic(iso: str, placed: set[str]) -> list[str]:
    return [f"{iso}{s}" for s in _GENERIC if f"{iso}{s}" in placed]


# The score ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Scored:
    """One conflict-year scored against a theatre: its matched actors and agreeing pairs."""

    conflict: GoldConflict
    theatre: Theatre
    matched: dict[str, int]
    pairs: int
    agree: int
    wrong: tuple[str, ...]


def score_conflict(conflict: GoldConflict, theatre: Theatre, namer: Namer) -> Scored:
    gold = gold_nodes(conflict, theatre, namer)
    matched = {n: s for n, s in gold.items() if theatre.camp_of(n) is not None}
    pairs = agree = 0
    wrong = []
    for a, b in combinations(sorted(matched), 2):
        pairs += 1
        same_gold = matched[a] == matched[b]
        if same_gold == (theatre.camp_of(a) == theatre.camp_of(b)):
            agree += 1
        else:
            wrong.append(f"{a} and {b} {'together' if same_gold else 'opposed'} in UCDP")
    return Scored(conflict, theatre, matched, pairs, agree, tuple(wrong))


def eval_camps(
    ties: Iterable[Tie], conflicts: list[GoldConflict], namer: Namer, years: set[int] | None
) -> Report:
    """Coverage and pairwise agreement of the store's yearly camps with UCDP's."""
    ties = list(ties)
    theatres = sides_by_window(ties)
    by_year: dict[int, list[Theatre]] = defaultdict(list)
    for th in theatres:
        if th.window and th.window.label.isdigit():
            by_year[int(th.window.label)].append(th)
    seen = _countries_by_year(ties)
    report = Report("camps against UCDP (ACD conflict-years, ESD supporters), per year")
    totals: Counter[str] = Counter()
    rows = []
    for year in sorted(set(seen) if years is None else years & set(seen)):
        tally: Counter[str] = Counter()
        for conflict in (c for c in conflicts if c.year == year):
            where = locations(conflict, namer)
            if not where & seen[year]:
                continue
            tally["with articles"] += 1
            candidates = [t for t in by_year.get(year, []) if t.country in where]
            if not candidates:
                continue
            tally["with a theatre"] += 1
            best = max(
                (score_conflict(conflict, t, namer) for t in candidates),
                key=lambda s: (len(s.matched), s.theatre.country),
            )
            if len(best.matched) < 2:
                continue
            tally["covered"] += 1
            tally["pairs"] += best.pairs
            tally["agree"] += best.agree
            report.errors += [
                f"{year} {', '.join(conflict.locations)} ({conflict.conflict_id}): {w}"
                for w in best.wrong
            ]
        totals.update(tally)
        if tally["with articles"]:
            rows.append(_row(str(year), tally))
    report.figures = {
        "years with conflicts": len(rows),
        "conflict-years with articles": totals["with articles"],
        "with a theatre": totals["with a theatre"],
        "covered (2+ matched actors)": totals["covered"],
        "matched pairs": totals["pairs"],
        "pairwise agreement": totals["agree"] / totals["pairs"] if totals["pairs"] else 0.0,
    }
    header = f"{'year':>6} {'articles':>8} {'theatre':>8} {'covered':>8} {'pairs':>6} agreement"
    report.tables["by year (conflict-years)"] = [header, *rows]
    return report


def _row(label: str, t: Counter[str]) -> str:
    agreement = f"{t['agree'] / t['pairs']:.3f}" if t["pairs"] else "-"
    return (
        f"{label:>6} {t['with articles']:>8} {t['with a theatre']:>8} {t['covered']:>8} "
        f"{t['pairs']:>6} {agreement}"
    )


def _countries_by_year(ties: Iterable[Tie]) -> dict[int, set[str]]:
    """The countries of the actors of each year's events: what the corpus has articles on."""
    out: dict[int, set[str]] = defaultdict(set)
    for tie in ties:
        if (day := tie.day) is not None:
            out[day.year] |= {c for a in (tie.source, tie.target) if (c := a.country)}
    return out
