"""Commands of the Committee of Contributors: the PSC decision that sets it up.

The Council authorises the Political and Security Committee to set up a
mission's Committee of Contributors (for instance PSC Decision (CFSP) 2015/664,
EUMAM RCA/1/2015, recitals 1 and 3): the forum of the contributing third
states. The committee is what the latest recorded PSC decision says, not a
list computed from accepted contributions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from accord.errors import InputError, Problem
from accord.missions.models import CommitteeOfContributors, Mission
from accord.missions.services.common import registry, server_today, shared, too_long
from accord.platform import audit, policy
from accord.platform.models import Party

SEATED = ("accepted", "associated")


def set_committee(user, mission: Mission, data: Any, on: dt.date | None = None) -> CommitteeOfContributors:
    """Record the PSC decision setting up the mission's Committee of Contributors."""
    policy.require(user, "missions.set_committee", mission)
    on = on or server_today()  # an act is dated by the server, never by the client
    if not isinstance(data, dict):
        raise InputError("must be an object", field="(body)")
    problems = []
    reference = data.get("psc_decision")
    if not isinstance(reference, str) or not reference.strip():
        problems.append(
            Problem("Enter the reference of the PSC decision, for example EUMAM RCA/1/2015", field="psc_decision")
        )
    else:
        problems += too_long(CommitteeOfContributors, "psc_decision", reference, "psc_decision")
    members = data.get("members")
    codes: list[str] = []
    if not isinstance(members, list) or not members or not all(isinstance(m, str) for m in members):
        problems.append(Problem("List the states the decision seats on the committee", field="members"))
    else:
        reg = registry()
        accepted = set(mission.participations.filter(status__in=SEATED).values_list("state__code", flat=True))
        for code in members:
            code = code.strip().upper()
            party = Party.objects.filter(code=code, kind="state").first()
            if party is None:
                problems.append(Problem(f"{code} is not a state known to the service", field="members", item=code))
            elif not reg.is_member(code, "EU", on=on) and code not in accepted:
                problems.append(
                    Problem(
                        f"{party.name}'s contribution to {mission.acronym} has not been accepted by the PSC",
                        field="members",
                        item=code,
                    )
                )
            elif code not in codes:
                codes.append(code)
    if problems:
        raise InputError(problems)
    with transaction.atomic(), audit.acting_as(user):
        record = CommitteeOfContributors.objects.create(
            owner=policy.party_of(user),
            created_by=user,
            mission=mission,
            psc_decision=reference.strip(),
            decided_on=on,
            members=sorted(codes),
            is_public=True,
        )
        shared(record, ["EEAS", *codes])
        audit.record_event(
            record,
            "missions.set_committee",
            {"on": on.isoformat(), "psc_decision": record.psc_decision, "members": record.members},
        )
    return record


def committee_of(mission: Mission) -> CommitteeOfContributors | None:
    """The latest PSC decision on the mission's committee (public once published)."""
    return mission.committee_decisions.order_by("-decided_on", "-pk").first()
