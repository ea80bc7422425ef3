"""The actor page's timeline of positions in Chromium, on the bundled articles and a wire
article dated by its dateline (tests/fixtures/dated/), built with the real pipeline: the
positions on a topic in date order, each with its date as the text gives it and its source,
the undated last; a screenshot under build/screenshots/ (git-ignored)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from api.main import create_app
from kg.build import Builder
from kg.config import Settings
from kg.store import OxigraphStore
from tests.e2e.test_web import (
    SCREENSHOTS,
    _serve,
    driver,  # noqa: F401  (the module's Chromium, a fixture)
    read_log,
    requested_urls,
    wait_for,
    wait_until,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dated_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("timeline")
    articles = folder / "articles"
    shutil.copytree(ROOT / "data" / "articles", articles)
    shutil.copy(ROOT / "tests" / "fixtures" / "dated" / "wire_dateline.txt", articles)
    settings = Settings(store_path=folder / "store", query_workers=0)
    store = OxigraphStore()
    Builder(settings, store).build([articles])
    yield from _serve(create_app(settings, store=store))
    store.close()


@pytest.fixture
def page(driver: WebDriver, request: pytest.FixtureRequest) -> Iterator[WebDriver]:  # noqa: F811
    """The browser for one test: afterwards a screenshot, and no request left 127.0.0.1."""
    read_log(driver, "performance")
    read_log(driver, "browser")
    yield driver
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / f"{request.node.name}.png"))
    outside = [u for u in requested_urls(driver) if urlsplit(u).scheme in ("http", "https")]
    assert [u for u in outside if urlsplit(u).hostname != "127.0.0.1"] == []
    errors = [e["message"] for e in read_log(driver, "browser") if e["level"] == "SEVERE"]
    assert errors == []


def _shown(page: WebDriver) -> list[tuple[str, str, str]]:
    """(item id, date shown, evidence) of each timeline entry, top to bottom."""
    return [
        (
            li.get_attribute("data-id") or "",
            li.find_element(By.CSS_SELECTOR, ".when").text,
            li.find_element(By.CSS_SELECTOR, "mark.ev").get_attribute("textContent") or "",
        )
        for li in page.find_elements(By.CSS_SELECTOR, ".position-timeline li.moment")
    ]


def test_web_actor_timeline_of_positions_on_a_topic(page: WebDriver, dated_url: str) -> None:
    with httpx.Client(base_url=dated_url, timeout=30) as client:
        everything = client.get(
            "/actors/vladimir-putin/positions", params={"order": "date", "limit": 500}
        ).json()["items"]
        on_nato = client.get(
            "/actors/vladimir-putin/positions",
            params={"order": "date", "topic": "nato_membership_ukraine", "limit": 500},
        ).json()["items"]
    page.get(dated_url + "/#/actor/vladimir-putin")
    wait_for(page, ".position-timeline li.moment")
    wait_until(
        page,
        lambda d: (
            len(d.find_elements(By.CSS_SELECTOR, ".position-timeline li.moment")) == len(everything)
        ),
        "the timeline does not list every position",
    )
    shown = _shown(page)
    assert [s[0] for s in shown] == [p["id"] for p in everything]
    assert shown[0][1].splitlines() == ["2014", "“2014”"]  # the year the text gives, its words
    assert shown[1][1].splitlines() == ["18 March 2025", "article published (“March 18, 2025”)"]
    assert all(when == "undated" for _, when, _ in shown[2:])

    Select(page.find_element(By.ID, "timeline-topic")).select_by_value("nato_membership_ukraine")
    wait_until(
        page,
        lambda d: [s[0] for s in _shown(d)] == [p["id"] for p in on_nato],
        "the timeline does not show the positions on NATO membership",
    )
    shown = _shown(page)
    assert shown[0][1].startswith("2014")
    assert (
        "abandon its bid to join NATO"
        in page.find_element(By.CSS_SELECTOR, ".position-timeline li.moment blockquote").text
    )
    page.execute_script(
        "document.querySelector('section[aria-label=\"Positions over time\"]')"
        ".scrollIntoView({block: 'start'})"
    )
