"""Placeholder: commands registered by graph.cli (to be implemented)."""

from __future__ import annotations

import click


@click.command("analyze")
def analyze() -> None:
    """Not implemented yet."""
    raise click.ClickException("not implemented yet")


COMMANDS = [analyze]
