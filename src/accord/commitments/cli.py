"""CLI commands of the commitments capability."""

import typer


def register(root: typer.Typer) -> None:
    """Add this capability's command groups to the root `accord` command."""
