from accord.platform import policy
from accord.platform.capabilities import capability_configs


def capability_links():
    """(label, link, sentence) of every capability, for the navigation and home page."""
    return [(c.nav_label, f"/{c.prefix}/", c.description) for c in capability_configs() if c.urls_module]


def timezone_of(user) -> str:
    """Times are shown where the reader works: London for the UK, Brussels for the rest."""
    return "Europe/London" if getattr(policy.party_of(user), "code", "") == "GB" else "Europe/Brussels"


def accord_context(request):
    user = getattr(request, "user", None)
    return {
        "capability_links": capability_links(),
        "current_party": policy.party_of(user),
        "current_roles": sorted(policy.roles_of(user)),
        "user_timezone": timezone_of(user),
    }
