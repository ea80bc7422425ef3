"""The web page at `/` in headless Debian chromium, against a real uvicorn server on the sample.

What an analyst does: search an actor, read a position's sentence, follow it into the article,
read the stance matrix, click a node of the network, run a SPARQL query. Articles and query
results carrying markup show as text in every view, and nothing of theirs runs. Every test saves
a screenshot under build/screenshots/ and checks that the browser asked nothing of any host but
127.0.0.1 and logged no error (a Content-Security-Policy violation is one). Chromium and
chromedriver come from Debian (`make test` installs them); without them the tests skip, or fail
under CI=true.
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
from rdflib.namespace import XSD
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
from api.security import PAGE_POLICY, inline_hashes
from kg.config import Settings
from kg.iris import Iris
from kg.mapping import to_graph
from kg.registry import put_article
from kg.store import OxigraphStore
from kg.store.terms import sparql_iri, sparql_literal
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
TOKEN = "web-write-token"  # noqa: S105 - a test token
AUTH = {"authorization": f"Bearer {TOKEN}"}

# Hostile text: each piece of markup would set window.__pwned if the page ran it.
PWNED = "window.__pwned=1"
HOSTILE_META = {
    "title": f'<img src=x onerror="{PWNED}"> Envoys meet in Geneva',
    "outlet": f"<script>{PWNED}</script>Wire",
    "author": f'" onmouseover="{PWNED}" x="',
    "url": "https://news.example/hostile",
}
# extraction turns this into a position (Kellogg demands a ceasefire), a meeting, two quotes
HOSTILE_TEXT = f"""Envoys meet in Geneva as Kremlin weighs ceasefire <img src=x onerror={PWNED}>

GENEVA, Nov 20 (Test Wire) - US special envoy Keith Kellogg on Thursday demanded a ceasefire \
<img src=x onerror={PWNED}> " onmouseover="{PWNED}" x=" along the current front line.

"We will never accept <img src=x onerror={PWNED}> a deal that rewards aggression," Foreign \
Minister Andrii Sybiha told reporters in Kyiv.

Kremlin spokesman Dmitry Peskov said: "We have not seen any written document \
<a href=javascript:{PWNED}>link</a>," Peskov told journalists.

Keith Kellogg met Sergey Lavrov in Geneva on Wednesday to discuss a ceasefire \
<script>{PWNED}</script>.
"""
# An actor's name cannot carry markup through extraction: a malicious article graph would
HOSTILE_NAME = f'Keith <img src=x onerror={PWNED}> Kellogg " onmouseover="{PWNED}'
HOSTILE_ALIAS = f"<svg onload={PWNED}>"
HOSTILE_ROLE = f"<b onclick={PWNED}>envoy</b>"
HOSTILE_URL = f"javascript:{PWNED}"
HOSTILE_UPDATE = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX kg: <https://w3id.org/newskg/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
WITH %(registry)s
DELETE { ?actor skos:prefLabel ?name }
INSERT { ?actor skos:prefLabel %(name)s ; skos:altLabel %(alias)s }
WHERE { ?actor kg:actorKey "keith-kellogg" ; skos:prefLabel ?name } ;
WITH %(graph)s
DELETE { ?doc schema:url ?url . ?role rdfs:label ?label }
INSERT { ?role rdfs:label %(role)s . ?doc schema:url %(url)s }
WHERE { %(actor)s kg:hasRole ?role . ?role rdfs:label ?label .
        ?doc kg:documentId %(id)s ; schema:url ?url }"""
