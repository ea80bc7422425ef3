"""Documents: the stored articles, their metadata, actors and exact text; adding (POST) and
removing (DELETE) them with the write token; one article's SHACL report."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from api import examples
from api.auth import require_writer
from api.deps import DatesDep, PagingDep, QQuery, SnapshotDep
from api.ingest import (
    JSON_MEDIA_TYPE,
    POSTED_EXAMPLE,
    TEXT_MEDIA_TYPE,
    DocumentValidation,
    DocumentWrite,
    DocumentWriter,
    PostedArticle,
    document_validation,
    read_posted_article,
)
from api.limits import body_too_large_message
from api.problems import PROBLEM_MEDIA_TYPE, PROBLEM_RESPONSES
from api.strict import STRICT
from kg.articles import MAX_ARTICLE_BYTES, POSTED_FIELDS
from kg.build import Status
from kg.errors import NotAcceptableError, StoreError
from kg.read import mentions, queries
from kg.read.records import Document, DocumentDetail, Mention, Page

router = APIRouter(
    prefix="/documents", tags=["documents"], responses=PROBLEM_RESPONSES, dependencies=STRICT
)


def get_writer(request: Request) -> DocumentWriter:
    writer: DocumentWriter | None = getattr(request.app.state, "writer", None)
    if writer is None:
        raise StoreError("the store is not open (the app is starting or stopping)")
    return writer


DocumentWriterDep = Annotated[DocumentWriter, Depends(get_writer)]
DocumentId = Annotated[
    str,
    Path(
        max_length=200,
        description="The document's id (as in `/documents`; the file name without `.txt`).",
        examples=[examples.DOC],
    ),
]


@router.get(
    "",
    summary="List articles",
    description="The stored articles ordered by id. `q` matches the title, outlet or author "
    "(case- and accent-insensitive); `from`/`to` bound the published date (an article without "
    "one is left out when a bound is given).",
    response_description="A page of articles",
    responses=examples.list_responses(
        "/documents", examples.with_paging(examples.page(examples.DOCUMENT))
    ),
)
def list_documents(
    store: SnapshotDep, paging: PagingDep, dates: DatesDep, q: QQuery = None
) -> Page[Document]:
    """The stored articles, by id."""
    return queries.list_documents(store, q=q, dates=dates, limit=paging.limit, offset=paging.offset)


@router.get(
    "/{document_id}",
    summary="One article",
    description="The article's metadata and every actor it mentions, with the aliases seen in "
    "it; its statements are at `/positions?document=`, `/events?document=`, "
    "`/quotes?document=`.",
    responses=examples.document_responses("/documents/{document_id}", examples.DOCUMENT_DETAIL),
)
def get_document(store: SnapshotDep, document_id: DocumentId) -> DocumentDetail:
    """One article's metadata and every actor it mentions (with the aliases seen in it)."""
    return queries.get_document(store, document_id)


@router.get(
    "/{document_id}/text",
    summary="An article's exact text",
    description="The stored text, UTF-8: every evidence span `start`/`end` (code points) is a "
    "slice `[start:end]` of it.",
    response_class=PlainTextResponse,
    responses={
        **examples.document_responses("/documents/{document_id}/text", {}),
        200: {
            "description": "The text",
            "content": {
                "text/plain": {"schema": {"type": "string"}, "example": examples.DOCUMENT_TEXT}
            },
        },
    },
)
def get_document_text(store: SnapshotDep, document_id: DocumentId) -> PlainTextResponse:
    """The exact stored text; every evidence span is a slice `[start:end]` of it."""
    text = queries.get_document_text(store, document_id)
    return PlainTextResponse(text, media_type="text/plain; charset=utf-8")


@router.get(
    "/{document_id}/mentions",
    summary="An article's actor mentions",
    description="Every span where the article names an actor (`kg:Mention`), by position: "
    "the actor it refers to (id, name, type, the aliases this article gives it) and the span "
    "`start`/`end` (code points) with its text, a slice of `/documents/{document_id}/text`.",
    response_description="The mentions, by start and end",
    responses=examples.document_responses("/documents/{document_id}/mentions", [examples.MENTION]),
)
def list_document_mentions(store: SnapshotDep, document_id: DocumentId) -> list[Mention]:
    """The actor mention spans of one article, for highlighting them in its text."""
    return mentions.list_mentions(store, document_id)


# --- writes: POST and DELETE (bearer token), and one article's SHACL report -----------------

