"""Demo users, one per demo party, created only when no user exists yet."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from accord.platform.models import Party, Profile

DEMO_PARTIES = ["GB", "FR", "DE", "PL", "LT", "EE", "NO", "EEAS", "COM", "COUNCIL"]
DEMO_ROLES = ["viewer", "editor", "approver"]


def create_user(username: str, party_code: str, roles: list[str], password: str | None = None, *, staff: bool = False):
    from accord.platform.models import ROLES

    unknown = sorted(set(roles) - set(ROLES))
    if unknown:
        raise ValueError(f"unknown role(s) {', '.join(unknown)}; roles are {', '.join(ROLES)}")
    party = Party.objects.get(code=party_code)
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password)
        user.is_staff = staff or "administrator" in roles
        user.save()
        Profile.objects.create(user=user, party=party, roles=list(roles))
    return user


def create_demo_users() -> list[tuple[str, str, str, list[str]]]:
    """Create the demo users if there are no users at all; return (username, password, party, roles)."""
    if get_user_model().objects.exists():
        return []
    created = []
    for code in DEMO_PARTIES:
        if not Party.objects.filter(code=code).exists():
            continue
        username, password = f"{code.lower()}-demo", secrets.token_urlsafe(12)
        create_user(username, code, DEMO_ROLES, password)
        created.append((username, password, code, DEMO_ROLES))
    username, password = "admin", secrets.token_urlsafe(12)
    create_user(username, "COM", ["viewer", "administrator"], password, staff=True)
    created.append((username, password, "COM", ["viewer", "administrator"]))
    return created
