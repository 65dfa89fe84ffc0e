"""Event patterns on sentences the team wrote: one test per construction the extractor reads."""

from __future__ import annotations

from datetime import date

import pytest

from allegiance.nlp.events.extract import plover_view
from allegiance.records import RawDoc, Rejected

PUB = date(2020, 6, 13)  # a Saturday


def events(pipeline, text: str, published: date | None = PUB) -> list[dict]:
    result = pipeline.run(RawDoc(None, "t", "Headline\n\n" + text, published=published))
    assert not isinstance(result, Rejected), result
    return [e.to_dict() for e in result.events]


def has(found: list[dict], kind: str, source: str, target: str | None, **fields) -> bool:
    for e in found:
        tgt = e["target"]["country"] if e["target"] else None
        tgt_code = e["target"]["code"] if e["target"] else None
        if (
            e["type"] == kind
            and source in (e["source"]["country"], e["source"]["code"])
            and target in (tgt, tgt_code)
            and all(e.get(k) == v for k, v in fields.items())
        ):
            return True
    return False


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "kind", "source", "target"),
    [
        ("Egypt condemned Turkey on Monday.", "ACCUSE", "EGY", "TUR"),  # subject-verb-object
        (
            "Khalifa Haftar is backed by the United Arab Emirates.",
            "SUPPORT",
            "ARE",
            "LBY",
        ),  # passive
        ("Russia, along with Egypt, has backed Khalifa Haftar.", "SUPPORT", "EGY", "LBY"),
        (
            "Turkey, together with Qatar, backs the Government of National Accord.",
            "SUPPORT",
            "QAT",
            "LBY",
        ),
        ("Khalifa Haftar has enjoyed the support of the Wagner Group.", "SUPPORT", "RUS", "LBY"),
        (
            "Ankara sent drones to Tripoli in support of the Government of National Accord.",
            "AID",
            "TUR",
            "LBY",
        ),
        ("Turkey dismissed an Egyptian proposal for a ceasefire.", "REJECT", "TUR", "EGY"),
        ("Iran held talks with Iraq in Baghdad on Sunday.", "CONSULT", "IRN", "IRQ"),
        ("Saudi Arabia launched an attack on Yemen's Houthis.", "ASSAULT", "SAU", "YEMREB"),
        ("The European Union imposed sanctions on Belarus.", "SANCTION", "IGOEUREEC", "BLR"),
        ("Kenya urged Somalia to release the prisoners.", "REQUEST", "KEN", "SOM"),
        # the object of a verb with an infinitive hangs on the infinitive in the parse
        ("Turkey allowed the United States to use the air base.", "CONCEDE", "TUR", "USA"),
        ("Ethiopia refused to meet Eritrea.", "REJECT", "ETH", "ERI"),
        ("Jordan and Israel agreed to share water.", "AGREE", "JOR", "ISR"),
        ("Jordan and Israel agreed to share water.", "AGREE", "ISR", "JOR"),  # reciprocal
        ("Serbia said Kosovo must withdraw its police.", "REQUEST", "SRB", "XKX"),
        (
            "Iran threatened to close the strait if the United States attacked.",
            "THREATEN",
            "IRN",
            "USA",
        ),
    ],
)
def test_event_constructions(pipeline, text, kind, source, target):
    found = events(pipeline, text)
    assert has(found, kind, source, target), [
        (e["type"], e["source"]["code"], e["target"] and e["target"]["code"]) for e in found
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("Turkey attacked Syria on Friday.", "asserted"),
        ("Turkey did not attack Syria.", "negated"),
        ("Turkey will attack Syria next week.", "planned"),
        ("Turkey reportedly attacked Syria.", "reported"),
        ("Turkey allegedly attacked Syria.", "alleged"),
        ("Turkey could attack Syria.", "hypothetical"),
        ("Officials said Turkey attacked Syria.", "reported"),
    ],
)
def test_event_modality(pipeline, text, modality):
    found = [e for e in events(pipeline, text) if e["type"] == "ASSAULT"]
    assert found and found[0]["modality"] == modality


@pytest.mark.slow
def test_reported_speech_codes_the_reported_event(pipeline):
    found = events(pipeline, "Syria said Israel attacked Damascus airport.")
    assert has(found, "ASSAULT", "ISR", "SYR", modality="reported")


@pytest.mark.slow
def test_event_date_and_place(pipeline):
    found = events(pipeline, "Iran will host Iraq in Tehran on Sunday.")
    e = next(e for e in found if e["type"] == "CONSULT" and e["source"]["code"] == "IRN")
    assert (e["date"], e["date_precision"], e["modality"]) == ("2020-06-14", "day", "planned")
    undated = events(pipeline, "Iran condemned Iraq.")[0]
    assert (undated["date"], undated["date_precision"]) == ("2020-06-13", "published")


