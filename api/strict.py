"""Strict REST parameters: a misspelt filter must not widen the answer to everything.

    refuse_unknown_parameters(request)        a FastAPI dependency for the REST routers
    closest(wanted, names) -> list[str]       the valid ids or names a typo probably meant

An unknown query parameter (`/positions?holder=…`) is a 422 `invalid-parameter` problem naming
it and the endpoint's parameters; `api.queries` uses `closest` when a filter id names nothing
(`actor=putin` suggests `vladimir-putin`). The SPARQL endpoint is not strict: the protocol lets
clients send parameters of their own (SPARQLWrapper adds `output` and `results`).
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from kg.errors import InvalidParameterError

_declared: dict[int, frozenset[str]] = {}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


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


def closest(wanted: str, names: Mapping[str, Iterable[str]], *, n: int = 5) -> list[str]:
    """The ids (keys of `names`) `wanted` most probably meant, best first.

    An id matches when, ignoring case and accents, it or one of its labels equals `wanted`,
    contains it, or is close to it (difflib); `names` maps each id to its labels.

    >>> closest("putin", {"vladimir-putin": ["Vladimir Putin"], "kremlin": ["Kremlin"]})
    ['vladimir-putin']
    >>> closest("Ceasefire", {"ceasefire": ["Ceasefire"], "sanctions": ["Sanctions"]})
    ['ceasefire']
    >>> closest("sanktions", {"ceasefire": [], "sanctions": []})
    ['sanctions']
    """
    needle = _fold(wanted).strip()
    if not needle:
        return []
    forms = {
        key: [_fold(key), *(_fold(label) for label in labels)] for key, labels in names.items()
    }
    exact = [key for key, texts in forms.items() if needle in texts]
    within = [key for key, texts in forms.items() if any(needle in t for t in texts)]
    by_form: dict[str, list[str]] = {}
    for key, texts in forms.items():
        for text in texts:
            by_form.setdefault(text, []).append(key)
    near = difflib.get_close_matches(needle, list(by_form), n=n, cutoff=0.6)
    ordered = exact + sorted(within, key=len) + [k for text in near for k in by_form[text]]
    return list(dict.fromkeys(ordered))[:n]


def refuse_unknown_parameters(request: Request) -> None:
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
