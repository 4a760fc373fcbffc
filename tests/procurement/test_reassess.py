"""Verdicts that follow the rules: a stored assessment records the parameter values it used; when
a scenario's parameters change, the assessments made under it are evaluated again and those that
would change are flagged with the difference, never silently rewritten."""

from __future__ import annotations

import pytest
from django.test import Client

from accord.errors import InputError
from accord.platform import policy
from accord.platform.models import AuditEntry
from accord.procurement import reassessment, services
from accord.procurement.models import Assessment, SafeScenario

from .builders import case_data

pytestmark = pytest.mark.django_db

CAP = "safe.component_cost.non_eligible_cap"


def scenario_yaml(cap: float, name: str = "stricter-cap") -> str:
    return f"name: {name}\nlabel: A stricter cap on non-eligible components\noverrides:\n  {CAP}: {cap}\n"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_stored_assessment_records_the_parameter_values_and_scenario_it_used(make_user):
    user = make_user("PL", "editor")
    assessment = services.create_assessment(user, case_data({"PL": 700, "US": 300}))
    assert assessment.scenario == "baseline"
    assert assessment.parameters[CAP] == 0.35
    assert set(assessment.parameters["safe.instrument.product_categories"]) == {"1", "2"}
    assert (assessment.category, assessment.procurers) == (1, ",PL,LT,")


def test_a_stale_verdict_after_a_parameter_change_is_flagged_with_the_difference_not_rewritten(make_user):
    user = make_user("PL", "editor")
    reassessment.upload_scenario(user, scenario_yaml(0.35))
    # 30% non-eligible: passes under a 35% cap
    assessment = services.create_assessment(user, case_data({"PL": 700, "US": 300}), scenario="stricter-cap")
    assert assessment.eligible is True and assessment.parameters[CAP] == 0.35
    stored_verdict = assessment.verdict

    _, summary = reassessment.upload_scenario(user, scenario_yaml(0.25))  # the scenario's cap changes

    assessment.refresh_from_db()
    assert summary.flagged == [assessment.pk]
    assert assessment.verdict == stored_verdict and assessment.eligible is True  # not rewritten
    assert assessment.pending_verdict["eligible"] is False
    shown = {d["label"]: (d["old"], d["new"]) for d in assessment.differences}
    assert shown["Verdict"] == ("eligible", "not eligible")
    assert shown["Limit on the non-eligible share"] == ("35%", "25%")
    assert shown["Headroom"] == ("€76.92", "−€66.67")  # (cT − N)/(1 − c) may be added; else minus the price cut
    assert any(label.startswith("Maximum share of component cost") for label in shown)  # the parameter itself
    assert AuditEntry.objects.filter(record_id=str(assessment.pk), action="safe.reassessment_flagged").exists()

    page = client_for(user).get(f"/safe/assessments/{assessment.pk}/").content.decode()
    assert 'id="stale"' in page and "Verdict: eligible before, not eligible now." in page
    listing = client_for(user).get("/safe/reassessment/").content.decode()
    assert assessment.title in listing

    # a user of the owning party accepts the new verdict: now, and only now, it is rewritten (audited)
    response = client_for(user).post(f"/safe/assessments/{assessment.pk}/accept/")
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.eligible is False and assessment.parameters[CAP] == 0.25
    assert assessment.pending_verdict is None and assessment.flagged_at is None
    assert AuditEntry.objects.filter(record_id=str(assessment.pk), action="safe.new_verdict_accepted").exists()


def test_reassessing_when_nothing_changed_flags_nothing(make_user):
    user = make_user("PL", "editor")
    assessment = services.create_assessment(user, case_data({"PL": 700, "US": 300}))
    summary = reassessment.reassess_all()
    assert summary.checked == 1 and summary.flagged == []
    assessment.refresh_from_db()
    assert assessment.flagged_at is None


