"""The dialogue API: authentication, visibility by party, workflows, 404/403/422."""

import pytest

from accord.dialogue.models import Invitation, Meeting
from accord.platform.models import AuditEntry

pytestmark = pytest.mark.django_db

MEETING = {
    "title": "Working group on the Western Balkans",
    "date": "2026-02-10",
    "working_group": "western-balkans",
    "location": "Brussels",
    "agenda": [
        {"area": "western-balkans", "title": "EUFOR Althea"},
        {"area": "russia", "title": "Disinformation in the region"},
    ],
    "attendees": [{"name": "Director, Europe", "party": "GB"}, {"name": "Managing Director", "party": "EEAS"}],
    "outcomes": "Agreed to exchange assessments.",
    "actions": [
        {"description": "Share the regional assessment", "owner_party": "GB", "due": "2026-03-01"},
        {"description": "Brief the PSC", "owner_party": "EEAS", "due": "2026-03-15"},
    ],
}


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_every_dialogue_route_needs_a_token(dialogue_data, api_client):
    for url in ("/api/v1/dialogue/schedule", "/api/v1/dialogue/invitations", "/api/v1/dialogue/exercises"):
        assert api_client().get(url).status_code == 401


def test_the_schedule_lists_consultations_from_a_date(make_user, api_client):
    client = api_client(make_user("FR", "viewer"))
    body = client.get("/api/v1/dialogue/schedule?from=2026-06-01&count=2").json()
    assert [c["date"] >= "2026-06-01" for c in body["consultations"]] == [True, True]


def test_a_schedule_of_zero_consultations_is_refused_with_422(make_user, api_client):
    response = api_client(make_user("FR", "viewer")).get("/api/v1/dialogue/schedule?count=0")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "count"


def test_a_schedule_from_an_impossible_date_is_refused_with_422(make_user, api_client):
    response = api_client(make_user("FR", "viewer")).get("/api/v1/dialogue/schedule?from=2026-02-30")
    assert response.status_code == 422


def test_both_sides_see_a_dialogue_meeting_and_a_member_state_does_not(dialogue_data, make_user, api_client):
    created = post(api_client(make_user("GB", "editor")), "/api/v1/dialogue/meetings", MEETING)
    assert created.status_code == 200, created.content
    meeting_id = created.json()["id"]
    seen = api_client(make_user("EEAS", "viewer")).get(f"/api/v1/dialogue/meetings/{meeting_id}")
    assert seen.status_code == 200
    assert [g["area"] for g in seen.json()["agenda"]] == ["russia", "western-balkans"]
    assert api_client(make_user("FR", "viewer")).get(f"/api/v1/dialogue/meetings/{meeting_id}").status_code == 404


def test_a_meeting_with_an_unknown_area_and_a_bad_due_date_is_refused_whole(dialogue_data, make_user, api_client):
    bad = {
        **MEETING,
        "agenda": [{"area": "weather", "title": "Rain"}],
        "actions": [{"description": "x", "owner_party": "GB", "due": "2026-02-30"}],
    }
    response = post(api_client(make_user("GB", "editor")), "/api/v1/dialogue/meetings", bad)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"agenda[0].area", "due"} <= fields
    assert not Meeting.objects.exists()


def test_a_member_state_outside_the_partnership_cannot_record_a_dialogue_meeting(dialogue_data, make_user, api_client):
    response = post(api_client(make_user("FR", "editor")), "/api/v1/dialogue/meetings", MEETING)
    assert response.status_code == 403


def test_the_overdue_report_counts_from_the_day_after_the_due_date(dialogue_data, make_user, api_client):
    post(api_client(make_user("GB", "editor")), "/api/v1/dialogue/meetings", MEETING)
    client = api_client(make_user("EEAS", "viewer"))
    on_due_day = client.get("/api/v1/dialogue/actions/overdue?on=2026-03-01").json()["overdue"]
    day_after = client.get("/api/v1/dialogue/actions/overdue?on=2026-03-02").json()["overdue"]
    assert on_due_day == []
    assert [(o["description"], o["days_overdue"]) for o in day_after] == [("Share the regional assessment", 1)]


def test_the_party_owing_an_action_marks_it_done_and_others_may_not(dialogue_data, make_user, api_client):
    meeting = post(api_client(make_user("GB", "editor")), "/api/v1/dialogue/meetings", MEETING).json()
    eeas_action = next(a for a in meeting["actions"] if a["owner_party"] == "EEAS")
    url = f"/api/v1/dialogue/actions/{eeas_action['id']}/status"
    assert post(api_client(make_user("COM", "editor")), url, {"status": "done"}).status_code == 403
    assert post(api_client(make_user("FR", "editor")), url, {"status": "done"}).status_code == 404
    assert post(api_client(make_user("EEAS", "editor")), url, {"status": "finished"}).status_code == 422
    done = post(api_client(make_user("EEAS", "editor")), url, {"status": "done"})
    assert done.status_code == 200 and done.json()["status"] == "done"


