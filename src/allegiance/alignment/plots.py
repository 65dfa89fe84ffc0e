"""Pictures and files of the alignment graph: camps as a network, a two-actor timeline,
GraphML/GEXF/JSON for Gephi and networkx.

matplotlib is used through ``Figure`` objects only (no pyplot state, no display needed);
networkx writes GraphML and GEXF, which Gephi, yEd and networkx itself read back.
"""

from __future__ import annotations

import json
import math
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

from . import Theatre

# Camp colours (colour-blind-safe Okabe-Ito), then grey for neutral actors.
_CAMP_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442")
_NEUTRAL = "#999999"


def camp_colour(camp: int | None) -> str:
    """The colour of a camp: seven fixed ones, then hues a golden angle apart, so no two
    camps of a crowded theatre share one."""
    if camp is None:
        return _NEUTRAL
    if camp < len(_CAMP_COLOURS):
        return _CAMP_COLOURS[camp]
    from matplotlib.colors import hsv_to_rgb, to_hex

    return str(to_hex(hsv_to_rgb(((camp * 0.381966) % 1.0, 0.7, 0.75))))


_SUPPORT, _HOSTILE = "#1a9641", "#d7191c"


def write_graph(data: dict[str, Any], out: Path, fmt: str) -> None:
    """Write ``alignment.graph_json`` output as GraphML, GEXF or JSON."""
    if fmt == "json":
        out.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        return
    import networkx as nx

    g = nx.MultiGraph()
    for node in data["nodes"]:
        attrs = {k: v for k, v in node.items() if k not in ("id", "camps") and v is not None}
        # GraphML and GEXF take scalar attributes: one "camp in theatre" attribute each
        attrs.update({f"camp_{t}": str(c) for t, c in node["camps"].items()})
        g.add_node(node["id"], **attrs)
    for e in data["edges"]:
        g.add_edge(
            e["source"],
            e["target"],
            theatre=e["theatre"],
            weight=e["weight"],
            sign=e["sign"],
            events=e["events"],
        )
    if fmt == "graphml":
        nx.write_graphml(g, out)
    else:
        nx.write_gexf(g, out)


def _label(actor: Any) -> str:
    """A node's label: a country's code, else the whole name, wrapped on lines of at most 18
    characters (a crowded panel's labels are never cut)."""
    if actor.kind == "country":
        return str(actor.code)
    return "\n".join(textwrap.wrap(actor.name, 18)) or actor.id


def _layout(theatre: Theatre) -> dict[str, tuple[float, float]]:
    """One column per camp, left to right, neutral actors in a column between the first two."""
    columns = [list(c) for c in theatre.camps]
    if theatre.neutral:
        columns.insert(1, list(theatre.neutral))
    pos: dict[str, tuple[float, float]] = {}
    for i, column in enumerate(columns):
        x = -2.0 + 4.0 * i / max(1, len(columns) - 1)
        for j, node in enumerate(column):
            pos[node] = (x, 2.0 - 4.0 * (j + 0.5) / len(column))
    return pos


def plot_sides(theatres: list[Theatre], out: Path) -> None:
    """One panel per theatre: camps coloured, support green and hostility red between
    actors, line width by the weight of the evidence."""
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch

    cols = min(3, len(theatres))
    rows = math.ceil(len(theatres) / cols)
    fig = Figure(figsize=(5.6 * cols, 4.4 * rows), dpi=110)
    for k, th in enumerate(theatres):
        ax = fig.add_subplot(rows, cols, k + 1)
        pos = _layout(th)
        for link in th.links:
            if link.a in pos and link.b in pos and link.weight:
                (x1, y1), (x2, y2) = pos[link.a], pos[link.b]
                colour = _SUPPORT if link.weight > 0 else _HOSTILE
                width = 0.6 + 2.4 * min(1.0, abs(link.weight) / 3)
                if x1 == x2:  # same column: an arc, so ties along a camp do not overlap
                    arc = FancyArrowPatch(
                        (x1, y1),
                        (x2, y2),
                        connectionstyle="arc3,rad=0.45",
                        arrowstyle="-",
                        color=colour,
                        lw=width,
                        alpha=0.65,
                        zorder=1,
                    )
                    ax.add_patch(arc)
                else:
                    ax.plot([x1, x2], [y1, y2], color=colour, lw=width, alpha=0.65, zorder=1)
        for node, (x, y) in pos.items():
            camp = th.camp_of(node)
            colour = camp_colour(camp)
            ax.scatter([x], [y], s=150, color=colour, edgecolors="white", zorder=2)
            ax.annotate(
                _label(th.nodes[node]),
                (x, y),
                xytext=(0, 9),
                textcoords="offset points",
                ha="center",
                fontsize=8,
                zorder=3,
            )
        when = f" ({th.window.label})" if th.window else ""
        ax.set_title(f"{th.name}{when}: {len(th.camps)} camps", fontsize=10)
        ax.set_xlim(-3.0, 3.0)
        ax.set_ylim(-2.3, 2.3)
        ax.set_axis_off()
    _legend(fig, max((len(th.camps) for th in theatres), default=0))
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    fig.savefig(out)


def _legend(fig: Any, camps: int) -> None:
    """Each camp's colour, neutral, and the two kinds of edge, under the panels."""
    from matplotlib.lines import Line2D

    def dot(colour: str, label: str) -> Any:
        return Line2D([0], [0], marker="o", color=colour, lw=0, ms=9, label=label)

    handles = [
        *(dot(camp_colour(i), f"camp {i + 1}") for i in range(camps)),
        dot(_NEUTRAL, "neutral"),
        Line2D([0], [0], color=_SUPPORT, lw=2.5, label="support"),
        Line2D([0], [0], color=_HOSTILE, lw=2.5, label="hostility"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=min(len(handles), 6), frameon=False)


def plot_timeline(months: list[tuple[date, float, float]], a: str, b: str, out: Path) -> None:
    """Cooperation (up, green) and conflict (down, red) between two actors, month by month."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 3.6), dpi=110)
    ax = fig.add_subplot(1, 1, 1)
    days = [m for m, _, _ in months]
    ax.bar(days, [p for _, p, _ in months], width=25, color=_SUPPORT, label="cooperation")
    ax.bar(days, [n for _, _, n in months], width=25, color=_HOSTILE, label="conflict")
    ax.axhline(0, color="black", lw=0.6)
    ax.set_title(f"{a} and {b}: weighted events per month", fontsize=10)
    ax.set_ylabel("weight")
    ax.legend(frameon=False, fontsize=8)
    # Month ticks a reader can read: as many as fit, labelled "Jan", "Feb" and the year once.
    locator = AutoDateLocator(minticks=4, maxticks=12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    fig.tight_layout()
    fig.savefig(out)
