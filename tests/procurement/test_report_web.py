"""The report's downloads on the SAFE pages: the PDF of a stored assessment (with its audit
entry, only for those entitled to see it), of a fresh check (nothing stored), the template."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accord.platform.models import AuditEntry
from accord.procurement import report, services
from accord.procurement.engine import bom_from_xlsx
from accord.procurement.models import Assessment
from accord.web.templatetags.accord_text import when

from .builders import case_data
from .test_procurement_web import FORM, signed_in
from .test_report import BOM_CSV, pdf_text

pytestmark = pytest.mark.django_db


def words(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def test_the_pdf_of_a_stored_assessment_holds_its_verdict_fingerprints_and_audit_entry(make_user):
    user = make_user("PL", "editor")
    assessment = services.create_assessment(user, case_data({"PL": 640, "GB": 360}))
    detail = signed_in(user).get(f"/safe/assessments/{assessment.pk}/").content.decode()
    assert f'href="/safe/assessments/{assessment.pk}/report.pdf"' in detail and "Download PDF" in detail
    response = signed_in(user).get(f"/safe/assessments/{assessment.pk}/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = words(response.content)
    entry = AuditEntry.objects.get(record_id=str(assessment.pk), action="safe.assessed")
    assert "Not eligible for SAFE financing" in text
    assert f"assessment {assessment.pk}" in text
    assert f"entry number {entry.sequence}, on {when(entry.at, 'UTC')}, by {user.username} (Poland)" in text
    assert entry.hash in text and entry.prev_hash in text
    assert report.case_fingerprint(assessment.case) in text
    values = report.parameter_values(services.scenario_parameters("baseline"), assessment.assessment_date)
    assert report.parameters_fingerprint("baseline", assessment.assessment_date, values) in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}T", text)  # no ISO timestamps


def test_the_pdf_of_an_assessment_is_refused_404_to_a_party_not_entitled_to_see_it(make_user):
    owner = make_user("PL", "editor")
    assessment = services.create_assessment(owner, case_data({"PL": 1000}))
    outsider = signed_in(make_user("FR", "editor"))
    refused = outsider.get(f"/safe/assessments/{assessment.pk}/report.pdf")
    missing = outsider.get(f"/safe/assessments/{assessment.pk + 1000}/report.pdf")
    assert refused.status_code == missing.status_code == 404
    assert b"%PDF" not in refused.content
    procurer = signed_in(make_user("LT", "viewer"))  # a procurer of the case: shared with it
    assert procurer.get(f"/safe/assessments/{assessment.pk}/report.pdf").status_code == 200
    assert Client().get(f"/safe/assessments/{assessment.pk}/report.pdf").status_code == 302  # sign in first


def test_a_fresh_check_downloads_its_pdf_stores_nothing_and_shares_the_stored_case_fingerprint(make_user):
    client = signed_in(make_user("PL", "editor"))
    upload = SimpleUploadedFile("bom.csv", BOM_CSV.encode(), content_type="text/csv")
    response = client.post("/safe/check/report.pdf", {**FORM, "bom_file": upload})
    assert response.status_code == 200, response.content[:500]
    assert Assessment.objects.count() == 0
    fresh = words(response.content)
    assert "Not eligible for SAFE financing" in fresh and "This check was not stored" in fresh
    assert hashlib.sha256(BOM_CSV.encode()).hexdigest() in fresh  # the uploaded file's bytes
    upload = SimpleUploadedFile("bom.csv", BOM_CSV.encode(), content_type="text/csv")
    client.post("/safe/assessments/new/", {**FORM, "bom_file": upload})
    assert report.case_fingerprint(Assessment.objects.get().case) in fresh


def test_a_fresh_check_with_bad_input_shows_the_form_errors_and_stores_nothing(make_user):
    client = signed_in(make_user("PL", "editor"))
    bad = BOM_CSV.replace("640,EUR", "-640,EUR")
    upload = SimpleUploadedFile("bom.csv", bad.encode(), content_type="text/csv")
    response = client.post("/safe/check/report.pdf", {**FORM, "bom_file": upload})
    assert response.status_code == 422
    page = response.content.decode()
    assert "govuk-error-summary" in page and "BOM line 3" in page
    assert Assessment.objects.count() == 0
    assert client.get("/safe/check/report.pdf").status_code == 302  # a GET goes to the form


def test_the_bom_template_downloads_from_the_form_page_and_reads_back(make_user):
    client = signed_in(make_user("PL", "editor"))
    page = client.get("/safe/assessments/new/").content.decode()
    assert 'href="/safe/bill-of-materials-template.xlsx"' in page
    assert 'formaction="/safe/check/report.pdf"' in page
    response = client.get("/safe/bill-of-materials-template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(response) if response.streaming else response.content
    bom = bom_from_xlsx(io.BytesIO(content), source="template.xlsx")
    assert bom.items == 9


def test_the_pdf_of_an_assessment_whose_scenario_was_withdrawn_says_its_values_are_not_available(make_user):
    user = make_user("PL", "editor")
    assessment = services.create_assessment(user, case_data({"PL": 1000}))
    Assessment.objects.filter(pk=assessment.pk).update(scenario="withdrawn-scenario")
    response = signed_in(user).get(f"/safe/assessments/{assessment.pk}/report.pdf")
    assert response.status_code == 200
    text = words(response.content)
    assert "Eligible for SAFE financing" in text
    assert "The values of this assessment's scenario are no longer available" in text
    assert report.case_fingerprint(assessment.case) in text
