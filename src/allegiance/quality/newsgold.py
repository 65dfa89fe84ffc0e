"""Whole articles coded by hand: the standoff records of ../shared/eval/news and of the team's
own training articles, read and checked against the corpus they point into.

A record is ``{article_id, published, events: [...], sides: [...]}`` (the schema of
../shared/eval/news/GUIDELINES.md). The article's text is never in the record: offsets index
the ``text`` of the corpus record with that id, so the coded data can live in the repo while
the articles stay where their owners put them.

``load_gold`` is for scoring: it refuses a file whose records point nowhere (unknown article,
offsets out of range, an unknown type) with one line naming the record. ``check_record`` is
the stricter check of training data coded by the team: every field in its vocabulary, every
event sentence one of ``split_sentences``'s sentences.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..knowledge import sectors
from ..records import MODALITIES

TYPES = (
    "AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REQUEST ACCUSE REJECT THREATEN "
    "PROTEST SANCTION MOBILIZE COERCE ASSAULT"
).split()
# Modes of the PLOVER codebook, with those the guidelines add (meet, host, mediate; the kinds
# of aid).
MODES: dict[str, frozenset[str]] = {
    "CONSULT": frozenset("meet visit host phone mediate multilateral third-party".split()),
    "AID": frozenset("military economic humanitarian".split()),
    "RETREAT": frozenset("access ceasefire disarm release resign return withdraw".split()),
    "REQUEST": frozenset("assist change meet yield".split()),
    "ACCUSE": frozenset("allege disapprove investigate".split()),
    "REJECT": frozenset("assist change meet yield".split()),
    "THREATEN": frozenset("arrest ban expel relations restrict rights territory violence".split()),
    "PROTEST": frozenset("boycott demo hunger obstruct riot strike".split()),
    "SANCTION": frozenset("convict discontinue expel withdraw".split()),
    "MOBILIZE": frozenset("militia police troops weapons".split()),
    "COERCE": frozenset(
        "arrest ban censor curfew cyber deport misinformation restrict seize withhold".split()
    ),
    "ASSAULT": frozenset(
        "abduct aerial assassinate beat cleansing crowd-control destroy drone execute "
        "explosives firearms heavy-weapons massacre primitive sexual suicide-attack torture "
        "unconventional".split()
    ),
}
SECTORS = sectors.CODED
PRECISIONS = ("day", "week", "month", "year", "unknown")

_EVENT_KEYS = (
    "sentence_index char_start char_end type mode source target date date_precision "
    "modality location other_sentence_indices notes".split()
)
_ISO3 = re.compile(r"^[A-Z]{3}$")


class GoldError(InputError):
    """A gold or training record that cannot be used; the message names it and the problem."""


@dataclass(frozen=True, slots=True)
class GoldActor:
    name: str
    aliases: tuple[str, ...]
    country: str | None
    sector: str | None


@dataclass(frozen=True, slots=True)
class GoldEvent:
    sentence_index: int
    char_start: int
    char_end: int
    type: str
    mode: str | None
    source: GoldActor
    target: GoldActor | None
    date: str | None
    date_precision: str
    modality: str
    location: tuple[str, str | None] | None
    other_sentence_indices: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class GoldCamps:
    conflict: str
    camps: tuple[tuple[GoldActor, ...], ...]


@dataclass(frozen=True, slots=True)
class GoldArticle:
    article_id: str
    published: date | None
    text: str
    events: tuple[GoldEvent, ...]
    sides: tuple[GoldCamps, ...]


# Sentences ----------------------------------------------------------------------------------
# Words a full stop follows without ending a sentence (the guidelines' abbreviations).
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen lt col maj capt sgt cpl pvt brig adm cmdr gov sen rep rev st jr sr prof "
    "pres messrs mt ft no vs etc jan feb mar apr jun jul aug sep sept oct nov dec inc corp "
    "ltd co dept u.s u.n u.k e.u a.m p.m i.e e.g".split()
)
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence, by the guidelines: a newline always ends one; inside a
    paragraph ``.``, ``!`` or ``?`` followed by whitespace and a capital, digit or quote ends
    one, except after an abbreviation or an initial."""
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        base, line, start = para.start(), para.group(), 0
        for end in _SENTENCE_END.finditer(line):
            if line[end.start()] == "." and _abbreviation(line[: end.start()]):
                continue
            _add(spans, base, line, start, end.end())
            start = end.end()
        _add(spans, base, line, start, len(line))
    return spans


def _abbreviation(before: str) -> bool:
    word = before.rsplit(None, 1)[-1] if before.strip() else ""
    core = word.lstrip("\"'“‘([").casefold()
    return (
        core in _ABBREVIATIONS
        or bool(re.fullmatch(r"[^\W\d_]", core))  # an initial
        or bool(re.fullmatch(r"(?:[^\W\d_]\.)+[^\W\d_]", core))  # U.S, U.N
    )


