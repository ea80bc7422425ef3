"""The web page at `/` in headless Debian chromium, against a real uvicorn server on the sample.

What an analyst does: search an actor, read a position's sentence, follow it into the article,
read the stance matrix, click a node of the network, run a SPARQL query. Every test saves a
screenshot under build/screenshots/ and checks that the browser asked nothing of any host but
127.0.0.1. Chromium and chromedriver come from Debian (`make test` installs them); without them
the tests skip, or fail under CI=true.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from selenium import webdriver
from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait
from starlette.types import ASGIApp, Receive, Scope, Send

from api.main import create_app
from api.routers import web
from kg.config import Settings
from kg.iris import Iris
from kg.mapping import to_graph
from kg.store import OxigraphStore
from tests.conftest import SAMPLE_BASE, load_trig
from tests.e2e.test_server import ThreadedServer, free_port
from tests.utils.extraction import demo_extraction

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
WAIT = 15
ANSWERED = "#result-count, .answer, .sparql-output .error"  # a SPARQL run has ended
MENTIONS = """PREFIX kg: <https://w3id.org/newskg/ns#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT DISTINCT ?m ?exact WHERE {
  ?m a kg:Mention ; kg:evidence ?ev . ?ev oa:hasSource/kg:documentId "%s" .
  ?ev oa:hasSelector/oa:exact ?exact .
}"""
# a view replaces its elements when it renders: an element found a moment ago may be gone
RETRY = (NoSuchElementException, StaleElementReferenceException)


def _serve(app: ASGIApp) -> Iterator[str]:
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    with ThreadedServer(config).running():
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def sample_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    store = OxigraphStore()
    load_trig(store)
    # "demo" has an emoji (outside the BMP) before its spans: JS offsets must count code points
    iris = Iris(SAMPLE_BASE)
    store.put_graph(str(iris.graph("demo")), to_graph(demo_extraction(), iris))
    settings = Settings(
        store_path=tmp_path_factory.mktemp("web") / "store", base_iri=SAMPLE_BASE, query_workers=0
    )
    yield create_app(settings, store=store)
    store.close()


@pytest.fixture(scope="module")
def base_url(sample_app: FastAPI) -> Iterator[str]:
    yield from _serve(sample_app)


@pytest.fixture(scope="module")
def api(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        yield client


@pytest.fixture(scope="module")
def driver() -> Iterator[WebDriver]:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        reason = f"{', '.join(missing)} missing: `make browser` installs chromium + chromium-driver"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--window-size=1280,1000",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture
def page(driver: WebDriver, base_url: str, request: pytest.FixtureRequest) -> Iterator[WebDriver]:
    """The browser for one test: afterwards a screenshot, and no request left 127.0.0.1."""
    read_log(driver, "performance")  # drop what earlier tests left
    read_log(driver, "browser")
    yield driver
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / f"{request.node.name}.png"))
    urls = requested_urls(driver)
    assert urls, "the performance log recorded no request"
    outside = [u for u in urls if urlsplit(u).scheme not in ("data", "blob", "about")]
    outside = [u for u in outside if urlsplit(u).hostname != "127.0.0.1"]
    assert outside == []
    errors = [e["message"] for e in read_log(driver, "browser") if e["level"] == "SEVERE"]
    assert errors == []


def read_log(driver: WebDriver, kind: str) -> list[dict[str, Any]]:
    """Chromium's "performance" or "browser" log entries since the last read."""
    entries: list[dict[str, Any]] = driver.get_log(kind)  # type: ignore[no-untyped-call]
    return entries


