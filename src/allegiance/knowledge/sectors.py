"""The sector taxonomy: the CAMEO/PLOVER sector codes an actor carries, and the classes of them
the stages ask about, in one place.

A sector says what part of its country an actor is: ``RUSGOV`` is Russia's government,
``LBYREB`` Libya's rebels. The classes below are what the rules, the alignment graph and
the scorers mean by "the state", "a party to an internal conflict" and the like.
"""

from __future__ import annotations

# Every sector code, with the noun a compound actor of that sector is named by ("Sudanese
# rebels") where one is used.
SECTORS: dict[str, str] = {
    "GOV": "government",
    "MIL": "military",
    "LEG": "parliament",
    "JUD": "judiciary",
    "COP": "police",
    "SPY": "intelligence service",
    "REB": "rebels",
    "INS": "insurgents",
    "SEP": "separatists",
    "UAF": "armed groups",
    "PTY": "party",
    "OPP": "opposition",
    "CVL": "civilians",
    "MED": "media",
    "BUS": "business",
    "LAB": "labour",
    "EDU": "education",
    "REL": "religious",
    "REF": "refugees",
    "NGO": "non-governmental organisation",
    "IGO": "international organisation",
    "ELI": "elites",
    "CRM": "criminals",
    "HLH": "health",
    "AGR": "agriculture",
    "ENV": "environment",
}
# The sectors a hand coding uses (../shared/eval/news/GUIDELINES.md): all but those the base
# alone gives.
CODED = frozenset(SECTORS) - {"CRM", "HLH", "AGR", "ENV"}
# Compound actors are named with these nouns ("Sudanese rebels", "Kenyan police").
NOUNS: dict[str, str] = {
    k: SECTORS[k] for k in "GOV MIL REB INS SEP UAF OPP PTY LEG JUD COP MED BUS CVL REF".split()
}

# The state itself: its government, forces, legislature, courts, police and spies. A
# foreign state's officials and forces count as that state.
STATE = frozenset(["GOV", "MIL", "LEG", "JUD", "COP", "SPY"])
# Parties to a country's internal armed conflict.
ARMED_PARTIES = frozenset(["REB", "INS", "SEP"])
# Sectors of actors that are not the state: forces loyal to one of them are its side.
NON_STATE = frozenset(["REB", "INS", "SEP", "UAF", "OPP", "PTY", "CRM"])
# People an event happens to rather than parties to a conflict.
BYSTANDERS = frozenset(["CVL", "BUS", "REF", "LAB", "EDU", "MED", "AGR", "HLH", "ENV"])
# People whose force against others is protest: "workers blocked the bridge".
CIVILIAN = frozenset(["CVL", "LAB", "EDU", "REF", "AGR"])
# Actors whose acts are aimed at home: society, opposition, rebels, parties, courts, police.
# A state, its government or its army may act abroad.
HOME = frozenset(
    "REB INS SEP OPP PTY LEG JUD COP MED BUS CVL REF LAB EDU HLH REL CRM ELI AGR ENV".split()
)
# Organisations that belong to one country: parties, courts, media, unions, ministries.
DOMESTIC_ORGS = frozenset(["PTY", "JUD", "MED", "LAB", "LEG", "COP", "GOV", "MIL", "EDU", "BUS"])
