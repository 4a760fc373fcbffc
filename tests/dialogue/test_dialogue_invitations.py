"""Invitations to the other side's internal meetings (SDP mechanism M5)."""

import pytest

from accord.dialogue.engine.invitations import (
    InvitationParties,
    allowed_targets,
    check_new_invitation,
    next_state,
)
from accord.dialogue.engine.reference import bodies, body_by_code
from accord.errors import InputError

EU_INVITES_UK = InvitationParties(inviting_party="EU", invitee_party="GB")


def test_the_eu_internal_meetings_of_the_partnership_are_convened_by_the_eu():
    for code in ("fac", "european-council", "psc", "schuman-forum"):
        assert body_by_code(code).convener == "EU"
    assert all(b.source.title for b in bodies())


def test_the_eu_may_invite_the_uk_to_the_foreign_affairs_council():
    check_new_invitation(body_by_code("fac").convener, "EU", "GB")


def test_the_uk_may_invite_eu_representatives_to_a_uk_meeting():
    check_new_invitation(body_by_code("uk-meeting").convener, "GB", "EU")


def test_the_uk_cannot_send_invitations_to_the_european_council():
    with pytest.raises(InputError) as err:
        check_new_invitation(body_by_code("european-council").convener, "GB", "EU")
    assert err.value.problems[0].field == "body"


def test_a_side_does_not_invite_itself():
    with pytest.raises(InputError) as err:
        check_new_invitation("EU", "EU", "EU")
    assert err.value.problems[0].field == "invitee_party"


def test_the_invitee_accepts_an_invitation():
    assert next_state("invited", "accepted", "GB", EU_INVITES_UK) == "accepted"


def test_the_invitee_declines_an_invitation():
    assert next_state("invited", "declined", "GB", EU_INVITES_UK) == "declined"


def test_the_inviting_side_records_attendance_after_acceptance():
    assert next_state("accepted", "attended", "EU", EU_INVITES_UK) == "attended"


@pytest.mark.parametrize(
    "current,target",
    [
        ("declined", "attended"),
        ("invited", "attended"),
        ("attended", "accepted"),
        ("declined", "accepted"),
        ("accepted", "declined"),
        ("attended", "declined"),
    ],
)
def test_an_invitation_does_not_skip_or_reverse_its_steps(current, target):
    actor = "EU" if target == "attended" else "GB"
    with pytest.raises(InputError) as err:
        next_state(current, target, actor, EU_INVITES_UK)
    assert "cannot become" in err.value.problems[0].message


def test_the_inviting_side_cannot_accept_on_the_invitees_behalf():
    with pytest.raises(InputError) as err:
        next_state("invited", "accepted", "EU", EU_INVITES_UK)
    assert "only the invitee (GB)" in err.value.problems[0].message


def test_the_invitee_cannot_record_its_own_attendance():
    with pytest.raises(InputError) as err:
        next_state("accepted", "attended", "GB", EU_INVITES_UK)
    assert "only the inviting side (EU)" in err.value.problems[0].message


def test_an_invitation_cannot_be_moved_back_to_invited():
    with pytest.raises(InputError):
        next_state("accepted", "invited", "GB", EU_INVITES_UK)


def test_each_side_is_offered_only_the_moves_it_may_make():
    assert allowed_targets("invited", "GB", EU_INVITES_UK) == ["accepted", "declined"]
    assert allowed_targets("invited", "EU", EU_INVITES_UK) == []
    assert allowed_targets("accepted", "EU", EU_INVITES_UK) == ["attended"]
    assert allowed_targets("declined", "GB", EU_INVITES_UK) == []


COUNCIL_INVITES_UK = InvitationParties(inviting_party="COUNCIL", invitee_party="GB")


def test_the_council_may_invite_the_uk_for_the_eu_side():
    check_new_invitation(body_by_code("fac").convener, "COUNCIL", "GB")


def test_a_member_state_does_not_invite_to_an_internal_eu_meeting_on_the_eus_behalf():
    with pytest.raises(InputError) as err:
        check_new_invitation(body_by_code("fac").convener, "FR", "GB")
    assert err.value.problems[0].field == "body"


def test_one_eu_institution_does_not_invite_another_to_an_eu_meeting():
    with pytest.raises(InputError) as err:
        check_new_invitation(body_by_code("psc").convener, "EEAS", "COM")
    assert err.value.problems[0].field == "invitee_party"


def test_another_party_of_the_inviting_side_may_record_attendance():
    assert next_state("accepted", "attended", "EEAS", COUNCIL_INVITES_UK) == "attended"


def test_a_party_outside_both_sides_may_not_record_attendance():
    with pytest.raises(InputError) as err:
        next_state("accepted", "attended", "FR", COUNCIL_INVITES_UK)
    assert "only the inviting side (EU)" in err.value.problems[0].message
