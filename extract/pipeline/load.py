"""Loading the extraction pipeline: the shipped trained model (``extract/models/citegraph_sci``) with the
sentencizer and rule components ensured and the relation model (``extract/models/citegraph_rel``) after them, or a
blank English pipeline plus the rule components."""

from __future__ import annotations

import logging
from pathlib import Path

import spacy
from spacy.language import Language

# the modules whose factories and registered functions the saved pipeline names
from citegraph.extract.pipeline import (acronyms, confidence, generic_filter, names, references,  # noqa: F401
                                        relations, repeats, rules, spans)
from citegraph.extract.pipeline.tokenizer import GuardedTokenizer
from citegraph.extract.records import CitegraphError
from citegraph.extract.runner.provenance import (DEFAULT_MODEL, RELATION_COMPONENT, RULE_COMPONENTS, model_dir,
                                                 relation_dir)

__all__ = ["DEFAULT_MODEL", "PIPE_CONFIG", "load_pipeline"]

#: ``component_cfg`` of every ``nlp.pipe`` over the pipeline. spaCy's span categorizer scores a batch's candidate
#: spans in one matrix product, and the last digits of a span's probability then depend on which other texts share
#: its batch (about 1 mention in 150 changed its confidence in the third decimal); one text at a time, a paper's
#: extraction is the same in a full build, an update and any number of workers, at no measurable cost in speed
#: (the token encoder before it still runs on whole batches).
PIPE_CONFIG = {"spancat": {"batch_size": 1}}

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
    for i, name in enumerate(RULE_COMPONENTS):  # a missing one goes before the next rule component present
        if not nlp.has_pipe(name):
            nlp.add_pipe(name, before=next((n for n in RULE_COMPONENTS[i + 1:] if nlp.has_pipe(n)), None))
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
