"""The one place that decides who may see and do what.

Web pages, the API and the CLI all ask this module; none filters records on
its own. The rules:

- A user acts for exactly one party, with one or more roles.
- A user may see a record owned by their party, shared with their party,
  or marked public reference data.
- ``view``: any role. ``create``: editor or administrator. ``edit``: an
  editor or administrator of the owning party. ``approve``: an approver or
  administrator of the owning party. ``administer``: an administrator of the
  owning party.
- Capabilities add named rules (``@rule("mobility.decide_permission")``);
  an unknown action is refused (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from accord.platform.models import OwnedRecord, Party, Profile

ROLE_FOR_ACTION = {
    "view": {"viewer", "editor", "approver", "administrator"},
    "create": {"editor", "administrator"},
    "edit": {"editor", "administrator"},
    "approve": {"approver", "administrator"},
    "administer": {"administrator"},
}

_rules: dict[str, Callable[..., bool]] = {}


class NotVisible(Exception):
    """The record does not exist or the user may not see it (answer 404)."""


class Forbidden(Exception):
    """The user may see the record but not do this (answer 403)."""


def rule(name: str) -> Callable[[Callable[..., bool]], Callable[..., bool]]:
    """Register a capability rule: ``fn(user, record, **context) -> bool``."""

    def register(fn: Callable[..., bool]) -> Callable[..., bool]:
        if name in _rules and _rules[name] is not fn:
            raise ValueError(f"policy rule {name!r} is already registered")
        _rules[name] = fn
        return fn

    return register


def profile_of(user: Any) -> Profile | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        return user.accord_profile
    except Profile.DoesNotExist:
        return None


def party_of(user: Any) -> Party | None:
    profile = profile_of(user)
    return profile.party if profile else None


def roles_of(user: Any) -> set[str]:
    profile = profile_of(user)
    return set(profile.roles) if profile else set()


def has_role(user: Any, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def visible(user: Any, queryset: QuerySet) -> QuerySet:
    """Only the records of ``queryset`` that ``user`` may see."""
    party = party_of(user)
    if party is None or not roles_of(user) & ROLE_FOR_ACTION["view"]:
        return queryset.none()
    model = queryset.model
    if not issubclass(model, OwnedRecord):
        raise TypeError(f"{model.__name__} is not an OwnedRecord; the policy cannot decide for it")
    through = model.shared_with.through
    source = model._meta.get_field("shared_with").m2m_field_name()
    shared = through.objects.filter(**{f"{source}_id": OuterRef("pk"), "party_id": party.pk})
    return queryset.filter(Q(owner_id=party.pk) | Q(is_public=True) | Exists(shared))


def can_see(user: Any, record: OwnedRecord) -> bool:
    return visible(user, type(record)._default_manager.filter(pk=record.pk)).exists()


def get_visible(user: Any, queryset: QuerySet, **lookup: Any) -> Model:
    """One record the user may see, or ``NotVisible`` (never reveal that it exists)."""
    try:
        return visible(user, queryset).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise NotVisible() from None


def can(user: Any, action: str, record: Any = None, **context: Any) -> bool:
    """May ``user`` do ``action`` (on ``record``, if it is about one)?"""
    if action in _rules:
        return bool(_rules[action](user, record, **context))
    roles_needed = ROLE_FOR_ACTION.get(action)
    if roles_needed is None:
        return False  # unknown action: fail closed
    party = party_of(user)
    if party is None or not roles_of(user) & roles_needed:
        return False
    if record is None:
        return True
    if action == "view":
        return can_see(user, record)
    return getattr(record, "owner_id", None) == party.pk


def require(user: Any, action: str, record: Any = None, **context: Any) -> None:
    """Raise ``NotVisible`` if the user may not see the record, ``Forbidden`` if they may not act."""
    if isinstance(record, OwnedRecord) and not can_see(user, record):
        raise NotVisible()
    if not can(user, action, record, **context):
        raise Forbidden(f"you may not {action.replace('_', ' ')} this record")


def is_platform_administrator(user: Any) -> bool:
    return has_role(user, "administrator")
