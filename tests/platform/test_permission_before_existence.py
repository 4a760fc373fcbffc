"""Permission before existence, for every write that names its target in the address.

A user of a party that may not see a record learns nothing from writing to it:
the answer for the real record and for one that does not exist is the same,
status and body, whatever their role. (Missions has its own, wider test:
tests/missions/test_missions_permission_before_existence.py.)
"""

import re

import pytest

from tests.mobility.network_builder import future_departure

MISSING = 987654

ROLES = [("viewer",), ("editor",), ("approver",), ("administrator",)]


@pytest.fixture
def targets(make_user):
    """A German movement across Poland, an EEAS meeting with a UK action, an invitation to the UK."""
    from accord.dialogue import services as dialogue
    from accord.dialogue.models import Action, Invitation, Meeting
    from accord.dialogue.reference import load_reference
    from accord.mobility import services as mobility

    load_reference()
    movement = mobility.create_movement(
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
        {"body": "schuman-forum", "meeting_title": "Schuman Forum", "date": "2099-06-01", "invitee_party": "GB"},
    )
    dialogue.create_meeting(
        make_user("EEAS", "editor"),
        {
            "title": "Indo-Pacific working group",
            "date": "2026-02-10",
            "working_group": "indo-pacific",
            "actions": [{"description": "Share the maritime picture", "owner_party": "EEAS", "due": "2026-03-01"}],
        },
    )
    return {
        "movement": movement.pk,
        "meeting": Meeting.objects.get().pk,
        "action": Action.objects.get().pk,
        "invitation": Invitation.objects.get().pk,
    }


WRITES = [
    ("/api/v1/mobility/movements/{movement}/permissions/PL", {"decision": "refused", "reason": "Bridge works"}),
    (
        "/api/v1/dialogue/meetings/{meeting}/actions",
        {"description": "Write the minutes", "owner_party": "EEAS", "due": "2026-04-01"},
    ),
    ("/api/v1/dialogue/actions/{action}/status", {"status": "done"}),
    ("/api/v1/dialogue/invitations/{invitation}/state", {"state": "accepted"}),
]


@pytest.mark.parametrize("roles", ROLES, ids=lambda r: r[0])
@pytest.mark.parametrize("template, body", WRITES, ids=[w[0].split("/api/v1/")[1] for w in WRITES])
def test_a_party_that_may_not_see_the_target_learns_nothing_from_a_write(
    targets, make_user, api_client, template, body, roles
):
    outsider = api_client(make_user("FR", *roles))  # France is party to none of these records
    existing = outsider.post(template.format(**targets), body, content_type="application/json")
    missing = outsider.post(template.format(**dict.fromkeys(targets, MISSING)), body, content_type="application/json")
    assert existing.status_code == missing.status_code == 404
    assert existing.json() == missing.json()


FORMS = [
    ("/mobility/movements/{movement}/permissions/PL/", {"decision": "refused", "reason": "Bridge works"}),
    (
        "/dialogue/meetings/{meeting}/actions/",
        {"description": "Write the minutes", "owner_party": "EEAS", "due": "1 April 2026"},
    ),
    ("/dialogue/actions/{action}/status/", {"status": "done"}),
    ("/dialogue/invitations/{invitation}/state/", {"state": "accepted"}),
]


@pytest.mark.parametrize("roles", ROLES, ids=lambda r: r[0])
@pytest.mark.parametrize("template, data", FORMS, ids=[f[0].strip("/") for f in FORMS])
def test_a_party_that_may_not_see_the_target_learns_nothing_from_a_web_form(
    targets, make_user, client, template, data, roles
):
    client.force_login(make_user("FR", *roles))
    existing = client.post(template.format(**targets), data)
    missing = client.post(template.format(**dict.fromkeys(targets, MISSING)), data)
    assert existing.status_code == missing.status_code == 404
    assert _without_tokens(existing.content) == _without_tokens(missing.content)


def _without_tokens(html: bytes) -> bytes:
    """The page less its per-response CSRF token (the sign-out form's)."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", html)
