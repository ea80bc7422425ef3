"""Documents: the stored articles, their metadata, actors and exact text."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from api import queries
from api.deps import PagingDep, StoreDep
from api.problems import PROBLEM_RESPONSES
from api.schemas import Document, DocumentDetail, Page

router = APIRouter(prefix="/documents", tags=["documents"], responses=PROBLEM_RESPONSES)


@router.get("")
def list_documents(store: StoreDep, paging: PagingDep) -> Page[Document]:
    """The stored articles, by id."""
    return queries.list_documents(store, limit=paging.limit, offset=paging.offset)


@router.get("/{document_id}")
def get_document(store: StoreDep, document_id: str) -> DocumentDetail:
    """One article's metadata and every actor it mentions (with the aliases seen in it)."""
    return queries.get_document(store, document_id)


@router.get(
    "/{document_id}/text",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {}}}},
)
def get_document_text(store: StoreDep, document_id: str) -> PlainTextResponse:
    """The exact stored text; every evidence span is a slice `[start:end]` of it."""
    text = queries.get_document_text(store, document_id)
    return PlainTextResponse(text, media_type="text/plain; charset=utf-8")
