"""Actor mentions of one document: where the article names each actor (`kg:Mention` with its
`oa:TextPositionSelector`), which the web page's article view highlights.

The spans are read inside the article's own named graph; the actors' keys, names and types are
the registry's (as in `kg.read.queries.get_document`), with the aliases this article gives them.
"""

from __future__ import annotations

from kg.read.queries import _actor_infos, _require_documents, item_id, local_name, select
from kg.read.records import Evidence, Mention, TypedActorRef
from kg.store import GraphStore
from kg.store.terms import sparql_iri

__all__ = ["list_mentions"]


def list_mentions(store: GraphStore, document: str) -> list[Mention]:
    """The actor mentions of the document `document`, by start, end and IRI.

    Args:
        store: the store to read.
        document: the document id (`kg:documentId`, as in `/documents`).

    Raises:
        NotFoundError: no document has this id.
    """
    doc = _require_documents(store, document)[0]
    rows = select(
        store,
        f"""SELECT ?m ?actor ?start ?end ?exact WHERE {{
  GRAPH {sparql_iri(doc.graph)} {{
    ?m a kg:Mention ; kg:refersTo ?actor ; kg:evidence ?ev .
    ?ev oa:hasSource {sparql_iri(doc.iri)} ;
      oa:hasSelector/oa:start ?start ; oa:hasSelector/oa:end ?end ;
      oa:hasSelector/oa:exact ?exact .
  }}
}}""",
    )
    infos = _actor_infos(store, {(doc.graph, row["actor"]) for row in rows})
    seen: set[tuple[str, int, int]] = set()
    mentions: list[Mention] = []
    for row in rows:
        start, end = int(row["start"]), int(row["end"])
        if (row["m"], start, end) in seen:
            continue
        seen.add((row["m"], start, end))
        info = infos.get((doc.graph, row["actor"]))
        key = info.key if info is not None else local_name(row["actor"])
        actor = TypedActorRef(
            id=key,
            name=info.name if info is not None else key,
            aliases=info.aliases if info is not None else [],
            type=info.type if info is not None else None,
            iri=row["actor"],
        )
        mentions.append(
            Mention(
                id=item_id(row["m"]),
                actor=actor,
                evidence=Evidence(document=doc.id, start=start, end=end, text=row["exact"]),
                iri=row["m"],
            )
        )
    mentions.sort(key=lambda m: (m.evidence.start, m.evidence.end, m.iri))
    return mentions
