"""Words for people: dates, parties, workflow steps and states as pages say them.

Every message the missions engine writes for a person uses these, so no
refusal shows an ISO date, a party code or an internal step name (docs/architecture.md,
"Pages people read").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

# The participation workflow's states and steps (parameter missions.workflow.transitions).
STATUS_WORDS = {
    "start": "not yet invited",
    "invited": "invited",
    "called": "called for contributions",
    "offered": "with a contribution offered",
    "recommended": "recommended for acceptance",
    "accepted": "accepted by the Political and Security Committee",
    "rejected": "rejected by the Political and Security Committee",
    "associated": "associated with the Council decision",
}
STATUS_LABELS = {
    "start": "Not yet invited",
    "invited": "Invited",
    "called": "Called for contributions",
    "offered": "Contribution offered",
    "recommended": "Acceptance recommended",
    "accepted": "Accepted by the PSC",
    "rejected": "Rejected by the PSC",
    "associated": "Associated with the Council decision",
}
ACTION_LABELS = {
    "invite": "Invite the state",
    "call_for_contributions": "Send the call for contributions",
    "offer": "Offer a contribution",
    "withdraw_offer": "Withdraw the offer",
    "recommend": "Recommend acceptance",
    "record_participation_agreement": "Record a participation agreement",
    "accept": "Accept (PSC decision)",
    "reject": "Reject (PSC decision)",
    "associate": "Associate with the Council decision",
}
ROLE_WORDS = {
    "viewer": "viewer",
    "editor": "editor",
    "approver": "approver",
    "administrator": "administrator",
}
# State names read with "the" in a sentence ("the United Kingdom", "the Netherlands").
_WITH_THE = ("United ", "Netherlands", "Czech Republic", "Republic of", "Philippines", "Holy See", "Gambia")


def day(value: dt.date) -> str:
    """1 December 2026."""
    return f"{value.day} {value:%B %Y}"


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action.replace("_", " ").capitalize())


def step(action: str) -> str:
    """The step as a sentence names it: the step "Send the call for contributions"."""
    return f"the step “{action_label(action)}”"


def status_words(status: str) -> str:
    return STATUS_WORDS.get(status, status.replace("_", " "))


def role_words(role: str) -> str:
    return ROLE_WORDS.get(role, role.replace("_", " "))


def party_name(registry: Any, code: str) -> str:
    """A party by its name, with "the" where English wants it; the code only if unknown."""
    try:
        party = registry.party(code)
    except (KeyError, AttributeError, LookupError):
        return code
    name = getattr(party, "name", None) or code
    if getattr(party, "kind", "") != "state" or name.startswith(_WITH_THE):
        return f"the {name}"
    return name


def country_name(registry: Any, code: str) -> str:
    """A host country by name: the party registry's name, else ISO 3166 (pycountry),
    "Congo, The Democratic Republic of the" read as "The Democratic Republic of the Congo"."""
    try:
        return registry.party(code).name
    except (KeyError, AttributeError, LookupError):
        pass
    import pycountry  # ISO 3166 names for countries outside the party registry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    if ", " in name:
        head, tail = name.split(", ", 1)
        name = f"{tail} {head}"
    return capitalised(name.removeprefix("The "))


def either(words: list[str]) -> str:
    """ "a", "a or b", "a, b or c"."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} or {words[-1]}"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