# What a view must not hold: an element or attribute the markup above would have made, a link
# to another scheme than http(s); and window.__pwned must be unset.
INJECTED = """
const found = [];
for (const el of document.querySelectorAll("*")) {
  for (const attr of el.attributes) {
    if (attr.name.startsWith("on")) found.push(`${el.localName}[${attr.name}]`);
  }
}
const made = "img, svg, b, iframe, object, embed, script:not([src])";
for (const el of document.querySelectorAll(made)) found.push(el.localName);
for (const a of document.querySelectorAll("a[href], area[href]")) {
  if (!["http:", "https:"].includes(a.protocol)) found.push(`a[href=${a.getAttribute("href")}]`);
}
return {found, pwned: typeof window.__pwned};
"""


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
    put_article(store, to_graph(demo_extraction(), iris), iris)
    settings = Settings(
        store_path=tmp_path_factory.mktemp("web") / "store",
        base_iri=SAMPLE_BASE,
        query_workers=0,
        write_token=TOKEN,  # the hostile article's test writes (the pipeline loads on its POST)
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


def wait_text(driver: WebDriver, css: str, text: str) -> WebElement:
    """The first element matching `css` whose text holds `text`, once the view shows one (a
    view replaces the last one when it has rendered: until then the old elements are there)."""
    found: WebElement = wait_until(
        driver,
        lambda d: next(
            (
                e
                for e in d.find_elements(By.CSS_SELECTOR, css)
                if text in (e.get_attribute("textContent") or "")
            ),
            None,
        ),
        f"no {css!r} with {text!r}",
    )
    return found


def assert_inert(driver: WebDriver, *texts: str) -> None:
    """No element, handler or link came from markup in the data, no script of it ran, and each
    of `texts` shows as text in the view."""
    result = driver.execute_script(INJECTED)
    assert result == {"found": [], "pwned": "undefined"}
    shown = driver.find_element(By.ID, "view").text
    for text in texts:
        assert text in shown


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
def hostile(api: httpx.Client) -> Iterator[str]:
    """A hostile article, removed afterwards; yields its id.

    Its title, outlet, author (both become actors) and text (quotes, a position's sentence, an
    event's sentence) carry markup through POST /documents and the real extraction. An actor's
    name, alias and role and the article's URL cannot: an authorized SPARQL update of the
    article's graph and of the actor registry puts markup there, as a malicious store would.
    """
    posted = api.post(
        "/documents", json={"text": HOSTILE_TEXT, **HOSTILE_META}, headers=AUTH, timeout=120
    )
    assert posted.status_code == 201, posted.text
    doc_id: str = posted.json()["document"]["id"]
    try:
        update = HOSTILE_UPDATE % {
            "graph": sparql_iri(str(Iris(SAMPLE_BASE).graph(doc_id))),
            "registry": sparql_iri(str(Iris(SAMPLE_BASE).registry_graph())),
            "actor": sparql_iri(str(Iris(SAMPLE_BASE).actor("keith-kellogg"))),
            "id": sparql_literal(doc_id),
            "name": sparql_literal(HOSTILE_NAME),
            "alias": sparql_literal(HOSTILE_ALIAS),
            "role": sparql_literal(HOSTILE_ROLE),
            "url": sparql_literal(HOSTILE_URL, str(XSD.anyURI)),
        }
        answer = api.post(
            "/update", content=update, headers=AUTH | {"content-type": "application/sparql-update"}
        )
        assert answer.status_code == 204, answer.text
        assert api.get("/actors/keith-kellogg").json()["name"] == HOSTILE_NAME
        yield doc_id
    finally:
        assert api.delete(f"/documents/{doc_id}", headers=AUTH).status_code == 204


@pytest.mark.slow
def test_web_hostile_article_is_text_in_every_view(
    page: WebDriver, base_url: str, api: httpx.Client, hostile: str
) -> None:
    doc = api.get(f"/documents/{hostile}").json()
    assert {k: doc[k] for k in HOSTILE_META} == HOSTILE_META | {"url": HOSTILE_URL}
    positions = api.get("/positions", params={"document": hostile}).json()["items"]
    position = next(p for p in positions if p["actor"]["id"] == "keith-kellogg")
    evidence = position["evidence"]["text"]
    assert "<img src=x" in evidence
    quotes = api.get("/quotes", params={"document": hostile}).json()["items"]
    assert any("<img src=x" in q["text"] for q in quotes)
    assert any("javascript:" in q["text"] for q in quotes)
    actors = {a["id"]: a["name"] for a in doc["actors"]}
    assert HOSTILE_META["outlet"] in actors.values()
    assert HOSTILE_META["author"] in actors.values()

    page.get("about:blank")  # a new document: nothing left of earlier tests' views

    # actor search: the name and the alias
    page.get(base_url + "/#/?q=kellogg")
    wait_text(page, "ul.results", HOSTILE_NAME)
    assert_inert(page, HOSTILE_NAME, HOSTILE_ALIAS)
    page.get(base_url + "/#/?q=" + quote("onmouseover"))  # the author, an actor
    wait_text(page, "ul.results", HOSTILE_META["author"])
    assert_inert(page, HOSTILE_META["author"])

    # actor page: name, alias, role, the position's and the event's sentences, the article
    page.get(base_url + "/#/actor/keith-kellogg")
    wait_text(page, "h1", HOSTILE_NAME)
    wait_for(page, ".position blockquote")
    wait_for(page, ".timeline .event blockquote")
    assert page.find_element(By.TAG_NAME, "h1").get_attribute("textContent") == HOSTILE_NAME
    assert page.title == f"{HOSTILE_NAME} · newskg"
    assert_inert(
        page, HOSTILE_NAME, HOSTILE_ALIAS, HOSTILE_ROLE, evidence, HOSTILE_META["title"],
        HOSTILE_META["outlet"],
    )  # fmt: skip
    # the quotes' speakers' pages show their sentences
    for speaker in sorted({q["speaker"]["id"] for q in quotes}):
        spoken = [q["evidence"]["text"] for q in quotes if q["speaker"]["id"] == speaker]
        page.get(base_url + f"/#/actor/{speaker}")
        wait_text(page, ".quotes blockquote", spoken[0])
        assert_inert(page, *spoken)

    # stance matrix: the row's name, a cell's evidence panel
    page.get(base_url + "/#/matrix")
    row = wait_until(
        page,
        lambda d: next(
            (
                r
                for r in d.find_elements(By.CSS_SELECTOR, "table.matrix tbody tr")
                if r.find_element(By.CSS_SELECTOR, "th a").get_attribute("textContent")
                == HOSTILE_NAME
            ),
            None,
        ),
        "no matrix row for the hostile actor",
    )
    assert HOSTILE_NAME in (
        row.find_element(By.CSS_SELECTOR, "button.cell").get_attribute("title") or ""
    )
    row.find_element(By.CSS_SELECTOR, "button.cell").click()
    wait_for(page, ".panel blockquote")
    assert_inert(page, HOSTILE_NAME, evidence)

    # topic view: the holder and the sentence
    page.get(base_url + f"/#/topic/{position['topic']['id']}")
    wait_for(page, ".stance-group blockquote")
    assert_inert(page, HOSTILE_NAME, evidence)

    # network: the node's label (drawn on the canvas) and the list below
    page.get(base_url + "/#/network")
    wait_until(
        page,
        lambda d: d.execute_script(
            "return !!window.newskgNetwork?.getElementById('keith-kellogg').length"
        ),
        "no network node for the hostile actor",
    )
    label = page.execute_script(
        "return window.newskgNetwork.getElementById('keith-kellogg').data('label')"
    )
    assert label == HOSTILE_NAME
    assert_inert(page, HOSTILE_NAME)

    # articles: title, outlet, author
    page.get(base_url + "/#/documents")
    wait_text(page, "table.documents tbody tr", HOSTILE_META["title"])
    assert_inert(page, HOSTILE_META["title"], HOSTILE_META["outlet"], HOSTILE_META["author"])

    # the article with its highlights: the text whole, the metadata, the URL as text (no link)
    page.get(base_url + f"/#/document/{hostile}")
    wait_text(page, "h1", doc["title"])
    wait_for(page, "#doc-text .hl")
    assert page.find_element(By.TAG_NAME, "h1").get_attribute("textContent") == doc["title"]
    text = api.get(f"/documents/{hostile}/text").text
    assert page.find_element(By.ID, "doc-text").get_attribute("textContent") == text
    assert highlighted_text(page, position["id"]) == evidence
    labels = [s.get_attribute("title") or "" for s in page.find_elements(By.CSS_SELECTOR, ".hl")]
    assert any(HOSTILE_NAME in label for label in labels)  # an attribute value, as text
    assert page.find_elements(By.CSS_SELECTOR, "a.external") == []
    assert_inert(
        page, HOSTILE_META["outlet"], HOSTILE_META["author"], HOSTILE_URL, HOSTILE_NAME,
        *(q["text"] for q in quotes),
    )  # fmt: skip


def test_web_sparql_results_with_markup_are_text(page: WebDriver, base_url: str) -> None:
    """Literals with markup and IRIs of other schemes: text in the table, links only to http(s)."""
    rows = [
        (f"<img src=x onerror={PWNED}>", f"javascript:{PWNED}"),
        (f'" onmouseover="{PWNED}" x="', "javascript:alert(1)//id/actor/vladimir-putin"),
        (f"<script>{PWNED}</script>", "data:text/html;base64,PHNjcmlwdD4=/id/document/alpha"),
        (f"<a href=javascript:{PWNED}>link</a>", SAMPLE_BASE + "id/actor/vladimir-putin"),
    ]
    values = " ".join(f"({sparql_literal(text)} {sparql_iri(iri)})" for text, iri in rows)
    query = (
        f"SELECT ?text ?iri ?typed WHERE {{ VALUES (?text ?iri) {{ {values} }}\n"
        f'  BIND(STRDT("<b onclick={PWNED}>", <javascript:{PWNED}>) AS ?typed) }}'
    )
    page.get(base_url + "/#/sparql")
    wait_for(page, ".CodeMirror")
    page.execute_script(
        "document.querySelector('.CodeMirror').CodeMirror.setValue(arguments[0])", query
    )
    page.find_element(By.ID, "run").click()
    wait_for(page, ".results-table tbody tr")
    cells = [
        [td.get_attribute("textContent") for td in tr.find_elements(By.TAG_NAME, "td")]
        for tr in page.find_elements(By.CSS_SELECTOR, ".results-table tbody tr")
    ]
    assert sorted(cells) == sorted([text, iri, f"<b onclick={PWNED}>"] for text, iri in rows)
    links = page.find_elements(By.CSS_SELECTOR, ".results-table a")
    assert [a.get_attribute("textContent") for a in links] == [rows[3][1]]
    assert links[0].get_attribute("href") == base_url + "/#/actor/vladimir-putin"
    typed = page.find_elements(By.CSS_SELECTOR, ".results-table td[title]")
    assert {td.get_attribute("title") for td in typed} == {f"javascript:{PWNED}"}
    downloads = [
        a.get_attribute("href") or "" for a in page.find_elements(By.CSS_SELECTOR, ".downloads a")
    ]
    assert downloads
    assert all(href.startswith(base_url + "/sparql?") for href in downloads)
    assert_inert(page, *(text for text, _ in rows), *(iri for _, iri in rows))


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


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/web/js/main.js",
        "/web/app.css",
        "/web/vendor/cytoscape.min.js",
        "/docs-assets/swagger-ui.css",
    ],
)
def test_web_page_and_assets_carry_security_headers(api: httpx.Client, path: str) -> None:
    answer = api.get(path)
    assert answer.status_code == 200
    assert answer.headers["content-security-policy"] == PAGE_POLICY
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("path", ["/docs", "/docs/oauth2-redirect", "/redoc"])
def test_web_api_docs_allow_their_inline_scripts_by_hash_only(api: httpx.Client, path: str) -> None:
    answer = api.get(path)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    policy = {
        name: sources
        for name, *sources in (
            part.split() for part in answer.headers["content-security-policy"].split(";")
        )
    }
    assert policy["script-src"] == ["'self'", *inline_hashes(answer.text)["script"]]
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize(
    ("params", "accept", "status"),
    [
        ({"query": "ASK { ?s ?p ?o }"}, "application/sparql-results+json", 200),
        ({"query": "ASK { ?s ?p ?o }", "format": "xml"}, "text/html", 200),  # a browser tab
        ({"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"}, "application/rdf+xml", 200),
        ({"query": "ASK { ?s ?p ?o }"}, "text/html", 406),
        ({"query": "SELECT <img src=x>"}, "application/sparql-results+json", 400),
    ],
)
def test_web_sparql_answers_carry_security_headers(
    api: httpx.Client, params: dict[str, str], accept: str, status: int
) -> None:
    """/sparql never answers HTML; what a browser tab opens of it runs nothing all the same."""
    answer = api.get("/sparql", params=params, headers={"accept": accept})
    assert answer.status_code == status
    assert not answer.headers["content-type"].startswith("text/html")
    assert answer.headers["content-security-policy"] == PAGE_POLICY
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_web_api_docs_run_under_their_policy(page: WebDriver, base_url: str) -> None:
    """Swagger UI and ReDoc render under their Content-Security-Policy with no violation but one:
    ReDoc's logo, an image on cdn.redoc.ly, which the policy stops before it is fetched."""
    page.get(base_url + "/docs")
    wait_for(page, ".swagger-ui .opblock")  # drawn by the inline set-up script, run by hash
    page.get(base_url + "/redoc")
    wait_for(page, "[role=menu] li")
    requests: dict[str, str] = {}
    blocked: dict[str, str] = {}
    for entry in read_log(page, "performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests[message["params"]["requestId"]] = message["params"]["request"]["url"]
        elif message["method"] == "Network.loadingFailed":
            blocked[message["params"]["requestId"]] = message["params"].get("blockedReason", "")
    remote = {i: u for i, u in requests.items() if urlsplit(u).scheme in ("http", "https")}
    outside = {i: u for i, u in remote.items() if urlsplit(u).hostname != "127.0.0.1"}
    assert list(outside.values()) == ["https://cdn.redoc.ly/redoc/logo-mini.svg"]
    assert [blocked.get(i) for i in outside] == ["csp"]
    errors = [e["message"] for e in read_log(page, "browser") if e["level"] == "SEVERE"]
    assert len(errors) == 1
    assert "cdn.redoc.ly" in errors[0]
    assert "Content Security Policy" in errors[0]
    page.get(base_url + "/")  # the fixture's checks and screenshot: the page
    wait_for(page, "input#q")


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


# --- reading: the sentence of each statement and the title of each article (bundled articles) --

ARTICLES = Path(__file__).resolve().parents[2] / "data" / "articles"


@pytest.fixture(scope="module")
def bundled_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on the bundled articles, built with the real pipeline."""
    from kg.build import Builder

    settings = Settings(store_path=tmp_path_factory.mktemp("bundled") / "store", query_workers=0)
    store = OxigraphStore()
    Builder(settings, store).build([ARTICLES])
    yield from _serve(create_app(settings, store=store))
    store.close()


POSITIONS_SECTION = 'section[aria-label="Positions by topic"]'


def _content(element: WebElement) -> str:
    return element.get_attribute("textContent") or ""


@pytest.mark.slow
def test_web_actor_positions_show_sentence_with_holder(page: WebDriver, bundled_url: str) -> None:
    with httpx.Client(base_url=bundled_url, timeout=10) as client:
        positions = client.get("/actors/vladimir-putin/positions", params={"limit": 500}).json()
        documents = client.get("/documents").json()["items"]
    page.get(bundled_url + "/#/actor/vladimir-putin")
    wait_for(page, ".position blockquote.sentence")
    titles = {d["id"]: d["display_title"] for d in documents}
    cites = {
        d["id"]: ", ".join(x for x in (f"“{d['display_title']}”", d["outlet"]) if x)
        for d in documents
    }
    # every citation names its article by display title once the index has loaded
    wait_until(
        page,
        lambda d: all(
            c.text.startswith("“") for c in d.find_elements(By.CSS_SELECTOR, ".position cite")
        ),
        "a citation still shows a document id",
    )
    figures = page.find_elements(By.CSS_SELECTOR, f"{POSITIONS_SECTION} .position figure.evidence")
    assert len(figures) == positions["total"]
    shown = {
        (
            f.find_element(By.CSS_SELECTOR, "blockquote").text,
            "".join(_content(m) for m in f.find_elements(By.CSS_SELECTOR, "mark.ev")),
            "".join(_content(m) for m in f.find_elements(By.CSS_SELECTOR, ".holder")),
            f.find_element(By.CSS_SELECTOR, "cite").text,
        )
        for f in figures
    }
    expected = {
        (
            " ".join(p["sentence"]["text"].split()),
            p["evidence"]["text"],
            p["holder_mention"]["text"] if p["holder_mention"] else "",
            cites[p["document"]],
        )
        for p in positions["items"]
    }
    normalised = {(" ".join(s.split()), e, h, c) for s, e, h, c in shown}
    assert normalised == expected
    assert all(holder for _, _, holder, _ in shown), "every Putin position marks who said it"
    cited = " ".join(c.text for c in page.find_elements(By.CSS_SELECTOR, "cite"))
    assert "001_5352769525018259" not in cited
    assert titles["001_5352769525018259"].startswith("U.S. President Donald Trump")
    # the screenshot (build/screenshots/, git-ignored) shows a sentence with its highlight
    page.execute_script(
        "document.querySelector('.position blockquote.sentence').scrollIntoView({block:'center'})"
    )


@pytest.mark.slow
def test_web_stance_matrix_is_narrow_and_its_actor_column_opaque(
    page: WebDriver, bundled_url: str
) -> None:
    with httpx.Client(base_url=bundled_url, timeout=10) as client:
        matrix = client.get("/stance-matrix").json()
    page.get(bundled_url + "/#/matrix")
    table = wait_for(page, "table.matrix")
    assert len(matrix["topics"]) > 20  # wide enough for the width to matter
    width = page.execute_script("return arguments[0].getBoundingClientRect().width", table)
    per_topic = (width - 200) / len(matrix["topics"])
    assert width < 2600, f"the matrix is {width:.0f} px wide ({per_topic:.0f} px per topic)"
    assert per_topic <= 72
    # scrolled sideways, the actor column still covers the cells that slide under it
    covered = page.execute_script(
        """
        const scroller = document.querySelector('.scroll');
        scroller.scrollLeft = 600;
        const rows = [...document.querySelectorAll('table.matrix tbody th[scope=row]')];
        const visible = rows.filter((th) => th.getBoundingClientRect().bottom < innerHeight);
        return visible.map((th) => {
          const r = th.getBoundingClientRect();
          const points = [[r.left + 4, r.top + r.height / 2], [r.right - 4, r.top + r.height / 2]];
          return points.every(([x, y]) => th.contains(document.elementFromPoint(x, y)));
        });
        """
    )
    assert covered
    assert all(covered)
    background = page.execute_script(
        "return getComputedStyle(document.querySelector('table.matrix tbody th')).backgroundColor"
    )
    assert background == "rgb(255, 255, 255)"
    # a cell says its stance and direction in full to a screen reader and on hover
    button = page.find_element(By.CSS_SELECTOR, "table.matrix button.cell")
    assert (button.get_attribute("aria-label") or "").split(",")[0] in {
        c["stance"] for c in matrix["cells"]
    }


@pytest.mark.slow
def test_web_actor_page_shows_contradictions_and_positions_as_sentences(
    page: WebDriver, bundled_url: str
) -> None:
    with httpx.Client(base_url=bundled_url, timeout=10) as client:
        found = client.get("/actors/vladimir-putin/contradictions").json()["items"]
        positions = client.get("/actors/vladimir-putin/positions", params={"limit": 500}).json()
    topics = {c["topic"]["label"] for c in found}
    assert "Regime change in Ukraine" in topics  # the case, in the bundled articles
    page.get("about:blank")  # a load, not a same-document hash change after an earlier test
    page.get(bundled_url + "/#/actor/vladimir-putin")
    wait_for(page, "section.contradiction")
    wait_until(
        page,
        lambda d: all(
            c.text.startswith("“") for c in d.find_elements(By.CSS_SELECTOR, ".contradiction cite")
        ),
        "a contradiction's citation still shows a document id",
    )
    shown = page.find_elements(By.CSS_SELECTOR, "section.contradiction")
    assert [s.find_element(By.CSS_SELECTOR, "h3 a").text for s in shown] == [
        c["topic"]["label"] for c in found
    ]
    for section, item in zip(shown, found, strict=True):
        for side in ("for", "against"):
            rows = section.find_elements(By.CSS_SELECTOR, f".side-{side} li.position")
            expected = item[f"positions_{side}"]
            assert [r.find_element(By.CSS_SELECTOR, ".summary").text for r in rows] == [
                f"Vladimir Putin {p['summary']}" for p in expected
            ]
            # each side's positions with their sentence and citation
            assert [
                " ".join(r.find_element(By.CSS_SELECTOR, "blockquote").text.split()) for r in rows
            ] == [" ".join(p["sentence"]["text"].split()) for p in expected]
            assert all(
                f"characters {p['evidence']['start']}\u2013{p['evidence']['end']}" in r.text
                for r, p in zip(rows, expected, strict=True)
            )
    regime = next(s for s in shown if "Regime change" in s.text)
    assert "Vladimir Putin demands: regime change in Kyiv" in regime.text
    assert "Vladimir Putin demands: Ukraine keeps its elected government" in regime.text
    # every position reads as a sentence, with no direction word beside the verb
    sentences = [
        e.text for e in page.find_elements(By.CSS_SELECTOR, f"{POSITIONS_SECTION} .summary")
    ]
    assert sorted(sentences) == sorted(f"Vladimir Putin {p['summary']}" for p in positions["items"])
    assert not [t for t in sentences if "against" in t.split() or ", for" in t]
    page.execute_script(
        "document.querySelector('section[aria-label=Contradictions]').scrollIntoView({block:'start'})"
    )
