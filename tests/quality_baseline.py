"""The quality baseline: the figures the eval gates hold, in tests/quality_baseline.json.

    python tests/quality_baseline.py            print the figures now, beside the baseline
    python tests/quality_baseline.py --write    measure and rewrite the baseline (make baseline)

Only this command rewrites the file, and it refuses to lower a figure unless --allow-lower is
given (then the commit says why). Dev sets and training splits only: devtest is looked at to
report, never held as a gate.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BASELINE = HERE / "quality_baseline.json"
SHARED = HERE.parents[1] / "shared"
# gate: (the set under ../shared, the figure held)
GATES: dict[str, tuple[str, str]] = {
    "actors": ("eval/events/plover_gsr.dev.jsonl", "accuracy"),
    "events": ("eval/events/plover_gsr.dev.jsonl", "f1"),
    "classify": ("eval/events/plover_gsr.dev.jsonl", "macro-F1"),
    "dates": ("eval/dates/tempeval3.train.jsonl", "day exact"),
    "extraction": ("eval/extraction/zyte", "f1"),
    "articles": ("eval/news/news.dev.jsonl", "f1"),
}
# Room for the last digit of a figure: the scorers are deterministic.
TOLERANCE = 0.0005


def measure(gate: str, pipeline: Any) -> float:
    """The figure of one gate now."""
    from allegiance.quality import evaluate
    from allegiance.quality.news_eval import eval_articles
    from allegiance.settings import Settings

    path = SHARED / GATES[gate][0]
    if gate == "extraction":
        report = evaluate.eval_extraction(path, Settings(min_english=0.0))
    elif gate == "articles":
        report = eval_articles(path, SHARED / "bench" / "news.jsonl", pipeline)
    else:
        scorer = {
            "actors": evaluate.eval_actors,
            "events": evaluate.eval_events,
            "classify": evaluate.eval_classify,
            "dates": evaluate.eval_dates,
        }[gate]
        report = scorer(path, pipeline)
    return round(float(report.figures[GATES[gate][1]]), 4)


def load() -> dict[str, float]:
    return {k: float(v) for k, v in json.loads(BASELINE.read_text(encoding="utf-8")).items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite the baseline file")
    parser.add_argument("--allow-lower", action="store_true", help="let a figure go down")
    args = parser.parse_args()
    from allegiance.pipeline import Pipeline

    pipeline = Pipeline()
    old = load() if BASELINE.exists() else {}
    now = {gate: measure(gate, pipeline) for gate in GATES}
    lower = [g for g in now if g in old and now[g] < old[g] - TOLERANCE]
    for gate in GATES:
        print(f"{gate:>11}: {now[gate]:.4f} (baseline {old.get(gate, float('nan')):.4f})")
    if not args.write:
        return 0
    if lower and not args.allow_lower:
        print(f"refused: lower than the baseline: {', '.join(lower)} (--allow-lower)")
        return 1
    BASELINE.write_text(json.dumps(now, indent=1) + "\n", encoding="utf-8")
    print(f"written to {BASELINE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
