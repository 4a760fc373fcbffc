"""The SAFE pages: the case form with a BOM upload, the GOV.UK error summary, the verdict page."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accord.procurement import services
from accord.procurement.models import Assessment

from .builders import case_data
from .test_procurement_bom import CSV_BOM

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Joint 155mm ammunition purchase",
    "assessment_date": "2026-03-01",
    "contract_signed": "2026-02-15",
    "procurers": "PL, LT",
    "loan_recipients": "PL",
    "category": "1",
    "contractor_name": "Polish Prime",
    "contractor_established_in": "PL",
    "contractor_controlled_from": "PL",
    "contractor_design_authority_in": "PL",
    "sub1_name": "UK Fuzes",
    "sub1_established_in": "GB",
    "sub1_controlled_from": "GB",
    "sub1_share": "20",
    "sub1_contract_before": "2024-01-01",
    "scenario": "baseline",
}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(content: str, name: str = "bom.csv"):
    return SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")


def test_the_safe_pages_need_sign_in(reference_data):
    assert Client().get("/safe/").status_code == 302
    assert Client().get("/safe/assessments/new/").status_code == 302


def test_an_editor_creates_a_case_with_a_csv_bom_and_sees_the_verdict_with_its_articles(make_user):
    client = signed_in(make_user("PL", "editor"))
    response = client.post("/safe/assessments/new/", {**FORM, "bom_file": upload(CSV_BOM)})
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.case["subcontractors"][0]["share_of_contract_value"] == pytest.approx(0.2)
    page = client.get(response["Location"]).content.decode()
    assert "Not eligible" in page
    assert "Regulation (EU) 2025/1106, Art. 16(10)" in page
    assert "Move at least €10.00 of non-eligible component cost" in page and "€15.39" in page
    assert "<svg" in page and 'id="cost-by-origin"' in page  # the chart and its table
    assert "procurement/print.css" in page
    assert "style=" not in page and "<script>" not in page  # the CSP allows neither


def test_the_verdict_page_compares_scenarios_side_by_side(make_user):
    user = make_user("PL", "editor")
    assessment = services.create_assessment(user, case_data({"PL": 600, "GB": 400}, assessment_date="2027-01-01"))
    page = signed_in(user).get(f"/safe/assessments/{assessment.pk}/?compare=uk-participation").content.decode()
    table = page[page.index('id="comparison-table"') :]
    assert "baseline" in table and "uk-participation" in table
    verdict_row = re.search(r"Verdict</th>\s*<td[^>]*>([^<]+)</td>\s*<td[^>]*>([^<]+)</td>", table)
    assert verdict_row.groups() == ("Not eligible", "Eligible")


def test_a_bad_bom_shows_a_govuk_error_summary_naming_the_line_and_stores_nothing(make_user):
    client = signed_in(make_user("PL", "editor"))
    bad = CSV_BOM.replace("FUZE,SHELL,1,true,360,GB", "FUZE,SHELL,-1,true,360,XX")
    response = client.post("/safe/assessments/new/", {**FORM, "procurers": "PL, QQ", "bom_file": upload(bad)})
    assert response.status_code == 422
    page = response.content.decode()
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert "BOM line 4, item FUZE: Quantity must not be negative" in page
    assert "Assessment date is required" not in page  # it was given
    assert 'href="#bom_file"' in page and 'href="#procurers"' in page
    assert 'value="PL, QQ"' in page  # what was typed is kept
    assert Assessment.objects.count() == 0


def test_a_form_without_a_bom_upload_is_refused(make_user):
    response = signed_in(make_user("PL", "editor")).post("/safe/assessments/new/", FORM)
    assert response.status_code == 422
    assert "Upload the bill of materials" in response.content.decode()


def test_a_bom_file_over_the_size_limit_is_refused(make_user, settings):
    settings.ACCORD_SAFE_MAX_BOM_BYTES = 50
    response = signed_in(make_user("PL", "editor")).post(
        "/safe/assessments/new/", {**FORM, "bom_file": upload(CSV_BOM)}
    )
    assert response.status_code == 422
    assert "limit" in response.content.decode()
    assert Assessment.objects.count() == 0


def test_a_viewer_cannot_open_the_case_form(make_user):
    assert signed_in(make_user("PL", "viewer")).get("/safe/assessments/new/").status_code == 403


def test_an_assessment_of_another_party_answers_404(make_user):
    assessment = services.create_assessment(make_user("PL", "editor"), case_data())
    assert signed_in(make_user("LT", "viewer")).get(f"/safe/assessments/{assessment.pk}/").status_code == 200
    assert signed_in(make_user("GB", "viewer")).get(f"/safe/assessments/{assessment.pk}/").status_code == 404
    listing = signed_in(make_user("GB", "viewer")).get("/safe/").content.decode()
    assert assessment.title not in listing


def test_every_missing_field_of_the_form_is_listed_in_the_error_summary(make_user):
    response = signed_in(make_user("PL", "editor")).post("/safe/assessments/new/", {"bom_file": upload(CSV_BOM)})
    page = response.content.decode()
    for field in (
        "title",
        "assessment_date",
        "procurers",
        "loan_recipients",
        "category",
        "contractor_name",
        "contractor_established_in",
        "contractor_controlled_from",
    ):
        assert f'href="#{field}"' in page, field


def test_the_verdict_page_shows_the_rates_used_the_condition_and_the_cost_of_unknown_origin(make_user):
    from pathlib import Path

    user = make_user("PL", "editor")
    client = signed_in(user)
    csv_bom = (Path(__file__).parent / "files" / "armoured-vehicle-gbp-usd-sek.csv").read_text()
    csv_bom += "SEAL,IFV,1,yes,100,EUR,,\n"
    form = {**FORM, "assessment_date": "2026-02-16", "sub1_name": ""}
    form = {k: v for k, v in form.items() if not k.startswith("sub1_")}
    response = client.post("/safe/assessments/new/", {**form, "bom_file": upload(csv_bom)})
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"]).content.decode()
    assert 'id="rates"' in page and "0.8763" not in page  # the 16 February fixing, not another day's
    assert "European Central Bank euro reference rate of 16 February 2026" in page
    assert 'id="conditions"' in page and "implementing decision" in page  # Poland's came on 17 February
    assert 'id="unknown-origin"' in page and "€100.00" in page
    assert "Not given" in page
    assert "supplier" in page  # listed as not used


def test_a_zip_bomb_or_a_superscript_category_on_the_form_is_an_error_summary_not_a_5xx(make_user, tmp_path):
    import zipfile

    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (32 * 1024 * 1024))
    client = signed_in(make_user("PL", "editor"))
    upload_bomb = SimpleUploadedFile("bom.xlsx", bomb.read_bytes(), content_type="application/octet-stream")
    response = client.post("/safe/assessments/new/", {**FORM, "category": "¹", "bom_file": upload_bomb})
    assert response.status_code == 422
    page = response.content.decode()
    assert "govuk-error-summary" in page and "zip bomb" in page
    assert "Traceback" not in page
    assert Assessment.objects.count() == 0
