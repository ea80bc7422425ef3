"""Every read of the product, as plain functions over a store, returning frozen records.

    kg.read.records         the records (pydantic, frozen), which the REST API answers as they are
    kg.read.queries         documents, actors, positions, events, quotes, stats
    kg.read.aggregates      topics, a topic's positions, networks, the stance matrix
    kg.read.contradictions  an actor's for-and-against positions within one stance family
    kg.read.suggest         the ids a mistyped id probably meant
    kg.read.mentions        a document's actor mention spans (the web page's article view)
    kg.read.documents       what the writers read: stored hashes, a document's graph and counts
    kg.read.describe        an IRI's concise description (linked data)
    kg.read.exports         the property-graph projection and the union graph of the exports

A REST answer takes its several reads inside one `store.snapshot()` (`kg.store.base`).

Filters are plain values (strings, `DateRange`, integers); an unknown id raises a `kg.errors`
error, which the API maps to problem+json and the CLI to one line.
"""
