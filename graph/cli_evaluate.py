"""Placeholder: commands registered by graph.cli (to be implemented)."""

from __future__ import annotations

import click


@click.command("evaluate")
def evaluate() -> None:
    """Not implemented yet."""
    raise click.ClickException("not implemented yet")


COMMANDS = [evaluate]
