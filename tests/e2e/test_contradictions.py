"""Contradictions on the bundled articles, through the real `kg` CLI and a real uvicorn server.

The store is built once by `kg build` (the real pipeline); the expected contradictions come from
a SPARQL query written here (stance families spelled out by hand), so the report, REST and the
query check one another.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from api.main import create_app
from kg.config import Settings
from tests.e2e.test_cli import ARTICLES, kg
from tests.e2e.test_server import ThreadedServer, free_port

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

# Per holder key, topic id and stance family: the directions the articles give it.
DIRECTIONS = """PREFIX kg: <https://w3id.org/newskg/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX stance: <https://w3id.org/newskg/stance/>
SELECT DISTINCT ?key ?topic ?family ?dir WHERE {
  GRAPH ?g { ?p a kg:Position ; kg:holder ?h ; kg:stance ?s ; kg:topic ?t ; kg:direction ?d }
  VALUES (?s ?family) {
    (stance:demands "wants") (stance:proposes "wants") (stance:supports "wants")
    (stance:opposes "wants") (stance:rejects "wants")
    (stance:threatens "threatens") (stance:claims "claims")
  }
  ?h kg:actorKey ?key . ?t skos:notation ?topic . ?d skos:notation ?dir .
  FILTER(?dir IN ("for", "against"))
}"""
FAMILY_WORDS = {
    "what it wants": "wants",
    "what it threatens": "threatens",
    "what it claims": "claims",
}
HEADER = re.compile(
    r"^  (?P<name>.+) \((?P<key>[^()]+)\) on (?P<topic>.+), (?P<family>what it \w+):$"
)
SIDE = re.compile(r"^    (?P<side>for|against) +(?P<summary>\S.*)$")


@dataclass(frozen=True)
class Built:
    store: Path
    validate: subprocess.CompletedProcess[str]
    expected: set[tuple[str, str, str]]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The bundled articles built, validated and queried by the CLI (before the server takes
    the store's lock)."""
    path = tmp_path_factory.mktemp("contradictions") / "store"
    result = kg(path, "build", str(ARTICLES))
    assert result.returncode == 0, result.stderr
    return Built(path, kg(path, "validate"), _expected(path))


@pytest.fixture(scope="module")
def server(built: Built) -> Iterator[httpx.Client]:
    port = free_port()
    app = create_app(Settings(store_path=built.store, query_workers=0))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    with (
        ThreadedServer(config).running(),
        httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client,
    ):
        yield client


def _expected(store: Path) -> set[tuple[str, str, str]]:
    result = kg(store, "query", DIRECTIONS, "--format", "csv")
    assert result.returncode == 0, result.stderr
    seen: dict[tuple[str, str, str], set[str]] = {}
    for row in csv.DictReader(io.StringIO(result.stdout)):
        seen.setdefault((row["key"], row["topic"], row["family"]), set()).add(row["dir"])
    return {group for group, directions in seen.items() if directions == {"for", "against"}}


def _report(stdout: str) -> dict[tuple[str, str, str], list[tuple[str, str]]]:
    """The contradictions section of `kg validate`: (key, topic label, family) -> sides."""
    found: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] = []
    for line in stdout.splitlines():
        if header := HEADER.match(line):
            group = (header["key"], header["topic"], FAMILY_WORDS[header["family"]])
            current = found.setdefault(group, [])
        elif side := SIDE.match(line):
            current.append((side["side"], side["summary"]))
    return found


def test_contradictions_validate_reports_them_and_still_exits_0(
    built: Built, server: httpx.Client
) -> None:
    result = built.validate
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "5 of 5 article graphs conform"
    report = _report(result.stdout)
    labels = {
        t["id"]: t["label"] for t in server.get("/topics", params={"limit": 500}).json()["items"]
    }
    expected = {(key, labels[topic], family) for key, topic, family in built.expected}
    # the case: Putin demands regime change in Ukraine, and demands that it not happen
    assert ("vladimir-putin", "Regime change in Ukraine", "wants") in expected
    assert set(report) == expected
    assert f"{len(expected)} contradictions (facts of the articles" in result.stdout
    regime = report[("vladimir-putin", "Regime change in Ukraine", "wants")]
    assert {side for side, _ in regime} == {"for", "against"}
    assert all(summary.startswith("demands: ") for _, summary in regime)


def test_contradictions_rest_matches_the_validate_report(
    built: Built, server: httpx.Client
) -> None:
    report = _report(built.validate.stdout)
    keys = sorted({key for key, _, _ in report})
    assert keys
    from_rest: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for key in keys:
        answer = server.get(f"/actors/{key}/contradictions")
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["total"] == len(body["items"]) > 0
        for item in body["items"]:
            sides = [("for", p) for p in item["positions_for"]]
            sides += [("against", p) for p in item["positions_against"]]
            for side, position in sides:
                assert position["actor"]["id"] == key
                assert position["topic"]["id"] == item["topic"]["id"]
                assert position["direction"] == side
                assert position["evidence"]["text"]
            group = (key, item["topic"]["label"], item["family"])
            from_rest[group] = [(side, p["summary"]) for side, p in sides]
    assert from_rest == report
    # an actor the report does not name has none
    assert server.get("/actors/donald-trump/contradictions").json()["items"] == []
