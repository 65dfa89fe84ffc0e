"""How long `classify` takes for 1,000 dyads on one core (a benchmark, not a test).

    taskset -c 0 .venv/bin/python benchmarks/classify_speed.py [DYADS.jsonl] [--limit 1000]
        [--warmup 200] [--learned]

Reads dyads from a PLOVER-style JSONL set (default: the zsp_plv set under ../shared), loads
the models once (not timed), classifies ``--warmup`` other dyads of the set (not timed: the
first sentences a process parses fill spaCy's vocabulary and lemma caches, a cost paid once
per process, not per dyad), then times classification alone: by the rules, or with
``--learned`` by the typer over the rules' reading (neither needs named entities).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from allegiance.nlp.events.classify import DyadClassifier, record_dyads
from allegiance.pipeline import Pipeline
from allegiance.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="../shared/eval/events/zsp_plv.train.jsonl")
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=200, help="untimed dyads classified first")
    parser.add_argument("--learned", action="store_true", help="the typer, not the rules")
    args = parser.parse_args()
    dyads = []
    with Path(args.path).open(encoding="utf-8") as fh:
        for line in fh:
            dyads += [dyad for dyad, _ in record_dyads(json.loads(line))]
    warmup = dyads[args.limit : args.limit + args.warmup]
    dyads = dyads[: args.limit]
    pipe = Pipeline(Settings(learned=args.learned))
    classifier = DyadClassifier(pipe.nlp, pipe.extractor, typer=pipe.typer)
    list(classifier.classify_many(warmup))
    start = time.perf_counter()
    found = list(classifier.classify_many(dyads))
    took = time.perf_counter() - start
    print(f"{len(found)} dyads in {took:.2f} s ({len(found) / took:,.0f} dyads/s)")


if __name__ == "__main__":
    main()
