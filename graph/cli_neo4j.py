"""Placeholder: commands registered by graph.cli (to be implemented)."""

from __future__ import annotations

import click


@click.command("push")
def push() -> None:
    """Not implemented yet."""
    raise click.ClickException("not implemented yet")


@click.command("query")
def query() -> None:
    """Not implemented yet."""
    raise click.ClickException("not implemented yet")


COMMANDS = [push, query]
