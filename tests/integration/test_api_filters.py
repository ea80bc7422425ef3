"""The read model's filters at the query level (api/queries.py) and the OpenAPI description of
the read endpoints: a constant number of store queries per page, the document filters, the date
rule, and complete, valid examples."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from api import queries
from api.queries import DateRange
from api.schemas import Actor, Event, Health, Page, Position, Quote, Stats
from kg.errors import InputError, NotFoundError
from kg.store import OxigraphStore
from tests.conftest import SAMPLE_BASE

MY_PATHS: dict[str, type[BaseModel]] = {
    "/actors": Page[Actor],
    "/actors/{actor_id}": Actor,
    "/actors/{actor_id}/positions": Page[Position],
    "/actors/{actor_id}/events": Page[Event],
    "/actors/{actor_id}/quotes": Page[Quote],
    "/positions": Page[Position],
    "/events": Page[Event],
    "/quotes": Page[Quote],
    "/health": Health,
    "/stats": Stats,
}


def counting(store: OxigraphStore, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every query the read model sends to `store`."""
    sent: list[str] = []
    original: Callable[..., Any] = store.query

    def query(sparql: str, *args: Any, **kwargs: Any) -> Any:
        sent.append(sparql)
        return original(sparql, *args, **kwargs)

    monkeypatch.setattr(store, "query", query)
    return sent


@pytest.mark.parametrize(
    ("lister", "filters"),
    [
        (queries.list_positions, {}),
        (queries.list_positions, {"q": "zelenskyy"}),
        (queries.list_positions, {"dates": DateRange(date(2025, 3, 1), None)}),
        (queries.list_events, {"q": "putin", "dates": DateRange(None, date(2025, 3, 31))}),
        (queries.list_events, {"actor": "vladimir-putin"}),
        (queries.list_quotes, {"q": "a"}),
    ],
)
def test_api_filters_send_as_many_queries_for_one_item_as_for_all(
    sample_store: OxigraphStore,
    monkeypatch: pytest.MonkeyPatch,
    lister: Callable[..., Page[Any]],
    filters: dict[str, Any],
) -> None:
    lister(sample_store, limit=1, offset=0, **filters)  # the document list is read once, then kept
    sent = counting(sample_store, monkeypatch)
    everything = lister(sample_store, limit=500, offset=0, **filters)
    assert len(everything.items) >= 2, "the case must page over several items"
    for_all = len(sent)
    sent.clear()
    assert lister(sample_store, limit=1, offset=0, **filters).items == everything.items[:1]
    assert len(sent) == for_all


@pytest.mark.parametrize(
    ("q", "dates", "expected"),
    [
        (None, DateRange(), ["alpha", "beta"]),
        ("national POST", DateRange(), ["alpha", "beta"]),  # the outlet
        ("tara", DateRange(), ["alpha"]),  # the author
        ("kyiv rejects", DateRange(), ["beta"]),  # the title
        ("  ", DateRange(), ["alpha", "beta"]),  # blank: no filter
        (None, DateRange(date(2025, 3, 13), None), ["beta"]),
        (None, DateRange(None, date(2025, 3, 12)), ["alpha"]),
        ("post", DateRange(date(2025, 3, 12), date(2025, 3, 12)), ["alpha"]),
        (None, DateRange(date(2026, 1, 1), None), []),
    ],
)
def test_api_filters_documents(
    sample_store: OxigraphStore, q: str | None, dates: DateRange, expected: list[str]
) -> None:
    page = queries.list_documents(sample_store, q=q, dates=dates, limit=100, offset=0)
    assert [d.id for d in page.items] == expected
    assert page.total == len(expected)
    second = queries.list_documents(sample_store, q=q, dates=dates, limit=1, offset=1)
    assert [d.id for d in second.items] == expected[1:2]
    assert second.total == len(expected)


@pytest.mark.parametrize(
    ("value", "inside"),
    [
        ("2025-03-12", True),
        ("2025-03-31", True),
        ("2025-03-31T23:59:00Z", True),
        ("2025-04-01", False),
        ("2025-02-28", False),
        (None, False),
        ("", False),
        ("March 2025", False),
    ],
)
def test_api_filters_date_range_is_inclusive(value: str | None, inside: bool) -> None:
    assert DateRange(date(2025, 3, 12), date(2025, 3, 31)).holds(value) is inside


def test_api_filters_date_range_refuses_end_before_start() -> None:
    with pytest.raises(InputError, match=r"^to: "):
        DateRange(date(2025, 3, 2), date(2025, 3, 1))


def test_api_filters_list_positions_keeps_its_keyword_signature(
    sample_store: OxigraphStore,
) -> None:
    page = queries.list_positions(
        sample_store, document=None, actor="vladimir-putin", topic=None, limit=10, offset=0
    )
    assert [p.actor.id for p in page.items] == ["vladimir-putin"]


def test_api_openapi_read_routes_are_documented(api_client: TestClient) -> None:
    spec = api_client.get("/openapi.json").json()
    for path, model in MY_PATHS.items():
        operation = spec["paths"][path]["get"]
        assert operation["summary"], path
        assert len(operation["description"]) > 40, path
        for parameter in operation.get("parameters", []):
            assert parameter.get("description"), (path, parameter["name"])
        responses = operation["responses"]
        assert "200" in responses, path
        for status, response in responses.items():
            (media,) = response["content"]
            assert "example" in response["content"][media], (path, status)
            if status != "200":
                assert media == "application/problem+json", (path, status)
        example = responses["200"]["content"]["application/json"]["example"]
        model.model_validate(example)  # the example is a valid answer
    for path in ("/actors/{actor_id}/positions", "/actors/{actor_id}/events"):
        assert "404" in spec["paths"][path]["get"]["responses"], path
    names = {p["name"] for p in spec["paths"]["/events"]["get"]["parameters"]}
    assert names == {"limit", "offset", "from", "to", "document", "type", "actor", "q"}


def test_api_document_list_is_kept_until_the_next_write(
    sample_store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = queries.list_documents(sample_store, limit=10, offset=0)
    sent = counting(sample_store, monkeypatch)
    assert queries.list_documents(sample_store, limit=10, offset=0) == first
    assert not any("kg:documentId ?docId" in q for q in sent)  # answered from the kept list
    removed = first.items[0]
    assert sample_store.remove_graph(f"{SAMPLE_BASE}graph/{removed.id}")
    after = queries.list_documents(sample_store, limit=10, offset=0)
    assert [d.id for d in after.items] == [d.id for d in first.items[1:]]
    with pytest.raises(NotFoundError):
        queries.get_document(sample_store, removed.id)
