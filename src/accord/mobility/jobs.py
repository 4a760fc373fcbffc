"""Mobility work that runs in the background: scheduling a deployment plan (issue 14)."""

from __future__ import annotations

from accord.background.jobs import Outcome, job_kind
from accord.mobility.deployments import JOB_KIND, schedule_stored


@job_kind(JOB_KIND)
def schedule_deployment(job, progress) -> Outcome:
    plan_id = int(job.payload["plan"])
    summary = schedule_stored(plan_id, progress=progress, time_limit_s=float(job.payload.get("time_limit", 30.0)))
    return Outcome(result={"summary": summary}, url=f"/mobility/deployments/{plan_id}/")
