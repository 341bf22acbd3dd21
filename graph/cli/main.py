"""The ``citegraph`` command: the composition root. Each command is thin and calls one library function."""

from __future__ import annotations

import logging
import sys

import click

from citegraph.extract.records import CitegraphError


class _Group(click.Group):
    """Turns a domain failure into one clear sentence and exit code 1, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CitegraphError as e:
            raise click.ClickException(str(e)) from e


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="citegraph")
@click.option("-v", "--verbose", count=True, help="More log messages on stderr (-vv for debug).")
def main(verbose: int) -> None:
    """Turn paper listings into a citation-style knowledge graph."""
    level = logging.WARNING if not verbose else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")


def _register() -> None:
    from citegraph.graph.cli import analyze as cli_analyze
    from citegraph.graph.cli import build as cli_build
    from citegraph.graph.cli import evaluate as cli_evaluate
    from citegraph.graph.cli import store as cli_neo4j
    from citegraph.graph.cli import view as cli_view

    for module in (cli_build, cli_neo4j, cli_analyze, cli_view, cli_evaluate):
        for command in module.COMMANDS:
            main.add_command(command)


_register()

if __name__ == "__main__":
    main()
