from accord.platform import policy

CAPABILITY_LINKS = [
    ("Procurement (SAFE)", "/safe/", "Check whether a defence procurement can be financed by SAFE, and why."),
    ("Military mobility", "/mobility/", "Plan movements across Europe and request cross-border permissions."),
    ("CSDP missions", "/missions/", "Missions and operations, third-state participation and force generation."),
    ("Dialogue and exercises", "/dialogue/", "Strategic consultations, invitations and crisis-management exercises."),
    ("Commitments", "/commitments/", "Defence spending against targets, SAFE allocations and groupings."),
]


def timezone_of(user) -> str:
    """Times are shown where the reader works: London for the UK, Brussels for the rest."""
    return "Europe/London" if getattr(policy.party_of(user), "code", "") == "GB" else "Europe/Brussels"


def accord_context(request):
    user = getattr(request, "user", None)
    return {
        "capability_links": CAPABILITY_LINKS,
        "current_party": policy.party_of(user),
        "current_roles": sorted(policy.roles_of(user)),
        "user_timezone": timezone_of(user),
    }
