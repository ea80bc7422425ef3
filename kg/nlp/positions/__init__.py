"""Positions: who demands, proposes, supports, opposes, rejects, threatens, claims or accuses what.

The `kg_positions` spaCy component, in steps of their own:

* `cues`: stance cues of `ontology/lexicon.ttl` (verbs, nouns, adjectives) with their holder,
  scope, topic and direction;
* `attribution`: every attributed statement (source, cue, content): reporting verbs, "according
  to", evaluations ("described the talks as ..."), quotes and acts that take a stance, read
  for the statements no stance cue covered;
* `dedupe`: one position per holder and statement.
"""

from kg.nlp.positions.context import AUTHOR
from kg.nlp.positions.cues import PositionExtractor

__all__ = ["AUTHOR", "PositionExtractor"]
