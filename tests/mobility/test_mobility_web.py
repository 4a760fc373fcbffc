"""Web pages: the plan form, movement requests, and a state's permission inbox."""

import datetime as dt

import pytest
from django.test import Client

from accord.mobility import services
from accord.mobility.models import MovementRequest
from tests.developer_text import INTERNAL_BRIEF

from .network_builder import future_departure

FUTURE = future_departure()
pytestmark = pytest.mark.django_db

_DAY = dt.date.fromisoformat(FUTURE)
FORM = {
    "origin": "bergen_hohne",
    "destination": "rukla",
    "vehicle_name_1": "Leopard 2A7",
    "vehicle_count_1": "14",
    "depart_day": str(_DAY.day),
    "depart_month": str(_DAY.month),
    "depart_year": str(_DAY.year),
    "mode": "any",
    "regime": "current",
    "action": "plan",
}
PAYLOAD = {"origin": "bergen_hohne", "destination": "rukla", "depart": FUTURE, "vehicles": "Leopard 2A7:14"}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_plan_form_needs_a_signed_in_user():
    r = Client().get("/mobility/")
    assert r.status_code == 302 and "/sign-in/" in r["Location"]


def test_planning_shows_the_route_map_the_states_and_their_deadlines(make_user):
    r = client_for(make_user("DE", "viewer")).post("/mobility/", FORM)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'class="accord-map"' in html and 'role="img"' in html
    assert 'data-state="LT"' in html and 'data-state="PL"' in html
    assert "Timeline per state" in html
    assert " style=" not in html.split("<main", 1)[1]  # the CSP forbids inline style
    assert not MovementRequest.objects.exists()


def test_bad_input_shows_an_error_summary_naming_each_field(make_user):
    r = client_for(make_user("DE", "viewer")).post(
        "/mobility/", {**FORM, "vehicle_name_1": "Tiger", "depart_month": "13"}
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "There is a problem" in html and "Enter a real departure date" in html and 'href="#depart_day"' in html
    assert "unknown vehicle" in html and 'href="#vehicle_name_1"' in html  # both problems at once
    r = client_for(make_user("DE", "viewer")).post("/mobility/", {**FORM, "vehicle_name_1": "Tiger"})
    assert r.status_code == 400 and "Vehicles: unknown vehicle" in r.content.decode()


def test_an_editor_submits_the_movement_request_from_the_form(make_user):
    r = client_for(make_user("DE", "editor")).post("/mobility/", {**FORM, "action": "submit"})
    movement = MovementRequest.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/mobility/movements/{movement.pk}/"
    assert movement.owner.code == "DE"


def test_a_viewer_sees_no_submit_button_and_may_not_submit(make_user):
    viewer = client_for(make_user("DE", "viewer"))
    assert "Submit movement request" not in viewer.get("/mobility/").content.decode()
    assert viewer.post("/mobility/", {**FORM, "action": "submit"}).status_code == 403
    assert not MovementRequest.objects.exists()


def test_a_movement_page_is_hidden_from_states_not_crossed(make_user):
    movement = services.create_movement(make_user("DE", "editor"), dict(PAYLOAD))
    assert client_for(make_user("LT", "viewer")).get(f"/mobility/movements/{movement.pk}/").status_code == 200
    assert client_for(make_user("FR", "viewer")).get(f"/mobility/movements/{movement.pk}/").status_code == 404


def test_an_approver_decides_from_the_inbox_and_others_may_not(make_user):
    movement = services.create_movement(make_user("DE", "editor"), dict(PAYLOAD))
    lt = client_for(make_user("LT", "approver"))
    inbox = lt.get("/mobility/inbox/").content.decode()
    assert f'data-movement="{movement.pk}"' in inbox and 'data-decide="LT"' in inbox
    pl_viewer = client_for(make_user("PL", "viewer"))
    assert "data-decide" not in pl_viewer.get("/mobility/inbox/").content.decode()
    assert (
        pl_viewer.post(f"/mobility/movements/{movement.pk}/permissions/PL/", {"decision": "granted"}).status_code == 403
    )
    r = lt.post(f"/mobility/movements/{movement.pk}/permissions/LT/", {"decision": "granted", "next": "inbox"})
    assert r.status_code == 302 and r["Location"] == "/mobility/inbox/"
    assert movement.permissions.get(state__code="LT").decision == "granted"


def test_the_plan_page_names_states_and_gives_local_times_in_words(make_user):
    html = client_for(make_user("DE", "viewer")).post("/mobility/", FORM).content.decode().split("<main", 1)[1]
    table = html.split('id="states-table"', 1)[1].split("</table>", 1)[0]
    assert "Lithuania" in table and ">LT<" not in table
    assert "EET" in table or "EEST" in table  # Lithuanian local time, named
    for bad in ("granted_with_conditions", "calendar_days", "working_days", "None", "null", INTERNAL_BRIEF):
        assert bad not in html, bad
