"""The `accord` command. Capabilities add their groups through `register(root)`."""

from __future__ import annotations

from importlib import import_module

import typer

from accord.platform.cli import register as register_platform
from accord.platform.clitools import GuardedGroup

CAPABILITY_CLIS = ["procurement", "mobility", "missions", "dialogue", "commitments"]

app = typer.Typer(
    name="accord",
    cls=GuardedGroup,  # input errors and refusals: a message and exit 2, never a traceback
    help="Accord: tools for the UK-EU Security and Defence Partnership.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

register_platform(app)
for _name in CAPABILITY_CLIS:
    import_module(f"accord.{_name}.cli").register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
