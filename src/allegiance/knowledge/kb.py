"""The knowledge base: the team's YAML files (and a user's) as a fast phrase index.

Matching ignores case and diacritics, with two exceptions that keep common words from turning
into actors: an alias written in capitals (``US``, ``WHO``, ``IS``) must match exactly, and an
alias that is a proper name (``Turkey``, ``Chad``, ``May``) must start with a capital in the text.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import KnowledgeError
from ..records import Actor
from .sectors import SECTORS

Tokenize = Callable[[str], Sequence[str]]

_ROMAN = re.compile(r"[IVXLC]+")
_SECTIONS = ("countries", "igos", "groups", "people", "agents")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case- and diacritic-insensitive key of a word: ``Erdoğan`` -> ``erdogan``."""
    text = text.replace("’", "'").replace("‘", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_key(word: str) -> str:
    """A word of a name as the base indexes it: folded, and British spellings as American
    ones, so "Organisation for Security and Cooperation" and "Israel Defence Forces" find
    the entries spelt the other way."""
    key = fold(word)
    for british, american in _SPELLINGS:
        if british in key:
            key = key.replace(british, american)
    return key


_SPELLINGS = (("isation", "ization"), ("defence", "defense"), ("programme", "program"))


def slug(text: str) -> str:
    """A readable id from a name: ``Khalifa Haftar`` -> ``khalifa-haftar``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def parse_date(value: Any, *, end: bool = False) -> date | None:
    """Read a KB date (``2004-03-09``, ``2004-03`` or ``2004``); partial dates widen the range.

    Raises:
        KnowledgeError: the value is not a date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    text = str(value)
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text)
    if not m:
        raise KnowledgeError(f"'{text}' is not a date; write YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = int(m[1]), m[2], m[3]
    if day:
        return date(year, int(month), int(day))
    if month:
        mon = int(month)
        return date(year, mon, calendar.monthrange(year, mon)[1] if end else 1)
    return date(year, 12, 31) if end else date(year, 1, 1)


@dataclass(frozen=True, slots=True)
class Entry:
    """One alias of one actor: what kind of name it is and when it applies."""

    actor: Actor
    kind: str  # country, former, demonym, capital, seat, igo, group, person, surname
    start: date | None = None
    end: date | None = None
    exact: bool = False  # written in capitals: match case-sensitively
    proper: bool = True  # a proper name: must start with a capital in the text
    tokens: tuple[str, ...] = ()

    def active(self, when: date | None) -> bool:
        """Whether the entry applies on a date (always, when the date is unknown)."""
        if when is None:
            return True
        return (self.start is None or self.start <= when) and (self.end is None or when <= self.end)


@dataclass(frozen=True, slots=True)
class Match:
    """A run of tokens ``[start, end)`` naming one or more candidate entries."""

    start: int
    end: int
    entries: tuple[Entry, ...]


@dataclass(slots=True)
class KnowledgeBase:
    """All aliases indexed by their folded token sequence, plus agents and offices."""

    index: dict[tuple[str, ...], list[Entry]] = field(default_factory=dict)
    prefixes: set[tuple[str, ...]] = field(default_factory=set)
    agents: dict[str, str] = field(default_factory=dict)  # folded noun phrase -> sector
    agent_tails: set[str] = field(default_factory=set)  # last words of multi-word agents
    countries: dict[str, Actor] = field(default_factory=dict)
    offices: dict[tuple[str, str], list[Entry]] = field(default_factory=dict)
    terms: dict[str, list[tuple[str, str, Entry]]] = field(default_factory=dict)
    # A group's sector by period where it changed ("roles:"): the Taliban governed 1996-2001.
    roles: dict[str, list[tuple[date, date | None, str]]] = field(default_factory=dict)
    # Person id -> (the group he leads, its active years), from the groups' ``leader`` lists.
    led: dict[str, tuple[Actor, date | None, date | None]] = field(default_factory=dict)
    capitals: dict[str, str] = field(default_factory=dict)  # ISO3 -> first capital
    # Folded words of an office only one state has ("home secretary") -> its ISO3 code.
    titles: dict[tuple[str, ...], str] = field(default_factory=dict)
    # A territory whose bare "the army", "troops", "settlers" are another state's: its
    # occupier (the West Bank's soldiers are Israel's). ISO3 -> ISO3.
    occupiers: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    # Folded first words of the people's full names ("robert", "clare"): evidence that an
    # unknown name the tagger calls a person is one, not a place or a ship.
    given_names: set[str] = field(default_factory=set)

    def add(self, alias: str, entry: Entry, tokenize: Tokenize) -> None:
        words = tuple(tokenize(alias))
        if not words:
            return
        key = tuple(name_key(w) for w in words)
        exact = alias.isupper() and len(alias.replace(".", "")) <= 6
        proper = entry.kind not in ("agent",) and alias[:1].isupper()
        self.index.setdefault(key, []).append(
            Entry(entry.actor, entry.kind, entry.start, entry.end, exact, proper, words)
        )
        for n in range(1, len(key) + 1):
            self.prefixes.add(key[:n])

    def find(self, texts: Sequence[str]) -> list[Match]:
        """Longest non-overlapping matches, left to right, that pass the case rules."""
        keys = [name_key(t) for t in texts]
        found: list[Match] = []
        i = 0
        while i < len(keys):
            best: Match | None = None
            j = i + 1
            while j <= len(keys) and tuple(keys[i:j]) in self.prefixes:
                ok = [e for e in self.index.get(tuple(keys[i:j]), ()) if _case_ok(e, texts[i:j])]
                if ok:
                    best = Match(i, j, tuple(ok))
                j += 1
            if best:
                found.append(best)
                i = best.end
            else:
                i += 1
        return found

    def title_country(self, words: Sequence[str]) -> str | None:
        """The state whose own office some run of the words names ("Home Secretary"), if any."""
        keys = [fold(w) for w in words]
        for i in range(len(keys)):
            for j in range(min(len(keys), i + 6), i, -1):
                if (iso := self.titles.get(tuple(keys[i:j]))) is not None:
                    return iso
        return None

    def office_of(self, actor_id: str, when: date | None) -> tuple[str, str] | None:
        """(country, office) a person held on a date, or None."""
        for country, office, entry in self.terms.get(actor_id, []):
            if entry.active(when):
                return country, office
        return None

    def headed_state(self, actor_id: str) -> bool:
        """Whether a person was ever his state's head or head of government."""
        heads = ("head_of_state", "head_of_government")
        return any(office in heads for _, office, _ in self.terms.get(actor_id, []))

    def sector_on(self, actor: Actor, when: date | None) -> str | None:
        """A group's sector on a date: the role the base gives for that period (a party in
        opposition, rebels who took power), else its own."""
        return role_at(self.roles.get(actor.id, []), actor.sector, when)

    def leads(self, person: Actor, when: date | None) -> str | None:
        """The sector of the group a person leads, as it was on a date within its years
        (Kabila's rebels in April 1997), or None."""
        group, start, end = self.led.get(person.id, (None, None, None))
        if group is None or when is None or not Entry(group, "group", start, end).active(when):
            return None
        return self.sector_on(group, when)

    def holder(self, country: str, office: str, when: date | None) -> Actor | None:
        """Who held an office in a country on a date; nobody when the date is unknown (a
        title in an undated text could name any holder) or outside every term the base has."""
        if when is None:
            return None
        for entry in self.offices.get((country, office), []):
            if entry.active(when):
                return entry.actor
        return None


def entries_named(kb: KnowledgeBase, words: Sequence[str]) -> list[Entry]:
    """Every entry a name (as tokens) is an alias of, whatever its case, by kind and date."""
    entries = kb.index.get(tuple(name_key(w) for w in words), [])
    order = ("country", "igo", "group", "person", "former", "demonym", "capital", "seat")
    rank = {k: n for n, k in enumerate(order)}
    return sorted(entries, key=lambda e: (rank.get(e.kind, 99), e.start or date.min))


def _case_ok(entry: Entry, texts: Sequence[str]) -> bool:
    if entry.exact:
        return tuple(texts) == entry.tokens
    if entry.proper:
        return texts[0][:1].isupper()
    return True


def read_yaml(path: Path | Any) -> dict[str, Any]:
    try:
        # libyaml's loader when PyYAML has it: ten times faster on the knowledge base
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except OSError as exc:
        raise KnowledgeError(f"cannot read knowledge file {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise KnowledgeError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError(
            f"{path}{_yaml_where(exc)}: not valid YAML ({_yaml_problem(exc)})"
        ) from exc
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path}: expected a mapping with 'source' and 'data' keys")
    return data


