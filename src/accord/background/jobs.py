"""Background jobs: submit long work, run it as a task, report progress, show the result.

A capability registers a *kind* of job with a handler::

    @job_kind("safe.portfolio")
    def check_portfolio(job, progress):
        ...                      # progress(done, total) as it goes
        return Outcome(result={...}, url="/safe/...")

``submit(user, kind, title, payload)`` stores the job for the user's party and
enqueues ``run_job`` with Django's tasks framework. Which backend runs it is
configuration (``ACCORD_TASKS``): in the submitting process (the embedded
default, so ``make run`` needs no worker) or in ``accord worker`` processes
reading the database queue, on any number of machines.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from accord.background.models import Blob, Job
from accord.errors import InputError
from accord.platform import policy

log = logging.getLogger(__name__)

Progress = Callable[[int, "int | None"], None]


@dataclass
class Outcome:
    result: dict[str, Any] = field(default_factory=dict)
    url: str = ""


Handler = Callable[[Job, Progress], Outcome]
_kinds: dict[str, Handler] = {}


def job_kind(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        if name in _kinds and _kinds[name] is not handler:
            raise ValueError(f"job kind {name!r} is already registered")
        _kinds[name] = handler
        return handler

    return register


def store_blob(data: bytes) -> str:
    """Store bytes once; their SHA-256 names them (a second store of the same bytes is free)."""
    digest = hashlib.sha256(data).hexdigest()
    Blob.objects.get_or_create(sha256=digest, defaults={"size": len(data), "data": data})
    return digest


def read_blob(digest: str) -> bytes:
    return bytes(Blob.objects.values_list("data", flat=True).get(sha256=digest))


def submit(user, kind: str, title: str, payload: dict[str, Any], *, total: int | None = None) -> Job:
    """Record a job for the user's party and queue it. Its result is only for that party."""
    if kind not in _kinds:
        raise ValueError(f"no job kind {kind!r}")
    party = policy.party_of(user)
    if party is None:
        raise policy.Forbidden("only a user acting for a party may start work")
    job = Job.objects.create(kind=kind, title=title[:200], owner=party, submitted_by=user, payload=payload, total=total)
    # Queue after the job row is committed, so a worker in another process finds it.
    transaction.on_commit(lambda: run_job.enqueue(str(job.pk)))
    return job


def visible_job(user, job_id: str | uuid.UUID) -> Job:
    """The job if the user's party submitted it; otherwise, or if there is none, NotVisible.

    Permission comes before existence: the same answer for a job that does not
    exist and one of another party."""
    party = policy.party_of(user)
    if party is None:
        raise policy.NotVisible()
    try:
        key = uuid.UUID(str(job_id))
    except ValueError:
        raise policy.NotVisible() from None
    job = Job.objects.filter(pk=key, owner=party).first()
    if job is None:
        raise policy.NotVisible()
    return job


def jobs_of(user, limit: int = 50):
    party = policy.party_of(user)
    if party is None:
        return Job.objects.none()
    return Job.objects.filter(owner=party).defer("payload", "result")[:limit]


class _Reporter:
    """progress(done, total): written at most every half second, so a job of a million
    steps does not write a million times."""

    def __init__(self, job_id):
        self.job_id = job_id
        self.last = 0.0

    def __call__(self, done: int, total: int | None = None) -> None:
        now = time.monotonic()
        if now - self.last < 0.5 and (total is None or done < total):
            return
        self.last = now
        values = {"done": done}
        if total is not None:
            values["total"] = total
        Job.objects.filter(pk=self.job_id).update(**values)


@task()
def run_job(job_id: str) -> str:
    job = Job.objects.select_related("submitted_by", "owner").get(pk=job_id)
    if job.finished:
        return job.status
    Job.objects.filter(pk=job.pk).update(status=Job.RUNNING, started_at=timezone.now())
    handler = _kinds.get(job.kind)
    try:
        if handler is None:
            raise RuntimeError(f"no handler for job kind {job.kind!r}")
        outcome = handler(job, _Reporter(job.pk))
    except InputError as exc:
        Job.objects.filter(pk=job.pk).update(
            status=Job.FAILED,
            finished_at=timezone.now(),
            error="; ".join(str(problem) for problem in exc.problems)[:5000],
        )
        return Job.FAILED
    except Exception:
        log.exception("background job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            status=Job.FAILED,
            finished_at=timezone.now(),
            error="The work could not be finished because of a fault in Accord. It has been logged; "
            "try again later or ask your administrator.",
        )
        return Job.FAILED
    values = {
        "status": Job.DONE,
        "finished_at": timezone.now(),
        "result": outcome.result,
        "result_url": outcome.url[:300],
    }
    Job.objects.filter(pk=job.pk).update(**values)
    Job.objects.filter(pk=job.pk, total__isnull=False).update(done=F("total"))
    return Job.DONE
