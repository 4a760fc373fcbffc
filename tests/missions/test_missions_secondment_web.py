"""Civilian seconded posts on the web (EEAS Goalkeeper: Headhunter and Registrar):
the EEAS publishes a call from the mission page, a state nominates a candidate
on the call page, the EEAS selects; each state sees only its own applications,
and the totals page counts seconded personnel per contributor and mission."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from accord.missions import services
from accord.missions.models import Mission, SecondmentApplication, SecondmentCall
from accord.platform.models import AuditEntry

pytestmark = pytest.mark.django_db

# Acts are dated by the server (issue 15): dates are set around the server's today.
TODAY = timezone.localdate()
DAY = TODAY - dt.timedelta(days=30)  # the call is published a month ago
DEADLINE = TODAY + dt.timedelta(days=30)
CALL = {
    "id": "EUMM-2026-1",
    "published_on": DAY.isoformat(),
    "deadline": DEADLINE.isoformat(),
    "posts": [
        {"id": "P1", "job_description": "MON", "location": "Tbilisi"},
        {"id": "P2", "job_description": "HRG-ADV"},
    ],
}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def georgia():
    return Mission.objects.get(acronym="EUMM GEORGIA")


def publish(eeas):
    return services.publish_secondment_call(eeas, georgia(), CALL, DAY)


def application(call, post="P1", ident="A1", candidate="c-001"):
    return {"id": ident, "post": post, "candidate": candidate}


def apply_earlier(user, call, data):
    """An application received before the deadline (the service is given the day it was received)."""
    return services.apply_for_secondment(user, call, data, on=TODAY - dt.timedelta(days=2))


def close(call):
    """The call's deadline has passed: yesterday was the last day (arranged in the database)."""
    SecondmentCall.objects.filter(pk=call.pk).update(deadline=TODAY - dt.timedelta(days=1))
    call.refresh_from_db()


def call_form(**overrides):
    form = {
        "id": "EUMM-2026-7",
        "published_on": DAY.isoformat(),
        "deadline": DEADLINE.isoformat(),
        "posts-0-id": "P1",
        "posts-0-job_description": "MON",
        "posts-0-location": "Tbilisi",
    }
    form.update(overrides)
    return form


# --- the mission page lists the calls --------------------------------------------


def test_the_mission_page_lists_the_calls_a_member_state_may_see_with_links(missions_data, make_user):
    call = publish(make_user("EEAS", "editor"))
    html = client_for(make_user("DE", "viewer")).get("/missions/eumm-georgia/").content.decode()
    assert f'href="/missions/secondment-calls/{call.pk}/"' in html
    assert 'data-call="EUMM-2026-1"' in html
    assert 'id="call-form"' not in html  # only the EEAS publishes
    assert 'href="/missions/secondment-totals/"' in html


def test_a_third_state_not_invited_sees_no_call_and_the_call_page_is_404(missions_data, make_user):
    call = publish(make_user("EEAS", "editor"))
    norway = client_for(make_user("NO", "editor"))
    assert "EUMM-2026-1" not in norway.get("/missions/eumm-georgia/").content.decode()
    assert norway.get(f"/missions/secondment-calls/{call.pk}/").status_code == 404
    response = norway.post(f"/missions/secondment-calls/{call.pk}/applications/", application(call, candidate="NO-c-1"))
    assert response.status_code == 404
    assert not SecondmentApplication.objects.exists()


def test_an_unknown_call_is_404(missions_data, make_user):
    assert client_for(make_user("DE", "viewer")).get("/missions/secondment-calls/999999/").status_code == 404


# --- publish a call (EEAS) ----------------------------------------------------------