def _add(spans: list[tuple[int, int]], base: int, line: str, start: int, end: int) -> None:
    piece = line[start:end]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        spans.append((base + start + lead, base + end - trail))


# The corpus ---------------------------------------------------------------------------------
def read_corpus(path: Path, wanted: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
    """Records of a JSONL corpus by id (only the wanted ids, when given).

    Raises:
        GoldError: the corpus cannot be read.
    """
    want = set(wanted) if wanted is not None else None
    out: dict[str, dict[str, Any]] = {}
    try:
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except ValueError as exc:
                    raise GoldError(f"{path}:{n}: malformed JSON in the corpus ({exc})") from None
                rid = str(rec.get("id"))
                if want is None or rid in want:
                    out[rid] = rec
    except OSError as exc:
        raise GoldError(f"{path}: cannot read the corpus ({exc.strerror or exc})") from None
    return out


# Reading and checking records ---------------------------------------------------------------
def iter_records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) of a gold file.

    Raises:
        GoldError: the file cannot be read, or a line is not a JSON object.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read the gold file ({exc})") from None
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError as exc:
            raise GoldError(f"{path}:{n}: malformed JSON ({exc})") from None
        if not isinstance(rec, dict):
            raise GoldError(f"{path}:{n}: a record must be a JSON object")
        yield n, rec


def is_news_gold(path: Path) -> bool:
    """Whether a gold file holds whole coded articles (records with ``article_id``) rather
    than sentences with their text."""
    try:
        return "article_id" in next(iter_records(path), (0, {}))[1]
    except GoldError:
        return False


def load_gold(path: Path, corpus: Path) -> list[GoldArticle]:
    """The coded articles of ``path`` with their texts from ``corpus``.

    Raises:
        GoldError: one line naming the first record that cannot be used and why (unknown
            article id, offsets out of range, an unknown type or modality, a missing field).
    """
    records = list(iter_records(path))
    texts = read_corpus(corpus, (str(r.get("article_id")) for _, r in records))
    out = []
    for n, rec in records:
        where = f"{path}:{n} ({rec.get('article_id')})"
        try:
            out.append(_article(rec, texts))
        except (KeyError, TypeError, ValueError) as exc:
            raise GoldError(f"{where}: {_reason(exc)}") from None
    return out


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    return str(exc)


def _article(rec: dict[str, Any], texts: dict[str, dict[str, Any]]) -> GoldArticle:
    aid = str(rec["article_id"])
    if aid not in texts:
        raise ValueError(f"unknown article id {aid!r}: the corpus has no record of that id")
    text = texts[aid]["text"]
    published = date.fromisoformat(rec["published"]) if rec.get("published") else None
    events = []
    for i, ev in enumerate(rec["events"]):
        try:
            events.append(_event(ev, text))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"event {i}: {_reason(exc)}") from None
    sides = tuple(_camps(s) for s in rec.get("sides") or ())
    return GoldArticle(aid, published, text, tuple(events), sides)


def _event(ev: dict[str, Any], text: str) -> GoldEvent:
    start, end = int(ev["char_start"]), int(ev["char_end"])
    if not 0 <= start < end <= len(text):
        raise ValueError(f"offsets [{start}, {end}) out of range (the text has {len(text)})")
    if ev["type"] not in TYPES:
        raise ValueError(f"unknown type {ev['type']!r}; the 16 PLOVER types are {TYPES}")
    if ev["modality"] not in MODALITIES:
        raise ValueError(f"unknown modality {ev['modality']!r}; one of {MODALITIES}")
    if ev["source"] is None:
        raise ValueError("an event needs a source")
    loc = ev.get("location")
    return GoldEvent(
        sentence_index=int(ev.get("sentence_index") or 0),
        char_start=start,
        char_end=end,
        type=ev["type"],
        mode=ev.get("mode"),
        source=_actor(ev["source"]),
        target=_actor(ev["target"]) if ev.get("target") else None,
        date=ev.get("date"),
        date_precision=ev.get("date_precision") or "unknown",
        modality=ev["modality"],
        location=(str(loc["name"]), loc.get("country")) if loc else None,
        other_sentence_indices=tuple(int(i) for i in ev.get("other_sentence_indices") or ()),
    )


def _actor(a: dict[str, Any]) -> GoldActor:
    name = a["name"]
    if not isinstance(name, str) or not name.strip():
        raise ValueError("an actor needs a name")
    aliases = tuple(str(x) for x in a.get("aliases") or ())
    return GoldActor(name, aliases, a.get("country"), a.get("sector"))


def _camps(side: dict[str, Any]) -> GoldCamps:
    details = side.get("camp_actor_details") or [
        [{"name": n, "country": None, "sector": None} for n in camp] for camp in side["camps"]
    ]
    camps = tuple(tuple(_actor(a) for a in camp) for camp in details)
    return GoldCamps(str(side.get("conflict") or ""), camps)


