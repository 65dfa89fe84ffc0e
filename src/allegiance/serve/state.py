"""What the app holds and every route depends on: the settings, the open store and its
lock, the coder, the cache of camps; and the limits of a request."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request

from ..corpus.coder import Coder
from ..corpus.store import Store
from ..settings import Settings

# Largest page of events or actors one request may ask for.
MAX_PAGE = 1000


# Longest text a query parameter may hold (names, ids, cursors).
TEXT = 200


@dataclass(frozen=True, slots=True)
class ServeSettings:
    """Options of ``allegiance serve``; the CLI reads the environment, the app never does."""

    db: Path = field(default=Path("allegiance.duckdb"), metadata={"help": "The DuckDB store."})
    token: str | None = field(
        default=None,
        metadata={"help": "Bearer token for writes (ALLEGIANCE_TOKEN); None refuses writes."},
    )
    max_body_bytes: int = field(
        default=2_000_000, metadata={"help": "Largest request body accepted (413 above)."}
    )
    pipeline: Settings = field(
        default_factory=Settings, metadata={"help": "Settings of the ingest pipeline."}
    )


class State:
    """What one app holds: the open store and a lock around it (a DuckDB connection serves
    one thread at a time), the near-duplicate index for writes, and the graph's ties of the
    current contents (cleared by every write, so it never goes stale)."""

    def __init__(self, settings: ServeSettings, store: Store) -> None:
        self.settings, self.store = settings, store
        self.lock = threading.Lock()
        self.coder = Coder(settings.pipeline)  # codes one article at a time, outside ``lock``
        self.near: Any = None
        self.generation = 0  # writes so far: a cache entry computed across one is dropped
        self.cache: dict[tuple[Any, ...], Any] = {}


def version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("allegiance")
    except PackageNotFoundError:
        return "0"


def state_of(request: Request) -> State:
    state: State = request.app.state.allegiance
    return state


StateDep = Annotated[State, Depends(state_of)]
