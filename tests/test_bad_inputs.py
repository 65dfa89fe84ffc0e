"""Bad inputs and faults, one table: each case gives its one line (or status) and exit code,
never a traceback, and the other inputs of the same run are stored.

Four kinds of rows: inputs of one ``allegiance ingest`` run over a folder holding every bad
file beside good ones (each row is what the store says of its input), single commands (their
exit code and the one line they print), HTTP requests (their status and message), and calls
of the library.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import shutil
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient

from allegiance.cli import main
from allegiance.cli.group import failure_message
from allegiance.corpus.store import Store
from allegiance.serve import ServeSettings, create_app
from conftest import TOKEN

pytestmark = pytest.mark.slow

GOOD = (
    "Qatar backs the Tripoli government\n\nQatar pledged support for the Government of "
    "National Accord on Monday, the foreign ministry in Doha said in a statement."
)
ONE_LINE = "Turkey sends drones to the Tripoli government"


_BACKERS = [
    ("Qatar", "Doha"), ("Turkey", "Ankara"), ("Italy", "Rome"), ("Algeria", "Algiers"),
    ("Tunisia", "Tunis"), ("Malta", "Valletta"), ("Sudan", "Khartoum"), ("Chad", "N'Djamena"),
    ("Niger", "Niamey"), ("Greece", "Athens"), ("Spain", "Madrid"), ("Japan", "Tokyo"),
    ("Brazil", "Brasilia"), ("India", "New Delhi"), ("Kenya", "Nairobi"), ("Ghana", "Accra"),
    ("Peru", "Lima"),
]  # fmt: skip


def _record(n: int, **fields: Any) -> str:
    """A good record whose text no other record repeats (nor nearly repeats)."""
    country, capital = _BACKERS[n]
    text = GOOD.replace("Qatar", country).replace("Doha", capital)
    return json.dumps({"text": text, **fields})


def _bomb(path: Path) -> None:
    """A gzip of about 1 MB that unpacks to 1 GB: one member of 10 MB of zeros, 100 times
    (a gzip file may hold several members, read as one stream)."""
    member = gzip.compress(b"\0" * 10_000_000, compresslevel=9)
    with path.open("wb") as fh:
        for _ in range(100):
            fh.write(member)


# Inputs of one ingest run ----------
@dataclass(frozen=True)
class InputCase:
    name: str
    make: Callable[[Path], None]  # writes the input into the folder
    key: str  # its input key, relative to the folder
    status: str  # stored, rejected or warning
    says: str = ""  # the reason (rejected) or part of the warning


def _write(name: str, data: str | bytes) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        path = folder / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))

    return make


def _gz(name: str, data: bytes, cut: int | None = None, flip: int | None = None) -> Callable:
    def make(folder: Path) -> None:
        blob = bytearray(gzip.compress(data))
        if flip is not None:
            blob[flip : flip + 8] = b"\xff" * 8
        (folder / name).write_bytes(bytes(blob[:cut] if cut else blob))

    return make


def _jsonl(name: str, *lines: str) -> Callable[[Path], None]:
    return _write(name, "\n".join(lines) + "\n")


def _symlink_loop(folder: Path) -> None:
    os.symlink("loop.txt", folder / "loop.txt")


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "pipe.txt")


def _device(folder: Path) -> None:
    os.symlink("/dev/zero", folder / "zero.txt")


def _sparse(folder: Path) -> None:
    with (folder / "huge.txt").open("wb") as fh:
        fh.truncate(300_000_000)  # 300 MB that take no disk: refused by size, unread


DEEP = "[" * 100_000 + "]" * 100_000
FEED = (
    "<rss version='2.0'><channel><title>Wire</title><item><title>Aid</title>"
    "<link>https://news.example.org/aid-1</link><pubDate>Tue, 09 Jul 2024 10:00:00 GMT"
    "</pubDate><description>Japan sent aid to the Philippines after the storm, the foreign "
    "ministry in Tokyo said on Tuesday.</description></item></channel></rss>"
)

INPUTS = [
    InputCase("headline-only text", _write("headline.txt", ONE_LINE), "headline.txt", "stored"),
    InputCase(
        "story wrapped in braces",
        _write("braces.txt", "{" + GOOD.replace("\n\n", " ") + "}"),
        "braces.txt",
        "stored",
    ),
    InputCase(
        "story wrapped in brackets",
        _write("brackets.txt", "[Russia backed Haftar's forces with fighters, officials said.]"),
        "brackets.txt",
        "stored",
    ),
    InputCase(
        "JSON nested 100,000 deep",
        _jsonl("deep.jsonl", DEEP),
        "deep.jsonl:1",
        "rejected",
        "malformed JSON",
    ),
    InputCase(
        "good record after the deep one",
        _jsonl("deep2.jsonl", DEEP, _record(1, id="after-deep")),
        "deep2.jsonl:2",
        "stored",
    ),
    InputCase(
        "corrupt gzip",
        _gz("corrupt.txt.gz", GOOD.encode() * 50, flip=30),
        "corrupt.txt.gz",
        "rejected",
        "corrupt gzip",
    ),
    InputCase(
        "truncated gzip",
        _gz("cut.txt.gz", GOOD.encode() * 50, cut=40),
        "cut.txt.gz",
        "rejected",
        "corrupt gzip",
    ),
    InputCase("symlink loop", _symlink_loop, "loop.txt", "rejected", "unreadable"),
    InputCase("FIFO in the folder", _fifo, "pipe.txt", "rejected", "not a regular file"),
    InputCase("device file", _device, "zero.txt", "rejected", "not a regular file"),
    InputCase(
        "gzip bomb (1 MB of 1 GB)",
        lambda f: _bomb(f / "bomb.txt.gz"),
        "bomb.txt.gz",
        "rejected",
        "too large",
    ),
    InputCase("300 MB text", _sparse, "huge.txt", "rejected", "too large"),
    InputCase(
        "JSON line over the record limit",
        _jsonl("long.jsonl", json.dumps({"text": "x " * 6_000_000}), _record(8, id="short")),
        "long.jsonl:1",
        "rejected",
        "too large",
    ),
    InputCase("record after the long line", lambda f: None, "long.jsonl:2", "stored"),
    InputCase(
        "records repeating an id (1)",
        _jsonl(
            "same-id.jsonl",
            _record(9, id="x"),
            json.dumps(
                {
                    "id": "x",
                    "text": "Egypt proposed a ceasefire in Libya on Saturday, "
                    "officials in Cairo said after the talks.",
                }
            ),
        ),
        "same-id.jsonl:1",
        "stored",
    ),
    InputCase("records repeating an id (2)", lambda f: None, "same-id.jsonl:2", "stored"),
    InputCase(
        "records without id (1)",
        _jsonl(
            "no-id.jsonl",
            json.dumps({"text": "Iran sent drones to Russia, officials in Kyiv said on Monday."}),
            json.dumps(
                {
                    "text": "Sudan's army shelled RSF positions in Khartoum on "
                    "Sunday, witnesses said."
                }
            ),
        ),
        "no-id.jsonl:1",
        "stored",
    ),
    InputCase("records without id (2)", lambda f: None, "no-id.jsonl:2", "stored"),
    InputCase(
        "date in RFC 2822 under 'date'",
        _jsonl(
            "dates.jsonl",
            _record(10, date="Sat, 17 Dec 2016 09:43:00 +0100"),
            _record(2, pubdate="Dec 17, 2016", title="b"),
            _record(3, published_at="17 December 2016 09:43", title="c"),
            _record(4, datetime="2016-12-17T09:43:00Z", title="d"),
            _record(5, published="7:58 AM ET", title="e"),
            _record(6, published="Wed Nov 23", title="f"),
        ),
        "dates.jsonl:1",
        "stored",
    ),
    InputCase("'Dec 17, 2016' under 'pubdate'", lambda f: None, "dates.jsonl:2", "stored"),
    InputCase("'17 December 2016 09:43'", lambda f: None, "dates.jsonl:3", "stored"),
    InputCase("ISO timestamp under 'datetime'", lambda f: None, "dates.jsonl:4", "stored"),
    InputCase("time without a date", lambda f: None, "dates.jsonl:5", "warning", "7:58 AM ET"),
    InputCase("date without a year", lambda f: None, "dates.jsonl:6", "warning", "Wed Nov 23"),
    InputCase(
        "record with a url",
        _jsonl("url.jsonl", _record(11, url="https://news.example.org/qatar")),
        "url.jsonl:1",
        "stored",
    ),
    InputCase(
        "feed item with a link",
        _write("wire.rss", FEED),
        "wire.rss#https://news.example.org/aid-1",
        "stored",
    ),
    InputCase(
        "malformed feed",
        _write("broken.rss", "<rss><item>"),
        "broken.rss",
        "rejected",
        "malformed feed",
    ),
    InputCase(
        "short Cyrillic text",
        _write("ru.txt", "Россия поддержала Хафтара"),
        "ru.txt",
        "rejected",
        "not English",
    ),
    InputCase(
        "short Chinese text",
        _write("zh.txt", "土耳其向的黎波里政府派遣无人机"),
        "zh.txt",
        "rejected",
        "not English",
    ),
    InputCase(
        "zero-width and bidi characters in names",
        _write(
            "hidden.txt",
            "Tur\u200bkey sent drones to the Gov\u200dernment of "
            "National Accord, offi\u202ecials said on Monday.",
        ),
        "hidden.txt",
        "stored",
    ),
    InputCase(
        "lone surrogate escape in a record",
        _jsonl(
            "surrogate.jsonl",
            '{"text": "Qatar backed the GNA \\ud800 on Monday, officials said in Doha."}',
        ),
        "surrogate.jsonl:1",
        "stored",
    ),
    InputCase(
        "array instead of a record",
        _jsonl("array.jsonl", "[1, 2]"),
        "array.jsonl:1",
        "rejected",
        "malformed record",
    ),
    InputCase(
        "file name with an escape sequence",
        _write("bad\x1b[2Jname.txt", ""),
        "bad\x1b[2Jname.txt",
        "rejected",
        "empty input",
    ),
    InputCase(
        "good plain article",
        _write("good.txt", GOOD.replace("Qatar", "Egypt")),
        "good.txt",
        "stored",
    ),
]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("inputs")
    for case in INPUTS:
        case.make(folder)
    db = folder.parent / "run.duckdb"
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "--quiet"])
    with Store.open(db, read_only=True) as store:
        status = {
            r[0]: r[1] for r in store.con.execute("SELECT input, status FROM inputs").fetchall()
        }
        rejects = store.rejects()
        articles = store.con.execute("SELECT source, published, url FROM articles").fetchall()
    return {
        "folder": folder,
        "db": db,
        "result": result,
        "status": status,
        "rejects": rejects,
        "articles": {src: (pub, url) for src, pub, url in articles},
    }


def test_ingest_run_over_every_bad_input_ends_well(ingested):
    result: Result = ingested["result"]
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "\x1b" not in result.output  # the file name's escape is shown escaped


@pytest.mark.parametrize("case", INPUTS, ids=[c.name for c in INPUTS])
def test_ingest_input(case: InputCase, ingested):
    key = f"{ingested['folder']}/{case.key}"  # a feed item key may hold a URL
    rows = [r for r in ingested["rejects"] if r["input"] == key]
    if case.status == "rejected":
        assert ingested["status"].get(key) == "rejected", ingested["status"].get(key)
        assert [r["reason"] for r in rows if r["level"] == "error"] == [case.says]
        assert "\n" not in rows[0]["detail"]
    else:
        assert ingested["status"].get(key) in ("stored", "near-duplicate", "duplicate"), key
        warnings = [r for r in rows if r["level"] == "warning"]
        if case.status == "warning":
            assert len(warnings) == 1 and case.says in warnings[0]["detail"]
        else:
            assert not rows


def test_ingest_dates_urls_and_hidden_characters(ingested):
    folder, articles = ingested["folder"], ingested["articles"]
    for n in (1, 2, 3, 4):
        assert str(articles[f"{folder}/dates.jsonl:{n}"][0]) == "2016-12-17"
    assert articles[f"{folder}/dates.jsonl:5"][0] is None
    assert articles[f"{folder}/url.jsonl:1"][1] == "https://news.example.org/qatar"
    assert articles[f"{folder}/wire.rss#https://news.example.org/aid-1"][1] == (
        "https://news.example.org/aid-1"
    )
    with Store.open(ingested["db"], read_only=True) as store:
        hidden = store.con.execute(
            "SELECT a.name FROM mentions m JOIN articles r ON r.id = m.article_id "
            "JOIN actors a ON a.id = m.actor_id WHERE r.source LIKE '%hidden.txt'"
        ).fetchall()
        sources = store.con.execute("SELECT DISTINCT first_source FROM events").fetchall()
    assert ("Turkey",) in hidden  # the zero-width space no longer splits the name
    assert ("https://news.example.org/qatar",) in sources  # SOURCEURL is the article's URL


# Single commands ----------
@dataclass(frozen=True)
class CommandCase:
    name: str
    args: Callable[[Path], list[str]]  # the command line, given a scratch folder
    code: int
    says: str
    stdin: str | None = None
    setup: Callable[[Path], None] | None = None


def _store_file(folder: Path) -> None:
    (folder / "notes.jsonl").write_text('{"id": "mine", "text": "my own notes"}\n')
    (folder / "empty.duckdb").write_bytes(b"")
    con = duckdb.connect(str(folder / "other.duckdb"))
    con.execute("CREATE TABLE budget (item VARCHAR, amount INTEGER)")
    con.close()
    (folder / "good.txt").write_text(GOOD)
    (folder / "bad.yaml").write_text("countries:\n  - iso3: XYZ\n    name: [unclosed\n")
    (folder / "list.yaml").write_text("countries: 5\n")
    os.mkfifo(folder / "pipe.txt")
    os.mkfifo(folder / "pipe.jsonl")
    with gzip.open(folder / "batch.jsonl.gz", "wt") as fh:
        fh.write(_record(12, id="g1") + "\n")
    (folder / "title.txt").write_text("Egypt\x1b[31m warns\x1b[0m Turkey\n\n" + GOOD)
    (folder / "deep.jsonl").write_text(DEEP + "\n" + _record(13, id="ok") + "\n")
    (folder / "dir").mkdir()


def _stored(folder: Path) -> Path:
    """A small store (made once per scratch folder) for the reading commands."""
    db = folder / "small.duckdb"
    if not db.exists():
        (folder / "in.jsonl").write_text(
            _record(14, id="a", url='=HYPERLINK("https://evil.example")') + "\n"
        )
        CliRunner().invoke(main, ["ingest", str(folder / "in.jsonl"), "--db", str(db), "--quiet"])
    return db


def _damaged(folder: Path) -> Path:
    db = _stored(folder)
    bad = folder / "damaged.duckdb"
    shutil.copy(db, bad)
    with bad.open("r+b") as fh:
        fh.seek(5000)
        fh.write(b"\xff" * 20000)
    return bad


def _busy_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    _BUSY.append(sock)  # kept open for the test's life
    return int(sock.getsockname()[1])


_BUSY: list[socket.socket] = []


@pytest.fixture(scope="module", autouse=True)
def _close_busy_ports():
    yield
    while _BUSY:
        _BUSY.pop().close()


COMMANDS = [
    CommandCase(
        "one-line text on stdin is coded",
        lambda f: ["extract", "-"],
        0,
        "SUPPORT",
        stdin=ONE_LINE.replace("sends drones", "backs"),
    ),
    CommandCase(
        "extract reads .jsonl.gz", lambda f: ["extract", str(f / "batch.jsonl.gz")], 0, "# g1:"
    ),
    CommandCase(
        "extract a FIFO", lambda f: ["extract", str(f / "pipe.txt")], 1, "not a regular file"
    ),
    CommandCase("extract a folder", lambda f: ["extract", str(f / "dir")], 1, "is a directory"),
    CommandCase(
        "extract a batch with a record nested 100,000 deep",
        lambda f: ["extract", str(f / "deep.jsonl"), "--format", "jsonl"],
        1,
        "malformed JSON",
    ),
    CommandCase("extract empty stdin", lambda f: ["extract", "-"], 1, "empty input", stdin=""),
    CommandCase(
        "classify on a FIFO", lambda f: ["classify", str(f / "pipe.jsonl")], 1, "not a regular file"
    ),
    CommandCase(
        "--db is a JSON Lines file",
        lambda f: ["ingest", str(f / "good.txt"), "--db", str(f / "notes.jsonl")],
        1,
        "is not a DuckDB database",
    ),
    CommandCase(
        "--db is an empty file",
        lambda f: ["ingest", str(f / "good.txt"), "--db", str(f / "empty.duckdb")],
        1,
        "exists and is empty",
    ),
    CommandCase(
        "--db is another program's database",
        lambda f: ["ingest", str(f / "good.txt"), "--db", str(f / "other.duckdb")],
        1,
        "another program",
    ),
    CommandCase(
        "--db is a folder", lambda f: ["stats", "--db", str(f / "dir")], 2, "is a directory"
    ),
    CommandCase(
        "damaged store", lambda f: ["events", "--db", str(_damaged(f))], 1, "damaged.duckdb"
    ),
    CommandCase(
        "disk full on export",
        lambda f: ["export", "/dev/full", "--db", str(_stored(f)), "--format", "csv", "--force"],
        1,
        "no space left on device",
    ),
    CommandCase(
        "export into a folder that does not exist",
        lambda f: [
            "export",
            str(f / "nowhere" / "x.csv"),
            "--db",
            str(_stored(f)),
            "--format",
            "csv",
        ],
        1,
        "does not exist",
    ),
    CommandCase(
        "--limit -1",
        lambda f: ["events", "--db", str(_stored(f)), "--limit", "-1"],
        2,
        "-1 is not in the range",
    ),
    CommandCase(
        "--actors file that is not YAML",
        lambda f: ["extract", str(f / "good.txt"), "--actors", str(f / "bad.yaml")],
        1,
        "bad.yaml:4:1: not valid YAML",
    ),
    CommandCase(
        "--actors section of the wrong shape",
        lambda f: ["extract", str(f / "good.txt"), "--actors", str(f / "list.yaml")],
        1,
        "must be a list",
    ),
    CommandCase(
        "--actors file that does not exist",
        lambda f: ["extract", str(f / "good.txt"), "--actors", str(f / "nope.yaml")],
        1,
        "nope.yaml",
    ),
    CommandCase(
        "serve on a port in use",
        lambda f: ["serve", "--db", str(_stored(f)), "--port", str(_busy_port())],
        1,
        "Address already in use",
    ),
    CommandCase(
        "--published that is not a date",
        lambda f: ["extract", str(f / "good.txt"), "--published", "someday"],
        2,
        "'someday' is not a date",
    ),
    CommandCase(
        "title with terminal escapes",
        lambda f: ["extract", str(f / "title.txt")],
        0,
        "Egypt\\x1b[31m warns",
    ),
    CommandCase(
        "events as CSV neutralise formulas",
        lambda f: ["events", "--db", str(_stored(f)), "--format", "csv"],
        0,
        "'=HYPERLINK",
    ),
]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("commands")
    _store_file(folder)
    return folder


@pytest.mark.parametrize("case", COMMANDS, ids=[c.name for c in COMMANDS])
def test_command(case: CommandCase, scratch: Path):
    before = (scratch / "notes.jsonl").read_bytes()
    result = CliRunner().invoke(main, case.args(scratch), input=case.stdin)
    out = result.output
    assert result.exit_code == case.code, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert case.says in out, out
    assert "\x1b" not in result.output
    if case.code == 1:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert (scratch / "notes.jsonl").read_bytes() == before  # never written over


def test_export_csv_and_gdelt_neutralise_formulas(scratch: Path):
    db = _stored(scratch)
    for fmt in ("csv", "gdelt"):
        out = scratch / f"out.{fmt}"
        result = CliRunner().invoke(
            main, ["export", str(out), "--db", str(db), "--format", fmt, "--force", "--header"]
        )
        assert result.exit_code == 0, result.output
        rows = list(
            csv.reader(io.StringIO(out.read_text()), delimiter="," if fmt == "csv" else "\t")
        )
        cells = [c for row in rows[1:] for c in row]
        assert '\'=HYPERLINK("https://evil.example")' in cells
        assert not any(c.startswith("=") for c in cells)
        assert "-2.0" in cells or "-2" in cells or any(c.startswith("3.5") for c in cells)


def test_failure_message_for_a_full_disk_and_the_unexpected():
    full = OSError(28, "No space left on device", "corpus.duckdb")
    assert "no space left on device" in failure_message(full)
    weird = failure_message(ZeroDivisionError("division by zero"))
    assert "unexpected ZeroDivisionError" in weird and "ALLEGIANCE_DEBUG" in weird


# HTTP requests ----------
@dataclass(frozen=True)
class RequestCase:
    name: str
    method: str
    path: str
    status: int
    says: str = ""
    body: bytes | None = None
    token: str | bytes | None = TOKEN


REQUESTS = [
    RequestCase(
        "non-ASCII bearer token",
        "POST",
        "/api/articles",
        401,
        "bearer token",
        b'{"text": "x"}',
        "t\xf6ken-\xe9".encode("latin-1"),
    ),
    RequestCase(
        "token checked before the body is parsed",
        "POST",
        "/api/articles",
        401,
        "bearer token",
        b"{not json",
        None,
    ),
    RequestCase(
        "malformed JSON body", "POST", "/api/articles", 422, "invalid article", b"{not json"
    ),
    RequestCase(
        "lone surrogate in text",
        "POST",
        "/api/articles",
        422,
        "invalid article: body",
        b'{"text": "Qatar \\ud800 backed the GNA."}',
    ),
    RequestCase(
        "both text and html",
        "POST",
        "/api/articles",
        422,
        "exactly one",
        b'{"text": "a", "html": "<p>a</p>"}',
    ),
    RequestCase(
        "unknown field",
        "POST",
        "/api/articles",
        422,
        "invalid article",
        b'{"text": "a", "colour": "red"}',
    ),
    RequestCase(
        "offset out of range", "GET", "/api/actors?offset=100000000000000000000", 422, "offset"
    ),
    RequestCase("negative limit", "GET", "/api/events?limit=-1", 422, "limit"),
    RequestCase(
        "cursor not given by the server", "GET", "/api/events?cursor=%00%ff", 400, "cursor"
    ),
    RequestCase("unknown event", "GET", "/api/events/%00nope", 404, "no event"),
    RequestCase("date that is not one", "GET", "/api/events?since=2020-13-45", 422, "since"),
    RequestCase(
        "one-line article",
        "POST",
        "/api/articles",
        201,
        "",
        json.dumps({"text": ONE_LINE}).encode(),
    ),
    RequestCase(
        "article with zero-width characters",
        "POST",
        "/api/articles",
        201,
        "",
        json.dumps(
            {
                "text": "Qa\u200btar backed the Government of National Accord on "
                "Monday, officials said."
            }
        ).encode(),
    ),
]


@pytest.fixture(scope="module")
def writer(tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp("api") / "api.duckdb"
    with TestClient(create_app(ServeSettings(db=db, token=TOKEN))) as client:
        yield client


@pytest.mark.parametrize("case", REQUESTS, ids=[c.name for c in REQUESTS])
def test_request(case: RequestCase, writer: TestClient):
    headers: dict[str, Any] = {"content-type": "application/json"}
    if case.token is not None:
        token = case.token if isinstance(case.token, bytes) else case.token.encode()
        headers["authorization"] = b"Bearer " + token
    response = writer.request(case.method, case.path, content=case.body, headers=headers)
    assert response.status_code == case.status, response.text
    if case.status >= 400:
        assert case.says in response.json()["error"]["message"]
        assert "Traceback" not in response.text


# The library ----------
def test_extract_accepts_an_iso_string_and_refuses_a_non_date(pipeline):
    from allegiance import extract
    from allegiance.errors import InputError

    result = extract(GOOD, published="2020-06-13", pipeline=pipeline)
    assert str(result.article.published) == "2020-06-13"
    assert any(e.date == "2020-06-08" for e in result.events)  # "on Monday" before the 13th
    with pytest.raises(InputError, match="not a date"):
        extract(GOOD, published="next Tuesday-ish", pipeline=pipeline)


def test_the_table_has_forty_rows_or_more():
    assert len(INPUTS) + len(COMMANDS) + len(REQUESTS) >= 40


if sys.platform != "linux":  # FIFOs, /dev/zero and /dev/full are the Linux machine's
    pytestmark = [pytestmark, pytest.mark.skip(reason="the fault cases need Linux")]


def test_reads_answer_while_an_article_is_coded(writer: TestClient, monkeypatch):
    """Coding runs outside the store's lock: a read made while a posted article is being
    coded answers before the coding ends."""
    import threading

    coder = writer.app.state.allegiance.coder
    started, release = threading.Event(), threading.Event()
    real = coder.code

    def slow(items: Any) -> Any:
        started.set()
        release.wait(30)
        return real(items)

    monkeypatch.setattr(coder, "code", slow)
    body = {"text": "Malta backed the Government of National Accord on Friday, officials said."}
    headers = {"authorization": f"Bearer {TOKEN}"}
    post = threading.Thread(target=writer.post, args=("/api/articles",),
                            kwargs={"json": body, "headers": headers})  # fmt: skip
    post.start()
    assert started.wait(30)
    answered: list[int] = []
    read = threading.Thread(target=lambda: answered.append(writer.get("/api/health").status_code))
    read.start()
    read.join(10)
    coding_still_held = not release.is_set()
    release.set()
    post.join(30)
    assert answered == [200] and coding_still_held
