"""``citegraph evaluate``: score the extractor against a gold file, from raw text."""

from __future__ import annotations

import json
import logging

import click

log = logging.getLogger(__name__)

LABEL_CHOICES = ("method", "dataset", "task", "metric", "concept")


def _load(model: str | None, ner_only: bool):
    import spacy

    from citegraph.extract.pipeline import load as pipeline
    from citegraph.extract.records import CitegraphError

    if ner_only:
        path = model or pipeline.DEFAULT_MODEL
        try:
            nlp = spacy.load(path)
        except (OSError, ValueError) as e:
            raise click.ClickException(f"cannot load the spaCy pipeline at {path}: {e}") from e
        from citegraph.extract.runner.provenance import TRAINED_COMPONENTS

        nlp.select_pipes(enable=[n for n in nlp.pipe_names if n in (*TRAINED_COMPONENTS, "entity_ruler")])
        return nlp
    if hasattr(pipeline, "load_pipeline"):
        try:
            return pipeline.load_pipeline(model)
        except (CitegraphError, OSError, ValueError) as e:
            raise click.ClickException(str(e)) from e
    return spacy.load(model or pipeline.DEFAULT_MODEL)


@click.command("evaluate")
@click.argument("gold_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--model", type=click.Path(exists=True, file_okay=False), default=None,
              help="A spaCy pipeline directory (default: the shipped extract/models/citegraph_sci).")
@click.option("--ner-only", is_flag=True,
              help="Score the trained model alone (span model or NER), without the rule components.")
@click.option("--labels", default=None,
              help="Comma-separated labels to score (default: the labels the gold file annotates).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def evaluate(gold_file: str, model: str | None, ner_only: bool, labels: str | None, fmt: str) -> None:
    """Score predicted entities against GOLD_FILE: precision, recall and F1 per label, micro-averaged, exact span and
    label, plus untyped span match; and the typed relations when the gold has them (SciERC, SciER), end to end on
    the pipeline's own entities. GOLD_FILE is SciERC JSON or SciER JSONL (rebuilt as raw text; SciER scores
    method, task and dataset) or citegraph gold JSONL
    (one paper per line: id, title, abstract, entities with field/start/end/label).

    Example: citegraph evaluate ../shared/data/scierc/dev.json --format json
    """
    from citegraph.extract.evaluate import evaluate as run, format_table, gold_labels, load_gold

    try:
        gold = load_gold(gold_file)
    except ValueError as e:
        raise click.ClickException(str(e)) from e
    wanted = tuple(x.strip() for x in labels.split(",") if x.strip()) if labels else gold_labels(gold)
    bad = [x for x in wanted if x not in LABEL_CHOICES]
    if bad:
        raise click.ClickException(f"unknown label(s) {bad}; expected some of {list(LABEL_CHOICES)}")
    nlp = _load(model, ner_only)
    scores = run(nlp, gold, wanted)
    info = {"gold": gold_file, "model": model or "citegraph_sci (shipped)", "components": list(nlp.pipe_names),
            "scored_labels": list(wanted)}
    if fmt == "json":
        click.echo(json.dumps({**info, **scores}, indent=2, sort_keys=True))
    else:
        click.echo(f"{gold_file}: {scores['docs']} texts; pipeline {', '.join(nlp.pipe_names)}", err=True)
        click.echo(format_table(scores))
        if "relations" in scores:
            click.echo("\nrelations (both argument spans exact and the label right; SciER's labels mapped to SciERC's)")
            click.echo(format_table(scores["relations"]))


COMMANDS = [evaluate]