def test_the_eeas_publishes_a_call_from_the_mission_page_stored_and_audited(missions_data, make_user):
    eeas_user = make_user("EEAS", "editor")
    eeas = client_for(eeas_user)
    page = eeas.get("/missions/eumm-georgia/?on=2026-01-10").content.decode()
    assert 'id="call-form"' in page
    response = eeas.post(
        "/missions/eumm-georgia/secondment-calls/",
        call_form(**{"posts-2-id": "P3", "posts-2-job_description": "HRG-ADV"}),
    )
    assert response.status_code == 302
    call = SecondmentCall.objects.get(code="EUMM-2026-7")
    assert response["Location"] == f"/missions/secondment-calls/{call.pk}/"
    assert call.posts == [
        {"id": "P1", "job_description": "MON", "location": "Tbilisi"},
        {"id": "P3", "job_description": "HRG-ADV", "location": None},
    ]
    assert call.shared_with.filter(code="DE").exists()
    assert AuditEntry.objects.filter(
        record_type__endswith="SecondmentCall", record_id=str(call.pk), action="create", actor=eeas_user.username
    ).exists()
    page = eeas.get(response["Location"]).content.decode()
    assert "Call EUMM-2026-7 published" in page
    assert 'data-post="P3"' in page and "Human rights and gender adviser" in page


def test_a_bad_call_shows_each_problem_at_its_form_row_keeps_the_values_and_stores_nothing(missions_data, make_user):
    eeas = client_for(make_user("EEAS", "editor"))
    form = call_form(
        deadline="2026-01-01",
        **{"posts-2-id": "P3", "posts-2-job_description": "ASTRONAUT", "posts-2-location": "Gori"},
    )
    response = eeas.post("/missions/eumm-georgia/secondment-calls/", form)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#call-deadline"' in html and "is before the publication date" in html
    # The third form row (the second post sent) is named as the third row.
    assert (
        'href="#call-posts-2-job_description"' in html and "is not a standard job description of the catalogue" in html
    )
    assert 'id="call-posts-2-job_description"' in html
    assert 'value="EUMM-2026-7"' in html and 'value="Gori"' in html and 'value="2026-01-01"' in html
    assert not SecondmentCall.objects.exists()


def test_a_call_without_posts_links_the_error_to_the_posts(missions_data, make_user):
    eeas = client_for(make_user("EEAS", "editor"))
    form = call_form(**{"posts-0-id": "", "posts-0-job_description": "", "posts-0-location": ""})
    response = eeas.post("/missions/eumm-georgia/secondment-calls/", form)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#call-posts"' in html and 'id="call-posts"' in html
    assert not SecondmentCall.objects.exists()


def test_a_state_may_not_publish_a_call_403_and_nothing_is_stored(missions_data, make_user):
    response = client_for(make_user("DE", "editor")).post("/missions/eumm-georgia/secondment-calls/", call_form())
    assert response.status_code == 403
    assert not SecondmentCall.objects.exists()


def test_publishing_a_call_to_an_unknown_mission_is_404(missions_data, make_user):
    response = client_for(make_user("EEAS", "editor")).post("/missions/eufor-narnia/secondment-calls/", call_form())
    assert response.status_code == 404


# --- the call page and a national application ----------------------------------------


def test_the_call_page_shows_the_job_descriptions_posts_and_deadline(missions_data, make_user):
    call = publish(make_user("EEAS", "editor"))
    html = client_for(make_user("DE", "viewer")).get(f"/missions/secondment-calls/{call.pk}/").content.decode()
    assert "Monitor (MON)" in html and "Human rights and gender adviser (HRG-ADV)" in html
    assert '<dd class="govuk-summary-list__value" id="call-post-count">2</dd>' in html
    assert "Tbilisi" in html
    assert 'id="apply-form"' not in html  # a viewer does not nominate
    assert 'id="select-form"' not in html


