"""API for background jobs: /api/v1/jobs/. Work that takes long answers 202 with a
job URL here; poll it until ``status`` is ``done`` or ``failed``."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Router, Schema

from accord.background.jobs import jobs_of, visible_job
from accord.background.presentation import job_out

router = Router(tags=["Background jobs"])


class JobOut(Schema):
    id: str
    kind: str
    title: str
    status: Literal["waiting", "running", "done", "failed"]
    status_label: str
    done: int
    total: int | None
    percent: int | None
    submitted_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    result: Any | None
    result_url: str | None
    error: str | None


class NotFound(Schema):
    detail: str


@router.get("/", response=list[JobOut], summary="Your party's latest background jobs (newest first)")
def list_jobs(request):
    return [job_out(job) for job in jobs_of(request.auth)]


@router.get(
    "/{job_id}",
    response={200: JobOut, 404: NotFound},
    summary="One background job: its status, progress and result (404 if not your party's)",
)
def get_job(request, job_id: str):
    return job_out(visible_job(request.auth, job_id))
