from accord.platform.capabilities import CapabilityConfig


class ProcurementConfig(CapabilityConfig):
    name = "accord.procurement"
    label = "procurement"
    default = True  # the app's config (CapabilityConfig is imported here too)
    verbose_name = "Procurement"
    prefix = "safe"
    nav_label = "Procurement (SAFE)"
    description = "Check whether a defence procurement can be financed by SAFE, and why."
    policy_module = None
    jobs_module = "jobs"
