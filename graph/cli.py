"""The ``citegraph`` command: the composition root. Each command is thin and calls one library function."""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="citegraph")
def main() -> None:
    """Turn paper listings into a citation-style knowledge graph."""


def _register() -> None:
    from graph import cli_analyze, cli_evaluate, cli_neo4j, cli_view

    for module in (cli_neo4j, cli_analyze, cli_view, cli_evaluate):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