def _yaml_where(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    return f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""


def _yaml_problem(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc)
    return " ".join(str(problem).split())


def packaged_files() -> dict[str, list[Any]]:
    """The knowledge files shipped in the package, by section."""
    root = resources.files("allegiance.knowledge") / "kb"
    people = sorted(
        (p for p in (root / "people").iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name
    )
    files = {
        "countries": [root / "countries.yaml"],
        "igos": [root / "igos.yaml"],
        "groups": [root / "armed_groups.yaml", root / "parties.yaml", root / "agencies.yaml"],
        "people": people,
        "agents": [root / "agents.yaml"],
    }
    return {k: [p for p in v if p.is_file()] for k, v in files.items()}


def load_sections(user_file: Path | None = None) -> dict[str, list[Any]]:
    """Read every packaged file and a user's file into lists of raw entries by section."""
    sections: dict[str, list[Any]] = defaultdict(list)
    for section, paths in packaged_files().items():
        for path in paths:
            data = read_yaml(path).get("data") or []
            if section == "agents":
                sections[section].append(data)
            else:
                sections[section].extend(data)
    if user_file is not None:
        user = read_yaml(Path(user_file))
        unknown = set(user) - set(_SECTIONS) - {"source"}
        if unknown:
            raise KnowledgeError(
                f"{user_file}: unknown section(s) {sorted(unknown)}; use {list(_SECTIONS)}"
            )
        for section in _SECTIONS:
            want = dict if section == "agents" else list
            if user.get(section) is not None and not isinstance(user[section], want):
                raise KnowledgeError(
                    f"{user_file}: section '{section}' must be a {want.__name__} of entries"
                )
            if section == "agents" and section in user:
                sections[section].append(user[section])
            elif section == "people":  # kept apart: a user's person replaces the base's
                sections["user people"] = check_entries(user_file, section, user.get(section))
            elif section in user:
                sections[section].extend(check_entries(user_file, section, user[section]))
    return sections


# Fields each entry of a section must have.
_REQUIRED = {
    "countries": ("iso3", "name"),
    "igos": ("id", "name"),
    "groups": ("id", "name"),
    "people": ("name",),
}


def check_entries(path: Path, section: str, items: list[Any] | None) -> list[dict[str, Any]]:
    """A user's entries of one section, checked: each a mapping with its fields, names as
    text, dates that parse, a known sector.

    Raises:
        KnowledgeError: one line naming the file, the entry and what is wrong with it.
    """
    out = []
    for n, item in enumerate(items or []):
        where = f"{path}: {section}[{n}]"
        if not isinstance(item, dict):
            raise KnowledgeError(f"{where}: an entry must be a mapping of fields")
        where += f" ({item.get('name') or item.get('id') or '?'})"
        for key in _REQUIRED[section]:
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise KnowledgeError(f"{where}: needs '{key}' as text")
        if not isinstance(item.get("aliases") or [], list):
            raise KnowledgeError(f"{where}: 'aliases' must be a list of names")
        sector = item.get("sector")
        if sector is not None and sector not in SECTORS:
            raise KnowledgeError(f"{where}: sector '{sector}' is not one of {', '.join(SECTORS)}")
        active = item.get("active")
        if active is not None and not (isinstance(active, list) and len(active) == 2):
            raise KnowledgeError(f"{where}: 'active' must be [start, end] (null for open)")
        for role in item.get("roles") or []:
            try:
                parse_role(role if isinstance(role, dict) else {})
            except KnowledgeError:
                raise KnowledgeError(
                    f"{where}: each of 'roles' must be {{start, end, sector}} with dates and a "
                    f"known sector, not {role!r}"
                ) from None
        dates = {"start": item.get("start"), "end": item.get("end")}
        dates |= {"active start": (active or [None])[0], "active end": (active or [None, None])[1]}
        for key, value in dates.items():
            try:
                parse_date(value)
            except KnowledgeError as exc:
                problem = str(exc).removeprefix(f"[{exc.code}] ")
                raise KnowledgeError(f"{where}: {key} {problem}") from None
        out.append(item)
    return out


def _person_keys(item: dict[str, Any]) -> set[str]:
    """What a person entry can be named by in an override: its id and its names, folded."""
    names = [item["name"], *(item.get("aliases") or [])]
    return {slug(str(item.get("id") or item["name"])), *(fold(str(n)) for n in names)}


def with_user_people(base: list[Any], user: list[Any]) -> list[Any]:
    """The base's people with every person a user's entry names (by id, name or alias)
    replaced, all terms of him, by the user's entries."""
    named = set().union(*(_person_keys(u) for u in user)) if user else set()
    replaced = {slug(b["name"]) for b in base if _person_keys(b) & named}
    return [b for b in base if slug(b["name"]) not in replaced] + list(user)


def _override(items: Iterable[dict[str, Any]], key: Callable[[dict[str, Any]], str]) -> list[Any]:
    """Later entries with the same key replace earlier ones (a user file overrides the base)."""
    merged: dict[str, dict[str, Any]] = {}
    for item in items:
        merged[key(item)] = item
    return list(merged.values())


def build(sections: dict[str, list[Any]], tokenize: Tokenize) -> KnowledgeBase:
    """Index raw sections into a KnowledgeBase.

    Raises:
        KnowledgeError: an entry lacks a field or has a bad value.
    """
    kb = KnowledgeBase()
    try:
        _add_countries(kb, _override(sections.get("countries", []), lambda d: d["iso3"]), tokenize)
        _add_igos(kb, _override(sections.get("igos", []), lambda d: d["id"]), tokenize)
        _add_groups(kb, _override(sections.get("groups", []), lambda d: d["id"]), tokenize)
        people = with_user_people(sections.get("people", []), sections.get("user people", []))
        _add_people(kb, people, tokenize)
        for mapping in sections.get("agents", []):
            for sector, nouns in (mapping or {}).items():
                for noun in nouns or []:
                    words = [fold(w) for w in tokenize(str(noun))]
                    kb.agents[" ".join(words)] = str(sector)
                    if len(words) > 1:
                        kb.agent_tails.add(words[-1])
    except (KeyError, TypeError) as exc:
        raise KnowledgeError(f"knowledge entry is missing a field or malformed: {exc!r}") from exc
    return kb


def _add_countries(kb: KnowledgeBase, items: list[dict[str, Any]], tokenize: Tokenize) -> None:
    for item in items:
        iso = item["iso3"]
        actor = Actor(id=iso, name=item["name"], country=iso, sector=None, kind="country")
        kb.countries[iso] = actor
        if item.get("capitals"):
            kb.capitals[iso] = str(item["capitals"][0])
        if item.get("occupier"):
            kb.occupiers[iso] = str(item["occupier"])
        for title in item.get("titles") or []:
            kb.titles[tuple(fold(w) for w in tokenize(str(title)))] = iso
        kinds = [
            # A shared name ("Congo") is indexed for each state that declares it; the
            # resolver settles it by the article's other places (_choose).
            ("country", [item["name"], *(item.get("aliases") or []), *(item.get("shared") or [])]),
            ("former", item.get("former") or []),
            ("demonym", item.get("demonyms") or []),
            ("capital", item.get("capitals") or []),
            ("seat", item.get("seats") or []),
        ]
        for kind, names in kinds:
            for name in names:
                kb.add(str(name), Entry(actor, kind), tokenize)


def _add_igos(kb: KnowledgeBase, items: list[dict[str, Any]], tokenize: Tokenize) -> None:
    for item in items:
        actor = Actor(
            id=item["id"],
            name=item["name"],
            country=None,
            sector="IGO",
            kind="igo",
            cameo=item.get("cameo") or "IGO",
        )
        for name in [item["name"], *(item.get("aliases") or [])]:
            kb.add(str(name), Entry(actor, "igo"), tokenize)


def _add_groups(kb: KnowledgeBase, items: list[dict[str, Any]], tokenize: Tokenize) -> None:
    for item in items:
        actor = Actor(
            id=item["id"],
            name=item["name"],
            country=item.get("country"),
            sector=item.get("sector"),
            # A body of the state known by its own name ("the FBI", "Mossad") is the state's
            # organ, as "the US Justice Department" is: not a group of its own in the camps.
            kind="agent" if item.get("organ") else "group",
        )
        active = item.get("active") or [None, None]
        start, end = parse_date(active[0]), parse_date(active[1], end=True)
        roles = [parse_role(r) for r in item.get("roles") or []]
        if roles:
            kb.roles[actor.id] = roles
        led = item.get("leader") or []
        for person in [led] if isinstance(led, str) else led:
            kb.led[str(person)] = (actor, start, end)
        # A name several groups go by ("Greens", "Labor Party") is ``shared`` by each; the
        # resolver links it only to one of a country the article names.
        names = [item["name"], *(item.get("aliases") or []), *(item.get("shared") or [])]
        for name in names:
            # A group is named after it ends (trials, history), so its names never expire;
            # the years only break ties between groups sharing a name.
            kb.add(str(name), Entry(actor, "group", start, end), tokenize)


def parse_role(role: dict[str, Any]) -> tuple[date, date | None, str]:
    """One period of a group's ``roles``: ``{start, end, sector}`` (end null: still so).

    Raises:
        KnowledgeError: no start, a bad date or an unknown sector.
    """
    start = parse_date(role.get("start"))
    sector = role.get("sector")
    if start is None or sector not in SECTORS:
        raise KnowledgeError(f"role {role!r} needs a start date and a known sector")
    return start, parse_date(role.get("end"), end=True), str(sector)


# First words of names that are particles, titles or words places also begin with, not
# given names: "Al Muthanna", "El Financiero", "San Jose", "Gen Haftar".
_NOT_GIVEN = frozenset(
    "al el abu abd bin ibn le la de des du van von der den san santa st saint gen sir dr "
    "do no to go per win odd new north south east west mount port fort lake cape".split()
)


def _add_people(kb: KnowledgeBase, items: list[dict[str, Any]], tokenize: Tokenize) -> None:
    for item in items:
        country = item.get("country")
        sector = item.get("sector") or "GOV"
        actor = Actor(
            id=slug(str(item.get("id") or item["name"])),
            name=item["name"],
            country=None if country == "IGO" else country,
            sector="IGO" if country == "IGO" else sector,
            kind="person",
            office=item.get("title") or item.get("office"),
        )
        start, end = parse_date(item.get("start")), parse_date(item.get("end"), end=True)
        entry = Entry(actor, "person", start, end)
        for name in [item["name"], *(item.get("aliases") or [])]:
            kb.add(str(name), entry, tokenize)
            words = tokenize(str(name))
            first = fold(words[0]) if len(words) > 1 else ""
            if first.isalpha() and first not in _NOT_GIVEN:
                kb.given_names.add(first)
        surname = _surname(item, tokenize)
        if surname is not None:
            kb.add(surname, Entry(actor, "surname", start, end), tokenize)
        if item.get("office") and country:
            # Organisations share the IGO code, so their offices are told apart by title.
            office = str(item["office"]) if country != "IGO" else str(item.get("title"))
            kb.offices.setdefault((country, office), []).append(entry)
            kb.terms.setdefault(actor.id, []).append((country, office, entry))
    for key, terms in kb.offices.items():
        terms.sort(key=lambda e: e.start or date.min)
        kb.offices[key] = _handovers(terms)


def _surname(item: dict[str, Any], tokenize: Tokenize) -> str | None:
    """The name news calls a person by alone: ``surname`` when the entry gives it, else the
    family name, first in Chinese, Korean and Khmer names ("Xi" of Xi Jinping, "Ban" of Ban
    Ki-moon, "Hun" of Hun Sen) and last elsewhere; none when it is too short or a numeral."""
    if item.get("surname"):
        return str(item["surname"])
    words = tokenize(str(item["name"]))
    first = item.get("country") in _FAMILY_FIRST and len(words) > 1
    surname = words[0] if first else words[-1]
    if len(surname) < (2 if first else 3) or not surname[:1].isupper():
        return None
    return None if _ROMAN.fullmatch(surname) else surname


# Countries whose names put the family name first, as English news keeps them.
_FAMILY_FIRST = frozenset(["CHN", "TWN", "HKG", "MAC", "KOR", "PRK", "SGP", "KHM"])


def _handovers(terms: list[Entry]) -> list[Entry]:
    """End each term the day before the next one starts: a term known only to the year
    ("1994") otherwise overlaps its successor's first months."""
    out = []
    for entry, nxt in zip(terms, [*terms[1:], None], strict=True):
        if (
            nxt is not None
            and nxt.start is not None
            and (entry.end is None or entry.end >= nxt.start)
            and (entry.start is None or entry.start < nxt.start)
        ):
            entry = replace(entry, end=nxt.start - timedelta(days=1))
        out.append(entry)
    return out


def load(tokenize: Tokenize, user_file: Path | None = None) -> KnowledgeBase:
    """Load the packaged knowledge base, plus a user's file, indexed for matching."""
    return build(load_sections(user_file), tokenize)


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO 3166 alpha-3 code to the short country name, from the packaged countries file."""
    data = read_yaml(packaged_files()["countries"][0])
    return {item["iso3"]: item["name"] for item in data["data"]}


def role_at(
    roles: list[tuple[date, date | None, str]], sector: str | None, when: date | None
) -> str | None:
    """The role of the period a date falls in, else the given sector."""
    for start, end, role in roles if when else []:
        if start <= when and (end is None or when <= end):
            return role
    return sector
