"""The RDF vocabularies newskg writes, as closed namespaces.

`KG`, `STANCE`, `DIRECTION`, `STATUS`, `PROLE` and `PLOVER` mirror `ontology/newskg.ttl` term for
term (`tests/unit/test_namespaces.py` checks both directions), and `_fail = True` turns a typo such
as `KG.holdr` into an `AttributeError` at the line that makes it instead of a silently wrong IRI.
`TOPIC` stays open: its concepts live in `ontology/topics.ttl`, which another module owns and grows.

Names that are not Python identifiers (`DIRECTION["for"]`, `DIRECTION["not-applicable"]`) are
reached by indexing.

The namespace IRIs and the prefix table come from `kg.vocab`, the one source of the vocabulary;
the closed schemes are spelt out again here as typed attributes (`STANCE.demands`), which rdflib
and mypy need, and `tests/unit/test_vocab.py` checks them against `kg.vocab`'s terms.
"""

# ruff: noqa: N815 (attribute names are the ontology's lowerCamel property names, 1:1)

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    XSD,
    DefinedNamespace,
)

from kg import vocab

__all__ = [
    "DCTERMS",
    "DIRECTION",
    "FOAF",
    "KG",
    "KGSH",
    "OA",
    "OWL",
    "PLOVER",
    "PREFIXES",
    "PROLE",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SEM",
    "SH",
    "SKOS",
    "STANCE",
    "STATUS",
    "TOPIC",
    "WIKIDATA",
    "XSD",
    "bind_prefixes",
]

#: schema.org over https, as docs/rdf-model.md fixes it (rdflib's `SDO` is the same namespace).
SCHEMA = SDO

#: The namespace of topic concepts (`ontology/topics.ttl`); open because the scheme grows.
TOPIC = Namespace(vocab.TOPIC_NS)

#: The SHACL shapes of `ontology/shapes.ttl`.
KGSH = Namespace(vocab.SHAPES_NS)

#: Wikidata entities, the target of verified `owl:sameAs` links.
WIKIDATA = Namespace(vocab.WIKIDATA_NS)


class KG(DefinedNamespace):
    """newskg classes and properties (`ontology/newskg.ttl`)."""

    _fail = True
    _NS = Namespace(vocab.KG_NS)

    # Actors
    Actor: URIRef
    Person: URIRef
    Organization: URIRef
    Country: URIRef
    Place: URIRef
    Group: URIRef
    actorKey: URIRef
    Role: URIRef
    hasRole: URIRef
    roleOf: URIRef
    # Documents
    Document: URIRef
    documentId: URIRef
    fileName: URIRef
    contentHash: URIRef
    text: URIRef
    displayTitle: URIRef
    # Events
    Event: URIRef
    Meeting: URIRef
    PhoneCall: URIRef
    Talks: URIRef
    CeasefireProposal: URIRef
    Sanctions: URIRef
    SanctionsThreat: URIRef
    Attack: URIRef
    Resignation: URIRef
    Invasion: URIRef
    Annexation: URIRef
    OtherEvent: URIRef
    Participation: URIRef
    hasParticipation: URIRef
    participant: URIRef
    participantRole: URIRef
    timeExpression: URIRef
    status: URIRef
    # Positions
    Position: URIRef
    holder: URIRef
    stance: URIRef
    topic: URIRef
    direction: URIRef
    target: URIRef
    reportedBy: URIRef
    hedged: URIRef
    authorOpinion: URIRef
    forPhrase: URIRef
    againstPhrase: URIRef
    topicPhrase: URIRef
    # Quotes
    Quote: URIRef
    speaker: URIRef
    quotedText: URIRef
    # Mentions and merges
    Mention: URIRef
    refersTo: URIRef
    surfaceForm: URIRef
    Merge: URIRef
    mergedInto: URIRef
    # Namings (one article's view of an actor)
    Naming: URIRef
    namingOf: URIRef
    name: URIRef
    alias: URIRef
    actorClass: URIRef
    identifiedAs: URIRef
    # Provenance
    evidence: URIRef
    sentence: URIRef
    holderMention: URIRef
    dateEvidence: URIRef
    datePublishedEvidence: URIRef
    method: URIRef
    confidence: URIRef
    extractorVersion: URIRef
    pipelineName: URIRef
    pipelineVersion: URIRef


