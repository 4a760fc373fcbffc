"""Background jobs: long work runs as a task, reports progress, and its result is
only for the party that started it."""

import uuid

import pytest
from django.core.management import call_command
from django.test import override_settings

from accord.background import jobs
from accord.background.models import Job
from accord.platform import policy
from tests.procurement.builders import case_data

PORTFOLIO = [
    case_data({"PL": 1000}, title="All Polish"),
    case_data({"PL": 500, "US": 500}, title="Half American"),
    {"title": "Broken", "category": "¹"},
]


def _submit(user):
    from accord.procurement.jobs import PORTFOLIO as KIND

    return jobs.submit(user, KIND, "Check of 3 SAFE cases", {"cases": PORTFOLIO, "scenario": "baseline"}, total=3)


@pytest.mark.django_db
def test_a_portfolio_is_checked_case_by_case_in_the_background(make_user, django_capture_on_commit_callbacks):
    user = make_user("PL", "editor")
    with django_capture_on_commit_callbacks(execute=True):
        job = _submit(user)
    job.refresh_from_db()
    assert job.status == Job.DONE
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    verdicts = [row["verdict"] for row in job.result["rows"]]
    assert verdicts[0].startswith("Eligible")
    assert verdicts[1] == "Not eligible"
    assert verdicts[2] == "Bad input" and job.result["rows"][2]["problems"]
    assert job.result["summary"] == "3 case(s): 1 eligible, 1 not eligible, 1 with bad input."


@pytest.mark.django_db
def test_another_party_cannot_see_a_job_nor_learn_it_exists(make_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = _submit(make_user("PL", "editor"))
    stranger = make_user("FR", "editor")
    for key in (job.pk, uuid.uuid4(), "not-an-id"):
        with pytest.raises(policy.NotVisible):
            jobs.visible_job(stranger, key)


@pytest.mark.django_db
def test_the_api_answers_202_then_the_job_and_404_for_others(make_user, api_client, django_capture_on_commit_callbacks):
    owner = api_client(make_user("PL", "viewer"))
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post("/api/v1/safe/portfolio", {"cases": PORTFOLIO[:2]}, content_type="application/json")
    assert response.status_code == 202, response.content
    accepted = response.json()
    polled = owner.get(accepted["url"])
    assert polled.status_code == 200
    assert polled.json()["status"] == "done"
    assert polled.json()["result"]["counts"] == {"Eligible": 1, "Not eligible": 1, "Bad input": 0}
    stranger = api_client(make_user("DE", "editor"))
    assert stranger.get(accepted["url"]).status_code == 404
    assert stranger.get(f"/api/v1/jobs/{uuid.uuid4()}").status_code == 404


@pytest.mark.django_db
def test_the_page_shows_the_result_in_words(make_user, client, django_capture_on_commit_callbacks):
    user = make_user("PL", "editor")
    with django_capture_on_commit_callbacks(execute=True):
        job = _submit(user)
    client.force_login(user)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "3 case(s): 1 eligible, 1 not eligible, 1 with bad input." in page
    assert "Half American" in page
    client.force_login(make_user("FR", "editor"))
    assert client.get(f"/jobs/{job.pk}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_with_a_worker_queue_the_job_waits_until_a_worker_runs_it(make_user, reference_data):
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        job = _submit(make_user("PL", "editor"))
        job.refresh_from_db()
        assert job.status == Job.WAITING
        call_command("db_worker", batch=True, reload=False, startup_delay=False)
    job.refresh_from_db()
    assert job.status == Job.DONE and job.result["counts"]["Not eligible"] == 1
