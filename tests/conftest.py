"""Shared fixtures: one pipeline per session, the shared data path, golden-file updating."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ALLEGIANCE_SHARED", ROOT.parent / "shared"))
EXAMPLES = ROOT / "examples"
# The API's tests write with this token, and store a story with a <script> in it.
TOKEN = "test-token-3f9a"
SCRIPT_ARTICLE = (
    "Turkey sends drones to Libya's government\n\n"
    "TRIPOLI - Turkey has sent armed drones to the Government of National Accord, officials "
    "said on Monday. Protesters in Tripoli carried a banner reading "
    "<script>window.pwned=1</script> outside the Egyptian embassy, condemning Egypt's support "
    "for Khalifa Haftar.\n\nEgypt rejected the accusation."
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/*.json from the current output.",
    )
    parser.addoption(
        "--update-screenshots",
        action="store_true",
        help="Write the browser test's screenshot into docs/ (`make screenshots`).",
    )


def pytest_configure(config: pytest.Config) -> None:
    # `make test-fast` runs without the spaCy model: a test that loads it there fails and
    # names itself, so it can be marked slow.
    if os.environ.get("ALLEGIANCE_FAST_TESTS"):
        import spacy

        def refuse(*args: object, **kwargs: object) -> None:
            raise RuntimeError("this test loads the spaCy model: mark it @pytest.mark.slow")

        spacy.load = refuse  # type: ignore[assignment]


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session", autouse=True)
def _one_pipeline_per_settings():
    """Every ingest, command and API write builds a pipeline (through its Coder), and loading
    the model and the knowledge base takes seconds: in tests, each settings' pipeline is
    loaded once and shared. (A pipeline holds no state between articles.)"""
    import allegiance.pipeline as module

    real, made = module.Pipeline, {}

    def pipeline(settings=None, kb=None):
        if kb is not None:
            return real(settings, kb)
        key = settings or module.Settings()
        if key not in made:
            made[key] = real(key)
        return made[key]

    patch = pytest.MonkeyPatch()
    patch.setattr(module, "Pipeline", pipeline)
    yield
    patch.undo()


@pytest.fixture(scope="session")
def pipeline():
    import allegiance.pipeline as module

    return module.Pipeline()


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


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built by ``ingest`` from the team's demo corpus (examples/corpus.jsonl),
    closed again; tests open it read-only or copy it before writing."""
    from allegiance.corpus.run import ingest
    from allegiance.corpus.store import Store
    from allegiance.settings import Settings

    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with Store.open(db) as store:
        # A relative input name: it is each article's source, shown by the page and the
        # README's screenshot.
        summary = ingest([os.path.relpath(EXAMPLES / "corpus.jsonl")], store, Settings())
    assert summary.stored > 20 and summary.events > 100, summary.line()
    return db