@pytest.mark.slow
def test_every_event_maps_to_cameo_and_quad_class(pipeline):
    found = events(
        pipeline,
        "Egypt condemned Turkey. Russia attacked Ukraine. Qatar sent aid to Gaza. Iran met Iraq.",
    )
    assert {e["type"] for e in found} >= {"ACCUSE", "ASSAULT", "AID", "CONSULT"}
    for e in found:
        assert e["cameo"][:2].isdigit() and e["quad_class"] in (1, 2, 3, 4)
        assert -10 <= e["goldstein"] <= 10


@pytest.mark.parametrize(
    ("kind", "modality", "plover"),
    [
        ("CONSULT", "planned", "AGREE"),
        ("ASSAULT", "planned", "THREATEN"),
        ("AID", "negated", "REJECT"),
        ("ACCUSE", "asserted", "ACCUSE"),
        ("CONSULT", "asserted", "CONSULT"),
    ],
)
def test_plover_view_folds_intent(kind, modality, plover):
    assert plover_view(kind, modality) == plover


def test_lexicon_covers_all_sixteen_types():
    from allegiance.knowledge.lexicon import load_lexicon

    lex = load_lexicon()
    used = {t for t, _ in lex.verbs.values()} | {t for t, _ in lex.nouns.values()}
    assert used == set(lex.types) and len(lex.types) == 16


@pytest.mark.slow
def test_backers_of_opposing_sides_are_not_each_others_backers(pipeline):
    found = events(pipeline, "India and Pakistan back rival sides in the Afghan civil war.")
    assert not any(e["type"] == "SUPPORT" for e in found), found
    found = events(pipeline, "India and Pakistan supported each other.")
    assert has(found, "SUPPORT", "IND", "PAK"), found  # the reciprocal reading stays


@pytest.mark.slow
def test_joint_backers_of_a_thing_are_not_each_others_backers(pipeline):
    found = events(pipeline, "Canada and Norway supported the operation, they said on Friday.")
    assert not any(e["type"] == "SUPPORT" and e["target"] for e in found), found


@pytest.mark.slow
def test_domestic_act_without_recipient_targets_own_country(pipeline):
    # PLOVER codes the actor's own country as the recipient of a domestic act that names none.
    found = events(pipeline, "Chilean copper miners staged a strike over pay on Monday.")
    strike = next(e for e in found if e["type"] == "PROTEST")
    assert strike["target"]["country"] == "CHL" and strike["target"]["implied"], strike
    # A named recipient is kept, and acts PLOVER codes without one (a resignation) stay so.
    assert has(
        events(pipeline, "Kenyan students protested against Uganda."), "PROTEST", "KEN", "UGA"
    )
    resigned = events(pipeline, "The Peruvian prime minister resigned on Friday.")
    assert resigned and all(e["target"] is None for e in resigned), resigned
    # A state may act abroad: its act without a named recipient keeps none.
    rejected = events(pipeline, "Kenya rejected the proposal on Monday.")
    assert rejected and all(e["target"] is None for e in rejected), rejected


