"""Quotes: text in quotation marks attributed to a speaker."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api import queries
from api.deps import PagingDep, StoreDep
from api.problems import PROBLEM_RESPONSES
from api.schemas import Page, Quote

router = APIRouter(prefix="/quotes", tags=["quotes"], responses=PROBLEM_RESPONSES)


@router.get("")
def list_quotes(
    store: StoreDep,
    paging: PagingDep,
    document: Annotated[str | None, Query(description="Only quotes of this document.")] = None,
    speaker: Annotated[str | None, Query(description="Speaker's actor id.")] = None,
) -> Page[Quote]:
    """Quotes in document order, then evidence order; 404 if `document` is unknown."""
    return queries.list_quotes(
        store, document=document, speaker=speaker, limit=paging.limit, offset=paging.offset
    )
