"""The first acceptance test: the seed article of ../shared/seed yields what it must."""

import json

import pytest

from allegiance.records import RawDoc, Rejected
from conftest import shared_path
from seedcheck import score

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seed(pipeline):
    text_path = shared_path("seed", "turkey-russia-libya-syria.txt")
    expected = json.loads(text_path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    from datetime import date

    raw = RawDoc(
        None,
        str(text_path),
        text_path.read_text(encoding="utf-8"),
        published=date.fromisoformat(expected["published"]),
    )
    result = pipeline.run(raw)
    assert not isinstance(result, Rejected), result
    return expected, result.to_dict()


def test_seed_boilerplate_removed(seed):
    expected, record = seed
    removed = {r["text"] for r in record["removed"]}
    assert set(expected["boilerplate_removed"]) <= removed
    for line in expected["boilerplate_removed"]:
        assert line not in record["text"].splitlines()


def test_seed_must_find_at_least_12_of_14(seed):
    expected, record = seed
    found, missed, _ = score(expected, record)
    assert len(found) >= 12, f"missed: {missed}"


def test_seed_must_not_find(seed):
    expected, record = seed
    _, _, wrong = score(expected, record)
    assert wrong == []


def test_seed_every_event_has_modality_and_offsets(seed):
    _, record = seed
    for ev in record["events"]:
        assert ev["modality"] in {
            "asserted",
            "planned",
            "reported",
            "alleged",
            "negated",
            "hypothetical",
        }
        assert record["text"][ev["sentence_start"] : ev["sentence_end"]] == ev["sentence"]