def check_record(rec: dict[str, Any], text: str) -> list[str]:
    """Every problem of one training record coded by the team, as short messages (empty when
    it is clean): the schema's fields and vocabularies, sentence offsets that are a sentence of
    ``split_sentences`` with its index, dates that are ISO dates."""
    problems: list[str] = []
    sentences = split_sentences(text)
    if rec.get("published") is not None:
        try:
            date.fromisoformat(rec["published"])
        except (TypeError, ValueError):
            problems.append(f"published {rec['published']!r} is not YYYY-MM-DD or null")
    if not isinstance(rec.get("events"), list):
        return [*problems, "events must be a list"]
    for i, ev in enumerate(rec["events"]):
        problems += [f"event {i}: {p}" for p in _check_event(ev, sentences)]
    for i, side in enumerate(rec.get("sides") or ()):
        problems += [f"sides {i}: {p}" for p in _check_side(side)]
    return problems


def _check_event(ev: Any, sentences: list[tuple[int, int]]) -> list[str]:
    if not isinstance(ev, dict):
        return ["not an object"]
    out = [f"missing field {k!r}" for k in _EVENT_KEYS if k not in ev]
    if out:
        return out
    idx = ev["sentence_index"]
    if not isinstance(idx, int) or not 0 <= idx < len(sentences):
        out.append(f"sentence_index {idx!r} out of range (0..{len(sentences) - 1})")
    elif (ev["char_start"], ev["char_end"]) != sentences[idx]:
        out.append(f"offsets {ev['char_start']}-{ev['char_end']} are not sentence {idx}")
    others = ev["other_sentence_indices"]
    if not isinstance(others, list) or not all(
        isinstance(j, int) and 0 <= j < len(sentences) and j != idx for j in others
    ):
        out.append("other_sentence_indices must list other sentences' indices")
    if ev["type"] not in TYPES:
        out.append(f"unknown type {ev['type']!r}")
    elif ev["mode"] is not None and ev["mode"] not in MODES.get(ev["type"], ()):
        out.append(f"mode {ev['mode']!r} is not a mode of {ev['type']}")
    if ev["modality"] not in MODALITIES:
        out.append(f"unknown modality {ev['modality']!r}")
    if ev["date_precision"] not in PRECISIONS:
        out.append(f"unknown date_precision {ev['date_precision']!r}")
    if ev["date"] is not None:
        try:
            date.fromisoformat(ev["date"])
        except (TypeError, ValueError):
            out.append(f"date {ev['date']!r} is not YYYY-MM-DD or null")
    if ev["source"] is None:
        out.append("source is null")
    for role in ("source", "target"):
        if ev[role] is not None:
            out += [f"{role}: {p}" for p in _check_actor(ev[role], aliases=True)]
    loc = ev["location"]
    if loc is not None and (
        not isinstance(loc, dict) or not loc.get("name") or not _country_ok(loc.get("country"))
    ):
        out.append("location must be null or {name, country}")
    return out


def _check_actor(a: Any, aliases: bool) -> list[str]:
    if not isinstance(a, dict):
        return ["not an object"]
    out = []
    if not isinstance(a.get("name"), str) or not a["name"].strip():
        out.append("no name")
    if aliases and not (
        isinstance(a.get("aliases"), list) and all(isinstance(x, str) for x in a["aliases"])
    ):
        out.append("aliases must be a list of strings")
    if not _country_ok(a.get("country")):
        out.append(f"country {a.get('country')!r} is not ISO 3166 alpha-3 or null")
    if a.get("sector") is not None and a["sector"] not in SECTORS:
        out.append(f"unknown sector {a['sector']!r}")
    if a.get("sector") == "IGO" and a.get("country") is not None:
        out.append("an IGO has country null")
    return out


def _country_ok(code: Any) -> bool:
    return code is None or (isinstance(code, str) and bool(_ISO3.match(code)))


def _check_side(side: Any) -> list[str]:
    if not isinstance(side, dict) or not isinstance(side.get("camps"), list):
        return ["must be {conflict, camps, camp_actor_details}"]
    out = []
    if len(side["camps"]) < 2:
        out.append("a conflict needs at least two camps")
    details = side.get("camp_actor_details")
    if not isinstance(details, list) or len(details) != len(side["camps"]):
        return [*out, "camp_actor_details must give one list of actors per camp"]
    for camp, actors in zip(side["camps"], details, strict=True):
        if not isinstance(camp, list) or not isinstance(actors, list):
            out.append("each camp is a list")
            continue
        if [a.get("name") if isinstance(a, dict) else None for a in actors] != camp:
            out.append("camp_actor_details must name the camp's actors in order")
        for a in actors:
            out += _check_actor(a, aliases=False)
    return out
