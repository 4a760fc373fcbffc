"""Permission before existence (issue 17): every missions write, sent by every
role of every kind of party, is refused the same way whether its target exists
or not, unless the sender may see the target anyway.

Each case runs twice from the same starting point, in a savepoint rolled back
afterwards: once where the target exists (created by its rightful owner), once
where it does not. A refusal that differs between the two would tell the sender
something it may not know (say, that Norway has been invited to a mission).
"""

import datetime as dt
import json

import pytest
from django.db import transaction
from django.utils import timezone

from accord.missions import services
from accord.missions.models import Mission, Offer, Participation, Requirement, SecondmentApplication, SecondmentCall
from accord.platform import policy

pytestmark = pytest.mark.django_db

BASE = "/api/v1/missions"
TODAY = timezone.localdate()
PARTIES = ("EEAS", "COUNCIL", "DE", "FR", "GB", "NO")
ROLES = ("viewer", "editor", "approver")
CALL = {
    "id": "C1",
    "published_on": (TODAY - dt.timedelta(days=5)).isoformat(),
    "deadline": (TODAY + dt.timedelta(days=20)).isoformat(),
    "posts": [{"id": "P1", "job_description": "MON"}],
}


def althea():
    return Mission.objects.get(acronym="EUFOR ALTHEA")


class World:
    """The owners who create the targets, made once per test."""

    def __init__(self, make_user):
        self.council = make_user("COUNCIL", "approver")
        self.eeas = make_user("EEAS", "editor", "approver")
        self.france = make_user("FR", "editor", "approver")


# Each write: (name, create the target and return what the request needs, build the request).
# ``target`` returns (record or None, context for the request); the request is (url, body).


def invite_target(world, exists):
    record = services.invite(world.council, althea(), "NO") if exists else None
    return record, {}


def invite_request(ctx):
    return f"{BASE}/eufor-althea/participations", {"state": "NO"}


def step_target(world, exists):
    record = services.invite(world.council, althea(), "NO")
    pk = record.pk
    if not exists:
        record.delete()
        record = None
    return record, {"pk": pk}


def step_request(ctx):
    return f"{BASE}/participations/{ctx['pk']}/steps", {"action": "call_for_contributions"}


REQUIREMENT = {
    "id": "R1",
    "capability": "staff_officer",
    "quantity": 1,
    "needed_from": (TODAY + dt.timedelta(days=30)).isoformat(),
    "duration_days": 90,
}


def requirement_target(world, exists):
    record = services.add_requirement(world.eeas, althea(), REQUIREMENT) if exists else None
    return record, {}


def requirement_request(ctx):
    return f"{BASE}/eufor-althea/requirements", REQUIREMENT


OFFER = {
    "id": "O1",
    "capability": "staff_officer",
    "quantity": 1,
    "available_from": (TODAY + dt.timedelta(days=30)).isoformat(),
}


def offer_target(world, exists):
    record = services.add_offer(world.france, althea(), OFFER) if exists else None
    return record, {}


def offer_request(ctx):
    return f"{BASE}/eufor-althea/offers", OFFER


def call_target(world, exists):
    record = services.publish_secondment_call(world.eeas, althea(), CALL) if exists else None
    return record, {}


def call_request(ctx):
    return f"{BASE}/eufor-althea/secondment-calls", CALL


def application_target(world, exists):
    call = services.publish_secondment_call(world.eeas, althea(), CALL)
    record = (
        services.apply_for_secondment(world.france, call, {"id": "A1", "post": "P1", "candidate": "fr-1"})
        if exists
        else None
    )
    return record, {"pk": call.pk}


def application_request(ctx):
    return f"{BASE}/secondment-calls/{ctx['pk']}/applications", {"id": "A1", "post": "P1", "candidate": "x-1"}


def selection_target(world, exists):
    call = services.publish_secondment_call(world.eeas, althea(), CALL)
    pk = call.pk
    if not exists:
        call.delete()
        call = None
    return call, {"pk": pk}


def selection_request(ctx):
    return f"{BASE}/secondment-calls/{ctx['pk']}/selection", {"choices": {}}


WRITES = {
    "invite a third state": (invite_target, invite_request),
    "take a participation step": (step_target, step_request),
    "add a requirement": (requirement_target, requirement_request),
    "offer a contribution": (offer_target, offer_request),
    "publish a call for seconded posts": (call_target, call_request),
    "nominate a candidate": (application_target, application_request),
    "select secondees": (selection_target, selection_request),
}


def answer(client, url, body):
    response = client.post(url, data=json.dumps(body), content_type="application/json")
    try:
        content = response.json()
    except ValueError:
        content = response.content.decode()
    return response.status_code, content


def run(world, user, client, write, exists):
    """The answer to the write in a world where its target exists or not (rolled back after)."""
    target, request = WRITES[write]
    with transaction.atomic():
        record, ctx = target(world, exists)
        visible = record is not None and policy.visible(user, type(record).objects.filter(pk=record.pk)).exists()
        result = answer(client, *request(ctx))
        transaction.set_rollback(True)
    return result, visible


@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_refused_write_answers_the_same_whether_its_target_exists_or_not(missions_data, make_user, api_client, write):
    world = World(make_user)
    checked = 0
    for party in PARTIES:
        for role in ROLES:
            user = make_user(party, role)
            client = api_client(user)
            with_target, visible = run(world, user, client, write, exists=True)
            without_target, _ = run(world, user, client, write, exists=False)
            refused = with_target[0] >= 400 or without_target[0] >= 400
            if refused and not visible:
                assert with_target == without_target, (
                    f"{party} {role}: '{write}' answers {with_target} when the target exists "
                    f"and {without_target} when it does not"
                )
                checked += 1
    assert checked  # some sender was refused: the comparison ran


def test_a_viewer_cannot_learn_that_a_state_was_invited(missions_data, make_user, api_client):
    world = World(make_user)
    viewer = make_user("GB", "viewer")
    client = api_client(viewer)
    with_invitation, _ = run(world, viewer, client, "invite a third state", exists=True)
    without_invitation, _ = run(world, viewer, client, "invite a third state", exists=False)
    assert with_invitation == without_invitation
    assert with_invitation[0] == 403
    assert "NO" not in json.dumps(with_invitation[1])


def test_another_states_offer_code_is_not_a_clash(missions_data, make_user, api_client):
    world = World(make_user)
    germany = make_user("DE", "editor")
    answer_with, _ = run(world, germany, api_client(germany), "offer a contribution", exists=True)
    assert answer_with[0] == 201  # France's offer O1 neither blocks nor reveals Germany's O1
    assert not Offer.objects.exists() and not Participation.objects.exists()
    assert not Requirement.objects.exists() and not SecondmentCall.objects.exists()
    assert not SecondmentApplication.objects.exists()
