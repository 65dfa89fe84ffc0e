"""Shared fixtures: one pipeline per session, the shared data path, golden-file updating."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ALLEGIANCE_SHARED", ROOT.parent / "shared"))
EXAMPLES = ROOT / "examples"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/*.json from the current output.",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def pipeline():
    from allegiance.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def nlp(pipeline):
    return pipeline.nlp


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test with a message when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"{path} is not here: the shared evaluation data sits beside the repo in "
            "the team's checkout; this test runs where it does"
        )
    return path
