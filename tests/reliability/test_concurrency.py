"""50 concurrent readers (SPARQL and REST) while articles are deleted and posted again, through
a real uvicorn server on an on-disk store with a /sparql worker: zero errors, and no reader ever
sees half an article (every count of a document is its full count, or the document is absent).
"""

from __future__ import annotations

import json
import random
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from itertools import combinations
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.reliability.support import (
    BASE,
    FIXTURE_ARTICLES,
    SEED_ARTICLES,
    TOKEN,
    build_store,
    serve,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

READERS = 50
WRITE_CYCLES = 3
KINDS = ("positions", "events", "quotes")
PERMANENT, *TOGGLED = SEED_ARTICLES
GRAPH_TRIPLES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
KIND_COUNTS = """PREFIX kg: <https://w3id.org/newskg/ns#>
SELECT ?id ?what (COUNT(DISTINCT ?x) AS ?n) WHERE { GRAPH ?g {
  ?doc kg:documentId ?id .
  { ?x a kg:Position BIND("positions" AS ?what) } UNION { ?x a kg:Quote BIND("quotes" AS ?what) }
} } GROUP BY ?id ?what"""


def _posted(doc_id: str) -> dict[str, Any]:
    """The JSON body that posts the fixture article `doc_id` under its own id."""
    text = (FIXTURE_ARTICLES / f"{doc_id}.txt").read_text(encoding="utf-8")
    meta = json.loads((FIXTURE_ARTICLES / f"{doc_id}.txt.meta.json").read_text(encoding="utf-8"))
    return {"text": text, "id": doc_id, **{k: v for k, v in meta.items() if v is not None}}


def _bindings(response: httpx.Response) -> list[dict[str, str]]:
    rows = response.json()["results"]["bindings"]
    return [{k: v["value"] for k, v in row.items()} for row in rows]


class Expected:
    """The full counts of each article, measured on the quiet server."""

    def __init__(self, client: httpx.Client) -> None:
        self.kinds: dict[str, dict[str, int]] = {}
        for doc in SEED_ARTICLES:
            self.kinds[doc] = {}
            for kind in KINDS:
                page = client.get(f"/{kind}", params={"document": doc, "limit": 500}).json()
                assert page["total"] == len(page["items"])
                self.kinds[doc][kind] = page["total"]
        assert self.kinds[PERMANENT]["positions"] > 0
        assert all(self.kinds[doc]["positions"] > 0 for doc in TOGGLED)
        rows = _bindings(client.get("/sparql", params={"query": GRAPH_TRIPLES}))
        self.triples = {
            row["g"]: int(row["n"])
            for row in rows
            if row["g"].removeprefix(f"{BASE}graph/") in SEED_ARTICLES
        }
        assert len(self.triples) == len(SEED_ARTICLES)
        self.states: Counter[str] = Counter()
        """How often a reader saw a coming-and-going article present or absent."""
        self._lock = threading.Lock()
        self.position_sums = {
            sum(self.kinds[d]["positions"] for d in (PERMANENT, *subset))
            for n in range(len(TOGGLED) + 1)
            for subset in combinations(TOGGLED, n)
        }

    def saw(self, doc: str, present: bool) -> None:
        if doc != PERMANENT:
            with self._lock:
                self.states["present" if present else "absent"] += 1


def _check_graph_triples(client: httpx.Client, expected: Expected, _: random.Random) -> None:
    response = client.get("/sparql", params={"query": GRAPH_TRIPLES})
    assert response.status_code == 200, response.text
    seen = {row["g"]: int(row["n"]) for row in _bindings(response)}
    for graph, triples in expected.triples.items():
        assert seen.get(graph, triples) == triples, (graph, seen.get(graph), triples)
        expected.saw(graph.removeprefix(f"{BASE}graph/"), graph in seen)
    assert f"{BASE}graph/{PERMANENT}" in seen


def _check_kind_counts(client: httpx.Client, expected: Expected, _: random.Random) -> None:
    response = client.post("/sparql", data={"query": KIND_COUNTS})
    assert response.status_code == 200, response.text
    seen: dict[str, dict[str, int]] = {}
    for row in _bindings(response):
        seen.setdefault(row["id"], {})[row["what"]] = int(row["n"])
    for doc, counts in seen.items():
        for kind in ("positions", "quotes"):
            assert counts.get(kind, 0) == expected.kinds[doc][kind], (doc, kind, counts)
    assert PERMANENT in seen


def _check_rest_list(client: httpx.Client, expected: Expected, rng: random.Random) -> None:
    doc, kind = rng.choice(SEED_ARTICLES), rng.choice(KINDS)
    response = client.get(f"/{kind}", params={"document": doc, "limit": 500})
    full = expected.kinds[doc][kind]
    if response.status_code == 422 and doc != PERMANENT:  # removed: its id names nothing
        assert response.json()["errors"][0]["parameter"] == "document", response.text
        if full:
            expected.saw(doc, False)
        return
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["total"] in ({full} if doc == PERMANENT else {0, full}), (doc, kind, page["total"])
    assert len(page["items"]) == page["total"], (doc, kind, page["total"], len(page["items"]))
    if full:
        expected.saw(doc, page["total"] > 0)
    for item in page["items"]:
        assert item["document"] == doc
        assert item["evidence"]["text"], item  # every statement carries its span


def _check_stats(client: httpx.Client, expected: Expected, _: random.Random) -> None:
    response = client.get("/stats")
    assert response.status_code == 200, response.text
    stats = response.json()
    assert 1 <= stats["documents"] <= len(SEED_ARTICLES)
    assert stats["positions"] in expected.position_sums, stats


def _check_document(client: httpx.Client, _: Expected, rng: random.Random) -> None:
    doc = rng.choice(SEED_ARTICLES)
    response = client.get(f"/documents/{doc}")
    assert response.status_code in ((200,) if doc == PERMANENT else (200, 404)), response.text
    if response.status_code == 200:
        assert response.json()["actors"], doc


CHECKS: list[Callable[[httpx.Client, Expected, random.Random], None]] = [
    _check_graph_triples,
    _check_kind_counts,
    _check_rest_list,
    _check_rest_list,
    _check_stats,
    _check_document,
]


def test_concurrency_readers_never_see_half_an_article(tmp_path: Path, real_nlp: Any) -> None:
    store = build_store(tmp_path / "store", real_nlp)
    auth = {"authorization": f"Bearer {TOKEN}"}
    with (
        serve(store, real_nlp, write_token=TOKEN, query_workers=1, query_timeout=60) as (url, _),
        httpx.Client(base_url=url, timeout=120) as writer,
    ):
        # the articles that come and go are posted once first, so every state is a POST's
        for doc in TOGGLED:
            assert writer.delete(f"/documents/{doc}", headers=auth).status_code == 204
            assert writer.post("/documents", json=_posted(doc), headers=auth).status_code == 201
        expected = Expected(writer)

        done = threading.Event()
        writes: Counter[str] = Counter()
        ran: Counter[str] = Counter()

        def write() -> None:
            try:
                for _ in range(WRITE_CYCLES):
                    for doc in TOGGLED:
                        removed = writer.delete(f"/documents/{doc}", headers=auth)
                        assert removed.status_code == 204, removed.text
                        writes["delete"] += 1
                        added = writer.post("/documents", json=_posted(doc), headers=auth)
                        assert added.status_code == 201, added.text
                        assert (
                            added.json()["counts"]["positions"]
                            == (expected.kinds[doc]["positions"])
                        )
                        writes["post"] += 1
            finally:
                done.set()

        def read(seed: int) -> int:
            rng = random.Random(seed)  # noqa: S311 - picks requests, not secrets
            count = 0
            with httpx.Client(base_url=url, timeout=120) as client:
                while count < 3 or not done.is_set():
                    check = rng.choice(CHECKS)
                    check(client, expected, rng)
                    ran[check.__name__] += 1
                    count += 1
            return count

        with ThreadPoolExecutor(max_workers=READERS + 1) as pool:
            wrote = pool.submit(write)
            reads = [pool.submit(read, seed) for seed in range(READERS)]
            wrote.result()
            total = sum(future.result() for future in reads)  # re-raises a reader's failure

    assert writes == {"delete": WRITE_CYCLES * len(TOGGLED), "post": WRITE_CYCLES * len(TOGGLED)}
    assert total >= READERS * 3
    assert set(ran) == {check.__name__ for check in CHECKS}, ran
    # the reads really overlapped the writes: the articles were seen both stored and gone
    assert expected.states["present"] > 0, expected.states
    assert expected.states["absent"] > 0, expected.states
