"""Alignment: a signed actor graph from events, grouped into theatres and split into camps.

Modules: ``ties`` (events as ties, from results or store rows), ``weights`` (what an event
counts), ``windows`` (the periods camps are computed for: a calendar year by default),
``theatres`` (conflicts and nodes), ``camps`` (clustering, ``sides``), ``shifts`` (changes
of side between consecutive windows), ``views``
(rivals, backers, timeline, JSON), ``plots`` (pictures and graph files).

The stage after events. Its input is a stream of ``Tie`` records (one coded event with its
evidence: the sentences that report it), read from extraction results or from the store; its
output is ``Theatre`` records (the camps of each conflict, who is left neutral, and the events
behind every membership), rivals across theatres and the backers of one actor.

The choices, in the order the code makes them:

- Sign and weight. Backing types count for a camp (SUPPORT, AID, COOPERATE), hostile ones
  against (ASSAULT down to PROTEST); diplomacy (CONSULT, AGREE, REQUEST, CONCEDE, RETREAT)
  counts for neither, since enemies meet and sign ceasefires, but it is kept as *contact* for
  rivals. Each event's weight is ``ALIGNMENT[type] * MODALITY[modality] * confidence *
  (1 + ln(articles))``, times ``0.5 ** (age / half_life)`` when a half-life is given. An
  alleged backing therefore counts half an asserted one and a negated one not at all.
- Theatres. A country is a theatre when a party to its internal conflict takes part in an
  event (rebels, insurgents, separatists, armed opposition of that country), when two of its
  armed organisations fight each other (the LNA and the GNA), or when another state's forces
  attack it, from as much evidence as one sure event (counted by confidence). States at war
  with each other share one theatre, named by the country more of the attacks fall on. An
  event belongs to the theatre of its most local party (a rebel or government side before a
  state), else to where it happened, else to the theatre the sentence names; events with
  none are kept for contact between rivals only.
- Nodes. In a theatre, a foreign state's government, forces and officials are the state
  (Lavrov is Russia); the theatre country's own state, government and forces are one node,
  its government side; named groups (Wagner, the LNA) and other local parties stay apart.
- Camps. Correlation clustering on the signed graph: merge the two groups with the largest
  positive weight between them while any is positive, then move single actors to the group
  they are most tied to until nothing changes. Support ends up inside camps and hostility
  across them, with as little frustration (weight on the wrong side) as this greedy search
  finds. An actor tied about as much to a second camp as to its own is neutral (a mediator
  backing both); so is one whose only ties are words (condemning, rejecting) and one with
  only diplomatic contact in the theatre.
"""

from .camps import Link, Theatre, frustration, partition, sides, sides_by_window
from .shifts import Shift, shifts
from .theatres import find_theatres, node_of, place_ties, theatre_of, usable, usable_target
from .ties import Evidence, Tie, as_date, tie_dict, ties_from_results, ties_from_rows
from .views import backers, graph_json, rivals, timeline
from .weights import ALIGNMENT, CONTACT, MODALITY, Options, in_window, weigh
from .windows import (
    UNDATED,
    Window,
    WindowError,
    check_spec,
    windows,
    within_year,
    year_window,
)

__all__ = [
    "ALIGNMENT",
    "CONTACT",
    "MODALITY",
    "UNDATED",
    "Evidence",
    "Link",
    "Options",
    "Shift",
    "Theatre",
    "Tie",
    "Window",
    "WindowError",
    "as_date",
    "backers",
    "check_spec",
    "find_theatres",
    "frustration",
    "graph_json",
    "in_window",
    "node_of",
    "partition",
    "place_ties",
    "rivals",
    "shifts",
    "sides",
    "sides_by_window",
    "theatre_of",
    "tie_dict",
    "ties_from_results",
    "ties_from_rows",
    "timeline",
    "usable",
    "usable_target",
    "weigh",
    "windows",
    "within_year",
    "year_window",
]
