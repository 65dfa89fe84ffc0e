"""Golden outputs for the team's own example articles, and the example page's expectations.

Run ``pytest tests/test_examples.py --update-golden`` after a deliberate change, and read the
diff of tests/golden before committing it.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from allegiance.records import RawDoc, Rejected
from conftest import EXAMPLES, ROOT
from seedcheck import score

pytestmark = pytest.mark.slow
GOLDEN = ROOT / "tests" / "golden"


def _corpus() -> list[dict]:
    lines = (EXAMPLES / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _summary(record: dict) -> list[list]:
    def who(a: dict | None) -> str | None:
        return None if a is None else f"{a['code']}:{a['id']}"

    return [
        [e["type"], e["mode"], who(e["source"]), who(e["target"]), e["date"], e["modality"]]
        for e in record["events"]
    ]


def _run(pipeline, rec: dict) -> dict:
    raw = RawDoc(
        rec["id"],
        rec["id"],
        rec["text"],
        title=rec.get("title"),
        published=date.fromisoformat(rec["published"]),
    )
    result = pipeline.run(raw)
    assert not isinstance(result, Rejected), result
    return result.to_dict()


@pytest.mark.parametrize("rec", _corpus(), ids=lambda r: r["id"])
def test_example_article_matches_golden(pipeline, update_golden, rec):
    got = _summary(_run(pipeline, rec))
    path = GOLDEN / f"{rec['id']}.json"
    if update_golden:
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(got, indent=1) + "\n", encoding="utf-8")
    assert path.exists(), (
        f"no golden file {path.name}: write it with `pytest tests/test_examples.py "
        "--update-golden` and read it before committing"
    )
    assert got == json.loads(path.read_text(encoding="utf-8"))


def test_example_page_cleaned_and_coded(pipeline):
    meta = json.loads((EXAMPLES / "libya-2020.meta.json").read_text(encoding="utf-8"))
    text = (EXAMPLES / "libya-2020.txt").read_text(encoding="utf-8")
    rec = {"id": "libya-2020", "text": text, "published": meta["published"]}
    record = _run(pipeline, rec)
    assert {r["text"] for r in record["removed"]} == set(meta["boilerplate"])
    _, missed, wrong = score(meta, record)
    assert missed == [] and wrong == []