def invite(client, invitee="GB", body="fac"):
    return post(
        client,
        "/api/v1/dialogue/invitations",
        {
            "body": body,
            "meeting_title": "Foreign Affairs Council (Defence)",
            "date": "2026-05-20",
            "invitee_party": invitee,
        },
    )


def test_an_invitation_is_seen_only_by_the_inviting_side_and_the_invitee(dialogue_data, make_user, api_client):
    created = invite(api_client(make_user("COUNCIL", "editor")))
    assert created.status_code == 200, created.content
    inv_id = created.json()["id"]
    for party in ("GB", "COUNCIL", "EEAS", "COM"):
        client = api_client(make_user(party, "viewer"))
        assert client.get(f"/api/v1/dialogue/invitations/{inv_id}").status_code == 200, party
        assert [i["id"] for i in client.get("/api/v1/dialogue/invitations").json()] == [inv_id]
    for party in ("FR", "NO", "DE"):
        client = api_client(make_user(party, "viewer"))
        assert client.get(f"/api/v1/dialogue/invitations/{inv_id}").status_code == 404, party
        assert client.get("/api/v1/dialogue/invitations").json() == []


def test_the_uk_cannot_invite_to_the_foreign_affairs_council(dialogue_data, make_user, api_client):
    response = invite(api_client(make_user("GB", "editor")), invitee="EEAS")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"
    assert not Invitation.objects.exists()


def test_the_uk_invites_eu_representatives_to_its_own_meeting(dialogue_data, make_user, api_client):
    response = invite(api_client(make_user("GB", "editor")), invitee="EEAS", body="uk-meeting")
    assert response.status_code == 200
    assert api_client(make_user("COUNCIL", "viewer")).get("/api/v1/dialogue/invitations").json() == []
    assert len(api_client(make_user("EEAS", "viewer")).get("/api/v1/dialogue/invitations").json()) == 1


def test_the_invitation_workflow_is_accepted_by_the_invitee_then_attendance_recorded_by_the_eu(
    dialogue_data, make_user, api_client
):
    inv_id = invite(api_client(make_user("COUNCIL", "editor"))).json()["id"]
    url = f"/api/v1/dialogue/invitations/{inv_id}/state"
    uk, eeas = api_client(make_user("GB", "editor")), api_client(make_user("EEAS", "editor"))
    assert post(eeas, url, {"state": "accepted"}).status_code == 403  # not the invitee
    assert post(uk, url, {"state": "attended"}).status_code == 403  # not the inviting side
    assert post(eeas, url, {"state": "attended"}).status_code == 422  # not yet accepted
    assert post(uk, url, {"state": "accepted"}).json()["state"] == "accepted"
    assert post(eeas, url, {"state": "attended"}).json()["state"] == "attended"
    assert post(uk, url, {"state": "declined"}).status_code == 422
    events = AuditEntry.objects.filter(record_type="dialogue.Invitation", record_id=str(inv_id))
    assert {"invitation.accepted", "invitation.attended"} <= set(events.values_list("action", flat=True))


def test_a_declined_invitation_cannot_be_marked_attended(dialogue_data, make_user, api_client):
    inv_id = invite(api_client(make_user("COUNCIL", "editor"))).json()["id"]
    url = f"/api/v1/dialogue/invitations/{inv_id}/state"
    assert post(api_client(make_user("GB", "editor")), url, {"state": "declined"}).status_code == 200
    response = post(api_client(make_user("COUNCIL", "editor")), url, {"state": "attended"})
    assert response.status_code == 422
    assert "cannot become attended" in response.json()["errors"][0]["message"]


def test_a_viewer_cannot_answer_an_invitation(dialogue_data, make_user, api_client):
    inv_id = invite(api_client(make_user("COUNCIL", "editor"))).json()["id"]
    response = post(
        api_client(make_user("GB", "viewer")), f"/api/v1/dialogue/invitations/{inv_id}/state", {"state": "accepted"}
    )
    assert response.status_code == 403


def test_the_exercise_calendar_lists_the_reference_exercises_with_sources(dialogue_data, make_user, api_client):
    body = api_client(make_user("GB", "viewer")).get("/api/v1/dialogue/exercises").json()
    milex = next(e for e in body if e["code"] == "milex-23")
    assert (milex["start"], milex["end"]) == ("2023-09-18", "2023-10-22")
    assert milex["source"]["href"].startswith("https://")


