"""The SPARQL clients people use, with their default settings, against a real newskg server.

SPARQLWrapper sends `format` (and `output`, `results`) beside its Accept header, sometimes twice
with different spellings (`format=json-ld&format=application/ld+json`), and puts them in the
form body when it POSTs; rdflib's `SPARQLStore` negotiates by Accept only. Each client runs
every query form (SELECT, ASK, CONSTRUCT, DESCRIBE) in every return format it offers for that
form, over GET and POST, and its converted answer must equal what pyoxigraph answers over the
same data (tests/fixtures/sample.trig, union default graph) without HTTP.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any
from xml.dom.minidom import Document

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)

from kg.store import OxigraphStore
from tests.conftest import load_trig
from tests.utils.server import sample_server

pytestmark = [
    pytest.mark.e2e,
    # rdflib 7 deprecations inside the clients' own conversion code (SPARQLWrapper builds a
    # ConjunctiveGraph; rdflib's N3 and JSON-LD parsers set Dataset.default_context)
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
]

PREFIX = "PREFIX kg: <https://w3id.org/newskg/ns#>\n"
SELECT = PREFIX + "SELECT ?id WHERE { ?d kg:documentId ?id } ORDER BY ?id"
ASK = PREFIX + 'ASK { ?d kg:documentId "alpha" }'
CONSTRUCT = (
    PREFIX + "CONSTRUCT { ?d kg:documentId ?id ; a kg:Document } WHERE { ?d kg:documentId ?id }"
)
DESCRIBE = "DESCRIBE <http://127.0.0.1:8000/id/document/alpha>"
GRAPH_QUERIES = {"CONSTRUCT": CONSTRUCT, "DESCRIBE": DESCRIBE}
DOCUMENT_IDS = ["alpha", "beta"]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with sample_server(tmp_path_factory.mktemp("sparql-clients")) as url:
        yield url + "/sparql"


@pytest.fixture(scope="module")
def local() -> OxigraphStore:
    """The same data without HTTP: the expected answers."""
    store = OxigraphStore()
    load_trig(store)
    return store


def expected_graph(store: OxigraphStore, query: str) -> Graph:
    answer = store.query(query, use_default_graph_as_union=True)
    assert isinstance(answer, ox.QueryTriples)
    ntriples = answer.serialize(format=ox.RdfFormat.N_TRIPLES) or b""
    return Graph().parse(data=ntriples, format="nt")


def wrapper(endpoint: str, query: str, return_format: str, method: str) -> Any:
    """SPARQLWrapper with its defaults (`format` parameters sent, no `onlyConneg`)."""
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(return_format)
    client.setMethod(method)
    return client.queryAndConvert()


def table(converted: Any, return_format: str) -> list[dict[str, str]]:
    """SELECT rows (or an ASK boolean, as one row) from SPARQLWrapper's converted answer."""
    if return_format == JSON:
        if "boolean" in converted:
            return [{"boolean": str(converted["boolean"]).lower()}]
        return [{k: v["value"] for k, v in b.items()} for b in converted["results"]["bindings"]]
    if return_format == XML:
        assert isinstance(converted, Document)
        booleans = converted.getElementsByTagName("boolean")
        if booleans:
            return [{"boolean": booleans[0].firstChild.data}]  # type: ignore[union-attr]
        return [
            {
                b.getAttribute("name"): b.getElementsByTagName("literal")[0].firstChild.data  # type: ignore[union-attr]
                for b in result.getElementsByTagName("binding")
            }
            for result in converted.getElementsByTagName("result")
        ]
    text = converted.decode("utf-8")
    delimiter = "," if return_format == CSV else "\t"
    rows = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    if return_format == TSV:  # TSV writes terms: "alpha", ?id
        rows = [{k.lstrip("?"): v.strip('"') for k, v in row.items()} for row in rows]
    return rows


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("return_format", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select(endpoint: str, return_format: str, method: str) -> None:
    converted = wrapper(endpoint, SELECT, return_format, method)
    assert [row["id"] for row in table(converted, return_format)] == DOCUMENT_IDS


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("return_format", [JSON, XML])
def test_sparqlwrapper_ask(endpoint: str, return_format: str, method: str) -> None:
    converted = wrapper(endpoint, ASK, return_format, method)
    assert table(converted, return_format) == [{"boolean": "true"}]


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("return_format", [CSV, TSV])
def test_sparqlwrapper_ask_tabular(endpoint: str, return_format: str, method: str) -> None:
    """The protocol allows CSV and TSV for ASK without defining them: one `true` cell."""
    converted = wrapper(endpoint, ASK, return_format, method)
    assert converted.decode("utf-8").split() == ["true"]


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("form", sorted(GRAPH_QUERIES))
@pytest.mark.parametrize("return_format", [TURTLE, N3, XML, RDFXML, JSONLD])
def test_sparqlwrapper_graph(
    endpoint: str, local: OxigraphStore, return_format: str, form: str, method: str
) -> None:
    query = GRAPH_QUERIES[form]
    converted = wrapper(endpoint, query, return_format, method)
    if isinstance(converted, bytes):  # TURTLE and N3: the raw answer
        converted = Graph().parse(data=converted, format="turtle")  # (the N3 answer is Turtle)
    assert isinstance(converted, Graph)
    expected = expected_graph(local, query)
    assert len(expected) > 1
    assert isomorphic(converted, expected)


def test_sparqlwrapper_jsonld_sends_format_twice(endpoint: str) -> None:
    """What issue 16 saw: a 406 for the repeated `format`; it is the case the fix is for."""
    client = SPARQLWrapper(endpoint)
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(JSONLD)
    request = client._createRequest()  # the URL the client would send
    assert request.full_url.count("format=") == 2
    response = client.query().response
    assert response.headers["Content-Type"].startswith("application/ld+json")
    assert "Warning" not in response.headers
    assert json.loads(response.read())


def sparqlstore(endpoint: str, return_format: str, method: str) -> Graph:
    return Graph(SPARQLStore(endpoint, returnFormat=return_format, method=method))


STORE_METHODS = ["GET", "POST", "POST_FORM"]


@pytest.mark.parametrize("method", STORE_METHODS)
@pytest.mark.parametrize("return_format", ["xml", "json", "csv", "tsv"])
def test_sparqlstore_select(endpoint: str, return_format: str, method: str) -> None:
    rows = sparqlstore(endpoint, return_format, method).query(SELECT)
    assert [str(row[0]) for row in rows] == DOCUMENT_IDS  # type: ignore[index]


@pytest.mark.parametrize("method", STORE_METHODS)
@pytest.mark.parametrize("return_format", ["xml", "json"])
def test_sparqlstore_ask(endpoint: str, return_format: str, method: str) -> None:
    assert sparqlstore(endpoint, return_format, method).query(ASK).askAnswer is True


@pytest.mark.parametrize("method", STORE_METHODS)
@pytest.mark.parametrize("form", sorted(GRAPH_QUERIES))
@pytest.mark.parametrize(
    "return_format", ["xml", "turtle", "n3", "nt", "json-ld", "application/rdf+xml"]
)
def test_sparqlstore_graph(
    endpoint: str, local: OxigraphStore, return_format: str, form: str, method: str
) -> None:
    query = GRAPH_QUERIES[form]
    answer = sparqlstore(endpoint, return_format, method).query(query).graph
    assert answer is not None
    expected = expected_graph(local, query)
    assert isomorphic(answer, expected)


def test_sparqlstore_reads_triples_through_select(endpoint: str) -> None:
    """`Graph(SPARQLStore).triples` is a SELECT the store writes itself."""
    remote = sparqlstore(endpoint, "xml", "GET")
    document_id = URIRef("https://w3id.org/newskg/ns#documentId")
    found = sorted(str(o) for _, _, o in remote.triples((None, document_id, None)))
    assert found == DOCUMENT_IDS
    assert remote.value(predicate=document_id, object=Literal("beta")) is not None