WRITE_DESCRIPTION = f"""Add one article: extraction, the SHACL gate and the store run as in
`kg build`, and the answer says what was stored.

The body is `application/json` (`text` required; `title`, `url`, `published`, `outlet`,
`author`, `id` optional; other fields are refused) or `text/plain; charset=utf-8` (the text
itself; the metadata and `id` as query parameters). The text is refused with 422, naming the
reason, when it is empty, binary, HTML, not English, or over {MAX_ARTICLE_BYTES:,} bytes; a bad
date or URL is refused the same way. The id is `id` when given, else minted like `kg build`
mints a JSONL record's: from the URL, else from the content hash.

- **201** `added`, with `Location: /documents/{{id}}`;
- **200** `unchanged`: the same content is stored under this id; nothing changes;
- **200** `duplicate`: the same content is stored under another id; `document` (and
  `Content-Location`) is that one; nothing changes;
- **200** `replaced`: the id was stored with other content (an article corrected at the same
  URL, or a chosen `id` posted again); its old graph is replaced whole, in one transaction,
  like `kg build` does for a changed file.

A graph that fails the SHACL shapes is refused whole (422); nothing is stored. Writes are
serialised (one at a time) and run off the event loop, so reads go on meanwhile. The first
POST loads the spaCy pipeline (about 2.4 s) unless `KG_PRELOAD_NLP=true`. Needs
`Authorization: Bearer <KG_WRITE_TOKEN>`."""

POSTED_ID = "u3f1c2b7a9d04"
WRITE_EXAMPLE: dict[str, Any] = {
    "document": {
        "id": POSTED_ID,
        "file": None,
        "title": "Putin and Trump discuss ceasefire",
        "display_title": "Putin and Trump discuss ceasefire",
        "url": "https://news.example/2025/03/18/putin-trump-call",
        "outlet": "Example News",
        "author": "A. Reporter",
        "published": "2025-03-18",
        "iri": f"{examples.BASE}id/document/{POSTED_ID}",
        "content_hash": "9c1e0b6f3f0a4d1e8b7c2a5d6e4f3b2a1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f",
    },
    "status": "added",
    "counts": {"actors": 3, "events": 1, "positions": 1, "quotes": 0, "triples": 118},
    "message": "3 actors, 1 events, 1 positions, 0 quotes, 118 triples",
}


def _auth_problems(instance: str) -> dict[int | str, dict[str, Any]]:
    return {
        401: examples.problem(
            401,
            "unauthorized",
            "Authentication required",
            "No `Authorization: Bearer` token (with `WWW-Authenticate: Bearer`)",
            "adding and removing documents need `Authorization: Bearer <token>` (the server's"
            " KG_WRITE_TOKEN)",
            instance,
        ),
        403: examples.problem(
            403,
            "update-forbidden",
            "Updates are not allowed",
            "The bearer token is wrong, or writes are disabled (no KG_WRITE_TOKEN)",
            "the bearer token is not this server's write token",
            instance,
        ),
    }


def _input_problem(detail: str, instance: str, description: str) -> dict[str, Any]:
    entry = examples.problem(422, "input", "Invalid input", description, detail, instance)
    entry["content"][PROBLEM_MEDIA_TYPE]["example"].pop("errors", None)
    return entry


TOO_LARGE = examples.problem(
    413,
    "body-too-large",
    "Content Too Large",
    "The body is over KG_MAX_BODY_BYTES (checked before it is read); `limit` is the limit",
    body_too_large_message(2_000_000, 5_000_000),
    "/documents",
)
TOO_LARGE["content"][PROBLEM_MEDIA_TYPE]["example"]["limit"] = 2_000_000

POST_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Nothing new was stored (`unchanged`, `duplicate`), or the id's old"
        " graph was `replaced`",
        "model": DocumentWrite,
        "content": {
            "application/json": {
                "example": {**WRITE_EXAMPLE, "status": "unchanged", "message": "unchanged"}
            }
        },
    },
    201: {
        "description": "The article was added",
        "headers": {"Location": {"description": "/documents/{id}", "schema": {"type": "string"}}},
        "content": {"application/json": {"example": WRITE_EXAMPLE}},
    },
    **_auth_problems("/documents"),
    413: TOO_LARGE,
    415: examples.problem(
        415,
        "unsupported-media-type",
        "Unsupported media type",
        "The body is neither application/json nor text/plain (UTF-8)",
        "POST /documents takes `application/json` or `text/plain; charset=utf-8`, not 'text/html'",
        "/documents",
    ),
    422: _input_problem(
        "request body: this looks like HTML, not plain text; extract the text first",
        "/documents",
        "The article is refused (empty, binary, HTML, not English, too long, bad date, URL, id"
        " or field), or its graph fails the SHACL shapes (`kg/non-conforming`, with every"
        " result in `violations`: focusNode, path, severity, message, sourceShape, value)",
    ),
    500: examples.problem(
        500,
        "extraction",
        "Extraction failed",
        "The extraction pipeline failed on this article; nothing was stored",
        "the article could not be stored: …",
        "/documents",
    ),
    503: examples.problem(
        503,
        "store",
        "Store unavailable",
        "The store is not open, or the write failed (e.g. a full disk); nothing was stored",
        "cannot write the store at data/store: No space left on device",
        "/documents",
    ),
}

REQUEST_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        JSON_MEDIA_TYPE: {
            "schema": PostedArticle.model_json_schema(),
            "example": POSTED_EXAMPLE,
        },
        TEXT_MEDIA_TYPE: {"schema": {"type": "string"}, "example": POSTED_EXAMPLE["text"]},
    },
}

TEXT_PARAMETERS = [
    {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": f"`{name}` of a `text/plain` body (with JSON, put it in the body).",
    }
    for name in POSTED_FIELDS
    if name != "text"
]


