"""``allegiance recode``: code the stored articles again after a knowledge-base, lexicon or
model change, keeping the articles and their ids, and say what changed.

Each stored body is parsed again exactly as stored (not cleaned again: the stored spans index
it), and its mentions, events and reports are replaced one batch of articles at a time, each
batch in a transaction of its own. At the end, events no article reports any more are removed
and every event's counts are taken again. A run that is stopped leaves each article coded
either the old way or the new; running ``recode`` again finishes the job.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..records import ArticleResult
from ..settings import Settings
from .store import Store

# Articles coded and written at a time.
_BATCH = 64


@dataclass
class RecodeSummary:
    """What a recode did: articles coded, and the events by type before and after."""

    articles: int = 0
    total: int = 0
    before: Counter[str] = field(default_factory=Counter)
    after: Counter[str] = field(default_factory=Counter)
    added: int = 0  # events (type, actors, date) the old coding did not have
    removed: int = 0  # events of the old coding that are gone
    seconds: float = 0.0

    def line(self) -> str:
        old, new = sum(self.before.values()), sum(self.after.values())
        return (
            f"{self.articles} articles recoded in {self.seconds:.1f}s; events {old} -> {new} "
            f"({self.added} new, {self.removed} gone, {new - self.added} kept)"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "events_before": sum(self.before.values()),
            "events_after": sum(self.after.values()),
            "new": self.added,
            "gone": self.removed,
            "seconds": round(self.seconds, 1),
            "by_type": self.by_type(),
        }

    def by_type(self) -> list[dict[str, Any]]:
        """Events per type, before and after, the types that changed most first."""
        kinds = set(self.before) | set(self.after)
        rows = [
            {
                "type": k,
                "before": self.before[k],
                "after": self.after[k],
                "change": self.after[k] - self.before[k],
            }
            for k in kinds
        ]
        return sorted(rows, key=lambda r: (-abs(r["change"]), r["type"]))


def recode(
    store: Store,
    settings: Settings,
    progress: Callable[[RecodeSummary], None] | None = None,
) -> RecodeSummary:
    """Code every stored article again with ``settings``' pipeline and replace its coding."""
    from ..pipeline import Pipeline

    start = time.perf_counter()
    old = _events(store)
    summary = RecodeSummary(before=Counter(old.values()))
    pipeline = Pipeline(settings)
    ids = store.article_ids()
    summary.total = len(ids)
    for i in range(0, len(ids), _BATCH):
        stored = store.stored_articles(ids[i : i + _BATCH])
        coded = pipeline.code_many(article for article, _ in stored)
        results = [
            (result, near)
            for result, (_, near) in zip(coded, stored, strict=True)
            if isinstance(result, ArticleResult)
        ]
        store.replace_coding(results)
        summary.articles += len(stored)
        if progress:
            summary.seconds = time.perf_counter() - start
            progress(summary)
    store.finish_recoding()
    new = _events(store)
    summary.after = Counter(new.values())
    summary.added = len(new.keys() - old.keys())
    summary.removed = len(old.keys() - new.keys())
    summary.seconds = time.perf_counter() - start
    return summary


def _events(store: Store) -> dict[str, str]:
    """Each stored event's id and type (the id is its type, actors and date)."""
    return dict(store.con.execute("SELECT id, type FROM events").fetchall())
