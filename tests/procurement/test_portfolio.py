"""Portfolios and scenarios for officials, and declarations through the pages, the API and the CLI:
only what a party may see, filtered, with totals by origin; bad input refused, nothing stored."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from typer.testing import CliRunner

from accord.cli import app
from accord.procurement import reassessment, services
from accord.procurement.models import Assessment, SafeScenario, SupplierDeclaration

from .builders import case_data

pytestmark = pytest.mark.django_db
runner = CliRunner()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def portfolio(make_user):
    """PL's two assessments (one eligible, one not, procured by PL and LT) and DE's own one."""
    pl = make_user("PL", "editor", username="pl-editor")
    de = make_user("DE", "editor", username="de-editor")
    services.create_assessment(pl, case_data({"PL": 700, "US": 300}, title="Shells, passing"))
    services.create_assessment(pl, case_data({"PL": 500, "US": 500}, title="Shells, failing", category=2))
    services.create_assessment(
        de, case_data({"DE": 1000}, title="German radios", procurers=["DE", "FR"], loan_recipients=["DE"])
    )
    return pl, de


def test_the_portfolio_page_lists_only_what_the_party_may_see_filtered_with_totals_and_csv(portfolio):
    pl, _ = portfolio
    client = client_for(pl)
    page = client.get("/safe/portfolio/").content.decode()
    assert "Shells, passing" in page and "Shells, failing" in page and "German radios" not in page
    assert 'id="totals-by-origin"' in page and "€1,200.00" in page  # PL 700 + 500
    failing = client.get("/safe/portfolio/?verdict=not-eligible").content.decode()
    assert "Shells, failing" in failing and "Shells, passing" not in failing
    assert "Shells, passing" not in client.get("/safe/portfolio/?category=2").content.decode()
    assert "Shells" not in client.get("/safe/portfolio/?procurer=FR").content.decode().split("<h1")[1]
    csv_text = client.get("/safe/portfolio/?verdict=eligible&format=csv").content.decode()
    assert csv_text.splitlines()[0].startswith("Case,") and "Shells, passing" in csv_text
    assert "Shells, failing" not in csv_text
    # a filter value that means nothing is an error summary, never a 5xx
    bad = client.get("/safe/portfolio/?category=%C2%B9&procurer=P%3BL&verdict=maybe")
    assert bad.status_code == 422 and "govuk-error-summary" in bad.content.decode()


def test_the_portfolio_api_is_typed_paginated_and_only_what_the_party_may_see(portfolio, api_client):
    pl, de = portfolio
    body = api_client(pl).get("/api/v1/safe/portfolio?page_size=1").json()
    assert body["count"] == 2 and body["pages"] == 2 and len(body["items"]) == 1
    assert {t["origin"]: t["cost_eur"] for t in body["totals_by_origin"]} == {"PL": 1200.0, "US": 800.0}
    assert body["items"][0]["procurers"] == ["PL", "LT"]
    only_de = api_client(de).get("/api/v1/safe/portfolio").json()
    assert [i["title"] for i in only_de["items"]] == ["German radios"]
    assert api_client(pl).get("/api/v1/safe/portfolio?category=3").status_code == 422
    csv_text = api_client(pl).get("/api/v1/safe/portfolio?format=csv").content.decode()
    assert "Shells, failing" in csv_text and "German radios" not in csv_text


def test_a_scenario_uploaded_through_the_api_with_an_unknown_parameter_is_refused(make_user, api_client):
    user = make_user("PL", "editor")
    bad = api_client(user).post(
        "/api/v1/safe/scenarios",
        {"name": "mine", "yaml": "overrides:\n  safe.component_cost.non_eligble_cap: 0.4\n"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert "unknown parameter 'safe.component_cost.non_eligble_cap'" in json.dumps(bad.json())
    assert SafeScenario.objects.count() == 0
    good = api_client(user).post(
        "/api/v1/safe/scenarios",
        {"name": "mine", "yaml": "label: Forty per cent\noverrides:\n  safe.component_cost.non_eligible_cap: 0.4\n"},
        content_type="application/json",
    )
    assert good.status_code == 201 and good.json()["overrides"] == {"safe.component_cost.non_eligible_cap": 0.4}
    # usable in a check: 38% non-eligible fails the baseline's 35%, passes the party's 40%
    created = api_client(user).post(
        "/api/v1/safe/assessments",
        {**case_data({"PL": 620, "US": 380}), "scenario": "mine"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["eligible"] is True
    assert created.json()["scenario"] == "mine"


def test_a_scenario_uploaded_on_the_page_with_an_unknown_parameter_shows_the_error_summary(make_user):
    client = client_for(make_user("PL", "editor"))
    response = client.post("/safe/scenarios/", {"name": "mine", "scenario_text": "overrides:\n  safe.nope: 1\n"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "govuk-error-summary" in page and "Unknown parameter &#x27;safe.nope&#x27;" in page
    upload = SimpleUploadedFile("mine.yaml", b"overrides:\n  safe.component_cost.non_eligible_cap: 0.4\n")
    assert client.post("/safe/scenarios/", {"name": "mine", "scenario_file": upload}).status_code == 302
    assert "mine" in client.get("/safe/scenarios/").content.decode()


BAD_DECLARATIONS = (
    b"Supplier;Part number;Origin;Valid from;Valid to;Document reference\n"
    b"Acme;F-1;FR;2025-01-01;2026-12-31;D1\n"
    b"Acme;F-2;ZZ;2025-01-01;2026-12-31;D2\n"
)


def test_a_bad_declarations_upload_on_the_page_and_the_api_stores_nothing(make_user, api_client):
    user = make_user("PL", "editor")
    response = client_for(user).post(
        "/safe/declarations/", {"declarations_file": SimpleUploadedFile("decl.csv", BAD_DECLARATIONS)}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "govuk-error-summary" in page and "Line 3, origin" in page and "&#x27;ZZ&#x27;" in page
    api = api_client(user).post("/api/v1/safe/declarations", {"file": SimpleUploadedFile("d.csv", BAD_DECLARATIONS)})
    assert api.status_code == 422
    assert SupplierDeclaration.objects.count() == 0


def _declarations_ending_in(days: int) -> bytes:
    today = timezone.localdate()
    end = (today + dt.timedelta(days=days)).isoformat()
    later = (today + dt.timedelta(days=400)).isoformat()
    return (
        "supplier,part_number,origin,valid_from,valid_to,document_reference\n"
        f"Acme,SOON-1,FR,2020-01-01,{end},D-soon\n"
        f"Acme,LATER-1,FR,2020-01-01,{later},D-later\n"
    ).encode()


def test_declarations_ending_within_n_days_on_the_page_the_api_and_the_cli(make_user, api_client):
    owner = make_user("PL", "editor", username="pl-editor")
    other = make_user("DE", "editor", username="de-editor")
    result = runner.invoke(app, ["safe", "declarations", "import", "-", "--party", "PL", "--user", "pl-editor"])
    assert result.exit_code == 2  # no such file
    path = _write_tmp(_declarations_ending_in(10))
    result = runner.invoke(app, ["safe", "declarations", "import", str(path), "--party", "PL", "--user", "pl-editor"])
    assert result.exit_code == 0, result.output
    assert SupplierDeclaration.objects.filter(owner__code="PL").count() == 2
    page = client_for(owner).get("/safe/declarations/expiring/?days=30").content.decode()
    assert "SOON-1" in page and "LATER-1" not in page
    assert "SOON-1" not in client_for(other).get("/safe/declarations/expiring/?days=3000").content.decode()
    assert client_for(owner).get("/safe/declarations/expiring/?days=lots").status_code == 422
    api = api_client(owner).get("/api/v1/safe/declarations/expiring?days=30").json()
    assert [d["part_number"] for d in api] == ["SOON-1"]
    assert api_client(other).get("/api/v1/safe/declarations/expiring?days=3000").json() == []
    listed = runner.invoke(app, ["safe", "declarations", "expiring", "--days", "30", "--user", "pl-editor", "--json"])
    assert listed.exit_code == 0 and [d["part_number"] for d in json.loads(listed.stdout)] == ["SOON-1"]
    # storing for another party is refused, and a bad file exits 2 naming the line; nothing stored
    assert (
        runner.invoke(
            app, ["safe", "declarations", "import", str(path), "--party", "DE", "--user", "pl-editor"]
        ).exit_code
        == 2
    )
    bad = runner.invoke(
        app,
        ["safe", "declarations", "import", str(_write_tmp(BAD_DECLARATIONS)), "--party", "PL", "--user", "pl-editor"],
    )
    assert bad.exit_code == 2 and "line 3" in bad.output and "'ZZ'" in bad.output
    assert SupplierDeclaration.objects.count() == 2


def test_reassess_command_flags_what_would_change_and_rewrites_nothing(make_user):
    user = make_user("PL", "editor")
    reassessment.upload_scenario(user, "name: cap\noverrides:\n  safe.component_cost.non_eligible_cap: 0.35\n")
    assessment = services.create_assessment(user, case_data({"PL": 700, "US": 300}), scenario="cap")
    record = SafeScenario.objects.get()
    record.overrides = {"safe.component_cost.non_eligible_cap": 0.2}  # changed behind the services' back
    record.save()
    result = runner.invoke(app, ["safe", "reassess", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["flagged"] == [assessment.pk]
    assessment.refresh_from_db()
    assert assessment.eligible is True and assessment.pending_verdict["eligible"] is False
    assert Assessment.objects.get(pk=assessment.pk).flagged_at is not None


_counter = iter(range(1_000_000))


def _write_tmp(content: bytes):
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp()) / f"declarations-{next(_counter)}.csv"
    path.write_bytes(content)
    return path


def test_a_partys_own_scenario_is_offered_and_used_on_the_case_form(make_user):
    from .test_procurement_bom import CSV_BOM
    from .test_procurement_web import FORM, upload

    user = make_user("PL", "editor")
    reassessment.upload_scenario(user, "name: lenient\noverrides:\n  safe.component_cost.non_eligible_cap: 0.9\n")
    client = client_for(user)
    assert 'value="lenient"' in client.get("/safe/assessments/new/").content.decode()
    response = client.post("/safe/assessments/new/", {**FORM, "scenario": "lenient", "bom_file": upload(CSV_BOM)})
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.scenario == "lenient" and assessment.user_scenario.name == "lenient"
    assert assessment.parameters["safe.component_cost.non_eligible_cap"] == 0.9
    other = client_for(make_user("DE", "editor"))
    assert 'value="lenient"' not in other.get("/safe/assessments/new/").content.decode()
