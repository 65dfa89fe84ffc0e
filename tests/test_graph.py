"""The alignment graph on hand-built ties: partition, neutrals, weights, theatres, rivals."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date

import pytest

from allegiance import alignment
from allegiance.alignment import Evidence, Options, Tie
from allegiance.alignment.camps import camps_and_neutral
from allegiance.alignment.theatres import party_country
from allegiance.records import Actor


def state(iso: str) -> Actor:
    return Actor(id=iso, name=iso, country=iso, sector=None, kind="country")


def party(code: str, sector: str = "REB", kind: str = "agent") -> Actor:
    return Actor(id=code.lower(), name=code, country=code[:3], sector=sector, kind=kind)


def tie(src: Actor, kind: str, tgt: Actor, modality: str = "asserted", **kw) -> Tie:
    key = f"{src.id}-{kind}-{tgt.id}-{modality}-{kw.get('date')}"
    return Tie(
        id=key,
        type=kind,
        mode=kw.pop("mode", None),
        source=src,
        target=tgt,
        date=kw.pop("date", "2020-06-01"),
        modality=modality,
        confidence=1.0,
        articles=kw.pop("articles", 1),
        evidence=(Evidence("a1", f"{src.name} {kind} {tgt.name}.", modality),),
        **kw,
    )


def as_sets(camps) -> set[frozenset[str]]:
    return {frozenset(c) for c in camps}


def test_balanced_graph_is_recovered_exactly():
    a, b, c, x, y, z = "ABCXYZ"
    w = {(a, b): 1.0, (b, c): 1.0, (x, y): 1.0, (y, z): 0.7}
    w |= {(p, q): -0.8 for p, q in itertools.product((a, b, c), (x, y, z))}
    groups = alignment.partition(w)
    assert as_sets(groups) == {frozenset("ABC"), frozenset("XYZ")}
    assert alignment.frustration(w, groups) == 0


def test_partition_minimises_frustration_against_a_stray_link():
    # One weak positive link across otherwise opposed camps stays across (frustration 0.2).
    w = {("A", "B"): 1.0, ("X", "Y"): 1.0, ("A", "X"): -1.0, ("B", "Y"): -1.0, ("B", "X"): 0.2}
    groups = alignment.partition(w)
    assert as_sets(groups) == {frozenset("AB"), frozenset("XY")}
    assert alignment.frustration(w, groups) == pytest.approx(0.2)


def test_three_mutually_hostile_camps_stay_three():
    w = {("A", "B"): 1.0, ("C", "D"): 1.0, ("E", "F"): 1.0}
    w |= {(p, q): -1.0 for p, q in [("A", "C"), ("B", "E"), ("D", "F")]}
    assert as_sets(alignment.partition(w)) == {frozenset("AB"), frozenset("CD"), frozenset("EF")}


def test_mediator_backing_both_sides_is_left_neutral():
    w = {("A", "B"): 1.0, ("X", "Y"): 1.0, ("A", "X"): -1.0, ("B", "Y"): -1.0}
    w |= {("M", "A"): 0.3, ("M", "X"): 0.3}
    camps, neutral = camps_and_neutral(w, fighters={"A", "X"}, local={"A", "X"})
    assert as_sets(camps) == {frozenset("AB"), frozenset("XY")}
    assert neutral == ["M"]


def test_alleged_link_weighs_less_than_asserted_and_negated_not_at_all():
    rus, lby = state("RUS"), party("LBYREB")
    opts = Options()
    asserted = alignment.weigh(tie(rus, "SUPPORT", lby), opts, None)
    alleged = alignment.weigh(tie(rus, "SUPPORT", lby, "alleged"), opts, None)
    negated = alignment.weigh(tie(rus, "SUPPORT", lby, "negated"), opts, None)
    assert asserted > alleged > 0
    assert negated == 0
    assert alignment.weigh(tie(rus, "ASSAULT", lby), opts, None) < 0
    assert alignment.weigh(tie(rus, "CONSULT", lby), opts, None) == 0  # meeting is not siding
    more = alignment.weigh(tie(rus, "SUPPORT", lby, articles=5), opts, None)
    assert more > asserted  # more articles, more weight


def test_decay_halves_an_event_one_half_life_old():
    rus, lby = state("RUS"), party("LBYREB")
    opts = Options(half_life_days=100)
    old = tie(rus, "SUPPORT", lby, date="2020-01-01")
    fresh = alignment.weigh(old, opts, date(2020, 1, 1))
    assert alignment.weigh(old, opts, date(2020, 4, 10)) == pytest.approx(fresh / 2)


def test_time_window_keeps_only_ties_inside():
    rus, lby = state("RUS"), party("LBYREB")
    ties = [tie(rus, "SUPPORT", lby, date="2019-05-01"), tie(rus, "SUPPORT", lby, date="2021-01")]
    opts = Options(since=date(2020, 1, 1), until=date(2021, 12, 31))
    assert [t.date for t in ties if alignment.in_window(t, opts)] == ["2021-01"]


def test_theatre_camps_with_foreign_backers_and_a_mediator():
    tur, rus, qat, are, deu = (state(c) for c in ("TUR", "RUS", "QAT", "ARE", "DEU"))
    gna = Actor(id="gna", name="GNA", country="LBY", sector="GOV", kind="group")
    lna = party("LBYREB", kind="person")
    ties = [
        tie(tur, "SUPPORT", gna),
        tie(qat, "SUPPORT", gna),
        tie(rus, "SUPPORT", lna),
        tie(are, "AID", lna),
        tie(lna, "ASSAULT", gna),
        tie(deu, "CONSULT", gna),
        tie(deu, "CONSULT", lna),
    ]
    (libya,) = alignment.sides(ties)
    assert libya.country == "LBY" and libya.name == "Libya"
    assert as_sets(libya.camps) == {
        frozenset({"gna", "TUR", "QAT"}),
        frozenset({"LBYREB", "RUS", "ARE"}),
    }
    assert libya.neutral == ("DEU",)
    record = libya.to_dict()
    evidence = record["evidence"]["members"]["TUR"]
    assert evidence and evidence[0]["sentence"] == "TUR SUPPORT GNA."


def test_state_officials_are_their_state_and_local_government_one_side():
    lavrov = Actor(id="lavrov", name="Lavrov", country="RUS", sector="GOV", kind="person")
    assad = Actor(id="assad", name="Assad", country="SYR", sector="GOV", kind="person")
    army = Actor(id="SYRMIL", name="Syrian army", country="SYR", sector="MIL", kind="agent")
    wagner = Actor(id="wagner", name="Wagner", country="RUS", sector="UAF", kind="group")
    assert alignment.node_of(lavrov, "SYR") == "RUS"
    assert alignment.node_of(assad, "SYR") == alignment.node_of(army, "SYR") == "SYRGOV"
    assert alignment.node_of(wagner, "SYR") == "wagner"
    # a body the base does not know, of no known kind, is not its state
    maker = Actor(id="shahed", name="Shahed Aviation", country="IRN", sector=None, kind="org")
    assert alignment.node_of(maker, "SYR") == "shahed"


def test_a_commander_and_his_group_are_one_party():
    haftar = Actor("khalifa-haftar", "Khalifa Haftar", "LBY", "REB", "person")
    lna = Actor("lna", "Libyan National Army", "LBY", "MIL", "group")
    gna = Actor(id="gna", name="GNA", country="LBY", sector="GOV", kind="group")
    rus, tur = state("RUS"), state("TUR")
    # Russia backs Haftar, Turkey the GNA, and the LNA attacks the GNA: without the merge the
    # LNA and its commander were two nodes, the LNA able to land apart from Russia's camp.
    ties = [tie(rus, "SUPPORT", haftar), tie(tur, "SUPPORT", gna), tie(lna, "ASSAULT", gna)]
    (libya,) = alignment.sides(ties)
    assert as_sets(libya.camps) == {frozenset({"lna", "RUS"}), frozenset({"gna", "TUR"})}
    # a leader who takes office is his government, not the group he led
    sharaa = Actor("ahmed-al-sharaa", "Ahmed al-Sharaa", "SYR", "GOV", "person")
    assert alignment.node_of(sharaa, "SYR") == "SYRGOV"
    assert alignment.node_of(haftar, "LBY") == "lna"


def test_states_at_war_share_one_theatre_named_by_the_country_attacked():
    rus, ukr, usa = state("RUS"), state("UKR"), state("USA")
    ties = [
        tie(rus, "ASSAULT", ukr),
        tie(rus, "ASSAULT", ukr, date="2020-06-02"),
        tie(ukr, "ASSAULT", rus),
        tie(ukr, "ASSAULT", rus, date="2020-06-03"),
        tie(rus, "ASSAULT", ukr, date="2020-06-04"),
        tie(usa, "AID", ukr),
    ]
    assert alignment.find_theatres(ties) == {"RUS": "UKR", "UKR": "UKR"}
    (th,) = alignment.sides(ties)
    # both belligerents are at home in their war: each is its government side
    assert as_sets(th.camps) == {frozenset({"RUSGOV"}), frozenset({"UKRGOV", "USA"})}


def test_words_alone_make_no_camp():
    gov, reb, fra = party("MLIGOV", "GOV"), party("MLIREB"), state("FRA")
    ties = [tie(reb, "ASSAULT", gov), tie(reb, "ASSAULT", gov, date="2020-06-05")]
    ties.append(tie(fra, "ACCUSE", gov))
    ties.append(tie(fra, "ACCUSE", reb))
    (mali,) = alignment.sides(ties)
    assert "FRA" in mali.neutral
    assert as_sets(mali.camps) == {frozenset({"MLIGOV"}), frozenset({"MLIREB"})}


def test_rivals_on_opposite_sides_in_two_theatres_who_still_meet():
    tur, rus = state("TUR"), state("RUS")
    gna, lna = party("LBYGOV", "GOV", "group"), party("LBYREB")
    assad, rebels = party("SYRGOV", "GOV", "person"), party("SYRREB")
    ties = [
        tie(tur, "SUPPORT", gna),
        tie(rus, "SUPPORT", lna),
        tie(lna, "ASSAULT", gna),
        tie(rus, "SUPPORT", assad),
        tie(tur, "SUPPORT", rebels),
        tie(assad, "ASSAULT", rebels),
        tie(rus, "CONSULT", tur, context=()),
    ]
    (pair,) = [r for r in alignment.rivals(ties) if {r["a"]["id"], r["b"]["id"]} == {"RUS", "TUR"}]
    assert [t["country"] for t in pair["theatres"]] == ["LBY", "SYR"]
    assert pair["contact"] is True
    assert alignment.rivals(ties, min_theatres=3) == []


def test_backers_lists_backers_and_opponents_by_year():
    tur, rus = state("TUR"), state("RUS")
    gna, lna = party("LBYGOV", "GOV", "group"), party("LBYREB")
    ties = [
        tie(tur, "SUPPORT", gna, date="2019-12-01"),
        tie(tur, "AID", gna, date="2020-05-01"),
        tie(lna, "ASSAULT", gna, date="2020-04-01"),
        tie(rus, "SUPPORT", lna),
    ]
    report = alignment.backers(ties, "LBYGOV")
    assert [r["actor"]["id"] for r in report["backers"]] == ["TUR"]
    assert set(report["backers"][0]["years"]) == {"2019", "2020"}
    assert [r["actor"]["id"] for r in report["opponents"]] == ["lbyreb"]


def test_graph_json_and_files(tmp_path):
    from allegiance.alignment import plots

    tur, rus = state("TUR"), state("RUS")
    gna, lna = party("LBYGOV", "GOV", "group"), party("LBYREB")
    ties = [tie(tur, "SUPPORT", gna), tie(rus, "SUPPORT", lna), tie(lna, "ASSAULT", gna)]
    data = alignment.graph_json(alignment.sides(ties))
    ids = {n["id"] for n in data["nodes"]}
    assert {"TUR", "RUS", "lbygov", "LBYREB"} <= ids
    assert {(e["sign"]) for e in data["edges"]} == {1, -1}
    import networkx as nx

    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        out = tmp_path / f"g.{fmt}"
        plots.write_graph(data, out, fmt)
        back = reader(out)
        assert set(back.nodes) == ids
        assert back.number_of_edges() == len(data["edges"])


def test_plots_write_png(tmp_path):
    from allegiance.alignment import plots

    tur, rus = state("TUR"), state("RUS")
    gna, lna = party("LBYGOV", "GOV", "group"), party("LBYREB")
    ties = [tie(tur, "SUPPORT", gna), tie(rus, "SUPPORT", lna), tie(lna, "ASSAULT", gna)]
    ties.append(tie(tur, "CONSULT", rus, date="2020-07-01"))
    plots.plot_sides(alignment.sides(ties), tmp_path / "sides.png")
    months = alignment.timeline(ties, "TUR", "RUS")
    assert [m.isoformat() for m, _, _ in months] == ["2020-07-01"]
    plots.plot_timeline(months, "TUR", "RUS", tmp_path / "timeline.png")
    for name in ("sides.png", "timeline.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_as_date_reads_timex_values():
    assert alignment.as_date("2020-06-14") == date(2020, 6, 14)
    assert alignment.as_date("2020-W24") == date(2020, 6, 8)
    assert alignment.as_date("2020-06") == date(2020, 6, 1)
    assert alignment.as_date("2020") == date(2020, 1, 1)
    assert alignment.as_date("sometime") is None


def test_backing_the_bare_country_in_a_civil_war_backs_no_side():
    rus, tur, lby = state("RUS"), state("TUR"), state("LBY")
    sarraj = Actor(id="sarraj", name="Sarraj", country="LBY", sector="GOV", kind="person")
    lna = party("LBYREB")
    ties = [
        tie(tur, "SUPPORT", sarraj),
        tie(rus, "SUPPORT", lna),
        tie(lna, "ASSAULT", sarraj),
        tie(rus, "AID", lby),  # "Russia sent jets to Libya": the country, not Sarraj's side
        tie(rus, "AID", lby, date="2020-06-02"),
    ]
    (libya,) = alignment.sides(ties)
    assert alignment.node_of(lby, "LBY") == alignment.node_of(sarraj, "LBY") == "LBYGOV"
    assert libya.camp_of("RUS") == libya.camp_of("LBYREB") != libya.camp_of("LBYGOV")


def test_two_armed_organisations_of_one_country_make_its_theatre():
    """The LNA and the GNA fighting each other are a war in Libya, though neither is called
    rebels; attacks on civilians alone are not."""
    lna = Actor(id="lna", name="LNA", country="LBY", sector="MIL", kind="group")
    gna = Actor(id="gna", name="GNA", country="LBY", sector="GOV", kind="group")
    people = Actor(id="LBYCVL", name="civilians", country="LBY", sector="CVL", kind="agent")
    clashes = [tie(lna, "ASSAULT", gna), tie(gna, "ASSAULT", lna)]
    assert alignment.find_theatres(clashes) == {"LBY": "LBY"}
    assert alignment.find_theatres([tie(lna, "ASSAULT", people)] * 3) == {}


def test_plot_colours_stay_distinct_past_the_palette():
    from allegiance.alignment.plots import camp_colour

    colours = [camp_colour(i) for i in range(24)]
    assert len(set(colours)) == 24 and camp_colour(None) not in colours


def test_plot_labels_wrap_long_names_instead_of_cutting_them():
    from allegiance.alignment.plots import _label

    long = Actor("gna", "Government of National Accord", "LBY", "GOV", "group")
    assert _label(long).replace("\n", " ") == "Government of National Accord"
    assert max(len(line) for line in _label(long).splitlines()) <= 18
    assert _label(Actor("TUR", "Turkey", "TUR", None, "country")) == "TUR"


def _afghan_war() -> list[Tie]:
    afg, usa = state("AFG"), state("USA")
    gov = Actor(id="karzai", name="Karzai", country="AFG", sector="GOV", kind="person")
    ins = party("AFGINS", "INS")
    return [
        tie(ins, "ASSAULT", gov),
        tie(ins, "ASSAULT", gov, date="2020-06-02"),
        tie(usa, "ASSAULT", afg),  # "US strikes in Afghanistan": on no side the words name
        tie(usa, "ASSAULT", afg, date="2020-06-02"),
        tie(usa, "SUPPORT", gov),
    ]


def test_strikes_on_a_country_at_civil_war_by_its_name_make_no_war_between_states():
    assert alignment.find_theatres(_afghan_war()) == {"AFG": "AFG"}
    (th,) = alignment.sides(_afghan_war())
    assert th.camp_of("USA") == th.camp_of("AFGGOV") != th.camp_of("AFGINS")


def test_a_foreign_belligerents_dealings_elsewhere_stay_out_of_the_war():
    rus, ukr, col = state("RUS"), state("UKR"), state("COL")
    war = [tie(rus, "ASSAULT", ukr, date=f"2020-06-0{d}") for d in range(1, 6)]
    war += [tie(ukr, "ASSAULT", rus, date=f"2020-06-0{d}") for d in range(1, 4)]
    theatres = alignment.find_theatres(war)
    assert theatres["RUS"] == "UKR"
    talks = replace(tie(rus, "COOPERATE", col), context=("RUS", "COL"))
    at_home = tie(rus, "ACCUSE", Actor("RUSOPP", "opposition", "RUS", "OPP", kind="agent"))
    assert alignment.theatre_of(talks, theatres) is None
    assert alignment.theatre_of(at_home, theatres) is None
    assert alignment.theatre_of(tie(rus, "ASSAULT", ukr), theatres) == "UKR"


def test_a_stored_groups_sector_is_its_role_on_the_events_day():
    def row(day: str) -> dict:
        ends = {
            "s_": ("taliban", "Taliban", "AFG", "GOV", "group", "AFGGOV"),
            "t_": ("AFGGOV", "Afghan government", "AFG", "GOV", "agent", "AFGGOV"),
        }
        out = {
            p + k: v
            for p, vals in ends.items()
            for k, v in zip(("id", "name", "country", "sector", "kind", "code"), vals, strict=True)
        }
        return out | {
            "id": f"e-{day}",
            "type": "ASSAULT",
            "mode": None,
            "date": day,
            "modality": "asserted",
            "confidence": 1.0,
            "articles": 1,
            "location": None,
            "context": [],
            "report_articles": [],
            "sentences": [],
            "modalities": [],
        }

    insurgents, rulers = alignment.ties_from_rows([row("2006-05-01"), row("1998-05-01")])
    assert insurgents.source.sector == "INS"  # the base's roles: insurgents 2001-21
    assert rulers.source.sector == "GOV"


def test_a_party_that_fields_fighters_is_a_party_to_its_countrys_war():
    """Hamas is coded PTY, as the guidelines code parties that field fighters; the armed
    groups file lists it, so its fighting makes a theatre as rebels' would. One sentence
    alone makes none."""
    hamas = Actor(id="hamas", name="Hamas", country="PSE", sector="PTY", kind="group")
    fatah = Actor(id="pse-labour", name="Labour", country="PSE", sector="PTY", kind="group")
    gov = Actor(id="PSEGOV", name="government", country="PSE", sector="GOV", kind="agent")
    assert party_country(hamas) == "PSE"
    assert party_country(fatah) is None  # a party the armed groups file does not list
    assert alignment.find_theatres([tie(hamas, "ASSAULT", gov)]) == {}
    clashes = [tie(hamas, "ASSAULT", gov), tie(hamas, "ASSAULT", gov, date="2020-06-02")]
    assert alignment.find_theatres(clashes) == {"PSE": "PSE"}
