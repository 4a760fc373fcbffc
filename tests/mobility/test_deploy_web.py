"""Deployment plan pages: upload a force list, follow the schedule, see the Gantt, node load and permissions."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accord.mobility.models import DeploymentPlan

pytestmark = pytest.mark.django_db

FORCE = (
    "Deployment of 20 Armoured Brigade;;;;\n"
    "Unit;Vehicle;Count;Personnel;Origin;Destination;Ready;Due;Priority\n"
    "A Sqn;Challenger 3;14;60;tidworth;tapa;2027-03-01;2027-03-12;1\n"
    "B Coy;Boxer;20;120;bulford;tapa;2027-03-01;2027-03-03;2\n"
)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def upload(client, text: str, title="20 Armoured Brigade to Estonia", share=("NATO",)):
    return client.post(
        "/mobility/deployments/new/",
        {"title": title, "share_with": list(share), "force_file": SimpleUploadedFile("force.csv", text.encode())},
    )


def test_an_editor_uploads_a_force_list_and_sees_the_schedule_with_a_gantt_node_load_and_permissions(
    make_user, django_capture_on_commit_callbacks
):
    client = client_for(make_user("GB", "editor"))
    assert client.get("/mobility/deployments/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        r = upload(client, FORCE)
    assert r.status_code == 302
    page = client.get(r["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Planned" in html and 'aria-labelledby="gantt-title gantt-desc"' in html
    assert "Port of Paldiski" in html and 'id="permissions-table"' in html and "Estonia" in html
    assert "B Coy</strong>" in html and "Held back by the journey itself" in html  # due in two days: cannot make it
    text = re.sub(r"<[^>]+>", " ", html)
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", text), "times are shown in words, not ISO"
    plan = DeploymentPlan.objects.get()
    csv = client.get(f"/mobility/deployments/{plan.pk}/schedule.csv")
    assert csv.status_code == 200 and "Marchwood" in csv.content.decode("utf-8-sig")
    assert client.get(f"/mobility/deployments/{plan.pk}/plan.xlsx")["Content-Type"].startswith(
        "application/vnd.openxml"
    )
    # Another state learns nothing of it.
    other = client_for(make_user("FR", "editor"))
    for url in (
        f"/mobility/deployments/{plan.pk}/",
        f"/mobility/deployments/{plan.pk}/units.csv",
        "/mobility/deployments/x/",
    ):
        assert other.get(url).status_code == 404


def test_a_bad_upload_lists_every_problem_by_line_and_stores_nothing(make_user):
    client = client_for(make_user("GB", "editor"))
    r = upload(client, FORCE.replace("Challenger 3", "Chieftain").replace("bulford", "bullford"), title="")
    html = r.content.decode()
    assert r.status_code == 422 and "There is a problem" in html
    assert "Enter a title" in html and "Line 3:" in html and "Chieftain" in html and "Line 4:" in html
    assert DeploymentPlan.objects.count() == 0
    assert client.get("/mobility/deployments/?q=%00%F0%9F%92%A5").status_code < 500
