"""Loading the extraction pipeline: the shipped trained model (``extract/models/citegraph_sci``) with the
sentencizer and rule components ensured and the relation model (``extract/models/citegraph_rel``) after them, or a
blank English pipeline plus the rule components."""

from __future__ import annotations

import logging
from pathlib import Path

import spacy
from spacy.language import Language

# the modules whose factories and registered functions the saved pipeline names
from citegraph.extract.pipeline import acronyms, generic_filter, references, relations, rules, spans  # noqa: F401
from citegraph.extract.pipeline.tokenizer import GuardedTokenizer
from citegraph.extract.records import CitegraphError
from citegraph.extract.runner.provenance import (DEFAULT_MODEL, RELATION_COMPONENT, RULE_COMPONENTS, model_dir,
                                                 relation_dir)

__all__ = ["DEFAULT_MODEL", "load_pipeline"]

log = logging.getLogger(__name__)


def load_pipeline(model_path: str | Path | None = None, *, blank: bool = False) -> Language:
    """The shipped pipeline (or the one at ``model_path``), with the sentencizer and rule components ensured.

    ``blank=True`` gives the rule-only pipeline on a blank English tokenizer (no trained model), as does a missing
    shipped model (with a warning); :func:`citegraph.extract.runner.provenance.pipeline_components` tells the
    components without
    loading anything.
    """
    path = model_dir(model_path, blank=blank)
    if path is None:
        nlp = spacy.blank("en")
        nlp.meta.update(name="citegraph_rules_only", version="0.0.0")
    else:
        try:
            nlp = spacy.load(path)
        except (OSError, ValueError) as e:
            raise CitegraphError(f"cannot load the spaCy pipeline at {path}: {e}") from e
    if not nlp.has_pipe("sentencizer") and not nlp.has_pipe("senter") and not nlp.has_pipe("parser"):
        nlp.add_pipe("sentencizer", first=True)
    for name in RULE_COMPONENTS:
        if not nlp.has_pipe(name):
            nlp.add_pipe(name)
    rel = relation_dir(path)
    if rel is not None:  # after every component that sets entities
        try:  # its factory and saved data (sourcing the whole pipeline would also compare vectors it does not use)
            config = dict(spacy.util.load_config(rel / "config.cfg")["components"][RELATION_COMPONENT])
            config.pop("factory", None)
            nlp.add_pipe(RELATION_COMPONENT, config=config).from_disk(rel / RELATION_COMPONENT)
        except (OSError, ValueError, KeyError) as e:
            raise CitegraphError(f"cannot load the relation model at {rel}: {e}") from e
    nlp.tokenizer = GuardedTokenizer(nlp.tokenizer)  # no quadratic time on runs of symbols
    return nlp
