"""Demo users, one per demo party and an administrator: created on an empty
installation, completed on a demo installation, never added to a real one."""

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


ADMIN_USERNAME = "admin"
ADMIN_PARTY = "COM"
ADMIN_ROLES = ["viewer", "administrator"]


def demo_accounts() -> list[tuple[str, str, list[str], bool]]:
    """Every demo account as (user name, party, roles, staff), the administrator last."""
    accounts = [(f"{code.lower()}-demo", code, DEMO_ROLES, False) for code in DEMO_PARTIES]
    return [*accounts, (ADMIN_USERNAME, ADMIN_PARTY, ADMIN_ROLES, True)]


def create_demo_users() -> list[tuple[str, str, str, list[str]]]:
    """Create the demo users that are missing; return (username, password, party, roles) of those created.

    On an empty user table this creates them all. On a demo installation
    (some demo user exists) it creates the missing ones, the administrator
    included, so that a set-up interrupted half-way is repaired by the next
    run. Where there are users but no demo user (a real deployment), it
    creates nothing. All in one transaction: a run killed here leaves
    either every missing user or none.
    """
    User = get_user_model()
    names = [username for username, *_ in demo_accounts()]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    if not existing and User.objects.exists():
        return []
    created = []
    with transaction.atomic():
        for username, code, roles, staff in demo_accounts():
            if username in existing or not Party.objects.filter(code=code).exists():
                continue
            password = secrets.token_urlsafe(12)
            create_user(username, code, list(roles), password, staff=staff)
            created.append((username, password, code, list(roles)))
    return created
