"""Every read of the product, as plain functions over a store, returning frozen records.

    kg.read.records         the records (pydantic, frozen), which the REST API answers as they are
    kg.read.queries         documents, actors, positions, events, quotes, stats
    kg.read.aggregates      topics, a topic's positions, networks, the stance matrix
    kg.read.contradictions  an actor's for-and-against positions within one stance family
    kg.read.suggest         the ids a mistyped id probably meant

Filters are plain values (strings, `DateRange`, integers); an unknown id raises a `kg.errors`
error, which the API maps to problem+json and the CLI to one line.
"""
