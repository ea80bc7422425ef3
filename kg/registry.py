"""The actor registry: every actor the stored articles name, described once.

An article graph does not describe its actors; it holds one `kg:Naming` per actor (the name,
type, aliases and Wikidata entity the article gives it). The registry graph
`<{base}graph/actors>` holds the one description of each actor (`rdf:type`, `kg:actorKey`,
`skos:prefLabel`, `skos:altLabel`, `owl:sameAs`), so that over the union default graph each of
these triples is there once, and a plain `COUNT` joined with an actor's name counts each
statement once (SPARQL joins are bags: a triple repeated in five graphs matched five times).

The registry is a function of the namings of the stored articles (`describe_actors`):

- an actor is in it iff at least one stored article names it (the last article that names it
  removed, the actor leaves; the gazetteer is not the registry, see `Iris.gazetteer_graph`);
- its type, name and Wikidata entity are those of the naming in the article graph whose IRI
  sorts first (code-point order): one article's view, never a mix, whatever the write order;
- its aliases are every other name and alias of every naming of it.

Every write of an article graph is one SPARQL update that also maintains the registry
(`put_article_update`, `remove_article_update`): the actors the old graph named and those the
new one names are marked in a scratch graph, their registry descriptions are deleted and
derived again from the namings then stored, and the scratch graph is dropped. Deriving an actor
again reads every article that names it, so for an actor named in most articles each write
would cost more as the corpus grows; an actor that only the *new* graph adds a naming of, and
that an article graph sorting before it also names, keeps its type, name and Wikidata entity
(the first naming is still the first) and only gains the new naming's other names as aliases:
that is all the update does for it (`_add_aliases`), reading the new graph alone. A SPARQL 1.1
update request is applied atomically (the embedded store, `oxigraph serve`, Fuseki…), so the
article graph and the registry never disagree, even after a crash. `ensure_registry` checks it
at start anyway (a write that bypassed this module, e.g. a raw SPARQL update, is repaired) and
migrates a store built before the registry.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg import vocab
from kg.errors import StoreError
from kg.iris import Iris
from kg.namespaces import KG, OWL, PROV, RDF, SKOS, XSD, bind_prefixes
from kg.store.base import GraphStore
from kg.store.terms import put_graph_update, sparql_iri, sparql_literal

__all__ = [
    "describe_actors",
    "description_graph",
    "ensure_registry",
    "put_article",
    "put_article_update",
    "rebuild_registry_update",
    "registry_problems",
    "remove_article_update",
    "to_namings",
]

logger = logging.getLogger(__name__)

_PREFIXES = f"""PREFIX kg: <{KG}>
PREFIX skos: <{SKOS}>
PREFIX owl: <{OWL}>
PREFIX rdf: <{RDF}>
"""
#: The properties of an actor's description; the registry holds them, article graphs don't.
DESCRIPTION_PROPERTIES = (RDF.type, KG.actorKey, SKOS.prefLabel, SKOS.altLabel, OWL.sameAs)


def _scratch(registry: str) -> str:
    """The graph that marks the actors an update touches (never a document graph: ids have no
    '/'); created and dropped within the one update."""
    return registry + "/pending"


def _unchanged(registry: str) -> str:
    """The graph that marks, during one update, the actors whose first naming a new article
    graph leaves as it is (`_add_aliases`)."""
    return registry + "/unchanged"


def _replaced(registry: str) -> str:
    """The graph that marks, during one update, the actors the replaced article graph named."""
    return registry + "/replaced"


def _add_aliases(graph: str, iris: Iris) -> str:
    """Operations that move, out of the scratch graph, the actors `graph` names that an
    article graph sorting before it also names (the first naming stays the first), and add
    the names and aliases `graph` gives them, other than their name, as aliases; run after the
    new `graph` is stored and its actors marked. The actors left marked (new ones, and those
    whose first naming may have changed) are derived again whole by `_refresh`."""
    registry_iri = str(iris.registry_graph())
    registry = sparql_iri(registry_iri)
    scratch = sparql_iri(_scratch(registry_iri))
    unchanged = sparql_iri(_unchanged(registry_iri))
    name = sparql_iri(graph)
    earlier = sparql_literal(graph)
    return f"""INSERT {{ GRAPH {unchanged} {{ ?a a kg:Actor }} }}
