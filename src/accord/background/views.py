from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accord.background.jobs import jobs_of, visible_job


@login_required
def job_list(request):
    return render(request, "background/list.html", {"jobs": jobs_of(request.user)})


@login_required
def job_detail(request, job_id: str):
    job = visible_job(request.user, job_id)  # NotVisible -> 404 (accord.platform.refusals)
    result = job.result if isinstance(job.result, dict) else {}
    keys = [key for key, _label in result.get("columns", [])]
    rows = [[row.get(key, "") for key in keys] for row in result.get("rows", [])]
    return render(request, "background/detail.html", {"job": job, "rows": rows})
