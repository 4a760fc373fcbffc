"""Issue 10 on the web and the API: the parts on the verdict page, their XLSX, the re-sourcing plan."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accord.procurement import services

from .builders import case_data
from .test_advice_resource import hand_built
from .test_procurement_web import signed_in

pytestmark = pytest.mark.django_db


def test_the_verdict_page_lists_the_parts_largest_non_eligible_first_with_a_spreadsheet_to_download(make_user):
    user = make_user("PL", "editor")
    assessment = services.create_assessment(user, hand_built())
    client = signed_in(user)
    page = client.get(f"/safe/assessments/{assessment.pk}/").content.decode()
    table = page[page.index('id="parts-table"') :]
    order = [table.index(f">{p}<") for p in ("P1", "P2", "P0", "P3", "PART-PL")]
    assert order == sorted(order)  # 190, 180, 80, 50 non-eligible, then the eligible part
    assert "Move at least €80.00 of non-eligible component cost" in page
    assert f"/safe/assessments/{assessment.pk}/resource/" in page
    response = client.get(f"/safe/assessments/{assessment.pk}/parts.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content))["Parts"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["P1", "P2", "P0", "P3", "PART-PL"]


def test_the_resource_page_shows_the_plan_and_respects_pins_and_an_uploaded_price_list(make_user):
    user = make_user("PL", "editor")
    assessment = services.create_assessment(user, hand_built())
    client = signed_in(user)
    url = f"/safe/assessments/{assessment.pk}/resource/"
    page = client.get(url).content.decode()
    assert "Re-source 1 part (€80.00 of non-eligible cost)" in page
    pinned = client.post(url, {"pin": ["P0"]}).content.decode()
    assert "P0: pinned" in pinned and "Passes" in pinned
    quotes = SimpleUploadedFile("q.csv", b"part;unit_cost\nP0;95\nP1;225\nP2;205\nP3;90\n", content_type="text/csv")
    priced = client.post(url, {"candidates": quotes}).content.decode()
    assert "at €15.00 extra cost" in priced
    bad = SimpleUploadedFile("q.csv", b"part;unit_cost\nP0;lots\n", content_type="text/csv")
    response = client.post(url, {"candidates": bad})
    assert response.status_code == 422
    assert "Suppliers&#x27; file line 2: &#x27;lots&#x27; is not a price" in response.content.decode()


def test_the_advice_pages_of_another_partys_assessment_answer_404(make_user):
    assessment = services.create_assessment(make_user("PL", "editor"), case_data({"PL": 640, "GB": 360}))
    outsider = signed_in(make_user("GB", "viewer"))
    for suffix in ("parts.xlsx", "resource/"):
        assert outsider.get(f"/safe/assessments/{assessment.pk}/{suffix}").status_code == 404


def test_the_api_gives_the_parts_and_the_headroom_and_a_plan(make_user, api_client):
    user = make_user("PL", "editor")
    assessment = services.create_assessment(user, hand_built())
    client = api_client(user)
    body = client.get(f"/api/v1/safe/assessments/{assessment.pk}/parts").json()
    assert [p["id"] for p in body["parts"]][:2] == ["P1", "P2"]
    assert body["headroom"]["resource_eur"] == 80.0
    plan = client.post(
        f"/api/v1/safe/assessments/{assessment.pk}/resource",
        {
            "pins": ["P1"],
            "candidates": [{"part": p, "unit_cost": v} for p, v in (("P0", 95), ("P1", 225), ("P2", 205))],
        },
        content_type="application/json",
    ).json()
    assert plan["parts_to_resource"] == ["P0"] and plan["extra_cost_eur"] == 15.0
    bad = client.post(
        f"/api/v1/safe/assessments/{assessment.pk}/resource", {"pins": ["NOPE"]}, content_type="application/json"
    )
    assert bad.status_code == 422 and "NOPE" in bad.content.decode()
    other = api_client(make_user("GB", "viewer"))
    assert other.get(f"/api/v1/safe/assessments/{assessment.pk}/parts").status_code == 404
