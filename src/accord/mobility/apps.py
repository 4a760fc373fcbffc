from accord.platform.capabilities import CapabilityConfig


class MobilityConfig(CapabilityConfig):
    name = "accord.mobility"
    label = "mobility"
    default = True  # the app's config (CapabilityConfig is imported here too)
    verbose_name = "Mobility"
    prefix = "mobility"
    nav_label = "Military mobility"
    description = "Plan movements across Europe and request cross-border permissions."
    home_tasks_module = "hometasks"
    jobs_module = "jobs"  # deployment plans are scheduled in the background (issue 14)
