"""Schemathesis over the OpenAPI schema of a real uvicorn server (sample store, a write token
configured and sent): for every operation, generated requests never get a server error, and
every answer has a documented status code and content type and conforms to the documented
schema. The number of examples per operation is bounded so the run stays short.

The operations are parametrized at collection time from the schema of an app built by the same
factory (`schemathesis.pytest.from_fixture`, which would load it from the server at run time,
needs a pytest internal that pytest 9 no longer has); a test checks that the server serves
exactly that schema."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from api.main import create_app
from kg.config import Settings
from tests.conftest import SAMPLE_BASE
from tests.utils.server import sample_server

pytestmark = pytest.mark.e2e

TOKEN = "schemathesis-write-token"  # noqa: S105 - the test server's own token


@schemathesis.serializer("application/sparql-query", "application/sparql-update")
def _sparql_text(ctx: schemathesis.SerializationContext, value: Any) -> bytes:
    """The SPARQL Protocol's own body types are the query or update text itself."""
    del ctx
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _settings(folder: Path) -> Settings:
    return Settings(store_path=folder / "store", base_iri=SAMPLE_BASE, write_token=TOKEN)


OPENAPI = create_app(_settings(Path("unused"))).openapi()  # the store is never opened
schema = schemathesis.openapi.from_dict(OPENAPI)


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with sample_server(tmp_path_factory.mktemp("schemathesis"), write_token=TOKEN) as url:
        yield url


def test_schemathesis_schema_is_the_servers(server_url: str) -> None:
    assert httpx.get(f"{server_url}/openapi.json", timeout=10).json() == OPENAPI


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("KG_SCHEMATHESIS_EXAMPLES", "10")),  # deeper runs: raise it
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_schemathesis_api_conforms_to_its_openapi_schema(
    case: schemathesis.Case[Any], server_url: str, request: pytest.FixtureRequest
) -> None:
    case.call_and_validate(
        base_url=server_url,
        headers={"Authorization": f"Bearer {TOKEN}"},
        checks=CHECKS,
        allow_redirects=False,
        timeout=30,
    )