@pytest.mark.slow
def test_subordinate_acts_keep_their_type_but_no_plover_type(pipeline):
    found = events(pipeline, "Sudanese troops attacked protesters in Khartoum, detaining dozens.")
    coded = {e["plover"] for e in found if e["plover"]}
    assert coded == {"ASSAULT"}, found
    assert any(e["type"] == "COERCE" and e["plover"] is None for e in found), found
    # Coordinated acts are both main ones.
    found = events(pipeline, "Sudan expelled Chad's ambassador and closed its border with Chad.")
    assert len({e["trigger"]["text"] for e in found if e["plover"]}) == 2, found


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "kind", "source", "target"),
    [
        # each of two coordinated nationalities is a side, whichever the noun resolved to
        ("Ethiopian and Eritrean negotiators agreed to reopen the border.", "AGREE", "ETH", "ERI"),
        ("Ethiopian and Eritrean negotiators agreed to reopen the border.", "AGREE", "ERI", "ETH"),
        # the one asked is named by the modifier of the clause's subject
        ("Poland demanded that its NATO allies send more troops.", "REQUEST", "POL", "IGOWSTNAT"),
        # "staged" is lemmatised "stag"; "tens of thousands of" counts people
        ("Tens of thousands of Bolivian miners staged protests.", "PROTEST", "BOLLAB", "BOL"),
        # a "to" clause parsed as adverbial is still what was sworn
        ("Somali rebels have sworn to fight on to the end.", "THREATEN", "SOM", "SOM"),
        # "they" after "Nepalese farmers said" is the farmers' country; a forceful act on one's
        # own capital is coded to one's own country
        ("Nepalese farmers said they would blockade Kathmandu.", "ASSAULT", "NPL", "NPL"),
    ],
)
def test_event_constructions_of_actors(pipeline, text, kind, source, target):
    found = events(pipeline, text)
    assert has(found, kind, source, target), [
        (e["type"], e["source"]["code"], e["target"] and e["target"]["code"]) for e in found
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "kind", "source", "target"),
    [
        # an event noun as the subject of a light verb is an event of its own
        ("Kosovo Albanian protests against Serbian police continued.", "PROTEST", "ALB", "SRB"),
        # "up to 20 X" is the object the parser hangs under "up to"
        ("Somali pirates have kidnapped up to 20 Indian sailors.", "ASSAULT", "SOM", "IND"),
        # verbs and nouns the lexicon took from PLOVER's definitions
        ("Syrian troops fired rockets at villages in Lebanon.", "ASSAULT", "SYR", "LBN"),
        # "its" blockade is the subject's own; Armenia is whom it was on
        ("Turkey lifted its blockade of Armenia in March.", "RETREAT", "TUR", "ARM"),
        ("Ukraine announced a suspension of gas transit to Hungary.", "SANCTION", "UKR", "HUN"),
        ("Azerbaijani troops demolished Armenian churches in Karabakh.", "COERCE", "AZE", "ARM"),
        # working together: a verb, and "in coordination with" as in "in protest"
        ("Jordan and Israel will coordinate border security.", "COOPERATE", "JOR", "ISR"),
        (
            "Russia, in coordination with the Syrian army, secured the exit.",
            "COOPERATE",
            "RUS",
            "SYR",
        ),
    ],
)
def test_event_constructions_of_the_lexicon(pipeline, text, kind, source, target):
    found = events(pipeline, text)
    assert has(found, kind, source, target), [
        (e["type"], e["source"]["code"], e["target"] and e["target"]["code"]) for e in found
    ]


@pytest.mark.slow
def test_a_gift_goes_to_whom_it_is_for_not_to_what_it_is_about(pipeline):
    # inside the object, a recipient is one the thing is given to or for...
    found = events(pipeline, "Turkey sent a training mission for Malian troops.")
    assert has(found, "AID", "TUR", "MLI"), found
    # ...never one it is of: the judiciary (Kenya's, a home organ) is what the defence is about
    text = (
        "Kenya's opposition leader criticised the reform, providing a defence of the "
        "independence of the judiciary."
    )
    result = pipeline.run(RawDoc(None, "t", "Headline\n\n" + text, published=PUB))
    assert any(m.actor.code == "KENJUD" for m in result.mentions), result.mentions
    assert not any(e.type == "AID" and e.target is not None for e in result.events)


@pytest.mark.slow
def test_withdrawals_and_withholdings_name_whom_they_leave(pipeline):
    # whom a withdrawal leaves, and to whom a hostile act withholds something
    assert has(
        events(pipeline, "Kenya will withdraw its observers from Somalia."),
        "SANCTION",
        "KEN",
        "SOM",
    )
    assert has(events(pipeline, "Chile suspended flights to Venezuela."), "SANCTION", "CHL", "VEN")
    # "returned to Geneva" is travel, not a RETREAT; "returned the prisoners" is one
    found = events(pipeline, "Iraqi and Iranian negotiators returned to Geneva on Monday.")
    assert not any(e["type"] == "RETREAT" for e in found), found
    found = events(pipeline, "Iran returned the Iraqi prisoners on Monday.")
    assert any(e["type"] == "RETREAT" for e in found), found


@pytest.mark.slow
def test_owners_places_and_recipients_of_nominal_events(pipeline):
    # "its" owns the invasion; the country invaded is inside the noun phrase
    found = events(pipeline, "Turkey launched its invasion of northern Syria on Wednesday.")
    assert has(found, "ASSAULT", "TUR", "SYR"), found
    # people "across Nigeria" are Nigerian, and protest at home
    found = events(pipeline, "Teachers across Nigeria staged rallies on Monday.")
    assert has(found, "PROTEST", "NGAEDU", "NGA"), found
    # PLOVER requires a recipient for aid: without one the event has no PLOVER type
    found = events(pipeline, "Japan sent aid on Monday.")
    assert [(e["type"], e["plover"]) for e in found] == [("AID", None)], found


@pytest.mark.slow
def test_demands_in_nouns_and_statements(pipeline):
    # the asked party of a demand whose clause hangs on the light verb
    found = events(
        pipeline, "The African Union reiterated its demand that Sudan free the detainees."
    )
    assert has(found, "REQUEST", "IGOAFRAFU", "SDN"), found
    # whoever issued a statement demanding something demands it
    found = events(
        pipeline, "Kenyan opposition leaders issued a statement demanding that Uganda release them."
    )
    assert has(found, "REQUEST", "KENOPP", "UGA"), found


