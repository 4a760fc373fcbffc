"""Platform endpoints: parties with memberships, and who am I."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from accord.platform import policy
from accord.platform.models import Party

router = Router(tags=["Platform"])


class MembershipOut(Schema):
    framework: str
    framework_name: str
    start: dt.date | None
    end: dt.date | None
    source_title: str
    source_href: str
    note: str


class PartyOut(Schema):
    code: str
    name: str
    kind: str


class PartyDetailOut(PartyOut):
    source_title: str
    source_href: str
    memberships: list[MembershipOut]


class MeOut(Schema):
    username: str
    party: PartyOut
    roles: list[str]


def membership_rows(party: Party) -> list[dict]:
    return [
        {
            "framework": m.framework.code,
            "framework_name": m.framework.name,
            "start": m.start,
            "end": m.end,
            "source_title": m.source_title,
            "source_href": m.source_href,
            "note": m.note,
        }
        for m in party.memberships.select_related("framework").order_by("framework__code", "start")
    ]


@router.get("/parties", response=list[PartyOut], summary="List parties (states and institutions)")
def list_parties(request, kind: str | None = None):
    parties = Party.objects.all()
    if kind:
        parties = parties.filter(kind=kind)
    return list(parties)


@router.get("/parties/{code}", response=PartyDetailOut, summary="One party with its dated memberships")
def get_party(request, code: str):
    party = get_object_or_404(Party, code=code.upper())
    return {
        "code": party.code,
        "name": party.name,
        "kind": party.kind,
        "source_title": party.source_title,
        "source_href": party.source_href,
        "memberships": membership_rows(party),
    }


@router.get("/me", response=MeOut, summary="The calling user, their party and roles")
def me(request):
    user = request.auth
    party = policy.party_of(user)
    if party is None:
        raise policy.Forbidden("this user acts for no party")
    return {"username": user.get_username(), "party": party, "roles": sorted(policy.roles_of(user))}