def requested_urls(driver: WebDriver) -> list[str]:
    """Every URL the page asked for since the log was last read (Chrome DevTools events)."""
    urls = []
    for entry in read_log(driver, "performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def wait_for(driver: WebDriver, css: str) -> WebElement:
    try:
        wait = WebDriverWait(driver, WAIT, ignored_exceptions=RETRY)
        return wait.until(lambda d: d.find_element(By.CSS_SELECTOR, css))
    except TimeoutException:
        body = driver.find_element(By.TAG_NAME, "body").text
        pytest.fail(f"{css!r} never appeared; page text: {body}")


def wait_until(driver: WebDriver, condition: Callable[[WebDriver], Any], what: str) -> Any:
    try:
        return WebDriverWait(driver, WAIT, ignored_exceptions=RETRY).until(condition)
    except TimeoutException:
        pytest.fail(f"{what}; page text: {driver.find_element(By.TAG_NAME, 'body').text}")


def highlighted_text(driver: WebDriver, item_id: str) -> str:
    """The text of the article view's segments covering one annotation, in document order."""
    segments = driver.find_elements(By.CSS_SELECTOR, "#doc-text .hl")
    return "".join(
        s.get_attribute("textContent") or ""
        for s in segments
        if item_id in (s.get_attribute("data-ids") or "").split()
    )


def test_web_search_putin_then_his_positions(
    page: WebDriver, base_url: str, api: httpx.Client
) -> None:
    page.get(base_url + "/")
    box = wait_for(page, "input#q")
    box.send_keys("Putin")
    page.find_element(By.CSS_SELECTOR, "form[role=search] button[type=submit]").click()
    link = wait_until(
        page,
        lambda d: d.find_element(
            By.XPATH,
            "//section[starts-with(@aria-label, 'Actors matching')]"
            "//ul[@class='results']//a[text()='Vladimir Putin']",
        ),
        "no search result 'Vladimir Putin'",
    )
    link.click()
    wait_until(page, lambda d: d.current_url.endswith("#/actor/vladimir-putin"), "no actor page")
    wait_for(page, ".position blockquote")
    assert page.find_element(By.TAG_NAME, "h1").text == "Vladimir Putin"
    wikidata = api.get("/actors/vladimir-putin").json()["wikidata"]
    assert page.find_element(By.CSS_SELECTOR, "a.external").get_attribute("href") == wikidata

    shown = [q.text for q in page.find_elements(By.CSS_SELECTOR, ".position blockquote")]
    positions = api.get("/actors/vladimir-putin/positions").json()["items"]
    assert shown
    assert sorted(shown) == sorted(p["evidence"]["text"] for p in positions)
    topics = [t.text for t in page.find_elements(By.CSS_SELECTOR, "section.topic h3")]
    assert any(p["topic"]["label"] in t for p in positions for t in topics)

    events = api.get("/actors/vladimir-putin/events").json()["items"]
    timeline = page.find_elements(By.CSS_SELECTOR, ".timeline .event blockquote")
    assert sorted(e.text for e in timeline) == sorted(e["evidence"]["text"] for e in events)
    dated = [e["evidence"]["text"] for e in events if e["date"]]
    assert timeline[0].text in dated, "a dated event comes first"


def test_web_search_by_alias_finds_the_actor(page: WebDriver, base_url: str) -> None:
    """An alias ("The Russian leader") finds the actor; the result names the aliases too."""
    page.get(base_url + "/#/?q=" + quote("russian LEADER"))
    result = wait_until(
        page,
        lambda d: d.find_element(
            By.XPATH, "//ul[@class='results']/li[.//a[text()='Vladimir Putin']]"
        ),
        "the alias search did not find 'Vladimir Putin'",
    )
    assert "The Russian leader" in result.text
    assert "Person" in result.text


def test_web_position_link_marks_its_span(
    page: WebDriver, base_url: str, api: httpx.Client
) -> None:
    position = api.get("/actors/vladimir-putin/positions").json()["items"][0]
    page.get(base_url + "/#/actor/vladimir-putin")
    wait_for(page, ".position figcaption a").click()
    marked = wait_for(page, "#doc-text .hl-target")
    evidence = position["evidence"]
    assert page.current_url.endswith(
        f"#/document/{evidence['document']}?start={evidence['start']}&end={evidence['end']}"
    )
    text = "".join(
        s.get_attribute("textContent") or ""
        for s in page.find_elements(By.CSS_SELECTOR, "#doc-text .hl-target")
    )
    assert text == evidence["text"]
    assert marked.is_displayed()


@pytest.mark.parametrize("document", ["alpha", "demo"])
def test_web_article_highlights_exact_spans(
    page: WebDriver, base_url: str, api: httpx.Client, document: str
) -> None:
    page.get(base_url + f"/#/document/{document}")
    wait_for(page, "#doc-text .hl")
    assert page.find_elements(By.CSS_SELECTOR, ".error") == []
    items = [
        *api.get("/events", params={"document": document}).json()["items"],
        *api.get("/positions", params={"document": document}).json()["items"],
        *api.get("/quotes", params={"document": document}).json()["items"],
    ]
    assert len(items) >= 3
    for item in items:
        assert highlighted_text(page, item["id"]) == item["evidence"]["text"], item["id"]
    text = api.get(f"/documents/{document}/text").text
    if document == "demo":  # a span after the emoji: UTF-16 offsets would be one off
        after = [i for i in items if i["evidence"]["start"] > text.index("\U0001f30d")]
        assert after
    # the whole text is there, unchanged, around the highlights
    body = page.find_element(By.ID, "doc-text").get_attribute("textContent")
    assert body == api.get(f"/documents/{document}/text").text
    # actor mentions come from the graph's kg:Mention spans: each shows its oa:exact text
    mentions = api.get("/sparql", params={"query": MENTIONS % document, "format": "json"})
    exact = {b["m"]["value"]: b["exact"]["value"] for b in mentions.json()["results"]["bindings"]}
    assert exact
    assert {m: highlighted_text(page, m) for m in exact} == exact
    # the legend toggles a kind off
    text_box = page.find_element(By.ID, "doc-text")
    page.find_element(By.ID, "show-position").click()
    assert "hide-position" in (text_box.get_attribute("class") or "")
    page.find_element(By.ID, "show-position").click()  # and on again, for the screenshot
    assert "hide-position" not in (text_box.get_attribute("class") or "")


def test_web_stance_matrix_cell_shows_evidence(
    page: WebDriver, base_url: str, api: httpx.Client
) -> None:
    matrix = api.get("/stance-matrix").json()
    page.get(base_url + "/#/matrix")
    wait_for(page, "table.matrix")
    rows = page.find_elements(By.CSS_SELECTOR, "table.matrix tbody tr")
    assert len(rows) == len(matrix["actors"])
    headers = [th.text for th in page.find_elements(By.CSS_SELECTOR, "table.matrix thead th")]
    assert headers[1:] == [t["label"] for t in matrix["topics"]]
    buttons = page.find_elements(By.CSS_SELECTOR, "table.matrix button.cell")
    assert len(buttons) == len(matrix["cells"])
    buttons[0].click()
    quote = wait_for(page, ".panel blockquote")
    cell = next(  # the first button is the first cell of the first row
        c for c in matrix["cells"] if c["actor"] == matrix["actors"][0]["id"]
    )
    positions = api.get("/positions", params={"actor": cell["actor"], "limit": 500}).json()
    wanted = {p["id"]: p["evidence"]["text"] for p in positions["items"]}
    assert quote.text in {wanted[i] for i in cell["positions"]}


def test_web_topic_view_from_the_matrix(page: WebDriver, base_url: str, api: httpx.Client) -> None:
    page.get(base_url + "/#/matrix")
    wait_for(page, "table.matrix thead a").click()
    wait_for(page, ".stance-group blockquote")
    topic = page.current_url.rsplit("#/topic/", 1)[1]
    view = api.get(f"/topics/{topic}/positions").json()
    assert page.find_element(By.TAG_NAME, "h1").text == view["topic"]["label"]
    shown = [q.text for q in page.find_elements(By.CSS_SELECTOR, ".stance-group blockquote")]
    expected = [
        p["evidence"]["text"] for g in view["groups"] for a in g["actors"] for p in a["positions"]
    ]
    assert shown == expected


def test_web_network_node_click_opens_actor(page: WebDriver, base_url: str) -> None:
    page.get(base_url + "/#/network")
    canvas = wait_for(page, "#network canvas")
    wait_until(page, lambda d: d.execute_script("return !!window.newskgNetwork"), "no network")
    box = page.find_element(By.ID, "network")
    x, y = page.execute_script(
        "const p = window.newskgNetwork.getElementById('vladimir-putin').renderedPosition();"
        "return [p.x, p.y];"
    )
    page.save_screenshot(str(SCREENSHOTS / "test_web_network_before_click.png"))
    # a real mouse click where the node is drawn (offsets count from the element's centre)
    ActionChains(page).move_to_element_with_offset(
        box, int(x - box.size["width"] / 2), int(y - box.size["height"] / 2)
    ).click().perform()
    wait_until(page, lambda d: d.current_url.endswith("#/actor/vladimir-putin"), "no navigation")
    wait_until(
        page, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Vladimir Putin", "no actor page"
    )
    assert canvas is not None


def test_web_sparql_query_shows_rows_and_downloads(
    page: WebDriver, base_url: str, api: httpx.Client
) -> None:
    page.get(base_url + "/#/sparql")
    wait_for(page, ".CodeMirror")
    assert page.find_elements(By.CSS_SELECTOR, ".CodeMirror .cm-keyword"), "no highlighting"
    query = (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?name WHERE { ?a skos:prefLabel ?name } ORDER BY ?name"
    )
    page.execute_script(
        "document.querySelector('.CodeMirror').CodeMirror.setValue(arguments[0])", query
    )
    page.find_element(By.ID, "run").click()
    wait_for(page, ".results-table tbody tr")
    expected = api.get("/sparql", params={"query": query, "format": "json"}).json()
    names = [b["name"]["value"] for b in expected["results"]["bindings"]]
    cells = [td.text for td in page.find_elements(By.CSS_SELECTOR, ".results-table tbody td")]
    assert cells == names
    assert names
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.save_screenshot(str(SCREENSHOTS / "test_web_sparql_select_table.png"))
    links = {
        a.text: a.get_attribute("href") or ""
        for a in page.find_elements(By.CSS_SELECTOR, ".downloads a")
    }
    assert sorted(links) == ["CSV", "JSON", "TSV", "XML"]
    media = {"JSON": "sparql-results+json", "XML": "sparql-results+xml", "CSV": "text/csv"}
    media["TSV"] = "text/tab-separated-values"
    for label, href in links.items():
        answer = api.get(href)
        assert answer.status_code == 200
        assert media[label] in answer.headers["content-type"]
    # every example runs without an error (rows, a boolean or an empty table)
    for button in page.find_elements(By.CSS_SELECTOR, ".examples button"):
        button.click()
        wait_until(
            page,
            lambda d: d.find_elements(By.CSS_SELECTOR, ANSWERED),
            f"example {button.text!r} gave no answer",
        )
        assert page.find_elements(By.CSS_SELECTOR, ".sparql-output .error") == [], button.text
    # an example of the README is one click away
    example = "//ul[@class='examples']//button[starts-with(., 'Is there')]"
    page.find_element(By.XPATH, example).click()
    wait_until(
        page,
        lambda d: d.find_element(By.CSS_SELECTOR, ".answer").text == "ASK: true",
        "no ASK answer",
    )
    # a CONSTRUCT answers a graph, downloadable in each RDF syntax
    construct = "CONSTRUCT { ?a ?p ?o } WHERE { ?a a ?t ; ?p ?o } LIMIT 5"
    page.execute_script(
        "document.querySelector('.CodeMirror').CodeMirror.setValue(arguments[0])", construct
    )
    page.find_element(By.ID, "run").click()
    wait_for(page, "pre.graph")
    graph_links = {
        a.text: a.get_attribute("href") or ""
        for a in page.find_elements(By.CSS_SELECTOR, ".downloads a")
    }
    graph_media = {
        "Turtle": "text/turtle",
        "N-Triples": "application/n-triples",
        "JSON-LD": "application/ld+json",
        "RDF/XML": "application/rdf+xml",
    }
    assert sorted(graph_links) == sorted(graph_media)
    for label, href in graph_links.items():
        answer = api.get(href)
        assert answer.status_code == 200, label
        assert graph_media[label] in answer.headers["content-type"], label


@pytest.fixture
def app_without_network(tmp_path: Path) -> Iterator[str]:
    """The sample served as by an older server, whose unknown routes include the actor network."""
    store = OxigraphStore()
    load_trig(store)
    app = create_app(Settings(store_path=tmp_path / "store", query_workers=0), store=store)

    async def older(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].endswith("/network"):
            problem = {"type": "about:blank", "title": "Not Found", "status": 404}
            response = JSONResponse(problem | {"detail": "Not Found"}, status_code=404)
            await response(scope, receive, send)
        else:
            await app(scope, receive, send)

    yield from _serve(older)
    store.close()


def test_web_missing_endpoint_is_a_visible_message(
    page: WebDriver, app_without_network: str
) -> None:
    page.get(app_without_network + "/#/actor/vladimir-putin")
    wait_for(page, ".position blockquote")
    alert = wait_for(page, "section[aria-label='Linked actors'] .error")
    assert "404" in alert.text
    assert "/actors/vladimir-putin/network" in alert.text
    page.execute_script("arguments[0].scrollIntoView({block: 'center'})", alert)  # screenshot
    read_log(page, "browser")  # the failed fetch is logged by chromium as an error: expected here


def test_web_serves_the_page_and_only_allow_listed_vendor_files(api: httpx.Client) -> None:
    index = api.get("/")
    assert index.status_code == 200
    assert index.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="/web/js/main.js">' in index.text
    for path in ("/web/js/main.js", "/web/app.css", "/web/vendor/codemirror.js"):
        assert api.get(path).status_code == 200, path
    for path in (
        "/web/vendor/package.json",
        "/web/vendor/..%2F..%2Fpackage.json",
        "/web/node_modules/cytoscape/package.json",
        "/web/..%2Fpackage.json",
        "/web/..%2F..%2Fpyproject.toml",
    ):
        answer = api.get(path)
        assert answer.status_code == 404, path
        assert answer.headers["content-type"] == "application/problem+json", path
    assert "/" not in api.get("/openapi.json").json()["paths"]


def test_web_without_npm_packages_falls_back(
    page: WebDriver, base_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Before `make install` (no web/node_modules): a message, a plain editor, the actor list."""
    monkeypatch.setattr(web, "NODE_MODULES", tmp_path)
    assert httpx.get(base_url + "/web/vendor/cytoscape.min.js").status_code == 404
    page.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    page.get("about:blank")  # a new document: a hash change alone would keep the loaded scripts
    page.get(base_url + "/#/sparql")
    alert = wait_for(page, ".error")
    assert "make install" in alert.text
    page.find_element(By.ID, "query").clear()
    page.find_element(By.ID, "query").send_keys("ASK { ?s ?p ?o }")
    page.find_element(By.ID, "run").click()
    assert wait_for(page, ".answer").text == "ASK: true"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.save_screenshot(str(SCREENSHOTS / "test_web_without_npm_packages_plain_editor.png"))
    page.get(base_url + "/#/network")
    assert "make install" in wait_for(page, "#network .error").text
    assert page.find_element(By.ID, "network").size["height"] < 100, "an empty canvas is left"
    assert not page.find_element(By.CSS_SELECTOR, "ul.legend").is_displayed()
    # the fixture's own screenshot comes after about:blank: keep the fallback here
    page.save_screenshot(str(SCREENSHOTS / "test_web_without_npm_packages_network_list.png"))
    page.find_element(By.LINK_TEXT, "Vladimir Putin").click()
    wait_for(page, ".position blockquote")
    read_log(page, "browser")  # the missing scripts are logged as errors: expected here
    page.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": False})
    page.get("about:blank")  # the next test loads the page with its scripts again
