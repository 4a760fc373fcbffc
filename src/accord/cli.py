"""The `accord` command. Capabilities add their groups through `register(root)`."""

from __future__ import annotations

import typer

from accord.background.cli import register as register_background
from accord.platform.capabilities import capability_configs
from accord.platform.cli import register as register_platform
from accord.platform.clitools import GuardedGroup

app = typer.Typer(
    name="accord",
    cls=GuardedGroup,  # input errors and refusals: a message and exit 2, never a traceback
    help="Accord: tools for the UK-EU Security and Defence Partnership.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

register_platform(app)
register_background(app)
for _capability in capability_configs():
    _capability.register_cli(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