@pytest.mark.slow
def test_mediation_between_two_parties_targets_both(pipeline):
    found = events(pipeline, "Kuwait launched mediation between Qatar and Saudi Arabia in June.")
    assert has(found, "CONSULT", "KWT", "QAT") and has(found, "CONSULT", "KWT", "SAU"), found


@pytest.mark.slow
def test_two_sides_that_clash_attack_each_other(pipeline):
    found = events(pipeline, "Ethiopia and Eritrea fought a border war in 1998.")
    assert has(found, "ASSAULT", "ETH", "ERI") and has(found, "ASSAULT", "ERI", "ETH"), found


@pytest.mark.slow
def test_a_game_is_not_an_attack(pipeline):
    found = events(pipeline, "Spain's Carlos Alcaraz beat Serbia's Novak Djokovic 6-2 6-2.")
    assert not any(e["type"] == "ASSAULT" for e in found), found
    found = events(pipeline, "Azerbaijani forces defeated Armenia's army near Shusha.")
    assert has(found, "ASSAULT", "AZE", "ARM"), found  # the same verb in a war report


@pytest.mark.slow
def test_what_an_actor_is_blamed_for_is_its_alleged_act(pipeline):
    """ "accused X of arming Y", "sanctions on X for arming Y": X's act, the blamer's claim."""
    found = events(pipeline, "Ukraine condemned Iran for supplying drones to Russia.")
    assert has(found, "ACCUSE", "UKR", "IRN", modality="asserted")
    assert has(found, "AID", "IRN", "RUS", modality="alleged")
    found = events(pipeline, "Iran was accused of arming the Houthis.")
    assert has(found, "AID", "IRN", "YEMREB", modality="alleged")
    found = events(pipeline, "The EU imposed sanctions on Belarus for arming Russia.")
    assert has(found, "SANCTION", "IGOEUREEC", "BLR")
    assert has(found, "AID", "BLR", "RUS", modality="alleged")
    # praise is not a claim against anyone: what is praised keeps the reporter's voice
    found = events(pipeline, "Egypt thanked Jordan for hosting the talks.")
    assert has(found, "CONSULT", "JOR", None, modality="asserted")


@pytest.mark.slow
def test_a_dateline_is_where_the_story_was_filed_not_an_actor(pipeline):
    found = events(pipeline, "KINSHASA - The United States urged restraint on Tuesday.")
    assert has(found, "REQUEST", "USA", None)
    assert not any(e["source"]["country"] == "COD" for e in found), found
    # "US-led" is no dateline: the coalition still acts
    found = events(pipeline, "US-led forces attacked Taliban positions in Helmand on Monday.")
    assert any(e["type"] == "ASSAULT" and e["source"]["country"] == "USA" for e in found), found


@pytest.mark.slow
def test_bare_troops_belong_to_the_story_not_a_place_named_long_before(pipeline):
    text = (
        "Opposition leader Etienne Tshisekedi marched through Kinshasa in Zaire on Wednesday. "
        "Protests spread across Zaire to towns in eastern Zaire. "
        "Washington called for calm in the United States on Tuesday. "
        "The march went on for hours. Its leaders spoke to the crowd. "
        "Troops detained Tshisekedi in the afternoon."
    )
    found = events(pipeline, text)
    detained = [e for e in found if e["type"] == "COERCE"]
    assert detained and detained[0]["source"]["country"] == "COD", found


@pytest.mark.slow
def test_a_protest_is_aimed_at_whom_its_demand_addresses(pipeline):
    """PLOVER codes a demand made by demonstrating as a PROTEST against its addressee; the
    demand stays for the graph without a PLOVER type."""
    found = events(
        pipeline,
        "Chilean students staged marches in Santiago on Friday to demand free tuition from "
        "President Gabriel Boric.",
    )
    protest = [e for e in found if e["type"] == "PROTEST"]
    assert protest and all(e["target"] and e["target"]["name"] == "Gabriel Boric" for e in protest)
    assert [e["plover"] for e in found if e["type"] == "REQUEST"] == [None]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Ghana lodged a formal protest with Togo on Friday over the border closure.", "ACCUSE"),
        ("France will withdraw its troops from Mali unless the junta holds elections.", "THREATEN"),
        ("France will withdraw its troops from Mali if the junta holds elections.", "RETREAT"),
        ("The Colombian army gave a heavy blow to the ELN rebels on Monday.", "ASSAULT"),
        ("Norway sent a letter to the Sri Lankan president on Tuesday.", "CONSULT"),
        ("Kenya's president sent the reports to a retired Ugandan diplomat.", "CONSULT"),
        ("Turkey sent a stern warning to Greece over the islands.", "THREATEN"),
    ],
)
def test_complaints_and_ultimatums(pipeline, text, kind):
    found = events(pipeline, text)
    assert [e["type"] for e in found] == [kind], found
