"""Property-based tests: random bytes, random JSON and random feed XML through the readers,
and random requests to the API, never end in a traceback or a 500."""

from __future__ import annotations

import gzip
import io
import json
import urllib.parse
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allegiance.corpus.inputs import published_date, read_feed, read_stream, record
from allegiance.nlp.clean import clean_article
from allegiance.records import RawDoc, Rejected
from allegiance.serve import ServeSettings, create_app
from allegiance.settings import Settings
from conftest import TOKEN

SETTINGS = Settings(max_input_bytes=200_000, max_record_bytes=50_000)
NAMES = ["a.txt", "a.html", "a.jsonl", "a.rss", "a.xml", "a.txt.gz", "a.jsonl.gz", "a"]
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that may hold lone surrogates, which a JSON escape can carry ("\\ud800").
_ODD_TEXT = st.text(st.characters(min_codepoint=0xD7F0, max_codepoint=0xE010, categories=None))
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text() | _ODD_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
FIELDS = ["id", "text", "html", "title", "url", "published", "date", "pubdate", "datetime"]
RECORDS = st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=6)


def _items_ok(items: list[Any]) -> None:
    for key, item in items:
        assert isinstance(key, str)
        assert isinstance(item, RawDoc | Rejected)


@FAST
@given(data=st.binary(max_size=3000), name=st.sampled_from(NAMES), packed=st.booleans())
def test_readers_take_any_bytes(data: bytes, name: str, packed: bool):
    blob = gzip.compress(data) if packed and name.endswith(".gz") else data
    _items_ok(list(read_stream(name, io.BytesIO(blob), SETTINGS)))


@FAST
@given(value=JSON | RECORDS)
def test_any_json_line_is_a_record_or_a_reject(value: Any):
    line = json.dumps(value).encode("utf-8", "surrogatepass")
    got = record(line, "in.jsonl:1")
    assert isinstance(got, RawDoc | Rejected)
    if isinstance(got, RawDoc):
        got.text.encode("utf-8")  # storable: no lone surrogate left


_TEXT = st.text(max_size=80)
_TAGS = st.sampled_from(
    [
        "item",
        "entry",
        "title",
        "link",
        "pubDate",
        "published",
        "description",
        "summary",
        "content",
        "encoded",
        "channel",
        "x",
    ]
)


@st.composite
def feeds(draw: Any) -> bytes:
    def element(depth: int) -> str:
        tag = draw(_TAGS)
        attrs = ""
        if draw(st.booleans()):
            rel = draw(st.sampled_from(["self", "alternate"]))
            attrs = f' href="{_escape(draw(_TEXT))}" rel="{rel}"'
        children = ""
        if depth < 3:
            children = "".join(element(depth + 1) for _ in range(draw(st.integers(0, 3))))
        return f"<{tag}{attrs}>{_escape(draw(_TEXT))}{children}</{tag}>"

    root = draw(st.sampled_from(["rss", "feed", "channel"]))
    body = "".join(element(0) for _ in range(draw(st.integers(0, 4))))
    prefix = draw(st.sampled_from(["", "<?xml version='1.0'?>", "\ufeff", "<!-- c -->"]))
    return f"{prefix}<{root}>{body}</{root}>".encode("utf-8", "surrogatepass")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


@FAST
@given(data=feeds())
def test_any_feed_xml_gives_items_or_a_reject(data: bytes):
    _items_ok(list(read_feed("feed.rss", data)))


@FAST
@given(text=st.text(max_size=2000), html=st.booleans(), title=st.none() | st.text(max_size=50))
def test_cleaning_any_text_gives_an_article_or_a_reject(text: str, html: bool, title: Any):
    got = clean_article(RawDoc(None, "x", text, is_html=html, title=title), Settings())
    assert got.__class__.__name__ in ("Article", "Rejected")


@FAST
@given(value=st.text(max_size=60) | st.integers() | st.floats() | st.none())
def test_published_date_is_a_date_or_a_value_error(value: Any):
    try:
        got = published_date(value)
    except ValueError:
        return
    assert got is None or isinstance(got, date)


# The API ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, demo_store: Path, pipeline):
    import shutil

    db = tmp_path_factory.mktemp("prop") / "p.duckdb"
    shutil.copy(demo_store, db)
    with TestClient(create_app(ServeSettings(db=db, token=TOKEN))) as client:
        yield client


_PARAMS = st.dictionaries(
    st.sampled_from(
        [
            "actor",
            "type",
            "country",
            "since",
            "until",
            "limit",
            "cursor",
            "format",
            "q",
            "offset",
            "theatre",
            "half_life_days",
            "x",
        ]
    ),
    st.text(max_size=30) | st.integers().map(str),
    max_size=4,
)
_PATHS = st.sampled_from(
    ["/api/events", "/api/timeline", "/api/actors", "/api/sides", "/api/graph", "/api/health"]
)


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(path=_PATHS, params=_PARAMS, item=st.text(max_size=20))
def test_api_reads_never_fail_with_500(api: TestClient, path: str, params: dict, item: str):
    query = urllib.parse.urlencode(
        {k: v.encode("utf-8", "surrogatepass") for k, v in params.items()}
    )
    assert api.get(f"{path}?{query}").status_code < 500
    one = urllib.parse.quote(item.encode("utf-8", "surrogatepass"), safe="")
    for base in ("/api/events/", "/api/actors/", "/api/articles/"):
        assert api.get(base + one).status_code < 500


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=RECORDS | JSON, raw=st.none() | st.binary(max_size=200), token=st.booleans())
def test_api_writes_never_fail_with_500(api: TestClient, body: Any, raw: Any, token: bool):
    content = raw if raw is not None else json.dumps(body).encode("utf-8", "surrogatepass")
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {TOKEN}"
    response = api.post("/api/articles", content=content, headers=headers)
    assert response.status_code < 500, response.text
    assert response.status_code in (200, 201) or "error" in response.json()
