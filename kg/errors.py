"""The errors newskg raises, one tree so callers can catch broadly or precisely.

    KGError                       .code, .title, .status; never raised directly
    ├── InputError                bad article or request input          → 422 (CLI exit 2)
    │   ├── InvalidParameterError a REST parameter unknown, or an id    → 422
    │   │                         that names nothing (`suggestions`)
    │   └── DuplicateArticleError same content already stored          → 200 (not a failure)
    ├── ExtractionError           the spaCy pipeline failed             → 500
    ├── MappingError              a record cannot become RDF            → 500
    ├── NonConformingGraphError   .report: the SHACL report             → 422 (CLI exit 1)
    ├── NotFoundError             unknown document, actor, topic…       → 404
    ├── QueryError                a bad SPARQL protocol request         → 400
    │   ├── QuerySyntaxError      the SPARQL parser's message           → 400
    │   ├── QueryEvaluationError  the engine failed while answering     → 400
    │   ├── RemoteAccessRefusedError  a SERVICE or LOAD not allowed     → 400
    │   ├── RemoteServiceError    an allowed SERVICE endpoint failed    → 502
    │   ├── QueryTimeoutError     KG_QUERY_TIMEOUT exceeded (cancelled) → 503
    │   ├── UnauthorizedError     an update without a bearer token      → 401
    │   ├── UpdateForbiddenError  updates disabled or a wrong token     → 403
    │   ├── NotAcceptableError    no answer format matches Accept       → 406
    │   └── UnsupportedMediaTypeError  a POST body of another type      → 415
    ├── InternalQueryError        a query hit a bug of ours (logged)    → 500
    ├── StoreError                the store cannot be opened or written → 503
    └── ClusterError              the Dask cluster of `kg build --cluster` cannot be reached,
                                  has no worker, or was lost            → 503

Messages say what happened, where, and what to do next.
"""

from __future__ import annotations

from typing import Any, ClassVar


class KGError(Exception):
    """Base of every newskg error: carries an RFC 9457 problem type, title and HTTP status."""

    code: ClassVar[str] = "kg/error"
    title: ClassVar[str] = "newskg error"
    status: ClassVar[int] = 500

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = extensions

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by state, not by constructor arguments (subclasses take other arguments):
        `kg build` workers send their errors back to the writer process."""
        return (_restore_error, (type(self), self.args, self.__dict__))


def _restore_error(cls: type[KGError], args: tuple[Any, ...], state: dict[str, Any]) -> KGError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class InputError(KGError):
    code = "kg/input"
    title = "Invalid input"
    status = 422


class InvalidParameterError(InputError):
    """A request parameter the endpoint does not take, or a filter id that names nothing: the
    same problem type as a malformed value (`errors[].parameter` names it), with the closest
    valid names or ids in `suggestions`."""

    code = "kg/invalid-parameter"
    title = "Invalid request parameter"
    status = 422

    def __init__(self, parameter: str, message: str, *, suggestions: list[str] | None = None):
        extra: dict[str, Any] = {"suggestions": suggestions} if suggestions is not None else {}
        super().__init__(
            f"{parameter}: {message}",
            errors=[{"parameter": parameter, "message": message}],
            **extra,
        )
        self.parameter = parameter


class DuplicateArticleError(InputError):
    code = "kg/duplicate-article"
    title = "Article already stored"
    status = 200


class ExtractionError(KGError):
    code = "kg/extraction"
    title = "Extraction failed"
    status = 500


class MappingError(KGError):
    code = "kg/mapping"
    title = "Mapping to RDF failed"
    status = 500


class NonConformingGraphError(KGError):
    code = "kg/non-conforming"
    title = "Graph does not conform to the SHACL shapes"
    status = 422

    def __init__(self, message: str, report: Any) -> None:
        super().__init__(message)
        self.report = report


class NotFoundError(KGError):
    code = "kg/not-found"
    title = "Not found"
    status = 404


class QueryError(KGError):
    code = "kg/query"
    title = "Query failed"
    status = 400


class QuerySyntaxError(QueryError):
    code = "kg/query-syntax"
    title = "Invalid SPARQL query"
    status = 400


class QueryEvaluationError(QueryError):
    """The engine stopped on this query while answering it (an invalid regex, a result it
    cannot serialise): the caller's query, not the server, is at fault."""

    code = "kg/query-evaluation"
    title = "Query evaluation failed"
    status = 400


class RemoteAccessRefusedError(QueryError):
    """A query or update would make the server fetch an address its operator did not allow;
    the `setting` extension names the allow-list to change."""

    code = "kg/remote-access-refused"
    title = "Remote access refused"
    status = 400


class RemoteServiceError(QueryError):
    """An allowed SERVICE endpoint failed or answered garbage."""

    code = "kg/remote-service"
    title = "Remote SPARQL service failed"
    status = 502


class QueryTimeoutError(QueryError):
    code = "kg/query-timeout"
    title = "Query timed out"
    status = 503


class UnauthorizedError(QueryError):
    """An update without `Authorization: Bearer <token>`; the answer asks for one."""

    code = "kg/unauthorized"
    title = "Authentication required"
    status = 401
    headers: ClassVar[dict[str, str]] = {"WWW-Authenticate": 'Bearer realm="newskg update"'}


class UpdateForbiddenError(QueryError):
    code = "kg/update-forbidden"
    title = "Updates are not allowed"
    status = 403


class NotAcceptableError(QueryError):
    code = "kg/not-acceptable"
    title = "Not acceptable"
    status = 406


class UnsupportedMediaTypeError(QueryError):
    code = "kg/unsupported-media-type"
    title = "Unsupported media type"
    status = 415


class InternalQueryError(KGError):
    """A query failed on a bug of the server's own (never the caller's doing); logged."""

    code = "kg/internal"
    title = "Internal error"
    status = 500


class StoreError(KGError):
    code = "kg/store"
    title = "Store unavailable"
    status = 503


class ClusterError(KGError):
    code = "kg/cluster"
    title = "Build cluster unavailable"
    status = 503
