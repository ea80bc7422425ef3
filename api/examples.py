"""OpenAPI examples of the read endpoints: invented, but in the exact shape the API answers
(tests/integration/test_api_filters.py validates each against its response model). FastAPI
drops null values from the OpenAPI document, examples included, so they avoid nulls."""

from __future__ import annotations

from typing import Any

from api.problems import PROBLEM_BASE, PROBLEM_MEDIA_TYPE, problem_doc

BASE = "http://127.0.0.1:8000/"
DOC = "kyiv-talks-0314"
DOC_IRI = f"{BASE}id/document/{DOC}"


def _actor(key: str, name: str, aliases: list[str]) -> dict[str, Any]:
    return {"id": key, "name": name, "aliases": aliases, "iri": f"{BASE}id/actor/{key}"}


LAVROV = _actor("sergei-lavrov", "Sergei Lavrov", ["Lavrov", "Russia's foreign minister"])
RUBIO = _actor("marco-rubio", "Marco Rubio", ["Rubio"])
GENEVA = _actor("geneva", "Geneva", ["Geneva"])


def _evidence(start: int, text: str) -> dict[str, Any]:
    return {"document": DOC, "start": start, "end": start + len(text), "text": text}


def page(*items: dict[str, Any], total: int | None = None) -> dict[str, Any]:
    return {"items": list(items), "total": len(items) if total is None else total}


ACTOR = {
    **LAVROV,
    "type": "Person",
    "wikidata": "http://www.wikidata.org/entity/Q80137",
    "roles": ["Russia's foreign minister"],
    "documents": [DOC],
}

POSITION = {
    "id": f"{DOC}/position/5b1e9c0d2a47",
    "actor": LAVROV,
    "stance": "rejects",
    "topic": {"id": "ceasefire", "label": "Ceasefire"},
    "direction": "against",
    "summary": "rejects: a ceasefire",
    "target": _actor("united-states", "United States", ["Washington"]),
    "reported_by": _actor("tass", "TASS", ["TASS"]),
    "hedged": False,
    "evidence": _evidence(
        212, "Lavrov dismissed Washington's proposal for a 30-day truce, TASS reported."
    ),
    "date": {
        "value": "2025-03-14",
        "precision": "day",
        "start": "2025-03-14",
        "end": "2025-03-14",
        "basis": "published",
        "text": None,
    },
    "confidence": 0.8,
    "document": DOC,
    "iri": f"{DOC_IRI}/position/5b1e9c0d2a47",
}

POSITION_FOR = {
    **POSITION,
    "id": f"{DOC}/position/0c4d7e21f9a3",
    "stance": "supports",
    "direction": "for",
    "summary": "supports: a ceasefire",
    "target": None,
    "reported_by": None,
    "evidence": _evidence(96, "Lavrov said Moscow backs a ceasefire in the Black Sea."),
    "iri": f"{DOC_IRI}/position/0c4d7e21f9a3",
}
CONTRADICTIONS = {
    "actor": LAVROV,
    "items": [
        {
            "actor": LAVROV,
            "topic": POSITION["topic"],
            "family": "wants",
            "positions_for": [POSITION_FOR],
            "positions_against": [POSITION],
        }
    ],
    "total": 1,
}

EVENT = {
    "id": f"{DOC}/event/9f3a61c2b8d0",
    "type": "meeting",
    "participants": [
        {**RUBIO, "role": "participant"},
        {**LAVROV, "role": "agent"},
    ],
    "place": GENEVA,
    "time": "on Friday",
    "date": {
        "value": "2025-03-14",
        "precision": "day",
        "start": "2025-03-14",
        "end": "2025-03-14",
        "basis": "text",
        "text": {"start": 27, "end": 36, "text": "on Friday"},
    },
    "status": "happened",
    "evidence": _evidence(0, "Lavrov met Rubio in Geneva on Friday."),
    "confidence": 0.7,
    "document": DOC,
    "iri": f"{DOC_IRI}/event/9f3a61c2b8d0",
}

QUOTE = {
    "id": f"{DOC}/quote/96-141",
    "speaker": LAVROV,
    "text": "We are not talking about a pause in fighting.",
    "evidence": _evidence(96, "We are not talking about a pause in fighting."),
    "confidence": 0.9,
    "document": DOC,
    "iri": f"{DOC_IRI}/quote/96-141",
}

