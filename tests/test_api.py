"""The HTTP API, in-process, over a store built from the demo corpus."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from allegiance.cli import main
from allegiance.corpus.store import EVENT_COLUMNS, EventFilter, Store
from allegiance.nlp.events.constructions import REGISTRY
from allegiance.serve import ServeSettings, create_app
from conftest import ROOT, SCRIPT_ARTICLE, TOKEN

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(demo_store: Path):
    with TestClient(create_app(ServeSettings(db=demo_store))) as c:
        yield c


@pytest.fixture
def writer(demo_store: Path, tmp_path: Path):
    """A client with writes on, over a copy of the demo store."""
    db = tmp_path / "copy.duckdb"
    shutil.copy(demo_store, db)
    with TestClient(create_app(ServeSettings(db=db, token=TOKEN))) as c:
        yield c


def _all_ids(store_path: Path, where: EventFilter) -> list[str]:
    with Store.open(store_path, read_only=True) as store:
        return [e["id"] for e in store.events(where)]


def test_api_health_and_openapi(client):
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["articles"] == 24 and health["events"] > 100
    assert health["writes"].startswith("off")
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/events",
        "/api/events/{event_id}",
        "/api/actors/{actor_id}",
        "/api/sides",
        "/api/graph",
        "/api/articles/{article_id}",
        "/api/health",
    ):
        assert path in paths
    assert "post" in paths["/api/articles"]


def test_api_events_filters_are_those_of_the_cli(client, demo_store):
    where = EventFilter(actor="Turkey", type="SUPPORT", since=None, until=None)
    got = client.get("/api/events", params={"actor": "Turkey", "type": "SUPPORT"}).json()
    assert [e["id"] for e in got["events"]] == _all_ids(demo_store, where)
    assert got["total"] == len(got["events"]) > 0
    assert all("Turkey" in (e["source_name"], e["target_name"]) for e in got["events"])
    dated = client.get("/api/events", params={"since": "2020-01-01", "until": "2020-12-31"})
    assert all("2020" <= e["date"][:4] <= "2020" for e in dated.json()["events"])


def test_api_events_cursor_pages_cover_every_event_once(client, demo_store):
    expected = _all_ids(demo_store, EventFilter())
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 37} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/events", params=params).json()
        assert page["total"] == len(expected)
        seen += [e["id"] for e in page["events"]]
        cursor, pages = page["next_cursor"], pages + 1
        if cursor is None:
            break
    assert seen == expected and pages == -(-len(expected) // 37)


def test_api_events_csv(client):
    response = client.get("/api/events", params={"format": "csv", "limit": 5})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 5 and list(rows[0]) == list(EVENT_COLUMNS)
    following = client.get(
        "/api/events",
        params={"format": "csv", "limit": 5, "cursor": response.headers["x-next-cursor"]},
    )
    assert rows[-1]["id"] not in following.text


def test_api_event_and_article_spans_index_their_text(client):
    events = client.get("/api/events", params={"type": "SUPPORT", "limit": 20}).json()["events"]
    for listed in events:
        event = client.get(f"/api/events/{listed['id']}").json()
        assert event["reports"]
        for report in event["reports"]:
            kinds = {s["kind"] for s in report["spans"]}
            assert {"source", "trigger"} <= kinds
            assert report["rule"].split(";")[0] in {c.name for c in REGISTRY}  # its construction
            for span in report["spans"]:
                assert report["sentence"][span["start"] : span["end"]] == span["text"]
        article = client.get(f"/api/articles/{event['reports'][0]['article_id']}").json()
        assert any(s["kind"] == "trigger" for s in article["spans"])
        for span in article["spans"]:
            assert article["text"][span["start"] : span["end"]] == span["text"]


def test_api_actors_and_one_actor(client):
    found = client.get("/api/actors", params={"q": "Turkey"}).json()
    assert found["actors"][0]["id"] == "TUR" and found["total"] >= 1
    turkey = client.get("/api/actors/TUR").json()
    assert turkey["name"] == "Turkey" and turkey["mentions"] > 10
    assert any(t["type"] == "SUPPORT" and t["as_source"] > 0 for t in turkey["events_by_type"])
    assert {"backers", "opponents"} <= set(turkey)


def test_api_actor_backers_and_opponents(client):
    haftar = client.get("/api/actors/khalifa-haftar").json()
    backers = {b["actor"]["id"] for b in haftar["backers"]}
    assert {"RUS", "ARE", "EGY"} & backers, haftar["backers"]
    assert "TUR" not in backers
    assert all(b["weight"] > 0 for b in haftar["backers"])
    assert all(o["weight"] < 0 for o in haftar["opponents"])


def test_api_sides_libya_has_opposing_camps(client):
    sides = client.get("/api/sides", params={"theatre": "LBY", "year": 2020}).json()["theatres"]
    assert len(sides) == 1 and sides[0]["country"] == "LBY"
    assert sides[0]["key"] == "LBY 2020" and sides[0]["window"]["until"] == "2020-12-31"
    camp_of = {actor["id"]: i for i, camp in enumerate(sides[0]["camps"]) for actor in camp}
    assert len(sides[0]["camps"]) >= 2
    # Haftar stands for his Libyan National Army (its `leader` in the knowledge base)
    assert camp_of.get("TUR") is not None and camp_of.get("lna") is not None
    assert camp_of["TUR"] != camp_of["lna"]
    every = client.get("/api/sides").json()
    assert {"LBY", "SYR"} <= {t["country"] for t in every["theatres"]}


def test_api_sides_are_per_year_unless_asked_otherwise(client):
    """Camps per calendar year by default: Libya's war has a theatre in each year the demo
    covers it; window=all is one graph of every year; a bad window is a 422 naming it and
    the forms accepted."""
    every = client.get("/api/sides").json()
    libya = [t["window"]["label"] for t in every["theatres"] if t["country"] == "LBY"]
    assert libya == ["2019", "2020"]
    assert every["windows"] == sorted(every["windows"]) and "2020" in every["windows"]
    keys = [t["key"] for t in every["theatres"]]
    assert len(keys) == len(set(keys))
    whole = client.get("/api/sides", params={"window": "all", "theatre": "LBY"}).json()
    assert [t["key"] for t in whole["theatres"]] == ["LBY all"]
    body = _error(client.get("/api/sides", params={"window": "weekly"}), 422)
    assert "weekly" in body["message"] and "180d" in body["message"]


def test_api_shifts_compare_consecutive_years(client):
    """The demo's Syria has camps in 2013, 2015 and 2017: Russia takes the government's side
    by 2015; every shift names its years, its change and the evidence after it."""
    found = client.get("/api/shifts", params={"theatre": "SYR"}).json()["shifts"]
    assert found and all(s["country"] == "SYR" for s in found)
    russia = [s for s in found if s["actor"]["id"] == "RUS" and s["after"] == "2015"]
    assert russia and russia[0]["side_after"] == "government side", russia
    assert russia[0]["evidence_after"], russia
    changes = {"joined", "went quiet", "changed sides", "took a side", "went neutral"}
    assert {s["change"] for s in found} <= changes
    _error(client.get("/api/shifts", params={"window": "weekly"}), 422)


def test_api_graph_edges_join_nodes(client):
    graph = client.get("/api/graph", params={"theatre": "LBY", "year": 2020}).json()
    ids = {n["id"] for n in graph["nodes"]}
    assert graph["edges"] and all(e["source"] in ids and e["target"] in ids for e in graph["edges"])
    assert {e["sign"] for e in graph["edges"]} == {1, -1}
    assert all(e["weight"] > 0 for e in graph["edges"])
    assert any(isinstance(n["camps"].get("LBY 2020"), int) for n in graph["nodes"])
    assert {e["theatre"] for e in graph["edges"]} == {"LBY 2020"}


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status and body["error"]["message"]
    assert set(body["error"]) <= {"status", "code", "message", "fields"}
    return body["error"]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "says"),
    [
        ("get", "/api/nothing", {}, 404, "no such path"),
        ("get", "/api/events/0000000000000000", {}, 404, "no event"),
        ("get", "/api/actors/nobody-at-all", {}, 404, "no actor"),
        ("get", "/api/articles/nope", {}, 404, "no article"),
        ("get", "/api/sides?theatre=ATA", {}, 404, "no theatre"),
        ("get", "/api/events?since=2020-13-01", {}, 422, "since"),
        ("get", "/api/events?since=2021-01-01&until=2020-01-01", {}, 422, "swap"),
        ("get", "/api/events?country=Libya", {}, 422, "country"),
        ("get", "/api/events?limit=0", {}, 422, "limit"),
        ("get", "/api/events?actor=" + "x" * 201, {}, 422, "actor"),
        ("get", "/api/events?cursor=not-a-cursor", {}, 400, "cursor"),
        ("delete", "/api/events", {}, 405, "not allowed"),
        ("post", "/api/articles", {"json": {"text": "x"}}, 403, "ALLEGIANCE_TOKEN"),
        ("post", "/api/articles", {"content": b"x" * 2_000_001}, 413, "bytes"),
    ],
)
def test_api_errors_have_one_shape(client, method, path, kwargs, status, says):
    error = _error(getattr(client, method)(path, **kwargs), status)
    assert says in error["message"] or says in str(error.get("fields"))


def test_api_body_limit_holds_without_a_length(client):
    chunks = iter([b"x" * 1_000_000] * 3)  # sent chunked: no Content-Length to trust
    _error(client.post("/api/articles", content=chunks), 413)


def test_api_internal_error_has_the_shape_and_no_traceback(demo_store, monkeypatch):
    app = create_app(ServeSettings(db=demo_store))

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire: /secret/path")

    monkeypatch.setattr(Store, "actor", broken)
    with TestClient(app, raise_server_exceptions=False) as c:
        error = _error(c.get("/api/actors/TUR"), 500)
    assert "RuntimeError" in error["message"] and "/secret/path" not in error["message"]


def test_api_write_refused_without_token(client):
    before = client.get("/api/health").json()["articles"]
    error = _error(client.post("/api/articles", json={"text": SCRIPT_ARTICLE}), 403)
    assert "ALLEGIANCE_TOKEN" in error["message"] and "Bearer" in error["message"]
    assert client.get("/api/health").json()["articles"] == before


def test_api_write_needs_the_right_token(writer):
    for header in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        response = writer.post("/api/articles", json={"text": SCRIPT_ARTICLE}, headers=header)
        _error(response, 401)
        assert response.headers["www-authenticate"] == "Bearer"


def test_api_script_article_is_stored_and_served_as_text(writer):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = {"text": SCRIPT_ARTICLE, "published": "2021-03-03", "id": "script-test"}
    stored = writer.post("/api/articles", json=body, headers=auth)
    assert stored.status_code == 201, stored.text
    assert stored.json()["status"] == "stored" and stored.json()["events"] > 0
    article = writer.get(stored.headers["location"])
    assert article.headers["content-type"] == "application/json"
    assert article.headers["x-content-type-options"] == "nosniff"
    assert "<script>window.pwned=1</script>" in article.json()["text"]
    # the same article again is not coded twice
    again = writer.post("/api/articles", json=body, headers=auth)
    assert again.status_code == 200 and again.json()["article_id"] == stored.json()["article_id"]
    events = writer.get("/api/events", params={"since": "2021-03-03", "until": "2021-03-03"})
    assert any(e["first_article"] == stored.json()["article_id"] for e in events.json()["events"])


def test_api_page_allows_no_inline_script(client):
    page = client.get("/")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert '<script src="/static/app.js"' in page.text
    assert page.text.count("<script") == 1
    script = client.get("/static/app.js").text
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script
    assert client.get("/static/style.css").status_code == 200
    _error(client.get("/static/..%2Fapi.py"), 404)


def test_api_rejected_article_names_the_reason(writer):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    french = "Le gouvernement a annoncé hier une nouvelle loi sur les retraites et la santé."
    error = _error(writer.post("/api/articles", json={"text": french}, headers=auth), 422)
    assert "not English" in error["message"]
    _error(writer.post("/api/articles", json={"text": "a", "html": "b"}, headers=auth), 422)
    _error(writer.post("/api/articles", json={"texte": "a"}, headers=auth), 422)


def test_serve_cli_names_a_missing_store(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "no such store" in result.output and "allegiance ingest" in result.output


def test_api_write_refreshes_the_cached_camps(writer):
    before = writer.get("/api/actors/khalifa-haftar").json()  # computes and caches the ties
    assert "QAT" not in {b["actor"]["id"] for b in before["backers"]}
    story = (
        "Qatar arms Haftar in a surprise shift\n\n"
        "DOHA - Qatar has sent weapons and armoured vehicles to Khalifa Haftar's forces, "
        "officials said on Tuesday, backing the eastern commander for the first time."
    )
    auth = {"Authorization": f"Bearer {TOKEN}"}
    posted = writer.post(
        "/api/articles", json={"text": story, "published": "2020-07-07"}, headers=auth
    )
    assert posted.status_code == 201, posted.text
    after = writer.get("/api/actors/khalifa-haftar").json()
    assert "QAT" in {b["actor"]["id"] for b in after["backers"]}


def test_api_warm_builds_the_camps_in_the_background(demo_store):
    from allegiance.serve import warm

    app = create_app(ServeSettings(db=demo_store))
    warm(app).join(60)
    assert any(key[0] == "sides" for key in app.state.allegiance.cache)


def test_api_readme_curl_calls_answer(writer):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    serve = text[text.index("## Serve") :]
    block = serve[serve.index("curl") : serve.index("```", serve.index("curl"))]
    gets = re.findall(r"curl '(?:http://127\.0\.0\.1:8000)(/api/[^']+)'", block)
    assert len(gets) == 2
    for path in gets:
        assert writer.get(path).status_code == 200, path
    body = json.loads(re.search(r"-d '(.*)'", block).group(1))
    posted = writer.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert posted.status_code == 201, posted.text


def test_serve_cli_reads_the_token_from_the_environment(demo_store, tmp_path, monkeypatch):
    import threading

    import uvicorn

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: seen.update(app=app, **kwargs))
    db = tmp_path / "copy.duckdb"
    shutil.copy(demo_store, db)
    result = CliRunner().invoke(
        main, ["serve", "--db", str(db), "--port", "8123"], env={"ALLEGIANCE_TOKEN": "t0k"}
    )
    assert result.exit_code == 0, result.output
    assert "writes need the bearer token" in result.output
    assert seen["port"] == 8123 and seen["host"] == "127.0.0.1"
    state = seen["app"].state.allegiance
    assert state.settings.token == "t0k"
    for thread in threading.enumerate():
        if thread.name == "allegiance-warm":  # serve builds the camps at start
            thread.join(60)
    assert any(key[0] == "sides" for key in state.cache)
    state.store.close()


def test_api_ingests_an_html_page(writer):
    page = (
        "<html><head><title>Egypt warns Turkey over Libya</title></head><body>"
        "<nav>Home | World | Sport</nav><article><h1>Egypt warns Turkey over Libya</h1>"
        "<p>CAIRO - Egypt's president warned Turkey on Saturday that Egyptian troops could "
        "enter Libya if Turkish-backed forces attacked the city of Sirte.</p>"
        "<p>Turkey rejected the warning and said it would keep supporting the Government of "
        "National Accord in Tripoli.</p></article><footer>Share this article</footer>"
        "</body></html>"
    )
    auth = {"Authorization": f"Bearer {TOKEN}"}
    posted = writer.post(
        "/api/articles", json={"html": page, "published": "2020-06-20"}, headers=auth
    )
    assert posted.status_code == 201, posted.text
    article = writer.get(posted.headers["location"]).json()
    assert article["title"] == "Egypt warns Turkey over Libya"
    assert "Sirte" in article["text"] and "Share this article" not in article["text"]
    assert "<p>" not in article["text"] and posted.json()["events"] > 0


def test_api_store_is_released_when_the_server_stops(demo_store, tmp_path):
    db = tmp_path / "copy.duckdb"
    shutil.copy(demo_store, db)
    # Another process, as `allegiance ingest` would be: it cannot open a file this one holds.
    opener = [sys.executable, "-c", f"import duckdb; duckdb.connect({str(db)!r}).close()"]
    with TestClient(create_app(ServeSettings(db=db, token=TOKEN))) as c:
        assert c.get("/api/health").status_code == 200
        assert subprocess.run(opener, capture_output=True).returncode != 0
    assert subprocess.run(opener, capture_output=True).returncode == 0


def test_api_filters_modality_and_quad_class_as_the_cli(client, demo_store):
    from typing import get_args

    from allegiance.records import MODALITIES
    from allegiance.serve.events import Modality

    assert get_args(Modality) == MODALITIES
    for params, where in (
        ({"modality": "reported"}, EventFilter(modality="reported")),
        ({"quad_class": 4}, EventFilter(quad_class=4)),
        ({"quad_class": 1, "actor": "Russia"}, EventFilter(quad_class=1, actor="Russia")),
    ):
        got = client.get("/api/events", params=params | {"limit": 500}).json()
        ids = _all_ids(demo_store, where)
        assert [e["id"] for e in got["events"]] == ids and 0 < len(ids) < got["total"] + 1
    every = client.get("/api/events", params={"limit": 1}).json()["total"]
    reported = client.get("/api/events", params={"modality": "reported"}).json()["total"]
    assert 0 < reported < every
    assert all(
        e["quad_class"] == 4
        for e in client.get("/api/events", params={"quad_class": 4}).json()["events"]
    )
    bad = client.get("/api/events", params={"modality": "rumoured"})
    assert bad.status_code == 422 and "modality" in bad.json()["error"]["message"]


def test_api_unknown_query_parameter_is_422_naming_it(client):
    response = client.get("/api/events", params={"modalty": "asserted"})
    error = response.json()["error"]
    assert response.status_code == 422
    assert "'modalty'" in error["message"] and "modality" in error["message"]
    assert error["fields"] == [{"where": "query.modalty", "message": "unknown parameter"}]
    assert client.get("/api/health", params={"x": "1"}).status_code == 422
    assert client.get("/api/health").status_code == 200
    assert client.get("/api/sides", params={"year": 2020}).status_code == 200


def test_actor_search_ignores_accents(demo_store):
    with Store.open(demo_store, read_only=True) as store:
        plain = [e["id"] for e in store.events(EventFilter(actor="Erdogan"))]
        accented = [e["id"] for e in store.events(EventFilter(actor="Erdoğan"))]
    assert plain and plain == accented


def test_cli_events_and_export_take_the_same_filters(demo_store, tmp_path):
    args = ["--db", str(demo_store), "--modality", "reported", "--quad-class", "3"]
    result = CliRunner().invoke(main, ["events", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == _all_ids(
        demo_store, EventFilter(modality="reported", quad_class=3)
    )
    assert rows and all(r["modality"] == "reported" and r["quad_class"] == 3 for r in rows)
    out = tmp_path / "e.jsonl"
    result = CliRunner().invoke(main, ["export", str(out), *args, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == len(rows)
    bad = CliRunner().invoke(main, ["events", "--db", str(demo_store), "--modality", "rumour"])
    assert bad.exit_code == 2 and "rumour" in bad.output


def test_api_export_downloads_the_filtered_events_in_each_format(client, demo_store):
    pd = pytest.importorskip("pandas")
    where = EventFilter(actor="Turkey")
    ids = _all_ids(demo_store, where)
    response = client.get("/api/export", params={"format": "parquet", "actor": "Turkey"})
    assert response.status_code == 200
    assert 'filename="allegiance-events.parquet"' in response.headers["content-disposition"]
    frame = pd.read_parquet(io.BytesIO(response.content))
    assert list(frame["id"]) == ids and frame["cameo"].map(type).eq(str).all()
    gdelt = client.get("/api/export", params={"format": "gdelt", "actor": "Turkey"})
    rows = gdelt.text.splitlines()
    assert len(rows) == len(ids) and all(len(r.split("\t")) == 61 for r in rows)
    csv_rows = list(csv.DictReader(io.StringIO(client.get("/api/export").text)))
    assert len(csv_rows) == len(_all_ids(demo_store, EventFilter()))
    assert client.get("/api/export", params={"format": "xls"}).status_code == 422


@pytest.mark.parametrize("sort", ["type", "source", "articles", "confidence"])
def test_api_events_sorted_pages_cover_every_event_once_in_order(client, demo_store, sort):
    expected = set(_all_ids(demo_store, EventFilter()))
    seen, cursor = [], None
    while True:
        params = {"limit": 41, "sort": sort} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/events", params=params).json()
        seen += page["events"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [e["id"] for e in seen] and set(e["id"] for e in seen) == expected
    assert len(seen) == len(expected)
    field = {"type": "type", "source": "source_name", "articles": "num_articles",
             "confidence": "confidence"}[sort]  # fmt: skip
    keys = [e[field] for e in seen]
    assert keys == sorted(keys, reverse=sort in ("articles", "confidence"))


def test_api_cursor_of_another_sort_is_refused(client):
    page = client.get("/api/events", params={"limit": 5, "sort": "type"}).json()
    other = client.get("/api/events", params={"cursor": page["next_cursor"]})
    assert other.status_code == 400 and "sort=date" in other.json()["error"]["message"]


def test_theatre_filter_takes_the_countries_a_theatre_names(client, demo_store):
    from allegiance.corpus.queries import theatre_countries

    assert theatre_countries("AZE+ARM 2020") == ["AZE", "ARM"]
    assert theatre_countries("SYR/civil") == ["SYR"]
    got = client.get("/api/events", params={"theatre": "AZE+ARM 2020", "limit": 500}).json()
    ids = set(_all_ids(demo_store, EventFilter(country="AZE"))) | set(
        _all_ids(demo_store, EventFilter(country="ARM"))
    )
    assert {e["id"] for e in got["events"]} == ids and ids
    result = CliRunner().invoke(
        main, ["events", "--db", str(demo_store), "--theatre", "AZE+ARM", "--format", "json"]
    )
    assert result.exit_code == 0 and {r["id"] for r in json.loads(result.stdout)} == ids
