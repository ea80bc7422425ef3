"""The NLP step: spaCy components that find actors, events, positions and quotes.

Public API (import from the submodules; importing this package loads nothing heavy):

* `kg.nlp.pipeline.build_nlp(model)` loads the spaCy model and adds the kg_ components
  (`kg_paragraphs` before the parser; `kg_actors`, `kg_quotes`, `kg_events`, `kg_positions` last).
* `kg.nlp.extract.extract(nlp, article)` / `extract_many(nlp, articles, batch_size=8)` turn
  articles into `kg.records.Extraction`s; `EXTRACTOR_VERSION` names the behaviour.

Lexicons and the gazetteer are data, read once from `ontology/{actors,topics,lexicon}.ttl` by
`kg.nlp.lexicon.load_lexicon`.
"""
