"""The coder a worker holds: the pipeline, loaded once and kept, and what coding an input
gives the store (the result and its MinHash).

One object, created where the work is planned and handed to whoever codes: the forked
workers of ``ingest --workers`` (forked from a parent that loaded it, so they share its
memory), a Dask worker (its plugin holds one), the API (its state holds one). Nothing is kept
in module globals that request threads could write.
"""

from __future__ import annotations

import threading
from typing import Any

from ..records import ArticleResult, RawDoc, Rejected
from ..settings import Settings
from .dedup import minhash

Coded = tuple[ArticleResult | Rejected, bytes | None]


class Coder:
    """Codes raw documents with a pipeline loaded on first use, one call at a time."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._pipeline: Any = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        # A coder travels (to a Dask worker) as its settings and loads where it arrives.
        return {"settings": self.settings}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["settings"])  # type: ignore[misc]

    def load(self) -> Any:
        """The pipeline, loaded now if it was not (seconds: the model and the knowledge base)."""
        with self._lock:
            if self._pipeline is None:
                from ..pipeline import Pipeline

                self._pipeline = Pipeline(self.settings)
            return self._pipeline

    def code(self, items: list[RawDoc | Rejected]) -> list[Coded]:
        """(result, MinHash or None) for each input, in order; a Rejected passes through.
        Calls from several threads take turns: one pipeline is never run in two at once."""
        pipe = self.load()
        with self._lock:
            return [
                (result, None if isinstance(result, Rejected) else minhash(result.article.text))
                for result in pipe.run_many(items)
            ]
