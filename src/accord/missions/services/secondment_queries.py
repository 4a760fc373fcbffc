"""Queries of civilian seconded posts (EEAS Goalkeeper): calls, applications, totals."""

from __future__ import annotations

from typing import Any

from accord.missions.engine import secondment
from accord.missions.engine.catalogues import load_catalogues
from accord.missions.models import (
    Mission,
    SecondmentApplication,
    SecondmentCall,
)
from accord.platform import policy


def invited_third_states(mission: Mission) -> list[str]:
    """Third states invited to the mission and not rejected: they may nominate seconded staff."""
    return list(mission.participations.exclude(status__in=("start", "rejected")).values_list("state__code", flat=True))


def secondment_calls_for(user, mission: Mission | None = None):
    qs = SecondmentCall.objects.select_related("mission", "owner")
    if mission is not None:
        qs = qs.filter(mission=mission)
    return policy.visible(user, qs)


def secondment_call_for(user, pk: int) -> SecondmentCall:
    return policy.get_visible(user, SecondmentCall.objects.select_related("mission"), pk=pk)


def secondment_applications_for(user, call_record: SecondmentCall):
    """The applications to a call this user may see: a state its own, the EEAS all."""
    return policy.visible(user, call_record.applications.select_related("owner"))


def secondment_call_page(user, call_record: SecondmentCall) -> dict[str, Any]:
    """What the call page shows this user: posts with their selection state, visible applications,
    and which forms the policy offers."""
    catalogues = load_catalogues()
    applications = list(secondment_applications_for(user, call_record))
    posts = []
    for post in call_record.posts:
        jd = catalogues.job_description(post["job_description"])
        mine = [a for a in applications if a.post == post["id"]]
        posts.append(
            {
                "id": post["id"],
                "job_description": post["job_description"],
                "job_title": jd.title if jd else post["job_description"],
                "category": jd.category if jd else "",
                "location": post.get("location") or "",
                "applications": len(mine),
                "selected": [
                    {"id": a.code, "candidate": a.candidate, "contributor": a.owner.code} for a in mine if a.selected
                ],
            }
        )
    return {
        "call": {
            "pk": call_record.pk,
            "id": call_record.code,
            "mission": call_record.mission.acronym,
            "mission_slug": call_record.mission.slug,
            "published_on": call_record.published_on,
            "deadline": call_record.deadline,
            "posts": len(call_record.posts),
        },
        "posts": posts,
        "applications": [
            {
                "pk": a.pk,
                "id": a.code,
                "post": a.post,
                "candidate": a.candidate,
                "nominated_by": a.owner.code,
                "nominated_by_name": a.owner.name,
                "submitted_on": a.submitted_on,
                "selected": a.selected,
            }
            for a in applications
        ],
        "may_apply": policy.can(user, "missions.apply_secondment", call_record),
        "may_select": policy.can(user, "missions.select_secondment", call_record),
    }


def secondment_totals_for(user, mission: Mission | None = None) -> dict[str, Any]:
    """Registrar statistics over the selected applications this user may see."""
    qs = SecondmentApplication.objects.filter(selected=True).select_related("owner", "call__mission")
    if mission is not None:
        qs = qs.filter(call__mission=mission)
    selections = [
        secondment.Selection(a.call.code, a.call.mission.acronym, a.post, a.code, a.candidate, a.owner.code)
        for a in policy.visible(user, qs)
    ]
    return secondment.secondment_totals(selections)
