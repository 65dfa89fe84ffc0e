"""The cluster path: partitions, shards, and Dask runs that end with the local run's tables.

Tests marked ``cluster`` start a Dask LocalCluster of worker processes (one thread each) on
a small corpus; ``pytest -m "not cluster"`` leaves them out.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from distributed import get_task_stream

from allegiance.cli import main
from allegiance.corpus.cluster import code_partition, connect, ingest_on_cluster, read_partition
from allegiance.corpus.coder import Coder
from allegiance.corpus.partitions import Partition, plan
from allegiance.corpus.run import ingest, read_inputs
from allegiance.corpus.store import Store
from allegiance.records import Rejected
from allegiance.settings import Settings
from conftest import EXAMPLES


def _records(n: int | None = None) -> list[dict]:
    lines = (EXAMPLES / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(x) for x in lines[:n] if x.strip()]


def _corpus(folder: Path, n: int | None = None) -> Path:
    """The demo corpus with every kind of trouble a run meets: exact and near duplicates,
    bad files, a malformed JSONL line, a record without an id, a feed (whose item repeats
    the last article)."""
    folder.mkdir()
    records = _records(n)
    (folder / "corpus.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    near = dict(records[0], id="wire-copy")
    near["text"] = near["text"].replace("\n\n", "\n\nBy our correspondent.\n\n", 1)
    exact = dict(records[1], id="exact-copy")
    no_id = {k: v for k, v in records[2].items() if k != "id"}
    (folder / "more.jsonl").write_text(
        json.dumps(near)
        + "\n\n"
        + '{"id": "x", "text": \n'
        + json.dumps(exact)
        + "\n"
        # no id: its key is its line number, which a slice read elsewhere must keep
        + json.dumps(no_id)
        + "\n"
    )
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    body = records[-1]["text"].split("\n\n", 1)[1].replace("&", "&amp;").replace("<", "&lt;")
    (folder / "sub").mkdir()
    (folder / "sub" / "wire.rss").write_text(
        f"<rss><channel><item><title>{records[-1]['title']}</title><pubDate>Tue, 09 Jul "
        f"2024 10:00:00 GMT</pubDate><description>{body}</description></item></channel></rss>"
    )
    return folder


# Partitions (no model, no cluster) -------------------------------------------------------------
def test_cluster_partitions_read_what_a_local_run_reads(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    lines = [json.dumps({"text": f"Article {n}."}) for n in range(7)]
    # blank lines, a malformed line and a lone carriage return all keep the line numbers
    lines[2] = ""
    lines[4] = '{"text": "cut'
    data = "\n".join(lines[:5]) + "\r" + "\n".join(lines[5:]) + "\n"
    (folder / "a.jsonl").write_text(data, newline="")
    (folder / "b.txt").write_text("Title\n\nBody.")
    (folder / "c").mkdir()
    (folder / "c" / "d.txt").write_text("Title\n\nMore.")
    (folder / "e.txt").write_text("Title\n\nLast.")
    (folder / "missing.jsonl").symlink_to(tmp_path / "nowhere.jsonl")
    local = list(read_inputs([str(folder)], Settings()))
    parts = list(plan([str(folder)], 2, "tag"))
    assert [p.index for p in parts] == list(range(len(parts))) and len(parts) > 3
    assert [item for p in parts for item in read_partition(p, Settings())] == local
    # the same folder as an fsspec URL: the same inputs, keys under the URL
    url_items = [
        item for p in plan([f"file://{folder}"], 2, "tag") for item in read_partition(p, Settings())
    ]
    assert [(k.replace("file://", ""), type(r)) for k, r in url_items] == [
        (k, type(r)) for k, r in local
    ]
    # shard names are fixed by inputs and settings, and change with either
    assert [p.shard for p in plan([str(folder)], 2, "tag")] == [p.shard for p in parts]
    assert not {p.shard for p in plan([str(folder)], 2, "other")} & {p.shard for p in parts}


def test_cluster_without_dask_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now fails
    runner = CliRunner()
    result = runner.invoke(
        main, ["ingest", str(tmp_path), "--db", str(tmp_path / "s.duckdb"), "--cluster", "local:2"]
    )
    assert result.exit_code == 1
    assert "pip install 'allegiance[dask]'" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    both = ["ingest", str(tmp_path), "--cluster", "local:2", "--workers", "2"]
    result = runner.invoke(main, both)
    assert result.exit_code == 2 and "--workers is for one machine" in result.output


def test_cluster_bad_spec_is_one_line(tmp_path):
    result = CliRunner().invoke(
        main, ["ingest", str(tmp_path), "--db", str(tmp_path / "s.duckdb"), "--cluster", "lokal:2"]
    )
    assert result.exit_code == 1 and "is not local:N" in result.output
    assert "Traceback" not in result.output


@pytest.mark.cluster
def test_cluster_url_without_its_filesystem_is_one_line(tmp_path):
    db = str(tmp_path / "s.duckdb")
    result = CliRunner().invoke(
        main, ["ingest", "nosuchfs://bucket/news/", "--db", db, "--cluster", "local:1"]
    )
    assert result.exit_code == 1 and "nosuchfs://bucket/news/" in result.output
    assert "install the fsspec package for it" in result.output
    assert "Traceback" not in result.output


# Shards (the model, no cluster) ------------------------------------------------------------------
@pytest.mark.slow
def test_shards_give_back_the_records_they_were_given(tmp_path):
    from allegiance.corpus import shards

    items = list(read_inputs([str(_corpus(tmp_path / "in", 4))], Settings()))
    coded = Coder(Settings()).code([r for _, r in items])
    results = [(k, *c) for (k, _), c in zip(items, coded, strict=True)]
    assert any(isinstance(r, Rejected) for _, r, _ in results)
    assert sum(len(r.events) for _, r, _ in results if not isinstance(r, Rejected)) > 10
    buf = io.BytesIO()
    shards.write(results, buf)
    buf.seek(0)
    assert shards.read(buf) == results


@pytest.mark.slow
def test_code_partition_keeps_a_whole_shard_and_redoes_a_broken_one(tmp_path):
    from allegiance.corpus import shards

    folder = _corpus(tmp_path / "in", 3)
    part = next(p for p in plan([str(folder)], 2, "tag") if p.first_line)
    out = tmp_path / "shards"
    out.mkdir()
    # a worker killed while writing leaves only a temporary file, which nothing reads
    (out / f"{part.shard}.deadbeef.tmp").write_bytes(b"PAR1 half a shard")
    name, rows = code_partition(part, Settings(), str(out))
    assert name == part.shard and rows == 2
    with (out / name).open("rb") as fh:
        first = shards.read(fh)
    assert [k for k, _, _ in first] == [k for k, _ in read_partition(part, Settings())]
    # a whole shard is kept (an earlier try of the task wrote it): same file, not redone
    stamp = (out / name).stat().st_mtime_ns
    assert code_partition(part, Settings(), str(out)) == (name, 2)
    assert (out / name).stat().st_mtime_ns == stamp
    # a truncated one is coded again
    (out / name).write_bytes((out / name).read_bytes()[:100])
    assert code_partition(part, Settings(), str(out)) == (name, 2)
    with (out / name).open("rb") as fh:
        assert shards.read(fh) == first


# Runs on a LocalCluster -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return _corpus(tmp_path_factory.mktemp("cluster") / "in")


@pytest.fixture(scope="module")
def local_tables(corpus, tmp_path_factory) -> dict:
    """The tables of the single-process ingest of the same inputs."""
    db = tmp_path_factory.mktemp("local") / "local.duckdb"
    with Store.open(db) as store:
        summary = ingest([str(corpus)], store, Settings(), 1, batch_size=4)
        # the copy with another id, the record without one and the feed item
        assert summary.near_duplicates == 1 and summary.duplicates == 3
        assert summary.rejects == 3
        return store.tables()


@pytest.fixture(scope="module")
def client():
    with connect("local:2") as c:
        yield c


@pytest.mark.slow
@pytest.mark.cluster
def test_cluster_ingest_gives_the_same_tables_as_local(corpus, local_tables, tmp_path):
    db = tmp_path / "cluster.duckdb"
    cmd = ["ingest", str(corpus), "--db", str(db), "--quiet", "--batch-size", "4"]
    runner = CliRunner()
    result = runner.invoke(main, [*cmd, "--cluster", "local:2", "--partition-size", "3"])
    assert result.exit_code == 0, result.output
    assert "24 stored" in result.output and "on 2 workers" in result.output
    with Store.open(db) as store:
        assert store.tables() == local_tables
    # the default shard folder goes once every shard is in the store
    assert not Path(f"{db}.shards").exists()
    # a re-run codes nothing and changes nothing
    result = runner.invoke(main, [*cmd, "--cluster", "local:2", "--partition-size", "3"])
    assert result.exit_code == 0 and "0 stored" in result.output
    assert "31 already in the store" in result.output
    with Store.open(db) as store:
        assert store.tables() == local_tables


@pytest.mark.slow
@pytest.mark.cluster
def test_cluster_worker_killed_mid_partition_loses_and_doubles_nothing(
    corpus, local_tables, client, tmp_path
):
    killed: list[int] = []

    def kill_a_busy_worker(summary) -> None:
        """After the first shard is in: SIGKILL a worker in the middle of a partition."""
        if killed:
            return
        busy = client.run(lambda dask_worker: len(dask_worker.state.executing))
        addr = next((a for a, n in busy.items() if n), None)
        if addr is not None:
            pid = client.run(os.getpid, workers=[addr])[addr]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    with Store.open(tmp_path / "cluster.duckdb") as store, get_task_stream(client) as tasks:
        summary = ingest_on_cluster(
            [str(corpus)],
            store,
            Settings(),
            client,
            str(tmp_path / "shards"),
            2,
            4,
            progress=kill_a_busy_worker,
        )
        assert killed, "no worker was busy to kill"
        assert summary.failed == 0
        assert store.tables() == local_tables
    # the partitions went to both workers (and the killed one's replacement)
    assert len({t["worker"] for t in tasks.data}) >= 2
    # the nanny started a fresh worker in place of the killed one
    client.wait_for_workers(2, timeout="60s")
    assert killed[0] not in client.run(os.getpid).values()


@pytest.mark.slow
@pytest.mark.cluster
def test_cluster_partition_that_fails_is_a_reject_until_a_rerun_codes_it(
    corpus, tmp_path, monkeypatch
):
    import allegiance.corpus.cluster as cluster

    work = tmp_path / "in"
    shutil.copytree(corpus, work)
    reference = tmp_path / "local.duckdb"
    with Store.open(reference) as store:
        ingest([str(work)], store, Settings(), 1, batch_size=4)
        expected = store.tables()
    real = cluster.read_partition

    def broken(part: Partition, settings: Settings):
        if part.index == 1:
            raise OSError("the bucket said no")
        return real(part, settings)

    # in-process workers (threads), so the patched reader is the one the tasks call
    from distributed import Client, LocalCluster

    shards = str(tmp_path / "shards")
    with (
        LocalCluster(n_workers=1, processes=False, dashboard_address=":0") as lc,
        Client(lc) as c,
        Store.open(tmp_path / "cluster.duckdb") as store,
    ):
        monkeypatch.setattr(cluster, "read_partition", broken)
        summary = ingest_on_cluster([str(work)], store, Settings(), c, shards, 3)
        assert summary.failed == 1
        failed = [r for r in store.rejects() if r["stage"] == "cluster"]
        assert len(failed) == 1 and failed[0]["reason"] == "partition failed"
        assert "the bucket said no" in failed[0]["detail"]
        assert store.stats()["articles"] < len(expected["articles"])
        monkeypatch.setattr(cluster, "read_partition", real)
        ingest_on_cluster([str(work)], store, Settings(), c, shards, 3)
        tables = store.tables()
    # Every input once, the same articles and rejects, the failure gone. (The failed
    # partition's articles were stored after the others, so a near-duplicate may name the
    # other copy as first: as in a local run whose unreadable file is read the next time.)
    assert [row[0] for row in tables["inputs"]] == [row[0] for row in expected["inputs"]]
    assert {row[0] for row in tables["articles"]} == {row[0] for row in expected["articles"]}
    assert tables["rejects"] == expected["rejects"]
