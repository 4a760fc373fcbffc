from accord.platform.capabilities import CapabilityConfig


class CommitmentsConfig(CapabilityConfig):
    name = "accord.commitments"
    label = "commitments"
    default = True  # the app's config (CapabilityConfig is imported here too)
    verbose_name = "Commitments"
    prefix = "commitments"
    nav_label = "Commitments"
    description = "Defence spending against targets, SAFE allocations and groupings."
    reference_module = "reference"
