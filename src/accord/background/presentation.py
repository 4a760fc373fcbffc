"""What a user reads of a job, the same on the page and in the API."""

from __future__ import annotations

from typing import Any

from accord.background.models import Job


def job_out(job: Job) -> dict[str, Any]:
    return {
        "id": str(job.pk),
        "kind": job.kind,
        "title": job.title,
        "status": job.status,
        "status_label": job.get_status_display(),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "submitted_at": job.submitted_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "result": job.result,
        "result_url": job.result_url or None,
        "error": job.error or None,
    }
