"""Corpus ingest into DuckDB: idempotent, resumable, near-duplicates once, rejects recorded."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from allegiance.corpus.run import ingest, read_inputs
from allegiance.corpus.store import EventFilter, Store
from allegiance.settings import Settings
from conftest import EXAMPLES

pytestmark = pytest.mark.slow


def _articles(n: int | None = None) -> list[dict]:
    lines = (EXAMPLES / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(x) for x in lines[:n] if x.strip()]


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _ingest(paths: list[Path], db: Path, workers: int = 1) -> tuple[Store, object]:
    store = Store.open(db)
    summary = ingest([str(p) for p in paths], store, Settings(), workers, batch_size=4)
    return store, summary


def test_reingest_changes_nothing(tmp_path):
    src = _write_jsonl(tmp_path / "a.jsonl", _articles(6))
    store, first = _ingest([src], tmp_path / "s.duckdb")
    before = store.tables()
    summary = ingest([str(src)], store, Settings(), 1)
    assert first.stored == 6 and summary.stored == 0 and summary.skipped == 6
    assert store.tables() == before
    # the same texts under other names are exact duplicates, stored once
    renamed = _write_jsonl(
        tmp_path / "b.jsonl", [dict(r, id="copy-" + r["id"]) for r in _articles(6)]
    )
    summary = ingest([str(renamed)], store, Settings(), 1)
    assert summary.duplicates == 6 and store.stats()["articles"] == 6
    store.close()


def test_near_duplicates_are_linked_and_counted_once(tmp_path):
    originals = _articles(3)
    copy = dict(originals[0], id="wire-copy")
    copy["text"] = copy["text"].replace("\n\n", "\n\nBy our correspondent.\n\n", 1) + (
        "\n\nReporting by the desk; editing by the night editor."
    )
    src = _write_jsonl(tmp_path / "c.jsonl", [*originals, copy])
    store, summary = _ingest([src], tmp_path / "s.duckdb")
    assert summary.near_duplicates == 1 and summary.stored == 3
    stats = store.stats()
    assert stats["articles"] == 3 and stats["near_duplicates"] == 1
    # events of the copy are not counted again
    assert all(e["num_articles"] == 1 for e in store.events())
    store.close()


def test_same_event_in_two_articles_is_one_event_with_counts(tmp_path):
    one = {
        "id": "1",
        "published": "2020-06-13",
        "title": "Talks",
        "text": "Talks\n\nTurkey condemned Greece on Saturday over the migrant crisis at "
        "the border, the foreign ministry in Ankara said in a statement.",
    }
    two = {
        "id": "2",
        "published": "2020-06-13",
        "title": "Border",
        "text": "Border row\n\nIn a sharp exchange over refugees, Turkey condemned Greece "
        "on Saturday, and officials in Athens answered within hours.",
    }
    src = _write_jsonl(tmp_path / "d.jsonl", [one, two])
    store, _ = _ingest([src], tmp_path / "s.duckdb")
    rows = [e for e in store.events(EventFilter(type="ACCUSE")) if e["target_code"] == "GRC"]
    assert len(rows) == 1 and rows[0]["num_articles"] == 2 and rows[0]["num_mentions"] == 2
    store.close()


def test_bad_inputs_land_in_rejects_and_good_ones_are_stored(tmp_path):
    _write_jsonl(tmp_path / "good.jsonl", _articles(2))
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "latin.txt").write_bytes("Le président a parlé à Genève".encode("latin-1"))
    (tmp_path / "german.txt").write_text(
        "Titel\n\nDie Regierung hat am Montag beschlossen, dass die Truppen aus dem Land "
        "abgezogen werden, sagte ein Sprecher des Ministeriums in der Hauptstadt. " * 3
    )
    (tmp_path / "huge.txt").write_text("Title\n\n" + "The talks went on. " * 20_000)
    (tmp_path / "feed.rss").write_text("<rss><channel><item><title>x</title>")
    (tmp_path / "broken.jsonl").write_text('{"id": "x", "text": \n')
    (tmp_path / "bad.gz").write_bytes(b"not gzip")
    store, summary = _ingest([tmp_path], tmp_path / "s.duckdb")
    reasons = {Path(r["input"].split(":")[0]).name: r["reason"] for r in store.rejects()}
    assert reasons == {
        "empty.txt": "empty input",
        "binary.txt": "binary file",
        "latin.txt": "not UTF-8",
        "german.txt": "not English",
        "huge.txt": "too large",
        "feed.rss": "malformed feed",
        "broken.jsonl": "malformed JSON",
        "bad.gz": "corrupt gzip",
    }
    assert summary.stored == 2 and summary.rejects == len(reasons)
    store.close()


def test_feeds_and_gzip_are_read(tmp_path):
    art = _articles(1)[0]
    body = art["text"].split("\n\n", 1)[1].replace("&", "&amp;").replace("<", "&lt;")
    feed = (
        f"<rss version='2.0'><channel><title>Wire</title><item><title>{art['title']}"
        f"</title><pubDate>Tue, 09 Jul 2024 10:00:00 GMT</pubDate><description>{body}"
        "</description></item></channel></rss>"
    )
    (tmp_path / "wire.rss").write_text(feed)
    with gzip.open(tmp_path / "more.jsonl.gz", "wt") as fh:
        fh.write(json.dumps(_articles(2)[1]) + "\n")
    items = list(read_inputs([str(tmp_path)], Settings()))
    # a record's key is its line (ids may repeat or be missing), its id kept on the record
    assert [k.rsplit("/", 1)[1] for k, _ in items] == ["more.jsonl.gz:1", "wire.rss#1"]
    assert items[0][1].id == _articles(2)[1]["id"]
    assert str(items[1][1].published) == "2024-07-09"


def test_export_formats(tmp_path):
    src = _write_jsonl(tmp_path / "e.jsonl", _articles(3))
    store, _ = _ingest([src], tmp_path / "s.duckdb")
    n = store.export(tmp_path / "out.tsv", "gdelt", header=True)
    header = (tmp_path / "out.tsv").read_text().splitlines()[0].split("\t")
    assert n > 0 and {
        "Actor1Code",
        "Actor2CountryCode",
        "EventCode",
        "EventRootCode",
        "QuadClass",
        "GoldsteinScale",
        "NumMentions",
        "NumSources",
        "NumArticles",
        "ActionGeo_Lat",
        "SOURCEURL",
    } <= set(header)
    assert store.export(tmp_path / "out.parquet", "parquet") == n
    assert store.export(tmp_path / "out.jsonl", "jsonl") == n
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == n
    store.close()


def test_killed_run_restarted_gives_the_same_tables(tmp_path):
    records = _articles()
    src = _write_jsonl(tmp_path / "all.jsonl", records)
    clean_db, killed_db = tmp_path / "clean.duckdb", tmp_path / "killed.duckdb"
    cmd = [sys.executable, "-m", "allegiance", "ingest", str(src), "--quiet", "--batch-size", "2"]
    subprocess.run([*cmd, "--db", str(clean_db)], check=True, capture_output=True)
    proc = subprocess.Popen(
        [*cmd, "--db", str(killed_db)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    # kill once part of the corpus is committed (the store has grown), wherever it is
    while time.monotonic() < deadline and proc.poll() is None:
        if killed_db.exists() and killed_db.stat().st_size > 1_000_000:
            break
        time.sleep(0.05)
    time.sleep(0.7)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    subprocess.run([*cmd, "--db", str(killed_db)], check=True, capture_output=True)
    with Store.open(clean_db) as a, Store.open(killed_db) as b:
        assert a.tables() == b.tables()
        assert a.stats()["articles"] == len(records)


def test_implied_recipients_are_stored_apart_and_left_out_of_the_graph(tmp_path):
    from allegiance import alignment

    story = tmp_path / "kenya.txt"
    story.write_text(
        "Protests in Kenya\n\nKenyan opposition supporters protested on Monday, police said. "
        "Turkey backs the Government of National Accord.\n"
    )
    store, _ = _ingest([story], tmp_path / "s.duckdb")
    with store:
        rows = store.con.execute("SELECT type, target_id, target_implied FROM events").fetchall()
        assert ("PROTEST", "KEN", True) in rows and ("SUPPORT", "gna", False) in rows
        assert [(t.type, t.target.id) for t in alignment.ties_from_rows(store.ties())] == [
            ("SUPPORT", "gna")
        ]


def test_a_store_of_an_older_schema_is_upgraded_when_read(tmp_path):
    import duckdb

    from allegiance.corpus.store import MIGRATIONS, SCHEMA_VERSION

    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute(MIGRATIONS[0])  # the first schema, as the first release wrote it
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    con.close()
    with Store.open(db, read_only=True) as store:
        assert store.stats()["schema_version"] == SCHEMA_VERSION
        assert list(store.ties()) == []
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(Exception, match="allegiance ingest"):
        Store.open(empty, read_only=True)


def test_a_new_store_and_an_upgraded_one_have_the_same_tables(tmp_path):
    """New stores are created from the schema's one list of columns, old ones migrated: both
    must end with the same columns, types, defaults and keys."""
    import duckdb

    from allegiance.corpus.schema import MIGRATIONS, TABLES

    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))
    con.execute(MIGRATIONS[0])
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    con.close()
    Store.open(old).close()
    Store.open(tmp_path / "new.duckdb").close()

    def describe(path):
        with duckdb.connect(str(path), read_only=True) as c:
            return {t.name: c.execute(f"DESCRIBE {t.name}").fetchall() for t in TABLES}

    new = describe(tmp_path / "new.duckdb")
    assert new == describe(old)
    assert all([row[0] for row in new[t.name]] == list(t.names) for t in TABLES)


class _NoCoding:
    """A coder that must not be asked: what it is handed was known before coding."""

    def load(self) -> None:
        return None

    def code(self, items):
        raise AssertionError(f"coded {len(items)} inputs the store already had")


def test_the_same_texts_under_another_name_are_known_before_coding(tmp_path):
    first = _write_jsonl(tmp_path / "wire.jsonl", _articles(3))
    store, summary = _ingest([first], tmp_path / "s.duckdb")
    assert summary.stored == 3
    before = store.tables()
    renamed = tmp_path / "wire-copy.jsonl"
    renamed.write_bytes(first.read_bytes())
    again = ingest([str(renamed)], store, Settings(), coder=_NoCoding())
    assert again.duplicates == 3 and again.stored == 0 and again.events == 0
    after = store.tables()
    assert after["articles"] == before["articles"] and after["events"] == before["events"]
    copies = [row for row in after["inputs"] if str(renamed) in row[0]]
    assert len(copies) == 3 and all(row[2] == "duplicate" and row[1] for row in copies)
    store.close()


def test_progress_bar_says_loading_then_counts_articles_and_distinct_events(tmp_path, capsys):
    from allegiance.corpus.run import ProgressBar

    src = _write_jsonl(tmp_path / "e.jsonl", _articles(5))
    bar = ProgressBar(5)
    assert bar.bar.desc.startswith("loading the model")
    store = Store.open(tmp_path / "s.duckdb")
    summary = ingest([str(src)], store, Settings(), progress=bar, batch_size=2)
    bar.close()
    assert bar.bar.n == summary.read == 5 and bar.bar.desc.startswith("articles")
    assert summary.events == store.stats()["events"] > 0  # distinct events, as stats counts
    assert "events=" in capsys.readouterr().err
    store.close()
