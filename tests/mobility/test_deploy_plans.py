"""Deployment plans stored per state, merged by a NATO or EU planner against shared node capacity (issue 14)."""

from __future__ import annotations

import json

import pytest

from accord.mobility.models import DeploymentPlan
from accord.platform.models import AuditEntry

pytestmark = pytest.mark.django_db


def rows(state: str, origin: str, vehicle: str, count: int, n: int = 1) -> list[dict]:
    return [
        {
            "unit": f"{state} unit {i + 1}",
            "vehicle": vehicle,
            "count": count,
            "personnel": 40,
            "origin": origin,
            "destination": "tapa",
            "ready": "2027-03-01",
            "due": "2027-03-12",
            "priority": 1 + i % 3,
        }
        for i in range(n)
    ]


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def national_plans(make_user, api_client, django_capture_on_commit_callbacks):
    """The UK sails from Marchwood, Germany from Emden: both land at Paldiski (one ro-ro call a day)."""
    gb, de = api_client(make_user("GB", "editor")), api_client(make_user("DE", "editor"))
    out = {}
    for client, state, body in (
        (gb, "GB", rows("GB", "tidworth", "Challenger 3", 14, 2)),
        (de, "DE", rows("DE", "munster_ni", "Leopard 2A7", 14, 2)),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            r = post(
                client,
                "/api/v1/mobility/deployments",
                {"title": f"{state} brigade to Estonia", "force": body, "share_with": ["NATO"], "time_limit": 3},
            )
        assert r.status_code == 202, r.content
        plan = client.get(f"/api/v1/mobility/deployments/{r.json()['plan']['id']}").json()
        assert plan["status"] == "planned", plan["error"]
        out[state] = plan
    return out


def test_each_state_owns_its_plan_and_the_plan_is_scheduled_in_the_background(national_plans, api_client, make_user):
    gb = national_plans["GB"]
    assert gb["owner"] == "GB" and gb["shared_with"] == ["NATO"] and gb["job_page"].startswith("/jobs/")
    assert {u["unit"] for u in gb["units_schedule"]} == {"GB unit 1", "GB unit 2"}
    assert any(r["to"] == "paldiski" and r["mode"] == "sea" for r in gb["schedule"])
    # A third state sees neither plan, nor learns it exists.
    fr = api_client(make_user("FR", "editor"))
    assert fr.get(f"/api/v1/mobility/deployments/{gb['id']}").status_code == 404
    assert fr.get("/api/v1/mobility/deployments").json() == []
    assert AuditEntry.objects.filter(record_type__icontains="deploymentplan").count() >= 2


def test_a_merged_plan_schedules_two_states_units_through_one_port_within_its_calls_a_day(
    national_plans, api_client, make_user, django_capture_on_commit_callbacks
):
    # Alone, each national plan lands at Paldiski on the same day: together they ask for two calls.
    days = {
        state: {n["date"] for n in plan["node_load"] if n["node"] == "paldiski"}
        for state, plan in national_plans.items()
    }
    assert days["GB"] & days["DE"]
    nato = api_client(make_user("NATO", "editor"))
    with django_capture_on_commit_callbacks(execute=True):
        r = post(
            nato,
            "/api/v1/mobility/deployments/merge",
            {"plans": [national_plans["GB"]["id"], national_plans["DE"]["id"]], "time_limit": 3},
        )
    assert r.status_code == 202, r.content
    merged = nato.get(f"/api/v1/mobility/deployments/{r.json()['plan']['id']}").json()
    assert merged["status"] == "planned" and merged["owner"] == "NATO"
    assert merged["shared_with"] == ["DE", "GB"]
    conflict = [c for c in merged["conflicts"] if c["node"] == "paldiski"]
    assert conflict and conflict[0]["by_state"] == {"GB": 1, "DE": 1} and conflict[0]["capacity"] == 1
    # The merged schedule carries both states' units into Paldiski, never more than one call a day.
    landed = {r["unit"].split()[0] for r in merged["schedule"] if r["mode"] == "sea" and r["to"] == "paldiski"}
    assert landed == {"GB", "DE"}
    calls: dict[str, set] = {}
    for r in merged["schedule"]:
        if r["mode"] == "sea" and r["to"] == "paldiski":
            calls.setdefault(r["end"][:10], set()).add(r["column"])
    assert calls and all(len(sailings) <= 1 for sailings in calls.values())
    assert {p["requesting_state"] for p in merged["permissions"]} == {"GB", "DE"}
    # Each contributing state sees the merged plan; the export carries it.
    gb = api_client(make_user("GB", "viewer"))
    assert gb.get(f"/api/v1/mobility/deployments/{merged['id']}").status_code == 200
    export = gb.get(f"/api/v1/mobility/deployments/{merged['id']}/export?format=csv&table=node_load")
    assert export.status_code == 200 and "Port of Paldiski" in export.content.decode("utf-8-sig")


def test_only_a_nato_or_eu_planner_who_sees_every_plan_may_merge(
    national_plans, api_client, make_user, django_capture_on_commit_callbacks
):
    ids = [national_plans["GB"]["id"], national_plans["DE"]["id"]]
    gb = api_client(make_user("GB", "editor"))
    assert post(gb, "/api/v1/mobility/deployments/merge", {"plans": ids}).status_code == 404  # cannot see DE's plan
    viewer = api_client(make_user("NATO", "viewer"))
    assert post(viewer, "/api/v1/mobility/deployments/merge", {"plans": ids}).status_code == 403
    eu = api_client(make_user("EU", "editor"))
    assert post(eu, "/api/v1/mobility/deployments/merge", {"plans": ids}).status_code == 404  # not shared with the EU
    before = DeploymentPlan.objects.count()
    nato = api_client(make_user("NATO", "editor"))
    r = post(nato, "/api/v1/mobility/deployments/merge", {"plans": ids[:1]})
    assert r.status_code == 422 and DeploymentPlan.objects.count() == before


def test_a_bad_force_list_is_refused_with_every_problem_by_line_and_nothing_is_stored(make_user, api_client):
    client = api_client(make_user("GB", "editor"))
    body = rows("GB", "tidworth", "Challenger 3", 14, 2)
    body[0]["vehicle"] = "Chieftain"
    body[1]["origin"] = "atlantis"
    body[1]["due"] = "31/02/2027"
    r = post(client, "/api/v1/mobility/deployments", {"title": "", "force": body})
    assert r.status_code == 422
    found = {(e["line"], e["field"]) for e in r.json()["errors"]}
    assert found == {(None, "title"), (1, "vehicle"), (2, "origin"), (2, "due")}
    assert DeploymentPlan.objects.count() == 0
    assert (
        post(
            api_client(make_user("GB", "viewer")),
            "/api/v1/mobility/deployments",
            {"title": "x", "force": rows("GB", "tidworth", "Boxer", 4)},
        ).status_code
        == 403
    )


@pytest.mark.django_db(transaction=True)  # the job starts when the plan is committed, as in use
def test_the_cli_stores_a_plan_and_follows_its_background_job_to_the_end(make_user, tmp_path):
    from typer.testing import CliRunner

    from .test_mobility_cli import root

    make_user("GB", "editor", username="gb-planner")
    path = tmp_path / "brigade.csv"
    path.write_text(
        "unit,vehicle,count,personnel,origin,destination,ready,due,priority\n"
        "A Sqn,Boxer,12,60,tidworth,tapa,2027-03-01,2027-03-12,1\n"
    )
    args = ["move", "deploy", str(path), "--store", "--user", "gb-planner", "--share-with", "NATO"]
    r = CliRunner().invoke(root, [*args, "--time-limit", "2", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["status"] == "planned" and out["summary"]["units"] == 1
    plan = DeploymentPlan.objects.get(pk=out["id"])
    assert plan.owner.code == "GB" and list(plan.shared_with.values_list("code", flat=True)) == ["NATO"]
