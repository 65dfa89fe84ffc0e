"""How much time actor resolution adds to extraction (a benchmark, not a test).

    .venv/bin/python benchmarks/resolution.py [CORPUS.jsonl] [--limit N]

Parses the articles once, then times, over the same parsed texts: actor resolution, and
event extraction with and without resolved actors. Prints words/s of extract with and
without resolution. Default corpus: ../shared/bench/news.jsonl.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from allegiance.nlp.actors.resolve import DocActors
from allegiance.nlp.clean import clean_article
from allegiance.pipeline import Pipeline
from allegiance.records import Article, RawDoc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default="../shared/bench/news.jsonl")
    parser.add_argument("--limit", type=int, default=1000)
    args = parser.parse_args()
    pipe = Pipeline()
    articles: list[Article] = []
    with Path(args.corpus).open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            art = clean_article(RawDoc(None, "bench", rec["text"]), pipe.settings)
            if isinstance(art, Article):
                articles.append(art)
            if len(articles) >= args.limit:
                break
    words = sum(len(a.text.split()) for a in articles)

    t0 = time.perf_counter()
    docs = list(pipe.nlp.pipe([a.text for a in articles], batch_size=32))
    t_parse = time.perf_counter() - t0

    t0 = time.perf_counter()
    found = [pipe.resolver.resolve(doc, a.published) for doc, a in zip(docs, articles, strict=True)]
    t_resolve = time.perf_counter() - t0

    t0 = time.perf_counter()
    for doc, f, a in zip(docs, found, articles, strict=True):
        pipe.extractor.extract(doc, f, a.published)
    t_events = time.perf_counter() - t0

    empty = DocActors(())
    t0 = time.perf_counter()
    for doc, a in zip(docs, articles, strict=True):
        pipe.extractor.extract(doc, empty, a.published)
    t_events_bare = time.perf_counter() - t0

    without = words / (t_parse + t_events_bare)
    with_ = words / (t_parse + t_resolve + t_events)
    print(f"articles {len(articles)}, words {words:,}")
    print(f"parse          {t_parse:8.2f} s  {words / t_parse:9,.0f} words/s")
    print(f"resolve actors {t_resolve:8.2f} s  {words / t_resolve:9,.0f} words/s")
    print(f"events         {t_events:8.2f} s")
    print(f"extract without resolution {without:9,.0f} words/s")
    print(f"extract with resolution    {with_:9,.0f} words/s  ({with_ / without:.2f} of without)")


if __name__ == "__main__":
    main()