DOCUMENT = {
    "id": DOC,
    "file": f"{DOC}.txt",
    "title": "Lavrov and Rubio meet in Geneva",
    "display_title": "Lavrov and Rubio meet in Geneva",
    "url": "https://news.example/2025/03/14/geneva",
    "outlet": "Example News",
    "author": "A. Reporter",
    "published": "2025-03-14",
    "iri": DOC_IRI,
    "content_hash": "5d41402abc4b2a76b9719d911017c592ae1e6f4b0d2e8a3c7f9b1e2d4c6a8f0e",
}
DOCUMENT_DETAIL = {
    **DOCUMENT,
    "actors": [{**LAVROV, "type": "Person"}, {**RUBIO, "type": "Person"}],
}
DOCUMENT_TEXT = "Lavrov met Rubio in Geneva on Friday. …"
MENTION = {
    "id": f"{DOC}/mention/0-6",
    "actor": {**LAVROV, "type": "Person"},
    "evidence": _evidence(0, "Lavrov"),
    "iri": f"{DOC_IRI}/mention/0-6",
}

HEALTH = {"status": "ok", "graphs": 7}
STATS = {
    "documents": 5,
    "actors": 84,
    "events": 61,
    "positions": 143,
    "quotes": 37,
    "graphs": 7,
    "triples": 48210,
}


#: A JSON body example: an object, or an array of them (`/documents/{id}/mentions`).
JSONExample = dict[str, Any] | list[dict[str, Any]]


def with_paging(body: dict[str, Any], limit: int = 100, offset: int = 0) -> dict[str, Any]:
    return {**body, "limit": limit, "offset": offset}


def ok(example: JSONExample, description: str = "Successful Response") -> dict[str, Any]:
    """An OpenAPI 200 entry with one JSON example."""
    return {"description": description, "content": {"application/json": {"example": example}}}


def problem(
    status: int, code: str, title: str, description: str, detail: str, instance: str
) -> dict[str, Any]:
    """An OpenAPI problem+json entry (the `Problem` schema) with one example; without
    `problem_doc`'s `model`, which would also list an application/json body never sent."""
    entry = {k: v for k, v in problem_doc(description).items() if k != "model"}
    example: dict[str, Any] = {
        "type": PROBLEM_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if status == 422:
        parameter, _, message = detail.partition(": ")
        example["errors"] = [{"parameter": parameter, "message": message}]
    media = entry["content"][PROBLEM_MEDIA_TYPE]
    entry["content"] = {PROBLEM_MEDIA_TYPE: {**media, "example": example}}
    return entry


def list_responses(path: str, example: JSONExample) -> dict[int | str, dict[str, Any]]:
    """200 with `example`, 422 for a bad parameter, 503 without a store."""
    return {
        200: ok(example),
        422: problem(
            422,
            "invalid-parameter",
            "Invalid request parameter",
            "A parameter is invalid; `detail` and `errors` name it (problem+json)",
            "limit: Input should be less than or equal to 500"
            if "{" not in path
            else path.split("{", 1)[1].split("}", 1)[0] + ": String should have at most 200"
            " characters",
            path,
        ),
        503: STORE_DOWN,
    }


STORE_DOWN = problem(
    503,
    "store",
    "Store unavailable",
    "The store is unavailable (problem+json)",
    "the store is not open (the app is starting or stopping)",
    "/health",
)


def document_responses(path: str, example: JSONExample) -> dict[int | str, dict[str, Any]]:
    """`list_responses` plus 404 for an unknown document id in the path."""
    return {
        **list_responses(path, example),
        404: problem(
            404,
            "not-found",
            "Not found",
            "No document has this id (problem+json)",
            "no document with id 'nothing'; list them at /documents",
            path.replace("{document_id}", "nothing"),
        ),
    }


def actor_responses(path: str, example: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    """`list_responses` plus 404 for an unknown actor id in the path."""
    return {
        **list_responses(path, example),
        404: problem(
            404,
            "not-found",
            "Not found",
            "No actor has this id (problem+json)",
            "no actor with id 'nobody'; search them at /actors?q=",
            path.replace("{actor_id}", "nobody"),
        ),
    }
