"""Platform commands: setup, serve, parties, audit, tokens, users."""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
from pathlib import Path

import typer
from rich.table import Table

from accord.platform.capabilities import capability_configs
from accord.platform.clitools import EXIT_NEGATIVE, console, emit_json, fail, setup_django

parties_app = typer.Typer(help="States and institutions, and their dated memberships.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit trail.", no_args_is_help=True)
token_app = typer.Typer(help="Per-user API tokens.", no_args_is_help=True)
users_app = typer.Typer(help="Users, their party and roles.", no_args_is_help=True)


def _cli_actor():
    from accord.platform.audit import Actor

    return Actor(f"cli:{getpass.getuser()}")


@contextlib.contextmanager
def _setup_lock(var_dir: Path):
    """One `accord setup` at a time.

    A file lock in the var directory serialises set-ups on this machine (and
    so on one SQLite file); on PostgreSQL a session advisory lock also
    serialises set-ups run from several machines against one database. A
    second set-up waits, then finds every step done and changes nothing.
    """
    import fcntl

    from django.db import connection

    var_dir.mkdir(parents=True, exist_ok=True)
    with open(var_dir / "setup.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_lock(%s)", [SETUP_LOCK_KEY])
                try:
                    yield
                finally:
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_advisory_unlock(%s)", [SETUP_LOCK_KEY])
            else:
                yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


SETUP_LOCK_KEY = 0x4163636F7264  # "Accord": the advisory lock of `accord setup`


def setup(
    demo_users: bool = typer.Option(
        True,
        help="Create the demo users (one per demo party and an administrator) on a new installation; complete them if some are missing.",
    ),
) -> None:
    """Migrate the database, load reference data, create demo users, collect static files.

    Safe to run again, to interrupt, and to run twice at once: each step
    checks what is there and adds what is missing.
    """
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from accord.platform.audit import acting_as
    from accord.platform.demo import create_demo_users
    from accord.platform.reference import load_parties

    with _setup_lock(Path(settings.VAR_DIR)):
        console.print("Applying database migrations")
        call_command("migrate", interactive=False, verbosity=0)
        with acting_as(_cli_actor()):
            counts = load_parties()
            console.print(
                f"Parties reference data: {counts.created} created, {counts.updated} updated, {counts.removed} removed"
            )
            for capability in capability_configs():
                capability.load_reference(console)
            if demo_users:
                created = create_demo_users()
                if created:
                    table = Table(title="Demo users (shown once: note the passwords now)")
                    for column in ("user name", "password", "party", "roles"):
                        table.add_column(column)
                    for username, password, party, roles in created:
                        table.add_row(username, password, party, ", ".join(roles))
                    console.print(table)
        call_command("collectstatic", interactive=False, verbosity=0)
    console.print("[green]Accord is set up.[/]")


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, max=64, help="Worker processes: 1 runs waitress; more run gunicorn."),
    threads: int = typer.Option(8, min=1, max=256, help="Threads in each worker process."),
) -> None:
    """Serve the web app and API (waitress for one process, gunicorn for several).

    Behind a TLS proxy, set ACCORD_TRUSTED_PROXIES to the proxy's address so
    that its X-Forwarded-Proto and X-Forwarded-For are believed (docs/operations.md).
    """
    setup_django()
    from django.conf import settings

    from accord.platform import serving

    trusted = list(settings.TRUSTED_PROXIES)
    if workers == 1 and len(trusted) > 1:
        fail(
            "ACCORD_TRUSTED_PROXIES: one process (waitress) trusts one proxy address; "
            "give one, or serve with --workers 2 or more"
        )
    console.print(
        f"Accord is at [bold]http://{host}:{port}/[/] (API docs: http://{host}:{port}/api/v1/docs), "
        f"{workers} process(es) of {threads} threads. Stop with Ctrl+C."
    )
    if workers == 1:
        from django.core.wsgi import get_wsgi_application

        serving.run_waitress(get_wsgi_application(), host, port, threads, trusted)
    else:
        serving.run_gunicorn(host, port, workers, threads, trusted)


@parties_app.command("list")
def parties_list(
    kind: str | None = typer.Option(None, help="Only 'state' or 'institution'."),
    as_json: bool = typer.Option(False, "--json", help="Print stable JSON (see docs/cli.md)."),
) -> None:
    """List parties."""
    setup_django()
    from accord.platform.models import Party

    parties = Party.objects.all()
    if kind:
        parties = parties.filter(kind=kind)
    rows = [{"code": p.code, "name": p.name, "kind": p.kind} for p in parties]
    if as_json:
        emit_json(rows)
        return
    table = Table(title=f"{len(rows)} parties")
    for column in ("code", "name", "kind"):
        table.add_column(column)
    for r in rows:
        table.add_row(r["code"], r["name"], r["kind"])
    console.print(table)