def test_another_party_cannot_see_accept_or_probe_a_flagged_assessment(make_user):
    owner = make_user("PL", "editor")
    stranger = make_user("DE", "editor")
    reassessment.upload_scenario(owner, scenario_yaml(0.35))
    assessment = services.create_assessment(owner, case_data({"PL": 700, "US": 300}), scenario="stricter-cap")
    reassessment.upload_scenario(owner, scenario_yaml(0.25))
    client = client_for(stranger)
    missing = Assessment.objects.order_by("-pk").first().pk + 1000
    # the same answer whether the assessment exists or not
    for pk in (assessment.pk, missing):
        assert client.get(f"/safe/assessments/{pk}/").status_code == 404
        assert client.post(f"/safe/assessments/{pk}/accept/").status_code == 404
    assert assessment.title not in client.get("/safe/reassessment/").content.decode()
    with pytest.raises(policy.NotVisible):
        reassessment.accept_new_verdict(stranger, assessment.pk)
    assessment.refresh_from_db()
    assert assessment.pending_verdict is not None  # untouched


def test_a_scenario_with_an_unknown_parameter_is_refused_naming_it(make_user):
    user = make_user("PL", "editor")
    text = "name: mine\noverrides:\n  safe.component_cost.non_eligible_capp: 0.5\n  safe.nothing.here: 1\n"
    with pytest.raises(InputError) as caught:
        reassessment.upload_scenario(user, text)
    shown = [str(p) for p in caught.value.problems]
    assert any("unknown parameter 'safe.component_cost.non_eligible_capp'" in s and CAP in s for s in shown)
    assert any("unknown parameter 'safe.nothing.here'" in s for s in shown)
    assert SafeScenario.objects.count() == 0


def test_a_scenario_with_a_wrong_kind_of_value_aliases_or_too_many_bytes_is_refused(make_user):
    user = make_user("PL", "editor")
    with pytest.raises(InputError, match="takes a number, not text"):
        reassessment.upload_scenario(user, f"name: mine\noverrides:\n  {CAP}: lots\n")
    with pytest.raises(InputError, match="fraction from 0 to 1"):
        reassessment.upload_scenario(user, f"name: mine\noverrides:\n  {CAP}: 35\n")
    with pytest.raises(InputError, match="aliases"):
        reassessment.upload_scenario(user, f"name: mine\nx: &a [1]\noverrides:\n  {CAP}: *a\n")
    with pytest.raises(InputError, match="limit"):
        reassessment.upload_scenario(user, "name: mine\n" + "#" * 70_000 + "\n")
    with pytest.raises(InputError, match="built-in scenario"):
        reassessment.upload_scenario(user, f"name: uk-participation\noverrides:\n  {CAP}: 0.4\n")
    with pytest.raises(InputError, match="not valid YAML"):
        reassessment.upload_scenario(user, "name: [unclosed\n")
    assert SafeScenario.objects.count() == 0


def test_a_partys_own_scenario_is_usable_only_by_that_party(make_user):
    owner = make_user("PL", "editor")
    other = make_user("DE", "editor")
    reassessment.upload_scenario(owner, scenario_yaml(0.25))
    _, verdict = services.check_case(case_data({"PL": 700, "US": 300}), scenario="stricter-cap", user=owner)
    assert verdict.eligible is False and verdict.scenario == "stricter-cap"
    with pytest.raises(InputError, match="unknown scenario"):
        services.check_case(case_data({"PL": 700, "US": 300}), scenario="stricter-cap", user=other)


def test_the_api_reevaluates_the_partys_assessments_as_a_job_and_accepts_the_new_verdict(
    make_user, api_client, django_capture_on_commit_callbacks
):
    user = make_user("PL", "editor")
    reassessment.upload_scenario(user, scenario_yaml(0.35))
    assessment = services.create_assessment(user, case_data({"PL": 700, "US": 300}), scenario="stricter-cap")
    record = SafeScenario.objects.get()
    record.overrides = {CAP: 0.25}  # changed without the services: only the job finds it
    record.save()
    client = api_client(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/safe/reassess")
    assert response.status_code == 202
    job = client.get(response.json()["url"]).json()
    assert job["status"] == "done" and job["result"]["rows"][0]["id"] == str(assessment.pk)
    stranger = api_client(make_user("DE", "editor"))
    assert stranger.post(f"/api/v1/safe/assessments/{assessment.pk}/accept").status_code == 404
    viewer = api_client(make_user("PL", "viewer"))
    assert viewer.post(f"/api/v1/safe/assessments/{assessment.pk}/accept").status_code == 403
    accepted = client.post(f"/api/v1/safe/assessments/{assessment.pk}/accept")
    assert accepted.status_code == 200 and accepted.json()["eligible"] is False
    assert client.post(f"/api/v1/safe/assessments/{assessment.pk}/accept").status_code == 422  # nothing left
