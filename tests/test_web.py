"""The web page end to end: a real server, Debian's headless Chromium driven by playwright."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

from allegiance.serve import ServeSettings, create_app
from conftest import ROOT, SCRIPT_ARTICLE, TOKEN

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# The README's picture of the page: rewritten only by `make screenshots`.
SCREENSHOT = ROOT / "docs" / "screenshot.png"
# The date the <script> article is published with: no demo story has events that day.
SCRIPT_DAY = "2021-03-03"


def _chromium() -> str:
    """Debian's chromium, which `make test` installs with apt where it can."""
    for name in ("chromium", "chromium-browser"):
        if path := shutil.which(name):
            return path
    pytest.skip(
        "no chromium on this machine and `make test` could not install it (it needs apt "
        "as root or with passwordless sudo): `apt-get install chromium`, then run again"
    )


@pytest.fixture(scope="module")
def server(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a copy of the demo store plus the <script> article, served by uvicorn
    on a free port in a thread; yields the base URL."""
    db = tmp_path_factory.mktemp("web") / "web.duckdb"
    shutil.copy(demo_store, db)
    settings = ServeSettings(db=db, token=TOKEN)
    with TestClient(create_app(settings)) as client:
        posted = client.post(
            "/api/articles",
            json={"text": SCRIPT_ARTICLE, "published": SCRIPT_DAY},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert posted.status_code == 201, posted.text
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(settings), log_level="warning", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)
    sock.close()


@pytest.fixture(scope="module")
def errors() -> list[str]:
    """Script errors and console errors the page raised."""
    return []


@pytest.fixture(scope="module")
def page(server: str, errors: list[str]):
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as p:
        # The system chromium, never a browser build of playwright's own.
        browser = p.chromium.launch(executable_path=executable, headless=True)
        tab = browser.new_page(viewport={"width": 1440, "height": 1100})
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
        tab.set_default_timeout(20_000)
        tab.goto(server)
        yield tab
        browser.close()


def _settled(page) -> None:
    """Wait until the page has no request in flight (it counts them on <body>)."""
    page.wait_for_selector("body[data-pending='0']", state="attached")


@pytest.fixture
def shot(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Where the screenshot goes: docs/ under --update-screenshots, else a scratch folder
    (no test rewrites a tracked file)."""
    if request.config.getoption("--update-screenshots"):
        return SCREENSHOT
    return tmp_path / SCREENSHOT.name


def test_web_theatre_camps_table_and_sentence(page, errors, shot):
    _settled(page)
    assert page.locator("#events tbody tr").count() == 25
    assert "events" in page.locator("#summary").text_content()
    assert page.locator("#timeline rect.bar").count() > 3

    # Pick a period and a theatre: its camps are drawn and listed, Turkey and Haftar apart.
    page.locator("#window option[value='2020']").wait_for(state="attached")
    page.select_option("#window", "2020")
    _settled(page)
    page.locator("#theatre option[value='LBY 2020']").wait_for(state="attached")
    page.select_option("#theatre", "LBY 2020")
    _settled(page)
    camps = page.locator("#camps-list li.camp")
    assert camps.count() >= 2
    texts = [camps.nth(i).text_content() for i in range(camps.count())]
    turkey = [i for i, t in enumerate(texts) if "Turkey" in t]
    haftar = [i for i, t in enumerate(texts) if "Haftar" in t or "Libyan National Army" in t]
    assert turkey and haftar and turkey[0] != haftar[0], texts
    assert page.locator("#network g.node").count() >= 4
    assert page.locator("#network line.edge.support").count() >= 1
    assert page.locator("#network line.edge.hostility").count() >= 1
    assert page.locator("#filters input[name=country]").input_value() == "LBY"
    assert page.locator("#filters input[name=since]").input_value() == "2020-01-01"
    # Libya's camps are the same in 2019 and 2020: the shifts panel says so
    shifts = page.locator("#shifts-list li")
    assert shifts.count() == 1 and "No actor changed sides" in shifts.first.text_content()

    # Filter the table: every row is Haftar's SUPPORT event.
    page.fill("#filters input[name=actor]", "Haftar")
    page.select_option("#filters select[name=type]", "SUPPORT")
    page.click("#filters button[type=submit]")
    _settled(page)
    rows = page.locator("#events tbody tr")
    assert rows.count() >= 2
    for i in range(rows.count()):
        text = rows.nth(i).text_content()
        assert "SUPPORT" in text and "Haftar" in text

    # Open an event: its sentence with source, trigger (and target) marked.
    rows.filter(has_not_text=SCRIPT_DAY).first.click()  # a demo story, for the screenshot
    _settled(page)
    sentence = page.locator("#event-detail .sentence").first
    assert page.locator("#event-detail .sentence mark.trigger").count() >= 1
    assert page.locator("#event-detail .rule").first.text_content().startswith("read by: ")
    assert "Haftar" in sentence.text_content()
    assert page.locator("#article-view mark.trigger").count() >= 1
    assert page.locator("#article-view mark.actor").count() >= 3
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert errors == []


def test_web_script_in_a_story_shows_as_text(page, errors):
    page.click("#filters button[type=reset]")
    _settled(page)
    page.fill("#filters input[name=since]", SCRIPT_DAY)
    page.fill("#filters input[name=until]", SCRIPT_DAY)
    page.click("#filters button[type=submit]")
    _settled(page)
    assert page.locator("#filters input[name=country]").input_value() == ""
    page.locator("#events tbody tr").first.click()
    _settled(page)
    view = page.locator("#article-view .text")
    assert "<script>window.pwned=1</script>" in view.text_content()
    assert page.locator("#article-view script").count() == 0
    assert page.evaluate("window.pwned") is None
    assert errors == []


def test_web_view_lives_in_the_address_and_downloads_follow_the_filters(page, server, errors):
    page.goto(f"{server}/#actor=Haftar&type=SUPPORT&period=2020&theatre=LBY%202020")
    page.reload()  # a fresh load of the shared link, not a hash change on the loaded page
    _settled(page)
    assert page.locator("#filters input[name=actor]").input_value() == "Haftar"
    assert page.locator("#filters select[name=type]").input_value() == "SUPPORT"
    assert page.locator("#window").input_value() == "2020"
    assert page.locator("#theatre").input_value() == "LBY 2020"
    rows = page.locator("#events tbody tr")
    assert rows.count() >= 2
    assert all("SUPPORT" in rows.nth(i).text_content() for i in range(rows.count()))

    # The downloads carry the same filters, and answer with the table's events.
    href = page.locator("#downloads a[data-format=csv]").get_attribute("href")
    assert href.startswith("/api/export?") and "actor=Haftar" in href and "type=SUPPORT" in href
    response = page.request.get(server + href)
    assert response.status == 200
    lines = response.text().strip().splitlines()
    assert len(lines) - 1 == rows.count()  # a header line, then the events
    gdelt = page.locator("#downloads a[data-format=gdelt]").get_attribute("href")
    assert "format=gdelt" in gdelt

    # Changing a filter changes the address; choosing a theatre does too.
    page.select_option("#filters select[name=modality]", "asserted")
    page.click("#filters button[type=submit]")
    _settled(page)
    assert "modality=asserted" in page.evaluate("window.location.hash")
    assert "theatre=LBY+2020" in page.evaluate("window.location.hash")
    assert errors == []


def test_web_opens_on_the_theatre_with_most_events(page, server, errors):
    page.goto(f"{server}/")
    page.reload()
    _settled(page)
    period = page.locator("#window").input_value()
    client_sides = page.request.get(f"{server}/api/sides").json()["theatres"]
    here = [t for t in client_sides if t["window"] and t["window"]["label"] == period]
    busiest = max(here, key=lambda t: t["support"]["events"])
    assert page.locator("#theatre").input_value() == busiest["key"]
    assert errors == []


def test_web_actor_panel_shows_backers_and_opponents_by_year(page, server, errors):
    page.goto(f"{server}/#period=2020&theatre=LBY%202020")
    page.reload()
    _settled(page)
    turkey = page.locator("#network g.node", has_text="Turkey").first
    turkey.click()
    _settled(page)
    view = page.locator("#actor-view")
    assert "Turkey" in view.locator("h3").text_content()
    backers = view.locator("ul.backers li")
    opponents = view.locator("ul.opponents li")
    assert backers.count() >= 1 and opponents.count() >= 1
    assert any("20" in opponents.nth(i).text_content() for i in range(opponents.count()))
    assert errors == []


def test_web_is_usable_at_400_pixels(page, server, errors):
    page.set_viewport_size({"width": 400, "height": 900})
    try:
        page.reload()
        _settled(page)
        # nothing wider than the screen: the page does not scroll sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= 402
        assert page.locator("#events tbody tr").count() > 0
        box = page.locator("#filters button[type=submit]").bounding_box()
        assert box is not None and box["x"] + box["width"] <= 400
    finally:
        page.set_viewport_size({"width": 1440, "height": 1100})
    assert errors == []


def test_web_map_draws_countries_and_the_places_of_the_filtered_events(page, server, errors):
    page.goto(f"{server}/#country=SDN")
    page.reload()
    _settled(page)
    assert page.locator("#map path.country").count() > 150  # the world, from installed data
    hit = page.locator("#map path.country.hit")
    assert hit.count() >= 1
    assert "SDN" in [hit.nth(i).get_attribute("data-iso3") for i in range(hit.count())]
    assert page.locator("#map circle.place").count() >= 1
    titles = page.locator("#map circle.place title").all_text_contents()
    assert any(t.startswith("Khartoum: ") for t in titles), titles
    assert errors == []


def test_web_table_sorts_by_a_column_on_the_server(page, server, errors):
    page.goto(f"{server}/")
    page.reload()
    _settled(page)
    page.click("#events th button[data-sort=type]")
    _settled(page)
    types = [
        page.locator("#events tbody tr").nth(i).locator("td").nth(1).text_content().split("/")[0]
        for i in range(page.locator("#events tbody tr").count())
    ]
    assert types == sorted(types) and types[0] == "ACCUSE"
    assert "sort=type" in page.evaluate("window.location.hash")
    assert page.locator("#events th button[data-sort=type]").get_attribute("aria-sort")
    assert errors == []
