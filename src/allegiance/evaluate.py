"""Evaluation against gold sets written by others (never trained on, never copied).

Each scorer reads a JSONL gold file of the shape ../shared/eval/README.md describes and
returns a report: counts, precision/recall/F1 where they apply, and the worst errors.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .pipeline import Pipeline

DEFAULT_SETS = {
    "actors": "../shared/eval/events/plover_gsr.dev.jsonl",
}
# How many wrong cases a report lists.
_WORST = 15


@dataclass
class Report:
    """What a scorer found: named figures, per-label counts and example errors."""

    name: str
    figures: dict[str, float] = field(default_factory=dict)
    per_label: dict[str, dict[str, float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def to_text(self) -> str:
        lines = [f"== {self.name}"]
        lines += [
            f"{k:>24}: {v:.3f}" if isinstance(v, float) else f"{k:>24}: {v}"
            for k, v in self.figures.items()
        ]
        if self.per_label:
            lines.append(f"{'label':>24}  {'P':>5}  {'R':>5}  {'F1':>5}  {'n':>5}")
            for label, row in sorted(self.per_label.items()):
                lines.append(
                    f"{label:>24}  {row['p']:.3f}  {row['r']:.3f}  {row['f1']:.3f}  "
                    f"{int(row['n']):>5}"
                )
        if self.errors:
            lines.append("worst errors:")
            lines += [f"  - {e}" for e in self.errors]
        return "\n".join(lines)


def read_gold(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _locate(text: str, actor: dict[str, Any]) -> tuple[int, int] | None:
    """The gold span's offsets; a span given without them is looked up by its words."""
    if actor.get("start") is not None and actor.get("end") is not None:
        return int(actor["start"]), int(actor["end"])
    for word in re.findall(r"[\w.'-]+", actor.get("text") or ""):
        at = text.find(word)
        if at >= 0 and word[:1].isupper():
            return at, at + len(word)
    return None


def _published(rec: dict[str, Any]) -> date | None:
    try:
        return date.fromisoformat(str(rec.get("published"))[:10])
    except ValueError:
        return None


def eval_actors(path: Path, pipeline: Pipeline) -> Report:
    """Share of coded actor spans whose resolved country (or IGO) is the gold code."""
    right = total = 0
    by_code: Counter[str] = Counter()
    wrong_code: Counter[str] = Counter()
    errors: list[str] = []
    for rec in read_gold(path):
        wanted: dict[tuple[int, int], str] = {}
        lost = 0
        for ev in rec.get("events", []):
            for side in ("source", "target"):
                actor = ev.get(side)
                if not actor or not actor.get("code"):
                    continue
                where = _locate(rec["text"], actor)
                if where is None:
                    lost += 1
                    errors.append(f"{rec['id']}: cannot locate '{actor.get('text')}'")
                    continue
                wanted[where] = actor["code"]
        total += len(wanted) + lost
        spans = list(wanted)
        found = pipeline.resolve_spans(rec["text"], _published(rec), spans)
        for span, mention in zip(spans, found, strict=True):
            gold = wanted[span]
            got = None
            if mention is not None:
                got = "IGO" if mention.actor.sector == "IGO" else mention.actor.country
            by_code[gold] += 1
            if got == gold:
                right += 1
            else:
                wrong_code[gold] += 1
                text = rec["text"][span[0] : span[1]]
                rule = mention.rule if mention else "no mention"
                errors.append(f"{rec['id']}: '{text}' gold {gold}, got {got} ({rule})")
    report = Report("actors: country (or IGO) of each coded actor span")
    report.figures = {"spans": total, "correct": right, "accuracy": right / total if total else 0.0}
    report.errors = errors
    return report
