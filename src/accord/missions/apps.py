from accord.platform.capabilities import CapabilityConfig


class MissionsConfig(CapabilityConfig):
    name = "accord.missions"
    label = "missions"
    default = True  # the app's config (CapabilityConfig is imported here too)
    verbose_name = "Missions"
    prefix = "missions"
    nav_label = "CSDP missions"
    description = "Missions and operations, third-state participation and force generation."
    reference_module = "reference"