def test_a_member_state_applies_on_the_web_stored_shared_with_the_eeas_and_audited(missions_data, make_user):
    call = publish(make_user("EEAS", "editor"))
    germany_user = make_user("DE", "editor")
    germany = client_for(germany_user)
    assert 'id="apply-form"' in germany.get(f"/missions/secondment-calls/{call.pk}/").content.decode()
    response = germany.post(
        f"/missions/secondment-calls/{call.pk}/applications/", application(call, ident="DE-1", candidate="DE-c-001")
    )
    assert response.status_code == 302
    record = SecondmentApplication.objects.get()
    # dated by the server: the day it was received
    assert (record.code, record.post, record.owner.code, record.submitted_on) == ("DE-1", "P1", "DE", TODAY)
    assert record.shared_with.filter(code="EEAS").exists()
    assert AuditEntry.objects.filter(
        record_type__endswith="SecondmentApplication",
        record_id=str(record.pk),
        action="create",
        actor=germany_user.username,
    ).exists()
    html = germany.get(response["Location"]).content.decode()
    assert 'data-application="DE-1"' in html and "Application DE-1 for post P1 submitted" in html


def test_a_late_application_is_shown_at_its_field_with_the_values_kept_and_nothing_stored(missions_data, make_user):
    call = publish(make_user("EEAS", "editor"))
    close(call)
    germany = client_for(make_user("DE", "editor"))
    response = germany.post(
        f"/missions/secondment-calls/{call.pk}/applications/", application(call, ident="DE-9", candidate="DE-c-009")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#app-id"' in html and f"after the deadline of {call.deadline.day} {call.deadline:%B %Y}" in html
    assert 'value="DE-9"' in html and 'value="DE-c-009"' in html
    assert not SecondmentApplication.objects.exists()


def test_an_application_with_missing_fields_names_every_field(missions_data, make_user):
    call = publish(make_user("EEAS", "editor"))
    response = client_for(make_user("DE", "editor")).post(
        f"/missions/secondment-calls/{call.pk}/applications/", {"id": "", "post": "P9", "candidate": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    for anchor in ("#app-id", "#app-candidate", "#app-post"):
        assert f'href="{anchor}"' in html
    assert not SecondmentApplication.objects.exists()


def test_texts_longer_than_their_columns_are_refused_at_their_fields_never_a_server_error(missions_data, make_user):
    call = publish(make_user("EEAS", "editor"))
    response = client_for(make_user("DE", "editor")).post(
        f"/missions/secondment-calls/{call.pk}/applications/", {"id": "A" * 41, "post": "P1", "candidate": "c" * 61}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#app-id"' in html and 'href="#app-candidate"' in html and "longer than 60 characters" in html
    assert not SecondmentApplication.objects.exists()
    long_call = client_for(make_user("EEAS", "editor")).post(
        "/missions/eumm-georgia/secondment-calls/", call_form(id="C" * 41, **{"posts-0-id": "P" * 41})
    )
    assert long_call.status_code == 400
    assert 'href="#call-id"' in long_call.content.decode() and 'href="#call-posts-0-id"' in long_call.content.decode()
    assert SecondmentCall.objects.count() == 1


def test_a_bad_date_on_the_selection_form_is_400_not_500(missions_data, make_user):
    call = publish(make_user("EEAS", "editor", "approver"))
    response = client_for(make_user("EEAS", "approver")).post(
        f"/missions/secondment-calls/{call.pk}/selection/", {"on": "yesterday"}
    )
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


def test_a_duplicate_application_id_is_refused_at_its_field(missions_data, make_user):
    call = publish(make_user("EEAS", "editor"))
    germany_user = make_user("DE", "editor")
    services.apply_for_secondment(germany_user, call, application(call, ident="DE-1"))
    response = client_for(germany_user).post(
        f"/missions/secondment-calls/{call.pk}/applications/", application(call, ident="DE-1", post="P2")
    )
    assert response.status_code == 400
    assert 'href="#app-id"' in response.content.decode()
    assert SecondmentApplication.objects.count() == 1


def test_the_eeas_may_see_a_call_but_not_apply_403(missions_data, make_user):
    eeas_user = make_user("EEAS", "editor", "approver")
    call = publish(eeas_user)
    response = client_for(eeas_user).post(f"/missions/secondment-calls/{call.pk}/applications/", application(call))
    assert response.status_code == 403
    viewer = client_for(make_user("DE", "viewer"))
    assert viewer.post(f"/missions/secondment-calls/{call.pk}/applications/", application(call)).status_code == 403
    assert not SecondmentApplication.objects.exists()


def test_an_invited_third_state_applies_on_the_web(missions_data, make_user):
    council, eeas = make_user("COUNCIL", "approver"), make_user("EEAS", "editor")
    services.invite(council, georgia(), "NO", DAY)
    call = publish(eeas)
    response = client_for(make_user("NO", "editor")).post(
        f"/missions/secondment-calls/{call.pk}/applications/", application(call, ident="NO-1", candidate="NO-c-1")
    )
    assert response.status_code == 302
    assert SecondmentApplication.objects.get().owner.code == "NO"


# --- visibility by party ---------------------------------------------------------------


def test_a_state_does_not_see_another_states_application_and_the_eeas_sees_all(missions_data, make_user):
    call = publish(make_user("EEAS", "editor"))
    germany, france = make_user("DE", "editor"), make_user("FR", "editor")
    apply_earlier(germany, call, application(call, ident="DE-1", candidate="DE-c-001"))
    apply_earlier(france, call, application(call, ident="FR-1", candidate="FR-c-777"))
    de_html = client_for(germany).get(f"/missions/secondment-calls/{call.pk}/").content.decode()
    assert 'data-application="DE-1"' in de_html
    assert "FR-1" not in de_html and "FR-c-777" not in de_html
    fr_html = client_for(france).get(f"/missions/secondment-calls/{call.pk}/").content.decode()
    assert 'data-application="FR-1"' in fr_html and "DE-c-001" not in fr_html
    eeas_html = client_for(make_user("EEAS", "viewer")).get(f"/missions/secondment-calls/{call.pk}/").content.decode()
    assert 'data-application="DE-1"' in eeas_html and 'data-application="FR-1"' in eeas_html


# --- selection (EEAS) --------------------------------------------------------------------


def seed_applications(make_user):
    eeas = make_user("EEAS", "editor", "approver")
    call = publish(eeas)
    germany, france = make_user("DE", "editor"), make_user("FR", "editor")
    apply_earlier(germany, call, application(call, ident="DE-1", candidate="DE-c-001"))
    apply_earlier(france, call, application(call, ident="FR-1", post="P2", candidate="FR-c-1"))
    apply_earlier(france, call, application(call, ident="FR-2", post="P2", candidate="FR-c-2"))
    close(call)  # a selection is made only after the deadline
    return eeas, germany, france, call


def test_the_eeas_selects_candidates_on_the_web_stored_and_audited(missions_data, make_user):
    eeas_user, germany, _, call = seed_applications(make_user)
    eeas = client_for(eeas_user)
    page = eeas.get(f"/missions/secondment-calls/{call.pk}/").content.decode()
    assert 'id="select-form"' in page and 'id="sel-choices-P1"' in page
    response = eeas.post(
        f"/missions/secondment-calls/{call.pk}/selection/",
        {"on": "2026-02-20", "choices.P1": "DE-1", "choices.P2": "FR-2"},
    )
    assert response.status_code == 302
    assert set(SecondmentApplication.objects.filter(selected=True).values_list("code", flat=True)) == {"DE-1", "FR-2"}
    assert AuditEntry.objects.filter(action="missions.select_secondee").count() == 2
    html = eeas.get(response["Location"]).content.decode()
    assert "Selected: DE-1 for post P1, FR-2 for post P2." in html
    # Germany sees its own candidate selected, and nothing of France's.
    de_html = client_for(germany).get(f"/missions/secondment-calls/{call.pk}/").content.decode()
    assert "DE-c-001" in de_html and "FR-2" not in de_html


def test_a_selection_for_another_post_is_shown_at_that_post_and_nothing_is_selected(missions_data, make_user):
    eeas, _, _, call = seed_applications(make_user)
    response = client_for(eeas).post(
        f"/missions/secondment-calls/{call.pk}/selection/",
        {"on": "2026-02-20", "choices.P1": "FR-1", "choices.P2": "FR-2"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#sel-choices-P1"' in html and "application FR-1 is for post P2, not P1" in html
    assert 'id="sel-choices-P1"' in html
    assert '<option value="FR-2" selected>' in html  # the choices are kept
    assert not SecondmentApplication.objects.filter(selected=True).exists()
    assert not AuditEntry.objects.filter(action="missions.select_secondee").exists()


def test_a_post_keeps_its_secondee_a_second_selection_for_it_is_refused_at_its_field(missions_data, make_user):
    eeas_user, _, _, call = seed_applications(make_user)
    services.select_secondees(eeas_user, call, {"P2": "FR-1"})
    eeas = client_for(eeas_user)
    page = eeas.get(f"/missions/secondment-calls/{call.pk}/").content.decode()
    assert '<option value="FR-1" selected>' in page  # the standing selection is shown in the form
    response = eeas.post(
        f"/missions/secondment-calls/{call.pk}/selection/",
        {"on": "2026-02-21", "choices.P1": "DE-1", "choices.P2": "FR-2"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#sel-choices-P2"' in html and "post P2 already has application FR-1 selected" in html
    assert set(SecondmentApplication.objects.filter(selected=True).values_list("code", flat=True)) == {"FR-1"}
    # Choosing the standing selection again changes nothing and is not audited twice.
    again = eeas.post(
        f"/missions/secondment-calls/{call.pk}/selection/",
        {"on": "2026-02-21", "choices.P1": "DE-1", "choices.P2": "FR-1"},
    )
    assert again.status_code == 302
    assert set(SecondmentApplication.objects.filter(selected=True).values_list("code", flat=True)) == {"DE-1", "FR-1"}
    assert AuditEntry.objects.filter(action="missions.select_secondee").count() == 2


def test_the_api_refuses_a_second_selection_for_a_post_as_the_web_does(missions_data, make_user, api_client):
    import json

    eeas_user, _, _, call = seed_applications(make_user)
    services.select_secondees(eeas_user, call, {"P2": "FR-1"})
    response = api_client(eeas_user).post(
        f"/api/v1/missions/secondment-calls/{call.pk}/selection",
        data=json.dumps({"choices": {"P2": "FR-2"}}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "choices.P2"


def test_a_selection_form_with_nothing_chosen_selects_nothing_and_says_so(missions_data, make_user):
    eeas_user, _, _, call = seed_applications(make_user)
    eeas = client_for(eeas_user)
    response = eeas.post(f"/missions/secondment-calls/{call.pk}/selection/", {"on": "2026-02-20"}, follow=True)
    assert response.status_code == 200
    assert "nothing was selected" in response.content.decode()
    assert not SecondmentApplication.objects.filter(selected=True).exists()


def test_a_state_may_not_select_403_and_a_hidden_call_is_404(missions_data, make_user):
    _, germany, _, call = seed_applications(make_user)
    page = client_for(germany).get(f"/missions/secondment-calls/{call.pk}/").content.decode()
    assert 'id="select-form"' not in page
    response = client_for(germany).post(
        f"/missions/secondment-calls/{call.pk}/selection/", {"on": "2026-02-20", "choices.P1": "DE-1"}
    )
    assert response.status_code == 403
    norway = client_for(make_user("NO", "approver"))
    assert (
        norway.post(
            f"/missions/secondment-calls/{call.pk}/selection/", {"on": "2026-02-20", "choices.P1": "DE-1"}
        ).status_code
        == 404
    )
    assert not SecondmentApplication.objects.filter(selected=True).exists()


def test_an_eeas_editor_without_the_approver_role_does_not_see_the_selection_form_and_gets_403(
    missions_data, make_user
):
    _, _, _, call = seed_applications(make_user)
    editor = client_for(make_user("EEAS", "editor"))
    assert 'id="select-form"' not in editor.get(f"/missions/secondment-calls/{call.pk}/").content.decode()
    assert (
        editor.post(
            f"/missions/secondment-calls/{call.pk}/selection/", {"on": "2026-02-20", "choices.P1": "DE-1"}
        ).status_code
        == 403
    )


# --- totals ----------------------------------------------------------------------------------


def test_the_totals_page_counts_seconded_personnel_per_contributor_and_mission(missions_data, make_user):
    eeas, germany, france, call = seed_applications(make_user)
    services.select_secondees(eeas, call, {"P1": "DE-1", "P2": "FR-2"})
    html = client_for(eeas).get("/missions/secondment-totals/").content.decode()
    assert 'id="totals-table"' in html
    assert 'data-mission="EUMM GEORGIA" data-contributor="DE"' in html
    assert 'data-mission="EUMM GEORGIA" data-contributor="FR"' in html
    assert '<span id="secondment-total">2</span>' in html
    # A state counts only its own secondees.
    de_html = client_for(germany).get("/missions/secondment-totals/").content.decode()
    assert '<span id="secondment-total">1</span>' in de_html and 'data-contributor="FR"' not in de_html


def test_the_secondment_pages_need_a_signed_in_user(missions_data, make_user):
    call = publish(make_user("EEAS", "editor"))
    for url in ("/missions/secondment-totals/", f"/missions/secondment-calls/{call.pk}/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"]


# --- CSP and CSRF ------------------------------------------------------------------------------


def test_the_secondment_pages_carry_no_inline_script_or_style_and_forms_need_csrf(missions_data, make_user):
    eeas, germany, _, call = seed_applications(make_user)
    for user, url in (
        (eeas, f"/missions/secondment-calls/{call.pk}/"),
        (germany, f"/missions/secondment-calls/{call.pk}/"),
        (eeas, "/missions/eumm-georgia/"),
        (eeas, "/missions/secondment-totals/"),
    ):
        html = client_for(user).get(url).content.decode()
        assert "style=" not in html and "<style" not in html
        assert "<script>" not in html and "onclick=" not in html
        assert "<script" not in html.replace('<script type="module" src=', "")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(germany)
    response = strict.post(f"/missions/secondment-calls/{call.pk}/applications/", application(call, ident="DE-5"))
    assert response.status_code == 403
    assert not SecondmentApplication.objects.filter(code="DE-5").exists()


# --- in the browser --------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_member_state_officer_applies_to_a_call_in_the_browser(page, login, make_user):
    from accord.missions.reference import load_missions

    load_missions()  # a transactional test starts from an empty register
    call = publish(make_user("EEAS", "editor"))
    germany = make_user("DE", "editor", username="de-officer")
    france = make_user("FR", "editor")
    apply_earlier(france, call, application(call, ident="FR-1", candidate="FR-c-777"))
    csp_errors = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)

    login(germany)
    page.goto("/missions/eumm-georgia/")
    page.click("#secondment-calls >> text=Call EUMM-2026-1")
    assert page.locator("h1").inner_text() == "Call for contributions EUMM-2026-1"
    assert page.locator("#posts-table tr[data-post]").count() == 2
    assert "FR-1" not in page.content()  # France's application stays France's

    # First a missing candidate: the error summary links to the field, and the values stay.
    page.fill("#app-id", "DE-1")
    page.select_option("#app-post", "P2")
    page.click("button:has-text('Submit application')")
    summary = page.locator(".govuk-error-summary")
    assert page.input_value("#app-id") == "DE-1"
    summary.locator("a[href='#app-candidate']").click()
    assert not SecondmentApplication.objects.filter(owner__code="DE").exists()

    page.fill("#app-candidate", "DE-c-001")
    page.click("button:has-text('Submit application')")
    assert "Application DE-1 for post P2 submitted" in page.locator(".govuk-notification-banner").inner_text()
    row = page.locator('#applications-table tr[data-application="DE-1"]')
    assert "DE-c-001" in row.inner_text() and "Submitted" in row.inner_text()
    assert page.locator("#applications-table tr[data-application]").count() == 1
    assert SecondmentApplication.objects.get(code="DE-1").owner.code == "DE"
    assert csp_errors == []