WHERE {{
  GRAPH {scratch} {{ ?a a kg:Actor }}
  GRAPH {registry} {{ ?a kg:actorKey ?key }}
  FILTER EXISTS {{ GRAPH ?g0 {{ ?n0 kg:namingOf ?a }} FILTER(STR(?g0) < {earlier}) }}
}} ;
DELETE {{ GRAPH {scratch} {{ ?a a kg:Actor }} }} WHERE {{ GRAPH {unchanged} {{ ?a a kg:Actor }} }} ;
INSERT {{ GRAPH {registry} {{ ?a skos:altLabel ?alias }} }}
WHERE {{
  GRAPH {unchanged} {{ ?a a kg:Actor }}
  GRAPH {name} {{ ?n kg:namingOf ?a . {{ ?n kg:alias ?alias }} UNION {{ ?n kg:name ?alias }} }}
  FILTER NOT EXISTS {{ GRAPH {registry} {{ ?a skos:prefLabel ?alias }} }}
}} ;
DROP SILENT GRAPH {unchanged}"""


def _refresh(iris: Iris) -> str:
    """Operations that derive again the registry descriptions of the actors marked in the
    scratch graph, then drop it (the rules of the module docstring)."""
    registry = sparql_iri(str(iris.registry_graph()))
    scratch = sparql_iri(_scratch(str(iris.registry_graph())))
    first = f"""{{ SELECT ?a (MIN(STR(?g0)) AS ?first) WHERE {{
    GRAPH {scratch} {{ ?a a kg:Actor }} GRAPH ?g0 {{ ?n0 kg:namingOf ?a }}
  }} GROUP BY ?a }}
  GRAPH ?g {{ ?n kg:namingOf ?a }} FILTER(STR(?g) = ?first)"""
    return f"""DELETE {{ GRAPH {registry} {{ ?a ?p ?o }} }}
