"""Quotes: text in quotation marks attributed to a speaker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from api import examples
from api.deps import ActorQuery, Filters, ListFilter, QQuery, SnapshotDep, answer
from api.routers.positions import ORDER
from api.strict import STRICT
from kg.read import queries
from kg.read.records import Page, Quote, RawPage
from kg.store import GraphStore

router = APIRouter(prefix="/quotes", tags=["quotes"], dependencies=STRICT)

SpeakerQuery = Annotated[
    str | None,
    Query(
        max_length=200,
        description="The older name of `actor`; when both are given they must agree.",
        examples=["vladimir-putin"],
        deprecated=True,
    ),
]


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteFilter(ListFilter):
    """The parameters of `/quotes` (and, `actor` from the path and no `speaker`, of
    `/actors/{actor_id}/quotes`), in their OpenAPI order; a dependency through `Filters`."""

    actor: ActorQuery = None
    speaker: SpeakerQuery = None
    q: QQuery = None

    def page(self, store: GraphStore) -> RawPage:
        """The page of quotes these filters select."""
        return queries.quotes_page(
            store, actor=self.actor, speaker=self.speaker, q=self.q, **self.arguments()
        )


QUOTES_EXAMPLE = examples.with_paging(examples.page(examples.QUOTE))


@router.get(
    "",
    response_model=Page[Quote],
    summary="List quotes",
    description="Text in quotation marks with its speaker and evidence. Filters combine with "
    "AND: `actor` is the speaker's id; `q` matches the quoted text or the speaker's id, name "
    "or alias; `from`/`to` bound the article's published date. " + ORDER,
    response_description="A page of quotes",
    responses=examples.list_responses("/quotes", QUOTES_EXAMPLE),
)
def list_quotes(
    store: SnapshotDep, filters: Annotated[QuoteFilter, Depends(Filters(QuoteFilter))]
) -> Response:
    """Quotes, filtered and paged (see the description above)."""
    return answer(filters.page(store))
