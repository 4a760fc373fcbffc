"""The home page of a signed-in user starts with what is waiting for them, and only for them."""

import re

import pytest

from tests.mobility.network_builder import future_departure

pytestmark = pytest.mark.django_db


def section(html: str, key: str) -> str:
    match = re.search(rf'<div class="govuk-summary-card" id="tasks-{key}">.*?</div>\s*</div>', html, re.S)
    assert match, f"no {key} tasks on the page"
    return match.group(0)


@pytest.fixture
def waiting(make_user):
    """A movement crossing Poland, an invitation to the UK, a UK action overdue since 1 March 2026."""
    from accord.dialogue import services as dialogue
    from accord.dialogue.reference import load_reference
    from accord.mobility import services as mobility

    load_reference()
    mobility.create_movement(
        make_user("DE", "editor"),
        {
            "origin": "bergen_hohne",
            "destination": "rukla",
            "depart": future_departure(),
            "vehicles": "Leopard 2A7:14",
            "title": "Leopards to Rukla",
        },
    )
    dialogue.create_invitation(
        make_user("COUNCIL", "editor"),
        {
            "body": "schuman-forum",
            "meeting_title": "Schuman Forum 2099",
            "date": "2099-06-01",
            "invitee_party": "GB",
        },
    )
    dialogue.create_meeting(
        make_user("EEAS", "editor"),
        {
            "title": "Indo-Pacific working group",
            "date": "2026-02-10",
            "working_group": "indo-pacific",
            "actions": [
                {"description": "Share the maritime picture", "owner_party": "GB", "due": "2026-03-01"},
                {"description": "Brief the PSC", "owner_party": "EEAS", "due": "2026-03-01"},
            ],
        },
    )


def test_a_polish_approver_sees_the_movement_waiting_for_polands_permission(waiting, make_user, client):
    client.force_login(make_user("PL", "viewer", "approver"))
    tasks = section(client.get("/").content.decode(), "permissions")
    assert "Leopards to Rukla" in tasks and "Requested by Germany" in tasks


def test_a_uk_editor_sees_the_invitation_to_answer_and_the_uks_overdue_action_only(
    waiting, make_user, client, settings
):
    client.force_login(make_user("GB", "viewer", "editor"))
    html = client.get("/").content.decode()
    assert "Schuman Forum 2099" in section(html, "invitations")
    actions = section(html, "actions")
    assert "Share the maritime picture" in actions and "Due 1 March 2026" in actions
    assert "Brief the PSC" not in actions  # the EEAS's action, not the UK's
    assert "No movement is waiting for your state" in section(html, "permissions")


def test_a_french_viewer_has_nothing_waiting_and_is_told_so(waiting, make_user, client):
    client.force_login(make_user("FR", "viewer"))
    html = client.get("/").content.decode()
    assert "Nothing is waiting for France" in html
    assert "Schuman Forum" not in html and "Leopards" not in html


def test_an_anonymous_visitor_sees_no_tasks(waiting, client):
    html = client.get("/").content.decode()
    assert "Your tasks" not in html and "Sign in" in html


def test_an_administrator_finds_the_administration_from_the_home_page(make_user, client):
    client.force_login(make_user("COM", "viewer", "administrator"))
    html = client.get("/").content.decode()
    assert 'href="/admin/"' in html and 'href="/audit/"' in html
