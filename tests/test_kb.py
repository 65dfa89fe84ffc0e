"""The knowledge base validates: codes, dates, no alias shared across countries, sizes."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from datetime import timedelta

import pytest
import spacy

from allegiance.knowledge.kb import build, fold, load_sections, parse_date
from allegiance.knowledge.places import _regions

ISO3 = re.compile(r"[A-Z]{3}")
# Offices of one country may overlap this long at a handover (acting holders, swearing-in).
_HANDOVER = timedelta(days=62)


@pytest.fixture(scope="module")
def sections():
    return load_sections()


@pytest.fixture(scope="module")
def country_codes(sections):
    return {c["iso3"] for c in sections["countries"]}


def test_kb_sizes(sections):
    assert len(sections["countries"]) >= 249
    assert len(sections["igos"]) >= 100
    assert len(sections["groups"]) >= 200
    assert len(sections["people"]) >= 1500
    nouns = [n for mapping in sections["agents"] for ns in mapping.values() for n in ns]
    assert len(nouns) >= 300


def test_kb_country_codes_are_iso3_and_unique(sections):
    codes = [c["iso3"] for c in sections["countries"]]
    assert all(ISO3.fullmatch(c) for c in codes)
    assert len(codes) == len(set(codes))


def test_kb_no_alias_shared_by_two_countries(sections):
    owners = defaultdict(set)
    for c in sections["countries"]:
        names = [
            c["name"],
            *c.get("aliases", []),
            *c.get("demonyms", []),
            *c.get("capitals", []),
            *c.get("seats", []),
            *c.get("former", []),
        ]
        for name in names:
            owners[fold(str(name))].add(c["iso3"])
    declared = defaultdict(set)
    for c in sections["countries"]:
        for name in c.get("shared", []):
            declared[fold(str(name))].add(c["iso3"])
    shared = {name: codes for name, codes in owners.items() if len(codes) > 1}
    # A name two countries share only as declared by both (`shared`), which the resolver
    # settles by the article's other places.
    assert shared == {}
    assert all(len(codes) > 1 for codes in declared.values()), declared


def test_kb_no_alias_shared_by_two_groups_or_igos(sections):
    owners = defaultdict(set)
    for item in [*sections["groups"], *sections["igos"]]:
        for name in [item["name"], *(item.get("aliases") or [])]:
            owners[fold(str(name))].add(item["id"])
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


def test_kb_references_known_countries(sections, country_codes):
    for g in sections["groups"]:
        assert g["country"] in country_codes, g["id"]
        assert all(t in country_codes for t in g.get("theatres") or []), g["id"]
    for p in sections["people"]:
        assert p["country"] in country_codes | {"IGO"}, p["name"]
    for r in _regions():
        assert r["country"] in country_codes, r["name"]
        assert -90 <= r["lat"] <= 90 and -180 <= r["lon"] <= 180


def test_kb_dates_parse_and_ranges_hold(sections):
    for p in sections["people"]:
        start, end = parse_date(p.get("start")), parse_date(p.get("end"), end=True)
        assert start is None or end is None or start <= end, p["name"]
    for g in sections["groups"]:
        first, last = g.get("active") or [None, None]
        assert isinstance(first, int), g["id"]
        assert last is None or (isinstance(last, int) and first <= last), g["id"]


def test_kb_one_holder_of_an_office_at_a_time(sections):
    terms = defaultdict(list)
    for p in sections["people"]:
        if (
            p.get("office")
            in ("head_of_state", "head_of_government", "foreign_minister", "defence_minister")
            and p["country"] != "IGO"
        ):
            terms[(p["country"], p["office"])].append(
                # An end known only to the year or month is compared at its first day.
                (parse_date(p.get("start")), parse_date(p.get("end")), p["name"])
            )
    clashes = []
    for key, spans in terms.items():
        spans.sort(key=lambda t: t[0])
        for (_, e1, n1), (s2, _, n2) in itertools.pairwise(spans):
            if (e1 is None or s2 is None or (e1 - s2) > _HANDOVER) and n1 != n2:
                clashes.append((key, n1, n2))
    assert clashes == []


def test_kb_user_file_adds_and_overrides(tmp_path):
    user = tmp_path / "mine.yaml"
    user.write_text(
        "groups:\n"
        "  - id: wagner-group\n    name: Wagner Group\n    aliases: [Wagner, The Musicians]\n"
        "    country: RUS\n    sector: UAF\n    active: [2014, null]\n"
        "  - id: example-brigade\n    name: Example Brigade\n    country: LBY\n"
        "    sector: UAF\n    active: [2019, null]\n",
        encoding="utf-8",
    )
    tokenizer = spacy.blank("en").tokenizer
    kb = build(load_sections(user), lambda s: [t.text for t in tokenizer(s)])
    hits = kb.find(["The", "Musicians", "and", "Example", "Brigade"])
    assert [m.entries[0].actor.id for m in hits] == ["wagner-group", "example-brigade"]


def test_kb_user_file_with_unknown_section_fails_clearly(tmp_path):
    from allegiance.errors import KnowledgeError

    user = tmp_path / "bad.yaml"
    user.write_text("militias:\n  - id: x\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="unknown section"):
        load_sections(user)


def _tokenize():
    tokenizer = spacy.blank("en").tokenizer
    return lambda s: [t.text for t in tokenizer(s)]


@pytest.mark.parametrize(
    "named_by", ["id: khalifa-haftar", "name: Khalifa Haftar", "name: Khalifa Hifter"]
)
def test_kb_user_file_overrides_a_person_by_id_name_or_alias(tmp_path, named_by):
    user = tmp_path / "mine.yaml"
    name = "" if named_by.startswith("name") else "\n    name: Khalifa Haftar"
    aliases = "[Haftar]" if "Hifter" in named_by else "[Hifter]"  # by an alias of the base's
    user.write_text(
        f"people:\n  - {named_by}{name}\n    aliases: {aliases}\n    country: LBY\n"
        "    sector: MIL\n    start: 2014-05-16\n",
        encoding="utf-8",
    )
    kb = build(load_sections(user), _tokenize())
    (hit,) = kb.find(["Haftar"])
    # (his son Saddam Haftar goes by the surname too)
    sectors = {e.actor.sector for e in hit.entries if e.actor.id != "saddam-haftar"}
    assert sectors == {"MIL"}, "the base's entries of the person are replaced, every term"
    base = build(load_sections(), _tokenize())
    assert {e.actor.sector for e in base.find(["Khalifa", "Haftar"])[0].entries} == {"REB"}


@pytest.mark.parametrize(
    "body, says",
    [
        ("people:\n  - country: LBY\n", r"people\[0\] \(\?\): needs 'name' as text"),
        ("people:\n  - name: A B\n    sector: WARLORD\n", r"people\[0\] \(A B\): sector 'WARLORD'"),
        (
            "people:\n  - name: A B\n    start: last year\n",
            r"people\[0\] \(A B\): start 'last year'",
        ),
        ("groups:\n  - just a name\n", r"groups\[0\]: an entry must be a mapping"),
        (
            "groups:\n  - id: x\n    name: X\n    active: 2019\n",
            r"groups\[0\] \(X\): 'active' must be",
        ),
        (
            "igos:\n  - id: x\n    name: X\n    aliases: XO\n",
            r"igos\[0\] \(X\): 'aliases' must be a list",
        ),
    ],
)
def test_kb_a_malformed_user_entry_is_named_with_its_problem(tmp_path, body, says):
    from allegiance.errors import KnowledgeError

    user = tmp_path / "mine.yaml"
    user.write_text(body, encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"mine\.yaml: " + says):
        load_sections(user)


def test_kb_show_lists_what_a_name_can_mean_with_dates(tmp_path):
    from click.testing import CliRunner

    from allegiance.cli import main

    runner = CliRunner()
    shown = runner.invoke(main, ["kb", "show", "Johnson", "--date", "1991-01-01"])
    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    assert any("prince-johnson" in x and x.endswith("applies") for x in lines)
    assert any("boris-johnson" in x and x.endswith("-") for x in lines)
    missing = runner.invoke(main, ["kb", "show", "Nobody Atall"])
    assert missing.exit_code == 1 and "--actors" in missing.stderr
    user = tmp_path / "mine.yaml"
    user.write_text("people:\n  - name: Nobody Atall\n    country: FRA\n", encoding="utf-8")
    mine = runner.invoke(main, ["kb", "show", "Nobody Atall", "--actors", str(user)])
    assert mine.exit_code == 0 and "FRA" in mine.stdout


def test_kb_leaders_are_people_of_the_base_and_groups_exist(sections):
    from allegiance.knowledge.groups import leaders
    from allegiance.knowledge.kb import slug

    people = {slug(p["name"]) for p in sections["people"]}
    groups = {g["id"] for g in sections["groups"]}
    led = leaders()
    assert led["khalifa-haftar"] == "lna" and led["mohamed-hamdan-dagalo"] == "rsf"
    assert set(led) <= people, set(led) - people
    assert set(led.values()) <= groups


def test_each_agent_noun_is_listed_once(sections):
    # the file's own rule: a noun under two sectors (or twice) would be read by list order
    nouns = [n for table in sections["agents"] for words in table.values() for n in words]
    assert sorted(n for n in set(nouns) if nouns.count(n) > 1) == []
