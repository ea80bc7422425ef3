"""The OpenAPI document is complete: every operation has a summary, every parameter a
description, every success answer a schema and an example per media type, and every error
answer is documented as problem+json only (what the app sends)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

PROBLEM = "application/problem+json"


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
    ]


def test_openapi_every_operation_is_complete(api_client: TestClient) -> None:
    spec = api_client.get("/openapi.json").json()
    gaps: list[str] = []
    for method, path, operation in _operations(spec):
        where = f"{method} {path}"
        if not operation.get("summary"):
            gaps.append(f"{where}: no summary")
        for parameter in operation.get("parameters", []):
            if not parameter.get("description"):
                gaps.append(f"{where}: parameter {parameter['name']} has no description")
        successes = {s: r for s, r in operation["responses"].items() if s.startswith("2")}
        if not successes:
            gaps.append(f"{where}: no success answer")
        for status, answer in successes.items():
            for media, body in answer.get("content", {}).items():
                if "schema" not in body:
                    gaps.append(f"{where}: {status} {media} has no schema")
                if "example" not in body and "examples" not in body:
                    gaps.append(f"{where}: {status} {media} has no example")
        for status, answer in operation["responses"].items():
            if status[0] in "45" and set(answer.get("content", {})) != {PROBLEM}:
                gaps.append(f"{where}: {status} is not documented as problem+json only")
    assert gaps == []
    assert "Problem" in spec["components"]["schemas"]


def test_openapi_media_examples_are_this_codebase_s_output(api_client: TestClient) -> None:
    """The RDF and results examples are produced by the serialisers the routes use."""
    spec = api_client.get("/openapi.json").json()
    sparql = spec["paths"]["/sparql"]["get"]["responses"]["200"]["content"]
    rows = sparql["application/sparql-results+json"]["example"]["results"]["bindings"]
    assert [r["name"]["value"] for r in rows] == ["Kremlin", "Yuri Ushakov"]
    assert sparql["text/csv"]["example"].splitlines()[0] == "actor,name"
    turtle = spec["paths"]["/id/actor/{key}"]["get"]["responses"]["200"]["content"]["text/turtle"]
    assert "/id/actor/yuri-ushakov>" in turtle["example"]
    exports = spec["paths"]["/graph"]["get"]["responses"]["200"]["content"]
    assert set(exports["text/csv"]["examples"]) == {"csv-nodes", "csv-edges"}
    assert "<graphml" in exports["application/graphml+xml"]["examples"]["graphml"]["value"]
