"""Strict REST parameters: a misspelt filter must not widen the answer to everything.

    refuse_unknown_parameters(request)        a FastAPI dependency for the REST routers

An unknown query parameter (`/positions?holder=…`) is a 422 `invalid-parameter` problem naming
it and the endpoint's parameters; the reads use `closest` (`kg.read.suggest`) when a filter id
names nothing (`actor=putin` suggests `vladimir-putin`). The SPARQL endpoint is not strict: the
protocol lets clients send parameters of their own (SPARQLWrapper adds `output` and `results`).

>>> closest("zelensky", {"volodymyr-zelenskyy": ["Volodymyr Zelenskyy"], "kremlin": ["Kremlin"]})
['volodymyr-zelenskyy']
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from kg.errors import InvalidParameterError
from kg.read.suggest import closest

__all__ = ["STRICT", "closest", "declared_parameters", "refuse_unknown_parameters"]

_declared: dict[int, frozenset[str]] = {}


def _query_names(dependant: Dependant) -> Iterable[str]:
    yield from (field.alias for field in dependant.query_params)
    for sub in dependant.dependencies:
        yield from _query_names(sub)


def declared_parameters(route: APIRoute) -> frozenset[str]:
    """The query parameters `route` takes: its own, its dependencies', and those it declares in
    `openapi_extra` because it reads them from the raw request."""
    found = _declared.get(id(route))
    if found is None:
        names = set(_query_names(route.dependant))
        extra = (route.openapi_extra or {}).get("parameters", [])
        names |= {p["name"] for p in extra if p.get("in") == "query"}
        found = _declared[id(route)] = frozenset(names)
    return found


async def refuse_unknown_parameters(request: Request) -> None:
    """Refuse a query parameter the matched route does not take.

    Raises:
        InvalidParameterError: a parameter is unknown (422, the first unknown one named, with
            the closest parameter names as `suggestions`).
    """
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    allowed = declared_parameters(route)
    for name in dict.fromkeys(request.query_params.keys()):
        if name in allowed:
            continue
        suggestions = difflib.get_close_matches(name, sorted(allowed), n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(suggestions)}?" if suggestions else "."
        takes = ", ".join(sorted(allowed)) if allowed else "no query parameters"
        raise InvalidParameterError(
            name,
            f"{request.url.path} has no parameter {name!r}{hint} It takes: {takes}",
            suggestions=suggestions,
        )


#: `APIRouter(dependencies=STRICT)`: the REST routers refuse unknown query parameters.
STRICT = [Depends(refuse_unknown_parameters)]