@parties_app.command("show")
def parties_show(
    code: str,
    on: str | None = typer.Option(None, help="Also say which memberships were in force on this date (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help="Print stable JSON (see docs/cli.md)."),
) -> None:
    """Show one party with its dated memberships."""
    setup_django()
    from accord.platform.api import membership_rows
    from accord.platform.models import Party

    party = Party.objects.filter(code=code.upper()).first()
    if party is None:
        fail(f"no party with code {code!r}; `accord parties list` shows them all")
    on_date = None
    if on:
        try:
            on_date = dt.date.fromisoformat(on)
        except ValueError:
            fail(f"--on: {on!r} is not a date (YYYY-MM-DD)")
    memberships = membership_rows(party)
    if on_date:
        for m in memberships:
            m["in_force"] = (m["start"] is None or m["start"] <= on_date) and (m["end"] is None or on_date <= m["end"])
    data = {
        "code": party.code,
        "name": party.name,
        "kind": party.kind,
        "source": {"title": party.source_title, "href": party.source_href},
        "memberships": memberships,
    }
    if as_json:
        emit_json(data)
        return
    console.print(f"[bold]{party.name}[/] ({party.code}, {party.kind})")
    table = Table()
    for column in ("framework", "from", "to", "source"):
        table.add_column(column)
    for m in memberships:
        table.add_row(
            m["framework_name"],
            m["start"].isoformat() if m["start"] else "not recorded",
            m["end"].isoformat() if m["end"] else "current",
            m["source_title"],
        )
    console.print(table)


@audit_app.command("verify")
def audit_verify(
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    full: bool = typer.Option(
        False, "--full", help="Recompute every entry, not only those after the last verified one."
    ),
) -> None:
    """Check the hash chain from the last verified entry (all of it with --full); exit 1 naming the first broken entry."""
    setup_django()
    from accord.platform.audit import verify

    report = verify(full=full)
    if as_json:
        emit_json(report.as_dict())
    elif report.ok:
        since = f" ({report.checked} new since entry {report.since})" if report.since else ""
        console.print(f"[green]Audit trail intact:[/] {report.entries} entries verified{since}.")
    else:
        console.print(f"[bold red]Audit trail broken at entry {report.first_broken}:[/] {report.reason}.")
    if not report.ok:
        raise typer.Exit(EXIT_NEGATIVE)


@token_app.command("create")
def token_create(username: str, name: str = typer.Option("", help="A label for the token.")) -> None:
    """Create an API token for USERNAME and print it (it is shown only once)."""
    setup_django()
    from django.contrib.auth import get_user_model

    from accord.platform.audit import acting_as
    from accord.platform.tokens import create_token

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        fail(f"no user {username!r}")
    with acting_as(_cli_actor()):
        token = create_token(user, name=name)
    print(token)


@token_app.command("revoke")
def token_revoke(username: str) -> None:
    """Revoke every API token of USERNAME."""
    setup_django()
    from django.contrib.auth import get_user_model

    from accord.platform.audit import acting_as
    from accord.platform.tokens import revoke_tokens

    if not get_user_model().objects.filter(username=username).exists():
        fail(f"no user {username!r}")
    with acting_as(_cli_actor()):
        count = revoke_tokens(username)
    console.print(f"Revoked {count} token(s) of {username}.")


@users_app.command("create")
def users_create(
    username: str,
    party: str = typer.Option(..., help="The party the user acts for (e.g. GB, EEAS)."),
    role: list[str] = typer.Option(
        ["viewer"], help="A role: viewer, editor, approver, administrator. Repeat for several."
    ),
) -> None:
    """Create a user; the password is read from ACCORD_PASSWORD or asked for."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from accord.platform.audit import acting_as
    from accord.platform.demo import create_user
    from accord.platform.models import Party

    if get_user_model().objects.filter(username=username).exists():
        fail(f"user {username!r} already exists")
    if not Party.objects.filter(code=party.upper()).exists():
        fail(f"--party: no party with code {party!r}")
    password = os.environ.get("ACCORD_PASSWORD") or typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        validate_password(password)
    except ValidationError as exc:
        fail("password: " + " ".join(exc.messages))
    try:
        with acting_as(_cli_actor()):
            create_user(username, party.upper(), role, password)
    except ValueError as exc:
        fail(f"--role: {exc}")
    console.print(f"Created {username} for {party.upper()} ({', '.join(role)}).")


def register(root: typer.Typer) -> None:
    root.command()(setup)
    root.command()(serve)
    root.add_typer(parties_app, name="parties")
    root.add_typer(audit_app, name="audit")
    root.add_typer(token_app, name="token")
    root.add_typer(users_app, name="users")
