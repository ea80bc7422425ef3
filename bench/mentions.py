"""The article view's actor mentions: `GET /documents/{id}/mentions` against the SPARQL query the
page sent for them before (`POST /sparql`, answered by the query workers), same app, same store.

    .venv/bin/python bench/mentions.py [--triples 200000] [--rounds 100] [--documents 10]

The synthetic graph of `bench/graph.py` (generated and bulk-loaded on first use, cached in
build/bench/) is served by `create_app` through Starlette's TestClient (in-process: no socket,
the same routes, dependencies and worker pool as `kg serve`). Each round asks both for each of
`--documents` documents, alternating which goes first; the table gives the median and p90
latency of each and the ratio of the medians. Wall-clock on a shared machine: compare the ratio
within one run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from fastapi.testclient import TestClient

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.graph import (  # noqa: E402
    BASE_IRI,
    DEFAULT_OUT,
    generate,
    is_loaded,
    load_pyoxigraph,
)

#: The query web/static/js/views/document.js sent before /documents/{id}/mentions existed.
PAGE_QUERY = """PREFIX kg: <https://w3id.org/newskg/ns#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT DISTINCT ?mention ?key ?start ?end WHERE {
  ?doc kg:documentId "%s" .
  ?mention a kg:Mention ; kg:refersTo ?actor ; kg:evidence ?ev .
  ?ev oa:hasSource ?doc ; oa:hasSelector ?sel .
  ?sel oa:start ?start ; oa:end ?end .
  ?actor kg:actorKey ?key .
}"""


def _ms(seconds: list[float]) -> tuple[float, float]:
    ordered = sorted(seconds)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.9)] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--documents", type=int, default=10)
    args = parser.parse_args()

    from api.main import create_app
    from kg.config import Settings

    data = generate(args.triples)
    location = DEFAULT_OUT / f"store-{args.triples}"
    if not is_loaded(data, location):
        load_pyoxigraph(data, location)
    settings = Settings(store_path=location, base_iri=BASE_IRI)
    ids = [f"bench{n:06d}" for n in range(min(args.documents, data.articles))]
    rest: list[float] = []
    sparql: list[float] = []
    spans = 0
    with TestClient(create_app(settings)) as client:

        def get_rest(doc: str) -> int:
            started = time.perf_counter()
            response = client.get(f"/documents/{doc}/mentions")
            rest.append(time.perf_counter() - started)
            response.raise_for_status()
            return len(response.json())

        def get_sparql(doc: str) -> int:
            started = time.perf_counter()
            response = client.post(
                "/sparql",
                content=PAGE_QUERY % doc,
                headers={
                    "content-type": "application/sparql-query",
                    "accept": "application/sparql-results+json",
                },
            )
            sparql.append(time.perf_counter() - started)
            response.raise_for_status()
            return len(response.json()["results"]["bindings"])

        for doc in ids:  # warm-up, and both give the same spans
            if get_rest(doc) != get_sparql(doc):
                raise SystemExit(f"{doc}: the endpoint and the page's query disagree")
        rest.clear()
        sparql.clear()
        for round_ in range(args.rounds):
            for doc in ids:
                first, second = (get_rest, get_sparql) if round_ % 2 else (get_sparql, get_rest)
                spans += first(doc)
                second(doc)
    rest_median, rest_p90 = _ms(rest)
    sparql_median, sparql_p90 = _ms(sparql)
    print(
        f"{data.triples:,} triples, {data.articles:,} articles; {len(ids)} documents x "
        f"{args.rounds} rounds, {spans / (len(ids) * args.rounds):.1f} mentions per document\n"
        f"{'request':<40} {'median ms':>10} {'p90 ms':>8}\n"
        f"{'GET /documents/{id}/mentions':<40} {rest_median:>10.2f} {rest_p90:>8.2f}\n"
        f"{'POST /sparql (the page query before)':<40} {sparql_median:>10.2f} {sparql_p90:>8.2f}\n"
        f"ratio of medians (REST / SPARQL): {rest_median / sparql_median:.2f}"
    )


if __name__ == "__main__":
    main()
