"""Commands of civilian seconded posts: publish a call, nominate a candidate, select."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from accord.errors import InputError, Problem
from accord.missions.engine import secondment
from accord.missions.mappers import as_engine_call, engine_application
from accord.missions.models import (
    Mission,
    SecondmentApplication,
    SecondmentCall,
)
from accord.missions.services.common import (
    EEAS,
    parse_with_lengths,
    registry,
    server_today,
    shared,
    too_long,
)
from accord.missions.services.secondment_queries import invited_third_states
from accord.platform import audit, policy


def publish_secondment_call(user, mission: Mission, data: Any, on: dt.date | None = None) -> SecondmentCall:
    """The EEAS publishes a call for seconded posts, to member states and invited third states."""
    on = on or server_today()  # an act is dated by the server, never by the client
    policy.require(user, "missions.write_secondment_call", mission)
    lengths = []
    if isinstance(data, Mapping):
        lengths += too_long(SecondmentCall, "code", data.get("id"), "id")
        posts = data.get("posts") if isinstance(data.get("posts"), list) else []
        for i, post in enumerate(posts):
            if isinstance(post, Mapping):  # an application names its post in a column of this size
                lengths += too_long(SecondmentApplication, "post", post.get("id"), f"posts[{i}].id")
    call = parse_with_lengths(lambda d: secondment.parse_call(d, mission.acronym), data, lengths)
    if SecondmentCall.objects.filter(code=call.id).exists():
        raise InputError(f"A call “{call.id}” already exists", field="id", item=call.id)
    with transaction.atomic(), audit.acting_as(user):
        record = SecondmentCall.objects.create(
            owner=policy.party_of(user),
            created_by=user,
            mission=mission,
            code=call.id,
            published_on=call.published_on,
            deadline=call.deadline,
            posts=[p.as_dict() for p in call.posts],
        )
        shared(record, [*registry().members("EU", on=on), *invited_third_states(mission)])
    return record


def apply_for_secondment(
    user, call_record: SecondmentCall, data: Any, on: dt.date | None = None
) -> SecondmentApplication:
    """A state nominates a candidate; admissibility (deadline, invited state) is the engine's."""
    on = on or server_today()  # an act is dated by the server, never by the client
    policy.require(user, "missions.apply_secondment", call_record)
    party = policy.party_of(user)
    call = as_engine_call(call_record)
    lengths = []
    if isinstance(data, Mapping):
        for key, column in (("id", "code"), ("post", "post"), ("candidate", "candidate")):
            lengths += too_long(SecondmentApplication, column, data.get(key), key)
    application = parse_with_lengths(lambda d: secondment.parse_application(d, call, party.code, on), data, lengths)
    reasons = secondment.application_problems(
        application, call, registry=registry(), invited_third_states=invited_third_states(call_record.mission)
    )
    if reasons:
        raise InputError(
            [Problem(r, field="id" if "deadline" in r or "published" in r else "nominated_by") for r in reasons]
        )
    if call_record.applications.filter(owner=party, code=application.id).exists():
        raise InputError(
            f"You already have an application {application.id} for this call: give this one another reference",
            field="id",
        )
    with transaction.atomic(), audit.acting_as(user):
        record = SecondmentApplication.objects.create(
            owner=party,
            created_by=user,
            call=call_record,
            code=application.id,
            post=application.post,
            candidate=application.candidate,
            submitted_on=application.submitted_on,
        )
        shared(record, [EEAS])
    return record


def select_secondees(user, call_record: SecondmentCall, choices: Any, on: dt.date | None = None) -> list[dict]:
    """The EEAS selects one application per post; recorded and audited."""
    on = on or server_today()  # an act is dated by the server, never by the client
    policy.require(user, "missions.select_secondment", call_record)
    if not isinstance(choices, dict) or not all(isinstance(v, str) for v in choices.values()):
        raise InputError("must map post ids to application ids", field="choices")
    call = as_engine_call(call_record)
    records = application_keys(policy.visible(user, call_record.applications.select_related("owner", "call")))
    # Earlier selections stand: a post keeps its secondee, a candidate takes one post.
    problems = []
    held_posts = {a.post: key for key, a in records.items() if a.selected}
    held_candidates = {a.candidate: a.post for a in records.values() if a.selected}
    for post_id, app_id in sorted(choices.items()):
        app = records.get(app_id)
        if post_id in held_posts and held_posts[post_id] != app_id:
            problems.append(
                Problem(
                    f"post {post_id} already has application {held_posts[post_id]} selected",
                    field=f"choices.{post_id}",
                    item=post_id,
                )
            )
        elif app is not None and held_candidates.get(app.candidate, post_id) != post_id:
            problems.append(
                Problem(
                    f"candidate {app.candidate} is already selected for post {held_candidates[app.candidate]}",
                    field=f"choices.{post_id}",
                    item=post_id,
                )
            )
    try:
        chosen = secondment.select(
            call,
            [dataclasses.replace(engine_application(a), id=key) for key, a in records.items()],
            choices,
            registry=registry(),
            invited_third_states=invited_third_states(call_record.mission),
            on=on,
        )
    except InputError as exc:
        raise InputError([*problems, *exc.problems]) from None
    if problems:
        raise InputError(problems)
    with transaction.atomic(), audit.acting_as(user):
        for selection in chosen:
            record = records[selection.application]
            if record.selected:
                continue  # chosen again: already recorded and audited
            record.selected = True
            record.save()
            audit.record_event(record, "missions.select_secondee", {"on": on.isoformat(), **selection.as_dict()})
    return [s.as_dict() for s in chosen]


def application_keys(applications) -> dict:
    """Applications by the reference the EEAS chooses them with: the code, or "<state> <code>"
    where two states used the same code (codes are unique per nominating state)."""
    import collections

    applications = list(applications)
    counts = collections.Counter(a.code for a in applications)
    return {(f"{a.owner.code} {a.code}" if counts[a.code] > 1 else a.code): a for a in applications}