WHERE {{ GRAPH {scratch} {{ ?a a kg:Actor }} GRAPH {registry} {{ ?a ?p ?o }} }} ;
INSERT {{ GRAPH {registry} {{ ?a a ?class ; kg:actorKey ?key ; skos:prefLabel ?name }} }}
WHERE {{
  {first}
  GRAPH ?g {{ ?n kg:name ?name ; kg:actorClass ?class }}
  BIND(REPLACE(STR(?a), "^.*/", "") AS ?key)
}} ;
INSERT {{ GRAPH {registry} {{ ?a owl:sameAs ?wd }} }}
WHERE {{
  {first}
  GRAPH ?g {{ ?n kg:identifiedAs ?wd }}
}} ;
INSERT {{ GRAPH {registry} {{ ?a skos:altLabel ?alias }} }}
WHERE {{
  GRAPH {scratch} {{ ?a a kg:Actor }}
  GRAPH ?g {{ ?n kg:namingOf ?a . {{ ?n kg:alias ?alias }} UNION {{ ?n kg:name ?alias }} }}
  FILTER NOT EXISTS {{ GRAPH {registry} {{ ?a skos:prefLabel ?alias }} }}
}} ;
DROP SILENT GRAPH {scratch}"""


def _mark_named_in(graph: str, iris: Iris, *, into: str | None = None) -> str:
    """The operation that marks, in the scratch graph (or `into`), the actors `graph` names
    now."""
    marks = sparql_iri(into or _scratch(str(iris.registry_graph())))
    return (
        f"INSERT {{ GRAPH {marks} {{ ?a a kg:Actor }} }}"
        f" WHERE {{ GRAPH {sparql_iri(graph)} {{ ?n kg:namingOf ?a }} }}"
    )


def _move_marks(source: str, target: str) -> str:
    """The operations that add the actors marked in `source` to `target`, and drop `source`."""
    return (
        f"INSERT {{ GRAPH {sparql_iri(target)} {{ ?a a kg:Actor }} }}"
        f" WHERE {{ GRAPH {sparql_iri(source)} {{ ?a a kg:Actor }} }} ;\n"
        f"DROP SILENT GRAPH {sparql_iri(source)}"
    )


def put_article_update(graph_iri: str, graph: Graph, iris: Iris) -> tuple[str, int]:
    """The one SPARQL update that replaces an article graph and maintains the registry.

    Returns:
        The update text and the number of triples of the article graph.

    Raises:
        MappingError: `graph_iri` or a term of `graph` cannot be stored.
    """
    replace, count = put_graph_update(graph_iri, graph)
    registry = str(iris.registry_graph())
    update = ";\n".join(
        [
            # the actors the old graph named lose a naming: each is derived again whole
            _PREFIXES + _mark_named_in(graph_iri, iris, into=_replaced(registry)),
            replace,
            _mark_named_in(graph_iri, iris),
            _add_aliases(graph_iri, iris),
            _move_marks(_replaced(registry), _scratch(registry)),
        ]
    )
    return f"{update} ;\n{_refresh(iris)}", count


def put_article(store: GraphStore, graph: Graph, iris: Iris) -> int:
    """Replace the article graph `graph` (named by its identifier) and maintain the registry,
    in one update; the number of triples stored.

    Raises:
        MappingError: a term cannot be stored.
        StoreError: the store could not be written; nothing was changed.
    """
    update, count = put_article_update(str(graph.identifier), graph, iris)
    store.update(update)
    return count


def remove_article_update(graph_iri: str, iris: Iris) -> str:
    """The one SPARQL update that removes an article graph and maintains the registry."""
    return (
        f"{_PREFIXES}{_mark_named_in(graph_iri, iris)} ;\n"
        f"DROP SILENT GRAPH {sparql_iri(graph_iri)} ;\n{_refresh(iris)}"
    )


def rebuild_registry_update(iris: Iris) -> str:
    """The one SPARQL update that derives the whole registry again from every naming."""
    registry = str(iris.registry_graph())
    scratch = sparql_iri(_scratch(registry))
    return (
        f"{_PREFIXES}DROP SILENT GRAPH {sparql_iri(registry)} ;\n"
        f"INSERT {{ GRAPH {scratch} {{ ?a a kg:Actor }} }}"
        f" WHERE {{ GRAPH ?g {{ ?n kg:namingOf ?a }} }} ;\n{_refresh(iris)}"
    )


def describe_actors(graphs: Iterable[Graph]) -> Graph:
    """The registry descriptions that the namings of `graphs` give (each graph's identifier is
    its named graph IRI): what the store's registry holds when exactly these are stored.

    The validator gets this for the article it checks, as it gets the ontology; tests compare
    the store's registry with it.
    """
    namings: dict[Node, list[tuple[str, Graph, Node]]] = defaultdict(list)
    for graph in graphs:
        for naming, actor in graph.subject_objects(KG.namingOf):
            namings[actor].append((str(graph.identifier), graph, naming))
    out = bind_prefixes(Graph())
    for actor, found in namings.items():
        _, graph, naming = min(found, key=lambda item: item[0])
        name = graph.value(naming, KG.name)
        actor_class = graph.value(naming, KG.actorClass)
        if name is None or actor_class is None:
            continue  # as the SPARQL derivation: no description without a name and a type
        out.add((actor, RDF.type, actor_class))
        out.add((actor, KG.actorKey, Literal(_key(actor))))
        out.add((actor, SKOS.prefLabel, name))
        for entity in graph.objects(naming, KG.identifiedAs):
            out.add((actor, OWL.sameAs, entity))
        for _, other, other_naming in found:
            for label in (
                *other.objects(other_naming, KG.alias),
                other.value(other_naming, KG.name),
            ):
                if label is not None and label != name:
                    out.add((actor, SKOS.altLabel, label))
    return out


def _key(actor: Node) -> str:
    """An actor's key: the last path segment of its IRI (`{base}id/actor/{key}`; keys are
    slugs, without '/')."""
    return str(actor).rsplit("/", 1)[-1]


def _column(store: GraphStore, sparql: str) -> list[str]:
    """The values of `?x` in the rows of a SELECT."""
    result = store.query(sparql)
    if not isinstance(result, ox.QuerySolutions):  # pragma: no cover - SELECTs only
        raise StoreError("internal error: a registry query did not return solutions")
    return [term.value for row in result if (term := row["x"]) is not None]


def registry_problems(store: GraphStore, iris: Iris) -> list[str]:
    """What is wrong with the store's registry: actors described that no article names
    (orphans) and actors named that are not described (missing). Empty when it is exact."""
    registry = sparql_iri(str(iris.registry_graph()))
    orphans = _column(
        store,
        f"{_PREFIXES}SELECT DISTINCT ?x WHERE {{ GRAPH {registry} {{ ?x kg:actorKey ?k }}"
        " FILTER NOT EXISTS { GRAPH ?g { ?n kg:namingOf ?x } } } LIMIT 5",
    )
    missing = _column(
        store,
        f"{_PREFIXES}SELECT DISTINCT ?x WHERE {{ GRAPH ?g {{ ?n kg:namingOf ?x }}"
        f" FILTER NOT EXISTS {{ GRAPH {registry} {{ ?x kg:actorKey ?k }} }} }} LIMIT 5",
    )
    return [f"{iri} is described but no article names it" for iri in orphans] + [
        f"{iri} is named but not described" for iri in missing
    ]


# --- start-up: migration and repair ---------------------------------------------------------

_GAZETTEER_NS = vocab.GAZETTEER_NS


def _old_article_graphs(store: GraphStore) -> list[str]:
    """Article graphs of a store built before the registry: they describe actors themselves."""
    return sorted(
        _column(
            store,
            f"{_PREFIXES}SELECT DISTINCT ?x WHERE"
            " { GRAPH ?x { ?d a kg:Document . ?a kg:actorKey ?k } }",
        )
    )


def to_namings(graph: Graph, iris: Iris) -> Graph:
    """An article graph of a store built before the registry, with its actor descriptions
    turned into namings (what `kg.mapping.to_graph` writes now); other triples are kept."""
    doc = graph.value(None, RDF.type, KG.Document)
    doc_id = graph.value(doc, KG.documentId) if doc is not None else None
    out = bind_prefixes(Graph(identifier=graph.identifier))
    out += graph
    if doc is None or doc_id is None:
        return out
    for actor, key in list(graph.subject_objects(KG.actorKey)):
        naming = iris.naming(str(doc_id), str(key))
        out.add((naming, RDF.type, KG.Naming))
        out.add((naming, KG.namingOf, actor))
        out.add((naming, PROV.wasDerivedFrom, doc))
        for predicate, target in ((SKOS.prefLabel, KG.name), (SKOS.altLabel, KG.alias)):
            for label in graph.objects(actor, predicate):
                out.add((naming, target, label))
        for actor_class in graph.objects(actor, RDF.type):
            out.add((naming, KG.actorClass, actor_class))
        for entity in graph.objects(actor, OWL.sameAs):
            out.add((naming, KG.identifiedAs, entity))
        for predicate in DESCRIPTION_PROPERTIES:
            out.remove((actor, predicate, None))
    return out


def ensure_registry(store: GraphStore, iris: Iris) -> None:
    """Make the store's registry exact before serving or writing.

    A store built before the registry (article graphs that describe actors, the gazetteer in
    `graph/actors`) is migrated in place, one article per update, so an interrupted migration
    goes on at the next start; then a registry that disagrees with the namings (a write that
    bypassed `put_article_update`) is derived again in one update.

    Raises:
        StoreError: the store cannot be read or written.
    """
    from kg.mapping import gazetteer_graph
    from kg.read.documents import read_graph

    registry = str(iris.registry_graph())
    old = _old_article_graphs(store)
    if old:
        logger.warning(
            "migrating %d article graphs to the actor registry %s (newskg keeps each actor's"
            " description once, docs/rdf-model.md)",
            len(old),
            registry,
        )
        store.put_graph(str(iris.gazetteer_graph()), gazetteer_graph())
        store.update(
            f"DELETE {{ GRAPH {sparql_iri(registry)} {{ ?s ?p ?o }} }} WHERE {{ GRAPH"
            f" {sparql_iri(registry)} {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s),"
            f" {sparql_literal(_GAZETTEER_NS)})) }} }}"
        )
        for graph_iri in old:
            update, _ = put_article_update(
                graph_iri, to_namings(read_graph(store, graph_iri), iris), iris
            )
            store.update(update)
    problems = registry_problems(store, iris)
    if problems:
        logger.warning(
            "the actor registry %s disagrees with the article graphs (%s); deriving it again",
            registry,
            "; ".join(problems),
        )
        store.update(rebuild_registry_update(iris))


def description_graph(store: GraphStore, graph_iri: str, iris: Iris) -> Graph:
    """The registry's descriptions of the actors one stored article graph names (for
    validating a stored article as it was validated before being stored)."""
    registry = sparql_iri(str(iris.registry_graph()))
    result = store.query(
        f"{_PREFIXES}CONSTRUCT {{ ?a ?p ?o }} WHERE {{ GRAPH {sparql_iri(graph_iri)}"
        f" {{ ?n kg:namingOf ?a }} GRAPH {registry} {{ ?a ?p ?o }} }}"
    )
    if not isinstance(result, ox.QueryTriples):  # pragma: no cover - CONSTRUCT only
        raise StoreError("internal error: a registry CONSTRUCT did not return triples")
    out = bind_prefixes(Graph(identifier=iris.registry_graph()))
    for triple in result:
        out.add((_rdflib(triple.subject), _rdflib(triple.predicate), _rdflib(triple.object)))
    return out


def _rdflib(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unexpected term {term!r}")
