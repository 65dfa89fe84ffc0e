"""``allegiance recode``: the stored articles coded again, ids kept, changes reported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from allegiance.cli import main
from allegiance.corpus.store import Store

pytestmark = pytest.mark.slow


def _copy(demo_store: Path, tmp_path: Path) -> Path:
    db = tmp_path / "copy.duckdb"
    shutil.copy(demo_store, db)
    return db


def _tables(db: Path) -> dict[str, list[tuple]]:
    with Store.open(db, read_only=True) as store:
        return store.tables()


def test_recode_with_nothing_changed_leaves_every_table_as_ingest_wrote_it(demo_store, tmp_path):
    db = _copy(demo_store, tmp_path)
    before = _tables(db)
    result = CliRunner().invoke(main, ["recode", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["new"] == report["gone"] == 0 and report["articles"] > 20
    assert all(row["change"] == 0 for row in report["by_type"])
    assert _tables(db) == before


def test_recode_applies_a_knowledge_base_change_and_keeps_the_articles(demo_store, tmp_path):
    """A user file that codes the Libyan National Army as rebels, and a confidence floor:
    recoded, the actor's row and the events change, the articles and their ids stay, and
    recode counts the events that are new and gone."""
    db = _copy(demo_store, tmp_path)
    before = _tables(db)
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "groups:\n  - id: lna\n    name: Libyan National Army\n    aliases: [LNA]\n"
        "    country: LBY\n    sector: REB\n    active: [2014, null]\n",
        encoding="utf-8",
    )
    args = ["recode", "--db", str(db), "--actors", str(mine), "--min-confidence", "0.6"]
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    after = _tables(db)
    assert after["articles"] == before["articles"] and after["inputs"] == before["inputs"]
    assert [row[3] for row in after["actors"] if row[0] == "lna"] == ["REB"]
    assert report["gone"] > 0 and report["events_after"] < report["events_before"]
    assert sum(r["change"] for r in report["by_type"]) == (
        report["events_after"] - report["events_before"]
    )
    with Store.open(db, read_only=True) as store:
        orphans = store.con.execute(
            "SELECT count(*) FROM events WHERE id NOT IN (SELECT event_id FROM reports)"
        ).fetchone()
        counted = store.con.execute(
            "SELECT count(*) FROM events e WHERE num_mentions <> "
            "(SELECT count(*) FROM reports r WHERE r.event_id = e.id)"
        ).fetchone()
        weak = store.con.execute("SELECT count(*) FROM events WHERE confidence < 0.6").fetchone()
    assert orphans == (0,) and counted == (0,) and weak == (0,)
