"""Scoring a store's yearly camps against UCDP-style conflict data: tiny ACD and ESD files
the tests write (invented rows in UCDP's columns) and hand-built ties."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from allegiance.knowledge.kb import load
from allegiance.quality.ucdp_camps import (
    ACD,
    ESD,
    Namer,
    UcdpError,
    eval_camps,
    read_ucdp,
)
from test_graph import party, state, tie

ACD_COLUMNS = ["conflict_id", "location", "side_a", "side_a_2nd", "side_b", "side_b_2nd", "year"]
ESD_COLUMNS = ["conflict_id", "year", "actor_name", "ext_name", "ext_bothsides"]


def _write(path: Path, columns: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(columns)
        w.writerows(rows)


@pytest.fixture
def ucdp(tmp_path: Path) -> Path:
    _write(
        tmp_path / ACD,
        ACD_COLUMNS,
        [
            [
                "1",
                "Sudan",
                "Government of Sudan",
                "",
                "Free Hills Front, Lowland Movement",
                " Government of Chad",
                "2006",
            ],
            [
                "2",
                "Russia (Soviet Union)",
                "Government of Russia (Soviet Union)",
                "",
                "Imarat Kavkaz",
                "",
                "2009",
            ],
        ],
    )
    _write(
        tmp_path / ESD,
        ESD_COLUMNS,
        [
            ["1", "2006", "Government of Sudan", "Government of China", "0"],
            ["1", "2006", "Lowland Movement", "Government of Eritrea,Government of Libya", "0"],
            ["1", "2006", "Free Hills Front", "Government of Libya", "0"],
        ],
    )
    return tmp_path


@pytest.fixture(scope="module")
def namer() -> Namer:
    def tokenize(text: str) -> list[str]:
        return text.replace(",", " ,").split()

    return Namer(load(tokenize), tokenize)


def test_sides_gather_secondary_states_and_supporters_not_those_of_both(ucdp):
    sudan, russia = read_ucdp(ucdp)
    assert sudan.primary == (("Government of Sudan",), ("Free Hills Front", "Lowland Movement"))
    assert sudan.sides[0] == ("Government of Sudan", "Government of China")
    # Libya backs both rebel groups of side B: one member; Chad fights with side B
    assert sudan.sides[1] == (
        "Free Hills Front",
        "Lowland Movement",
        "Government of Chad",
        "Government of Libya",
        "Government of Eritrea",
    )
    assert russia.year == 2009 and russia.locations == ("Russia (Soviet Union)",)


def test_a_missing_file_names_itself(tmp_path):
    with pytest.raises(UcdpError, match="cannot read"):
        read_ucdp(tmp_path)


def test_names_by_the_knowledge_base(namer):
    assert namer("Government of Russia (Soviet Union)") == ("state", "RUS")
    assert namer("Government of United States of America") == ("state", "USA")
    assert namer("Government of DR Congo (Zaire)") == ("state", "COD")
    assert namer("Imarat Kavkaz Nowhere") is None


def test_agreement_counts_pairs_placed_as_ucdp_places_them(ucdp, namer):
    gov, reb = party("SDNGOV", "GOV"), party("SDNREB")
    ties = [
        tie(reb, "ASSAULT", gov, date="2006-03-01"),
        tie(state("CHN"), "AID", gov, date="2006-04-01"),
        tie(state("TCD"), "AID", reb, date="2006-05-01"),
        tie(state("LBY"), "AID", gov, date="2006-06-01"),  # wrong: UCDP has Libya with side B
    ]
    report = eval_camps(ties, read_ucdp(ucdp), namer, None)
    figures = report.figures
    assert (
        figures["conflict-years with articles"] == 1 and figures["covered (2+ matched actors)"] == 1
    )
    # SDNGOV, CHN, LBY in one camp; SDNREB (the groups the base does not know), TCD in the other
    assert figures["matched pairs"] == 10
    assert figures["pairwise agreement"] == pytest.approx(6 / 10)
    assert any("LBY" in e and "opposed in UCDP" in e for e in report.errors)
