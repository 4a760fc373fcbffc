from accord.platform.capabilities import CapabilityConfig


class MobilityConfig(CapabilityConfig):
    name = "accord.mobility"
    label = "mobility"
    verbose_name = "Mobility"
    prefix = "mobility"
    nav_label = "Military mobility"
    description = "Plan movements across Europe and request cross-border permissions."