def test_the_uk_offers_to_take_part_and_the_lead_accepts_audited(future_exercise, make_user, api_client):
    uk, eeas = api_client(make_user("GB", "editor")), api_client(make_user("EEAS", "editor"))
    offered = post(uk, f"/api/v1/dialogue/exercises/{future_exercise.code}/offers", {"note": "a company"})
    assert offered.status_code == 200 and offered.json()["state"] == "offered"
    offer_id = offered.json()["id"]
    assert post(uk, f"/api/v1/dialogue/exercises/{future_exercise.code}/offers", {}).status_code == 422  # twice
    assert post(uk, f"/api/v1/dialogue/offers/{offer_id}/answer", {"state": "accepted"}).status_code == 403
    assert (
        post(
            api_client(make_user("FR", "editor")), f"/api/v1/dialogue/offers/{offer_id}/answer", {"state": "accepted"}
        ).status_code
        == 404
    )  # FR may not see the UK's offer
    accepted = post(eeas, f"/api/v1/dialogue/offers/{offer_id}/answer", {"state": "accepted"})
    assert accepted.json()["state"] == "accepted"
    assert post(eeas, f"/api/v1/dialogue/offers/{offer_id}/answer", {"state": "declined"}).status_code == 422
    actions = set(
        AuditEntry.objects.filter(record_type="dialogue.ExerciseParticipation").values_list("action", flat=True)
    )
    assert {"create", "participation.accepted"} <= actions


def test_an_offer_to_join_an_exercise_that_has_ended_is_refused(dialogue_data, make_user, api_client):
    response = post(api_client(make_user("GB", "editor")), "/api/v1/dialogue/exercises/milex-23/offers", {})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "exercise"


def test_an_unknown_exercise_answers_404(dialogue_data, make_user, api_client):
    assert api_client(make_user("GB", "viewer")).get("/api/v1/dialogue/exercises/nope").status_code == 404


def test_only_an_administrator_of_either_side_adds_a_working_group(dialogue_data, make_user, api_client):
    payload = {"code": "maritime", "name": "Maritime security"}
    assert post(api_client(make_user("GB", "editor")), "/api/v1/dialogue/working-groups", payload).status_code == 403
    assert (
        post(api_client(make_user("FR", "administrator")), "/api/v1/dialogue/working-groups", payload).status_code
        == 403
    )
    assert (
        post(api_client(make_user("GB", "administrator")), "/api/v1/dialogue/working-groups", payload).status_code
        == 200
    )
    assert (
        post(api_client(make_user("GB", "administrator")), "/api/v1/dialogue/working-groups", payload).status_code
        == 422
    )
    codes = {w["code"] for w in api_client(make_user("EEAS", "viewer")).get("/api/v1/dialogue/working-groups").json()}
    assert {"russia-ukraine", "indo-pacific", "western-balkans", "hybrid-threats", "maritime"} <= codes


def test_an_administrator_stores_the_cycle_and_storing_it_again_changes_nothing(dialogue_data, make_user, api_client):
    admin = api_client(make_user("EEAS", "administrator"))
    first = post(admin, "/api/v1/dialogue/consultations/generate", {"count": 3})
    again = post(admin, "/api/v1/dialogue/consultations/generate", {"count": 3})
    assert first.status_code == 200 and first.json() == again.json()
    assert [c["host"] for c in first.json()] == ["GB", "EU", "GB"]
    assert len(api_client(make_user("GB", "viewer")).get("/api/v1/dialogue/consultations").json()) == 3
    assert api_client(make_user("FR", "viewer")).get("/api/v1/dialogue/consultations").json() == []


EXERCISE = {
    "code": "milex-27",
    "name": "MILEX 27 (planned)",
    "series": "milex",
    "start": "2027-09-13",
    "end": "2027-09-24",
    "scenario": "Planning exercise.",
    "invited_partners": ["GB"],
}


def test_an_eu_side_editor_records_an_exercise_seen_by_the_invited_partner_only(dialogue_data, make_user, api_client):
    created = post(api_client(make_user("EEAS", "editor")), "/api/v1/dialogue/exercises", EXERCISE)
    assert created.status_code == 200, created.content
    assert created.json()["lead"] == ["EEAS"]
    assert api_client(make_user("GB", "viewer")).get("/api/v1/dialogue/exercises/milex-27").status_code == 200
    assert api_client(make_user("NO", "viewer")).get("/api/v1/dialogue/exercises/milex-27").status_code == 404


def test_the_uk_does_not_write_the_eu_exercise_calendar(dialogue_data, make_user, api_client):
    assert post(api_client(make_user("GB", "editor")), "/api/v1/dialogue/exercises", EXERCISE).status_code == 403


def test_an_exercise_ending_before_it_starts_or_with_an_unknown_partner_is_refused(
    dialogue_data, make_user, api_client
):
    bad = {**EXERCISE, "end": "2027-09-01", "invited_partners": ["QQ"]}
    response = post(api_client(make_user("EEAS", "editor")), "/api/v1/dialogue/exercises", bad)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"end", "invited_partners"}


def test_the_cycle_can_be_stored_from_a_given_date(dialogue_data, make_user, api_client):
    body = post(
        api_client(make_user("GB", "administrator")),
        "/api/v1/dialogue/consultations/generate",
        {"count": 1, "from": "2026-06-01"},
    ).json()
    assert body[0]["date"] >= "2026-06-01" and body[0]["sequence"] > 1
