"""Camps rebuilt from the team's demo corpus (examples/), through the store, as the README
states them, and from the seed article without a store."""

from __future__ import annotations

import json
from datetime import date

import pytest

from allegiance import alignment
from allegiance.alignment.ties import placeable
from allegiance.corpus.run import ingest
from allegiance.corpus.store import Store
from allegiance.records import Actor, RawDoc, Rejected
from allegiance.settings import Settings
from conftest import EXAMPLES, shared_path
from seedcheck import actor_matches

pytestmark = pytest.mark.slow

# The README's "Camps in the demo corpus" table: per theatre, core members of two opposing
# camps (codes as allegiance gives them; a state stands for its officials and forces).
README_CAMPS = {
    "LBY": (["TUR", "gna"], ["LBYREB", "ARE", "EGY", "RUS"]),
    "SYR": (["SYRGOV", "RUS", "IRN"], ["SYRREB", "TUR", "SAU", "QAT"]),
    "YEM": (["YEMGOV", "SAU", "USA", "GBR"], ["YEMREB", "IRN"]),
    "UKR": (["UKRGOV", "USA"], ["RUS", "BLR", "IRN"]),
    "SDN": (["SDNGOV", "EGY"], ["SDNREB", "ARE"]),
    "COD": (["CODGOV"], ["CODREB", "RWA"]),
}


@pytest.fixture(scope="module")
def demo_ties(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with Store.open(db) as store:
        inputs = [str(EXAMPLES / "corpus.jsonl"), str(EXAMPLES / "libya-2020.txt")]
        ingest(inputs, store, Settings(), 1, batch_size=8)
        return alignment.ties_from_rows(store.ties())


@pytest.fixture(scope="module")
def demo_theatres(demo_ties):
    return {t.country: t for t in alignment.sides(demo_ties)}


# The wars of the demo corpus, by the countries whose own parties fight in them.
WARS = {
    "LBY": "Libya",
    "SYR": "Syria",
    "YEM": "Yemen",
    "UKR": "Ukraine",
    "SDN": "Sudan",
    "COD": "Congo",
    "RWA": "Congo",
    "AZE": "Karabakh",
    "ARM": "Karabakh",
    "ETH": "Tigray",
}
_LOCAL = ("GOV", "MIL", "REB", "INS", "OPP", "SEP", "UAF", "PTY")


def test_no_yearly_theatre_mixes_two_wars(demo_ties):
    """Each theatre of each year holds the local parties of one war only (the Syrian,
    Ukrainian and Karabakh wars never share one), and states its evidence."""
    for th in alignment.sides_by_window(demo_ties):
        parties = [th.nodes[n] for camp in th.camps for n in camp if th.nodes[n].sector in _LOCAL]
        wars = {WARS[a.country] for a in parties if a.country in WARS}
        assert len(wars) <= 1, (th.key, sorted(wars), [a.name for a in parties])
        assert th.events >= 2 and th.articles >= 1 and 0 <= th.confidence < 1, th.key
        assert th.id.startswith(th.country), th.id


def _camp_of(theatre: alignment.Theatre, code: str) -> int | None:
    for i, camp in enumerate(theatre.camps):
        for node in camp:
            actor = theatre.nodes[node]
            if code in (node, actor.code, actor.id):
                return i
    return None


@pytest.mark.parametrize("country", sorted(README_CAMPS))
def test_demo_corpus_camps_as_the_readme_states(demo_theatres, country):
    assert country in demo_theatres, f"no {country} theatre; found {sorted(demo_theatres)}"
    theatre = demo_theatres[country]
    one, other = README_CAMPS[country]
    first = {code: _camp_of(theatre, code) for code in one}
    second = {code: _camp_of(theatre, code) for code in other}
    shown = [[theatre.nodes[n].code for n in c] for c in theatre.camps]
    assert None not in first.values() and None not in second.values(), shown
    assert len(set(first.values())) == 1 and len(set(second.values())) == 1, shown
    assert set(first.values()) != set(second.values()), shown


def test_every_membership_has_evidence(demo_theatres):
    libya = demo_theatres["LBY"].to_dict()
    for camp in libya["camps"]:
        for actor in camp:
            said = libya["evidence"]["members"][actor["id"]]
            assert said and all(s["sentence"] and s["article"] for s in said), actor


def test_seed_camps_and_rivals_without_a_store(pipeline):
    path = shared_path("seed", "turkey-russia-libya-syria.txt")
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    published = date.fromisoformat(expected["published"])
    raw = RawDoc(None, str(path), path.read_text(encoding="utf-8"), published=published)
    result = pipeline.run(raw)
    assert not isinstance(result, Rejected)
    ties = alignment.ties_from_results([result])
    found = {t.name: t.to_dict() for t in alignment.sides(ties)}
    aliases = expected["aliases"]
    assert set(found) == {c["conflict"] for c in expected["camps"]}
    for conflict in expected["camps"]:
        got = found[conflict["conflict"]]["camps"]
        assert len(got) == len(conflict["camps"]), got
        for want in conflict["camps"]:
            # exactly one camp holds every expected member and nothing else
            matching = [
                camp
                for camp in got
                if len(camp) == len(want)
                and all(any(actor_matches(w, a, aliases) for a in camp) for w in want)
            ]
            assert len(matching) == 1, (want, got)
    (pair,) = alignment.rivals(ties)
    assert {pair["a"]["id"], pair["b"]["id"]} == {"RUS", "TUR"}
    assert {t["theatre"] for t in pair["theatres"]} == {"Libya", "Syria"}
    assert pair["contact"] and pair["contacts"][0]["type"] == "CONSULT"


def test_agents_of_no_country_stand_in_no_camp(pipeline):
    # A local story naming no country: its police are nobody's police in a camp (every such
    # story's would otherwise be one node), though its events are still extracted.
    text = "Headline\n\nPolice arrested two protesters on Monday after officers raided a home."
    result = pipeline.run(RawDoc(None, "t", text, published=date(2020, 6, 15)))
    assert not isinstance(result, Rejected)
    assert result.events and result.events[0].source.actor.country is None
    assert alignment.ties_from_results([result]) == []
    assert not placeable(Actor("COP", "police", None, "COP", kind="agent"))
    assert placeable(Actor("KENCOP", "Kenyan police", "KEN", "COP", kind="agent"))
