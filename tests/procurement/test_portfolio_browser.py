"""In a real browser: a firm uploads its supplier declarations (a bad file first), reviews a verdict
that would change under its changed scenario and accepts it; the new pages reflow at 320 px."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CAP = "safe.component_cost.non_eligible_cap"


def test_a_firm_uploads_declarations_and_accepts_a_verdict_that_changed_under_its_scenario(
    page, login, make_user, tmp_path
):
    from accord.procurement import reassessment, services
    from accord.procurement.models import Assessment, SupplierDeclaration

    from .builders import case_data

    user = make_user("PL", "editor", username="pl-browser")
    reassessment.upload_scenario(user, f"name: cap\noverrides:\n  {CAP}: 0.35\n")
    assessment = services.create_assessment(user, case_data({"PL": 700, "US": 300}), scenario="cap")
    reassessment.upload_scenario(user, f"name: cap\noverrides:\n  {CAP}: 0.25\n")
    login(user)

    bad = tmp_path / "declarations.csv"
    bad.write_text("supplier;part number;origin;valid from;valid to;document\nAcme;F-1;ZZ;2025-01-01;2026-12-31;D1\n")
    page.goto("/safe/declarations/")
    page.set_input_files("#declarations_file", str(bad))
    page.click("button:has-text('Upload')")
    summary = page.locator(".govuk-error-summary")
    assert "Line 2, origin" in summary.inner_text() and "'ZZ'" in summary.inner_text()
    assert SupplierDeclaration.objects.count() == 0
    bad.write_text(bad.read_text().replace(";ZZ;", ";FR;"))
    page.set_input_files("#declarations_file", str(bad))
    page.click("button:has-text('Upload')")
    assert "1 declaration added" in page.locator(".govuk-notification-banner").inner_text()

    page.goto("/safe/reassessment/")
    page.click(f"text={assessment.title}")
    stale = page.locator("#stale")
    assert "eligible" in stale.inner_text() and "not eligible" in stale.inner_text()
    page.click("button:has-text('Accept the new verdict')")
    page.wait_for_selector("#verdict")
    assert page.locator("#stale").count() == 0
    assert "Not eligible" in page.locator("#verdict").inner_text()
    assert Assessment.objects.get(pk=assessment.pk).eligible is False

    # a second flagged assessment, for the page at 320 px
    services.create_assessment(user, case_data({"PL": 700, "US": 300}, title="Narrow"), scenario="cap")
    reassessment.upload_scenario(user, f"name: cap\noverrides:\n  {CAP}: 0.2\n")
    flagged = Assessment.objects.get(title="Narrow", flagged_at__isnull=False)
    page.set_viewport_size({"width": 320, "height": 640})
    wide = []
    for url in [
        "/safe/",
        "/safe/portfolio/",
        "/safe/declarations/",
        "/safe/declarations/expiring/?days=3000",
        "/safe/scenarios/",
        "/safe/reassessment/",
        f"/safe/assessments/{flagged.pk}/",
    ]:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide.append(f"{url} is {width} px wide")
    assert not wide, "\n".join(wide)
