"""How fast the API answers over a large store (a benchmark, not a test).

    .venv/bin/python benchmarks/serve_speed.py [--events 100000] [--db PATH]

Codes the demo corpus once, then writes copies of its articles, each copy moved to another
day (so its events are other events), through ``Store.write_batch`` until the store holds
the asked number of events. Then times the requests the web page makes, in-process, and
prints the median of five calls of each.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from allegiance.corpus.store import Store
from allegiance.pipeline import Pipeline
from allegiance.records import ArticleResult, RawDoc
from allegiance.serve import ServeSettings, create_app

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus.jsonl"


def _shifted(result: ArticleResult, n: int) -> ArticleResult:
    """The article as if published ``n`` days later: new id, every event dated n days on."""
    art = result.article
    base = art.published or date(2020, 1, 1)
    events = tuple(
        replace(ev, date=(base + timedelta(days=n)).isoformat(), date_precision="day")
        for ev in result.events
    )
    moved = replace(art, id=f"{art.id[:8]}{n:08x}", published=base + timedelta(days=n))
    return ArticleResult(moved, result.mentions, events)


def build(db: Path, events: int) -> None:
    pipe = Pipeline()
    records = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    coded = []
    for rec in records:
        raw = RawDoc(
            rec["id"],
            rec["id"],
            rec["text"],
            title=rec.get("title"),
            published=date.fromisoformat(rec["published"]),
        )
        result = pipe.run(raw)
        if isinstance(result, ArticleResult) and result.events:
            coded.append(result)
    with Store.open(db) as store:
        n, total = 0, store.stats()["events"]
        while total < events:
            batch = []
            for _ in range(500):
                n += 1
                result = _shifted(coded[n % len(coded)], n // len(coded))
                batch.append((f"bench:{n}", result, None, None))
            store.write_batch(batch)
            total = store.stats()["events"]
        print(f"{db}: {store.stats()['events']} events, {store.stats()['articles']} articles")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/allegiance-serve-bench.duckdb"))
    args = parser.parse_args()
    if not args.db.exists():
        build(args.db, args.events)
    with TestClient(create_app(ServeSettings(db=args.db))) as client:
        first = client.get("/api/events", params={"limit": 25}).json()
        event = first["events"][0]["id"]
        article = client.get(f"/api/events/{event}").json()["reports"][0]["article_id"]
        calls = {
            "events, page 1": ("/api/events", {"limit": 25}),
            "events, page 2": ("/api/events", {"limit": 25, "cursor": first["next_cursor"]}),
            "events, actor + type": ("/api/events", {"actor": "Haftar", "type": "SUPPORT"}),
            "events, country, 1000 as CSV": (
                "/api/events",
                {"country": "LBY", "limit": 1000, "format": "csv"},
            ),
            "timeline": ("/api/timeline", {}),
            "one event": (f"/api/events/{event}", {}),
            "one article": (f"/api/articles/{article}", {}),
            "actors": ("/api/actors", {"q": "rus"}),
            "sides (first: builds the graph)": ("/api/sides", {}),
            "sides (cached)": ("/api/sides", {}),
            "graph of Libya": ("/api/graph", {"theatre": "LBY"}),
            "one actor with backers": ("/api/actors/khalifa-haftar", {}),
        }
        print(f"{first['total']} events")
        for name, (path, params) in calls.items():
            times = []
            for _ in range(1 if name.startswith("sides (first") else 5):
                start = time.perf_counter()
                response = client.get(path, params=params)
                times.append(time.perf_counter() - start)
                assert response.status_code == 200, response.text
            print(f"{name:>32}: {1000 * statistics.median(times):8.1f} ms")


if __name__ == "__main__":
    main()
