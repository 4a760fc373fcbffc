"""`accord worker` runs background jobs; `accord jobs` follows them."""

from __future__ import annotations

import time

import typer

from accord.platform.clitools import EXIT_BAD_INPUT, console, setup_django

jobs_app = typer.Typer(help="Background jobs: follow long work.", no_args_is_help=True)


def worker(
    batch: bool = typer.Option(False, "--batch", help="Run every waiting job, then stop."),
    max_tasks: int = typer.Option(0, "--max-tasks", help="Stop after this many jobs (0: no limit)."),
) -> None:
    """Run background jobs from the database queue (when ACCORD_TASKS=worker)."""
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    if not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
        console.print(
            "Background jobs run inside the web process (ACCORD_TASKS is not 'worker'), "
            "so there is nothing for a worker to do. Set ACCORD_TASKS=worker for the web "
            "processes and the workers to share a queue."
        )
        raise typer.Exit(EXIT_BAD_INPUT)
    options = {"batch": batch, "reload": False}
    if max_tasks:
        options["max_tasks"] = max_tasks
    call_command("db_worker", **options)


@jobs_app.command("wait")
def wait(job_id: str = typer.Argument(..., help="The job's id, as the API or the page gives it.")) -> None:
    """Show a job's progress until it is done (ids are global: any job, as the operator)."""
    setup_django()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from accord.background.models import Job

    job = Job.objects.filter(pk=job_id).first() if _is_uuid(job_id) else None
    if job is None:
        console.print(f"There is no job {job_id}.")
        raise typer.Exit(EXIT_BAD_INPUT)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console) as bar:
        line = bar.add_task(job.title, total=job.total)
        while True:
            job.refresh_from_db()
            bar.update(line, completed=job.done, total=job.total)
            if job.finished:
                break
            time.sleep(0.5)
    console.print(f"{job.title}: {job.get_status_display().lower()}." + (f" {job.error}" if job.error else ""))
    raise typer.Exit(0 if job.status == Job.DONE else EXIT_BAD_INPUT)


def _is_uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def register(root: typer.Typer) -> None:
    root.command("worker")(worker)
    root.add_typer(jobs_app, name="jobs")