class STANCE(DefinedNamespace):
    """The closed stance scheme: what kind of position an actor takes."""

    _fail = True
    _NS = Namespace(vocab.STANCE_NS)

    scheme: URIRef
    demands: URIRef
    proposes: URIRef
    supports: URIRef
    opposes: URIRef
    rejects: URIRef
    threatens: URIRef
    claims: URIRef
    accuses: URIRef


class DIRECTION(DefinedNamespace):
    """The closed direction scheme; `for` and `not-applicable` are reached by indexing."""

    _fail = True
    _NS = Namespace(vocab.DIRECTION_NS)
    _extras = ["for", "not-applicable"]  # noqa: RUF012 (rdflib declares it a plain list)

    scheme: URIRef
    against: URIRef


class STATUS(DefinedNamespace):
    """The closed event status scheme."""

    _fail = True
    _NS = Namespace(vocab.STATUS_NS)

    scheme: URIRef
    happened: URIRef
    planned: URIRef
    cancelled: URIRef


class PROLE(DefinedNamespace):
    """The closed scheme of participant roles in an event."""

    _fail = True
    _NS = Namespace(vocab.ROLE_NS)

    scheme: URIRef
    agent: URIRef
    recipient: URIRef
    participant: URIRef


class PLOVER(DefinedNamespace):
    """The PLOVER categories and modes the event classes map to (IRIs minted by newskg)."""

    _fail = True
    _NS = Namespace(vocab.PLOVER_NS)
    _extras = [  # noqa: RUF012 (rdflib declares it a plain list)
        "mode-visit",
        "mode-phone",
        "mode-negotiate",
        "mode-ceasefire",
        "mode-resign",
    ]

    scheme: URIRef
    CONSULT: URIRef
    AGREE: URIRef
    COOPERATE: URIRef
    THREATEN: URIRef
    SANCTION: URIRef
    MOBILIZE: URIRef
    ASSAULT: URIRef
    SEIZE: URIRef
    RETREAT: URIRef


class OA(DefinedNamespace):
    """The W3C Web Annotation terms newskg uses for evidence spans (a subset)."""

    _fail = True
    _NS = Namespace(vocab.PREFIXES["oa"])

    SpecificResource: URIRef
    TextPositionSelector: URIRef
    TextQuoteSelector: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    start: URIRef
    end: URIRef
    exact: URIRef
    prefix: URIRef
    suffix: URIRef


class SEM(DefinedNamespace):
    """The Simple Event Model terms newskg uses (a subset)."""

    _fail = True
    _NS = Namespace(vocab.PREFIXES["sem"])

    Event: URIRef
    Actor: URIRef
    Place: URIRef
    hasActor: URIRef
    hasPlace: URIRef
    hasTimeStamp: URIRef
    hasEarliestBeginTimeStamp: URIRef
    hasLatestEndTimeStamp: URIRef


#: Every prefix newskg binds, in the order serializations list them (`kg.vocab.PREFIXES`).
PREFIXES: dict[str, str] = dict(vocab.PREFIXES)


def bind_prefixes(graph: Graph) -> Graph:
    """Bind newskg's prefixes on `graph` so Turtle/TriG output reads like docs/rdf-model.md.

    `replace=True` because rdflib pre-binds some of these names (`schema`, `prov`) to other IRIs.

    Args:
        graph: the graph whose namespace manager gets the bindings.

    Returns:
        The same graph, for chaining.
    """
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, Namespace(iri), override=True, replace=True)
    return graph