@router.post(
    "",
    summary="Add an article",
    description=WRITE_DESCRIPTION,
    status_code=201,
    response_model=DocumentWrite,
    responses=POST_RESPONSES,
    dependencies=[Depends(require_writer)],
    openapi_extra={"requestBody": REQUEST_BODY, "parameters": TEXT_PARAMETERS},
)
async def post_document(request: Request, writer: DocumentWriterDep) -> JSONResponse:
    article = await read_posted_article(request)
    outcome, document, counts = await writer.ingest(article)
    body = DocumentWrite(
        document=document, status=outcome.status.value, counts=counts, message=outcome.message
    ).model_dump(mode="json")
    location = f"/documents/{document.id}"
    if outcome.status is Status.ADDED:
        return JSONResponse(body, status_code=201, headers={"Location": location})
    return JSONResponse(body, status_code=200, headers={"Content-Location": location})


@router.delete(
    "/{document_id}",
    summary="Remove an article",
    description="Remove the article's named graph (everything extracted from it) in one"
    " transaction; 204 when done, 404 if it is not stored. Then `/documents/{id}` answers 404"
    " and `/sparql` no longer sees it. Needs `Authorization: Bearer <KG_WRITE_TOKEN>`.",
    status_code=204,
    responses={
        204: {"description": "The article was removed"},
        **_auth_problems("/documents/kyiv-talks-0314"),
        404: examples.problem(
            404,
            "not-found",
            "Not found",
            "No document has this id",
            "no document with id 'nothing'; list them at /documents",
            "/documents/nothing",
        ),
        422: _input_problem(
            "'a b' is not a document id: ids are made of letters, digits, '_', '.' and '-' (list"
            " them with `kg stats` or GET /documents)",
            "/documents/a%20b",
            "The id cannot be a document id",
        ),
        503: examples.STORE_DOWN,
    },
    dependencies=[Depends(require_writer)],
)
async def delete_document(document_id: DocumentId, writer: DocumentWriterDep) -> Response:
    await writer.remove(document_id)
    return Response(status_code=204)


VALIDATION_EXAMPLE: dict[str, Any] = {
    "document": examples.DOC,
    "conforms": True,
    "results": [],
    "triples": 2210,
}
TURTLE = "text/turtle"


def _wants_turtle(accept: str | None) -> bool:
    """True when Accept prefers text/turtle over JSON (q-values honoured).

    Raises:
        NotAcceptableError: Accept allows neither.
    """
    if not accept:
        return False
    best: dict[str, float] = {}
    for part in accept.split(","):
        media, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media = media.strip().lower()
        for offered in (JSON_MEDIA_TYPE, TURTLE):
            if media in (offered, offered.split("/")[0] + "/*", "*/*"):
                best[offered] = max(best.get(offered, 0.0), quality)
    if best.get(JSON_MEDIA_TYPE, 0.0) <= 0 and best.get(TURTLE, 0.0) <= 0:
        raise NotAcceptableError(
            f"GET /documents/{{id}}/validation answers {JSON_MEDIA_TYPE} or {TURTLE}, not"
            f" {accept!r}"
        )
    return best.get(TURTLE, 0.0) > best.get(JSON_MEDIA_TYPE, 0.0)


@router.get(
    "/{document_id}/validation",
    summary="Validate one article",
    description="Validate the article's stored named graph, and nothing else, against"
    " ontology/shapes.ttl (pySHACL, as the build's gate does). JSON lists every result; with"
    " `Accept: text/turtle` the answer is pySHACL's `sh:ValidationReport` graph itself.",
    response_model=DocumentValidation,
    responses={
        200: {
            "description": "The SHACL report",
            "content": {
                "application/json": {"example": VALIDATION_EXAMPLE},
                TURTLE: {
                    "schema": {"type": "string"},
                    "example": "@prefix sh: <http://www.w3.org/ns/shacl#> .\n\n"
                    "[] a sh:ValidationReport ;\n    sh:conforms true .\n",
                },
            },
        },
        404: examples.problem(
            404,
            "not-found",
            "Not found",
            "No document has this id",
            "no document with id 'nothing'; list them at /documents",
            "/documents/nothing/validation",
        ),
        406: examples.problem(
            406,
            "not-acceptable",
            "Not acceptable",
            "Accept allows neither application/json nor text/turtle",
            "GET /documents/{id}/validation answers application/json or text/turtle, not"
            " 'image/png'",
            "/documents/kyiv-talks-0314/validation",
        ),
        503: examples.STORE_DOWN,
    },
)
def get_document_validation(
    request: Request, store: SnapshotDep, document_id: DocumentId
) -> Response:
    turtle = _wants_turtle(request.headers.get("accept"))
    answer, report_graph = document_validation(store, document_id)
    headers = {"Vary": "Accept"}
    if turtle:
        text = report_graph.serialize(format="turtle")
        return Response(text, media_type="text/turtle; charset=utf-8", headers=headers)
    return JSONResponse(answer.model_dump(mode="json"), headers=headers)
